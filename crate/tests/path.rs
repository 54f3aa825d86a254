//! Path diagnosis on generated multi-point captures with known journeys:
//! the story (3 points, 2 hosts, clocks 3.2 s apart, NAT, VLAN, a trailer,
//! a drop), VXLAN, repeats of the same packet, loss, and the in-flight bound.

use framelens::craft::paths::{self, Body, Datagram};
use framelens::craft::{PcapWriter, PcapngWriter};
use framelens::path::{follow_bytes, Journey, PathFindingKind, PathSettings, PathSummary, Plan};

/// Follows `files` in the order given, and checks on the way that the
/// reversed order (every order, for two files) gives the same answer.
fn follow(files: &[(&str, Vec<u8>)], settings: PathSettings) -> (Plan, Vec<Journey>, PathSummary) {
    let run = |files: &[(&str, Vec<u8>)]| {
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        let mut journeys = Vec::new();
        let (plan, summary) = follow_bytes(&refs, settings, |_, j| journeys.push(j.clone()));
        assert!(summary.errors.is_empty(), "{:?}", summary.errors);
        (plan, journeys, summary)
    };
    let (plan, journeys, summary) = run(files);
    if files.len() > 1 {
        let reversed: Vec<(&str, Vec<u8>)> = files.iter().rev().cloned().collect();
        let (p2, j2, s2) = run(&reversed);
        let labels = |p: &Plan| p.points.iter().map(|x| x.label.clone()).collect::<Vec<_>>();
        let named = |p: &Plan, js: &[Journey]| {
            js.iter()
                .map(|j| {
                    let frames: Vec<(String, u64)> =
                        j.seen.iter().map(|s| (p.points[usize::from(s.point)].label.clone(), s.frame)).collect();
                    (frames, j.lost_after.map(|l| p.points[usize::from(l)].label.clone()), words(j))
                })
                .collect::<Vec<_>>()
        };
        let sentences = |s: &PathSummary| s.findings.iter().map(|f| f.sentence.clone()).collect::<Vec<_>>();
        assert_eq!(labels(&p2), labels(&plan), "the points' order does not depend on the files' order");
        assert_eq!(named(&p2, &j2), named(&plan, &journeys), "nor do the journeys");
        assert_eq!(sentences(&s2), sentences(&summary), "nor do the findings");
    }
    (plan, journeys, summary)
}

/// (point, frame) of every sighting.
fn route(j: &Journey) -> Vec<(u16, u64)> {
    j.seen.iter().map(|s| (s.point, s.frame)).collect()
}

fn words(j: &Journey) -> Vec<String> {
    j.changes.iter().map(|(a, b, c)| format!("{a}→{b} {}", c.words)).collect()
}

#[test]
fn story_points_are_one_per_interface_named_by_file_and_interface() {
    let (plan, _, _) = follow(&paths::story(), PathSettings::default());
    let labels: Vec<&str> = plan.points.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["laptop.pcap · 0", "controller.pcapng · eth1", "controller.pcapng · qr-5d0a1c2e-7f"]);
    let frames: Vec<u64> = plan.points.iter().map(|p| p.frames).collect();
    // laptop: ARP + 10 requests + 7 replies; eth1: 10 + 7; qr: 7 + 7.
    assert_eq!(frames, [18, 17, 14]);
}

#[test]
fn story_clock_offset_is_estimated_from_both_directions() {
    let (plan, _, summary) = follow(&paths::story(), PathSettings::default());
    let c = plan.files[1].clock;
    assert!(c.estimated && c.both_ways);
    // Requests take 310 µs laptop → eth1, replies 307 µs eth1 → laptop: the
    // estimate is off by half the asymmetry only.
    assert!((c.offset_ns - paths::CONTROLLER_AHEAD_NS).abs() < 5_000, "{}", c.offset_ns);
    assert_eq!(summary.clock_offsets[0], ("laptop.pcap".to_string(), 0));
    assert_eq!(summary.clock_offsets[1].1, c.offset_ns);
}

#[test]
fn story_journeys_follow_requests_and_replies_across_nat() {
    let (_, journeys, summary) = follow(&paths::story(), PathSettings::default());
    // The laptop's ARP (a journey of one frame: it stays on its link), 7
    // answered pings (request + reply) and 3 unanswered requests.
    assert_eq!(journeys.len(), 18);
    assert_eq!(summary.counts.journeys, 18);
    assert_eq!(route(&journeys[0]), [(0, 1)]);
    assert_eq!(journeys[0].seen[0].facts, None);
    // The first ping: laptop frame 2 (after the ARP), eth1 frame 1, qr frame 2.
    assert_eq!(route(&journeys[1]), [(0, 2), (1, 1), (2, 2)]);
    assert_eq!(journeys[1].lost_after, None);
    assert_eq!(
        words(&journeys[1]),
        [
            "0→1 +4 802.1Q tag (VLAN 100)",
            "0→1 +2 unexplained bytes 25 7f",
            "1→2 −4 802.1Q tag (VLAN 100)",
            "1→2 destination 192.168.10.150 → 10.0.0.5 (DNAT)",
            "1→2 TTL 64 → 63",
            "1→2 −2 unexplained bytes 25 7f",
        ]
    );
    // Its reply goes the other way, and the router gives it its source back:
    // conntrack's reverse of the request's DNAT, not a second translation.
    assert_eq!(route(&journeys[2]), [(2, 3), (1, 4), (0, 3)]);
    assert!(words(&journeys[2]).contains(
        &"2→1 source 10.0.0.5 → 192.168.10.150 (the reply's un-DNAT, the reverse of the DNAT on the way in)"
            .to_string()
    ));
    // Frame lengths along the first request: 98, 104 (tag + 2 bytes), 98.
    let lens: Vec<u32> = journeys[1].seen.iter().map(|s| s.len).collect();
    assert_eq!(lens, [98, 104, 98]);
    assert_eq!(journeys[1].seen[1].extra, Some(2));
}

#[test]
fn story_large_pings_are_lost_between_eth1_and_the_router_port() {
    let (_, journeys, summary) = follow(&paths::story(), PathSettings::default());
    let lost: Vec<&Journey> = journeys.iter().filter(|j| j.lost_after.is_some()).collect();
    assert_eq!(lost.len(), 3);
    for j in &lost {
        assert_eq!(j.lost_after, Some(1));
        assert_eq!(j.seen.iter().map(|s| s.point).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(j.seen[1].len, 1520);
        assert_eq!(j.seen[1].facts.as_ref().unwrap().inner.datagram_len, 1500);
    }
    assert_eq!(summary.counts.lost, 3);
    let loss = summary.findings.iter().find(|f| f.kind == PathFindingKind::Loss).unwrap();
    assert_eq!(loss.journeys, lost.iter().map(|j| j.index).collect::<Vec<_>>());
    assert_eq!(
        loss.sentence,
        // Result, then what the lost packets share, then where and why (issue 24).
        "3 packets reach `controller.pcapng · eth1` and never reach `controller.pcapng · qr-5d0a1c2e-7f`, \
         on the way from 192.168.10.23 to 192.168.10.150. \
         Every one of them has a datagram of 1,500 bytes or more and carries 2 unexplained bytes (25 7f) at \
         `controller.pcapng · eth1`; every smaller packet passes (the largest that passed has 1,498 bytes). \
         The drop is between `controller.pcapng · eth1` and `controller.pcapng · qr-5d0a1c2e-7f`; with the \
         2 bytes its L2 payload (1,502 bytes) exceeds 1,500 under the Open vSwitch (kernel datapath) rule (MTU 1500)."
    );
}

#[test]
fn story_points_in_order_per_direction() {
    let (_, _, summary) = follow(&paths::story(), PathSettings::default());
    assert_eq!(summary.points_in_order, [0, 1, 2]);
    assert_eq!(summary.points_in_order_reverse, [2, 1, 0]);
    let appear = summary
        .findings
        .iter()
        .find(|f| f.kind == PathFindingKind::BytesAppear && f.sentence.contains("25 7f"))
        .unwrap();
    assert_eq!(
        appear.sentence,
        "Between `laptop.pcap · 0` and `controller.pcapng · eth1`: +2 unexplained bytes 25 7f, on 10 packets."
    );
}

fn udp(src: [u8; 4], dst: [u8; 4], ident: u16, payload: usize, fill: u8) -> Datagram {
    Datagram {
        src,
        dst,
        ttl: 64,
        ident,
        dont_fragment: true,
        body: Body::Udp { src_port: 40_000, dst_port: 53, payload, fill },
    }
}

const A: [u8; 6] = [2, 0, 0, 0, 0, 1];
const B: [u8; 6] = [2, 0, 0, 0, 0, 2];

#[test]
fn vxlan_inner_frame_matches_the_bare_frame() {
    let mut host = PcapWriter::new(1, 262_144);
    let mut underlay = PcapWriter::new(1, 262_144);
    let t0 = 1_700_000_000_000_000_000u64;
    for i in 0..4u16 {
        let d = udp([10, 0, 0, 1], [10, 0, 0, 2], 100 + i, 300, i as u8);
        let bare = paths::ip_frame(B, A, &[], &d, &[]);
        host.push(t0 + u64::from(i) * 10_000_000, &bare, bare.len() as u32);
        let wrapped = paths::vxlan([172, 16, 0, 1], [172, 16, 0, 2], 1234, &bare);
        underlay.push(t0 + u64::from(i) * 10_000_000 + 50_000, &wrapped, wrapped.len() as u32);
    }
    let files = [("host.pcap", host.into_bytes()), ("underlay.pcap", underlay.into_bytes())];
    let (_, journeys, _) = follow(&files, PathSettings::default());
    assert_eq!(journeys.len(), 4);
    for (i, j) in journeys.iter().enumerate() {
        assert_eq!(route(j), [(0, i as u64 + 1), (1, i as u64 + 1)]);
        assert_eq!(words(j), ["0→1 +50 VXLAN encapsulation"]);
        assert_eq!(j.seen[1].len, j.seen[0].len + 50);
    }
}

#[test]
fn repeats_of_the_same_packet_pair_by_time_despite_a_clock_offset() {
    // The same datagram (same ID, same payload) sent three times a second
    // apart; the second capture's clock runs 2.5 s behind and it loses the
    // second copy. Each copy must pair with its own sighting.
    let mut a = PcapWriter::new(1, 262_144);
    let mut b = PcapWriter::new(1, 262_144);
    let t0 = 1_700_000_000_000_000_000u64;
    let behind = 2_500_000_000u64;
    let d = udp([10, 0, 0, 1], [10, 0, 0, 2], 7, 200, 0x42);
    let f = paths::ip_frame(B, A, &[], &d, &[]);
    let mut reply = udp([10, 0, 0, 2], [10, 0, 0, 1], 9, 100, 0x43);
    reply.body = Body::Udp { src_port: 53, dst_port: 40_000, payload: 100, fill: 0x43 };
    let r = paths::ip_frame(A, B, &[], &reply, &[]);
    for k in 0..3u64 {
        let t = t0 + k * 1_000_000_000;
        a.push(t, &f, f.len() as u32);
        if k != 1 {
            b.push(t - behind + 200_000, &f, f.len() as u32);
        }
        // A distinct packet each way keeps the offset estimate delay-free
        // (the repeated copies themselves are not used for it).
        let mut hello = udp([10, 0, 0, 1], [10, 0, 0, 2], 1000 + k as u16, 50 + k as usize, 0x44);
        hello.body = Body::Udp { src_port: 1, dst_port: 2, payload: 50 + k as usize, fill: 0x44 };
        let hf = paths::ip_frame(B, A, &[], &hello, &[]);
        a.push(t + 100_000, &hf, hf.len() as u32);
        b.push(t - behind + 300_000, &hf, hf.len() as u32);
        let mut rk = reply;
        rk.body = Body::Udp { src_port: 53, dst_port: 40_000, payload: 100 + k as usize, fill: 0x43 };
        let rf = paths::ip_frame(A, B, &[], &rk, &[]);
        b.push(t - behind + 400_000, &rf, rf.len() as u32);
        a.push(t + 600_000, &rf, rf.len() as u32);
        let _ = &r;
    }
    let files = [("a.pcap", a.into_bytes()), ("b.pcap", b.into_bytes())];
    let (plan, journeys, _) = follow(&files, PathSettings::default());
    assert!((plan.files[1].clock.offset_ns + behind as i64).abs() < 1_000, "{:?}", plan.files[1].clock);
    let copies: Vec<Vec<(u16, u64)>> = journeys.iter().filter(|j| j.seen[0].len == f.len() as u32).map(route).collect();
    // a: frames 1, 4, 7 are the copies; b: frames 1 and 6 (its 2nd copy lost).
    assert_eq!(copies, [vec![(0, 1), (1, 1)], vec![(0, 4)], vec![(0, 7), (1, 6)]]);
    let lost: Vec<Option<u16>> =
        journeys.iter().filter(|j| j.seen[0].len == f.len() as u32).map(|j| j.lost_after).collect();
    assert_eq!(lost, [None, Some(0), None]);
}

#[test]
fn snat_with_port_rewrite_and_a_vlan_pushed_on_a_trunk() {
    let mut inside = PcapngWriter::new();
    let lan = inside.interface(1, "lan0", None);
    let wan = inside.interface(1, "wan0", None);
    let t0 = 1_700_000_000_000_000_000u64;
    for i in 0..3u16 {
        let d = Datagram {
            src: [192, 168, 1, 10],
            dst: [203, 0, 113, 5],
            ttl: 64,
            ident: 500 + i,
            dont_fragment: true,
            body: Body::Tcp {
                src_port: 40_000,
                dst_port: 443,
                seq: 1000 + u32::from(i) * 100,
                ack: 1,
                payload: 100,
                fill: 0x61,
            },
        };
        let f = paths::ip_frame(B, A, &[], &d, &[]);
        inside.packet(lan, t0 + u64::from(i) * 1_000_000, &f, f.len() as u32, 0);
        let out = d.routed().snat([198, 51, 100, 1]).ports(61_000, 443);
        let f = paths::ip_frame(B, A, &[42], &out, &[]);
        inside.packet(wan, t0 + u64::from(i) * 1_000_000 + 30_000, &f, f.len() as u32, 0);
    }
    let (_, journeys, summary) = follow(&[("router.pcapng", inside.into_bytes())], PathSettings::default());
    assert_eq!(journeys.len(), 3);
    assert_eq!(
        words(&journeys[2]),
        [
            "0→1 +4 802.1Q tag (VLAN 42)",
            "0→1 source 192.168.1.10 → 198.51.100.1 (SNAT)",
            "0→1 source port 40000 → 61000 (SNAT)",
            "0→1 TTL 64 → 63"
        ]
    );
    let rewrite = summary.findings.iter().filter(|f| f.kind == PathFindingKind::Rewrite).count();
    assert_eq!(rewrite, 2);
}

#[test]
fn a_packet_seen_at_one_point_only_is_a_journey_of_one() {
    let mut a = PcapWriter::new(1, 262_144);
    let d = udp([10, 0, 0, 1], [10, 0, 0, 2], 1, 10, 1);
    let f = paths::ip_frame(B, A, &[], &d, &[]);
    a.push(1_000, &f, f.len() as u32);
    let (_, journeys, summary) = follow(&[("one.pcap", a.into_bytes())], PathSettings::default());
    assert_eq!(journeys.len(), 1);
    assert_eq!(route(&journeys[0]), [(0, 1)]);
    assert_eq!((journeys[0].lost_after, summary.counts.lost), (None, 0));
    // 52 bytes of frame: the sender padded it to 60.
    assert_eq!((journeys[0].seen[0].len, journeys[0].seen[0].extra), (60, Some(8)));
}

#[test]
fn in_flight_bound_closes_the_oldest_journeys_early() {
    let mut a = PcapWriter::new(1, 262_144);
    let mut b = PcapWriter::new(1, 262_144);
    // 50 packets within one window at A, all seen at B later in the window.
    for i in 0..50u16 {
        let d = udp([10, 0, 0, 1], [10, 0, 0, 2], i, 20, i as u8);
        let f = paths::ip_frame(B, A, &[], &d, &[]);
        a.push(1_000_000 + u64::from(i) * 1_000, &f, f.len() as u32);
    }
    for i in 0..50u16 {
        let d = udp([10, 0, 0, 1], [10, 0, 0, 2], i, 20, i as u8);
        let f = paths::ip_frame(B, A, &[], &d, &[]);
        b.push(1_100_000 + u64::from(i) * 1_000, &f, f.len() as u32);
    }
    let files = [("a.pcap", a.into_bytes()), ("b.pcap", b.into_bytes())];
    let bounded = PathSettings { max_in_flight: 10, ..PathSettings::default() };
    let (_, journeys, summary) = follow(&files, bounded);
    assert!(summary.counts.peak_in_flight <= 10);
    assert!(summary.counts.closed_early > 0);
    // Every sighting is still in exactly one journey.
    assert_eq!(journeys.iter().map(|j| j.seen.len()).sum::<usize>(), 100);
    assert!(summary.findings.iter().any(|f| f.kind == PathFindingKind::Bound));
    // Unbounded, each packet is one journey of two.
    let (_, journeys, summary) = follow(&files, PathSettings::default());
    assert_eq!((journeys.len(), summary.counts.closed_early), (50, 0));
}

#[test]
fn corrupt_second_file_keeps_what_was_read() {
    let story = paths::story();
    let mut controller = story[1].1.clone();
    let cut = controller.len() - 200;
    controller.truncate(cut);
    controller.extend_from_slice(&[0xff; 13]);
    let files = [("laptop.pcap", story[0].1.as_slice()), ("controller.pcapng", controller.as_slice())];
    let mut n = 0;
    let (_, summary) = follow_bytes(&files, PathSettings::default(), |_, _| n += 1);
    assert_eq!(summary.errors.len(), 1);
    assert_eq!(summary.errors[0].0, 1);
    assert!(n >= 16, "journeys before the fault are kept: {n}");
}

#[test]
fn committed_story_captures_are_what_the_generator_makes() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/path-story");
    for (name, bytes) in paths::story() {
        let path = dir.join(name);
        if std::env::var_os("FRAMELENS_BLESS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        let on_disk = std::fs::read(&path).unwrap_or_default();
        assert!(on_disk == bytes, "{} differs from its generator; rerun with FRAMELENS_BLESS=1", path.display());
    }
}
