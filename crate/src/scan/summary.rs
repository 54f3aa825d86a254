//! Capture-wide findings, accumulated frame by frame during the scan with
//! bounded memory: patterns of extra bytes per source, the ping sweep, and
//! path-MTU evidence.

use crate::capture::{CaptureError, Direction};
use crate::frame::dissect::{Dissection, MtuSignal};
use crate::frame::finding::{Finding, FINDINGS};
use crate::frame::identity::packet_key;
use crate::frame::ledger::RegionKind;
use crate::frame::mtu::{drops, MtuFacts};
use crate::scan::duplicates::{point_of, Recent};
use crate::scan::record::{CaptureMeta, FrameRecord};
use crate::scan::retransmit::{FlowKey, Retransmissions};
use crate::scan::sweep::{EchoSample, Sweep, SweepFacts};
use crate::settings::Settings;
use crate::text::{plural, thousands};
use crate::wire::link::{LinkKind, LinkType};
use crate::wire::{be16, ipv4, ipv6, tcp, Layer};
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
// foldhash instead of std's SipHash: these maps are touched for every frame
// (SipHash was 9% of the scan); they are bounded, so a crafted capture
// cannot grow their collision chains without limit.
use foldhash::HashMap;
use std::collections::BTreeMap;

/// Bounds on what the summary keeps, whatever the capture's size.
const MAX_SOURCES: usize = 4096;
const MAX_PATTERNS: usize = 4096;
const MAX_ECHOES: usize = 200_000;
/// Sender–target pairs the ping sweep tells apart; requests of further pairs
/// are kept for replies but belong to no sweep.
const MAX_ECHO_PAIRS: usize = 4096;
const NO_PAIR: u32 = u32::MAX;
const MAX_SIGNALS: usize = 1000;
const FRAMES_PER_FINDING: usize = 20;

/// Frame counts: how many frames carry each [`Finding`], and how many the
/// device rule drops. In JSON one flat object: `frames`, `bytes_captured`,
/// `bytes_original`, one key per finding ([`Finding::key`], in
/// [`Finding::ALL`] order), then `over_mtu`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub frames: u64,
    pub bytes_captured: u64,
    pub bytes_original: u64,
    /// Frames with each finding, indexed by [`Finding::index`].
    per_finding: [u64; FINDINGS],
    /// Frames the chosen device rule drops, at scan time's settings.
    pub over_mtu: u64,
}

impl Counts {
    /// Counts one frame's record; `settings` decide the MTU-dependent counts.
    /// The scan's summary and the web app (which re-counts when the MTU or
    /// rule changes) both count with this.
    pub fn add_record(&mut self, r: &FrameRecord, settings: &Settings) {
        let l = &r.ledger;
        self.frames += 1;
        self.bytes_captured += u64::from(l.caplen);
        self.bytes_original += u64::from(l.len);
        for f in l.flags.iter() {
            self.per_finding[f.index()] += 1;
        }
        if r.mtu.is_superframe(settings.mtu) {
            self.per_finding[Finding::Superframe.index()] += 1;
        }
        if drops(&r.mtu, settings) {
            self.over_mtu += 1;
        }
    }

    /// Counts of a run of records, borrowed or decoded (from a `store::RecordStore`).
    pub fn of<R: Borrow<FrameRecord>>(records: impl IntoIterator<Item = R>, settings: &Settings) -> Self {
        let mut c = Counts::default();
        for r in records {
            c.add_record(r.borrow(), settings);
        }
        c
    }

    /// Adds another run's counts (the web app counts batch by batch).
    pub fn merge(&mut self, o: &Counts) {
        self.frames += o.frames;
        self.bytes_captured += o.bytes_captured;
        self.bytes_original += o.bytes_original;
        for (n, m) in self.per_finding.iter_mut().zip(o.per_finding) {
            *n += m;
        }
        self.over_mtu += o.over_mtu;
    }

    /// Frames with this finding.
    pub fn of_finding(&self, f: Finding) -> u64 {
        self.per_finding[f.index()]
    }

    /// Every finding with its count, in [`Finding::ALL`] order.
    pub fn per_finding(&self) -> impl Iterator<Item = (Finding, u64)> + '_ {
        Finding::ALL.into_iter().map(|f| (f, self.of_finding(f)))
    }

    /// Frames with an FCS verdict (valid or invalid).
    pub fn fcs_checked(&self) -> u64 {
        self.of_finding(Finding::FcsValid) + self.of_finding(Finding::FcsInvalid)
    }
}

const COUNT_FRAMES: &str = "frames";
const COUNT_BYTES_CAPTURED: &str = "bytes_captured";
const COUNT_BYTES_ORIGINAL: &str = "bytes_original";
const COUNT_OVER_MTU: &str = "over_mtu";

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(FINDINGS + 4))?;
        m.serialize_entry(COUNT_FRAMES, &self.frames)?;
        m.serialize_entry(COUNT_BYTES_CAPTURED, &self.bytes_captured)?;
        m.serialize_entry(COUNT_BYTES_ORIGINAL, &self.bytes_original)?;
        for (f, n) in self.per_finding() {
            m.serialize_entry(f.key(), &n)?;
        }
        m.serialize_entry(COUNT_OVER_MTU, &self.over_mtu)?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for Counts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CountsVisitor;
        impl<'de> serde::de::Visitor<'de> for CountsVisitor {
            type Value = Counts;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of frame counts")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Counts, A::Error> {
                let mut c = Counts::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    let n: u64 = map.next_value()?;
                    match &*key {
                        COUNT_FRAMES => c.frames = n,
                        COUNT_BYTES_CAPTURED => c.bytes_captured = n,
                        COUNT_BYTES_ORIGINAL => c.bytes_original = n,
                        COUNT_OVER_MTU => c.over_mtu = n,
                        k => match Finding::from_key(k) {
                            Some(f) => c.per_finding[f.index()] = n,
                            None => return Err(serde::de::Error::unknown_field(k, &[])),
                        },
                    }
                }
                Ok(c)
            }
        }
        d.deserialize_map(CountsVisitor)
    }
}

/// A finding about the whole capture, as a sentence with the frames it is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureFinding {
    pub kind: FindingKind,
    pub sentence: String,
    /// Up to 20 frame numbers, the first ones concerned.
    pub frames: Vec<u64>,
    /// The numbers a ping sweep's inference rests on (only on `ping_sweep`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<SweepFacts>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Pattern,
    PingSweep,
    PathMtu,
    Mss,
    UnsupportedLink,
    /// Only the full-size segments of a TCP connection are sent again.
    FullSizeRetransmissions,
    /// What a kernel log read beside the capture says (`crate::log`).
    KernelLog,
}

variants!(FindingKind[Pattern, PingSweep, PathMtu, Mss, UnsupportedLink, FullSizeRetransmissions, KernelLog]);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryError {
    pub offset: u64,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub settings: Settings,
    pub capture: CaptureMeta,
    pub counts: Counts,
    pub link_types: Vec<(LinkType, u64)>,
    pub findings: Vec<CaptureFinding>,
    pub error: Option<SummaryError>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Source {
    Mac([u8; 6]),
    Interface(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum PatternKind {
    Trailer(u32),
    Vendor,
    NonzeroPadding,
    FcsInvalid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct PatternKey {
    source: Source,
    outbound: Option<bool>,
    kind: PatternKind,
}

struct PatternAcc {
    count: u64,
    frames: Vec<u64>,
    sample: [u8; 8],
    sample_len: u8,
    same_bytes: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct EchoKey {
    v6: bool,
    ident: u16,
    seq: u16,
    payload: u32,
}

struct EchoRequest {
    frame: u64,
    facts: MtuFacts,
    answered: bool,
    /// Index of its sender–target pair, or [`NO_PAIR`].
    pair: u32,
}

/// Sender and target addresses of an echo request (IPv4 in the first 4 bytes).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct EchoPair {
    v6: bool,
    src: [u8; 16],
    dst: [u8; 16],
}

pub struct SummaryBuilder {
    settings: Settings,
    counts: Counts,
    link_types: BTreeMap<u16, u64>,
    per_source: HashMap<(Source, Option<bool>), u64>,
    patterns: HashMap<PatternKey, PatternAcc>,
    echoes: HashMap<EchoKey, EchoRequest>,
    echo_pairs: HashMap<EchoPair, u32>,
    /// Replies seen before their request (captured out of order, or on another interface first).
    early_replies: HashMap<EchoKey, u64>,
    signals: Vec<(u64, MtuSignal)>,
    mss: BTreeMap<u16, (u64, u64)>,
    largest_segment: Option<(u32, u64)>,
    retransmissions: Retransmissions,
    unsupported_first: BTreeMap<u16, u64>,
    /// Recent packets by point, so that a copy on another interface counts once.
    recent: Recent,
    /// The file names one interface so far (see [`SummaryBuilder::set_one_interface`]).
    one_interface: bool,
}

impl SummaryBuilder {
    pub fn new(settings: Settings) -> Self {
        SummaryBuilder {
            settings,
            counts: Counts::default(),
            link_types: BTreeMap::new(),
            per_source: HashMap::default(),
            patterns: HashMap::default(),
            echoes: HashMap::default(),
            echo_pairs: HashMap::default(),
            early_replies: HashMap::default(),
            signals: Vec::new(),
            mss: BTreeMap::new(),
            largest_segment: None,
            retransmissions: Retransmissions::default(),
            unsupported_first: BTreeMap::new(),
            recent: Recent::default(),
            one_interface: false,
        }
    }

    /// The scanner says whether the file names a single interface so far:
    /// then no frame can be a copy seen on another one, and the packet-key
    /// lookup (a fifth of the scan's instructions on the benchmark mix) is skipped.
    pub fn set_one_interface(&mut self, one: bool) {
        self.one_interface = one;
    }

    pub fn add(&mut self, r: &FrameRecord, d: &Dissection, data: &[u8]) {
        self.counts.add_record(r, &self.settings);
        *self.link_types.entry(r.link_type.0).or_default() += 1;
        if d.link == LinkKind::Unsupported {
            self.unsupported_first.entry(r.link_type.0).or_insert(r.number);
        }

        // Patterns describe the frames of one source and interface: per frame.
        self.add_patterns(r, d, data);
        // What follows counts packets: a copy of one already seen on another
        // interface of this capture is the same packet (issue 13). Only the
        // frames these findings read are looked up, to keep the scan cheap.
        let counts_packets = d.echo.is_some()
            || d.mtu_signal.is_some()
            || d.tcp_syn_mss.is_some()
            || d.tcp_payload.is_some_and(|p| p > 0);
        let may_be_copy = counts_packets && !(self.one_interface && d.link != LinkKind::LinuxSll2);
        // A SYN whose MSS a router rewrote between two interfaces
        // (`TCPMSS --clamp-mss-to-pmtu`) is not a copy: the packet key leaves
        // the MSS out so the path view can follow the SYN across the clamp,
        // but the MSS finding must see both values.
        let key = packet_key(d, data)
            .map(|k| d.tcp_syn_mss.map_or(k, |m| k ^ u64::from(m).wrapping_mul(0x9e37_79b9_7f4a_7c15)));
        if may_be_copy
            && key.is_some_and(|k| self.recent.is_copy(k, point_of(r.interface, r.link_type, data), r.timestamp_ns))
        {
            return;
        }
        self.add_echo(r, d, data);
        if let Some(s) = d.mtu_signal {
            if self.signals.len() < MAX_SIGNALS {
                self.signals.push((r.number, s));
            }
        }
        if let Some(mss) = d.tcp_syn_mss {
            let e = self.mss.entry(mss).or_insert((0, r.number));
            e.0 += 1;
        }
        if let Some(p) = d.tcp_payload {
            if p > 0 && self.largest_segment.is_none_or(|(best, _)| p > best) {
                self.largest_segment = Some((p, r.number));
            }
        }
        self.add_segment(r, d, data);
    }

    /// A TCP segment of the outermost datagram, for the retransmissions by size.
    fn add_segment(&mut self, r: &FrameRecord, d: &Dissection, data: &[u8]) {
        let (Some(Layer::Tcp), Some(payload), Some(g)) = (d.transport, d.tcp_payload, d.datagram) else { return };
        if payload == 0 {
            return;
        }
        let Some(h) = d.headers.iter().find(|h| h.layer == Layer::Tcp && h.depth == 0) else { return };
        let seg = data.get(h.start as usize..).unwrap_or(&[]);
        let ip = data.get(g.start as usize..).unwrap_or(&[]);
        let v6 = g.layer == Layer::Ipv6;
        let (src, dst) = if v6 { (ipv6::field::SRC, ipv6::field::DST) } else { (ipv4::field::SRC, ipv4::field::DST) };
        let (Some(a), Some(b)) = (ip.get(src), ip.get(dst)) else { return };
        let mut key = FlowKey {
            v6,
            src: [0; 16],
            dst: [0; 16],
            src_port: be16(seg, tcp::field::SRC_PORT),
            dst_port: be16(seg, tcp::field::DST_PORT),
        };
        key.src[..a.len()].copy_from_slice(a);
        key.dst[..b.len()].copy_from_slice(b);
        let datagram = r.mtu.datagram_len.unwrap_or(0);
        self.retransmissions.add(key, tcp::seq(seg), payload, datagram, r.number);
    }

    fn add_patterns(&mut self, r: &FrameRecord, d: &Dissection, data: &[u8]) {
        let source = match d.src_mac {
            Some(m) => Source::Mac(m),
            None => Source::Interface(r.interface),
        };
        let outbound = r.direction.map(|x| x == Direction::Outbound);
        if self.per_source.len() < MAX_SOURCES || self.per_source.contains_key(&(source, outbound)) {
            *self.per_source.entry((source, outbound)).or_default() += 1;
        }
        for region in r.ledger.regions() {
            let kind = match region.kind {
                RegionKind::Trailer => PatternKind::Trailer(region.len),
                RegionKind::Vendor => PatternKind::Vendor,
                RegionKind::Padding if region.nonzero == Some(true) => PatternKind::NonzeroPadding,
                RegionKind::Fcs if region.valid == Some(false) => PatternKind::FcsInvalid,
                _ => continue,
            };
            let key = PatternKey { source, outbound, kind };
            let bytes = data.get(region.start as usize..region.end() as usize).unwrap_or(&[]);
            let n = bytes.len().min(8);
            if !self.patterns.contains_key(&key) && self.patterns.len() >= MAX_PATTERNS {
                continue;
            }
            let acc = self.patterns.entry(key).or_insert_with(|| {
                let mut sample = [0u8; 8];
                sample[..n].copy_from_slice(&bytes[..n]);
                PatternAcc { count: 0, frames: Vec::new(), sample, sample_len: n as u8, same_bytes: true }
            });
            acc.count += 1;
            if acc.frames.len() < FRAMES_PER_FINDING {
                acc.frames.push(r.number);
            }
            if acc.same_bytes && (bytes.len() > 8 || bytes[..n] != acc.sample[..usize::from(acc.sample_len)]) {
                acc.same_bytes = false;
            }
        }
    }

    fn add_echo(&mut self, r: &FrameRecord, d: &Dissection, data: &[u8]) {
        let Some(e) = d.echo else { return };
        // Keyed without addresses: NAT (an OpenStack floating IP) rewrites them
        // between the captured hops, while identifier, sequence and size survive.
        let key = EchoKey { v6: e.v6, ident: e.ident, seq: e.seq, payload: e.payload_len };
        if e.request {
            if self.echoes.len() >= MAX_ECHOES && !self.echoes.contains_key(&key) {
                return;
            }
            if self.echoes.contains_key(&key) {
                return; // the same request at a second capture point
            }
            let early = self.early_replies.remove(&key).is_some();
            let pair = self.echo_pair(d, data);
            self.echoes.insert(key, EchoRequest { frame: r.number, facts: r.mtu, answered: early, pair });
        } else if let Some(req) = self.echoes.get_mut(&key) {
            req.answered = true;
        } else if self.early_replies.len() < MAX_ECHOES {
            self.early_replies.insert(key, r.number);
        }
    }

    /// The index of the request's sender–target pair, from the outermost
    /// datagram's addresses.
    fn echo_pair(&mut self, d: &Dissection, data: &[u8]) -> u32 {
        let Some(g) = d.datagram else { return NO_PAIR };
        let ip = data.get(g.start as usize..).unwrap_or(&[]);
        let mut pair = EchoPair { v6: g.layer == Layer::Ipv6, src: [0; 16], dst: [0; 16] };
        let (src, dst) = match g.layer {
            Layer::Ipv4 => (ipv4::field::SRC, ipv4::field::DST),
            Layer::Ipv6 => (ipv6::field::SRC, ipv6::field::DST),
            _ => return NO_PAIR,
        };
        let (Some(s), Some(t)) = (ip.get(src), ip.get(dst)) else { return NO_PAIR };
        pair.src[..s.len()].copy_from_slice(s);
        pair.dst[..t.len()].copy_from_slice(t);
        let next = self.echo_pairs.len() as u32;
        match self.echo_pairs.get(&pair) {
            Some(&i) => i,
            None if self.echo_pairs.len() < MAX_ECHO_PAIRS => {
                self.echo_pairs.insert(pair, next);
                next
            }
            None => NO_PAIR,
        }
    }

    /// Counts of the frames so far.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The capture-wide findings of the frames so far: shown while a large
    /// capture is still being read, and final once [`SummaryBuilder::finish`] runs.
    pub fn findings(&self) -> Vec<CaptureFinding> {
        let mut findings = Vec::new();
        findings.extend(self.unsupported_findings());
        findings.extend(self.pattern_findings());
        findings.extend(self.ping_findings());
        findings.extend(self.path_mtu_findings());
        findings.extend(self.retransmission_finding());
        findings
    }

    pub fn finish(self, capture: CaptureMeta, error: Option<CaptureError>) -> Summary {
        let findings = self.findings();
        Summary {
            settings: self.settings,
            capture,
            counts: self.counts,
            link_types: self.link_types.into_iter().map(|(k, v)| (LinkType(k), v)).collect(),
            findings,
            error: error.map(|e| SummaryError { offset: e.offset, message: e.to_string() }),
        }
    }

    fn unsupported_findings(&self) -> Vec<CaptureFinding> {
        self.unsupported_first
            .iter()
            .map(|(&lt, &first)| {
                let n = self.link_types.get(&lt).copied().unwrap_or(0);
                CaptureFinding {
                    kind: FindingKind::UnsupportedLink,
                    sentence: format!(
                        "{} frame{} of unsupported link type {}: counted with their lengths, not dissected.",
                        thousands(n),
                        plural(n),
                        LinkType(lt)
                    ),
                    frames: vec![first],
                    facts: None,
                }
            })
            .collect()
    }

    fn pattern_findings(&self) -> Vec<CaptureFinding> {
        let mut rows: Vec<(&PatternKey, &PatternAcc)> = self.patterns.iter().collect();
        rows.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        rows.into_iter()
            .take(50)
            .map(|(k, acc)| {
                let total = self.per_source.get(&(k.source, k.outbound)).copied().unwrap_or(acc.count);
                let who = match k.source {
                    Source::Mac(m) => format!("from {}", crate::wire::Value::Mac(m)),
                    Source::Interface(i) => format!("on interface {i}"),
                };
                let dir = match k.outbound {
                    Some(true) => " (sent by the capturing host)",
                    Some(false) => " (received)",
                    None => "",
                };
                let one = acc.count == 1;
                let quantity = if total == 1 {
                    format!("The one frame {who}{dir}")
                } else if acc.count == total {
                    format!("All {} frames {who}{dir}", thousands(total))
                } else {
                    format!("{} of {} frames {who}{dir}", thousands(acc.count), thousands(total))
                };
                let sample = || {
                    acc.sample[..usize::from(acc.sample_len)]
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let what = match k.kind {
                    PatternKind::Trailer(n) => {
                        let bytes = if acc.same_bytes { format!(", always {}", sample()) } else { String::new() };
                        format!(
                            "{} {n} unexplained byte{} after the datagram{bytes}",
                            verb(one, "carries", "carry"),
                            plural(n)
                        )
                    }
                    PatternKind::Vendor => format!("{} a vendor trailer", verb(one, "carries", "carry")),
                    PatternKind::NonzeroPadding => {
                        format!("{} non-zero padding: bytes that may leak memory (Etherleak)", verb(one, "has", "have"))
                    }
                    PatternKind::FcsInvalid => {
                        format!("{} with an FCS whose CRC does not match", verb(one, "ends", "end"))
                    }
                };
                CaptureFinding {
                    kind: FindingKind::Pattern,
                    sentence: format!("{quantity} {what}."),
                    frames: acc.frames.clone(),
                    facts: None,
                }
            })
            .collect()
    }

    /// One ping-sweep finding per IP version: the sender–target pair whose
    /// requests are a sweep ([`Sweep::of`]) with the most requests.
    fn ping_findings(&self) -> Vec<CaptureFinding> {
        let mut out = Vec::new();
        for v6 in [false, true] {
            let mut by_pair: BTreeMap<u32, Vec<EchoSample>> = BTreeMap::new();
            for (k, r) in self.echoes.iter().filter(|(k, r)| k.v6 == v6 && r.pair != NO_PAIR) {
                let sample = EchoSample { payload: k.payload, frame: r.frame, answered: r.answered, facts: r.facts };
                by_pair.entry(r.pair).or_default().push(sample);
            }
            let best = by_pair
                .values()
                .filter_map(|v| Some((v.len(), Sweep::of(v, self.settings.mtu)?)))
                .max_by_key(|(n, sw)| (*n, std::cmp::Reverse(sw.first_lost.frame)));
            let Some((_, sweep)) = best else { continue };
            let icmp_error = self.icmp_error(v6);
            out.push(CaptureFinding {
                kind: FindingKind::PingSweep,
                sentence: sweep.sentence(v6, icmp_error, &self.settings),
                frames: sweep.unanswered.iter().copied().take(FRAMES_PER_FINDING).collect(),
                facts: Some(sweep.facts),
            });
        }
        out
    }

    fn icmp_error(&self, v6: bool) -> bool {
        self.signals.iter().any(|(_, s)| match s {
            MtuSignal::FragmentationNeeded { .. } => !v6,
            MtuSignal::PacketTooBig { .. } => v6,
        })
    }

    /// The connection direction whose full-size segments were resent most.
    fn retransmission_finding(&self) -> Option<CaptureFinding> {
        let losses = self.retransmissions.losses();
        let first = losses.first()?;
        Some(CaptureFinding {
            kind: FindingKind::FullSizeRetransmissions,
            sentence: first.sentence(losses.len() - 1, self.icmp_error(first.flow.v6)),
            frames: first.frames.clone(),
            facts: None,
        })
    }

    fn path_mtu_findings(&self) -> Vec<CaptureFinding> {
        let mut out = Vec::new();
        let mut by_mtu: BTreeMap<(bool, u32), Vec<u64>> = BTreeMap::new();
        for (frame, s) in &self.signals {
            let key = match s {
                MtuSignal::FragmentationNeeded { mtu } => (false, *mtu),
                MtuSignal::PacketTooBig { mtu } => (true, *mtu),
            };
            by_mtu.entry(key).or_default().push(*frame);
        }
        for ((v6, mtu), frames) in by_mtu {
            let what = if v6 { "ICMPv6 Packet Too Big" } else { "ICMP fragmentation needed" };
            let mtu_text = if mtu == 0 {
                "without a next-hop MTU (a pre-RFC 1191 router)".to_string()
            } else {
                format!("MTU {}", thousands(mtu.into()))
            };
            out.push(CaptureFinding {
                kind: FindingKind::PathMtu,
                sentence: format!(
                    "{} {what} message{} report {mtu_text}: a link on the path is smaller than the sender assumed. If such messages are filtered, large packets vanish while small ones pass (a path-MTU black hole).",
                    thousands(frames.len() as u64),
                    plural(frames.len() as u64)
                ),
                frames: frames.into_iter().take(FRAMES_PER_FINDING).collect(),
                facts: None,
            });
        }
        if !self.mss.is_empty() {
            let list: Vec<String> = self.mss.iter().map(|(m, (n, _))| format!("{m} ({n} SYN{})", plural(*n))).collect();
            let max_mss = self.mss.keys().max().copied().unwrap_or(0);
            let mut s = format!("TCP SYNs announce MSS {}.", list.join(", "));
            let mut frames: Vec<u64> = self.mss.values().map(|(_, f)| *f).collect();
            if let Some((seg, frame)) = self.largest_segment {
                if seg > u32::from(max_mss) {
                    s.push_str(&format!(
                        " The largest TCP segment carries {} bytes (frame {frame}), more than any announced MSS: a TSO/GRO super-frame seen on the capturing host, not a frame on the wire.",
                        thousands(seg.into())
                    ));
                    frames.push(frame);
                } else {
                    s.push_str(&format!(
                        " The largest TCP segment carries {} bytes (frame {frame}).",
                        thousands(seg.into())
                    ));
                }
            }
            out.push(CaptureFinding { kind: FindingKind::Mss, sentence: s, frames, facts: None });
        }
        out
    }
}

fn verb(one: bool, singular: &'static str, plural: &'static str) -> &'static str {
    if one {
        singular
    } else {
        plural
    }
}
