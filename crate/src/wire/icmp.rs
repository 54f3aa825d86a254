//! ICMP for IPv4 (RFC 792; RFC 1191 section 4 for the next-hop MTU).

use super::{be16, decode, u8_at, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    pub const TYPE: Field = 0..1;
    pub const CODE: Field = 1..2;
    pub const CHECKSUM: Field = 2..4;
    /// Echo: identifier and sequence number.
    pub const IDENT: Field = 4..6;
    pub const SEQ: Field = 6..8;
    /// Destination unreachable, code 4: the next-hop MTU (RFC 1191).
    pub const NEXT_HOP_MTU: Field = 6..8;
}

pub const HEADER_LEN: usize = 8;
pub const ECHO_REPLY: u8 = 0;
pub const DEST_UNREACHABLE: u8 = 3;
pub const ECHO_REQUEST: u8 = 8;
pub const FRAG_NEEDED: u8 = 4;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "Type", range: field::TYPE, decode: kind },
    FieldDef { name: "Code", range: field::CODE, decode: |b| decode::num(b, field::CODE) },
    FieldDef { name: "Checksum", range: field::CHECKSUM, decode: |b| decode::hex(b, field::CHECKSUM) },
];

pub static ECHO_FIELDS: &[FieldDef] = &[
    FieldDef { name: "Identifier", range: field::IDENT, decode: |b| decode::hex(b, field::IDENT) },
    FieldDef { name: "Sequence", range: field::SEQ, decode: |b| decode::num(b, field::SEQ) },
];

pub static FRAG_NEEDED_FIELDS: &[FieldDef] = &[
    FieldDef { name: "Unused", range: field::IDENT, decode: |b| decode::hex(b, field::IDENT) },
    FieldDef { name: "Next-hop MTU", range: field::NEXT_HOP_MTU, decode: |b| decode::num(b, field::NEXT_HOP_MTU) },
];

pub static REST_FIELDS: &[FieldDef] =
    &[FieldDef { name: "Rest of header", range: 4..8, decode: |b| decode::hex(b, 4..8) }];

pub fn icmp_type(b: &[u8]) -> u8 {
    u8_at(b, field::TYPE.start)
}
pub fn code(b: &[u8]) -> u8 {
    u8_at(b, field::CODE.start)
}
pub fn ident(b: &[u8]) -> u16 {
    be16(b, field::IDENT)
}
pub fn seq(b: &[u8]) -> u16 {
    be16(b, field::SEQ)
}
pub fn next_hop_mtu(b: &[u8]) -> u16 {
    be16(b, field::NEXT_HOP_MTU)
}

fn kind(b: &[u8]) -> Value {
    let t = icmp_type(b);
    let name = match t {
        ECHO_REPLY => "echo reply",
        DEST_UNREACHABLE if code(b) == FRAG_NEEDED => "fragmentation needed",
        DEST_UNREACHABLE => "destination unreachable",
        5 => "redirect",
        ECHO_REQUEST => "echo request",
        11 => "time exceeded",
        _ => return Value::Num(t.into()),
    };
    Value::Text(format!("{t} ({name})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frag_needed_carries_mtu() {
        let h = [3, 4, 0, 0, 0, 0, 0x05, 0x78];
        assert_eq!(next_hop_mtu(&h), 1400);
        assert_eq!(kind(&h).to_string(), "3 (fragmentation needed)");
        let echo = [8, 0, 0, 0, 0x12, 0x34, 0, 7];
        assert_eq!((ident(&echo), seq(&echo)), (0x1234, 7));
    }
}
