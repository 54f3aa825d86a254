//! Shared helpers for the tests over the capture corpus in `tests/captures`
//! (part of the repository; see `tests/captures/SOURCES.md`). The CLI's tests
//! use this file too (`cli/tests/cli.rs`), so the corpus path is written once.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The capture corpus: `tests/captures` at the workspace root. Panics with
/// the expected path if it is missing: the tests never skip it silently.
pub fn captures() -> PathBuf {
    // CARGO_MANIFEST_DIR is crate/ or cli/, one level below the workspace root.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the package folder has a parent");
    let dir = root.join("tests/captures");
    let summary = dir.join("SUMMARY.csv");
    if !summary.is_file() {
        panic!(
            "the test corpus is missing: expected tests/captures/SUMMARY.csv at {}; it is part of the repository, restore it with `git checkout -- tests/captures`",
            summary.display()
        );
    }
    dir
}

/// The bytes of one file of the corpus (`name` relative to `tests/captures`).
pub fn read_capture(name: &str) -> Vec<u8> {
    let path = captures().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read the corpus file {}: {e}", path.display()))
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read the corpus file {}: {e}", path.display()))
}

/// Every pcap and pcapng file of the corpus, with its bytes.
pub fn capture_files() -> impl Iterator<Item = (PathBuf, Vec<u8>)> {
    let dir = captures();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list the corpus folder {}: {e}", dir.display()))
        .map(|e| e.unwrap_or_else(|e| panic!("cannot list the corpus folder {}: {e}", dir.display())).path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("pcap" | "pcapng")))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "the corpus folder {} holds no pcap or pcapng file", dir.display());
    paths.into_iter().map(|p| {
        let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read the corpus file {}: {e}", p.display()));
        (p, bytes)
    })
}

/// A minimal CSV reader for the reference files (quoted fields, no embedded newlines).
pub fn parse_csv(text: &str) -> Vec<HashMap<String, String>> {
    let mut lines = text.lines();
    let header = split_csv_line(lines.next().unwrap_or(""));
    lines.filter(|l| !l.is_empty()).map(|l| header.iter().cloned().zip(split_csv_line(l)).collect()).collect()
}

fn split_csv_line(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

pub struct SummaryRow {
    pub file: String,
    pub frames: u64,
    pub tshark_rc: i32,
}

pub fn summary_rows() -> Vec<SummaryRow> {
    let text = read_text(&captures().join("SUMMARY.csv"));
    parse_csv(&text)
        .into_iter()
        .map(|r| SummaryRow {
            file: r["file"].clone(),
            frames: r["frames"].parse().unwrap_or(0),
            tshark_rc: r["tshark_rc"].parse().unwrap_or(0),
        })
        .collect()
}

/// The per-frame tshark reference of one capture (`reference/<file>.csv`;
/// every capture has one, header only when tshark saw no frame).
pub fn reference(file: &str) -> Vec<HashMap<String, String>> {
    parse_csv(&read_text(&captures().join("reference").join(format!("{file}.csv"))))
}
