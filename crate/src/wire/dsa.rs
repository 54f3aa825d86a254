//! Switch-chip tags that Linux DSA conduits capture (tcpdump.org link types
//! 281, 282, 284, 285): Ethernet frames with a vendor tag the switch uses to
//! say which port a frame came from or goes to. Broadcom's 4-byte tag sits
//! after the source MAC (281) or before the destination MAC (282); Marvell's
//! 4-byte DSA tag after the source MAC (284), or 8 bytes with its own
//! EtherType in EDSA (285, Linux `net/dsa/tag_edsa.c`). After the tag the
//! frame continues with its EtherType.

use super::link::LinkType;
use super::{be16, be32, decode, u8_at, Field, FieldDef, Value};

/// Which tag a link type carries, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SwitchTag {
    /// LINKTYPE_DSA_TAG_BRCM (281): 4 bytes after the source MAC.
    Brcm,
    /// LINKTYPE_DSA_TAG_BRCM_PREPEND (282): 4 bytes before the destination MAC.
    BrcmPrepend,
    /// LINKTYPE_DSA_TAG_DSA (284): Marvell DSA, 4 bytes after the source MAC.
    Dsa,
    /// LINKTYPE_DSA_TAG_EDSA (285): Marvell EtherType DSA, 8 bytes after the source MAC.
    Edsa,
}

pub mod field {
    use super::Field;
    /// Broadcom: opcode (3 bits) and opcode-specific fields, the port in the low bits.
    pub const BRCM_TAG: Field = 0..4;
    /// Marvell DSA: mode (2 bits), tagged, source device (5 bits), source port (5 bits), ...
    pub const DSA_TAG: Field = 0..4;
    pub const EDSA_ETHERTYPE: Field = 0..2;
    pub const EDSA_RESERVED: Field = 2..4;
    pub const EDSA_TAG: Field = 4..8;
}

pub const TAG_LEN: usize = 4;
pub const EDSA_LEN: usize = field::EDSA_TAG.end;

pub static BRCM_FIELDS: &[FieldDef] = &[FieldDef { name: "Broadcom tag", range: field::BRCM_TAG, decode: brcm }];
pub static DSA_FIELDS: &[FieldDef] = &[FieldDef { name: "DSA tag", range: field::DSA_TAG, decode: dsa }];
pub static EDSA_FIELDS: &[FieldDef] = &[
    FieldDef {
        name: "EDSA EtherType",
        range: field::EDSA_ETHERTYPE,
        decode: |b| decode::hex(b, field::EDSA_ETHERTYPE),
    },
    FieldDef { name: "Reserved", range: field::EDSA_RESERVED, decode: |b| decode::hex(b, field::EDSA_RESERVED) },
    FieldDef { name: "DSA tag", range: field::EDSA_TAG, decode: |b| dsa(b.get(field::EDSA_TAG).unwrap_or(&[])) },
];

impl SwitchTag {
    pub const fn of(link: LinkType) -> Option<SwitchTag> {
        match link.0 {
            281 => Some(SwitchTag::Brcm),
            282 => Some(SwitchTag::BrcmPrepend),
            284 => Some(SwitchTag::Dsa),
            285 => Some(SwitchTag::Edsa),
            _ => None,
        }
    }

    pub const fn size(self) -> usize {
        match self {
            SwitchTag::Brcm | SwitchTag::BrcmPrepend | SwitchTag::Dsa => TAG_LEN,
            SwitchTag::Edsa => EDSA_LEN,
        }
    }

    /// The tag comes before the destination MAC rather than after the source MAC.
    pub const fn prepended(self) -> bool {
        matches!(self, SwitchTag::BrcmPrepend)
    }

    pub fn fields(self) -> &'static [FieldDef] {
        match self {
            SwitchTag::Brcm | SwitchTag::BrcmPrepend => BRCM_FIELDS,
            SwitchTag::Dsa => DSA_FIELDS,
            SwitchTag::Edsa => EDSA_FIELDS,
        }
    }
}

fn brcm(b: &[u8]) -> Value {
    let t = be32(b, field::BRCM_TAG);
    // Opcode 0 (to the CPU, "egress"): the source port in the low 5 bits; opcode 1: a port bitmap.
    match t >> 29 {
        0 => Value::Text(format!("opcode 0 (to CPU) / port {}", t & 0x1f)),
        op => Value::Text(format!("opcode {op} / 0x{:07x}", t & 0x1fff_ffff)),
    }
}

fn dsa(b: &[u8]) -> Value {
    let mode = match u8_at(b, 0) >> 6 {
        0 => "to CPU",
        1 => "from CPU",
        2 => "to sniffer",
        _ => "forward",
    };
    let v = be16(b, 0..2);
    Value::Text(format!("{mode} / device {} / port {}", v >> 8 & 0x1f, (v >> 3) & 0x1f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_types_and_lengths() {
        assert_eq!(SwitchTag::of(LinkType(281)), Some(SwitchTag::Brcm));
        assert_eq!(SwitchTag::of(LinkType(285)).map(SwitchTag::size), Some(8));
        assert!(SwitchTag::of(LinkType(282)).is_some_and(SwitchTag::prepended));
        assert_eq!(SwitchTag::of(LinkType(283)), None, "283 is IEEE 802.15.4 TAP, not a switch tag");
    }

    #[test]
    fn tags_decode_their_ports() {
        assert_eq!(dsa(&[0x40, 0x18, 0x00, 0x00]).to_string(), "from CPU / device 0 / port 3");
        assert_eq!(brcm(&[0x00, 0x00, 0x00, 0x05]).to_string(), "opcode 0 (to CPU) / port 5");
        let edsa = [0xda, 0xda, 0, 0, 0x00, 0x20, 0, 0];
        assert_eq!((EDSA_FIELDS[2].decode)(&edsa).to_string(), "to CPU / device 0 / port 4");
    }
}
