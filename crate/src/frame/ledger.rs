//! The ledger: a frame's length accounted for byte by byte.
//!
//! From the dissection it takes where the outermost datagram ends, and
//! classifies every captured byte after that end as exactly one region:
//! padding, FCS, a vendor trailer, or unexplained trailer. The FCS is decided
//! by the CRC; capture metadata only turns a failing CRC into an invalid FCS.

use crate::capture::FcsHint;
use crate::frame::dissect::Dissection;
use crate::frame::finding::{Finding, FindingSet};
use crate::frame::vendor::{self, Vendor};
use crate::settings::{FcsMode, Settings};
use crate::wire::ethernet::{self, crc_matches};
use crate::wire::link::LinkKind;
use crate::wire::{macsec, Layer};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionKind {
    /// Bytes up to the link's minimum frame size.
    Padding,
    /// A 4-byte Ethernet frame check sequence.
    Fcs,
    /// A vendor trailer identified by its own structure.
    Vendor,
    /// Bytes nothing explains.
    Trailer,
    /// MACsec's 16-byte integrity check value (IEEE 802.1AE): explained
    /// bytes, not a trailer. Last, so that the older kinds keep their codes.
    Icv,
}

variants!(RegionKind[Padding, Fcs, Vendor, Trailer, Icv]);
variants!(FcsStatus[Valid, Invalid, Absent, Unknown]);

impl RegionKind {
    /// The anatomy's layer for bytes of this kind: the one mapping from
    /// regions to layers (and through [`Layer::group`] to layer groups).
    pub const fn layer(self) -> Layer {
        match self {
            RegionKind::Padding => Layer::Padding,
            RegionKind::Fcs => Layer::Fcs,
            RegionKind::Icv => Layer::Icv,
            RegionKind::Vendor => Layer::Vendor,
            RegionKind::Trailer => Layer::Trailer,
        }
    }

    /// One or two words for the ledger's equation ("18 padding + 4 FCS").
    pub const fn word(self) -> &'static str {
        match self {
            RegionKind::Padding => "padding",
            RegionKind::Fcs => "FCS",
            RegionKind::Icv => "MACsec ICV",
            RegionKind::Vendor => "vendor trailer",
            RegionKind::Trailer => "unexplained",
        }
    }

    pub const fn key(self) -> &'static str {
        match self {
            RegionKind::Padding => "padding",
            RegionKind::Fcs => "fcs",
            RegionKind::Icv => "icv",
            RegionKind::Vendor => "vendor",
            RegionKind::Trailer => "trailer",
        }
    }
}

/// A run of bytes after the datagram, all of one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Region {
    pub kind: RegionKind,
    /// Frame offset of the first byte.
    pub start: u32,
    pub len: u32,
    /// Padding: at least one byte is not zero.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonzero: Option<bool>,
    /// FCS: the CRC-32 matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<Vendor>,
}

impl Region {
    fn new(kind: RegionKind, start: usize, len: usize) -> Self {
        Region { kind, start: start as u32, len: len as u32, nonzero: None, valid: None, vendor: None }
    }
    pub fn end(&self) -> u32 {
        self.start + self.len
    }

    /// The region's name in the anatomy: its kind, with what its bytes proved.
    pub fn name(&self) -> &'static str {
        match self.kind {
            RegionKind::Padding if self.nonzero == Some(true) => "Padding (not all zero)",
            RegionKind::Padding => "Padding",
            RegionKind::Fcs if self.valid == Some(true) => "FCS (CRC-32 valid)",
            RegionKind::Fcs => "FCS (CRC-32 invalid)",
            RegionKind::Icv => "MACsec ICV",
            RegionKind::Vendor => self.vendor.map_or("Vendor trailer", |v| v.name()),
            RegionKind::Trailer => "Unexplained bytes",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FcsStatus {
    Valid,
    Invalid,
    #[default]
    Absent,
    /// The frame was cut before its FCS could be checked.
    Unknown,
}

impl FcsStatus {
    pub const fn key(self) -> &'static str {
        match self {
            FcsStatus::Valid => "valid",
            FcsStatus::Invalid => "invalid",
            FcsStatus::Absent => "absent",
            FcsStatus::Unknown => "unknown",
        }
    }
}

/// At most one region of each kind except trailer, which may sit on either
/// side of a mid-frame FCS, and before a MACsec ICV the SecTAG placed after
/// the datagram's end: six is the most a frame can have.
pub const MAX_REGIONS: usize = 6;

/// Capture metadata the ledger needs beside the bytes.
#[derive(Clone, Copy, Debug)]
pub struct FrameMeta {
    pub original_len: u32,
    pub fcs: FcsHint,
}

/// A frame's length accounted for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Ledger {
    pub caplen: u32,
    pub len: u32,
    /// Link header bytes before any tag.
    pub link_header_len: u32,
    pub tags: u8,
    /// Where the outermost datagram starts.
    pub l3_start: Option<u32>,
    /// Where the outermost datagram ends according to its own length field.
    pub l3_end: Option<u64>,
    /// Captured bytes after `l3_end`.
    pub extra: Option<u32>,
    /// Padding reaches up to this frame offset (the link's minimum frame size).
    pub pad_limit: u32,
    #[serde(serialize_with = "regions_ser")]
    pub regions: [Option<Region>; MAX_REGIONS],
    pub fcs: FcsStatus,
    /// `len - caplen`.
    pub truncated: u32,
    /// What the ledger found ([`Finding`]): set here, named and counted from that one list.
    pub flags: FindingSet,
}

fn regions_ser<S: serde::Serializer>(r: &[Option<Region>; MAX_REGIONS], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(r.iter().flatten())
}

impl Ledger {
    pub fn regions(&self) -> impl Iterator<Item = &Region> {
        self.regions.iter().flatten()
    }

    pub fn region(&self, kind: RegionKind) -> Option<&Region> {
        self.regions().find(|r| r.kind == kind)
    }

    /// Bytes of a kind, summed.
    pub fn bytes_of(&self, kind: RegionKind) -> u32 {
        self.regions().filter(|r| r.kind == kind).map(|r| r.len).sum()
    }

    /// The outermost datagram's length, when its start and end are known.
    pub fn datagram_len(&self) -> Option<u32> {
        let (start, end) = (self.l3_start?, self.l3_end?);
        Some(end.saturating_sub(u64::from(start)).min(u64::from(u32::MAX)) as u32)
    }

    /// The length the frame should have from its headers: the datagram's end,
    /// padded to the minimum, plus a valid FCS.
    pub fn expected_len(&self) -> Option<u64> {
        let end = self.l3_end?;
        let padded = end.max(u64::from(self.pad_limit).min(u64::from(self.len)));
        let fcs = if matches!(self.fcs, FcsStatus::Valid | FcsStatus::Invalid | FcsStatus::Unknown) { 4 } else { 0 };
        // A MACsec ICV is explained bytes; padding, if any, comes after it.
        let padded = match self.region(RegionKind::Icv) {
            Some(icv) => padded.max(u64::from(icv.start) + macsec::ICV_LEN as u64),
            None => padded,
        };
        Some(padded + fcs)
    }

    fn push(&mut self, r: Region) {
        if r.len == 0 {
            return;
        }
        if let Some(slot) = self.regions.iter_mut().find(|s| s.is_none()) {
            *slot = Some(r);
        }
    }
}

/// Accounts for one frame. `data` is the captured bytes; `d` their dissection.
pub fn account(d: &Dissection, data: &[u8], meta: FrameMeta, settings: &Settings) -> Ledger {
    let cap = data.len();
    let wire = (meta.original_len as usize).max(cap);
    let mut l = Ledger {
        caplen: cap as u32,
        len: wire as u32,
        link_header_len: d.link_header_len,
        tags: d.tags,
        l3_start: d.datagram.map(|g| g.start),
        l3_end: d.datagram.map(|g| g.end),
        extra: None,
        pad_limit: pad_limit(d),
        regions: [None; MAX_REGIONS],
        fcs: FcsStatus::Absent,
        truncated: (wire - cap) as u32,
        flags: FindingSet::default(),
    };
    if l.truncated > 0 {
        l.flags.set(Finding::Truncated);
    }
    if meta.fcs.crc_error_flag {
        l.flags.set(Finding::CrcErrorFlag);
    }
    if d.link == LinkKind::Unsupported {
        l.flags.set(Finding::UnsupportedLink);
        return l;
    }
    if d.ipv4_total_len_zero {
        l.flags.set(Finding::TsoZeroLength);
    }
    if d.ipv6_zero_len_without_jumbo {
        l.flags.set(Finding::Ipv6ZeroLength);
    }
    if d.link == LinkKind::Ethernet && wire < ethernet::MIN_FRAME_LEN {
        l.flags.set(Finding::Runt);
    }
    if d.stop.is_some_and(|s| s.reason.is_contradictory_length()) {
        l.flags.set(Finding::ContradictoryLength);
    }
    for c in &d.claims {
        if c.overrun() > 0 {
            l.flags.set(if c.depth == 0 && c.room_end == wire as u64 {
                Finding::LengthClaimOverrun
            } else {
                Finding::InnerLengthMismatch
            });
        }
    }

    // MACsec's ICV follows the secure data: what the headers explain ends after it.
    let icv_at = d.macsec.and_then(|m| m.icv.offset().map(u64::from).or(l.l3_end));
    let explained_end = icv_at.map_or(l.l3_end, |at| Some(at + macsec::ICV_LEN as u64));
    let fcs_end = decide_fcs(&mut l, d, data, meta, settings, explained_end);
    let Some(end) = l.l3_end else {
        l.flags.set(Finding::EndUnknown);
        return l;
    };
    let start = end.min(cap as u64) as usize;
    l.extra = Some((cap - start) as u32);
    if start >= cap {
        return l;
    }
    // Bytes between the datagram's end and the FCS (or the captured end).
    let body_end = fcs_end.unwrap_or(cap).max(start);
    let mut start = start;
    if let Some(at) = icv_at {
        let at = (at.min(cap as u64) as usize).clamp(start, body_end);
        // Secure data the SecTAG's short length counts past the datagram's end.
        if at > start {
            l.flags.set(Finding::Trailer);
            l.push(Region::new(RegionKind::Trailer, start, at - start));
        }
        let icv_end = (at + macsec::ICV_LEN).min(body_end);
        l.push(Region::new(RegionKind::Icv, at, icv_end - at));
        start = icv_end;
    }

    // Padding up to the minimum frame size.
    let pad_end = (l.pad_limit as usize).clamp(start, body_end);
    if pad_end > start {
        let mut r = Region::new(RegionKind::Padding, start, pad_end - start);
        let nonzero = data[start..pad_end].iter().any(|&b| b != 0);
        r.nonzero = Some(nonzero);
        l.flags.set(Finding::Padding);
        if nonzero {
            l.flags.set(Finding::NonzeroPadding);
        }
        l.push(r);
    }

    // An FCS right after the padding, followed by a trailer a tap appended.
    let mut rest_start = pad_end;
    if fcs_end.is_none() && d.link == LinkKind::Ethernet && settings.fcs == FcsMode::Auto && l.truncated == 0 {
        let p = pad_end;
        let base = (d.fcs_base as usize).min(p);
        if body_end > p + ethernet::FCS_LEN && p >= ethernet::HEADER_LEN && crc_matches(&data[base..p], &data[p..p + 4])
        {
            let mut r = Region::new(RegionKind::Fcs, p, ethernet::FCS_LEN);
            r.valid = Some(true);
            l.fcs = FcsStatus::Valid;
            l.flags.set(Finding::FcsValid);
            if meta.fcs.len != Some(4) {
                l.flags.set(Finding::FcsUnannounced);
            }
            l.push(r);
            rest_start = p + ethernet::FCS_LEN;
        }
    }

    // What remains: a vendor trailer at its end if its structure proves it,
    // unexplained bytes otherwise.
    if body_end > rest_start {
        let rest = &data[rest_start..body_end];
        let (trailer_len, vendor) = match vendor::detect(rest) {
            Some((v, n)) => (rest.len() - n, Some((v, n))),
            None => (rest.len(), None),
        };
        if trailer_len > 0 {
            l.flags.set(Finding::Trailer);
            l.push(Region::new(RegionKind::Trailer, rest_start, trailer_len));
        }
        if let Some((v, n)) = vendor {
            let mut r = Region::new(RegionKind::Vendor, rest_start + trailer_len, n);
            r.vendor = Some(v);
            l.flags.set(Finding::Vendor);
            l.push(r);
        }
    }
    if let Some(f) = fcs_end {
        let mut r = Region::new(RegionKind::Fcs, f, cap - f);
        r.valid = Some(l.fcs == FcsStatus::Valid);
        if cap > f {
            l.push(r);
        }
    }
    l
}

/// The link's minimum frame, as a frame offset (after an ISL header when the
/// frame is ISL-encapsulated): 60 bytes for Ethernet plus 4
/// for each tag (a bridge that tags a padded frame makes it 64; IEEE 802.1Q
/// G.2.3 lets it pad tagged frames to 64); the 46-byte minimum payload after a
/// Linux cooked header; nothing for raw IP and loopback.
fn pad_limit(d: &Dissection) -> u32 {
    match d.link {
        // A switch tag counts like a VLAN tag: the switch inserts it into a padded frame.
        LinkKind::Ethernet => {
            d.fcs_base + (ethernet::MIN_FRAME_LEN + 4 * usize::from(d.tags) + usize::from(d.switch_tag_len)) as u32
        }
        LinkKind::LinuxSll | LinkKind::LinuxSll2 => d.link_header_len + ethernet::MIN_PAYLOAD_LEN as u32,
        _ => 0,
    }
}

/// Decides whether the frame ends with an FCS; returns where it starts.
/// `explained_end` is where the bytes the headers explain end: the datagram's
/// end, or a MACsec ICV's.
fn decide_fcs(
    l: &mut Ledger,
    d: &Dissection,
    data: &[u8],
    meta: FrameMeta,
    settings: &Settings,
    explained_end: Option<u64>,
) -> Option<usize> {
    let cap = data.len();
    if d.link != LinkKind::Ethernet || settings.fcs == FcsMode::Absent {
        return None;
    }
    let announced = meta.fcs.len == Some(4) || settings.fcs == FcsMode::Present;
    if l.truncated > 0 {
        if announced {
            l.fcs = FcsStatus::Unknown;
            l.flags.set(Finding::FcsUnknown);
        }
        return None;
    }
    if cap < ethernet::HEADER_LEN + ethernet::FCS_LEN {
        return None;
    }
    let f = cap - ethernet::FCS_LEN;
    // A datagram whose own length ends inside the last 4 bytes claims some of
    // them: they cannot also be an FCS, or those bytes would be counted twice
    // (found by the fuzzer). An FCS the capture announced is contradicted.
    if explained_end.is_some_and(|e| e > f as u64 && e < cap as u64) {
        if announced && meta.fcs.len == Some(4) {
            l.flags.set(Finding::FcsMetadataContradicted);
        }
        return None;
    }
    // The FCS cannot overlap the datagram unless the metadata insists (a
    // datagram that runs to the frame's end, as TSO's total length 0 does).
    let room = explained_end.is_none_or(|e| e <= f as u64);
    // Most frames end where their datagram ends: no room for an FCS, so no
    // CRC is computed (in wasm the CRC has no carry-less multiply to lean on).
    if (room || announced) && crc_matches(&data[(d.fcs_base as usize).min(f)..f], &data[f..]) {
        l.fcs = FcsStatus::Valid;
        l.flags.set(Finding::FcsValid);
        if meta.fcs.len != Some(4) && settings.fcs == FcsMode::Auto {
            l.flags.set(Finding::FcsUnannounced);
        }
        return Some(f);
    }
    if announced || (meta.fcs.crc_error_flag && room) {
        l.fcs = FcsStatus::Invalid;
        l.flags.set(Finding::FcsInvalid);
        if meta.fcs.len == Some(4) {
            l.flags.set(Finding::FcsMetadataContradicted);
        }
        return Some(f);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::dissect::dissect;
    use crate::wire::link::LinkType;

    fn ledger(frame: &[u8], fcs_len: Option<u8>) -> Ledger {
        let d = dissect(frame, LinkType::ETHERNET, frame.len() as u32);
        account(
            &d,
            frame,
            FrameMeta { original_len: frame.len() as u32, fcs: FcsHint { len: fcs_len, crc_error_flag: false } },
            &Settings::default(),
        )
    }

    fn arp_request() -> Vec<u8> {
        let mut f = vec![0xff; 6];
        f.extend_from_slice(&[0x52, 0x54, 0, 0x12, 0x34, 0x56, 0x08, 0x06]);
        f.extend_from_slice(&[
            0, 1, 8, 0, 6, 4, 0, 1, 0x52, 0x54, 0, 0x12, 0x34, 0x56, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2,
        ]);
        f
    }

    #[test]
    fn zero_padding_to_sixty_bytes() {
        let mut f = arp_request();
        f.resize(60, 0);
        let l = ledger(&f, None);
        assert_eq!(l.l3_end, Some(42));
        assert_eq!(l.extra, Some(18));
        let p = l.region(RegionKind::Padding).unwrap();
        assert_eq!((p.start, p.len, p.nonzero), (42, 18, Some(false)));
        assert_eq!(l.fcs, FcsStatus::Absent);
        assert_eq!(l.expected_len(), Some(60));
    }

    #[test]
    fn nonzero_padding_is_flagged_etherleak() {
        let mut f = arp_request();
        f.resize(60, 0);
        f[50] = 0x41;
        let l = ledger(&f, None);
        assert!(l.flags.has(Finding::NonzeroPadding));
        assert_eq!(l.region(RegionKind::Padding).unwrap().nonzero, Some(true));
    }

    #[test]
    fn valid_fcs_after_padding_is_an_fcs_even_unannounced() {
        let mut f = arp_request();
        f.resize(60, 0);
        let fcs = ethernet::fcs_of(&f);
        f.extend_from_slice(&fcs);
        let l = ledger(&f, None);
        assert_eq!(l.fcs, FcsStatus::Valid);
        assert!(l.flags.has(Finding::FcsUnannounced));
        let regions: Vec<(RegionKind, u32, u32)> = l.regions().map(|r| (r.kind, r.start, r.len)).collect();
        assert_eq!(regions, [(RegionKind::Padding, 42, 18), (RegionKind::Fcs, 60, 4)]);
    }

    #[test]
    fn announced_fcs_with_wrong_crc_is_invalid() {
        let mut f = arp_request();
        f.resize(64, 0xee);
        let l = ledger(&f, Some(4));
        assert_eq!(l.fcs, FcsStatus::Invalid);
        assert!(l.flags.has(Finding::FcsMetadataContradicted));
        assert_eq!(l.region(RegionKind::Fcs).unwrap().start, 60);
    }

    #[test]
    fn story_two_bytes_are_unexplained_trailer() {
        let f = crate::frame::dissect::tests_support::story_frame(1472);
        let l = ledger(&f, None);
        assert_eq!(l.l3_end, Some(1518));
        assert_eq!(l.extra, Some(2));
        let t = l.region(RegionKind::Trailer).unwrap();
        assert_eq!((t.start, t.len), (1518, 2));
        assert_eq!(l.regions().count(), 1);
        assert_eq!(l.fcs, FcsStatus::Absent);
    }

    #[test]
    fn every_byte_after_the_datagram_belongs_to_one_region() {
        let mut f = arp_request();
        f.resize(60, 0);
        f.extend_from_slice(&[0x25, 0x7f, 1, 2, 3]);
        let l = ledger(&f, None);
        let mut at = l.l3_end.unwrap() as u32;
        for r in l.regions() {
            assert_eq!(r.start, at);
            at = r.end();
        }
        assert_eq!(at as usize, f.len());
    }
}
