//! MTU consequences: would this frame pass a device with this MTU, by which
//! rule, and what would the device do or log? Each rule is the one the
//! named code applies; a verdict always says which rule it assumed.

use crate::frame::dissect::Dissection;
use crate::frame::finding::Finding;
use crate::frame::ledger::{FcsStatus, Ledger, RegionKind};
use crate::settings::{DeviceRule, Settings};
use crate::wire::link::LinkKind;
use crate::wire::{ethernet, macsec, Layer};
use serde::Serialize;

/// The Ethernet MTU nearly every link starts from.
pub const STANDARD_MTU: u32 = 1500;

/// One VLAN tag (the kernel's `VLAN_HLEN`).
const VLAN_HLEN: u32 = 4;
/// The Ethernet CRC OVS-DPDK's `MTU_TO_FRAME_LEN` adds (`ETHER_CRC_LEN`).
const ETHER_CRC_LEN: u32 = 4;

/// What each device rule compares with what: the one place the rules' sizes
/// live, read by the verdict, the what-if panel and the path findings.
impl DeviceRule {
    /// What the rule measures, as the sentences name it.
    pub const fn measures(self) -> &'static str {
        match self {
            DeviceRule::OvsKernel => "L2 payload",
            DeviceRule::LinuxBridge => "frame without its outer VLAN tag",
            DeviceRule::OvsDpdk => "frame",
            DeviceRule::IpRouter => "datagram",
        }
    }

    /// The number the rule compares, or `None` when the frame does not
    /// give it (a router needs the datagram's end).
    pub fn measure(self, f: &MtuFacts) -> Option<u32> {
        match self {
            // `ovs_vport_send` → `packet_length()`.
            DeviceRule::OvsKernel => Some(f.l2_payload()),
            // `is_skb_forwardable` compares `skb->len`.
            DeviceRule::LinuxBridge => Some(f.bridge_skb_len()),
            // `netdev_dpdk_filter_packet_len` compares the mbuf's `pkt_len`.
            DeviceRule::OvsDpdk => Some(f.ethernet_frame_len()),
            DeviceRule::IpRouter => f.datagram_len,
        }
    }

    /// The largest measure that passes a device with this MTU.
    pub const fn limit(self, mtu: u32) -> u32 {
        let eth = ethernet::HEADER_LEN as u32;
        match self {
            DeviceRule::OvsKernel | DeviceRule::IpRouter => mtu,
            // `mtu + dev->hard_header_len + VLAN_HLEN` (`is_skb_forwardable`).
            DeviceRule::LinuxBridge => mtu.saturating_add(eth + VLAN_HLEN),
            // `MTU_TO_FRAME_LEN`: `mtu + ETHER_HDR_LEN + ETHER_CRC_LEN`.
            DeviceRule::OvsDpdk => mtu.saturating_add(eth + ETHER_CRC_LEN),
        }
    }

    /// How the limit is made up, for the sentences.
    pub const fn limit_formula(self) -> &'static str {
        match self {
            DeviceRule::OvsKernel | DeviceRule::IpRouter => "MTU",
            DeviceRule::LinuxBridge => "MTU + 14 + 4, is_skb_forwardable",
            DeviceRule::OvsDpdk => "MTU + 14 Ethernet header + 4 CRC, MTU_TO_FRAME_LEN",
        }
    }
}

/// The few facts an MTU rule needs, kept in every scan record so that a new
/// MTU or rule re-evaluates a whole capture without re-reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MtuFacts {
    pub link: LinkKind,
    /// Frame length on the wire without an FCS.
    pub frame_len: u32,
    pub link_header_len: u32,
    pub tags: u8,
    pub datagram_len: Option<u32>,
    pub ipv6: bool,
    pub dont_fragment: bool,
    /// Length fields agree with each other and with the bytes.
    pub consistent: bool,
    /// Payload of the innermost TCP segment, if the frame carries TCP.
    pub tcp_payload: Option<u32>,
    /// Trailer and vendor bytes after the datagram (not padding, not FCS).
    pub trailer_bytes: u32,
    /// What MACsec adds to the frame (SecTAG 8 or 16, ICV 16), 0 without it.
    pub macsec_overhead: u8,
}

impl MtuFacts {
    pub fn new(d: &Dissection, l: &Ledger) -> Self {
        let fcs = if matches!(l.fcs, FcsStatus::Valid | FcsStatus::Invalid | FcsStatus::Unknown) { 4 } else { 0 };
        let consistent = !l.flags.has(Finding::LengthClaimOverrun)
            && !l.flags.has(Finding::InnerLengthMismatch)
            && !l.flags.has(Finding::ContradictoryLength);
        MtuFacts {
            link: d.link,
            frame_len: l.len.saturating_sub(fcs),
            link_header_len: d.link_header_len,
            tags: d.tags,
            datagram_len: d.datagram.map(|g| g.len().min(u64::from(u32::MAX)) as u32),
            ipv6: d.datagram.is_some_and(|g| g.layer == Layer::Ipv6),
            dont_fragment: d.datagram.is_some_and(|g| g.dont_fragment),
            consistent,
            tcp_payload: d.tcp_payload,
            trailer_bytes: l.bytes_of(RegionKind::Trailer) + l.bytes_of(RegionKind::Vendor),
            macsec_overhead: d.macsec.map_or(0, |m| m.overhead() as u8),
        }
    }

    /// The frame's L2 payload as Open vSwitch's `packet_length()` counts it:
    /// the skb minus the 14-byte Ethernet header and one VLAN tag. A cooked
    /// capture's header stands where the Ethernet header was.
    pub fn l2_payload(&self) -> u32 {
        let tag = if self.tags > 0 { VLAN_HLEN } else { 0 };
        self.frame_len.saturating_sub(self.link_header_len).saturating_sub(tag)
    }

    /// The frame with an Ethernet header in place of any cooked header, tags
    /// included: what OVS-DPDK's mbuf `pkt_len` holds.
    pub fn ethernet_frame_len(&self) -> u32 {
        match self.link {
            LinkKind::Ethernet => self.frame_len,
            _ => self.frame_len.saturating_sub(self.link_header_len) + ethernet::HEADER_LEN as u32,
        }
    }

    /// The `skb->len` a Linux bridge or veth compares: the Ethernet frame
    /// without its outermost VLAN tag, which the receive path moved into the
    /// skb's metadata (`__netif_receive_skb_core` → `skb_vlan_untag`, or the
    /// NIC's VLAN offload). Inner tags and trailer bytes stay in it.
    pub fn bridge_skb_len(&self) -> u32 {
        let outer_tag = if self.tags > 0 { VLAN_HLEN } else { 0 };
        self.ethernet_frame_len().saturating_sub(outer_tag)
    }

    /// A GSO/GRO/TSO super-frame: consistent headers, a datagram over the MTU,
    /// and a TCP segment larger than one MTU-sized segment could carry (MTU
    /// minus 40 bytes of minimal IPv4 and TCP headers). A tunnel packet that is
    /// merely too big (an instance with MTU 1500 on a VXLAN underlay of 1500)
    /// carries a normal segment, so it is not one.
    ///
    /// The test uses the chosen MTU or the standard Ethernet 1500, whichever is
    /// larger: a frame that fits a standard link was a frame on the wire, even
    /// when the question is whether it passes a smaller link further on.
    pub fn is_superframe(&self, mtu: u32) -> bool {
        let link = mtu.max(STANDARD_MTU);
        self.consistent
            && self.datagram_len.is_some_and(|d| d > link)
            && self.tcp_payload.is_some_and(|p| p > link.saturating_sub(40))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MtuVerdict {
    pub rule: DeviceRule,
    pub mtu: u32,
    /// The number the rule compares.
    pub measured: u64,
    pub limit: u64,
    pub dropped: bool,
    /// Over the limit, but a GSO/GRO super-frame the rule exempts.
    pub gso_exempt: bool,
    /// What the device logs when it drops, if it logs.
    pub log: Option<String>,
    /// One or two sentences for people.
    pub sentence: String,
}

/// What a device rule decides about a frame, as numbers: cheap enough for
/// every frame of a scan (the counts and the list's over-MTU column), where
/// [`evaluate`] also words it. `None` when no rule applies: the link layer
/// was not dissected (the L2 rules need its header length), or the router
/// rule has no datagram end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Judgement {
    /// The number the rule compares, and what it compares it with.
    pub measured: u32,
    pub limit: u32,
    pub over: bool,
    /// Over the limit, but a GSO/GRO super-frame the rule exempts.
    pub gso_exempt: bool,
    pub dropped: bool,
}

pub fn judge(f: &MtuFacts, s: &Settings) -> Option<Judgement> {
    if f.link == LinkKind::Unsupported {
        return None;
    }
    let mtu = s.mtu;
    // Over the limit, a router drops only what it may not fragment.
    let (measured, limit) = (s.rule.measure(f)?, s.rule.limit(mtu));
    let drops_when_over = s.rule != DeviceRule::IpRouter || f.dont_fragment || f.ipv6;
    let over = measured > limit;
    let gso_exempt = over && f.is_superframe(mtu);
    Some(Judgement { measured, limit, over, gso_exempt, dropped: over && !gso_exempt && drops_when_over })
}

/// Whether the chosen device rule drops the frame (see [`judge`]).
pub fn drops(f: &MtuFacts, s: &Settings) -> bool {
    judge(f, s).is_some_and(|j| j.dropped)
}

/// [`judge`] with the words: the log line the device writes and a sentence.
pub fn evaluate(f: &MtuFacts, s: &Settings) -> MtuVerdict {
    let mtu = s.mtu;
    let mut v = MtuVerdict {
        rule: s.rule,
        mtu,
        measured: 0,
        limit: 0,
        dropped: false,
        gso_exempt: false,
        log: None,
        sentence: String::new(),
    };
    let Some(j) = judge(f, s) else {
        v.sentence = if f.link == LinkKind::Unsupported {
            "The link type is not dissected, so no MTU rule can be applied."
        } else {
            "An IP router judges the datagram, and this frame's datagram end is unknown."
        }
        .into();
        return v;
    };
    (v.measured, v.limit, v.dropped, v.gso_exempt) = (j.measured.into(), j.limit.into(), j.dropped, j.gso_exempt);
    let (m, limit) = (j.measured, j.limit);
    // What the measured length includes beyond headers and datagram.
    let mut included: Vec<String> = Vec::new();
    if f.trailer_bytes > 0 {
        included.push(format!("{} trailer byte{}", f.trailer_bytes, if f.trailer_bytes == 1 { "" } else { "s" }));
    }
    if f.macsec_overhead > 0 {
        let o = f.macsec_overhead;
        let sectag = usize::from(o).saturating_sub(macsec::ICV_LEN);
        included.push(format!("MACsec's {o} bytes (SecTAG {sectag} + ICV {})", macsec::ICV_LEN));
    }
    let trailer = if included.is_empty() { String::new() } else { format!(", {} included", included.join(" and ")) };
    v.sentence = match s.rule {
        DeviceRule::OvsKernel => {
            let how = format!(
                "L2 payload {m} bytes (frame minus Ethernet header{}{trailer})",
                if f.tags > 0 { " and one VLAN tag" } else { "" }
            );
            if j.dropped {
                v.log = Some(format!("<dev>: dropped over-mtu packet: {m} > {mtu}"));
                format!("Open vSwitch (kernel datapath) drops it: {how} > MTU {mtu}; it logs \"dropped over-mtu packet: {m} > {mtu}\".")
            } else if j.gso_exempt {
                format!("Over MTU {mtu} ({how}), but a GSO super-frame: Open vSwitch lets it pass and the NIC or kernel segments it.")
            } else {
                format!("Open vSwitch (kernel datapath) forwards it: {how} ≤ MTU {mtu}.")
            }
        }
        DeviceRule::LinuxBridge | DeviceRule::OvsDpdk => {
            let who = s.rule.name();
            let rule = s.rule.limit_formula();
            let how = if s.rule == DeviceRule::LinuxBridge && f.tags > 0 {
                format!("frame {} bytes on the wire, {m} without its outer VLAN tag{trailer}", f.ethernet_frame_len())
            } else {
                format!("frame {m} bytes{trailer}")
            };
            if j.dropped {
                let shows = if s.rule == DeviceRule::LinuxBridge {
                    // A bridge logs nothing; veth counts it (`veth_get_stats64`).
                    "A bridge logs nothing (the drop shows in `skb:kfree_skb` tracing); veth counts it in the peer's `rx_dropped`."
                        .to_string()
                } else {
                    // `netdev_dpdk_filter_packet_len`, a rate-limited warning in ovs-vswitchd's log.
                    let line = format!("<dev>: Too big size {m} max_packet_len {limit}");
                    let said = format!("It logs \"{line}\" (rate-limited, in ovs-vswitchd.log).");
                    v.log = Some(line);
                    said
                };
                format!("{who} drops it: {how} > {limit} ({rule}). {shows}")
            } else if j.gso_exempt {
                format!("The {how} exceeds {limit} ({rule}), but as a GSO super-frame it is segmented before the check matters.")
            } else {
                let wire = f.ethernet_frame_len();
                let nic = if wire > limit {
                    format!(" The egress NIC's own maximum frame size may still refuse a {wire}-byte frame.")
                } else {
                    String::new()
                };
                format!("{who} forwards it: {how} ≤ {limit} ({rule}).{nic}")
            }
        }
        DeviceRule::IpRouter => {
            let d = m;
            if !j.over {
                format!("An IP router forwards it: datagram {d} bytes ≤ MTU {mtu} (trailer bytes do not count).")
            } else if j.gso_exempt {
                format!("Datagram {d} bytes > MTU {mtu}, but a TSO/GSO super-frame: on the wire it leaves as MTU-sized segments.")
            } else if f.ipv6 {
                format!("An IP router drops it: IPv6 datagram {d} bytes > MTU {mtu}; it returns ICMPv6 Packet Too Big (MTU {mtu}).")
            } else if f.dont_fragment {
                format!("An IP router drops it: datagram {d} bytes > MTU {mtu} with DF set; it returns ICMP type 3 code 4 \"fragmentation needed\", next-hop MTU {mtu}.")
            } else {
                let per = ((mtu.saturating_sub(20)) / 8 * 8).max(8);
                let n = d.saturating_sub(20).div_ceil(per);
                format!("An IP router fragments it: datagram {d} bytes > MTU {mtu}, DF clear, so {n} fragments.")
            }
        }
    };
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(payload: u32) -> MtuFacts {
        MtuFacts {
            link: LinkKind::Ethernet,
            frame_len: 14 + 4 + 28 + payload + 2,
            link_header_len: 14,
            tags: 1,
            datagram_len: Some(28 + payload),
            ipv6: false,
            dont_fragment: true,
            consistent: true,
            tcp_payload: None,
            trailer_bytes: 2,
            macsec_overhead: 0,
        }
    }

    #[test]
    fn ovs_drops_the_story_ping_by_its_two_trailer_bytes() {
        let s = Settings::default();
        let v = evaluate(&story(1472), &s);
        assert!(v.dropped);
        assert_eq!((v.measured, v.limit), (1502, 1500));
        assert_eq!(v.log.as_deref(), Some("<dev>: dropped over-mtu packet: 1502 > 1500"));
        assert!(!evaluate(&story(1470), &s).dropped, "1470 + 28 + 2 = 1500 fits exactly");
    }

    #[test]
    fn router_ignores_trailer_and_bridge_allows_a_tag() {
        let router = Settings { rule: DeviceRule::IpRouter, ..Settings::default() };
        assert!(!evaluate(&story(1472), &router).dropped, "the datagram is exactly 1500");
        // The story's frame 15: 1,520 bytes on the wire, 1,516 without its tag.
        let bridge = Settings { rule: DeviceRule::LinuxBridge, ..Settings::default() };
        let v = evaluate(&story(1472), &bridge);
        assert_eq!((v.measured, v.limit, v.dropped), (1516, 1518, false), "{}", v.sentence);
        assert!(v.sentence.contains("1520 bytes on the wire, 1516 without its outer VLAN tag"), "{}", v.sentence);
        assert!(v.sentence.contains("egress NIC's own maximum frame size may still refuse a 1520-byte frame"));
    }

    /// A frame with `tags` VLAN tags, a `datagram`-byte datagram and `trailer`
    /// bytes after it.
    fn frame(tags: u8, datagram: u32, trailer: u32) -> MtuFacts {
        MtuFacts {
            frame_len: 14 + 4 * u32::from(tags) + datagram + trailer,
            tags,
            datagram_len: Some(datagram),
            trailer_bytes: trailer,
            ..story(0)
        }
    }

    #[test]
    fn linux_bridge_does_not_count_the_outermost_tag() {
        // Linux: `__netif_receive_skb_core` → `skb_vlan_untag` moves the
        // outermost tag out of `skb->len`; `is_skb_forwardable` passes
        // `skb->len <= mtu + hard_header_len + VLAN_HLEN` (net/core/dev.c).
        // So the largest frame on the wire is MTU + 18 untagged and MTU + 22
        // with one or two tags; trailer bytes count like any other.
        let bridge = Settings { rule: DeviceRule::LinuxBridge, ..Settings::default() };
        for (tags, trailer, largest_wire) in
            [(0u8, 0u32, 1518u32), (1, 0, 1522), (2, 0, 1522), (0, 2, 1518), (1, 2, 1522)]
        {
            for wire in [largest_wire - 1, largest_wire, largest_wire + 1] {
                let datagram = wire - 14 - 4 * u32::from(tags) - trailer;
                let f = frame(tags, datagram, trailer);
                assert_eq!(f.frame_len, wire);
                let v = evaluate(&f, &bridge);
                let tag = if tags > 0 { 4 } else { 0 };
                assert_eq!(
                    (v.measured, v.limit, v.dropped),
                    (u64::from(wire - tag), 1518, wire > largest_wire),
                    "{tags} tags, {trailer} trailer bytes, {wire} bytes on the wire: {}",
                    v.sentence
                );
            }
        }
        // A QinQ frame carrying a full 1500-byte datagram: 1,522 bytes, passes.
        let v = evaluate(&frame(2, 1500, 0), &bridge);
        assert_eq!((v.measured, v.dropped), (1518, false));
        assert!(v.sentence.contains("may still refuse a 1522-byte frame"), "{}", v.sentence);
        // An untagged frame at the limit needs no such caveat.
        assert!(!evaluate(&frame(0, 1504, 0), &bridge).sentence.contains("egress NIC"));
        // Dropped: where it shows (no log line).
        let v = evaluate(&frame(1, 1505, 0), &bridge);
        assert!(v.dropped && v.log.is_none());
        assert!(v.sentence.contains("`skb:kfree_skb`") && v.sentence.contains("`rx_dropped`"), "{}", v.sentence);
    }

    #[test]
    fn ovs_dpdk_counts_header_and_crc_and_logs_the_drop() {
        // lib/netdev-dpdk.c: MTU_TO_FRAME_LEN(mtu) = mtu + ETHER_HDR_LEN (14)
        // + ETHER_CRC_LEN (4); `netdev_dpdk_filter_packet_len` warns
        // "%s: Too big size %u max_packet_len %d" (rate-limited) and frees it.
        let dpdk = Settings { rule: DeviceRule::OvsDpdk, ..Settings::default() };
        assert_eq!(DeviceRule::OvsDpdk.limit(1500), 1518);
        let v = evaluate(&frame(1, 1500, 0), &dpdk);
        assert_eq!((v.measured, v.limit, v.dropped), (1518, 1518, false));
        let v = evaluate(&story(1472), &dpdk);
        assert_eq!((v.measured, v.dropped), (1520, true));
        assert_eq!(v.log.as_deref(), Some("<dev>: Too big size 1520 max_packet_len 1518"));
        assert!(
            v.sentence.contains("14 Ethernet header + 4 CRC") && !v.sentence.contains("silently"),
            "{}",
            v.sentence
        );
    }

    #[test]
    fn every_rule_measures_and_limits_in_one_place() {
        for rule in DeviceRule::ALL {
            let s = Settings { rule, ..Settings::default() };
            let j = judge(&story(1472), &s).expect("the story's frame is judged by every rule");
            assert_eq!((Some(j.measured), j.limit), (rule.measure(&story(1472)), rule.limit(1500)), "{rule:?}");
        }
    }

    #[test]
    fn gso_superframes_are_exempt() {
        let mut f = story(8000);
        f.tcp_payload = Some(7960);
        let v = evaluate(&f, &Settings::default());
        assert!(v.gso_exempt && !v.dropped);
    }
}
