//! The captures of the lessons issue 24 added (Geneve and OVN, IPv6 Packet
//! Too Big, MSS clamping, capture points), built from the path stories'
//! header builders ([`super::paths::build`]) so that a lesson and a story
//! show the same bytes for the same thing.

use super::paths::build::{
    echo6, eth, geneve4, geneve_header, ovn_option, packet_too_big, Segment, Underlay4, ACK, PSH,
};
use super::PcapWriter;
use etherparse::PacketBuilder;

const T0: u64 = 1_733_050_800_000_000_000;

/// Node NICs on the underlay, and pods' MACs as OVN-Kubernetes derives them
/// (`0a:58:` followed by the pod's IPv4 address).
const NODE1_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x6b, 0x01, 0x01];
const NODE2_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x6b, 0x02, 0x01];
const POD_A: [u8; 4] = [10, 244, 1, 5];
const POD_B: [u8; 4] = [10, 244, 2, 7];
const POD_A_MAC: [u8; 6] = [0x0a, 0x58, 10, 244, 1, 5];
const POD_B_MAC: [u8; 6] = [0x0a, 0x58, 10, 244, 2, 7];

/// A full-size TCP segment from pod A to pod B: a datagram of `pod_mtu`
/// bytes, framed by the pod's veth (no padding, no FCS).
fn pod_frame(pod_mtu: usize, seq: u32) -> Vec<u8> {
    let s = Segment {
        src: POD_A,
        dst: POD_B,
        ttl: 64,
        ident: 0x3a00 + (seq & 0xff) as u16,
        sport: 41_000,
        dport: 8080,
        seq,
        ack: 1,
        flags: ACK | PSH,
        mss: None,
        payload: pod_mtu - 40,
        fill: 0x6b,
    };
    eth(POD_B_MAC, POD_A_MAC, 0x0800, &s.bytes())
}

/// Geneve with OVN's one option, as node 1's NIC sends it to node 2: pod MTU
/// 1442 fills a 1500-byte underlay datagram exactly (20 + 8 + 16 + 14 = 58
/// bytes around the pod's datagram); a pod left at MTU 1500 makes 1558
/// bytes, DF set; over an IPv6 underlay the outer header is 40 bytes, so pod
/// MTU 1422 fills it.
pub fn geneve_ovn() -> Vec<u8> {
    let mut w = PcapWriter::new(1, 262_144);
    let option = [ovn_option(3, 5)];
    let u = |ident: u16| Underlay4 {
        dst_mac: NODE2_MAC,
        src_mac: NODE1_MAC,
        src: [172, 18, 0, 2],
        dst: [172, 18, 0, 3],
        ttl: 64,
        ident,
        sport: 52_113,
    };
    let fits = geneve4(&u(0x1001), 7, &option, &pod_frame(1442, 1));
    let too_big = geneve4(&u(0x1002), 7, &option, &pod_frame(1500, 1403));
    let mut payload = geneve_header(7, &option);
    payload.extend_from_slice(&pod_frame(1422, 2903));
    let node1: [u8; 16] = [0xfd, 0, 0, 0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
    let node2: [u8; 16] = [0xfd, 0, 0, 0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3];
    let mut over_v6 = Vec::new();
    // Over IPv6 the UDP checksum is required (RFC 8200 section 8.1): etherparse computes it.
    let _ = PacketBuilder::ethernet2(NODE1_MAC, NODE2_MAC)
        .ipv6(node1, node2, 64)
        .udp(52_113, 6081)
        .write(&mut over_v6, &payload);
    for (i, f) in [fits, too_big, over_v6].iter().enumerate() {
        w.push(T0 + i as u64 * 1_000_000, f, f.len() as u32);
    }
    w.into_bytes()
}

const HOST_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x16, 0x00, 0x10];
const ROUTER_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x16, 0x00, 0x01];
/// 2001:db8:1::10, the capturing host.
pub const PTB_HOST: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10];
/// 2001:db8:1::1, the router's address on the host's link.
pub const PTB_ROUTER: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01];
/// 2001:db8:2::20, behind the router's 1400-byte link.
pub const PTB_FAR: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20];
/// The MTU of the router's link towards the far host.
pub const PTB_MTU: u32 = 1400;

/// IPv6 Packet Too Big, captured on the sending host's link: `ping -6 -M do
/// -s 1452` makes a 1500-byte datagram; the router, whose next link has MTU
/// 1400, drops it (routers never fragment IPv6) and answers from its own
/// address with Packet Too Big, MTU 1400, quoting as much of the packet as
/// keeps the error within 1280 bytes; `-s 1352` (1400 bytes) is answered,
/// forwarded back by the router (hop limit 63).
pub fn ipv6_packet_too_big() -> Vec<u8> {
    let mut w = PcapWriter::new(1, 262_144);
    let big = echo6(PTB_HOST, PTB_FAR, 64, true, 0x6a6a, 1, 1452);
    // The router checks the size before it decrements the hop limit
    // (`ip6_forward`): it quotes the packet as the host sent it.
    let ptb = packet_too_big(PTB_ROUTER, PTB_HOST, PTB_MTU, &big);
    let fits = echo6(PTB_HOST, PTB_FAR, 64, true, 0x6a6a, 2, 1352);
    let reply = echo6(PTB_FAR, PTB_HOST, 63, false, 0x6a6a, 2, 1352);
    let frames = [
        eth(ROUTER_MAC, HOST_MAC, 0x86dd, &big),
        eth(HOST_MAC, ROUTER_MAC, 0x86dd, &ptb),
        eth(ROUTER_MAC, HOST_MAC, 0x86dd, &fits),
        eth(HOST_MAC, ROUTER_MAC, 0x86dd, &reply),
    ];
    let at = [0, 310_000, 1_000_000_000, 1_000_620_000];
    for (f, t) in frames.iter().zip(at) {
        w.push(T0 + 60_000_000_000 + t, f, f.len() as u32);
    }
    w.into_bytes()
}

const CLIENT: [u8; 4] = [192, 168, 50, 10];
const SERVER: [u8; 4] = [203, 0, 113, 80];
const CLIENT_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x4d, 0x00, 0x0a];
const LAN_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x4d, 0x00, 0x01];
const WAN_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x4d, 0x01, 0x01];
const UPSTREAM_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x4d, 0x01, 0xfe];
/// The router's WAN link: the smaller MTU the clamp writes into SYNs.
pub const CLAMP_WAN_MTU: u16 = 1400;

/// One TCP segment of the clamped connection, as Linux sends it: a SYN's
/// options in Linux's order (MSS, SACK permitted, timestamps, NOP, window
/// scale: 20 bytes), a data segment's NOP, NOP, timestamps (12 bytes, RFC
/// 7323 section 3); DF set.
fn clamp_segment(from_client: bool, ttl: u8, ident: u16, syn_mss: Option<u16>, payload: usize) -> Vec<u8> {
    use etherparse::TcpOptionElement::{
        MaximumSegmentSize, Noop, SelectiveAcknowledgementPermitted, Timestamp, WindowScale,
    };
    // Initial sequence numbers; the SYN takes one, so data and ACKs start one later.
    let (src, dst, sport, dport, isn, peer_isn) = if from_client {
        (CLIENT, SERVER, 51_234, 443, 0x1000_0000u32, 0x7000_0000u32)
    } else {
        (SERVER, CLIENT, 443, 51_234, 0x7000_0000, 0x1000_0000)
    };
    let (seq, ack) = (if syn_mss.is_some() { isn } else { isn + 1 }, peer_isn + 1);
    let (tsval, tsecr) = if from_client { (811_000, 52_000) } else { (52_000, 811_000) };
    let step = PacketBuilder::ipv4(src, dst, ttl).tcp(sport, dport, seq, 64_240);
    let mut out = Vec::new();
    let written = match syn_mss {
        Some(mss) => {
            let step = if from_client { step.syn() } else { step.syn().ack(ack) };
            let opts =
                [MaximumSegmentSize(mss), SelectiveAcknowledgementPermitted, Timestamp(tsval, 0), Noop, WindowScale(7)];
            step.options(&opts).map(|s| s.write(&mut out, &[]))
        }
        None => {
            let step = step.ack(ack).psh();
            step.options(&[Noop, Noop, Timestamp(tsval, tsecr)]).map(|s| s.write(&mut out, &vec![0x5c; payload]))
        }
    };
    if !matches!(written, Ok(Ok(()))) {
        return Vec::new();
    }
    super::paths::build::set_ipv4_fields(&mut out, ident, true, false, 0);
    out
}

/// MSS clamping, captured on the router on both of its links (pcapng,
/// interfaces `lan0`, MTU 1500, and `wan0`, MTU 1400). The router runs
/// `iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS
/// --clamp-mss-to-pmtu`: the client's SYN (MSS 1460) leaves on `wan0` with
/// 1360, and the server's SYN-ACK (1460) reaches `lan0` with 1360, because
/// `tcpmss_mangle_packet` takes the smaller of the route's MTU and the
/// reverse route's (`tcpmss_reverse_mtu`) and never raises an MSS. Each
/// side's first data segment then carries 1360 − 12 = 1348 bytes: a
/// 1400-byte datagram.
pub fn mss_clamp() -> Vec<u8> {
    use super::paths::record::{INBOUND, OUTBOUND};
    let mut w = super::PcapngWriter::new();
    let lan = w.interface(1, "lan0", None);
    let wan = w.interface(1, "wan0", None);
    let clamped = CLAMP_WAN_MTU - 40;
    let data = usize::from(clamped) - 12;
    // (interface, to, from, the datagram as that link carries it, flags, µs)
    let frames = [
        (lan, LAN_MAC, CLIENT_MAC, clamp_segment(true, 64, 0x5101, Some(1460), 0), INBOUND, 0),
        (wan, UPSTREAM_MAC, WAN_MAC, clamp_segment(true, 63, 0x5101, Some(clamped), 0), OUTBOUND, 41),
        (wan, WAN_MAC, UPSTREAM_MAC, clamp_segment(false, 57, 0, Some(1460), 0), INBOUND, 18_950),
        (lan, CLIENT_MAC, LAN_MAC, clamp_segment(false, 56, 0, Some(clamped), 0), OUTBOUND, 18_988),
        (lan, LAN_MAC, CLIENT_MAC, clamp_segment(true, 64, 0x5102, None, data), INBOUND, 19_410),
        (wan, UPSTREAM_MAC, WAN_MAC, clamp_segment(true, 63, 0x5102, None, data), OUTBOUND, 19_452),
        (wan, WAN_MAC, UPSTREAM_MAC, clamp_segment(false, 57, 0x2e01, None, data), INBOUND, 38_870),
        (lan, CLIENT_MAC, LAN_MAC, clamp_segment(false, 56, 0x2e01, None, data), OUTBOUND, 38_911),
    ];
    for (at, dst, src, datagram, flags, us) in frames {
        let f = eth(dst, src, 0x0800, &datagram);
        w.packet(at, T0 + 120_000_000_000 + us * 1000, &f, f.len() as u32, flags);
    }
    w.into_bytes()
}

const NODE_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0xc9, 0x00, 0x01];
const PEER_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0xc9, 0x00, 0x02];
const NODE_IP: [u8; 4] = [10, 60, 0, 1];
const PEER_IP: [u8; 4] = [10, 60, 0, 2];
/// Data bytes of one full-size segment with timestamps on a 1500 link: 1500 − 20 − 20 − 12.
pub const FULL_SEGMENT: usize = 1448;
/// Wire segments in the TSO and the GRO super-frame.
pub const SUPER_SEGMENTS: usize = 4;

/// A TCP segment between the node and its peer, framed by Ethernet without
/// padding; `timestamps` adds NOP, NOP and the 10-byte option.
fn node_tcp(outbound: bool, ident: u16, seq: u32, payload: usize, timestamps: bool) -> Vec<u8> {
    use etherparse::TcpOptionElement::{Noop, Timestamp};
    let (src_mac, dst_mac, src, dst, sport, dport) = if outbound {
        (NODE_MAC, PEER_MAC, NODE_IP, PEER_IP, 47_000, 5201)
    } else {
        (PEER_MAC, NODE_MAC, PEER_IP, NODE_IP, 5201, 47_000)
    };
    let step = PacketBuilder::ipv4(src, dst, 64).tcp(sport, dport, seq, 501).ack(0x0c00_0001);
    let mut out = Vec::new();
    let written = if timestamps {
        step.options(&[Noop, Noop, Timestamp(4_100_000, 3_900_000)]).map(|s| s.write(&mut out, &vec![0x42; payload]))
    } else {
        Ok(step.write(&mut out, &vec![0x42; payload]))
    };
    if !matches!(written, Ok(Ok(()))) {
        return Vec::new();
    }
    super::paths::build::set_ipv4_fields(&mut out, ident, true, false, 0);
    eth(dst_mac, src_mac, 0x0800, &out)
}

/// One host's capture on several interfaces (`dumpcap -i eth0 -i veth3f2a9c
/// -i eth1 -i eth1.100 -i eth2`): what each capture point shows of frames
/// the wire carried differently. Sent frames before the NIC pads them,
/// received ones with the sender's padding; a veth's frames, never padded;
/// a tag the NIC stripped (VLAN offload) that libpcap re-inserts from the
/// packet's metadata on `eth1` and that the VLAN device `eth1.100` does not
/// show; a TSO super-frame sent and a GRO super-frame received; and on
/// `eth2`, with `ethtool -K eth2 rx-fcs on rx-all on`, the FCS kept
/// (`if_fcslen` 4) and a frame with a bad FCS that the NIC passed.
pub fn capture_points() -> Vec<u8> {
    use super::paths::record::{INBOUND, OUTBOUND};
    let mut w = super::PcapngWriter::new();
    let eth0 = w.interface(1, "eth0", None);
    let veth = w.interface(1, "veth3f2a9c", None);
    let eth1 = w.interface(1, "eth1", None);
    let vlan = w.interface(1, "eth1.100", None);
    let eth2 = w.interface(1, "eth2", Some(4));
    let ack = |outbound: bool, ident: u16| node_tcp(outbound, ident, 0x0a00_0000, 0, false);
    let mut padded = ack(false, 0x7101);
    padded.resize(60, 0);
    // Received on the trunk: ping -s 1472 on VLAN 100, the tag as libpcap re-inserts it.
    let ping = super::echo_frame(true, 100, 0x0d0d, 1, 1472);
    let mut untagged = ping[..12].to_vec();
    untagged.extend_from_slice(&ping[16..]);
    let tso = node_tcp(true, 0x6001, 0x0a00_0000, SUPER_SEGMENTS * FULL_SEGMENT, true);
    let gro = node_tcp(false, 0x7201, 0x0b00_0000, SUPER_SEGMENTS * FULL_SEGMENT, true);
    // eth2 keeps the FCS: a padded ACK, and a full-size frame damaged on the wire.
    let mut with_fcs = padded.clone();
    with_fcs.extend_from_slice(&crate::wire::ethernet::fcs_of(&padded));
    let full = node_tcp(false, 0x7301, 0x0b00_2000, 1460, false);
    let mut damaged = full.clone();
    damaged.extend_from_slice(&crate::wire::ethernet::fcs_of(&full));
    damaged[700] ^= 0x04; // one bit flipped on the wire after the sender computed the CRC
    let frames = [
        (eth0, ack(true, 0x6000), OUTBOUND),
        (eth0, padded, INBOUND),
        (veth, ack(false, 0x7102), INBOUND),
        (eth1, ping, INBOUND),
        (vlan, untagged, INBOUND),
        (eth0, tso, OUTBOUND),
        (eth0, gro, INBOUND),
        (eth2, with_fcs, INBOUND),
        (eth2, damaged, INBOUND),
    ];
    for (i, (at, f, flags)) in frames.into_iter().enumerate() {
        w.packet(at, T0 + 180_000_000_000 + i as u64 * 2_000_000, &f, f.len() as u32, flags);
    }
    w.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_frames_carry_their_mtu() {
        // 14 Ethernet + a datagram of the pod's MTU.
        assert_eq!(pod_frame(1442, 1).len(), 14 + 1442);
        let f = geneve_ovn();
        let mut lens = Vec::new();
        crate::capture::read_all(&f, |p| lens.push(p.data.len()));
        // 14 + 1500; 14 + 1558; 14 + 40 + 8 + 16 + 14 + 1422.
        assert_eq!(lens, [1514, 1572, 1514]);
    }
}
