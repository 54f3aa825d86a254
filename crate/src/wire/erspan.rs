//! ERSPAN type II and III headers (draft-foschiano-erspan-03 sections 4.1, 4.2)
//! between GRE and the mirrored Ethernet frame.

use super::{be16, decode, u8_at, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    /// Version (4 bits) and the original VLAN (12 bits).
    pub const VER_VLAN: Field = 0..2;
    /// CoS, encapsulation type, truncated flag, session ID.
    pub const COS_SESSION: Field = 2..4;
    /// Type II: reserved + index. Type III: timestamp.
    pub const WORD_2: Field = 4..8;
    /// Type III only.
    pub const SGT: Field = 8..10;
    pub const FLAGS: Field = 10..12;
}

pub const TYPE2_LEN: usize = field::WORD_2.end;
pub const TYPE3_LEN: usize = field::FLAGS.end;
/// Type III's optional platform-specific subheader, present when the O flag is set.
pub const TYPE3_PLATFORM_LEN: usize = 8;

pub static TYPE2_FIELDS: &[FieldDef] = &[
    FieldDef { name: "Version / VLAN", range: field::VER_VLAN, decode: ver_vlan },
    FieldDef {
        name: "CoS / En / T / session",
        range: field::COS_SESSION,
        decode: |b| Value::Text(format!("session {}", be16(b, field::COS_SESSION) & 0x3ff)),
    },
    FieldDef { name: "Index", range: field::WORD_2, decode: |b| decode::hex(b, field::WORD_2) },
];

pub static TYPE3_FIELDS: &[FieldDef] = &[
    FieldDef { name: "Version / VLAN", range: field::VER_VLAN, decode: ver_vlan },
    FieldDef {
        name: "CoS / BSO / T / session",
        range: field::COS_SESSION,
        decode: |b| Value::Text(format!("session {}", be16(b, field::COS_SESSION) & 0x3ff)),
    },
    FieldDef { name: "Timestamp", range: field::WORD_2, decode: |b| decode::num(b, field::WORD_2) },
    FieldDef { name: "SGT", range: field::SGT, decode: |b| decode::num(b, field::SGT) },
    FieldDef { name: "P / FT / HW ID / D / Gra / O", range: field::FLAGS, decode: |b| decode::hex(b, field::FLAGS) },
];

pub fn version(b: &[u8]) -> u8 {
    u8_at(b, 0) >> 4
}

/// Header length by version: 1 is type II, 2 is type III (with its optional subheader).
pub fn header_len(b: &[u8]) -> Option<usize> {
    match version(b) {
        1 => Some(TYPE2_LEN),
        2 => Some(TYPE3_LEN + if be16(b, field::FLAGS) & 1 != 0 { TYPE3_PLATFORM_LEN } else { 0 }),
        _ => None,
    }
}

fn ver_vlan(b: &[u8]) -> Value {
    let v = be16(b, field::VER_VLAN);
    Value::Text(format!("version {} / VLAN {}", v >> 12, v & 0x0fff))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_three_with_and_without_platform_subheader() {
        let mut h = [0x20, 0x64, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(header_len(&h), Some(12));
        h[11] = 1;
        assert_eq!(header_len(&h), Some(20));
        assert_eq!(header_len(&[0x10, 0, 0, 0, 0, 0, 0, 0]), Some(8));
        assert_eq!(header_len(&[0x30, 0]), None);
    }
}
