//! UDP header (RFC 768).

use super::{be16, decode, Field, FieldDef};

pub mod field {
    use super::Field;
    pub const SRC_PORT: Field = 0..2;
    pub const DST_PORT: Field = 2..4;
    /// Length of header and data in bytes (RFC 768).
    pub const LENGTH: Field = 4..6;
    pub const CHECKSUM: Field = 6..8;
}

pub const HEADER_LEN: usize = field::CHECKSUM.end;

pub const PORT_VXLAN: u16 = 4789;
/// The port Linux used for VXLAN before IANA assigned 4789.
pub const PORT_VXLAN_LINUX: u16 = 8472;
pub const PORT_GENEVE: u16 = 6081;
/// VXLAN-GPE (IANA).
pub const PORT_VXLAN_GPE: u16 = 4790;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "Source port", range: field::SRC_PORT, decode: |b| decode::num(b, field::SRC_PORT) },
    FieldDef { name: "Destination port", range: field::DST_PORT, decode: |b| decode::num(b, field::DST_PORT) },
    FieldDef { name: "Length", range: field::LENGTH, decode: |b| decode::bytes(b, field::LENGTH) },
    FieldDef { name: "Checksum", range: field::CHECKSUM, decode: |b| decode::hex(b, field::CHECKSUM) },
];

pub fn src_port(b: &[u8]) -> u16 {
    be16(b, field::SRC_PORT)
}
pub fn dst_port(b: &[u8]) -> u16 {
    be16(b, field::DST_PORT)
}
pub fn length(b: &[u8]) -> usize {
    usize::from(be16(b, field::LENGTH))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vxlan_datagram_header() {
        let h = [0xc3, 0x50, 0x12, 0xb5, 0x05, 0xbe, 0, 0];
        assert_eq!(dst_port(&h), PORT_VXLAN);
        assert_eq!(length(&h), 1470);
    }
}
