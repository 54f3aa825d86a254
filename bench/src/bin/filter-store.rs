//! filter-store [FRAMES]: the web target of display filters. Fills a
//! `RecordStore` with FRAMES records (default 1,000,000) of the benchmark mix
//! (the records of a 64 MB mix, renumbered and moved along the file as if the
//! mix repeated), then compiles each filter once and times one pass over
//! every record decoded from the store, as the page does when the filter
//! changes. Prints the store's bytes per frame and, per filter, the frames
//! kept and the time (best of 5).
use framelens::filter::{Filter, Subject};
use framelens::scan::record::FrameRecord;
use framelens::scan::store::{RecordBatch, RecordStore};
use framelens::settings::Settings;
use std::time::Instant;

const FILTERS: [&str; 5] = [
    "region == \"trailer\"",
    "frame.len > 1000 and not over_mtu",
    "finding in {nonzero_padding fcs_invalid truncated} or extra > 4",
    "fcs == \"valid\" or (interface == 0 and frame.cap_len < 64)",
    "not (region == padding) and frame.number > 500000",
];

fn main() {
    let frames: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let settings = Settings::default();
    let mix = framelens::craft::benchmark_mix(64 << 20);
    let mut base: Vec<FrameRecord> = Vec::new();
    framelens::scan::scan_bytes(&mix, settings, |r| base.push(*r));
    let mut store = RecordStore::new();
    let mut batch = RecordBatch::new();
    let span = mix.len() as u64;
    let duration = base.last().and_then(|r| r.timestamp_ns).unwrap_or(0) + 1;
    for i in 0..frames {
        let round = (i / base.len()) as u64;
        let mut r = base[i % base.len()];
        r.number = i as u64 + 1;
        r.offset += round * span;
        r.timestamp_ns = r.timestamp_ns.map(|t| t + round as i64 * duration);
        batch.push(&r);
        // The worker posts a batch per 16 MiB of file: about 17,000 records of this mix.
        if batch.len() == 17_000 {
            let full = std::mem::take(&mut batch);
            store.append(full.into_bytes()).expect("the batch was written by this program");
        }
    }
    store.append(batch.into_bytes()).expect("the batch was written by this program");
    println!(
        "store: {} frames, {} bytes, {:.1} bytes per frame",
        store.len(),
        store.heap_bytes(),
        store.heap_bytes() as f64 / store.len() as f64
    );
    let t = Instant::now();
    let decoded = store.iter().count();
    println!("decode alone: {decoded} records in {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    for text in FILTERS {
        let mut best = f64::MAX;
        let mut kept = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let f = Filter::compile(text).expect("the benchmark's filters compile");
            kept = store.iter().filter(|r| f.matches(&Subject::record(r, &settings))).count();
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!("{:>9} kept {:>7.1} ms  {text}", kept, best * 1e3);
    }
}
