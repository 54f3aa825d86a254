//! The share flow's state, kept in the app's one reducer ([`crate::state`]):
//! the dialog's draft (privacy choice, note, span) and a shared link that was
//! opened. Everything a link or a report says comes from the core
//! (`framelens::explain::share`, `framelens::explain::ticket`); this only holds the choices.

use framelens::capture::OwnedFrame;
use framelens::explain::share::journey::SharedLoss;
use framelens::explain::share::{Shared, SharedFrame, SharedJourney, MAX_NOTE};
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

/// One sighting of a journey being shared: its point's label, its file's
/// clock offset and its frame as re-read from the file.
#[derive(Clone, Debug, PartialEq)]
pub struct DraftSighting {
    pub point: String,
    pub clock_offset_ns: i64,
    pub packet: Rc<OwnedFrame>,
}

/// The share dialog's choices for one journey (the path view's selected one).
#[derive(Clone, Debug, PartialEq)]
pub struct JourneyDraft {
    pub index: u64,
    pub seen: Vec<DraftSighting>,
    pub changes: Vec<String>,
    pub lost: Option<SharedLoss>,
    pub findings: Vec<String>,
    pub settings: Settings,
    /// Payload bytes of every frame become zeros (the default).
    pub headers_only: bool,
    pub note: String,
}

impl JourneyDraft {
    /// The journey as a link carries it, headers only or not.
    pub fn shared(&self, headers_only: bool) -> SharedJourney {
        let j = SharedJourney::of(
            self.index,
            self.settings,
            headers_only,
            self.seen.iter().map(|s| (s.point.as_str(), s.clock_offset_ns, s.packet.packet())),
            self.changes.clone(),
            self.lost.clone(),
            self.findings.clone(),
        );
        SharedJourney { note: self.note.clone(), ..j }
    }

    /// The link (`page#share=v2.…`), or the core's sentence why it cannot be one.
    pub fn link(&self, page: &str) -> Result<String, String> {
        self.shared(self.headers_only).to_fragment().map(|f| format!("{page}#{f}")).map_err(|e| e.to_string())
    }

    /// Payload bytes the link replaces with zeros, over every frame (0 with full bytes).
    pub fn zeroed(&self) -> u32 {
        if !self.headers_only {
            return 0;
        }
        self.seen.iter().map(|s| SharedFrame::payload_bytes(&s.packet.packet())).sum()
    }

    /// The Markdown report (of the frames as captured, with the note).
    pub fn markdown(&self) -> String {
        ticket::journey_markdown(&self.shared(false))
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
    /// A journey: its sightings' frames as packets for their anatomies.
    Journey {
        journey: Rc<SharedJourney>,
        packets: Vec<Rc<OwnedFrame>>,
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
        Some(match Shared::decode(h) {
            Ok(Shared::Frame(f)) => {
                let packet = Rc::new(OwnedFrame::from_packet(&f.packet()));
                let settings = f.settings;
                SharedPage::Open { frame: Rc::new(f), packet, settings }
            }
            Ok(Shared::Journey(j)) => {
                let packets = j
                    .seen
                    .iter()
                    .map(|s| {
                        let mut p = OwnedFrame::from_packet(&s.frame.packet());
                        p.timestamp_ns = s.time_ns;
                        Rc::new(p)
                    })
                    .collect();
                let settings = j.settings;
                SharedPage::Journey { journey: Rc::new(j), packets, settings }
            }
            Err(e) => SharedPage::Error(e.to_string()),
        })
    }
}
