//! Runs a target's body on files, outside AFL, to reproduce a crash or a
//! hang (with a backtrace under `RUST_BACKTRACE=1`):
//!
//!     replay scan|dissect|share FILE...

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, files @ ..] = args.as_slice() else {
        eprintln!("usage: replay scan|dissect|share FILE...");
        std::process::exit(2);
    };
    let body: fn(&[u8]) = match target.as_str() {
        "scan" => framelens_fuzz::scan_target,
        "dissect" => framelens_fuzz::dissect_target,
        "share" => framelens_fuzz::share_target,
        _ => {
            eprintln!("unknown target {target}: scan, dissect or share");
            std::process::exit(2);
        }
    };
    for f in files {
        let data = std::fs::read(f).unwrap_or_else(|e| panic!("read {f}: {e}"));
        let t = Instant::now();
        eprintln!("{f}: {} bytes", data.len());
        body(&data);
        eprintln!("{f}: ok in {:?}", t.elapsed());
    }
}
