//! The share flow's state, kept in the app's one reducer ([`crate::state`]):
//! the dialog's draft (privacy choice, note, span) and a shared link that was
//! opened. Everything a link or a report says comes from the core
//! (`framelens::explain::share`, `framelens::explain::ticket`); this only holds the choices.

use framelens::capture::OwnedFrame;
use framelens::explain::share::{SharedFrame, MAX_NOTE};
use framelens::explain::ticket;
use framelens::frame::analysis::{analyze, FrameAnalysis};
use framelens::frame::ledger::RegionKind;
use framelens::settings::Settings;
use std::rc::Rc;

/// The share dialog's choices for one frame.
#[derive(Clone, Debug, PartialEq)]
pub struct ShareDraft {
    pub packet: Rc<OwnedFrame>,
    pub settings: Settings,
    /// Payload bytes become zeros (the default: the diagnosis does not need them).
    pub headers_only: bool,
    pub note: String,
    /// Frame offsets `[start, end)` the link points the reader at.
    pub span: Option<(u32, u32)>,
}

impl ShareDraft {
    /// A draft for `packet`: headers only, no note, the span of its first
    /// unexplained bytes (else its first region after the datagram).
    pub fn new(packet: Rc<OwnedFrame>, settings: Settings) -> Self {
        let a = analyze(&packet.packet(), &settings);
        let l = &a.ledger;
        let span = l.region(RegionKind::Trailer).or_else(|| l.regions().next()).map(|r| (r.start, r.end()));
        ShareDraft { packet, settings, headers_only: true, note: String::new(), span }
    }

    pub fn shared(&self) -> SharedFrame {
        let mut f = SharedFrame::from_packet(&self.packet.packet(), self.settings, self.headers_only);
        f.note = self.note.clone();
        f.span = self.span.filter(|&(s, e)| s < e && e as usize <= self.packet.data.len());
        f
    }

    /// The link: `page` (the page's address without its fragment) + `#share=v1.…`.
    pub fn link(&self, page: &str) -> String {
        format!("{page}#{}", self.shared().to_fragment())
    }

    /// Payload bytes the link replaces with zeros (0 with full bytes).
    pub fn zeroed(&self) -> u32 {
        if self.headers_only {
            SharedFrame::payload_bytes(&self.packet.packet())
        } else {
            0
        }
    }

    pub fn analysis(&self) -> FrameAnalysis {
        analyze(&self.packet.packet(), &self.settings)
    }

    /// The spans a reader can be pointed at: the regions after the datagram.
    pub fn span_choices(&self) -> Vec<(u32, u32, String)> {
        let a = self.analysis();
        a.ledger
            .regions()
            .map(|r| (r.start, r.end(), format!("{} bytes {}–{} ({})", r.kind.key(), r.start, r.end() - 1, r.len)))
            .collect()
    }

    /// The Markdown report for a ticket (of the frame as captured, with the note).
    pub fn markdown(&self) -> String {
        ticket::markdown(&self.analysis(), &self.packet.data, &self.settings, &self.note)
    }

    /// Wireshark/tshark settings and filter; `capture` is the file's name.
    pub fn wireshark_text(&self, capture: &str) -> String {
        ticket::wireshark(&self.analysis(), &self.packet.data, &self.settings).text(capture)
    }
}

/// Cuts a note to what a link carries, on a character boundary.
pub fn clip_note(note: &str) -> String {
    let mut end = note.len().min(MAX_NOTE);
    while !note.is_char_boundary(end) {
        end -= 1;
    }
    note[..end].to_string()
}

/// A `#share=` link opened in this page.
#[derive(Clone, Debug, PartialEq)]
pub enum SharedPage {
    Open {
        frame: Rc<SharedFrame>,
        /// The frame as a packet for the anatomy.
        packet: Rc<OwnedFrame>,
        /// The reader's settings, starting from the sender's.
        settings: Settings,
    },
    /// The core's sentence for a link that cannot be opened.
    Error(String),
}

impl SharedPage {
    /// `None` when `hash` carries no `share=`.
    pub fn from_hash(hash: &str) -> Option<SharedPage> {
        let h = hash.trim_start_matches('#');
        if !h.split('&').any(|kv| kv.starts_with("share=")) {
            return None;
        }
        Some(match SharedFrame::decode(h) {
            Ok(f) => {
                let packet = Rc::new(OwnedFrame::from_packet(&f.packet()));
                let settings = f.settings;
                SharedPage::Open { frame: Rc::new(f), packet, settings }
            }
            Err(e) => SharedPage::Error(e.to_string()),
        })
    }
}
