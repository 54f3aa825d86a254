//! The filter's fields: one table (name, type, doc, where the value comes
//! from, accessor). Parsing, "did you mean" suggestions, docs/cli.md's field
//! table and the CLI's `--filter help` are all read from [`FIELDS`], so a
//! field is added in one place.

use super::Subject;
use crate::frame::finding::{Finding, FINDINGS};
use crate::frame::ledger::{FcsStatus, RegionKind};
use crate::frame::mtu::drops;
use crate::wire::{self, icmp, icmpv6, ipv4, ipv6, tcp, vlan, Layer};
use std::net::IpAddr;

/// One value a field has in one frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    Int(u64),
    Bool(bool),
    /// A name, as its position in the field's [`Kind::Name`] list.
    Name(u8),
    Mac([u8; 6]),
    Ip(IpAddr),
}

/// What a field's values are, and so which literals and operators it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int,
    Bool,
    /// One of these names (a region kind, an FCS status, a finding key).
    Name(&'static [&'static str]),
    Mac,
    Ip,
}

impl Kind {
    /// What a literal of this kind looks like, for error sentences and docs.
    pub const fn describe(self) -> &'static str {
        match self {
            Kind::Int => "a number",
            Kind::Bool => "true or false",
            Kind::Name(_) => "a name",
            Kind::Mac => "a MAC address",
            Kind::Ip => "an IP address or network (CIDR)",
        }
    }
}

/// Where a field's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The scan record alone: a face holding only records (the web app's
    /// record store) can evaluate it for a million frames at once.
    Record,
    /// The frame's bytes and dissection: evaluated where the bytes are at
    /// hand (the CLI's scan). Without them the field is absent.
    Bytes,
}

/// Hands each of a field's values in one frame to `visit` until `visit`
/// returns true; returns whether it did. Never allocates.
pub type Accessor = fn(&Subject<'_>, &mut dyn FnMut(Value) -> bool) -> bool;

pub struct FieldDef {
    pub name: &'static str,
    pub kind: Kind,
    pub source: Source,
    pub doc: &'static str,
    pub get: Accessor,
}

impl std::fmt::Debug for FieldDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

const REGION_NAMES: [&str; RegionKind::ALL.len()] = {
    let mut out = [""; RegionKind::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = RegionKind::ALL[i].key();
        i += 1;
    }
    out
};

const FCS_NAMES: [&str; FcsStatus::ALL.len()] = {
    let mut out = [""; FcsStatus::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = FcsStatus::ALL[i].key();
        i += 1;
    }
    out
};

const FINDING_NAMES: [&str; FINDINGS] = {
    let mut out = [""; FINDINGS];
    let mut i = 0;
    while i < out.len() {
        out[i] = Finding::ALL[i].key();
        i += 1;
    }
    out
};

/// Every field, in the order the docs list them.
pub static FIELDS: &[FieldDef] = &[
    FieldDef {
        name: "frame.number",
        kind: Kind::Int,
        source: Source::Record,
        doc: "1-based frame number in file order",
        get: |s, v| v(Value::Int(s.record.number)),
    },
    FieldDef {
        name: "frame.len",
        kind: Kind::Int,
        source: Source::Record,
        doc: "length on the wire (original length)",
        get: |s, v| v(Value::Int(s.record.ledger.len.into())),
    },
    FieldDef {
        name: "frame.cap_len",
        kind: Kind::Int,
        source: Source::Record,
        doc: "captured length",
        get: |s, v| v(Value::Int(s.record.ledger.caplen.into())),
    },
    FieldDef {
        name: "extra",
        kind: Kind::Int,
        source: Source::Record,
        doc: "captured bytes after the datagram's end (absent when the end is unknown)",
        get: |s, v| s.record.ledger.extra.is_some_and(|e| v(Value::Int(e.into()))),
    },
    FieldDef {
        name: "truncated",
        kind: Kind::Int,
        source: Source::Record,
        doc: "bytes cut by the snap length (original minus captured length)",
        get: truncated,
    },
    FieldDef {
        name: "region",
        kind: Kind::Name(&REGION_NAMES),
        source: Source::Record,
        doc: "kind of each region after the datagram: padding, fcs, icv, vendor, trailer",
        get: region,
    },
    FieldDef {
        name: "fcs",
        kind: Kind::Name(&FCS_NAMES),
        source: Source::Record,
        doc: "the FCS: valid, invalid, absent, unknown",
        get: fcs,
    },
    FieldDef {
        name: "finding",
        kind: Kind::Name(&FINDING_NAMES),
        source: Source::Record,
        doc: "each per-frame finding, by its JSON key (nonzero_padding, trailer, truncated, …)",
        get: finding,
    },
    FieldDef {
        name: "over_mtu",
        kind: Kind::Bool,
        source: Source::Record,
        doc: "the chosen rule drops the frame at the chosen MTU",
        get: over_mtu,
    },
    FieldDef {
        name: "interface",
        kind: Kind::Int,
        source: Source::Record,
        doc: "pcapng interface index (0 for pcap)",
        get: |s, v| v(Value::Int(s.record.interface.into())),
    },
    FieldDef {
        name: "link_type",
        kind: Kind::Int,
        source: Source::Record,
        doc: "link type number (1 Ethernet, 113 Linux cooked, …)",
        get: |s, v| v(Value::Int(s.record.link_type.0.into())),
    },
    FieldDef {
        name: "eth.src",
        kind: Kind::Mac,
        source: Source::Bytes,
        doc: "source MAC of each Ethernet header (outer and tunnelled)",
        get: |s, v| headers(s, Layer::Ethernet).any(|h| h.len() >= 12 && v(Value::Mac(wire::array(h, 6..12)))),
    },
    FieldDef {
        name: "eth.dst",
        kind: Kind::Mac,
        source: Source::Bytes,
        doc: "destination MAC of each Ethernet header",
        get: |s, v| headers(s, Layer::Ethernet).any(|h| h.len() >= 12 && v(Value::Mac(wire::array(h, 0..6)))),
    },
    FieldDef {
        name: "eth.addr",
        kind: Kind::Mac,
        source: Source::Bytes,
        doc: "either MAC of each Ethernet header",
        get: |s, v| {
            headers(s, Layer::Ethernet)
                .any(|h| h.len() >= 12 && (v(Value::Mac(wire::array(h, 0..6))) || v(Value::Mac(wire::array(h, 6..12)))))
        },
    },
    FieldDef {
        name: "vlan.id",
        kind: Kind::Int,
        source: Source::Bytes,
        doc: "VLAN ID of each 802.1Q/802.1ad tag",
        get: |s, v| headers(s, Layer::Vlan).any(|h| v(Value::Int(vlan::vlan_id(h).into()))),
    },
    FieldDef {
        name: "ip.src",
        kind: Kind::Ip,
        source: Source::Bytes,
        doc: "source address of each IPv4 or IPv6 header",
        get: |s, v| ips(s, &mut |src, _| v(src)),
    },
    FieldDef {
        name: "ip.dst",
        kind: Kind::Ip,
        source: Source::Bytes,
        doc: "destination address of each IPv4 or IPv6 header",
        get: |s, v| ips(s, &mut |_, dst| v(dst)),
    },
    FieldDef {
        name: "ip.addr",
        kind: Kind::Ip,
        source: Source::Bytes,
        doc: "either address of each IPv4 or IPv6 header",
        get: |s, v| ips(s, &mut |src, dst| v(src) || v(dst)),
    },
    FieldDef {
        name: "ip.proto",
        kind: Kind::Int,
        source: Source::Bytes,
        doc: "IPv4 protocol or IPv6 next header of each IP header",
        get: |s, v| {
            headers(s, Layer::Ipv4).any(|h| v(Value::Int(ipv4::protocol_number(h).into())))
                || headers(s, Layer::Ipv6).any(|h| v(Value::Int(ipv6::next_header(h).into())))
        },
    },
    FieldDef {
        name: "ip.len",
        kind: Kind::Int,
        source: Source::Bytes,
        doc: "datagram length its header claims: IPv4 total length, IPv6 40 + payload length",
        get: |s, v| {
            headers(s, Layer::Ipv4).any(|h| v(Value::Int(ipv4::total_len(h) as u64)))
                || headers(s, Layer::Ipv6).any(|h| v(Value::Int(40 + ipv6::payload_len(h) as u64)))
        },
    },
    FieldDef {
        name: "tcp.port",
        kind: Kind::Int,
        source: Source::Bytes,
        doc: "either port of each TCP header",
        get: |s, v| ports(s, Layer::Tcp, &mut |a, b| v(a) || v(b)),
    },
    FieldDef {
        name: "tcp.srcport",
        kind: Kind::Int,
        source: Source::Bytes,
        doc: "source port of each TCP header",
        get: |s, v| ports(s, Layer::Tcp, &mut |a, _| v(a)),
    },
    FieldDef {
        name: "tcp.dstport",
        kind: Kind::Int,
        source: Source::Bytes,
        doc: "destination port of each TCP header",
        get: |s, v| ports(s, Layer::Tcp, &mut |_, b| v(b)),
    },
    FieldDef {
        name: "udp.port",
        kind: Kind::Int,
        source: Source::Bytes,
        doc: "either port of each UDP header",
        get: |s, v| ports(s, Layer::Udp, &mut |a, b| v(a) || v(b)),
    },
    FieldDef {
        name: "udp.srcport",
        kind: Kind::Int,
        source: Source::Bytes,
        doc: "source port of each UDP header",
        get: |s, v| ports(s, Layer::Udp, &mut |a, _| v(a)),
    },
    FieldDef {
        name: "udp.dstport",
        kind: Kind::Int,
        source: Source::Bytes,
        doc: "destination port of each UDP header",
        get: |s, v| ports(s, Layer::Udp, &mut |_, b| v(b)),
    },
    FieldDef {
        name: "icmp.type",
        kind: Kind::Int,
        source: Source::Bytes,
        doc: "type of each ICMP header",
        get: |s, v| headers(s, Layer::Icmp).any(|h| v(Value::Int(icmp::icmp_type(h).into()))),
    },
    FieldDef {
        name: "icmpv6.type",
        kind: Kind::Int,
        source: Source::Bytes,
        doc: "type of each ICMPv6 header",
        get: |s, v| headers(s, Layer::Icmpv6).any(|h| v(Value::Int(icmpv6::icmp_type(h).into()))),
    },
];

// The record fields a `filter::Criterion` also asks, named so that it
// calls the same accessors.

pub(crate) fn truncated(s: &Subject<'_>, v: &mut dyn FnMut(Value) -> bool) -> bool {
    v(Value::Int(s.record.ledger.truncated.into()))
}

pub(crate) fn region(s: &Subject<'_>, v: &mut dyn FnMut(Value) -> bool) -> bool {
    s.record.ledger.regions().any(|r| v(Value::Name(r.kind.code())))
}

pub(crate) fn fcs(s: &Subject<'_>, v: &mut dyn FnMut(Value) -> bool) -> bool {
    v(Value::Name(s.record.ledger.fcs.code()))
}

pub(crate) fn finding(s: &Subject<'_>, v: &mut dyn FnMut(Value) -> bool) -> bool {
    s.record.findings(s.settings).iter().any(|f| v(Value::Name(f.index() as u8)))
}

pub(crate) fn over_mtu(s: &Subject<'_>, v: &mut dyn FnMut(Value) -> bool) -> bool {
    v(Value::Bool(drops(&s.record.mtu, s.settings)))
}

/// The field with this name.
pub fn field(name: &str) -> Option<&'static FieldDef> {
    FIELDS.iter().find(|f| f.name == name)
}

/// The captured bytes of each header of `layer`, outer first. The
/// dissector recorded only headers whose bytes were captured; `get` keeps a
/// lying record from panicking all the same.
fn headers<'s>(s: &'s Subject<'_>, layer: Layer) -> impl Iterator<Item = &'s [u8]> + 's {
    let packet = s.packet;
    packet.into_iter().flat_map(move |p| {
        p.dissection.headers.iter().filter(move |h| h.layer == layer).filter_map(move |h| {
            let start = h.start as usize;
            p.data.get(start..start.saturating_add(h.len as usize))
        })
    })
}

fn ips(s: &Subject<'_>, visit: &mut dyn FnMut(Value, Value) -> bool) -> bool {
    headers(s, Layer::Ipv4).any(|h| {
        h.len() >= ipv4::MIN_HEADER_LEN
            && visit(Value::Ip(IpAddr::from(ipv4::src(h))), Value::Ip(IpAddr::from(ipv4::dst(h))))
    }) || headers(s, Layer::Ipv6).any(|h| {
        h.len() >= ipv6::HEADER_LEN
            && visit(
                Value::Ip(IpAddr::from(wire::array::<16>(h, ipv6::field::SRC))),
                Value::Ip(IpAddr::from(wire::array::<16>(h, ipv6::field::DST))),
            )
    })
}

fn ports(s: &Subject<'_>, layer: Layer, visit: &mut dyn FnMut(Value, Value) -> bool) -> bool {
    headers(s, layer).any(|h| {
        // UDP puts both ports where TCP does (RFC 768, RFC 9293 3.1).
        let (src, dst) = (wire::be16(h, tcp::field::SRC_PORT), wire::be16(h, tcp::field::DST_PORT));
        h.len() >= 4 && visit(Value::Int(src.into()), Value::Int(dst.into()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_field_has_one_unique_name_and_a_doc() {
        let mut names = HashSet::new();
        for f in FIELDS {
            assert!(names.insert(f.name), "{} twice", f.name);
            assert!(!f.doc.is_empty(), "{} has no doc", f.name);
            assert!(f.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_'));
        }
    }

    #[test]
    fn name_lists_follow_the_cores_keys() {
        assert_eq!(REGION_NAMES, ["padding", "fcs", "vendor", "trailer", "icv"]);
        assert_eq!(FCS_NAMES, ["valid", "invalid", "absent", "unknown"]);
        assert_eq!(FINDING_NAMES[1], "nonzero_padding");
        assert_eq!(FINDING_NAMES.len(), FINDINGS);
    }
}
