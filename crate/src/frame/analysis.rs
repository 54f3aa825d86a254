//! The full account of one frame, recomputed on demand from its bytes: the
//! spans of the anatomy (headers and the regions after the datagram), the
//! ledger as an equation, per-frame findings in plain words, ranked
//! hypotheses for unexplained bytes, and the MTU consequence.

use crate::capture::Frame;
use crate::frame::dissect::{dissect_with_spans, Dissection, IcvAt, StopReason};
use crate::frame::finding::Finding;
use crate::frame::ledger::{account, FcsStatus, FrameMeta, Ledger, Region, RegionKind};
use crate::frame::mtu::{evaluate, MtuFacts, MtuVerdict};
use crate::settings::Settings;
use crate::text::thousands;
use crate::wire::link::LinkKind;
use crate::wire::{Layer, Span, Value};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct FrameAnalysis {
    pub number: u64,
    pub dissection: Dissection,
    pub spans: Vec<Span>,
    pub ledger: Ledger,
    /// "1520 captured = 14 Ethernet + 4 802.1Q + 1500 IPv4 total length + 2 unexplained"
    pub equation: String,
    /// Per-frame findings as sentences.
    pub findings: Vec<String>,
    /// For unexplained bytes: explanations from most to least likely.
    pub hypotheses: Vec<String>,
    /// One sentence per region, naming its offsets and bytes.
    pub callouts: Vec<String>,
    pub mtu: MtuVerdict,
}

pub fn analyze(p: &Frame<'_>, settings: &Settings) -> FrameAnalysis {
    let (d, mut spans) = dissect_with_spans(p.data, p.link_type, p.original_len);
    let ledger = account(&d, p.data, FrameMeta { original_len: p.original_len, fcs: p.fcs }, settings);
    for r in ledger.regions() {
        spans.push(region_span(r, p.data));
    }
    spans.sort_by_key(|s| (s.start, s.end));
    let facts = MtuFacts::new(&d, &ledger);
    FrameAnalysis {
        number: p.number,
        equation: equation(&d, &ledger, p.data),
        findings: findings(&d, &ledger, p),
        hypotheses: hypotheses(&d, &ledger, p),
        callouts: ledger.regions().map(|r| callout(r, &ledger, &d, p.data)).collect(),
        mtu: evaluate(&facts, settings),
        dissection: d,
        spans,
        ledger,
    }
}

fn region_span(r: &Region, data: &[u8]) -> Span {
    Span {
        layer: r.kind.layer(),
        depth: 0,
        name: r.name(),
        start: r.start,
        end: r.end(),
        value: Value::Text(hex(region_bytes(r, data))),
    }
}

fn region_bytes<'a>(r: &Region, data: &'a [u8]) -> &'a [u8] {
    data.get(r.start as usize..r.end() as usize).unwrap_or(&[])
}

pub fn hex(b: &[u8]) -> String {
    const SHOWN: usize = 16;
    let mut s: Vec<String> = b.iter().take(SHOWN).map(|x| format!("{x:02x}")).collect();
    if b.len() > SHOWN {
        s.push("…".into());
    }
    s.join(" ")
}

fn datagram_name(layer: Layer) -> &'static str {
    match layer {
        Layer::Ipv4 => "IPv4 datagram",
        Layer::Ipv6 => "IPv6 packet",
        Layer::Arp => "ARP packet",
        Layer::Llc => "802.3 LLC payload",
        Layer::Pppoe => "PPPoE payload",
        Layer::Lldp => "LLDPDU",
        Layer::Macsec => "MACsec secure data (encrypted)",
        _ => "datagram",
    }
}

fn equation(d: &Dissection, l: &Ledger, data: &[u8]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let l3_start = l.l3_start.unwrap_or(u32::MAX);
    for h in d.headers.iter().filter(|h| h.start < l3_start) {
        parts.push(format!("{} {}", h.len, header_name(h.layer, h.start, data)));
    }
    match (d.datagram, l.l3_end) {
        (Some(g), Some(end)) => {
            let field = d
                .claims
                .iter()
                .find(|c| u64::from(c.start) >= u64::from(g.start) && c.end == end)
                .map(|c| c.field.name());
            let len = end - u64::from(g.start);
            match field {
                Some(f) => parts.push(format!("{} {} ({f})", thousands(len), datagram_name(g.layer))),
                None => parts.push(format!("{} {}", thousands(len), datagram_name(g.layer))),
            }
            for r in l.regions() {
                parts.push(format!("{} {}", r.len, r.kind.word()));
            }
            let mut eq = format!("{} captured = {}", thousands(l.caplen.into()), parts.join(" + "));
            if end > u64::from(l.caplen) {
                eq.push_str(&format!(" − {} not captured", thousands(end - u64::from(l.caplen))));
            }
            eq
        }
        _ => {
            let known: u32 = d.headers.iter().filter(|h| h.depth == 0).map(|h| h.len).sum();
            format!(
                "{} captured = {} + {} bytes whose structure Framelens does not know",
                thousands(l.caplen.into()),
                if parts.is_empty() { "0 known headers".to_string() } else { parts.join(" + ") },
                thousands(u64::from(l.caplen.saturating_sub(known)))
            )
        }
    }
}

fn findings(d: &Dissection, l: &Ledger, p: &Frame<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let f = l.flags;
    if f.has(Finding::UnsupportedLink) {
        out.push(format!("Link type {} is not dissected; the frame is counted with its lengths only.", p.link_type));
    }
    if f.has(Finding::Truncated) {
        out.push(format!(
            "Snaplen truncation: {} of {} bytes were captured; {} bytes are missing from the capture, not from the wire.",
            thousands(l.caplen.into()),
            thousands(l.len.into()),
            thousands(l.truncated.into())
        ));
    }
    for c in &d.claims {
        let over = c.overrun();
        if over > 0 {
            out.push(format!(
                "The {} field claims {} bytes from offset {}, {} more than {}.",
                c.field.name(),
                thousands(c.value.into()),
                c.start,
                thousands(over as u64),
                if c.depth == 0 { "the frame had on the wire" } else { "its enclosing layer leaves" }
            ));
        }
    }
    if f.has(Finding::TsoZeroLength) {
        // include/net/ip.h iph_set_totlen: Linux writes the real length up to
        // 64 KB and 0 only above it (BIG TCP); Windows' LSO leaves 0 for the NIC.
        out.push("IPv4 total length is 0: a BIG TCP packet over 64 KB, or a segment captured before Windows' large send offload filled it in. Linux writes the real length into ordinary TSO segments. The datagram is taken to run to the frame's end.".into());
    }
    if f.has(Finding::Ipv6ZeroLength) {
        out.push("IPv6 payload length is 0 without a Jumbo Payload option: a jumbogram (RFC 2675) or a GSO packet over 64 KB (Linux BIG TCP) captured on the host. The datagram is taken to run to the frame's end.".into());
    }
    if f.has(Finding::Runt) && p.link_type.kind() == LinkKind::Ethernet {
        out.push(format!(
            "Only {} bytes: shorter than the 60-byte Ethernet minimum. It was captured on the sending host before the NIC padded it, or it came over veth, tap or bridge ports, which never pad.",
            l.len
        ));
    }
    if f.has(Finding::NonzeroPadding) {
        out.push(
            "The padding is not all zero. 802.3 leaves its content open and RFC 894 says it should be zero; padding left over in a driver's buffer leaks the sender's memory (Etherleak, CERT VU#412115)."
                .into(),
        );
    }
    match l.fcs {
        FcsStatus::Valid if f.has(Finding::FcsUnannounced) => out.push(
            "The last 4 bytes are a valid Ethernet CRC-32 of the frame: an FCS, although the capture's metadata did not announce one.".into(),
        ),
        FcsStatus::Valid => out.push("The frame ends with a valid FCS.".into()),
        FcsStatus::Invalid => out.push(if f.has(Finding::CrcErrorFlag) {
            "The FCS does not match the frame's CRC-32, and the capturing NIC flagged a CRC error: the frame was damaged on the wire.".into()
        } else {
            "The capture says frames carry an FCS, but this one's CRC-32 does not match: damaged on the wire, or the metadata is wrong.".into()
        }),
        FcsStatus::Unknown => out.push("The FCS was not captured (snaplen), so it cannot be checked.".into()),
        FcsStatus::Absent => {}
    }
    if let Some(stop) = d.stop {
        let why = match stop.reason {
            StopReason::TruncatedHeader { layer, needed, available } => {
                format!("the {} header needs {needed} bytes but only {available} were captured", layer.name())
            }
            StopReason::BadHeader { layer, what, value } => {
                format!("the {} {what} is {value}, which is impossible", layer.name())
            }
            StopReason::UnknownProtocol { layer, value } => {
                format!("{} carries protocol 0x{value:04x}, which Framelens does not dissect", layer.name())
            }
            StopReason::UnsupportedLink => "its link type is not dissected".into(),
            StopReason::TooDeep => "tunnels nest too deep".into(),
            StopReason::LengthBelowMinimum { field, value, minimum } => format!(
                "the {} is {}, less than the {} bytes its own header needs, so the field is wrong",
                field.name(),
                thousands(value.into()),
                thousands(minimum.into())
            ),
            StopReason::LengthPastFrame { field, value, room } => format!(
                "the {} claims {} bytes where the frame has {} left, so the field is wrong",
                field.name(),
                thousands(value.into()),
                thousands(room.into())
            ),
        };
        if let Some(field) = stop.reason.contradicted_field() {
            out.push(format!(
                "Dissection stopped at offset {}: {why}; Framelens does not guess where {} ends.",
                stop.offset,
                field.unit()
            ));
        } else if l.l3_end.is_none() {
            out.push(format!(
                "Dissection stopped at offset {}: {why}; where the datagram ends is unknown.",
                stop.offset
            ));
        }
    }
    out
}

fn hypotheses(d: &Dissection, l: &Ledger, p: &Frame<'_>) -> Vec<String> {
    let Some(t) = l.region(RegionKind::Trailer) else { return Vec::new() };
    let n = t.len;
    let bytes = region_bytes(t, p.data);
    let dg = d.datagram.map_or("datagram", |g| datagram_name(g.layer));
    let cooked = matches!(d.link, LinkKind::LinuxSll | LinkKind::LinuxSll2);
    let mut h = Vec::new();
    let mut not = Vec::new();
    if n != 4 {
        not.push("not an FCS (that needs 4 bytes)".to_string());
    } else {
        not.push("not a valid FCS (the CRC-32 does not match)".to_string());
    }
    if l.caplen > l.pad_limit {
        not.push(format!("not padding (the frame is over {})", minimum_words(l, d)));
    }
    h.push(format!(
        "{n} byte{} after the end of the {dg} ({}); {}.",
        if n == 1 { "" } else { "s" },
        hex(bytes),
        not.join(", ")
    ));
    if n <= 2 {
        h.push(if cooked || d.direction.is_some() {
            "On a host capture this is typically a NIC driver bug: the ax88179_178a driver (ASIX AX88179/178A USB adapters) appends 2 bytes to every frame. Check `ethtool -i <dev>` for the driver and its version.".into()
        } else {
            "Most likely a NIC driver appending bytes (the ax88179_178a driver of ASIX AX88179/178A USB adapters appends 2 to every frame); check the sender's driver with `ethtool -i <dev>`.".into()
        });
        // packet-vssmonitoring.c: the port stamp is 1 byte unless configured for 2.
        let size = if n == 1 { "its default size" } else { "configured for 2; the default is 1" };
        h.push(format!(
            "A {n}-byte VSS-Monitoring port stamp ({size}) would also fit, but only if a VSS monitoring fabric sits between the wire and this capture; nothing in the bytes proves it (older Wireshark named any 1–2 trailing bytes so)."
        ));
    } else if n == 4 {
        h.push("An FCS computed before the frame was changed (a VLAN tag added or removed after the CRC was taken), or damaged on the wire.".into());
        h.push("A 4-byte timestamp appended by a monitoring switch (Arista; VSS-Monitoring's are 8 bytes); it would change from frame to frame.".into());
    } else {
        h.push(
            "A trailer appended by a tap or packet broker (timestamp, port ID), or bytes a driver failed to trim."
                .into(),
        );
        h.push("The length field of the datagram may be wrong (the sender wrote too small a value).".into());
    }
    h
}

/// A header's name in the equation. A VLAN tag is named by the TPID just
/// before it: an 802.1ad S-tag (0x88a8) is not an 802.1Q tag.
fn header_name(layer: Layer, start: u32, data: &[u8]) -> &'static str {
    let at = start as usize;
    let tpid = (layer == Layer::Vlan && at >= 2)
        .then(|| data.get(at - 2..at))
        .flatten()
        .map(|b| u16::from_be_bytes([b[0], b[1]]));
    match tpid {
        Some(t) if t != crate::wire::ethernet::ethertype::VLAN => {
            crate::wire::ethernet::ethertype_name(t).unwrap_or(layer.name())
        }
        _ => layer.name(),
    }
}

/// Which minimum the padding rule applies, in words: 802.3's 64 bytes
/// include the FCS, so captures show 60; a tag a bridge inserted after
/// padding adds 4 (IEEE 802.1Q G.2.3).
fn minimum_words(l: &Ledger, d: &Dissection) -> String {
    let limit = l.pad_limit;
    if d.link != LinkKind::Ethernet || d.fcs_base > 0 {
        return format!("the {limit}-byte minimum");
    }
    match l.tags {
        0 => "the 60-byte minimum, 802.3's 64 less the FCS".to_string(),
        1 => format!("the {limit}-byte minimum: 802.3's 64 less the FCS, + 4 for the VLAN tag a bridge may insert after padding"),
        t => format!(
            "the {limit}-byte minimum: 802.3's 64 less the FCS, + 4 for each of the {t} VLAN tags a bridge may insert after padding"
        ),
    }
}

fn callout(r: &Region, l: &Ledger, d: &Dissection, data: &[u8]) -> String {
    let dg = d.datagram.map_or("datagram", |g| datagram_name(g.layer));
    let what = match r.kind {
        RegionKind::Padding => format!(
            "{} byte{} of padding up to the {}-byte minimum{}{}",
            r.len,
            if r.len == 1 { "" } else { "s" },
            l.pad_limit,
            if d.fcs_base > 0 {
                format!(" (60 after the {}-byte ISL header)", d.fcs_base)
            } else if d.link == LinkKind::Ethernet && l.tags > 0 {
                format!(" (60 + 4 for each of {} VLAN tag{})", l.tags, if l.tags == 1 { "" } else { "s" })
            } else {
                String::new()
            },
            if r.nonzero == Some(true) { ", not all zero" } else { "" }
        ),
        RegionKind::Fcs => format!("FCS, CRC-32 {}", if r.valid == Some(true) { "valid" } else { "invalid" }),
        RegionKind::Icv => format!(
            "MACsec ICV of {} bytes, the integrity check over the frame{}",
            r.len,
            if d.macsec.is_some_and(|m| matches!(m.icv, IcvAt::FrameEnd { .. })) {
                " (taken as the frame's last 16 bytes: the encrypted secure data is 48 bytes or more, so nothing inside marks its end)"
            } else {
                ""
            }
        ),
        RegionKind::Vendor => format!("{} of {} bytes", r.vendor.map_or("vendor trailer", |v| v.name()), r.len),
        RegionKind::Trailer => {
            format!("{} unexplained byte{} after the end of the {dg}", r.len, if r.len == 1 { "" } else { "s" })
        }
    };
    format!("{what}, offset {}–{}: {}", r.start, r.end() - 1, hex(region_bytes(r, data)))
}
