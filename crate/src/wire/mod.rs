//! Protocol tables: one file per protocol, in the manner of smoltcp's `src/wire/`.
//!
//! Each protocol file has a `field` module of named byte ranges and a
//! `FIELDS` table that names them for the anatomy; [`ip`] holds the protocol
//! numbers and [`link`] the capture link types. Those tables are the only
//! place where field names and offsets live: the dissector reads values through
//! the same constants, and the anatomy view lists spans from the same table.
//!
//! Readers here never panic: a range that lies outside the slice reads as zero.
//! The dissector checks each header's length once before it uses the header,
//! so a zero from an out-of-range read never reaches a verdict.

use core::ops::Range;

pub mod arista;
pub mod arp;
pub mod dsa;
pub mod erspan;
pub mod etag;
pub mod ethernet;
pub mod geneve;
pub mod gre;
pub mod icmp;
pub mod icmpv6;
pub mod ip;
pub mod ipv4;
pub mod ipv6;
pub mod isl;
pub mod link;
pub mod llc;
pub mod lldp;
pub mod macsec;
pub mod mpls;
pub mod nsh;
pub mod null;
pub mod pbb;
pub mod pppoe;
pub mod sll;
pub mod sll2;
pub mod tcp;
pub mod udp;
pub mod vlan;
pub mod vntag;
pub mod vxlan;

/// A byte range inside one header, relative to the header's first byte.
pub type Field = Range<usize>;

/// A named field of a protocol table.
pub struct FieldDef {
    /// Field name as the anatomy shows it ("Total length").
    pub name: &'static str,
    /// Where the field sits inside the header.
    pub range: Field,
    /// How to decode the field from the header bytes.
    pub decode: fn(&[u8]) -> Value,
}

/// A decoded field value, formatted lazily: the scan never builds one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A plain number.
    Num(u64),
    /// A number best read in hexadecimal, with its width in bytes.
    Hex {
        value: u64,
        bytes: u8,
    },
    /// A number with its well-known meaning ("0x0800 IPv4", "17 UDP").
    Named {
        value: u64,
        bytes: u8,
        name: &'static str,
    },
    /// A length in bytes, possibly with a remark.
    Bytes(u64),
    Mac([u8; 6]),
    Ipv4([u8; 4]),
    Ipv6([u8; 16]),
    /// Free text (flag lists, composite fields).
    Text(String),
}

impl core::fmt::Display for Value {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Value::Num(v) => write!(f, "{v}"),
            Value::Hex { value, bytes } => write!(f, "0x{value:0w$x}", w = usize::from(*bytes) * 2),
            Value::Named { value, bytes, name } => {
                write!(f, "0x{value:0w$x} ({name})", w = usize::from(*bytes) * 2)
            }
            Value::Bytes(n) => write!(f, "{n} bytes"),
            Value::Mac(m) => write!(f, "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m[0], m[1], m[2], m[3], m[4], m[5]),
            Value::Ipv4(a) => write!(f, "{}", core::net::Ipv4Addr::from(*a)),
            Value::Ipv6(a) => write!(f, "{}", core::net::Ipv6Addr::from(*a)),
            Value::Text(t) => f.write_str(t),
        }
    }
}

/// Reads one byte; out of range reads as 0.
#[inline]
pub fn u8_at(b: &[u8], at: usize) -> u8 {
    b.get(at).copied().unwrap_or(0)
}

/// Reads a big-endian u16 from a two-byte field; out of range reads as 0.
#[inline]
pub fn be16(b: &[u8], f: Field) -> u16 {
    match b.get(f) {
        Some(&[hi, lo]) => u16::from_be_bytes([hi, lo]),
        _ => 0,
    }
}

/// Reads a big-endian u32 from a four-byte field; out of range reads as 0.
#[inline]
pub fn be32(b: &[u8], f: Field) -> u32 {
    match b.get(f) {
        Some(&[a, b2, c, d]) => u32::from_be_bytes([a, b2, c, d]),
        _ => 0,
    }
}

/// Reads a big-endian unsigned number of up to 8 bytes; out of range reads as 0.
#[inline]
pub fn be_uint(b: &[u8], f: Field) -> u64 {
    match b.get(f) {
        Some(s) if s.len() <= 8 => s.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x)),
        _ => 0,
    }
}

/// Reads a fixed-size byte array; out of range reads as zeros.
#[inline]
pub fn array<const N: usize>(b: &[u8], f: Field) -> [u8; N] {
    b.get(f).and_then(|s| <[u8; N]>::try_from(s).ok()).unwrap_or([0; N])
}

/// Decoders shared by many tables.
pub mod decode {
    use super::{array, be_uint, Field, Value};

    pub fn num(b: &[u8], f: Field) -> Value {
        Value::Num(be_uint(b, f))
    }
    pub fn hex(b: &[u8], f: Field) -> Value {
        let bytes = f.len() as u8;
        Value::Hex { value: be_uint(b, f), bytes }
    }
    pub fn bytes(b: &[u8], f: Field) -> Value {
        Value::Bytes(be_uint(b, f))
    }
    pub fn mac(b: &[u8], f: Field) -> Value {
        Value::Mac(array(b, f))
    }
    pub fn ipv4(b: &[u8], f: Field) -> Value {
        Value::Ipv4(array(b, f))
    }
    pub fn ipv6(b: &[u8], f: Field) -> Value {
        Value::Ipv6(array(b, f))
    }
    pub fn ethertype(b: &[u8], f: Field) -> Value {
        let value = be_uint(b, f);
        match super::ethernet::ethertype_name(value as u16) {
            Some(name) => Value::Named { value, bytes: 2, name },
            None => Value::Hex { value, bytes: 2 },
        }
    }
}

/// The protocol a span belongs to. The anatomy colours spans by [`Layer::group`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    LinuxSll,
    LinuxSll2,
    Null,
    Ethernet,
    Isl,
    Vlan,
    VnTag,
    /// IEEE 802.1BR E-TAG.
    ETag,
    /// IEEE 802.1ah I-TAG (provider backbone bridging).
    Pbb,
    /// IEEE 802.1AE SecTAG.
    Macsec,
    /// A switch chip's tag on a Linux DSA conduit (Broadcom, Marvell DSA/EDSA).
    SwitchTag,
    Arista,
    Llc,
    Snap,
    Mpls,
    PseudowireControl,
    Pppoe,
    Ppp,
    Arp,
    Lldp,
    Ipv4,
    Ipv6,
    Ipv6Ext,
    Tcp,
    Udp,
    Icmp,
    Icmpv6,
    Gre,
    Erspan,
    Vxlan,
    Geneve,
    VxlanGpe,
    /// Network Service Header (RFC 8300).
    Nsh,
    /// Bytes the headers describe but that Framelens does not dissect further.
    Payload,
    /// Bytes after the outermost datagram: see [`crate::frame::ledger::RegionKind`].
    Padding,
    Fcs,
    /// MACsec's integrity check value at the end of the secure data.
    Icv,
    Vendor,
    Trailer,
}

/// Colour groups of the anatomy legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerGroup {
    Link,
    Tag,
    Network,
    Transport,
    Tunnel,
    Payload,
    Extra,
}

variants!(LayerGroup[Link, Tag, Network, Transport, Tunnel, Payload, Extra]);

impl Layer {
    /// Short human name, as engineers write it.
    pub const fn name(self) -> &'static str {
        match self {
            Layer::LinuxSll => "Linux cooked (SLL)",
            Layer::LinuxSll2 => "Linux cooked v2 (SLL2)",
            Layer::Null => "BSD loopback",
            Layer::Ethernet => "Ethernet",
            Layer::Isl => "Cisco ISL",
            Layer::Vlan => "802.1Q",
            Layer::VnTag => "VN-Tag",
            Layer::ETag => "802.1BR E-TAG",
            Layer::Pbb => "802.1ah I-TAG",
            Layer::Macsec => "MACsec SecTAG",
            Layer::SwitchTag => "switch tag",
            Layer::Arista => "Arista timestamp",
            Layer::Llc => "LLC",
            Layer::Snap => "SNAP",
            Layer::Mpls => "MPLS",
            Layer::PseudowireControl => "PW control word",
            Layer::Pppoe => "PPPoE",
            Layer::Ppp => "PPP",
            Layer::Arp => "ARP",
            Layer::Lldp => "LLDP",
            Layer::Ipv4 => "IPv4",
            Layer::Ipv6 => "IPv6",
            Layer::Ipv6Ext => "IPv6 ext",
            Layer::Tcp => "TCP",
            Layer::Udp => "UDP",
            Layer::Icmp => "ICMP",
            Layer::Icmpv6 => "ICMPv6",
            Layer::Gre => "GRE",
            Layer::Erspan => "ERSPAN",
            Layer::Vxlan => "VXLAN",
            Layer::Geneve => "Geneve",
            Layer::VxlanGpe => "VXLAN-GPE",
            Layer::Nsh => "NSH",
            Layer::Payload => "payload",
            Layer::Padding => "padding",
            Layer::Fcs => "FCS",
            Layer::Icv => "MACsec ICV",
            Layer::Vendor => "vendor trailer",
            Layer::Trailer => "unexplained",
        }
    }

    pub const fn group(self) -> LayerGroup {
        match self {
            Layer::LinuxSll | Layer::LinuxSll2 | Layer::Null | Layer::Ethernet | Layer::Isl => LayerGroup::Link,
            Layer::Vlan
            | Layer::VnTag
            | Layer::ETag
            | Layer::Pbb
            | Layer::Macsec
            | Layer::SwitchTag
            | Layer::Arista
            | Layer::Mpls
            | Layer::PseudowireControl
            | Layer::Llc
            | Layer::Snap => LayerGroup::Tag,
            Layer::Pppoe | Layer::Ppp => LayerGroup::Tag,
            Layer::Arp | Layer::Lldp | Layer::Ipv4 | Layer::Ipv6 | Layer::Ipv6Ext => LayerGroup::Network,
            Layer::Tcp | Layer::Udp | Layer::Icmp | Layer::Icmpv6 => LayerGroup::Transport,
            Layer::Gre | Layer::Erspan | Layer::Vxlan | Layer::Geneve | Layer::VxlanGpe | Layer::Nsh => {
                LayerGroup::Tunnel
            }
            Layer::Payload => LayerGroup::Payload,
            Layer::Padding | Layer::Fcs | Layer::Icv | Layer::Vendor | Layer::Trailer => LayerGroup::Extra,
        }
    }
}

/// One labelled byte range of a frame: the unit of the anatomy.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    pub layer: Layer,
    /// Encapsulation depth: 0 for the outer frame, 1 inside the first tunnel, ...
    pub depth: u8,
    pub name: &'static str,
    /// Offset of the first byte, from the first captured byte of the record.
    pub start: u32,
    /// Offset one past the last byte.
    pub end: u32,
    #[serde(serialize_with = "display")]
    pub value: Value,
}

fn display<S: serde::Serializer>(v: &Value, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// Where the dissector writes spans. The scan uses [`NoSpans`], which the
/// compiler removes entirely; the anatomy of one frame uses a `Vec<Span>`.
pub trait SpanSink {
    const ENABLED: bool;
    fn push(&mut self, span: Span);
}

/// A sink that keeps nothing: the fast path of the capture scan.
pub struct NoSpans;

impl SpanSink for NoSpans {
    const ENABLED: bool = false;
    #[inline(always)]
    fn push(&mut self, _span: Span) {}
}

impl SpanSink for Vec<Span> {
    const ENABLED: bool = true;
    fn push(&mut self, span: Span) {
        Vec::push(self, span);
    }
}

/// Emits a span for every field of `table` that lies inside `header`, which
/// starts at frame offset `base`.
#[inline]
pub fn emit_table<S: SpanSink>(sink: &mut S, layer: Layer, depth: u8, base: usize, header: &[u8], table: &[FieldDef]) {
    if !S::ENABLED {
        return;
    }
    for def in table {
        if def.range.end <= header.len() {
            sink.push(Span {
                layer,
                depth,
                name: def.name,
                start: (base + def.range.start) as u32,
                end: (base + def.range.end) as u32,
                value: (def.decode)(header),
            });
        }
    }
}

/// Emits one span whose value is computed only when spans are kept.
#[inline]
pub fn emit<S: SpanSink>(
    sink: &mut S,
    layer: Layer,
    depth: u8,
    name: &'static str,
    range: Range<usize>,
    value: impl FnOnce() -> Value,
) {
    if S::ENABLED && range.start < range.end {
        sink.push(Span { layer, depth, name, start: range.start as u32, end: range.end as u32, value: value() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_never_panic_out_of_range() {
        assert_eq!(be16(&[1], 0..2), 0);
        assert_eq!(be32(&[1, 2, 3], 0..4), 0);
        assert_eq!(be_uint(&[], 3..9), 0);
        assert_eq!(array::<6>(&[1, 2], 0..6), [0; 6]);
        assert_eq!(u8_at(&[], 5), 0);
    }

    #[test]
    fn values_print_as_engineers_write_them() {
        assert_eq!(Value::Mac([0x52, 0x54, 0, 0x12, 0x34, 0x56]).to_string(), "52:54:00:12:34:56");
        assert_eq!(Value::Hex { value: 0x800, bytes: 2 }.to_string(), "0x0800");
        assert_eq!(Value::Named { value: 0x800, bytes: 2, name: "IPv4" }.to_string(), "0x0800 (IPv4)");
        assert_eq!(Value::Ipv4([10, 0, 0, 1]).to_string(), "10.0.0.1");
    }
}
