//! Lessons: worked examples over the gallery captures ([`crate::craft::gallery`])
//! and over the path story's captures ([`crate::craft::paths::story`]).
//! Each step selects a frame and highlights the bytes it talks about; a step
//! of a path lesson also names the packet's journey and the capture point
//! whose frame it shows ([`Stop`]). The web app walks them, and tests check
//! that every highlight resolves to bytes of the frame's analysis and that
//! every stop is what the path analysis finds.

use crate::frame::analysis::FrameAnalysis;
use crate::frame::ledger::RegionKind;
use crate::settings::{DeviceRule, Settings};
use crate::wire::Layer;
use serde::Serialize;

/// What a step points at in the frame's anatomy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Highlight {
    /// The region of this kind after the datagram.
    Region { region: RegionKind },
    /// One field, by layer and table name.
    Field { layer: Layer, name: &'static str },
    /// Every span of a layer (at the outer depth unless `depth` says otherwise).
    Layer { layer: Layer, depth: u8 },
    /// Frame offsets `start..end`: what the sender of a diagnosis link pointed at.
    Bytes { start: u32, end: u32 },
}

impl Highlight {
    /// The frame offsets this highlight covers in `a`, if any.
    pub fn resolve(&self, a: &FrameAnalysis) -> Option<(u32, u32)> {
        match *self {
            Highlight::Region { region } => a.ledger.region(region).map(|r| (r.start, r.end())),
            Highlight::Field { layer, name } => {
                a.spans.iter().find(|s| s.layer == layer && s.name == name).map(|s| (s.start, s.end))
            }
            Highlight::Layer { layer, depth } => {
                let mut it = a.spans.iter().filter(|s| s.layer == layer && s.depth == depth);
                let first = it.next()?;
                let end = it.fold(first.end, |e, s| e.max(s.end));
                Some((first.start, end))
            }
            Highlight::Bytes { start, end } => {
                let end = end.min(a.ledger.caplen);
                (start < end).then_some((start, end))
            }
        }
    }

    /// The runs several highlights cover in `a`, sorted and merged: an
    /// anatomy outlines every one (a journey's frame has a tag and a trailer
    /// that appeared).
    pub fn resolve_all<'h>(highlights: impl IntoIterator<Item = &'h Highlight>, a: &FrameAnalysis) -> Vec<(u32, u32)> {
        crate::explain::view::merge_runs(highlights.into_iter().filter_map(|h| h.resolve(a)).collect())
    }
}

/// Where a step of a path lesson stands: one packet's journey at one
/// capture point, as `framelens path` over the lesson's captures numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Stop {
    /// The journey's index (0-based, in order of first sighting).
    pub journey: u64,
    /// The capture point whose frame of that journey the step shows.
    pub point: u16,
    /// That point's name (`controller.pcapng · eth1`).
    pub label: &'static str,
    /// The step says the packet was lost after this point.
    pub lost_after: bool,
    /// The kernel-log line (1-based, of the lesson's first log) the step quotes about this packet.
    pub log_line: Option<u64>,
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct Step {
    /// The frame shown; in a path lesson, its number in the file of `at`'s point.
    pub frame: u64,
    /// In a path lesson: the journey and point the frame belongs to.
    pub at: Option<Stop>,
    pub highlight: Highlight,
    pub text: &'static str,
}

/// The files a lesson opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Source {
    /// One capture in `static/examples/`.
    Capture { file: &'static str },
    /// Several files in `static/<dir>/`, opened together as a drop of them all.
    Path(PathSet),
}

/// The captures and kernel logs of a path lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PathSet {
    pub dir: &'static str,
    /// In this order: point indices follow it (files first, then interfaces).
    pub captures: &'static [&'static str],
    pub logs: &'static [&'static str],
    /// The capture the frame list shows (index into `captures`): the one the logs are read beside.
    pub shown: usize,
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct Lesson {
    /// Used in links: `#lesson=two-bytes`.
    pub id: &'static str,
    pub title: &'static str,
    /// One line for the gallery card.
    pub summary: &'static str,
    pub source: Source,
    pub settings: Settings,
    pub steps: &'static [Step],
    pub takeaway: &'static str,
    /// What to check on a real system.
    pub check: &'static [&'static str],
}

impl Lesson {
    /// The capture of a single-capture lesson (a file name in `static/examples/`).
    pub const fn capture(&self) -> Option<&'static str> {
        match self.source {
            Source::Capture { file } => Some(file),
            Source::Path(_) => None,
        }
    }

    /// Whether `capture` is one of the captures the lesson opens.
    pub fn opens(&self, capture: &str) -> bool {
        match &self.source {
            Source::Capture { file } => *file == capture,
            Source::Path(set) => set.captures.contains(&capture),
        }
    }

    /// The files of a path lesson.
    pub const fn path(&self) -> Option<&PathSet> {
        match &self.source {
            Source::Path(set) => Some(set),
            Source::Capture { .. } => None,
        }
    }
}

impl PathSet {
    /// Where the web app fetches `file` from (relative to the page).
    pub fn url(&self, file: &str) -> String {
        format!("static/{}/{file}", self.dir)
    }

    /// The capture the frame list shows.
    pub fn shown_capture(&self) -> Option<&'static str> {
        self.captures.get(self.shown).copied()
    }
}

const fn s(frame: u64, highlight: Highlight, text: &'static str) -> Step {
    Step { frame, at: None, highlight, text }
}
/// A path step: frame `frame` of `label`'s file, journey `journey` at point `point`.
const fn p(
    journey: u64,
    point: u16,
    label: &'static str,
    frame: u64,
    highlight: Highlight,
    text: &'static str,
) -> Step {
    Step { frame, at: Some(Stop { journey, point, label, lost_after: false, log_line: None }), highlight, text }
}
/// The same step, saying the packet was lost after this point.
const fn lost(mut step: Step) -> Step {
    if let Some(at) = &mut step.at {
        at.lost_after = true;
    }
    step
}
/// The same step, quoting line `line` of the lesson's kernel log.
const fn quoting(mut step: Step, line: u64) -> Step {
    if let Some(at) = &mut step.at {
        at.log_line = Some(line);
    }
    step
}
const fn region(region: RegionKind) -> Highlight {
    Highlight::Region { region }
}
const fn field(layer: Layer, name: &'static str) -> Highlight {
    Highlight::Field { layer, name }
}
const fn layer(layer: Layer) -> Highlight {
    Highlight::Layer { layer, depth: 0 }
}
const DEFAULT: Settings = Settings { mtu: 1500, rule: DeviceRule::OvsKernel, fcs: crate::settings::FcsMode::Auto };

pub static LESSONS: &[Lesson] = &[
    Lesson {
        id: "two-bytes",
        title: "Two bytes that cost two days",
        summary: "A USB NIC driver appends 2 bytes to every frame, and 1472-byte pings vanish at an Open vSwitch with MTU 1500.",
        source: Source::Capture { file: "two-bytes.pcap" },
        settings: DEFAULT,
        steps: &[
            s(13, field(Layer::Ipv4, "Total length"), "A ping with `ping -s 1470`: 1470 bytes of data + 8 ICMP + 20 IPv4 = a 1498-byte datagram. Its total length field says so."),
            s(13, region(RegionKind::Trailer), "After the datagram's end sit 2 more bytes, 25 7f. No header accounts for them: not an FCS (4 bytes), not padding (the frame is long)."),
            s(14, layer(Layer::Icmp), "The 1470-byte ping is answered: 1498 + 2 = 1500 bytes of L2 payload, exactly the MTU."),
            s(15, field(Layer::Ipv4, "Total length"), "`ping -s 1472` makes a 1500-byte datagram: the largest that fits MTU 1500."),
            s(15, region(RegionKind::Trailer), "With the 2 unexplained bytes the L2 payload is 1502. Open vSwitch counts them and drops the frame: `dropped over-mtu packet: 1502 > 1500`. No reply ever comes."),
            s(15, region(RegionKind::Trailer), "The node's kernel log said so about this very frame. kern.log line 5 (`two-bytes-kern.log`, read with `framelens --log`): `qg-4c2a1b3d-5e: dropped over-mtu packet: 1502 > 1500`, tied to frame 15 because its L2 payload is 1502 and the times agree; the same log names the NIC's driver, ax88179_178a."),
        ],
        takeaway: "Bytes after the datagram count against the MTU on bridges and switches. The bug is the driver's: appending 2 bytes makes every full-size packet 2 bytes too big, and small pings never notice. The fix is upstream commit e869e7a17798 (\"net: usb: ax88179_178a: fix packet alignment padding\", June 2020): Linux 5.7.7 carries it, and the 5.4.50 and 4.9.229 stable reviews took it in.",
        check: &["`ethtool -i eth1`: driver ax88179_178a, and its version is the kernel's (`uname -r`): older than the fix, it appends the 2 bytes", "`ip -s link show <port>` (for a router's port, inside `ip netns exec qrouter-…`): TX errors count Open vSwitch's drops on its output port", "`journalctl -k | grep over-mtu`: Open vSwitch's drop lines, `<port>: dropped over-mtu packet: 1502 > 1500`", "`ping -M do -s 1472 <host>` then `-s 1470`: the largest ping payload that passes"],
    },
    Lesson {
        id: "who-counts",
        title: "Who counts what",
        summary: "One tagged frame with 2 unexplained bytes: Open vSwitch drops it, a bridge, veth and a router pass it.",
        source: Source::Capture { file: "two-bytes.pcap" },
        settings: DEFAULT,
        steps: &[
            s(15, layer(Layer::Vlan), "One frame, five devices with MTU 1500. It is 1,520 bytes on the wire: Ethernet 14, an 802.1Q tag 4, a 1500-byte datagram and 2 unexplained bytes. Each device counts different bytes of it."),
            s(15, Highlight::Bytes { start: 18, end: 1520 }, "Open vSwitch's kernel datapath counts the L2 payload after the header and one tag: 1,502 > 1500. It drops the frame, adds 1 to the output port's `tx_errors` and logs `dropped over-mtu packet: 1502 > 1500`, rate-limited."),
            s(15, layer(Layer::Vlan), "A Linux bridge counts `skb->len`, and the kernel took the outer tag out of it on receive (`skb_vlan_untag`). So 1,516 ≤ 1,518 (MTU + 14 + 4): the bridge forwards it. Its drops would show only in `skb:kfree_skb` tracing."),
            s(15, region(RegionKind::Trailer), "veth applies the same check (`is_skb_forwardable`), with the 2 bytes counted: 1,516 ≤ 1,518, it passes. A veth drop would count in its peer's `rx_dropped`."),
            s(15, Highlight::Bytes { start: 0, end: 1520 }, "Open vSwitch with DPDK counts the whole frame, tag and 2 bytes included: 1,520 > 1,518 (MTU + 14 header + 4 CRC). It drops it and warns in ovs-vswitchd.log: `Too big size 1520 max_packet_len 1518`."),
            s(15, field(Layer::Ipv4, "Total length"), "An IP router counts the datagram: 1,500 ≤ MTU 1500, so it forwards it. Its IP layer trims the 2 bytes to the total length (`pskb_trim_rcsum`), and they never leave the router."),
        ],
        takeaway: "The same frame is dropped by Open vSwitch, kernel or DPDK, and passed by a bridge, veth and a router. A verdict must say whose rule it assumes, and each drop shows up in a different place.",
        check: &["`ip -s link show <port>`: `tx_errors` on an OVS port, `rx_dropped` on a veth's peer", "`dmesg | grep over-mtu` (OVS kernel datapath); `grep 'Too big size' /var/log/openvswitch/ovs-vswitchd.log` (OVS-DPDK)", "`perf record -e skb:kfree_skb -a` or `pwru` for drops a bridge does not log"],
    },
    Lesson {
        id: "etherleak",
        title: "Padding that leaks memory",
        summary: "Short frames padded with leftover memory instead of zeros.",
        source: Source::Capture { file: "etherleak.pcap" },
        settings: DEFAULT,
        steps: &[
            s(1, layer(Layer::Tcp), "A pure TCP ACK: 14 + 20 + 20 = 54 bytes, 6 short of Ethernet's 60-byte minimum."),
            s(1, region(RegionKind::Padding), "The NIC pads it to 60 with zeros. 802.3 leaves the padding's content open; RFC 894 says it should be zero."),
            s(2, region(RegionKind::Padding), "This driver padded with whatever was in its buffer: here, pieces of an earlier HTTP response. That is Etherleak (CERT VU#412115)."),
        ],
        takeaway: "802.3 does not say what padding holds and RFC 894 asks for zeros. Padding that carries earlier traffic discloses memory of the sending host.",
        check: &["Identify the sender by its MAC and update its NIC driver or firmware", "Look for the same pattern on all small frames of that MAC"],
    },
    Lesson {
        id: "fcs",
        title: "An FCS in the capture, valid or not",
        summary: "A tap keeps each frame's CRC-32; one frame was damaged on the wire.",
        source: Source::Capture { file: "fcs.pcapng" },
        settings: DEFAULT,
        steps: &[
            s(1, region(RegionKind::Fcs), "On the tap interface the capture kept each frame's FCS: the last 4 bytes are the Ethernet CRC-32 of the rest. The CRC proves it."),
            s(2, region(RegionKind::Padding), "The same frame on the host interface: padding, but no FCS; the NIC stripped it before the capture."),
            s(5, region(RegionKind::Fcs), "After a VLAN tag the FCS is still an FCS. When the capture does not say frames carry an FCS, Wireshark shows such bytes as a VLAN trailer. The CRC says otherwise."),
            s(7, region(RegionKind::Fcs), "This FCS does not match its frame, and the NIC flagged a CRC error: the frame was damaged on the wire."),
        ],
        takeaway: "4 bytes at the end are an FCS when the CRC matches. Capture metadata only says whether to expect one; the CRC is the proof.",
        check: &["`ethtool -k <dev> | grep rx-fcs` and `ethtool -K <dev> rx-fcs on` to capture FCSs", "`ethtool -S <dev> | grep -i crc` for CRC errors on a port"],
    },
    Lesson {
        id: "vlan-qinq",
        title: "What tags do to frame sizes",
        summary: "Each tag adds 4 bytes; with QinQ a full datagram makes a 1522-byte frame.",
        source: Source::Capture { file: "vlan-qinq.pcap" },
        settings: Settings { mtu: 1500, rule: DeviceRule::LinuxBridge, fcs: crate::settings::FcsMode::Auto },
        steps: &[
            s(1, region(RegionKind::Padding), "A small UDP datagram (38 bytes), untagged: 52 bytes, padded to 60."),
            s(2, layer(Layer::Vlan), "With one 802.1Q tag the frame grows by 4: 64 bytes. A bridge that adds the tag after padding makes exactly this."),
            s(3, layer(Layer::Vlan), "QinQ stacks two tags: 68 bytes."),
            s(6, layer(Layer::Vlan), "A full 1500-byte datagram with two tags is a 1522-byte frame. A Linux bridge passes it: the kernel keeps the outer tag beside the packet, not in its length, so it counts 1518 bytes against MTU + 14 + 4 = 1518. The egress NIC may still refuse a 1522-byte frame."),
        ],
        takeaway: "The MTU counts the L3 datagram; tags add 4 bytes each to the frame, and devices differ in how many they allow for.",
        check: &["`ip -d link show <dev>`: VLAN devices and their MTU", "Raise the parent device's MTU by 4 per tag for QinQ"],
    },
    Lesson {
        id: "vxlan",
        title: "VXLAN and MTU 1450",
        summary: "50 bytes of overlay headers, and why Neutron gives instances MTU 1450.",
        source: Source::Capture { file: "vxlan.pcap" },
        settings: Settings { mtu: 1500, rule: DeviceRule::IpRouter, fcs: crate::settings::FcsMode::Auto },
        steps: &[
            s(1, layer(Layer::Vxlan), "An instance's frame travels inside UDP, 50 bytes longer on the wire. Against the underlay's MTU the 50 are outer IPv4 20 + UDP 8 + VXLAN 8 + the inner Ethernet header 14 (RFC 7348 §5)."),
            s(1, field(Layer::Ipv4, "Total length"), "With instance MTU 1450 the outer datagram is exactly 1500 bytes: it fits the underlay."),
            s(2, field(Layer::Ipv4, "Total length"), "With instance MTU 1500 the outer datagram is 1550 bytes: the underlay drops it. VTEPs set DF and must not fragment (RFC 7348 §4.3)."),
        ],
        takeaway: "That is why OpenStack Neutron gives VXLAN networks MTU 1450: 1500 minus the 50 bytes the underlay's datagram adds.",
        check: &["`ip link show` inside the instance: MTU should be 1450 on VXLAN networks", "`openstack network show <net> -c mtu`"],
    },
    Lesson {
        id: "geneve-ovn",
        title: "Geneve and OVN: why 1442",
        summary: "Geneve's header grows with its options: OVN's one option makes 58 bytes, and IPv6 20 more.",
        source: Source::Capture { file: "geneve-ovn.pcap" },
        settings: Settings { mtu: 1500, rule: DeviceRule::IpRouter, fcs: crate::settings::FcsMode::Auto },
        steps: &[
            s(1, layer(Layer::Geneve), "A pod's frame between two nodes, in Geneve over UDP 6081 as OVN-Kubernetes sends it. Geneve's header is 8 bytes plus options, and its first byte says how many bytes of options follow (RFC 8926 §3.4): here 8, so 16 bytes."),
            s(1, field(Layer::Geneve, "Option: OVN (class 0x0102)"), "OVN carries one option: class 0x0102, 4 bytes of option header and 4 of data, the logical ingress and egress ports. Other Geneve users carry other options, or none, so Geneve has no fixed overhead."),
            s(1, field(Layer::Ipv4, "Total length"), "Against the underlay's MTU: outer IPv4 20 + UDP 8 + Geneve 16 + the inner Ethernet header 14 = 58 bytes. A pod with MTU 1442 makes an outer datagram of exactly 1,500: it fits a 1500 underlay."),
            s(2, field(Layer::Ipv4, "Total length"), "A pod left at MTU 1500 sends a full-size segment: the outer datagram is 1,558 bytes with DF set, and the 1500 underlay cannot carry it."),
            s(3, field(Layer::Ipv6, "Payload length"), "Over an IPv6 underlay the outer header is 40 bytes, 20 more: 78 bytes in all. Payload length 1,460 + 40 = 1,500 with pod MTU 1422."),
        ],
        takeaway: "Geneve's overhead is 8 bytes plus options. OVN's one 8-byte option makes 58 bytes over IPv4, so a 1500 underlay leaves at most 1442 for the pod; over IPv6, 1422.",
        check: &["`ip link show eth0` inside a pod: its MTU, at most the node's MTU minus 58 (78 over IPv6)", "`ip -d link show genev_sys_6081` on a node: the Geneve device Open vSwitch sends through", "`ping -M do -s 1414 <pod IP>` from another pod: 1414 + 28 = 1442, the largest ping that fits"],
    },
    Lesson {
        id: "gro-tso",
        title: "Super-frames on the capturing host",
        summary: "9 KB and 20 KB frames on the capturing host that never crossed the wire.",
        source: Source::Capture { file: "gro-tso.pcap" },
        settings: DEFAULT,
        steps: &[
            s(1, layer(Layer::Tcp), "A full-size segment with TCP timestamps: 1500 − 20 IPv4 − 20 TCP − 12 timestamp option = 1448 bytes of data. Without options it would carry 1460."),
            s(2, field(Layer::Ipv4, "Total length"), "A 9 KB datagram with consistent headers: GRO merged several received segments before tcpdump saw them. Not a frame on the wire."),
            s(3, field(Layer::Ipv4, "Total length"), "Total length 0 on a 20 KB segment. Linux writes the real length into TSO segments up to 64 KB, and 0 only for BIG TCP packets above 64 KB. Below that, 0 comes from a capture before Windows' large send offload; the NIC fills in lengths as it splits the segment."),
        ],
        takeaway: "Frames far above the MTU in a host capture are usually offload artefacts, not errors: the wire carried MTU-sized segments.",
        check: &["`ethtool -k <dev> | grep -E 'segmentation|receive-offload'`", "Capture with offloads off (`ethtool -K <dev> gro off tso off gso off`) to see wire frames"],
    },
    Lesson {
        id: "snaplen",
        title: "Snaplen: bytes missing from the capture, not the wire",
        summary: "`tcpdump -s 96` kept the headers; the rest is missing from the capture only.",
        source: Source::Capture { file: "snaplen.pcap" },
        settings: DEFAULT,
        steps: &[
            s(2, field(Layer::Ipv4, "Total length"), "The datagram claims 240 bytes, but the capture stopped at 96: `tcpdump -s 96`."),
            s(3, field(Layer::Ipv4, "Total length"), "Same for a full-size segment: 1418 bytes were on the wire but not captured. Nothing after the datagram can be judged."),
        ],
        takeaway: "When captured length < original length, missing bytes are the capture's doing. Use `-s 0` to capture whole frames.",
        check: &["`tcpdump -s 0 …` (the default in modern tcpdump)"],
    },
    Lesson {
        id: "pmtu-blackhole",
        title: "A path-MTU black hole",
        summary: "The handshake works, big segments stall, and the ICMP message is ignored.",
        source: Source::Capture { file: "pmtu-blackhole.pcap" },
        settings: Settings { mtu: 1400, rule: DeviceRule::IpRouter, fcs: crate::settings::FcsMode::Auto },
        steps: &[
            s(1, field(Layer::Tcp, "Option: MSS"), "The SYN announces MSS 1460: the sender's own link has MTU 1500. The MSS says nothing about the path (RFC 9293 §3.7.1)."),
            s(3, layer(Layer::Tcp), "Small segments pass."),
            s(4, field(Layer::Ipv4, "Flags / fragment offset"), "A full-size segment with DF set: a router with a 1400-byte link cannot forward it."),
            s(5, field(Layer::Icmp, "Next-hop MTU"), "The router says so: ICMP fragmentation needed, next-hop MTU 1400. The server keeps retransmitting 1500-byte segments: the message is filtered before it or ignored by it."),
        ],
        takeaway: "TCP handshakes work and large transfers stall when ICMP fragmentation-needed never reaches the sender.",
        check: &["`ping -M do -s 1372 <host>`: probe the path MTU", "Allow ICMP type 3 code 4 (ICMPv6 type 2) through firewalls", "MSS clamping on the tunnel router"],
    },
    Lesson {
        id: "ipv6-ptb",
        title: "IPv6 Packet Too Big",
        summary: "IPv6 routers never fragment: a packet too big is dropped and answered with Packet Too Big.",
        source: Source::Capture { file: "ipv6-ptb.pcap" },
        settings: Settings { mtu: 1400, rule: DeviceRule::IpRouter, fcs: crate::settings::FcsMode::Auto },
        steps: &[
            s(1, field(Layer::Ipv6, "Payload length"), "`ping -6 -M do -s 1452`: payload length 1,460 + the 40-byte header = a 1,500-byte datagram. IPv6 has no DF bit because routers never fragment IPv6; only the source may, with a Fragment header (RFC 8200 §4.5)."),
            s(2, field(Layer::Icmpv6, "Type"), "The router's next link has MTU 1400. It drops the packet and answers with ICMPv6 type 2, Packet Too Big (RFC 4443 §3.2)."),
            s(2, field(Layer::Icmpv6, "MTU"), "The MTU field says 1400, the next link's MTU. The host remembers it for this destination and sends smaller packets there."),
            s(2, field(Layer::Ipv6, "Payload length"), "After the 8-byte ICMPv6 header comes as much of the dropped packet as fits in 1,280 bytes: payload length 1,240, 1,232 of the 1,500 bytes quoted. 1,280 is the smallest MTU an IPv6 link may have (RFC 8200 §5), so the error itself fits every link."),
            s(3, field(Layer::Ipv6, "Payload length"), "`ping -6 -s 1352` makes a 1,400-byte datagram: it fits the router's link, and frame 4 is its answer."),
            s(2, field(Layer::Ipv6, "Source"), "Packet Too Big comes from the router's own address, not from the host the packet was for. A firewall that drops such ICMPv6 leaves the host sending 1,500-byte packets that vanish: a black hole in which small packets pass and large ones never arrive. RFC 4890 §4.3.1 lists Packet Too Big among the messages a firewall must not drop."),
        ],
        takeaway: "IPv6 routers drop what does not fit the next link and say so with Packet Too Big, which carries the MTU and fits within 1,280 bytes. Filter it and large packets vanish.",
        check: &["`ping -6 -M do -s 1452 <host>`, then smaller sizes: the path MTU is the largest size that passes + 48", "`ip -6 route get <host>`: `mtu 1400` once a Packet Too Big was received", "Allow ICMPv6 type 2 through firewalls (RFC 4890 §4.3.1)"],
    },
    Lesson {
        id: "mss-clamp",
        title: "MSS and clamping",
        summary: "A router rewrites the MSS of SYNs to fit its smaller link: seen on both of its interfaces.",
        source: Source::Capture { file: "mss-clamp.pcapng" },
        settings: Settings { mtu: 1400, rule: DeviceRule::IpRouter, fcs: crate::settings::FcsMode::Auto },
        steps: &[
            s(1, field(Layer::Tcp, "Option: MSS"), "The client's SYN as the router receives it on `lan0`: MSS 1460. An MSS is what the sender can receive on its own link, MTU 1500 − 20 IPv4 − 20 TCP (RFC 9293 §3.7.1); it says nothing about the path."),
            s(2, field(Layer::Tcp, "Option: MSS"), "The same SYN leaving on `wan0`, whose MTU is 1400: MSS 1360, TTL 63. `iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu` rewrote the option to 1400 − 40 and fixed the checksum (xt_TCPMSS)."),
            s(3, field(Layer::Tcp, "Option: MSS"), "The server answers with MSS 1460: its own link is 1500 too."),
            s(4, field(Layer::Tcp, "Option: MSS"), "On `lan0` the SYN-ACK says 1360. The clamp takes the smaller of the outgoing route's MTU and the reverse route's (1400 towards the server), and never raises an MSS. Now the server sends at most 1360 bytes per segment because of the SYN, the client because of the SYN-ACK."),
            s(5, field(Layer::Tcp, "Option: timestamps"), "Data segments carry the timestamps option, 12 bytes with its two NOPs (RFC 7323 §3), and options come out of the MSS: 1360 − 12 = 1,348 bytes of data. On a 1500 link the same gives 1448; 1460 only without options."),
            s(5, field(Layer::Ipv4, "Total length"), "20 + 32 + 1,348 = 1,400 bytes: exactly the WAN link's MTU, and frame 6 shows it leaving on `wan0`. Without the clamp the client would send 1,500-byte datagrams with DF, and the router would drop them."),
            s(7, field(Layer::Ipv4, "Total length"), "The server's data seen on `wan0`: 1,400 bytes too, although the server's own link is 1500. The clamped SYN set that limit."),
        ],
        takeaway: "An MSS states the sender's own link (MTU − 40), not the path. A router with a smaller link rewrites it with `--clamp-mss-to-pmtu`: capture on both sides of the router to see the rewrite. With timestamps a full segment carries MSS − 12.",
        check: &["`iptables -t mangle -S FORWARD | grep TCPMSS` (nftables: `nft list ruleset | grep maxseg`)", "`tcpdump -nv 'tcp[tcpflags] & tcp-syn != 0'` on both interfaces of the router: the MSS before and after", "`ss -ti dst <host>`: `mss` and `advmss` of a live connection"],
    },
    Lesson {
        id: "cooked",
        title: "tcpdump -i any: Linux cooked captures",
        summary: "No Ethernet header, unpadded outgoing frames, received ones with padding and trailers.",
        source: Source::Capture { file: "cooked.pcap" },
        settings: DEFAULT,
        steps: &[
            s(1, layer(Layer::LinuxSll2), "No Ethernet header: a 20-byte cooked header (SLL2) replaces it."),
            s(1, layer(Layer::Arp), "Sent by this host: captured before the NIC padded it, so it ends right after the ARP packet."),
            s(2, region(RegionKind::Padding), "Received: it keeps the padding it arrived with, up to 46 bytes of L2 payload."),
            s(3, region(RegionKind::Trailer), "Received through a NIC whose driver appends 2 bytes: they survive into the cooked capture."),
        ],
        takeaway: "In `-i any` captures outgoing frames are unpadded and incoming ones keep padding and trailers; the FCS is gone.",
        check: &["`tcpdump -i <dev>` instead of `-i any` to see real Ethernet headers"],
    },
    Lesson {
        id: "capture-points",
        title: "Where you capture changes what you see",
        summary: "One host, five interfaces: padding, tags, super-frames and the FCS depend on where you capture.",
        source: Source::Capture { file: "capture-points.pcapng" },
        settings: DEFAULT,
        steps: &[
            s(1, layer(Layer::Tcp), "An ACK this host sends, captured on `eth0`: 54 bytes, 6 short of Ethernet's 60-byte minimum. The capture sees it before the NIC pads it and adds the FCS."),
            s(2, region(RegionKind::Padding), "An ACK of the same size received on `eth0`: the sender's NIC padded it to 60 bytes on the wire, and the capture keeps that padding."),
            s(3, layer(Layer::Tcp), "An ACK received on `veth3f2a9c` from a container: still 54 bytes. veth, tap and bridge ports never pad, so a frame that never crossed a wire is short at the receiver too."),
            s(4, layer(Layer::Vlan), "On the trunk NIC `eth1` the frame shows its 802.1Q tag, VLAN 100: 1,518 bytes. The NIC stripped the tag on receive (VLAN offload) and libpcap put it back from the packet's metadata."),
            s(5, field(Layer::Ethernet, "Type/length"), "The same packet on the VLAN device `eth1.100`: no tag, EtherType IPv4 right after the MACs, 1,514 bytes. Which interface you capture on decides whether the tag is there."),
            s(6, field(Layer::Ipv4, "Total length"), "Sent on `eth0`: a 5,844-byte datagram, 4 × 1,448 bytes of data. TSO: the stack hands the NIC one large segment, and the NIC cuts it into wire-sized segments after the capture point."),
            s(7, field(Layer::Ipv4, "Total length"), "Received on `eth0`: the same size, but here GRO merged 4 wire segments into one before the capture point. The direction tells them apart: TSO on frames the host sends, GRO on frames it receives."),
            s(8, region(RegionKind::Fcs), "On `eth2`, after `ethtool -K eth2 rx-fcs on`, the NIC keeps each frame's FCS: 4 bytes after the padding, 64 in all. The capture's interface announces it (`if_fcslen` 4) and the CRC matches."),
            s(9, region(RegionKind::Fcs), "With `rx-all on` the NIC also passes frames it would drop. This one's FCS does not match its bytes: a frame damaged on the wire, which a normal capture never shows, only the NIC's error counters."),
        ],
        takeaway: "A capture shows a frame at one point of the host: sent frames before padding and segmentation, received ones after GRO; a VLAN tag on the parent NIC but not on the VLAN device; veth frames never padded; the FCS only when the NIC keeps it. Know where a capture was taken before you judge a length.",
        check: &["`ethtool -k <dev> | grep -E 'segmentation-offload|receive-offload|rx-vlan-offload|rx-fcs|rx-all'`", "`ethtool -K <dev> rx-fcs on rx-all on` to capture FCSs and damaged frames (if the driver supports it)", "`ip -d link show <dev>`: a physical NIC, a veth, a VLAN device or a bridge port"],
    },
    Lesson {
        id: "ieee8023",
        title: "802.3 frames: a length instead of a type",
        summary: "A length instead of an EtherType bounds the LLC payload; the rest is padding.",
        source: Source::Capture { file: "ieee8023.pcap" },
        settings: DEFAULT,
        steps: &[
            s(1, field(Layer::Ethernet, "Type/length"), "Values up to 1500 in this field are a length, not an EtherType: 38 bytes of LLC data follow."),
            s(1, layer(Layer::Llc), "The LLC header (DSAP 42, SSAP 42: spanning tree)."),
            s(1, region(RegionKind::Padding), "After 14 + 38 = 52 bytes, padding to 60."),
            s(2, layer(Layer::Snap), "SNAP carries an OUI and protocol ID inside LLC (here Cisco's CDP)."),
        ],
        takeaway: "When the type field is a length, it bounds the LLC payload exactly; everything after it is padding or trailer.",
        check: &["Spanning tree and CDP on switch ports are normal 802.3 with LLC; LLDP has its own EtherType, 0x88CC"],
    },
    Lesson {
        id: "path-story",
        title: "One ping, three capture points",
        summary: "A 1472-byte ping leaves a laptop, grows 2 bytes at the controller's NIC and never reaches the router port.",
        source: Source::Path(PathSet {
            dir: "path-story",
            captures: &["laptop.pcap", "controller.pcapng"],
            logs: &["controller-kern.log"],
            shown: 1,
        }),
        settings: DEFAULT,
        steps: &[
            p(13, 0, LAPTOP, 14, field(Layer::Ipv4, "Total length"), "On the laptop, `ping -s 1470` to the floating IP 192.168.10.150: a 1498-byte datagram, and it is answered. The path view follows it (packet #14) across the three capture points: the laptop's NIC, the controller's USB NIC `eth1` and the Neutron router port `qr-5d0a1c2e-7f`."),
            p(15, 0, LAPTOP, 16, field(Layer::Ipv4, "Total length"), "`ping -s 1472` makes a 1500-byte datagram, exactly MTU 1500. The laptop sends it three times (packets #16 to #18) and no reply comes. Its own capture shows nothing wrong: 1,514 bytes, every one explained."),
            p(15, 1, ETH1, 29, layer(Layer::Vlan), "The controller's NIC `eth1` sees the same packet (same IPv4 ID, same ICMP sequence), 3.217 s later by the controller's clock: the two hosts' clocks differ, and Framelens estimates the offset from the packets both captures saw. It arrives over the VLAN 100 trunk: 4 bytes of 802.1Q tag."),
            p(15, 1, ETH1, 29, region(RegionKind::Trailer), "And 2 bytes more than its headers explain: `25 7f` after the 1500-byte datagram, 1,520 bytes in all (+6 in the path view). The USB NIC's driver appends them to every frame it receives."),
            p(13, 2, ROUTER, 26, field(Layer::Ipv4, "Destination"), "The router port sees the 1470-byte ping after DNAT: destination 10.0.0.5, TTL 63, without the tag and without the 2 bytes."),
            lost(p(15, 1, ETH1, 29, Highlight::Bytes { start: 18, end: 1520 }, "It never sees the 1472-byte one: the path view marks it lost before `qr-5d0a1c2e-7f`, and its two retries too. Only packets with a 1500-byte datagram vanish between `eth1` and the router port. With the 2 bytes, the 1,502 bytes after the Ethernet header and tag (outlined) exceed MTU 1500 under Open vSwitch's rule.")),
            quoting(p(15, 1, ETH1, 29, region(RegionKind::Trailer), "The controller's kernel log names the drop: line 4 of `controller-kern.log`, `qg-3f9c2b71-a4: dropped over-mtu packet: 1502 > 1500`, is about this very packet (frame 29 of controller.pcapng: the same size, the same time). Open vSwitch names the port it sends to: the router's gateway port `qg-…`, where the floating IP's traffic enters the router. No capture watched it; the router's IP layer trims the 2 bytes before `qr-…`. Line 1 names the NIC's driver, ax88179_178a, known to append 2 bytes."), 4),
        ],
        takeaway: "Follow the packet, not one capture: the laptop's capture only misses a reply, the controller's NIC shows the 2 unexplained bytes, and the router port's silence shows where the packet died. Captures of several points, their clocks reconciled, say where and why. The driver's fix is upstream commit e869e7a17798 (June 2020), in Linux 5.7.7 and the 5.4.50 and 4.9.229 stable reviews.",
        check: &["Capture at every hop at once (`tcpdump -i eth1 -w …`, and `-i qg-…` and `-i qr-…` inside `ip netns exec qrouter-…` on the controller, the client's own NIC) and read them together: `framelens path laptop.pcap controller.pcapng`", "`framelens path --log kern.log …`: the kernel's drop line tied to the packet", "`ethtool -i eth1`: the driver that adds the bytes (ax88179_178a) and the kernel it came with", "`ip netns exec qrouter-… ip -s link show qg-…`: TX errors, one per packet Open vSwitch dropped there", "`journalctl -k | grep over-mtu`: the drop lines, rate-limited"],
    },
];

const LAPTOP: &str = "laptop.pcap · 0";
const ETH1: &str = "controller.pcapng · eth1";
const ROUTER: &str = "controller.pcapng · qr-5d0a1c2e-7f";

pub fn lesson(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}
