//! Length fields that contradict their own header. Each used to end the
//! datagram inside a header and turn the bytes after that made-up end into
//! "padding" and "trailer" with hypotheses; now the end stays unknown and a
//! finding names the wrong field. One test per length claim of the ledger.

use framelens::capture::FcsHint;
use framelens::frame::analysis::analyze;
use framelens::frame::dissect::{dissect, ClaimField, StopReason};
use framelens::frame::finding::Finding;
use framelens::frame::ledger::{account, FrameMeta, Ledger};
use framelens::settings::Settings;
use framelens::wire::link::LinkType;

const MACS: [u8; 12] = [0x52, 0x54, 0, 0x12, 0x34, 0x56, 0x52, 0x54, 0, 0xab, 0xcd, 0xef];

/// An Ethernet frame of `ethertype` and `body`, padded with `pad` to 60 bytes.
fn frame(ethertype: u16, body: &[u8], pad: u8) -> Vec<u8> {
    let mut f = MACS.to_vec();
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(body);
    f.resize(f.len().max(60), pad);
    f
}

fn ledger(f: &[u8]) -> (Ledger, Option<StopReason>) {
    let d = dissect(f, LinkType::ETHERNET, f.len() as u32);
    let meta = FrameMeta { original_len: f.len() as u32, fcs: FcsHint::default() };
    (account(&d, f, meta, &Settings::default()), d.stop.map(|s| s.reason))
}

/// The sentences the frame's anatomy shows.
fn findings(f: &[u8]) -> Vec<String> {
    analyze(&framelens::capture::Frame::bare(f, LinkType::ETHERNET), &Settings::default()).findings
}

fn assert_nothing_invented(l: &Ledger) {
    assert_eq!(l.regions().count(), 0, "no regions after a made-up end: {:?}", l.regions().collect::<Vec<_>>());
    assert!(!l.flags.has(Finding::Trailer) && !l.flags.has(Finding::Padding) && !l.flags.has(Finding::NonzeroPadding));
    assert!(l.flags.has(Finding::ContradictoryLength));
}

/// IPv4 header of IHL 5 with this total length, protocol UDP.
fn ipv4(total: u16) -> Vec<u8> {
    let mut h = vec![0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
    h[2..4].copy_from_slice(&total.to_be_bytes());
    h
}

#[test]
fn ipv4_total_length_19_below_its_20_byte_header_leaves_the_end_unknown() {
    let mut body = ipv4(19);
    body.extend_from_slice(&[0x11; 26]);
    let f = frame(0x0800, &body, 0x11);
    let (l, stop) = ledger(&f);
    assert_eq!(l.l3_end, None);
    assert_eq!(l.extra, None);
    assert!(l.flags.has(Finding::EndUnknown));
    assert_nothing_invented(&l);
    assert_eq!(
        stop,
        Some(StopReason::LengthBelowMinimum { field: ClaimField::Ipv4TotalLength, value: 19, minimum: 20 })
    );
    let said = findings(&f).join("\n");
    assert!(said.contains("the IPv4 total length is 19, less than the 20 bytes its own header needs"), "{said}");
    assert!(said.contains("does not guess where the IPv4 datagram ends"), "{said}");
}

#[test]
fn ipv4_total_length_equal_to_its_header_is_a_valid_empty_datagram() {
    // The boundary: 20 is the header alone, which is legal.
    let f = frame(0x0800, &ipv4(20), 0);
    let (l, stop) = ledger(&f);
    assert_eq!(l.l3_end, Some(34));
    assert!(!l.flags.has(Finding::ContradictoryLength));
    assert!(!matches!(stop, Some(StopReason::LengthBelowMinimum { .. })));
}

#[test]
fn udp_length_4_below_its_8_byte_header_is_named_and_ends_nothing() {
    // IPv4 says 28 bytes (header + 8), UDP claims 4: the IPv4 end stands,
    // the UDP field is the wrong one.
    let mut body = ipv4(28);
    body.extend_from_slice(&[0x30, 0x39, 0x00, 0x35, 0x00, 0x04, 0, 0]);
    let f = frame(0x0800, &body, 0);
    let (l, stop) = ledger(&f);
    assert_eq!(l.l3_end, Some(42), "the IPv4 total length is consistent and still ends the datagram");
    assert!(l.flags.has(Finding::ContradictoryLength));
    assert!(!l.flags.has(Finding::Trailer));
    assert_eq!(stop, Some(StopReason::LengthBelowMinimum { field: ClaimField::UdpLength, value: 4, minimum: 8 }));
    let said = findings(&f).join("\n");
    assert!(said.contains("the UDP length is 4, less than the 8 bytes"), "{said}");
    assert!(said.contains("where the UDP datagram ends"), "{said}");
}

#[test]
fn ipv6_payload_length_shorter_than_its_extension_headers_leaves_the_end_unknown() {
    // Payload length 8, but a 16-byte hop-by-hop header (length field 1) follows.
    let mut body = vec![0x60, 0, 0, 0, 0, 8, 0, 64];
    body.extend_from_slice(&[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    body.extend_from_slice(&[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    body.extend_from_slice(&[59, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    body.extend_from_slice(&[0x22; 10]);
    let f = frame(0x86dd, &body, 0);
    let (l, stop) = ledger(&f);
    assert_eq!(l.l3_end, None);
    assert_nothing_invented(&l);
    assert_eq!(
        stop,
        Some(StopReason::LengthBelowMinimum { field: ClaimField::Ipv6PayloadLength, value: 8, minimum: 16 })
    );
}

#[test]
fn ipv6_jumbo_length_below_65536_is_a_wrong_field() {
    // Payload length 0, hop-by-hop with a Jumbo Payload option claiming 1,000.
    let mut body = vec![0x60, 0, 0, 0, 0, 0, 0, 64];
    body.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    body.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    body.extend_from_slice(&[59, 0, 0xc2, 4, 0, 0, 0x03, 0xe8]);
    let f = frame(0x86dd, &body, 0);
    let (l, stop) = ledger(&f);
    assert_eq!(l.l3_end, None);
    assert_nothing_invented(&l);
    assert_eq!(
        stop,
        Some(StopReason::LengthBelowMinimum { field: ClaimField::Ipv6JumboLength, value: 1000, minimum: 65_536 })
    );
}

#[test]
fn pppoe_discovery_length_past_the_frame_leaves_the_end_unknown() {
    // PADI with a length of 1,000 in a 60-byte frame: 40 bytes remain after the 6-byte header.
    let f = frame(0x8863, &[0x11, 0x09, 0, 0, 0x03, 0xe8, 0x01, 0x01, 0, 0], 0);
    let (l, stop) = ledger(&f);
    assert_eq!(l.l3_end, None);
    assert_nothing_invented(&l);
    assert_eq!(stop, Some(StopReason::LengthPastFrame { field: ClaimField::PppoeLength, value: 1000, room: 40 }));
    let said = findings(&f).join("\n");
    assert!(said.contains("the PPPoE length claims 1,000 bytes where the frame has 40 left"), "{said}");
}

#[test]
fn pppoe_discovery_length_inside_the_frame_still_ends_the_payload() {
    // The boundary: length 40 fills the frame exactly.
    let f = frame(0x8863, &[0x11, 0x09, 0, 0, 0, 40, 0x01, 0x01, 0, 0], 0);
    let (l, _) = ledger(&f);
    assert_eq!(l.l3_end, Some(60));
    assert!(!l.flags.has(Finding::ContradictoryLength));
}

#[test]
fn ieee8023_length_below_the_llc_header_leaves_the_end_unknown() {
    // An 802.3 length of 2 cannot hold DSAP, SSAP and control.
    let mut f = MACS.to_vec();
    f.extend_from_slice(&[0x00, 0x02, 0x42, 0x42, 0x03]);
    f.resize(60, 0);
    let (l, stop) = ledger(&f);
    assert_eq!(l.l3_end, None);
    assert_nothing_invented(&l);
    assert_eq!(stop, Some(StopReason::LengthBelowMinimum { field: ClaimField::Ieee8023Length, value: 2, minimum: 3 }));
}

#[test]
fn a_contradictory_length_makes_the_mtu_facts_inconsistent() {
    let mut body = ipv4(19);
    body.extend_from_slice(&[0; 26]);
    let f = frame(0x0800, &body, 0);
    let d = dissect(&f, LinkType::ETHERNET, f.len() as u32);
    let meta = FrameMeta { original_len: f.len() as u32, fcs: FcsHint::default() };
    let l = account(&d, &f, meta, &Settings::default());
    assert!(!framelens::frame::mtu::MtuFacts::new(&d, &l).consistent);
}

/// Found by the property test: a raw IPv4 header whose total length (1) is
/// below its header length put the undissected rest at offset 0, before the
/// header's own spans. The rest now starts after the header that was read.
#[test]
fn a_contradictory_length_keeps_the_anatomy_in_order() {
    use framelens::frame::dissect::dissect_with_spans;
    let mut raw = vec![0x45, 0, 0, 1, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
    raw.extend_from_slice(&[0xee; 8]);
    let mut udp = ipv4(28);
    udp.extend_from_slice(&[0x30, 0x39, 0x00, 0x35, 0x00, 0x02, 0, 0, 0xee, 0xee]);
    // The UDP header ends the IPv4 datagram exactly: nothing is left to show as data.
    for (link, f, data_from) in [(LinkType::RAW, raw, Some(20)), (LinkType::IPV4, udp, None)] {
        let (_, spans) = dissect_with_spans(&f, link, f.len() as u32);
        assert!(spans.windows(2).all(|w| w[0].end <= w[1].start), "{spans:#?}");
        let data = spans.iter().find(|s| s.name == "Data").map(|s| (s.start, s.end as usize));
        assert_eq!(data, data_from.map(|at| (at, f.len())), "{spans:#?}");
    }
}
