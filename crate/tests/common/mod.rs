//! Shared helpers for the tests over `../shared/captures`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;

/// The shared capture collection, beside the repository.
pub fn captures() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = [here.join("../../shared/captures"), here.join("../shared/captures")];
    candidates
        .into_iter()
        .find(|p| p.join("SUMMARY.csv").exists())
        .expect("../shared/captures with SUMMARY.csv next to the repository")
}

/// Every pcap and pcapng file of the shared collection, with its bytes.
pub fn capture_files() -> impl Iterator<Item = (PathBuf, Vec<u8>)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(captures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("pcap" | "pcapng")))
        .collect();
    paths.sort();
    paths.into_iter().map(|p| {
        let bytes = std::fs::read(&p).unwrap();
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
    let text = std::fs::read_to_string(captures().join("SUMMARY.csv")).unwrap();
    parse_csv(&text)
        .into_iter()
        .map(|r| SummaryRow {
            file: r["file"].clone(),
            frames: r["frames"].parse().unwrap_or(0),
            tshark_rc: r["tshark_rc"].parse().unwrap_or(0),
        })
        .collect()
}

/// The per-frame tshark reference of one capture.
pub fn reference(file: &str) -> Vec<HashMap<String, String>> {
    let path = captures().join("reference").join(format!("{file}.csv"));
    parse_csv(&std::fs::read_to_string(path).unwrap_or_default())
}
