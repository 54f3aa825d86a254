//! What the path view holds: the points of the captures loaded, every journey
//! the worker followed across them (compact, in batches as they came), the
//! filter, the journey selected and its frames read from their files.

use crate::frame_cache::FrameBytes;
use crate::protocol::{PathOutcome, PointView};
use crate::read_progress::Progress;
use crate::share_state::{DraftSighting, JourneyDraft};
use framelens::explain::journey::{columns, JourneyRef, JourneyStore, Seen};
use framelens::explain::share::journey::{findings_about, SharedLoss};
use framelens::path::PathFindingKind;
use framelens::settings::Settings;
use std::rc::Rc;

/// The most journeys the page keeps (about [`framelens::explain::journey::BYTES_PER_JOURNEY`]
/// bytes each: 36 MB at the bound); further ones are counted, not kept.
pub const MAX_JOURNEYS: usize = 500_000;
/// Frames of the selected journeys kept.
const CACHED: usize = 32;

/// Which journeys the path view lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PathFilter {
    #[default]
    All,
    Lost,
    ChangedSize,
}

impl PathFilter {
    pub const ALL: [PathFilter; 3] = [PathFilter::All, PathFilter::Lost, PathFilter::ChangedSize];

    pub const fn label(self) -> &'static str {
        match self {
            PathFilter::All => "All packets",
            PathFilter::Lost => "Lost packets",
            PathFilter::ChangedSize => "Changed size",
        }
    }

    pub const fn key(self) -> &'static str {
        match self {
            PathFilter::All => "all",
            PathFilter::Lost => "lost",
            PathFilter::ChangedSize => "changed",
        }
    }

    pub fn matches(self, j: &JourneyRef<'_>) -> bool {
        match self {
            PathFilter::All => true,
            PathFilter::Lost => j.lost_after().is_some(),
            PathFilter::ChangedSize => j.changed_size(),
        }
    }
}

/// The journeys kept, batch by batch (a batch is never copied again).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Journeys {
    batches: Vec<Rc<JourneyStore>>,
    len: usize,
}

impl Journeys {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn bytes(&self) -> usize {
        self.batches.iter().map(|b| b.bytes()).sum()
    }

    /// Adds a batch's words, up to [`MAX_JOURNEYS`] in all; returns how many were kept.
    pub fn append(&mut self, words: &[u32]) -> Result<usize, String> {
        let mut b = JourneyStore::default();
        let kept = b.append(words, MAX_JOURNEYS.saturating_sub(self.len))?;
        self.len += kept;
        if kept > 0 {
            self.batches.push(Rc::new(b));
        }
        Ok(kept)
    }

    /// The journey at position `i` (in order of first sighting).
    pub fn get(&self, mut i: usize) -> Option<JourneyRef<'_>> {
        for b in &self.batches {
            if i < b.len() {
                return b.get(i);
            }
            i -= b.len();
        }
        None
    }

    pub fn iter_from(&self, from: usize) -> impl Iterator<Item = (usize, JourneyRef<'_>)> {
        (from..self.len).filter_map(move |i| self.get(i).map(|j| (i, j)))
    }

    /// The position of the journey with this index.
    pub fn position(&self, index: u64) -> Option<usize> {
        let mut base = 0;
        for b in &self.batches {
            if let Some(p) = b.position(index) {
                return Some(base + p);
            }
            base += b.len();
        }
        None
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PathState {
    pub id: u32,
    /// The captures followed, in order.
    pub files: Vec<String>,
    /// The points' order the reader chose, as the path was followed with it
    /// (`FILE[:IFACE]` each; empty: the evidence's).
    pub order: Vec<String>,
    pub points: Rc<Vec<PointView>>,
    pub journeys: Journeys,
    /// Journeys beyond [`MAX_JOURNEYS`]: followed and counted, not kept.
    pub not_kept: u64,
    /// Change texts by id.
    pub texts: Rc<Vec<String>>,
    pub progress: Progress,
    pub outcome: Option<Rc<PathOutcome>>,
    pub failed: Option<String>,
    pub filter: PathFilter,
    /// Positions of the journeys the filter lets through.
    pub visible: Rc<Vec<u32>>,
    /// The journey selected (its index).
    pub selected: Option<u64>,
    /// Frames of selected journeys read from their files: ((file, frame number), bytes).
    pub frames: Rc<Vec<((usize, u64), FrameBytes)>>,
}

impl PathState {
    pub fn new(id: u32, files: Vec<String>, order: Vec<String>) -> Self {
        PathState { id, files, order, ..PathState::default() }
    }

    /// The points as columns: in path order once the diagnosis is done, by index before.
    pub fn columns(&self) -> Vec<u16> {
        match &self.outcome {
            Some(o) => columns(self.points.len(), &o.points_in_order, &o.points_in_order_reverse),
            None => (0..self.points.len() as u16).collect(),
        }
    }

    /// The points' order once the column at position `from` is moved to
    /// position `to` (`FILE[:IFACE]` each, as the core writes them), or
    /// `None` when that moves nothing or a point has no name for an order.
    pub fn moved(&self, from: usize, to: usize) -> Option<Vec<String>> {
        let mut columns = self.columns();
        if from == to || from >= columns.len() || to >= columns.len() {
            return None;
        }
        let c = columns.remove(from);
        columns.insert(to, c);
        columns
            .iter()
            .map(|&c| self.points.get(usize::from(c)).map(|p| p.spec.clone()).filter(|s| !s.is_empty()))
            .collect()
    }

    pub fn label(&self, point: u16) -> String {
        self.points.get(usize::from(point)).map_or_else(|| point.to_string(), |p| p.point.label.clone())
    }

    pub fn file_of(&self, point: u16) -> Option<usize> {
        self.points.get(usize::from(point)).map(|p| p.point.file)
    }

    pub fn add(&mut self, words: &[u32], count: usize, texts: Vec<String>) -> Result<(), String> {
        let first = self.journeys.len();
        let kept = self.journeys.append(words)?;
        self.not_kept += (count.saturating_sub(kept)) as u64;
        if !texts.is_empty() {
            Rc::make_mut(&mut self.texts).extend(texts);
        }
        let f = self.filter;
        let more: Vec<u32> =
            self.journeys.iter_from(first).filter(|(_, j)| f.matches(j)).map(|(i, _)| i as u32).collect();
        if !more.is_empty() {
            Rc::make_mut(&mut self.visible).extend(more);
        }
        Ok(())
    }

    pub fn set_filter(&mut self, f: PathFilter) {
        if f != self.filter || self.visible.is_empty() {
            self.filter = f;
            self.visible =
                Rc::new(self.journeys.iter_from(0).filter(|(_, j)| f.matches(j)).map(|(i, _)| i as u32).collect());
        }
    }

    pub fn selected_journey(&self) -> Option<JourneyRef<'_>> {
        self.journeys.get(self.journeys.position(self.selected?)?)
    }

    pub fn frame(&self, file: usize, number: u64) -> Option<&FrameBytes> {
        self.frames.iter().find(|(k, _)| *k == (file, number)).map(|(_, b)| b)
    }

    /// The selected journey's sightings whose frames are still to be read: (file, sighting).
    pub fn reads_due(&self) -> Vec<(usize, Seen)> {
        let Some(j) = self.selected_journey() else { return Vec::new() };
        j.seen()
            .filter_map(|s| Some((self.file_of(s.point)?, s)))
            .filter(|(f, s)| self.frame(*f, s.frame).is_none())
            .collect()
    }

    pub fn frame_read(&mut self, file: usize, number: u64, bytes: FrameBytes) {
        let c = Rc::make_mut(&mut self.frames);
        c.retain(|(k, _)| *k != (file, number));
        if c.len() >= CACHED {
            let _ = c.remove(0);
        }
        c.push(((file, number), bytes));
    }

    /// The selected journey ready to share at `settings`: once every frame
    /// of it was read from its file (`None` before, or if one could not be).
    pub fn share_draft(&self, settings: Settings) -> Option<JourneyDraft> {
        let j = self.selected_journey()?;
        let offset = |point: u16| {
            let file = self.file_of(point)?;
            self.outcome.as_ref().and_then(|o| o.clock_offsets_ns.get(file).copied())
        };
        let seen = j
            .seen()
            .map(|s| {
                let packet = self.frame(self.file_of(s.point)?, s.frame)?.clone().ok()?;
                Some(DraftSighting {
                    point: self.label(s.point),
                    clock_offset_ns: offset(s.point).unwrap_or(0),
                    packet,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let index = j.index();
        Some(JourneyDraft {
            index,
            seen,
            changes: j.changes().filter_map(|(_, _, t)| self.texts.get(t as usize).cloned()).collect(),
            lost: j
                .lost_after()
                .zip(j.lost_before())
                .map(|(a, b)| SharedLoss { after: self.label(a), before: self.label(b) }),
            findings: self.outcome.as_ref().map_or_else(Vec::new, |o| findings_about(&o.findings, index)),
            settings,
            headers_only: true,
            note: String::new(),
        })
    }

    /// The loss finding's sentences (what the view says under its table).
    pub fn loss_sentences(&self) -> Vec<&str> {
        self.outcome
            .iter()
            .flat_map(|o| o.findings.iter())
            .filter(|f| f.kind == PathFindingKind::Loss)
            .map(|f| f.sentence.as_str())
            .collect()
    }
}
