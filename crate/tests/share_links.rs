//! Diagnosis links: encode then decode gives back the same frame and
//! settings for any input; links made with format version 1 keep opening
//! (the fixtures below were produced by this version and must never change
//! meaning); any string decodes to a frame or a clear error, never a panic.

use framelens::capture::FcsHint;
use framelens::explain::share::journey::SharedLoss;
use framelens::explain::share::{ShareError, Shared, SharedFrame, SharedJourney, SharedSighting};
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

/// Made by version 2 (`framelens path --journey 14 --share laptop.pcap
/// controller.pcapng` in static/path-story): the first lost 1472-byte ping,
/// headers only. It must keep opening to the same journey.
const LOST_PING_V2: &str = "v2.7VfPa9RAFJ5dEYLFsjcVER6KkOA2JLFLa-uhCoqUVRFbTx52mnnZhGaTOJntdk_ipYJHD549CnrXm0XBm_-BB_HoxR68eXEmm0VdzKp4apkPht3k_fzePPjI1Xa9RsjhD2SMWULqjZhmIs3szKcZvHkJTmlrHD9q7HzcC8gPqODPxZl99_z9l4unvzXAMcgVmXLVWCErtfWTu8-OHJPniUG6j2ZmiEE0NDQ0NPYlTvhpIngax8gLhUi6SiNQhG7pcErKxMOnrwa76uH127svRjKxV5yfZOIBIUxLhYaGhsZBxNn7dXJt8mMCPu08hkoNWYJz87DoeLZ7CwTtgnmnfekGuI5jkdV_zuRBP8HtLKZRggw2hgJz8FqwENSqRezMby33-FyLOdT1PZxbCA7Vvp6HjPqbKHLgSP0QOpUJO0ATBgluIZ_q-2uJzhKoiCGkCUIagAixByHNgQKjcjCc9tRrt9lynJJZyqGXcizK-ZTzSLEF3Baclh5mQd4CKqb1u1xWzntUmUui8ifPVQ7ZCcSUdzEXsitaGljRnNucv7A4KmbZsCY9GU8ziHLYQDFATP44p7-azTIMIhGqmUiCI2qRvIm2J3sZxillYKrBlDZLzsBHZHk5rX7CJCsVfDOTHW3dlsnkrZibyBOMi_FmVIQW8H6MYF5fWwdXxlk2YZfHLCZXcVrzBbnqvW7KK5Z_xvtkk-C_qlTu_GSd7w";

#[test]
fn version_2_fixture_opens_to_the_lost_ping_journey() {
    let j = SharedJourney::decode(LOST_PING_V2).expect("fixture decodes");
    assert_eq!(Shared::decode(LOST_PING_V2), Ok(Shared::Journey(j.clone())));
    assert_eq!((j.index, j.headers_only, j.settings), (14, true, Settings::default()));
    let points: Vec<&str> = j.seen.iter().map(|s| s.point.as_str()).collect();
    assert_eq!(points, ["laptop.pcap · 0", "controller.pcapng · eth1"]);
    let frames: Vec<Option<u64>> = j.seen.iter().map(|s| s.frame.frame_number).collect();
    assert_eq!(frames, [Some(16), Some(29)]);
    assert!(j.changes.contains(&"laptop.pcap · 0 → controller.pcapng · eth1: +2 unexplained bytes 25 7f".to_string()));
    let lost = j.lost.as_ref().unwrap();
    assert_eq!(
        (lost.after.as_str(), lost.before.as_str()),
        ("controller.pcapng · eth1", "controller.pcapng · qr-5d0a1c2e-7f")
    );
    let at_eth1 = analyze(&j.seen[1].frame.packet(), &j.settings);
    assert_eq!(at_eth1.ledger.extra, Some(2));
    assert_eq!(at_eth1.mtu.log.as_deref(), Some("<dev>: dropped over-mtu packet: 1502 > 1500"));
    assert!(!analyze(&j.seen[0].frame.packet(), &j.settings).mtu.dropped, "1500 ≤ 1500 at the laptop");
}

fn sighting() -> impl Strategy<Value = SharedSighting> {
    (
        ".{0,40}",
        prop::collection::vec(any::<u8>(), 0..600),
        prop::option::of(any::<i64>().prop_filter("not the none marker", |t| *t != i64::MIN)),
        any::<i64>(),
        1u64..u64::MAX,
        prop::option::of(0u8..8),
        any::<bool>(),
    )
        .prop_map(|(point, data, time_ns, clock_offset_ns, number, fcs_len, crc_error_flag)| SharedSighting {
            point,
            time_ns,
            clock_offset_ns,
            frame: SharedFrame {
                link_type: LinkType(1),
                original_len: data.len() as u32,
                fcs: FcsHint { len: fcs_len, crc_error_flag },
                data,
                settings: Settings::default(),
                frame_number: Some(number),
                span: None,
                note: String::new(),
                headers_only: false,
                fcs_recomputed: false,
            },
        })
}

proptest! {
    #[test]
    fn a_journey_encodes_then_decodes_to_itself(
        seen in prop::collection::vec(sighting(), 1..6),
        changes in prop::collection::vec(".{0,60}", 0..5),
        findings in prop::collection::vec(".{0,100}", 0..3),
        lost in prop::option::of((".{0,30}", ".{0,30}")),
        settings in settings(),
        index in any::<u64>(),
        headers_only in any::<bool>(),
        note in ".{0,80}",
    ) {
        let mut j = SharedJourney::new(index, settings, headers_only);
        j.seen = seen;
        for s in &mut j.seen {
            s.frame.settings = settings;
            s.frame.headers_only = headers_only;
        }
        j.changes = changes;
        j.findings = findings;
        j.lost = lost.map(|(after, before)| SharedLoss { after, before });
        j.note = note;
        let back = SharedJourney::decode(&j.to_fragment().unwrap()).unwrap();
        prop_assert_eq!(back, j);
    }

    #[test]
    fn any_string_opens_as_a_frame_a_journey_or_an_error(s in ".{0,400}") {
        let _ = Shared::decode(&s);
        let _ = Shared::decode(&format!("v2.{s}"));
    }
}
