//! Capture-wide path findings, accumulated journey by journey in bounded
//! tables: where packets are lost (and whether their size, their extra bytes
//! and the MTU rule explain it), where bytes first appear or disappear, where
//! addresses are rewritten, where a conversation is seen one way only, the
//! clock offsets, and the order of the points along the path per direction.

use crate::capture::CaptureError;
use crate::frame::ledger::RegionKind;
use crate::path::change::ChangeKind;
use crate::path::identity::{Addr, RegionFacts};
use crate::path::journey::Journey;
use crate::path::plan::Plan;
use crate::path::summary::{PathCounts, PathFinding, PathFindingKind, PathSummary, MAX_FINDING_JOURNEYS};
use crate::settings::Settings;
use crate::text::{count, thousands};
use foldhash::HashMap;

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
    /// The lost packets' source and destination, when they share them.
    source: Option<Option<Addr>>,
    destination: Option<Option<Addr>>,
}

#[derive(Default)]
struct Pass {
    count: u64,
    max_datagram: u32,
    any_dropped: bool,
    /// How much the frames that pass grow on this hop: (least, most).
    growth: Option<(i64, i64)>,
}

/// ICMP errors saying a packet was too big, by the host they went to.
struct TooBig {
    to: Addr,
    mtu: u32,
    count: u64,
    /// The point that saw the first one, and when.
    point: u16,
    at_ns: i64,
    icmpv6: bool,
    /// Packets the host sent after it that passed: how many, and the largest datagram.
    passed_after: u64,
    largest_after: u32,
}

/// ICMP "too big" errors remembered for the loss sentences.
const MAX_TOO_BIG: usize = 64;

struct Group {
    kind: PathFindingKind,
    count: u64,
    journeys: Vec<u64>,
}

pub(crate) struct Accumulator {
    settings: Settings,
    losses: HashMap<(u16, u16), Loss>,
    passes: HashMap<(u16, u16), Pass>,
    groups: HashMap<(u16, u16, String), Group>,
    group_order: Vec<(u16, u16, String)>,
    /// (point, unordered address pair, protocol) → packets each way.
    conversations: HashMap<(u16, Addr, Addr, u8), [u64; 2]>,
    too_big: Vec<TooBig>,
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

fn extra_of(s: &crate::path::journey::Sighting) -> Option<RegionFacts> {
    s.extra_region()
}

impl Accumulator {
    pub(crate) fn new(settings: Settings) -> Self {
        Accumulator {
            settings,
            losses: HashMap::default(),
            passes: HashMap::default(),
            groups: HashMap::default(),
            group_order: Vec::new(),
            conversations: HashMap::default(),
            too_big: Vec::new(),
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
            let Some(facts) = &s.facts else { continue };
            let i = &facts.inner;
            let (lo, hi, dir) = if i.src <= i.dst { (i.src, i.dst, 0) } else { (i.dst, i.src, 1) };
            let k = (s.point, lo, hi, i.protocol);
            if self.conversations.len() < MAX_GROUPS || self.conversations.contains_key(&k) {
                self.conversations.entry(k).or_default()[dir] += 1;
            }
        }
        let first = j.seen.first().and_then(|s| Some((s, s.facts.as_ref()?)));
        if let Some((s, f)) = first {
            if let Some(mtu) = f.too_big {
                let known = self.too_big.iter().position(|t| t.to == f.inner.dst && t.mtu == mtu);
                match known {
                    Some(i) => self.too_big[i].count += 1,
                    None if self.too_big.len() < MAX_TOO_BIG => self.too_big.push(TooBig {
                        to: f.inner.dst,
                        mtu,
                        count: 1,
                        point: s.point,
                        at_ns: s.at_ns,
                        icmpv6: matches!(f.inner.dst, Addr::V6(_)),
                        passed_after: 0,
                        largest_after: 0,
                    }),
                    None => {}
                }
            } else if j.lost_after.is_none() && j.seen.len() > 1 {
                // Did the sender, told its packets were too big, send smaller ones that passed?
                for t in self.too_big.iter_mut().filter(|t| t.to == f.inner.src && t.at_ns < s.at_ns) {
                    t.passed_after += 1;
                    t.largest_after = t.largest_after.max(f.inner.datagram_len);
                }
            }
        }
        for w in j.seen.windows(2) {
            if w[0].point == w[1].point {
                continue;
            }
            let Some(facts) = &w[0].facts else { continue };
            let p = self.passes.entry((w[0].point, w[1].point)).or_default();
            let grew = i64::from(w[1].len) - i64::from(w[0].len);
            p.growth = Some(p.growth.map_or((grew, grew), |(lo, hi)| (lo.min(grew), hi.max(grew))));
            p.count += 1;
            p.max_datagram = p.max_datagram.max(facts.inner.datagram_len);
            p.any_dropped |= facts.dropped;
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
        let last = j.seen.last().and_then(|s| Some((s, s.facts.as_ref()?)));
        if let (Some(after), Some(before), Some((last, facts))) = (j.lost_after, j.lost_before, last) {
            self.lost += 1;
            let l = self.losses.entry((after, before)).or_insert(Loss {
                min_datagram: u32::MAX,
                all_dropped: true,
                min_measured: u32::MAX,
                ..Loss::default()
            });
            l.count += 1;
            push_bounded(&mut l.journeys, j.index);
            let d = facts.inner.datagram_len;
            l.min_datagram = l.min_datagram.min(d);
            l.max_datagram = l.max_datagram.max(d);
            let e = extra_of(last);
            l.extra = Some(match l.extra {
                None => e,
                Some(prev) if prev.map(|p| (p.len, p.head)) == e.map(|x| (x.len, x.head)) => prev,
                Some(_) => None,
            });
            l.all_dropped &= facts.dropped;
            let same = |seen: Option<Option<Addr>>, a: Addr| match seen {
                None => Some(Some(a)),
                Some(prev) if prev == Some(a) => Some(prev),
                Some(_) => Some(None),
            };
            l.source = same(l.source, facts.inner.src);
            l.destination = same(l.destination, facts.inner.dst);
            l.min_measured = l.min_measured.min(facts.measured);
            l.max_measured = l.max_measured.max(facts.measured);
        }
    }

    pub(crate) fn summary(
        &self,
        plan: &Plan,
        errors: Vec<(usize, CaptureError)>,
        closed_early: u64,
        ignored_frames: u64,
        peak_in_flight: usize,
    ) -> PathSummary {
        let label = |p: u16| plan.points.get(usize::from(p)).map_or_else(|| p.to_string(), |x| x.label.clone());
        // Points are numbered in path order (the survey ordered them).
        let points_in_order: Vec<u16> = (0..plan.points.len() as u16).collect();
        let points_in_order_reverse = plan.order.reverse.clone();

        let mut findings = Vec::new();
        // Losses, the largest first.
        let mut losses: Vec<(&(u16, u16), &Loss)> = self.losses.iter().collect();
        losses.sort_by_key(|(k, l)| (std::cmp::Reverse(l.count), **k));
        for (&(after, before), l) in losses {
            findings.push(PathFinding {
                kind: PathFindingKind::Loss,
                sentence: self.loss_sentence((after, before), l, self.passes.get(&(after, before)), &label),
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
        // Links in parallel (a bond's members, ECMP paths: points the order
        // could not tell apart) are one hop: a flow that leaves on one and
        // returns on the other is seen both ways by the hop.
        let parallel =
            |p: u16| plan.order.undecided.iter().find_map(|&(a, b)| (a == p).then_some(b).or((b == p).then_some(a)));
        let hop_sees = |p: u16, a: Addr, b: Addr, proto: u8, dir: usize| {
            parallel(p).and_then(|q| self.conversations.get(&(q, a, b, proto))).is_some_and(|c| c[dir] > 0)
        };
        let mut one_way: Vec<_> = self
            .conversations
            .iter()
            .filter(|(&(p, a, b, proto), c)| {
                (c[0] == 0) != (c[1] == 0)
                    && both_ways.get(&(a, b, proto)) == Some(&true)
                    && !hop_sees(p, a, b, proto, if c[0] == 0 { 0 } else { 1 })
            })
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
        let reference = plan.files.get(plan.reference).map_or("", |r| r.name.as_str());
        for f in plan.files_by_rank() {
            if f == plan.reference {
                continue;
            }
            let info = &plan.files[f];
            let via = info.clock.against.filter(|&j| j != plan.reference).and_then(|j| plan.files.get(j));
            findings.push(PathFinding {
                kind: PathFindingKind::ClockOffset,
                sentence: info.clock.sentence(&info.name, reference, via.map(|v| v.name.as_str())),
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
            clock_offsets: plan
                .files_by_rank()
                .into_iter()
                .map(|f| (plan.files[f].name.clone(), plan.files[f].clock.offset_ns))
                .collect(),
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

    fn loss_sentence(
        &self,
        (after, before): (u16, u16),
        l: &Loss,
        pass: Option<&Pass>,
        label: &dyn Fn(u16) -> String,
    ) -> String {
        let (points, (after, before)) = ((after, before), (label(after), label(before)));
        let (verb, never) = if l.count == 1 { ("packet reaches", "reaches") } else { ("packets reach", "reach") };
        // Result first, in a sentence of its own; then what the packets share.
        let mut s = format!("{} {verb} `{after}` and never {never} `{before}`", thousands(l.count));
        // Which way they were going: a loss on the way back is said to be one.
        if let (Some(src), Some(dst)) = (l.source.flatten(), l.destination.flatten()) {
            s.push_str(&format!(", on the way from {src} to {dst}"));
        }
        if points.1 < points.0 {
            s.push_str(" (the way back)");
        }
        s.push('.');
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
                    let what = if l.count == 1 { "Its datagram has" } else { "Their datagrams have" };
                    s.push_str(&format!(" {what} {} bytes", thousands(l.min_datagram.into())));
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
            // What the next hop adds, when it takes the lost packets past the MTU.
            if let Some((grow, _)) = pass.and_then(|p| p.growth).filter(|&(lo, hi)| lo == hi && lo > 0) {
                let mtu = self.settings.mtu;
                let over = i64::from(l.min_datagram) + grow;
                if over > i64::from(mtu) {
                    s.push_str(&format!(
                        " The packets that pass grow by {} there, so a {}-byte datagram would need {} bytes: more than MTU {mtu}.",
                        count(grow.unsigned_abs(), "byte"),
                        thousands(l.min_datagram.into()),
                        thousands(over.unsigned_abs())
                    ));
                }
            }
        }
        // What the sender was told, and what it did then.
        if let Some(t) = l.source.flatten().and_then(|src| self.too_big.iter().find(|t| t.to == src)) {
            let what = if t.icmpv6 { "ICMPv6 Packet Too Big message" } else { "ICMP fragmentation-needed message" };
            s.push_str(&format!(
                " The sender {} got back {} with MTU {} (first seen at `{}`)",
                t.to,
                count(t.count, what),
                thousands(t.mtu.into()),
                label(t.point)
            ));
            if t.passed_after > 0 {
                s.push_str(&format!(
                    "; after it, {} from it passed (the largest datagram {} bytes): the path healed.",
                    count(t.passed_after, "packet"),
                    thousands(t.largest_after.into())
                ));
            } else {
                s.push_str("; no packet it sent after that passed: the path did not heal.");
            }
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
