//! Capture-wide path findings, accumulated journey by journey in bounded
//! tables: where packets are lost (and whether their size, their extra bytes
//! and the MTU rule explain it), where bytes first appear or disappear, where
//! addresses are rewritten, where a conversation is seen one way only, the
//! clock offsets, and the order of the points along the path per direction.

use crate::capture::CaptureError;
use crate::frame::ledger::RegionKind;
use crate::path::change::ChangeKind;
use crate::path::identity::{Addr, RegionFacts};
use crate::path::matcher::Journey;
use crate::path::survey::Plan;
use crate::path::{PathCounts, PathFinding, PathFindingKind, PathSummary};
use crate::settings::Settings;
use crate::text::{count, thousands};
use foldhash::HashMap;

/// Journeys a finding lists; the sentence gives the full count.
pub const MAX_FINDING_JOURNEYS: usize = 1000;
/// Distinct groups each table keeps (point pairs × change words, sequences,
/// conversations per point); further ones are not reported.
const MAX_GROUPS: usize = 4096;

#[derive(Default)]
struct Loss {
    count: u64,
    journeys: Vec<u64>,
    min_datagram: u32,
    max_datagram: u32,
    /// The trailer or vendor bytes every lost packet carried at the last point: Some(None) once they differ.
    extra: Option<Option<RegionFacts>>,
    all_dropped: bool,
    min_measured: u32,
    max_measured: u32,
}

#[derive(Default)]
struct Pass {
    count: u64,
    max_datagram: u32,
    any_dropped: bool,
}

struct Group {
    kind: PathFindingKind,
    count: u64,
    journeys: Vec<u64>,
}

pub(crate) struct Accumulator {
    points: usize,
    settings: Settings,
    /// votes[a * points + b]: journeys that went from a to b directly.
    votes: Vec<u64>,
    sequences: HashMap<Vec<u16>, u64>,
    losses: HashMap<(u16, u16), Loss>,
    passes: HashMap<(u16, u16), Pass>,
    groups: HashMap<(u16, u16, String), Group>,
    group_order: Vec<(u16, u16, String)>,
    /// (point, unordered address pair, protocol) → packets each way.
    conversations: HashMap<(u16, Addr, Addr, u8), [u64; 2]>,
    journeys: u64,
    multi: u64,
    changed: u64,
    lost: u64,
}

fn push_bounded(v: &mut Vec<u64>, j: u64) {
    if v.len() < MAX_FINDING_JOURNEYS {
        v.push(j);
    }
}

fn extra_of(s: &crate::path::matcher::Sighting) -> Option<RegionFacts> {
    s.facts.regions.iter().flatten().find(|r| matches!(r.kind, RegionKind::Trailer | RegionKind::Vendor)).copied()
}

impl Accumulator {
    pub(crate) fn new(points: usize, settings: Settings) -> Self {
        Accumulator {
            points,
            settings,
            votes: vec![0; points * points],
            sequences: HashMap::default(),
            losses: HashMap::default(),
            passes: HashMap::default(),
            groups: HashMap::default(),
            group_order: Vec::new(),
            conversations: HashMap::default(),
            journeys: 0,
            multi: 0,
            changed: 0,
            lost: 0,
        }
    }

    pub(crate) fn add(&mut self, j: &Journey) {
        self.journeys += 1;
        if j.seen.len() > 1 {
            self.multi += 1;
        }
        if j.changed_size() {
            self.changed += 1;
        }
        for s in &j.seen {
            let i = &s.facts.inner;
            let (lo, hi, dir) = if i.src <= i.dst { (i.src, i.dst, 0) } else { (i.dst, i.src, 1) };
            let k = (s.point, lo, hi, i.protocol);
            if self.conversations.len() < MAX_GROUPS || self.conversations.contains_key(&k) {
                self.conversations.entry(k).or_default()[dir] += 1;
            }
        }
        for w in j.seen.windows(2) {
            let (a, b) = (usize::from(w[0].point), usize::from(w[1].point));
            if a < self.points && b < self.points {
                self.votes[a * self.points + b] += 1;
            }
            let p = self.passes.entry((w[0].point, w[1].point)).or_default();
            p.count += 1;
            p.max_datagram = p.max_datagram.max(w[0].facts.inner.datagram_len);
            p.any_dropped |= w[0].facts.dropped;
        }
        if j.seen.len() > 1 {
            let seq: Vec<u16> = j.seen.iter().map(|s| s.point).collect();
            if self.sequences.len() < MAX_GROUPS || self.sequences.contains_key(&seq) {
                *self.sequences.entry(seq).or_default() += 1;
            }
        }
        for (from, to, c) in &j.changes {
            let kind = match c.kind {
                ChangeKind::Ttl => continue,
                ChangeKind::Nat => PathFindingKind::Rewrite,
                _ if c.bytes > 0 => PathFindingKind::BytesAppear,
                _ if c.bytes < 0 => PathFindingKind::BytesDisappear,
                _ => PathFindingKind::Rewrite,
            };
            let key = (*from, *to, c.words.clone());
            if !self.groups.contains_key(&key) {
                if self.groups.len() >= MAX_GROUPS {
                    continue;
                }
                self.group_order.push(key.clone());
            }
            let g = self.groups.entry(key).or_insert(Group { kind, count: 0, journeys: Vec::new() });
            g.count += 1;
            push_bounded(&mut g.journeys, j.index);
        }
        if let (Some(after), Some(before), Some(last)) = (j.lost_after, j.lost_before, j.seen.last()) {
            self.lost += 1;
            let l = self.losses.entry((after, before)).or_insert(Loss {
                min_datagram: u32::MAX,
                all_dropped: true,
                min_measured: u32::MAX,
                ..Loss::default()
            });
            l.count += 1;
            push_bounded(&mut l.journeys, j.index);
            let d = last.facts.inner.datagram_len;
            l.min_datagram = l.min_datagram.min(d);
            l.max_datagram = l.max_datagram.max(d);
            let e = extra_of(last);
            l.extra = Some(match l.extra {
                None => e,
                Some(prev) if prev.map(|p| (p.len, p.head)) == e.map(|x| (x.len, x.head)) => prev,
                Some(_) => None,
            });
            l.all_dropped &= last.facts.dropped;
            l.min_measured = l.min_measured.min(last.facts.measured);
            l.max_measured = l.max_measured.max(last.facts.measured);
        }
    }

    /// Points in path order for one direction: Copeland order over the direct
    /// transitions of the journeys that go that way.
    fn order(&self, votes: &[u64], members: &[bool]) -> Vec<u16> {
        let n = self.points;
        let mut score: Vec<(i64, u16)> = (0..n)
            .filter(|&a| members[a])
            .map(|a| {
                let s: i64 = (0..n).map(|b| votes[a * n + b] as i64 - votes[b * n + a] as i64).sum();
                (-s, a as u16)
            })
            .collect();
        score.sort();
        score.into_iter().map(|(_, a)| a).collect()
    }

    pub(crate) fn summary(
        &self,
        plan: &Plan,
        errors: Vec<(usize, CaptureError)>,
        closed_early: u64,
        ignored_frames: u64,
        peak_in_flight: usize,
    ) -> PathSummary {
        let n = self.points;
        let label = |p: u16| plan.points.get(usize::from(p)).map_or_else(|| p.to_string(), |x| x.label.clone());
        // Directions: the overall order decides which way each distinct sequence goes.
        let mut seen = vec![false; n];
        for seq in self.sequences.keys() {
            for &p in seq {
                seen[usize::from(p)] = true;
            }
        }
        let overall = self.order(&self.votes, &seen);
        let rank: HashMap<u16, usize> = overall.iter().enumerate().map(|(i, &p)| (p, i)).collect();
        let (mut fwd, mut rev) = (vec![0u64; n * n], vec![0u64; n * n]);
        let (mut fwd_members, mut rev_members) = (vec![false; n], vec![false; n]);
        for (seq, &c) in &self.sequences {
            let (Some(a), Some(b)) = (seq.first(), seq.last()) else { continue };
            let forward = rank.get(a) <= rank.get(b);
            let (votes, members) = if forward { (&mut fwd, &mut fwd_members) } else { (&mut rev, &mut rev_members) };
            for w in seq.windows(2) {
                votes[usize::from(w[0]) * n + usize::from(w[1])] += c;
            }
            for &p in seq {
                members[usize::from(p)] = true;
            }
        }
        let mut points_in_order = self.order(&fwd, &fwd_members);
        // Points no packet linked to another keep their place at the end, in index order.
        points_in_order
            .extend((0..n as u16).filter(|p| !fwd_members[usize::from(*p)] && !rev_members[usize::from(*p)]));
        let points_in_order_reverse = self.order(&rev, &rev_members);

        let mut findings = Vec::new();
        // Losses, the largest first.
        let mut losses: Vec<(&(u16, u16), &Loss)> = self.losses.iter().collect();
        losses.sort_by_key(|(k, l)| (std::cmp::Reverse(l.count), **k));
        for (&(after, before), l) in losses {
            findings.push(PathFinding {
                kind: PathFindingKind::Loss,
                sentence: self.loss_sentence(&label(after), &label(before), l, self.passes.get(&(after, before))),
                journeys: l.journeys.clone(),
                between: Some((after, before)),
            });
        }
        for key in &self.group_order {
            let Some(g) = self.groups.get(key) else { continue };
            let (from, to, words) = key;
            findings.push(PathFinding {
                kind: g.kind,
                sentence: format!(
                    "Between `{}` and `{}`: {words}, on {}.",
                    label(*from),
                    label(*to),
                    count(g.count, "packet")
                ),
                journeys: g.journeys.clone(),
                between: None,
            });
        }
        // A conversation one point sees one way only while another sees both.
        let mut both_ways: HashMap<(Addr, Addr, u8), bool> = HashMap::default();
        for (&(_, a, b, proto), c) in &self.conversations {
            *both_ways.entry((a, b, proto)).or_default() |= c[0] > 0 && c[1] > 0;
        }
        let mut one_way: Vec<_> = self
            .conversations
            .iter()
            .filter(|(&(_, a, b, proto), c)| (c[0] == 0) != (c[1] == 0) && both_ways.get(&(a, b, proto)) == Some(&true))
            .collect();
        one_way.sort_by_key(|(&(p, a, b, proto), _)| (p, a, b, proto));
        for (&(p, a, b, proto), c) in one_way {
            let (src, dst, k) = if c[0] > 0 { (a, b, c[0]) } else { (b, a, c[1]) };
            findings.push(PathFinding {
                kind: PathFindingKind::OneWay,
                sentence: format!(
                    "`{}` sees {src} → {dst} ({}) one way only ({}), while another point sees both directions.",
                    label(p),
                    protocol_name(proto),
                    count(k, "packet")
                ),
                journeys: Vec::new(),
                between: None,
            });
        }
        for f in plan.files.iter().skip(1) {
            let c = &f.clock;
            let reference = c.against.and_then(|j| plan.files.get(j)).map_or("the first capture", |r| r.name.as_str());
            let first = plan.files.first().map_or("", |r| r.name.as_str());
            let sentence = if !c.estimated {
                format!(
                    "{} shares no identified packet with the other captures among its first packets: its clock offset could not be estimated and is taken as 0.",
                    f.name
                )
            } else {
                let side = if c.offset_ns >= 0 { "ahead of" } else { "behind" };
                let how = if c.both_ways {
                    match c.delay_ns {
                        Some(d) => {
                            format!("both directions, so the path delay cancels out; one-way delay {}", seconds(d))
                        }
                        None => "both directions".to_string(),
                    }
                } else {
                    "one direction only, so it includes the path delay".to_string()
                };
                let via = if c.against == Some(0) { String::new() } else { format!(", through {reference}") };
                format!(
                    "{}'s clock runs {} {side} {first}'s (from {} seen in both{via}, {how}).",
                    f.name,
                    seconds(c.offset_ns.saturating_abs()),
                    count(u64::from(c.matched), "packet")
                )
            };
            findings.push(PathFinding {
                kind: PathFindingKind::ClockOffset,
                sentence,
                journeys: Vec::new(),
                between: None,
            });
        }
        if closed_early > 0 {
            findings.push(PathFinding {
                kind: PathFindingKind::Bound,
                sentence: format!(
                    "{} {} closed before {} window ended: more packets were in flight than the matcher keeps; a later sighting of one of them started a new journey.",
                    count(closed_early, "journey"),
                    if closed_early == 1 { "was" } else { "were" },
                    if closed_early == 1 { "its" } else { "their" }
                ),
                journeys: Vec::new(),
                between: None,
            });
        }
        PathSummary {
            points_in_order,
            points_in_order_reverse,
            clock_offsets: plan.files.iter().map(|f| (f.name.clone(), f.clock.offset_ns)).collect(),
            findings,
            counts: PathCounts {
                journeys: self.journeys,
                multi_point: self.multi,
                changed_size: self.changed,
                lost: self.lost,
                closed_early,
                ignored_frames,
                peak_in_flight: peak_in_flight as u64,
            },
            errors,
            log: Vec::new(),
            log_clocks: Vec::new(),
        }
    }

    fn loss_sentence(&self, after: &str, before: &str, l: &Loss, pass: Option<&Pass>) -> String {
        let verb = if l.count == 1 { "packet reaches" } else { "packets reach" };
        // Result first, in a sentence of its own; then what the packets share.
        let mut s = format!("{} {verb} `{after}` and never reach `{before}`.", thousands(l.count));
        // Size explains it when every lost datagram is larger than every one that passed.
        let size_split = pass.filter(|p| p.count > 0 && p.max_datagram < l.min_datagram);
        let extra = l.extra.flatten();
        match size_split {
            Some(p) => {
                s.push_str(&format!(
                    " Every one of them has a datagram of {} bytes or more",
                    thousands(l.min_datagram.into())
                ));
                if let Some(e) = extra {
                    s.push_str(&format!(" and carries {} at `{after}`", extra_words(&e)));
                }
                s.push_str(&format!(
                    "; every smaller packet passes (the largest that passed has {} bytes).",
                    thousands(p.max_datagram.into())
                ));
            }
            None => {
                if l.min_datagram == l.max_datagram {
                    s.push_str(&format!(" Their datagrams have {} bytes", thousands(l.min_datagram.into())));
                } else {
                    s.push_str(&format!(
                        " Their datagrams have {} to {} bytes",
                        thousands(l.min_datagram.into()),
                        thousands(l.max_datagram.into())
                    ));
                }
                if let Some(e) = extra {
                    s.push_str(&format!(", each carrying {} at `{after}`", extra_words(&e)));
                }
                s.push('.');
            }
        }
        s.push_str(&format!(" The drop is between `{after}` and `{before}`"));
        let rule_explains = l.all_dropped && !pass.is_some_and(|p| p.any_dropped);
        if rule_explains {
            let s2 = &self.settings;
            let (what, limit) = (s2.rule.measures(), s2.rule.limit(s2.mtu));
            let measured = if l.min_measured == l.max_measured {
                thousands(l.min_measured.into())
            } else {
                format!("{} to {}", thousands(l.min_measured.into()), thousands(l.max_measured.into()))
            };
            // "With the 2 bytes": the extra bytes are what tips it over.
            let with = match extra {
                Some(e) if l.min_measured.saturating_sub(e.len) <= limit => {
                    format!("with the {} ", count(e.len, "byte"))
                }
                _ => String::new(),
            };
            s.push_str(&format!(
                "; {with}its {what} ({measured} bytes) exceeds {} under the {} rule (MTU {}).",
                thousands(limit.into()),
                s2.rule.name(),
                s2.mtu
            ));
        } else {
            s.push('.');
        }
        s
    }
}

fn extra_words(e: &RegionFacts) -> String {
    let hex: Vec<String> = e.head[..(e.len as usize).min(e.head.len())].iter().map(|b| format!("{b:02x}")).collect();
    let more = if e.len as usize > e.head.len() { " …" } else { "" };
    // One name for bytes nothing explains; a recognised vendor trailer is named so.
    let noun = if e.kind == RegionKind::Vendor { "vendor trailer byte" } else { "unexplained byte" };
    format!("{} ({}{more})", count(e.len, noun), hex.join(" "))
}

fn protocol_name(p: u8) -> String {
    match etherparse::IpNumber(p).keyword_str() {
        Some(n) => n.to_string(),
        None => format!("protocol {p}"),
    }
}

/// A duration as the sentences write it: `3.217 s`, `0.4 ms`, `12 µs`.
pub fn seconds(ns: i64) -> String {
    let a = ns.unsigned_abs();
    if a >= 1_000_000_000 {
        format!("{:.3} s", ns as f64 / 1e9)
    } else if a >= 1_000_000 {
        format!("{:.1} ms", ns as f64 / 1e6)
    } else {
        format!("{} µs", ns / 1_000)
    }
}
