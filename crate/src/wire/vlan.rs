//! IEEE 802.1Q / 802.1ad tag. The TPID (0x8100, 0x88a8, ...) is the type field
//! of the header before the tag, so this table covers the TCI and the
//! EtherType that follows it: 4 bytes, the size a tag adds to a frame.

use super::{be16, decode, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    /// Tag control information: PCP (3 bits), DEI (1 bit), VLAN ID (12 bits).
    pub const TCI: Field = 0..2;
    pub const ETHERTYPE: Field = 2..4;
}

pub const HEADER_LEN: usize = field::ETHERTYPE.end;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "PCP / DEI / VLAN ID", range: field::TCI, decode: tci },
    FieldDef { name: "Type/length", range: field::ETHERTYPE, decode: |b| decode::ethertype(b, field::ETHERTYPE) },
];

pub fn vlan_id(b: &[u8]) -> u16 {
    be16(b, field::TCI) & 0x0fff
}

fn tci(b: &[u8]) -> Value {
    let t = be16(b, field::TCI);
    Value::Text(format!("PCP {} / DEI {} / VLAN {}", t >> 13, (t >> 12) & 1, t & 0x0fff))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tci_splits_into_pcp_dei_vid() {
        let tag = [0xa0, 0x64, 0x08, 0x00]; // PCP 5, DEI 0, VID 100, IPv4
        assert_eq!(vlan_id(&tag), 100);
        assert_eq!(tci(&tag).to_string(), "PCP 5 / DEI 0 / VLAN 100");
        assert_eq!(be16(&tag, field::ETHERTYPE), 0x0800);
    }
}
