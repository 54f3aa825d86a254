//! What the multi-point stories share: small builders for the headers
//! [`super::Datagram`] does not make (TCP with flags and MSS, IPv6 and
//! ICMPv6, Geneve with options, VXLAN over IPv6, Linux cooked v2), and a
//! [`Recorder`] that writes a story's captures and its [`Truth`] together,
//! so that frame numbers in the truth are the numbers the files were written
//! with.

use super::truth::{Direction, FrameRef, PointName, TrueClock, TruePacket, Truth};
use crate::craft::{PcapWriter, PcapngWriter};
use etherparse::{PacketBuilder, TcpOptionElement};

/// TCP flag bits as they sit in the header's flags byte.
pub const FIN: u8 = 0x01;
pub const SYN: u8 = 0x02;
pub const PSH: u8 = 0x08;
pub const ACK: u8 = 0x10;

/// A TCP segment in an IPv4 datagram as one hop sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub src: [u8; 4],
    pub dst: [u8; 4],
    pub ttl: u8,
    pub ident: u16,
    pub sport: u16,
    pub dport: u16,
    pub seq: u32,
    pub ack: u32,
    /// [`SYN`], [`ACK`], [`PSH`], [`FIN`], or'ed.
    pub flags: u8,
    /// The MSS option (a SYN's), if any.
    pub mss: Option<u16>,
    pub payload: usize,
    pub fill: u8,
}

impl Segment {
    /// The datagram (DF set, as Linux sends TCP): lengths and checksums correct.
    pub fn bytes(&self) -> Vec<u8> {
        let mut step = PacketBuilder::ipv4(self.src, self.dst, self.ttl).tcp(self.sport, self.dport, self.seq, 64_240);
        if self.flags & SYN != 0 {
            step = step.syn();
        }
        if self.flags & FIN != 0 {
            step = step.fin();
        }
        if self.flags & PSH != 0 {
            step = step.psh();
        }
        if self.flags & ACK != 0 {
            step = step.ack(self.ack);
        }
        if let Some(mss) = self.mss {
            step = match step.options(&[TcpOptionElement::MaximumSegmentSize(mss)]) {
                Ok(s) => s,
                Err(_) => return Vec::new(),
            };
        }
        let mut out = Vec::new();
        let _ = step.write(&mut out, &vec![self.fill; self.payload]);
        set_ipv4_ident(&mut out, self.ident, true);
        out
    }

    /// One router further: TTL − 1.
    pub fn routed(mut self) -> Self {
        self.ttl = self.ttl.saturating_sub(1);
        self
    }

    /// Destination address and port rewritten (kube-proxy's DNAT of a Service).
    pub fn dnat(mut self, dst: [u8; 4], dport: u16) -> Self {
        (self.dst, self.dport) = (dst, dport);
        self
    }

    /// Source address and port rewritten (a reply's un-DNAT back to the Service).
    pub fn snat(mut self, src: [u8; 4], sport: u16) -> Self {
        (self.src, self.sport) = (src, sport);
        self
    }
}

/// Sets an IPv4 datagram's identification and DF bit and recomputes its header checksum.
pub fn set_ipv4_ident(datagram: &mut [u8], ident: u16, dont_fragment: bool) {
    if datagram.len() < 20 {
        return;
    }
    datagram[4..6].copy_from_slice(&ident.to_be_bytes());
    datagram[6] = if dont_fragment { 0x40 } else { 0 };
    datagram[10..12].copy_from_slice(&[0, 0]);
    let ck = crate::frame::vendor::internet_checksum_of(&datagram[..20]);
    datagram[10..12].copy_from_slice(&ck.to_be_bytes());
}

/// An IPv4/UDP datagram with its identification and DF bit.
#[allow(clippy::too_many_arguments)]
pub fn udp4(
    src: [u8; 4],
    dst: [u8; 4],
    ttl: u8,
    ident: u16,
    df: bool,
    sport: u16,
    dport: u16,
    payload: &[u8],
) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = PacketBuilder::ipv4(src, dst, ttl).udp(sport, dport).write(&mut out, payload);
    set_ipv4_ident(&mut out, ident, df);
    out
}

/// Geneve's option class for OVN (RFC 8926 registry: 0x0102, Open Virtual Networking).
pub const OVN_OPTION_CLASS: u16 = 0x0102;
/// OVN's one option: type 0x80 (critical), 4 bytes of logical ingress and
/// egress port keys. With it a Geneve header is 16 bytes, and the underlay
/// datagram 58 bytes more than the inner datagram (20 + 8 + 16 + 14).
pub fn ovn_option(ingress_port: u16, egress_port: u16) -> (u16, u8, Vec<u8>) {
    let mut data = (ingress_port & 0x7fff).to_be_bytes().to_vec();
    data.extend_from_slice(&egress_port.to_be_bytes());
    (OVN_OPTION_CLASS, 0x80, data)
}

/// A Geneve header (RFC 8926 section 3.4) carrying an Ethernet frame
/// (protocol 0x6558) on `vni`, with `options` (class, type, data of a
/// multiple of 4 bytes); the C bit is set when an option is critical.
pub fn geneve_header(vni: u32, options: &[(u16, u8, Vec<u8>)]) -> Vec<u8> {
    let mut opts = Vec::new();
    for (class, kind, data) in options {
        opts.extend_from_slice(&class.to_be_bytes());
        opts.push(*kind);
        opts.push((data.len() / 4) as u8 & 0x1f);
        opts.extend_from_slice(data);
    }
    let critical = options.iter().any(|(_, kind, _)| kind & 0x80 != 0);
    let mut h = vec![(opts.len() / 4) as u8 & 0x3f, if critical { 0x40 } else { 0 }, 0x65, 0x58];
    h.extend_from_slice(&(vni << 8).to_be_bytes());
    h.extend_from_slice(&opts);
    h
}

/// The underlay's side of a tunnel hop: the outer Ethernet and IP fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Underlay4 {
    pub dst_mac: [u8; 6],
    pub src_mac: [u8; 6],
    pub src: [u8; 4],
    pub dst: [u8; 4],
    pub ttl: u8,
    pub ident: u16,
    /// The UDP source port: the sender's hash of the inner flow.
    pub sport: u16,
}

/// `inner` (a whole Ethernet frame) in Geneve over IPv4/UDP 6081, DF set as
/// OVS sets it on tunnels: the Ethernet frame as the underlay carries it.
pub fn geneve4(u: &Underlay4, vni: u32, options: &[(u16, u8, Vec<u8>)], inner: &[u8]) -> Vec<u8> {
    let mut payload = geneve_header(vni, options);
    payload.extend_from_slice(inner);
    let datagram = udp4(u.src, u.dst, u.ttl, u.ident, true, u.sport, 6081, &payload);
    super::ethernet(u.dst_mac, u.src_mac, &[], 0x0800, &datagram, &[])
}

/// An IPv6 datagram: the fixed header, extension headers `ext` (already
/// chained, the last naming `upper`), then `upper_bytes`.
pub fn ipv6(src: [u8; 16], dst: [u8; 16], hop_limit: u8, ext: &[u8], upper: u8, upper_bytes: &[u8]) -> Vec<u8> {
    let mut d = vec![0x60, 0, 0, 0];
    d.extend_from_slice(&((ext.len() + upper_bytes.len()) as u16).to_be_bytes());
    d.push(if ext.is_empty() { upper } else { 0 }); // hop-by-hop first when there is one
    d.push(hop_limit);
    d.extend_from_slice(&src);
    d.extend_from_slice(&dst);
    d.extend_from_slice(ext);
    d.extend_from_slice(upper_bytes);
    d
}

/// A hop-by-hop options header with a Router Alert (MLD, RFC 2711) before `next`.
pub fn hop_by_hop_router_alert(next: u8) -> Vec<u8> {
    vec![next, 0, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00]
}

/// The checksum of an upper-layer message over IPv6 (RFC 8200 section 8.1).
pub fn checksum6(src: [u8; 16], dst: [u8; 16], next: u8, message: &[u8]) -> u16 {
    let mut pseudo = Vec::with_capacity(40 + message.len());
    pseudo.extend_from_slice(&src);
    pseudo.extend_from_slice(&dst);
    pseudo.extend_from_slice(&(message.len() as u32).to_be_bytes());
    pseudo.extend_from_slice(&[0, 0, 0, next]);
    pseudo.extend_from_slice(message);
    crate::frame::vendor::internet_checksum_of(&pseudo)
}

/// An ICMPv6 message (RFC 4443): type, code, checksum, then `body` (the 4
/// bytes after the checksum and the rest), checksum computed.
pub fn icmpv6(src: [u8; 16], dst: [u8; 16], kind: u8, code: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![kind, code, 0, 0];
    m.extend_from_slice(body);
    let ck = checksum6(src, dst, 58, &m);
    m[2..4].copy_from_slice(&ck.to_be_bytes());
    m
}

/// An ICMPv6 echo datagram as `ping -6 -s payload` sends it: bytes `i % 256`.
pub fn echo6(
    src: [u8; 16],
    dst: [u8; 16],
    hop_limit: u8,
    request: bool,
    ident: u16,
    seq: u16,
    payload: usize,
) -> Vec<u8> {
    let mut body = ident.to_be_bytes().to_vec();
    body.extend_from_slice(&seq.to_be_bytes());
    body.extend((0..payload).map(|i| (i % 256) as u8));
    let m = icmpv6(src, dst, if request { 128 } else { 129 }, 0, &body);
    ipv6(src, dst, hop_limit, &[], 58, &m)
}

/// The smallest MTU every IPv6 link has (RFC 8200 section 5): an ICMPv6
/// error quotes as much of the offending packet as keeps it within this.
pub const IPV6_MIN_MTU: usize = 1280;

/// An ICMPv6 Packet Too Big (RFC 4443 section 3.2) from `src` to `dst`
/// reporting `mtu`, quoting as much of `offending` (an IPv6 datagram) as
/// fits in 1280 bytes, with the offending packet's hop limit, as Linux's
/// tunnel PMTU code (`iptunnel_pmtud_build_icmpv6`) writes it.
pub fn packet_too_big(src: [u8; 16], dst: [u8; 16], mtu: u32, offending: &[u8]) -> Vec<u8> {
    let room = IPV6_MIN_MTU - 40 - 8;
    let mut body = mtu.to_be_bytes().to_vec();
    body.extend_from_slice(&offending[..offending.len().min(room)]);
    let m = icmpv6(src, dst, 2, 0, &body);
    ipv6(src, dst, offending.get(7).copied().unwrap_or(64), &[], 58, &m)
}

/// `inner` (a whole Ethernet frame) in VXLAN `vni` over IPv6/UDP 4789 with
/// the UDP checksum IPv6 requires: 70 bytes more (14 + 40 + 8 + 8).
pub fn vxlan6(
    dst_mac: [u8; 6],
    src_mac: [u8; 6],
    src: [u8; 16],
    dst: [u8; 16],
    sport: u16,
    vni: u32,
    inner: &[u8],
) -> Vec<u8> {
    let mut payload = vec![0x08, 0, 0, 0];
    payload.extend_from_slice(&(vni << 8).to_be_bytes());
    payload.extend_from_slice(inner);
    let mut f = Vec::new();
    let _ = PacketBuilder::ethernet2(src_mac, dst_mac).ipv6(src, dst, 64).udp(sport, 4789).write(&mut f, &payload);
    f
}

/// Linux cooked v2 `pkttype`: to this host.
pub const PACKET_HOST: u8 = 0;
/// Linux cooked v2 `pkttype`: multicast to a group this host is in.
pub const PACKET_MULTICAST: u8 = 2;
/// Linux cooked v2 `pkttype`: sent by this host.
pub const PACKET_OUTGOING: u8 = 4;

/// A Linux cooked v2 record (`tcpdump -i any`, link type 276): the 20-byte
/// header (protocol, ifindex, ARPHRD_ETHER, `pkttype`, the frame's source
/// MAC) then the link payload.
pub fn sll2(protocol: u16, ifindex: u32, pkttype: u8, src_mac: [u8; 6], payload: &[u8]) -> Vec<u8> {
    let mut h = protocol.to_be_bytes().to_vec();
    h.extend_from_slice(&[0, 0]);
    h.extend_from_slice(&ifindex.to_be_bytes());
    h.extend_from_slice(&[0, 1, pkttype, 6]);
    h.extend_from_slice(&src_mac);
    h.extend_from_slice(&[0, 0]);
    h.extend_from_slice(payload);
    h
}

/// An Ethernet frame as `tcpdump -i any` records it on `ifindex`: its
/// header replaced by Linux cooked v2, its padding kept.
pub fn cooked(frame: &[u8], ifindex: u32, pkttype: u8) -> Vec<u8> {
    let mut src = [0; 6];
    src.copy_from_slice(&frame[6..12]);
    sll2(u16::from_be_bytes([frame[12], frame[13]]), ifindex, pkttype, src, &frame[14..])
}

/// An Ethernet frame as a host's own interface or a tunnel carries it: no
/// padding to 60 bytes (that is the NIC's, on the wire).
pub fn eth(dst: [u8; 6], src: [u8; 6], ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(14 + payload.len());
    f.extend_from_slice(&dst);
    f.extend_from_slice(&src);
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// An ARP request or reply (Ethernet, IPv4): 28 bytes.
pub fn arp(op: u16, sha: [u8; 6], spa: [u8; 4], tha: [u8; 6], tpa: [u8; 4]) -> Vec<u8> {
    let mut a = vec![0, 1, 8, 0, 6, 4];
    a.extend_from_slice(&op.to_be_bytes());
    a.extend_from_slice(&sha);
    a.extend_from_slice(&spa);
    a.extend_from_slice(&tha);
    a.extend_from_slice(&tpa);
    a
}

/// An LLDPDU (IEEE 802.1AB): chassis ID (a MAC), port ID (an interface
/// name), TTL, system name, End.
pub fn lldpdu(chassis: [u8; 6], port: &str, ttl: u16, system: &str) -> Vec<u8> {
    let mut d = Vec::new();
    let mut tlv = |kind: u16, value: &[u8]| {
        d.extend_from_slice(&((kind << 9) | value.len() as u16).to_be_bytes());
        d.extend_from_slice(value);
    };
    tlv(1, &[&[4u8][..], &chassis].concat());
    tlv(2, &[&[5u8][..], port.as_bytes()].concat());
    tlv(3, &ttl.to_be_bytes());
    tlv(5, system.as_bytes());
    tlv(0, &[]);
    d
}

/// pcapng `epb_flags`: received.
pub const INBOUND: u32 = 1;
/// pcapng `epb_flags`: sent.
pub const OUTBOUND: u32 = 2;

enum Format {
    Pcap(u16),
    Pcapng(Vec<(u16, String)>),
}

struct File {
    name: String,
    format: Format,
    /// This file's clock minus the reference's.
    ahead_ns: i64,
}

/// A capture point: the file, its pcapng interface (0 in a pcap), and its
/// name as the truth gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At {
    file: usize,
    interface: u32,
    pub name: PointName,
}

struct Shot {
    at: At,
    true_ns: u64,
    ts: u64,
    data: Vec<u8>,
    flags: u32,
    packet: usize,
}

/// A packet of the story, as [`Recorder::packet`] hands it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PacketId(usize);

/// Collects a story's frames point by point, packet by packet, then writes
/// each file in timestamp order and its truth with the frame numbers written.
#[derive(Default)]
pub struct Recorder {
    files: Vec<File>,
    shots: Vec<Shot>,
    packets: Vec<(Direction, Option<(PointName, PointName)>)>,
}

impl Recorder {
    pub fn new() -> Self {
        Recorder::default()
    }

    /// A classic pcap of `link_type` whose clock is `ahead_ns` ahead of the reference.
    pub fn pcap(&mut self, name: &str, link_type: u16, ahead_ns: i64) -> usize {
        self.files.push(File { name: name.to_string(), format: Format::Pcap(link_type), ahead_ns });
        self.files.len() - 1
    }

    /// A pcapng whose clock is `ahead_ns` ahead of the reference.
    pub fn pcapng(&mut self, name: &str, ahead_ns: i64) -> usize {
        self.files.push(File { name: name.to_string(), format: Format::Pcapng(Vec::new()), ahead_ns });
        self.files.len() - 1
    }

    /// A pcapng interface of `file` (Ethernet), named `name`.
    pub fn interface(&mut self, file: usize, name: &str) -> At {
        let f = &mut self.files[file];
        let interface = match &mut f.format {
            Format::Pcapng(ifs) => {
                ifs.push((1, name.to_string()));
                ifs.len() as u32 - 1
            }
            Format::Pcap(_) => 0,
        };
        At { file, interface, name: PointName::new(&f.name, name) }
    }

    /// The point of a Linux cooked v2 pcap that `ifindex` names.
    pub fn ifindex(&self, file: usize, ifindex: u32) -> At {
        At { file, interface: 0, name: PointName::new(&self.files[file].name, &ifindex.to_string()) }
    }

    /// The one point of a classic pcap: its interface 0.
    pub fn only(&self, file: usize) -> At {
        At { file, interface: 0, name: PointName::new(&self.files[file].name, "0") }
    }

    /// A new packet going `direction`, lost between two points or not.
    pub fn packet(&mut self, direction: Direction, lost: Option<(&At, &At)>) -> PacketId {
        self.packets.push((direction, lost.map(|(a, b)| (a.name.clone(), b.name.clone()))));
        PacketId(self.packets.len() - 1)
    }

    /// `packet` seen at `at` at `true_ns` (the reference clock; the file's
    /// own offset is added), captured as `data`; `flags` are pcapng `epb_flags`.
    pub fn shot(&mut self, packet: PacketId, at: &At, true_ns: u64, data: Vec<u8>, flags: u32) {
        let ts = true_ns.saturating_add_signed(self.files[at.file].ahead_ns);
        self.shots.push(Shot { at: at.clone(), true_ns, ts, data, flags, packet: packet.0 });
    }

    /// A packet seen at one point only.
    pub fn single(&mut self, direction: Direction, at: &At, true_ns: u64, data: Vec<u8>, flags: u32) {
        let p = self.packet(direction, None);
        self.shot(p, at, true_ns, data, flags);
    }

    /// Writes the files (each in timestamp order, ties in the order shot) and
    /// the truth, its packets in the order they were first seen (ties in the
    /// order made); `path` is every point in the direction of the first packet.
    pub fn finish(self, path: &[&At]) -> (Vec<(String, Vec<u8>)>, Truth) {
        let mut frames: Vec<Vec<FrameRef>> = vec![Vec::new(); self.packets.len()];
        let mut numbered: Vec<(usize, FrameRef)> = Vec::new();
        let mut files = Vec::new();
        for (i, file) in self.files.iter().enumerate() {
            let mut shots: Vec<(usize, &Shot)> =
                self.shots.iter().enumerate().filter(|(_, s)| s.at.file == i).collect();
            shots.sort_by_key(|(order, s)| (s.ts, *order));
            let bytes = match &file.format {
                Format::Pcap(link) => {
                    let mut w = PcapWriter::new(*link, 262_144);
                    for (_, s) in &shots {
                        w.push(s.ts, &s.data, s.data.len() as u32);
                    }
                    w.into_bytes()
                }
                Format::Pcapng(ifs) => {
                    let mut w = PcapngWriter::new();
                    for (link, name) in ifs {
                        w.interface(*link, name, None);
                    }
                    for (_, s) in &shots {
                        w.packet(s.at.interface, s.ts, &s.data, s.data.len() as u32, s.flags);
                    }
                    w.into_bytes()
                }
            };
            for (n, (order, _)) in shots.iter().enumerate() {
                numbered.push((*order, FrameRef { file: file.name.clone(), frame: n as u64 + 1 }));
            }
            files.push((file.name.clone(), bytes));
        }
        // Each packet's frames in the order they were shot: along its way.
        numbered.sort_by_key(|(order, _)| *order);
        for (order, r) in numbered {
            frames[self.shots[order].packet].push(r);
        }
        let mut first = vec![u64::MAX; self.packets.len()];
        for s in &self.shots {
            first[s.packet] = first[s.packet].min(s.true_ns);
        }
        let mut packets: Vec<(u64, TruePacket)> = self
            .packets
            .into_iter()
            .zip(frames)
            .zip(first)
            .map(|(((direction, lost), frames), first)| (first, TruePacket { frames, direction, lost }))
            .collect();
        packets.sort_by_key(|(first, _)| *first);
        let packets = packets.into_iter().map(|(_, p)| p).collect();
        let reference = path.first().map_or(0, |p| self.files[p.file].ahead_ns);
        let clocks = self
            .files
            .iter()
            .map(|f| TrueClock { file: f.name.clone(), offset_ns: f.ahead_ns - reference, rate_ppb: 0 })
            .collect();
        let path = path.iter().map(|p| p.name.clone()).collect();
        (files, Truth { path, packets, clocks })
    }
}

/// Checks the tests of the stories share: every frame of every file read
/// back, and every checksum the dissector's headers let one recompute.
#[cfg(test)]
pub(crate) mod check {
    use super::super::truth::{Direction, FrameRef, PointName, Story};
    use crate::capture::{CaptureReader, OwnedFrame};
    use crate::frame::dissect::{dissect, Dissection};
    use crate::frame::vendor::internet_checksum_of;
    use crate::wire::link::LinkKind;
    use crate::wire::{sll2, Layer};
    use std::collections::{BTreeMap, BTreeSet};

    /// Every frame of `bytes`, read with the streaming reader; panics on a read error.
    pub fn frames(bytes: &[u8]) -> Vec<OwnedFrame> {
        points(bytes).into_iter().map(|(_, f)| f).collect()
    }

    /// Every frame of `bytes` with its point's interface as the truth names
    /// it: the pcapng `if_name`, a Linux cooked v2 header's ifindex, or "0".
    pub fn points(bytes: &[u8]) -> Vec<(String, OwnedFrame)> {
        let mut r = CaptureReader::new();
        let mut out = Vec::new();
        r.push(bytes, |p| {
            let name = match p.interface_description().and_then(|i| i.name.clone()) {
                Some(n) => n,
                None if p.link_type.kind() == LinkKind::LinuxSll2 => sll2::ifindex(p.data).to_string(),
                None => p.interface.to_string(),
            };
            out.push((name, OwnedFrame::from_packet(&p)))
        })
        .expect("reads");
        r.finish().expect("ends cleanly");
        out
    }

    /// How many packets of the truth name each frame: must be exactly one each.
    pub fn assert_covered_once(story: &Story) {
        let mut seen: BTreeMap<FrameRef, usize> = BTreeMap::new();
        for p in &story.truth.packets {
            assert!(!p.frames.is_empty(), "a packet without frames");
            for f in &p.frames {
                *seen.entry(f.clone()).or_default() += 1;
            }
        }
        let mut expected = 0;
        for (name, bytes) in &story.files {
            let n = frames(bytes).len() as u64;
            expected += n;
            for frame in 1..=n {
                let r = FrameRef { file: name.clone(), frame };
                assert_eq!(seen.get(&r), Some(&1), "{r:?} is in exactly one packet");
            }
        }
        assert_eq!(seen.len() as u64, expected, "the truth names no frame the files lack");
    }

    /// Each frame of the story with its point, by file and frame number.
    pub fn by_ref(story: &Story) -> BTreeMap<(String, u64), (PointName, OwnedFrame)> {
        let mut m = BTreeMap::new();
        for (name, bytes) in &story.files {
            for (iface, f) in points(bytes) {
                m.insert((name.clone(), f.number), (PointName::new(name, &iface), f));
            }
        }
        m
    }

    /// The points captured are the path's; every packet's frames are at
    /// distinct points in the path's order for its direction; a lost
    /// packet's last frame is at its `lost.0`, and `lost.1` is the next
    /// point that way. Returns the points.
    pub fn assert_along_path(story: &Story) -> BTreeSet<PointName> {
        let frames = by_ref(story);
        let seen: BTreeSet<PointName> = frames.values().map(|(p, _)| p.clone()).collect();
        let path: BTreeSet<PointName> = story.truth.path.iter().cloned().collect();
        assert_eq!(seen, path, "every point captured is on the path and the other way round");
        assert_eq!(path.len(), story.truth.path.len(), "no point twice on the path");
        let index = |p: &PointName| story.truth.path.iter().position(|q| q == p).expect("on the path");
        for p in &story.truth.packets {
            let at: Vec<usize> = p.frames.iter().map(|f| index(&frames[&(f.file.clone(), f.frame)].0)).collect();
            let mut along = at.clone();
            match p.direction {
                Direction::Out => along.sort(),
                Direction::Back => along.sort_by(|a, b| b.cmp(a)),
            }
            along.dedup();
            assert_eq!(at, along, "frames at distinct points in path order for its direction: {p:?}");
            if let Some((last, next)) = &p.lost {
                assert_eq!(Some(&index(last)), at.last(), "{p:?}");
                let step = if p.direction == Direction::Out { 1 } else { -1 };
                assert_eq!(index(next) as isize - index(last) as isize, step, "{p:?}");
            }
        }
        // The first packet, on the reference clock, goes Out: it sets the path's direction.
        let offset = |file: &str| story.truth.clocks.iter().find(|c| c.file == file).map_or(0, |c| c.offset_ns);
        let first_seen = |p: &super::super::truth::TruePacket| {
            let at = |f: &FrameRef| frames[&(f.file.clone(), f.frame)].1.timestamp_ns.unwrap_or(0) - offset(&f.file);
            p.frames.iter().map(at).min().unwrap_or(i64::MAX)
        };
        let firsts: Vec<i64> = story.truth.packets.iter().map(first_seen).collect();
        assert!(firsts.windows(2).all(|w| w[0] <= w[1]), "packets in the order first seen");
        assert!(firsts.len() < 2 || firsts[0] < firsts[1], "one first packet");
        assert_eq!(story.truth.packets[0].direction, Direction::Out);
        let files: Vec<&String> = story.files.iter().map(|(n, _)| n).collect();
        let clocks: Vec<&String> = story.truth.clocks.iter().map(|c| &c.file).collect();
        assert_eq!(files, clocks, "one clock per file");
        let reference = story.truth.clocks.iter().find(|c| c.file == story.truth.path[0].file);
        assert_eq!(reference.map(|c| (c.offset_ns, c.rate_ppb)), Some((0, 0)), "path[0]'s file is the reference");
        seen
    }

    /// The single-file scan of every file: no error, every frame read.
    pub fn assert_scans_cleanly(story: &Story) {
        for (name, bytes) in &story.files {
            let mut n = 0u64;
            let summary = crate::scan::scan_bytes(bytes, crate::settings::Settings::default(), |_| n += 1);
            assert_eq!(summary.error, None, "{name} scans without error");
            assert_eq!(n, frames(bytes).len() as u64, "{name}: every frame scanned");
        }
    }

    /// Recomputes every IPv4 header checksum and every TCP, UDP and ICMPv6
    /// checksum (with its pseudo-header) the dissection finds, tunnels
    /// included; returns how many were checked.
    pub fn assert_checksums(data: &[u8], d: &Dissection) -> usize {
        let mut checked = 0;
        let mut ip: Option<(Layer, usize, usize)> = None; // (layer, start, datagram end)
        for h in &d.headers {
            let (start, len) = (h.start as usize, h.len as usize);
            match h.layer {
                Layer::Ipv4 => {
                    assert_eq!(internet_checksum_of(&data[start..start + len]), 0, "IPv4 header at {start}");
                    let total = usize::from(u16::from_be_bytes([data[start + 2], data[start + 3]]));
                    ip = Some((Layer::Ipv4, start, start + total));
                    checked += 1;
                }
                Layer::Ipv6 => {
                    let payload = usize::from(u16::from_be_bytes([data[start + 4], data[start + 5]]));
                    ip = Some((Layer::Ipv6, start, start + 40 + payload));
                }
                Layer::Tcp | Layer::Udp | Layer::Icmpv6 => {
                    let (layer, ip_start, end) = ip.expect("a transport inside IP");
                    let end = end.min(data.len());
                    let next = match h.layer {
                        Layer::Tcp => 6,
                        Layer::Udp => 17,
                        _ => 58,
                    };
                    if h.layer == Layer::Udp && data[start + 6..start + 8] == [0, 0] && layer == Layer::Ipv4 {
                        continue; // no checksum: legal over IPv4
                    }
                    let seg = &data[start..end];
                    let sum = if layer == Layer::Ipv4 {
                        let mut pseudo = data[ip_start + 12..ip_start + 20].to_vec();
                        pseudo.extend_from_slice(&[0, next]);
                        pseudo.extend_from_slice(&(seg.len() as u16).to_be_bytes());
                        pseudo.extend_from_slice(seg);
                        internet_checksum_of(&pseudo)
                    } else {
                        let mut src = [0; 16];
                        let mut dst = [0; 16];
                        src.copy_from_slice(&data[ip_start + 8..ip_start + 24]);
                        dst.copy_from_slice(&data[ip_start + 24..ip_start + 40]);
                        super::checksum6(src, dst, next, seg)
                    };
                    assert_eq!(sum, 0, "{:?} checksum at {start}", h.layer);
                    checked += 1;
                }
                _ => {}
            }
        }
        checked
    }

    /// Dissects a frame read back from a capture.
    pub fn dissected(f: &OwnedFrame) -> Dissection {
        dissect(&f.data, f.link_type, f.original_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::dissect::dissect;
    use crate::wire::link::LinkType;
    use crate::wire::{geneve, sll2 as sll2_wire};

    fn segment(payload: usize) -> Segment {
        Segment {
            src: [10, 0, 0, 1],
            dst: [10, 0, 0, 2],
            ttl: 64,
            ident: 0x1234,
            sport: 40_000,
            dport: 80,
            seq: 7,
            ack: 0,
            flags: SYN,
            mss: Some(1460),
            payload,
            fill: 0x61,
        }
    }

    #[test]
    fn a_syn_carries_its_mss_and_the_ident_asked_for() {
        let b = segment(0).bytes();
        assert_eq!(b.len(), 20 + 24, "TCP header with the 4-byte MSS option");
        assert_eq!(&b[4..7], &[0x12, 0x34, 0x40], "ident and DF");
        assert_eq!(b[33], SYN);
        assert_eq!(&b[40..44], &[2, 4, 0x05, 0xb4]);
        let d = dissect(&eth([0; 6], [1; 6], 0x0800, &b), LinkType(1), 58);
        assert_eq!(d.tcp_syn_mss, Some(1460));
        assert_eq!(check::assert_checksums(&eth([0; 6], [1; 6], 0x0800, &b), &d), 2);
    }

    #[test]
    #[should_panic(expected = "Tcp checksum")]
    fn the_checksum_check_catches_a_flipped_bit() {
        let mut f = eth([0; 6], [1; 6], 0x0800, &segment(100).bytes());
        let last = f.len() - 1;
        f[last] ^= 0x10;
        check::assert_checksums(&f, &dissect(&f, LinkType(1), f.len() as u32));
    }

    #[test]
    fn geneve_with_ovn_option_is_16_bytes_and_the_frame_58_plus_14_more() {
        let h = geneve_header(7, &[ovn_option(3, 5)]);
        assert_eq!((h.len(), geneve::header_len(&h), geneve::vni(&h), geneve::protocol(&h)), (16, 16, 7, 0x6558));
        let datagram = segment(0).bytes();
        let inner = eth([2; 6], [3; 6], 0x0800, &datagram);
        let u = Underlay4 {
            dst_mac: [4; 6],
            src_mac: [5; 6],
            src: [1, 1, 1, 1],
            dst: [2, 2, 2, 2],
            ttl: 64,
            ident: 9,
            sport: 50_000,
        };
        let outer = geneve4(&u, 7, &[ovn_option(3, 5)], &inner);
        assert_eq!(
            outer.len(),
            datagram.len() + 58 + 14,
            "58 on the underlay datagram, then the outer Ethernet header"
        );
        assert_eq!(u16::from_be_bytes([outer[16], outer[17]]) as usize, datagram.len() + 58, "outer IPv4 total length");
    }

    #[test]
    fn cooked_keeps_the_payload_and_names_the_ifindex() {
        let f = eth([2; 6], [3; 6], 0x0800, &segment(10).bytes());
        let c = cooked(&f, 14, PACKET_OUTGOING);
        assert_eq!(c.len(), f.len() - 14 + 20);
        assert_eq!((sll2_wire::ifindex(&c), sll2_wire::protocol(&c), sll2_wire::packet_type(&c)), (14, 0x0800, 4));
        assert_eq!(&c[12..18], &[3; 6], "the source MAC");
    }

    #[test]
    fn packet_too_big_fills_the_ipv6_minimum_mtu() {
        let a = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        let b = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
        let big = echo6(a, b, 64, true, 1, 1, 1452);
        assert_eq!(big.len(), 1500);
        let ptb = packet_too_big(b, a, 1430, &big);
        assert_eq!(ptb.len(), IPV6_MIN_MTU);
        assert_eq!(&ptb[44..48], &1430u32.to_be_bytes());
        assert_eq!(&ptb[48..], &big[..1232]);
        let small = packet_too_big(b, a, 1430, &big[..100]);
        assert_eq!(small.len(), 40 + 8 + 100, "a short packet is quoted whole");
    }
}
