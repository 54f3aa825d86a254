//! What one sighting of a packet is: the identity that survives the path
//! (so that the same packet matches at every capture point) and the facts
//! that change along it (so that the changes can be put in words).
//!
//! Identity (DOMAIN.md, "The same packet at several capture points"): the
//! innermost IP datagram's protocol, IPv4 identification, fragment offset and
//! L4 length, the L4 identity (ICMP type and echo id/seq; TCP seq, ack and
//! flags; UDP length) and a hash of the first payload bytes. Addresses,
//! ports, TTL and checksums are left out because NAT and routers rewrite
//! them; link headers, VLAN tags, tunnels and trailers are left out because
//! they are what a path adds and removes. Taking the *innermost* datagram is
//! what makes a VXLAN/Geneve/GRE packet match the bare frame seen elsewhere.

use crate::frame::dissect::{Dissection, Header};
use crate::frame::ledger::{Ledger, RegionKind};
use crate::frame::mtu::{judge, MtuFacts};
use crate::settings::Settings;
use crate::wire::{self, icmp, icmpv6, ip, ipv4, ipv6, tcp, udp, vlan, Layer};
use core::hash::{BuildHasher, Hasher};

/// Payload bytes the identity hashes. Enough to tell apart pings (their
/// payload starts with a timestamp) and segments; few enough that two
/// captures with a snaplen of 96 still agree on small headers.
pub const PAYLOAD_HASH_LEN: usize = 32;
/// Outer VLAN tags kept per sighting; deeper stacks are counted, not named.
pub const MAX_TAGS: usize = 4;
/// Regions after the datagram kept per sighting (as many as a ledger has).
pub const MAX_REGIONS: usize = crate::frame::ledger::MAX_REGIONS;
/// Bytes of each region kept to name it ("25 7f").
pub const REGION_HEAD: usize = 4;

/// An IP address as the sentences print it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Addr {
    V4([u8; 4]),
    V6([u8; 16]),
}

impl Addr {
    /// Its bytes, 4 or 16.
    pub fn octets(&self) -> &[u8] {
        match self {
            Addr::V4(a) => a,
            Addr::V6(a) => a,
        }
    }

    /// An address whose packets never leave their link, so no router or
    /// NAT rewrites them: IPv6 link-local unicast fe80::/10 and multicast
    /// of link-local scope ff02::/16 (RFC 4291 §2.5.6, §2.7: routers must
    /// not forward them), IPv4 link-local 169.254/16 (RFC 3927 §2.6) and
    /// the local network control block 224.0.0.0/24 (RFC 5771 §4: not
    /// forwarded regardless of TTL).
    pub fn link_scoped(&self) -> bool {
        match self {
            Addr::V6(a) => (a[0] == 0xfe && a[1] & 0xc0 == 0x80) || (a[0] == 0xff && a[1] & 0x0f == 0x02),
            Addr::V4(a) => (a[0] == 169 && a[1] == 254) || (a[0] == 224 && a[1] == 0 && a[2] == 0),
        }
    }
}

impl core::fmt::Display for Addr {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Addr::V4(a) => write!(f, "{}", core::net::Ipv4Addr::from(*a)),
            Addr::V6(a) => write!(f, "{}", core::net::Ipv6Addr::from(*a)),
        }
    }
}

/// The innermost IP datagram of a frame and its transport, as seen here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Inner {
    pub src: Addr,
    pub dst: Addr,
    /// TTL (IPv4) or hop limit (IPv6).
    pub ttl: u8,
    /// The innermost datagram's length from its own length field.
    pub datagram_len: u32,
    pub protocol: u8,
    /// TCP/UDP ports; ICMP echo identifier and type for `src_port`/`dst_port`
    /// (so that a flow of pings has a stable tuple); 0 otherwise.
    pub src_port: u16,
    pub dst_port: u16,
    /// The transport is TCP or UDP: the ports are ports (NAT may rewrite them).
    pub has_ports: bool,
}

/// A region after the datagram, with its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegionFacts {
    pub kind: RegionKind,
    pub len: u32,
    pub head: [u8; REGION_HEAD],
}

/// What a path changes about a frame, as seen at one point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    /// The first header's layer (Ethernet, Linux cooked, ...), if dissected.
    pub link: Option<Layer>,
    pub link_header_len: u32,
    /// VLAN IDs of the outer frame's tags, outermost first.
    pub vlans: [u16; MAX_TAGS],
    /// Each of those tags' TPID (0x8100 802.1Q, 0x88a8 802.1ad S-tag, ...).
    pub tpids: [u16; MAX_TAGS],
    pub tags: u8,
    /// The outermost IP header's TTL or hop limit when a tunnel wraps the
    /// datagram (the inner one is [`Inner::ttl`]).
    pub outer_ttl: Option<u8>,
    /// The TCP MSS option, on a segment that carries one (SYN, SYN-ACK).
    pub mss: Option<u16>,
    /// How this frame may be a part of a packet seen whole elsewhere, or the
    /// whole of parts seen elsewhere.
    pub part: Part,
    /// An ICMP "fragmentation needed" (RFC 792, type 3 code 4, with the
    /// next-hop MTU of RFC 1191 §4) or ICMPv6 Packet Too Big (RFC 4443
    /// §3.2): the MTU it reports.
    pub too_big: Option<u32>,
    /// The first tunnel layer around the innermost datagram, and the bytes
    /// the encapsulation adds (outer link header and tags not counted).
    pub tunnel: Option<(Layer, u32)>,
    pub inner: Inner,
    pub regions: [Option<RegionFacts>; MAX_REGIONS],
    /// The MTU rule drops this frame here, at the chosen settings; and what it measured.
    pub dropped: bool,
    pub measured: u32,
}

/// What lets one datagram seen whole at one point and in parts at another
/// be told one packet: a router's fragments (RFC 791 §3.2: reassembly
/// joins fragments by source, destination, protocol and identification),
/// a TSO/GSO super-frame on the sender's capture leaving as MSS-size
/// segments, GRO merging segments on the receiver's (a TCP stream's byte
/// range with the same acknowledgment: Linux's `tcp_gro_receive` merges
/// only segments whose ACK matches).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Part {
    /// The RFC 791 reassembly key, for fragments and for IPv4 datagrams
    /// without DF (those a router may fragment).
    pub reassembly: Option<u64>,
    /// This is a fragment: its offset in bytes and whether more follow.
    pub fragment: Option<(u32, bool)>,
    /// A TCP segment with payload: (stream and ACK key, first sequence number, payload bytes).
    pub stream: Option<(u64, u32, u32)>,
}

/// A packet's identity (hashed) and where its flow goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Identity {
    /// Equal for the same packet at every point.
    pub key: u64,
    /// The flow as seen at this point: addresses, protocol, ports (or echo id
    /// and type). Equal for the packets of one flow at one point.
    pub flow: u64,
    /// The two addresses alone, in this direction: the packets of every flow
    /// between two hosts (each `ping -s` run has its own echo id, each
    /// connection its own ports, yet they take one path).
    pub hosts: u64,
}

fn hasher() -> impl Hasher {
    // A fixed seed: keys only meet keys of the same run, but a fixed seed
    // keeps every run's eviction and order reproducible.
    foldhash::fast::FixedState::with_seed(0x6672_616d_656c_656e).build_hasher()
}

/// The innermost IP header of a dissection: the last one the walk recorded.
fn innermost_ip(d: &Dissection) -> Option<(usize, &Header)> {
    d.headers.iter().enumerate().rev().find(|(_, h)| matches!(h.layer, Layer::Ipv4 | Layer::Ipv6))
}

fn slice<'a>(data: &'a [u8], h: &Header) -> &'a [u8] {
    let start = h.start as usize;
    data.get(start..start.saturating_add(h.len as usize).min(data.len())).unwrap_or(&[])
}

/// What [`identify`] reads of the innermost datagram besides the key.
struct Parts {
    ip_at: usize,
    inner: Inner,
    part: Part,
    mss: Option<u16>,
    too_big: Option<u32>,
}

/// A frame's packet key alone (the `key` of [`identify`]), for a reader that
/// only needs to know whether it saw the same packet before: the single-file
/// scan, which counts a packet seen on two interfaces of one capture once.
/// `None` for a frame without an IP datagram.
pub fn packet_key(d: &Dissection, data: &[u8]) -> Option<u64> {
    key_and_parts(d, data).map(|(k, _)| k)
}

/// The identity key and the innermost datagram's parts: one definition for
/// [`identify`] and [`packet_key`].
fn key_and_parts(d: &Dissection, data: &[u8]) -> Option<(u64, Parts)> {
    let (ip_at, ip_header) = innermost_ip(d)?;
    let ip_bytes = slice(data, ip_header);
    let mut key = hasher();
    let (src, dst, ttl, datagram_len, mut protocol, first_fragment);
    let mut part = Part::default();
    let mut mss = None;
    let mut too_big = None;
    let mut error = false;
    match ip_header.layer {
        Layer::Ipv4 => {
            src = Addr::V4(ipv4::src(ip_bytes));
            dst = Addr::V4(ipv4::dst(ip_bytes));
            ttl = wire::u8_at(ip_bytes, ipv4::field::TTL.start);
            datagram_len = ipv4::total_len(ip_bytes) as u32;
            protocol = ipv4::protocol_number(ip_bytes);
            first_fragment = ipv4::fragment_offset(ip_bytes) == 0;
            let offset = ipv4::fragment_offset(ip_bytes) as u32 * 8;
            let more = ipv4::more_fragments(ip_bytes);
            if more || offset > 0 {
                part.fragment = Some((offset, more));
            }
            if part.fragment.is_some() || !ipv4::dont_fragment(ip_bytes) {
                let mut r = hasher();
                r.write(
                    &ip_bytes[ipv4::field::SRC.start.min(ip_bytes.len())..ipv4::field::DST.end.min(ip_bytes.len())],
                );
                r.write_u8(ipv4::protocol_number(ip_bytes));
                r.write_u16(wire::be16(ip_bytes, ipv4::field::IDENT));
                part.reassembly = Some(r.finish());
            }
            key.write_u8(ip::version::V4);
            key.write_u16(wire::be16(ip_bytes, ipv4::field::IDENT));
            key.write_usize(ipv4::fragment_offset(ip_bytes));
            key.write_u32(datagram_len.saturating_sub(ip_header.len));
        }
        _ => {
            src = Addr::V6(wire::array(ip_bytes, ipv6::field::SRC));
            dst = Addr::V6(wire::array(ip_bytes, ipv6::field::DST));
            ttl = wire::u8_at(ip_bytes, ipv6::field::HOP_LIMIT.start);
            let payload = ipv6::payload_len(ip_bytes) as u32;
            datagram_len = payload + ipv6::HEADER_LEN as u32;
            protocol = wire::u8_at(ip_bytes, ipv6::field::NEXT_HEADER.start);
            first_fragment = true;
            key.write_u8(ip::version::V6);
            key.write_u32(payload);
        }
    }
    // Addresses are left out because NAT rewrites them, but a packet that
    // never leaves its link is never translated: there they tell apart
    // look-alikes from different hosts (two hosts' identical MLD reports
    // or Router Solicitations at one instant).
    if src.link_scoped() || dst.link_scoped() {
        for a in [src, dst] {
            key.write(a.octets());
        }
    }
    // The transport header, if the walk reached one right after this datagram's headers.
    let transport = d
        .headers
        .get(ip_at + 1..)
        .unwrap_or(&[])
        .iter()
        .find(|h| h.layer != Layer::Ipv6Ext)
        .filter(|h| h.depth == ip_header.depth && first_fragment);
    let (mut src_port, mut dst_port, mut has_ports) = (0u16, 0u16, false);
    let mut payload_start = ip_header.start as usize + ip_header.len as usize;
    if let Some(t) = transport {
        let b = slice(data, t);
        payload_start = t.start as usize + t.len as usize;
        match t.layer {
            Layer::Tcp => {
                protocol = ip::protocol::TCP;
                (src_port, dst_port, has_ports) =
                    (wire::be16(b, tcp::field::SRC_PORT), wire::be16(b, tcp::field::DST_PORT), true);
                mss = tcp::mss(b);
                let end = (ip_header.start as usize).saturating_add(datagram_len as usize);
                let payload = end.saturating_sub(t.start as usize + t.len as usize) as u32;
                if payload > 0 {
                    let mut stream = hasher();
                    for a in [src, dst] {
                        stream.write(a.octets());
                    }
                    stream.write_u16(src_port);
                    stream.write_u16(dst_port);
                    stream.write_u32(wire::be32(b, tcp::field::ACK));
                    part.stream = Some((stream.finish(), tcp::seq(b), payload));
                }
                key.write_u32(tcp::seq(b));
                key.write_u32(wire::be32(b, tcp::field::ACK));
                key.write_u16(tcp::flags(b));
            }
            Layer::Udp => {
                protocol = ip::protocol::UDP;
                (src_port, dst_port, has_ports) = (udp::src_port(b), udp::dst_port(b), true);
                key.write_usize(udp::length(b));
            }
            Layer::Icmp | Layer::Icmpv6 => {
                let (kind, code, ident, seq) = if t.layer == Layer::Icmp {
                    (icmp::icmp_type(b), icmp::code(b), icmp::ident(b), icmp::seq(b))
                } else {
                    (icmpv6::icmp_type(b), wire::u8_at(b, icmpv6::field::CODE.start), icmpv6::ident(b), icmpv6::seq(b))
                };
                (src_port, dst_port) = (ident, kind.into());
                too_big = match (t.layer, kind, code) {
                    (Layer::Icmp, icmp::DEST_UNREACHABLE, icmp::FRAG_NEEDED) => Some(u32::from(icmp::next_hop_mtu(b))),
                    (Layer::Icmpv6, icmpv6::PACKET_TOO_BIG, _) => Some(icmpv6::mtu(b)),
                    _ => None,
                };
                key.write_u8(kind);
                key.write_u8(code);
                error = is_error(t.layer, kind);
                if !error {
                    key.write_u16(ident);
                    key.write_u16(seq);
                }
            }
            _ => {}
        }
    }
    key.write_u8(protocol);
    // The first payload bytes, never past the innermost datagram's own end:
    // trailers and padding are what a path changes, so they must not count.
    let datagram_end = (ip_header.start as usize).saturating_add(datagram_len as usize).min(data.len());
    if error {
        // An ICMP error quotes the packet it is about, and NAT rewrites the
        // quote too (RFC 5508 §4.1: a NAT translates the embedded header):
        // only what no translation touches identifies it.
        let quote = data.get(payload_start..datagram_end).unwrap_or(&[]);
        write_quote(&mut key, quote);
    } else {
        let payload = data.get(payload_start..datagram_end.min(payload_start + PAYLOAD_HASH_LEN)).unwrap_or(&[]);
        key.write(payload);
    }

    Some((
        key.finish(),
        Parts {
            ip_at,
            inner: Inner { src, dst, ttl, datagram_len, protocol, src_port, dst_port, has_ports },
            part,
            mss,
            too_big,
        },
    ))
}

/// ICMP messages that report an error about a packet they quote (RFC 792:
/// destination unreachable, source quench, redirect, time exceeded,
/// parameter problem; RFC 4443 §2.1: ICMPv6 types below 128).
fn is_error(layer: Layer, kind: u8) -> bool {
    match layer {
        Layer::Icmp => matches!(kind, 3 | 4 | 5 | 11 | 12),
        _ => kind < 128,
    }
}

/// The quoted packet's fields that survive NAT: its length, IPv4 ID and
/// fragment field, protocol, and the transport's TCP sequence number, UDP
/// length or ICMP type, code and echo sequence. Addresses, ports, echo
/// identifiers and checksums are what a translation rewrites.
fn write_quote(key: &mut impl Hasher, q: &[u8]) {
    let at = |r: core::ops::Range<usize>| q.get(r).unwrap_or(&[]);
    let (transport, protocol) = match q.first().map(|b| b >> 4) {
        Some(4) => {
            let ihl = usize::from(q[0] & 0x0f) * 4;
            key.write(at(2..8)); // total length, identification, flags and fragment offset
            key.write(at(9..10));
            (q.get(ihl..).unwrap_or(&[]), wire::u8_at(q, ipv4::field::PROTOCOL.start))
        }
        Some(6) => {
            key.write(at(4..7)); // payload length, next header
            (q.get(ipv6::HEADER_LEN..).unwrap_or(&[]), wire::u8_at(q, ipv6::field::NEXT_HEADER.start))
        }
        _ => return key.write(at(0..q.len().min(PAYLOAD_HASH_LEN))),
    };
    let t = |r: core::ops::Range<usize>| transport.get(r).unwrap_or(&[]);
    match protocol {
        ip::protocol::TCP => key.write(t(4..8)),
        ip::protocol::UDP => key.write(t(4..6)),
        ip::protocol::ICMP | ip::protocol::ICMPV6 => {
            key.write(t(0..2));
            key.write(t(6..8));
        }
        _ => {}
    }
}

/// The identity and the facts of one frame, or `None` for a frame without
/// an IP datagram (ARP, LLDP, STP): those stay on their link and are not followed.
pub fn identify(
    d: &Dissection,
    data: &[u8],
    ledger: &Ledger,
    mtu: &MtuFacts,
    settings: &Settings,
) -> Option<(Identity, Facts)> {
    let (key, Parts { ip_at, inner, part, mss, too_big }) = key_and_parts(d, data)?;
    let ip_header = d.headers.get(ip_at)?;
    let Inner { src, dst, protocol, src_port, dst_port, .. } = inner;
    let mut flow = hasher();
    flow.write_u8(protocol);
    for a in [src, dst] {
        flow.write(a.octets());
    }
    let mut hosts = hasher();
    hosts.write_u8(0xff);
    for a in [src, dst] {
        hosts.write(a.octets());
    }
    flow.write_u16(src_port);
    flow.write_u16(dst_port);

    let mut facts = Facts {
        link: d.headers.first().map(|h| h.layer),
        link_header_len: d.link_header_len,
        vlans: [0; MAX_TAGS],
        tpids: [0; MAX_TAGS],
        tags: d.tags,
        outer_ttl: None,
        mss,
        part,
        too_big,
        tunnel: None,
        inner,
        regions: [None; MAX_REGIONS],
        dropped: false,
        measured: 0,
    };
    let tags = d.headers.iter().filter(|h| h.depth == 0 && h.layer == Layer::Vlan);
    for ((slot, tpid), h) in facts.vlans.iter_mut().zip(facts.tpids.iter_mut()).zip(tags) {
        *slot = vlan::vlan_id(slice(data, h));
        // The TPID is the type field just before the tag's own bytes.
        let at = (h.start as usize).saturating_sub(2);
        *tpid = data.get(at..at + 2).map_or(0, |b| u16::from_be_bytes([b[0], b[1]]));
    }
    if ip_header.depth > 0 {
        let kind = d
            .headers
            .get(..ip_at)
            .unwrap_or(&[])
            .iter()
            .find(|h| matches!(h.layer, Layer::Vxlan | Layer::Geneve | Layer::Gre | Layer::Erspan))
            .map_or(Layer::Ipv4, |h| h.layer);
        let outer = d.link_header_len + 4 * u32::from(d.tags);
        facts.tunnel = Some((kind, ip_header.start.saturating_sub(outer)));
        facts.outer_ttl = d.headers.iter().find(|h| matches!(h.layer, Layer::Ipv4 | Layer::Ipv6)).map(|h| {
            let b = slice(data, h);
            match h.layer {
                Layer::Ipv4 => wire::u8_at(b, ipv4::field::TTL.start),
                _ => wire::u8_at(b, ipv6::field::HOP_LIMIT.start),
            }
        });
    }
    for (slot, r) in facts.regions.iter_mut().zip(ledger.regions()) {
        let mut head = [0u8; REGION_HEAD];
        let start = r.start as usize;
        let bytes = data.get(start..start + (r.len as usize).min(REGION_HEAD)).unwrap_or(&[]);
        head[..bytes.len()].copy_from_slice(bytes);
        *slot = Some(RegionFacts { kind: r.kind, len: r.len, head });
    }
    if let Some(j) = judge(mtu, settings) {
        facts.dropped = j.dropped;
        facts.measured = j.measured;
    }
    Some((Identity { key, flow: flow.finish(), hosts: hosts.finish() }, facts))
}

#[cfg(test)]
mod tests {
    use super::{packet_key, Addr};
    use crate::frame::dissect::dissect;
    use crate::wire::link::LinkType;

    /// Ethernet + IPv4 (`src` → `dst`, protocol `proto`) + `payload`.
    fn ipv4_frame(src: [u8; 4], dst: [u8; 4], ident: u16, proto: u8, payload: &[u8]) -> Vec<u8> {
        let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
        let total = (20 + payload.len()) as u16;
        f.extend_from_slice(&[
            0x45,
            0,
            (total >> 8) as u8,
            total as u8,
            (ident >> 8) as u8,
            ident as u8,
            0,
            0,
            64,
            proto,
            0,
            0,
        ]);
        f.extend_from_slice(&src);
        f.extend_from_slice(&dst);
        f.extend_from_slice(payload);
        f
    }

    /// An ICMP fragmentation-needed (type 3 code 4, MTU 1400) about a UDP
    /// datagram `qsrc:qport` → 203.0.113.9:53, sent to `to`.
    fn frag_needed(to: [u8; 4], qsrc: [u8; 4], qport: u16, checksum: u8) -> Vec<u8> {
        let mut icmp = vec![3, 4, 0, checksum, 0, 0, 0x05, 0x78];
        let mut quoted = vec![0x45, 0, 0x05, 0xdc, 0x12, 0x34, 0x40, 0, 63, 17, 0, checksum];
        quoted.extend_from_slice(&qsrc);
        quoted.extend_from_slice(&[203, 0, 113, 9]);
        quoted.extend_from_slice(&[(qport >> 8) as u8, qport as u8, 0, 53, 0x05, 0xc8, 0xab, checksum]);
        icmp.extend_from_slice(&quoted);
        ipv4_frame([198, 51, 100, 1], to, 0x0777, 1, &icmp)
    }

    #[test]
    fn an_icmp_error_is_one_packet_on_both_sides_of_the_nat_that_rewrote_its_quote() {
        // RFC 5508 §4.1: the NAT translates the ICMP error's own destination
        // and the header it quotes (source address and port, checksums).
        let outside = frag_needed([192, 0, 2, 7], [192, 0, 2, 7], 61_000, 0x11);
        let inside = frag_needed([10, 0, 0, 5], [10, 0, 0, 5], 40_000, 0x22);
        let key = |f: &[u8]| packet_key(&dissect(f, LinkType::ETHERNET, f.len() as u32), f);
        assert!(key(&outside).is_some());
        assert_eq!(key(&outside), key(&inside));
        // Another datagram's error (another IPv4 ID quoted) is another packet.
        let mut other = inside.clone();
        other[14 + 20 + 8 + 5] ^= 1;
        assert_ne!(key(&other), key(&inside));
    }

    #[test]
    fn link_scoped_addresses_are_those_routers_never_forward() {
        let v6 = |s: &str| Addr::V6(s.parse::<core::net::Ipv6Addr>().unwrap().octets());
        let v4 = |s: &str| Addr::V4(s.parse::<core::net::Ipv4Addr>().unwrap().octets());
        // RFC 4291 §2.5.6 (fe80::/10) and §2.7 (scope 2: link-local).
        assert!(v6("fe80::1").link_scoped() && v6("febf::1").link_scoped() && v6("ff02::16").link_scoped());
        assert!(!v6("fec0::1").link_scoped() && !v6("ff05::2").link_scoped() && !v6("2001:db8::1").link_scoped());
        // RFC 3927 §2.6 and RFC 5771 §4.
        assert!(v4("169.254.7.1").link_scoped() && v4("224.0.0.251").link_scoped());
        assert!(!v4("224.0.1.1").link_scoped() && !v4("10.0.0.1").link_scoped());
    }
}
