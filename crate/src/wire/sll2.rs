//! Linux cooked capture header, version 2 (LINKTYPE_LINUX_SLL2, 276).

use super::{be16, decode, u8_at, Field, FieldDef};

pub mod field {
    use super::Field;
    pub const PROTOCOL: Field = 0..2;
    pub const RESERVED: Field = 2..4;
    pub const IFINDEX: Field = 4..8;
    pub const ARPHRD: Field = 8..10;
    pub const PKTTYPE: Field = 10..11;
    pub const ADDR_LEN: Field = 11..12;
    pub const ADDR: Field = 12..20;
}

pub const HEADER_LEN: usize = field::ADDR.end;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "Protocol", range: field::PROTOCOL, decode: |b| decode::ethertype(b, field::PROTOCOL) },
    FieldDef { name: "Reserved", range: field::RESERVED, decode: |b| decode::hex(b, field::RESERVED) },
    FieldDef { name: "Interface index", range: field::IFINDEX, decode: |b| decode::num(b, field::IFINDEX) },
    FieldDef { name: "ARPHRD type", range: field::ARPHRD, decode: |b| decode::num(b, field::ARPHRD) },
    FieldDef { name: "Packet type", range: field::PKTTYPE, decode: |b| super::sll::packet_type_value(packet_type(b)) },
    FieldDef { name: "Address length", range: field::ADDR_LEN, decode: |b| decode::bytes(b, field::ADDR_LEN) },
    FieldDef { name: "Address", range: field::ADDR, decode: |b| decode::hex(b, field::ADDR) },
];

pub fn protocol(b: &[u8]) -> u16 {
    be16(b, field::PROTOCOL)
}
pub fn packet_type(b: &[u8]) -> u16 {
    u8_at(b, field::PKTTYPE.start).into()
}
pub fn arphrd(b: &[u8]) -> u16 {
    be16(b, field::ARPHRD)
}
pub fn ifindex(b: &[u8]) -> u32 {
    super::be32(b, field::IFINDEX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn received_ipv6_on_ifindex_3() {
        let h = [0x86, 0xdd, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0];
        assert_eq!(protocol(&h), 0x86dd);
        assert_eq!(ifindex(&h), 3);
        assert_eq!(packet_type(&h), 0);
    }
}
