//! PPPoE (RFC 2516 section 4) and the PPP protocol field of session frames.

use super::{be16, decode, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    pub const VER_TYPE: Field = 0..1;
    pub const CODE: Field = 1..2;
    pub const SESSION_ID: Field = 2..4;
    /// Length of the PPPoE payload, excluding this 6-byte header (RFC 2516 section 4).
    pub const LENGTH: Field = 4..6;
}

pub mod ppp_field {
    use super::Field;
    pub const PROTOCOL: Field = 0..2;
}

pub const HEADER_LEN: usize = field::LENGTH.end;
pub const PPP_HEADER_LEN: usize = ppp_field::PROTOCOL.end;

pub const PPP_IPV4: u16 = 0x0021;
pub const PPP_IPV6: u16 = 0x0057;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "Version / type", range: field::VER_TYPE, decode: |b| decode::hex(b, field::VER_TYPE) },
    FieldDef { name: "Code", range: field::CODE, decode: |b| decode::hex(b, field::CODE) },
    FieldDef { name: "Session ID", range: field::SESSION_ID, decode: |b| decode::hex(b, field::SESSION_ID) },
    FieldDef { name: "Payload length", range: field::LENGTH, decode: |b| decode::bytes(b, field::LENGTH) },
];

pub static PPP_FIELDS: &[FieldDef] = &[FieldDef { name: "Protocol", range: ppp_field::PROTOCOL, decode: ppp_protocol }];

pub fn payload_len(b: &[u8]) -> usize {
    usize::from(be16(b, field::LENGTH))
}

fn ppp_protocol(b: &[u8]) -> Value {
    let v = be16(b, ppp_field::PROTOCOL);
    let name = match v {
        PPP_IPV4 => "IPv4",
        PPP_IPV6 => "IPv6",
        0xc021 => "LCP",
        0xc023 => "PAP",
        0xc223 => "CHAP",
        0x8021 => "IPCP",
        0x8057 => "IPv6CP",
        _ => return Value::Hex { value: v.into(), bytes: 2 },
    };
    Value::Named { value: v.into(), bytes: 2, name }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_header_with_ppp_ipv4() {
        let h = [0x11, 0x00, 0x00, 0x01, 0x00, 0x2a, 0x00, 0x21];
        assert_eq!(payload_len(&h), 42);
        assert_eq!(be16(&h[HEADER_LEN..], ppp_field::PROTOCOL), PPP_IPV4);
        assert_eq!(ppp_protocol(&h[HEADER_LEN..]).to_string(), "0x0021 (IPv4)");
    }
}
