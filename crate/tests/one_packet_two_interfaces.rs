//! Issue 13: within one multi-point capture, the same packet seen on two
//! interfaces is one packet. A pcapng with `eth1` (VLAN 100 trunk) and the
//! router port `qr-…` (after DNAT, TTL − 1) sees every packet twice: the
//! capture-wide findings that count packets must count each once, while the
//! per-frame counts still count frames.

use etherparse::{PacketBuilder, TcpOptionElement};
use framelens::craft::paths::{ethernet, FLOATING_IP, INSTANCE_IP, LAPTOP_IP};
use framelens::craft::{PcapngWriter, CONTROLLER_MAC, LAPTOP_MAC};
use framelens::scan::scan_bytes;
use framelens::scan::summary::{FindingKind, Summary};
use framelens::settings::Settings;

/// A TCP segment from the laptop to `dst` (IPv4 ID `ident`, TTL `ttl`).
fn segment(dst: [u8; 4], ttl: u8, ident: u16, syn: bool, seq: u32, payload: usize) -> Vec<u8> {
    let b = PacketBuilder::ipv4(LAPTOP_IP, dst, ttl).tcp(40_000, 80, seq, 64_240);
    let mut out = Vec::new();
    if syn {
        b.syn().options(&[TcpOptionElement::MaximumSegmentSize(1460)]).unwrap().write(&mut out, &[]).unwrap();
    } else {
        b.ack(1).write(&mut out, &vec![0x61; payload]).unwrap();
    }
    out[4..6].copy_from_slice(&ident.to_be_bytes());
    out[10..12].copy_from_slice(&[0, 0]);
    let ck = framelens::frame::vendor::internet_checksum_of(&out[..20]);
    out[10..12].copy_from_slice(&ck.to_be_bytes());
    out
}

/// Every packet at `eth1` (tagged, to the floating IP), then 40 µs later at
/// a second interface: with `nat` the router port `qr-…` (untagged, DNAT to
/// the instance, TTL − 1), else a bridge port that only pops the tag (the
/// same addresses, so that the copy has the same TCP flow). A SYN, four
/// full-size segments and a small one (at eth1 only). With `resend`,
/// every data segment is sent again 200 ms later, seen at both interfaces.
fn two_interfaces(nat: bool, resend: bool) -> Vec<u8> {
    let mut w = PcapngWriter::new();
    let eth1 = w.interface(1, "eth1", None);
    let other = w.interface(1, if nat { "qr-5d0a1c2e-7f" } else { "br-int" }, None);
    let t0 = 1_733_050_800_000_000_000u64;
    let mut sends: Vec<(u64, u16, bool, u32, usize)> = vec![(t0, 1, true, 1000, 0)];
    for i in 0..4u32 {
        sends.push((t0 + 10_000_000 * u64::from(i + 1), 2 + i as u16, false, 1001 + i * 1448, 1448));
    }
    // A small segment that passes (what makes lost full-size ones a finding),
    // seen at eth1 only: its copy would be a "resend" of a small segment too.
    let small = (t0 + 50_000_000, 6, false, 1001 + 4 * 1448, 100);
    sends.push(small);
    if resend {
        for i in 0..4u32 {
            sends.push((t0 + 200_000_000 + 10_000_000 * u64::from(i), 20 + i as u16, false, 1001 + i * 1448, 1448));
        }
    }
    for (t, ident, syn, seq, payload) in sends {
        let d = segment(FLOATING_IP, 64, ident, syn, seq, payload);
        let f = ethernet(CONTROLLER_MAC, LAPTOP_MAC, &[100], 0x0800, &d, &[]);
        w.packet(eth1, t, &f, f.len() as u32, 1);
        if (t, ident, syn, seq, payload) == small {
            continue;
        }
        let (dst, ttl) = if nat { (INSTANCE_IP, 63) } else { (FLOATING_IP, 64) };
        let d = segment(dst, ttl, ident, syn, seq, payload);
        let f = ethernet([0xfa, 0x16, 0x3e, 0, 0, 5], [0xfa, 0x16, 0x3e, 0x5d, 0x0a, 0x1c], &[], 0x0800, &d, &[]);
        w.packet(other, t + 40_000, &f, f.len() as u32, 2);
    }
    w.into_bytes()
}

fn scan(bytes: &[u8]) -> Summary {
    let s = scan_bytes(bytes, Settings::default(), |_| {});
    assert!(s.error.is_none(), "{:?}", s.error);
    s
}

#[test]
fn a_syn_seen_on_two_interfaces_is_one_syn() {
    for nat in [true, false] {
        let s = scan(&two_interfaces(nat, false));
        let mss: Vec<&str> =
            s.findings.iter().filter(|f| f.kind == FindingKind::Mss).map(|f| f.sentence.as_str()).collect();
        assert_eq!(mss.len(), 1, "{:?}", s.findings);
        assert!(mss[0].starts_with("TCP SYNs announce MSS 1460 (1 SYN)."), "nat {nat}: {}", mss[0]);
        // Frames are still frames: 5 packets captured twice, one once.
        assert_eq!(s.counts.frames, 11);
    }
}

fn resends(s: &Summary) -> Vec<&str> {
    s.findings.iter().filter(|f| f.kind == FindingKind::FullSizeRetransmissions).map(|f| f.sentence.as_str()).collect()
}

#[test]
fn a_segment_seen_on_two_interfaces_is_not_a_retransmission() {
    // Bridged copies keep the addresses: without the window, each copy
    // would be the same flow and sequence number again, a "resend".
    let s = scan(&two_interfaces(false, false));
    assert!(resends(&s).is_empty(), "copies on eth1 and br-int are not resends: {:?}", s.findings);
}

#[test]
fn segments_really_resent_are_still_resent_once_each() {
    // Every data segment sent again 200 ms later (beyond the window): four
    // real resends, each seen on both interfaces.
    let s = scan(&two_interfaces(false, true));
    assert_eq!(s.counts.frames, 19);
    let r = resends(&s);
    assert_eq!(r.len(), 1, "{:?}", s.findings);
    assert!(r[0].contains(": 4 retransmissions, all of full-size segments"), "once per packet, not per copy: {}", r[0]);
}
