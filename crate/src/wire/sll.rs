//! Linux cooked capture header, version 1 (LINKTYPE_LINUX_SLL, 113): what
//! `tcpdump -i any` writes in place of the link-layer header.

use super::{be16, decode, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    pub const PKTTYPE: Field = 0..2;
    pub const ARPHRD: Field = 2..4;
    pub const ADDR_LEN: Field = 4..6;
    pub const ADDR: Field = 6..14;
    pub const PROTOCOL: Field = 14..16;
}

pub const HEADER_LEN: usize = field::PROTOCOL.end;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "Packet type", range: field::PKTTYPE, decode: |b| packet_type_value(be16(b, field::PKTTYPE)) },
    FieldDef { name: "ARPHRD type", range: field::ARPHRD, decode: |b| decode::num(b, field::ARPHRD) },
    FieldDef { name: "Address length", range: field::ADDR_LEN, decode: |b| decode::bytes(b, field::ADDR_LEN) },
    FieldDef { name: "Address", range: field::ADDR, decode: |b| decode::hex(b, field::ADDR) },
    FieldDef { name: "Protocol", range: field::PROTOCOL, decode: |b| decode::ethertype(b, field::PROTOCOL) },
];

/// `PACKET_OUTGOING`: the frame was sent by the capturing host, before any
/// NIC padding.
pub const OUTGOING: u16 = 4;
/// `ARPHRD_ETHER` (linux/if_arp.h): the address is a 6-byte MAC.
pub const ARPHRD_ETHER: u16 = 1;
/// `ETH_P_802_2` (linux/if_ether.h): the protocol field's pseudo-protocol
/// for an 802.2 LLC frame, which has no EtherType.
pub const ETH_P_802_2: u16 = 0x0004;

pub fn packet_type_value(t: u16) -> Value {
    let name = match t {
        0 => "to us",
        1 => "broadcast",
        2 => "multicast",
        3 => "to another host",
        OUTGOING => "sent by us",
        _ => return Value::Num(t.into()),
    };
    Value::Text(format!("{t} ({name})"))
}

pub fn packet_type(b: &[u8]) -> u16 {
    be16(b, field::PKTTYPE)
}
pub fn protocol(b: &[u8]) -> u16 {
    be16(b, field::PROTOCOL)
}
pub fn arphrd(b: &[u8]) -> u16 {
    be16(b, field::ARPHRD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outgoing_ipv4() {
        let h = [0, 4, 0, 1, 0, 6, 0x52, 0x54, 0, 0x12, 0x34, 0x56, 0, 0, 0x08, 0x00];
        assert_eq!(packet_type(&h), OUTGOING);
        assert_eq!(protocol(&h), 0x0800);
        assert_eq!(packet_type_value(4).to_string(), "4 (sent by us)");
    }
}
