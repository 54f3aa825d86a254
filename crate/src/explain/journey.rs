//! Journeys as a face keeps and shows them: a compact store (the web app's
//! path view holds every journey of two captures of hundreds of MB), the
//! row of one journey with a cell per point in path order, and the bytes
//! that appeared in a frame between two points.
//!
//! The store is flat `u32` words, as the scan worker posts them in batches:
//!
//! ```text
//! journey  index · seen (8 bits) | changes (8 bits) << 8 · lost_after | lost_before << 16 (0xffff: none)
//! seen     point · frame · len · caplen · offset (low, high)        per sighting
//! change   from | to << 16 · text id                                per change
//! ```
//!
//! A change's words are kept once per distinct text ([`Texts`]): a path's
//! changes repeat ("+2 unexplained bytes 25 7f" on every packet), so a
//! journey of two sightings and one change takes 18 words (72 bytes) and one
//! more for where it starts ([`BYTES_PER_JOURNEY`]).

use crate::frame::analysis::FrameAnalysis;
use crate::path::journey::Journey;
use crate::path::plan::Plan;
use crate::path::report::change_text;
use foldhash::HashMap;

/// Words of a journey's header.
const HEAD: usize = 3;
/// Words per sighting and per change.
const SEEN: usize = 6;
const CHANGE: usize = 2;
/// No point.
const NONE: u32 = 0xffff;
/// Bytes a journey of two sightings and one change takes in a [`JourneyStore`].
pub const BYTES_PER_JOURNEY: usize = (HEAD + 2 * SEEN + CHANGE + 1) * 4;

/// The distinct change texts seen so far (worker side): each gets an id once.
#[derive(Default)]
pub struct Texts {
    ids: HashMap<String, u32>,
    list: Vec<String>,
    sent: usize,
}

impl Texts {
    pub fn id(&mut self, text: String) -> u32 {
        if let Some(&id) = self.ids.get(&text) {
            return id;
        }
        let id = self.list.len() as u32;
        self.list.push(text.clone());
        self.ids.insert(text, id);
        id
    }

    /// The texts added since the last call, in id order.
    pub fn take_new(&mut self) -> Vec<String> {
        let new = self.list[self.sent..].to_vec();
        self.sent = self.list.len();
        new
    }
}

/// Appends `j` to `out` as the store's words; its changes' texts (as
/// `framelens path --json` writes them) get their ids from `texts`.
pub fn encode(plan: &Plan, j: &Journey, texts: &mut Texts, out: &mut Vec<u32>) {
    let seen = j.seen.len().min(255);
    let changes = j.changes.len().min(255);
    out.push(j.index.min(u64::from(u32::MAX)) as u32);
    out.push(seen as u32 | (changes as u32) << 8);
    let point = |p: Option<u16>| p.map_or(NONE, u32::from);
    out.push(point(j.lost_after) | point(j.lost_before) << 16);
    for s in &j.seen[..seen] {
        let frame = s.frame.min(u64::from(u32::MAX)) as u32;
        out.extend([u32::from(s.point), frame, s.len, s.caplen, s.offset as u32, (s.offset >> 32) as u32]);
    }
    for (from, to, c) in &j.changes[..changes] {
        out.push(u32::from(*from) | u32::from(*to) << 16);
        out.push(texts.id(change_text(plan, *from, *to, &c.words)));
    }
}

/// One sighting as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seen {
    pub point: u16,
    /// The frame's number in its own file.
    pub frame: u64,
    pub len: u32,
    pub caplen: u32,
    pub offset: u64,
}

/// One stored journey.
#[derive(Clone, Copy, Debug)]
pub struct JourneyRef<'a> {
    words: &'a [u32],
}

impl<'a> JourneyRef<'a> {
    pub fn index(&self) -> u64 {
        u64::from(self.words[0])
    }

    fn counts(&self) -> (usize, usize) {
        ((self.words[1] & 0xff) as usize, (self.words[1] >> 8 & 0xff) as usize)
    }

    fn point(w: u32) -> Option<u16> {
        (w != NONE).then_some(w as u16)
    }

    /// The last point that saw it, when it was lost.
    pub fn lost_after(&self) -> Option<u16> {
        Self::point(self.words[2] & 0xffff)
    }

    /// The point where it vanished: the next one the rest of its flow reached.
    pub fn lost_before(&self) -> Option<u16> {
        Self::point(self.words[2] >> 16)
    }

    /// In time order.
    pub fn seen(&self) -> impl Iterator<Item = Seen> + 'a {
        let n = self.counts().0;
        self.words[HEAD..HEAD + n * SEEN].chunks_exact(SEEN).map(|w| Seen {
            point: w[0] as u16,
            frame: u64::from(w[1]),
            len: w[2],
            caplen: w[3],
            offset: u64::from(w[4]) | u64::from(w[5]) << 32,
        })
    }

    /// (from point, to point, text id).
    pub fn changes(&self) -> impl Iterator<Item = (u16, u16, u32)> + 'a {
        let (n, c) = self.counts();
        let at = HEAD + n * SEEN;
        self.words[at..at + c * CHANGE].chunks_exact(CHANGE).map(|w| (w[0] as u16, (w[0] >> 16) as u16, w[1]))
    }

    /// The frame length differs between two of its sightings.
    pub fn changed_size(&self) -> bool {
        let mut lens = self.seen().map(|s| s.len);
        let first = lens.next();
        lens.any(|l| Some(l) != first)
    }
}

/// Every journey kept, as flat words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JourneyStore {
    words: Vec<u32>,
    starts: Vec<u32>,
}

impl JourneyStore {
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Bytes held (both vectors' capacity).
    pub fn bytes(&self) -> usize {
        (self.words.capacity() + self.starts.capacity()) * 4
    }

    /// Appends a batch of [`encode`]d journeys, at most `limit` of them in
    /// all (the rest are not kept); returns how many it kept. A batch whose
    /// words do not add up is refused whole.
    pub fn append(&mut self, batch: &[u32], limit: usize) -> Result<usize, String> {
        let mut starts = Vec::new();
        let mut at = 0usize;
        while at < batch.len() {
            let head = batch.get(at + 1).ok_or("a journey's header is cut")?;
            let (n, c) = ((head & 0xff) as usize, (head >> 8 & 0xff) as usize);
            let len = HEAD + n * SEEN + c * CHANGE;
            if n == 0 || at + len > batch.len() {
                return Err(format!("journey words at {at} do not add up"));
            }
            starts.push(at);
            at += len;
        }
        let room = limit.saturating_sub(self.len());
        let keep = starts.len().min(room);
        let end = starts.get(keep).copied().unwrap_or(batch.len());
        let base = self.words.len();
        self.starts.extend(starts[..keep].iter().map(|&s| (base + s) as u32));
        self.words.extend_from_slice(&batch[..end]);
        Ok(keep)
    }

    pub fn get(&self, i: usize) -> Option<JourneyRef<'_>> {
        let start = *self.starts.get(i)? as usize;
        let end = self.starts.get(i + 1).map_or(self.words.len(), |&e| e as usize);
        Some(JourneyRef { words: &self.words[start..end] })
    }

    pub fn iter(&self) -> impl Iterator<Item = JourneyRef<'_>> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The position of the journey with this index (journeys are kept in index order).
    pub fn position(&self, index: u64) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.get(mid).map(|j| j.index())? {
                i if i == index => return Some(mid),
                i if i < index => lo = mid + 1,
                _ => hi = mid,
            }
        }
        None
    }
}

/// One cell of a journey's row: what one point saw of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Seen there: its length, and the change against the sighting before (in time).
    Seen { len: u32, delta: i64, frame: u64 },
    /// It vanished here: the rest of its flow reached this point, it did not.
    Lost,
    /// Not seen (another direction, or a point this packet does not pass).
    Absent,
}

/// The row of `j` with one cell per point of `columns` (path order).
pub fn cells(j: &JourneyRef<'_>, columns: &[u16]) -> Vec<Cell> {
    let seen: Vec<Seen> = j.seen().collect();
    columns
        .iter()
        .map(|&p| match seen.iter().position(|s| s.point == p) {
            Some(i) => {
                let s = seen[i];
                let delta = i.checked_sub(1).map_or(0, |b| i64::from(s.len) - i64::from(seen[b].len));
                Cell::Seen { len: s.len, delta, frame: s.frame }
            }
            None if j.lost_before() == Some(p) => Cell::Lost,
            None => Cell::Absent,
        })
        .collect()
}

/// The columns of the path view: the points in path order, then the points
/// only the other direction (or nothing) passes, by index.
pub fn columns(points: usize, in_order: &[u16], reverse: &[u16]) -> Vec<u16> {
    let mut out: Vec<u16> = Vec::with_capacity(points);
    for &p in in_order.iter().chain(reverse.iter().rev()) {
        if usize::from(p) < points && !out.contains(&p) {
            out.push(p);
        }
    }
    for p in 0..points.min(usize::from(u16::MAX)) as u16 {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// The bytes of `after` (the frame at a later point) that `before` did not
/// have: layers (tags, tunnel headers) and regions after the datagram
/// (trailer, padding, FCS) of kinds `before` lacks, as frame offsets, merged.
pub fn appeared(before: &FrameAnalysis, after: &FrameAnalysis) -> Vec<(u32, u32)> {
    let kinds: Vec<_> = before.ledger.regions().map(|r| r.kind).collect();
    let region_spans: Vec<(u32, u32)> = after.ledger.regions().map(|r| (r.start, r.end())).collect();
    let mut out: Vec<(u32, u32)> =
        after.ledger.regions().filter(|r| !kinds.contains(&r.kind) && r.len > 0).map(|r| (r.start, r.end())).collect();
    for s in &after.spans {
        let is_region = region_spans.contains(&(s.start, s.end));
        let known = before.spans.iter().any(|b| b.layer == s.layer && b.depth == s.depth);
        if !is_region && !known && s.start < s.end {
            out.push((s.start, s.end));
        }
    }
    crate::explain::view::merge_runs(out)
}

/// For one packet's frames in path order (`None`: not read yet), the runs
/// that appeared in each since the last frame read before it: what the
/// side-by-side anatomies outline.
pub fn appeared_along<'a, I>(analyses: I) -> Vec<Vec<(u32, u32)>>
where
    I: IntoIterator<Item = Option<&'a FrameAnalysis>>,
{
    let mut before: Option<&FrameAnalysis> = None;
    analyses
        .into_iter()
        .map(|a| match a {
            Some(a) => {
                let runs = before.map(|b| appeared(b, a)).unwrap_or_default();
                before = Some(a);
                runs
            }
            None => Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::analysis::analyze;
    use crate::path::{follow_bytes, PathSettings};
    use crate::settings::Settings;

    fn story() -> (Plan, crate::path::PathSummary, JourneyStore, Vec<String>) {
        let files = crate::craft::paths::story();
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        let mut texts = Texts::default();
        let mut words = Vec::new();
        let (plan, summary) = follow_bytes(&refs, PathSettings::default(), |plan, j| {
            encode(plan, j, &mut texts, &mut words);
        });
        let mut store = JourneyStore::default();
        assert_eq!(store.append(&words, usize::MAX).unwrap(), summary.counts.journeys as usize);
        (plan, summary, store, texts.take_new())
    }

    #[test]
    fn the_story_reads_back_from_the_store_with_its_loss_and_changes() {
        let (plan, summary, store, texts) = story();
        assert_eq!(store.len() as u64, summary.counts.journeys);
        let lost: Vec<_> = store.iter().filter(|j| j.lost_after().is_some()).collect();
        assert_eq!(lost.len() as u64, summary.counts.lost);
        let cols = columns(plan.points.len(), &summary.points_in_order, &summary.points_in_order_reverse);
        assert_eq!(cols.len(), plan.points.len());
        for j in &lost {
            let row = cells(j, &cols);
            let at = cols.iter().position(|&p| Some(p) == j.lost_before()).unwrap();
            assert_eq!(row[at], Cell::Lost);
            assert!(row[..at].iter().all(|c| matches!(c, Cell::Seen { .. })), "{row:?}");
        }
        // The controller sees what the laptop sent grown (VLAN tag, 2 driver bytes).
        let grew =
            store.iter().find(|j| cells(j, &cols).iter().any(|c| matches!(c, Cell::Seen { delta, .. } if *delta > 0)));
        assert!(grew.is_some());
        assert!(texts.iter().any(|t| t.contains("+2 unexplained bytes 25 7f")), "{texts:?}");
        assert_eq!(store.iter().filter(|j| j.changed_size()).count() as u64, summary.counts.changed_size);
        // Every change's id names one of the texts, once.
        for j in store.iter() {
            assert!(j.changes().all(|(_, _, id)| (id as usize) < texts.len()));
        }
        assert!(store.bytes() <= store.len() * 2 * BYTES_PER_JOURNEY);
        assert_eq!(store.position(store.get(5).unwrap().index()), Some(5));
    }

    #[test]
    fn the_store_keeps_at_most_its_limit_and_refuses_words_that_do_not_add_up() {
        let (_, _, full, _) = story();
        let mut words = Vec::new();
        for j in full.iter() {
            words.extend_from_slice(j.words);
        }
        let mut s = JourneyStore::default();
        assert_eq!(s.append(&words, 10).unwrap(), 10);
        assert_eq!(s.append(&words, 10).unwrap(), 0);
        assert_eq!(s.len(), 10);
        assert!(JourneyStore::default().append(&words[..words.len() - 1], usize::MAX).is_err());
        assert!(JourneyStore::default().append(&[1, 0, 0], usize::MAX).is_err());
    }

    #[test]
    fn the_tag_and_the_trailer_that_appear_at_the_controller_are_two_runs() {
        let (_, _, store, _) = story();
        let files = crate::craft::paths::story();
        let j = store.iter().find(|j| j.lost_after().is_some()).unwrap();
        let seen: Vec<Seen> = j.seen().collect();
        let frame = |s: &Seen| {
            let file = if s.point == 0 { 0 } else { 1 };
            let mut out = None;
            let mut r = crate::capture::CaptureReader::new();
            let _ = r.push(&files[file].1, |p| {
                if p.number == s.frame {
                    assert_eq!(p.offset, s.offset);
                    out = Some(analyze(&p, &Settings::default()));
                }
            });
            out.unwrap()
        };
        let (a, b) = (frame(&seen[0]), frame(&seen[1]));
        let spans = appeared(&a, &b);
        let len = b.ledger.caplen;
        // Two runs: the VLAN 100 tag (the 802.1Q span as the dissector draws
        // it, TCI and inner EtherType after the TPID) and the 2 driver bytes
        // at the end: 6 bytes, as the journey's changes add up (+4, +2).
        assert_eq!(spans, [(14, 18), (len - 2, len)], "{spans:?}");
        assert_eq!(spans.iter().map(|(s, e)| e - s).sum::<u32>(), 6);
        assert!(appeared(&a, &a).is_empty());
        // Back the other way nothing appears: the tag and the bytes went.
        assert!(appeared(&b, &a).is_empty());
        // Along the path, a frame not read yet is skipped: the next one is
        // compared with the last one read.
        assert_eq!(appeared_along([Some(&a), None, Some(&b)]), [vec![], vec![], spans.clone()]);
        assert_eq!(appeared_along([None, Some(&b), Some(&a)]), [vec![], vec![], vec![]]);
    }
}
