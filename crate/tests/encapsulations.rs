//! Data-centre encapsulations, each into the frame or datagram it carries:
//! 802.1ah PBB behind an 802.1ad B-TAG, 802.1BR E-TAG beside VN-Tag, NSH over
//! Ethernet and over VXLAN-GPE, and MACsec integrity-only and encrypted, with
//! and without SCI, padded, and with a 2-byte trailer after the ICV. Every
//! frame must get the datagram end its own headers give, and every byte after
//! it exactly one region.

use framelens::capture::FcsHint;
use framelens::frame::dissect::{dissect, IcvAt};
use framelens::frame::finding::Finding;
use framelens::frame::ledger::{account, FrameMeta, Ledger, RegionKind};
use framelens::frame::mtu::{evaluate, MtuFacts};
use framelens::settings::Settings;
use framelens::wire::ethernet::fcs_of;
use framelens::wire::link::LinkType;
use framelens::wire::Layer;

const DST: [u8; 6] = [0x52, 0x54, 0, 0x12, 0x34, 0x56];
const SRC: [u8; 6] = [0x52, 0x54, 0, 0xab, 0xcd, 0xef];

/// An IPv4/UDP datagram of `len` bytes in all.
fn udp_datagram(len: usize) -> Vec<u8> {
    let mut d = vec![0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
    d[2..4].copy_from_slice(&(len as u16).to_be_bytes());
    let udp_len = (len - 20) as u16;
    d.extend_from_slice(&[0x30, 0x39, 0x30, 0x3a]);
    d.extend_from_slice(&udp_len.to_be_bytes());
    d.extend_from_slice(&[0, 0]);
    d.resize(len, 0x61);
    d
}

fn macs() -> Vec<u8> {
    [DST, SRC].concat()
}

struct Seen {
    ledger: Ledger,
    layers: Vec<Layer>,
    facts: MtuFacts,
    icv: Option<IcvAt>,
}

fn look(f: &[u8]) -> Seen {
    let d = dissect(f, LinkType::ETHERNET, f.len() as u32);
    let meta = FrameMeta { original_len: f.len() as u32, fcs: FcsHint::default() };
    let ledger = account(&d, f, meta, &Settings::default());
    Seen {
        ledger,
        layers: d.headers.iter().map(|h| h.layer).collect(),
        facts: MtuFacts::new(&d, &ledger),
        icv: d.macsec.map(|m| m.icv),
    }
}

fn regions(l: &Ledger) -> Vec<(RegionKind, u32, u32)> {
    l.regions().map(|r| (r.kind, r.start, r.len)).collect()
}

/// Every byte after the datagram's end lies in exactly one region, in order.
fn assert_tiled(l: &Ledger, len: usize) {
    let mut at = l.l3_end.expect("a known end") as u32;
    for r in l.regions() {
        assert_eq!(r.start, at, "{:?}", regions(l));
        at = r.end();
    }
    assert_eq!(at as usize, len.max(l.l3_end.unwrap_or(0) as usize), "{:?}", regions(l));
}

#[test]
fn pbb_behind_an_802_1ad_b_tag_reaches_the_customer_datagram() {
    let mut f = macs();
    f.extend_from_slice(&[0x88, 0xa8, 0x00, 0x64]); // B-TAG, B-VID 100
    f.extend_from_slice(&[0x88, 0xe7, 0x00, 0x01, 0x00, 0x2a]); // I-TAG, I-SID 65578
    f.extend_from_slice(&[0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00]); // customer frame
    f.extend(udp_datagram(46));
    f.extend_from_slice(&[0x25, 0x7f]);
    let s = look(&f);
    assert_eq!(s.layers, [Layer::Ethernet, Layer::Vlan, Layer::Pbb, Layer::Ethernet, Layer::Ipv4, Layer::Udp]);
    // Ethernet 14 (TPID 0x88a8), B-TAG 4 (TCI, TPID 0x88e7), I-TAG 4, customer Ethernet 14.
    let end = 14 + 4 + 4 + 14 + 46;
    assert_eq!(s.ledger.l3_end, Some(end as u64));
    assert_eq!(regions(&s.ledger), [(RegionKind::Trailer, end as u32, 2)]);
}

#[test]
fn etag_and_vntag_each_lead_to_the_datagram() {
    for (tpid, tag, layer) in [
        (0x893fu16, vec![0x60, 0x05, 0x10, 0x07, 0x00, 0x01], Layer::ETag),
        (0x8926, vec![0x00, 0x05, 0x00, 0x07], Layer::VnTag),
    ] {
        let mut f = macs();
        f.extend_from_slice(&tpid.to_be_bytes());
        f.extend_from_slice(&tag);
        f.extend_from_slice(&[0x08, 0x00]);
        f.extend(udp_datagram(28));
        let head = f.len() - 28;
        f.resize(64, 0);
        let s = look(&f);
        assert_eq!(s.layers, [Layer::Ethernet, layer, Layer::Ipv4, Layer::Udp], "{layer:?}");
        assert_eq!(s.ledger.l3_end, Some((head + 28) as u64), "{layer:?}");
        assert_eq!(s.ledger.region(RegionKind::Padding).map(|p| p.end()), Some(60), "{layer:?}");
        assert_tiled(&s.ledger, f.len());
    }
}

/// NSH base header (MD type 2, length 2 words) + service path, next protocol `next`.
fn nsh(next: u8) -> Vec<u8> {
    vec![0x0f, 0xc2, 0x02, next, 0x00, 0x00, 0x2a, 0xff]
}

#[test]
fn nsh_over_ethernet_carries_ipv4() {
    let mut f = macs();
    f.extend_from_slice(&[0x89, 0x4f]);
    f.extend(nsh(0x1));
    f.extend(udp_datagram(100));
    let s = look(&f);
    assert_eq!(s.layers, [Layer::Ethernet, Layer::Nsh, Layer::Ipv4, Layer::Udp]);
    assert_eq!(s.ledger.l3_end, Some(14 + 8 + 100));
    assert_eq!(s.ledger.extra, Some(0));
}

#[test]
fn nsh_with_md_type_1_metadata_carries_an_ethernet_frame() {
    let mut f = macs();
    f.extend_from_slice(&[0x89, 0x4f]);
    f.extend_from_slice(&[0x0f, 0xc6, 0x01, 0x03, 0, 0, 1, 0xfe]);
    f.extend_from_slice(&[0xcc; 16]); // fixed-length context
    f.extend(macs());
    f.extend_from_slice(&[0x08, 0x00]);
    f.extend(udp_datagram(60));
    let s = look(&f);
    assert_eq!(s.layers, [Layer::Ethernet, Layer::Nsh, Layer::Ethernet, Layer::Ipv4, Layer::Udp]);
    assert_eq!(s.ledger.l3_end, Some(14 + 24 + 14 + 60));
}

#[test]
fn nsh_over_vxlan_gpe_reaches_the_inner_datagram() {
    let inner = udp_datagram(200);
    let outer_len = 20 + 8 + 8 + 8 + inner.len();
    let mut outer = vec![0x45, 0, 0, 0, 0, 2, 0x40, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2];
    outer[2..4].copy_from_slice(&(outer_len as u16).to_be_bytes());
    outer.extend_from_slice(&[0xc0, 0x00, 0x12, 0xb6]); // source port 49152, destination 4790
    outer.extend_from_slice(&((outer_len - 20) as u16).to_be_bytes());
    outer.extend_from_slice(&[0, 0]);
    outer.extend_from_slice(&[0x0c, 0, 0, 0x04, 0, 0, 0x2a, 0]); // VXLAN-GPE, next protocol NSH
    outer.extend(nsh(0x1));
    outer.extend(inner);
    let mut f = macs();
    f.extend_from_slice(&[0x08, 0x00]);
    f.extend(outer);
    f.extend_from_slice(&[0x25, 0x7f]);
    let s = look(&f);
    assert_eq!(
        s.layers,
        [Layer::Ethernet, Layer::Ipv4, Layer::Udp, Layer::VxlanGpe, Layer::Nsh, Layer::Ipv4, Layer::Udp]
    );
    assert_eq!(s.ledger.l3_end, Some((14 + outer_len) as u64));
    assert_eq!(regions(&s.ledger), [(RegionKind::Trailer, (14 + outer_len) as u32, 2)]);
}

/// A MACsec frame: SecTAG (TCI/AN `tci`, short length `sl`, PN 1, optional
/// SCI), then `secure` (already encrypted or the plain EtherType and
/// datagram), then a 16-byte ICV.
fn macsec_frame(tci: u8, sl: u8, secure: &[u8]) -> Vec<u8> {
    let mut f = macs();
    f.extend_from_slice(&[0x88, 0xe5, tci, sl, 0, 0, 0, 1]);
    if tci & 0x20 != 0 {
        f.extend_from_slice(&[0x52, 0x54, 0, 0xab, 0xcd, 0xef, 0, 1]);
    }
    f.extend_from_slice(secure);
    f.extend_from_slice(&[0x1c; 16]);
    f
}

fn plain(len: usize) -> Vec<u8> {
    let mut p = vec![0x08, 0x00];
    p.extend(udp_datagram(len));
    p
}

#[test]
fn macsec_integrity_only_ends_at_the_datagram_then_the_icv() {
    for sci in [false, true] {
        let tci = if sci { 0x20 } else { 0x00 };
        let f = macsec_frame(tci, 0, &plain(100));
        let sectag = if sci { 16 } else { 8 };
        let end = 12 + sectag + 2 + 100;
        let s = look(&f);
        assert_eq!(s.layers, [Layer::Ethernet, Layer::Macsec, Layer::Ipv4, Layer::Udp], "sci {sci}");
        assert_eq!(s.ledger.l3_end, Some(end as u64), "sci {sci}");
        assert_eq!(regions(&s.ledger), [(RegionKind::Icv, end as u32, 16)], "sci {sci}");
        assert_eq!(s.icv, Some(IcvAt::AfterDatagram));
        assert!(!s.ledger.flags.has(Finding::Trailer), "the ICV is explained bytes, not a trailer");
        assert_eq!(s.ledger.expected_len(), Some(f.len() as u64));
        assert_eq!(s.facts.macsec_overhead, sectag as u8 + 16);
    }
}

#[test]
fn macsec_with_a_two_byte_trailer_after_the_icv() {
    let mut f = macsec_frame(0x20, 0, &plain(100));
    f.extend_from_slice(&[0x25, 0x7f]);
    let s = look(&f);
    let end = 12 + 16 + 2 + 100;
    assert_eq!(regions(&s.ledger), [(RegionKind::Icv, end as u32, 16), (RegionKind::Trailer, end as u32 + 16, 2)]);
    assert_eq!(s.facts.trailer_bytes, 2);
}

#[test]
fn a_short_macsec_frame_is_padded_after_its_icv_and_the_short_length_places_it() {
    // Integrity only, 20-byte datagram: short length 22 (EtherType + datagram).
    let mut f = macsec_frame(0x00, 22, &plain(20));
    let icv_at = 12 + 8 + 22;
    f.resize(60, 0);
    let s = look(&f);
    assert_eq!(s.icv, Some(IcvAt::Offset { at: icv_at as u32 }));
    assert_eq!(s.ledger.l3_end, Some((icv_at) as u64));
    assert_eq!(
        regions(&s.ledger),
        [(RegionKind::Icv, icv_at as u32, 16), (RegionKind::Padding, icv_at as u32 + 16, 60 - icv_at as u32 - 16)]
    );
    assert_tiled(&s.ledger, f.len());
}

#[test]
fn encrypted_macsec_with_short_length_is_opaque_but_its_end_is_known() {
    let secure = [0x9e; 30];
    let mut f = macsec_frame(0x0c, 30, &secure);
    f.resize(70, 0);
    let s = look(&f);
    let start = 12 + 8;
    assert_eq!(s.layers, [Layer::Ethernet, Layer::Macsec]);
    assert_eq!(s.ledger.l3_start, Some(start as u32));
    assert_eq!(s.ledger.l3_end, Some((start + 30) as u64));
    // The ICV ends at 66, past the 60-byte minimum: the 4 bytes after it are no padding.
    assert_eq!(
        regions(&s.ledger),
        [(RegionKind::Icv, (start + 30) as u32, 16), (RegionKind::Trailer, (start + 46) as u32, 4)]
    );
    assert_tiled(&s.ledger, f.len());
}

#[test]
fn encrypted_macsec_of_48_bytes_or_more_takes_the_icv_from_the_frame_end() {
    for sci in [false, true] {
        let tci = if sci { 0x2c } else { 0x0c };
        let f = macsec_frame(tci, 0, &[0x9e; 200]);
        let s = look(&f);
        let icv_at = f.len() - 16;
        assert_eq!(s.icv, Some(IcvAt::FrameEnd { at: icv_at as u32 }), "sci {sci}");
        assert_eq!(s.ledger.l3_end, Some(icv_at as u64));
        assert_eq!(regions(&s.ledger), [(RegionKind::Icv, icv_at as u32, 16)]);
    }
}

#[test]
fn encrypted_macsec_before_a_valid_fcs_keeps_the_fcs() {
    let mut f = macsec_frame(0x0c, 0, &[0x9e; 200]);
    let fcs = fcs_of(&f);
    f.extend_from_slice(&fcs);
    let s = look(&f);
    let icv_at = f.len() - 4 - 16;
    assert_eq!(regions(&s.ledger), [(RegionKind::Icv, icv_at as u32, 16), (RegionKind::Fcs, (f.len() - 4) as u32, 4)]);
}

#[test]
fn macsec_overhead_is_named_in_the_mtu_verdict() {
    // A 1,500-byte datagram with MACsec and SCI: the L2 payload (frame minus
    // MACs and the 0x88e5 EtherType) is 14 + 2 + 1,500 + 16 = 1,532 > 1,500:
    // MACsec takes 32 bytes of the MTU.
    let f = macsec_frame(0x20, 0, &plain(1500));
    let s = look(&f);
    let v = evaluate(&s.facts, &Settings::default());
    assert!(v.dropped, "{}", v.sentence);
    assert_eq!(v.measured, 1532);
    assert!(v.sentence.contains("MACsec's 32 bytes (SecTAG 16 + ICV 16) included"), "{}", v.sentence);
}

#[test]
fn switch_tagged_link_types_continue_into_the_frame() {
    // (link type, tag, after the source MAC)
    let cases: [(u16, Vec<u8>, bool); 4] = [
        (281, vec![0x00, 0x00, 0x00, 0x05], true),
        (282, vec![0x00, 0x00, 0x00, 0x05], false),
        (284, vec![0x40, 0x18, 0x00, 0x00], true),
        (285, vec![0xda, 0xda, 0, 0, 0x00, 0x20, 0, 0], true),
    ];
    for (link, tag, after_source) in cases {
        let mut f = Vec::new();
        if !after_source {
            f.extend_from_slice(&tag);
        }
        f.extend(macs());
        if after_source {
            f.extend_from_slice(&tag);
        }
        f.extend_from_slice(&[0x08, 0x00]);
        let head = f.len();
        f.extend(udp_datagram(28));
        // A padded frame: 60 bytes plus the tag, as a switch that tags a padded frame leaves it.
        f.resize(60 + tag.len(), 0);
        f.extend_from_slice(&[0x25, 0x7f]);
        let d = dissect(&f, LinkType(link), f.len() as u32);
        let meta = FrameMeta { original_len: f.len() as u32, fcs: FcsHint::default() };
        let l = account(&d, &f, meta, &Settings::default());
        let layers: Vec<Layer> = d.headers.iter().map(|h| h.layer).collect();
        let want: &[Layer] = if after_source {
            &[Layer::Ethernet, Layer::SwitchTag, Layer::Ipv4, Layer::Udp]
        } else {
            &[Layer::SwitchTag, Layer::Ethernet, Layer::Ipv4, Layer::Udp]
        };
        assert_eq!(layers, want, "link type {link}");
        assert_eq!(d.link_header_len as usize, head, "link type {link}");
        assert_eq!(l.l3_end, Some((head + 28) as u64), "link type {link}");
        let pad_end = 60 + tag.len() as u32;
        assert_eq!(
            regions(&l),
            [
                (RegionKind::Padding, (head + 28) as u32, pad_end - (head + 28) as u32),
                (RegionKind::Trailer, pad_end, 2)
            ],
            "link type {link}"
        );
        let (_, spans) = framelens::frame::dissect::dissect_with_spans(&f, LinkType(link), f.len() as u32);
        assert!(spans.windows(2).all(|w| w[0].end <= w[1].start), "link type {link}: {spans:#?}");
    }
}
