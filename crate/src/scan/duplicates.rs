//! The same packet seen on two interfaces of one capture (a pcapng with
//! `eth1` and `qr-…`, or a Linux cooked v2 `-i any` capture with several
//! interface indexes) is one packet: the capture-wide findings that count
//! packets (ping sweep, SYN MSS, path-MTU evidence, retransmissions) must
//! count it once (issue 13). Per-frame counts stay per frame.
//!
//! A packet is known by the path code's identity key
//! ([`crate::frame::identity::packet_key`]: what survives NAT, TTL, VLAN
//! tags, tunnels and trailers). A frame is a copy when the same key was seen
//! on *another* capture point of the file within [`WINDOW_NS`]; a repeat on
//! the same point (a retransmission, a repeated ping) is a packet of its own.
//! The window holds at most [`WINDOW_PACKETS`] keys: one host's copies of a
//! packet are microseconds to a few milliseconds apart, so an older key
//! leaves first; under a flood the oldest leave early and a late copy counts
//! twice, never memory without a bound.

use crate::capture::PointKey;
use foldhash::HashMap;
use std::collections::VecDeque;

/// How far apart two copies of one packet on one host's interfaces may be:
/// far above forwarding inside a host (microseconds to milliseconds), far
/// below `ping`'s one second between repeats.
pub const WINDOW_NS: i64 = 100_000_000;
/// Keys the window holds at most, whatever the traffic.
pub const WINDOW_PACKETS: usize = 4096;

#[derive(Default)]
pub struct Recent {
    /// Key → (point, time) of its latest sighting in the window.
    latest: HashMap<u64, (PointKey, i64)>,
    /// Sightings in arrival order, for eviction.
    order: VecDeque<(u64, i64)>,
    /// Copies found so far.
    pub copies: u64,
    last_ns: i64,
}

impl Recent {
    /// Whether the packet `key` seen at `point` at `ns` is a copy of one seen
    /// at another point within the window; remembers it otherwise. A frame
    /// without a timestamp takes its predecessor's.
    pub fn is_copy(&mut self, key: u64, point: PointKey, ns: Option<i64>) -> bool {
        let ns = ns.unwrap_or(self.last_ns);
        self.last_ns = ns;
        while let Some(&(k, t)) = self.order.front() {
            if self.order.len() < WINDOW_PACKETS && ns.saturating_sub(t) <= WINDOW_NS {
                break;
            }
            self.order.pop_front();
            // Only the sighting the map still holds leaves with it.
            if self.latest.get(&k).is_some_and(|&(_, lt)| lt == t) {
                self.latest.remove(&k);
            }
        }
        if let Some(&(p, t)) = self.latest.get(&key) {
            if p != point && ns.saturating_sub(t).saturating_abs() <= WINDOW_NS {
                self.copies += 1;
                return true;
            }
        }
        self.latest.insert(key, (point, ns));
        self.order.push_back((key, ns));
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Interface `n` of a pcapng, no Linux cooked v2 index.
    fn iface(n: u32) -> PointKey {
        PointKey { interface: n, ifindex: None }
    }

    #[test]
    fn a_copy_is_the_same_key_at_another_point_within_the_window() {
        let mut r = Recent::default();
        assert!(!r.is_copy(7, iface(0), Some(1_000)));
        assert!(r.is_copy(7, iface(1), Some(50_000)), "the same packet 49 µs later on interface 1");
        assert!(!r.is_copy(7, iface(0), Some(60_000)), "a repeat on the same interface is a packet");
        assert!(!r.is_copy(7, iface(1), Some(60_000 + WINDOW_NS + 1)), "too late to be a copy");
        assert_eq!(r.copies, 1);
    }

    #[test]
    fn the_window_never_holds_more_than_its_bound() {
        let mut r = Recent::default();
        for k in 0..(WINDOW_PACKETS as u64 * 3) {
            r.is_copy(k, iface(0), Some(0));
        }
        assert!(r.order.len() <= WINDOW_PACKETS && r.latest.len() <= WINDOW_PACKETS);
        // The oldest left: its copy on another point now counts as a packet.
        assert!(!r.is_copy(0, iface(1), Some(0)));
    }
}
