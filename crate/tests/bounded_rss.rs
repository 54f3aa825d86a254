//! The process's peak resident memory while scanning the shapes of the
//! issue: a pcap header claiming a 4 GiB snaplen and a record claiming
//! 4,000,000,000 bytes, a pcapng block claiming 0xFFFF_FFF0 bytes, each
//! followed by 256 MiB of zeros fed in 1 MiB chunks, and a 100 MB share
//! link. Before the fix the first shape made the CLI buffer the whole rest of
//! the file (618 MB peak RSS for a 600 MB file).
//!
//! One test in a binary of its own: the kernel's high-water mark (`VmHWM` in
//! /proc/self/status) is the whole process's, so no other test may run
//! beside it. The deterministic bound (the reader's buffer after each chunk)
//! is in `bounded_memory.rs`; this one checks what a user would measure.
#![cfg(target_os = "linux")]

use framelens::explain::share::{ShareError, SharedFrame};
use framelens::scan::Scanner;
use framelens::settings::Settings;

const MIB: usize = 1024 * 1024;

/// Growth of the peak RSS allowed per step: the 1 MiB chunk, the scanner's
/// tables and allocator slack, far below the 256 MiB a buffering reader takes.
const ALLOWED_GROWTH: u64 = 16 * MIB as u64;

/// The process's peak resident set size so far, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status is readable on Linux");
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).expect("/proc/self/status has VmHWM");
    let kib: u64 = line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).expect("VmHWM is a number of kB");
    kib * 1024
}

fn pcap_head() -> Vec<u8> {
    let mut f = 0xa1b2_c3d4u32.to_le_bytes().to_vec();
    f.extend_from_slice(&[2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    f.extend_from_slice(&u32::MAX.to_le_bytes());
    f.extend_from_slice(&1u32.to_le_bytes());
    for v in [0u32, 0, 4_000_000_000, 4_000_000_000] {
        f.extend_from_slice(&v.to_le_bytes());
    }
    f
}

fn pcapng_head() -> Vec<u8> {
    let mut f = Vec::new();
    for v in [0x0A0D_0D0Au32, 28, 0x1A2B_3C4D, 1, u32::MAX, u32::MAX, 28, 1, 20, 1, 0, 20, 6, 0xFFFF_FFF0] {
        f.extend_from_slice(&v.to_le_bytes());
    }
    f
}

/// Scans `head` and 256 MiB of zeros in 1 MiB chunks (the head at the start
/// of the first); returns the error's offset and the growth of the peak RSS.
fn scan(head: &[u8]) -> (Option<u64>, u64) {
    let mut chunk = vec![0u8; MIB];
    // Written, so that the chunk is resident before the baseline is taken.
    chunk.fill(1);
    chunk.fill(0);
    let before = peak_rss();
    let mut scanner = Scanner::new(Settings::default());
    chunk[..head.len()].copy_from_slice(head);
    let _ = scanner.push(&chunk, |_| {});
    chunk[..head.len()].fill(0);
    for _ in 1..256 {
        let _ = scanner.push(&chunk, |_| {});
    }
    let error = scanner.finish().error.map(|e| e.offset);
    (error, peak_rss().saturating_sub(before))
}

#[test]
fn peak_rss_stays_bounded_for_files_and_links_claiming_gigabytes() {
    let (error, grown) = scan(&pcap_head());
    assert_eq!(error, Some(24));
    assert!(grown < ALLOWED_GROWTH, "pcap claiming a 4 GB record: peak RSS grew by {} KiB", grown / 1024);

    let (error, grown) = scan(&pcapng_head());
    assert_eq!(error, Some(48));
    assert!(grown < ALLOWED_GROWTH, "pcapng block claiming 4 GiB: peak RSS grew by {} KiB", grown / 1024);

    // Last: the link itself raises the peak by 100 MB, which must not be
    // followed by a decoded buffer of three quarters of it.
    let link = format!("v1.{}", "A".repeat(100_000_000));
    let before = peak_rss();
    assert!(matches!(SharedFrame::decode(&link), Err(ShareError::TooLong { .. })));
    let grown = peak_rss().saturating_sub(before);
    assert!(grown < ALLOWED_GROWTH, "100 MB share link: peak RSS grew by {} KiB", grown / 1024);
}
