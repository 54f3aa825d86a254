//! Capture-wide findings, accumulated frame by frame during the scan with
//! bounded memory. The builder counts every frame and hands it to its
//! detectors: patterns of extra bytes per source ([`super::patterns`]), the
//! ping sweep ([`super::pings`]), path-MTU evidence ([`super::path_mtu`]) and
//! full-size retransmissions ([`super::retransmit`]). Patterns see every
//! frame; the others count packets, so a copy of a packet seen on another
//! interface ([`super::duplicates`]) never reaches them.

use crate::capture::CaptureError;
use crate::capture::PointKey;
use crate::frame::dissect::Dissection;
use crate::frame::identity::packet_key;
use crate::scan::duplicates::Recent;
use crate::scan::path_mtu::PathMtu;
use crate::scan::patterns::Patterns;
use crate::scan::pings::Pings;
use crate::scan::record::{CaptureMeta, FrameRecord};
use crate::scan::retransmit::Retransmissions;
use crate::settings::Settings;
use crate::text::{plural, thousands};
use crate::wire::link::{LinkKind, LinkType};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::scan::counts::Counts;
pub use crate::scan::finding::{CaptureFinding, FindingKind};

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

pub struct SummaryBuilder {
    settings: Settings,
    counts: Counts,
    link_types: BTreeMap<u16, u64>,
    patterns: Patterns,
    pings: Pings,
    path_mtu: PathMtu,
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
            patterns: Patterns::default(),
            pings: Pings::default(),
            path_mtu: PathMtu::default(),
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
        self.patterns.add(r, d, data);
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
            && key.is_some_and(|k| self.recent.is_copy(k, PointKey::at(r.interface, r.link_type, data), r.timestamp_ns))
        {
            return;
        }
        self.pings.add(r, d, data);
        self.path_mtu.add(r, d);
        self.retransmissions.add_segment(r, d, data);
    }

    /// Counts of the frames so far.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The capture-wide findings of the frames so far: shown while a large
    /// capture is still being read, and final once [`SummaryBuilder::finish`] runs.
    pub fn findings(&self) -> Vec<CaptureFinding> {
        let mut findings = Vec::new();
        let icmp_error = |v6| self.path_mtu.icmp_error(v6);
        findings.extend(self.unsupported_findings());
        findings.extend(self.patterns.findings());
        findings.extend(self.pings.findings(&self.settings, icmp_error));
        findings.extend(self.path_mtu.findings());
        findings.extend(self.retransmissions.finding(icmp_error));
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
}
