//! ARP (RFC 826). The packet's length follows from its own address lengths:
//! 8 + 2 × (hardware length + protocol length) bytes.

use super::{be16, decode, u8_at, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    pub const HTYPE: Field = 0..2;
    pub const PTYPE: Field = 2..4;
    pub const HLEN: Field = 4..5;
    pub const PLEN: Field = 5..6;
    pub const OPER: Field = 6..8;
}

pub const FIXED_LEN: usize = field::OPER.end;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "Hardware type", range: field::HTYPE, decode: |b| decode::num(b, field::HTYPE) },
    FieldDef { name: "Protocol type", range: field::PTYPE, decode: |b| decode::ethertype(b, field::PTYPE) },
    FieldDef { name: "Hardware size", range: field::HLEN, decode: |b| decode::bytes(b, field::HLEN) },
    FieldDef { name: "Protocol size", range: field::PLEN, decode: |b| decode::bytes(b, field::PLEN) },
    FieldDef { name: "Opcode", range: field::OPER, decode: opcode },
];

fn opcode(b: &[u8]) -> Value {
    let v = be16(b, field::OPER);
    match v {
        1 => Value::Named { value: 1, bytes: 2, name: "request" },
        2 => Value::Named { value: 2, bytes: 2, name: "reply" },
        _ => Value::Num(v.into()),
    }
}

pub fn hlen(b: &[u8]) -> usize {
    usize::from(u8_at(b, field::HLEN.start))
}

pub fn plen(b: &[u8]) -> usize {
    usize::from(u8_at(b, field::PLEN.start))
}

/// The whole ARP packet's length as its header declares it.
pub fn packet_len(b: &[u8]) -> usize {
    FIXED_LEN + 2 * (hlen(b) + plen(b))
}

/// The four address fields after the fixed part: (name, range).
pub fn address_fields(b: &[u8]) -> [(&'static str, Field); 4] {
    let (h, p) = (hlen(b), plen(b));
    let sha = FIXED_LEN..FIXED_LEN + h;
    let spa = sha.end..sha.end + p;
    let tha = spa.end..spa.end + h;
    let tpa = tha.end..tha.end + p;
    [
        ("Sender hardware address", sha),
        ("Sender protocol address", spa),
        ("Target hardware address", tha),
        ("Target protocol address", tpa),
    ]
}

/// Decodes an address field by its size: MAC, IPv4 or raw hex.
pub fn address_value(b: &[u8], f: Field) -> Value {
    match f.len() {
        6 => decode::mac(b, f),
        4 => decode::ipv4(b, f),
        16 => decode::ipv6(b, f),
        _ => decode::hex(b, f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ethernet_ipv4_arp_is_28_bytes() {
        let h = [0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01];
        assert_eq!(packet_len(&h), 28);
        let f = address_fields(&h);
        assert_eq!(f[3].1, 24..28);
        assert_eq!(opcode(&h).to_string(), "0x0001 (request)");
    }
}
