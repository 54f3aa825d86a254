//! Issue 24: what the frame anatomy says about lengths and the bytes after
//! the datagram, each sentence pinned beside the source it must agree with.

use framelens::capture::read_all;
use framelens::craft::gallery;
use framelens::frame::analysis::{analyze, FrameAnalysis};
use framelens::settings::Settings;
use framelens::wire::link::LinkType;

/// Frame `n` of a gallery capture, analysed.
fn gallery_frame(name: &str, n: u64) -> FrameAnalysis {
    let bytes = gallery().into_iter().find(|(f, _)| *f == name).unwrap().1;
    let mut out = None;
    read_all(&bytes, |p| {
        if p.number == n {
            out = Some(analyze(&p, &Settings::default()));
        }
    });
    out.unwrap_or_else(|| panic!("{name} has no frame {n}"))
}

/// Raw Ethernet bytes, analysed.
fn raw(f: &[u8]) -> FrameAnalysis {
    analyze(&framelens::capture::Frame::bare(f, LinkType::ETHERNET), &Settings::default())
}

fn said(a: &FrameAnalysis) -> String {
    [a.findings.join("\n"), a.hypotheses.join("\n")].join("\n")
}

#[test]
fn ipv4_total_length_0_is_big_tcp_or_windows_lso() {
    // include/net/ip.h iph_set_totlen: Linux writes the real total length up
    // to 64 KB and 0 only above it (BIG TCP); a TSO segment below 64 KB with 0
    // was captured before Windows' large send offload.
    let s = said(&gallery_frame("gro-tso.pcap", 3));
    assert!(s.contains("IPv4 total length is 0: a BIG TCP packet over 64 KB, or a segment captured before Windows' large send offload filled it in. Linux writes the real length into ordinary TSO segments."), "{s}");
}

#[test]
fn ipv6_payload_length_0_is_a_jumbogram_or_gso_not_malformed() {
    // RFC 2675 (jumbograms); Linux BIG TCP over IPv6 leaves payload length 0.
    let mut f = vec![0x52, 0x54, 0, 0, 0, 1, 0x52, 0x54, 0, 0, 0, 2, 0x86, 0xdd];
    let mut ip6 = vec![0x60, 0, 0, 0, 0, 0, 17, 64];
    ip6.extend_from_slice(&[0xfd; 32]);
    f.extend_from_slice(&ip6);
    f.extend_from_slice(&[0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0]);
    f.extend_from_slice(&[0x61; 100]);
    let s = said(&raw(&f));
    assert!(s.contains("IPv6 payload length is 0 without a Jumbo Payload option: a jumbogram (RFC 2675) or a GSO packet over 64 KB (Linux BIG TCP)"), "{s}");
    assert!(!s.contains("malformed"), "{s}");
}

#[test]
fn short_frames_come_from_the_sender_or_from_ports_that_never_pad() {
    // Drivers of physical NICs pad (eth_skb_pad, include/linux/etherdevice.h);
    // veth_xmit, tun and the bridge's forwarding path never do.
    let mut f = vec![0x52, 0x54, 0, 0, 0, 1, 0x52, 0x54, 0, 0, 0, 2, 0x08, 0x00];
    let mut ip = vec![0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
    let ck = framelens::frame::vendor::internet_checksum_of(&ip);
    ip[10..12].copy_from_slice(&ck.to_be_bytes());
    f.extend_from_slice(&ip);
    f.extend_from_slice(&[0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x10, 0xfa, 0xf0, 0, 0, 0, 0]);
    assert_eq!(f.len(), 54);
    let s = said(&raw(&f));
    assert!(s.contains("captured on the sending host before the NIC padded it, or it came over veth, tap or bridge ports, which never pad"), "{s}");
}

#[test]
fn padding_content_is_open_in_802_3_and_zero_by_rfc_894() {
    // IEEE 802.3 does not specify the pad's content; RFC 894: "should be zero".
    let s = said(&gallery_frame("etherleak.pcap", 2));
    assert!(s.contains("802.3 leaves its content open and RFC 894 says it should be zero"), "{s}");
    assert!(s.contains("Etherleak, CERT VU#412115"), "{s}");
}

#[test]
fn which_minimum_a_tagged_frame_is_over() {
    // 802.3's minimum is 64 bytes with the FCS, 60 without; a tag a bridge
    // inserted after padding adds 4 (IEEE 802.1Q G.2.3).
    let s = said(&gallery_frame("two-bytes.pcap", 15));
    assert!(s.contains("not padding (the frame is over the 64-byte minimum: 802.3's 64 less the FCS, + 4 for the VLAN tag a bridge may insert after padding)"), "{s}");
}

#[test]
fn vss_monitoring_sizes_are_the_dissectors() {
    // Wireshark epan/dissectors/packet-vssmonitoring.c: the timestamp is 8
    // bytes, the port stamp 1 byte unless configured for 2.
    let s = said(&gallery_frame("two-bytes.pcap", 15));
    assert!(s.contains("A 2-byte VSS-Monitoring port stamp (configured for 2; the default is 1)"), "{s}");
    // The bug is the driver's, named by its driver.
    assert!(s.contains("the ax88179_178a driver of ASIX AX88179/178A USB adapters appends 2"), "{s}");
    // A 4-byte trailer that is no FCS is not called a VSS timestamp.
    let mut f = vec![0x52, 0x54, 0, 0, 0, 1, 0x52, 0x54, 0, 0, 0, 2, 0x08, 0x00];
    let mut ip = vec![0x45, 0, 0, 128, 0, 1, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
    let ck = framelens::frame::vendor::internet_checksum_of(&ip);
    ip[10..12].copy_from_slice(&ck.to_be_bytes());
    f.extend_from_slice(&ip);
    f.extend_from_slice(&[0x1f, 0x40, 0x1f, 0x41, 0, 108, 0, 0]);
    f.extend_from_slice(&[0x61; 100]);
    f.extend_from_slice(&[0x11, 0x22, 0x33, 0x44]);
    let s = said(&raw(&f));
    assert!(
        s.contains("A 4-byte timestamp appended by a monitoring switch (Arista; VSS-Monitoring's are 8 bytes)"),
        "{s}"
    );
}

#[test]
fn an_802_1ad_s_tag_is_not_labelled_802_1q() {
    // IEEE 802.1ad: the outer tag of vlan-qinq.pcap's frame 6 has TPID
    // 0x88a8 (an S-tag); the inner one 0x8100 (an 802.1Q C-tag).
    let a = gallery_frame("vlan-qinq.pcap", 6);
    assert_eq!(
        a.equation,
        "1,522 captured = 14 Ethernet + 4 802.1ad + 4 802.1Q + 1,500 IPv4 datagram (IPv4 total length)"
    );
    assert!(gallery_frame("vlan-qinq.pcap", 5).equation.contains("14 Ethernet + 4 802.1Q + 1,500"));
}
