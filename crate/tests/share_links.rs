//! Diagnosis links: encode then decode gives back the same frame and
//! settings for any input; links made with format version 1 keep opening
//! (the fixtures below were produced by this version and must never change
//! meaning); any string decodes to a frame or a clear error, never a panic.

use framelens::capture::FcsHint;
use framelens::explain::share::{ShareError, SharedFrame};
use framelens::frame::analysis::analyze;
use framelens::settings::{DeviceRule, FcsMode, Settings};
use framelens::wire::link::LinkType;
use proptest::prelude::*;

fn settings() -> impl Strategy<Value = Settings> {
    (68u32..=65535, 0usize..4, 0usize..3).prop_map(|(mtu, r, f)| Settings {
        mtu,
        rule: DeviceRule::ALL[r],
        fcs: [FcsMode::Auto, FcsMode::Present, FcsMode::Absent][f],
    })
}

proptest! {
    #[test]
    fn encode_then_decode_is_identity(
        data in prop::collection::vec(any::<u8>(), 0..2000),
        link in prop::sample::select(vec![1u16, 113, 276, 101, 0]),
        extra in 0u32..100,
        fcs_len in prop::option::of(0u8..8),
        crc_error_flag in any::<bool>(),
        settings in settings(),
        number in prop::option::of(1u64..u64::MAX),
        note in ".{0,80}",
        headers_only in any::<bool>(),
    ) {
        let span = (data.len() >= 2).then_some((0, data.len() as u32));
        let f = SharedFrame {
            link_type: LinkType(link),
            original_len: data.len() as u32 + extra,
            fcs: FcsHint { len: fcs_len, crc_error_flag },
            data,
            settings,
            frame_number: number,
            span,
            note,
            headers_only,
            fcs_recomputed: false,
        };
        let back = SharedFrame::decode(&f.to_fragment()).unwrap();
        prop_assert_eq!(back, f);
    }

    #[test]
    fn any_string_decodes_or_errs_without_panic(s in ".{0,400}") {
        let _ = SharedFrame::decode(&s);
        let _ = SharedFrame::decode(&format!("v1.{s}"));
    }
}

/// Made by version 1 from the two-bytes story, frame 15 (headers only, with a
/// note and the 2 bytes selected): it must keep opening to the same diagnosis.
const STORY_V1: &str = "v1.7cwxCsJAEAXQv4WwGlA7wWpQ7EUQG4s0WnmJhWxS2SxBsBLbHCBt2kAukSpdbpAzJOnTZFnIIQLz4BczH_7zJZYQwKK3aTDZ2Kt13_3lSreQVBhrQ_qjzZcCFavIqLfr11VRd_fDsKXzHwgkHm7Hhy-yY5mvdjapRJR4HiQYY4zN0uk3Ag";

#[test]
fn version_1_fixture_still_opens_to_the_same_diagnosis() {
    let f = SharedFrame::decode(STORY_V1).expect("fixture decodes");
    assert_eq!(f.frame_number, Some(15));
    assert_eq!(f.note, "25 7f after every datagram");
    assert_eq!(f.span, Some((1518, 1520)));
    assert!(f.headers_only);
    let a = analyze(&f.packet(), &f.settings);
    assert_eq!(a.ledger.l3_end, Some(1518));
    assert!(a.mtu.dropped);
    assert_eq!(a.mtu.log.as_deref(), Some("<dev>: dropped over-mtu packet: 1502 > 1500"));
}

#[test]
fn unknown_future_version_is_refused_clearly() {
    let e = SharedFrame::decode("#share=v7.AAAA").unwrap_err();
    assert_eq!(e, ShareError::UnsupportedVersion(7));
    assert!(e.to_string().contains("made by a newer Framelens"));
}
