//! Every lesson walked from start to end: each step's frame exists in its
//! capture and its highlight resolves to bytes of that frame. The path
//! lesson's steps are checked against the core's own path analysis of its
//! files: each journey exists, its frame at the step's point is the step's
//! frame, the lost one is lost where the step says, the log line is about it.

use framelens::capture::read_all;
use framelens::craft::gallery;
use framelens::explain::lessons::LESSONS;
use framelens::frame::analysis::analyze;

#[test]
fn every_step_highlights_the_bytes_it_talks_about() {
    let captures = gallery();
    assert_eq!(LESSONS.len(), 16);
    let single: Vec<_> = LESSONS.iter().filter_map(|l| Some((l, l.capture()?))).collect();
    assert_eq!(single.len(), 15, "fifteen lessons over one gallery capture each");
    for (lesson, capture) in single {
        let bytes = &captures.iter().find(|(n, _)| *n == capture).unwrap_or_else(|| panic!("{capture}")).1;
        let mut analyses = Vec::new();
        assert!(read_all(bytes, |p| analyses.push(analyze(&p, &lesson.settings))).is_none());
        assert!(!lesson.steps.is_empty() && !lesson.takeaway.is_empty() && !lesson.check.is_empty());
        assert!(
            !lesson.summary.is_empty() && !lesson.summary.contains('\n') && lesson.summary.len() < 120,
            "{}",
            lesson.id
        );
        for (i, step) in lesson.steps.iter().enumerate() {
            assert_eq!(step.at, None, "{} step {}: a single-capture step names no journey", lesson.id, i + 1);
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
    let capture = |l: &framelens::explain::lessons::Lesson| l.capture().unwrap();
    assert!(frame(capture(l), 15, &l.settings).mtu.dropped);
    assert!(!frame(capture(l), 13, &l.settings).mtu.dropped);
    let l = framelens::explain::lessons::lesson("vlan-qinq").unwrap();
    // Linux: the outer tag is not in skb->len (`skb_vlan_untag`), and
    // `is_skb_forwardable` allows MTU + 14 + 4: the QinQ frame passes.
    let qinq = frame(capture(l), 6, &l.settings);
    assert_eq!((qinq.ledger.len, qinq.mtu.measured, qinq.mtu.limit, qinq.mtu.dropped), (1522, 1518, 1518, false));
    let step = l.steps.iter().find(|s| s.frame == 6).unwrap().text;
    assert!(step.contains("counts 1518 bytes against MTU + 14 + 4 = 1518") && !step.contains("not two"), "{step}");
    let l = framelens::explain::lessons::lesson("snaplen").unwrap();
    assert_eq!(frame(capture(l), 2, &l.settings).ledger.l3_end, Some(14 + 240));
    let l = framelens::explain::lessons::lesson("pmtu-blackhole").unwrap();
    assert!(frame(capture(l), 4, &l.settings).mtu.dropped, "1500-byte DF datagram over a 1400 link");
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

/// (name, bytes) of each capture and (name, text) of each log.
type Files = (Vec<(&'static str, Vec<u8>)>, Vec<(&'static str, String)>);

/// The path lesson's files, as the web app fetches them (`static/<dir>/`).
fn path_files(set: &framelens::explain::lessons::PathSet) -> Files {
    let read = |name: &str| {
        let path = format!("{}/../{}", env!("CARGO_MANIFEST_DIR"), set.url(name));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let captures = set.captures.iter().map(|&n| (n, read(n))).collect();
    let logs = set.logs.iter().map(|&n| (n, String::from_utf8(read(n)).unwrap())).collect();
    (captures, logs)
}

#[test]
fn path_lesson_steps_are_what_the_path_analysis_finds() {
    use framelens::explain::lessons::lesson;
    use framelens::log::read_log;
    use framelens::path::{follow_bytes_with_logs, PathSettings};
    let l = lesson("path-story").unwrap();
    let set = l.path().expect("the path story is a path lesson");
    assert_eq!(l.capture(), None);
    let (captures, logs) = path_files(set);
    assert_eq!(set.shown_capture(), Some("controller.pcapng"));
    let refs: Vec<(&str, &[u8])> = captures.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let log_files = logs.iter().map(|(n, t)| read_log(n, t.as_bytes()).unwrap()).collect();
    let settings = PathSettings { frame: l.settings, ..PathSettings::default() };
    let mut journeys = Vec::new();
    let (plan, summary) =
        follow_bytes_with_logs(&refs, log_files, Default::default(), settings, |_, j| journeys.push(j.clone()));
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    // Three points on two hosts whose clocks differ: the laptop, then the controller 3.217 s ahead.
    assert_eq!(plan.points.len(), 3);
    assert_eq!(format!("{:.3}", plan.files[1].clock.offset_ns as f64 / 1e9), "3.217");
    // Each file's frames, analysed at the lesson's settings.
    let analyses: Vec<Vec<_>> = captures
        .iter()
        .map(|(_, bytes)| {
            let mut v = Vec::new();
            assert!(read_all(bytes, |p| v.push(analyze(&p, &l.settings))).is_none());
            v
        })
        .collect();
    let mut points_seen = std::collections::BTreeSet::new();
    for (i, step) in l.steps.iter().enumerate() {
        let at = step.at.unwrap_or_else(|| panic!("path step {} names its journey and point", i + 1));
        let where_ = format!("step {} (journey {}, point {})", i + 1, at.journey, at.point);
        let j = journeys.iter().find(|j| j.index == at.journey).unwrap_or_else(|| panic!("{where_}: no such journey"));
        let point = &plan.points[usize::from(at.point)];
        assert_eq!(point.label, at.label, "{where_}: the point's name");
        let seen = j.seen.iter().find(|s| s.point == at.point).unwrap_or_else(|| panic!("{where_}: not seen there"));
        assert_eq!(seen.frame, step.frame, "{where_}: the journey's frame at that point");
        if at.lost_after {
            assert_eq!(j.lost_after, Some(at.point), "{where_}: lost after this point");
        }
        let a = &analyses[point.file][step.frame as usize - 1];
        let (start, end) = step.highlight.resolve(a).unwrap_or_else(|| panic!("{where_}: highlights nothing"));
        assert!(start < end && end <= a.ledger.caplen, "{where_}");
        if let Some(line) = at.log_line {
            let e =
                summary.log.iter().find(|e| e.fields.line == line).unwrap_or_else(|| panic!("{where_}: line {line}"));
            assert_eq!(e.fields.file, set.logs[0]);
            assert_eq!(e.journeys, [at.journey], "{where_}: the log line is about this packet");
            assert_eq!((e.capture, e.frames.as_slice()), (Some(point.file), &[step.frame][..]), "{where_}");
        }
        points_seen.insert(at.point);
    }
    assert_eq!(points_seen.len(), 3, "the lesson stops at every point");
    // The story as the steps tell it. Step 2: the 1472-byte ping leaves the
    // laptop as a 1500-byte datagram and is lost; no reply to it anywhere.
    let big = &journeys[l.steps[1].at.unwrap().journey as usize];
    assert_eq!((big.seen[0].facts.as_ref().unwrap().inner.datagram_len, big.lost_after), (1500, Some(1)));
    assert_eq!(journeys.iter().filter(|j| j.lost_after.is_some()).count(), 3, "and its two retries");
    // Steps 3 and 4: at eth1 the same packet with a VLAN tag and 25 7f, 1,520 bytes.
    let eth1 = &analyses[1][l.steps[3].frame as usize - 1];
    let (t0, t1) = l.steps[3].highlight.resolve(eth1).unwrap();
    assert_eq!((eth1.ledger.len, t0, t1), (1520, 1518, 1520));
    assert!(eth1.mtu.dropped, "1,502 bytes of L2 payload over MTU 1500");
    // Step 6 outlines exactly those 1,502 bytes.
    assert_eq!(l.steps[5].highlight.resolve(eth1), Some((18, 1520)));
    // Step 7: Open vSwitch names the port it sends to (`ovs_vport_send`
    // logs `vport->dev`), the router's gateway `qg-` port; the capture point
    // after the router stays `qr-`, which the trimmed packet would reach.
    let quote = l.steps[6].text;
    assert!(quote.contains("`qg-3f9c2b71-a4: dropped over-mtu packet: 1502 > 1500`"), "{quote}");
    assert!(!quote.contains("`qr-5d0a1c2e-7f: dropped"), "{quote}");
    assert_eq!(plan.points[2].name.as_deref(), Some("qr-5d0a1c2e-7f"));
    // Step 5: the answered 1470-byte ping at the router port, after DNAT.
    let qr = &analyses[1][l.steps[4].frame as usize - 1];
    let (d0, d1) = l.steps[4].highlight.resolve(qr).unwrap();
    assert_eq!(d1 - d0, 4);
    assert!(journeys[l.steps[4].at.unwrap().journey as usize].lost_after.is_none());
}

/// The web app reads the lesson's log beside the capture it shows: there the
/// quoted line matches the step's frame too (the log panel's link).
#[test]
fn path_lesson_log_line_matches_its_frame_in_the_capture_shown() {
    use framelens::explain::lessons::lesson;
    use framelens::log::matching::{LogSettings, Matcher};
    use framelens::log::read_log;
    use framelens::scan::Scanner;
    let l = lesson("path-story").unwrap();
    let set = l.path().unwrap();
    let (captures, logs) = path_files(set);
    let shown = &captures[set.shown].1;
    let log_files = logs.iter().map(|(n, t)| read_log(n, t.as_bytes()).unwrap()).collect();
    let mut m = Matcher::new(log_files, LogSettings::default());
    let mut scanner = Scanner::new(l.settings);
    scanner.push_with_frames(shown, |r, p| m.add(r, p)).unwrap();
    let report = m.finish(&scanner.finish().capture.interfaces);
    let quoting: Vec<_> = l.steps.iter().filter(|s| s.at.is_some_and(|a| a.log_line.is_some())).collect();
    assert!(!quoting.is_empty());
    for s in quoting {
        let line = s.at.unwrap().log_line.unwrap();
        let e = report.entries.iter().find(|e| e.fields.line == line).unwrap();
        assert_eq!(e.frames, [s.frame], "line {line}");
        assert!(s.text.contains(&e.fields.text), "the step quotes the line word for word: {}", e.fields.text);
    }
}

/// Issue 24: each corrected statement of the lessons, with its source.
#[test]
fn lessons_teach_what_the_sources_say() {
    use framelens::explain::lessons::lesson;
    let text = |id: &str| {
        let l = lesson(id).unwrap();
        let mut all: Vec<&str> = l.steps.iter().map(|s| s.text).collect();
        all.push(l.takeaway);
        all.extend(l.check.iter().copied());
        all.join("\n")
    };
    // RFC 7348 §5: the 50 against the underlay's MTU hold the inner Ethernet
    // header, not the outer one; §4.3: VTEPs must not fragment.
    let vxlan = text("vxlan");
    assert!(vxlan.contains("outer IPv4 20 + UDP 8 + VXLAN 8 + the inner Ethernet header 14 (RFC 7348 §5)"), "{vxlan}");
    assert!(vxlan.contains("must not fragment (RFC 7348 §4.3)") && !vxlan.contains("or fragments it"), "{vxlan}");
    // 1448 = 1500 - 20 - 20 - 12 holds with TCP timestamps only (RFC 7323 §3:
    // a 10-byte option, 12 with Linux's two NOPs); the capture's frame has them.
    let gro = text("gro-tso");
    assert!(gro.contains("with TCP timestamps: 1500 − 20 IPv4 − 20 TCP − 12 timestamp option = 1448"), "{gro}");
    let captures = gallery();
    let bytes = &captures.iter().find(|(n, _)| *n == "gro-tso.pcap").unwrap().1;
    let mut first = None;
    read_all(bytes, |p| {
        first.get_or_insert_with(|| analyze(&p, &Default::default()));
    });
    let a = first.unwrap();
    assert_eq!(a.dissection.tcp_payload, Some(1448));
    assert_eq!(a.dissection.datagram.map(|g| g.len()), Some(1500));
    assert!(a.spans.iter().any(|s| s.name == "Option: timestamps"));
    // Linux writes the real IPv4 total length up to 64 KB and 0 only for BIG
    // TCP above it (include/net/ip.h iph_set_totlen); 0 below is Windows LSO.
    assert!(
        gro.contains("0 only for BIG TCP packets above 64 KB") && gro.contains("Windows' large send offload"),
        "{gro}"
    );
    // RFC 9293 §3.7.1: the MSS states what the sender can receive on its own link.
    let pmtu = text("pmtu-blackhole");
    assert!(pmtu.contains("the sender's own link has MTU 1500. The MSS says nothing about the path (RFC 9293 §3.7.1)"));
    assert!(!pmtu.contains("both ends assume"));
    // IEEE 802.3 does not specify the pad's content; RFC 894 says it should be zero.
    let leak = text("etherleak");
    assert!(leak.contains("RFC 894") && !leak.contains("must be zeros"), "{leak}");
    // Wireshark (epan/dissectors/packet-eth.c) takes trailing bytes for an FCS
    // only when the capture says so or eth.assume_fcs is set.
    let fcs = text("fcs");
    assert!(
        fcs.contains("When the capture does not say frames carry an FCS, Wireshark shows such bytes as a VLAN trailer")
    );
    assert!(!fcs.contains("Wireshark 4.0"));
    // IEEE 802.1AB: LLDP has its own EtherType 0x88CC, not 802.3 with LLC.
    assert_eq!(framelens::wire::ethernet::ethertype_name(0x88cc), Some("LLDP"));
    let llc = text("ieee8023");
    assert!(llc.contains("LLDP has its own EtherType, 0x88CC") && !llc.contains("CDP/LLDP"), "{llc}");
    // One name for the bytes nothing explains; the bug is the driver's.
    for l in framelens::explain::lessons::LESSONS {
        let t = text(l.id);
        assert!(!t.contains("stray"), "{}: {t}", l.id);
    }
    assert!(text("two-bytes").contains("The bug is the driver's"));
}

/// "Who counts what": every number a step states is what the device rule
/// computes for two-bytes.pcap frame 15, and the places it names for each
/// drop are the rule's (net/openvswitch/vport.c ovs_vport_send: tx_errors
/// and net_warn_ratelimited; lib/netdev-dpdk.c; net/core/dev.c
/// is_skb_forwardable after skb_vlan_untag; veth_get_stats64).
#[test]
fn who_counts_what_states_each_rules_verdict() {
    use framelens::explain::lessons::lesson;
    use framelens::settings::{DeviceRule, Settings};
    let l = lesson("who-counts").unwrap();
    assert_eq!(l.capture(), Some("two-bytes.pcap"));
    let bytes = gallery().into_iter().find(|(n, _)| *n == "two-bytes.pcap").unwrap().1;
    let judge = |rule: DeviceRule| {
        let mut out = None;
        let _ = read_all(&bytes, |p| {
            if p.number == 15 {
                out = Some(analyze(&p, &Settings { rule, ..l.settings }).mtu);
            }
        });
        out.unwrap()
    };
    let step = |n: usize| l.steps[n - 1].text;
    let ovs = judge(DeviceRule::OvsKernel);
    assert_eq!((ovs.measured, ovs.limit, ovs.dropped), (1502, 1500, true));
    assert!(step(2).contains("1,502 > 1500") && step(2).contains("`tx_errors`"), "{}", step(2));
    assert!(step(2).contains(&ovs.log.unwrap().replace("<dev>: ", "")));
    let bridge = judge(DeviceRule::LinuxBridge);
    assert_eq!((bridge.measured, bridge.limit, bridge.dropped), (1516, 1518, false));
    assert!(step(3).contains("1,516 ≤ 1,518") && step(3).contains("`skb:kfree_skb`"));
    assert!(step(4).contains("1,516 ≤ 1,518") && step(4).contains("peer's `rx_dropped`"));
    let dpdk = judge(DeviceRule::OvsDpdk);
    assert_eq!((dpdk.measured, dpdk.limit, dpdk.dropped), (1520, 1518, true));
    assert!(step(5).contains("1,520 > 1,518") && step(5).contains(&dpdk.log.unwrap().replace("<dev>: ", "")));
    let router = judge(DeviceRule::IpRouter);
    assert_eq!((router.measured, router.limit, router.dropped), (1500, 1500, false));
    assert!(step(6).contains("1,500 ≤ MTU 1500"));
    assert!(l.summary.contains("Open vSwitch drops it, a bridge, veth and a router pass it"));
}

/// Each frame of a single-capture lesson, analysed at the lesson's settings.
fn analysed(l: &framelens::explain::lessons::Lesson) -> Vec<framelens::frame::analysis::FrameAnalysis> {
    let capture = l.capture().unwrap();
    let bytes = gallery().into_iter().find(|(n, _)| *n == capture).unwrap().1;
    let mut out = Vec::new();
    assert!(read_all(&bytes, |p| out.push(analyze(&p, &l.settings))).is_none());
    out
}

/// Where the tunnelled (depth 1) datagram starts, and the outer one's start and end.
fn tunnel_bytes(a: &framelens::frame::analysis::FrameAnalysis) -> (u32, u32, u64) {
    use framelens::wire::Layer;
    let outer = a.dissection.datagram.unwrap();
    let inner = a.dissection.headers.iter().find(|h| h.depth == 1 && matches!(h.layer, Layer::Ipv4 | Layer::Ipv6));
    (inner.unwrap().start, outer.start, outer.end)
}

/// "Geneve and OVN: why 1442": the header length from the options-length
/// field (RFC 8926 section 3.4), OVN's option class 0x0102 (RFC 8926
/// section 3.5 and the IANA Geneve Option Class registry), the 58 and 78
/// bytes from where the pod's datagram starts inside the underlay's, and the
/// IP router rule's verdict on each outer datagram (RFC 8200 section 5: the
/// 1500 underlay never fragments the IPv6 one; DF on the IPv4 one).
#[test]
fn geneve_ovn_states_the_overheads_the_capture_has() {
    use framelens::explain::lessons::lesson;
    use framelens::wire::Layer;
    let l = lesson("geneve-ovn").unwrap();
    assert_eq!(l.capture(), Some("geneve-ovn.pcap"));
    let a = analysed(l);
    assert_eq!(a.len(), 3);
    let step = |n: usize| l.steps[n - 1].text;
    // Frame 1: a 16-byte Geneve header, 8 of them options, one OVN option.
    let geneve = a[0].dissection.headers.iter().find(|h| h.layer == Layer::Geneve).unwrap();
    assert_eq!(geneve.len, 16);
    let optlen = a[0].spans.iter().find(|s| s.layer == Layer::Geneve && s.name == "Version / options length").unwrap();
    assert_eq!(optlen.value.to_string(), "0 / 8 bytes");
    assert!(step(1).contains("RFC 8926 §3.4): here 8, so 16 bytes"), "{}", step(1));
    let option = a[0].spans.iter().find(|s| s.name == "Option: OVN (class 0x0102)").unwrap();
    assert_eq!(option.end - option.start, 8);
    assert!(option.value.to_string().starts_with("class 0x0102"), "{}", option.value);
    assert!(step(2).contains("class 0x0102, 4 bytes of option header and 4 of data"));
    // 58 bytes from the underlay's datagram to the pod's; 1442 + 58 = 1500 fits.
    let (pod, under, end) = tunnel_bytes(&a[0]);
    assert_eq!((pod - under, end - u64::from(pod), end - u64::from(under)), (58, 1442, 1500));
    assert_eq!((a[0].mtu.measured, a[0].mtu.limit, a[0].mtu.dropped), (1500, 1500, false));
    assert!(step(3).contains("= 58 bytes. A pod with MTU 1442 makes an outer datagram of exactly 1,500"));
    // Frame 2: pod MTU 1500, 1558 bytes with DF, dropped.
    let (pod, under, end) = tunnel_bytes(&a[1]);
    assert_eq!((end - u64::from(pod), end - u64::from(under)), (1500, 1558));
    assert!(a[1].dissection.datagram.unwrap().dont_fragment);
    assert_eq!((a[1].mtu.measured, a[1].mtu.dropped), (1558, true));
    assert!(step(4).contains("1,558 bytes with DF set"));
    // Frame 3: IPv6 underlay, 78 bytes, pod MTU 1422, payload length 1460.
    assert_eq!(a[2].dissection.datagram.unwrap().layer, Layer::Ipv6);
    let (pod, under, end) = tunnel_bytes(&a[2]);
    assert_eq!((pod - under, end - u64::from(pod), end - u64::from(under)), (78, 1422, 1500));
    let plen = a[2].spans.iter().find(|s| s.layer == Layer::Ipv6 && s.name == "Payload length").unwrap();
    assert!(plen.value.to_string().starts_with("1460"), "{}", plen.value);
    assert_eq!((a[2].mtu.measured, a[2].mtu.dropped), (1500, false));
    assert!(step(5).contains("78 bytes in all. Payload length 1,460 + 40 = 1,500 with pod MTU 1422"));
    assert!(l.takeaway.contains("58 bytes over IPv4") && l.takeaway.contains("1442") && l.takeaway.contains("1422"));
}

/// "IPv6 Packet Too Big": the router rule's verdicts at the router's MTU
/// 1400 (RFC 8200 section 4.5: only sources fragment, so an IPv6 datagram
/// over the MTU is dropped, never fragmented), the message's type 2 and MTU
/// field (RFC 4443 section 3.2), its size within the 1280-byte minimum MTU
/// (RFC 8200 section 5; RFC 4443 section 3.2 "as much of invoking packet as
/// possible") and what it quotes, and its source: the router's own address.
#[test]
fn ipv6_packet_too_big_states_what_the_router_sent() {
    use framelens::explain::lessons::lesson;
    use framelens::frame::dissect::MtuSignal;
    use framelens::wire::Layer;
    let l = lesson("ipv6-ptb").unwrap();
    assert_eq!(l.capture(), Some("ipv6-ptb.pcap"));
    let a = analysed(l);
    assert_eq!(a.len(), 4);
    let step = |n: usize| l.steps[n - 1].text;
    let span = |a: &framelens::frame::analysis::FrameAnalysis, layer: Layer, name: &str| {
        a.spans.iter().find(|s| s.layer == layer && s.name == name).unwrap().value.to_string()
    };
    // Frame 1: 1460 + 40 = 1500, IPv6, dropped by a router with MTU 1400.
    let big = a[0].dissection.datagram.unwrap();
    assert_eq!((big.layer, big.len()), (Layer::Ipv6, 1500));
    assert!(span(&a[0], Layer::Ipv6, "Payload length").starts_with("1460"));
    assert_eq!((a[0].mtu.measured, a[0].mtu.limit, a[0].mtu.dropped), (1500, 1400, true));
    assert!(a[0].mtu.sentence.contains("Packet Too Big (MTU 1400)"), "{}", a[0].mtu.sentence);
    assert!(step(1).contains("payload length 1,460 + the 40-byte header = a 1,500-byte datagram"));
    assert!(step(1).contains("(RFC 8200 §4.5)"));
    // Frame 2: type 2, MTU 1400, a 1280-byte datagram quoting 1232 bytes of frame 1's.
    assert_eq!(span(&a[1], Layer::Icmpv6, "Type"), "2 (packet too big)");
    assert_eq!(a[1].dissection.mtu_signal, Some(MtuSignal::PacketTooBig { mtu: 1400 }));
    assert!(step(2).contains("MTU 1400") && step(2).contains("type 2, Packet Too Big (RFC 4443 §3.2)"));
    assert!(step(3).contains("The MTU field says 1400"));
    let ptb = a[1].dissection.datagram.unwrap();
    assert_eq!(ptb.len(), framelens::craft::paths::build::IPV6_MIN_MTU as u64);
    assert!(span(&a[1], Layer::Ipv6, "Payload length").starts_with("1240"));
    let icmp = a[1].dissection.headers.iter().find(|h| h.layer == Layer::Icmpv6).unwrap();
    let quoted = ptb.end - u64::from(icmp.start + icmp.len);
    assert_eq!(quoted, 1232);
    let bytes = gallery().into_iter().find(|(n, _)| *n == "ipv6-ptb.pcap").unwrap().1;
    let mut frames = Vec::new();
    read_all(&bytes, |p| frames.push(p.data.to_vec()));
    let at = (icmp.start + icmp.len) as usize;
    assert_eq!(&frames[1][at..at + 1232], &frames[0][14..14 + 1232], "the dropped packet, quoted as sent");
    assert!(step(4).contains("payload length 1,240, 1,232 of the 1,500 bytes quoted"));
    assert!(step(4).contains("1,280 is the smallest MTU an IPv6 link may have (RFC 8200 §5)"));
    // Frames 3 and 4: 1400 bytes pass, and are answered.
    assert_eq!((a[2].mtu.measured, a[2].mtu.dropped), (1400, false));
    let (q, r) = (a[2].dissection.echo.unwrap(), a[3].dissection.echo.unwrap());
    assert!(q.request && !r.request && (q.ident, q.seq) == (r.ident, r.seq));
    assert!(step(5).contains("1,400-byte datagram") && step(5).contains("frame 4 is its answer"));
    // Step 6: from the router's address, not the far host's.
    let src = |f: &[u8]| f[22..38].to_vec();
    assert_eq!(span(&a[1], Layer::Ipv6, "Source"), "2001:db8:1::1");
    assert_eq!(src(&frames[1]), framelens::craft::lessons::PTB_ROUTER);
    assert_ne!(src(&frames[1]), &frames[0][38..54], "not the destination of the dropped packet");
    assert!(step(6).contains("RFC 4890 §4.3.1"));
}

/// "MSS and clamping": each SYN's MSS before and after the router
/// (net/netfilter/xt_TCPMSS.c `tcpmss_mangle_packet`: min(route MTU,
/// reverse route MTU from `tcpmss_reverse_mtu`) − 40, never raised), the
/// MSS as the sender's own link MTU − 40 (RFC 9293 section 3.7.1), the
/// 12-byte timestamps option that comes out of it (RFC 7323 section 3),
/// and the router rule's verdict at the WAN link's MTU.
#[test]
fn mss_clamp_states_what_each_side_of_the_router_saw() {
    use framelens::explain::lessons::lesson;
    use framelens::wire::Layer;
    let l = lesson("mss-clamp").unwrap();
    assert_eq!(l.capture(), Some("mss-clamp.pcapng"));
    let a = analysed(l);
    assert_eq!(a.len(), 8);
    let step = |n: usize| l.steps[n - 1].text;
    let bytes = gallery().into_iter().find(|(n, _)| *n == "mss-clamp.pcapng").unwrap().1;
    let mut frames = Vec::new();
    read_all(&bytes, |p| {
        let name = p.interface_description().and_then(|i| i.name.clone()).unwrap_or_default();
        frames.push((name, p.data[22]));
    });
    let name = |n: usize| frames[n - 1].clone();
    let mss: Vec<Option<u16>> = a.iter().map(|a| a.dissection.tcp_syn_mss).collect();
    let wan_mtu = framelens::craft::lessons::CLAMP_WAN_MTU;
    assert_eq!(wan_mtu, 1400);
    assert_eq!(mss[..4], [Some(1460), Some(wan_mtu - 40), Some(1460), Some(wan_mtu - 40)]);
    assert_eq!(name(1), ("lan0".to_string(), 64));
    assert!(
        step(1).contains("on `lan0`: MSS 1460") && step(1).contains("MTU 1500 − 20 IPv4 − 20 TCP (RFC 9293 §3.7.1)")
    );
    assert_eq!(name(2), ("wan0".to_string(), 63));
    assert!(step(2).contains("on `wan0`, whose MTU is 1400: MSS 1360, TTL 63") && step(2).contains("1400 − 40"));
    assert!(step(2).contains("--clamp-mss-to-pmtu"));
    assert_eq!(name(3).0, "wan0");
    assert!(step(3).contains("MSS 1460"));
    assert_eq!(name(4).0, "lan0");
    assert!(step(4).contains("On `lan0` the SYN-ACK says 1360") && step(4).contains("never raises an MSS"));
    // Frame 5: timestamps (10 bytes after two NOPs), 1360 - 12 = 1348, a 1400-byte datagram.
    let ts = a[4].spans.iter().find(|s| s.layer == Layer::Tcp && s.name == "Option: timestamps").unwrap();
    assert_eq!(ts.end - ts.start, 10);
    assert_eq!(a[4].spans.iter().filter(|s| s.name == "Option: no-op").count(), 2);
    let tcp = a[4].dissection.headers.iter().find(|h| h.layer == Layer::Tcp).unwrap();
    assert_eq!(tcp.len, 20 + 12);
    assert_eq!(a[4].dissection.tcp_payload, Some(u32::from(wan_mtu - 40) - 12));
    assert_eq!(a[4].dissection.tcp_payload, Some(1348));
    assert!(step(5).contains("12 bytes with its two NOPs (RFC 7323 §3)") && step(5).contains("1360 − 12 = 1,348"));
    assert!(step(5).contains("gives 1448; 1460 only without options"));
    assert_eq!((a[4].mtu.measured, a[4].mtu.limit, a[4].mtu.dropped), (1400, 1400, false));
    assert!(step(6).contains("20 + 32 + 1,348 = 1,400 bytes") && step(6).contains("frame 6"));
    assert_eq!((name(6).0.as_str(), a[5].mtu.measured), ("wan0", 1400));
    // Frame 7: the server's data on wan0, 1400 bytes.
    assert_eq!(name(7).0, "wan0");
    assert_eq!((a[6].mtu.measured, a[6].dissection.tcp_payload), (1400, Some(1348)));
    assert!(step(7).contains("on `wan0`: 1,400 bytes too"));
}

/// "Where you capture changes what you see": each frame's interface and
/// direction (pcapng `epb_flags`), the padding only on the received wire
/// frame (IEEE 802.3 minimum 60 without FCS; veth_xmit never pads), the tag
/// on `eth1` and not on `eth1.100` (libpcap pcap-linux.c re-inserts the
/// tag the NIC's VLAN offload moved into the metadata), the TSO and GRO
/// super-frames by direction, and the FCS kept by rx-fcs (valid) and a
/// damaged frame passed by rx-all (invalid), as the core's ledger finds.
#[test]
fn capture_points_state_what_each_interface_shows() {
    use framelens::capture::Direction;
    use framelens::explain::lessons::lesson;
    use framelens::frame::finding::Finding;
    use framelens::frame::ledger::{FcsStatus, RegionKind};
    use framelens::frame::mtu::MtuFacts;
    use framelens::wire::Layer;
    let l = lesson("capture-points").unwrap();
    assert_eq!(l.capture(), Some("capture-points.pcapng"));
    let a = analysed(l);
    assert_eq!(a.len(), 9);
    let step = |n: usize| l.steps[n - 1].text;
    let bytes = gallery().into_iter().find(|(n, _)| *n == "capture-points.pcapng").unwrap().1;
    let mut at = Vec::new();
    read_all(&bytes, |p| {
        let name = p.interface_description().and_then(|i| i.name.clone()).unwrap_or_default();
        at.push((name, p.direction));
    });
    let at = |n: usize| (at[n - 1].0.as_str(), at[n - 1].1);
    let (out, inb) = (Some(Direction::Outbound), Some(Direction::Inbound));
    // 1-3: sent unpadded, received padded, veth unpadded.
    assert_eq!((at(1), a[0].ledger.len), (("eth0", out), 54));
    assert!(a[0].ledger.flags.has(Finding::Runt) && a[0].ledger.region(RegionKind::Padding).is_none());
    assert!(step(1).contains("`eth0`: 54 bytes, 6 short of Ethernet's 60-byte minimum"));
    assert_eq!((at(2), a[1].ledger.len), (("eth0", inb), 60));
    assert_eq!(a[1].ledger.region(RegionKind::Padding).map(|p| (p.start, p.len)), Some((54, 6)));
    assert!(step(2).contains("padded it to 60 bytes"));
    assert_eq!((at(3), a[2].ledger.len), (("veth3f2a9c", inb), 54));
    assert!(a[2].ledger.flags.has(Finding::Runt) && a[2].ledger.region(RegionKind::Padding).is_none());
    assert!(step(3).contains("still 54 bytes") && step(3).contains("never pad"));
    assert!(!Finding::Runt.label().contains("sender side"), "received on a veth too: {}", Finding::Runt.label());
    // 4-5: the same packet with and without the tag.
    assert_eq!((at(4), a[3].ledger.len, a[3].dissection.tags), (("eth1", inb), 1518, 1));
    let vid =
        a[3].spans.iter().find(|s| s.layer == Layer::Vlan && s.name.contains("VLAN")).map(|s| s.value.to_string());
    assert!(vid.as_deref().is_some_and(|v| v.contains("100")), "{vid:?}");
    assert!(step(4).contains("VLAN 100: 1,518 bytes"));
    assert_eq!((at(5), a[4].ledger.len, a[4].dissection.tags), (("eth1.100", inb), 1514, 0));
    let (e4, e5) = (a[3].dissection.echo.unwrap(), a[4].dissection.echo.unwrap());
    assert_eq!((e4.ident, e4.seq), (e5.ident, e5.seq), "one packet at two points");
    assert!(step(5).contains("`eth1.100`: no tag") && step(5).contains("1,514 bytes"));
    // 6-7: super-frames, 4 x 1448 = 5792 bytes of data, a 5844-byte datagram.
    for (n, dir) in [(6, out), (7, inb)] {
        let f = &a[n - 1];
        assert_eq!(at(n), ("eth0", dir));
        assert_eq!(f.dissection.datagram.map(|g| g.len()), Some(5844));
        assert_eq!(f.dissection.tcp_payload, Some(4 * 1448));
        assert!(MtuFacts::new(&f.dissection, &f.ledger).is_superframe(1500));
        assert!(f.mtu.gso_exempt && !f.mtu.dropped, "{}", f.mtu.sentence);
    }
    assert!(step(6).contains("5,844-byte datagram, 4 × 1,448 bytes") && step(6).contains("TSO"));
    assert!(step(7).contains("GRO merged 4 wire segments"));
    // 8-9: eth2 keeps the FCS; one valid after padding, one that does not match.
    assert_eq!(at(8).0, "eth2");
    assert_eq!((a[7].ledger.fcs, a[7].ledger.len), (FcsStatus::Valid, 64));
    assert_eq!(a[7].ledger.region(RegionKind::Fcs).map(|r| r.start), Some(60));
    assert!(step(8).contains("64 in all") && step(8).contains("`if_fcslen` 4"));
    assert_eq!((at(9).0, a[8].ledger.fcs), ("eth2", FcsStatus::Invalid));
    assert!(step(9).contains("does not match"));
}

/// Issue 24: the two story lessons end with the driver's fix and the
/// commands that show the problem on a live system. The fix is upstream
/// commit e869e7a17798d85829fa7d4f9bbe1eebd4b2d3f6 (Jeremy Kerr, "net: usb:
/// ax88179_178a: fix packet alignment padding", posted to netdev on
/// 2020-06-15: the hardware's length includes the 2-byte alignment header,
/// which ax88179_rx_fixup pulled without shortening the packet); the
/// "Linux 5.7.7" announcement (stable@vger.kernel.org, 2020-07-01) lists
/// it, and the 5.4.50-rc1 and 4.9.229-rc1 stable reviews carry it with
/// that upstream commit. The drop lines and counters are Open vSwitch's
/// (net/openvswitch/vport.c ovs_vport_send: tx_errors and
/// net_warn_ratelimited "dropped over-mtu packet").
#[test]
fn story_lessons_end_with_the_fix_and_the_commands() {
    use framelens::explain::lessons::lesson;
    for id in ["two-bytes", "path-story"] {
        let l = lesson(id).unwrap();
        let t = l.takeaway;
        assert!(t.contains("commit e869e7a17798") && t.contains("June 2020"), "{id}: {t}");
        assert!(t.contains("Linux 5.7.7") && t.contains("5.4.50 and 4.9.229 stable reviews"), "{id}: {t}");
        let check = l.check.join("\n");
        for command in ["`ethtool -i eth1`", "ip -s link show", "`journalctl -k | grep over-mtu`"] {
            assert!(check.contains(command), "{id} checks {command}: {check}");
        }
        assert!(check.contains("ax88179_178a"), "{id}: {check}");
    }
    // The log line the check greps for is the one the story's kernel log holds.
    let l = lesson("two-bytes").unwrap();
    let log =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../static/examples/two-bytes-kern.log")).unwrap();
    assert!(log.contains("dropped over-mtu packet: 1502 > 1500"));
    assert!(l.check.iter().any(|c| c.contains("dropped over-mtu packet: 1502 > 1500")));
}
