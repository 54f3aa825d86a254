//! Cisco ISL (Inter-Switch Link) encapsulation: a 26-byte header in front of
//! the original frame and a 4-byte CRC after it. Recognised by its
//! destination, 01-00-0C-00-00 (or 03-00-0C-00-00), and the SNAP-like AA AA 03.

use super::{be16, decode, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    pub const DESTINATION: Field = 0..5;
    /// Frame type (4 bits) and user priority (4 bits).
    pub const TYPE_USER: Field = 5..6;
    pub const SOURCE: Field = 6..12;
    pub const LENGTH: Field = 12..14;
    pub const SNAP: Field = 14..17;
    pub const HSA: Field = 17..20;
    /// VLAN ID (15 bits) and the BPDU bit.
    pub const VLAN_BPDU: Field = 20..22;
    pub const INDEX: Field = 22..24;
    pub const RESERVED: Field = 24..26;
}

pub const HEADER_LEN: usize = field::RESERVED.end;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "ISL destination", range: field::DESTINATION, decode: |b| decode::hex(b, field::DESTINATION) },
    FieldDef { name: "Type / user", range: field::TYPE_USER, decode: |b| decode::hex(b, field::TYPE_USER) },
    FieldDef { name: "ISL source", range: field::SOURCE, decode: |b| decode::mac(b, field::SOURCE) },
    FieldDef { name: "Length", range: field::LENGTH, decode: |b| decode::bytes(b, field::LENGTH) },
    FieldDef { name: "AA AA 03", range: field::SNAP, decode: |b| decode::hex(b, field::SNAP) },
    FieldDef { name: "Source OUI (HSA)", range: field::HSA, decode: |b| decode::hex(b, field::HSA) },
    FieldDef { name: "VLAN / BPDU", range: field::VLAN_BPDU, decode: vlan },
    FieldDef { name: "Index", range: field::INDEX, decode: |b| decode::num(b, field::INDEX) },
    FieldDef { name: "Reserved", range: field::RESERVED, decode: |b| decode::hex(b, field::RESERVED) },
];

/// Is this an ISL frame? Checks the destination prefix and the AA AA 03 marker.
pub fn is_isl(b: &[u8]) -> bool {
    matches!(b.get(field::DESTINATION), Some([0x01 | 0x03, 0x00, 0x0c, 0x00, 0x00]))
        && b.get(field::SNAP) == Some(&[0xaa, 0xaa, 0x03][..])
}

fn vlan(b: &[u8]) -> Value {
    let v = be16(b, field::VLAN_BPDU);
    Value::Text(format!("VLAN {} / BPDU {}", v >> 1, v & 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtp_frame_header() {
        // DTP.pcap frame 2, first 26 bytes.
        let h = [
            0x01, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x19, 0x06, 0xea, 0xb8, 0x85, 0x00, 0x4c, 0xaa, 0xaa, 0x03, 0x00,
            0x00, 0x0c, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
        ];
        assert!(is_isl(&h));
        assert_eq!(vlan(&h).to_string(), "VLAN 1 / BPDU 1");
        let mut not = h;
        not[2] = 0x0d;
        assert!(!is_isl(&not));
    }
}
