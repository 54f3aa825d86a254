//! Path diagnosis held to the truth of generated multi-point stories, in
//! every order of their files (issue 22): the same points in the same path
//! order, the same journeys (each frame of each capture in exactly one),
//! the same losses between the same points, the same clocks and the same
//! findings, whatever order the files are given in; and all of it equal to
//! what the story's generator knows happened.

use framelens::craft::paths::truth::{FrameRef, PointName, Story};
use framelens::craft::paths::{self, clocks, ipv6, kubernetes, offload};
use framelens::path::{follow_bytes, Journey, PathSettings, PathSummary, Plan};
use std::collections::{BTreeMap, BTreeSet};

/// A journey as the answer names it: its frames, where it was lost, its changes in words.
type Followed = (Vec<FrameRef>, Option<(PointName, PointName)>, Vec<String>);

/// Everything the diagnosis says, in terms of file names (never of the
/// input order): what must be equal for every order of the files.
#[derive(Debug, PartialEq)]
struct Answer {
    points: Vec<PointName>,
    reverse: Vec<PointName>,
    /// Each journey: its frames, and where it was lost.
    journeys: Vec<Followed>,
    /// (file, offset at the reference's first timestamp, rate): the reference first.
    clocks: Vec<(String, i64, i64)>,
    findings: Vec<String>,
    order_sentence: String,
    window_ns: i64,
}

fn name_of(plan: &Plan, p: u16) -> PointName {
    let point = &plan.points[usize::from(p)];
    let interface = match point.name.as_deref() {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => point.interface().to_string(),
    };
    PointName { file: plan.files[point.file].name.clone(), interface }
}

fn diagnose(files: &[(String, Vec<u8>)]) -> (Answer, Plan, PathSummary) {
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let mut journeys: Vec<Journey> = Vec::new();
    let (plan, summary) = follow_bytes(&refs, PathSettings::default(), |_, j| journeys.push(j.clone()));
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    let answer = Answer {
        points: (0..plan.points.len() as u16).map(|p| name_of(&plan, p)).collect(),
        reverse: plan.order.reverse.iter().map(|&p| name_of(&plan, p)).collect(),
        journeys: journeys
            .iter()
            .map(|j| {
                let frames = j
                    .seen
                    .iter()
                    .map(|s| FrameRef {
                        file: plan.files[plan.points[usize::from(s.point)].file].name.clone(),
                        frame: s.frame,
                    })
                    .collect();
                let lost = j.lost_after.zip(j.lost_before).map(|(a, b)| (name_of(&plan, a), name_of(&plan, b)));
                let changes = j.changes.iter().map(|(a, b, c)| format!("{a}→{b} {}", c.words)).collect();
                (frames, lost, changes)
            })
            .collect(),
        clocks: plan
            .files_by_rank()
            .into_iter()
            .map(|f| (plan.files[f].name.clone(), plan.files[f].clock.offset_ns, plan.files[f].clock.rate_ppb))
            .collect(),
        findings: summary.findings.iter().map(|f| f.sentence.clone()).collect(),
        order_sentence: plan.order.sentence.clone(),
        window_ns: plan.window_ns,
    };
    (answer, plan, summary)
}

/// Every order of `0..n` (Heap's algorithm).
fn permutations(n: usize) -> Vec<Vec<usize>> {
    fn heap(k: usize, a: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if k <= 1 {
            out.push(a.clone());
            return;
        }
        for i in 0..k {
            heap(k - 1, a, out);
            if k % 2 == 0 {
                a.swap(i, k - 1);
            } else {
                a.swap(0, k - 1);
            }
        }
    }
    let mut out = Vec::new();
    heap(n, &mut (0..n).collect(), &mut out);
    out
}

/// The story's answer is the same in every order of its files, and that
/// answer is its truth. Returns the answer for the story's own checks.
fn holds_in_every_order(story: &Story) -> Answer {
    let (first, plan, _) = diagnose(&story.files);
    for order in permutations(story.files.len()).into_iter().skip(1) {
        let files: Vec<(String, Vec<u8>)> = order.iter().map(|&i| story.files[i].clone()).collect();
        let (answer, _, _) = diagnose(&files);
        assert_eq!(answer, first, "{}: files in the order {order:?} give another answer", story.name);
    }
    let truth = &story.truth;
    assert_eq!(first.points, truth.path, "{}: the path order", story.name);
    // The journeys are the truth's packets, frame for frame.
    let as_set = |frames: &[FrameRef]| frames.iter().cloned().collect::<BTreeSet<_>>();
    let got: BTreeMap<BTreeSet<FrameRef>, Option<(PointName, PointName)>> =
        first.journeys.iter().map(|(f, lost, _)| (as_set(f), lost.clone())).collect();
    assert_eq!(got.len(), first.journeys.len(), "{}: no frame is in two journeys", story.name);
    for p in &truth.packets {
        let frames = as_set(&p.frames);
        match got.get(&frames) {
            Some(lost) => assert_eq!(lost, &p.lost, "{}: where {:?} was lost", story.name, p.frames),
            None => {
                let near: Vec<_> = got.keys().filter(|k| !k.is_disjoint(&frames)).collect();
                panic!(
                    "{}: no journey is exactly the packet {:?}; journeys with its frames: {near:?}",
                    story.name, p.frames
                )
            }
        }
    }
    assert_eq!(got.len(), truth.packets.len(), "{}: as many journeys as packets", story.name);
    // The clocks, to within what the estimate says it knows.
    for t in &truth.clocks {
        let f = plan.files.iter().find(|f| f.name == t.file).unwrap();
        let reference = &plan.files[plan.reference];
        let anchor = reference.first_ns.unwrap();
        // The truth's offset is at the file's own first timestamp, its rate on the file's clock.
        let file_first = f.first_ns.unwrap();
        let truth_at_anchor = t.offset_ns
            + ((i128::from(f.clock.from_reference(anchor) - file_first) * i128::from(t.rate_ppb)) / 1_000_000_000)
                as i64;
        let c = f.clock;
        let slack = c.uncertainty_ns + 1_000_000;
        match c.bound {
            None => assert!(
                (c.offset_ns - truth_at_anchor).abs() <= slack,
                "{}: {}'s clock {} ns, truly {truth_at_anchor} ns (± {} ns)",
                story.name,
                t.file,
                c.offset_ns,
                c.uncertainty_ns
            ),
            Some(b) => panic!(
                "{}: {}'s clock is only a bound ({b:?}) though both directions were captured",
                story.name, t.file
            ),
        }
        assert!(
            (c.rate_ppb - t.rate_ppb).abs() <= 2_000,
            "{}: {}'s rate {} ppb, truly {}",
            story.name,
            t.file,
            c.rate_ppb,
            t.rate_ppb
        );
    }
    first
}

fn finding<'a>(a: &'a Answer, starts: &str) -> &'a str {
    a.findings
        .iter()
        .find(|f| f.starts_with(starts))
        .unwrap_or_else(|| panic!("no finding starts {starts:?}: {:#?}", a.findings))
}

fn any_change(a: &Answer, part: &str) -> bool {
    a.journeys.iter().any(|(_, _, c)| c.iter().any(|w| w.contains(part)))
}

#[test]
fn the_two_bytes_story_holds_in_every_order() {
    let a = holds_in_every_order(&paths::story_with_truth());
    let loss =
        finding(&a, "3 packets reach `controller.pcapng · eth1` and never reach `controller.pcapng · qr-5d0a1c2e-7f`, on the way from 192.168.10.23 to 192.168.10.150.");
    assert!(loss.contains("with the 2 bytes its L2 payload (1,502 bytes) exceeds 1,500"), "{loss}");
    // conntrack translates the reply back: the reverse of the DNAT, not an SNAT.
    assert!(any_change(&a, "source 10.0.0.5 → 192.168.10.150 (the reply's un-DNAT"));
    assert!(!any_change(&a, "(SNAT)"));
    assert!(a.order_sentence.starts_with("The path order is the one 17 packets"), "{}", a.order_sentence);
}

#[test]
fn fragmentation_tso_and_gro_hold_in_every_order() {
    let a = holds_in_every_order(&offload::offload());
    // RFC 791 fragments, the sender's TSO super-frame and the receiver's GRO frame, in words.
    assert!(any_change(&a, "fragmented: one datagram arrives as 2 fragments (1,396 + 124 bytes)"));
    assert!(any_change(&a, "cut into 16 segments (16 × 1,400 bytes) from one datagram of 21,800 bytes: TSO/GSO"));
    assert!(any_change(&a, "merged: 4 segments (4 × 1,400 bytes) are one datagram of 5,480 bytes here: GRO"));
    finding(&a, "1 packet reaches `router.pcapng · wan0` and never reaches `server.pcapng · eth0`, on the way from 192.168.1.10 to 10.20.0.80.");
}

#[test]
fn clocks_40_s_apart_and_50_ppm_of_drift_hold_in_every_order() {
    let a = holds_in_every_order(&clocks::clocks());
    let b = finding(&a, "b.pcapng's clock runs 40.000 s ahead of a.pcap's");
    assert!(b.contains("both directions"), "{b}");
    let c = finding(&a, "c.pcapng's clock runs");
    assert!(c.contains("gains 50.0 ppm (3.0 ms a minute)"), "{c}");
    // Pings queued 0.6–0.7 s at B are still one packet each: the window grew to the delays seen.
    assert!(a.window_ns > 690_000_000, "{}", a.window_ns);
}

#[test]
fn a_kubernetes_overlay_holds_in_every_order() {
    let a = holds_in_every_order(&kubernetes::kubernetes());
    let loss = finding(
        &a,
        "5 packets reach `node2.pcapng · veth7c2e4a19` and never reach `node2.pcapng · ens5`, on the way from 10.244.1.7 to 10.244.0.5 (the way back).",
    );
    // OVN's Geneve with its 8-byte option: 58 bytes (DOMAIN.md, Kubernetes overlays).
    assert!(loss.contains("grow by 58 bytes there, so a 1,500-byte datagram would need 1,558 bytes"), "{loss}");
    assert!(any_change(&a, "source port 8080 → 80 (the reply's un-DNAT"));
    // The bond's members are one hop: a flow out on one and back on the other is not one-way.
    assert!(!a.findings.iter().any(|f| f.contains("one way only")), "{:#?}", a.findings);
    assert!(a.order_sentence.contains("No packet orders `node2.pcapng · ens6` and `node2.pcapng · ens5`"));
}

#[test]
fn an_ipv6_sweep_with_packet_too_big_holds_in_every_order() {
    let a = holds_in_every_order(&ipv6::ipv6());
    let loss =
        finding(&a, "3 packets reach `nodeA.pcapng · vxlan0` and never reach `nodeA.pcapng · eth0`, on the way from");
    // VXLAN over an IPv6 underlay adds 70 bytes (RFC 7348 §5 with a 40-byte outer header);
    // RFC 4443 §3.2: the Packet Too Big carries the MTU of the next hop.
    assert!(loss.contains("grow by 70 bytes there, so a 1,431-byte datagram would need 1,501 bytes"), "{loss}");
    assert!(loss.contains("got back 3 ICMPv6 Packet Too Big messages with MTU 1,430"), "{loss}");
    assert!(loss.contains("the path did not heal"), "{loss}");
    // Two hosts' identical link-local MLD reports are two packets, never a translation.
    assert!(!any_change(&a, "SNAT") && !any_change(&a, "DNAT"));
}

#[test]
fn permutations_are_every_order_once() {
    let p = permutations(4);
    assert_eq!(p.len(), 24);
    assert_eq!(p.iter().collect::<BTreeSet<_>>().len(), 24);
}

/// The stories' captures are committed under `tests/path-stories/` for the
/// browser test that drops them in both orders (`e2e/path-stories.test.mjs`),
/// with what the page must show: the truth's path as the columns' labels and
/// how many packets are lost. FRAMELENS_BLESS=1 writes them.
#[test]
fn committed_stories_are_what_the_generators_make() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/path-stories");
    let bless = std::env::var_os("FRAMELENS_BLESS").is_some();
    for story in [kubernetes::kubernetes(), ipv6::ipv6(), offload::offload(), clocks::clocks()] {
        let dir = root.join(story.name);
        let labels: Vec<String> =
            story.truth.path.iter().map(|p| format!("\"{} · {}\"", p.file, p.interface)).collect();
        let files: Vec<String> = story.files.iter().map(|(n, _)| format!("\"{n}\"")).collect();
        let lost = story.truth.packets.iter().filter(|p| p.lost.is_some()).count();
        let expected =
            format!("{{\"files\": [{}], \"columns\": [{}], \"lost\": {lost}}}\n", files.join(", "), labels.join(", "));
        let mut want: Vec<(String, Vec<u8>)> = story.files.clone();
        want.push(("expected.json".to_string(), expected.into_bytes()));
        for (name, bytes) in want {
            let path = dir.join(&name);
            if bless {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &bytes).unwrap();
            }
            let have = std::fs::read(&path).unwrap_or_default();
            assert!(have == bytes, "{} differs from its generator: run with FRAMELENS_BLESS=1", path.display());
        }
    }
}
