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
        let tag = if self.tags > 0 { 4 } else { 0 };
        self.frame_len.saturating_sub(self.link_header_len).saturating_sub(tag)
    }

    /// The frame as a Linux bridge sees it: an Ethernet header in place of
    /// any cooked header.
    pub fn ethernet_frame_len(&self) -> u32 {
        match self.link {
            LinkKind::Ethernet => self.frame_len,
            _ => self.frame_len.saturating_sub(self.link_header_len) + ethernet::HEADER_LEN as u32,
        }
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
    let (measured, limit, drops_when_over) = match s.rule {
        DeviceRule::OvsKernel => (f.l2_payload(), mtu, true),
        DeviceRule::LinuxBridge | DeviceRule::OvsDpdk => {
            (f.ethernet_frame_len(), mtu.saturating_add(ethernet::HEADER_LEN as u32 + 4), true)
        }
        DeviceRule::IpRouter => (f.datagram_len?, mtu, f.dont_fragment || f.ipv6),
    };
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
            let rule = if s.rule == DeviceRule::LinuxBridge { "MTU + 14 + 4" } else { "MTU + 18 (MTU_TO_FRAME_LEN)" };
            if j.dropped {
                format!("{who} drops it silently: frame {m} bytes{trailer} > {limit} ({rule}).")
            } else if j.gso_exempt {
                format!("Frame {m} bytes exceeds {limit} ({rule}), but as a GSO super-frame it is segmented before the check matters.")
            } else {
                format!("{who} forwards it: frame {m} bytes ≤ {limit} ({rule}).")
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
        let bridge = Settings { rule: DeviceRule::LinuxBridge, ..Settings::default() };
        let v = evaluate(&story(1472), &bridge);
        assert_eq!((v.measured, v.limit, v.dropped), (1520, 1518, true));
    }

    #[test]
    fn gso_superframes_are_exempt() {
        let mut f = story(8000);
        f.tcp_payload = Some(7960);
        let v = evaluate(&f, &Settings::default());
        assert!(v.gso_exempt && !v.dropped);
    }
}
