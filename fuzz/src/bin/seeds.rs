//! Writes a target's starting corpus from capture files:
//!
//!     seeds scan|dissect|share OUTDIR CAPTURE...
//!
//! - scan: each file whole, behind a chunk-size byte (a different one per file);
//! - dissect: the first frames of each file whose link type the target
//!   selects, behind their selector byte (top bit set when the file announces
//!   a 4-byte FCS);
//! - share: the version 1 fixture of `crate/tests/share_links.rs`, and links
//!   made from the first frame of each file (whole, then headers only with a
//!   note and a selected span).

use framelens::capture::CaptureReader;
use framelens::explain::share::SharedFrame;
use framelens::settings::Settings;
use framelens_fuzz::DISSECT_LINKS;
use std::path::{Path, PathBuf};

/// `crate/tests/share_links.rs`: made by format version 1, must keep opening.
const STORY_V1: &str = "v1.7cwxCsJAEAXQv4WwGlA7wWpQ7EUQG4s0WnmJhWxS2SxBsBLbHCBt2kAukSpdbpAzJOnTZFnIIQLz4BczH_7zJZYQwKK3aTDZ2Kt13_3lSreQVBhrQ_qjzZcCFavIqLfr11VRd_fDsKXzHwgkHm7Hhy-yY5mvdjapRJR4HiQYY4zN0uk3Ag";

/// Chunk sizes the scan seeds start from: whole-ish, tiny, odd, block-sized.
const CHUNKS: [u8; 6] = [0, 1, 7, 24, 64, 255];

/// Frames taken from each capture for the dissect target.
const FRAMES_PER_FILE: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, out, files @ ..] = args.as_slice() else {
        eprintln!("usage: seeds scan|dissect|share OUTDIR CAPTURE...");
        std::process::exit(2);
    };
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out).expect("create OUTDIR");
    let mut n = 0;
    let mut write = |name: String, bytes: &[u8]| {
        std::fs::write(out.join(format!("{n:02}-{name}")), bytes).expect("write seed");
        n += 1;
    };
    if target == "share" {
        write("story-v1".into(), STORY_V1.as_bytes());
    }
    for (i, path) in files.iter().enumerate() {
        let path = Path::new(path);
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("capture").to_string();
        match target.as_str() {
            "scan" => {
                let mut seed = vec![CHUNKS[i % CHUNKS.len()]];
                seed.extend_from_slice(&bytes);
                write(stem, &seed);
            }
            "dissect" => {
                let mut frames = Vec::new();
                let mut r = CaptureReader::new();
                let _ = r.push(&bytes, |p| {
                    let Some(sel) = DISSECT_LINKS.iter().position(|&l| l == p.link_type.0) else { return };
                    if frames.len() < FRAMES_PER_FILE {
                        let fcs = if p.fcs.len == Some(4) { 0x80 } else { 0 };
                        let mut seed = vec![sel as u8 | fcs];
                        seed.extend_from_slice(p.data);
                        frames.push(seed);
                    }
                });
                for (k, f) in frames.iter().enumerate() {
                    write(format!("{stem}-{k}"), f);
                }
            }
            "share" => {
                let mut links = Vec::new();
                let mut r = CaptureReader::new();
                let _ = r.push(&bytes, |p| {
                    if links.is_empty() {
                        links.push(SharedFrame::from_packet(&p, Settings::default(), false).encode());
                        let mut f = SharedFrame::from_packet(&p, Settings::default(), true);
                        f.note = format!("{stem}, frame {}", p.number);
                        f.span = (p.data.len() >= 2).then_some((0, 2));
                        links.push(f.to_fragment());
                    }
                });
                for (k, l) in links.iter().enumerate() {
                    write(format!("{stem}-{k}"), l.as_bytes());
                }
            }
            _ => {
                eprintln!("unknown target {target}: scan, dissect or share");
                std::process::exit(2);
            }
        }
    }
    eprintln!("seeds: {n} {target} inputs in {}", out.display());
}
