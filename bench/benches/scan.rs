//! Engine throughput on the benchmark mix: the whole scan (reader, dissector,
//! ledger, summary) in 1 MiB chunks, as the CLI and the browser feed it.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use framelens::scan::Scanner;
use framelens::settings::Settings;
use std::hint::black_box;

fn scan(c: &mut Criterion) {
    let capture = framelens::craft::benchmark_mix(64_000_000);
    let mut frames = 0u64;
    let mut s = Scanner::new(Settings::default());
    let _ = s.push(&capture, |_| frames += 1);
    eprintln!(
        "per-frame record kept by a consumer that stores them (the web app): {} bytes",
        std::mem::size_of::<framelens::scan::record::FrameRecord>()
    );
    eprintln!(
        "benchmark mix: {} bytes, {frames} frames, {:.0} bytes/frame",
        capture.len(),
        capture.len() as f64 / frames as f64
    );

    let mut g = c.benchmark_group("scan");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(capture.len() as u64));
    g.bench_function("benchmark_mix_64MB_1MiB_chunks", |b| {
        b.iter(|| {
            let mut s = Scanner::new(Settings::default());
            let mut n = 0u64;
            for chunk in capture.chunks(1 << 20) {
                let _ = s.push(chunk, |r| n += u64::from(r.ledger.caplen > 0));
            }
            black_box((n, s.finish()))
        })
    });
    g.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
