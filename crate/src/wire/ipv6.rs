//! IPv6 fixed header (RFC 8200 section 3) and the extension headers that sit
//! between it and the upper layer (RFC 8200 section 4).

use super::{be16, be32, decode, u8_at, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    pub const VER_TC_FLOW: Field = 0..4;
    /// Length of the payload after this 40-byte header, extension headers included.
    pub const PAYLOAD_LEN: Field = 4..6;
    pub const NEXT_HEADER: Field = 6..7;
    pub const HOP_LIMIT: Field = 7..8;
    pub const SRC: Field = 8..24;
    pub const DST: Field = 24..40;
}

/// Generic extension header: next header and length in 8-byte units not
/// counting the first 8 (RFC 8200 section 4.3).
pub mod ext_field {
    use super::Field;
    pub const NEXT_HEADER: Field = 0..1;
    pub const LEN: Field = 1..2;
}

/// Fragment header (RFC 8200 section 4.5): always 8 bytes.
pub mod frag_field {
    use super::Field;
    pub const NEXT_HEADER: Field = 0..1;
    pub const RESERVED: Field = 1..2;
    pub const OFFSET_FLAGS: Field = 2..4;
    pub const IDENT: Field = 4..8;
}

/// Jumbo Payload option (RFC 2675 section 2), inside a hop-by-hop header.
pub mod jumbo_field {
    use super::Field;
    pub const TYPE: Field = 0..1;
    pub const LEN: Field = 1..2;
    pub const JUMBO_LEN: Field = 2..6;
}

pub const HEADER_LEN: usize = field::DST.end;
pub const FRAGMENT_HEADER_LEN: usize = frag_field::IDENT.end;
pub const JUMBO_OPTION: u8 = 0xc2;

pub static FIELDS: &[FieldDef] = &[
    FieldDef {
        name: "Version / class / flow",
        range: field::VER_TC_FLOW,
        decode: |b| decode::hex(b, field::VER_TC_FLOW),
    },
    FieldDef { name: "Payload length", range: field::PAYLOAD_LEN, decode: |b| decode::bytes(b, field::PAYLOAD_LEN) },
    FieldDef {
        name: "Next header",
        range: field::NEXT_HEADER,
        decode: |b| super::ip::protocol_value(u8_at(b, field::NEXT_HEADER.start)),
    },
    FieldDef { name: "Hop limit", range: field::HOP_LIMIT, decode: |b| decode::num(b, field::HOP_LIMIT) },
    FieldDef { name: "Source", range: field::SRC, decode: |b| decode::ipv6(b, field::SRC) },
    FieldDef { name: "Destination", range: field::DST, decode: |b| decode::ipv6(b, field::DST) },
];

pub static EXT_FIELDS: &[FieldDef] = &[
    FieldDef { name: "Next header", range: ext_field::NEXT_HEADER, decode: |b| super::ip::protocol_value(u8_at(b, 0)) },
    FieldDef { name: "Header length", range: ext_field::LEN, decode: |b| Value::Bytes(ext_len(b) as u64) },
];

pub static FRAG_FIELDS: &[FieldDef] = &[
    FieldDef {
        name: "Next header",
        range: frag_field::NEXT_HEADER,
        decode: |b| super::ip::protocol_value(u8_at(b, 0)),
    },
    FieldDef { name: "Reserved", range: frag_field::RESERVED, decode: |b| decode::hex(b, frag_field::RESERVED) },
    FieldDef {
        name: "Offset / M",
        range: frag_field::OFFSET_FLAGS,
        decode: |b| Value::Text(format!("offset {} / M {}", frag_offset(b), u8::from(frag_more(b)))),
    },
    FieldDef { name: "Identification", range: frag_field::IDENT, decode: |b| decode::hex(b, frag_field::IDENT) },
];

pub static JUMBO_FIELDS: &[FieldDef] = &[
    FieldDef { name: "Option type", range: jumbo_field::TYPE, decode: |b| decode::hex(b, jumbo_field::TYPE) },
    FieldDef { name: "Option length", range: jumbo_field::LEN, decode: |b| decode::bytes(b, jumbo_field::LEN) },
    FieldDef {
        name: "Jumbo payload length",
        range: jumbo_field::JUMBO_LEN,
        decode: |b| decode::bytes(b, jumbo_field::JUMBO_LEN),
    },
];

pub fn version(b: &[u8]) -> u8 {
    u8_at(b, 0) >> 4
}
pub fn payload_len(b: &[u8]) -> usize {
    usize::from(be16(b, field::PAYLOAD_LEN))
}
pub fn next_header(b: &[u8]) -> u8 {
    u8_at(b, field::NEXT_HEADER.start)
}
pub fn src(b: &[u8]) -> [u8; 16] {
    super::array(b, field::SRC)
}
pub fn dst(b: &[u8]) -> [u8; 16] {
    super::array(b, field::DST)
}

/// Length in bytes of a generic extension header; AH counts in 4-byte units
/// (RFC 4302 section 2.2).
pub fn ext_len(b: &[u8]) -> usize {
    (usize::from(u8_at(b, ext_field::LEN.start)) + 1) * 8
}
pub fn ah_len(b: &[u8]) -> usize {
    (usize::from(u8_at(b, ext_field::LEN.start)) + 2) * 4
}
pub fn frag_offset(b: &[u8]) -> usize {
    usize::from(be16(b, frag_field::OFFSET_FLAGS) & 0xfff8)
}
pub fn frag_more(b: &[u8]) -> bool {
    be16(b, frag_field::OFFSET_FLAGS) & 1 != 0
}

/// RFC 2675 section 2: a Jumbo Payload length is greater than 65,535
/// (shorter payloads use the payload length field).
pub const MIN_JUMBO_LEN: usize = 65_536;

/// Finds the Jumbo Payload option in a hop-by-hop header's options and returns
/// its offset inside the header and the jumbo length.
pub fn find_jumbo(hop_by_hop: &[u8]) -> Option<(usize, u32)> {
    let end = ext_len(hop_by_hop).min(hop_by_hop.len());
    let mut at = 2;
    while at < end {
        match u8_at(hop_by_hop, at) {
            0 => at += 1, // Pad1 (RFC 8200 section 4.2)
            JUMBO_OPTION => {
                let opt = hop_by_hop.get(at..)?;
                return Some((at, be32(opt, jumbo_field::JUMBO_LEN)));
            }
            _ => at += 2 + usize::from(u8_at(hop_by_hop, at + 1)),
        }
    }
    None
}

/// Is `n` an extension header Framelens walks through? Uses etherparse's table.
pub fn is_extension(n: u8) -> bool {
    etherparse::IpNumber(n).is_ipv6_ext_header_value()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deconstruct_fixed_header() {
        let mut h = [0u8; 40];
        h[0] = 0x60;
        h[4..6].copy_from_slice(&1232u16.to_be_bytes());
        h[6] = 17;
        assert_eq!(version(&h), 6);
        assert_eq!(payload_len(&h), 1232);
        assert_eq!(next_header(&h), 17);
    }

    #[test]
    fn jumbo_option_found_after_padding() {
        // next header TCP, length 0 (8 bytes), Pad1, Pad1? no: Jumbo at offset 2.
        let hbh = [6, 0, 0xc2, 4, 0x00, 0x01, 0x00, 0x00];
        assert_eq!(find_jumbo(&hbh), Some((2, 65536)));
        let no_jumbo = [6, 0, 1, 4, 0, 0, 0, 0]; // PadN only
        assert_eq!(find_jumbo(&no_jumbo), None);
    }

    #[test]
    fn fragment_header_fields() {
        let f = [17, 0, 0x05, 0xa9, 0, 0, 0, 7]; // offset 1448, M=1
        assert_eq!(frag_offset(&f), 1448);
        assert!(frag_more(&f));
        assert!(is_extension(44));
        assert!(!is_extension(17));
    }
}
