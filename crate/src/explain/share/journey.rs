//! Journey links: one packet as several capture points saw it, carried in a
//! URL fragment like a frame (`#share=v2.<base64url>`): every sighting's point,
//! frame number, time and bytes (payload zeroed by default, as
//! [`SharedFrame::from_packet`] does with `headers_only`), the journey's
//! changes in words, where it was lost, the path findings about it, and the
//! settings.
//!
//! Layout of version 2 before compression (all integers big-endian):
//!
//! ```text
//! "FL" 02 | flags u8 (bit 0: headers only) | MTU u32 | rule u8 | FCS mode u8 |
//! journey index u64 | note length u16, note UTF-8 |
//! sightings u8, each:
//!   point label length u8, label UTF-8 | frame number u64 | time ns i64 (i64::MIN: none) |
//!   clock offset ns i64 | frame flags u8 (bit 1 FCS length, bit 2 CRC error, bit 4 FCS recomputed) |
//!   link type u16 | original length u32 | [FCS length u8] | data length u32, data |
//! changes u8, each: length u16, UTF-8 |
//! lost u8 (0 or 1) | [last point that saw it: u8 length, UTF-8 | the point it never reached: same] |
//! findings u8, each: length u16, UTF-8
//! ```
//!
//! Raw-DEFLATE compressed and base64url-encoded without padding, as version 1.
//! Decoding is bounded: at most [`MAX_SIGHTINGS`] sightings, [`MAX_BYTES`]
//! frame bytes in all, [`MAX_CHANGES`] changes and [`MAX_FINDINGS`] findings,
//! and never more than [`MAX_DECODED`] bytes after decompression.

use super::{
    pack, put_frame_head, put_settings, put_text16, put_text8, unpack, Bounds, Reader, ShareError, SharedFrame, MAGIC,
};
use super::{FLAG_HEADERS_ONLY, MAX_FRAME, MAX_NOTE};
use crate::capture::Frame;
use crate::settings::Settings;

pub const VERSION: u32 = 2;
/// The most sightings a link carries (a packet's capture points along one path).
pub const MAX_SIGHTINGS: usize = 32;
/// Frame bytes of all sightings together: as much as one frame of version 1.
pub const MAX_BYTES: usize = MAX_FRAME;
pub const MAX_CHANGES: usize = 64;
pub const MAX_FINDINGS: usize = 8;
/// Bytes of one change sentence (`FROM → TO: words`).
pub const MAX_CHANGE: usize = 512;
/// Bytes of one finding's sentence.
pub const MAX_FINDING: usize = 2_000;
/// Bytes of a point's label.
pub const MAX_LABEL: usize = 255;
/// Fixed bytes of one sighting besides its label and data.
const SIGHTING_FIXED: usize = 1 + 8 + 8 + 8 + 1 + 2 + 4 + 1 + 4;
/// Decompressed size limit: every field at its bound.
pub const MAX_DECODED: usize = 2
    + 1
    + 1
    + 6
    + 8
    + 2
    + MAX_NOTE
    + 1
    + MAX_SIGHTINGS * (SIGHTING_FIXED + MAX_LABEL)
    + MAX_BYTES
    + 1
    + MAX_CHANGES * (2 + MAX_CHANGE)
    + 1
    + 2 * (1 + MAX_LABEL)
    + 1
    + MAX_FINDINGS * (2 + MAX_FINDING);
/// Encoded size limit, checked before any decoding work.
pub const MAX_LINK: usize = 2 * MAX_DECODED;

const NO_TIME: i64 = i64::MIN;

/// One point's sighting of the packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedSighting {
    /// `controller.pcapng · eth1`.
    pub point: String,
    /// The frame's timestamp as its file recorded it.
    pub time_ns: Option<i64>,
    /// How far its file's clock runs ahead of the first capture's.
    pub clock_offset_ns: i64,
    /// The frame (its number in its own file, bytes, link type, lengths, FCS
    /// hint); its settings and privacy are the journey's, it has no span or note.
    pub frame: SharedFrame,
}

impl SharedSighting {
    /// The time on the first capture's clock.
    pub fn at_ns(&self) -> Option<i64> {
        self.time_ns.map(|t| t.saturating_sub(self.clock_offset_ns))
    }
}

/// Where the packet vanished.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedLoss {
    /// The last point that saw it.
    pub after: String,
    /// The point the rest of its flow reached next, and it did not.
    pub before: String,
}

/// Everything a shared journey carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedJourney {
    /// The journey's 0-based index in its path diagnosis.
    pub index: u64,
    pub settings: Settings,
    /// Payload bytes of every frame were replaced by zeros.
    pub headers_only: bool,
    /// In time order.
    pub seen: Vec<SharedSighting>,
    /// The changes between consecutive sightings, as `framelens path --json` writes them.
    pub changes: Vec<String>,
    pub lost: Option<SharedLoss>,
    /// The path findings' sentences about this journey (why it was lost, where bytes appeared).
    pub findings: Vec<String>,
    pub note: String,
}

impl SharedJourney {
    pub fn new(index: u64, settings: Settings, headers_only: bool) -> Self {
        SharedJourney {
            index,
            settings,
            headers_only,
            seen: Vec::new(),
            changes: Vec::new(),
            lost: None,
            findings: Vec::new(),
            note: String::new(),
        }
    }

    /// A share of journey `index` from what a face resolved: each sighting's
    /// point label, its file's clock offset and its frame read again, in time
    /// order; the change sentences; the loss; the [findings about it](findings_about).
    /// The CLI (from the follower's journey, [`from_path`]) and the web app
    /// (from its journey store) both build the share here.
    pub fn of<'a>(
        index: u64,
        settings: Settings,
        headers_only: bool,
        seen: impl IntoIterator<Item = (&'a str, i64, Frame<'a>)>,
        changes: Vec<String>,
        lost: Option<SharedLoss>,
        findings: Vec<String>,
    ) -> Self {
        let mut out = SharedJourney::new(index, settings, headers_only);
        for (point, offset, p) in seen {
            out.push(point, offset, &p);
        }
        SharedJourney { changes, lost, findings, ..out }
    }

    /// Adds the next sighting: `p` as read again from its file (at `point`,
    /// whose file's clock runs `clock_offset_ns` ahead of the first capture's),
    /// headers only if the journey is.
    pub fn push(&mut self, point: &str, clock_offset_ns: i64, p: &Frame<'_>) {
        self.seen.push(SharedSighting {
            point: point.to_string(),
            time_ns: p.timestamp_ns,
            clock_offset_ns,
            frame: SharedFrame::from_packet(p, self.settings, self.headers_only),
        });
    }

    /// Frame bytes of all sightings.
    pub fn bytes(&self) -> usize {
        self.seen.iter().map(|s| s.frame.data.len()).sum()
    }

    /// Whether it fits a link: at most [`MAX_SIGHTINGS`] sightings and
    /// [`MAX_BYTES`] frame bytes. Longer texts are cut, further changes and
    /// findings left out ([`SharedJourney::encode`]).
    pub fn check(&self) -> Result<(), ShareError> {
        if self.seen.is_empty() {
            return Err(ShareError::Empty);
        }
        if self.seen.len() > MAX_SIGHTINGS {
            return Err(ShareError::JourneyTooLarge {
                what: "sightings",
                count: self.seen.len() as u64,
                max: MAX_SIGHTINGS as u64,
            });
        }
        if self.bytes() > MAX_BYTES {
            return Err(ShareError::JourneyTooLarge {
                what: "frame bytes",
                count: self.bytes() as u64,
                max: MAX_BYTES as u64,
            });
        }
        Ok(())
    }

    /// The URL fragment, without the leading `#`: `share=v2.<base64url>`.
    pub fn to_fragment(&self) -> Result<String, ShareError> {
        Ok(format!("share={}", self.encode()?))
    }

    /// `v2.<base64url>`, or why the journey does not fit a link ([`SharedJourney::check`]).
    pub fn encode(&self) -> Result<String, ShareError> {
        self.check()?;
        let mut b = Vec::with_capacity(self.bytes() + 256 * self.seen.len() + 1024);
        b.extend_from_slice(MAGIC);
        b.push(VERSION as u8);
        b.push(if self.headers_only { FLAG_HEADERS_ONLY } else { 0 });
        put_settings(&mut b, &self.settings);
        b.extend_from_slice(&self.index.to_be_bytes());
        put_text16(&mut b, &self.note, MAX_NOTE);
        b.push(self.seen.len() as u8);
        for s in &self.seen {
            let f = &s.frame;
            put_text8(&mut b, &s.point);
            b.extend_from_slice(&f.frame_number.unwrap_or(0).to_be_bytes());
            b.extend_from_slice(&s.time_ns.unwrap_or(NO_TIME).to_be_bytes());
            b.extend_from_slice(&s.clock_offset_ns.to_be_bytes());
            put_frame_head(&mut b, f, 0);
            b.extend_from_slice(&(f.data.len() as u32).to_be_bytes());
            b.extend_from_slice(&f.data);
        }
        let changes = &self.changes[..self.changes.len().min(MAX_CHANGES)];
        b.push(changes.len() as u8);
        for c in changes {
            put_text16(&mut b, c, MAX_CHANGE);
        }
        match &self.lost {
            Some(l) => {
                b.push(1);
                put_text8(&mut b, &l.after);
                put_text8(&mut b, &l.before);
            }
            None => b.push(0),
        }
        let findings = &self.findings[..self.findings.len().min(MAX_FINDINGS)];
        b.push(findings.len() as u8);
        for f in findings {
            put_text16(&mut b, f, MAX_FINDING);
        }
        Ok(pack(VERSION, &b))
    }

    /// Decodes `v2.<base64url>`, a whole fragment `#share=v2.…`, or a URL ending in one.
    pub fn decode(link: &str) -> Result<Self, ShareError> {
        let raw = unpack(link, Bounds { version: VERSION, max_link: MAX_LINK, max_decoded: MAX_DECODED })?;
        Self::parse(&raw)
    }

    fn parse(raw: &[u8]) -> Result<Self, ShareError> {
        let mut r = Reader::open(raw, VERSION)?;
        let flags = r.u8("flags")?;
        if flags & !FLAG_HEADERS_ONLY != 0 {
            return Err(r.invalid("flags", flags.into(), 1));
        }
        let headers_only = flags & FLAG_HEADERS_ONLY != 0;
        let settings = r.settings()?;
        let index = r.u64("journey index")?;
        let note = r.text16("note", MAX_NOTE)?;
        let n = usize::from(r.u8("sighting count")?);
        if n == 0 || n > MAX_SIGHTINGS {
            return Err(r.invalid("sighting count", n as u64, 1));
        }
        let mut seen = Vec::with_capacity(n);
        let mut total = 0usize;
        for _ in 0..n {
            let point = r.text8("point label")?;
            let number = r.u64("frame number")?;
            let time = r.u64("frame time")? as i64;
            let clock_offset_ns = r.u64("clock offset")? as i64;
            let head = r.frame_head("frame flags", 0)?;
            let len = r.u32("frame length")? as usize;
            total = total.saturating_add(len);
            if len > MAX_FRAME || total > MAX_BYTES {
                return Err(r.invalid("frame length", len as u64, 4));
            }
            let data = r.take(len, "frame bytes")?.to_vec();
            seen.push(SharedSighting {
                point,
                time_ns: (time != NO_TIME).then_some(time),
                clock_offset_ns,
                frame: SharedFrame {
                    link_type: head.link_type,
                    original_len: head.original_len,
                    fcs: head.fcs,
                    data,
                    settings,
                    frame_number: (number != 0).then_some(number),
                    span: None,
                    note: String::new(),
                    headers_only,
                    fcs_recomputed: head.fcs_recomputed,
                },
            });
        }
        let c = usize::from(r.u8("change count")?);
        if c > MAX_CHANGES {
            return Err(r.invalid("change count", c as u64, 1));
        }
        let changes = (0..c).map(|_| r.text16("change", MAX_CHANGE)).collect::<Result<Vec<_>, _>>()?;
        let lost = match r.u8("loss marker")? {
            0 => None,
            1 => Some(SharedLoss { after: r.text8("last point")?, before: r.text8("point never reached")? }),
            other => return Err(r.invalid("loss marker", other.into(), 1)),
        };
        let f = usize::from(r.u8("finding count")?);
        if f > MAX_FINDINGS {
            return Err(r.invalid("finding count", f as u64, 1));
        }
        let findings = (0..f).map(|_| r.text16("finding", MAX_FINDING)).collect::<Result<Vec<_>, _>>()?;
        r.end()?;
        Ok(SharedJourney { index, settings, headers_only, seen, changes, lost, findings, note })
    }
}

/// A journey as the path follower gives it, made shareable: `frames` are its
/// sightings' frames (in the order of `j.seen`) read again from their files;
/// the change sentences, the loss and the findings about it come from `plan`
/// and `findings` (the summary's).
pub fn from_path(
    plan: &crate::path::Plan,
    findings: &[crate::path::PathFinding],
    j: &crate::path::Journey,
    frames: &[Frame<'_>],
    settings: Settings,
    headers_only: bool,
) -> SharedJourney {
    let label = |p: u16| plan.points.get(usize::from(p)).map_or_else(|| p.to_string(), |x| x.label.clone());
    let offset =
        |p: u16| plan.points.get(usize::from(p)).and_then(|x| plan.files.get(x.file)).map_or(0, |f| f.clock.offset_ns);
    let labels: Vec<String> = j.seen.iter().map(|s| label(s.point)).collect();
    SharedJourney::of(
        j.index,
        settings,
        headers_only,
        j.seen.iter().zip(&labels).zip(frames).map(|((s, l), f)| (l.as_str(), offset(s.point), *f)),
        j.changes.iter().map(|(a, b, c)| crate::path::report::change_text(plan, *a, *b, &c.words)).collect(),
        j.lost_after.zip(j.lost_before).map(|(a, b)| SharedLoss { after: label(a), before: label(b) }),
        findings_about(findings, j.index),
    )
}

/// The sentences of the path's findings about journey `index`: what a share of it quotes.
pub fn findings_about(findings: &[crate::path::PathFinding], index: u64) -> Vec<String> {
    findings.iter().filter(|f| f.journeys.contains(&index)).map(|f| f.sentence.clone()).collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::capture::OwnedFrame;
    use crate::path::{follow_bytes, Journey, PathSettings};
    use base64::Engine;

    /// The story's first lost journey (the first 1472-byte ping) and its frames.
    pub(crate) fn lost_ping() -> (SharedJourney, Vec<OwnedFrame>) {
        let files = crate::craft::paths::story();
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        let mut journeys: Vec<Journey> = Vec::new();
        let (plan, summary) = follow_bytes(&refs, PathSettings::default(), |_, j| journeys.push(j.clone()));
        let j = journeys.into_iter().find(|j| j.lost_after.is_some()).unwrap();
        let frames: Vec<OwnedFrame> = j
            .seen
            .iter()
            .map(|s| {
                let file = plan.points[usize::from(s.point)].file;
                let mut out = None;
                crate::capture::read_all(&files[file].1, |p| {
                    if p.number == s.frame {
                        out = Some(OwnedFrame::from_packet(&p));
                    }
                });
                out.unwrap()
            })
            .collect();
        let packets: Vec<Frame<'_>> = frames.iter().map(|f| f.packet()).collect();
        (from_path(&plan, &summary.findings, &j, &packets, Settings::default(), true), frames)
    }

    #[test]
    fn the_lost_ping_round_trips_headers_only() {
        let (j, frames) = lost_ping();
        assert_eq!(j.seen.len(), 2);
        assert_eq!(j.seen[0].point, "laptop.pcap · 0");
        assert_eq!(j.seen[1].point, "controller.pcapng · eth1");
        // The estimated offset, within a few µs of the story's.
        assert!((j.seen[1].clock_offset_ns - crate::craft::paths::CONTROLLER_AHEAD_NS).abs() < 10_000);
        assert_eq!((j.seen[0].frame.frame_number, j.seen[1].frame.frame_number), (Some(16), Some(29)));
        assert_eq!((j.seen[0].frame.data.len(), j.seen[1].frame.data.len()), (1514, 1520));
        assert!(j
            .changes
            .iter()
            .any(|c| c == "laptop.pcap · 0 → controller.pcapng · eth1: +2 unexplained bytes 25 7f"));
        let lost = j.lost.as_ref().unwrap();
        assert_eq!(
            (lost.after.as_str(), lost.before.as_str()),
            ("controller.pcapng · eth1", "controller.pcapng · qr-5d0a1c2e-7f")
        );
        assert!(
            j.findings.iter().any(|f| f.starts_with("3 packets reach `controller.pcapng · eth1`")),
            "{:?}",
            j.findings
        );
        // The payload is gone, the 2 driver bytes stay.
        assert!(j.seen[1].frame.data[1518..] == [0x25, 0x7f]);
        assert!(j.seen[0].frame.data[42..1514].iter().all(|&b| b == 0));
        assert_ne!(frames[0].data[42..1514], j.seen[0].frame.data[42..1514]);
        let link = j.encode().unwrap();
        assert!(link.starts_with("v2."));
        assert!(link.len() < 2_000, "zeros compress away: {} chars", link.len());
        let back = SharedJourney::decode(&format!("https://example.invalid/#share={link}")).unwrap();
        assert_eq!(back, j);
        assert_eq!(super::super::Shared::decode(&link), Ok(super::super::Shared::Journey(j.clone())));
        // The same diagnosis at every point.
        for (s, f) in back.seen.iter().zip(&frames) {
            let (a, b) = (
                crate::frame::analysis::analyze(&f.packet(), &j.settings),
                crate::frame::analysis::analyze(&s.frame.packet(), &back.settings),
            );
            assert_eq!((a.ledger, a.mtu), (b.ledger, b.mtu));
        }
    }

    #[test]
    fn full_bytes_keep_the_payload_and_make_a_longer_link() {
        let (headers, frames) = lost_ping();
        let mut full = headers.clone();
        full.headers_only = false;
        for (s, f) in full.seen.iter_mut().zip(&frames) {
            s.frame = SharedFrame::from_packet(&f.packet(), full.settings, false);
        }
        let (h, f) = (headers.encode().unwrap(), full.encode().unwrap());
        assert!(f.len() > h.len(), "{} ≤ {}", f.len(), h.len());
        let back = SharedJourney::decode(&f).unwrap();
        assert!(!back.headers_only);
        assert_eq!(back.seen[0].frame.data, frames[0].data);
    }

    #[test]
    fn a_journey_beyond_the_bounds_is_refused_with_a_sentence() {
        // docs/lessons.md states the bound.
        assert_eq!(MAX_DECODED, 322_936);
        let (j, _) = lost_ping();
        let mut many = j.clone();
        while many.seen.len() <= MAX_SIGHTINGS {
            many.seen.push(j.seen[0].clone());
        }
        let e = many.encode().unwrap_err();
        assert_eq!(e, ShareError::JourneyTooLarge { what: "sightings", count: 33, max: 32 });
        assert_eq!(
            e.to_string(),
            "This journey has 33 sightings, more than a link carries (32): it cannot be shared as one link."
        );
        let mut big = j.clone();
        big.seen.truncate(1);
        big.seen[0].frame.data = vec![0; MAX_BYTES + 1];
        assert!(matches!(big.encode(), Err(ShareError::JourneyTooLarge { what: "frame bytes", .. })));
        assert_eq!(SharedJourney::new(0, Settings::default(), true).encode(), Err(ShareError::Empty));
        // Texts past their bounds are cut, on a character boundary.
        let mut long = j.clone();
        long.changes = vec!["é".repeat(400); MAX_CHANGES + 3];
        let back = SharedJourney::decode(&long.encode().unwrap()).unwrap();
        assert_eq!(back.changes.len(), MAX_CHANGES);
        assert_eq!(back.changes[0].len(), MAX_CHANGE);
    }

    fn link_of(raw: &[u8]) -> String {
        pack(VERSION, raw)
    }

    fn raw_of(j: &SharedJourney) -> Vec<u8> {
        let link = j.encode().unwrap();
        let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&link[3..]).unwrap();
        miniz_oxide::inflate::decompress_to_vec(&packed).unwrap()
    }

    #[test]
    fn cut_and_damaged_journey_links_name_the_field_and_its_offset() {
        let (j, _) = lost_ping();
        let raw = raw_of(&j);
        // Cut anywhere: the field it ends before, at the cut.
        for cut in [0, 1, 3, 9, 20, 30, 200, raw.len() / 2, raw.len() - 1] {
            match SharedJourney::decode(&link_of(&raw[..cut])) {
                Err(ShareError::Truncated { offset, .. }) => assert!(offset <= cut, "{cut}: {offset}"),
                Err(ShareError::BadMagic) if cut < 2 => {}
                other => panic!("cut at {cut}: {other:?}"),
            }
        }
        let e = SharedJourney::decode(&link_of(&raw[..20])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "The link is cut short: it ends before the sighting count (byte 20 of its decoded data)."
        );
        // The sighting count at its bound + 1, and 0.
        let count_at = 2 + 1 + 1 + 6 + 8 + 2 + j.note.len();
        for bad in [0u8, 33] {
            let mut r = raw.clone();
            r[count_at] = bad;
            assert_eq!(
                SharedJourney::decode(&link_of(&r)),
                Err(ShareError::Invalid { field: "sighting count", value: bad.into(), offset: count_at })
            );
        }
        // An MTU outside the range, unknown flags, trailing bytes.
        let mut r = raw.clone();
        r[4..8].copy_from_slice(&10u32.to_be_bytes());
        assert_eq!(
            SharedJourney::decode(&link_of(&r)),
            Err(ShareError::Invalid { field: "MTU", value: 10, offset: 4 })
        );
        let mut r = raw.clone();
        r[3] = 0x80;
        assert_eq!(
            SharedJourney::decode(&link_of(&r)).unwrap_err().to_string(),
            "The link is damaged: its flags (byte 3 of its decoded data) is 128, which is impossible."
        );
        let mut r = raw.clone();
        r.push(0);
        assert_eq!(
            SharedJourney::decode(&link_of(&r)),
            Err(ShareError::Invalid { field: "trailing data length", value: 1, offset: raw.len() })
        );
        // A frame length past the bound of all frames together.
        let first_len_at = count_at + 1 + 1 + j.seen[0].point.len() + 8 + 8 + 8 + 1 + 2 + 4;
        let mut r = raw.clone();
        r[first_len_at..first_len_at + 4].copy_from_slice(&(MAX_BYTES as u32 + 1).to_be_bytes());
        assert_eq!(
            SharedJourney::decode(&link_of(&r)),
            Err(ShareError::Invalid { field: "frame length", value: MAX_BYTES as u64 + 1, offset: first_len_at })
        );
        // Not base64, garbage, a deflate bomb, a link longer than any journey.
        assert_eq!(SharedJourney::decode("v2.!!!"), Err(ShareError::NotBase64));
        let link = j.encode().unwrap();
        let half = 3 + (link.len() - 3) / 8 * 4;
        assert_eq!(SharedJourney::decode(&link[..half]), Err(ShareError::Corrupt));
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![0u8; 10_000_000], 9);
        let bomb = format!("v2.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bomb));
        assert_eq!(SharedJourney::decode(&bomb), Err(ShareError::JourneyTooLargeDecoded));
        assert_eq!(
            ShareError::JourneyTooLargeDecoded.to_string(),
            "The link would expand beyond 322936 bytes, more than one journey can be: refused."
        );
        let long = format!("v2.{}", "A".repeat(MAX_LINK + 1));
        assert_eq!(SharedJourney::decode(&long), Err(ShareError::JourneyTooLong { len: MAX_LINK + 4 }));
        assert_eq!(SharedJourney::decode(&link_of(b"XX\x02")), Err(ShareError::BadMagic));
    }

    #[test]
    fn each_decoder_says_which_kind_a_link_of_the_other_carries() {
        let (j, frames) = lost_ping();
        let journey = j.encode().unwrap();
        let frame = SharedFrame::from_packet(&frames[0].packet(), Settings::default(), true).encode();
        assert_eq!(SharedFrame::decode(&journey), Err(ShareError::UnsupportedVersion(2)));
        assert_eq!(SharedJourney::decode(&frame), Err(ShareError::UnsupportedVersion(1)));
        assert_eq!(
            ShareError::UnsupportedVersion(2).to_string(),
            "This link carries a journey (format version 2), not one frame."
        );
        assert!(matches!(super::super::Shared::decode(&frame), Ok(super::super::Shared::Frame(_))));
        assert_eq!(super::super::Shared::decode("#share=v9.AAAA"), Err(ShareError::UnsupportedVersion(9)));
        assert_eq!(super::super::Shared::decode("#share=hello"), Err(ShareError::MissingVersion));
        assert_eq!(super::super::Shared::decode(""), Err(ShareError::Empty));
    }
}
