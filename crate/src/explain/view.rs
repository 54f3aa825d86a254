//! View model: arranges what the core computed into what a face draws (list
//! rows, the byte map, the layer bar, the legend). No analysis here, and no
//! browser: the web app renders these, and they are tested natively.

use crate::frame::analysis::FrameAnalysis;
use crate::frame::ledger::{FcsStatus, RegionKind};
use crate::frame::mtu::drops;
use crate::scan::record::FrameRecord;
use crate::settings::Settings;
use crate::text::thousands;
use crate::wire::LayerGroup;

/// One row of the frame list, as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub number: u64,
    pub time: String,
    pub lengths: String,
    pub expected: String,
    pub difference: String,
    pub verdict: String,
    /// The chosen rule drops this frame.
    pub dropped: bool,
    /// Some bytes are unexplained.
    pub unexplained: bool,
}

/// Seconds since the first frame, with microseconds.
pub fn relative_time(ts: Option<i64>, first: Option<i64>) -> String {
    match (ts, first) {
        (Some(t), Some(f)) => format!("{:.6}", (t - f) as f64 / 1e9),
        _ => "–".into(),
    }
}

pub fn row(r: &FrameRecord, first_ts: Option<i64>, s: &Settings) -> Row {
    let l = &r.ledger;
    let lengths = if l.caplen == l.len {
        thousands(l.caplen.into())
    } else {
        format!("{} / {}", l.caplen, thousands(l.len.into()))
    };
    let expected = l.expected_len().map_or("?".into(), thousands);
    let difference = match l.expected_len() {
        Some(e) => {
            let d = i128::from(l.caplen) - i128::from(e);
            if d > 0 {
                format!("+{d}")
            } else {
                d.to_string()
            }
        }
        None => "?".into(),
    };
    let dropped = drops(&r.mtu, s);
    let mut parts: Vec<String> = Vec::new();
    for reg in l.regions() {
        parts.push(match reg.kind {
            RegionKind::Padding if reg.nonzero == Some(true) => format!("{} padding (not zero)", reg.len),
            RegionKind::Padding => format!("{} padding", reg.len),
            RegionKind::Fcs if reg.valid == Some(true) => "FCS ok".into(),
            RegionKind::Fcs => "FCS bad".into(),
            RegionKind::Icv => "ICV".into(),
            RegionKind::Vendor => reg.vendor.map_or("vendor trailer".into(), |v| v.name().to_string()),
            RegionKind::Trailer => format!("{} unexplained", reg.len),
        });
    }
    if l.truncated > 0 {
        parts.push(format!("{} cut", thousands(l.truncated.into())));
    }
    if l.fcs == FcsStatus::Unknown {
        parts.push("FCS not captured".into());
    }
    if l.l3_end.is_none() {
        parts.push("end unknown".into());
    }
    if dropped {
        parts.push(format!("dropped at MTU {}", s.mtu));
    }
    if parts.is_empty() {
        parts.push("explained".into());
    }
    Row {
        number: r.number,
        time: relative_time(r.timestamp_ns, first_ts),
        lengths,
        expected,
        difference,
        verdict: parts.join(", "),
        dropped,
        unexplained: l.region(RegionKind::Trailer).is_some(),
    }
}

/// The frame list's column headings, as the web list shows them: the first
/// line of a CSV export.
pub const COLUMNS: [&str; 6] = ["#", "Time (s)", "Captured", "Expected", "Diff", "Verdict"];

/// One field of CSV (RFC 4180): quoted when it holds a comma, a quote or a
/// line break, with quotes doubled.
fn csv_field(out: &mut String, f: &str) {
    if f.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&f.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(f);
    }
}

fn csv_record<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(&mut out, f);
    }
    out.push('\n');
    out
}

/// The CSV header line.
pub fn csv_header() -> String {
    csv_record(COLUMNS)
}

/// A list row as one CSV line, its cells exactly as the list shows them.
pub fn csv_line(r: &Row) -> String {
    let number = r.number.to_string();
    csv_record([number.as_str(), &r.time, &r.lengths, &r.expected, &r.difference, &r.verdict])
}

/// CSS class and legend name of a layer group.
pub const fn group_key(g: LayerGroup) -> &'static str {
    match g {
        LayerGroup::Link => "link",
        LayerGroup::Tag => "tag",
        LayerGroup::Network => "network",
        LayerGroup::Transport => "transport",
        LayerGroup::Tunnel => "tunnel",
        LayerGroup::Payload => "payload",
        LayerGroup::Extra => "extra",
    }
}

pub const LEGEND: [(LayerGroup, &str); 7] = [
    (LayerGroup::Link, "Link header"),
    (LayerGroup::Tag, "Tags, MPLS, PPPoE"),
    (LayerGroup::Network, "Network (IP, ARP)"),
    (LayerGroup::Transport, "Transport"),
    (LayerGroup::Tunnel, "Tunnel"),
    (LayerGroup::Payload, "Payload"),
    (LayerGroup::Extra, "After the datagram"),
];

/// One segment of the proportional bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub label: String,
    pub group: LayerGroup,
    pub start: u32,
    pub end: u32,
}

/// The frame cut into consecutive segments: outer headers, the rest of the
/// datagram, and each region after it. Inner (tunnelled) headers stay inside
/// their datagram's segment.
pub fn segments(a: &FrameAnalysis, caplen: u32) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut at = 0u32;
    let l3_start = a.ledger.l3_start.unwrap_or(u32::MAX);
    for h in a.dissection.headers.iter() {
        if h.depth != 0 || h.start >= l3_start || h.start < at {
            continue;
        }
        let end = (h.start + h.len).min(caplen);
        if end <= h.start {
            continue;
        }
        out.push(Segment { label: h.layer.name().into(), group: h.layer.group(), start: h.start, end });
        at = end;
    }
    let extra_start = a.ledger.regions().map(|r| r.start).min().unwrap_or(caplen).min(caplen);
    if extra_start > at {
        let (label, group) = match a.dissection.datagram {
            Some(g) => (format!("{} datagram", g.layer.name()), g.layer.group()),
            None => ("not dissected".to_string(), LayerGroup::Payload),
        };
        out.push(Segment { label, group, start: at, end: extra_start });
    }
    for r in a.ledger.regions() {
        let layer = r.kind.layer();
        out.push(Segment {
            label: layer.name().into(),
            group: layer.group(),
            start: r.start,
            end: r.end().min(caplen),
        });
    }
    out
}

/// Byte runs `[start, end)` sorted, empty ones dropped, overlapping or
/// touching ones merged: what a hex map outlines.
pub fn merge_runs(mut runs: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    runs.retain(|&(s, e)| s < e);
    runs.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(runs.len());
    for (s, e) in runs {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// For each byte, the index in `a.spans` of the narrowest span covering it.
pub fn byte_owners(a: &FrameAnalysis, caplen: usize) -> Vec<Option<usize>> {
    let mut owner: Vec<Option<usize>> = vec![None; caplen];
    let mut width: Vec<u32> = vec![u32::MAX; caplen];
    for (i, s) in a.spans.iter().enumerate() {
        let w = s.end.saturating_sub(s.start);
        for b in s.start as usize..(s.end as usize).min(caplen) {
            // Regions after the datagram always win: they are the point of the view.
            let region = s.layer.group() == LayerGroup::Extra;
            if region || w < width[b] || owner[b].is_none() {
                owner[b] = Some(i);
                width[b] = if region { 0 } else { w };
            }
        }
    }
    owner
}

/// Bytes per row of the hex map.
pub const HEX_ROW: usize = 16;

/// Fewest whole rows a run of payload must fill to be folded: shorter runs
/// cost less screen than the line that would stand for them.
pub const FOLD_MIN_ROWS: usize = 3;

/// A run of whole hex-map rows that all lie inside one payload span: a face
/// shows it as one line ("… 1,408 payload bytes") until the reader opens it,
/// so the headers, the field list and the bytes after the datagram fit on
/// one screen. `start` and `end` are byte offsets on row boundaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    pub start: u32,
    pub end: u32,
    /// The payload span (index in `FrameAnalysis::spans`) that owns every byte.
    pub span: usize,
}

impl Fold {
    pub const fn len(&self) -> u32 {
        self.end - self.start
    }

    pub const fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// Whether any byte of `start..end` falls inside the fold.
    pub const fn overlaps(&self, start: u32, end: u32) -> bool {
        start < self.end && end > self.start
    }
}

/// The folds of a frame's hex map, in order: maximal runs of at least
/// [`FOLD_MIN_ROWS`] consecutive rows of [`HEX_ROW`] bytes whose every byte
/// is owned (see [`byte_owners`]) by the same payload span. A row that holds
/// a header byte, a byte after the datagram or the frame's last partial row
/// is never folded. `owners` is [`byte_owners`] of the frame.
pub fn folds(a: &FrameAnalysis, owners: &[Option<usize>]) -> Vec<Fold> {
    let payload_row = |row: &[Option<usize>]| match row.first().copied().flatten() {
        Some(k) if a.spans.get(k).is_some_and(|s| s.layer.group() == LayerGroup::Payload) => {
            row.iter().all(|o| *o == Some(k)).then_some(k)
        }
        _ => None,
    };
    let mut out: Vec<Fold> = Vec::new();
    let mut run: Option<(usize, usize, usize)> = None; // (first row, rows, span)
    let close = |run: Option<(usize, usize, usize)>, out: &mut Vec<Fold>| {
        if let Some((first, rows, span)) = run.filter(|r| r.1 >= FOLD_MIN_ROWS) {
            let start = (first * HEX_ROW) as u32;
            out.push(Fold { start, end: start + (rows * HEX_ROW) as u32, span });
        }
    };
    for (i, row) in owners.chunks_exact(HEX_ROW).enumerate() {
        run = match (run, payload_row(row)) {
            (Some((first, rows, span)), Some(k)) if k == span => Some((first, rows + 1, span)),
            (prev, now) => {
                close(prev, &mut out);
                now.map(|k| (i, 1, k))
            }
        };
    }
    close(run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::{read_all, OwnedFrame};
    use crate::frame::analysis::analyze;
    use crate::wire::Layer;

    fn first_packet(path: &str) -> OwnedFrame {
        let bytes = std::fs::read(path).unwrap();
        let mut out = None;
        read_all(&bytes, |p| {
            if out.is_none() {
                out = Some(OwnedFrame::from_packet(&p));
            }
        });
        out.unwrap()
    }

    #[test]
    fn runs_are_sorted_and_merged_and_empty_ones_dropped() {
        assert_eq!(merge_runs(vec![(1518, 1520), (14, 18), (16, 20), (30, 30), (20, 22)]), [(14, 22), (1518, 1520)]);
        assert!(merge_runs(Vec::new()).is_empty());
    }

    #[test]
    fn csv_quotes_cells_with_commas_and_quotes_only() {
        assert_eq!(csv_header(), "#,Time (s),Captured,Expected,Diff,Verdict\n");
        let row = Row {
            number: 15,
            time: "9.000250".into(),
            lengths: "1,520".into(),
            expected: "1,518".into(),
            difference: "+2".into(),
            verdict: "2 unexplained, dropped at MTU 1500 \"x\"".into(),
            dropped: true,
            unexplained: true,
        };
        assert_eq!(
            csv_line(&row),
            "15,9.000250,\"1,520\",\"1,518\",+2,\"2 unexplained, dropped at MTU 1500 \"\"x\"\"\"\n"
        );
    }

    #[test]
    fn udp_trailer_frame_bar_and_bytes() {
        let p = first_packet("../static/examples/udpPacketWithEthernetTrailers.pcap");
        let a = analyze(&p.packet(), &Settings::default());
        let seg = segments(&a, p.data.len() as u32);
        assert_eq!(seg.first().map(|s| (s.start, s.end)), Some((0, 14)));
        assert_eq!(seg.last().map(|s| (s.label.as_str(), s.start, s.end)), Some(("padding", 57, 60)));
        for w in seg.windows(2) {
            assert_eq!(w[0].end, w[1].start, "segments tile the frame: {seg:?}");
        }
        let owners = byte_owners(&a, p.data.len());
        let pad = owners[58].map(|i| a.spans[i].layer);
        assert_eq!(pad, Some(Layer::Padding));
        assert_eq!(owners[0].map(|i| a.spans[i].layer), Some(Layer::Ethernet));
    }

    #[test]
    fn row_text() {
        let bytes = std::fs::read("../static/examples/802.1ad_QinQ.pcap").unwrap();
        let mut recs = Vec::new();
        crate::scan::scan_bytes(&bytes, Settings::default(), |r| recs.push(*r));
        let r = row(&recs[0], recs[0].timestamp_ns, &Settings::default());
        assert_eq!((r.lengths.as_str(), r.expected.as_str(), r.difference.as_str()), ("64", "64", "0"));
        assert_eq!(r.verdict, "14 padding");
        assert_eq!(r.time, "0.000000");
        assert!(!r.dropped && !r.unexplained);
    }

    fn frame_of(path: &str, number: u64) -> OwnedFrame {
        let bytes = std::fs::read(path).unwrap();
        let mut out = None;
        read_all(&bytes, |p| {
            if p.number == number {
                out = Some(OwnedFrame::from_packet(&p));
            }
        });
        out.unwrap()
    }

    #[test]
    fn a_1520_byte_ping_folds_its_payload_rows_and_keeps_headers_and_trailer() {
        let p = frame_of("../static/examples/two-bytes.pcap", 15);
        let a = analyze(&p.packet(), &Settings::default());
        let owners = byte_owners(&a, p.data.len());
        let f = folds(&a, &owners);
        assert_eq!(f.len(), 1, "{f:?}");
        let fold = f[0];
        // Ethernet 14 + IPv4 20 + ICMP 8 end at 42: the row 32..48 holds headers.
        assert_eq!((fold.start, fold.end), (48, 1504), "{fold:?}");
        assert_eq!(a.spans[fold.span].layer, crate::wire::Layer::Payload);
        assert_eq!(fold.len(), 1456);
        // Every folded byte is the payload's; the 2 unexplained bytes at 1518 stay outside.
        assert!((fold.start..fold.end).all(|b| owners[b as usize] == Some(fold.span)));
        assert!(!fold.overlaps(1518, 1520) && fold.overlaps(1000, 1001) && !fold.overlaps(0, 48));
    }

    #[test]
    fn short_payloads_and_frames_without_payload_fold_nothing() {
        // 60 bytes: no three whole rows of payload.
        let p = first_packet("../static/examples/udpPacketWithEthernetTrailers.pcap");
        let a = analyze(&p.packet(), &Settings::default());
        assert_eq!(folds(&a, &byte_owners(&a, p.data.len())), []);
        // Every frame of every example: folds lie on row boundaries, inside payload, apart.
        for name in ["two-bytes.pcap", "vxlan.pcap", "datacenter.pcap", "gro-tso.pcap", "fcs.pcapng"] {
            let bytes = std::fs::read(format!("../static/examples/{name}")).unwrap();
            read_all(&bytes, |p| {
                let a = analyze(&p, &Settings::default());
                let owners = byte_owners(&a, p.data.len());
                let f = folds(&a, &owners);
                for w in f.windows(2) {
                    assert!(w[0].end < w[1].start || w[0].span != w[1].span, "{name} {}: {f:?}", p.number);
                }
                for x in &f {
                    assert!(x.start as usize % HEX_ROW == 0 && x.len() as usize >= FOLD_MIN_ROWS * HEX_ROW);
                    assert!(x.end as usize <= p.data.len());
                    assert_eq!(a.spans[x.span].layer.group(), LayerGroup::Payload, "{name} {}", p.number);
                }
            });
        }
    }
}
