//! Ethernet II and IEEE 802.3 MAC header (IEEE 802.3-2022 clause 3.2).

use super::{decode, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    pub const DESTINATION: Field = 0..6;
    pub const SOURCE: Field = 6..12;
    /// EtherType (≥ 0x0600) or 802.3 length (≤ 1500): IEEE 802.3 clause 3.2.6.
    pub const ETHERTYPE: Field = 12..14;
}

pub const HEADER_LEN: usize = field::ETHERTYPE.end;
/// Minimum frame without FCS: 64 bytes on the wire minus the 4-byte FCS.
pub const MIN_FRAME_LEN: usize = 60;
/// Minimum MAC client data (payload after the 14-byte header).
pub const MIN_PAYLOAD_LEN: usize = 46;
pub const FCS_LEN: usize = 4;
/// Largest value of the type/length field that is a length (IEEE 802.3 clause 3.2.6).
pub const MAX_LENGTH_FIELD: u16 = 1500;
/// Smallest value that is an EtherType.
pub const MIN_ETHERTYPE: u16 = 0x0600;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "Destination", range: field::DESTINATION, decode: |b| decode::mac(b, field::DESTINATION) },
    FieldDef { name: "Source", range: field::SOURCE, decode: |b| decode::mac(b, field::SOURCE) },
    FieldDef { name: "Type/length", range: field::ETHERTYPE, decode: type_or_length },
];
/// The two addresses alone, for frames whose type field a switch tag pushed back ([`super::dsa`]).
pub static ADDRESS_FIELDS: &[FieldDef] = FIELDS.split_at(2).0;
/// The type/length field alone, relative to its own first byte.
pub static TYPE_FIELDS: &[FieldDef] = &[FieldDef {
    name: "Type/length",
    range: 0..2,
    decode: |b| match b.get(0..2) {
        Some(t) => decode::ethertype(t, 0..2),
        None => Value::Num(0),
    },
}];
/// Bytes of the two MAC addresses.
pub const ADDRESSES_LEN: usize = field::SOURCE.end;

fn type_or_length(b: &[u8]) -> Value {
    let v = super::be16(b, field::ETHERTYPE);
    if v <= MAX_LENGTH_FIELD {
        Value::Text(format!("{v} (802.3 length)"))
    } else {
        decode::ethertype(b, field::ETHERTYPE)
    }
}

pub mod ethertype {
    pub const IPV4: u16 = 0x0800;
    pub const ARP: u16 = 0x0806;
    /// Reverse ARP (RFC 903): ARP's packet format.
    pub const RARP: u16 = 0x8035;
    pub const VLAN: u16 = 0x8100;
    pub const QINQ: u16 = 0x88a8;
    /// Pre-standard QinQ TPIDs still seen on real networks.
    pub const QINQ_OLD_1: u16 = 0x9100;
    pub const QINQ_OLD_2: u16 = 0x9200;
    pub const IPV6: u16 = 0x86dd;
    pub const MPLS_UNICAST: u16 = 0x8847;
    pub const MPLS_MULTICAST: u16 = 0x8848;
    pub const PPPOE_DISCOVERY: u16 = 0x8863;
    pub const PPPOE_SESSION: u16 = 0x8864;
    pub const LLDP: u16 = 0x88cc;
    /// Transparent Ethernet bridging: an Ethernet frame inside GRE or Geneve.
    pub const TEB: u16 = 0x6558;
    pub const ERSPAN_2: u16 = 0x88be;
    pub const ERSPAN_3: u16 = 0x22eb;
    pub const VNTAG: u16 = 0x8926;
    pub const ARISTA: u16 = 0xd28b;
    /// IEEE 802.1ah backbone service instance tag (PBB, MAC-in-MAC).
    pub const PBB_ITAG: u16 = 0x88e7;
    /// IEEE 802.1BR E-TAG.
    pub const ETAG: u16 = 0x893f;
    /// Network Service Header (RFC 8300).
    pub const NSH: u16 = 0x894f;
    /// IEEE 802.1AE MACsec.
    pub const MACSEC: u16 = 0x88e5;
}

/// Names of the EtherTypes Framelens meets in captures.
pub fn ethertype_name(v: u16) -> Option<&'static str> {
    use ethertype::*;
    Some(match v {
        IPV4 => "IPv4",
        ARP => "ARP",
        VLAN => "802.1Q",
        QINQ => "802.1ad",
        QINQ_OLD_1 | QINQ_OLD_2 => "QinQ (pre-standard)",
        IPV6 => "IPv6",
        MPLS_UNICAST => "MPLS",
        MPLS_MULTICAST => "MPLS multicast",
        PPPOE_DISCOVERY => "PPPoE discovery",
        PPPOE_SESSION => "PPPoE session",
        LLDP => "LLDP",
        TEB => "Transparent Ethernet bridging",
        ERSPAN_2 => "ERSPAN type II",
        ERSPAN_3 => "ERSPAN type III",
        RARP => "RARP",
        0x888e => "EAPOL",
        MACSEC => "MACsec",
        0x88f7 => "PTP",
        0x8809 => "Slow protocols (LACP)",
        0x0842 => "Wake-on-LAN",
        0x22f0 => "AVTP",
        0x9000 => "Loopback",
        VNTAG => "VN-Tag",
        PBB_ITAG => "802.1ah I-TAG",
        ETAG => "802.1BR E-TAG",
        ARISTA => "Arista timestamp",
        0x8906 => "FCoE",
        0x8914 => "FIP",
        NSH => "NSH",
        0x88b5 | 0x88b6 => "local experimental",
        _ => return None,
    })
}

/// True when the field is an 802.3 length rather than an EtherType.
pub const fn is_length(v: u16) -> bool {
    v <= MAX_LENGTH_FIELD
}

/// True for the TPIDs of 802.1Q and 802.1ad tags.
pub const fn is_vlan_tpid(v: u16) -> bool {
    matches!(v, ethertype::VLAN | ethertype::QINQ | ethertype::QINQ_OLD_1 | ethertype::QINQ_OLD_2)
}

/// Ethernet CRC-32 (IEEE 802.3 clause 3.2.9) over `frame`, compared with the
/// FCS stored least-significant byte first.
pub fn crc_matches(frame: &[u8], fcs: &[u8]) -> bool {
    match fcs {
        [a, b, c, e] => crc32fast::hash(frame) == u32::from_le_bytes([*a, *b, *c, *e]),
        _ => false,
    }
}

/// The FCS a frame should carry, least-significant byte first.
pub fn fcs_of(frame: &[u8]) -> [u8; 4] {
    crc32fast::hash(frame).to_le_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{be16, emit_table, Layer, Span};

    const FRAME: [u8; 14] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef, 0x08, 0x00];

    #[test]
    fn deconstruct_ethernet_ii() {
        assert_eq!(be16(&FRAME, field::ETHERTYPE), ethertype::IPV4);
        let mut spans: Vec<Span> = Vec::new();
        emit_table(&mut spans, Layer::Ethernet, 0, 0, &FRAME, FIELDS);
        assert_eq!(spans.len(), 3);
        assert_eq!(spans[0].value.to_string(), "52:54:00:12:34:56");
        assert_eq!(spans[2].value.to_string(), "0x0800 (IPv4)");
        assert_eq!((spans[2].start, spans[2].end), (12, 14));
    }

    #[test]
    fn type_field_boundary_between_length_and_ethertype() {
        assert!(is_length(1500));
        assert!(!is_length(1536));
        let mut f = FRAME;
        f[12..14].copy_from_slice(&46u16.to_be_bytes());
        assert_eq!(type_or_length(&f).to_string(), "46 (802.3 length)");
    }
}
