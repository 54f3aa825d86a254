//! What if: the same frame with another MTU or device rule, more or fewer
//! VLAN tags, other trailer bytes, or wrapped in a tunnel. Computes the
//! changed frame's sizes and hands its [`MtuFacts`] to [`mtu::evaluate`], so
//! the verdict follows exactly the rules the rest of Framelens applies.
//!
//! The changed frame is built in this order: the frame's own tags and trailer
//! bytes are set, padding is recomputed for the link's minimum, then the
//! whole frame is optionally wrapped in a tunnel. A tunnel carries what the
//! sending host's socket buffer holds: VXLAN and GRETAP the Ethernet frame
//! with its tags, padding and trailer bytes; plain GRE only the datagram
//! (IP stacks trim a received frame to its datagram's length). The outer
//! frame has no tags or trailer of its own.

use crate::frame::ledger::{Ledger, RegionKind};
use crate::frame::mtu::{self, MtuFacts, MtuVerdict};
use crate::settings::Settings;
use crate::wire::link::LinkKind;
use crate::wire::{ethernet, gre, ipv4, ipv6, macsec, udp, vlan, vxlan};
use serde::Serialize;

/// Most tags a what-if adds; real stacks rarely exceed two (QinQ).
pub const MAX_TAGS: u8 = 8;
/// Most trailer bytes a what-if appends.
pub const MAX_TRAILER: u32 = 64;
/// A GRE key, when present, adds 4 bytes to the 4-byte GRE header (RFC 2890).
pub const GRE_KEY_LEN: u32 = 4;

/// A tunnel that wraps the changed frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Tunnel {
    #[default]
    None,
    /// VXLAN (RFC 7348): outer Ethernet + IP + UDP 8 + VXLAN 8 around the
    /// inner Ethernet frame; 50 bytes over IPv4, 70 over IPv6.
    Vxlan,
    /// GRE (RFC 2784) carrying the datagram: outer Ethernet + IP + GRE 4 (+ 4 with a key).
    Gre { key: bool },
    /// GRETAP: GRE carrying the whole Ethernet frame (its 14-byte header too).
    Gretap { key: bool },
}

impl Tunnel {
    /// Every tunnel a what-if can wrap the frame in, in the order a face lists them.
    pub const ALL: [Tunnel; 6] = [
        Tunnel::None,
        Tunnel::Vxlan,
        Tunnel::Gre { key: false },
        Tunnel::Gre { key: true },
        Tunnel::Gretap { key: false },
        Tunnel::Gretap { key: true },
    ];

    /// Stable identifier (form values, test hooks).
    pub const fn key(self) -> &'static str {
        match self {
            Tunnel::None => "none",
            Tunnel::Vxlan => "vxlan",
            Tunnel::Gre { key: false } => "gre",
            Tunnel::Gre { key: true } => "gre-key",
            Tunnel::Gretap { key: false } => "gretap",
            Tunnel::Gretap { key: true } => "gretap-key",
        }
    }

    pub fn from_key(key: &str) -> Option<Tunnel> {
        Tunnel::ALL.into_iter().find(|t| t.key() == key)
    }

    /// What a face shows in its choice of tunnels.
    pub const fn label(self) -> &'static str {
        match self {
            Tunnel::None => "none",
            Tunnel::Vxlan => "VXLAN (frame in UDP)",
            Tunnel::Gre { key: false } => "GRE (datagram only)",
            Tunnel::Gre { key: true } => "GRE with key",
            Tunnel::Gretap { key: false } => "GRETAP (frame in GRE)",
            Tunnel::Gretap { key: true } => "GRETAP with key",
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Tunnel::None => "none",
            Tunnel::Vxlan => "VXLAN",
            Tunnel::Gre { .. } => "GRE",
            Tunnel::Gretap { .. } => "GRETAP",
        }
    }
}

/// The changes to apply. [`Change::keep`] starts from the frame as it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Change {
    /// MTU and rule of the device that judges the changed frame (the
    /// underlay's device when a tunnel wraps it). The FCS mode is unused.
    pub settings: Settings,
    /// 802.1Q/802.1ad tags on the frame (4 bytes each), at most [`MAX_TAGS`].
    pub tags: u8,
    /// Unexplained or vendor bytes after the datagram, at most [`MAX_TRAILER`].
    pub trailer_bytes: u32,
    pub tunnel: Tunnel,
    /// The tunnel's outer header is IPv6 (40 bytes) instead of IPv4 (20).
    pub underlay_ipv6: bool,
    /// MACsec on the judged link (the underlay when tunnelled): `Some(sci)`
    /// adds a SecTAG of 8 bytes (16 with the SCI) and a 16-byte ICV.
    pub macsec: Option<bool>,
}

impl Change {
    /// No change: the frame's own tags and trailer, the given settings.
    pub fn keep(base: &Baseline, settings: Settings) -> Change {
        Change {
            settings,
            tags: base.facts.tags,
            trailer_bytes: base.facts.trailer_bytes,
            tunnel: Tunnel::None,
            underlay_ipv6: false,
            macsec: match usize::from(base.facts.macsec_overhead) {
                0 => None,
                o => Some(o == macsec::overhead(true)),
            },
        }
    }
}

/// The MACsec choices of a what-if ([`Change::macsec`]): none, a SecTAG
/// without the SCI, a SecTAG with it.
pub const MACSEC: [Option<bool>; 3] = [None, Some(false), Some(true)];

/// Stable identifier of a MACsec choice (form values, test hooks).
pub const fn macsec_key(m: Option<bool>) -> &'static str {
    match m {
        None => "none",
        Some(false) => "macsec",
        Some(true) => "macsec-sci",
    }
}

pub fn macsec_from_key(key: &str) -> Option<Option<bool>> {
    MACSEC.into_iter().find(|m| macsec_key(*m) == key)
}

/// What a face shows for a MACsec choice, with the bytes it adds.
pub fn macsec_label(m: Option<bool>) -> String {
    match m {
        None => "none".into(),
        Some(sci) => {
            let all = macsec::overhead(sci);
            let sectag = all - macsec::ICV_LEN;
            let with = if sci { " with SCI" } else { "" };
            format!("SecTAG {sectag}{with} + ICV {} (+{all})", macsec::ICV_LEN)
        }
    }
}

/// What a what-if starts from: the frame's MTU facts (kept in every scan
/// record) and its padding, which the facts fold into the frame length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Baseline {
    pub facts: MtuFacts,
    pub padding: u32,
}

impl Baseline {
    pub fn new(facts: MtuFacts, ledger: &Ledger) -> Baseline {
        Baseline { facts, padding: ledger.bytes_of(RegionKind::Padding) }
    }

    /// Bytes between the tags and the padding: the datagram and whatever
    /// headers sit before it (MPLS, PPPoE, LLC). Kept by every change.
    fn core_len(&self) -> u32 {
        let f = &self.facts;
        f.frame_len
            .saturating_sub(f.link_header_len)
            .saturating_sub(vlan::HEADER_LEN as u32 * u32::from(f.tags))
            .saturating_sub(self.padding)
            .saturating_sub(f.trailer_bytes)
            .saturating_sub(f.macsec_overhead.into())
    }
}

/// One part of the changed frame, outermost first; the parts add up to
/// [`Sizes::frame_len`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Part {
    pub label: String,
    pub len: u32,
}

/// The lengths the device rules compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Sizes {
    /// The frame on the wire without its FCS.
    pub frame_len: u32,
    /// Frame minus the link header and one VLAN tag (Open vSwitch's `packet_length`).
    pub l2_payload: u32,
    /// The outermost datagram, if its length is known.
    pub datagram_len: Option<u32>,
}

impl Sizes {
    fn of(f: &MtuFacts) -> Sizes {
        Sizes { frame_len: f.frame_len, l2_payload: f.l2_payload(), datagram_len: f.datagram_len }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub before: Sizes,
    pub after: Sizes,
    /// The changed frame as the MTU rules see it.
    pub facts: MtuFacts,
    /// The changed frame, part by part.
    pub parts: Vec<Part>,
    /// The verdict on the changed frame under `change.settings`.
    pub verdict: MtuVerdict,
    /// `limit - measured` of the verdict: bytes to spare, or (negative) too many.
    pub headroom: i64,
    /// The largest datagram the original frame could carry and still pass
    /// with these changes: the MTU to give the hosts behind a tunnel.
    pub largest_datagram: Option<u32>,
}

/// Applies `change` to the frame described by `base`. Pure arithmetic on
/// the lengths; never panics, saturates on absurd inputs.
pub fn what_if(base: &Baseline, change: &Change) -> Outcome {
    let f = base.facts;
    let tags = change.tags.min(MAX_TAGS);
    let trailer = change.trailer_bytes.min(MAX_TRAILER);
    let core = base.core_len();
    let tag_bytes = vlan::HEADER_LEN as u32 * u32::from(tags);
    // Ethernet pads to 60 plus 4 per tag, as the ledger expects (IEEE 802.1Q
    // G.2.3); a cooked capture keeps the padding it was captured with.
    let padding = match f.link {
        LinkKind::Ethernet => {
            let min = ethernet::MIN_FRAME_LEN as u32 + tag_bytes;
            min.saturating_sub(sum(&[f.link_header_len, tag_bytes, core]))
        }
        _ => base.padding,
    };
    let mut parts: Vec<Part> = Vec::new();
    let mut push = |label: &str, len: u32| {
        if len > 0 {
            parts.push(Part { label: label.to_string(), len });
        }
    };

    // MACsec wraps the frame on the judged link: SecTAG after the MAC
    // addresses (and tags), ICV after the secure data, padding after that.
    let (sectag, icv) = match change.macsec {
        Some(sci) => ((macsec::overhead(sci) - macsec::ICV_LEN) as u32, macsec::ICV_LEN as u32),
        None => (0, 0),
    };
    let macsec_overhead = (sectag + icv) as u8;
    let mut facts = MtuFacts { tags, trailer_bytes: trailer, macsec_overhead, ..f };
    match change.tunnel {
        Tunnel::None => {
            let padding = match f.link {
                LinkKind::Ethernet => padding.saturating_sub(sectag + icv),
                _ => padding,
            };
            push(link_name(f.link), f.link_header_len);
            // Outer tags of a stack are 802.1ad S-tags; the innermost is the 802.1Q C-tag.
            for i in 0..tags {
                push(if i + 1 < tags { "802.1ad S-tag" } else { "802.1Q tag" }, vlan::HEADER_LEN as u32);
            }
            push("MACsec SecTAG", sectag);
            push(core_name(&f), core);
            push("MACsec ICV", icv);
            push("padding", padding);
            push("trailer", trailer);
            facts.frame_len = sum(&[f.link_header_len, tag_bytes, sectag, core, icv, padding, trailer]);
        }
        tunnel => {
            let (ip_label, ip_len) = if change.underlay_ipv6 {
                ("outer IPv6", ipv6::HEADER_LEN as u32)
            } else {
                ("outer IPv4", ipv4::MIN_HEADER_LEN as u32)
            };
            push("outer Ethernet", ethernet::HEADER_LEN as u32);
            push("MACsec SecTAG", sectag);
            push(ip_label, ip_len);
            let (tunnel_len, carries_frame) = match tunnel {
                Tunnel::Vxlan => {
                    push("UDP", udp::HEADER_LEN as u32);
                    push("VXLAN", vxlan::HEADER_LEN as u32);
                    ((udp::HEADER_LEN + vxlan::HEADER_LEN) as u32, true)
                }
                Tunnel::Gre { key } | Tunnel::Gretap { key } => {
                    let len = gre::FIXED_LEN as u32 + if key { GRE_KEY_LEN } else { 0 };
                    push(if key { "GRE with key" } else { "GRE" }, len);
                    (len, matches!(tunnel, Tunnel::Gretap { .. }))
                }
                Tunnel::None => (0, false),
            };
            // The inner packet: an Ethernet frame (a cooked header stands where
            // the Ethernet header was), or for plain GRE the datagram alone.
            let inner = if carries_frame {
                push("inner Ethernet", ethernet::HEADER_LEN as u32);
                for _ in 0..tags {
                    push("inner 802.1Q tag", vlan::HEADER_LEN as u32);
                }
                push(core_name(&f), core);
                push("inner padding", padding);
                push("inner trailer", trailer);
                sum(&[ethernet::HEADER_LEN as u32, tag_bytes, core, padding, trailer])
            } else {
                let datagram = f.datagram_len.unwrap_or(core);
                push(core_name(&f), datagram);
                datagram
            };
            let outer_datagram = sum(&[inner, ip_len, tunnel_len]);
            push("MACsec ICV", icv);
            facts = MtuFacts {
                // An undissected frame stays undissected: no rule applies to it.
                link: if f.link == LinkKind::Unsupported { LinkKind::Unsupported } else { LinkKind::Ethernet },
                frame_len: sum(&[outer_datagram, ethernet::HEADER_LEN as u32, sectag, icv]),
                link_header_len: ethernet::HEADER_LEN as u32,
                tags: 0,
                datagram_len: Some(outer_datagram),
                ipv6: change.underlay_ipv6,
                // Open vSwitch sets DF on tunnel headers by default
                // (`df_default=true`), so an IP router drops rather than fragments.
                dont_fragment: true,
                // Inner lengths stay as they were; the super-frame test needs
                // the inner TCP payload, which the tunnel does not change.
                consistent: f.consistent,
                tcp_payload: f.tcp_payload,
                trailer_bytes: 0,
                macsec_overhead,
            };
        }
    }
    let verdict = mtu::evaluate(&facts, &change.settings);
    let headroom = i64::try_from(verdict.limit).unwrap_or(i64::MAX) - i64::try_from(verdict.measured).unwrap_or(0);
    // Every rule's measure grows byte for byte with the datagram, so the
    // headroom moves the datagram's length by the same amount.
    let largest_datagram = f
        .datagram_len
        .filter(|_| f.link != LinkKind::Unsupported && verdict.limit > 0)
        .and_then(|d| u32::try_from(i64::from(d) + headroom).ok());
    Outcome { before: Sizes::of(&f), after: Sizes::of(&facts), facts, parts, verdict, headroom, largest_datagram }
}

/// The verdict on the frame unchanged, for comparison.
pub fn unchanged(base: &Baseline, settings: &Settings) -> MtuVerdict {
    mtu::evaluate(&base.facts, settings)
}

fn link_name(link: LinkKind) -> &'static str {
    match link {
        LinkKind::Ethernet => "Ethernet",
        LinkKind::LinuxSll => "Linux cooked header (SLL)",
        LinkKind::LinuxSll2 => "Linux cooked header (SLL2)",
        LinkKind::Null | LinkKind::Loop => "loopback header",
        LinkKind::RawIp | LinkKind::RawIpv4 | LinkKind::RawIpv6 | LinkKind::Unsupported => "link header",
    }
}

fn core_name(f: &MtuFacts) -> &'static str {
    match (f.datagram_len, f.ipv6) {
        (Some(_), true) => "IPv6 packet",
        (Some(_), false) => "datagram",
        (None, _) => "payload",
    }
}

/// Lengths add up saturating: absurd inputs give absurd sizes, never a panic.
fn sum(parts: &[u32]) -> u32 {
    parts.iter().fold(0u32, |a, &b| a.saturating_add(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::{read_all, OwnedFrame};
    use crate::craft::gallery;
    use crate::frame::analysis::analyze;
    use crate::settings::DeviceRule;

    fn frames(name: &str) -> Vec<OwnedFrame> {
        let bytes = gallery().into_iter().find(|(n, _)| *n == name).map(|(_, b)| b).unwrap_or_default();
        let mut out = Vec::new();
        read_all(&bytes, |p| out.push(OwnedFrame::from_packet(&p)));
        out
    }

    fn baseline_of(p: &OwnedFrame) -> Baseline {
        let a = analyze(&p.packet(), &Settings::default());
        Baseline::new(MtuFacts::new(&a.dissection, &a.ledger), &a.ledger)
    }

    fn baseline(name: &str, number: u64) -> Baseline {
        let all = frames(name);
        let p = all.iter().find(|p| p.number == number).unwrap_or_else(|| panic!("{name} has no frame {number}"));
        baseline_of(p)
    }

    fn with(settings: Settings) -> impl Fn(&Baseline) -> Change {
        move |b| Change::keep(b, settings)
    }

    const OVS_1500: Settings = Settings { mtu: 1500, rule: DeviceRule::OvsKernel, fcs: crate::settings::FcsMode::Auto };
    const BRIDGE_1500: Settings = Settings { rule: DeviceRule::LinuxBridge, ..OVS_1500 };
    const ROUTER_1500: Settings = Settings { rule: DeviceRule::IpRouter, ..OVS_1500 };

    #[test]
    fn wrapping_in_macsec_costs_32_bytes_of_the_mtu_with_sci() {
        let full = frames("vlan-qinq.pcap")
            .into_iter()
            .map(|p| baseline_of(&p))
            .find(|b| b.facts.tags == 0 && b.facts.datagram_len == Some(1500))
            .expect("an untagged 1500-byte datagram in vlan-qinq.pcap");
        assert!(!what_if(&full, &with(OVS_1500)(&full)).verdict.dropped);
        for (sci, overhead) in [(false, 24), (true, 32)] {
            let o = what_if(&full, &Change { macsec: Some(sci), ..with(OVS_1500)(&full) });
            assert_eq!(o.after.frame_len, 1514 + overhead, "sci {sci}: {:?}", o.parts);
            assert!(o.verdict.dropped, "{}", o.verdict.sentence);
            assert_eq!(o.largest_datagram, Some(1500 - overhead));
            assert!(o.verdict.sentence.contains(&format!("MACsec's {overhead} bytes")));
            let labels: Vec<&str> = o.parts.iter().map(|p| p.label.as_str()).collect();
            assert_eq!(labels, ["Ethernet", "MACsec SecTAG", "datagram", "MACsec ICV"]);
        }
        // The same on the underlay of a VXLAN tunnel: the outer frame carries it.
        let o = what_if(&full, &Change { macsec: Some(true), tunnel: Tunnel::Vxlan, ..with(OVS_1500)(&full) });
        assert_eq!(o.after.frame_len, 1514 + 50 + 32);
    }

    #[test]
    fn keeping_everything_gives_the_frame_and_its_verdict_back() {
        for (name, _) in gallery() {
            for p in frames(name) {
                let b = baseline_of(&p);
                let o = what_if(&b, &with(OVS_1500)(&b));
                let padded_runt = b.facts.link == LinkKind::Ethernet && b.facts.frame_len < 60;
                if !padded_runt {
                    assert_eq!(o.after, o.before, "{name} frame {}: {:?}", p.number, o.parts);
                    assert_eq!(o.verdict, unchanged(&b, &OVS_1500), "{name} frame {}", p.number);
                }
                assert_eq!(o.parts.iter().map(|p| p.len).sum::<u32>(), o.after.frame_len, "{name} {}", p.number);
            }
        }
    }

    #[test]
    fn two_bytes_story_1470_passes_1472_drops_and_removing_the_trailer_saves_it() {
        // DOMAIN.md: 1472 + 28 = 1500-byte datagram + 2 trailer bytes = 1502 > 1500.
        let b1470 = baseline("two-bytes.pcap", 13);
        assert_eq!((b1470.facts.datagram_len, b1470.facts.trailer_bytes), (Some(1498), 2));
        let o = what_if(&b1470, &with(OVS_1500)(&b1470));
        assert_eq!((o.verdict.measured, o.verdict.dropped, o.headroom), (1500, false, 0));

        let b1472 = baseline("two-bytes.pcap", 15);
        let o = what_if(&b1472, &with(OVS_1500)(&b1472));
        assert_eq!((o.verdict.measured, o.verdict.dropped, o.headroom), (1502, true, -2));
        assert_eq!(o.verdict.log.as_deref(), Some("<dev>: dropped over-mtu packet: 1502 > 1500"));
        assert_eq!(o.largest_datagram, Some(1498), "the 1470 ping's datagram is the largest that passes");

        let fixed = what_if(&b1472, &Change { trailer_bytes: 0, ..with(OVS_1500)(&b1472) });
        assert_eq!((fixed.after.frame_len, fixed.after.l2_payload), (1518, 1500));
        assert!(!fixed.verdict.dropped);
        assert_eq!(fixed.largest_datagram, Some(1500));

        let raised = what_if(&b1472, &with(Settings { mtu: 1502, ..OVS_1500 })(&b1472));
        assert!(!raised.verdict.dropped, "MTU 1502 absorbs the two bytes");
    }

    #[test]
    fn one_tag_counts_for_neither_open_vswitch_nor_a_bridge() {
        // OVS's `packet_length()` subtracts one VLAN tag; a Linux bridge's
        // `skb->len` lacks the outermost tag (`skb_vlan_untag`) and is held to
        // MTU + 14 + 4 (`is_skb_forwardable`). Removing the one tag changes neither.
        let b = baseline("two-bytes.pcap", 15);
        let untagged = Change { tags: 0, ..with(OVS_1500)(&b) };
        let o = what_if(&b, &untagged);
        assert_eq!((o.after.frame_len, o.verdict.measured, o.verdict.dropped), (1516, 1502, true));

        let tagged = what_if(&b, &with(BRIDGE_1500)(&b));
        assert_eq!((tagged.verdict.measured, tagged.verdict.limit, tagged.verdict.dropped), (1516, 1518, false));
        assert_eq!(tagged.largest_datagram, Some(1502), "1502 + 2 trailer bytes + 14 = 1518");
        let o = what_if(&b, &Change { settings: BRIDGE_1500, ..untagged });
        assert_eq!((o.verdict.measured, o.verdict.dropped), (1516, false));
        // 5 trailer bytes tip it over, tag or no tag.
        for tags in [0, 1] {
            let o = what_if(&b, &Change { tags, trailer_bytes: 5, ..with(BRIDGE_1500)(&b) });
            assert_eq!((o.verdict.measured, o.verdict.dropped), (1519, true), "{tags} tags");
        }
    }

    #[test]
    fn adding_two_tags_matches_the_captured_qinq_frame() {
        // vlan-qinq.pcap frame 4 is the untagged 1500-byte datagram, frame 6 the same with QinQ.
        let plain = baseline("vlan-qinq.pcap", 4);
        let qinq = baseline("vlan-qinq.pcap", 6);
        let o = what_if(&plain, &Change { tags: 2, ..with(BRIDGE_1500)(&plain) });
        assert_eq!(o.facts, qinq.facts);
        assert_eq!(o.after.frame_len, 1522);
        // IEEE 802.1ad: the outer tag (TPID 0x88a8) is an S-tag, not an 802.1Q tag.
        let labels: Vec<&str> = o.parts.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels[..3], ["Ethernet", "802.1ad S-tag", "802.1Q tag"]);
        assert_eq!(o.verdict, unchanged(&qinq, &BRIDGE_1500));
        // The outer tag is not in skb->len: 1518 ≤ 1518, a bridge passes it.
        assert_eq!((o.verdict.measured, o.verdict.dropped), (1518, false), "{}", o.verdict.sentence);
        assert!(o.verdict.sentence.contains("egress NIC"), "{}", o.verdict.sentence);
        let three = what_if(&plain, &Change { tags: 3, ..with(BRIDGE_1500)(&plain) });
        assert_eq!((three.verdict.measured, three.verdict.dropped), (1522, true), "the inner tags count");
    }

    #[test]
    fn a_tag_on_a_padded_frame_makes_64_bytes_like_the_capture() {
        let small = baseline("vlan-qinq.pcap", 1);
        let tagged = baseline("vlan-qinq.pcap", 2);
        let o = what_if(&small, &Change { tags: 1, ..with(OVS_1500)(&small) });
        assert_eq!(o.after.frame_len, 64);
        assert_eq!(o.facts, tagged.facts);
        let back = what_if(&tagged, &Change { tags: 0, ..with(OVS_1500)(&tagged) });
        assert_eq!(back.after.frame_len, 60);
    }

    /// The inner Ethernet frame of a captured VXLAN packet, read as a frame of its own.
    fn inner_of_vxlan(number: u64) -> Baseline {
        let all = frames("vxlan.pcap");
        let outer = all.iter().find(|p| p.number == number).unwrap();
        let mut inner = outer.clone();
        inner.data = outer.data[vxlan::IPV4_OVERHEAD..].to_vec();
        inner.original_len = inner.data.len() as u32;
        baseline_of(&inner)
    }

    #[test]
    fn vxlan_adds_50_bytes_so_a_1500_inner_datagram_is_dropped_and_1450_fits() {
        // DOMAIN.md: outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8 = 50; Neutron's MTU 1450.
        for (number, inner_datagram, dropped) in [(1u64, 1450u32, false), (2, 1500, true)] {
            let inner = inner_of_vxlan(number);
            assert_eq!(inner.facts.datagram_len, Some(inner_datagram));
            let captured = baseline("vxlan.pcap", number);
            for settings in [ROUTER_1500, OVS_1500] {
                let o = what_if(&inner, &Change { tunnel: Tunnel::Vxlan, ..with(settings)(&inner) });
                assert_eq!(o.after, Sizes::of(&captured.facts), "frame {number}: {:?}", o.parts);
                assert_eq!(o.after.datagram_len, Some(inner_datagram + 50));
                assert_eq!(
                    o.verdict.dropped, dropped,
                    "frame {number} under {:?}: {}",
                    settings.rule, o.verdict.sentence
                );
                assert_eq!(o.largest_datagram, Some(1450), "the instance MTU to give on a 1500 underlay");
            }
        }
    }

    #[test]
    fn vxlan_over_ipv6_adds_70() {
        let inner = inner_of_vxlan(1);
        let o = what_if(&inner, &Change { tunnel: Tunnel::Vxlan, underlay_ipv6: true, ..with(ROUTER_1500)(&inner) });
        assert_eq!(o.after.frame_len - inner.facts.frame_len, 70);
        assert!(o.facts.ipv6);
        assert!(o.verdict.dropped, "40 + 8 + 8 + 14 + 1450 = 1520 > 1500, and routers never fragment IPv6");
        assert_eq!(o.largest_datagram, Some(1430));
    }

    #[test]
    fn gre_carries_the_datagram_and_gretap_the_frame() {
        let b = baseline("two-bytes.pcap", 15);
        let gre = what_if(&b, &Change { tunnel: Tunnel::Gre { key: false }, ..with(ROUTER_1500)(&b) });
        // IPv4 20 + GRE 4 around the 1500-byte datagram; tag and trailer stay behind.
        assert_eq!(gre.after.datagram_len, Some(1524));
        assert_eq!(gre.after.frame_len, 1538);
        assert_eq!(gre.largest_datagram, Some(1476));
        assert!(gre.verdict.dropped);
        let keyed = what_if(&b, &Change { tunnel: Tunnel::Gre { key: true }, ..with(ROUTER_1500)(&b) });
        assert_eq!(keyed.after.datagram_len, Some(1528));
        // GRETAP: 20 + 4 + the frame (14 + 4 tag + 1500 + 2 trailer).
        let tap = what_if(&b, &Change { tunnel: Tunnel::Gretap { key: false }, ..with(ROUTER_1500)(&b) });
        assert_eq!(tap.after.datagram_len, Some(20 + 4 + 14 + 4 + 1500 + 2));
        assert_eq!(tap.parts.iter().map(|p| p.len).sum::<u32>(), tap.after.frame_len);
    }

    #[test]
    fn adding_trailer_bytes_to_a_frame_that_fits_exactly_drops_it() {
        let b = baseline("vlan-qinq.pcap", 4); // 1500-byte datagram, no trailer
        let o = what_if(&b, &Change { trailer_bytes: 2, ..with(OVS_1500)(&b) });
        assert_eq!((o.verdict.measured, o.verdict.dropped), (1502, true));
        let router = what_if(&b, &Change { trailer_bytes: 2, ..with(ROUTER_1500)(&b) });
        assert!(!router.verdict.dropped, "a router judges the datagram; trailer bytes do not count");
    }

    #[test]
    fn super_frames_stay_exempt_inside_a_tunnel() {
        let b = baseline("gro-tso.pcap", 2); // a 9 KB GRO super-frame
        let o = what_if(&b, &Change { tunnel: Tunnel::Vxlan, ..with(OVS_1500)(&b) });
        assert!(o.verdict.gso_exempt && !o.verdict.dropped, "{}", o.verdict.sentence);
    }

    #[test]
    fn absurd_inputs_do_not_panic() {
        let b = baseline("two-bytes.pcap", 15);
        let wild = Change { tags: u8::MAX, trailer_bytes: u32::MAX, ..with(OVS_1500)(&b) };
        let o = what_if(&b, &wild);
        assert_eq!(o.facts.tags, MAX_TAGS);
        assert_eq!(o.facts.trailer_bytes, MAX_TRAILER);
        let zero = Baseline {
            facts: MtuFacts {
                link: LinkKind::Unsupported,
                frame_len: 0,
                link_header_len: u32::MAX,
                tags: 200,
                datagram_len: Some(u32::MAX),
                ipv6: false,
                dont_fragment: false,
                consistent: false,
                tcp_payload: Some(u32::MAX),
                trailer_bytes: u32::MAX,
                macsec_overhead: u8::MAX,
            },
            padding: u32::MAX,
        };
        for tunnel in [Tunnel::None, Tunnel::Vxlan, Tunnel::Gre { key: true }, Tunnel::Gretap { key: true }] {
            let o = what_if(&zero, &Change { tunnel, ..Change::keep(&zero, OVS_1500) });
            assert!(!o.verdict.dropped && o.verdict.sentence.contains("not dissected"), "{tunnel:?}: {:?}", o.verdict);
            assert_eq!(o.largest_datagram, None);
        }
    }

    #[test]
    fn the_choices_a_face_lists_come_with_keys_labels_and_sizes() {
        for t in Tunnel::ALL {
            assert_eq!(Tunnel::from_key(t.key()), Some(t));
        }
        assert_eq!(Tunnel::from_key("ipip"), None);
        let labels: Vec<String> = MACSEC.into_iter().map(macsec_label).collect();
        assert_eq!(labels, ["none", "SecTAG 8 + ICV 16 (+24)", "SecTAG 16 with SCI + ICV 16 (+32)"]);
        for m in MACSEC {
            assert_eq!(macsec_from_key(macsec_key(m)), Some(m));
        }
        assert_eq!(macsec_from_key("wireguard"), None);
    }
}
