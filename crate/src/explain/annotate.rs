//! Framelens' verdict on one frame in one line, for a pcapng `opt_comment`
//! that Wireshark shows as `frame.comment` (`framelens --annotate`), and the
//! cut `--trim` makes: the bytes after the datagram, so that tools that choke
//! on trailers see clean frames, with the comment keeping what was cut.
//!
//! Made from the frame's [`FrameAnalysis`] only: the same regions, findings
//! and MTU verdict the anatomy and the human summary show, in short words.

use crate::capture::write::{PcapngWriter, WriteError};
use crate::capture::Frame;
use crate::frame::analysis::{analyze, hex, FrameAnalysis};
use crate::frame::dissect::Dissection;
use crate::frame::finding::Finding;
use crate::frame::ledger::{Ledger, Region, RegionKind};
use crate::frame::mtu::drops;
use crate::scan::record::FrameRecord;
use crate::settings::Settings;
use crate::text::thousands;
use crate::wire::Layer;
use serde::{Deserialize, Serialize};
use std::io::Write;

/// Whether a frame has something to say: a [notable](Finding::is_notable) finding, or the MTU
/// rule drops it. Decided from the scan's record, so that only these frames
/// are analysed in full.
pub fn worth_a_comment(r: &FrameRecord, s: &Settings) -> bool {
    r.ledger.flags.iter().any(Finding::is_notable) || drops(&r.mtu, s)
}

/// The verdict in one line: every region after the datagram with its
/// offsets and bytes, what else the ledger found, and the MTU rule's drop
/// with the device's log line ("2 unexplained bytes after the IPv4 datagram
/// at 1518–1519 (25 7f); Open vSwitch (kernel datapath) drops it: <dev>:
/// dropped over-mtu packet: 1502 > 1500"). A frame with nothing to say gets its
/// ledger equation.
pub fn comment(a: &FrameAnalysis, data: &[u8]) -> String {
    let l = &a.ledger;
    let d = &a.dissection;
    let mut parts: Vec<String> = regions_in_order(a).map(|r| region_words(r, d, data)).collect();
    if l.flags.has(Finding::Truncated) {
        parts.push(format!(
            "snaplen cut: {} of {} bytes captured",
            thousands(l.caplen.into()),
            thousands(l.len.into())
        ));
    }
    let short = [
        (Finding::TsoZeroLength, "IPv4 total length 0 (TSO on the sender)"),
        (Finding::Ipv6ZeroLength, "IPv6 payload length 0 without a Jumbo option"),
        (Finding::LengthClaimOverrun, "a length field claims more than the frame had on the wire"),
        (Finding::InnerLengthMismatch, "an inner length field disagrees with its outer layer"),
        (Finding::CrcErrorFlag, "the capturing NIC flagged a CRC error"),
        (Finding::FcsUnknown, "the FCS was not captured"),
        (Finding::FcsMetadataContradicted, "the capture announced an FCS the CRC does not confirm"),
    ];
    for (f, words) in short {
        if l.flags.has(f) {
            parts.push(words.to_string());
        }
    }
    if l.flags.has(Finding::UnsupportedLink) {
        parts.push("link type not dissected".into());
    } else if l.flags.has(Finding::ContradictoryLength) || l.flags.has(Finding::EndUnknown) {
        // The analysis' own sentence names the field, the offset and the numbers.
        if let Some(s) = a.findings.iter().find(|s| s.starts_with("Dissection stopped")) {
            parts.push(s.trim_end_matches('.').to_string());
        }
    }
    if a.mtu.dropped {
        parts.push(match &a.mtu.log {
            Some(log) => format!("{} drops it: {log}", a.mtu.rule.name()),
            None => format!("{} drops it: {} > {}", a.mtu.rule.name(), a.mtu.measured, a.mtu.limit),
        });
    }
    if parts.is_empty() {
        return a.equation.clone();
    }
    parts.join("; ")
}

fn regions_in_order(a: &FrameAnalysis) -> impl Iterator<Item = &Region> {
    let mut rs: Vec<&Region> = a.ledger.regions().collect();
    rs.sort_by_key(|r| r.start);
    rs.into_iter()
}

fn bytes<'a>(r: &Region, data: &'a [u8]) -> &'a [u8] {
    data.get(r.start as usize..r.end() as usize).unwrap_or(&[])
}

fn plural(n: u32, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn datagram(d: &Dissection) -> &'static str {
    match d.datagram.map(|g| g.layer) {
        Some(Layer::Ipv4) => "IPv4 datagram",
        Some(Layer::Ipv6) => "IPv6 packet",
        Some(Layer::Arp) => "ARP packet",
        Some(Layer::Llc) => "LLC payload",
        Some(Layer::Pppoe) => "PPPoE payload",
        Some(Layer::Lldp) => "LLDPDU",
        Some(Layer::Macsec) => "MACsec secure data",
        _ => "datagram",
    }
}

fn region_words(r: &Region, d: &Dissection, data: &[u8]) -> String {
    let at = format!("at {}–{}", r.start, r.end().saturating_sub(1));
    let b = hex(bytes(r, data));
    match r.kind {
        RegionKind::Trailer => {
            format!("{} after the {} {at} ({b})", plural(r.len, "unexplained byte"), datagram(d))
        }
        RegionKind::Padding if r.nonzero == Some(true) => {
            format!("{} of padding {at}, not all zero ({b}): leaked memory?", plural(r.len, "byte"))
        }
        RegionKind::Padding => format!("{} of padding {at}", plural(r.len, "byte")),
        RegionKind::Fcs if r.valid == Some(true) => format!("valid FCS {at} ({b})"),
        RegionKind::Fcs => format!("invalid FCS {at} ({b})"),
        RegionKind::Icv => format!("MACsec ICV {at}"),
        RegionKind::Vendor => {
            format!("{} of {} {at}", r.vendor.map_or("vendor trailer", |v| v.name()), plural(r.len, "byte"))
        }
    }
}

/// What `--trim` cuts besides unexplained trailers, which it always cuts.
/// A MACsec ICV is never cut: it is part of the secured frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrimKinds {
    pub padding: bool,
    pub fcs: bool,
    pub vendor: bool,
}

impl TrimKinds {
    /// The kinds a comma-separated list names (`trailer`, `padding`, `fcs`,
    /// `vendor`, `all`); `trailer` is accepted for clarity, as it is always cut.
    pub fn from_list(s: &str) -> Result<TrimKinds, String> {
        let mut k = TrimKinds::default();
        for word in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match word {
                "trailer" => {}
                "padding" => k.padding = true,
                "fcs" => k.fcs = true,
                "vendor" => k.vendor = true,
                "all" => k = TrimKinds { padding: true, fcs: true, vendor: true },
                other => {
                    return Err(format!("unknown kind `{other}` (kinds: trailer, padding, fcs, vendor, all)"));
                }
            }
        }
        Ok(k)
    }

    fn cuts(self, kind: RegionKind) -> bool {
        match kind {
            RegionKind::Trailer => true,
            RegionKind::Padding => self.padding,
            RegionKind::Fcs => self.fcs,
            RegionKind::Vendor => self.vendor,
            RegionKind::Icv => false,
        }
    }
}

/// What `--trim` does to one frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trim {
    /// Captured bytes kept (the frame's first `keep`).
    pub keep: u32,
    /// Bytes cut from the end (the captured and the original length both lose them).
    pub cut: u32,
    /// For the comment: what was cut, or why an unexplained trailer was not.
    pub note: String,
}

/// The cut for one frame (from its ledger: the scan's record has it, so
/// no frame needs a full analysis to be trimmed): the regions at the frame's end, from the last
/// one back, as long as each is a kind to cut and they are contiguous. A
/// region of a kind to keep stops it (bytes are only ever cut from the end,
/// so that what stays is the frame as captured, shorter), and a trailer
/// before it stays, said in the note. `None` when there is nothing to cut
/// or to say.
pub fn trim(l: &Ledger, data: &[u8], kinds: TrimKinds) -> Option<Trim> {
    let mut rs: Vec<&Region> = l.regions().collect();
    rs.sort_by_key(|r| r.start);
    let mut end = l.caplen;
    let mut cut: Vec<&Region> = Vec::new();
    let mut blocker = None;
    for r in rs.iter().rev() {
        if r.end() != end || !kinds.cuts(r.kind) {
            blocker = Some(*r);
            break;
        }
        end = r.start;
        cut.push(r);
    }
    let kept_trailer = rs.iter().find(|r| r.kind == RegionKind::Trailer && r.start < end);
    if cut.is_empty() {
        let (t, b) = (kept_trailer?, blocker?);
        return Some(Trim {
            keep: l.caplen,
            cut: 0,
            note: format!(
                "not trimmed: the {} sit before the {} (add `{}` to --trim)",
                plural(t.len, "unexplained byte"),
                b.kind.word(),
                b.kind.key()
            ),
        });
    }
    let n = l.caplen - end;
    let cut_bytes = data.get(end as usize..l.caplen as usize).unwrap_or(&[]);
    let words: Vec<&str> = cut.iter().rev().map(|r| r.kind.word()).collect();
    Some(Trim {
        keep: end,
        cut: n,
        note: format!("trimmed {} {} after the datagram ({})", plural(n, "byte"), hex(cut_bytes), words.join(" + ")),
    })
}

/// What an annotated pcapng says and cuts: both faces' choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnotateOptions {
    /// Comment every frame (a frame with nothing to say gets its ledger equation).
    pub all: bool,
    /// Cut the bytes after the datagram ([`trim`]); `None`: write the frames unchanged.
    pub trim: Option<TrimKinds>,
}

/// The annotated pcapng being written: each frame given to it, cut if asked,
/// with a comment when it has something to say. The CLI's `--annotate` and
/// the web app's download both write through it, so the two files agree.
pub struct Annotator<W: Write> {
    writer: PcapngWriter<W>,
    options: AnnotateOptions,
    /// Frames given a comment so far.
    commented: u64,
}

impl<W: Write> Annotator<W> {
    pub fn new(out: W, options: AnnotateOptions) -> Self {
        Annotator { writer: PcapngWriter::new(out), options, commented: 0 }
    }

    /// Writes one frame (`r` its scan record).
    pub fn write(&mut self, r: &FrameRecord, p: &Frame<'_>, s: &Settings) -> Result<(), WriteError> {
        let cut = self.options.trim.and_then(|k| trim(&r.ledger, p.data, k));
        // Only frames that get a comment are analysed in full.
        let text = (self.options.all || cut.is_some() || worth_a_comment(r, s)).then(|| {
            let verdict = comment(&analyze(p, s), p.data);
            match &cut {
                Some(t) => format!("{verdict}; {}", t.note),
                None => verdict,
            }
        });
        let mut frame = *p;
        if let Some(t) = cut.as_ref().filter(|t| t.cut > 0) {
            frame.data = p.data.get(..t.keep as usize).unwrap_or(p.data);
            frame.original_len = p.original_len.saturating_sub(t.cut);
        }
        self.writer.write_frame(&frame, text.as_deref())?;
        self.commented += u64::from(text.is_some());
        Ok(())
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.writer.frames()
    }

    /// Frames given a comment so far.
    pub fn commented(&self) -> u64 {
        self.commented
    }

    /// Ends the file; hands back the output.
    pub fn finish(self) -> Result<W, WriteError> {
        self.writer.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::{read_all, OwnedFrame};
    use crate::scan::scan_bytes;

    fn frames(path: &str) -> Vec<OwnedFrame> {
        let bytes = std::fs::read(format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let mut out = Vec::new();
        assert_eq!(read_all(&bytes, |p| out.push(OwnedFrame::from_packet(&p))), None);
        out
    }

    #[test]
    fn the_two_bytes_story_in_one_line() {
        let s = Settings::default();
        let f = &frames("static/examples/two-bytes.pcap")[14];
        let a = analyze(&f.packet(), &s);
        assert_eq!(
            comment(&a, &f.data),
            "2 unexplained bytes after the IPv4 datagram at 1518–1519 (25 7f); \
             Open vSwitch (kernel datapath) drops it: <dev>: dropped over-mtu packet: 1502 > 1500"
        );
        let t = trim(&a.ledger, &f.data, TrimKinds::default()).unwrap();
        assert_eq!((t.keep, t.cut), (1518, 2));
        assert_eq!(t.note, "trimmed 2 bytes 25 7f after the datagram (unexplained)");
    }

    #[test]
    fn only_frames_with_something_to_say_are_worth_a_comment() {
        let s = Settings::default();
        let bytes = std::fs::read(format!("{}/../static/examples/two-bytes.pcap", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let mut worth = Vec::new();
        scan_bytes(&bytes, s, |r| {
            if worth_a_comment(r, &s) {
                worth.push(r.number);
            }
        });
        // The ten frames from the driver with the trailer (odd numbers, then the three dropped requests).
        assert_eq!(worth, [1, 3, 5, 7, 9, 11, 13, 15, 16, 17]);
        // A reply without a trailer has nothing to say: its comment, if asked for, is the equation.
        let f = &frames("static/examples/two-bytes.pcap")[1];
        let a = analyze(&f.packet(), &s);
        assert!(
            comment(&a, &f.data).starts_with(&format!("{} captured = 14 Ethernet", f.data.len())),
            "{}",
            comment(&a, &f.data)
        );
    }

    #[test]
    fn fcs_and_padding_are_cut_only_when_asked_and_only_from_the_end() {
        let s = Settings::default();
        for f in frames("static/examples/fcs.pcapng") {
            let a = analyze(&f.packet(), &s);
            let Some(fcs) = a.ledger.region(RegionKind::Fcs) else { continue };
            assert!(comment(&a, &f.data).contains("FCS at"), "{}", comment(&a, &f.data));
            assert_eq!(trim(&a.ledger, &f.data, TrimKinds::default()).map(|t| t.cut).unwrap_or(0), 0);
            let t = trim(&a.ledger, &f.data, TrimKinds { fcs: true, padding: true, vendor: false }).unwrap();
            assert!(t.keep <= fcs.start && t.cut >= 4, "{t:?}");
            assert!(t.note.contains("FCS"), "{}", t.note);
        }
        assert_eq!(TrimKinds::from_list("fcs,padding"), Ok(TrimKinds { padding: true, fcs: true, vendor: false }));
        assert!(TrimKinds::from_list("fsc").unwrap_err().contains("unknown kind `fsc`"));
    }
}
