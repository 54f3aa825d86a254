//! gen-path A B MEGABYTES: writes two deterministic captures of the same
//! traffic at two points of a path, each about MEGABYTES: the path benchmark's input.
//!
//! A sees the traffic untagged; B, 8 µs further on and on a host whose clock
//! runs 2.5 s ahead, sees it with an 802.1Q tag pushed and the TTL one lower,
//! and never sees 1 packet in 100 that A sent (lost between A and B). Data
//! segments go A → B, their ACKs B → A (so the clock estimate sees both
//! directions). Every packet is distinct (sequence numbers and IP IDs
//! advance), 64 flows, 10–60 µs apart. Written as it goes: memory stays small.
use framelens::craft::paths::{ip_frame, Body, Datagram};
use std::io::Write;
use std::process::ExitCode;

const AHEAD_NS: u64 = 2_500_000_000;
const DELAY_NS: u64 = 8_000;
const MAC_A: [u8; 6] = [0x52, 0x54, 0, 0, 0, 1];
const MAC_B: [u8; 6] = [0x52, 0x54, 0, 0, 0, 2];

struct Pcap {
    out: std::io::BufWriter<std::fs::File>,
    written: u64,
}

impl Pcap {
    fn create(path: &str) -> std::io::Result<Self> {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
        // Little-endian, nanosecond pcap, Ethernet.
        let mut h = Vec::with_capacity(24);
        h.extend_from_slice(&0xa1b2_3c4du32.to_le_bytes());
        h.extend_from_slice(&2u16.to_le_bytes());
        h.extend_from_slice(&4u16.to_le_bytes());
        h.extend_from_slice(&[0; 8]);
        h.extend_from_slice(&262_144u32.to_le_bytes());
        h.extend_from_slice(&1u32.to_le_bytes());
        out.write_all(&h)?;
        Ok(Pcap { out, written: 24 })
    }

    fn push(&mut self, ts: u64, frame: &[u8]) -> std::io::Result<()> {
        let len = frame.len() as u32;
        for v in [(ts / 1_000_000_000) as u32, (ts % 1_000_000_000) as u32, len, len] {
            self.out.write_all(&v.to_le_bytes())?;
        }
        self.out.write_all(frame)?;
        self.written += 16 + u64::from(len);
        Ok(())
    }
}

fn run(a: &str, b: &str, target: u64) -> std::io::Result<()> {
    let (mut pa, mut pb) = (Pcap::create(a)?, Pcap::create(b)?);
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut t: u64 = 1_700_000_000_000_000_000;
    let mut seqs = [1u32; 64];
    let mut ident: u16 = 0;
    let mut n: u64 = 0;
    while pa.written < target {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let flow = (state % 64) as usize;
        let pick = (state >> 8) % 100;
        ident = ident.wrapping_add(1);
        n += 1;
        let port = 40_000 + flow as u16;
        let (client, server) = ([10, 0, (flow / 8) as u8, 1 + (flow % 8) as u8], [10, 1, 0, 1]);
        let forward = pick >= 25;
        let body = match pick {
            0..25 => Body::Tcp { src_port: 443, dst_port: port, seq: 1, ack: seqs[flow], payload: 0, fill: 0 },
            25..85 => Body::Tcp { src_port: port, dst_port: 443, seq: seqs[flow], ack: 1, payload: 1460, fill: 0x5a },
            85..95 => Body::Udp { src_port: port, dst_port: 53, payload: 40 + (pick as usize % 50), fill: ident as u8 },
            _ => Body::Echo { request: true, ident: flow as u16, seq: ident, payload: 56 },
        };
        if let Body::Tcp { payload: 1460, .. } = body {
            seqs[flow] = seqs[flow].wrapping_add(1460);
        }
        let (src, dst) = if forward { (client, server) } else { (server, client) };
        let d = Datagram { src, dst, ttl: 64, ident, dont_fragment: true, body };
        let lost = n % 100 == 37;
        if forward {
            let fa = ip_frame(MAC_B, MAC_A, &[], &d, &[]);
            pa.push(t, &fa)?;
            if !lost {
                let fb = ip_frame(MAC_B, MAC_A, &[7], &d.routed(), &[]);
                pb.push(t + AHEAD_NS + DELAY_NS, &fb)?;
            }
        } else {
            let fb = ip_frame(MAC_A, MAC_B, &[7], &d, &[]);
            pb.push(t + AHEAD_NS, &fb)?;
            let fa = ip_frame(MAC_A, MAC_B, &[], &d.routed(), &[]);
            pa.push(t + DELAY_NS, &fa)?;
        }
        t += 10_000 + (state % 50_000);
    }
    pa.out.flush()?;
    pb.out.flush()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(a), Some(b), Some(mb)) = (args.get(1), args.get(2), args.get(3).and_then(|m| m.parse::<u64>().ok()))
    else {
        eprintln!("usage: gen-path A.pcap B.pcap MEGABYTES");
        return ExitCode::from(2);
    };
    if let Err(e) = run(a, b, mb * 1_000_000) {
        eprintln!("gen-path: cannot write: {e}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
