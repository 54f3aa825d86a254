//! VXLAN (RFC 7348 section 5): 8 bytes between the outer UDP header and the
//! inner Ethernet frame.

use super::{be_uint, decode, u8_at, Field, FieldDef};

pub mod field {
    use super::Field;
    /// Flags: bit 3 (0x08) set means the VNI is valid.
    pub const FLAGS: Field = 0..1;
    pub const RESERVED_1: Field = 1..4;
    pub const VNI: Field = 4..7;
    pub const RESERVED_2: Field = 7..8;
}

pub const HEADER_LEN: usize = field::RESERVED_2.end;
/// Outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8: why Neutron gives VXLAN networks MTU 1450.
pub const IPV4_OVERHEAD: usize = 14 + 20 + 8 + HEADER_LEN;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "Flags", range: field::FLAGS, decode: |b| decode::hex(b, field::FLAGS) },
    FieldDef { name: "Reserved", range: field::RESERVED_1, decode: |b| decode::hex(b, field::RESERVED_1) },
    FieldDef { name: "VNI", range: field::VNI, decode: |b| decode::num(b, field::VNI) },
    FieldDef { name: "Reserved", range: field::RESERVED_2, decode: |b| decode::hex(b, field::RESERVED_2) },
];

/// The I flag must be set (RFC 7348): a cheap plausibility check before
/// treating a UDP/4789 payload as an Ethernet frame.
pub fn plausible(b: &[u8]) -> bool {
    b.len() >= HEADER_LEN && u8_at(b, 0) & 0x08 != 0
}

pub fn vni(b: &[u8]) -> u32 {
    be_uint(b, field::VNI) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vni_and_flag() {
        let h = [0x08, 0, 0, 0, 0x00, 0x00, 0x7b, 0];
        assert!(plausible(&h));
        assert_eq!(vni(&h), 123);
        assert!(!plausible(&[0, 0, 0, 0, 0, 0, 0x7b, 0]));
        assert_eq!(IPV4_OVERHEAD, 50);
    }
}
