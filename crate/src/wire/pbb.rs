//! IEEE 802.1ah Provider Backbone Bridging (MAC-in-MAC), EtherType 0x88E7:
//! the 4-byte I-TAG control information (802.1ah-2008 clause 9.7), then the
//! customer's own Ethernet frame (C-DA, C-SA, its EtherType or tags). Seen
//! behind an 802.1ad B-TAG.

use super::{be32, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    /// I-PCP (3 bits), I-DEI, UCA, reserved (3 bits), I-SID (24 bits).
    pub const TCI: Field = 0..4;
}

/// The I-TAG after its EtherType; the customer frame's MAC header follows.
pub const HEADER_LEN: usize = field::TCI.end;

pub static FIELDS: &[FieldDef] = &[FieldDef { name: "I-PCP / I-DEI / UCA / I-SID", range: field::TCI, decode: tci }];

/// The backbone service instance identifier.
pub fn isid(b: &[u8]) -> u32 {
    be32(b, field::TCI) & 0x00ff_ffff
}

fn tci(b: &[u8]) -> Value {
    let t = be32(b, field::TCI);
    let uca = if t & 0x0800_0000 != 0 { ", UCA" } else { "" };
    Value::Text(format!("PCP {} / I-SID {}{uca}", t >> 29, t & 0x00ff_ffff))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isid_and_priority() {
        let h = [0xa0, 0x01, 0x00, 0x2a];
        assert_eq!(isid(&h), 0x01002a);
        assert_eq!(tci(&h).to_string(), "PCP 5 / I-SID 65578");
    }
}
