//! Multi-point captures: the same packets as several capture points on a
//! path see them. A [`Datagram`] is built afresh at every hop with that hop's
//! addresses, TTL and identification (so NAT leaves correct checksums), and
//! framed with that hop's link: VLAN tags pushed or popped, a driver's
//! trailer appended, or a VXLAN encapsulation around the whole frame.

pub mod build;
pub mod clocks;
pub mod ipv6;
pub mod kubernetes;
pub mod offload;
pub mod record;
pub mod truth;

use super::{rfc3339, PcapWriter, PcapngWriter, CONTROLLER_MAC, LAPTOP_MAC};
use etherparse::PacketBuilder;

/// What an IP datagram carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// ICMP echo with `payload` bytes (`ping -s payload`), bytes `i % 256`.
    Echo { request: bool, ident: u16, seq: u16, payload: usize },
    /// A TCP segment with the ACK flag and `payload` bytes of `fill`.
    Tcp { src_port: u16, dst_port: u16, seq: u32, ack: u32, payload: usize, fill: u8 },
    /// A UDP datagram with `payload` bytes of `fill`.
    Udp { src_port: u16, dst_port: u16, payload: usize, fill: u8 },
}

/// An IPv4 datagram as one hop sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Datagram {
    pub src: [u8; 4],
    pub dst: [u8; 4],
    pub ttl: u8,
    pub ident: u16,
    pub dont_fragment: bool,
    pub body: Body,
}

impl Datagram {
    /// The datagram's bytes, with correct lengths and checksums.
    pub fn bytes(&self) -> Vec<u8> {
        let ip = PacketBuilder::ipv4(self.src, self.dst, self.ttl);
        let mut out = Vec::new();
        // Writing to a Vec cannot fail; an empty datagram would fail the tests loudly.
        let _ = match self.body {
            Body::Echo { request, ident, seq, payload } => {
                let data: Vec<u8> = (0..payload).map(|i| (i % 256) as u8).collect();
                if request {
                    ip.icmpv4_echo_request(ident, seq).write(&mut out, &data)
                } else {
                    ip.icmpv4_echo_reply(ident, seq).write(&mut out, &data)
                }
            }
            Body::Tcp { src_port, dst_port, seq, ack, payload, fill } => {
                ip.tcp(src_port, dst_port, seq, 64240).ack(ack).write(&mut out, &vec![fill; payload])
            }
            Body::Udp { src_port, dst_port, payload, fill } => {
                ip.udp(src_port, dst_port).write(&mut out, &vec![fill; payload])
            }
        };
        if out.len() >= 20 {
            out[4..6].copy_from_slice(&self.ident.to_be_bytes());
            out[6] = if self.dont_fragment { 0x40 } else { 0 };
            out[10..12].copy_from_slice(&[0, 0]);
            let ck = crate::frame::vendor::internet_checksum_of(&out[..20]);
            out[10..12].copy_from_slice(&ck.to_be_bytes());
        }
        out
    }

    /// The same datagram one router further: TTL − 1.
    pub fn routed(mut self) -> Self {
        self.ttl = self.ttl.saturating_sub(1);
        self
    }

    /// The same datagram with its destination rewritten (DNAT).
    pub fn dnat(mut self, dst: [u8; 4]) -> Self {
        self.dst = dst;
        self
    }

    /// The same datagram with its source rewritten (SNAT, or un-DNAT of a reply).
    pub fn snat(mut self, src: [u8; 4]) -> Self {
        self.src = src;
        self
    }

    /// The same datagram with its ports rewritten (PAT), if it has ports.
    pub fn ports(mut self, src: u16, dst: u16) -> Self {
        match &mut self.body {
            Body::Tcp { src_port, dst_port, .. } | Body::Udp { src_port, dst_port, .. } => {
                (*src_port, *dst_port) = (src, dst)
            }
            Body::Echo { .. } => {}
        }
        self
    }
}

/// An Ethernet frame: MACs, VLAN tags (outermost first), the payload of
/// EtherType `ethertype`, then `trailer` (bytes a driver appended).
pub fn ethernet(dst: [u8; 6], src: [u8; 6], vlans: &[u16], ethertype: u16, payload: &[u8], trailer: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(18 + 4 * vlans.len() + payload.len() + trailer.len());
    f.extend_from_slice(&dst);
    f.extend_from_slice(&src);
    for v in vlans {
        f.extend_from_slice(&0x8100u16.to_be_bytes());
        f.extend_from_slice(&(v & 0x0fff).to_be_bytes());
    }
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(payload);
    // A sender pads a short frame to the 60-byte minimum before any trailer.
    let min = 60 + 4 * vlans.len();
    if f.len() < min {
        f.resize(min, 0);
    }
    f.extend_from_slice(trailer);
    f
}

/// An IPv4 datagram framed by Ethernet.
pub fn ip_frame(dst: [u8; 6], src: [u8; 6], vlans: &[u16], d: &Datagram, trailer: &[u8]) -> Vec<u8> {
    ethernet(dst, src, vlans, 0x0800, &d.bytes(), trailer)
}

/// `inner` (a whole Ethernet frame) inside VXLAN `vni` over IPv4/UDP 4789
/// between two tunnel endpoints: 50 bytes more.
pub fn vxlan(outer_src: [u8; 4], outer_dst: [u8; 4], vni: u32, inner: &[u8]) -> Vec<u8> {
    let mut payload = vec![0x08, 0, 0, 0];
    payload.extend_from_slice(&(vni << 8).to_be_bytes());
    payload.extend_from_slice(inner);
    let step = PacketBuilder::ethernet2([0x52, 0x54, 0, 0x0e, 0, 1], [0x52, 0x54, 0, 0x0e, 0, 2])
        .ipv4(outer_src, outer_dst, 64)
        .udp(49_152 + (vni % 1000) as u16, 4789);
    let mut f = Vec::new();
    let _ = step.write(&mut f, &payload);
    f
}

pub const LAPTOP_IP: [u8; 4] = [192, 168, 10, 23];
pub const FLOATING_IP: [u8; 4] = [192, 168, 10, 150];
pub const INSTANCE_IP: [u8; 4] = [10, 0, 0, 5];
/// How far the controller's clock runs ahead of the laptop's in the story.
pub const CONTROLLER_AHEAD_NS: i64 = 3_217_250_000;
/// The router port's name in the story (Neutron names ports by their UUID's start).
pub const ROUTER_PORT: &str = "qr-5d0a1c2e-7f";
const ROUTER_MAC: [u8; 6] = [0xfa, 0x16, 0x3e, 0x5d, 0x0a, 0x1c];
const INSTANCE_MAC: [u8; 6] = [0xfa, 0x16, 0x3e, 0x00, 0x00, 0x05];
/// The story's ping sweep: `ping -s` payloads, 1472 sent three times.
pub const STORY_PAYLOADS: [usize; 10] = [56, 500, 1000, 1400, 1450, 1460, 1470, 1472, 1472, 1472];

/// The "2 bytes" story on a path: three points on two hosts whose clocks
/// differ by [`CONTROLLER_AHEAD_NS`].
///
/// - `laptop.pcap`: the laptop's NIC; its pings and the replies it gets.
/// - `controller.pcapng` interface 0 `eth1`: the controller's USB NIC on a
///   VLAN 100 trunk; its driver appends `25 7f` to every frame it receives.
/// - interface 1 [`ROUTER_PORT`]: the Neutron router's port, after DNAT of the
///   floating IP to the instance (TTL − 1; the IP layer trimmed the 2 bytes).
///
/// Up to `ping -s 1470` everything is answered. The three 1472-byte pings make
/// a 1500-byte datagram, 1502 bytes of L2 payload with the trailer, which
/// Open vSwitch drops between `eth1` and the router port: the laptop sees no
/// reply, the controller's NIC sees the packet with 2 more bytes, the router's
/// port never sees it.
pub fn story() -> Vec<(&'static str, Vec<u8>)> {
    const TRAILER: [u8; 2] = [0x25, 0x7f];
    let mut laptop = PcapWriter::new(1, 262_144);
    let mut controller = PcapngWriter::new();
    let eth1 = controller.interface(1, "eth1", None);
    let qr = controller.interface(1, ROUTER_PORT, None);
    let t0 = story_ping_ns(0) as u64; // 2024-12-01 11:00 UTC
    let ahead = CONTROLLER_AHEAD_NS as u64;
    // The laptop asks for the gateway first: not IP, so not followed.
    let mut arp = vec![0, 1, 8, 0, 6, 4, 0, 1];
    arp.extend_from_slice(&LAPTOP_MAC);
    arp.extend_from_slice(&LAPTOP_IP);
    arp.extend_from_slice(&[0; 6]);
    arp.extend_from_slice(&FLOATING_IP);
    let arp = ethernet([0xff; 6], LAPTOP_MAC, &[], 0x0806, &arp, &[]);
    laptop.push(t0 - 5_000_000, &arp, arp.len() as u32);
    for (i, &payload) in STORY_PAYLOADS.iter().enumerate() {
        let seq = i as u16 + 1;
        let t = t0 + i as u64 * 1_000_000_000;
        let request = Datagram {
            src: LAPTOP_IP,
            dst: FLOATING_IP,
            ttl: 64,
            ident: 0x4a00 + seq,
            dont_fragment: true,
            body: Body::Echo { request: true, ident: 0x0b0b, seq, payload },
        };
        let f = ip_frame(CONTROLLER_MAC, LAPTOP_MAC, &[], &request, &[]);
        laptop.push(t, &f, f.len() as u32);
        let f = ip_frame(CONTROLLER_MAC, LAPTOP_MAC, &[100], &request, &TRAILER);
        controller.packet(eth1, t + ahead + 310_000, &f, f.len() as u32, 1);
        if payload > 1470 {
            continue; // dropped by Open vSwitch: 1502 > 1500
        }
        let routed = request.routed().dnat(INSTANCE_IP);
        let f = ip_frame(INSTANCE_MAC, ROUTER_MAC, &[], &routed, &[]);
        controller.packet(qr, t + ahead + 352_000, &f, f.len() as u32, 2);
        let reply = Datagram {
            src: INSTANCE_IP,
            dst: LAPTOP_IP,
            ttl: 64,
            ident: 0x7100 + seq,
            dont_fragment: false,
            body: Body::Echo { request: false, ident: 0x0b0b, seq, payload },
        };
        let f = ip_frame(ROUTER_MAC, INSTANCE_MAC, &[], &reply, &[]);
        controller.packet(qr, t + ahead + 910_000, &f, f.len() as u32, 1);
        let back = reply.routed().snat(FLOATING_IP);
        let f = ip_frame(LAPTOP_MAC, CONTROLLER_MAC, &[100], &back, &[]);
        controller.packet(eth1, t + ahead + 955_000, &f, f.len() as u32, 2);
        let f = ip_frame(LAPTOP_MAC, CONTROLLER_MAC, &[], &back, &[]);
        laptop.push(t + 1_262_000, &f, f.len() as u32);
    }
    vec![("laptop.pcap", laptop.into_bytes()), ("controller.pcapng", controller.into_bytes())]
}

/// [`story`] with its truth: which frames are one packet and where the
/// three 1472-byte pings are lost. The frame numbers follow the order
/// [`story`] writes its records in (both files in time order).
pub fn story_with_truth() -> truth::Story {
    use truth::{Direction, FrameRef, PointName, TrueClock, TruePacket, Truth};
    let (laptop, eth1, qr) = (
        PointName::new("laptop.pcap", "0"),
        PointName::new("controller.pcapng", "eth1"),
        PointName::new("controller.pcapng", ROUTER_PORT),
    );
    let at = |file: &str, frame: u64| FrameRef { file: file.to_string(), frame };
    let mut packets = vec![TruePacket { frames: vec![at("laptop.pcap", 1)], direction: Direction::Out, lost: None }];
    let (mut l, mut c) = (1u64, 0u64);
    for &payload in &STORY_PAYLOADS {
        let request = vec![at("laptop.pcap", l + 1), at("controller.pcapng", c + 1)];
        if payload > 1470 {
            packets.push(TruePacket {
                frames: request,
                direction: Direction::Out,
                lost: Some((eth1.clone(), qr.clone())),
            });
            (l, c) = (l + 1, c + 1);
            continue;
        }
        let mut request = request;
        request.push(at("controller.pcapng", c + 2));
        packets.push(TruePacket { frames: request, direction: Direction::Out, lost: None });
        packets.push(TruePacket {
            frames: vec![at("controller.pcapng", c + 3), at("controller.pcapng", c + 4), at("laptop.pcap", l + 2)],
            direction: Direction::Back,
            lost: None,
        });
        (l, c) = (l + 2, c + 4);
    }
    let files = story().into_iter().map(|(n, b)| (n.to_string(), b)).collect();
    let clocks = vec![
        TrueClock { file: "laptop.pcap".into(), offset_ns: 0, rate_ppb: 0 },
        TrueClock { file: "controller.pcapng".into(), offset_ns: CONTROLLER_AHEAD_NS, rate_ppb: 0 },
    ];
    truth::Story { name: "two-bytes", files, truth: Truth { path: vec![laptop, eth1, qr], packets, clocks } }
}

/// When [`story`]'s laptop sends ping `i` (0-based), on the laptop's clock.
const fn story_ping_ns(i: usize) -> i64 {
    1_733_050_800_000_000_000 + i as i64 * 1_000_000_000
}

/// The story router's gateway port, where floating-IP traffic from the
/// laptop enters the router; no capture watches it.
pub const GATEWAY_PORT: &str = "qg-3f9c2b71-a4";

/// The controller's kern.log beside [`story`], its clock `behind_ns` behind
/// the controller's capture clock (0: the same host, the same clock): the
/// USB NIC's driver registering on `eth1` (the ASIX driver known to append 2
/// bytes), Open vSwitch dropping each of the three 1472-byte pings 45 µs
/// after `eth1` saw it, a drop on another router's gateway port that no
/// capture saw (`qg-4c2a1b3d-5e`, `1508 > 1500`), and a line Framelens does
/// not know. Open vSwitch names the port it sends to (`ovs_vport_send` logs
/// `vport->dev`): the router's gateway port [`GATEWAY_PORT`], which inbound
/// floating-IP traffic reaches first. [`ROUTER_PORT`] comes after the
/// router's IP layer, which trims the 2 bytes (`ip_rcv_core` →
/// `pskb_trim_rcsum`), so no drop there could be about them.
pub fn story_kern_log(behind_ns: i64) -> String {
    let at = |laptop_ns: i64| rfc3339(laptop_ns + CONTROLLER_AHEAD_NS - behind_ns);
    let mac: Vec<String> = CONTROLLER_MAC.iter().map(|b| format!("{b:02x}")).collect();
    let mut log = format!(
        "{} node-2 kernel: ax88179_178a 2-1:1.0 eth1: register 'ax88179_178a' at usb-0000:00:14.0-1, ASIX AX88179 USB 3.0 Gigabit Ethernet, {}\n",
        at(story_ping_ns(0) - 3_600_000_000_000),
        mac.join(":")
    );
    log.push_str(&format!(
        "{} node-2 kernel: ax88179_178a 2-1:1.0 eth1: ax88179 - Link status is: 1\n",
        at(story_ping_ns(0) - 3_599_000_000_000)
    ));
    log.push_str(&format!("{} node-2 systemd[1]: Started Session 4 of user stack.\n", at(story_ping_ns(2))));
    for (i, &payload) in STORY_PAYLOADS.iter().enumerate() {
        if payload > 1470 {
            log.push_str(&format!(
                "{} node-2 kernel: {GATEWAY_PORT}: dropped over-mtu packet: 1502 > 1500\n",
                at(story_ping_ns(i) + 310_000 + 45_000)
            ));
        }
    }
    log.push_str(&format!(
        "{} node-2 kernel: qg-4c2a1b3d-5e: dropped over-mtu packet: 1508 > 1500\n",
        at(story_ping_ns(9) + 400_000_000)
    ));
    log
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datagram_carries_the_hop_fields() {
        let d = Datagram {
            src: LAPTOP_IP,
            dst: FLOATING_IP,
            ttl: 64,
            ident: 0x1234,
            dont_fragment: true,
            body: Body::Echo { request: true, ident: 1, seq: 2, payload: 1472 },
        };
        let b = d.bytes();
        assert_eq!(b.len(), 1500);
        assert_eq!(&b[4..7], &[0x12, 0x34, 0x40]);
        assert_eq!(crate::frame::vendor::internet_checksum_of(&b[..20]), 0, "header checksum verifies");
        let r = d.routed().dnat(INSTANCE_IP).bytes();
        assert_eq!((r[8], &r[16..20]), (63, &INSTANCE_IP[..]));
    }

    #[test]
    fn vxlan_adds_fifty_bytes() {
        let d = Datagram {
            src: LAPTOP_IP,
            dst: INSTANCE_IP,
            ttl: 64,
            ident: 1,
            dont_fragment: true,
            body: Body::Udp { src_port: 1, dst_port: 2, payload: 100, fill: 7 },
        };
        let inner = ip_frame(LAPTOP_MAC, CONTROLLER_MAC, &[], &d, &[]);
        assert_eq!(vxlan([172, 16, 0, 1], [172, 16, 0, 2], 77, &inner).len(), inner.len() + 50);
    }
}
