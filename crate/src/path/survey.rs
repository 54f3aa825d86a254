//! The first pass over every capture: which points it has and how many
//! frames each saw, the time range it covers, and the identities of its first
//! packets. From those: the clocks ([`crate::path::clock`]), the order of the
//! points along the path ([`crate::path::order`]) and the matching window.
//! Points are numbered in path order and the reference clock is the one of
//! the first point's file, so that nothing of the answer depends on the
//! order the files were given. It keeps no frame, only counts and at most
//! [`CALIBRATION_PACKETS`] samples per file.

use crate::capture::{CaptureError, CaptureReader, Frame};
use crate::frame::dissect::Dissector;
use crate::frame::ledger::{account, FrameMeta};
use crate::frame::mtu::MtuFacts;
use crate::log::matching::LogSettings;
use crate::log::LogFile;
use crate::path::clock::{offsets, ClockOffset, Sample, Samples, CALIBRATION_PACKETS};
use crate::path::identity::{identify, Addr};
use crate::path::logs::{reports, LogPlan, SurveyLogs};
use crate::path::order::{order, Sequence};
use crate::path::plan::{FileInfo, PathOrder, PathSettings, Plan};
use crate::path::point::{label, Point, PointKey, PointSpec, UnknownPoint, MAX_POINTS};
use crate::settings::Settings;
use crate::text::count;
use foldhash::HashMap;
use std::collections::BTreeMap;

/// Bytes at the start of a file its fingerprint hashes (with its length):
/// what tells two files apart when everything else about them is equal.
const FINGERPRINT_BYTES: usize = 4096;
/// The matching window never grows past this: a packet "in transit" longer
/// is a coincidence of identities, not a packet.
pub const MAX_WINDOW_NS: i64 = 10_000_000_000;

struct FileSurvey {
    reader: CaptureReader,
    dissector: Dissector,
    frames_by_point: BTreeMap<PointKey, u64>,
    first_ns: Option<i64>,
    last_ns: Option<i64>,
    samples: Samples,
    sampled: usize,
    error: Option<CaptureError>,
    /// The first [`FINGERPRINT_BYTES`] and the length.
    head: Vec<u8>,
    bytes: u64,
}

/// The first pass; feed each file's bytes in order with [`Survey::push`].
pub struct Survey {
    settings: Settings,
    window_ns: i64,
    files: Vec<FileSurvey>,
    logs: Option<SurveyLogs>,
    order: Vec<PointSpec>,
}

impl Survey {
    /// The survey of `files` captures; the settings' frame settings judge
    /// each frame, their window is the smallest matching window, which the
    /// survey widens to what the captures show.
    pub fn new(files: usize, settings: PathSettings) -> Self {
        let files = (0..files)
            .map(|_| FileSurvey {
                reader: CaptureReader::new(),
                dissector: Dissector::new(),
                frames_by_point: BTreeMap::new(),
                first_ns: None,
                last_ns: None,
                samples: Samples::default(),
                sampled: 0,
                error: None,
                head: Vec::new(),
                bytes: 0,
            })
            .collect();
        Survey { settings: settings.frame, window_ns: settings.window_ns, files, logs: None, order: Vec::new() }
    }

    /// Lines kernel logs up with the captures while surveying: one log
    /// matcher per capture file sees that file's frames (only those long
    /// enough for a drop line's size are dissected for it).
    pub fn with_logs(mut self, logs: Vec<LogFile>, settings: LogSettings) -> Self {
        self.logs = Some(SurveyLogs::new(logs, settings, self.files.len()));
        self
    }

    /// The user's order of the points (`--order`, the page's columns):
    /// the points it names come first, in its order; the rest follow in
    /// the evidence's order.
    pub fn with_order(mut self, order: Vec<PointSpec>) -> Self {
        self.order = order;
        self
    }

    /// Feeds the next chunk of file `file`. An error stops that file; the
    /// packets before it count.
    pub fn push(&mut self, file: usize, chunk: &[u8]) -> Result<(), CaptureError> {
        let settings = self.settings;
        let Some(f) = self.files.get_mut(file) else { return Ok(()) };
        let FileSurvey {
            reader,
            dissector,
            frames_by_point,
            first_ns,
            last_ns,
            samples,
            sampled,
            error,
            head,
            bytes,
            ..
        } = f;
        if head.len() < FINGERPRINT_BYTES {
            let take = (FINGERPRINT_BYTES - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
        *bytes += chunk.len() as u64;
        let mut matcher = self.logs.as_mut().and_then(|l| l.matchers.get_mut(file));
        let r = reader.push(chunk, |p| {
            if let Some(m) = matcher.as_deref_mut().filter(|m| m.wants(p.original_len)) {
                let d = dissector.facts(p.data, p.link_type, p.original_len);
                let ledger = account(d, p.data, FrameMeta { original_len: p.original_len, fcs: p.fcs }, &settings);
                m.add_facts(p.number, p.timestamp_ns, p.interface, &MtuFacts::new(d, &ledger), p.data);
            }
            let point = PointKey::of(&p);
            *frames_by_point.entry(point).or_default() += 1;
            if let Some(t) = p.timestamp_ns {
                *first_ns = Some(first_ns.map_or(t, |f| f.min(t)));
                *last_ns = Some(last_ns.map_or(t, |l| l.max(t)));
            }
            if *sampled < CALIBRATION_PACKETS {
                if let Some((key, time, view, ttl)) = sample(dissector, &p, &settings) {
                    *sampled += 1;
                    samples
                        .entry(key)
                        .and_modify(|s| s.add(point, time, view, ttl))
                        .or_insert_with(|| Sample::new(point, time, view, ttl));
                }
            }
        });
        if let Err(e) = &r {
            *error = Some(e.clone());
        }
        r
    }

    /// Ends the input: points, frame counts, clocks and order. `names` are the files as given.
    pub fn finish(self, names: &[String]) -> Plan {
        self.finish_with_logs(names).0
    }

    /// [`Survey::finish`], and the logs lined up with the captures (when
    /// [`Survey::with_logs`] gave some) for [`crate::path::Follower::with_logs`].
    pub fn finish_with_logs(mut self, names: &[String]) -> (Plan, Option<LogPlan>) {
        let mut points = Vec::new();
        let mut infos = Vec::new();
        let mut all_interfaces = Vec::new();
        for (i, f) in self.files.iter_mut().enumerate() {
            if let Err(e) = f.reader.finish() {
                f.error.get_or_insert(e);
            }
            let name = names.get(i).cloned().unwrap_or_default();
            let interfaces = f.reader.interfaces();
            if self.logs.is_some() {
                all_interfaces.push(interfaces.clone());
            }
            // Every interface the file describes is a point, even one that saw
            // nothing: "no packet here" is what a path diagnosis looks for.
            let mut keys = f.frames_by_point.clone();
            for (n, iface) in interfaces.iter().enumerate() {
                if iface.link_type.kind() != crate::wire::link::LinkKind::LinuxSll2 {
                    keys.entry(PointKey { interface: n as u32, ifindex: None }).or_default();
                }
            }
            for (key, frames) in keys {
                if points.len() >= MAX_POINTS {
                    break;
                }
                let iface = interfaces.get(key.interface as usize);
                let point_name = if key.ifindex.is_some() { None } else { iface.and_then(|i| i.name.clone()) };
                let interface = key.ifindex.unwrap_or(key.interface);
                points.push(Point {
                    index: points.len() as u16,
                    file: i,
                    key,
                    label: label(&name, point_name.as_deref(), interface),
                    name: point_name,
                    link_type: iface.map_or(0, |i| i.link_type.0),
                    frames,
                });
            }
            infos.push(FileInfo {
                name,
                frames: f.reader.packets(),
                first_ns: f.first_ns,
                last_ns: f.last_ns,
                clock: ClockOffset::default(),
                rank: 0,
                error: f.error.clone(),
            });
        }
        // A canonical order of the files, from their content alone.
        let mut by_content: Vec<usize> = (0..self.files.len()).collect();
        let fingerprint = |f: &FileSurvey| {
            use core::hash::{BuildHasher, Hasher};
            let mut h = foldhash::fast::FixedState::with_seed(0x7061_7468).build_hasher();
            h.write(&f.head);
            (f.first_ns.unwrap_or(i64::MAX), f.bytes, h.finish())
        };
        by_content.sort_by_key(|&i| (fingerprint(&self.files[i]), infos[i].name.clone(), i));
        let mut rank = vec![0usize; infos.len()];
        for (r, &i) in by_content.iter().enumerate() {
            rank[i] = r;
        }
        let samples: Vec<Samples> = self.files.into_iter().map(|f| f.samples).collect();
        // Clocks against the first file by content; then the order; then the
        // clocks again against the first point's file.
        let provisional = by_content.first().copied().unwrap_or(0);
        let anchor = |f: usize| infos.get(f).and_then(|i| i.first_ns).unwrap_or(0);
        let clocks = offsets(&samples, &rank, provisional, anchor(provisional));
        let point_rank: Vec<usize> = points
            .iter()
            .map(|p| rank[p.file] * (MAX_POINTS + 1) + p.key.ifindex.unwrap_or(p.key.interface) as usize)
            .collect();
        let (sequences, widest) = sequences(&samples, &points, &clocks, &rank);
        let evidence = order(points.len(), &sequences, &point_rank);
        let names_of: Vec<String> = infos.iter().map(|f| f.name.clone()).collect();
        let mut unknown = Vec::new();
        let mut chosen: Vec<usize> = Vec::new();
        for spec in &self.order {
            let found = spec.resolve(&points, &names_of);
            if found.is_empty() {
                unknown.push(UnknownPoint {
                    spec: spec.clone(),
                    known: points.iter().map(|p| PointSpec::of(p, &names_of[p.file]).to_string()).collect(),
                });
            }
            for p in found {
                if !chosen.contains(&p) {
                    chosen.push(p);
                }
            }
        }
        let given = !chosen.is_empty();
        let mut sequence_order = chosen.clone();
        sequence_order.extend(evidence.out.iter().copied().filter(|p| !chosen.contains(p)));
        // Renumber: a point's index is its place along the path.
        let mut new_index = vec![0u16; points.len()];
        for (i, &p) in sequence_order.iter().enumerate() {
            new_index[p] = i as u16;
        }
        let mut ordered: Vec<Point> = sequence_order.iter().map(|&p| points[p].clone()).collect();
        for (i, p) in ordered.iter_mut().enumerate() {
            p.index = i as u16;
        }
        let reference = ordered.first().map_or(provisional, |p| p.file);
        let clocks =
            if reference == provisional { clocks } else { offsets(&samples, &rank, reference, anchor(reference)) };
        for (info, clock) in infos.iter_mut().zip(clocks) {
            info.clock = clock;
        }
        // Files rank by their first point along the path (the reference
        // first); files without a point after them, by content.
        let mut by_path: Vec<usize> = (0..infos.len()).collect();
        by_path.sort_by_key(|&f| (ordered.iter().position(|p| p.file == f).unwrap_or(usize::MAX), rank[f]));
        for (r, &f) in by_path.iter().enumerate() {
            infos[f].rank = r;
        }
        let remap = |v: &[usize]| v.iter().map(|&p| new_index[p]).collect::<Vec<u16>>();
        let undecided: Vec<(u16, u16)> = if given {
            Vec::new()
        } else {
            evidence.undecided.iter().map(|&(a, b)| (new_index[a], new_index[b])).collect()
        };
        let base: Vec<u16> = (0..ordered.len() as u16).collect();
        let competing = undecided
            .iter()
            .map(|&(a, b)| {
                let mut v = base.clone();
                v.swap(usize::from(a), usize::from(b));
                v
            })
            .collect();
        let label_of = |p: u16| ordered.get(usize::from(p)).map_or(String::new(), |x| format!("`{}`", x.label));
        let sentence = order_sentence(given, evidence.packets, &undecided, &remap(&evidence.unlinked), &label_of);
        // A window as wide as the slowest packet the captures show (twice,
        // for what the samples did not see) plus what the clocks leave open.
        let uncertainty = infos.iter().map(|f| f.clock.uncertainty_ns).max().unwrap_or(0);
        let window_ns = self
            .window_ns
            .max(widest.saturating_mul(2).saturating_add(uncertainty.saturating_mul(2)))
            .min(MAX_WINDOW_NS.max(self.window_ns));
        let plan = Plan {
            files: infos,
            points: ordered,
            order: PathOrder { given, sentence, reverse: remap(&evidence.back), undecided, competing, unknown },
            reference,
            window_ns,
        };
        let logs = self.logs.map(|l| LogPlan::resolve(l.logs, reports(l.matchers, &all_interfaces), &plan));
        (plan, logs)
    }
}

/// The order's sentence.
fn order_sentence(
    given: bool,
    packets: u64,
    undecided: &[(u16, u16)],
    unlinked: &[u16],
    label: &dyn Fn(u16) -> String,
) -> String {
    if given {
        return "The path order was given; the points it does not name follow in the order the packets show.".into();
    }
    let mut s = if packets == 0 {
        "No packet was seen at two points: the points are in the order of their files' first timestamps.".to_string()
    } else {
        format!(
            "The path order is the one {} seen at several points pass, their times put on one clock.",
            count(packets, "packet")
        )
    };
    for &(a, b) in undecided {
        s.push_str(&format!(
            " No packet orders {} and {} (none was seen at both, or as many each way): they may be the other way round, branches of the path (two pods' veths) or links in parallel (a bond's members, ECMP paths); if you know the order, give it (`--order`, or drag the columns in the path view).",
            label(a),
            label(b)
        ));
    }
    if packets > 0 && !unlinked.is_empty() {
        let names: Vec<String> = unlinked.iter().map(|&p| label(p)).collect();
        s.push_str(&format!(" {} shares no packet with the other points: placed last.", names.join(", ")));
    }
    s
}

/// The runs of points the sampled packets took, on the reference clock:
/// one per distinct run, with its count and earliest time. Also the
/// longest time one packet took from its first sighting to its last.
fn sequences(samples: &[Samples], points: &[Point], clocks: &[ClockOffset], rank: &[usize]) -> (Vec<Sequence>, i64) {
    let index: HashMap<(usize, PointKey), usize> =
        points.iter().enumerate().map(|(i, p)| ((p.file, p.key), i)).collect();
    let mut seen: HashMap<u64, Vec<(i64, usize, usize, usize)>> = HashMap::default();
    for (f, s) in samples.iter().enumerate() {
        for (&key, sample) in s {
            if sample.repeated {
                continue;
            }
            let e = seen.entry(key).or_default();
            for (k, &(point, t)) in sample.sightings().iter().enumerate() {
                if let Some(&p) = index.get(&(f, point)) {
                    e.push((clocks[f].to_reference(t), rank[f], k, p));
                }
            }
        }
    }
    let mut runs: BTreeMap<Vec<usize>, (u64, i64)> = BTreeMap::new();
    let mut widest = 0i64;
    for (_, mut v) in seen {
        if v.len() < 2 {
            continue;
        }
        v.sort_unstable();
        let mut run: Vec<usize> = Vec::with_capacity(v.len());
        for &(_, _, _, p) in &v {
            if !run.contains(&p) {
                run.push(p);
            }
        }
        if run.len() < 2 {
            continue;
        }
        let span = v.last().map_or(0, |l| l.0).saturating_sub(v[0].0);
        if span < MAX_WINDOW_NS {
            widest = widest.max(span);
        }
        let e = runs.entry(run).or_insert((0, i64::MAX));
        e.0 += 1;
        e.1 = e.1.min(v[0].0);
    }
    (runs.into_iter().map(|(points, (count, first_at))| Sequence { points, count, first_at }).collect(), widest)
}

fn sample(dissector: &mut Dissector, p: &Frame<'_>, settings: &Settings) -> Option<(u64, i64, (Addr, Addr), u8)> {
    let time = p.timestamp_ns?;
    let d = dissector.facts(p.data, p.link_type, p.original_len);
    let ledger = account(d, p.data, FrameMeta { original_len: p.original_len, fcs: p.fcs }, settings);
    let (id, facts) = identify(d, p.data, &ledger, &MtuFacts::new(d, &ledger), settings)?;
    Some((id.key, time, (facts.inner.src, facts.inner.dst), facts.inner.ttl))
}
