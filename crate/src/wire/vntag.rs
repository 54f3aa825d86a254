//! VN-Tag (Cisco, pre-standard IEEE 802.1Qbh), EtherType 0x8926: 4 bytes of
//! tag fields and the EtherType that follows them.

use super::{be32, decode, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    /// D, P, destination VIF (14 bits), L, R, version (2 bits), source VIF (12 bits).
    pub const TAG: Field = 0..4;
    pub const ETHERTYPE: Field = 4..6;
}

pub const HEADER_LEN: usize = field::ETHERTYPE.end;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "D / P / dst VIF / L / R / ver / src VIF", range: field::TAG, decode: tag },
    FieldDef { name: "Type", range: field::ETHERTYPE, decode: |b| decode::ethertype(b, field::ETHERTYPE) },
];

fn tag(b: &[u8]) -> Value {
    let t = be32(b, field::TAG);
    Value::Text(format!("dst VIF {} / src VIF {}", (t >> 16) & 0x3fff, t & 0x0fff))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vntag_then_vlan() {
        let h = [0x00, 0x05, 0x00, 0x07, 0x81, 0x00];
        assert_eq!(super::super::be16(&h, field::ETHERTYPE), 0x8100);
        assert_eq!(tag(&h).to_string(), "dst VIF 5 / src VIF 7");
    }
}
