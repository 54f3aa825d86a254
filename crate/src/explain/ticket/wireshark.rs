//! The Wireshark hand-off: the preferences, heuristics and display filter
//! that make Wireshark or tshark show one frame's bytes as Framelens reads
//! them, and the tshark commands that do it.
//!
//! Wireshark preference names were checked against Wireshark's sources
//! (`epan/dissectors/packet-eth.c`, `packet-vssmonitoring.c`) and run with
//! tshark 4.0.17 on the example captures: `eth.fcs` (`heuristic`, `never`,
//! `always`; it replaced the boolean `eth.assume_fcs`, which 4.0 rejects as
//! obsolete), `eth.check_fcs`, `eth.padding` (`never`, `zeros`, `any`),
//! `vssmonitoring.dissect_portstamping_only`, `vssmonitoring.two_byte_portstamps`
//! and the `eth.trailer` heuristic `vssmonitoring_eth`.

use crate::frame::analysis::FrameAnalysis;
use crate::frame::finding::Finding;
use crate::frame::ledger::{FcsStatus, RegionKind};
use crate::frame::vendor::Vendor;
use crate::settings::{FcsMode, Settings};
use crate::text::plural;
use crate::wire::ethernet;
use crate::wire::link::LinkKind;

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

fn link_words(k: LinkKind) -> &'static str {
    match k {
        LinkKind::LinuxSll => "a Linux cooked header (SLL)",
        LinkKind::LinuxSll2 => "a Linux cooked header (SLL2)",
        LinkKind::Ethernet => "Ethernet",
        LinkKind::Unsupported => "a link type Framelens does not dissect",
        _ => "raw IP or loopback",
    }
}
