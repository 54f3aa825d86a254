//! Echo requests paired with their replies, for the ping sweep: requests are
//! grouped by sender and target, and the group that is a sweep ([`Sweep::of`])
//! with the most requests becomes the finding, one per IP version.

use crate::frame::dissect::Dissection;
use crate::frame::mtu::MtuFacts;
use crate::scan::finding::{CaptureFinding, FindingKind, FRAMES_PER_FINDING};
use crate::scan::record::FrameRecord;
use crate::scan::sweep::{EchoSample, Sweep};
use crate::settings::Settings;
use crate::wire::{ipv4, ipv6, Layer};
// foldhash instead of std's SipHash: these maps are touched for every echo;
// they are bounded, so a crafted capture cannot grow their collision chains
// without limit.
use foldhash::HashMap;
use std::collections::BTreeMap;

/// Bounds on what the detector keeps, whatever the capture's size.
const MAX_ECHOES: usize = 200_000;
/// Sender–target pairs the ping sweep tells apart; requests of further pairs
/// are kept for replies but belong to no sweep.
const MAX_ECHO_PAIRS: usize = 4096;
const NO_PAIR: u32 = u32::MAX;

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

/// What the scan keeps to find a ping sweep.
#[derive(Default)]
pub struct Pings {
    echoes: HashMap<EchoKey, EchoRequest>,
    echo_pairs: HashMap<EchoPair, u32>,
    /// Replies seen before their request (captured out of order, or on another interface first).
    early_replies: HashMap<EchoKey, u64>,
}

impl Pings {
    pub fn add(&mut self, r: &FrameRecord, d: &Dissection, data: &[u8]) {
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

    /// One ping-sweep finding per IP version: the sender–target pair whose
    /// requests are a sweep ([`Sweep::of`]) with the most requests.
    pub fn findings(&self, settings: &Settings, icmp_error: impl Fn(bool) -> bool) -> Vec<CaptureFinding> {
        let mut out = Vec::new();
        for v6 in [false, true] {
            let mut by_pair: BTreeMap<u32, Vec<EchoSample>> = BTreeMap::new();
            for (k, r) in self.echoes.iter().filter(|(k, r)| k.v6 == v6 && r.pair != NO_PAIR) {
                let sample = EchoSample { payload: k.payload, frame: r.frame, answered: r.answered, facts: r.facts };
                by_pair.entry(r.pair).or_default().push(sample);
            }
            let best = by_pair
                .values()
                .filter_map(|v| Some((v.len(), Sweep::of(v, settings.mtu)?)))
                .max_by_key(|(n, sw)| (*n, std::cmp::Reverse(sw.first_lost.frame)));
            let Some((_, sweep)) = best else { continue };
            let icmp_error = icmp_error(v6);
            out.push(CaptureFinding {
                kind: FindingKind::PingSweep,
                sentence: sweep.sentence(v6, icmp_error, settings),
                frames: sweep.unanswered.iter().copied().take(FRAMES_PER_FINDING).collect(),
                facts: Some(sweep.facts),
            });
        }
        out
    }
}
