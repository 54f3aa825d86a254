//! TCP segments sent again, by size: when only the full-size segments of a
//! connection are retransmitted while its small ones get through, packets
//! vanish on the path by size (a path-MTU black hole, or a device that drops
//! frames below the MTU), the TCP form of a ping sweep.
//!
//! A segment is a retransmission when it ends at or before the highest
//! sequence number its direction has already sent (RFC 9293 sequence space,
//! compared modulo 2^32). Memory is bounded: [`MAX_FLOWS`] directions, and
//! [`MAX_SIZES`] distinct segment sizes per direction.

use crate::frame::dissect::Dissection;
use crate::scan::finding::{CaptureFinding, FindingKind};
use crate::scan::record::FrameRecord;
use crate::text::{count, thousands};
use crate::wire::{be16, ipv4, ipv6, tcp, Layer, Value};
use foldhash::HashMap;

pub const MAX_FLOWS: usize = 4096;
pub const MAX_SIZES: usize = 32;
const FRAMES_PER_FINDING: usize = 20;

/// One direction of a TCP connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlowKey {
    pub v6: bool,
    pub src: [u8; 16],
    pub dst: [u8; 16],
    pub src_port: u16,
    pub dst_port: u16,
}

impl FlowKey {
    fn reverse(&self) -> FlowKey {
        FlowKey { v6: self.v6, src: self.dst, dst: self.src, src_port: self.dst_port, dst_port: self.src_port }
    }

    fn endpoint(&self, addr: &[u8; 16], port: u16) -> String {
        if self.v6 {
            format!("[{}]:{port}", Value::Ipv6(*addr))
        } else {
            format!("{}:{port}", Value::Ipv4([addr[0], addr[1], addr[2], addr[3]]))
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Size {
    payload: u32,
    datagram: u32,
    sent: u64,
    resent: u64,
}

#[derive(Debug, Default)]
struct Flow {
    /// Sequence number after the highest byte sent so far.
    next: Option<u32>,
    sizes: Vec<Size>,
    resent_frames: Vec<u64>,
}

/// What the scan keeps to find full-size retransmissions.
#[derive(Debug, Default)]
pub struct Retransmissions {
    flows: HashMap<FlowKey, Flow>,
}

/// A connection direction whose full-size segments were sent again while
/// smaller ones passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FullSizeLoss {
    pub flow: FlowKey,
    pub resent: u64,
    /// Payload and datagram of the smallest resent size.
    pub payload: u32,
    pub datagram: u32,
    /// Largest segment of the connection (either direction) that was never resent.
    pub passing_payload: u32,
    pub passing_datagram: u32,
    pub frames: Vec<u64>,
}

impl Retransmissions {
    /// Counts one TCP segment with `payload` bytes (0: a pure ACK, ignored).
    pub fn add(&mut self, key: FlowKey, seq: u32, payload: u32, datagram: u32, frame: u64) {
        if payload == 0 {
            return;
        }
        if !self.flows.contains_key(&key) && self.flows.len() >= MAX_FLOWS {
            return;
        }
        let flow = self.flows.entry(key).or_default();
        let end = seq.wrapping_add(payload);
        let resent = match flow.next {
            // `end` at or before `next`, modulo 2^32.
            Some(next) if (next.wrapping_sub(end) as i32) >= 0 => true,
            _ => {
                flow.next = Some(end);
                false
            }
        };
        if resent && flow.resent_frames.len() < FRAMES_PER_FINDING {
            flow.resent_frames.push(frame);
        }
        if let Some(s) = flow.sizes.iter_mut().find(|s| s.payload == payload) {
            s.sent += 1;
            s.resent += u64::from(resent);
        } else if flow.sizes.len() < MAX_SIZES {
            flow.sizes.push(Size { payload, datagram, sent: 1, resent: u64::from(resent) });
        }
    }

    /// Directions where at least two segments were resent, every resent one
    /// at least half the largest segment's size, at least half the segments
    /// of those sizes were resends, and smaller segments of the same
    /// connection were never resent; the most resent first.
    pub fn losses(&self) -> Vec<FullSizeLoss> {
        let mut out: Vec<FullSizeLoss> = Vec::new();
        for (key, flow) in &self.flows {
            let resent: u64 = flow.sizes.iter().map(|s| s.resent).sum();
            if resent < 2 {
                continue;
            }
            let Some(smallest_resent) = flow.sizes.iter().filter(|s| s.resent > 0).min_by_key(|s| s.payload) else {
                continue;
            };
            let largest = flow.sizes.iter().map(|s| s.payload).max().unwrap_or(0);
            if smallest_resent.payload.saturating_mul(2) < largest {
                continue;
            }
            // In a black hole every large segment is sent again and again; an
            // occasional loss among many that passed is ordinary congestion.
            let (sent, again) = flow
                .sizes
                .iter()
                .filter(|s| s.payload >= smallest_resent.payload)
                .fold((0, 0), |(n, r), s| (n + s.sent, r + s.resent));
            if again * 2 < sent {
                continue;
            }
            let reverse = self.flows.get(&key.reverse());
            let passing = flow
                .sizes
                .iter()
                .chain(reverse.iter().flat_map(|f| f.sizes.iter()))
                .filter(|s| s.resent == 0 && s.payload < smallest_resent.payload)
                .max_by_key(|s| s.payload);
            let Some(passing) = passing else { continue };
            out.push(FullSizeLoss {
                flow: *key,
                resent,
                payload: smallest_resent.payload,
                datagram: smallest_resent.datagram,
                passing_payload: passing.payload,
                passing_datagram: passing.datagram,
                frames: flow.resent_frames.clone(),
            });
        }
        out.sort_by(|a, b| b.resent.cmp(&a.resent).then(a.flow.cmp(&b.flow)));
        out
    }

    /// A TCP segment of the outermost datagram, for the retransmissions by size.
    pub fn add_segment(&mut self, r: &FrameRecord, d: &Dissection, data: &[u8]) {
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
        self.add(key, tcp::seq(seg), payload, datagram, r.number);
    }

    /// The connection direction whose full-size segments were resent most.
    pub fn finding(&self, icmp_error: impl Fn(bool) -> bool) -> Option<CaptureFinding> {
        let losses = self.losses();
        let first = losses.first()?;
        Some(CaptureFinding {
            kind: FindingKind::FullSizeRetransmissions,
            sentence: first.sentence(losses.len() - 1, icmp_error(first.flow.v6)),
            frames: first.frames.clone(),
            facts: None,
        })
    }
}

impl FullSizeLoss {
    /// The finding's sentence; `others` more directions show the same, and
    /// `icmp_error` says whether the capture holds an ICMP error of that family.
    pub fn sentence(&self, others: usize, icmp_error: bool) -> String {
        let k = &self.flow;
        let mut s = format!(
            "TCP {} → {}: {}, all of full-size segments ({} bytes of payload, {}-byte datagrams), while segments up to {} bytes ({}-byte datagrams) got through: large packets vanish on the path and small ones pass.",
            k.endpoint(&k.src, k.src_port),
            k.endpoint(&k.dst, k.dst_port),
            count(self.resent, "retransmission"),
            thousands(self.payload.into()),
            thousands(self.datagram.into()),
            thousands(self.passing_payload.into()),
            thousands(self.passing_datagram.into()),
        );
        let error = if k.v6 { "ICMPv6 Packet Too Big" } else { "ICMP fragmentation-needed" };
        if icmp_error {
            s.push_str(&format!(" {error} came back (see the path-MTU finding), yet the sender kept the size."));
        } else {
            s.push_str(&format!(
                " No {error} came back: a path-MTU black hole, or a device that drops frames below the MTU; a `ping -M do -s N` sweep to the same host finds the size."
            ));
        }
        if others > 0 {
            s.push_str(&format!(" {} more show the same.", count(others as u64, "connection direction")));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> FlowKey {
        let mut src = [0; 16];
        src[..4].copy_from_slice(&[10, 0, 0, 1]);
        let mut dst = [0; 16];
        dst[..4].copy_from_slice(&[10, 0, 0, 2]);
        FlowKey { v6: false, src, dst, src_port: 443, dst_port: 50000 }
    }

    #[test]
    fn full_size_segments_resent_while_small_ones_pass() {
        let mut r = Retransmissions::default();
        r.add(key(), 1, 200, 240, 1);
        r.add(key(), 201, 1448, 1500, 2);
        r.add(key(), 201, 1448, 1500, 3);
        r.add(key(), 201, 1448, 1500, 4);
        let l = r.losses();
        assert_eq!(l.len(), 1);
        assert_eq!((l[0].resent, l[0].payload, l[0].passing_payload), (2, 1448, 200));
        assert_eq!(l[0].frames, [3, 4]);
        assert!(l[0].sentence(0, false).starts_with("TCP 10.0.0.1:443 → 10.0.0.2:50000: 2 retransmissions"));
    }

    #[test]
    fn retransmissions_of_every_size_are_not_about_size() {
        let mut r = Retransmissions::default();
        for (seq, len) in [(1, 100), (1, 100), (101, 1448), (101, 1448), (1549, 1448)] {
            r.add(key(), seq, len, len + 52, 1);
        }
        assert!(r.losses().is_empty());
    }

    #[test]
    fn an_occasional_loss_among_many_full_size_segments_is_congestion() {
        let mut r = Retransmissions::default();
        r.add(key(), 1, 200, 240, 1);
        for i in 0..20u32 {
            r.add(key(), 201 + i * 1448, 1448, 1500, 2 + u64::from(i));
        }
        r.add(key(), 201, 1448, 1500, 30);
        r.add(key(), 201 + 1448, 1448, 1500, 31);
        assert!(r.losses().is_empty());
    }

    #[test]
    fn sequence_numbers_wrap() {
        let mut r = Retransmissions::default();
        r.add(key(), u32::MAX - 99, 100, 140, 1);
        r.add(key(), 0, 1448, 1500, 2); // new data after the wrap, not a retransmission
        r.add(key(), 0, 1448, 1500, 3);
        r.add(key(), 0, 1448, 1500, 4);
        assert_eq!(r.losses()[0].resent, 2);
    }
}
