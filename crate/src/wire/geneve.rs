//! Geneve (RFC 8926 section 3.4): 8 bytes plus options, then the inner frame.

use super::{be16, be_uint, decode, u8_at, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    /// Version (2 bits) and options length in 4-byte units (6 bits).
    pub const VER_OPTLEN: Field = 0..1;
    pub const FLAGS: Field = 1..2;
    pub const PROTOCOL: Field = 2..4;
    pub const VNI: Field = 4..7;
    pub const RESERVED: Field = 7..8;
}

pub const FIXED_LEN: usize = field::RESERVED.end;

pub static FIELDS: &[FieldDef] = &[
    FieldDef {
        name: "Version / options length",
        range: field::VER_OPTLEN,
        decode: |b| Value::Text(format!("{} / {} bytes", u8_at(b, 0) >> 6, options_len(b))),
    },
    FieldDef { name: "Flags", range: field::FLAGS, decode: |b| decode::hex(b, field::FLAGS) },
    FieldDef { name: "Protocol", range: field::PROTOCOL, decode: |b| decode::ethertype(b, field::PROTOCOL) },
    FieldDef { name: "VNI", range: field::VNI, decode: |b| decode::num(b, field::VNI) },
    FieldDef { name: "Reserved", range: field::RESERVED, decode: |b| decode::hex(b, field::RESERVED) },
];

pub fn version(b: &[u8]) -> u8 {
    u8_at(b, 0) >> 6
}
pub fn options_len(b: &[u8]) -> usize {
    usize::from(u8_at(b, 0) & 0x3f) * 4
}
pub fn header_len(b: &[u8]) -> usize {
    FIXED_LEN + options_len(b)
}
pub fn protocol(b: &[u8]) -> u16 {
    be16(b, field::PROTOCOL)
}
pub fn vni(b: &[u8]) -> u32 {
    be_uint(b, field::VNI) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_extend_header() {
        let h = [0x02, 0x00, 0x65, 0x58, 0, 0, 0x0a, 0, 1, 2, 3, 4, 5, 6, 7, 8];
        assert_eq!(version(&h), 0);
        assert_eq!(header_len(&h), 16);
        assert_eq!(protocol(&h), 0x6558);
        assert_eq!(vni(&h), 10);
    }
}
