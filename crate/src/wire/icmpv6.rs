//! ICMPv6 (RFC 4443): echo (section 4) and Packet Too Big (section 3.2).

use super::{be16, be32, decode, u8_at, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    pub const TYPE: Field = 0..1;
    pub const CODE: Field = 1..2;
    pub const CHECKSUM: Field = 2..4;
    pub const IDENT: Field = 4..6;
    pub const SEQ: Field = 6..8;
    pub const MTU: Field = 4..8;
}

pub const HEADER_LEN: usize = 8;
pub const PACKET_TOO_BIG: u8 = 2;
pub const ECHO_REQUEST: u8 = 128;
pub const ECHO_REPLY: u8 = 129;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "Type", range: field::TYPE, decode: kind },
    FieldDef { name: "Code", range: field::CODE, decode: |b| decode::num(b, field::CODE) },
    FieldDef { name: "Checksum", range: field::CHECKSUM, decode: |b| decode::hex(b, field::CHECKSUM) },
];

pub static ECHO_FIELDS: &[FieldDef] = &[
    FieldDef { name: "Identifier", range: field::IDENT, decode: |b| decode::hex(b, field::IDENT) },
    FieldDef { name: "Sequence", range: field::SEQ, decode: |b| decode::num(b, field::SEQ) },
];

pub static TOO_BIG_FIELDS: &[FieldDef] =
    &[FieldDef { name: "MTU", range: field::MTU, decode: |b| decode::num(b, field::MTU) }];

pub fn icmp_type(b: &[u8]) -> u8 {
    u8_at(b, field::TYPE.start)
}
pub fn ident(b: &[u8]) -> u16 {
    be16(b, field::IDENT)
}
pub fn seq(b: &[u8]) -> u16 {
    be16(b, field::SEQ)
}
pub fn mtu(b: &[u8]) -> u32 {
    be32(b, field::MTU)
}

fn kind(b: &[u8]) -> Value {
    let t = icmp_type(b);
    let name = match t {
        1 => "destination unreachable",
        PACKET_TOO_BIG => "packet too big",
        3 => "time exceeded",
        ECHO_REQUEST => "echo request",
        ECHO_REPLY => "echo reply",
        133 => "router solicitation",
        134 => "router advertisement",
        135 => "neighbor solicitation",
        136 => "neighbor advertisement",
        143 => "MLDv2 report",
        _ => return Value::Num(t.into()),
    };
    Value::Text(format!("{t} ({name})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packet_too_big_mtu() {
        let h = [2, 0, 0, 0, 0, 0, 0x05, 0x00];
        assert_eq!(mtu(&h), 1280);
        assert_eq!(kind(&h).to_string(), "2 (packet too big)");
    }
}
