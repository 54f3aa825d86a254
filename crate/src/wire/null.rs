//! BSD loopback encapsulation (LINKTYPE_NULL 0, in the capturing host's byte
//! order; LINKTYPE_LOOP 108, always big-endian): a 4-byte address family.

use super::{Field, FieldDef, Value};

pub mod field {
    use super::Field;
    pub const FAMILY: Field = 0..4;
}

pub const HEADER_LEN: usize = field::FAMILY.end;

pub static FIELDS: &[FieldDef] =
    &[FieldDef { name: "Address family", range: field::FAMILY, decode: |b| family_value(family(b)) }];

/// The address family, read in whichever byte order gives a small number:
/// the writer's byte order is not recorded for LINKTYPE_NULL.
pub fn family(b: &[u8]) -> u32 {
    let raw: [u8; 4] = super::array(b, field::FAMILY);
    let le = u32::from_le_bytes(raw);
    let be = u32::from_be_bytes(raw);
    le.min(be)
}

/// AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD),
/// 30 (macOS), 10 (Linux).
pub fn is_ipv6_family(f: u32) -> bool {
    matches!(f, 10 | 24 | 28 | 30)
}

fn family_value(f: u32) -> Value {
    match f {
        2 => Value::Text("2 (IPv4)".into()),
        f if is_ipv6_family(f) => Value::Text(format!("{f} (IPv6)")),
        f => Value::Num(f.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_in_either_byte_order() {
        assert_eq!(family(&[2, 0, 0, 0]), 2);
        assert_eq!(family(&[0, 0, 0, 2]), 2);
        assert!(is_ipv6_family(family(&[30, 0, 0, 0])));
    }
}
