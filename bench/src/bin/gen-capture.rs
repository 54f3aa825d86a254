//! gen-capture FILE MEGABYTES [acks]: writes a deterministic benchmark capture.
//!
//! Default: the benchmark mix (`framelens::craft::benchmark_mix`). Over 256 MB
//! the records of a 256 MB mix repeat until the size is reached, written as
//! they go, so a 5 GB capture needs 256 MB of memory, not 5 GB.
//! `acks`: only 60-byte padded TCP ACKs (76 bytes a record in the file), for
//! frame-count tests: 10 million frames in 760 MB.
use std::io::Write;
use std::process::ExitCode;

const BLOCK_MB: usize = 256;
const PCAP_HEADER: usize = 24;

fn acks(frames: usize) -> Vec<u8> {
    let mut w = framelens::craft::PcapWriter::new(1, 65535);
    let mut ack = Vec::new();
    let step = etherparse::PacketBuilder::ethernet2([0x52, 0x54, 0, 0, 0, 1], [0x52, 0x54, 0, 0, 0, 2])
        .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .tcp(40000, 443, 1, 65535)
        .ack(1);
    let _ = step.write(&mut ack, &[]);
    ack.resize(60, 0);
    for i in 0..frames {
        w.push(i as u64 * 1_000, &ack, 60);
    }
    w.into_bytes()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(mb)) = (args.get(1), args.get(2).and_then(|m| m.parse::<usize>().ok())) else {
        eprintln!("usage: gen-capture FILE MEGABYTES [acks]");
        return ExitCode::from(2);
    };
    let target = mb * 1_000_000;
    let block = match args.get(3).map(String::as_str) {
        Some("acks") => acks(target.min(BLOCK_MB * 1_000_000) / 76),
        None => framelens::craft::benchmark_mix(target.min(BLOCK_MB * 1_000_000)),
        Some(other) => {
            eprintln!("gen-capture: unknown kind {other:?} (only \"acks\")");
            return ExitCode::from(2);
        }
    };
    let write = || -> std::io::Result<()> {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
        out.write_all(&block)?;
        let mut written = block.len();
        // Whole records only: repeat everything after the file header.
        let records = &block[PCAP_HEADER..];
        while written + records.len() <= target {
            out.write_all(records)?;
            written += records.len();
        }
        out.flush()
    };
    if let Err(e) = write() {
        eprintln!("gen-capture: cannot write {path}: {e}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
