//! The fuzz targets' bodies, one function per target. The AFL binaries in
//! `src/bin/afl_*.rs` call them; `crate/tests/fuzz_regressions.rs` includes
//! this very file (`#[path]`) to replay the crashes and corpus entries the
//! fuzzer found, so a finding keeps serving as a test on stable, in CI.
//!
//! Each body must only use `framelens` (no other crate): the crate's tests
//! compile it as a module of their own.

use framelens::capture::FcsHint;
use framelens::explain::share::{Shared, SharedFrame, SharedJourney};
use framelens::frame::dissect::dissect_with_spans;
use framelens::frame::ledger::{account, FrameMeta};
use framelens::scan::Scanner;
use framelens::settings::Settings;
use framelens::wire::link::LinkType;

/// The link types the dissect target's first byte selects from (`sel % 8`).
pub const DISSECT_LINKS: [u16; 8] = [1, 0, 101, 108, 113, 228, 229, 276];

/// The reader, dissector, ledger and summary on arbitrary files, fed whole
/// and in chunks whose size the input's first byte chooses: must never
/// panic, and both feeds must see the same frames and the same error.
pub fn scan_target(data: &[u8]) {
    let Some((&chunk, file)) = data.split_first() else { return };
    let run = |size: usize| {
        let mut s = Scanner::new(Settings::default());
        let mut frames = Vec::new();
        for c in file.chunks(size.max(1)) {
            if s.push(c, |r| frames.push(*r)).is_err() {
                break;
            }
        }
        (frames, s.finish().error)
    };
    assert_eq!(run(file.len()), run(usize::from(chunk)));
}

/// One frame of any link type through the dissector (with spans) and the
/// ledger. The first byte picks the link type (`sel % 8`, from
/// [`DISSECT_LINKS`]) and, with its top bit, a 4-byte FCS announced by the
/// file. No panic; every span inside the frame; the ledger's regions cover
/// exactly the bytes after the datagram (none when its end is unknown).
pub fn dissect_target(data: &[u8]) {
    let Some((&sel, frame)) = data.split_first() else { return };
    let link = DISSECT_LINKS[usize::from(sel % 8)];
    let (d, spans) = dissect_with_spans(frame, LinkType(link), frame.len() as u32);
    let outside: Vec<_> = spans.iter().filter(|s| !(s.start < s.end && s.end as usize <= frame.len())).collect();
    assert!(outside.is_empty(), "spans outside the {}-byte frame: {outside:?}", frame.len());
    let l = account(
        &d,
        frame,
        FrameMeta {
            original_len: frame.len() as u32,
            fcs: FcsHint { len: (sel & 0x80 != 0).then_some(4), crc_error_flag: false },
        },
        &Settings::default(),
    );
    let covered: u32 = l.regions().map(|r| r.len).sum();
    assert_eq!(covered, l.extra.unwrap_or(0), "regions do not cover the extra bytes: {l:?}");
}

/// Diagnosis-link decoding on arbitrary strings: a frame, a journey or an
/// error, never a panic or an unbounded allocation; what decodes re-encodes
/// to the same frame or journey.
pub fn share_target(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    match Shared::decode(&s) {
        Ok(Shared::Frame(f)) => assert_eq!(SharedFrame::decode(&f.encode()), Ok(f)),
        Ok(Shared::Journey(j)) => {
            let link = j.encode().expect("a decoded journey fits a link");
            assert_eq!(SharedJourney::decode(&link), Ok(j));
        }
        Err(_) => {}
    }
}
