//! Story 3, fragmentation and offload: one datagram cut by a router into fragments, a TSO
//! super-frame and a GRO merge that stand for several wire segments, and a lost segment
//! retransmitted (facts: RFC 791 §2.3 and §3.2 for fragments; /work/shared/DOMAIN.md "Missing or
//! inflated bytes" and "Paths in Kubernetes and other overlays" for TSO/GSO, GRO and
//! retransmissions).
//!
//! Four points on three hosts, `client → router → server`:
//!
//! - `client.pcapng` `eth0`: the client's own capture. TSO and GRO are on, so it shows the
//!   upload as one 21,814-byte super-frame and the download as one merged frame.
//! - `router.pcapng` `lan0` (MTU 1500) and `wan0` (MTU 1400): a router with GRO off, capturing
//!   what it receives and sends; it started capturing after the client's ARP.
//! - `server.pcapng` `eth0`: the server's own capture, offloads off (a VM on the 1400 link):
//!   it shows what the wire carries.
//!
//! What happens (server MSS 1360, from its 1400 MTU):
//!
//! 1. The client ARPs for its gateway (seen by the client only) and pings the router's LAN
//!    address (two points).
//! 2. `ping -s 1472 -M dont` to the server: the router cuts the 1500-byte request into 1396 and
//!    124 bytes (offsets 0 and 1376, same IP ID, MF on the first); the server, whose own MTU is
//!    1400, sends its reply already in two fragments, which the router forwards as they are.
//! 3. The client writes 21,760 bytes: one TSO super-frame on `client` (IPv4 total length 21,800),
//!    16 segments of 1360 bytes on the wire (IP IDs +1 each, PSH on the last); the server ACKs
//!    every second segment.
//! 4. The server answers 4 × 1360 bytes, sent as 4 frames; the client's GRO merges them into one
//!    frame of 5,440 bytes; the client ACKs.
//! 5. The client sends a 300-byte request that the WAN link loses after `wan0` (never at
//!    `server`), retransmits it 210 ms later (same sequence, new IP ID), and the server ACKs.
//!
//! Clocks: the client's file is the reference; the router's runs 380 µs behind it, the
//! server's 1.25 ms ahead, neither drifting.

use super::record::{set_ipv4_fields, Point, Recorder, INBOUND, OUTBOUND};
use super::truth::{Direction, Story};
use super::{ethernet, Body, Datagram};
use crate::craft::LAPTOP_MAC;
use etherparse::PacketBuilder;

pub const CLIENT_IP: [u8; 4] = [192, 168, 1, 10];
pub const ROUTER_LAN_IP: [u8; 4] = [192, 168, 1, 1];
pub const SERVER_IP: [u8; 4] = [10, 20, 0, 80];
const CLIENT_MAC: [u8; 6] = LAPTOP_MAC;
const ROUTER_LAN_MAC: [u8; 6] = [0x00, 0x0d, 0xb9, 0x4a, 0x10, 0x01];
const ROUTER_WAN_MAC: [u8; 6] = [0x00, 0x0d, 0xb9, 0x4a, 0x10, 0x02];
const SERVER_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x3f, 0x80, 0x50];
/// The WAN link's MTU, and so the server's.
pub const WAN_MTU: usize = 1400;
/// The server's MSS: its MTU less 40 bytes of IPv4 and TCP headers.
pub const MSS: usize = WAN_MTU - 40;
/// Segments in the client's TSO super-frame.
pub const TSO_SEGMENTS: usize = 16;
/// Segments of the server's answer that the client's GRO merges.
pub const GRO_SEGMENTS: usize = 4;
/// The router's clock against the client's.
pub const ROUTER_OFFSET_NS: i64 = -380_000;
/// The server's clock against the client's.
pub const SERVER_OFFSET_NS: i64 = 1_250_000;
/// 2025-03-10 09:00:00 UTC, on the client's clock.
const T0: u64 = 1_741_597_200_000_000_000;
const CLIENT_PORT: u16 = 43_512;
const SERVER_PORT: u16 = 8080;
const CLIENT_ISN: u32 = 0x1a2b_3c4d;
const SERVER_ISN: u32 = 0x5e6f_7081;

/// A TCP segment (IPv4, no options) as one hop sees it, any length.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TcpSegment {
    pub src: [u8; 4],
    pub dst: [u8; 4],
    pub ttl: u8,
    pub ident: u16,
    pub src_port: u16,
    pub dst_port: u16,
    pub seq: u32,
    pub ack: u32,
    pub psh: bool,
    pub window: u16,
    pub payload: Vec<u8>,
}

impl TcpSegment {
    /// The datagram's bytes (DF set, as Linux sets it on TCP), with correct
    /// lengths and checksums.
    pub fn bytes(&self) -> Vec<u8> {
        let b = PacketBuilder::ipv4(self.src, self.dst, self.ttl)
            .tcp(self.src_port, self.dst_port, self.seq, self.window)
            .ack(self.ack);
        let b = if self.psh { b.psh() } else { b };
        let mut out = Vec::with_capacity(40 + self.payload.len());
        // Writing to a Vec cannot fail; a segment over 64 KiB would fail the tests loudly.
        let _ = b.write(&mut out, &self.payload);
        if out.len() >= 20 {
            set_ipv4_fields(&mut out, self.ident, true, false, 0);
        }
        out
    }

    /// The same segment one router further: TTL − 1.
    pub fn routed(&self) -> Self {
        TcpSegment { ttl: self.ttl.saturating_sub(1), ..self.clone() }
    }
}

/// What a TSO/GSO super-frame becomes on the wire: segments of `mss`
/// payload bytes, the sequence number advancing by each, IP IDs counting
/// up from the super-frame's, PSH only on the last (if the super-frame has it).
pub fn tso_segments(sup: &TcpSegment, mss: usize) -> Vec<TcpSegment> {
    let n = sup.payload.len().div_ceil(mss);
    sup.payload
        .chunks(mss)
        .enumerate()
        .map(|(k, chunk)| TcpSegment {
            ident: sup.ident.wrapping_add(k as u16),
            seq: sup.seq.wrapping_add((k * mss) as u32),
            psh: sup.psh && k + 1 == n,
            payload: chunk.to_vec(),
            ..sup.clone()
        })
        .collect()
}

/// What GRO hands up for consecutive segments of one flow: the first's
/// headers (IP ID, sequence number), the last's acknowledgement and window,
/// PSH if any had it, and every payload in order.
pub fn gro_merge(segments: &[TcpSegment]) -> TcpSegment {
    let (first, last) = (&segments[0], &segments[segments.len() - 1]);
    TcpSegment {
        ack: last.ack,
        window: last.window,
        psh: segments.iter().any(|s| s.psh),
        payload: segments.iter().flat_map(|s| s.payload.iter().copied()).collect(),
        ..first.clone()
    }
}

/// An IPv4 datagram (20-byte header) cut for a link of `mtu` bytes as a
/// router cuts it (RFC 791 §3.2): each fragment carries the largest multiple
/// of 8 bytes that fits, the same IP ID, its offset in 8-byte units and MF on
/// all but the last; a datagram that fits is returned whole.
pub fn fragments(datagram: &[u8], mtu: usize) -> Vec<Vec<u8>> {
    if datagram.len() <= mtu {
        return vec![datagram.to_vec()];
    }
    let (header, payload) = datagram.split_at(20);
    let ident = u16::from_be_bytes([header[4], header[5]]);
    let per = (mtu - 20) / 8 * 8;
    let n = payload.len().div_ceil(per);
    payload
        .chunks(per)
        .enumerate()
        .map(|(k, chunk)| {
            let mut f = header.to_vec();
            f.extend_from_slice(chunk);
            let total = f.len() as u16;
            f[2..4].copy_from_slice(&total.to_be_bytes());
            set_ipv4_fields(&mut f, ident, false, k + 1 < n, (k * per / 8) as u16);
            f
        })
        .collect()
}

/// The bytes a TCP stream carries from `offset` on, for `len` bytes: no
/// period a segment boundary could hide.
pub fn stream_bytes(salt: u32, offset: usize, len: usize) -> Vec<u8> {
    (offset..offset + len)
        .map(|o| {
            let h = (o as u32 ^ salt).wrapping_mul(0x9e37_79b1);
            (h >> 24) as u8
        })
        .collect()
}

/// An Ethernet II frame of an IPv4 datagram.
fn eth(dst: [u8; 6], src: [u8; 6], datagram: &[u8]) -> Vec<u8> {
    ethernet(dst, src, &[], 0x0800, datagram, &[])
}

/// An ARP request (`reply` false) or reply from `sha`/`spa` to `tha`/`tpa`.
fn arp(reply: bool, sha: [u8; 6], spa: [u8; 4], tha: [u8; 6], tpa: [u8; 4]) -> Vec<u8> {
    let mut a = vec![0, 1, 8, 0, 6, 4, 0, if reply { 2 } else { 1 }];
    a.extend_from_slice(&sha);
    a.extend_from_slice(&spa);
    a.extend_from_slice(&tha);
    a.extend_from_slice(&tpa);
    let dst = if reply { tha } else { [0xff; 6] };
    ethernet(dst, sha, &[], 0x0806, &a, &[])
}

/// The four points and their clocks.
struct Points {
    client: Point,
    lan: Point,
    wan: Point,
    server: Point,
}

impl Points {
    /// Timestamp at `p` of an instant `t` of the client's clock.
    fn at(&self, p: Point, t: u64) -> u64 {
        let off = if p == self.lan || p == self.wan {
            ROUTER_OFFSET_NS
        } else if p == self.server {
            SERVER_OFFSET_NS
        } else {
            0
        };
        (t as i64 + off) as u64
    }
}

/// Story 3: see the module's documentation.
pub fn offload() -> Story {
    let mut rec = Recorder::new();
    let client = rec.pcapng("client.pcapng", &["eth0"])[0];
    let router = rec.pcapng("router.pcapng", &["lan0", "wan0"]);
    let server = rec.pcapng("server.pcapng", &["eth0"])[0];
    let (lan, wan) = (router[0], router[1]);
    rec.clock(lan, ROUTER_OFFSET_NS, 0);
    rec.clock(server, SERVER_OFFSET_NS, 0);
    let pts = Points { client, lan, wan, server };
    // One frame of `packet` at `p`, at instant `t` of the client's clock.
    let put = |rec: &mut Recorder, packet, p: Point, t: u64, data: Vec<u8>, flags: u32| {
        rec.frame(packet, p, pts.at(p, t), data, flags);
    };
    // Wire time of a full 1414-byte frame: 1 Gbit/s on the LAN, 100 Mbit/s on the WAN.
    const LAN_FRAME_NS: u64 = 11_500;
    const WAN_FRAME_NS: u64 = 113_120;

    // 1. ARP for the gateway, before the router's capture started.
    let p = rec.packet(Direction::Out);
    put(&mut rec, p, client, T0, arp(false, CLIENT_MAC, CLIENT_IP, [0; 6], ROUTER_LAN_IP), OUTBOUND);
    let p = rec.packet(Direction::Back);
    put(&mut rec, p, client, T0 + 180_000, arp(true, ROUTER_LAN_MAC, ROUTER_LAN_IP, CLIENT_MAC, CLIENT_IP), INBOUND);
    // A ping to the router's LAN address: two points each way.
    let echo = |request: bool, src, dst, ident: u16, seq: u16, payload| Datagram {
        src,
        dst,
        ttl: 64,
        ident,
        dont_fragment: false,
        body: Body::Echo { request, ident: 0x0c1e, seq, payload },
    };
    let t = T0 + 20_000_000;
    let req = echo(true, CLIENT_IP, ROUTER_LAN_IP, 0x3c00, 1, 56).bytes();
    let p = rec.packet(Direction::Out);
    put(&mut rec, p, client, t, eth(ROUTER_LAN_MAC, CLIENT_MAC, &req), OUTBOUND);
    put(&mut rec, p, lan, t + 25_000, eth(ROUTER_LAN_MAC, CLIENT_MAC, &req), INBOUND);
    let rep = echo(false, ROUTER_LAN_IP, CLIENT_IP, 0x9100, 1, 56).bytes();
    let p = rec.packet(Direction::Back);
    put(&mut rec, p, lan, t + 60_000, eth(CLIENT_MAC, ROUTER_LAN_MAC, &rep), OUTBOUND);
    put(&mut rec, p, client, t + 85_000, eth(CLIENT_MAC, ROUTER_LAN_MAC, &rep), INBOUND);

    // 2. A 1500-byte ping without DF: fragmented by the router on the way
    //    out, by the server itself on the way back.
    let t = T0 + 100_000_000;
    let req = echo(true, CLIENT_IP, SERVER_IP, 0x3c01, 2, 1472);
    let p = rec.packet(Direction::Out);
    put(&mut rec, p, client, t, eth(ROUTER_LAN_MAC, CLIENT_MAC, &req.bytes()), OUTBOUND);
    put(&mut rec, p, lan, t + 25_000, eth(ROUTER_LAN_MAC, CLIENT_MAC, &req.bytes()), INBOUND);
    for (k, f) in fragments(&req.routed().bytes(), WAN_MTU).iter().enumerate() {
        let sent = t + 70_000 + k as u64 * WAN_FRAME_NS;
        put(&mut rec, p, wan, sent, eth(SERVER_MAC, ROUTER_WAN_MAC, f), OUTBOUND);
        put(&mut rec, p, server, sent + 120_000, eth(SERVER_MAC, ROUTER_WAN_MAC, f), INBOUND);
    }
    let rep = echo(false, SERVER_IP, CLIENT_IP, 0x7700, 2, 1472);
    let p = rec.packet(Direction::Back);
    let t = t + 500_000;
    let here = fragments(&rep.bytes(), WAN_MTU);
    let there = fragments(&rep.routed().bytes(), WAN_MTU);
    for (k, (f, g)) in here.iter().zip(&there).enumerate() {
        let sent = t + k as u64 * WAN_FRAME_NS;
        put(&mut rec, p, server, sent, eth(ROUTER_WAN_MAC, SERVER_MAC, f), OUTBOUND);
        put(&mut rec, p, wan, sent + 120_000, eth(ROUTER_WAN_MAC, SERVER_MAC, f), INBOUND);
        put(&mut rec, p, lan, sent + 160_000, eth(CLIENT_MAC, ROUTER_LAN_MAC, g), OUTBOUND);
        put(&mut rec, p, client, sent + 185_000, eth(CLIENT_MAC, ROUTER_LAN_MAC, g), INBOUND);
    }

    // 3. The upload: one TSO super-frame on the client, 16 segments beyond.
    let t = T0 + 200_000_000;
    let up_len = TSO_SEGMENTS * MSS;
    let sup = TcpSegment {
        src: CLIENT_IP,
        dst: SERVER_IP,
        ttl: 64,
        ident: 0x5a10,
        src_port: CLIENT_PORT,
        dst_port: SERVER_PORT,
        seq: CLIENT_ISN,
        ack: SERVER_ISN,
        psh: true,
        window: 502,
        payload: stream_bytes(CLIENT_ISN, 0, up_len),
    };
    let p = rec.packet(Direction::Out);
    put(&mut rec, p, client, t, eth(ROUTER_LAN_MAC, CLIENT_MAC, &sup.bytes()), OUTBOUND);
    let mut server_ident = 0x7701u16;
    let mut acks = Vec::new();
    for (k, s) in tso_segments(&sup, MSS).iter().enumerate() {
        let k = k as u64;
        put(&mut rec, p, lan, t + 20_000 + k * LAN_FRAME_NS, eth(ROUTER_LAN_MAC, CLIENT_MAC, &s.bytes()), INBOUND);
        let sent = t + 70_000 + k * WAN_FRAME_NS;
        let routed = s.routed().bytes();
        put(&mut rec, p, wan, sent, eth(SERVER_MAC, ROUTER_WAN_MAC, &routed), OUTBOUND);
        put(&mut rec, p, server, sent + 120_000, eth(SERVER_MAC, ROUTER_WAN_MAC, &routed), INBOUND);
        if k % 2 == 1 {
            acks.push((sent + 150_000, s.seq.wrapping_add(MSS as u32)));
        }
    }
    // The server acknowledges every second segment.
    let server_ack = |ident: u16, seq: u32, ack: u32| TcpSegment {
        src: SERVER_IP,
        dst: CLIENT_IP,
        ttl: 64,
        ident,
        src_port: SERVER_PORT,
        dst_port: CLIENT_PORT,
        seq,
        ack,
        psh: false,
        window: 1444,
        payload: Vec::new(),
    };
    for (sent, ack) in acks {
        let a = server_ack(server_ident, SERVER_ISN, ack);
        server_ident += 1;
        ack_back(&mut rec, &pts, sent, &a);
    }

    // 4. The answer: 4 segments from the server, one GRO frame on the client.
    let t = T0 + 400_000_000;
    let client_seq = CLIENT_ISN.wrapping_add(up_len as u32);
    let down: Vec<TcpSegment> = (0..GRO_SEGMENTS)
        .map(|k| TcpSegment {
            psh: k + 1 == GRO_SEGMENTS,
            payload: stream_bytes(SERVER_ISN, k * MSS, MSS),
            ..server_ack(server_ident + k as u16, SERVER_ISN.wrapping_add((k * MSS) as u32), client_seq)
        })
        .collect();
    server_ident += GRO_SEGMENTS as u16;
    let p = rec.packet(Direction::Back);
    let mut arrived = 0;
    for (k, s) in down.iter().enumerate() {
        let sent = t + k as u64 * WAN_FRAME_NS;
        put(&mut rec, p, server, sent, eth(ROUTER_WAN_MAC, SERVER_MAC, &s.bytes()), OUTBOUND);
        put(&mut rec, p, wan, sent + 120_000, eth(ROUTER_WAN_MAC, SERVER_MAC, &s.bytes()), INBOUND);
        let routed = s.routed().bytes();
        put(&mut rec, p, lan, sent + 160_000, eth(CLIENT_MAC, ROUTER_LAN_MAC, &routed), OUTBOUND);
        arrived = sent + 185_000;
    }
    let merged: Vec<TcpSegment> = down.iter().map(TcpSegment::routed).collect();
    let merged = gro_merge(&merged);
    put(&mut rec, p, client, arrived + 5_000, eth(CLIENT_MAC, ROUTER_LAN_MAC, &merged.bytes()), INBOUND);
    let server_seq = SERVER_ISN.wrapping_add((GRO_SEGMENTS * MSS) as u32);
    let client_ack = |ident: u16, seq: u32, psh: bool, payload: Vec<u8>| TcpSegment {
        src: CLIENT_IP,
        dst: SERVER_IP,
        ttl: 64,
        ident,
        src_port: CLIENT_PORT,
        dst_port: SERVER_PORT,
        seq,
        ack: server_seq,
        psh,
        window: 2048,
        payload,
    };
    ack_out(&mut rec, &pts, arrived + 45_000, &client_ack(0x5a20, client_seq, false, Vec::new()), None);

    // 5. A request lost on the WAN link after `wan0`, then its retransmission.
    let t = T0 + 600_000_000;
    let request = stream_bytes(CLIENT_ISN, up_len, 300);
    ack_out(&mut rec, &pts, t, &client_ack(0x5a21, client_seq, true, request.clone()), Some(server));
    let t = t + 210_000_000;
    ack_out(&mut rec, &pts, t, &client_ack(0x5a22, client_seq, true, request), None);
    let a = server_ack(server_ident, server_seq, client_seq.wrapping_add(300));
    ack_back(&mut rec, &pts, t + 600_000, &a);

    rec.finish("offload", &[client, lan, wan, server])
}

/// A segment small enough for every link from the client towards the
/// server, sent at `t`; `lost_before` is the point it never reaches.
fn ack_out(rec: &mut Recorder, pts: &Points, t: u64, s: &TcpSegment, lost_before: Option<Point>) {
    let p = rec.packet(Direction::Out);
    let here = eth(ROUTER_LAN_MAC, CLIENT_MAC, &s.bytes());
    let there = eth(SERVER_MAC, ROUTER_WAN_MAC, &s.routed().bytes());
    let hops = [(pts.client, t, &here, OUTBOUND), (pts.lan, t + 25_000, &here, INBOUND)];
    let hops =
        hops.into_iter().chain([(pts.wan, t + 70_000, &there, OUTBOUND), (pts.server, t + 190_000, &there, INBOUND)]);
    let mut last = pts.client;
    for (at, ts, f, flags) in hops {
        if Some(at) == lost_before {
            rec.lost(p, last, at);
            return;
        }
        rec.frame(p, at, pts.at(at, ts), f.clone(), flags);
        last = at;
    }
}

/// A segment small enough for every link from the server towards the
/// client, sent at `t` (on the client's clock).
fn ack_back(rec: &mut Recorder, pts: &Points, t: u64, s: &TcpSegment) {
    let p = rec.packet(Direction::Back);
    let here = eth(ROUTER_WAN_MAC, SERVER_MAC, &s.bytes());
    let there = eth(CLIENT_MAC, ROUTER_LAN_MAC, &s.routed().bytes());
    for (at, ts, f, flags) in [
        (pts.server, t, &here, OUTBOUND),
        (pts.wan, t + 120_000, &here, INBOUND),
        (pts.lan, t + 160_000, &there, OUTBOUND),
        (pts.client, t + 185_000, &there, INBOUND),
    ] {
        rec.frame(p, at, pts.at(at, ts), f.clone(), flags);
    }
}

#[cfg(test)]
mod tests {
    use super::super::record::check;
    use super::super::truth::{FrameRef, PointName};
    use super::*;

    fn point(file: &str, interface: &str) -> PointName {
        PointName::new(file, interface)
    }

    #[test]
    fn every_frame_is_in_exactly_one_packet() {
        let s = offload();
        check::truth_is_whole(&s);
        assert_eq!(
            s.truth.path,
            vec![
                point("client.pcapng", "eth0"),
                point("router.pcapng", "lan0"),
                point("router.pcapng", "wan0"),
                point("server.pcapng", "eth0"),
            ]
        );
    }

    #[test]
    fn is_deterministic() {
        let (a, b) = (offload(), offload());
        assert_eq!(a.files, b.files);
        assert_eq!(a.truth, b.truth);
    }

    #[test]
    fn every_packet_carries_the_same_at_every_point() {
        // Fragments reassemble to the datagram, the TSO super-frame and the
        // GRO frame to their segments; IPv4 header checksums verify.
        check::same_content_everywhere(&offload());
    }

    /// Each packet's frames by point, as (point, frame bytes).
    fn by_point(s: &Story) -> Vec<Vec<(PointName, Vec<u8>)>> {
        let files = check::read(s);
        s.truth
            .packets
            .iter()
            .map(|p| {
                p.frames
                    .iter()
                    .map(|r| {
                        let (pt, f) = check::frame(&files, r);
                        (pt.clone(), f.data.clone())
                    })
                    .collect()
            })
            .collect()
    }

    fn at<'a>(frames: &'a [(PointName, Vec<u8>)], p: &PointName) -> Vec<&'a [u8]> {
        frames.iter().filter(|(q, _)| q == p).map(|(_, f)| &f[..]).collect()
    }

    #[test]
    fn the_router_fragments_the_large_ping() {
        let s = offload();
        let (client, lan, wan, server) = (&s.truth.path[0], &s.truth.path[1], &s.truth.path[2], &s.truth.path[3]);
        let packets = by_point(&s);
        let big =
            packets.iter().find(|p| at(p, lan).len() == 1 && at(p, wan).len() == 2).expect("a fragmented request");
        let whole = check::ipv4(at(big, lan)[0]).unwrap();
        assert_eq!((whole.len(), check::fragment_fields(whole).1), (1500, false), "1500 bytes, DF clear");
        assert_eq!(at(big, client).len(), 1);
        let frags: Vec<_> = at(big, wan).iter().map(|f| check::ipv4(f).unwrap()).collect();
        assert_eq!(frags.iter().map(|f| f.len()).collect::<Vec<_>>(), vec![1396, 124]);
        assert_eq!(check::fragment_fields(frags[0]), (0x3c01, false, true, 0));
        assert_eq!(check::fragment_fields(frags[1]), (0x3c01, false, false, 1376));
        let mut payload = frags[0][20..].to_vec();
        payload.extend_from_slice(&frags[1][20..]);
        assert_eq!(payload, whole[20..], "the fragments reassemble to the datagram's payload");
        assert_eq!(at(big, server).len(), 2);
        // The reply: fragmented by the server itself, two frames at every point.
        let reply = packets.iter().find(|p| at(p, server).len() == 2 && at(p, client).len() == 2).expect("a reply");
        for p in &s.truth.path {
            assert_eq!(at(reply, p).len(), 2);
        }
    }

    /// (IPv4 total length, IP ID, seq, PSH, payload) of a TCP frame.
    fn tcp(frame: &[u8]) -> (usize, u16, u32, bool, Vec<u8>) {
        let ip = check::ipv4(frame).unwrap();
        let t = &ip[20..];
        let seq = u32::from_be_bytes([t[4], t[5], t[6], t[7]]);
        (ip.len(), check::fragment_fields(ip).0, seq, t[13] & 0x08 != 0, t[usize::from(t[12] >> 4) * 4..].to_vec())
    }

    #[test]
    fn the_tso_super_frame_is_its_wire_segments() {
        let s = offload();
        let (client, lan, wan) = (&s.truth.path[0], &s.truth.path[1], &s.truth.path[2]);
        let packets = by_point(&s);
        let i = packets.iter().position(|p| at(p, lan).len() == TSO_SEGMENTS).expect("the upload");
        let up = &packets[i];
        assert_eq!(s.truth.packets[i].lost, None, "the upload is not lost: it is one packet with its segments");
        let sup = at(up, client);
        assert_eq!(sup.len(), 1);
        let (len, ident, seq, psh, payload) = tcp(sup[0]);
        assert_eq!((len, sup[0].len()), (21_800, 21_814));
        assert!(psh);
        for p in [lan, wan] {
            let segs: Vec<_> = at(up, p).iter().map(|f| tcp(f)).collect();
            let mut joined = Vec::new();
            for (k, (len, id, sq, push, pl)) in segs.iter().enumerate() {
                assert_eq!(*len, WAN_MTU, "an MSS-size segment");
                assert_eq!(*id, ident + k as u16, "IP IDs count up from the super-frame's");
                assert_eq!(*sq, seq + (k * MSS) as u32);
                assert_eq!(*push, k + 1 == TSO_SEGMENTS, "PSH only on the last");
                joined.extend_from_slice(pl);
            }
            assert_eq!(joined, payload, "the super-frame's payload is its segments'");
        }
    }

    #[test]
    fn the_gro_frame_is_its_wire_segments() {
        let s = offload();
        let (client, lan, server) = (&s.truth.path[0], &s.truth.path[1], &s.truth.path[3]);
        let packets = by_point(&s);
        let i = packets.iter().position(|p| at(p, server).len() == GRO_SEGMENTS).expect("the answer");
        let down = &packets[i];
        assert_eq!((s.truth.packets[i].direction, &s.truth.packets[i].lost), (Direction::Back, &None));
        let merged = at(down, client);
        assert_eq!(merged.len(), 1);
        let (len, ident, seq, psh, payload) = tcp(merged[0]);
        assert_eq!(len, 40 + GRO_SEGMENTS * MSS);
        assert!(psh);
        let segs: Vec<_> = at(down, lan).iter().map(|f| tcp(f)).collect();
        assert_eq!((segs[0].1, segs[0].2), (ident, seq), "the merge keeps the first segment's IP ID and seq");
        let joined: Vec<u8> = segs.iter().flat_map(|s| s.4.iter().copied()).collect();
        assert_eq!(joined, payload, "the merged frame's payload is its segments'");
    }

    #[test]
    fn one_request_is_lost_on_the_wan_and_retransmitted() {
        let s = offload();
        let (wan, server) = (&s.truth.path[2], &s.truth.path[3]);
        let lost: Vec<_> = s.truth.packets.iter().filter(|p| p.lost.is_some()).collect();
        assert_eq!(lost.len(), 1);
        assert_eq!(lost[0].lost, Some((wan.clone(), server.clone())));
        assert_eq!(lost[0].frames.len(), 3);
        let files = check::read(&s);
        let payload_of = |r: &FrameRef| tcp(&check::frame(&files, r).1.data);
        let (_, id, seq, _, payload) = payload_of(&lost[0].frames[0]);
        let again = s
            .truth
            .packets
            .iter()
            .filter(|p| p.lost.is_none() && p.frames.len() == 4)
            .find(|p| {
                let (_, i, sq, _, pl) = payload_of(&p.frames[0]);
                sq == seq && pl == payload && i != id
            })
            .expect("a retransmission: same seq and payload, new IP ID");
        assert_eq!(again.direction, Direction::Out);
    }

    #[test]
    fn arp_and_the_gateway_ping_are_seen_where_they_pass() {
        let s = offload();
        let sizes: Vec<usize> = s.truth.packets.iter().map(|p| p.frames.len()).collect();
        assert_eq!(&sizes[..4], &[1, 1, 2, 2]);
        assert_eq!(s.truth.packets.len(), 20);
    }
}
