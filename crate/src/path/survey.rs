//! The first pass over every capture: which points it has and how many
//! frames each saw, the time range it covers, and the identities of its first
//! packets for the clock offsets. The JSON contract prints the points (with
//! their frame counts) before any journey, and the matcher needs the offsets
//! before it can merge files in time order: both need this pass. It keeps
//! no frame, only counts and at most [`CALIBRATION_PACKETS`] samples per file.

use crate::capture::{CaptureError, CaptureReader, Frame};
use crate::frame::dissect::Dissector;
use crate::frame::ledger::{account, FrameMeta};
use crate::frame::mtu::MtuFacts;
use crate::log::matching::LogSettings;
use crate::log::LogFile;
use crate::path::clock::{offsets, ClockOffset, Sample, Samples, CALIBRATION_PACKETS};
use crate::path::identity::identify;
use crate::path::logs::{reports, LogPlan, SurveyLogs};
use crate::path::point::{label, Point, PointKey, MAX_POINTS};
use crate::settings::Settings;
use std::collections::BTreeMap;

/// What the survey learnt of one file.
#[derive(Clone, Debug)]
pub struct FileInfo {
    /// As given (the command line's spelling).
    pub name: String,
    pub frames: u64,
    /// First and last timestamp, on the file's own clock.
    pub first_ns: Option<i64>,
    pub last_ns: Option<i64>,
    pub clock: ClockOffset,
    /// The fault that stopped the reader, if any: every packet before it counts.
    pub error: Option<CaptureError>,
}

impl FileInfo {
    /// Whether the file was capturing at `at_ns` on the first file's clock.
    pub fn covers(&self, at_ns: i64, slack_ns: i64) -> bool {
        match (self.first_ns, self.last_ns) {
            (Some(a), Some(b)) => {
                let off = self.clock.offset_ns;
                a.saturating_sub(off).saturating_sub(slack_ns) <= at_ns
                    && at_ns <= b.saturating_sub(off).saturating_add(slack_ns)
            }
            _ => false,
        }
    }
}

/// The survey's result: what the second pass follows packets across.
#[derive(Clone, Debug)]
pub struct Plan {
    pub files: Vec<FileInfo>,
    pub points: Vec<Point>,
}

impl Plan {
    pub fn point_index(&self, file: usize, key: PointKey) -> Option<u16> {
        self.points.iter().find(|p| p.file == file && p.key == key).map(|p| p.index)
    }
}

struct FileSurvey {
    reader: CaptureReader,
    dissector: Dissector,
    frames_by_point: BTreeMap<PointKey, u64>,
    first_ns: Option<i64>,
    last_ns: Option<i64>,
    samples: Samples,
    sampled: usize,
    error: Option<CaptureError>,
}

/// The first pass; feed each file's bytes in order with [`Survey::push`].
pub struct Survey {
    settings: Settings,
    files: Vec<FileSurvey>,
    logs: Option<SurveyLogs>,
}

impl Survey {
    pub fn new(files: usize, settings: Settings) -> Self {
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
            })
            .collect();
        Survey { settings, files, logs: None }
    }

    /// Lines kernel logs up with the captures while surveying: one log
    /// matcher per capture file sees that file's frames (only those long
    /// enough for a drop line's size are dissected for it).
    pub fn with_logs(mut self, logs: Vec<LogFile>, settings: LogSettings) -> Self {
        self.logs = Some(SurveyLogs::new(logs, settings, self.files.len()));
        self
    }

    /// Feeds the next chunk of file `file`. An error stops that file; the
    /// packets before it count.
    pub fn push(&mut self, file: usize, chunk: &[u8]) -> Result<(), CaptureError> {
        let settings = self.settings;
        let Some(f) = self.files.get_mut(file) else { return Ok(()) };
        let FileSurvey { reader, dissector, frames_by_point, first_ns, last_ns, samples, sampled, error } = f;
        let mut matcher = self.logs.as_mut().and_then(|l| l.matchers.get_mut(file));
        let r = reader.push(chunk, |p| {
            if let Some(m) = matcher.as_deref_mut().filter(|m| m.wants(p.original_len)) {
                let d = dissector.facts(p.data, p.link_type, p.original_len);
                let ledger = account(d, p.data, FrameMeta { original_len: p.original_len, fcs: p.fcs }, &settings);
                m.add_facts(p.number, p.timestamp_ns, p.interface, &MtuFacts::new(d, &ledger), p.data);
            }
            *frames_by_point.entry(PointKey::of(&p)).or_default() += 1;
            if let Some(t) = p.timestamp_ns {
                *first_ns = Some(first_ns.map_or(t, |f| f.min(t)));
                *last_ns = Some(last_ns.map_or(t, |l| l.max(t)));
            }
            if *sampled < CALIBRATION_PACKETS {
                if let Some((key, time, src, dst)) = sample(dissector, &p, &settings) {
                    *sampled += 1;
                    let point = PointKey::of(&p);
                    samples
                        .entry(key)
                        .and_modify(|s| {
                            if s.point == point {
                                s.count += 1;
                            }
                            s.first_ns = s.first_ns.min(time);
                            s.last_ns = s.last_ns.max(time);
                        })
                        .or_insert(Sample { first_ns: time, last_ns: time, count: 1, point, src, dst });
                }
            }
        });
        if let Err(e) = &r {
            *error = Some(e.clone());
        }
        r
    }

    /// Ends the input: points, frame counts and clock offsets. `names` are the files as given.
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
                error: f.error.clone(),
            });
        }
        let samples: Vec<Samples> = self.files.into_iter().map(|f| f.samples).collect();
        for (info, clock) in infos.iter_mut().zip(offsets(&samples)) {
            info.clock = clock;
        }
        let plan = Plan { files: infos, points };
        let logs = self.logs.map(|l| LogPlan::resolve(l.logs, reports(l.matchers, &all_interfaces), &plan));
        (plan, logs)
    }
}

fn sample(
    dissector: &mut Dissector,
    p: &Frame<'_>,
    settings: &Settings,
) -> Option<(u64, i64, crate::path::identity::Addr, crate::path::identity::Addr)> {
    let time = p.timestamp_ns?;
    let d = dissector.facts(p.data, p.link_type, p.original_len);
    let ledger = account(d, p.data, FrameMeta { original_len: p.original_len, fcs: p.fcs }, settings);
    let (id, facts) = identify(d, p.data, &ledger, &MtuFacts::new(d, &ledger), settings)?;
    Some((id.key, time, facts.inner.src, facts.inner.dst))
}
