//! App state as one reducer: every change is an [`Action`], so the whole UI
//! logic is tested natively by driving [`State::apply`] (no browser needed).

use crate::display_filter::{decode, encode, ByteMatches, Expr, SelectRequest};
use crate::frame_cache::{FrameBytes, FrameCache};
use crate::path_state::{PathFilter, PathState};
use crate::protocol::{LogView, PathOutcome, PointView, ReadContext};
use crate::read_progress::Progress;
use crate::share_state::{clip_note, JourneyDraft, ShareDraft, SharedPage};
use framelens::capture::OwnedFrame;
use framelens::explain::lessons::{lesson, Highlight, PathSet, Stop};
use framelens::filter::Criterion;
use framelens::frame::ledger::RegionKind;
use framelens::path::point::PointSpec;
use framelens::scan::record::FrameRecord;
use framelens::scan::store::RecordStore;
use framelens::scan::summary::{CaptureFinding, Counts, Summary};
use framelens::settings::{DeviceRule, FcsMode, Settings, MTU_RANGE};
use std::rc::Rc;
use yew::Reducible;

/// Which frames the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Filter {
    #[default]
    All,
    Unexplained,
    Padding,
    Fcs,
    Truncated,
    OverMtu,
}

impl Filter {
    pub const ALL: [Filter; 6] =
        [Filter::All, Filter::Unexplained, Filter::Padding, Filter::Fcs, Filter::Truncated, Filter::OverMtu];

    pub const fn label(self) -> &'static str {
        match self {
            Filter::All => "All frames",
            Filter::Unexplained => "Unexplained bytes",
            Filter::Padding => "Padding",
            Filter::Fcs => "FCS",
            Filter::Truncated => "Truncated",
            Filter::OverMtu => "Over MTU",
        }
    }

    pub const fn key(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Unexplained => "unexplained",
            Filter::Padding => "padding",
            Filter::Fcs => "fcs",
            Filter::Truncated => "truncated",
            Filter::OverMtu => "over-mtu",
        }
    }

    /// Whether the frames it lets through depend on the settings (the MTU and rule).
    pub const fn uses_settings(self) -> bool {
        matches!(self, Filter::OverMtu)
    }

    /// The core's question the chip asks (`All` asks none).
    pub const fn criterion(self) -> Option<Criterion> {
        match self {
            Filter::All => None,
            Filter::Unexplained => Some(Criterion::Region(RegionKind::Trailer)),
            Filter::Padding => Some(Criterion::Region(RegionKind::Padding)),
            Filter::Fcs => Some(Criterion::Fcs),
            Filter::Truncated => Some(Criterion::Truncated),
            Filter::OverMtu => Some(Criterion::OverMtu),
        }
    }

    pub fn matches(self, r: &FrameRecord, s: &Settings) -> bool {
        self.criterion().is_none_or(|c| c.matches(r, s))
    }
}

/// What the scan worker says about a record batch besides its bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordIndex {
    pub blocks: Vec<u32>,
    pub len: usize,
    /// Counts of every frame up to and including this batch, at `settings`,
    /// the settings the scan ran with.
    pub counts_so_far: Counts,
    pub settings: Settings,
}

/// Where loading stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Phase {
    /// Nothing loaded yet.
    #[default]
    Empty,
    Reading,
    Done,
    Cancelled,
    /// The file could not be read at all (a failed `File` read, a failed fetch).
    Failed(String),
}

/// An open lesson and its step (0-based; the step count means the takeaway).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LessonAt {
    pub id: &'static str,
    pub step: usize,
}

/// What the URL fragment carries: `#frame=12&mtu=1500&rule=ovs-kernel&fcs=auto`
/// (and `&filter=<expression, percent-encoded>` when one is set, and
/// `&order=laptop.pcap:0,controller.pcapng:eth1` when the reader chose the
/// path's order), or in a lesson `#lesson=two-bytes&step=2` (the lesson sets
/// frame and settings).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    pub frame: Option<u64>,
    pub settings: Settings,
    pub lesson: Option<LessonAt>,
    pub filter: Option<String>,
    /// The capture points' order, `FILE[:IFACE]` each as the core writes them.
    pub order: Vec<String>,
}

/// An `order=` value: the points as the core writes them (`FILE[:IFACE]`),
/// each percent-encoded but for its `:` (kept readable), joined by `,`.
fn encode_order(order: &[String]) -> String {
    order.iter().map(|p| encode(p).replace("%3A", ":")).collect::<Vec<_>>().join(",")
}

/// The inverse of [`encode_order`], lax: empty entries are left out; the
/// others are written back as the core writes them.
fn decode_order(v: &str) -> Vec<String> {
    v.split(',').map(decode).filter(|p| !p.trim().is_empty()).map(|p| PointSpec::parse(&p).to_string()).collect()
}

impl Fragment {
    /// Lax parse: unknown keys and bad values are ignored (defaults stay).
    pub fn parse(s: &str) -> Fragment {
        let mut f = Fragment::default();
        // 1-based in the URL, like the walker's "step k of n".
        let mut step = 0usize;
        for pair in s.trim_start_matches('#').split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "frame" => f.frame = v.parse().ok().filter(|&n: &u64| n > 0),
                "mtu" => {
                    if let Some(m) = v.parse().ok().filter(|m: &u32| MTU_RANGE.contains(m)) {
                        f.settings.mtu = m;
                    }
                }
                "rule" => f.settings.rule = DeviceRule::from_key(v).unwrap_or(f.settings.rule),
                "fcs" => f.settings.fcs = FcsMode::from_key(v).unwrap_or(f.settings.fcs),
                "lesson" => f.lesson = lesson(v).map(|l| LessonAt { id: l.id, step: 0 }),
                "step" => step = v.parse::<usize>().map_or(0, |n| n.saturating_sub(1)),
                "filter" => f.filter = Some(decode(v)).filter(|t| !t.trim().is_empty()),
                "order" => f.order = decode_order(v),
                _ => {}
            }
        }
        if let Some(l) = &mut f.lesson {
            l.step = step;
        }
        f
    }

    pub fn format(&self) -> String {
        if let Some(l) = self.lesson {
            return format!("#lesson={}&step={}", l.id, l.step + 1);
        }
        let s = &self.settings;
        let mut out = String::from("#");
        if let Some(n) = self.frame {
            out.push_str(&format!("frame={n}&"));
        }
        out.push_str(&format!("mtu={}&rule={}&fcs={}", s.mtu, s.rule.key(), s.fcs.key()));
        if let Some(t) = &self.filter {
            out.push_str(&format!("&filter={}", encode(t)));
        }
        if !self.order.is_empty() {
            out.push_str(&format!("&order={}", encode_order(&self.order)));
        }
        out
    }
}

/// The frames a filter lets through: all of them (numbers 1..=n, nothing
/// materialised), or a list of numbers.
#[derive(Clone, Debug)]
pub enum Visible {
    All(usize),
    Some(Rc<Vec<u64>>),
}

impl PartialEq for Visible {
    /// By identity for lists: a list is rebuilt whenever its inputs change.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Visible::All(a), Visible::All(b)) => a == b,
            (Visible::Some(a), Visible::Some(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Default for Visible {
    fn default() -> Self {
        Visible::All(0)
    }
}

impl Visible {
    /// The frames of `frames` (of load `load_id`) that both `filter` and
    /// `expr` let through at `settings`.
    pub fn of(frames: &RecordStore, filter: Filter, expr: &Expr, settings: &Settings, load_id: u32) -> Visible {
        if filter == Filter::All && !expr.is_active() {
            return Visible::All(frames.len());
        }
        let pass = |r: &FrameRecord| filter.matches(r, settings) && expr.admits(r, settings, load_id);
        Visible::Some(Rc::new(frames.iter().filter(pass).map(|r| r.number).collect()))
    }

    pub fn len(&self) -> usize {
        match self {
            Visible::All(n) => *n,
            Visible::Some(v) => v.len(),
        }
    }

    /// The frame number at row `i`.
    pub fn get(&self, i: usize) -> Option<u64> {
        match self {
            Visible::All(n) => (i < *n).then_some(i as u64 + 1),
            Visible::Some(v) => v.get(i).copied(),
        }
    }

    /// The row of frame `n`.
    pub fn position(&self, n: u64) -> Option<usize> {
        match self {
            Visible::All(len) => (n >= 1 && n <= *len as u64).then(|| n as usize - 1),
            Visible::Some(v) => v.binary_search(&n).ok(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    /// Increments with every new load: results of an older load are ignored.
    pub load_id: u32,
    pub file_name: Option<String>,
    pub phase: Phase,
    pub progress: Progress,
    pub frames: RecordStore,
    /// Kept up to date batch by batch, so a large capture is not recounted per chunk.
    pub counts: Counts,
    /// Capture-wide findings of the frames read so far, until `summary` has the final ones.
    pub interim: Rc<Vec<CaptureFinding>>,
    /// What re-reading one frame alone needs (see `framelens::capture::context_for`).
    pub context: Rc<ReadContext>,
    pub summary: Option<Rc<Summary>>,
    pub settings: Settings,
    /// The frame asked for (by a click, a key, the URL fragment, a lesson);
    /// the URL fragment follows it at once.
    pub selected: Option<u64>,
    /// The frame the list marks and the anatomy shows: `selected`, once its
    /// bytes are read (or it is not in the capture), so that the list's
    /// selection and the frame's anatomy render in one pass.
    pub shown: Option<u64>,
    /// Frames of this load read from the file lately (see [`Action::FrameRead`]).
    pub frames_read: FrameCache,
    pub filter: Filter,
    /// The display-filter expression as typed and applied ("" for none), and compiled.
    pub expr_text: String,
    pub expr: Expr,
    /// The frames `filter` and `expr` let through, rebuilt only when they, the
    /// frames or (for a filter that uses them) the settings change.
    pub visible: Visible,
    /// What the last download said (frames written, or why it failed).
    pub export_note: Option<String>,
    /// The scan's settings differ from `settings` in FCS mode: a rescan is due.
    pub rescan_due: bool,
    /// The lesson being walked, if any.
    pub lesson: Option<LessonAt>,
    /// The glossary is shown, scrolled to this entry if one was asked for.
    pub glossary: Option<Option<&'static str>>,
    /// The share dialog, while it is open.
    pub share: Option<ShareDraft>,
    /// The share dialog of the path view's selected journey, while it is open.
    pub share_journey: Option<JourneyDraft>,
    /// A `#share=` link opened in this page.
    pub shared: Option<SharedPage>,
    /// Every capture open (name, size), in the order they came; `active` is
    /// the one the frame list shows (`file_name`).
    pub captures: Vec<(String, u64)>,
    pub active: usize,
    /// Kernel logs read beside the captures, and what they said about the active one.
    pub log_files: Vec<String>,
    pub log: Option<Rc<LogView>>,
    /// The path view, while two or more capture points are open.
    pub path: Option<PathState>,
    /// The capture points' order the reader chose (by dragging a column, a
    /// competing order offered, an `order=` link): `FILE[:IFACE]` each, as
    /// the core writes them; empty while the evidence decides. The path is
    /// followed again whenever it changes ([`State::follow_due`]).
    pub order: Vec<String>,
    /// Folded payload runs of the hex map the reader opened, as (frame
    /// number, first byte of the run); a new load folds them again.
    pub unfolded: Rc<Vec<(u64, u32)>>,
}

#[derive(Clone, Debug)]
pub enum Action {
    /// Files were dropped or picked (or an example opened, `replace`): the
    /// captures join those open (one of the same name is replaced), the logs
    /// are read beside them. The app scans and follows them.
    AddFiles {
        captures: Vec<(String, u64)>,
        logs: Vec<String>,
        replace: bool,
    },
    /// The frame list shows capture `i` of [`State::captures`].
    Activate(usize),
    /// A path diagnosis over every open capture started, with the points
    /// in `order` where the reader chose one ([`State::order`]).
    PathStart {
        path_id: u32,
        order: Vec<String>,
    },
    PathPoints {
        path_id: u32,
        points: Rc<Vec<PointView>>,
    },
    /// A batch of journeys: their `framelens::explain::journey` words.
    Journeys {
        path_id: u32,
        words: Vec<u32>,
        count: usize,
        texts: Vec<String>,
        bytes_done: u64,
        bytes_total: u64,
        elapsed_ms: f64,
    },
    PathDone {
        path_id: u32,
        outcome: Rc<PathOutcome>,
        elapsed_ms: f64,
    },
    PathFailed {
        path_id: u32,
        message: String,
    },
    PathFilter(PathFilter),
    /// The path view's column at position `from` was dragged (or moved by
    /// its buttons) to position `to`: the reader's order of the points.
    MovePoint {
        from: usize,
        to: usize,
    },
    /// The reader chose this order of the points (`FILE[:IFACE]` each; empty:
    /// the evidence's).
    SetOrder(Vec<String>),
    SelectJourney(Option<u64>),
    /// A frame of the selected journey was read from capture `file`.
    JourneyFrameRead {
        path_id: u32,
        file: usize,
        number: u64,
        packet: Result<Option<Rc<OwnedFrame>>, String>,
    },
    /// A new file starts loading; `load_id` is fresh (the loader tags its results with it).
    Start {
        load_id: u32,
        name: String,
        size: u64,
    },
    /// A chunk was scanned: its records as a `framelens::scan::store::RecordBatch`'s bytes.
    Frames {
        load_id: u32,
        records: Vec<u8>,
        /// From the worker: the batch's block index and counts, so the page
        /// need not decode it.
        index: Box<RecordIndex>,
        bytes_done: u64,
        elapsed_ms: f64,
        context: Option<Rc<ReadContext>>,
        findings: Option<Rc<Vec<CaptureFinding>>>,
    },
    Finished {
        load_id: u32,
        summary: Rc<Summary>,
        bytes_done: u64,
        elapsed_ms: f64,
        context: Rc<ReadContext>,
        log: Option<Rc<LogView>>,
    },
    Cancel,
    Failed {
        load_id: u32,
        message: String,
    },
    Select(Option<u64>),
    /// Frame `number` of load `load` was read from the file (`Ok(None)`: it
    /// is not in the file). Kept in [`State::frames_read`]; if the frame is
    /// the one selected, it is shown. A read for another load, or for a frame
    /// no longer selected, changes no selection.
    FrameRead {
        load: u32,
        number: u64,
        packet: Result<Option<Rc<OwnedFrame>>, String>,
    },
    /// Up or down by `delta` rows among the frames the filter shows.
    Step(i64),
    SetFilter(Filter),
    /// A display-filter expression was applied (Enter in its box, a link).
    SetExpr(String),
    /// The worker's matches for a byte expression (`Err`: the file could not be re-read).
    ExprMatches {
        load_id: u32,
        text: String,
        settings: Settings,
        numbers: Result<Rc<Vec<u64>>, String>,
    },
    /// A download finished or failed: its sentence.
    Exported(String),
    SetSettings(Settings),
    /// The URL fragment changed (load, back/forward, a typed link).
    Fragment(Fragment),
    /// A rescan with the current settings began.
    RescanStarted,
    /// Start a lesson at its first step (its capture is loaded by the app).
    OpenLesson(&'static str),
    /// Go to a step of the open lesson (0-based; the step count is the takeaway).
    LessonStep(usize),
    CloseLesson,
    /// Show the glossary, at an entry if given.
    ShowGlossary(Option<&'static str>),
    HideGlossary,
    /// The glossary button: opens the glossary (at its top) or closes it.
    ToggleGlossary,
    /// Open the share dialog for this frame (the anatomy's packet).
    OpenShare(Rc<OwnedFrame>),
    /// Open the share dialog for the path view's selected journey (once its frames are read).
    OpenJourneyShare,
    /// Closes either share dialog; the choices below apply to the one open.
    CloseShare,
    ShareHeadersOnly(bool),
    ShareNote(String),
    ShareSpan(Option<(u32, u32)>),
    /// The page's URL fragment, at load or after a change: its selection,
    /// settings or lesson ([`Action::Fragment`]), and a `#share=` link opens
    /// the shared frame (or its error); any other fragment closes it. One
    /// action, so that a changed fragment renders the page once.
    Hash(String),
    /// The reader changed MTU, rule or FCS mode on the shared frame.
    SharedSettings(Settings),
    CloseShared,
    /// Open the hex map's folded payload run at byte `start` of frame `frame`.
    Unfold {
        frame: u64,
        start: u32,
    },
}

impl State {
    pub fn fragment(&self) -> Fragment {
        match self.lesson {
            Some(l) => Fragment { lesson: Some(l), ..Fragment::default() },
            None => Fragment {
                frame: self.selected,
                settings: self.settings,
                lesson: None,
                filter: Some(self.expr_text.clone()).filter(|t| !t.is_empty()),
                order: self.order.clone(),
            },
        }
    }

    /// The order the path should be followed again with: the reader's
    /// [`State::order`], while the path shown was followed with another.
    pub fn follow_due(&self) -> Option<Vec<String>> {
        self.path.as_ref().filter(|p| p.order != self.order).map(|_| self.order.clone())
    }

    /// The byte expression's evaluation the worker should run now: once the
    /// scan has ended, when no matches for this load and settings are at hand.
    pub fn select_due(&self) -> Option<SelectRequest> {
        let ended = matches!(self.phase, Phase::Done | Phase::Cancelled);
        (ended && self.expr.pending(self.load_id, &self.settings)).then(|| SelectRequest {
            load_id: self.load_id,
            text: self.expr_text.clone(),
            settings: self.settings,
        })
    }

    /// The capture the open lesson needs and that is not the one loaded (or loading).
    pub fn lesson_capture_due(&self) -> Option<&'static str> {
        let capture = lesson(self.lesson?.id)?.capture()?;
        (self.file_name.as_deref() != Some(capture)).then_some(capture)
    }

    /// The files the open path lesson needs, while they are not the captures
    /// (in its order) and logs open.
    pub fn lesson_path_due(&self) -> Option<&'static PathSet> {
        let set = lesson(self.lesson?.id)?.path()?;
        let open = self.captures.iter().map(|(n, _)| n.as_str()).eq(set.captures.iter().copied())
            && self.log_files.iter().map(String::as_str).eq(set.logs.iter().copied());
        (!open).then_some(set)
    }

    /// What the open lesson's current step highlights, while its frame is
    /// shown (a path step's frame is in the journey's detail, not the list).
    pub fn lesson_highlight(&self) -> Option<Highlight> {
        let at = self.lesson?;
        let step = lesson(at.id)?.steps.get(at.step)?;
        (step.at.is_none() && self.shown == Some(step.frame)).then_some(step.highlight)
    }

    /// The journey and point the open path lesson's current step stands at.
    pub fn lesson_stop(&self) -> Option<Stop> {
        let at = self.lesson?;
        lesson(at.id)?.steps.get(at.step)?.at
    }

    /// What the current path step highlights, at which point, while its
    /// journey is the one selected in the path view.
    pub fn lesson_journey_highlight(&self) -> Option<(u16, Highlight)> {
        let at = self.lesson?;
        let step = lesson(at.id)?.steps.get(at.step)?;
        let stop = step.at?;
        (self.path.as_ref()?.selected == Some(stop.journey)).then_some((stop.point, step.highlight))
    }

    /// The kernel-log line the current step quotes: (the lesson's log, line).
    pub fn lesson_log_line(&self) -> Option<(&'static str, u64)> {
        let log = lesson(self.lesson?.id)?.path()?.logs.first()?;
        Some((log, self.lesson_stop()?.log_line?))
    }

    /// What the kernel logs said about frame `n`: `file:line: text` per line matched to it.
    pub fn frame_log(&self, n: u64) -> Vec<String> {
        let Some(log) = &self.log else { return Vec::new() };
        log.rows
            .iter()
            .filter(|r| r.frames.contains(&n))
            .map(|r| format!("{}:{}: {}", r.fields.file, r.fields.line, r.fields.text))
            .collect()
    }

    /// The frames of the selected journey still to be read: (file, frame record).
    pub fn journey_reads_due(&self) -> Vec<(usize, framelens::explain::journey::Seen)> {
        self.path.as_ref().map(|p| p.reads_due()).unwrap_or_default()
    }

    fn path_mut(&mut self, path_id: u32) -> Option<&mut PathState> {
        self.path.as_mut().filter(|p| p.id == path_id)
    }

    /// The first bytes of the payload runs opened in frame `frame`'s hex map.
    pub fn unfolded_in(&self, frame: u64) -> Vec<u32> {
        self.unfolded.iter().filter(|(f, _)| *f == frame).map(|(_, s)| *s).collect()
    }

    /// The shown frame's bytes, once read (or why they could not be).
    pub fn shown_bytes(&self) -> Option<&FrameBytes> {
        self.frames_read.get(self.shown?)
    }

    /// The frames to read from the file now: the selected one while it waits
    /// for its bytes; once it has them, the frames beside it in the list (so
    /// that the arrow keys select in one pass too).
    pub fn reads_due(&self) -> Vec<u64> {
        let unread = |n: u64| self.frames.by_number(n).is_some() && self.frames_read.get(n).is_none();
        let Some(selected) = self.selected else { return Vec::new() };
        if unread(selected) {
            return vec![selected];
        }
        let Some(i) = self.visible.position(selected) else { return Vec::new() };
        [i.checked_add(1), i.checked_sub(1)]
            .into_iter()
            .flatten()
            .filter_map(|j| self.visible.get(j))
            .filter(|&n| unread(n))
            .collect()
    }

    /// Whether [`State::reads_due`] are reads ahead (the selected frame has
    /// its bytes): those wait for the paint of the frame shown.
    pub fn reading_ahead(&self) -> bool {
        self.selected.is_some_and(|n| self.frames_read.get(n).is_some())
    }

    /// Actions that leave the state as it is, known before applying them: the
    /// page's own URL fragment coming back to it (it wrote it for this state),
    /// a frame read for an older load. The reducer then keeps the state it
    /// has, and the page does not render.
    pub fn ignores(&self, action: &Action) -> bool {
        match action {
            Action::Hash(hash) => self.shared.is_none() && *hash == self.fragment().format(),
            Action::FrameRead { load, .. } => *load != self.load_id,
            _ => false,
        }
    }

    /// Selects frame `n`: shown at once if its bytes are read or there are
    /// none to read (no frame, or none of that number in the capture yet).
    fn select(&mut self, n: Option<u64>) {
        self.selected = n;
        let ready = n.is_none_or(|n| self.frames.by_number(n).is_none() || self.frames_read.get(n).is_some());
        if ready {
            self.shown = n;
        }
    }

    fn set_filter(&mut self, f: Filter) {
        if f != self.filter {
            self.filter = f;
            self.rebuild_visible();
        }
    }

    fn rebuild_visible(&mut self) {
        self.visible = Visible::of(&self.frames, self.filter, &self.expr, &self.settings, self.load_id);
    }

    fn set_expr(&mut self, text: String) {
        let text = text.trim().to_string();
        if text != self.expr_text {
            self.expr = Expr::compile(&text);
            self.expr_text = text;
            self.rebuild_visible();
        }
    }

    pub fn apply(mut self, action: Action) -> State {
        if self.ignores(&action) {
            return self;
        }
        match action {
            Action::Start { load_id, name, size } => {
                // Another capture than the lesson's ends the lesson.
                if self.lesson.and_then(|l| lesson(l.id)).is_some_and(|l| !l.opens(&name)) {
                    self.lesson = None;
                }
                self.load_id = load_id;
                self.file_name = Some(name);
                self.phase = Phase::Reading;
                self.progress = Progress { bytes_done: 0, bytes_total: size, elapsed_ms: 0.0 };
                self.frames = RecordStore::default();
                self.rebuild_visible();
                self.frames_read = FrameCache::default();
                self.counts = Counts::default();
                self.interim = Rc::default();
                self.context = Rc::default();
                self.summary = None;
                self.log = None;
                self.rescan_due = false;
                self.unfolded = Rc::default();
            }
            Action::Frames { load_id, records, index, bytes_done, elapsed_ms, context, findings }
                if load_id == self.load_id =>
            {
                if self.phase == Phase::Reading {
                    let first = self.frames.len();
                    let appended = self.frames.append_indexed(records, index.blocks, index.len);
                    if index.settings == self.settings {
                        // The page counts at the scan's settings too: take the scanner's own.
                        self.counts = index.counts_so_far;
                    } else {
                        // The MTU or rule changed during the scan: count at the new ones.
                        self.counts.merge(&Counts::of(self.frames.iter_from(first), &self.settings));
                    }
                    if let Err(e) = appended {
                        self.phase = Phase::Failed(format!("The scan's results could not be read: {e}"));
                    }
                    self.visible = match &self.visible {
                        Visible::All(_) => Visible::All(self.frames.len()),
                        Visible::Some(v) => {
                            let (f, s, e, id) = (self.filter, self.settings, &self.expr, self.load_id);
                            let more = self.frames.iter_from(first);
                            let more = more.filter(|r| f.matches(r, &s) && e.admits(r, &s, id)).map(|r| r.number);
                            Visible::Some(Rc::new(v.iter().copied().chain(more).collect()))
                        }
                    };
                    self.progress.bytes_done = bytes_done;
                    self.progress.elapsed_ms = elapsed_ms;
                    if let Some(c) = context {
                        self.context = c;
                    }
                    if let Some(f) = findings {
                        self.interim = f;
                    }
                }
            }
            Action::Finished { load_id, summary, bytes_done, elapsed_ms, context, log } if load_id == self.load_id => {
                if self.phase == Phase::Reading {
                    self.log = log;
                    self.phase = Phase::Done;
                    self.progress.bytes_done = bytes_done;
                    self.progress.elapsed_ms = elapsed_ms;
                    self.interim = Rc::new(summary.findings.clone());
                    self.context = context;
                    self.summary = Some(summary);
                }
            }
            Action::Failed { load_id, message } if load_id == self.load_id => self.phase = Phase::Failed(message),
            Action::Frames { .. } | Action::Finished { .. } | Action::Failed { .. } => {}
            Action::Cancel => {
                // Anything still in flight for this load is dropped: only `Reading` accepts it.
                if self.phase == Phase::Reading {
                    self.phase = Phase::Cancelled;
                }
            }
            Action::Select(n) => self.select(n),
            Action::AddFiles { captures, logs, replace } => {
                if replace {
                    self.captures.clear();
                    self.log_files.clear();
                    self.active = 0;
                }
                for (name, size) in captures {
                    match self.captures.iter_mut().find(|(n, _)| *n == name) {
                        Some(c) => c.1 = size,
                        None => self.captures.push((name, size)),
                    }
                }
                for l in logs {
                    if !self.log_files.contains(&l) {
                        self.log_files.push(l);
                    }
                }
                if self.captures.len() < 2 {
                    self.path = None;
                }
            }
            Action::Activate(i) => {
                if i < self.captures.len() {
                    self.active = i;
                }
            }
            Action::PathStart { path_id, order } => {
                self.path = (self.captures.len() >= 2)
                    .then(|| PathState::new(path_id, self.captures.iter().map(|(n, _)| n.clone()).collect(), order));
                // A path lesson's step selects its journey as soon as there is a path.
                let stop = self.lesson_stop();
                if let (Some(p), Some(stop)) = (&mut self.path, stop) {
                    p.selected = Some(stop.journey);
                }
            }
            Action::PathPoints { path_id, points } => {
                if let Some(p) = self.path_mut(path_id) {
                    p.points = points;
                }
            }
            Action::Journeys { path_id, words, count, texts, bytes_done, bytes_total, elapsed_ms } => {
                if let Some(p) = self.path_mut(path_id) {
                    if let Err(e) = p.add(&words, count, texts) {
                        p.failed = Some(format!("The path's results could not be read: {e}"));
                    }
                    p.progress = Progress { bytes_done, bytes_total, elapsed_ms };
                }
            }
            Action::PathDone { path_id, outcome, elapsed_ms } => {
                if let Some(p) = self.path_mut(path_id) {
                    p.outcome = Some(outcome);
                    p.progress.bytes_done = p.progress.bytes_total;
                    p.progress.elapsed_ms = elapsed_ms;
                }
            }
            Action::PathFailed { path_id, message } => {
                if let Some(p) = self.path_mut(path_id) {
                    p.failed = Some(message);
                }
            }
            Action::PathFilter(f) => {
                if let Some(p) = &mut self.path {
                    p.set_filter(f);
                }
            }
            Action::MovePoint { from, to } => {
                if let Some(order) = self.path.as_ref().and_then(|p| p.moved(from, to)) {
                    self.order = order;
                }
            }
            Action::SetOrder(order) => self.order = order,
            Action::SelectJourney(j) => {
                if let Some(p) = &mut self.path {
                    p.selected = j;
                }
            }
            Action::JourneyFrameRead { path_id, file, number, packet } => {
                if let Some(p) = self.path_mut(path_id) {
                    let bytes = match packet {
                        Ok(Some(f)) => Ok(f),
                        Ok(None) => Err(format!("Frame {number} is not in this capture.")),
                        Err(m) => Err(format!("Frame {number} could not be re-read: {m}")),
                    };
                    p.frame_read(file, number, bytes);
                }
            }
            Action::FrameRead { load: _, number, packet } => {
                let bytes = match packet {
                    Ok(Some(p)) => Ok(p),
                    Ok(None) => Err(format!("Frame {number} is not in this capture.")),
                    Err(m) => Err(format!("Frame {number} could not be re-read: {m}")),
                };
                self.frames_read.insert(number, bytes, [self.shown, self.selected]);
                if self.selected == Some(number) {
                    self.shown = Some(number);
                }
            }
            Action::Step(delta) => {
                let visible = &self.visible;
                if visible.len() > 0 {
                    let at = self.selected.and_then(|n| visible.position(n));
                    let next = match at {
                        Some(i) => (i as i64 + delta).clamp(0, visible.len() as i64 - 1) as usize,
                        None if delta < 0 => visible.len() - 1,
                        None => 0,
                    };
                    let n = visible.get(next);
                    self.select(n);
                }
            }
            Action::SetFilter(f) => self.set_filter(f),
            Action::SetExpr(t) => self.set_expr(t),
            Action::ExprMatches { load_id, text, settings, numbers } => {
                if load_id == self.load_id && text == self.expr_text {
                    match (&mut self.expr, numbers) {
                        (Expr::Bytes { matches, .. }, Ok(numbers)) => {
                            *matches = Some(ByteMatches { load_id, settings, numbers });
                        }
                        (_, Err(m)) => {
                            self.expr =
                                Expr::Error { message: format!("The file could not be re-read: {m}"), column: 0 }
                        }
                        _ => {}
                    }
                    self.rebuild_visible();
                }
            }
            Action::Exported(note) => self.export_note = Some(note),
            Action::SetSettings(s) => self.set_settings(s),
            Action::Fragment(f) => match f.lesson {
                Some(at) => self.open_lesson(at),
                None => {
                    self.lesson = None;
                    self.select(f.frame);
                    self.set_settings(f.settings);
                    self.set_expr(f.filter.unwrap_or_default());
                    self.order = f.order;
                }
            },
            Action::RescanStarted => self.rescan_due = false,
            Action::OpenLesson(id) => self.open_lesson(LessonAt { id, step: 0 }),
            Action::LessonStep(step) => {
                if let Some(at) = self.lesson {
                    self.open_lesson(LessonAt { step, ..at });
                }
            }
            Action::CloseLesson => self.lesson = None,
            Action::ShowGlossary(entry) => self.glossary = Some(entry),
            Action::HideGlossary => self.glossary = None,
            Action::ToggleGlossary => self.glossary = if self.glossary.is_some() { None } else { Some(None) },
            Action::OpenShare(p) => self.share = Some(ShareDraft::new(p, self.settings)),
            Action::OpenJourneyShare => {
                self.share_journey = self.path.as_ref().and_then(|p| p.share_draft(self.settings));
            }
            Action::CloseShare => {
                self.share = None;
                self.share_journey = None;
            }
            Action::ShareHeadersOnly(h) => {
                if let Some(d) = &mut self.share {
                    d.headers_only = h;
                }
                if let Some(d) = &mut self.share_journey {
                    d.headers_only = h;
                }
            }
            Action::ShareNote(n) => {
                if let Some(d) = &mut self.share {
                    d.note = clip_note(&n);
                }
                if let Some(d) = &mut self.share_journey {
                    d.note = clip_note(&n);
                }
            }
            Action::ShareSpan(span) => {
                if let Some(d) = &mut self.share {
                    d.span = span;
                }
            }
            Action::Hash(hash) => {
                self = self.apply(Action::Fragment(Fragment::parse(&hash)));
                self.shared = SharedPage::from_hash(&hash);
            }
            Action::SharedSettings(new) => {
                if let Some(SharedPage::Open { settings, .. } | SharedPage::Journey { settings, .. }) = &mut self.shared
                {
                    *settings = new;
                }
            }
            Action::CloseShared => self.shared = None,
            Action::Unfold { frame, start } => {
                if !self.unfolded.contains(&(frame, start)) {
                    Rc::make_mut(&mut self.unfolded).push((frame, start));
                }
            }
        }
        self
    }

    /// Opens a lesson or moves within it: a new lesson brings its settings
    /// and shows all frames; every step selects its frame, a path lesson's
    /// step its journey (the takeaway keeps the last step's).
    fn open_lesson(&mut self, at: LessonAt) {
        let Some(l) = lesson(at.id) else {
            return;
        };
        let step = at.step.min(l.steps.len());
        if self.lesson.map(|x| x.id) != Some(l.id) {
            self.set_settings(l.settings);
            self.set_filter(Filter::All);
            self.set_expr(String::new());
            // A path lesson's steps stand at points of the evidence's order.
            self.order.clear();
        }
        match l.steps.get(step).or(l.steps.last()) {
            // A path step selects its journey (in the path view, once there is one).
            Some(&framelens::explain::lessons::Step { at: Some(stop), .. }) => {
                if let Some(p) = &mut self.path {
                    p.selected = Some(stop.journey);
                }
            }
            Some(s) => self.select(Some(s.frame)),
            None => {}
        }
        self.lesson = Some(LessonAt { id: l.id, step });
    }

    fn set_settings(&mut self, s: Settings) {
        // MTU and rule are re-evaluated from the kept records; the FCS mode
        // changes the ledger itself, so the file has to be scanned again.
        if s.fcs != self.settings.fcs && !self.frames.is_empty() {
            self.rescan_due = true;
        }
        let recount = s.mtu != self.settings.mtu || s.rule != self.settings.rule;
        self.settings = s;
        if recount {
            self.counts = Counts::of(self.frames.iter(), &s);
            if self.filter.uses_settings() || self.expr.is_active() {
                self.rebuild_visible();
            }
        }
    }
}

impl Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        if self.ignores(&action) {
            return self;
        }
        Rc::new((*self).clone().apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame_cache::CACHED_FRAMES;
    use crate::path_state::PathFilter;
    use framelens::scan::scan_bytes;

    fn records(path: &str) -> (Vec<FrameRecord>, Summary) {
        let bytes = std::fs::read(path).unwrap();
        let mut v = Vec::new();
        let s = scan_bytes(&bytes, Settings::default(), |r| v.push(*r));
        (v, s)
    }

    /// The action the worker's message for the records `batch` of `all` makes,
    /// scanned at the default settings: counts cover every record up to the batch's end.
    fn frames(load_id: u32, all: &[FrameRecord], batch: std::ops::Range<usize>) -> Action {
        let mut b = framelens::scan::store::RecordBatch::new();
        all[batch.clone()].iter().for_each(|r| b.push(r));
        let settings = Settings::default();
        let counts_so_far = Counts::of(&all[..batch.end], &settings);
        let (records, blocks) = b.into_parts();
        Action::Frames {
            load_id,
            records,
            index: Box::new(RecordIndex { blocks, len: batch.len(), counts_so_far, settings }),
            bytes_done: 0,
            elapsed_ms: 0.0,
            context: None,
            findings: None,
        }
    }

    fn finished(load_id: u32, summary: Summary) -> Action {
        Action::Finished {
            load_id,
            summary: Rc::new(summary),
            bytes_done: 0,
            elapsed_ms: 0.0,
            context: Rc::default(),
            log: None,
        }
    }

    fn loaded(path: &str) -> State {
        let (recs, summary) = records(path);
        let id = 1;
        let st = State::default().apply(Action::Start { load_id: id, name: "x".into(), size: 10 });
        let st = st.apply(frames(id, &recs, 0..recs.len()));
        st.apply(finished(id, summary))
    }

    const QINQ: &str = "../static/examples/802.1ad_QinQ.pcap";
    const STORY: &str = "../static/examples/two-bytes.pcap";

    #[test]
    fn fragment_round_trips_and_is_lax() {
        let f = Fragment::parse("#frame=12&mtu=1450&rule=linux-bridge&fcs=present");
        assert_eq!(f.frame, Some(12));
        assert_eq!(f.settings, Settings { mtu: 1450, rule: DeviceRule::LinuxBridge, fcs: FcsMode::Present });
        assert_eq!(Fragment::parse(&f.format()), f);
        assert_eq!(f.format(), "#frame=12&mtu=1450&rule=linux-bridge&fcs=present");
        let junk = Fragment::parse("#frame=0&mtu=abc&rule=nope&zzz&fcs=");
        assert_eq!(junk, Fragment::default());
        assert_eq!(Fragment::parse("").format(), "#mtu=1500&rule=ovs-kernel&fcs=auto");
    }

    #[test]
    fn a_new_load_ignores_results_of_the_old_one() {
        let old = 1;
        let st = State::default().apply(Action::Start { load_id: old, name: "a".into(), size: 1 });
        let st = st.apply(Action::Start { load_id: 2, name: "b".into(), size: 1 });
        let (recs, _) = records(QINQ);
        let st = st.apply(frames(old, &recs, 0..recs.len()));
        assert_eq!(st.frames.len(), 0);
        assert_eq!(st.file_name.as_deref(), Some("b"));
    }

    #[test]
    fn cancel_keeps_frames_and_drops_late_chunks() {
        let (recs, summary) = records(QINQ);
        let id = 7;
        let st = State::default().apply(Action::Start { load_id: id, name: "a".into(), size: 1 });
        let st = st.apply(frames(id, &recs, 0..1));
        let st = st.apply(Action::Cancel);
        let st = st.apply(frames(id, &recs, 1..recs.len()));
        let st = st.apply(finished(id, summary));
        assert_eq!(st.phase, Phase::Cancelled);
        assert_eq!(st.frames.len(), 1);
        assert!(st.summary.is_none());
    }

    #[test]
    fn filters_and_keyboard_steps() {
        let st = loaded(STORY);
        let all = st.visible.len();
        assert!(all > 2);
        let st = st.apply(Action::SetFilter(Filter::Unexplained));
        let unexplained = st.visible.clone();
        assert!(unexplained.len() > 0 && unexplained.len() < all);
        let st = st.apply(Action::Step(1));
        assert_eq!(st.selected, unexplained.get(0));
        let st = st.apply(Action::Step(1_000_000));
        assert_eq!(st.selected, unexplained.get(unexplained.len() - 1));
        let st = st.apply(Action::Step(-1_000_000));
        assert_eq!(st.selected, unexplained.get(0));
        let second = unexplained.get(1).unwrap();
        assert_eq!(unexplained.position(second), Some(1));
        assert_eq!(unexplained.position(second + 1), None, "the story alternates trailer and clean frames");
        let all_rows = st.apply(Action::SetFilter(Filter::All)).visible;
        assert_eq!((all_rows.get(0), all_rows.position(all as u64), all_rows.get(all)), (Some(1), Some(all - 1), None));
    }

    #[test]
    fn over_mtu_filter_follows_the_mtu_without_rescan() {
        let st = loaded(STORY);
        let dropped = st.clone().apply(Action::SetFilter(Filter::OverMtu)).visible.len();
        assert!(dropped > 0, "the two-bytes story has frames OVS drops at 1500");
        let big = Settings { mtu: 9000, ..st.settings };
        assert_eq!(st.counts.over_mtu as usize, dropped);
        let st = st.apply(Action::SetFilter(Filter::OverMtu)).apply(Action::SetSettings(big));
        assert_eq!(st.visible.len(), 0);
        assert_eq!(st.counts, Counts::of(st.frames.iter(), &big));
        assert_eq!(st.counts.over_mtu, 0);
        assert!(!st.rescan_due, "MTU changes need no rescan");
        let st = st.apply(Action::SetSettings(Settings { fcs: FcsMode::Absent, ..big }));
        assert!(st.rescan_due, "an FCS mode change rescans");
    }

    #[test]
    fn fragment_action_selects_and_sets() {
        let st = loaded(QINQ).apply(Action::Fragment(Fragment::parse("#frame=2&mtu=1400&rule=ip-router")));
        assert_eq!(st.selected, Some(2));
        assert_eq!(st.settings.mtu, 1400);
        assert_eq!(st.settings.rule, DeviceRule::IpRouter);
        assert_eq!(st.fragment().format(), "#frame=2&mtu=1400&rule=ip-router&fcs=auto");
    }

    #[test]
    fn findings_show_while_reading_and_counts_follow_each_batch() {
        let (recs, summary) = records(STORY);
        let id = 4;
        let st = State::default().apply(Action::Start { load_id: id, name: "story".into(), size: 1 });
        let half = recs.len() / 2;
        let mut first = frames(id, &recs, 0..half);
        if let Action::Frames { findings, .. } = &mut first {
            *findings = Some(Rc::new(summary.findings[..1].to_vec()));
        }
        let st = st.apply(first);
        assert_eq!(st.interim.len(), 1, "interim findings are shown before the end");
        assert_eq!(st.counts, Counts::of(recs[..half].iter(), &st.settings));
        let st = st.apply(frames(id, &recs, half..recs.len())).apply(finished(id, summary.clone()));
        assert_eq!(*st.interim, summary.findings);
        assert_eq!(st.counts, summary.counts, "batch-by-batch counts equal the scan's");
        assert!(st.frames.iter().eq(recs.iter().copied()));
    }

    #[test]
    fn an_mtu_change_during_the_scan_recounts_later_batches_at_the_new_mtu() {
        let (recs, _) = records(STORY);
        let half = recs.len() / 2;
        let st = State::default().apply(Action::Start { load_id: 2, name: "s".into(), size: 1 });
        let st = st.apply(frames(2, &recs, 0..half));
        let big = Settings { mtu: 9000, ..Settings::default() };
        // The worker still counts at MTU 1500; the page must not take those counts.
        let st = st.apply(Action::SetSettings(big)).apply(frames(2, &recs, half..recs.len()));
        assert_eq!(st.counts, Counts::of(&recs, &big));
        assert_eq!(st.counts.over_mtu, 0);
    }

    #[test]
    fn a_record_index_that_does_not_fit_fails_the_load_with_a_sentence() {
        let (recs, _) = records(QINQ);
        let st = State::default().apply(Action::Start { load_id: 1, name: "q".into(), size: 1 });
        let Action::Frames { records, mut index, .. } = frames(1, &recs, 0..recs.len()) else { unreachable!() };
        index.len += 10 * framelens::scan::store::BLOCK;
        let st = st.apply(Action::Frames {
            load_id: 1,
            records,
            index,
            bytes_done: 0,
            elapsed_ms: 0.0,
            context: None,
            findings: None,
        });
        assert_eq!(st.frames.len(), 0);
        assert!(matches!(&st.phase, Phase::Failed(m) if m.contains("block index does not fit")), "{:?}", st.phase);
    }

    #[test]
    fn remaining_time_estimate() {
        let p = Progress { bytes_done: 25, bytes_total: 100, elapsed_ms: 10.0 };
        assert_eq!(p.remaining_ms(), Some(30.0));
        assert_eq!(Progress::default().remaining_ms(), None);
    }

    #[test]
    fn lesson_fragment_round_trips_in_any_order_and_ignores_unknown_lessons() {
        let f = Fragment::parse("#lesson=two-bytes&step=3");
        assert_eq!(f.lesson, Some(LessonAt { id: "two-bytes", step: 2 }));
        assert_eq!(f.format(), "#lesson=two-bytes&step=3");
        assert_eq!(Fragment::parse("#step=3&lesson=two-bytes"), f);
        assert_eq!(Fragment::parse("#lesson=two-bytes").lesson, Some(LessonAt { id: "two-bytes", step: 0 }));
        assert_eq!(Fragment::parse("#lesson=nope&step=2"), Fragment::default());
        assert_eq!(Fragment::parse("#lesson=vxlan&step=x").format(), "#lesson=vxlan&step=1");
    }

    #[test]
    fn opening_a_lesson_takes_its_settings_selects_its_frames_and_asks_for_its_capture() {
        let st = loaded(QINQ).apply(Action::SetFilter(Filter::Padding)).apply(Action::OpenLesson("vxlan"));
        assert_eq!(st.settings.rule, DeviceRule::IpRouter, "the VXLAN lesson judges the underlay as a router");
        assert_eq!((st.selected, st.filter), (Some(1), Filter::All));
        assert_eq!(st.lesson_capture_due(), Some("vxlan.pcap"));
        assert_eq!(st.fragment().format(), "#lesson=vxlan&step=1");
        assert_eq!((st.shown, st.lesson_highlight()), (None, None), "frame 1 is shown once read");
        let st = st.apply(Action::FrameRead { load: 1, number: 1, packet: Ok(Some(packet(QINQ, 1))) });
        assert_eq!(st.shown, Some(1));
        assert!(matches!(st.lesson_highlight(), Some(Highlight::Layer { .. })));
        // Loading the lesson's own capture keeps the lesson; the request is met.
        let st = st.apply(Action::Start { load_id: 9, name: "vxlan.pcap".into(), size: 1 });
        assert_eq!((st.lesson_capture_due(), st.lesson.map(|l| l.id)), (None, Some("vxlan")));
        // Steps move the selection; past the last step is the takeaway, on the last frame.
        let st = st.apply(Action::LessonStep(2));
        assert_eq!(st.selected, Some(2));
        assert!(matches!(st.lesson_highlight(), Some(Highlight::Field { name: "Total length", .. })));
        let st = st.apply(Action::LessonStep(99));
        assert_eq!((st.lesson.map(|l| l.step), st.selected, st.lesson_highlight()), (Some(3), Some(2), None));
        // Choosing a frame by hand keeps the lesson but drops the highlight.
        let st = st.apply(Action::LessonStep(0)).apply(Action::Select(Some(2)));
        assert_eq!((st.lesson.map(|l| l.step), st.lesson_highlight()), (Some(0), None));
        // Another capture ends the lesson.
        let st = st.apply(Action::Start { load_id: 10, name: "mine.pcap".into(), size: 1 });
        assert_eq!(st.lesson, None);
    }

    #[test]
    fn lesson_steps_keep_settings_the_reader_changed_and_links_move_between_steps() {
        let st = State::default().apply(Action::Fragment(Fragment::parse("#lesson=two-bytes&step=5")));
        assert_eq!((st.lesson.map(|l| l.step), st.selected), (Some(4), Some(15)));
        let mtu_1502 = Settings { mtu: 1502, ..st.settings };
        let st = st.apply(Action::SetSettings(mtu_1502));
        let st = st.apply(Action::Fragment(Fragment::parse("#lesson=two-bytes&step=1")));
        assert_eq!((st.selected, st.settings.mtu), (Some(13), 1502), "same lesson: the reader's MTU stays");
        let st = st.apply(Action::Fragment(Fragment::parse("#frame=2&mtu=1400")));
        assert_eq!((st.lesson, st.selected, st.settings.mtu), (None, Some(2), 1400), "a plain link leaves the lesson");
        assert_eq!(State::default().apply(Action::LessonStep(1)).lesson, None, "no lesson, nothing to step");
        assert_eq!(State::default().apply(Action::OpenLesson("nope")), State::default());
        let closed = State::default().apply(Action::OpenLesson("fcs")).apply(Action::CloseLesson);
        assert_eq!((closed.lesson, closed.lesson_capture_due()), (None, None));
    }

    fn read(load: u32, number: u64) -> Action {
        Action::FrameRead { load, number, packet: Ok(Some(story_packet(number))) }
    }

    #[test]
    fn a_selection_is_shown_once_its_frame_is_read_and_its_neighbours_are_read_next() {
        let st = loaded(STORY).apply(Action::Select(Some(5)));
        assert_eq!((st.selected, st.shown, st.fragment().frame), (Some(5), None, Some(5)), "the URL follows at once");
        assert_eq!(st.reads_due(), vec![5]);
        assert!(!st.reading_ahead(), "the selected frame is read at once");
        let st = st.apply(read(1, 5));
        assert_eq!((st.selected, st.shown), (Some(5), Some(5)));
        assert!(matches!(st.shown_bytes(), Some(Ok(p)) if p.number == 5));
        assert_eq!(st.reads_due(), vec![6, 4], "then the rows beside it");
        assert!(st.reading_ahead(), "after the paint");
        let st = st.apply(read(1, 6)).apply(read(1, 4));
        assert_eq!((st.shown, st.reads_due()), (Some(5), vec![]), "reads ahead select nothing");
        // A frame read ahead is shown by the step itself, in one pass.
        let st = st.apply(Action::Step(1));
        assert_eq!((st.selected, st.shown), (Some(6), Some(6)));
        assert_eq!(st.reads_due(), vec![7]);
        // In a filtered list, the neighbours are the rows beside it there.
        let st = st.apply(Action::SetFilter(Filter::Unexplained));
        let i = st.visible.position(6);
        let beside: Vec<u64> = [i.map(|i| i + 1), i.and_then(|i| i.checked_sub(1))]
            .into_iter()
            .flatten()
            .filter_map(|j| st.visible.get(j))
            .filter(|&n| n != 4)
            .collect();
        assert_eq!(st.reads_due(), beside);
    }

    #[test]
    fn an_overtaken_read_changes_no_selection() {
        let st = loaded(STORY).apply(Action::Select(Some(3))).apply(Action::Select(Some(9)));
        let st = st.apply(read(1, 3));
        assert_eq!((st.selected, st.shown), (Some(9), None), "3 is no longer selected");
        assert!(st.frames_read.get(3).is_some(), "but its bytes are kept");
        // A read for an older load is ignored, before the reducer copies anything.
        assert!(st.ignores(&read(0, 9)));
        assert_eq!(st.clone().apply(read(0, 9)), st);
        let rc = Rc::new(st.clone());
        assert!(Rc::ptr_eq(&rc.clone().reduce(read(0, 9)), &rc), "nothing to render");
        // A new load drops the frames read from the old one.
        let st = st.apply(read(1, 9)).apply(Action::Start { load_id: 2, name: "y".into(), size: 1 });
        assert_eq!((st.frames_read.len(), st.shown, st.reads_due()), (0, Some(9), vec![]));
    }

    #[test]
    fn a_frame_that_cannot_be_read_is_shown_with_its_sentence_and_not_read_again() {
        let st = loaded(STORY).apply(Action::Select(Some(2)));
        let st = st.apply(Action::FrameRead { load: 1, number: 2, packet: Ok(None) });
        assert_eq!(st.shown, Some(2));
        assert_eq!(st.shown_bytes(), Some(&Err("Frame 2 is not in this capture.".into())));
        assert!(!st.reads_due().contains(&2));
        let st = st.apply(Action::Select(Some(4))).apply(Action::FrameRead {
            load: 1,
            number: 4,
            packet: Err("NotReadableError".into()),
        });
        assert_eq!(st.shown_bytes(), Some(&Err("Frame 4 could not be re-read: NotReadableError".into())));
        // A frame not in the capture (yet) has nothing to read: shown at once.
        let st = st.apply(Action::Select(Some(10_000)));
        assert_eq!((st.shown, st.shown_bytes(), st.reads_due()), (Some(10_000), None, vec![]));
    }

    #[test]
    fn the_frame_cache_is_bounded_and_keeps_the_frame_shown() {
        let mut st = loaded(STORY).apply(Action::Select(Some(1))).apply(read(1, 1));
        let p = story_packet(2);
        for n in 2..(CACHED_FRAMES as u64 + 20) {
            st = st.apply(Action::FrameRead { load: 1, number: n, packet: Ok(Some(p.clone())) });
        }
        assert_eq!(st.frames_read.len(), CACHED_FRAMES);
        assert!(st.frames_read.get(1).is_some(), "the frame shown stays");
        assert!(st.frames_read.get(2).is_none(), "the oldest other goes");
        assert!(st.frames_read.get(CACHED_FRAMES as u64 + 19).is_some());
        // Read again, a frame is kept once.
        let again = st.clone().apply(Action::FrameRead { load: 1, number: 30, packet: Ok(Some(p)) });
        assert_eq!(again.frames_read.len(), CACHED_FRAMES);
    }

    #[test]
    fn the_visible_list_is_rebuilt_only_when_what_it_depends_on_changes() {
        let st = loaded(STORY).apply(Action::SetFilter(Filter::Unexplained));
        let Visible::Some(list) = st.visible.clone() else { panic!() };
        let same = |st: &State| matches!(&st.visible, Visible::Some(v) if Rc::ptr_eq(v, &list));
        let st = st.apply(Action::Step(1)).apply(Action::Step(1)).apply(Action::Select(Some(3))).apply(read(1, 3));
        assert!(same(&st), "selections and reads keep the list");
        let big = Settings { mtu: 9000, ..st.settings };
        let st = st.apply(Action::SetSettings(big));
        assert!(same(&st), "the MTU does not change which frames have a trailer");
        let st = st.apply(Action::SetFilter(Filter::Unexplained));
        assert!(same(&st), "the same filter again");
        let over = st.apply(Action::SetFilter(Filter::OverMtu));
        assert_eq!(over.visible.len(), 0, "nothing is over an MTU of 9000");
        let over = over.apply(Action::SetSettings(Settings { mtu: 1500, ..big }));
        assert_eq!(
            over.visible.len(),
            loaded(STORY).counts.over_mtu as usize,
            "the MTU changes which frames are over it"
        );
    }

    #[test]
    fn the_visible_list_grows_batch_by_batch_while_reading() {
        let (recs, summary) = records(STORY);
        let st = State::default().apply(Action::SetFilter(Filter::Unexplained));
        let st = st.apply(Action::Start { load_id: 3, name: "s".into(), size: 1 });
        let half = recs.len() / 2;
        let st = st.apply(frames(3, &recs, 0..half)).apply(frames(3, &recs, half..recs.len()));
        let st = st.apply(finished(3, summary));
        let whole = Visible::of(&st.frames, Filter::Unexplained, &Expr::None, &st.settings, st.load_id);
        let rows = |v: &Visible| (0..v.len()).filter_map(|i| v.get(i)).collect::<Vec<_>>();
        assert_eq!(rows(&st.visible), rows(&whole));
        assert!(st.visible.len() > 0);
    }

    #[test]
    fn the_pages_own_fragment_coming_back_changes_nothing() {
        let st = loaded(QINQ).apply(Action::Select(Some(2)));
        let own = st.fragment().format();
        assert!(st.ignores(&Action::Hash(own.clone())));
        let rc = Rc::new(st.clone());
        assert!(Rc::ptr_eq(&rc.clone().reduce(Action::Hash(own)), &rc));
        let back = st.apply(Action::Hash("#frame=1&mtu=1500&rule=ovs-kernel&fcs=auto".into()));
        assert_eq!(back.selected, Some(1), "another fragment (back, forward) selects");
    }

    #[test]
    fn glossary_opens_at_an_entry_and_closes() {
        let st = State::default().apply(Action::ShowGlossary(Some("fcs")));
        assert_eq!(st.glossary, Some(Some("fcs")));
        assert_eq!(st.clone().apply(Action::ShowGlossary(None)).glossary, Some(None));
        assert_eq!(st.clone().apply(Action::HideGlossary).glossary, None);
        assert_eq!(st.apply(Action::ToggleGlossary).glossary, None);
        assert_eq!(State::default().apply(Action::ToggleGlossary).glossary, Some(None));
    }

    fn story_packet(number: u64) -> Rc<OwnedFrame> {
        packet(STORY, number)
    }

    fn packet(path: &str, number: u64) -> Rc<OwnedFrame> {
        let bytes = std::fs::read(path).unwrap();
        let mut out = None;
        framelens::capture::read_all(&bytes, |p| {
            if p.number == number {
                out = Some(OwnedFrame::from_packet(&p));
            }
        });
        Rc::new(out.unwrap())
    }

    #[test]
    fn share_dialog_defaults_to_headers_only_and_points_at_the_trailer() {
        let st = loaded(STORY).apply(Action::OpenShare(story_packet(15)));
        let d = st.share.clone().expect("the dialog is open");
        assert!(d.headers_only);
        assert_eq!(d.span, Some((1518, 1520)), "the 2 unexplained bytes");
        assert_eq!(d.zeroed(), 1472, "the ping payload");
        let st = st.apply(Action::ShareNote("é".repeat(1500))).apply(Action::ShareHeadersOnly(false));
        let d = st.share.clone().unwrap();
        assert_eq!(d.note.len(), framelens::explain::share::MAX_NOTE, "clipped on a character boundary");
        assert_eq!(d.zeroed(), 0);
        let link = d.link("http://127.0.0.1:8080/");
        assert!(link.starts_with("http://127.0.0.1:8080/#share=v1."), "{link}");
        let back = framelens::explain::share::SharedFrame::decode(&link).unwrap();
        assert_eq!((back.note.as_str(), back.span, back.headers_only), (d.note.as_str(), Some((1518, 1520)), false));
        assert_eq!(back.data, d.packet.data, "full bytes");
        let st = st.apply(Action::ShareSpan(None));
        assert_eq!(st.share.as_ref().unwrap().span, None);
        assert!(st.share.as_ref().unwrap().markdown().contains("## Frame 15: 1,520 bytes captured, 2 unexplained"));
        assert!(st.apply(Action::CloseShare).share.is_none());
    }

    #[test]
    fn share_actions_without_a_dialog_change_nothing() {
        let st = loaded(QINQ);
        let after = st.clone().apply(Action::ShareNote("x".into())).apply(Action::ShareHeadersOnly(false));
        assert_eq!(after, st);
    }

    #[test]
    fn a_share_link_opens_and_its_settings_can_change() {
        let d = ShareDraft::new(story_packet(15), Settings::default());
        let hash = format!("#{}", d.shared().to_fragment());
        let st = State::default().apply(Action::Hash(hash));
        let Some(SharedPage::Open { frame, packet, settings }) = st.shared.clone() else { panic!("{:?}", st.shared) };
        assert!(frame.headers_only);
        assert_eq!(settings, Settings::default());
        let a = framelens::frame::analysis::analyze(&packet.packet(), &settings);
        assert!(a.mtu.dropped, "1502 > 1500");
        let st = st.apply(Action::SharedSettings(Settings { mtu: 1504, ..settings }));
        let Some(SharedPage::Open { packet, settings, .. }) = st.shared.clone() else { panic!() };
        assert!(!framelens::frame::analysis::analyze(&packet.packet(), &settings).mtu.dropped, "1502 ≤ 1504");
        assert_eq!(st.settings, Settings::default(), "the capture's own settings are untouched");
        assert!(st.clone().apply(Action::Hash("#frame=3".into())).shared.is_none());
        assert!(st.apply(Action::CloseShared).shared.is_none());
    }

    #[test]
    fn a_damaged_link_shows_the_cores_sentence() {
        let cases = [
            ("#share=v9.AAAA", "format version 9"),
            ("#share=v1.!!!", "characters a Framelens link never has"),
            ("#share=v1.7cwxCsJAEAXQv4WwGlA7", "damaged or cut short"),
        ];
        for (hash, words) in cases {
            let st = State::default().apply(Action::Hash(hash.into()));
            match st.shared {
                Some(SharedPage::Error(m)) => assert!(m.contains(words), "{hash}: {m}"),
                other => panic!("{hash}: {other:?}"),
            }
        }
        assert!(State::default().apply(Action::Hash("#mtu=1400".into())).shared.is_none());
    }

    /// The path story followed by the core as the worker does it: its points,
    /// journeys in batches of `batch`, and the outcome.
    fn story_path(batch: usize) -> (Rc<Vec<PointView>>, Vec<Action>, Rc<PathOutcome>) {
        use framelens::explain::journey::{encode, Texts};
        let files = framelens::craft::paths::story();
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        let mut texts = Texts::default();
        let mut words = Vec::new();
        let mut actions = Vec::new();
        let mut count = 0;
        let (plan, summary) = framelens::path::follow_bytes(&refs, Default::default(), |plan, j| {
            encode(plan, j, &mut texts, &mut words);
            count += 1;
            if count == batch {
                let w = std::mem::take(&mut words);
                actions.push((w, count, texts.take_new()));
                count = 0;
            }
        });
        actions.push((words, count, texts.take_new()));
        let points = plan
            .points
            .iter()
            .map(|p| PointView { point: p.clone(), spec: PointSpec::of(p, files[p.file].0).to_string() })
            .collect();
        let outcome = PathOutcome {
            points_in_order: summary.points_in_order.clone(),
            points_in_order_reverse: summary.points_in_order_reverse.clone(),
            findings: summary.findings.clone(),
            counts: summary.counts,
            // As the worker posts them.
            clock_offsets_ns: summary.clock_offsets.iter().map(|(_, ns)| *ns).collect(),
            ..PathOutcome::default()
        };
        let actions = actions
            .into_iter()
            .map(|(words, count, texts)| Action::Journeys {
                path_id: 7,
                words,
                count,
                texts,
                bytes_done: 1,
                bytes_total: 2,
                elapsed_ms: 1.0,
            })
            .collect();
        (Rc::new(points), actions, Rc::new(outcome))
    }

    fn two_captures() -> State {
        State::default().apply(Action::AddFiles {
            captures: vec![("laptop.pcap".into(), 10), ("controller.pcapng".into(), 20)],
            logs: vec![],
            replace: true,
        })
    }

    #[test]
    fn captures_join_those_open_and_a_path_needs_two() {
        let st = State::default().apply(Action::AddFiles {
            captures: vec![("a.pcap".into(), 1)],
            logs: vec![],
            replace: true,
        });
        let st = st.apply(Action::PathStart { path_id: 1, order: vec![] });
        assert!(st.path.is_none(), "one capture has no path view");
        let st = st.apply(Action::AddFiles {
            captures: vec![("b.pcap".into(), 2), ("a.pcap".into(), 3)],
            logs: vec!["kern.log".into()],
            replace: false,
        });
        assert_eq!(st.captures, [("a.pcap".to_string(), 3), ("b.pcap".to_string(), 2)]);
        assert_eq!(st.log_files, ["kern.log"]);
        let st = st
            .apply(Action::PathStart { path_id: 2, order: vec![] })
            .apply(Action::Activate(1))
            .apply(Action::Activate(9));
        assert_eq!(st.active, 1);
        assert_eq!(st.path.as_ref().unwrap().files, ["a.pcap", "b.pcap"]);
        let st = st.apply(Action::AddFiles { captures: vec![("c.pcap".into(), 1)], logs: vec![], replace: true });
        assert!(st.path.is_none() && st.log_files.is_empty() && st.active == 0);
    }

    #[test]
    fn an_order_goes_into_the_fragment_as_the_core_writes_its_points() {
        let f = Fragment::parse("#frame=3&order=laptop.pcap:0,controller.pcapng:eth1,,controller.pcapng");
        assert_eq!(
            f.order,
            ["laptop.pcap:0", "controller.pcapng:eth1", "controller.pcapng"],
            "an empty point is left out"
        );
        assert_eq!(
            f.format(),
            "#frame=3&mtu=1500&rule=ovs-kernel&fcs=auto&order=laptop.pcap:0,controller.pcapng:eth1,controller.pcapng"
        );
        assert_eq!(Fragment::parse(&f.format()), f);
        // A name with a comma, an ampersand or a space stays one point.
        let odd = Fragment { order: vec!["a,b & c.pcap:eth1".into(), "d.pcap".into()], ..Fragment::default() };
        assert!(odd.format().ends_with("&order=a%2Cb%20%26%20c.pcap:eth1,d.pcap"), "{}", odd.format());
        assert_eq!(Fragment::parse(&odd.format()), odd);
        assert!(Fragment::parse("#mtu=1400").order.is_empty());
    }

    #[test]
    fn a_column_moved_is_the_readers_order_and_the_path_is_followed_again_in_it() {
        let (points, batches, outcome) = story_path(1000);
        let mut st = two_captures().apply(Action::PathStart { path_id: 7, order: vec![] });
        st = st.apply(Action::PathPoints { path_id: 7, points: points.clone() });
        for b in batches {
            st = st.apply(b);
        }
        st = st.apply(Action::PathDone { path_id: 7, outcome, elapsed_ms: 1.0 });
        assert_eq!(st.follow_due(), None, "the evidence's order, as followed");
        let columns = st.path.as_ref().unwrap().columns();
        let spec = |c: u16| points[usize::from(c)].spec.clone();
        // Nothing to move: out of range, or onto itself.
        for (from, to) in [(0, 0), (0, 3), (3, 0)] {
            assert!(st.clone().apply(Action::MovePoint { from, to }).order.is_empty(), "{from} → {to}");
        }
        // The first column dragged onto the last: the others move up.
        let moved = st.clone().apply(Action::MovePoint { from: 0, to: 2 });
        let order = vec![spec(columns[1]), spec(columns[2]), spec(columns[0])];
        assert_eq!(moved.order, order);
        assert_eq!(moved.follow_due(), Some(order.clone()));
        assert!(moved.fragment().format().ends_with(&format!("&order={}", encode_order(&order))));
        // A button moves a column one place.
        let right = st.clone().apply(Action::MovePoint { from: 1, to: 2 });
        assert_eq!(right.order, [spec(columns[0]), spec(columns[2]), spec(columns[1])]);
        // Followed again in it: nothing more is due, until the reader goes
        // back to a link without an order (the evidence's again).
        let again = moved.apply(Action::PathStart { path_id: 8, order: order.clone() });
        assert_eq!(again.path.as_ref().unwrap().order, order);
        assert_eq!(again.follow_due(), None);
        assert!(again.ignores(&Action::Hash(again.fragment().format())), "its own fragment coming back");
        let back = again.apply(Action::Hash("#mtu=1500".into()));
        assert_eq!(back.follow_due(), Some(vec![]));
        // A chosen order (a competing one offered) is the reader's too.
        let chosen = back.apply(Action::SetOrder(right.order.clone()));
        assert_eq!(chosen.follow_due(), Some(right.order));
    }

    #[test]
    fn an_order_link_opened_before_its_files_is_followed_when_they_come() {
        let order = vec!["laptop.pcap:0".to_string(), "controller.pcapng:eth1".into()];
        let st = State::default().apply(Action::Hash(format!("#order={}", encode_order(&order))));
        assert_eq!(st.order, order);
        assert_eq!(st.follow_due(), None, "no path yet");
        let st = st.apply(Action::AddFiles {
            captures: vec![("controller.pcapng".into(), 20), ("laptop.pcap".into(), 10)],
            logs: vec![],
            replace: false,
        });
        // The app starts the path with the state's order: nothing more is due.
        let chosen = st.order.clone();
        let st = st.apply(Action::PathStart { path_id: 1, order: chosen });
        assert_eq!(st.path.as_ref().unwrap().order, order);
        assert_eq!(st.follow_due(), None);
        assert_eq!(st.order, order, "the order stays for the files it names");
    }

    #[test]
    fn journeys_arrive_in_batches_filter_and_select_with_their_frames() {
        let (points, batches, outcome) = story_path(5);
        assert!(batches.len() > 2);
        let mut st = two_captures().apply(Action::PathStart { path_id: 7, order: vec![] });
        st = st.apply(Action::PathPoints { path_id: 7, points: points.clone() });
        // Another diagnosis' batch changes nothing.
        st = st.apply(Action::PathPoints { path_id: 6, points: Rc::default() });
        st = st.apply(Action::PathFilter(PathFilter::Lost));
        for b in batches {
            st = st.apply(b);
        }
        let p = st.path.as_ref().unwrap();
        assert_eq!(p.journeys.len() as u64, outcome.counts.journeys);
        assert_eq!(p.visible.len() as u64, outcome.counts.lost, "the lost filter grows batch by batch");
        assert_eq!(p.columns(), (0..points.len() as u16).collect::<Vec<_>>());
        st = st.apply(Action::PathDone { path_id: 7, outcome: outcome.clone(), elapsed_ms: 5.0 });
        let p = st.path.as_ref().unwrap();
        assert_eq!(p.columns()[..outcome.points_in_order.len()], outcome.points_in_order[..]);
        assert!(p.loss_sentences()[0].contains("never reach"), "{:?}", p.loss_sentences());
        st = st.apply(Action::PathFilter(PathFilter::ChangedSize));
        assert_eq!(st.path.as_ref().unwrap().visible.len() as u64, outcome.counts.changed_size);
        st = st.apply(Action::PathFilter(PathFilter::All));
        assert_eq!(st.path.as_ref().unwrap().visible.len() as u64, outcome.counts.journeys);
        // Selecting a lost journey asks for its frames at each point that saw it.
        let lost =
            st.path.as_ref().unwrap().journeys.iter_from(0).find(|(_, j)| j.lost_after().is_some()).unwrap().1.index();
        st = st.apply(Action::SelectJourney(Some(lost)));
        let due = st.journey_reads_due();
        assert_eq!(due.len(), 2);
        assert_eq!(due.iter().map(|(f, _)| *f).collect::<Vec<_>>(), [0, 1]);
        let (file, seen) = due[0];
        st = st.apply(Action::JourneyFrameRead { path_id: 7, file, number: seen.frame, packet: Ok(None) });
        assert_eq!(st.journey_reads_due().len(), 1);
        assert!(st.path.as_ref().unwrap().frame(file, seen.frame).unwrap().is_err());
    }

    #[test]
    fn a_path_lesson_opens_its_files_together_and_each_step_selects_its_journey() {
        let l = lesson("path-story").unwrap();
        let stop = |k: usize| l.steps[k].at.unwrap();
        let st = State::default().apply(Action::Hash("#order=controller.pcapng:eth1".into()));
        assert_eq!(st.order, ["controller.pcapng:eth1"]);
        let st = st.apply(Action::Fragment(Fragment::parse("#lesson=path-story")));
        assert!(st.order.is_empty(), "the lesson's steps are in the evidence's order");
        let set = st.lesson_path_due().expect("its files are due");
        assert_eq!((set.captures, set.logs), (&["laptop.pcap", "controller.pcapng"][..], &["controller-kern.log"][..]));
        assert_eq!(st.lesson_capture_due(), None, "no single capture to fetch");
        assert_eq!(st.fragment().format(), "#lesson=path-story&step=1");
        // The app opens them as one drop: the captures in the lesson's order, the log beside them.
        let st = st.apply(Action::AddFiles {
            captures: vec![("laptop.pcap".into(), 1), ("controller.pcapng".into(), 2)],
            logs: vec!["controller-kern.log".into()],
            replace: true,
        });
        assert_eq!(st.lesson_path_due(), None, "the request is met");
        let st = st.apply(Action::Activate(1)).apply(Action::Start {
            load_id: 1,
            name: "controller.pcapng".into(),
            size: 2,
        });
        assert_eq!(st.lesson.map(|l| l.id), Some("path-story"), "one of its captures keeps the lesson");
        // The path starts: the step's journey is selected at once, and is
        // highlighted at its point once its journeys came; the list shows nothing for it.
        let (points, batches, _) = story_path(4);
        let mut st = st.apply(Action::PathStart { path_id: 7, order: vec![] });
        assert_eq!(st.path.as_ref().unwrap().selected, Some(stop(0).journey));
        st = st.apply(Action::PathPoints { path_id: 7, points });
        for b in batches {
            st = st.apply(b);
        }
        assert_eq!(st.lesson_journey_highlight(), Some((0, l.steps[0].highlight)));
        assert_eq!((st.lesson_highlight(), st.selected), (None, None));
        assert_eq!(st.journey_reads_due().len(), 3, "the answered ping's frames at the three points");
        // The lost packet at eth1, the 1,502 bytes outlined.
        let st = st.apply(Action::LessonStep(5));
        let p = st.path.as_ref().unwrap();
        assert_eq!(p.selected, Some(stop(5).journey));
        assert_eq!(p.selected_journey().unwrap().lost_after(), Some(1));
        assert_eq!(st.lesson_journey_highlight(), Some((1, Highlight::Bytes { start: 18, end: 1520 })));
        assert_eq!(st.fragment().format(), "#lesson=path-story&step=6");
        // The step that quotes the kernel log marks its line.
        let st = st.apply(Action::LessonStep(6));
        assert_eq!(
            (st.lesson_log_line(), st.lesson_stop().map(|s| s.point)),
            (Some(("controller-kern.log", 4)), Some(1))
        );
        assert_eq!(st.clone().apply(Action::LessonStep(5)).lesson_log_line(), None);
        // Another journey chosen by hand keeps the lesson and drops the highlight.
        let by_hand = st.clone().apply(Action::SelectJourney(Some(0)));
        assert_eq!((by_hand.lesson.map(|l| l.step), by_hand.lesson_journey_highlight()), (Some(6), None));
        // The takeaway keeps the last step's journey, with nothing highlighted.
        let end = by_hand.apply(Action::LessonStep(99));
        let p = end.path.as_ref().unwrap();
        assert_eq!((end.lesson.map(|l| l.step), p.selected), (Some(7), Some(stop(6).journey)));
        assert_eq!((end.lesson_journey_highlight(), end.lesson_log_line()), (None, None));
        // The other capture of the lesson keeps it; a capture not in it ends it.
        let st = end.apply(Action::Start { load_id: 2, name: "laptop.pcap".into(), size: 1 });
        assert!(st.lesson.is_some());
        let st = st.apply(Action::Start { load_id: 3, name: "two-bytes.pcap".into(), size: 1 });
        assert_eq!(st.lesson, None);
    }

    #[test]
    fn a_lost_journey_is_shared_as_one_link_that_opens_its_sightings() {
        let (points, batches, outcome) = story_path(1000);
        let mut st = two_captures().apply(Action::PathStart { path_id: 7, order: vec![] });
        st = st.apply(Action::PathPoints { path_id: 7, points });
        for b in batches {
            st = st.apply(b);
        }
        st = st.apply(Action::PathDone { path_id: 7, outcome, elapsed_ms: 1.0 });
        let lost =
            st.path.as_ref().unwrap().journeys.iter_from(0).find(|(_, j)| j.lost_after().is_some()).unwrap().1.index();
        st = st.apply(Action::SelectJourney(Some(lost)));
        // Not before its frames are read.
        assert!(st.clone().apply(Action::OpenJourneyShare).share_journey.is_none());
        let files = framelens::craft::paths::story();
        for (file, seen) in st.journey_reads_due() {
            let mut packet = None;
            framelens::capture::read_all(&files[file].1, |p| {
                if p.number == seen.frame {
                    packet = Some(Rc::new(OwnedFrame::from_packet(&p)));
                }
            });
            st = st.apply(Action::JourneyFrameRead { path_id: 7, file, number: seen.frame, packet: Ok(packet) });
        }
        st = st.apply(Action::OpenJourneyShare).apply(Action::ShareNote("ping -s 1472 dies".into()));
        let d = st.share_journey.clone().expect("the dialog opens");
        assert_eq!(
            d.seen.iter().map(|s| s.point.as_str()).collect::<Vec<_>>(),
            ["laptop.pcap · 0", "controller.pcapng · eth1"]
        );
        assert!(d.headers_only);
        assert_eq!(d.zeroed(), 2 * 1472, "both frames' ping payload");
        assert!(d.markdown().contains("- laptop.pcap · 0 → controller.pcapng · eth1: +2 unexplained bytes 25 7f\n"));
        assert!(d
            .markdown()
            .contains("**Lost after `controller.pcapng · eth1`:** never seen at `controller.pcapng · qr-5d0a1c2e-7f`"));
        // The same share `framelens path --journey` builds, from the follower's journey.
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        let mut journey = None;
        let (plan, summary) = framelens::path::follow_bytes(&refs, framelens::path::PathSettings::default(), |_, j| {
            if j.index == lost {
                journey = Some(j.clone());
            }
        });
        let journey = journey.unwrap();
        let frames: Vec<Rc<OwnedFrame>> = d.seen.iter().map(|s| s.packet.clone()).collect();
        let packets: Vec<_> = frames.iter().map(|f| f.packet()).collect();
        let cli = framelens::explain::share::journey::from_path(
            &plan,
            &summary.findings,
            &journey,
            &packets,
            Settings::default(),
            true,
        );
        assert_eq!(d.shared(true), framelens::explain::share::SharedJourney { note: d.note.clone(), ..cli });
        let link = d.link("https://example.invalid/").unwrap();
        let full = st.clone().apply(Action::ShareHeadersOnly(false)).share_journey.unwrap();
        assert_eq!(full.zeroed(), 0);
        assert!(full.link("").unwrap().len() > link.len());
        // Opened in a fresh page: the shared journey, its frames, the sender's settings.
        let (_, hash) = link.split_once('#').unwrap();
        let opened = State::default().apply(Action::Hash(format!("#{hash}")));
        let Some(SharedPage::Journey { journey, packets, settings }) = opened.shared.clone() else {
            panic!("{:?}", opened.shared)
        };
        assert_eq!((journey.note.as_str(), packets.len(), settings), ("ping -s 1472 dies", 2, Settings::default()));
        assert_eq!(packets[1].data[1518..], [0x25, 0x7f]);
        let at = |st: &State| match &st.shared {
            Some(SharedPage::Journey { packets, settings, .. }) => {
                framelens::frame::analysis::analyze(&packets[1].packet(), settings).mtu.dropped
            }
            _ => panic!(),
        };
        assert!(at(&opened), "1502 > 1500 at eth1");
        let wider = opened.apply(Action::SharedSettings(Settings { mtu: 1502, ..Settings::default() }));
        assert!(!at(&wider));
        assert!(st.apply(Action::CloseShare).share_journey.is_none());
    }

    #[test]
    fn the_kernel_log_names_its_frames() {
        use crate::protocol::LogView;
        use framelens::log::matching::{LogEntry, LogLineFields};
        use framelens::log::message::MessageKind;
        let (recs, summary) = records(STORY);
        let st = State::default().apply(Action::Start { load_id: 1, name: "x".into(), size: 10 });
        let st = st.apply(frames(1, &recs, 0..recs.len()));
        let row = LogEntry {
            fields: LogLineFields {
                file: "kern.log".into(),
                line: 4,
                time_ns: None,
                kind: MessageKind::OverMtu,
                device: Some("qg-1".into()),
                text: "qg-1: dropped over-mtu packet: 1502 > 1500".into(),
            },
            frames: vec![3],
        };
        let log = Rc::new(LogView { rows: vec![row], errors: vec![] });
        let st = st.apply(Action::Finished {
            load_id: 1,
            summary: Rc::new(summary),
            bytes_done: 0,
            elapsed_ms: 0.0,
            context: Rc::default(),
            log: Some(log),
        });
        assert_eq!(st.frame_log(3), ["kern.log:4: qg-1: dropped over-mtu packet: 1502 > 1500"]);
        assert!(st.frame_log(2).is_empty());
        // A rescan forgets it until its own log comes.
        let st = st.apply(Action::Start { load_id: 2, name: "x".into(), size: 10 });
        assert!(st.frame_log(3).is_empty());
    }

    #[test]
    fn an_opened_payload_run_stays_open_for_its_frame_until_another_load() {
        let st = loaded(STORY).apply(Action::Select(Some(15))).apply(read(1, 15));
        assert_eq!(st.unfolded_in(15), Vec::<u32>::new(), "folded at first");
        let st = st.apply(Action::Unfold { frame: 15, start: 48 }).apply(Action::Unfold { frame: 15, start: 48 });
        assert_eq!((st.unfolded_in(15), st.unfolded_in(13)), (vec![48], vec![]), "once, for that frame only");
        // It renders open: the markup gets the run's start.
        let Some(Ok(p)) = st.shown_bytes() else { panic!() };
        let a = framelens::frame::analysis::analyze(&p.packet(), &st.settings);
        let html = crate::markup::hex_html(&a, &p.data, &[], &st.unfolded_in(15));
        assert_eq!(html.matches(r#"<span class="b "#).count(), 1520);
        // Other frames and back: still open; a new load folds it again.
        let st = st.apply(Action::Select(Some(13))).apply(Action::Select(Some(15)));
        assert_eq!(st.unfolded_in(15), vec![48]);
        let st = st.apply(Action::Start { load_id: 2, name: "y".into(), size: 1 });
        assert!(st.unfolded.is_empty());
    }
}

#[cfg(test)]
mod expr_tests {
    use super::*;
    use framelens::scan::scan_bytes;

    fn loaded(path: &str) -> State {
        let bytes = std::fs::read(path).unwrap();
        let mut b = framelens::scan::store::RecordBatch::new();
        let summary = scan_bytes(&bytes, Settings::default(), |r| b.push(r));
        let len = b.len();
        let (records, blocks) = b.into_parts();
        let counts_so_far = summary.counts;
        let index = Box::new(RecordIndex { blocks, len, counts_so_far, settings: Settings::default() });
        State::default()
            .apply(Action::Start { load_id: 1, name: "x".into(), size: 1 })
            .apply(Action::Frames {
                load_id: 1,
                records,
                index,
                bytes_done: 0,
                elapsed_ms: 0.0,
                context: None,
                findings: None,
            })
            .apply(Action::Finished {
                load_id: 1,
                summary: Rc::new(summary),
                bytes_done: 0,
                elapsed_ms: 0.0,
                context: Rc::default(),
                log: None,
            })
    }

    fn rows(v: &Visible) -> Vec<u64> {
        (0..v.len()).filter_map(|i| v.get(i)).collect()
    }

    const STORY: &str = "../static/examples/two-bytes.pcap";

    #[test]
    fn a_record_expression_narrows_the_list_with_the_chips_and_goes_into_the_fragment() {
        let st = loaded(STORY).apply(Action::SetExpr(" region == \"trailer\" ".into()));
        assert_eq!(st.expr_text, "region == \"trailer\"");
        let trailer = rows(&st.visible);
        let chip = rows(&loaded(STORY).apply(Action::SetFilter(Filter::Unexplained)).visible);
        assert_eq!(trailer, chip, "the expression and the chip agree");
        assert!(!trailer.is_empty() && st.select_due().is_none(), "answered on the page");
        let both = st.clone().apply(Action::SetFilter(Filter::Padding));
        assert!(rows(&both.visible).iter().all(|n| trailer.contains(n)));
        let f = st.fragment();
        assert_eq!(f.format(), "#mtu=1500&rule=ovs-kernel&fcs=auto&filter=region%20%3D%3D%20%22trailer%22");
        assert_eq!(Fragment::parse(&f.format()), f);
        // The page's own fragment changes nothing; a link without a filter clears it.
        assert!(st.ignores(&Action::Hash(f.format())));
        let cleared = st.apply(Action::Hash("#mtu=1500".into()));
        assert_eq!((cleared.expr_text.as_str(), cleared.visible.clone()), ("", Visible::All(cleared.frames.len())));
    }

    #[test]
    fn an_expression_that_does_not_compile_says_where_and_narrows_nothing() {
        let st = loaded(STORY).apply(Action::SetExpr("ip.sorce == 10.0.0.1".into()));
        assert_eq!(st.visible, Visible::All(st.frames.len()));
        let Expr::Error { message, column } = &st.expr else { panic!("{:?}", st.expr) };
        assert_eq!((message.as_str(), *column), ("unknown field `ip.sorce` at column 1; did you mean `ip.src`?", 1));
        assert_eq!(Fragment::parse(&st.fragment().format()).filter.as_deref(), Some("ip.sorce == 10.0.0.1"));
    }

    #[test]
    fn a_byte_expression_is_asked_of_the_worker_and_shows_its_matches() {
        let st = loaded(STORY).apply(Action::SetExpr("ip.proto == 1".into()));
        assert_eq!(st.visible.len(), 0, "nothing until the worker answers");
        let due = st.select_due().expect("the worker is asked");
        assert_eq!((due.load_id, due.text.as_str()), (1, "ip.proto == 1"));
        let answer = |st: State, load_id, text: &str, numbers: Vec<u64>| {
            st.apply(Action::ExprMatches {
                load_id,
                text: text.into(),
                settings: due.settings,
                numbers: Ok(Rc::new(numbers)),
            })
        };
        let stale = answer(st.clone(), 0, "ip.proto == 1", vec![1]);
        assert_eq!((stale.visible.len(), stale.select_due().is_some()), (0, true), "another load's answer");
        let st = answer(st, 1, "ip.proto == 1", vec![2, 5, 9]);
        assert_eq!(rows(&st.visible), vec![2, 5, 9]);
        assert!(st.select_due().is_none());
        // Other settings: asked again, with them.
        let st = st.apply(Action::SetSettings(Settings { mtu: 9000, ..Settings::default() }));
        assert_eq!((st.visible.len(), st.select_due().map(|d| d.settings.mtu)), (0, Some(9000)));
        let failed = st.apply(Action::ExprMatches {
            load_id: 1,
            text: "ip.proto == 1".into(),
            settings: Settings::default(),
            numbers: Err("NotReadableError".into()),
        });
        assert!(matches!(&failed.expr, Expr::Error { message, .. } if message.contains("NotReadableError")));
    }
}
