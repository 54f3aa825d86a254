//! Ticket text: one frame's diagnosis as Markdown for a bug tracker (and a
//! journey's: its sightings, changes and loss, then each frame's anatomy as
//! the frame report writes it), and the Wireshark/tshark settings and display
//! filter that show the same bytes.
//!
//! Pure functions of a [`FrameAnalysis`], the frame's bytes (for the regions'
//! hex) and the [`Settings`]; the web app and any other face only copy them.
//!
//! Wireshark preference names were checked against Wireshark's sources
//! (`epan/dissectors/packet-eth.c`, `packet-vssmonitoring.c`) and run with
//! tshark 4.0.17 on the example captures: `eth.fcs` (`heuristic`, `never`,
//! `always`; it replaced the boolean `eth.assume_fcs`, which 4.0 rejects as
//! obsolete), `eth.check_fcs`, `eth.padding` (`never`, `zeros`, `any`),
//! `vssmonitoring.dissect_portstamping_only`, `vssmonitoring.two_byte_portstamps`
//! and the `eth.trailer` heuristic `vssmonitoring_eth`.

use crate::explain::share::SharedJourney;
use crate::frame::analysis::{analyze, FrameAnalysis};
use crate::frame::finding::Finding;
use crate::frame::ledger::{FcsStatus, Region, RegionKind};
use crate::frame::vendor::Vendor;
use crate::settings::{FcsMode, Settings};
use crate::text::seconds;
use crate::text::{count, plural, thousands};
use crate::wire::ethernet;
use crate::wire::link::LinkKind;

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

/// One Wireshark preference that matters for this frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preference {
    /// As `tshark -o` spells it: `eth.check_fcs`.
    pub name: &'static str,
    pub value: &'static str,
    /// Where the GUI has it.
    pub gui: &'static str,
    /// Why it matters for this frame.
    pub why: String,
}

/// How to look at the same bytes in Wireshark or tshark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WiresharkView {
    pub frame_number: u64,
    /// `frame.number == N`.
    pub display_filter: String,
    /// Frames with the same kind of bytes after the datagram, if any.
    pub similar_filter: Option<String>,
    /// The fields where Wireshark shows this frame's regions.
    pub fields: Vec<&'static str>,
    pub preferences: Vec<Preference>,
    /// Heuristic dissectors to turn off (`--disable-heuristic`).
    pub disabled_heuristics: Vec<Heuristic>,
    /// What Wireshark will show differently from Framelens, in sentences.
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heuristic {
    pub short_name: &'static str,
    pub gui: &'static str,
    pub why: String,
}

/// The Wireshark preferences, heuristics and filters for one frame.
/// `frame` is the captured bytes the analysis was made from.
pub fn wireshark(a: &FrameAnalysis, frame: &[u8], settings: &Settings) -> WiresharkView {
    let l = &a.ledger;
    let mut v = WiresharkView {
        frame_number: a.number,
        display_filter: format!("frame.number == {}", a.number),
        similar_filter: None,
        fields: Vec::new(),
        preferences: Vec::new(),
        disabled_heuristics: Vec::new(),
        notes: Vec::new(),
    };
    if a.dissection.link != LinkKind::Ethernet {
        v.notes.push(format!(
            "This frame's link layer is {}, not Ethernet: Wireshark's Ethernet FCS, padding and trailer preferences do not apply to it.",
            link_words(a.dissection.link)
        ));
        return v;
    }
    // After an 802.1Q tag Wireshark's VLAN dissector, not the Ethernet one,
    // reports what follows the datagram (and a valid FCS it did not assume).
    let trailer_field = if l.tags > 0 { "vlan.trailer" } else { "eth.trailer" };

    let fcs_region = l.region(RegionKind::Fcs);
    match settings.fcs {
        FcsMode::Present => v.preferences.push(Preference {
            name: "eth.fcs",
            value: "always",
            gui: GUI_ETH_FCS,
            why: "Framelens was told every frame ends with an FCS; this tells Wireshark the same (for every frame whose file format does not say).".into(),
        }),
        FcsMode::Absent => v.preferences.push(Preference {
            name: "eth.fcs",
            value: "never",
            gui: GUI_ETH_FCS,
            why: "Framelens was told no frame has an FCS; this tells Wireshark the same.".into(),
        }),
        FcsMode::Auto if l.flags.has(Finding::FcsUnannounced) => {
            v.preferences.push(Preference {
                name: "eth.fcs",
                value: "always",
                gui: GUI_ETH_FCS,
                why: format!(
                    "The last 4 bytes are a valid CRC-32, but the capture does not say frames carry an FCS, so Wireshark guesses{}. Set it only if the whole capture kept its FCSs: it applies to every frame whose file format does not say.",
                    if l.tags > 0 { " and, after the VLAN tag, shows them as vlan.trailer" } else { "" }
                ),
            });
        }
        FcsMode::Auto => {}
    }
    if let Some(r) = fcs_region {
        v.preferences.push(Preference {
            name: "eth.check_fcs",
            value: "TRUE",
            gui: GUI_ETH_CHECK_FCS,
            why: format!(
                "Wireshark does not check the FCS by default; with this it shows \"[FCS Status: {}]\" for bytes {}–{}.",
                if r.valid == Some(true) { "Good" } else { "Bad" },
                r.start,
                r.end() - 1
            ),
        });
        v.fields.extend(["eth.fcs", "eth.fcs.status"]);
        v.similar_filter =
            Some(if r.valid == Some(true) { "eth.fcs.status == 1" } else { "eth.fcs.status == 0" }.into());
    } else if l.fcs == FcsStatus::Unknown {
        v.notes.push("The FCS was not captured (snaplen), so Wireshark cannot check it either.".into());
    }

    if let Some(p) = l.region(RegionKind::Padding) {
        v.fields.push("eth.padding");
        if p.nonzero == Some(true) {
            v.preferences.push(Preference {
                name: "eth.padding",
                value: "any",
                gui: GUI_ETH_PADDING,
                why: format!(
                    "By default (Zeros) Wireshark takes only zero bytes as padding, so it shows these {} non-zero padding bytes as {trailer_field}, where trailer heuristics may misread them.",
                    p.len
                ),
            });
        } else {
            v.similar_filter.get_or_insert_with(|| "eth.padding".into());
        }
        // Wireshark pads to 60 bytes whatever the tags (IEEE 802.1Q G.2.3
        // lets a bridge pad a tagged frame to 64).
        let wireshark_pad_end = a.dissection.fcs_base + ethernet::MIN_FRAME_LEN as u32;
        if p.end() > wireshark_pad_end && l.tags > 0 {
            let from = p.start.max(wireshark_pad_end);
            v.notes.push(format!(
                "Wireshark pads only up to 60 bytes, so it shows padding bytes {from}–{} (up to the {}-byte minimum of a frame with {} tag{}) as vlan.trailer.",
                p.end() - 1,
                l.pad_limit,
                l.tags,
                plural(l.tags)
            ));
            if !v.fields.contains(&"vlan.trailer") {
                v.fields.push("vlan.trailer");
            }
        }
    }

    if let Some(r) = l.region(RegionKind::Vendor) {
        let (field, name) = match r.vendor {
            Some(Vendor::F5) => ("f5ethtrailer", "F5 Ethernet trailer"),
            Some(Vendor::Ixia) => ("ixiatrailer", "Ixia trailer"),
            None => (trailer_field, "trailer"),
        };
        v.fields.push(field);
        v.similar_filter = Some(field.into());
        v.notes.push(format!("Wireshark's {name} dissector reads bytes {}–{} as well.", r.start, r.end() - 1));
    }

    if let Some(t) = l.region(RegionKind::Trailer) {
        if !v.fields.contains(&trailer_field) {
            v.fields.push(trailer_field);
        }
        let bytes = frame.get(t.start as usize..t.end() as usize).unwrap_or(&[]);
        // A byte-string filter finds the frames with exactly these bytes, the
        // pattern of one sender's driver.
        v.similar_filter = Some(if !bytes.is_empty() && bytes.len() <= 16 {
            let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
            format!("{trailer_field} == {}", hex.join(":"))
        } else {
            trailer_field.into()
        });
        if t.len <= 2 {
            let port = bytes.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b));
            v.preferences.push(Preference {
                name: "vssmonitoring.dissect_portstamping_only",
                value: "FALSE",
                gui: GUI_VSS_PORTSTAMP_ONLY,
                why: format!(
                    "Keep it off (the current default). On{}, Wireshark reads {} trailing byte{} as a VSS-Monitoring port stamp and shows \"Source Port: {port}\", as older releases did by default: a misreading unless a VSS monitoring fabric sits between the wire and the capture, which nothing in the bytes proves.",
                    if t.len == 2 { " together with two_byte_portstamps" } else { "" },
                    t.len,
                    plural(t.len)
                ),
            });
            if t.len == 2 {
                v.preferences.push(Preference {
                    name: "vssmonitoring.two_byte_portstamps",
                    value: "FALSE",
                    gui: GUI_VSS_TWO_BYTE,
                    why: "Keep it off (the default): on, with port-stamp-only trailers, it turns exactly 2 trailing bytes into a \"Source Port\".".into(),
                });
            }
            v.disabled_heuristics.push(Heuristic {
                short_name: "vssmonitoring_eth",
                gui: GUI_VSS_HEURISTIC,
                why: "Whatever the preferences, no VSS-Monitoring reading of these bytes.".into(),
            });
        }
    }
    v
}

impl WiresharkView {
    /// A tshark command line that shows this frame in detail with the
    /// preferences above. `capture` is the file name as the user has it.
    pub fn tshark_command(&self, capture: &str) -> String {
        let mut c = format!("tshark -r {}", shell_quote(capture));
        for p in &self.preferences {
            c.push_str(&format!(" -o {}:{}", p.name, p.value));
        }
        for h in &self.disabled_heuristics {
            c.push_str(&format!(" --disable-heuristic {}", h.short_name));
        }
        c.push_str(&format!(" -Y {} -V -x", shell_quote(&self.display_filter)));
        c
    }

    /// A tshark command line that lists, for every frame, the fields where
    /// Wireshark shows what follows the datagram: to compare with Framelens.
    pub fn tshark_fields_command(&self, capture: &str) -> String {
        let mut c = format!("tshark -r {}", shell_quote(capture));
        for p in &self.preferences {
            c.push_str(&format!(" -o {}:{}", p.name, p.value));
        }
        for h in &self.disabled_heuristics {
            c.push_str(&format!(" --disable-heuristic {}", h.short_name));
        }
        c.push_str(" -T fields -e frame.number -e frame.len");
        for f in &self.fields {
            c.push_str(&format!(" -e {f}"));
        }
        c
    }

    /// Everything as plain text, for the clipboard.
    pub fn text(&self, capture: &str) -> String {
        let mut t = format!("Wireshark display filter:\n  {}\n", self.display_filter);
        if let Some(f) = &self.similar_filter {
            t.push_str(&format!("Frames with the same kind of bytes after the datagram:\n  {f}\n"));
        }
        if self.preferences.is_empty() && self.disabled_heuristics.is_empty() {
            t.push_str("\nNo preference needs changing for this frame.\n");
        }
        if !self.preferences.is_empty() {
            t.push_str("\nPreferences:\n");
            for p in &self.preferences {
                t.push_str(&format!("  {}: {}\n    GUI: {}\n    Why: {}\n", p.name, p.value, p.gui, p.why));
            }
        }
        if !self.disabled_heuristics.is_empty() {
            t.push_str("\nHeuristic dissectors to turn off:\n");
            for h in &self.disabled_heuristics {
                t.push_str(&format!("  {}\n    GUI: {}\n    Why: {}\n", h.short_name, h.gui, h.why));
            }
        }
        if !self.notes.is_empty() {
            t.push_str("\nNotes:\n");
            for n in &self.notes {
                t.push_str(&format!("  - {n}\n"));
            }
        }
        t.push_str(&format!("\ntshark, this frame in detail:\n  {}\n", self.tshark_command(capture)));
        if !self.fields.is_empty() {
            t.push_str(&format!("tshark, every frame's extra bytes:\n  {}\n", self.tshark_fields_command(capture)));
        }
        t
    }
}

const GUI_ETH_FCS: &str = "Edit › Preferences › Protocols › Ethernet › Assume packets have FCS";
const GUI_ETH_CHECK_FCS: &str =
    "Edit › Preferences › Protocols › Ethernet › Validate the Ethernet checksum if possible";
const GUI_ETH_PADDING: &str =
    "Edit › Preferences › Protocols › Ethernet › Assume padding for short frames with trailer";
const GUI_VSS_PORTSTAMP_ONLY: &str =
    "Edit › Preferences › Protocols › VSS Monitoring › Dissect trailers with only port stamping";
const GUI_VSS_TWO_BYTE: &str = "Edit › Preferences › Protocols › VSS Monitoring › Two byte port stamps";
const GUI_VSS_HEURISTIC: &str =
    "Analyze › Enabled Protocols… › VSS Monitoring › untick vssmonitoring_eth (VSS Monitoring ethernet trailer)";

/// POSIX shell single quotes, unless the word needs none.
fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// A sentence made safe for one Markdown table cell or list item.
fn cell(s: &str) -> String {
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

fn link_words(k: LinkKind) -> &'static str {
    match k {
        LinkKind::LinuxSll => "a Linux cooked header (SLL)",
        LinkKind::LinuxSll2 => "a Linux cooked header (SLL2)",
        LinkKind::Ethernet => "Ethernet",
        LinkKind::Unsupported => "a link type Framelens does not dissect",
        _ => "raw IP or loopback",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::{read_all, OwnedFrame};
    use crate::frame::analysis::analyze;
    use crate::settings::DeviceRule;

    fn frame(path: &str, number: u64) -> OwnedFrame {
        let bytes = std::fs::read(format!("../static/examples/{path}")).unwrap();
        let mut out = None;
        read_all(&bytes, |p| {
            if p.number == number {
                out = Some(OwnedFrame::from_packet(&p));
            }
        });
        out.unwrap_or_else(|| panic!("{path} has no frame {number}"))
    }

    fn report(path: &str, number: u64, s: &Settings, note: &str) -> (String, WiresharkView) {
        let p = frame(path, number);
        let a = analyze(&p.packet(), s);
        (markdown(&a, &p.data, s, note), wireshark(&a, &p.data, s))
    }

    const STORY_MD: &str = "## Frame 15: 1,520 bytes captured, 2 unexplained

> Every frame from the USB NIC ends in 25 7f.
> Ping -s 1472 fails.

| Length | Bytes |
| --- | --- |
| Captured | 1,520 |
| On the wire | 1,520 |
| Explained by the headers | 1,518 |
| After the datagram | 2 |

**Ledger:** `1,520 captured = 14 Ethernet + 4 802.1Q + 1,500 IPv4 datagram (IPv4 total length) + 2 unexplained`

### Bytes after the datagram

| Region | Offsets | Bytes (hex) | Verdict |
| --- | --- | --- | --- |
| trailer | 1518–1519 (2 bytes) | `25 7f` | unexplained |

### Hypotheses, most likely first

1. 2 bytes after the end of the IPv4 datagram (25 7f); not an FCS (that needs 4 bytes), not padding (the frame is over the 64-byte minimum: 802.3's 64 less the FCS, + 4 for the VLAN tag a bridge may insert after padding).
2. Most likely a NIC driver appending bytes (the ax88179_178a driver of ASIX AX88179/178A USB adapters appends 2 to every frame); check the sender's driver with `ethtool -i <dev>`.
3. A 2-byte VSS-Monitoring port stamp (configured for 2; the default is 1) would also fit, but only if a VSS monitoring fabric sits between the wire and this capture; nothing in the bytes proves it (older Wireshark named any 1–2 trailing bytes so).

### MTU

**Dropped.** Open vSwitch (kernel datapath) drops it: L2 payload 1502 bytes (frame minus Ethernet header and one VLAN tag, 2 trailer bytes included) > MTU 1500; it logs \"dropped over-mtu packet: 1502 > 1500\".

The device logs:

```
<dev>: dropped over-mtu packet: 1502 > 1500
```

### Settings

MTU 1500 · device rule Open vSwitch (kernel datapath) (`ovs-kernel`) · FCS auto (the CRC decides) (`auto`)

_Diagnosis by Framelens._
";

    #[test]
    fn story_frame_report_is_the_golden_text() {
        let note = "Every frame from the USB NIC ends in 25 7f.\nPing -s 1472 fails.\n";
        let (md, _) = report("two-bytes.pcap", 15, &Settings::default(), note);
        assert_eq!(md, STORY_MD, "--- got ---\n{md}\n--- want ---\n{STORY_MD}");
    }

    #[test]
    fn story_frame_wireshark_view_turns_off_the_vss_misreading() {
        let (_, w) = report("two-bytes.pcap", 15, &Settings::default(), "");
        assert_eq!(w.display_filter, "frame.number == 15");
        assert_eq!(w.similar_filter.as_deref(), Some("vlan.trailer == 25:7f"), "the trailer follows a VLAN tag");
        let prefs: Vec<(&str, &str)> = w.preferences.iter().map(|p| (p.name, p.value)).collect();
        assert_eq!(
            prefs,
            [("vssmonitoring.dissect_portstamping_only", "FALSE"), ("vssmonitoring.two_byte_portstamps", "FALSE")]
        );
        assert!(w.preferences[0].why.contains("\"Source Port: 9599\""), "0x257f = 9599: {}", w.preferences[0].why);
        assert_eq!(w.disabled_heuristics.iter().map(|h| h.short_name).collect::<Vec<_>>(), ["vssmonitoring_eth"]);
        assert_eq!(
            w.tshark_command("two-bytes.pcap"),
            "tshark -r two-bytes.pcap -o vssmonitoring.dissect_portstamping_only:FALSE -o vssmonitoring.two_byte_portstamps:FALSE --disable-heuristic vssmonitoring_eth -Y 'frame.number == 15' -V -x"
        );
        let text = w.text("two-bytes.pcap");
        assert!(text.contains(
            "GUI: Edit › Preferences › Protocols › VSS Monitoring › Dissect trailers with only port stamping"
        ));
        assert!(!text.contains("eth.check_fcs"), "no FCS on this frame: {text}");
    }

    #[test]
    fn announced_valid_fcs_needs_only_the_check() {
        let (md, w) = report("fcs.pcapng", 1, &Settings::default(), "");
        assert!(
            md.contains("| padding | 54–59 (6 bytes) | `00 00 00 00 00 00` | zero padding up to the 60-byte minimum |"),
            "{md}"
        );
        assert!(md.contains("| fcs | 60–63 (4 bytes) | `7e b2 c3 6b` | FCS, CRC-32 valid |"), "{md}");
        assert!(md.contains("- The frame ends with a valid FCS.\n"), "{md}");
        let prefs: Vec<(&str, &str)> = w.preferences.iter().map(|p| (p.name, p.value)).collect();
        assert_eq!(prefs, [("eth.check_fcs", "TRUE")], "if_fcslen says so: no eth.fcs override");
        assert!(w.preferences[0].why.contains("[FCS Status: Good]\" for bytes 60–63"));
        assert_eq!(w.fields, ["eth.fcs", "eth.fcs.status", "eth.padding"]);
    }

    #[test]
    fn unannounced_fcs_after_a_tag_asks_wireshark_to_assume_it() {
        let (md, w) = report("vntag.pcap", 1, &Settings::default(), "");
        assert!(md.contains("although the capture's metadata did not announce one"), "{md}");
        assert_eq!(w.preferences[0].name, "eth.fcs");
        assert_eq!(w.preferences[0].value, "always", "eth.assume_fcs is obsolete: tshark 4.0 rejects it");
        assert!(w.preferences[0].why.contains("vlan.trailer"));
        assert!(w.tshark_command("vntag.pcap").contains(" -o eth.fcs:always -o eth.check_fcs:TRUE "));
    }

    #[test]
    fn invalid_fcs_with_the_crc_error_flag() {
        let (md, w) = report("fcs.pcapng", 7, &Settings::default(), "");
        assert!(md.contains("| fcs | 1514–1517 (4 bytes) | `9c 46 bf 2d` | FCS, CRC-32 invalid |"), "{md}");
        assert!(md.contains("the capturing NIC flagged a CRC error"));
        assert_eq!(w.similar_filter.as_deref(), Some("eth.fcs.status == 0"));
        assert!(w.preferences[0].why.contains("[FCS Status: Bad]"));
    }

    #[test]
    fn padded_tagged_frame_warns_that_wireshark_pads_to_sixty_only() {
        let (md, w) = report("vlan-qinq.pcap", 2, &Settings::default(), "");
        assert!(
            md.contains(
                "| padding | 56–63 (8 bytes) | `00 00 00 00 00 00 00 00` | zero padding up to the 64-byte minimum |"
            ),
            "{md}"
        );
        assert!(!md.contains("### Findings"), "zero padding is no finding: {md}");
        assert!(w.preferences.is_empty());
        assert_eq!(w.similar_filter.as_deref(), Some("eth.padding"));
        assert_eq!(
            w.notes,
            ["Wireshark pads only up to 60 bytes, so it shows padding bytes 60–63 (up to the 64-byte minimum of a frame with 1 tag) as vlan.trailer."]
        );
        assert!(w.text("x.pcap").contains("No preference needs changing for this frame."));
    }

    #[test]
    fn nonzero_padding_asks_wireshark_to_take_any_padding() {
        let (md, w) = report("etherleak.pcap", 2, &Settings::default(), "");
        assert!(md.contains("`54 54 50 2f 31 2e` | padding up to the 60-byte minimum, not all zero"), "{md}");
        assert!(md.contains("Etherleak, CERT VU#412115"));
        assert_eq!((w.preferences[0].name, w.preferences[0].value), ("eth.padding", "any"));
        assert!(w.preferences[0].why.contains("as eth.trailer"));
    }

    #[test]
    fn settings_change_the_verdict_and_the_preferences() {
        let s = Settings { mtu: 9000, rule: DeviceRule::LinuxBridge, fcs: FcsMode::Absent };
        let (md, w) = report("two-bytes.pcap", 15, &s, "");
        assert!(md.contains("Linux bridge / veth forwards it: frame 1520 bytes on the wire, 1516 without its outer VLAN tag, 2 trailer bytes included ≤ 9018"), "{md}");
        assert!(!md.contains("**Dropped.**") && !md.contains("The device logs"));
        assert!(md.contains("MTU 9000 · device rule Linux bridge / veth (`linux-bridge`) · FCS absent (`absent`)"));
        assert!(!md.starts_with("## Frame 15: 1,520 bytes captured\n\n>"), "no note, no quote");
        assert_eq!((w.preferences[0].name, w.preferences[0].value), ("eth.fcs", "never"));
    }

    #[test]
    fn cooked_frames_get_no_ethernet_preferences() {
        let (_, w) = report("cooked.pcap", 1, &Settings::default(), "");
        assert!(w.preferences.is_empty() && w.disabled_heuristics.is_empty());
        assert!(w.notes[0].contains("Linux cooked header (SLL2)"));
        assert_eq!(
            w.tshark_command("my capture's.pcap"),
            "tshark -r 'my capture'\\''s.pcap' -Y 'frame.number == 1' -V -x"
        );
    }

    #[test]
    fn user_text_cannot_break_the_tables() {
        let (md, _) = report("two-bytes.pcap", 1, &Settings::default(), "a | b\n\n  c");
        assert!(md.contains("> a | b\n>\n>   c\n"), "{md}");
        assert_eq!(cell("x | y\nz"), "x \\| y z");
    }

    #[test]
    fn every_example_frame_gets_a_report_with_each_region() {
        for entry in std::fs::read_dir("../static/examples").unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            read_all(&bytes, |p| {
                let a = analyze(&p, &Settings::default());
                let md = markdown(&a, p.data, &Settings::default(), "");
                let w = wireshark(&a, p.data, &Settings::default());
                assert!(md.contains(&a.equation), "{}: {md}", path.display());
                for r in a.ledger.regions() {
                    assert!(md.contains(&format!("| {} | {}–", r.kind.key(), r.start)), "{}: {md}", path.display());
                }
                assert_eq!(w.display_filter, format!("frame.number == {}", p.number));
            });
        }
    }

    #[test]
    fn the_lost_ping_journey_report_has_its_sightings_changes_loss_and_anatomies() {
        let (j, _) = crate::explain::share::journey::tests::lost_ping();
        let md = journey_markdown(&j);
        assert!(md.starts_with("## Packet #16: seen at 2 points, lost after `controller.pcapng · eth1`\n"), "{md}");
        // The sightings: laptop frame 16 (1,514 bytes, nothing after the
        // datagram), then eth1 frame 29 308 µs later (the estimated clock) with
        // the tag and the 2 bytes; the router port never saw it.
        assert!(md.contains(
            "| Point | Frame | Time | Frame length | Datagram | Extra bytes |\n| --- | --- | --- | --- | --- | --- |\n\
             | `laptop.pcap · 0` | 16 | +0 µs | 1,514 | 1,500 | 0 |\n\
             | `controller.pcapng · eth1` | 29 | +308 µs | 1,520 | 1,500 | 2 |\n\
             | `controller.pcapng · qr-5d0a1c2e-7f` | never seen | | | | |\n"
        ), "{md}");
        assert!(md.contains("- laptop.pcap · 0 → controller.pcapng · eth1: +4 802.1Q tag (VLAN 100)\n- laptop.pcap · 0 → controller.pcapng · eth1: +2 unexplained bytes 25 7f\n"), "{md}");
        assert!(
            md.contains(
                "**Lost after `controller.pcapng · eth1`:** never seen at `controller.pcapng · qr-5d0a1c2e-7f`"
            ),
            "{md}"
        );
        assert!(
            md.contains(
                "- 3 packets reach `controller.pcapng · eth1` and never reach `controller.pcapng · qr-5d0a1c2e-7f`, on the way from 192.168.10.23 to 192.168.10.150. "
            ),
            "{md}"
        );
        // Each sighting's anatomy, as the single-frame report writes it, one heading level down.
        let eth1 = md.split("### 2. `controller.pcapng · eth1`, frame 29\n\n").nth(1).expect("the second sighting");
        assert!(eth1.contains("**Ledger:** `1,520 captured = 14 Ethernet + 4 802.1Q + 1,500 IPv4 datagram (IPv4 total length) + 2 unexplained`"));
        assert!(eth1.contains("#### Bytes after the datagram\n\n| Region | Offsets | Bytes (hex) | Verdict |\n| --- | --- | --- | --- |\n| trailer | 1518–1519 (2 bytes) | `25 7f` | unexplained |\n"));
        assert!(
            eth1.contains("#### MTU\n\n**Dropped.** Open vSwitch (kernel datapath) drops it: L2 payload 1502 bytes")
        );
        let laptop = md.split("### 1. `laptop.pcap · 0`, frame 16\n\n").nth(1).unwrap();
        assert!(
            laptop.starts_with("| Length | Bytes |") && !laptop[..laptop.find("### 2.").unwrap()].contains("Dropped")
        );
        assert!(md.contains("Payload bytes are zeros in the shared frames (headers only)"));
        assert!(md.ends_with("MTU 1500 · device rule Open vSwitch (kernel datapath) (`ovs-kernel`) · FCS auto (the CRC decides) (`auto`)\n\n_Diagnosis by Framelens._\n"));
        // The same report from the link's frames: a reader of the link gets it too.
        let back = crate::explain::share::SharedJourney::decode(&j.encode().unwrap()).unwrap();
        assert_eq!(journey_markdown(&back), md);
    }
}
