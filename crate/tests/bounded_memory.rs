//! Memory stays bounded whatever a file claims: a pcap header may claim a
//! 4 GiB snaplen and a record 4 GB, a pcapng block a length of 4 GiB, a share
//! link may be 100 MB long; none of them makes Framelens buffer more than a
//! fixed bound (libpcap's largest snaplen for a record, libpcap's largest
//! pcapng block, the share link's own limits).
//!
//! The bug these tests pin: a 600 MB file of the first shape made the CLI
//! buffer the whole rest of the file (618 MB peak RSS) before it reported the
//! cut-off record. Memory is measured deterministically here, by the reader's
//! own buffer ([`CaptureReader::buffered_capacity`]) after every chunk; the
//! process's peak RSS over the same shapes is checked by `bounded_rss.rs`
//! (a test binary of its own, so that no other test moves the peak).

mod common;

use common::capture_files;
use framelens::capture::{read_all, CaptureErrorKind, CaptureReader, MAX_BLOCK_BYTES, MAX_RECORD_BYTES};
use framelens::explain::share::{ShareError, SharedFrame, MAX_DECODED, MAX_LINK};
use framelens::scan::Scanner;
use framelens::settings::Settings;
const MIB: usize = 1024 * 1024;

/// The file: a pcap header claiming a 4 GiB snaplen (0xFFFF_FFFF),
/// then one Ethernet record header claiming 4,000,000,000 captured bytes.
fn huge_pcap_head() -> Vec<u8> {
    let mut f = 0xa1b2_c3d4u32.to_le_bytes().to_vec();
    f.extend_from_slice(&2u16.to_le_bytes());
    f.extend_from_slice(&4u16.to_le_bytes());
    f.extend_from_slice(&[0; 8]);
    f.extend_from_slice(&u32::MAX.to_le_bytes());
    f.extend_from_slice(&1u32.to_le_bytes());
    for v in [0u32, 0, 4_000_000_000, 4_000_000_000] {
        f.extend_from_slice(&v.to_le_bytes());
    }
    f
}

/// A pcapng section header and an Ethernet interface, then an enhanced packet
/// block header whose total length claims 0xFFFF_FFF0 bytes (at byte 48).
fn huge_pcapng_head() -> Vec<u8> {
    let block = |kind: u32, body: &[u8]| {
        let len = (12 + body.len()) as u32;
        let mut b = kind.to_le_bytes().to_vec();
        b.extend_from_slice(&len.to_le_bytes());
        b.extend_from_slice(body);
        b.extend_from_slice(&len.to_le_bytes());
        b
    };
    let mut shb = 0x1A2B_3C4Du32.to_le_bytes().to_vec();
    shb.extend_from_slice(&[1, 0, 0, 0]);
    shb.extend_from_slice(&(-1i64).to_le_bytes());
    let mut f = block(0x0A0D_0D0A, &shb);
    f.extend(block(1, &[1, 0, 0, 0, 0, 0, 4, 0]));
    assert_eq!(f.len(), 48);
    f.extend_from_slice(&6u32.to_le_bytes());
    f.extend_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    for v in [0u32, 0, 0, 0xFFFF_FFD0, 0xFFFF_FFD0] {
        f.extend_from_slice(&v.to_le_bytes());
    }
    f
}

/// Feeds `head` (cut in two at `first_cut`) then 64 MiB of zeros in 1 MiB
/// chunks through a [`Scanner`], as the CLI and the browser worker do; returns
/// the summary's error, the frames seen, and the push that first failed.
fn scan_head_then_zeros(head: &[u8], first_cut: usize) -> (Option<(u64, String)>, u64, Option<usize>) {
    let zeros = vec![0u8; MIB];
    let mut scanner = Scanner::new(Settings::default());
    let mut frames = 0u64;
    let mut failed = None;
    let mut first = head[first_cut..].to_vec();
    first.extend_from_slice(&zeros[..MIB - first.len()]);
    let chunks = [&head[..first_cut], &first[..]].into_iter().chain(std::iter::repeat_n(&zeros[..], 63));
    for (i, chunk) in chunks.enumerate() {
        // Pushes after the error return it again and read nothing.
        if scanner.push(chunk, |_| frames += 1).is_err() {
            failed.get_or_insert(i);
        }
        assert!(scanner.consumed() <= head.len() as u64, "nothing past the faulty header is consumed");
    }
    let summary = scanner.finish();
    (summary.error.map(|e| (e.offset, e.message)), frames, failed)
}

#[test]
fn pcap_claiming_4_gib_snaplen_and_record_is_cut_without_buffering() {
    let head = huge_pcap_head();
    for first_cut in [10, 24, 30] {
        let (error, frames, failed) = scan_head_then_zeros(&head, first_cut);
        let (offset, message) = error.expect("the record is refused");
        assert_eq!(frames, 0);
        assert_eq!(failed, Some(1), "refused by the push that completes the record header (cut at {first_cut})");
        assert_eq!(offset, 24, "the error names the record right after the 24-byte file header");
        assert_eq!(
            message,
            "Record 1 at byte 24 claims 4,000,000,000 captured bytes; Framelens reads at most 262,144 bytes of one record (libpcap's largest snaplen), so the file is corrupt from here."
        );
    }
}

#[test]
fn pcap_claiming_4_gib_record_fed_to_the_reader_buffers_only_its_headers() {
    let mut f = huge_pcap_head();
    f.resize(f.len() + 4 * MIB, 0);
    for chunk in [1, 3, 4096, MIB] {
        let mut r = CaptureReader::new();
        let mut refused = None;
        for (i, c) in f.chunks(chunk).enumerate() {
            if let Err(e) = r.push(c, |_| panic!("no packet")) {
                refused.get_or_insert((i, e));
            }
            assert!(r.buffered_capacity() <= 24, "{} bytes held after push {i}", r.buffered_capacity());
        }
        let (i, e) = refused.expect("refused");
        assert_eq!(i, 39 / chunk, "refused by the push that completes the record header");
        assert_eq!(e.offset, 24);
        assert!(matches!(e.kind, CaptureErrorKind::RecordTooLarge { caplen: 4_000_000_000, max: 262_144, .. }));
    }
}

#[test]
fn pcapng_block_claiming_4_gib_is_cut_without_buffering() {
    let head = huge_pcapng_head();
    for first_cut in [20, 48, 52] {
        let (error, frames, failed) = scan_head_then_zeros(&head, first_cut);
        let (offset, message) = error.expect("the block is refused");
        assert_eq!(frames, 0);
        assert_eq!(failed, Some(1), "refused by the push that completes the block header (cut at {first_cut})");
        assert_eq!(offset, 48, "the error names the block after the section header and interface");
        assert_eq!(
            message,
            "The enhanced packet block at byte 48 declares a length of 4,294,967,280 bytes; Framelens reads at most 16,777,216 bytes of one pcapng block (libpcap's largest block), so the file is corrupt from here."
        );
    }
    let mut f = head.clone();
    f.resize(f.len() + 4 * MIB, 0);
    for chunk in [1, 5, 4096, MIB] {
        let mut r = CaptureReader::new();
        let mut refused = None;
        for (i, c) in f.chunks(chunk).enumerate() {
            if let Err(e) = r.push(c, |_| panic!("no packet")) {
                refused.get_or_insert((i, e));
            }
            assert!(r.buffered_capacity() <= 28, "{} bytes held after push {i}", r.buffered_capacity());
        }
        let (i, e) = refused.expect("refused");
        assert_eq!(i, 59 / chunk, "refused by the push that completes the 12 bytes of block header");
        assert_eq!(e.offset, 48);
        assert!(matches!(e.kind, CaptureErrorKind::BlockTooLarge { length: 0xFFFF_FFF0, max: MAX_BLOCK_BYTES, .. }));
    }
}

/// A pcap of `n` Ethernet records of exactly [`MAX_RECORD_BYTES`] each.
fn largest_records(n: usize) -> Vec<u8> {
    let mut f = 0xa1b2_c3d4u32.to_le_bytes().to_vec();
    f.extend_from_slice(&[2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    f.extend_from_slice(&u32::MAX.to_le_bytes());
    f.extend_from_slice(&1u32.to_le_bytes());
    for i in 0..n {
        for v in [i as u32, 0, MAX_RECORD_BYTES, MAX_RECORD_BYTES] {
            f.extend_from_slice(&v.to_le_bytes());
        }
        f.resize(f.len() + MAX_RECORD_BYTES as usize, i as u8);
    }
    f
}

#[test]
fn records_of_the_largest_snaplen_are_read_with_one_record_buffered() {
    let f = largest_records(12);
    let bound = MAX_RECORD_BYTES as usize + 16;
    for chunk in [MIB, MIB + 1, 100_000, 262_160, 262_161, 4093] {
        let mut r = CaptureReader::new();
        let mut lens = Vec::new();
        for c in f.chunks(chunk) {
            r.push(c, |p| lens.push((p.number, p.data.len(), p.data[0]))).unwrap();
            assert!(r.buffered() < bound, "{} bytes held, chunk {chunk}", r.buffered());
            assert!(r.buffered_capacity() <= bound, "{} bytes allocated, chunk {chunk}", r.buffered_capacity());
        }
        r.finish().unwrap();
        let want: Vec<_> = (0..12u64).map(|i| (i + 1, MAX_RECORD_BYTES as usize, i as u8)).collect();
        assert_eq!(lens, want, "chunk {chunk}");
    }
}

#[test]
fn corpus_fed_byte_by_byte_and_in_odd_chunks_buffers_at_most_one_record() {
    for (path, bytes) in capture_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let pcapng = bytes.starts_with(&[0x0A, 0x0D, 0x0D, 0x0A]);
        let bound = if pcapng { MAX_BLOCK_BYTES as usize } else { MAX_RECORD_BYTES as usize + 24 };
        let mut whole = Vec::new();
        let whole_err = read_all(&bytes, |p| whole.push((p.offset, p.data.to_vec()))).map(|e| e.to_string());
        for chunk in [1, 7, 1021, 65_537] {
            let mut r = CaptureReader::new();
            let mut seen = Vec::new();
            let mut err = None;
            let mut held = 0;
            for c in bytes.chunks(chunk) {
                if let Err(e) = r.push(c, |p| seen.push((p.offset, p.data.to_vec()))) {
                    err = Some(e.to_string());
                    break;
                }
                held = held.max(r.buffered_capacity());
                assert!(r.buffered() < bound && r.buffered_capacity() <= bound, "{name}, chunk {chunk}");
            }
            if err.is_none() {
                err = r.finish().err().map(|e| e.to_string());
            }
            assert_eq!(seen, whole, "{name}: chunks of {chunk} give the packets of the whole file");
            assert_eq!(err, whole_err, "{name}: chunks of {chunk} end as the whole file does");
            // One record at a time: never more than the largest record plus a header.
            let largest = whole.iter().map(|(_, d)| d.len()).max().unwrap_or(0);
            assert!(held <= (largest + 4096).max(64 * 1024), "{name}: {held} bytes held, largest record {largest}");
        }
    }
}

#[test]
fn share_link_of_100_mb_is_refused_by_its_length_before_decoding() {
    let link = format!("https://example.invalid/#share=v1.{}", "A".repeat(100_000_000));
    assert_eq!(SharedFrame::decode(&link), Err(ShareError::TooLong { len: 100_000_003 }));
    // What follows `&` is not part of the link, but the link itself is measured.
    assert_eq!(SharedFrame::decode(&format!("{link}&x=1")), Err(ShareError::TooLong { len: 100_000_003 }));
    // Just over the limit is refused the same way; at the limit it is decoded
    // (bounded: at most 3/4 of MAX_LINK bytes of base64, MAX_DECODED inflated).
    let over = format!("v1.{}", "A".repeat(MAX_LINK - 2));
    assert_eq!(SharedFrame::decode(&over), Err(ShareError::TooLong { len: MAX_LINK + 1 }));
    let at = format!("v1.{}", "A".repeat(MAX_LINK - 3));
    assert!(!matches!(SharedFrame::decode(&at), Err(ShareError::TooLong { .. })));
}

#[test]
fn share_link_deflate_bomb_is_inflated_no_further_than_the_bound() {
    use base64::Engine;
    // 10 MB of zeros deflate to ~10 KB: a link well under the length limit.
    let packed = miniz_oxide::deflate::compress_to_vec(&vec![0u8; 10_000_000], 9);
    let link = format!("v1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed));
    assert!(link.len() <= MAX_LINK, "{} characters", link.len());
    assert_eq!(SharedFrame::decode(&link), Err(ShareError::TooLarge));
    assert!(ShareError::TooLarge.to_string().contains(&MAX_DECODED.to_string()));
}
