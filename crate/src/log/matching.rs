//! Drop lines to frames. An Open vSwitch line `DEV: dropped over-mtu packet:
//! N > MTU` is about a frame whose L2 payload ([`MtuFacts::l2_payload`], the
//! OVS rule: frame minus Ethernet header and one VLAN tag, trailer bytes
//! included) is N, written when that frame was dropped. The log's clock and
//! the capture's differ (another host, a zone, seconds since boot), so the
//! offset is estimated from the lines themselves: the offset at which the
//! most drop lines have a frame of their N nearby. Then each line takes the
//! nearest unclaimed frame of its N within the line's tolerance.
//!
//! Memory is bounded: the lines kept per file ([`super::MAX_KEPT`]), and
//! candidate frames per size ([`MAX_CANDIDATES_PER_SIZE`]) only for sizes a
//! drop line names.

use super::line::{year_of, Stamp};
use super::message::{known_driver, Message, MessageKind};
use super::LogFile;
use crate::capture::Frame;
use crate::capture::Interface;
use crate::frame::mtu::MtuFacts;
use crate::scan::record::FrameRecord;
use crate::scan::summary::{CaptureFinding, FindingKind, Summary};
use crate::text::{count, plural, thousands};
use crate::wire::link::LinkKind;
use crate::wire::{array, ethernet, Value};
use foldhash::{HashMap, HashSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Frames kept per L2 payload size a drop line names.
pub const MAX_CANDIDATES_PER_SIZE: usize = 4096;
/// Drop lines per clock used to estimate its offset.
const MAX_LINES_FOR_OFFSET: usize = 256;
/// How far a line may be from its frame once the clocks agree, beyond the
/// stamp's own resolution: logging and capture points differ by milliseconds.
pub const SLACK_NS: i64 = 250_000_000;
const FRAMES_PER_FINDING: usize = 20;

/// What the user knows about the logs' clocks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LogSettings {
    /// Traditional syslog stamps are local time: local minus UTC, in seconds.
    pub utc_offset_s: i32,
    /// Boot time (ns since the epoch) for `dmesg` stamps, if known.
    pub boot_time_ns: Option<i64>,
}

/// What one recognised log line says, as every report prints it: the
/// single-file summary's `"log"` array and `framelens path`'s log lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLineFields {
    pub file: String,
    pub line: u64,
    /// The line's time as its log wrote it, in ns since the epoch (before the
    /// clock offset); `null` for `dmesg` lines without a known boot time.
    pub time_ns: Option<i64>,
    pub device: Option<String>,
    pub kind: MessageKind,
    pub text: String,
}

/// One recognised line in the summary's `"log"` array.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    #[serde(flatten)]
    pub fields: LogLineFields,
    /// Frame numbers (file numbering) the line is about; empty when none matched.
    pub frames: Vec<u64>,
}

/// The summary line of `framelens --json --log`: the summary's own fields,
/// then `"log"`.
#[derive(Serialize)]
pub struct SummaryLineWithLog<'a> {
    pub summary: SummaryWithLog<'a>,
}

#[derive(Serialize)]
pub struct SummaryWithLog<'a> {
    #[serde(flatten)]
    pub summary: &'a crate::scan::summary::Summary,
    pub log: &'a [LogEntry],
}

/// The clock offset found for one log file: capture time minus log time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClockOffset {
    pub file: String,
    pub offset_ns: i64,
    /// Drop lines the estimate rests on.
    pub matches: u64,
}

/// Everything the logs say about this capture.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogReport {
    pub entries: Vec<LogEntry>,
    pub findings: Vec<CaptureFinding>,
    pub clocks: Vec<ClockOffset>,
}

#[derive(Clone, Copy, Debug)]
struct Candidate {
    frame: u64,
    ns: i64,
    interface: u32,
    src_mac: Option<[u8; 6]>,
    trailer: u32,
}

/// Collects candidate frames during the scan, then matches.
pub struct Matcher {
    files: Vec<LogFile>,
    settings: LogSettings,
    sizes: HashMap<u32, Vec<Candidate>>,
    first_frame_ns: Option<i64>,
    /// The smallest key of `sizes`, kept so that [`Matcher::wants`] costs a comparison.
    smallest: Option<u32>,
}

impl Matcher {
    pub fn new(files: Vec<LogFile>, settings: LogSettings) -> Self {
        let mut sizes = HashMap::default();
        for f in &files {
            for l in &f.recognised {
                if let Message::OverMtu { len, .. } = l.message {
                    sizes.entry(len).or_insert_with(Vec::new);
                }
            }
        }
        let smallest = sizes.keys().min().copied();
        Matcher { files, settings, sizes, first_frame_ns: None, smallest }
    }

    /// Memory the matcher may hold for frames, whatever the capture's size.
    pub fn candidate_bound(&self) -> usize {
        self.sizes.len() * MAX_CANDIDATES_PER_SIZE
    }

    /// Sees one frame of the scan (its record and its bytes).
    pub fn add(&mut self, r: &FrameRecord, p: &Frame<'_>) {
        self.add_facts(r.number, r.timestamp_ns, r.interface, &r.mtu, p.data);
    }

    /// Sees one frame by its facts, for a reader that has no scan record
    /// (the path survey): number in its file, timestamp, interface, the MTU
    /// facts and the captured bytes.
    pub fn add_facts(&mut self, number: u64, timestamp_ns: Option<i64>, interface: u32, mtu: &MtuFacts, data: &[u8]) {
        let Some(ns) = timestamp_ns else { return };
        self.first_frame_ns.get_or_insert(ns);
        if self.sizes.is_empty() {
            return;
        }
        let Some(list) = self.sizes.get_mut(&mtu.l2_payload()) else { return };
        if list.len() >= MAX_CANDIDATES_PER_SIZE {
            return;
        }
        let src_mac = (mtu.link == LinkKind::Ethernet && data.len() >= ethernet::HEADER_LEN)
            .then(|| array::<6>(data, ethernet::field::SOURCE));
        list.push(Candidate { frame: number, ns, interface, src_mac, trailer: mtu.trailer_bytes });
    }

    /// The smallest L2 payload a drop line names: a frame shorter than that
    /// on the wire cannot be a candidate, so a reader may skip dissecting it.
    /// `None` when no line names a size.
    pub fn smallest_size(&self) -> Option<u32> {
        self.smallest
    }

    /// Whether a frame of `original_len` bytes could be a candidate. Frames
    /// still count for the syslog year while none is needed.
    pub fn wants(&self, original_len: u32) -> bool {
        self.first_frame_ns.is_none() || self.smallest_size().is_some_and(|m| original_len >= m)
    }

    /// Matches the lines to the frames of the capture `summary` describes,
    /// and adds the log's capture-wide findings to it: the summary both faces
    /// print and post then says what the log says.
    pub fn finish_into(self, summary: &mut Summary) -> LogReport {
        let report = self.finish(&summary.capture.interfaces);
        summary.findings.extend(report.findings.iter().cloned());
        report
    }

    /// Matches the lines to the frames seen; `interfaces` name the capture's
    /// interfaces (pcapng), so that a driver line can be tied to one.
    pub fn finish(mut self, interfaces: &[Interface]) -> LogReport {
        for list in self.sizes.values_mut() {
            list.sort_by_key(|c| c.ns);
        }
        let mut report = LogReport::default();
        let drivers: Vec<(&str, &str)> = self
            .files
            .iter()
            .flat_map(|f| f.recognised.iter())
            .filter_map(|l| match &l.message {
                Message::Driver { driver, device, .. } => Some((driver.as_str(), device.as_str())),
                _ => None,
            })
            .collect();
        for file in &self.files {
            // A frame is claimed once per file: one drop, one line. Two
            // logs (two hops) may both be about it.
            let mut claimed: HashSet<u64> = HashSet::default();
            let times = self.times(file);
            let offset = self.offset(file, &times);
            let mut matched: Vec<Candidate> = Vec::new();
            let mut unmatched: BTreeMap<&str, u64> = BTreeMap::new();
            let mut suppressed = 0u64;
            let mut drop_lines = 0u64;
            for (l, t) in file.recognised.iter().zip(&times) {
                let mut frames = Vec::new();
                match &l.message {
                    Message::OverMtu { len, device, .. } => {
                        drop_lines += 1;
                        let hit = match (t, offset) {
                            (Some((t, tol)), Some((off, _))) => self.nearest(*len, t + off, *tol, &claimed),
                            _ => None,
                        };
                        match hit {
                            Some(c) => {
                                claimed.insert(c.frame);
                                frames.push(c.frame);
                                matched.push(c);
                            }
                            None => *unmatched.entry(device.as_str()).or_default() += 1,
                        }
                    }
                    Message::RateLimited { suppressed: n } => suppressed += n,
                    _ => {}
                }
                report.entries.push(LogEntry {
                    fields: LogLineFields {
                        file: file.name.clone(),
                        line: l.line,
                        time_ns: t
                            .map(|(t, _)| t)
                            .filter(|_| !matches!(l.stamp, Stamp::Boot(_)) || self.boot_time(file).is_some()),
                        device: l.message.device().map(str::to_string),
                        kind: l.message.kind(),
                        text: l.text.clone(),
                    },
                    frames,
                });
            }
            if let Some((off, n)) = offset.filter(|(_, n)| *n > 0) {
                report.clocks.push(ClockOffset { file: file.name.clone(), offset_ns: off, matches: n });
            }
            report.findings.extend(
                self.findings(file, drop_lines, &matched, &unmatched, suppressed, offset, &drivers, interfaces),
            );
        }
        report
    }

    /// The boot time for `file`'s `dmesg` stamps: given, or from a line that
    /// carries both a wall-clock and a boot stamp.
    fn boot_time(&self, file: &LogFile) -> Option<i64> {
        self.settings.boot_time_ns.or_else(|| {
            file.recognised.iter().find_map(|l| {
                let wall = self.wall(l.stamp)?;
                Some(wall - l.boot?)
            })
        })
    }

    /// A stamp on the wall clock, when it is one (syslog placed in the capture's year).
    fn wall(&self, s: Stamp) -> Option<i64> {
        match s {
            Stamp::Wall(ns) => Some(ns),
            Stamp::Syslog { month, day, secs } => {
                let near = self.first_frame_ns.unwrap_or(0);
                let year = year_of(near);
                let t = Stamp::syslog_wall(month, day, secs, year, self.settings.utc_offset_s);
                // A December log beside a January capture belongs to the year before.
                const HALF_YEAR: i64 = 183 * 86_400 * 1_000_000_000;
                Some(if t - near > HALF_YEAR {
                    Stamp::syslog_wall(month, day, secs, year - 1, self.settings.utc_offset_s)
                } else {
                    t
                })
            }
            Stamp::Boot(_) => None,
        }
    }

    /// Each line's time on one clock for the file, with its tolerance:
    /// wall time, or seconds since boot when the boot time is unknown (the
    /// offset estimate then finds the boot time).
    fn times(&self, file: &LogFile) -> Vec<Option<(i64, i64)>> {
        let boot = self.boot_time(file);
        file.recognised
            .iter()
            .map(|l| {
                let t = match l.stamp {
                    Stamp::Boot(ns) => Some(boot.map_or(ns, |b| b + ns)),
                    s => self.wall(s),
                }?;
                Some((t, l.stamp.resolution_ns() + SLACK_NS))
            })
            .collect()
    }

    /// Capture time minus log time: the offset at which the most drop lines
    /// have a frame of their size within tolerance, with that number of
    /// lines. 0 with no match for wall clocks (they are assumed to agree).
    fn offset(&self, file: &LogFile, times: &[Option<(i64, i64)>]) -> Option<(i64, u64)> {
        let mut deltas: Vec<i64> = Vec::new();
        let mut tol = 0;
        let mut used = 0;
        for (l, t) in file.recognised.iter().zip(times) {
            let (Message::OverMtu { len, .. }, Some((t, tl))) = (&l.message, t) else { continue };
            if used >= MAX_LINES_FOR_OFFSET {
                break;
            }
            used += 1;
            tol = tol.max(*tl);
            if let Some(list) = self.sizes.get(len) {
                deltas.extend(list.iter().map(|c| c.ns - t));
            }
        }
        let boot_clock =
            file.recognised.iter().any(|l| matches!(l.stamp, Stamp::Boot(_))) && self.boot_time(file).is_none();
        if deltas.is_empty() {
            return if boot_clock { None } else { Some((0, 0)) };
        }
        deltas.sort_unstable();
        // The window of width 2 × tol holding the most deltas; within it, the
        // median. A tie prefers the offset nearest 0 (clocks that agree).
        let (mut best, mut best_n) = ((0usize, 0usize), 0usize);
        let mut j = 0;
        for i in 0..deltas.len() {
            while deltas[i] - deltas[j] > 2 * tol {
                j += 1;
            }
            let n = i - j + 1;
            let mid = deltas[(i + j) / 2];
            let better = n > best_n || (n == best_n && mid.abs() < deltas[(best.0 + best.1) / 2].abs());
            if better {
                best = (j, i);
                best_n = n;
            }
        }
        let off = deltas[(best.0 + best.1) / 2];
        // Clocks that agree within tolerance need no correction.
        let off = if !boot_clock && off.abs() <= tol { 0 } else { off };
        Some((off, best_n as u64))
    }

    fn nearest(&self, len: u32, at: i64, tol: i64, claimed: &HashSet<u64>) -> Option<Candidate> {
        let list = self.sizes.get(&len)?;
        let i = list.partition_point(|c| c.ns < at - tol);
        list[i..]
            .iter()
            .take_while(|c| c.ns <= at + tol)
            .filter(|c| !claimed.contains(&c.frame))
            .min_by_key(|c| (c.ns - at).abs())
            .copied()
    }

    #[allow(clippy::too_many_arguments)]
    fn findings(
        &self,
        file: &LogFile,
        drop_lines: u64,
        matched: &[Candidate],
        unmatched: &BTreeMap<&str, u64>,
        suppressed: u64,
        offset: Option<(i64, u64)>,
        drivers: &[(&str, &str)],
        interfaces: &[Interface],
    ) -> Vec<CaptureFinding> {
        let mut out = Vec::new();
        let name = &file.name;
        let phrase = MessageKind::OverMtu.phrase();
        // Matched lines, by the frames' sender and extra bytes.
        let mut groups: BTreeMap<(Option<[u8; 6]>, u32), Vec<&Candidate>> = BTreeMap::new();
        for c in matched {
            groups.entry((c.src_mac, c.trailer)).or_default().push(c);
        }
        let mut groups: Vec<_> = groups.into_iter().collect();
        groups.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
        for ((mac, trailer), cs) in groups {
            let n = cs.len() as u64;
            let quantity = if n == drop_lines {
                if n == 1 {
                    format!("The one '{phrase}' line of {name} is a frame")
                } else {
                    format!("All {} '{phrase}' lines of {name} are frames", thousands(n))
                }
            } else {
                format!("{} of {} '{phrase}' lines of {name} are frames", thousands(n), thousands(drop_lines))
            };
            let who = mac.map_or(String::new(), |m| format!(" of {}", Value::Mac(m)));
            let what = if trailer > 0 {
                format!(" carrying {trailer} extra byte{}", plural(trailer))
            } else {
                " with no bytes after the datagram: the datagrams themselves exceed the device's MTU".to_string()
            };
            let mut s = format!("{quantity}{who}{what}");
            if trailer > 0 {
                let captured_on: HashSet<&str> = cs
                    .iter()
                    .filter_map(|c| interfaces.get(c.interface as usize).and_then(|i| i.name.as_deref()))
                    .collect();
                let known = drivers.iter().find_map(|(d, dev)| {
                    let k = known_driver(d)?;
                    (k.appends == trailer).then_some((k, *dev))
                });
                if let Some((k, dev)) = known {
                    if captured_on.contains(dev) {
                        s.push_str(&format!(
                            "; the log shows driver {} on {dev}, the interface these frames were captured on, known to append {} bytes ({})",
                            k.driver, k.appends, k.note
                        ));
                    } else {
                        s.push_str(&format!(
                            "; the log names the NIC's driver {} (on {dev}), known to append {} bytes ({})",
                            k.driver, k.appends, k.note
                        ));
                    }
                }
            }
            s.push('.');
            if let Some((off, m)) = offset.filter(|(o, m)| *m > 0 && *o != 0) {
                s.push_str(&format!(" {}", clock_sentence(name, off, m, file)));
            }
            out.push(CaptureFinding {
                kind: FindingKind::KernelLog,
                sentence: s,
                frames: cs.iter().map(|c| c.frame).take(FRAMES_PER_FINDING).collect(),
                facts: None,
            });
        }
        let lost: u64 = unmatched.values().sum();
        if lost > 0 {
            let devices: Vec<&str> = unmatched.keys().copied().collect();
            out.push(CaptureFinding {
                kind: FindingKind::KernelLog,
                sentence: format!(
                    "{} '{phrase}' line{} of {name} (device{} {}) match{} no captured frame: drops on a path that was not captured, or outside the capture's time.",
                    thousands(lost),
                    plural(lost),
                    plural(devices.len() as u64),
                    devices.join(", "),
                    if lost == 1 { "es" } else { "" },
                ),
                frames: Vec::new(),
                facts: None,
            });
        }
        if suppressed > 0 {
            out.push(CaptureFinding {
                kind: FindingKind::KernelLog,
                sentence: format!(
                    "net_ratelimit suppressed {} in {name}: some drop lines are missing, so the log's counts are lower bounds.",
                    count(suppressed, "message")
                ),
                frames: Vec::new(),
                facts: None,
            });
        }
        out
    }
}

fn clock_sentence(name: &str, off: i64, matches: u64, file: &LogFile) -> String {
    let boot = file.recognised.iter().all(|l| matches!(l.stamp, Stamp::Boot(_)));
    let secs = |ns: i64| {
        format!(
            "{}.{:03} s",
            thousands((ns.unsigned_abs()) / 1_000_000_000),
            (ns.unsigned_abs() % 1_000_000_000) / 1_000_000
        )
    };
    if boot {
        format!(
            "Its seconds since boot line up with the capture for a boot at {} ns since the epoch (from {}).",
            off,
            count(matches, "matched line")
        )
    } else {
        format!(
            "The capture's clock is {} {} {name}'s (estimated from {}).",
            secs(off),
            if off > 0 { "ahead of" } else { "behind" },
            count(matches, "matched line")
        )
    }
}
