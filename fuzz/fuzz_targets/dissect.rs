//! One frame of any link type through the dissector (with spans) and the
//! ledger: no panic, spans inside the frame, regions covering the extra bytes.
#![no_main]

use framelens::capture::FcsHint;
use framelens::frame::dissect::dissect_with_spans;
use framelens::frame::ledger::{account, FrameMeta};
use framelens::wire::link::LinkType;
use framelens::settings::Settings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, frame)) = data.split_first() else { return };
    let link = [1u16, 0, 101, 108, 113, 228, 229, 276][usize::from(sel % 8)];
    let (d, spans) = dissect_with_spans(frame, LinkType(link), frame.len() as u32);
    assert!(spans.iter().all(|s| s.start < s.end && s.end as usize <= frame.len()));
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
    assert_eq!(Some(covered), l.extra.map(|e| if l.l3_end.is_some() { e } else { 0 }));
});
