//! An IPv6 story: a `ping -6 -M probe -s N` sweep from pod A to pod B across
//! a bridged VXLAN overlay over an IPv6 underlay; the sizes that do not fit
//! die at node A's VXLAN device, which answers each with an ICMPv6 Packet
//! Too Big; link-local multicast from both pods at the same instant crosses
//! every point. Facts from the domain notes (DOMAIN.md, "The same packet at
//! several capture points" and "Paths in Kubernetes and other overlays"):
//! VXLAN +70 over IPv6 (14 + 40 + 8 + 8 on the wire; 40 + 8 + 8 + 14 on
//! the underlay datagram, so 1430 bytes of inner datagram fit a 1500-byte
//! underlay); an encapsulating kernel that cannot fit a packet sends Packet
//! Too Big to the inner sender with the inner destination's address as
//! source (Linux `skb_tunnel_check_pmtu` → `iptunnel_pmtud_build_icmpv6` for
//! a VXLAN device that is a bridge port: MACs swapped, the offending
//! packet's hop limit, quoting as much as fits in 1280 bytes, RFC 4443
//! section 3.2); `ping -M probe` sets IPV6_PMTUDISC_PROBE, so every size is
//! sent whole whatever Packet Too Big said before; MLDv2 reports carry a
//! Router Alert hop-by-hop option (RFC 3810 section 5).
//!
//! - `nodeA.pcapng` (dumpcap on node A, the reference clock): [`VETH_A`],
//!   pod A's host-side veth, a port of the bridge `cni0`; `vxlan0`, the
//!   VXLAN device, the bridge's other port (it sees inner frames, and the
//!   Packet Too Big it builds as received); `eth0`, the underlay NIC.
//! - `nodeB.pcap` (`tcpdump -i eth0` on node B, classic pcap, one point
//!   labelled `0`, its clock [`NODE_B_BEHIND_NS`] behind).
//!
//! The bridged overlay changes nothing in the inner frame: pod A's frames
//! are the same bytes at the veth and at `vxlan0`, and 70 bytes more on the
//! NICs. Sizes up to 1382 (1430-byte datagrams) are answered; 1383, 1400 and
//! 1452 are seen at the veth and `vxlan0`, lost before `eth0`, and answered
//! by a Packet Too Big (MTU 1430) seen at `vxlan0` and the veth. Pod A and
//! pod B each send an MLDv2 report (joining ff02::fb) and a Router
//! Solicitation at the same instant, from their own link-local addresses
//! with identical ICMPv6 bodies: four packets of four frames, pairwise alike.

use super::build::{
    echo6, eth, hop_by_hop_router_alert, icmpv6, ipv6 as datagram6, packet_too_big, vxlan6, At, Recorder, INBOUND,
    OUTBOUND,
};
use super::truth::{Direction, Story};

pub const NODE_A_FILE: &str = "nodeA.pcapng";
pub const NODE_B_FILE: &str = "nodeB.pcap";
/// How far node B's clock runs behind node A's.
pub const NODE_B_BEHIND_NS: i64 = 350_000_000;
/// Pod A's host-side veth on node A.
pub const VETH_A: &str = "veth1a2b3c4d";
/// The sweep: `ping -6 -M probe -c 1 -s N`, one run per size, one second apart.
pub const SIZES: [usize; 6] = [1000, 1380, 1382, 1383, 1400, 1452];
/// The underlay's MTU, and what VXLAN over IPv6 leaves of it for the inner datagram.
pub const UNDERLAY_MTU: usize = 1500;
pub const VXLAN6_OVERHEAD: usize = 70;
pub const INNER_MTU: u32 = (UNDERLAY_MTU - VXLAN6_OVERHEAD) as u32;
/// When node A starts capturing (2026-12-05 03:00 UTC), on node A's clock.
pub const T0: u64 = 1_796_446_800_000_000_000;

pub const POD_A: [u8; 16] = [0xfd, 0, 0, 0x10, 0x02, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a];
pub const POD_B: [u8; 16] = [0xfd, 0, 0, 0x10, 0x02, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b];
const POD_A_MAC: [u8; 6] = [0x0e, 0xa5, 0x3c, 0x00, 0x00, 0x0a];
const POD_B_MAC: [u8; 6] = [0x0e, 0xa5, 0x3c, 0x00, 0x00, 0x0b];
const POD_A_LL: [u8; 16] = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x0c, 0xa5, 0x3c, 0xff, 0xfe, 0x00, 0x00, 0x0a];
const POD_B_LL: [u8; 16] = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x0c, 0xa5, 0x3c, 0xff, 0xfe, 0x00, 0x00, 0x0b];
const NODE_A_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x10, 0x00, 0x0a];
const NODE_B_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x10, 0x00, 0x0b];
const NODE_A_IP: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0x64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a];
const NODE_B_IP: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0x64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b];
const VNI: u32 = 42;
/// ff02::16 (all MLDv2-capable routers) and ff02::2 (all routers).
const ALL_MLDV2_ROUTERS: [u8; 16] = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16];
const ALL_ROUTERS: [u8; 16] = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02];
/// ff02::fb, mDNS: the group both pods' reports join.
const MDNS: [u8; 16] = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb];

/// One-way delays: veth to `vxlan0` through the bridge, `vxlan0` to the
/// NIC, NIC to NIC, and pod B's turnaround behind node B's NIC.
const BRIDGE_NS: u64 = 15_000;
const ENCAP_NS: u64 = 10_000;
const WIRE_NS: u64 = 120_000;
const POD_B_NS: u64 = 60_000;

struct Net {
    r: Recorder,
    veth: At,
    vxlan0: At,
    eth0: At,
    node_b: At,
}

/// The multicast Ethernet address of an IPv6 group (RFC 2464 section 7).
fn group_mac(group: [u8; 16]) -> [u8; 6] {
    [0x33, 0x33, group[12], group[13], group[14], group[15]]
}

impl Net {
    /// An inner frame from pod A at `t` on its veth; `lost`: dropped by
    /// `vxlan0` (too big); `sport`: the underlay's UDP source port.
    fn out(&mut self, inner: &[u8], t: u64, lost: bool, sport: u16) {
        let (veth, vxlan0, eth0, node_b) =
            (self.veth.clone(), self.vxlan0.clone(), self.eth0.clone(), self.node_b.clone());
        let p = self.r.packet(Direction::Out, if lost { Some((&vxlan0, &eth0)) } else { None });
        self.r.shot(p, &veth, t, inner.to_vec(), INBOUND);
        self.r.shot(p, &vxlan0, t + BRIDGE_NS, inner.to_vec(), OUTBOUND);
        if lost {
            return;
        }
        let outer = vxlan6(NODE_B_MAC, NODE_A_MAC, NODE_A_IP, NODE_B_IP, sport, VNI, inner);
        self.r.shot(p, &eth0, t + BRIDGE_NS + ENCAP_NS, outer.clone(), OUTBOUND);
        self.r.shot(p, &node_b, t + BRIDGE_NS + ENCAP_NS + WIRE_NS, outer, 0);
    }

    /// An inner frame from pod B leaving node B's NIC at `t`.
    fn back(&mut self, inner: &[u8], t: u64, sport: u16) {
        let (veth, vxlan0, eth0, node_b) =
            (self.veth.clone(), self.vxlan0.clone(), self.eth0.clone(), self.node_b.clone());
        let p = self.r.packet(Direction::Back, None);
        let outer = vxlan6(NODE_A_MAC, NODE_B_MAC, NODE_B_IP, NODE_A_IP, sport, VNI, inner);
        self.r.shot(p, &node_b, t, outer.clone(), 0);
        self.r.shot(p, &eth0, t + WIRE_NS, outer, INBOUND);
        self.r.shot(p, &vxlan0, t + WIRE_NS + ENCAP_NS, inner.to_vec(), INBOUND);
        self.r.shot(p, &veth, t + WIRE_NS + ENCAP_NS + BRIDGE_NS, inner.to_vec(), OUTBOUND);
    }

    /// `vxlan0`'s Packet Too Big for `offending` (an inner frame), built at
    /// `t`: received on `vxlan0`, bridged to the veth.
    fn too_big(&mut self, offending: &[u8], t: u64) {
        let (veth, vxlan0) = (self.veth.clone(), self.vxlan0.clone());
        let p = self.r.packet(Direction::Back, None);
        let ptb = packet_too_big(POD_B, POD_A, INNER_MTU, &offending[14..]);
        let frame = eth(POD_A_MAC, POD_B_MAC, 0x86dd, &ptb);
        self.r.shot(p, &vxlan0, t, frame.clone(), INBOUND);
        self.r.shot(p, &veth, t + BRIDGE_NS, frame, OUTBOUND);
    }
}

/// An MLDv2 report (RFC 3810 section 5.2) from `src` joining ff02::fb
/// (CHANGE_TO_EXCLUDE_MODE, no sources): the same body from every host.
fn mld_report(src: [u8; 16], mac: [u8; 6]) -> Vec<u8> {
    let mut body = vec![0, 0, 0, 1, 4, 0, 0, 0];
    body.extend_from_slice(&MDNS);
    let m = icmpv6(src, ALL_MLDV2_ROUTERS, 143, 0, &body);
    let d = datagram6(src, ALL_MLDV2_ROUTERS, 1, &hop_by_hop_router_alert(58), 58, &m);
    eth(group_mac(ALL_MLDV2_ROUTERS), mac, 0x86dd, &d)
}

/// A Router Solicitation (RFC 4861 section 4.1) from `src` without options.
fn router_solicitation(src: [u8; 16], mac: [u8; 6]) -> Vec<u8> {
    let m = icmpv6(src, ALL_ROUTERS, 133, 0, &[0; 4]);
    eth(group_mac(ALL_ROUTERS), mac, 0x86dd, &datagram6(src, ALL_ROUTERS, 255, &[], 58, &m))
}

/// The story: see the module's documentation.
pub fn ipv6() -> Story {
    let mut r = Recorder::new();
    let a = r.pcapng(NODE_A_FILE, 0);
    let b = r.pcap(NODE_B_FILE, 1, -NODE_B_BEHIND_NS);
    let veth = r.interface(a, VETH_A);
    let vxlan0 = r.interface(a, "vxlan0");
    let eth0 = r.interface(a, "eth0");
    let node_b = r.only(b);
    let mut net = Net { r, veth, vxlan0, eth0, node_b };

    for (i, &size) in SIZES.iter().enumerate() {
        let t = T0 + 1_000_000_000 + i as u64 * 1_000_000_000;
        let ident = 0x1c01 + i as u16; // a new ping process each time
        let request = eth(POD_B_MAC, POD_A_MAC, 0x86dd, &echo6(POD_A, POD_B, 64, true, ident, 1, size));
        let fits = request.len() - 14 <= INNER_MTU as usize;
        net.out(&request, t, !fits, 50_113 + i as u16);
        if fits {
            let reply = eth(POD_A_MAC, POD_B_MAC, 0x86dd, &echo6(POD_B, POD_A, 64, false, ident, 1, size));
            net.back(&reply, t + BRIDGE_NS + ENCAP_NS + WIRE_NS + POD_B_NS, 40_302 + i as u16);
        } else {
            net.too_big(&request, t + BRIDGE_NS + 4_000);
        }
    }
    // Both pods (re)join mDNS and look for routers at the same instant.
    for (k, (a_frame, b_frame)) in [
        (mld_report(POD_A_LL, POD_A_MAC), mld_report(POD_B_LL, POD_B_MAC)),
        (router_solicitation(POD_A_LL, POD_A_MAC), router_solicitation(POD_B_LL, POD_B_MAC)),
    ]
    .into_iter()
    .enumerate()
    {
        let t = T0 + 1_500_000_000 + k as u64 * 2_000_000_000; // between pings
        net.out(&a_frame, t, false, 61_544 + k as u16);
        net.back(&b_frame, t, 38_817 + k as u16);
    }

    let Net { r, veth, vxlan0, eth0, node_b } = net;
    let (files, truth) = r.finish(&[&veth, &vxlan0, &eth0, &node_b]);
    Story { name: "ipv6", files, truth }
}

#[cfg(test)]
mod tests {
    use super::super::build::check;
    use super::super::truth::{PointName, TrueClock};
    use super::*;
    use crate::frame::dissect::MtuSignal;
    use crate::wire::Layer;

    #[test]
    fn every_frame_is_in_exactly_one_packet() {
        check::assert_covered_once(&ipv6());
    }

    #[test]
    fn each_file_scans_cleanly() {
        check::assert_scans_cleanly(&ipv6());
    }

    #[test]
    fn is_deterministic() {
        let (a, b) = (ipv6(), ipv6());
        assert_eq!(a.files, b.files);
        assert_eq!(a.truth, b.truth);
    }

    #[test]
    fn four_points_in_two_files_and_packets_go_along_the_path() {
        let story = ipv6();
        assert_eq!(check::assert_along_path(&story).len(), 4);
        assert_eq!(story.truth.path[3], PointName::new(NODE_B_FILE, "0"));
        assert_eq!(
            story.truth.clocks,
            vec![
                TrueClock { file: NODE_A_FILE.into(), offset_ns: 0, rate_ppb: 0 },
                TrueClock { file: NODE_B_FILE.into(), offset_ns: -NODE_B_BEHIND_NS, rate_ppb: 0 },
            ]
        );
    }

    #[test]
    fn sizes_that_do_not_fit_are_lost_at_vxlan0_and_answered_by_packet_too_big() {
        let story = ipv6();
        let frames = check::by_ref(&story);
        let frame = |r: &super::super::truth::FrameRef| &frames[&(r.file.clone(), r.frame)].1;
        let lost: Vec<_> = story.truth.packets.iter().filter(|p| p.lost.is_some()).collect();
        let mut lost_sizes = Vec::new();
        for p in &lost {
            let along = (PointName::new(NODE_A_FILE, "vxlan0"), PointName::new(NODE_A_FILE, "eth0"));
            assert_eq!((p.direction, p.lost.clone()), (Direction::Out, Some(along)));
            let f = frame(&p.frames[1]);
            let d = check::dissected(f);
            let echo = d.echo.expect("an echo request");
            assert!(echo.request && echo.v6);
            lost_sizes.push(echo.payload_len as usize);
            assert!(f.data.len() - 14 > INNER_MTU as usize, "does not fit once in VXLAN");
            // Its Packet Too Big follows: source pod B, to pod A, quoting it.
            let ptb = story
                .truth
                .packets
                .iter()
                .map(|q| frame(&q.frames[0]))
                .find(|g| {
                    check::dissected(g).mtu_signal.is_some()
                        && g.timestamp_ns > f.timestamp_ns
                        && g.timestamp_ns < f.timestamp_ns.map(|t| t + 1_000_000)
                })
                .expect("a Packet Too Big");
            let pd = check::dissected(ptb);
            assert_eq!(pd.mtu_signal, Some(MtuSignal::PacketTooBig { mtu: INNER_MTU }));
            assert_eq!(ptb.data.len(), 14 + 1280, "as much as fits in the IPv6 minimum MTU");
            assert_eq!((&ptb.data[22..38], &ptb.data[38..54]), (&POD_B[..], &POD_A[..]));
            assert_eq!(ptb.data[21], f.data[21], "the offending packet's hop limit");
            assert_eq!(&ptb.data[62..], &f.data[14..14 + 1232], "the offending datagram, cut");
        }
        assert_eq!(lost_sizes, [1383, 1400, 1452]);
        let ptbs =
            story.truth.packets.iter().filter(|p| check::dissected(frame(&p.frames[0])).mtu_signal.is_some()).count();
        assert_eq!(ptbs, 3);
        let replies = story
            .truth
            .packets
            .iter()
            .filter_map(|p| check::dissected(frame(p.frames.last().unwrap())).echo)
            .filter(|e| !e.request)
            .map(|e| e.payload_len)
            .collect::<Vec<_>>();
        assert_eq!(replies, [1000, 1380, 1382], "what fits is answered");
    }

    #[test]
    fn vxlan_over_ipv6_adds_70_bytes() {
        let story = ipv6();
        let frames = check::by_ref(&story);
        let mut tunnelled = 0;
        for p in &story.truth.packets {
            let inner = &frames[&(p.frames[0].file.clone(), p.frames[0].frame)].1.data;
            let inner = if frames[&(p.frames[0].file.clone(), p.frames[0].frame)].0.interface == "0" {
                inner[VXLAN6_OVERHEAD..].to_vec()
            } else {
                inner.clone()
            };
            for r in &p.frames {
                let (point, f) = &frames[&(r.file.clone(), r.frame)];
                let d = check::dissected(f);
                if point.interface == "eth0" || point.interface == "0" {
                    tunnelled += 1;
                    assert!(d.headers.iter().any(|h| h.layer == Layer::Vxlan && h.start == 62));
                    assert_eq!(f.data.len(), inner.len() + VXLAN6_OVERHEAD);
                    assert_eq!(&f.data[VXLAN6_OVERHEAD..], &inner[..], "the inner frame unchanged");
                    assert!(f.data.len() - 14 <= UNDERLAY_MTU);
                } else {
                    assert_eq!(f.data, inner, "{point:?}: the bridge changes nothing");
                }
            }
        }
        assert_eq!(tunnelled, 2 * (3 + 3 + 4), "two NIC frames of each ping, reply and multicast");
    }

    #[test]
    fn look_alike_multicast_from_two_pods_at_the_same_instant() {
        let story = ipv6();
        let frames = check::by_ref(&story);
        let multicast: Vec<_> = story
            .truth
            .packets
            .iter()
            .map(|p| &frames[&(p.frames[0].file.clone(), p.frames[0].frame)])
            .filter(|(point, f)| {
                let inner = if point.interface == "0" { &f.data[VXLAN6_OVERHEAD..] } else { &f.data[..] };
                inner[0..2] == [0x33, 0x33]
            })
            .map(|(point, f)| {
                let inner = if point.interface == "0" { &f.data[VXLAN6_OVERHEAD..] } else { &f.data[..] };
                inner.to_vec()
            })
            .collect();
        assert_eq!(multicast.len(), 4);
        for pair in multicast.chunks(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert_ne!(&a[22..38], &b[22..38], "from different hosts");
            assert_eq!(&a[38..54], &b[38..54], "to the same group");
            let at = 14 + 40 + if a[20] == 0 { 8 } else { 0 }; // after a hop-by-hop header
            assert_eq!((a[at], &a[at + 4..]), (b[at], &b[at + 4..]), "identical ICMPv6 bodies");
        }
        // Sent at the same instant: pod A's at its veth, pod B's at node B's
        // NIC, on clocks NODE_B_BEHIND_NS apart.
        let sent: Vec<i64> = story
            .truth
            .packets
            .iter()
            .map(|p| &frames[&(p.frames[0].file.clone(), p.frames[0].frame)])
            .filter(|(point, f)| f.data.len() < 200 && (point.interface == VETH_A || point.interface == "0"))
            .map(|(point, f)| f.timestamp_ns.unwrap() + if point.interface == "0" { NODE_B_BEHIND_NS } else { 0 })
            .collect();
        assert_eq!(sent.len(), 4);
        assert!(sent[0] == sent[1] && sent[2] == sent[3], "{sent:?}");
    }

    #[test]
    fn checksums_verify_inside_and_outside_the_tunnel() {
        let story = ipv6();
        let mut checked = 0;
        for (_, bytes) in &story.files {
            for f in check::frames(bytes) {
                checked += check::assert_checksums(&f.data, &check::dissected(&f));
            }
        }
        assert!(checked > 40, "{checked}");
    }
}
