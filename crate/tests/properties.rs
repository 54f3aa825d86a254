//! Properties over arbitrary input: the core never panics; spans lie inside
//! the frame, in order; every captured byte after the datagram belongs to
//! exactly one region; chunked and whole reading agree.

use framelens::capture::{CaptureReader, FcsHint};
use framelens::craft::PcapWriter;
use framelens::frame::dissect::dissect_with_spans;
use framelens::frame::ledger::{account, FrameMeta};
use framelens::scan::record::FrameRecord;
use framelens::scan::Scanner;
use framelens::settings::{FcsMode, Settings};
use framelens::wire::link::LinkType;
use proptest::prelude::*;

const LINKS: [u16; 13] = [1, 0, 101, 108, 113, 228, 229, 276, 127, 281, 282, 284, 285];

/// Frames that start like real ones (so the dissector gets deep) and then go wrong.
fn frame() -> impl Strategy<Value = Vec<u8>> {
    let seeds: Vec<Vec<u8>> = vec![
        framelens::craft::echo_frame(true, 100, 1, 1, 64),
        framelens::craft::echo_frame(false, 7, 2, 3, 1472),
        vec![0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 0x88, 0xa8, 0, 5, 0x81, 0, 0, 6, 0x86, 0xdd, 0x60],
        vec![0x45, 0, 0, 40, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x12, 0xb5, 0x12, 0xb5, 0, 20],
    ];
    (prop::sample::select(seeds), prop::collection::vec(any::<u8>(), 0..160), any::<u16>(), 0usize..1600).prop_map(
        |(mut seed, tail, pos, cut)| {
            if !seed.is_empty() {
                let at = usize::from(pos) % seed.len();
                seed[at] = tail.first().copied().unwrap_or(0);
            }
            seed.extend_from_slice(&tail);
            seed.truncate(cut.max(1));
            seed
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    #[test]
    fn any_frame_dissects_without_panic_and_spans_stay_inside(
        data in frame(),
        link in prop::sample::select(LINKS.to_vec()),
        extra_len in 0u32..100,
        fcs_len in prop::option::of(Just(4u8)),
        mode in prop::sample::select(vec![FcsMode::Auto, FcsMode::Present, FcsMode::Absent]),
    ) {
        let original_len = data.len() as u32 + extra_len;
        let (d, spans) = dissect_with_spans(&data, LinkType(link), original_len);
        let mut last_start = 0;
        for s in &spans {
            prop_assert!(s.start < s.end, "{s:?}");
            prop_assert!(s.end as usize <= data.len(), "{s:?} beyond {}", data.len());
            prop_assert!(s.start >= last_start, "out of order: {s:?}");
            last_start = s.start;
        }
        let settings = Settings { fcs: mode, ..Settings::default() };
        let l = account(&d, &data, FrameMeta { original_len, fcs: FcsHint { len: fcs_len, crc_error_flag: false } }, &settings);
        // Every captured byte after the datagram belongs to exactly one region, in order.
        if let Some(end) = l.l3_end {
            let mut at = end.min(data.len() as u64) as u32;
            for r in l.regions() {
                prop_assert_eq!(r.start, at);
                prop_assert!(r.len > 0);
                at = r.end();
            }
            prop_assert_eq!(at as usize, data.len());
            prop_assert_eq!(l.extra, Some((data.len() as u64 - end.min(data.len() as u64)) as u32));
        } else {
            prop_assert_eq!(l.regions().count(), 0);
        }
    }

    #[test]
    fn any_bytes_as_a_capture_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let mut s = Scanner::new(Settings::default());
        let _ = s.push(&bytes, |_| {});
        let _ = s.finish();
    }

    #[test]
    fn chunked_and_whole_reading_agree(
        frames in prop::collection::vec(frame(), 0..12),
        link in prop::sample::select(LINKS.to_vec()),
        cuts in prop::collection::vec(1usize..300, 1..20),
        damage in prop::option::of((any::<u16>(), any::<u8>())),
    ) {
        let mut w = PcapWriter::new(link, 65535);
        for (i, f) in frames.iter().enumerate() {
            w.push(i as u64 * 1000, f, f.len() as u32 + (i as u32 % 3));
        }
        let mut bytes = w.into_bytes();
        if let Some((at, v)) = damage {
            let n = bytes.len();
            bytes[usize::from(at) % n] = v;
        }
        let whole = scan(&bytes, &[bytes.len().max(1)]);
        let chunked = scan(&bytes, &cuts);
        prop_assert_eq!(whole, chunked);
    }
}

fn scan(bytes: &[u8], cuts: &[usize]) -> (Vec<FrameRecord>, Option<String>) {
    let mut s = Scanner::new(Settings::default());
    let mut records = Vec::new();
    let mut at = 0;
    let mut i = 0;
    while at < bytes.len() {
        let n = cuts[i % cuts.len()].min(bytes.len() - at);
        if s.push(&bytes[at..at + n], |r| records.push(*r)).is_err() {
            break;
        }
        at += n;
        i += 1;
    }
    let summary = s.finish();
    (records, summary.error.map(|e| e.message))
}

#[test]
fn reader_stops_feeding_after_an_error() {
    let mut r = CaptureReader::new();
    assert!(r.push(b"not a capture at all", |_| {}).is_err());
    let mut called = false;
    assert!(r.push(&[0xd4, 0xc3, 0xb2, 0xa1], |_| called = true).is_err());
    assert!(!called);
}
