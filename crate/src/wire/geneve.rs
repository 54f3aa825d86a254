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

/// Open Virtual Networking's option class (RFC 8926 section 9, the IANA
/// "Geneve Option Class" registry): OVN-Kubernetes carries one such option.
pub const OVN_CLASS: u16 = 0x0102;

/// One TLV of the options (RFC 8926 section 3.5): class 2 bytes, type 1,
/// length 1 (low 5 bits, in 4-byte units, not counting these 4 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GeneveOption {
    /// Offset from the start of the Geneve header.
    pub start: usize,
    /// The whole option: 4 + data.
    pub len: usize,
    pub class: u16,
    pub kind: u8,
}

impl GeneveOption {
    /// The span's name: the class when it is one Framelens knows.
    pub const fn name(&self) -> &'static str {
        match self.class {
            OVN_CLASS => "Option: OVN (class 0x0102)",
            _ => "Option",
        }
    }
}

/// The options of header `b` (as long as [`header_len`]) that lie wholly
/// inside it, in order; a malformed length ends the list.
pub fn options(b: &[u8]) -> impl Iterator<Item = GeneveOption> + '_ {
    let end = header_len(b).min(b.len());
    let mut at = FIXED_LEN;
    std::iter::from_fn(move || {
        if at + 4 > end {
            return None;
        }
        let len = 4 + usize::from(u8_at(b, at + 3) & 0x1f) * 4;
        if at + len > end {
            return None;
        }
        let o = GeneveOption { start: at, len, class: be16(b, at..at + 2), kind: u8_at(b, at + 2) };
        at += len;
        Some(o)
    })
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

    #[test]
    fn ovn_option_is_one_8_byte_tlv() {
        // OVN's option: class 0x0102, type 0x80 (critical), length 1 (4 bytes of data).
        let h = [0x02, 0x40, 0x65, 0x58, 0, 0, 0x0a, 0, 0x01, 0x02, 0x80, 0x01, 0, 1, 0, 2];
        let o: Vec<_> = options(&h).collect();
        assert_eq!(o, [GeneveOption { start: 8, len: 8, class: OVN_CLASS, kind: 0x80 }]);
        assert_eq!(o[0].name(), "Option: OVN (class 0x0102)");
        // A length running past the header ends the list.
        let mut bad = h;
        bad[11] = 3;
        assert_eq!(options(&bad).count(), 0);
    }
}
