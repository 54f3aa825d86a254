//! What a single far-end capture already holds: a `ping -M do` sweep whose
//! largest answered datagram is below the MTU, with nothing wrong in the
//! frames themselves (issue 12, part 2). Captures come from
//! `craft::far_end_sweep`.

use framelens::craft::far_end_sweep;
use framelens::scan::scan_bytes;
use framelens::scan::summary::{CaptureFinding, FindingKind};
use framelens::scan::sweep::Confidence;
use framelens::settings::Settings;

fn sweep_of(capture: &[u8]) -> Option<CaptureFinding> {
    let s = scan_bytes(capture, Settings::default(), |_| {});
    s.findings.into_iter().find(|f| f.kind == FindingKind::PingSweep)
}

/// Payloads up to `largest` answered, then three requests above it lost.
fn pings(largest: usize, v6: bool) -> Vec<(usize, bool)> {
    let max = if v6 { 1452 } else { 1472 };
    let mut v: Vec<(usize, bool)> = [56, 500, 1000, largest].into_iter().map(|p| (p, true)).collect();
    v.extend([(largest + 1, false), (largest + 1, false), (max, false)]);
    v
}

#[test]
fn a_far_end_ipv4_sweep_two_bytes_short_says_where_to_look() {
    let f = sweep_of(&far_end_sweep(false, 100, &pings(1470, false))).expect("a sweep");
    let facts = f.facts.unwrap();
    assert_eq!(facts.largest_answered_payload, 1470);
    assert_eq!(facts.smallest_unanswered_payload, 1471);
    assert_eq!(facts.largest_passing_datagram, 1498);
    assert_eq!(facts.bytes_short_of_mtu, Some(2));
    assert_eq!(facts.confidence, Confidence::Firm);
    assert!(
        f.sentence.contains(
            "Datagrams up to 1,498 bytes pass; 1,499 and 1,500 bytes fit MTU 1500 but are lost. The path's limit is \
             2 bytes below the MTU. No ICMP fragmentation-needed came back. Something on the path adds \
             2 bytes (for example a NIC driver trailer), or a link's MTU is 1498. Capture on the next hop, or look for \
             `dropped over-mtu packet: 1501 > 1500` in its kernel log."
        ),
        "{}",
        f.sentence
    );
}

#[test]
fn a_far_end_icmpv6_sweep_gets_the_same_reasoning() {
    // ICMPv6: 40-byte header, so `ping -6 -s 1452` is the largest that fits MTU 1500.
    let f = sweep_of(&far_end_sweep(true, 0, &pings(1448, true))).expect("an ICMPv6 sweep");
    assert!(
        f.sentence.starts_with("Ping sweep: ICMPv6 echo requests with payloads up to 1,448 bytes"),
        "{}",
        f.sentence
    );
    let facts = f.facts.unwrap();
    assert_eq!((facts.largest_passing_datagram, facts.bytes_short_of_mtu), (1496, Some(4)));
    assert!(f.sentence.contains("No ICMPv6 Packet Too Big came back."), "{}", f.sentence);
    assert!(f.sentence.contains("4 bytes is one 802.1Q VLAN tag"), "{}", f.sentence);
}

#[test]
fn shortfalls_of_tags_and_tunnels_are_named() {
    for (short, words) in [
        (1, "adds 1 byte (for example a NIC driver trailer)"),
        (4, "4 bytes is one 802.1Q VLAN tag"),
        (8, "8 bytes is two VLAN tags (QinQ) or PPPoE"),
        (50, "50 bytes is VXLAN over IPv4"),
    ] {
        let f = sweep_of(&far_end_sweep(false, 100, &pings(1472 - short, false))).expect("a sweep");
        assert_eq!(f.facts.unwrap().bytes_short_of_mtu, Some(short as u32));
        assert!(f.sentence.contains(words), "{short} bytes short: {}", f.sentence);
    }
}

#[test]
fn answered_sizes_that_reach_the_mtu_leave_no_gap() {
    let p = [(56, true), (1000, true), (1472, true), (1473, false), (1600, false)];
    let f = sweep_of(&far_end_sweep(false, 100, &p)).expect("a sweep");
    assert_eq!(f.facts.unwrap().bytes_short_of_mtu, None);
    assert!(!f.sentence.contains("below the MTU"), "{}", f.sentence);
}

#[test]
fn replies_lost_for_another_reason_make_a_weak_sweep() {
    let p = [(56, true), (200, false), (400, true), (600, false), (1000, true), (1400, false), (1472, false)];
    let f = sweep_of(&far_end_sweep(false, 100, &p)).expect("a sweep");
    assert_eq!(f.facts.unwrap().confidence, Confidence::Weak);
    assert!(!f.sentence.contains("below the MTU"), "{}", f.sentence);
}

/// Regression: a single unanswered 1,200-byte ICMPv6 echo next to an
/// answered 10-byte one was reported as a "ping sweep".
#[test]
fn a_single_unanswered_1200_byte_icmpv6_echo_beside_a_10_byte_one_is_not_a_sweep() {
    assert_eq!(sweep_of(&far_end_sweep(true, 0, &[(10, true), (1200, false)])), None);
}

mod common;

fn retransmission_findings(capture: &[u8]) -> Vec<CaptureFinding> {
    let s = scan_bytes(capture, Settings::default(), |_| {});
    s.findings.into_iter().filter(|f| f.kind == FindingKind::FullSizeRetransmissions).collect()
}

#[test]
fn full_size_tcp_segments_resent_while_small_ones_pass_are_named() {
    let (_, pmtu) = framelens::craft::gallery().into_iter().find(|(n, _)| *n == "pmtu-blackhole.pcap").unwrap();
    let f = retransmission_findings(&pmtu);
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].sentence,
        "TCP 10.9.0.2:443 → 10.9.1.1:45000: 2 retransmissions, all of full-size segments (1,460 bytes of payload, \
         1,500-byte datagrams), while segments up to 300 bytes (340-byte datagrams) got through: large packets vanish \
         on the path and small ones pass. ICMP fragmentation-needed came back (see the path-MTU finding), yet the \
         sender kept the size."
    );
    assert_eq!(f[0].frames, [6, 8]);
}

/// Regression: real captures with an occasional retransmission among many
/// full-size segments that passed (ordinary loss) are not a size problem.
#[test]
fn occasional_retransmissions_in_real_captures_are_not_full_size_loss() {
    for name in ["zeek-smtp.pcap", "many-protocols.pcap"] {
        let bytes = std::fs::read(common::captures().join(name)).unwrap();
        assert_eq!(retransmission_findings(&bytes), [], "{name}");
    }
}
