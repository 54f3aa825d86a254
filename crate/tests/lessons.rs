//! Every lesson walked from start to end: each step's frame exists in its
//! capture and its highlight resolves to bytes of that frame.

use framelens::capture::read_all;
use framelens::craft::gallery;
use framelens::explain::lessons::LESSONS;
use framelens::frame::analysis::analyze;

#[test]
fn every_step_highlights_the_bytes_it_talks_about() {
    let captures = gallery();
    assert_eq!(LESSONS.len(), 10);
    for lesson in LESSONS {
        let bytes =
            &captures.iter().find(|(n, _)| *n == lesson.capture).unwrap_or_else(|| panic!("{}", lesson.capture)).1;
        let mut analyses = Vec::new();
        assert!(read_all(bytes, |p| analyses.push(analyze(&p, &lesson.settings))).is_none());
        assert!(!lesson.steps.is_empty() && !lesson.takeaway.is_empty() && !lesson.check.is_empty());
        assert!(
            !lesson.summary.is_empty() && !lesson.summary.contains('\n') && lesson.summary.len() < 120,
            "{}",
            lesson.id
        );
        for (i, step) in lesson.steps.iter().enumerate() {
            let a = analyses
                .get(step.frame as usize - 1)
                .unwrap_or_else(|| panic!("{} step {i}: no frame {}", lesson.id, step.frame));
            let (start, end) = step
                .highlight
                .resolve(a)
                .unwrap_or_else(|| panic!("{} step {} ({:?}) highlights nothing", lesson.id, i + 1, step.highlight));
            assert!(start < end && end <= a.ledger.caplen, "{} step {}", lesson.id, i + 1);
        }
    }
}

#[test]
fn lesson_claims_match_the_engine() {
    // Spot checks that the prose states what the engine computes.
    let captures = gallery();
    let frame = |file: &str, n: u64, s: &framelens::settings::Settings| {
        let bytes = &captures.iter().find(|(f, _)| *f == file).unwrap().1;
        let mut out = None;
        let _ = read_all(bytes, |p| {
            if p.number == n {
                out = Some(analyze(&p, s));
            }
        });
        out.unwrap()
    };
    let l = framelens::explain::lessons::lesson("two-bytes").unwrap();
    assert!(frame(l.capture, 15, &l.settings).mtu.dropped);
    assert!(!frame(l.capture, 13, &l.settings).mtu.dropped);
    let l = framelens::explain::lessons::lesson("vlan-qinq").unwrap();
    assert_eq!(frame(l.capture, 6, &l.settings).ledger.len, 1522);
    assert!(frame(l.capture, 6, &l.settings).mtu.dropped);
    let l = framelens::explain::lessons::lesson("snaplen").unwrap();
    assert_eq!(frame(l.capture, 2, &l.settings).ledger.l3_end, Some(14 + 240));
    let l = framelens::explain::lessons::lesson("pmtu-blackhole").unwrap();
    assert!(frame(l.capture, 4, &l.settings).mtu.dropped, "1500-byte DF datagram over a 1400 link");
}

/// A diagnosis link's span is shown with the same highlight: clipped to the
/// captured bytes, nothing for an empty or out-of-frame range.
#[test]
fn a_byte_range_highlight_stays_inside_the_frame() {
    use framelens::capture::{read_all, OwnedFrame};
    use framelens::explain::lessons::Highlight;
    use framelens::frame::analysis::analyze;
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../static/examples/two-bytes.pcap")).unwrap();
    let mut first = None;
    read_all(&bytes, |p| {
        first.get_or_insert_with(|| OwnedFrame::from_packet(&p));
    });
    let p = first.unwrap();
    let a = analyze(&p.packet(), &Default::default());
    let len = p.data.len() as u32;
    assert_eq!(Highlight::Bytes { start: 2, end: 6 }.resolve(&a), Some((2, 6)));
    assert_eq!(Highlight::Bytes { start: len - 2, end: len + 50 }.resolve(&a), Some((len - 2, len)));
    assert_eq!(Highlight::Bytes { start: len, end: len + 4 }.resolve(&a), None);
    assert_eq!(Highlight::Bytes { start: 6, end: 6 }.resolve(&a), None);
}
