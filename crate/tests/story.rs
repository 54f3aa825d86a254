//! The story that started Framelens: 2 bytes a USB NIC driver appended after
//! every IPv4 datagram made Open vSwitch drop 1472-byte pings. It must come
//! out of its capture as one clear sentence.

mod common;

use framelens::craft::two_bytes_story;
use framelens::frame::finding::Finding;
use framelens::scan::scan_bytes;
use framelens::scan::summary::FindingKind;
use framelens::settings::{DeviceRule, Settings};
use std::path::PathBuf;

fn committed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/examples/two-bytes.pcap")
}

#[test]
fn committed_example_is_what_the_generator_makes() {
    let fresh = two_bytes_story();
    if std::env::var_os("FRAMELENS_BLESS").is_some() {
        std::fs::write(committed(), &fresh).unwrap();
    }
    let on_disk = std::fs::read(committed()).expect("static/examples/two-bytes.pcap (FRAMELENS_BLESS=1 writes it)");
    assert!(
        on_disk == fresh,
        "static/examples/two-bytes.pcap differs from the generator; rerun with FRAMELENS_BLESS=1"
    );
}

#[test]
fn ping_sweep_names_the_two_bytes_and_the_ovs_drop() {
    let s = scan_bytes(&two_bytes_story(), Settings::default(), |_| {});
    let sweep = s.findings.iter().find(|f| f.kind == FindingKind::PingSweep).expect("a ping sweep finding");
    assert_eq!(
        sweep.sentence,
        "Ping sweep: ICMP echo requests with payloads up to 1,470 bytes were answered; from 1,472 bytes none were \
         (3 unanswered requests, first frame 15). Datagrams up to 1,498 bytes pass; 1,500 bytes fit MTU 1500 but \
         are lost. The path's limit is 1 to 2 bytes below the MTU (1,499 bytes was not tried). No ICMP \
         fragmentation-needed came back. Each such request carries 2 unexplained bytes after its 1,500-byte \
         datagram, and the MTU rule counts them. Open vSwitch (kernel datapath) drops it: L2 payload 1502 bytes (frame \
         minus Ethernet header and one VLAN tag, 2 trailer bytes included) > MTU 1500; it logs \"dropped over-mtu \
         packet: 1502 > 1500\". Without them it would pass. How sure: firm (7 sizes answered; all 3 larger \
         requests unanswered; no smaller one lost)."
    );
    assert_eq!(sweep.frames, [15, 16, 17]);
    let facts = sweep.facts.expect("the sweep's facts");
    assert_eq!(
        (facts.largest_answered_payload, facts.smallest_unanswered_payload, facts.largest_passing_datagram),
        (1470, 1472, 1498)
    );
    assert_eq!((facts.mtu, facts.bytes_short_of_mtu), (1500, Some(2)));
}

#[test]
fn the_two_bytes_are_one_pattern_of_the_sending_nic() {
    let s = scan_bytes(&two_bytes_story(), Settings::default(), |_| {});
    let sentences: Vec<&str> =
        s.findings.iter().filter(|f| f.kind == FindingKind::Pattern).map(|f| f.sentence.as_str()).collect();
    assert_eq!(
        sentences,
        ["All 10 frames from 3c:22:fb:10:20:30 carry 2 unexplained bytes after the datagram, always 25 7f."]
    );
    assert_eq!(s.counts.of_finding(Finding::Trailer), 10);
    assert_eq!(s.counts.over_mtu, 3);
}

#[test]
fn an_ip_router_would_not_have_dropped_them() {
    // The datagram is exactly 1500 bytes: only a rule that counts trailer bytes drops it.
    let router = Settings { rule: DeviceRule::IpRouter, ..Settings::default() };
    let s = scan_bytes(&two_bytes_story(), router, |_| {});
    assert_eq!(s.counts.over_mtu, 0);
    let sweep = s.findings.iter().find(|f| f.kind == FindingKind::PingSweep).unwrap();
    assert!(sweep.sentence.contains("An IP router forwards it: datagram 1500 bytes ≤ MTU 1500"), "{}", sweep.sentence);
}

/// Findings appear while the capture is still being read: after the first
/// half of the story the 2-byte pattern is already reported, and once every
/// frame is in, the interim findings are exactly the final ones.
#[test]
fn findings_show_before_the_end_of_the_scan() {
    use framelens::scan::Scanner;
    let bytes = std::fs::read(committed()).unwrap();
    let mut scanner = Scanner::new(Settings::default());
    scanner.push(&bytes[..bytes.len() / 2], |_| {}).unwrap();
    let early = scanner.findings();
    assert!(
        early.iter().any(|f| f.kind == FindingKind::Pattern && f.sentence.contains("2 unexplained bytes")),
        "{early:#?}"
    );
    scanner.push(&bytes[bytes.len() / 2..], |_| {}).unwrap();
    let interim = scanner.findings();
    assert_eq!(interim, scanner.finish().findings);
}
