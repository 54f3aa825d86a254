//! A Kubernetes overlay story: pod A on node1 talks to a Service that
//! kube-proxy DNATs to pod B on node2, over Geneve with OVN's 8-byte option,
//! and pod B's full-size replies die at node2's encapsulation. Facts from the
//! domain notes (DOMAIN.md, "The same packet at several capture points" and
//! "Paths in Kubernetes and other overlays"): Geneve 8 + options, 58 bytes
//! with OVN's option and the inner Ethernet header (RFC 8926 section 3.4);
//! the Service's DNAT on the sending node and the reply's un-DNAT there;
//! `tcpdump -i any` writes Linux cooked v2 with each packet's ifindex; a TCP
//! retransmission repeats its sequence number with a new IP ID; a pod MTU
//! left at 1500 on a 1500-byte underlay is the classic black hole.
//!
//! - `node1-any.pcap` (`tcpdump -i any` on node1, link type 276, the
//!   reference clock): ifindex 14 is pod A's host-side veth (`lxc…`), 16
//!   pod C's, 2 the NIC `ens5`.
//! - `node2.pcapng` (dumpcap on three interfaces of node2, its clock
//!   [`NODE2_AHEAD_NS`] ahead): `ens5` and `ens6`, the two members of the
//!   bond that is node2's NIC, and pod B's host-side veth [`VETH_B`]. Pod
//!   D's veth was not captured. The switch and the bond hash each flow's two
//!   directions apart: pod A's packets reach node2 on `ens6` and pod B's
//!   leave on `ens5`; pod C's arrive on `ens5` and pod D's leave on `ens6`.
//!   The path runs `ens6` before `ens5`, so that each direction meets its
//!   own member next to the veth.
//!
//! The nodes sit in two racks; the underlay is routed (outer TTL − 1, new
//! outer MACs between the two NICs). Pod A opens a TCP connection to
//! `10.96.45.10:80` (the Service); at node1's `ens5` it is inside Geneve to
//! `10.244.1.7:8080` with TTL − 1 (OVN's cluster router). Handshake, request
//! and response headers pass both ways. Pod B's MTU was left at 1500: its
//! two 1500-byte segments and the three retransmissions of the first (same
//! sequence number, new IP ID) are seen at [`VETH_B`] and never at node2's
//! `ens5`, the member they would leave on (1500 + 58 > 1500). Pod C talks
//! to another Service backed by pod D with the same ports, IP IDs and
//! payloads a millisecond later: look-alike packets that are not the
//! story's. ARP for node1's gateway and an LLDP frame on each of node2's
//! bond members are packets of one frame.

use super::build::{
    arp, cooked, eth, geneve4, lldpdu, ovn_option, sll2, At, Recorder, Segment, Underlay4, ACK, INBOUND, OUTBOUND,
    PACKET_HOST, PACKET_OUTGOING, PSH, SYN,
};
use super::ethernet;
use super::truth::{Direction, Story};

pub const NODE1_FILE: &str = "node1-any.pcap";
pub const NODE2_FILE: &str = "node2.pcapng";
/// How far node2's clock runs ahead of node1's.
pub const NODE2_AHEAD_NS: i64 = 800_000_000;
/// node1's ifindexes: the NIC, pod A's veth, pod C's veth.
pub const ENS5_IFINDEX: u32 = 2;
pub const LXC_A_IFINDEX: u32 = 14;
pub const LXC_C_IFINDEX: u32 = 16;
/// Pod B's host-side veth on node2.
pub const VETH_B: &str = "veth7c2e4a19";
/// Bytes Geneve with OVN's option adds to the underlay datagram: outer IPv4
/// 20, UDP 8, Geneve 8, the option 8, the inner Ethernet header 14.
pub const GENEVE_OVN_OVERHEAD: usize = 58;
/// The underlay's MTU.
pub const UNDERLAY_MTU: usize = 1500;
/// When node1 starts capturing (2026-12-05 02:00 UTC), on node1's clock.
pub const T0: u64 = 1_796_443_200_000_000_000;
/// Pod B's first sequence number: the full-size segments are `+ 201` and `+ 1661`.
pub const POD_B_ISN: u32 = 0x2c41_9a07;

const NODE1_MAC: [u8; 6] = [0x02, 0x4e, 0x1a, 0x00, 0x01, 0x11];
const NODE2_MAC: [u8; 6] = [0x02, 0x4e, 0x1a, 0x00, 0x02, 0x12];
const GW1_MAC: [u8; 6] = [0x00, 0x1c, 0x73, 0x0a, 0x01, 0x01];
const GW2_MAC: [u8; 6] = [0x00, 0x1c, 0x73, 0x0a, 0x02, 0x01];
const TOR2_CHASSIS: [u8; 6] = [0x00, 0x1c, 0x73, 0x0a, 0x02, 0x00];
const NODE1_IP: [u8; 4] = [10, 0, 1, 11];
const NODE2_IP: [u8; 4] = [10, 0, 2, 12];
const GW1_IP: [u8; 4] = [10, 0, 1, 1];
/// OVN's router-port MACs on each node's logical switch.
const ROUTER1_MAC: [u8; 6] = [0x0a, 0x58, 0x0a, 0xf4, 0x00, 0x01];
const ROUTER2_MAC: [u8; 6] = [0x0a, 0x58, 0x0a, 0xf4, 0x01, 0x01];
/// The Geneve VNI: OVN's tunnel key of the logical datapath.
const VNI: u32 = 7;

/// One client pod talking to one Service backed by one server pod.
struct Flow {
    client: [u8; 4],
    client_mac: [u8; 6],
    client_ifindex: u32,
    vip: [u8; 4],
    server: [u8; 4],
    server_mac: [u8; 6],
    client_isn: u32,
    server_isn: u32,
    /// The Geneve UDP source port each way (a hash of the inner flow).
    sport_out: u16,
    sport_back: u16,
    /// OVN's logical port keys of the client and the server.
    client_port_key: u16,
    server_port_key: u16,
    /// The client's packets reach node2 on `ens6` and the server's leave on
    /// `ens5` (else the other way round).
    in_on_ens6: bool,
}

const CLIENT_PORT: u16 = 43_512;
const SERVICE_PORT: u16 = 80;
const TARGET_PORT: u16 = 8080;

/// The story's points, and the counters of the two nodes' outer IP IDs.
struct Net {
    r: Recorder,
    lxc_a: At,
    lxc_c: At,
    ens5_1: At,
    ens5_2: At,
    ens6_2: At,
    veth_b: At,
    outer_id1: u16,
    outer_id2: u16,
}

/// One-way delays: pod veth to NIC on a node, NIC to NIC across the routed underlay.
const NODE_NS: u64 = 40_000;
const WIRE_NS: u64 = 180_000;

impl Net {
    fn lxc(&self, f: &Flow) -> At {
        if f.client_ifindex == LXC_A_IFINDEX {
            self.lxc_a.clone()
        } else {
            self.lxc_c.clone()
        }
    }

    /// A client's segment (to the Service) at `t` on its veth; `to_server`:
    /// whether the server's veth was captured.
    fn out(&mut self, f: &Flow, seg: Segment, t: u64, to_server: bool) {
        let p = self.r.packet(Direction::Out, None);
        let lxc = self.lxc(f);
        let data = sll2(0x0800, f.client_ifindex, PACKET_HOST, f.client_mac, &seg.bytes());
        self.r.shot(p, &lxc, t, data, 0);
        let inner = seg.routed().dnat(f.server, TARGET_PORT);
        let inner = eth(f.server_mac, ROUTER2_MAC, 0x0800, &inner.bytes());
        let opt = [ovn_option(f.client_port_key, f.server_port_key)];
        self.outer_id1 = self.outer_id1.wrapping_add(1);
        let mut u = Underlay4 {
            dst_mac: GW1_MAC,
            src_mac: NODE1_MAC,
            src: NODE1_IP,
            dst: NODE2_IP,
            ttl: 64,
            ident: self.outer_id1,
            sport: f.sport_out,
        };
        let data = cooked(&geneve4(&u, VNI, &opt, &inner), ENS5_IFINDEX, PACKET_OUTGOING);
        let ens5_1 = self.ens5_1.clone();
        self.r.shot(p, &ens5_1, t + NODE_NS, data, 0);
        (u.dst_mac, u.src_mac, u.ttl) = (NODE2_MAC, GW2_MAC, 63);
        let member = if f.in_on_ens6 { self.ens6_2.clone() } else { self.ens5_2.clone() };
        self.r.shot(p, &member, t + NODE_NS + WIRE_NS, geneve4(&u, VNI, &opt, &inner), INBOUND);
        if to_server {
            let veth_b = self.veth_b.clone();
            self.r.shot(p, &veth_b, t + 2 * NODE_NS + WIRE_NS, inner, OUTBOUND);
        }
    }

    /// A server's segment (from its pod IP:port) at `t` as it leaves the
    /// server pod; `from_b`: it is pod B's, whose veth was captured.
    /// Returns without going further when `lost`: node2 drops it.
    fn back(&mut self, f: &Flow, seg: Segment, t: u64, from_b: bool, lost: bool) {
        let p = if lost {
            let member = if f.in_on_ens6 { &self.ens5_2 } else { &self.ens6_2 };
            self.r.packet(Direction::Back, Some((&self.veth_b, member)))
        } else {
            self.r.packet(Direction::Back, None)
        };
        if from_b {
            let veth_b = self.veth_b.clone();
            self.r.shot(p, &veth_b, t, eth(ROUTER2_MAC, f.server_mac, 0x0800, &seg.bytes()), INBOUND);
        }
        if lost {
            return;
        }
        let routed = seg.routed();
        let inner = eth(f.client_mac, ROUTER1_MAC, 0x0800, &routed.bytes());
        let opt = [ovn_option(f.server_port_key, f.client_port_key)];
        self.outer_id2 = self.outer_id2.wrapping_add(1);
        let mut u = Underlay4 {
            dst_mac: GW2_MAC,
            src_mac: NODE2_MAC,
            src: NODE2_IP,
            dst: NODE1_IP,
            ttl: 64,
            ident: self.outer_id2,
            sport: f.sport_back,
        };
        let member = if f.in_on_ens6 { self.ens5_2.clone() } else { self.ens6_2.clone() };
        self.r.shot(p, &member, t + NODE_NS, geneve4(&u, VNI, &opt, &inner), OUTBOUND);
        (u.dst_mac, u.src_mac, u.ttl) = (NODE1_MAC, GW1_MAC, 63);
        let data = cooked(&geneve4(&u, VNI, &opt, &inner), ENS5_IFINDEX, PACKET_HOST);
        let ens5_1 = self.ens5_1.clone();
        self.r.shot(p, &ens5_1, t + NODE_NS + WIRE_NS, data, 0);
        // kube-proxy's conntrack entry un-DNATs the reply: from the Service again.
        let undone = routed.snat(f.vip, SERVICE_PORT);
        let data = sll2(0x0800, f.client_ifindex, PACKET_OUTGOING, ROUTER1_MAC, &undone.bytes());
        let lxc = self.lxc(f);
        self.r.shot(p, &lxc, t + 2 * NODE_NS + WIRE_NS, data, 0);
    }

    /// A TCP exchange from `start`: handshake, a 120-byte request, 200 bytes
    /// of response headers and the client's ACK. With `story` (pod A and pod
    /// B, whose veth was captured) the server then sends two 1460-byte
    /// segments (1500-byte datagrams) and retransmits the first three times,
    /// all lost at node2.
    fn exchange(&mut self, f: &Flow, start: u64, story: bool) {
        let one_way = 2 * NODE_NS + WIRE_NS;
        let (ic, is) = (f.client_isn, f.server_isn);
        let c = |ident: u16, seq: u32, ack: u32, flags: u8, payload: usize| Segment {
            src: f.client,
            dst: f.vip,
            ttl: 64,
            ident,
            sport: CLIENT_PORT,
            dport: SERVICE_PORT,
            seq,
            ack,
            flags,
            mss: (flags & SYN != 0).then_some(1460),
            payload,
            fill: 0x47,
        };
        let s = |ident: u16, seq: u32, ack: u32, flags: u8, payload: usize, fill: u8| Segment {
            src: f.server,
            dst: f.client,
            ttl: 64,
            ident,
            sport: TARGET_PORT,
            dport: CLIENT_PORT,
            seq,
            ack,
            flags,
            mss: (flags & SYN != 0).then_some(1460),
            payload,
            fill,
        };
        let syn_at = start;
        self.out(f, c(0x5c21, ic, 0, SYN, 0), syn_at, story);
        let synack_at = syn_at + one_way + 50_000;
        self.back(f, s(0x1f40, is, ic + 1, SYN | ACK, 0, 0), synack_at, story, false);
        let ack_at = synack_at + one_way + 40_000;
        self.out(f, c(0x5c22, ic + 1, is + 1, ACK, 0), ack_at, story);
        let request_at = ack_at + 100_000;
        self.out(f, c(0x5c23, ic + 1, is + 1, PSH | ACK, 120), request_at, story);
        let headers_at = request_at + one_way + 300_000;
        self.back(f, s(0x1f41, is + 1, ic + 121, PSH | ACK, 200, 0x48), headers_at, story, false);
        if story {
            // Pod B's MTU is 1500: full-size segments that node2 cannot encapsulate.
            self.back(f, s(0x1f42, is + 201, ic + 121, ACK, 1460, 0x62), headers_at + 10_000, true, true);
            self.back(f, s(0x1f43, is + 1661, ic + 121, ACK, 1460, 0x63), headers_at + 20_000, true, true);
            // RTO 204 ms, doubling: the first segment again, each with a new IP ID.
            for (i, rto) in [204_000_000u64, 612_000_000, 1_428_000_000].into_iter().enumerate() {
                let seg = s(0x1f44 + i as u16, is + 201, ic + 121, ACK, 1460, 0x62);
                self.back(f, seg, headers_at + 10_000 + rto, true, true);
            }
        }
        self.out(f, c(0x5c24, ic + 121, is + 201, ACK, 0), headers_at + one_way + 40_000, story);
    }
}

/// The story: see the module's documentation.
pub fn kubernetes() -> Story {
    let mut r = Recorder::new();
    let n1 = r.pcap(NODE1_FILE, 276, 0);
    let n2 = r.pcapng(NODE2_FILE, NODE2_AHEAD_NS);
    let ens5_2 = r.interface(n2, "ens5");
    let ens6_2 = r.interface(n2, "ens6");
    let veth_b = r.interface(n2, VETH_B);
    let (lxc_a, lxc_c, ens5_1) =
        (r.ifindex(n1, LXC_A_IFINDEX), r.ifindex(n1, LXC_C_IFINDEX), r.ifindex(n1, ENS5_IFINDEX));
    let mut net = Net { r, lxc_a, lxc_c, ens5_1, ens5_2, ens6_2, veth_b, outer_id1: 0x0b00, outer_id2: 0x6e00 };

    // node1 refreshes its gateway's ARP entry; the reply arrives padded to 60 bytes.
    let request = arp(1, NODE1_MAC, NODE1_IP, [0; 6], GW1_IP);
    let data = sll2(0x0806, ENS5_IFINDEX, PACKET_OUTGOING, NODE1_MAC, &request);
    net.r.single(Direction::Out, &net.ens5_1, T0 + 40_000_000, data, 0);
    let mut reply = arp(2, GW1_MAC, GW1_IP, NODE1_MAC, NODE1_IP);
    reply.resize(46, 0);
    let data = sll2(0x0806, ENS5_IFINDEX, PACKET_HOST, GW1_MAC, &reply);
    net.r.single(Direction::Back, &net.ens5_1, T0 + 40_310_000, data, 0);
    // node2's top-of-rack switch announces itself on each bond member's port.
    for (k, (member, port)) in
        [(net.ens5_2.clone(), "Ethernet12"), (net.ens6_2.clone(), "Ethernet13")].into_iter().enumerate()
    {
        let lldp = lldpdu(TOR2_CHASSIS, port, 120, "tor-b2");
        let frame = ethernet([0x01, 0x80, 0xc2, 0, 0, 0x0e], TOR2_CHASSIS, &[], 0x88cc, &lldp, &[]);
        net.r.single(Direction::Out, &member, T0 + 30_000_000 + k as u64 * 450_000, frame, INBOUND);
    }

    let a_to_b = Flow {
        client: [10, 244, 0, 5],
        client_mac: [0x0a, 0x58, 0x0a, 0xf4, 0x00, 0x05],
        client_ifindex: LXC_A_IFINDEX,
        vip: [10, 96, 45, 10],
        server: [10, 244, 1, 7],
        server_mac: [0x0a, 0x58, 0x0a, 0xf4, 0x01, 0x07],
        client_isn: 0x9d3e_1a52,
        server_isn: POD_B_ISN,
        sport_out: 51_234,
        sport_back: 61_034,
        client_port_key: 3,
        server_port_key: 5,
        in_on_ens6: true,
    };
    // Same ports, IP IDs and payloads; other pods, another Service, other ISNs.
    let c_to_d = Flow {
        client: [10, 244, 0, 9],
        client_mac: [0x0a, 0x58, 0x0a, 0xf4, 0x00, 0x09],
        client_ifindex: LXC_C_IFINDEX,
        vip: [10, 96, 112, 20],
        server: [10, 244, 1, 12],
        server_mac: [0x0a, 0x58, 0x0a, 0xf4, 0x01, 0x0c],
        client_isn: 0x4410_77c3,
        server_isn: 0x0e2b_5d18,
        sport_out: 49_871,
        sport_back: 57_602,
        client_port_key: 4,
        server_port_key: 6,
        in_on_ens6: false,
    };
    net.exchange(&a_to_b, T0 + 5_000_000, true);
    net.exchange(&c_to_d, T0 + 6_200_000, false);

    let Net { r, lxc_a, lxc_c, ens5_1, ens5_2, ens6_2, veth_b, .. } = net;
    let (files, truth) = r.finish(&[&lxc_a, &lxc_c, &ens5_1, &ens6_2, &ens5_2, &veth_b]);
    Story { name: "kubernetes", files, truth }
}

#[cfg(test)]
mod tests {
    use super::super::build::check;
    use super::super::truth::{PointName, TrueClock};
    use super::*;
    use crate::wire::Layer;
    use std::collections::BTreeSet;

    /// The innermost IPv4 datagram's start and length in a frame.
    fn innermost_ipv4(f: &crate::capture::OwnedFrame) -> Option<(usize, usize)> {
        let d = check::dissected(f);
        let h = d.headers.iter().rev().find(|h| h.layer == Layer::Ipv4)?;
        let s = h.start as usize;
        Some((s, usize::from(u16::from_be_bytes([f.data[s + 2], f.data[s + 3]]))))
    }

    #[test]
    fn every_frame_is_in_exactly_one_packet() {
        check::assert_covered_once(&kubernetes());
    }

    #[test]
    fn each_file_scans_cleanly() {
        check::assert_scans_cleanly(&kubernetes());
    }

    #[test]
    fn is_deterministic() {
        let (a, b) = (kubernetes(), kubernetes());
        assert_eq!(a.files, b.files);
        assert_eq!(a.truth, b.truth);
    }

    #[test]
    fn points_are_the_truths_and_packets_go_along_the_path() {
        let story = kubernetes();
        let node1: BTreeSet<String> = check::assert_along_path(&story)
            .into_iter()
            .filter(|p| p.file == NODE1_FILE)
            .map(|p| p.interface)
            .collect();
        assert_eq!(node1, ["14", "16", "2"].map(String::from).into(), "the SLL2 ifindexes");
    }

    #[test]
    fn each_flow_reaches_node2_on_one_bond_member_and_leaves_on_the_other() {
        let story = kubernetes();
        let frames = check::by_ref(&story);
        let mut members = BTreeSet::new();
        for p in &story.truth.packets {
            for r in &p.frames {
                let (point, f) = &frames[&(r.file.clone(), r.frame)];
                if point.interface != "ens5" && point.interface != "ens6" {
                    continue;
                }
                let Some((ip, _)) = innermost_ipv4(f) else { continue };
                let pod_a = f.data[ip + 12..ip + 16] == [10, 244, 0, 5] || f.data[ip + 16..ip + 20] == [10, 244, 0, 5];
                members.insert((pod_a, p.direction == Direction::Out, point.interface.clone()));
            }
        }
        let expect = [(false, false, "ens6"), (false, true, "ens5"), (true, false, "ens5"), (true, true, "ens6")];
        assert_eq!(members, expect.map(|(a, o, m)| (a, o, m.to_string())).into());
    }

    #[test]
    fn lost_packets_are_pod_b_full_size_segments_and_their_retransmissions() {
        let story = kubernetes();
        let frames = check::by_ref(&story);
        let lost: Vec<_> = story.truth.packets.iter().filter(|p| p.lost.is_some()).collect();
        assert_eq!(lost.len(), 5);
        let mut seqs = Vec::new();
        let mut idents = BTreeSet::new();
        for p in lost {
            assert_eq!(p.direction, Direction::Back);
            assert_eq!(p.lost, Some((PointName::new(NODE2_FILE, VETH_B), PointName::new(NODE2_FILE, "ens5"))),);
            assert_eq!(p.frames.len(), 1);
            let (_, f) = &frames[&(p.frames[0].file.clone(), p.frames[0].frame)];
            let (ip, len) = innermost_ipv4(f).unwrap();
            assert_eq!((ip, len, f.data.len()), (14, 1500, 1514), "a 1500-byte datagram from pod B");
            assert!(len + GENEVE_OVN_OVERHEAD > UNDERLAY_MTU, "too big for the underlay once in Geneve");
            idents.insert(u16::from_be_bytes([f.data[18], f.data[19]]));
            seqs.push(u32::from_be_bytes([f.data[38], f.data[39], f.data[40], f.data[41]]));
        }
        let (first, second) = (POD_B_ISN + 201, POD_B_ISN + 1661);
        assert_eq!(seqs, [first, second, first, first, first], "retransmissions repeat the sequence number");
        assert_eq!(idents.len(), 5, "each with a new IP ID");
    }

    #[test]
    fn geneve_adds_58_bytes_and_nat_happens_on_node1() {
        let story = kubernetes();
        let frames = check::by_ref(&story);
        let mut geneve = 0;
        for p in &story.truth.packets {
            for r in &p.frames {
                let (point, f) = &frames[&(r.file.clone(), r.frame)];
                let Some((ip, len)) = innermost_ipv4(f) else { continue };
                let d = check::dissected(f);
                let link = if point.file == NODE1_FILE { 20 } else { 14 };
                if let Some(g) = d.headers.iter().find(|h| h.layer == Layer::Geneve) {
                    geneve += 1;
                    let g = g.start as usize;
                    assert_eq!(f.data[g] & 0x3f, 2, "one 8-byte option");
                    assert_eq!(&f.data[g + 8..g + 10], &[0x01, 0x02], "OVN's option class");
                    assert_eq!(f.data.len(), link + GENEVE_OVN_OVERHEAD + len, "{point:?}");
                    assert_eq!(ip, link + GENEVE_OVN_OVERHEAD, "the inner datagram after 58 bytes");
                } else {
                    assert_eq!(f.data.len(), link + len, "{point:?}: a pod's veth pads nothing");
                }
                let ports = (
                    u16::from_be_bytes([f.data[ip + 20], f.data[ip + 21]]),
                    u16::from_be_bytes([f.data[ip + 22], f.data[ip + 23]]),
                );
                let at_pod_a = point.file == NODE1_FILE && point.interface != "2";
                let expect = match (p.direction, at_pod_a) {
                    (Direction::Out, true) => (CLIENT_PORT, SERVICE_PORT),
                    (Direction::Out, false) => (CLIENT_PORT, TARGET_PORT),
                    (Direction::Back, true) => (SERVICE_PORT, CLIENT_PORT),
                    (Direction::Back, false) => (TARGET_PORT, CLIENT_PORT),
                };
                assert_eq!(ports, expect, "{point:?}: the Service's port at the pod, the pod's beyond");
            }
        }
        assert_eq!(geneve, 2 * 2 * (4 + 2), "two flows, six delivered TCP packets each, two NIC frames each");
    }

    #[test]
    fn checksums_verify_inside_and_outside_the_tunnel() {
        let story = kubernetes();
        let mut checked = 0;
        for (_, bytes) in &story.files {
            for f in check::frames(bytes) {
                checked += check::assert_checksums(&f.data, &check::dissected(&f));
            }
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn node2_runs_800_ms_ahead() {
        let story = kubernetes();
        assert_eq!(
            story.truth.clocks,
            vec![
                TrueClock { file: NODE1_FILE.into(), offset_ns: 0, rate_ppb: 0 },
                TrueClock { file: NODE2_FILE.into(), offset_ns: NODE2_AHEAD_NS, rate_ppb: 0 },
            ]
        );
        let frames = check::by_ref(&story);
        let syn = story.truth.packets.iter().find(|p| p.frames.len() == 4).unwrap();
        let ts = |i: usize| frames[&(syn.frames[i].file.clone(), syn.frames[i].frame)].1.timestamp_ns.unwrap();
        assert_eq!(ts(2) - ts(1), NODE2_AHEAD_NS + WIRE_NS as i64, "node1's ens5 to node2's: the offset and the wire");
    }
}
