//! Kernel logs along a path (issue 12): which packets of the path a log line
//! is about, and what that adds to the path findings.
//!
//! A log has one clock, and its lines can be about frames of any capture
//! point. The core's log matcher ([`crate::log::matching`]) works on one
//! capture: so the survey runs one [`Matcher`] per capture file over all the
//! logs, each finding its own clock offset between every log and its capture.
//! Then, per log:
//!
//! - the captures' estimates are put on the reference capture's clock (minus the
//!   capture's own offset); the capture with the most matched lines decides
//!   the log's clock (one whose interfaces the log's lines name goes first:
//!   a device name equal to a point's interface name is the strongest
//!   evidence of which host wrote the log), and captures whose estimate
//!   disagrees by more than [`AGREE_NS`] are coincidences, not matches;
//! - per line, among the agreeing captures that matched it: the one whose
//!   interface the line names, else the deciding one, else the one with the
//!   most matches. Its frames are the line's.
//!
//! The second pass maps those (file, frame) pairs to journeys as journeys
//! close. Memory: the matchers' candidates (bounded per drop size) during
//! the survey, then one entry per kept line ([`crate::log::MAX_KEPT`] per
//! log) and its frames, never the captures' frames.

use crate::capture::Interface;
use crate::log::line::Stamp;
use crate::log::matching::{LogReport, LogSettings, Matcher, SLACK_NS};
use crate::log::message::{known_driver, Message, MessageKind};
use crate::log::LogFile;
use crate::path::journey::Journey;
use crate::path::plan::Plan;
use crate::path::summary::{LogClock, PathFinding, PathFindingKind, PathLogEntry, MAX_FINDING_JOURNEYS};
use crate::text::{count, plural, seconds, thousands};
use foldhash::HashMap;
use std::collections::BTreeMap;

/// How far two captures' estimates of one log's clock (on the first
/// capture's clock) may differ and still agree: the matcher's slack plus the
/// one-second resolution of traditional syslog stamps.
pub const AGREE_NS: i64 = SLACK_NS + 1_000_000_000;
/// Line numbers a sentence lists; it gives the full count.
const LINES_IN_SENTENCE: usize = 8;

/// The logs' matchers during the survey: one per capture file.
pub(crate) struct SurveyLogs {
    pub(crate) logs: Vec<LogFile>,
    pub(crate) matchers: Vec<Matcher>,
}

impl SurveyLogs {
    pub(crate) fn new(logs: Vec<LogFile>, settings: LogSettings, files: usize) -> Self {
        let matchers = (0..files).map(|_| Matcher::new(logs.clone(), settings)).collect();
        SurveyLogs { logs, matchers }
    }
}

#[derive(Default)]
struct LossLogs {
    /// Lost journeys between this pair of points.
    lost: u64,
    /// Entries about them.
    entries: Vec<usize>,
    /// The trailer or vendor bytes every lost one carried at its last point:
    /// Some(None) once they differ.
    extra: Option<Option<u32>>,
}

/// The logs lined up with the captures, for the second pass.
pub struct LogPlan {
    logs: Vec<LogFile>,
    entries: Vec<PathLogEntry>,
    by_frame: HashMap<(usize, u64), Vec<usize>>,
    clocks: Vec<LogClock>,
    losses: HashMap<(u16, u16), LossLogs>,
}

fn is_boot(file: &LogFile) -> bool {
    !file.recognised.is_empty() && file.recognised.iter().all(|l| matches!(l.stamp, Stamp::Boot(_)))
}

impl LogPlan {
    /// Chooses, per log and per line, the capture its matches belong to.
    /// `reports[f]` is capture `f`'s matcher's report over all `logs`.
    pub(crate) fn resolve(logs: Vec<LogFile>, reports: Vec<LogReport>, plan: &Plan) -> LogPlan {
        let names: Vec<Vec<&str>> = (0..plan.files.len())
            .map(|f| plan.points.iter().filter(|p| p.file == f).filter_map(|p| p.name.as_deref()).collect())
            .collect();
        let names_device = |f: usize, d: Option<&str>| d.is_some_and(|d| names[f].contains(&d));
        // Ties between captures go to the canonical rank, never to the input order.
        let rank = |f: usize| plan.files.get(f).map_or(usize::MAX, |x| x.rank);
        let mut entries = Vec::new();
        let mut clocks = Vec::new();
        let mut k = 0usize; // the line's position in every report's entries
        for log in &logs {
            let n = log.recognised.len();
            let range = k..k + n;
            k += n;
            // Each capture's estimate of this log's clock, on the reference clock.
            let estimates: Vec<Option<(i64, u64)>> = reports
                .iter()
                .enumerate()
                .map(|(f, r)| {
                    let c = r.clocks.iter().find(|c| c.file == log.name && c.matches > 0)?;
                    let own = plan.files.get(f).map_or(0, |x| x.clock.offset_ns);
                    Some((c.offset_ns.saturating_sub(own), c.matches))
                })
                .collect();
            let named = |f: usize| {
                reports[f]
                    .entries
                    .get(range.clone())
                    .unwrap_or(&[])
                    .iter()
                    .filter(|e| !e.frames.is_empty() && names_device(f, e.fields.device.as_deref()))
                    .count()
            };
            let decider = estimates
                .iter()
                .enumerate()
                .filter_map(|(f, e)| e.map(|(_, m)| (f, m)))
                .max_by_key(|&(f, m)| (named(f), m, std::cmp::Reverse(rank(f))))
                .map(|(f, _)| f);
            let consensus = decider.and_then(|f| estimates[f]);
            let agrees = |f: usize| match (estimates[f], consensus) {
                (Some((o, _)), Some((c, _))) => (o - c).abs() <= AGREE_NS,
                _ => false,
            };
            if let (Some(f), Some((c, m))) = (decider, consensus) {
                let boot = is_boot(log);
                // Matcher offsets are capture minus log; the log's own offset is the opposite.
                clocks.push(LogClock {
                    file: log.name.clone(),
                    offset_ns: if boot { c } else { -c },
                    boot,
                    matches: m,
                    capture: f,
                });
            }
            for i in range {
                let at = |f: usize| reports.get(f).and_then(|r| r.entries.get(i));
                let Some(base) = at(0) else { continue };
                let matched: Vec<usize> =
                    (0..reports.len()).filter(|&f| agrees(f) && at(f).is_some_and(|e| !e.frames.is_empty())).collect();
                let chosen = matched
                    .iter()
                    .copied()
                    .find(|&f| names_device(f, base.fields.device.as_deref()))
                    .or_else(|| decider.filter(|d| matched.contains(d)))
                    .or_else(|| {
                        matched
                            .iter()
                            .copied()
                            .max_by_key(|&f| (estimates[f].map_or(0, |e| e.1), std::cmp::Reverse(rank(f))))
                    });
                let e = chosen.and_then(at).unwrap_or(base);
                entries.push(PathLogEntry {
                    fields: e.fields.clone(),
                    journeys: Vec::new(),
                    capture: chosen,
                    frames: if chosen.is_some() { e.frames.clone() } else { Vec::new() },
                    last_point: None,
                    lost: false,
                });
            }
        }
        let mut by_frame: HashMap<(usize, u64), Vec<usize>> = HashMap::default();
        for (i, e) in entries.iter().enumerate() {
            if let Some(f) = e.capture {
                for &frame in &e.frames {
                    by_frame.entry((f, frame)).or_default().push(i);
                }
            }
        }
        LogPlan { logs, entries, by_frame, clocks, losses: HashMap::default() }
    }

    /// The lines, in log order, with their journeys so far.
    pub fn entries(&self) -> &[PathLogEntry] {
        &self.entries
    }

    /// Sees one closed journey: the lines about its frames get its index.
    pub(crate) fn journey(&mut self, plan: &Plan, j: &Journey) {
        let pair = j.lost_after.zip(j.lost_before);
        if let (Some(pair), Some(last)) = (pair, j.seen.last()) {
            let l = self.losses.entry(pair).or_default();
            l.lost += 1;
            let extra = last.extra_region().map(|r| r.len);
            l.extra = Some(match l.extra {
                None => extra,
                Some(prev) if prev == extra => prev,
                Some(_) => None,
            });
        }
        if self.by_frame.is_empty() {
            return;
        }
        for s in &j.seen {
            let Some(file) = plan.points.get(usize::from(s.point)).map(|p| p.file) else { continue };
            let Some(list) = self.by_frame.get(&(file, s.frame)) else { continue };
            // A frame is one sighting of one journey: each entry comes here once per frame.
            for &e in list {
                let entry = &mut self.entries[e];
                if !entry.journeys.contains(&j.index) {
                    entry.journeys.push(j.index);
                }
                entry.last_point = j.seen.last().map(|x| x.point);
                entry.lost = pair.is_some();
                if let Some(pair) = pair {
                    self.losses.entry(pair).or_default().entries.push(e);
                }
            }
        }
    }

    /// Adds what the logs say to the findings; returns the lines and the clocks.
    pub(crate) fn finish(self, plan: &Plan, findings: &mut Vec<PathFinding>) -> (Vec<PathLogEntry>, Vec<LogClock>) {
        let label = |p: u16| plan.points.get(usize::from(p)).map_or_else(|| p.to_string(), |x| x.label.clone());
        let name = |p: u16| plan.points.get(usize::from(p)).and_then(|x| x.name.as_deref());
        for f in findings.iter_mut().filter(|f| f.kind == PathFindingKind::Loss) {
            let Some((after, before)) = f.between else { continue };
            let Some(l) = self.losses.get(&(after, before)) else { continue };
            let mut by_log: BTreeMap<&str, Vec<&PathLogEntry>> = BTreeMap::new();
            for &e in &l.entries {
                by_log.entry(self.entries[e].fields.file.as_str()).or_default().push(&self.entries[e]);
            }
            for (log, lines) in by_log {
                f.sentence.push_str(&self.loss_words(log, &lines, l, name(after), name(before)));
            }
        }
        for log in &self.logs {
            let mine: Vec<&PathLogEntry> = self.entries.iter().filter(|e| e.fields.file == log.name).collect();
            let drops: Vec<&&PathLogEntry> = mine.iter().filter(|e| e.fields.kind == MessageKind::OverMtu).collect();
            let phrase = MessageKind::OverMtu.phrase();
            // Lines about packets no later point was capturing for: dropped after the last point that saw them.
            let mut beyond: BTreeMap<u16, Vec<&PathLogEntry>> = BTreeMap::new();
            for e in drops.iter().filter(|e| !e.journeys.is_empty() && !e.lost) {
                if let Some(p) = e.last_point {
                    beyond.entry(p).or_default().push(e);
                }
            }
            for (p, lines) in beyond {
                let n = lines.len() as u64;
                findings.push(PathFinding {
                    kind: PathFindingKind::KernelLog,
                    sentence: format!(
                        "{} '{phrase}' line{} of {} {} about packets last seen at `{}` ({}): the drop happened after the last capture point that saw them.",
                        thousands(n),
                        plural(n),
                        log.name,
                        if n == 1 { "is" } else { "are" },
                        label(p),
                        line_list(&lines)
                    ),
                    journeys: journeys_of(&lines),
                    between: None,
                });
            }
            let unmatched: Vec<&&PathLogEntry> = drops.iter().filter(|e| e.journeys.is_empty()).copied().collect();
            if !unmatched.is_empty() {
                let n = unmatched.len() as u64;
                let mut devices: Vec<&str> = unmatched.iter().filter_map(|e| e.fields.device.as_deref()).collect();
                devices.sort_unstable();
                devices.dedup();
                let lines: Vec<&PathLogEntry> = unmatched.iter().map(|e| **e).collect();
                findings.push(PathFinding {
                    kind: PathFindingKind::KernelLog,
                    sentence: format!(
                        "{} '{phrase}' line{} of {} (device{} {}; {}) match{} no packet of the captures: drops on a path that was not captured, or outside the captures' time.",
                        thousands(n),
                        plural(n),
                        log.name,
                        plural(devices.len() as u64),
                        devices.join(", "),
                        line_list(&lines),
                        if n == 1 { "es" } else { "" },
                    ),
                    journeys: Vec::new(),
                    between: None,
                });
            }
            let suppressed: u64 = log
                .recognised
                .iter()
                .map(|l| match l.message {
                    Message::RateLimited { suppressed } => suppressed,
                    _ => 0,
                })
                .sum();
            if suppressed > 0 {
                findings.push(PathFinding {
                    kind: PathFindingKind::KernelLog,
                    sentence: format!(
                        "net_ratelimit suppressed {} in {}: some drop lines are missing, so its counts are lower bounds.",
                        count(suppressed, "message"),
                        log.name
                    ),
                    journeys: Vec::new(),
                    between: None,
                });
            }
        }
        let first = plan.files.get(plan.reference).map_or("", |f| f.name.as_str());
        for c in &self.clocks {
            let at = plan.files.get(c.capture).map_or("", |f| f.name.as_str());
            let sentence = if c.boot {
                format!(
                    "{} counts seconds since boot; its lines line up with the captures for a boot at {} ns since the epoch on {first}'s clock (from {} at {at}).",
                    c.file,
                    c.offset_ns,
                    count(c.matches, "matched line")
                )
            } else {
                format!(
                    "{}'s clock runs {} {} {first}'s (from {} at {at}).",
                    c.file,
                    seconds(c.offset_ns.saturating_abs()),
                    if c.offset_ns >= 0 { "ahead of" } else { "behind" },
                    count(c.matches, "matched line")
                )
            };
            findings.push(PathFinding {
                kind: PathFindingKind::ClockOffset,
                sentence,
                journeys: Vec::new(),
                between: None,
            });
        }
        (self.entries, self.clocks)
    }

    /// What one log says about the packets lost between two points.
    fn loss_words(
        &self,
        log: &str,
        lines: &[&PathLogEntry],
        l: &LossLogs,
        after: Option<&str>,
        before: Option<&str>,
    ) -> String {
        let n = lines.len() as u64;
        let quantity = match (n == l.lost, n) {
            (true, 1) => "this packet".to_string(),
            (true, _) => format!("all {} of these packets", thousands(n)),
            (false, _) => format!("{} of these {} packets", thousands(n), thousands(l.lost)),
        };
        let text = lines.first().map_or("", |e| e.fields.text.as_str());
        let same = lines.iter().all(|e| e.fields.text == text);
        let said = if same { format!("`{text}`") } else { format!("`{text}` and lines like it") };
        let mut s = format!(" The kernel log {log} says {said} about {quantity} ({})", line_list(lines));
        let device = lines.first().and_then(|e| e.fields.device.as_deref());
        if device.is_some() && device == before {
            s.push_str(&format!("; {} is the interface they never reached", device.unwrap_or_default()));
        } else if device.is_some() && device == after {
            s.push_str(&format!("; {} is the last interface that saw them", device.unwrap_or_default()));
        } else if let Some(d) = device.filter(|_| same) {
            // A port no capture watched: the drop happened there, on the way
            // from the last point that saw the packets. No point is made up.
            let from = after.map_or_else(String::new, |a| format!(" on the way from {a}"));
            s.push_str(&format!("; the drop happened at {d}{from}, a port no capture watched"));
        }
        // The driver of the interface the lost packets were last seen on, when
        // the log names it and it is known to append the bytes they carry.
        let extra = l.extra.flatten();
        let driver =
            self.logs.iter().filter(|f| f.name == log).flat_map(|f| &f.recognised).find_map(|x| match &x.message {
                Message::Driver { driver, device, .. } if Some(device.as_str()) == after => known_driver(driver),
                _ => None,
            });
        if let (Some(k), Some(e)) = (driver, extra) {
            if k.appends == e {
                s.push_str(&format!(
                    "; it shows driver {} on {}, known to append {} ({})",
                    k.driver,
                    after.unwrap_or_default(),
                    count(k.appends, "byte"),
                    k.note
                ));
            }
        }
        s.push('.');
        s
    }
}

fn line_list(lines: &[&PathLogEntry]) -> String {
    let nums: Vec<String> = lines.iter().take(LINES_IN_SENTENCE).map(|e| e.fields.line.to_string()).collect();
    let more = if lines.len() > LINES_IN_SENTENCE { ", …" } else { "" };
    format!("line{} {}{more}", plural(lines.len() as u64), nums.join(", "))
}

fn journeys_of(lines: &[&PathLogEntry]) -> Vec<u64> {
    let mut v: Vec<u64> = lines.iter().flat_map(|e| e.journeys.iter().copied()).collect();
    v.sort_unstable();
    v.dedup();
    v.truncate(MAX_FINDING_JOURNEYS);
    v
}

/// The reports of every capture's matcher, for [`LogPlan::resolve`].
pub(crate) fn reports(matchers: Vec<Matcher>, interfaces: &[Vec<Interface>]) -> Vec<LogReport> {
    matchers
        .into_iter()
        .enumerate()
        .map(|(f, m)| m.finish(interfaces.get(f).map_or(&[][..], |v| v.as_slice())))
        .collect()
}
