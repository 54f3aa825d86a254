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

/// VXLAN-GPE (draft-ietf-nvo3-vxlan-gpe), UDP port 4790: VXLAN's 8 bytes
/// with a version, a P flag and a next protocol (the values NSH uses), so it
/// can carry IPv4, IPv6, NSH or MPLS as well as Ethernet.
pub mod gpe {
    use super::super::{decode, nsh, u8_at, Field, FieldDef};

    pub mod field {
        use super::Field;
        /// R R Ver(2) I P B O.
        pub const FLAGS: Field = 0..1;
        pub const RESERVED_1: Field = 1..3;
        pub const NEXT_PROTOCOL: Field = 3..4;
        pub const VNI: Field = 4..7;
        pub const RESERVED_2: Field = 7..8;
    }

    pub const HEADER_LEN: usize = field::RESERVED_2.end;

    pub static FIELDS: &[FieldDef] = &[
        FieldDef { name: "Flags", range: field::FLAGS, decode: |b| decode::hex(b, field::FLAGS) },
        FieldDef { name: "Reserved", range: field::RESERVED_1, decode: |b| decode::hex(b, field::RESERVED_1) },
        FieldDef { name: "Next protocol", range: field::NEXT_PROTOCOL, decode: nsh::next_protocol_value },
        FieldDef { name: "VNI", range: field::VNI, decode: |b| decode::num(b, field::VNI) },
        FieldDef { name: "Reserved", range: field::RESERVED_2, decode: |b| decode::hex(b, field::RESERVED_2) },
    ];

    /// Version 0 with the P flag (next protocol present): what a GPE
    /// header must show before its payload is dissected.
    pub fn plausible(b: &[u8]) -> bool {
        b.len() >= HEADER_LEN && u8_at(b, 0) & 0x30 == 0 && u8_at(b, 0) & 0x04 != 0
    }

    pub fn next_protocol(b: &[u8]) -> u8 {
        u8_at(b, field::NEXT_PROTOCOL.start)
    }
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

    #[test]
    fn gpe_next_protocol() {
        let h = [0x0c, 0, 0, 0x04, 0, 0, 0x2a, 0];
        assert!(gpe::plausible(&h));
        assert_eq!(gpe::next_protocol(&h), crate::wire::nsh::next::NSH);
        assert_eq!((gpe::FIELDS[2].decode)(&h).to_string(), "4 (NSH)");
        assert!(!gpe::plausible(&[0x08, 0, 0, 0x04, 0, 0, 0x2a, 0]), "no P flag");
    }
}
