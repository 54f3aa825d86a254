//! Glossary: one entry per term Framelens uses, so that every region kind,
//! FCS status, per-frame and capture-wide finding, device rule and layer group can link to
//! a definition. The `for_*` functions match exhaustively: a new variant
//! does not compile until it has an entry.

use crate::frame::finding::Finding;
use crate::frame::ledger::{FcsStatus, RegionKind};
use crate::log::message::MessageKind;
use crate::scan::summary::FindingKind;
use crate::settings::DeviceRule;
use crate::wire::LayerGroup;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Stable and URL-safe: the web app's element id is `glossary-ID`.
    pub id: &'static str,
    pub term: &'static str,
    /// One to three sentences, with the numbers that matter.
    pub definition: &'static str,
}

const fn e(id: &'static str, term: &'static str, definition: &'static str) -> Entry {
    Entry { id, term, definition }
}

/// Every entry, in reading order: sizes first, then what sits after the
/// datagram, then what makes bytes go missing or frames too big.
pub static GLOSSARY: &[Entry] = &[
    e("mtu", "MTU", "Maximum transmission unit: the largest IP datagram a link carries, 1500 bytes on standard Ethernet. Headers of the link (Ethernet 14, a VLAN tag 4) and the FCS come on top; each device decides how strictly it counts them (see the device rules)."),
    e("link-header", "Link header", "The header before the datagram: Ethernet 14 bytes (destination 6, source 6, EtherType 2), a Linux cooked header 16 (SLL) or 20 (SLL2), a loopback header 4, nothing for raw IP."),
    e("datagram", "Datagram and its length field", "The network-layer packet (IPv4, IPv6, ARP, an 802.3 LLC payload) whose own length field says where it ends: IPv4 total length covers header and payload; IPv6 payload length excludes the fixed 40-byte header. Framelens trusts these fields, never the frame's size, to find the end."),
    e("transport", "Transport header", "TCP (20–60 bytes), UDP (8, whose length covers header and data), ICMP (8 for an echo). `ping -s N` sends N + 8 + 20 = an N + 28-byte datagram, so `ping -s 1472` is the largest that fits MTU 1500."),
    e("payload", "Payload", "Bytes that the headers account for but Framelens does not dissect further: application data inside the datagram. Not the L2 payload, which is everything after the Ethernet header and one VLAN tag, bytes after the datagram included."),
    e("after-datagram", "After the datagram", "Every captured byte after the datagram's end is exactly one region: padding, FCS, vendor trailer or unexplained bytes. They count in the L2 payload but are no part of the datagram's payload; stacks that count them as payload misreport lengths."),
    e("l2-payload", "L2 payload", "The frame minus its 14-byte Ethernet header and one 4-byte VLAN tag, as Open vSwitch's `packet_length()` counts it. Trailer bytes count, so a 1500-byte datagram with 2 unexplained bytes is a 1502-byte L2 payload."),
    e("padding", "Padding", "Bytes that bring a short frame up to the link's minimum: 60 bytes for Ethernet as captures show it (802.3's 64 on the wire include the 4-byte FCS), plus 4 per VLAN tag when a bridge tags a padded frame; 46 bytes of L2 payload after a Linux cooked header. 802.3 leaves their content unspecified and RFC 894 says it should be zero; the FCS covers them too."),
    e("etherleak", "Etherleak", "Padding that is not all zero because a driver padded with whatever was in its buffer, leaking memory of the sending host (CERT VU#412115). Worth a warning and a driver update."),
    e("fcs", "FCS", "Frame check sequence: the 4-byte Ethernet CRC-32 over the frame from the destination MAC to the end of the padding (IEEE 802.3 clause 3.2.9), stored least-significant byte first. Most NICs strip it before the capture; when it is there, the CRC is the proof, not the capture's metadata."),
    e("fcs-valid", "Valid FCS", "The last 4 bytes are the CRC-32 of the rest of the frame: an FCS, whether or not the capture announced one."),
    e("fcs-invalid", "Invalid FCS", "The capture says the frame carries an FCS (pcap FCS bits, pcapng `if_fcslen` or `epb_flags`, or the FCS setting), but the CRC-32 does not match: the frame was damaged on the wire, or the metadata is wrong."),
    e("fcs-absent", "No FCS", "The frame ends without an FCS: the NIC stripped it, as most do, or the link has none (cooked captures, raw IP)."),
    e("fcs-unknown", "FCS not captured", "The capture says frames carry an FCS, but snaplen cut the frame before it, so it cannot be checked."),
    e("trailer", "Trailer (unexplained bytes)", "Bytes after the datagram that are neither padding, nor an FCS, nor a recognised vendor trailer. Framelens ranks hypotheses, such as a NIC driver appending 2 bytes to every frame (the ax88179_178a driver of ASIX AX88179/178A USB adapters)."),
    e("vendor", "Vendor trailer", "Bytes a monitoring fabric appends (timestamp, port ID), named only when their own structure proves it: F5 BIG-IP TLVs that tile the bytes exactly, or Ixia/Keysight with its length, magic `af 12` and checksum. 1–2 bytes are never called a VSS-Monitoring port stamp, 4 bytes never an Arista timestamp."),
    e("macsec", "MACsec (802.1AE)", "Link encryption between two ports: a SecTAG of 8 bytes (16 with the SCI) after the MAC addresses and a 16-byte ICV after the secure data, 24 or 32 bytes in all. A 1500-byte datagram then needs MTU 1532 on the link, so unless the MTU is raised big packets vanish while small ones pass."),
    e("vlan-tag", "VLAN tag (802.1Q)", "4 bytes (TPID 0x8100 and the tag control information with the 12-bit VLAN ID) between the source MAC and the EtherType. Each tag makes the frame 4 bytes longer without changing the datagram."),
    e("qinq", "QinQ (802.1ad)", "Stacked VLAN tags: an outer tag with TPID 0x88a8 (also 0x9100, 0x9200) before the 802.1Q tag, 8 bytes in all. A 1500-byte datagram becomes a 1522-byte frame. A Linux bridge passes it, because the outer tag is not in the length it counts; the egress NIC's maximum frame size may still refuse it."),
    e("ieee8023", "802.3 length and LLC", "When the EtherType field holds 1500 (0x05DC) or less it is an 802.3 length of the LLC payload, and the payload ends at 14 + length; 1536 (0x0600) and up is an EtherType. Spanning tree and CDP use this form, with LLC (and SNAP) headers."),
    e("cooked", "Linux cooked capture", "`tcpdump -i any` replaces the Ethernet header with a 16-byte (SLL, link type 113) or 20-byte (SLL2, 276) cooked header. Outgoing frames are captured before the NIC pads them; received ones keep their padding (to 46 bytes of L2 payload) and any driver trailer; the FCS is gone."),
    e("vxlan", "VXLAN", "An overlay that carries a whole Ethernet frame inside UDP. Against the underlay's MTU it adds outer IPv4 20 + UDP 8 + VXLAN 8 + the inner Ethernet header 14 = 50 bytes (70 over IPv6; RFC 7348 §5), so on a 1500-byte underlay instances get MTU 1450, as OpenStack Neutron sets it. VTEPs set DF and must not fragment (RFC 7348 §4.3)."),
    e("gre", "GRE and GRETAP", "GRE wraps a datagram in an outer IPv4 header (20) and a 4-byte GRE header, 4 more with a key. GRETAP carries the whole Ethernet frame, so its 14-byte header comes on top."),
    e("tunnel", "Tunnel headers", "Headers of an overlay or encapsulation (VXLAN, Geneve, GRE, ERSPAN) and the inner frame they carry; every tunnel shrinks the MTU left for the inner datagram by its overhead."),
    e("superframe", "GRO/TSO super-frame", "A frame far above the MTU with consistent headers, seen on the capturing host: TSO/GSO hands the NIC up to 64 KB segments (more with BIG TCP), and GRO merges received segments before tcpdump sees them. Not a frame on the wire and not a bug."),
    e("snaplen", "Snaplen truncation", "The capture kept only the first bytes of each frame (`tcpdump -s 96`): captured length < original length. The missing bytes are the capture's doing; nothing after the datagram's end can be judged."),
    e("pmtu-black-hole", "Path-MTU black hole", "A router with a smaller MTU drops a DF datagram and returns ICMP type 3 code 4 \"fragmentation needed\" (ICMPv6 type 2 \"packet too big\") with the next-hop MTU; when that message is filtered or ignored, TCP handshakes work and large segments stall."),
    e("mss", "TCP MSS", "The largest TCP payload a host announces in its SYN: its own link's MTU − 40 (20 IPv4 + 20 TCP), so 1460 on a 1500-byte link; it says nothing about the path (RFC 9293 §3.7.1). Segments with TCP timestamps carry 12 bytes less (1448), and a SYN MSS larger than the segments that pass hints at a smaller path MTU."),
    e("pattern", "Trailer pattern", "The same unexplained bytes on every frame of one source MAC, interface and direction: the mark of a driver or a device on that path, not of the traffic."),
    e("ping-sweep", "Ping sweep", "Echo requests of growing size (`ping -M do -s N`): the largest answered and the smallest unanswered ping payload bracket the limit; with trailer bytes, the gap is off by exactly their number."),
    e("path-mtu", "Path-MTU evidence", "ICMP fragmentation-needed and ICMPv6 packet-too-big messages in the capture, with the next-hop MTU they announce."),
    e("full-size-retransmissions", "Full-size retransmissions", "A TCP connection whose full-size segments are sent again and again while its small ones get through: packets vanish on the path by size. With no ICMP error in the capture it is a path-MTU black hole or a device that drops frames below the MTU."),
    e("kernel-log", "Kernel log beside a capture", "A kern.log, dmesg or journalctl -k read with the capture (`--log`): each drop line is matched to the frame it is about by its size under the device's rule and its time, after the clock offset between log and capture, estimated from the matches."),
    e("log-over-mtu", "dropped over-mtu packet", "Open vSwitch's kernel datapath drops a frame whose L2 payload exceeds the output port's MTU and logs `DEV: dropped over-mtu packet: N > MTU`, N being frame minus Ethernet header and one VLAN tag, trailer bytes included. DEV is the output port (a Neutron router's `qg-…`)."),
    e("log-too-big", "Too big size N max_packet_len M", "Open vSwitch with DPDK dropping a frame longer than MTU + 18 (Ethernet header and CRC): `DEV: Too big size N max_packet_len M`, a rate-limited warning in ovs-vswitchd.log (lib/netdev-dpdk.c, `netdev_dpdk_filter_packet_len`)."),
    e("log-bridge", "Bridge message", "A Linux bridge line naming a port, such as `br-lan: received packet on eth0 with own address as source address` or a port entering a state: it says which ports a bridge has."),
    e("log-ratelimit", "net_ratelimit: N callbacks suppressed", "The kernel rate-limits warnings: N messages, drop lines among them, were not written. Counts of drop lines are then lower bounds."),
    e("log-driver", "Driver registration", "A usbnet driver's probe line, `DRIVER PATH DEV: register 'DRIVER' at BUS, DESCRIPTION, MAC`: which driver runs the NIC with that MAC. The ax88179_178a driver (for ASIX AX88179/178A adapters) is known to append 2 bytes to received frames."),
    e("log-link", "Link state", "A driver's link-state line (`Link status is: 1`, `DEV: Link is Up`): when the NIC came up or went down."),
    e("log-mtu-change", "MTU change", "`DEV: changing MTU from A to B`: the device's MTU changed at that time, so frames before and after are judged against different MTUs."),
    e("log-rename", "Interface rename", "`DEV: renamed from OLD` (udev's predictable names): the same NIC under two names, so driver lines and drop lines can be tied together."),
    e("unsupported-link", "Unsupported link type", "A link type Framelens does not dissect; its frames are counted with their lengths only, never treated as Ethernet."),
    e("fcs-unannounced", "Unannounced FCS", "The last 4 bytes are a valid CRC-32 of the frame although the capture's metadata did not say frames carry an FCS: a NIC that keeps the FCS (`ethtool -K eth0 rx-fcs on`) or a tap. The CRC is the proof."),
    e("fcs-metadata-contradicted", "FCS metadata contradicted", "The capture announced an FCS (pcap FCS bits or pcapng `if_fcslen`), but the last 4 bytes are not the CRC-32 of the frame: either the frame was damaged or the metadata is wrong."),
    e("crc-error-flag", "CRC error flag", "pcapng's `epb_flags` bit 24: the capturing NIC saw a CRC error on the wire. Framelens shows the flag and still checks the CRC itself."),
    e("length-claim-overrun", "Length field overrun", "The outermost datagram's own length field claims more bytes than the frame had on the wire: the header is corrupt or was rewritten, so the datagram's end cannot be trusted."),
    e("inner-length-mismatch", "Inner length mismatch", "An inner length field (UDP length, a tunnelled datagram's length) disagrees with the room its outer header gives it: one of the two headers is wrong."),
    e("contradictory-length", "Length field contradicts its header", "A length field smaller than its own header (IPv4 total length below IHL × 4, UDP length below 8, IPv6 payload length shorter than its extension headers) or, for PPPoE, longer than the frame: the field is wrong. Framelens then leaves the datagram's end unknown instead of calling the bytes after a made-up end padding or trailer."),
    e("tso-zero-length", "IPv4 total length 0 (BIG TCP or Windows LSO)", "Linux writes the real total length into TSO segments up to 64 KB; it writes 0 only for BIG TCP packets above 64 KB (`iph_set_totlen`), and a capture before Windows' large send offload shows 0 for the NIC to fill in. The datagram ends at the frame's end; not a corrupt packet."),
    e("runt", "Frame under 60 bytes", "An Ethernet frame shorter than the 60-byte minimum: captured on the sending host before the NIC padded it, or carried by veth, tap or bridge ports, which never pad, so receivers see short frames too. On a physical wire it is padded to 64 bytes with the FCS."),
    e("end-unknown", "Datagram end unknown", "The dissector stopped before it found a length field that says where the datagram ends (an unknown EtherType or protocol, or a cut header), so the bytes after it cannot be classified."),
    e("ipv6-zero-length", "IPv6 payload length 0", "IPv6 payload length 0 means a jumbogram (RFC 2675) or a GSO packet above 64 KB (Linux BIG TCP), not a malformed header. Without its Jumbo Payload option it was captured on the host before GSO split it; the datagram ends at the frame's end."),
    e("ovs-kernel", "Open vSwitch kernel datapath rule", "Drops a frame when its L2 payload (trailer bytes included) exceeds the MTU and it is not a GSO frame, logging `dropped over-mtu packet: 1502 > 1500`."),
    e("linux-bridge", "Linux bridge / veth rule", "Compares the frame without its outer VLAN tag (the kernel moved that tag beside the packet on receive, `skb_vlan_untag`) with MTU + 14 + 4 (`is_skb_forwardable`): frames pass up to MTU + 18 bytes untagged and MTU + 22 tagged, trailer bytes included. A bridge logs no drop (it shows in `skb:kfree_skb` tracing); veth counts it in the peer's `rx_dropped`."),
    e("ovs-dpdk", "Open vSwitch DPDK rule", "Accepts frames, tags included, up to MTU + 18 bytes: the Ethernet header 14 and the CRC 4 (`MTU_TO_FRAME_LEN`, lib/netdev-dpdk.c). Longer ones are dropped with a rate-limited warning, `DEV: Too big size N max_packet_len M`."),
    e("ip-router", "IP router rule", "Compares the datagram with the egress MTU; trailer bytes do not count. Too big with DF set (always for IPv6): dropped with an ICMP error; DF clear: fragmented."),
];

/// The entry with this id.
pub fn entry(id: &str) -> Option<&'static Entry> {
    GLOSSARY.iter().find(|e| e.id == id)
}

fn known(id: &'static str) -> &'static Entry {
    // Every id below is in GLOSSARY (tested); the first entry stands in
    // rather than panicking should one ever be missing.
    entry(id).unwrap_or(&GLOSSARY[0])
}

pub fn for_region(kind: RegionKind) -> &'static Entry {
    known(region_id(kind))
}

pub fn for_fcs(status: FcsStatus) -> &'static Entry {
    known(fcs_id(status))
}

/// The entry for a capture-wide finding.
pub fn for_finding(kind: FindingKind) -> &'static Entry {
    known(finding_kind_id(kind))
}

/// The entry for a per-frame finding.
pub fn for_frame_finding(f: Finding) -> &'static Entry {
    known(frame_finding_id(f))
}

/// The entry for a kind of kernel log line.
pub fn for_log_kind(kind: MessageKind) -> &'static Entry {
    known(log_kind_id(kind))
}

pub fn for_rule(rule: DeviceRule) -> &'static Entry {
    known(rule_id(rule))
}

pub fn for_group(group: LayerGroup) -> &'static Entry {
    known(group_id(group))
}

const fn region_id(kind: RegionKind) -> &'static str {
    match kind {
        RegionKind::Padding => "padding",
        RegionKind::Fcs => "fcs",
        RegionKind::Icv => "macsec",
        RegionKind::Vendor => "vendor",
        RegionKind::Trailer => "trailer",
    }
}

const fn fcs_id(status: FcsStatus) -> &'static str {
    match status {
        FcsStatus::Valid => "fcs-valid",
        FcsStatus::Invalid => "fcs-invalid",
        FcsStatus::Absent => "fcs-absent",
        FcsStatus::Unknown => "fcs-unknown",
    }
}

const fn finding_kind_id(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Pattern => "pattern",
        FindingKind::PingSweep => "ping-sweep",
        FindingKind::PathMtu => "path-mtu",
        FindingKind::Mss => "mss",
        FindingKind::UnsupportedLink => "unsupported-link",
        FindingKind::FullSizeRetransmissions => "full-size-retransmissions",
        FindingKind::KernelLog => "kernel-log",
    }
}

const fn frame_finding_id(f: Finding) -> &'static str {
    match f {
        Finding::Padding => "padding",
        Finding::NonzeroPadding => "etherleak",
        Finding::Trailer => "trailer",
        Finding::Vendor => "vendor",
        Finding::FcsValid => "fcs-valid",
        Finding::FcsInvalid => "fcs-invalid",
        Finding::FcsUnknown => "fcs-unknown",
        Finding::FcsUnannounced => "fcs-unannounced",
        Finding::FcsMetadataContradicted => "fcs-metadata-contradicted",
        Finding::CrcErrorFlag => "crc-error-flag",
        Finding::Truncated => "snaplen",
        Finding::LengthClaimOverrun => "length-claim-overrun",
        Finding::InnerLengthMismatch => "inner-length-mismatch",
        Finding::ContradictoryLength => "contradictory-length",
        Finding::TsoZeroLength => "tso-zero-length",
        Finding::Runt => "runt",
        Finding::EndUnknown => "end-unknown",
        Finding::UnsupportedLink => "unsupported-link",
        Finding::Ipv6ZeroLength => "ipv6-zero-length",
        Finding::Superframe => "superframe",
    }
}

const fn rule_id(rule: DeviceRule) -> &'static str {
    match rule {
        DeviceRule::OvsKernel => "ovs-kernel",
        DeviceRule::LinuxBridge => "linux-bridge",
        DeviceRule::OvsDpdk => "ovs-dpdk",
        DeviceRule::IpRouter => "ip-router",
    }
}

const fn log_kind_id(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::OverMtu => "log-over-mtu",
        MessageKind::TooBig => "log-too-big",
        MessageKind::Bridge => "log-bridge",
        MessageKind::RateLimited => "log-ratelimit",
        MessageKind::Driver => "log-driver",
        MessageKind::Link => "log-link",
        MessageKind::MtuChange => "log-mtu-change",
        MessageKind::Rename => "log-rename",
    }
}

const fn group_id(group: LayerGroup) -> &'static str {
    match group {
        LayerGroup::Link => "link-header",
        LayerGroup::Tag => "vlan-tag",
        LayerGroup::Network => "datagram",
        LayerGroup::Transport => "transport",
        LayerGroup::Tunnel => "tunnel",
        LayerGroup::Payload => "payload",
        LayerGroup::Extra => "after-datagram",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Every id one family of terms maps to: each must name an entry of its
    /// own (`known` would otherwise fall back to the first entry silently).
    fn family(ids: &[&'static str]) -> HashSet<&'static str> {
        for id in ids {
            assert!(entry(id).is_some(), "{id} is mapped but has no glossary entry");
        }
        let set: HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(set.len(), ids.len(), "two terms of one family share an entry: {ids:?}");
        set
    }

    #[test]
    fn every_mapped_id_has_its_own_entry() {
        let mut all = HashSet::new();
        all.extend(family(&RegionKind::ALL.map(region_id)));
        all.extend(family(&FcsStatus::ALL.map(fcs_id)));
        all.extend(family(&FindingKind::ALL.map(finding_kind_id)));
        all.extend(family(&Finding::ALL.map(frame_finding_id)));
        all.extend(family(&DeviceRule::ALL.map(rule_id)));
        all.extend(family(&LayerGroup::ALL.map(group_id)));
        all.extend(family(&MessageKind::ALL.map(log_kind_id)));
        assert!(all.contains("padding") && all.contains("fcs-invalid") && all.contains("ping-sweep"));
        assert_eq!(for_frame_finding(Finding::NonzeroPadding).id, "etherleak");
    }

    /// The check above must be able to fail: an id without an entry is caught.
    #[test]
    #[should_panic(expected = "has no glossary entry")]
    fn an_unknown_id_fails_the_family_check() {
        family(&["padding", "no-such-term"]);
    }

    #[test]
    fn ids_are_unique_and_anchor_safe_and_definitions_are_short() {
        let mut seen = HashSet::new();
        for e in GLOSSARY {
            assert!(seen.insert(e.id), "duplicate id {}", e.id);
            assert!(e.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", e.id);
            let sentences = e.definition.matches(". ").count() + 1;
            assert!((1..=3).contains(&sentences), "{}: {sentences} sentences", e.id);
            assert!(e.definition.ends_with('.'), "{}", e.id);
        }
    }

    #[test]
    fn key_terms_are_defined_with_their_numbers() {
        for (id, number) in [
            ("mtu", "1500"),
            ("l2-payload", "1502"),
            ("padding", "60"),
            ("fcs", "4-byte"),
            ("vlan-tag", "4 bytes"),
            ("qinq", "1522"),
            ("vxlan", "50 bytes"),
            ("vxlan", "1450"),
            ("gre", "20"),
            ("cooked", "20-byte"),
            ("ieee8023", "1500"),
            ("etherleak", "VU#412115"),
            ("superframe", "64 KB"),
            ("snaplen", "original length"),
            ("pmtu-black-hole", "code 4"),
        ] {
            let def = entry(id).map_or("", |e| e.definition);
            assert!(def.contains(number), "{id} should mention {number}: {def:?}");
        }
    }

    /// Issue 24: each corrected entry says what its source says, and the
    /// source is named beside it.
    #[test]
    fn corrected_entries_say_what_their_sources_say() {
        let def = |id: &str| entry(id).map_or("", |e| e.definition);
        for (id, says, source) in [
            // Against the underlay's MTU: inner Ethernet, not outer; DF, no fragmenting.
            ("vxlan", "outer IPv4 20 + UDP 8 + VXLAN 8 + the inner Ethernet header 14 = 50", "RFC 7348 §5"),
            ("vxlan", "must not fragment", "RFC 7348 §4.3"),
            // 802.3 leaves the pad's content open; RFC 894 asks for zeros.
            ("padding", "802.3 leaves their content unspecified and RFC 894 says it should be zero", "RFC 894"),
            // The FCS covers DA, SA, length/type, data and pad.
            ("fcs", "to the end of the padding", "IEEE 802.3 clause 3.2.9"),
            ("padding", "the FCS covers them too", "802.3"),
            // The MSS is the sender's own link MTU minus 40.
            ("mss", "its own link's MTU − 40", "RFC 9293 §3.7.1"),
            ("mss", "with TCP timestamps carry 12 bytes less (1448)", "RFC 9293 §3.7.1"),
            // include/net/ip.h iph_set_totlen: 0 only above 64 KB.
            ("tso-zero-length", "0 only for BIG TCP packets above 64 KB", "iph_set_totlen"),
            ("ipv6-zero-length", "not a malformed header", "RFC 2675"),
            // veth_xmit, tun and br_forward never call eth_skb_pad.
            ("runt", "veth, tap or bridge ports, which never pad", "on the sending host"),
            // net/core/dev.c: skb_vlan_untag, is_skb_forwardable; veth_get_stats64.
            ("linux-bridge", "MTU + 22 tagged", "is_skb_forwardable"),
            ("linux-bridge", "veth counts it in the peer's `rx_dropped`", "skb_vlan_untag"),
            // lib/netdev-dpdk.c MTU_TO_FRAME_LEN and its warning.
            ("ovs-dpdk", "the Ethernet header 14 and the CRC 4", "MTU_TO_FRAME_LEN"),
            ("ovs-dpdk", "Too big size N max_packet_len M", "lib/netdev-dpdk.c"),
            ("log-too-big", "Too big size N max_packet_len M", "netdev_dpdk_filter_packet_len"),
        ] {
            let d = def(id);
            assert!(d.contains(says), "{id} should say {says:?}: {d:?}");
            assert!(d.contains(source), "{id} should name {source:?}: {d:?}");
        }
        // Quote only messages that exist: no source writes this one.
        assert!(GLOSSARY.iter().all(|e| !e.definition.contains("GRO/TSO enabled?")));
        assert!(GLOSSARY.iter().all(|e| !e.definition.contains("stray")), "one name: unexplained bytes");
        assert!(!def("linux-bridge").contains("silently") && !def("qinq").contains("more than a Linux bridge"));
        // "L2 payload" (OVS `packet_length()`) and "payload" (data inside the datagram) are kept apart.
        assert!(def("payload").contains("Not the L2 payload"));
        assert!(def("after-datagram").contains("count in the L2 payload but are no part of the datagram's payload"));
    }
}
