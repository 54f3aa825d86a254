//! Arista EtherType header (EtherType 0xD28B), inserted after the MAC
//! addresses by Arista switches to carry a timestamp: sub-type, version, a
//! 64-bit or 48-bit timestamp, then the original EtherType.

use super::{be16, decode, Field, FieldDef};

pub mod field {
    use super::Field;
    pub const SUBTYPE: Field = 0..2;
    pub const VERSION: Field = 2..4;
    pub const TIMESTAMP_START: usize = 4;
}

pub const SUBTYPE_TIMESTAMP: u16 = 0x0001;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "Sub-type", range: field::SUBTYPE, decode: |b| decode::hex(b, field::SUBTYPE) },
    FieldDef { name: "Version", range: field::VERSION, decode: |b| decode::hex(b, field::VERSION) },
];

/// Timestamp width by version: bits 4–7 say 64-bit (1) or 48-bit (2).
pub fn timestamp_len(b: &[u8]) -> Option<usize> {
    if be16(b, field::SUBTYPE) != SUBTYPE_TIMESTAMP {
        return None;
    }
    match (be16(b, field::VERSION) >> 4) & 0xf {
        1 => Some(8),
        2 => Some(6),
        _ => None,
    }
}

/// The header's length up to and including the EtherType after it.
pub fn header_len(b: &[u8]) -> Option<usize> {
    Some(field::TIMESTAMP_START + timestamp_len(b)? + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixty_four_bit_timestamp() {
        // From arista_ether.pcap frame 1.
        let h = [0x00, 0x01, 0x00, 0x10, 0x5c, 0xee, 0xed, 0x57, 0x38, 0x4f, 0x59, 0xc8, 0x08, 0x00];
        assert_eq!(header_len(&h), Some(14));
        assert_eq!(header_len(&[0x00, 0x02, 0x00, 0x10]), None);
    }
}
