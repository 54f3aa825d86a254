//! IPv4 header (RFC 791 section 3.1).

use super::{be16, decode, u8_at, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    /// Version (4 bits) and IHL, the header length in 32-bit words (4 bits).
    pub const VER_IHL: Field = 0..1;
    pub const DSCP_ECN: Field = 1..2;
    /// Total length: header and data, in bytes (RFC 791).
    pub const TOTAL_LEN: Field = 2..4;
    pub const IDENT: Field = 4..6;
    /// Flags (3 bits: reserved, DF, MF) and fragment offset in 8-byte units (13 bits).
    pub const FLAGS_FRAG: Field = 6..8;
    pub const TTL: Field = 8..9;
    pub const PROTOCOL: Field = 9..10;
    pub const CHECKSUM: Field = 10..12;
    pub const SRC: Field = 12..16;
    pub const DST: Field = 16..20;
}

pub const MIN_HEADER_LEN: usize = field::DST.end;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "Version / header length", range: field::VER_IHL, decode: ver_ihl },
    FieldDef { name: "DSCP / ECN", range: field::DSCP_ECN, decode: |b| decode::hex(b, field::DSCP_ECN) },
    FieldDef { name: "Total length", range: field::TOTAL_LEN, decode: |b| decode::bytes(b, field::TOTAL_LEN) },
    FieldDef { name: "Identification", range: field::IDENT, decode: |b| decode::hex(b, field::IDENT) },
    FieldDef { name: "Flags / fragment offset", range: field::FLAGS_FRAG, decode: flags_frag },
    FieldDef { name: "TTL", range: field::TTL, decode: |b| decode::num(b, field::TTL) },
    FieldDef { name: "Protocol", range: field::PROTOCOL, decode: protocol },
    FieldDef { name: "Header checksum", range: field::CHECKSUM, decode: |b| decode::hex(b, field::CHECKSUM) },
    FieldDef { name: "Source", range: field::SRC, decode: |b| decode::ipv4(b, field::SRC) },
    FieldDef { name: "Destination", range: field::DST, decode: |b| decode::ipv4(b, field::DST) },
];

pub fn version(b: &[u8]) -> u8 {
    u8_at(b, 0) >> 4
}
/// Header length in bytes (IHL × 4).
pub fn header_len(b: &[u8]) -> usize {
    usize::from(u8_at(b, 0) & 0x0f) * 4
}
pub fn total_len(b: &[u8]) -> usize {
    usize::from(be16(b, field::TOTAL_LEN))
}
pub fn protocol(b: &[u8]) -> Value {
    let v = u8_at(b, field::PROTOCOL.start);
    super::ip::protocol_value(v)
}
pub fn protocol_number(b: &[u8]) -> u8 {
    u8_at(b, field::PROTOCOL.start)
}
pub fn dont_fragment(b: &[u8]) -> bool {
    be16(b, field::FLAGS_FRAG) & 0x4000 != 0
}
pub fn more_fragments(b: &[u8]) -> bool {
    be16(b, field::FLAGS_FRAG) & 0x2000 != 0
}
/// Fragment offset in bytes.
pub fn fragment_offset(b: &[u8]) -> usize {
    usize::from(be16(b, field::FLAGS_FRAG) & 0x1fff) * 8
}
pub fn src(b: &[u8]) -> [u8; 4] {
    super::array(b, field::SRC)
}
pub fn dst(b: &[u8]) -> [u8; 4] {
    super::array(b, field::DST)
}

fn ver_ihl(b: &[u8]) -> Value {
    Value::Text(format!("{} / {} bytes", version(b), header_len(b)))
}

fn flags_frag(b: &[u8]) -> Value {
    let mut s = String::new();
    if dont_fragment(b) {
        s.push_str("DF ");
    }
    if more_fragments(b) {
        s.push_str("MF ");
    }
    s.push_str(&format!("offset {}", fragment_offset(b)));
    Value::Text(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    // A 1500-byte ICMP datagram from the story: ping -s 1472, DF set.
    const HEADER: [u8; 20] =
        [0x45, 0x00, 0x05, 0xdc, 0x12, 0x34, 0x40, 0x00, 0x40, 0x01, 0x00, 0x00, 10, 0, 0, 1, 10, 0, 0, 2];

    #[test]
    fn deconstruct_story_header() {
        assert_eq!(version(&HEADER), 4);
        assert_eq!(header_len(&HEADER), 20);
        assert_eq!(total_len(&HEADER), 1500);
        assert!(dont_fragment(&HEADER));
        assert!(!more_fragments(&HEADER));
        assert_eq!(protocol(&HEADER).to_string(), "1 (ICMP)");
        assert_eq!(flags_frag(&HEADER).to_string(), "DF offset 0");
    }

    #[test]
    fn impossible_ihl_reads_as_is() {
        let mut h = HEADER;
        h[0] = 0x43; // IHL 3: 12 bytes, shorter than the fixed header
        assert_eq!(header_len(&h), 12);
    }
}
