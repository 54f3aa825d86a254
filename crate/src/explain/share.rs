//! Diagnosis links: one frame, its capture metadata and the user's settings,
//! carried entirely in a URL fragment (`#share=v1.<base64url>`), which browsers
//! never send to a server.
//!
//! Layout of version 1 before compression (all integers big-endian):
//! `"FL" 01 | flags | link type u16 | original length u32 | [FCS length u8] |
//! MTU u32 | rule u8 | FCS mode u8 | frame number u64 (0: none) |
//! [span start u32, end u32] | note length u16, note UTF-8 | data length u32, data`.
//! The whole is raw-DEFLATE compressed and base64url-encoded without padding.
//! Decoding is bounded: a link never expands beyond [`MAX_DECODED`] bytes.
//!
//! Version 2 carries a journey instead: one packet at several capture points
//! ([`journey`], [`SharedJourney`]). [`Shared::decode`] opens either.

use crate::capture::{FcsHint, Frame};
use crate::frame::dissect::dissect_with_spans;
use crate::frame::ledger::{account, FcsStatus, FrameMeta, RegionKind};
use crate::settings::{DeviceRule, FcsMode, Settings, MTU_RANGE};
use crate::wire::ethernet::fcs_of;
use crate::wire::link::LinkType;
use crate::wire::Layer;
use base64::Engine;
use core::fmt;

pub mod journey;
pub use journey::{SharedJourney, SharedSighting};

pub const VERSION: u32 = 1;
const MAGIC: &[u8; 2] = b"FL";
/// The largest frame a link carries (libpcap's MAXIMUM_SNAPLEN).
pub const MAX_FRAME: usize = 262_144;
pub const MAX_NOTE: usize = 2_000;
/// Decompressed size limit: a frame, a note and the fixed fields.
pub const MAX_DECODED: usize = MAX_FRAME + MAX_NOTE + 64;
/// Encoded size limit, checked before any decoding work.
pub const MAX_LINK: usize = 2 * MAX_DECODED;

const FLAG_HEADERS_ONLY: u8 = 1 << 0;
const FLAG_FCS_LEN: u8 = 1 << 1;
const FLAG_CRC_ERROR: u8 = 1 << 2;
const FLAG_SPAN: u8 = 1 << 3;
const FLAG_FCS_RECOMPUTED: u8 = 1 << 4;

/// Everything a shared diagnosis needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedFrame {
    pub link_type: LinkType,
    pub original_len: u32,
    pub fcs: FcsHint,
    pub data: Vec<u8>,
    pub settings: Settings,
    /// The frame's number in its capture, for the reader's orientation.
    pub frame_number: Option<u64>,
    /// The span the sender had selected (frame offsets).
    pub span: Option<(u32, u32)>,
    pub note: String,
    /// Payload bytes were replaced by zeros before sharing.
    pub headers_only: bool,
    /// With `headers_only`, a valid FCS was recomputed over the zeroed bytes so
    /// that it stays valid: the verdict is the original frame's.
    pub fcs_recomputed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    Empty,
    /// The fragment does not start with `v<number>.`.
    MissingVersion,
    UnsupportedVersion(u32),
    TooLong {
        len: usize,
    },
    NotBase64,
    /// The compressed data is damaged or cut short.
    Corrupt,
    /// It would expand beyond the limit.
    TooLarge,
    /// A journey link (version 2) longer than any journey needs.
    JourneyTooLong {
        len: usize,
    },
    /// A journey link that would expand beyond its limit.
    JourneyTooLargeDecoded,
    BadMagic,
    /// The decoded data ends before `field`, which starts at byte `offset` of it.
    Truncated {
        field: &'static str,
        offset: usize,
    },
    /// `field`, at byte `offset` of the decoded data, holds an impossible `value`.
    Invalid {
        field: &'static str,
        value: u64,
        offset: usize,
    },
    /// A journey too large for a link (encoding): `count` of `what`, more than `max`.
    JourneyTooLarge {
        what: &'static str,
        count: u64,
        max: u64,
    },
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::Empty => write!(f, "The link carries no shared frame."),
            ShareError::MissingVersion => write!(f, "This is not a Framelens diagnosis link: it should start with \"v1.\" or \"v2.\" after \"#share=\"."),
            ShareError::UnsupportedVersion(v) if *v == VERSION => {
                write!(f, "This link carries one frame (format version {v}), not a journey.")
            }
            ShareError::UnsupportedVersion(v) if *v == journey::VERSION => {
                write!(f, "This link carries a journey (format version {v}), not one frame.")
            }
            ShareError::UnsupportedVersion(v) => write!(
                f,
                "This link uses format version {v}, which this Framelens does not know (it reads versions {VERSION} and {}); it was made by a newer Framelens.",
                journey::VERSION
            ),
            ShareError::TooLong { len } => write!(f, "The link is {len} characters long, more than any shared frame needs ({MAX_LINK}); it is not a Framelens link."),
            ShareError::JourneyTooLong { len } => write!(f, "The link is {len} characters long, more than any shared journey needs ({}); it is not a Framelens link.", journey::MAX_LINK),
            ShareError::NotBase64 => write!(f, "The link is damaged: it contains characters a Framelens link never has (it may have been cut or wrapped by a mail program)."),
            ShareError::Corrupt => write!(f, "The link is damaged or cut short: its compressed data cannot be read."),
            ShareError::TooLarge => write!(f, "The link would expand beyond {MAX_DECODED} bytes, more than one frame can be: refused."),
            ShareError::JourneyTooLargeDecoded => write!(f, "The link would expand beyond {} bytes, more than one journey can be: refused.", journey::MAX_DECODED),
            ShareError::BadMagic => write!(f, "The link's data does not start with Framelens' marker: it is not a diagnosis link."),
            ShareError::Truncated { field, offset } => write!(f, "The link is cut short: it ends before the {field} (byte {offset} of its decoded data)."),
            ShareError::Invalid { field, value, offset } => write!(f, "The link is damaged: its {field} (byte {offset} of its decoded data) is {value}, which is impossible."),
            ShareError::JourneyTooLarge { what, count, max } => write!(f, "This journey has {count} {what}, more than a link carries ({max}): it cannot be shared as one link."),
        }
    }
}

impl std::error::Error for ShareError {}

impl SharedFrame {
    /// A shared frame made from a captured packet. With `headers_only`, the
    /// bytes the dissector calls payload become zeros; headers, lengths and
    /// every byte after the datagram stay, so the diagnosis is unchanged.
    pub fn from_packet(p: &Frame<'_>, settings: Settings, headers_only: bool) -> Self {
        let mut data = p.data.to_vec();
        let mut fcs_recomputed = false;
        if headers_only {
            let (d, spans) = dissect_with_spans(p.data, p.link_type, p.original_len);
            let ledger = account(&d, p.data, FrameMeta { original_len: p.original_len, fcs: p.fcs }, &settings);
            for s in spans.iter().filter(|s| s.layer == Layer::Payload) {
                if let Some(b) = data.get_mut(s.start as usize..s.end as usize) {
                    b.fill(0);
                }
            }
            if ledger.fcs == FcsStatus::Valid {
                if let Some(r) = ledger.region(RegionKind::Fcs) {
                    let (start, end) = (r.start as usize, r.end() as usize);
                    let fcs = fcs_of(&data[(d.fcs_base as usize).min(start)..start]);
                    data[start..end].copy_from_slice(&fcs);
                    fcs_recomputed = true;
                }
            }
        }
        SharedFrame {
            link_type: p.link_type,
            original_len: p.original_len,
            fcs: p.fcs,
            data,
            settings,
            frame_number: Some(p.number),
            span: None,
            note: String::new(),
            headers_only,
            fcs_recomputed,
        }
    }

    /// How many of the packet's bytes "headers only" replaces with zeros: the
    /// bytes the dissector calls payload (some may be zero already).
    pub fn payload_bytes(p: &Frame<'_>) -> u32 {
        let (_, spans) = dissect_with_spans(p.data, p.link_type, p.original_len);
        // Payload spans of nested layers may overlap: count each byte once.
        let mut zeroed = vec![false; p.data.len()];
        for s in spans.iter().filter(|s| s.layer == Layer::Payload) {
            if let Some(b) = zeroed.get_mut(s.start as usize..(s.end as usize).min(p.data.len())) {
                b.fill(true);
            }
        }
        zeroed.iter().filter(|&&z| z).count() as u32
    }

    /// The frame as a packet, for [`crate::frame::analysis::analyze`].
    pub fn packet(&self) -> Frame<'_> {
        Frame {
            number: self.frame_number.unwrap_or(1),
            offset: 0,
            interface: 0,
            link_type: self.link_type,
            timestamp_ns: None,
            original_len: self.original_len,
            fcs: self.fcs,
            direction: None,
            data: &self.data,
            interfaces: &[],
        }
    }

    /// The URL fragment, without the leading `#`: `share=v1.<base64url>`.
    pub fn to_fragment(&self) -> String {
        format!("share={}", self.encode())
    }

    /// `v1.<base64url>`.
    pub fn encode(&self) -> String {
        let mut b = Vec::with_capacity(self.data.len() + 64);
        b.extend_from_slice(MAGIC);
        b.push(VERSION as u8);
        let mut flags = 0;
        if self.headers_only {
            flags |= FLAG_HEADERS_ONLY;
        }
        if self.span.is_some() {
            flags |= FLAG_SPAN;
        }
        put_frame_head(&mut b, self, flags);
        put_settings(&mut b, &self.settings);
        b.extend_from_slice(&self.frame_number.unwrap_or(0).to_be_bytes());
        if let Some((s, e)) = self.span {
            b.extend_from_slice(&s.to_be_bytes());
            b.extend_from_slice(&e.to_be_bytes());
        }
        put_text16(&mut b, &self.note, MAX_NOTE);
        let data = &self.data[..self.data.len().min(MAX_FRAME)];
        b.extend_from_slice(&(data.len() as u32).to_be_bytes());
        b.extend_from_slice(data);
        pack(VERSION, &b)
    }

    /// Decodes `v1.<base64url>`, a whole fragment `#share=v1.…`, or a URL ending in one.
    pub fn decode(link: &str) -> Result<Self, ShareError> {
        let raw = unpack(link, Bounds { version: VERSION, max_link: MAX_LINK, max_decoded: MAX_DECODED })?;
        Self::parse(&raw)
    }

    fn parse(raw: &[u8]) -> Result<Self, ShareError> {
        let mut r = Reader::open(raw, VERSION)?;
        let head = r.frame_head("flags", FLAG_HEADERS_ONLY | FLAG_SPAN)?;
        let flags = head.flags;
        let settings = r.settings()?;
        let number = r.u64("frame number")?;
        let span_at = r.at;
        let span = if flags & FLAG_SPAN != 0 { Some((r.u32("span start")?, r.u32("span end")?)) } else { None };
        let note = r.text16("note", MAX_NOTE)?;
        let data_len = r.u32("frame length")? as usize;
        if data_len > MAX_FRAME {
            return Err(r.invalid("frame length", data_len as u64, 4));
        }
        let data = r.take(data_len, "frame bytes")?.to_vec();
        r.end()?;
        if let Some((s, e)) = span {
            if s >= e || e as usize > data.len() {
                return Err(ShareError::Invalid { field: "selected span end", value: e.into(), offset: span_at + 4 });
            }
        }
        Ok(SharedFrame {
            link_type: head.link_type,
            original_len: head.original_len,
            fcs: head.fcs,
            data,
            settings,
            frame_number: (number != 0).then_some(number),
            span,
            note,
            headers_only: flags & FLAG_HEADERS_ONLY != 0,
            fcs_recomputed: head.fcs_recomputed,
        })
    }
}

/// What one kind of link may be.
struct Bounds {
    version: u32,
    max_link: usize,
    max_decoded: usize,
}

/// A link of version `b.version` (`v<N>.<base64url>`, a fragment `#share=…`
/// or a URL ending in one) inflated, refused past `b.max_link` characters or
/// `b.max_decoded` bytes.
fn unpack(link: &str, b: Bounds) -> Result<Vec<u8>, ShareError> {
    let frame = b.version == VERSION;
    let s = link_body(link)?;
    if s.len() > b.max_link {
        let len = s.len();
        return Err(if frame { ShareError::TooLong { len } } else { ShareError::JourneyTooLong { len } });
    }
    let (v, body) = split_version(s)?;
    if v != b.version {
        return Err(ShareError::UnsupportedVersion(v));
    }
    let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body).map_err(|_| ShareError::NotBase64)?;
    miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, b.max_decoded).map_err(|e| {
        match (e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput, frame) {
            (true, true) => ShareError::TooLarge,
            (true, false) => ShareError::JourneyTooLargeDecoded,
            (false, _) => ShareError::Corrupt,
        }
    })
}

/// The `v<N>.<base64url>` part of a link, fragment or URL.
fn link_body(link: &str) -> Result<&str, ShareError> {
    let s = link.rsplit_once("share=").map_or(link, |(_, rest)| rest);
    let s = s.split('&').next().unwrap_or("").trim();
    if s.is_empty() {
        return Err(ShareError::Empty);
    }
    Ok(s)
}

/// `v<N>.` and the rest.
fn split_version(s: &str) -> Result<(u32, &str), ShareError> {
    let (version, body) = s.strip_prefix('v').and_then(|r| r.split_once('.')).ok_or(ShareError::MissingVersion)?;
    let version: u32 = version.parse().map_err(|_| ShareError::MissingVersion)?;
    Ok((version, body))
}

/// `raw` DEFLATE-compressed and base64url-encoded behind `v<version>.`.
fn pack(version: u32, raw: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(raw, 9);
    format!("v{version}.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed))
}

/// What a `#share=` link opens: one frame (version 1) or a journey (version 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shared {
    Frame(SharedFrame),
    Journey(SharedJourney),
}

impl Shared {
    /// Decodes a link of either version (as [`SharedFrame::decode`] and
    /// [`SharedJourney::decode`], each with its own bounds).
    pub fn decode(link: &str) -> Result<Self, ShareError> {
        let s = link_body(link)?;
        // The version from the first characters only: the decoders check the length.
        let head = &s[..s.char_indices().nth(12).map_or(s.len(), |(i, _)| i)];
        let version = match split_version(head) {
            Ok((v, _)) => v,
            Err(_) => return SharedFrame::decode(link).map(Shared::Frame),
        };
        if version == journey::VERSION {
            SharedJourney::decode(link).map(Shared::Journey)
        } else {
            SharedFrame::decode(link).map(Shared::Frame)
        }
    }
}

/// Reads the decoded data field by field; errors name the field and its offset.
pub(crate) struct Reader<'a> {
    b: &'a [u8],
    /// Offset of `b` in the decoded data.
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(b: &'a [u8]) -> Self {
        Reader { b, at: 0 }
    }

    /// A reader past the marker and the version byte, which must be `version`.
    fn open(b: &'a [u8], version: u32) -> Result<Self, ShareError> {
        let mut r = Reader::new(b);
        if r.take(2, "marker")? != MAGIC {
            return Err(ShareError::BadMagic);
        }
        let v = r.u8("version")?;
        if u32::from(v) != version {
            return Err(ShareError::UnsupportedVersion(v.into()));
        }
        Ok(r)
    }

    /// A frame's flags byte (its FCS bits, and `extra` bits of the link's
    /// own), link type, original length and, if flagged, FCS length: the
    /// same in both link versions.
    fn frame_head(&mut self, field: &'static str, extra: u8) -> Result<FrameHead, ShareError> {
        let flags = self.u8(field)?;
        if flags & !(FRAME_FLAGS | extra) != 0 {
            return Err(self.invalid(field, flags.into(), 1));
        }
        let link_type = LinkType(self.u16("link type")?);
        let original_len = self.u32("original length")?;
        let len = if flags & FLAG_FCS_LEN != 0 { Some(self.u8("FCS length")?) } else { None };
        Ok(FrameHead {
            flags,
            link_type,
            original_len,
            fcs: FcsHint { len, crc_error_flag: flags & FLAG_CRC_ERROR != 0 },
            fcs_recomputed: flags & FLAG_FCS_RECOMPUTED != 0,
        })
    }

    fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], ShareError> {
        if self.b.len() < n {
            return Err(ShareError::Truncated { field, offset: self.at });
        }
        let (head, rest) = self.b.split_at(n);
        self.b = rest;
        self.at += n;
        Ok(head)
    }
    /// `field`, just read (`len` bytes), is impossible.
    fn invalid(&self, field: &'static str, value: u64, len: usize) -> ShareError {
        ShareError::Invalid { field, value, offset: self.at - len }
    }
    fn u8(&mut self, field: &'static str) -> Result<u8, ShareError> {
        Ok(self.take(1, field)?[0])
    }
    fn u16(&mut self, field: &'static str) -> Result<u16, ShareError> {
        let b = self.take(2, field)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self, field: &'static str) -> Result<u32, ShareError> {
        let b = self.take(4, field)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self, field: &'static str) -> Result<u64, ShareError> {
        let b = self.take(8, field)?;
        Ok(u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
    }
    /// MTU u32, device rule u8, FCS mode u8.
    fn settings(&mut self) -> Result<Settings, ShareError> {
        let mtu = self.u32("MTU")?;
        if !MTU_RANGE.contains(&mtu) {
            return Err(self.invalid("MTU", mtu.into(), 4));
        }
        let rule_i = self.u8("device rule")?;
        let rule = DeviceRule::from_code(rule_i).ok_or_else(|| self.invalid("device rule", rule_i.into(), 1))?;
        let mode_i = self.u8("FCS mode")?;
        let fcs = FcsMode::from_code(mode_i).ok_or_else(|| self.invalid("FCS mode", mode_i.into(), 1))?;
        Ok(Settings { mtu, rule, fcs })
    }
    /// A u16 length (at most `max`), then that many bytes of UTF-8.
    fn text16(&mut self, field: &'static str, max: usize) -> Result<String, ShareError> {
        let len = usize::from(self.u16(field)?);
        self.text(field, len, max, 2)
    }
    /// A u8 length, then that many bytes of UTF-8.
    fn text8(&mut self, field: &'static str) -> Result<String, ShareError> {
        let len = usize::from(self.u8(field)?);
        self.text(field, len, usize::from(u8::MAX), 1)
    }
    fn text(&mut self, field: &'static str, len: usize, max: usize, width: usize) -> Result<String, ShareError> {
        if len > max {
            return Err(self.invalid(field, len as u64, width));
        }
        let at = self.at;
        String::from_utf8(self.take(len, field)?.to_vec()).map_err(|_| ShareError::Invalid {
            field,
            value: len as u64,
            offset: at,
        })
    }
    /// Nothing may follow the last field.
    fn end(&self) -> Result<(), ShareError> {
        if self.b.is_empty() {
            Ok(())
        } else {
            Err(ShareError::Invalid { field: "trailing data length", value: self.b.len() as u64, offset: self.at })
        }
    }
}

/// Writes a u16-length text, cut to `max` bytes on a character boundary.
fn put_text16(b: &mut Vec<u8>, s: &str, max: usize) {
    let s = crate::text::cut_to_bytes(s, max.min(usize::from(u16::MAX)));
    b.extend_from_slice(&(s.len() as u16).to_be_bytes());
    b.extend_from_slice(s.as_bytes());
}

/// Writes a u8-length text, cut to 255 bytes on a character boundary.
/// The flags of a frame's own, in both link versions.
const FRAME_FLAGS: u8 = FLAG_FCS_LEN | FLAG_CRC_ERROR | FLAG_FCS_RECOMPUTED;

/// What [`Reader::frame_head`] reads.
pub(crate) struct FrameHead {
    /// The whole flags byte, the link's own bits included.
    pub flags: u8,
    pub link_type: LinkType,
    pub original_len: u32,
    pub fcs: FcsHint,
    pub fcs_recomputed: bool,
}

/// Writes what [`Reader::frame_head`] reads: `extra` holds the link's own flag bits.
fn put_frame_head(b: &mut Vec<u8>, f: &SharedFrame, extra: u8) {
    let mut flags = extra;
    if f.fcs.len.is_some() {
        flags |= FLAG_FCS_LEN;
    }
    if f.fcs.crc_error_flag {
        flags |= FLAG_CRC_ERROR;
    }
    if f.fcs_recomputed {
        flags |= FLAG_FCS_RECOMPUTED;
    }
    b.push(flags);
    b.extend_from_slice(&f.link_type.0.to_be_bytes());
    b.extend_from_slice(&f.original_len.to_be_bytes());
    if let Some(n) = f.fcs.len {
        b.push(n);
    }
}

fn put_text8(b: &mut Vec<u8>, s: &str) {
    let s = crate::text::cut_to_bytes(s, usize::from(u8::MAX));
    b.push(s.len() as u8);
    b.extend_from_slice(s.as_bytes());
}

/// MTU u32, device rule u8, FCS mode u8.
fn put_settings(b: &mut Vec<u8>, s: &Settings) {
    b.extend_from_slice(&s.mtu.to_be_bytes());
    b.push(s.rule.code());
    b.push(s.fcs.code());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::craft::echo_frame;
    use crate::frame::analysis::analyze;

    fn story_packet(data: &[u8]) -> Frame<'_> {
        Frame { number: 15, ..Frame::bare(data, LinkType::ETHERNET) }
    }

    #[test]
    fn headers_only_link_keeps_the_diagnosis() {
        let mut f = echo_frame(true, 100, 7, 1, 1472);
        f.extend_from_slice(&[0x25, 0x7f]);
        let p = story_packet(&f);
        let mut shared = SharedFrame::from_packet(&p, Settings::default(), true);
        shared.note = "2 bytes after every datagram from the USB NIC".into();
        shared.span = Some((1518, 1520));
        let link = shared.encode();
        assert!(link.starts_with("v1."));
        assert!(link.len() < 300, "payload zeros compress away: {} chars", link.len());
        let back = SharedFrame::decode(&format!("https://example.invalid/#share={link}")).unwrap();
        assert_eq!(back, shared);
        let (a, b) = (analyze(&p, &Settings::default()), analyze(&back.packet(), &back.settings));
        assert_eq!(a.ledger, b.ledger);
        assert_eq!(a.mtu, b.mtu);
        assert_eq!(&back.data[1518..], &[0x25, 0x7f]);
        assert!(back.data[46..1518].iter().all(|&x| x == 0), "ICMP payload removed");
        assert_eq!(SharedFrame::payload_bytes(&p), 1472, "exactly the ping payload is zeroed");
    }

    #[test]
    fn redaction_recomputes_a_valid_fcs() {
        let mut f = echo_frame(true, 100, 7, 1, 200);
        let fcs = fcs_of(&f);
        f.extend_from_slice(&fcs);
        let p = story_packet(&f);
        let shared = SharedFrame::from_packet(&p, Settings::default(), true);
        assert!(shared.fcs_recomputed);
        let b = analyze(&shared.packet(), &shared.settings);
        assert_eq!(b.ledger.fcs, FcsStatus::Valid);
    }

    #[test]
    fn damaged_links_say_what_is_wrong() {
        let f = echo_frame(true, 1, 1, 1, 10);
        let good = SharedFrame::from_packet(&story_packet(&f), Settings::default(), false).encode();
        assert_eq!(SharedFrame::decode(""), Err(ShareError::Empty));
        assert_eq!(SharedFrame::decode("#share=v2.AAAA"), Err(ShareError::UnsupportedVersion(2)));
        assert_eq!(SharedFrame::decode("#share=hello"), Err(ShareError::MissingVersion));
        assert_eq!(SharedFrame::decode("v1.!!!"), Err(ShareError::NotBase64));
        assert_eq!(SharedFrame::decode(&good[..good.len() / 2]), Err(ShareError::Corrupt));
        // A deflate bomb: 10 MB of zeros compresses to a short link.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![0u8; 10_000_000], 9);
        let link = format!("v1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bomb));
        assert_eq!(SharedFrame::decode(&link), Err(ShareError::TooLarge));
        let junk = format!(
            "v1.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(miniz_oxide::deflate::compress_to_vec(b"XX\x01", 9))
        );
        assert_eq!(SharedFrame::decode(&junk), Err(ShareError::BadMagic));
    }
}
