//! gen-capture FILE MEGABYTES: writes the deterministic benchmark mix.
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(mb)) = (args.get(1), args.get(2).and_then(|m| m.parse::<usize>().ok())) else {
        eprintln!("usage: gen-capture FILE MEGABYTES");
        return ExitCode::from(2);
    };
    let bytes = framelens::craft::benchmark_mix(mb * 1_000_000);
    if let Err(e) = std::fs::write(path, &bytes) {
        eprintln!("gen-capture: cannot write {path}: {e}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
