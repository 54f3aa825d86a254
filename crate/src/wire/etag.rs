//! IEEE 802.1BR E-TAG (bridge port extension), EtherType 0x893F: 6 bytes of
//! tag control information (802.1BR-2012 clause 7.5), then the EtherType of
//! what follows. The standard successor of Cisco's VN-Tag ([`super::vntag`]).

use super::{be16, decode, u8_at, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    /// E-PCP (3 bits), E-DEI, ingress E-CID base (12 bits).
    pub const PCP_INGRESS_BASE: Field = 0..2;
    /// Reserved (2 bits), GRP (2 bits), E-CID base (12 bits).
    pub const GRP_BASE: Field = 2..4;
    pub const INGRESS_EXT: Field = 4..5;
    pub const ECID_EXT: Field = 5..6;
    pub const ETHERTYPE: Field = 6..8;
}

pub const HEADER_LEN: usize = field::ETHERTYPE.end;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "E-PCP / E-DEI / ingress E-CID base", range: field::PCP_INGRESS_BASE, decode: ingress },
    FieldDef { name: "GRP / E-CID base", range: field::GRP_BASE, decode: ecid },
    FieldDef { name: "Ingress E-CID ext", range: field::INGRESS_EXT, decode: |b| decode::num(b, field::INGRESS_EXT) },
    FieldDef { name: "E-CID ext", range: field::ECID_EXT, decode: |b| decode::num(b, field::ECID_EXT) },
    FieldDef { name: "Type", range: field::ETHERTYPE, decode: |b| decode::ethertype(b, field::ETHERTYPE) },
];

/// The E-CID the frame is addressed to: extension byte and 12-bit base.
pub fn ecid_of(b: &[u8]) -> u32 {
    u32::from(u8_at(b, field::ECID_EXT.start)) << 12 | u32::from(be16(b, field::GRP_BASE) & 0x0fff)
}

fn ingress(b: &[u8]) -> Value {
    let v = be16(b, field::PCP_INGRESS_BASE);
    let ext = u32::from(u8_at(b, field::INGRESS_EXT.start)) << 12;
    Value::Text(format!("PCP {} / ingress E-CID {}", v >> 13, ext | u32::from(v & 0x0fff)))
}

fn ecid(b: &[u8]) -> Value {
    let v = be16(b, field::GRP_BASE);
    Value::Text(format!("GRP {} / E-CID {}", (v >> 12) & 3, ecid_of(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecid_spans_base_and_extension() {
        let h = [0x60, 0x05, 0x10, 0x07, 0x00, 0x01, 0x08, 0x00];
        assert_eq!(ecid_of(&h), (1 << 12) | 7);
        assert_eq!(ecid(&h).to_string(), "GRP 1 / E-CID 4103");
        assert_eq!(ingress(&h).to_string(), "PCP 3 / ingress E-CID 5");
        assert_eq!(be16(&h, field::ETHERTYPE), 0x0800);
    }
}
