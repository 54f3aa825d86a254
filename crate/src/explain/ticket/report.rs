//! The Markdown report for a bug tracker: one frame's diagnosis (lengths,
//! ledger, the regions' hex, findings, hypotheses, MTU verdict, settings),
//! and a journey's (its sightings, changes and loss, then each frame's anatomy).

use crate::explain::share::SharedJourney;
use crate::frame::analysis::{analyze, FrameAnalysis};
use crate::frame::ledger::{Region, RegionKind};
use crate::settings::{FcsMode, Settings};
use crate::text::seconds;
use crate::text::{count, plural, thousands};

/// Bytes of a region shown in full in the report; longer ones are cut.
const HEX_SHOWN: usize = 32;

/// The Markdown report of one frame's diagnosis. `frame` is the captured
/// bytes the analysis was made from; `note` the user's words (may be empty).
pub fn markdown(a: &FrameAnalysis, frame: &[u8], settings: &Settings, note: &str) -> String {
    let l = &a.ledger;
    let mut md = String::new();
    let headline = match (l.bytes_of(RegionKind::Trailer), l.truncated) {
        (0, 0) => String::new(),
        (0, t) => format!(", {} not captured", thousands(t.into())),
        (n, _) => format!(", {n} unexplained"),
    };
    md.push_str(&format!("## Frame {}: {} bytes captured{headline}\n\n", a.number, thousands(l.caplen.into())));
    quote(&mut md, note);
    anatomy(&mut md, a, frame, "###");
    settings_section(&mut md, settings);
    md.push_str("\n_Diagnosis by Framelens._\n");
    md
}

/// The user's note as a Markdown quote, then a blank line (nothing if empty).
fn quote(md: &mut String, note: &str) {
    let note = note.trim();
    if note.is_empty() {
        return;
    }
    for line in note.lines().map(str::trim_end) {
        md.push_str(if line.is_empty() { ">\n" } else { "> " });
        if !line.is_empty() {
            md.push_str(line);
            md.push('\n');
        }
    }
    md.push('\n');
}

/// One frame's anatomy in Markdown: its lengths, ledger, the regions after
/// the datagram, findings, hypotheses and MTU verdict, under headings of
/// level `h` (`###`).
fn anatomy(md: &mut String, a: &FrameAnalysis, frame: &[u8], h: &str) {
    let l = &a.ledger;
    md.push_str("| Length | Bytes |\n| --- | --- |\n");
    md.push_str(&format!("| Captured | {} |\n", thousands(l.caplen.into())));
    md.push_str(&format!("| On the wire | {} |\n", thousands(l.len.into())));
    md.push_str(&format!(
        "| Explained by the headers | {} |\n",
        l.expected_len().map_or("unknown".to_string(), thousands)
    ));
    if let Some(extra) = l.extra {
        md.push_str(&format!("| After the datagram | {} |\n", thousands(extra.into())));
    }
    md.push_str(&format!("\n**Ledger:** `{}`\n\n", a.equation));

    if l.regions().next().is_some() {
        md.push_str(&format!("{h} Bytes after the datagram\n\n"));
        md.push_str("| Region | Offsets | Bytes (hex) | Verdict |\n| --- | --- | --- | --- |\n");
        for r in l.regions() {
            md.push_str(&format!(
                "| {} | {}–{} ({} byte{}) | `{}` | {} |\n",
                r.kind.key(),
                r.start,
                r.end().saturating_sub(1),
                r.len,
                plural(r.len),
                region_hex(r, frame),
                verdict(r, l.pad_limit)
            ));
        }
        md.push('\n');
    }
    if !a.findings.is_empty() {
        md.push_str(&format!("{h} Findings\n\n"));
        for f in &a.findings {
            md.push_str(&format!("- {}\n", cell(f)));
        }
        md.push('\n');
    }
    if !a.hypotheses.is_empty() {
        md.push_str(&format!("{h} Hypotheses, most likely first\n\n"));
        for (i, h) in a.hypotheses.iter().enumerate() {
            md.push_str(&format!("{}. {}\n", i + 1, cell(h)));
        }
        md.push('\n');
    }
    md.push_str(&format!("{h} MTU\n\n"));
    md.push_str(&format!("{}{}\n", if a.mtu.dropped { "**Dropped.** " } else { "" }, a.mtu.sentence));
    if let Some(log) = &a.mtu.log {
        md.push_str(&format!("\nThe device logs:\n\n```\n{log}\n```\n"));
    }
}

fn settings_section(md: &mut String, settings: &Settings) {
    md.push_str(&format!(
        "\n### Settings\n\nMTU {} · device rule {} (`{}`) · FCS {} (`{}`)\n",
        settings.mtu,
        settings.rule.name(),
        settings.rule.key(),
        fcs_mode_words(settings.fcs),
        settings.fcs.key()
    ));
}

/// The Markdown report of a journey: a table of its sightings (point, frame,
/// time on the first capture's clock, lengths), its changes in words, where
/// it was lost and the path findings about it, then each sighting's anatomy
/// as the single-frame report gives it, and the settings.
pub fn journey_markdown(j: &SharedJourney) -> String {
    let mut md = String::new();
    let points = count(j.seen.len() as u64, "point");
    let fate = match &j.lost {
        Some(l) => format!("seen at {points}, lost after `{}`", cell(&l.after)),
        None => format!("seen at {points}"),
    };
    md.push_str(&format!("## Packet #{}: {fate}\n\n", thousands(j.index + 1)));
    quote(&mut md, &j.note);
    let analyses: Vec<FrameAnalysis> = j.seen.iter().map(|s| analyze(&s.frame.packet(), &j.settings)).collect();
    let t0 = j.seen.first().and_then(|s| s.at_ns());
    md.push_str(
        "| Point | Frame | Time | Frame length | Datagram | Extra bytes |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for (s, a) in j.seen.iter().zip(&analyses) {
        let l = &a.ledger;
        let time = match (s.at_ns(), t0) {
            (Some(t), Some(t0)) => format!("+{}", seconds(t - t0)),
            _ => "unknown".into(),
        };
        let datagram = l.datagram_len().map_or("unknown".into(), |d| thousands(d.into()));
        md.push_str(&format!(
            "| `{}` | {} | {time} | {} | {datagram} | {} |\n",
            cell(&s.point),
            s.frame.frame_number.map_or("?".into(), thousands),
            thousands(l.len.into()),
            l.extra.map_or("unknown".into(), |e| thousands(e.into())),
        ));
    }
    if let Some(l) = &j.lost {
        md.push_str(&format!("| `{}` | never seen | | | | |\n", cell(&l.before)));
    }
    md.push('\n');
    if !j.changes.is_empty() {
        md.push_str("### Changes along the path\n\n");
        for c in &j.changes {
            md.push_str(&format!("- {}\n", cell(c)));
        }
        md.push('\n');
    }
    if let Some(l) = &j.lost {
        md.push_str(&format!(
            "### Lost\n\n**Lost after `{}`:** never seen at `{}`, which the rest of its flow reached.\n\n",
            cell(&l.after),
            cell(&l.before)
        ));
    }
    if !j.findings.is_empty() {
        md.push_str("### What the path diagnosis says about it\n\n");
        for f in &j.findings {
            md.push_str(&format!("- {}\n", cell(f)));
        }
        md.push('\n');
    }
    for (i, (s, a)) in j.seen.iter().zip(&analyses).enumerate() {
        let number = s.frame.frame_number.map_or(String::new(), |n| format!(", frame {}", thousands(n)));
        md.push_str(&format!("### {}. `{}`{number}\n\n", i + 1, cell(&s.point)));
        anatomy(&mut md, a, &s.frame.data, "####");
        md.push('\n');
    }
    if j.headers_only {
        md.push_str("Payload bytes are zeros in the shared frames (headers only); lengths, headers and the bytes after each datagram are as captured.\n");
    }
    settings_section(&mut md, &j.settings);
    md.push_str("\n_Diagnosis by Framelens._\n");
    md
}

/// A sentence made safe for one Markdown table cell or list item.
pub(super) fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn region_hex(r: &Region, frame: &[u8]) -> String {
    let bytes = frame.get(r.start as usize..r.end() as usize).unwrap_or(&[]);
    let mut s: Vec<String> = bytes.iter().take(HEX_SHOWN).map(|b| format!("{b:02x}")).collect();
    if bytes.len() > HEX_SHOWN {
        s.push(format!("… ({} more)", bytes.len() - HEX_SHOWN));
    }
    s.join(" ")
}

fn verdict(r: &Region, pad_limit: u32) -> String {
    match r.kind {
        RegionKind::Padding if r.nonzero == Some(true) => {
            format!("padding up to the {pad_limit}-byte minimum, not all zero (leaked memory?)")
        }
        RegionKind::Padding => format!("zero padding up to the {pad_limit}-byte minimum"),
        RegionKind::Fcs if r.valid == Some(true) => "FCS, CRC-32 valid".into(),
        RegionKind::Fcs => "FCS, CRC-32 invalid".into(),
        RegionKind::Icv => "MACsec ICV (integrity check value)".into(),
        RegionKind::Vendor => r.vendor.map_or("vendor trailer", |v| v.name()).into(),
        RegionKind::Trailer => "unexplained".into(),
    }
}

fn fcs_mode_words(m: FcsMode) -> &'static str {
    match m {
        FcsMode::Auto => "auto (the CRC decides)",
        FcsMode::Present => "present on every frame",
        FcsMode::Absent => "absent",
    }
}
