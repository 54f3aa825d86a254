//! Kernel logs along a path (issue 12 in `framelens path`): the story's
//! controller kern.log against its three points. Each drop line goes to the
//! journey of the packet it is about, a line about an uncaptured device to
//! none, a log whose clock is seconds off still matches, and a line whose
//! size fits frames of two captures goes to the capture whose clock agrees
//! with the log's other lines.

use framelens::craft::paths;
use framelens::log::message::MessageKind;
use framelens::log::{read_log, LogFile};
use framelens::path::{follow_bytes_with_logs, PathFindingKind, PathSettings, PathSummary};

fn log(name: &str, text: &str) -> LogFile {
    read_log(name, text.as_bytes()).unwrap()
}

fn follow_with(logs: Vec<LogFile>) -> PathSummary {
    let files = paths::story();
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let (_, summary) = follow_bytes_with_logs(&refs, logs, Default::default(), PathSettings::default(), |_, _| {});
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    summary
}

/// (line, journeys) of every line of one kind.
fn lines_of(s: &PathSummary, kind: MessageKind) -> Vec<(u64, Vec<u64>)> {
    s.log.iter().filter(|e| e.fields.kind == kind).map(|e| (e.fields.line, e.journeys.clone())).collect()
}

#[test]
fn story_drop_lines_are_about_the_three_lost_pings() {
    let s = follow_with(vec![log("controller-kern.log", &paths::story_kern_log(0))]);
    // The driver, its link, then the three drops; the systemd line is not recognised.
    let kinds: Vec<MessageKind> = s.log.iter().map(|e| e.fields.kind).collect();
    use MessageKind::*;
    assert_eq!(kinds, [Driver, Link, OverMtu, OverMtu, OverMtu, OverMtu]);
    // Journeys 15, 16 and 17 are the 1472-byte pings lost after eth1.
    assert_eq!(
        lines_of(&s, OverMtu),
        [(4, vec![15]), (5, vec![16]), (6, vec![17]), (7, vec![])],
        "line 7 is about another router's gateway port, on a path no capture saw"
    );
    assert!(s.log.iter().filter(|e| e.fields.kind != OverMtu).all(|e| e.journeys.is_empty()));
    // Open vSwitch names the port it sends to (`ovs_vport_send` logs
    // `vport->dev`): the router's gateway port, which floating-IP traffic
    // reaches before the router's IP layer trims the 2 bytes (`ip_rcv_core`
    // → `pskb_trim_rcsum`) and routes it to the captured `qr-` port.
    let e = &s.log[2];
    assert_eq!(e.fields.device.as_deref(), Some(paths::GATEWAY_PORT));
    assert!(paths::GATEWAY_PORT.starts_with("qg-") && paths::ROUTER_PORT.starts_with("qr-"));
    assert_eq!(e.fields.text, "qg-3f9c2b71-a4: dropped over-mtu packet: 1502 > 1500");
    assert_eq!(e.fields.time_ns, Some(1_733_050_807_000_000_000 + paths::CONTROLLER_AHEAD_NS + 355_000));
    assert_eq!((e.capture, e.frames.as_slice()), (Some(1), &[29][..]), "controller.pcapng frame 29, at eth1");
}

#[test]
fn story_loss_finding_quotes_the_kernel_log() {
    let s = follow_with(vec![log("controller-kern.log", &paths::story_kern_log(0))]);
    let loss = &s.findings[0];
    assert_eq!(loss.kind, PathFindingKind::Loss);
    assert_eq!(loss.journeys, [15, 16, 17]);
    // The uncaptured port the log names is not made a point of the path.
    assert_eq!((loss.between, s.points_in_order.as_slice()), (Some((1, 2)), &[0u16, 1, 2][..]));
    let (before, log_words) = loss.sentence.split_at(loss.sentence.find(" The kernel log").unwrap());
    assert!(before.ends_with("under the Open vSwitch (kernel datapath) rule (MTU 1500)."), "{before}");
    assert_eq!(
        log_words,
        " The kernel log controller-kern.log says `qg-3f9c2b71-a4: dropped over-mtu packet: 1502 > 1500` \
         about all 3 of these packets (lines 4, 5, 6); the drop happened at qg-3f9c2b71-a4 on the way from eth1, \
         a port no capture watched; it shows driver ax88179_178a on eth1, known to append 2 bytes \
         (the ASIX AX88179/178A USB 3.0 Gigabit driver bug)."
    );
}

#[test]
fn a_line_about_an_uncaptured_device_matches_no_journey_and_says_so() {
    let s = follow_with(vec![log("controller-kern.log", &paths::story_kern_log(0))]);
    let k: Vec<&str> =
        s.findings.iter().filter(|f| f.kind == PathFindingKind::KernelLog).map(|f| f.sentence.as_str()).collect();
    assert_eq!(
        k,
        ["1 'dropped over-mtu packet' line of controller-kern.log (device qg-4c2a1b3d-5e; line 7) matches no packet \
          of the captures: drops on a path that was not captured, or outside the captures' time."]
    );
}

#[test]
fn a_log_on_the_controllers_clock_is_reported_against_the_first_capture() {
    let s = follow_with(vec![log("controller-kern.log", &paths::story_kern_log(0))]);
    let c = &s.log_clocks[0];
    assert_eq!((c.file.as_str(), c.capture, c.matches, c.boot), ("controller-kern.log", 1, 3, false));
    // The same clock as controller.pcapng: its offset against the laptop's.
    let controller = s.clock_offsets[1].1;
    assert_eq!(c.offset_ns, controller);
    assert!(s.findings.iter().any(|f| f.kind == PathFindingKind::ClockOffset
        && f.sentence == "controller-kern.log's clock runs 3.217 s ahead of laptop.pcap's (from 3 matched lines at controller.pcapng)."));
}

#[test]
fn a_log_whose_clock_is_seconds_off_still_matches_its_packets() {
    // The log's host runs 7.5 s behind the controller's capture clock.
    let s = follow_with(vec![log("kern.log", &paths::story_kern_log(7_500_000_000))]);
    assert_eq!(lines_of(&s, MessageKind::OverMtu), [(4, vec![15]), (5, vec![16]), (6, vec![17]), (7, vec![])]);
    let c = &s.log_clocks[0];
    let want = s.clock_offsets[1].1 - 7_500_000_000;
    assert!((c.offset_ns - want).abs() < 1_000_000, "{} against {want}", c.offset_ns);
    assert!(c.offset_ns < 0, "4.28 s behind the laptop");
    assert!(s.findings[0].sentence.contains("The kernel log kern.log says"), "{}", s.findings[0].sentence);
}

#[test]
fn a_line_goes_to_the_capture_whose_clock_agrees_with_the_log() {
    // A laptop-side log on the laptop's clock: `dropped over-mtu packet: 1500`
    // 20 µs after each 1472-byte ping left. The laptop's three frames have an
    // L2 payload of 1,500; so does one frame at the controller's eth1 (the
    // 1470-byte ping with its 2 bytes), 3.217 s ahead on the controller's
    // clock, which lands within the matcher's slack of the last line if that
    // capture is taken alone. The log's clock is the laptop's: that match is
    // a coincidence and the line stays with the laptop's frame.
    let stamp = |i: i64| framelens::craft::rfc3339(1_733_050_800_000_000_000 + i * 1_000_000_000 + 20_000);
    let text: String = (7..10)
        .map(|i| format!("{} laptop kernel: vport0: dropped over-mtu packet: 1500 > 1400\n", stamp(i)))
        .collect();
    let s = follow_with(vec![log("laptop-kern.log", &text)]);
    assert_eq!(lines_of(&s, MessageKind::OverMtu), [(1, vec![15]), (2, vec![16]), (3, vec![17])]);
    assert!(s.log.iter().all(|e| e.capture == Some(0)), "{:?}", s.log);
    assert_eq!((s.log_clocks[0].capture, s.log_clocks[0].offset_ns), (0, 0));
    // A lone capture would have claimed it: the controller's matcher alone does.
    let files = paths::story();
    let mut m = framelens::log::matching::Matcher::new(vec![log("laptop-kern.log", &text)], Default::default());
    let mut scanner = framelens::scan::Scanner::new(Default::default());
    scanner.push_with_frames(&files[1].1, |r, p| m.add(r, p)).unwrap();
    let alone = m.finish(&[]);
    assert_eq!(alone.entries[2].frames, [25], "eth1's 1470-byte ping");
}

/// The story's controller kern.log beside the path captures, for the CLI's
/// tests (FRAMELENS_BLESS=1 rewrites it).
#[test]
fn committed_story_controller_log_is_what_the_generator_makes() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/path-story/controller-kern.log");
    let fresh = paths::story_kern_log(0);
    if std::env::var_os("FRAMELENS_BLESS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), fresh, "rerun with FRAMELENS_BLESS=1");
}

#[test]
fn without_logs_the_summary_has_no_log_lines() {
    let s = follow_with(Vec::new());
    assert!(s.log.is_empty() && s.log_clocks.is_empty());
    assert!(!s.findings.iter().any(|f| f.kind == PathFindingKind::KernelLog));
}
