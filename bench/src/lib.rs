//! Benchmark support: see `benches/scan.rs`, `src/bin/gen-capture.rs` and `run`.
