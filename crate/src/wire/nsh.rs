//! Network Service Header (RFC 8300), EtherType 0x894F or VXLAN-GPE next
//! protocol 4: a 4-byte base header, a 4-byte service path header and
//! metadata, all counted by the base header's length field (in 4-byte
//! words), then the packet its next protocol names.

use super::{be16, be32, decode, u8_at, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    /// Version (2 bits), O, U, TTL (6 bits), length in 4-byte words (6 bits).
    pub const VER_TTL_LEN: Field = 0..2;
    /// Unassigned (4 bits), MD type (4 bits).
    pub const MD_TYPE: Field = 2..3;
    pub const NEXT_PROTOCOL: Field = 3..4;
    pub const SPI: Field = 4..7;
    pub const SI: Field = 7..8;
}

/// Base header and service path header: the shortest NSH (MD type 2, no metadata).
pub const MIN_LEN: usize = field::SI.end;
/// RFC 8300 section 2.4: MD type 1 carries 16 bytes of fixed context, so 24 in all.
pub const MD_TYPE_1_LEN: usize = 24;

/// Next protocol values (RFC 8300 section 11.2.5).
pub mod next {
    pub const IPV4: u8 = 0x1;
    pub const IPV6: u8 = 0x2;
    pub const ETHERNET: u8 = 0x3;
    pub const NSH: u8 = 0x4;
    pub const MPLS: u8 = 0x5;
}

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "Version / O / TTL / length", range: field::VER_TTL_LEN, decode: ver_ttl_len },
    FieldDef { name: "MD type", range: field::MD_TYPE, decode: |b| Value::Num(md_type(b).into()) },
    FieldDef { name: "Next protocol", range: field::NEXT_PROTOCOL, decode: next_protocol_value },
    FieldDef { name: "Service path ID", range: field::SPI, decode: |b| decode::num(b, field::SPI) },
    FieldDef { name: "Service index", range: field::SI, decode: |b| decode::num(b, field::SI) },
];

pub fn version(b: &[u8]) -> u8 {
    u8_at(b, 0) >> 6
}

/// The whole header's length in bytes, from its length field.
pub fn header_len(b: &[u8]) -> usize {
    usize::from(be16(b, field::VER_TTL_LEN) & 0x3f) * 4
}

pub fn md_type(b: &[u8]) -> u8 {
    u8_at(b, field::MD_TYPE.start) & 0x0f
}

pub fn next_protocol(b: &[u8]) -> u8 {
    u8_at(b, field::NEXT_PROTOCOL.start)
}

pub fn spi(b: &[u8]) -> u32 {
    be32(b, 4..8) >> 8
}

fn ver_ttl_len(b: &[u8]) -> Value {
    let v = be16(b, field::VER_TTL_LEN);
    let o = if v & 0x2000 != 0 { " / OAM" } else { "" };
    Value::Text(format!("v{}{o} / TTL {} / {} bytes", v >> 14, (v >> 6) & 0x3f, header_len(b)))
}

/// A next-protocol value with its name, as NSH and VXLAN-GPE share them.
pub fn next_protocol_value(b: &[u8]) -> Value {
    let v = next_protocol(b);
    let name = match v {
        next::IPV4 => "IPv4",
        next::IPV6 => "IPv6",
        next::ETHERNET => "Ethernet",
        next::NSH => "NSH",
        next::MPLS => "MPLS",
        _ => return Value::Num(v.into()),
    };
    Value::Text(format!("{v} ({name})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md_type_2_base_and_service_path() {
        // Version 0, TTL 63, length 2 words; MD type 2; next protocol IPv4; SPI 42, SI 255.
        let h = [0x0f, 0xc2, 0x02, 0x01, 0x00, 0x00, 0x2a, 0xff];
        assert_eq!(version(&h), 0);
        assert_eq!(header_len(&h), 8);
        assert_eq!(md_type(&h), 2);
        assert_eq!(next_protocol(&h), next::IPV4);
        assert_eq!(spi(&h), 42);
        assert_eq!(ver_ttl_len(&h).to_string(), "v0 / TTL 63 / 8 bytes");
        assert_eq!(next_protocol_value(&h).to_string(), "1 (IPv4)");
    }

    #[test]
    fn md_type_1_is_24_bytes() {
        let h = [0x0f, 0xc6, 0x01, 0x03, 0, 0, 1, 0xfe];
        assert_eq!(header_len(&h), MD_TYPE_1_LEN);
    }
}
