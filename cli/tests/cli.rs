//! The `framelens` binary end to end: golden human output for a handful of
//! captures, the JSON Lines contract, and exit codes. On a golden mismatch
//! both sides are printed; FRAMELENS_BLESS=1 rewrites the golden files.

// The corpus helpers of the core crate's tests: one definition of where
// tests/captures is, and of the message when it is missing.
#[path = "../../crate/tests/common/mod.rs"]
mod common;
mod support;

use common::captures;
use std::path::{Path, PathBuf};
use support::{assert_golden, root, run};

fn golden(name: &str, dir: &Path, file: &str, expect_code: i32) {
    let (code, stdout, stderr) = run(dir, &[file]);
    assert_eq!(code, expect_code, "exit code for {file}; stderr: {stderr}");
    assert_golden(name, &stdout);
}

#[test]
fn golden_two_bytes_story() {
    golden("two-bytes", &root().join("static/examples"), "two-bytes.pcap", 0);
}

#[test]
fn golden_nonzero_padding() {
    golden("udp-trailers", &captures(), "udpPacketWithEthernetTrailers.pcap", 0);
}

#[test]
fn golden_qinq_padding() {
    golden("qinq", &captures(), "802.1ad_QinQ.pcap", 0);
}

#[test]
fn golden_f5_vendor_trailer() {
    golden("mixed-vlan-mpls", &captures(), "mixed-vlan-mpls.pcap", 0);
}

#[test]
fn golden_valid_fcs_after_vlan() {
    golden("vntag", &captures(), "vntag.pcap", 0);
}

#[test]
fn golden_corrupt_capture_keeps_frames_and_exits_1() {
    golden("bug-6875-fuzz", &captures(), "bug-6875-fuzz.pcap", 1);
}

#[test]
fn json_lines_carry_the_documented_fields() {
    let (code, stdout, _) = run(&captures(), &["--json", "802.1ad_QinQ.pcap"]);
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    let f = &lines[0];
    for key in ["frame", "caplen", "len", "l3_end", "extra", "regions", "fcs", "truncated"] {
        assert!(f.get(key).is_some(), "missing {key} in {f}");
    }
    assert_eq!(f["frame"], 1);
    assert_eq!(f["l3_end"], 50);
    assert_eq!(f["extra"], 14);
    assert_eq!(f["regions"][0]["kind"], "padding");
    assert_eq!(f["regions"][0]["start"], 50);
    assert_eq!(f["regions"][0]["len"], 14);
    assert_eq!(f["regions"][0]["nonzero"], false);
    assert_eq!(f["fcs"], "absent");
    assert_eq!(lines[2]["summary"]["counts"]["frames"], 2);
    assert!(lines[2]["summary"]["error"].is_null());
}

/// Counts were keyed `claim_overrun` and `inner_mismatch` while frames said
/// `length_claim_overrun` and `inner_length_mismatch`, and some findings were
/// never counted: now every per-frame finding is counted under its frame name.
#[test]
fn counts_use_the_frames_finding_names_and_count_every_finding() {
    let (code, stdout, _) = run(&root().join("static/examples"), &["--json", "vntag.pcap"]);
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let counts = lines.last().unwrap()["summary"]["counts"].as_object().unwrap().clone();
    // serde_json's map sorts its keys: read their order from the line itself.
    let raw = stdout.lines().last().unwrap();
    let raw = &raw[raw.find("\"counts\"").unwrap()..];
    let raw = &raw[..raw.find('}').unwrap()];
    let mut keys: Vec<&str> = counts.keys().map(String::as_str).collect();
    keys.sort_by_key(|k| raw.find(&format!("\"{k}\":")).unwrap());
    let findings = [
        "padding",
        "nonzero_padding",
        "trailer",
        "vendor",
        "fcs_valid",
        "fcs_invalid",
        "fcs_unknown",
        "fcs_unannounced",
        "fcs_metadata_contradicted",
        "crc_error_flag",
        "truncated",
        "length_claim_overrun",
        "inner_length_mismatch",
        "contradictory_length",
        "tso_zero_length",
        "runt",
        "end_unknown",
        "unsupported_link",
        "ipv6_zero_length",
        "superframe",
    ];
    let mut want = vec!["frames", "bytes_captured", "bytes_original"];
    want.extend(findings);
    want.push("over_mtu");
    assert_eq!(keys, want);
    // Each frame's findings are counted under the same name.
    for line in &lines[..lines.len() - 1] {
        for f in line["findings"].as_array().unwrap() {
            assert!(counts.contains_key(f.as_str().unwrap()), "{f} is not counted");
        }
    }
    assert_eq!(counts["fcs_valid"], 3);
    assert_eq!(counts["fcs_unannounced"], 3, "FCS findings beyond valid/invalid are counted too");
}

#[test]
fn json_of_a_corrupt_capture_ends_with_the_error() {
    let (code, stdout, stderr) = run(&captures(), &["--json", "bug-6875-fuzz.pcap"]);
    assert_eq!(code, 1);
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["summary"]["error"]["offset"], 228);
    assert!(last["summary"]["error"]["message"].as_str().unwrap().contains("Record 2 at byte 228"));
    assert_eq!(stdout.lines().count(), 2, "the one frame before the fault, then the summary");
    assert!(stderr.contains("byte 228"));
}

#[test]
fn valid_fcs_is_reported_where_tshark_says_trailer() {
    let (_, stdout, _) = run(&captures(), &["--json", "802.1ad_vlan_ipv4.pcap"]);
    let f: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(f["fcs"], "valid");
    let last = &f["regions"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "fcs");
    assert_eq!(last["valid"], true);
}

#[test]
fn usage_errors_exit_2_and_unreadable_files_exit_1() {
    let (code, _, _) = run(&root(), &["--mtu", "abc", "x.pcap"]);
    assert_eq!(code, 2);
    let (code, _, _) = run(&root(), &["--rule", "switch", "x.pcap"]);
    assert_eq!(code, 2);
    let (code, _, stderr) = run(&root(), &["does-not-exist.pcap"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot open does-not-exist.pcap"), "{stderr}");
    let (code, _, stderr) = run(&root(), &["Cargo.toml"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("Not a pcap or pcapng capture"), "{stderr}");
}

#[test]
fn mtu_and_rule_options_change_the_verdict() {
    let dir = root().join("static/examples");
    let (_, ovs, _) = run(&dir, &["--json", "two-bytes.pcap"]);
    let (_, jumbo, _) = run(&dir, &["--json", "--mtu", "9000", "two-bytes.pcap"]);
    let (_, router, _) = run(&dir, &["--json", "--rule", "ip-router", "two-bytes.pcap"]);
    let dropped = |s: &str| s.lines().filter(|l| l.contains("\"over_mtu\":true")).count();
    assert_eq!((dropped(&ovs), dropped(&jumbo), dropped(&router)), (3, 0, 0));
}

/// `--log` (repeatable) adds `"log"` after the summary's own fields, one
/// entry per recognised line with the frames it is about, and the log's
/// findings; without it the summary is unchanged.
#[test]
fn json_log_array_ties_kern_log_lines_to_frames() {
    let dir = root().join("static/examples");
    let (code, stdout, stderr) =
        run(&dir, &["--json", "--log", "two-bytes-kern.log", "--log", "two-bytes-kern.log", "two-bytes.pcap"]);
    assert_eq!(code, 0, "{stderr}");
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    let s = &last["summary"];
    assert!(stdout.lines().last().unwrap().contains(r#""error":null,"log":[{"file":"#), "\"log\" comes last");
    let log = s["log"].as_array().unwrap();
    assert_eq!(log.len(), 12, "6 recognised lines in each of the two files");
    assert_eq!(
        log[2],
        serde_json::json!({"file": "two-bytes-kern.log", "line": 5, "time_ns": 1_500_000_007_002_750_000i64,
            "device": "qg-4c2a1b3d-5e", "kind": "over_mtu",
            "text": "qg-4c2a1b3d-5e: dropped over-mtu packet: 1502 > 1500", "frames": [15]})
    );
    // Each file claims a frame once; the second file (another hop) may name the same frames.
    assert_eq!(log[8]["frames"], serde_json::json!([15]));
    let kinds: Vec<&str> = s["findings"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"kernel_log"), "{kinds:?}");
    let sweep = s["findings"].as_array().unwrap().iter().find(|f| f["kind"] == "ping_sweep").unwrap();
    assert_eq!(sweep["facts"]["bytes_short_of_mtu"], 2);

    let (_, plain, _) = run(&dir, &["--json", "two-bytes.pcap"]);
    let plain: serde_json::Value = serde_json::from_str(plain.lines().last().unwrap()).unwrap();
    assert!(plain["summary"].get("log").is_none());
}

#[test]
fn a_missing_log_file_is_an_error_naming_it() {
    let (code, _, stderr) = run(&root().join("static/examples"), &["--log", "no-such.log", "two-bytes.pcap"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot open log no-such.log"), "{stderr}");
}

fn story_dir() -> PathBuf {
    root().join("static/path-story")
}

#[test]
fn path_json_lines_follow_the_contract_in_order() {
    let (code, stdout, stderr) = run(&story_dir(), &["path", "--json", "laptop.pcap", "controller.pcapng"]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // 3 points, 18 journeys (the ARP is one of them), the summary last.
    assert_eq!(lines.len(), 3 + 18 + 1);
    let p: Vec<&serde_json::Value> = lines[..3].iter().map(|l| &l["point"]).collect();
    assert_eq!(
        p[1],
        &serde_json::json!({"index": 1, "file": "controller.pcapng", "interface": 0, "name": "eth1", "link_type": 1, "frames": 17})
    );
    assert_eq!(p[0]["name"], serde_json::Value::Null);
    assert_eq!((p[0]["file"].as_str(), p[0]["interface"].as_u64()), (Some("laptop.pcap"), Some(0)));
    assert_eq!(p[2]["name"], "qr-5d0a1c2e-7f");
    let journeys: Vec<&serde_json::Value> = lines[3..21].iter().map(|l| &l["journey"]).collect();
    for (i, j) in journeys.iter().enumerate() {
        assert_eq!(j["index"], i as u64, "journeys come in order of first sighting");
        for key in ["seen", "lost_after", "changes"] {
            assert!(j.get(key).is_some(), "missing {key} in {j}");
        }
    }
    let first = journeys[1];
    assert_eq!(
        first["seen"][1],
        serde_json::json!({"point": 1, "frame": 1, "time_ns": 1_733_050_803_217_560_000i64, "len": 104, "datagram": 84, "extra": 2})
    );
    assert_eq!(first["changes"][1], "laptop.pcap · 0 → controller.pcapng · eth1: +2 unexplained bytes 25 7f");
    let lost: Vec<u64> =
        journeys.iter().filter(|j| !j["lost_after"].is_null()).map(|j| j["index"].as_u64().unwrap()).collect();
    assert_eq!(lost, [15, 16, 17]);
    assert_eq!(journeys[15]["lost_after"], 1);
    let s = &lines[21]["path_summary"];
    assert_eq!(s["points_in_order"], serde_json::json!([0, 1, 2]));
    let offsets = s["clock_offsets_ns"].as_object().unwrap();
    // The reference clock first (serde_json's map sorts keys, so read the line itself).
    assert!(stdout.lines().last().unwrap().contains(r#""clock_offsets_ns":{"laptop.pcap":0,"controller.pcapng":"#));
    assert_eq!(offsets["laptop.pcap"], 0);
    let ahead = offsets["controller.pcapng"].as_i64().unwrap();
    assert!((ahead - 3_217_250_000).abs() < 5_000, "{ahead}");
    let loss = &s["findings"][0];
    assert_eq!(loss["kind"], "loss");
    assert_eq!(loss["journeys"], serde_json::json!([15, 16, 17]));
    assert!(loss["sentence"].as_str().unwrap().starts_with("3 packets reach `controller.pcapng · eth1`"));
}

#[test]
fn path_frame_numbers_are_the_single_file_numbers() {
    // A journey's frame at a point is the frame `framelens --json FILE` numbers the same.
    let (_, path_out, _) = run(&story_dir(), &["path", "--json", "laptop.pcap", "controller.pcapng"]);
    let (_, file_out, _) = run(&story_dir(), &["--json", "controller.pcapng"]);
    let frames: Vec<serde_json::Value> = file_out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    for line in path_out.lines().filter(|l| l.starts_with("{\"journey\"")) {
        let j: serde_json::Value = serde_json::from_str(line).unwrap();
        for s in j["journey"]["seen"].as_array().unwrap().iter().filter(|s| s["point"] != 0) {
            let f = &frames[s["frame"].as_u64().unwrap() as usize - 1];
            assert_eq!(
                (&f["frame"], &f["timestamp_ns"], &f["len"], &f["extra"]),
                (&s["frame"], &s["time_ns"], &s["len"], &s["extra"])
            );
        }
    }
}

#[test]
fn golden_path_story_human_output() {
    let (code, stdout, stderr) = run(&story_dir(), &["path", "--examples", "3", "laptop.pcap", "controller.pcapng"]);
    assert_eq!(code, 0, "{stderr}");
    assert_golden("path-story", &stdout);
}

#[test]
fn path_unreadable_capture_prints_what_was_read_and_exits_1() {
    let (code, stdout, stderr) = run(&story_dir(), &["path", "--json", "laptop.pcap", "missing.pcapng"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot open missing.pcapng"), "{stderr}");
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["path_summary"]["errors"][0]["file"], "missing.pcapng");
    // The laptop's 18 frames (17 IP packets and its ARP) are still journeys of one point each.
    assert_eq!(stdout.lines().filter(|l| l.starts_with("{\"journey\"")).count(), 18);
}

#[test]
fn path_usage_errors_exit_2() {
    let (code, _, _) = run(&story_dir(), &["path", "-"]);
    assert_eq!(code, 2);
    let (code, _, _) = run(&story_dir(), &["path"]);
    assert_eq!(code, 2);
    let (code, _, _) = run(&story_dir(), &["path", "--mtu", "10", "laptop.pcap"]);
    assert_eq!(code, 2);
}

#[test]
fn path_with_a_missing_log_is_an_error_naming_it() {
    let (code, stdout, stderr) = run(&story_dir(), &["path", "--log", "no-such.log", "laptop.pcap"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot open log no-such.log"), "{stderr}");
    assert!(stdout.is_empty());
}

const STORY_LOG: &str = "controller-kern.log";

#[test]
fn path_json_log_lines_come_before_the_summary_with_their_journeys() {
    let (code, stdout, stderr) =
        run(&story_dir(), &["path", "--json", "--log", STORY_LOG, "laptop.pcap", "controller.pcapng"]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // 3 points, 18 journeys, 6 recognised log lines, the summary last.
    assert_eq!(lines.len(), 3 + 18 + 6 + 1);
    assert!(lines[3..21].iter().all(|l| l.get("journey").is_some()));
    let log: Vec<&serde_json::Value> = lines[21..27].iter().map(|l| &l["log"]).collect();
    assert_eq!(
        log[2],
        &serde_json::json!({"file": STORY_LOG, "line": 4, "time_ns": 1_733_050_810_217_605_000i64,
            "device": "qg-3f9c2b71-a4", "kind": "over_mtu",
            "text": "qg-3f9c2b71-a4: dropped over-mtu packet: 1502 > 1500", "journeys": [15]})
    );
    // Keys in the contract's order.
    assert!(stdout.lines().nth(23).unwrap().starts_with(
        r#"{"log":{"file":"controller-kern.log","line":4,"time_ns":1733050810217605000,"device":"qg-3f9c2b71-a4","kind":"over_mtu","text":"#
    ));
    let about: Vec<(u64, &serde_json::Value)> =
        log.iter().map(|l| (l["line"].as_u64().unwrap(), &l["journeys"])).collect();
    use serde_json::json;
    assert_eq!(
        about,
        [(1, &json!([])), (2, &json!([])), (4, &json!([15])), (5, &json!([16])), (6, &json!([17])), (7, &json!([]))],
        "the driver lines match nothing; line 7 is about another router's port on a path no capture saw"
    );
    assert_eq!(log[5]["device"], "qg-4c2a1b3d-5e");
    let s = &lines[27]["path_summary"];
    let loss = s["findings"][0]["sentence"].as_str().unwrap();
    assert!(loss.contains("The kernel log controller-kern.log says `qg-3f9c2b71-a4: dropped over-mtu packet: 1502 > 1500` about all 3 of these packets"), "{loss}");
    let kinds: Vec<&str> = s["findings"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"kernel_log"), "{kinds:?}");
    let ahead = s["log_clock_offsets_ns"][STORY_LOG].as_i64().unwrap();
    assert_eq!(ahead, s["clock_offsets_ns"]["controller.pcapng"].as_i64().unwrap(), "the controller's own clock");
    // Without --log the summary has no log offsets and no log lines.
    let (_, plain, _) = run(&story_dir(), &["path", "--json", "laptop.pcap", "controller.pcapng"]);
    assert!(!plain.contains("\"log\"") && !plain.contains("log_clock_offsets_ns"));
}

#[test]
fn path_log_whose_clock_is_seconds_off_still_names_the_lost_journeys() {
    // The story's drop lines from a host whose clock runs 7 s behind the controller's.
    let text = "2024-12-01T11:00:03.217605+00:00 node-2 kernel: qg-3f9c2b71-a4: dropped over-mtu packet: 1502 > 1500\n\
        2024-12-01T11:00:04.217605+00:00 node-2 kernel: qg-3f9c2b71-a4: dropped over-mtu packet: 1502 > 1500\n\
        2024-12-01T11:00:05.217605+00:00 node-2 kernel: qg-3f9c2b71-a4: dropped over-mtu packet: 1502 > 1500\n\
        2024-12-01T11:00:05.617250+00:00 node-2 kernel: qg-4c2a1b3d-5e: dropped over-mtu packet: 1508 > 1500\n";
    let path = std::env::temp_dir().join(format!("framelens-cli-skewed-{}.log", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let log = path.to_str().unwrap();
    let (code, stdout, stderr) =
        run(&story_dir(), &["path", "--json", "--log", log, "laptop.pcap", "controller.pcapng"]);
    std::fs::remove_file(&path).ok();
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let journeys: Vec<&serde_json::Value> = lines.iter().filter_map(|l| l.get("log")).map(|l| &l["journeys"]).collect();
    assert_eq!(
        journeys,
        [&serde_json::json!([15]), &serde_json::json!([16]), &serde_json::json!([17]), &serde_json::json!([])]
    );
    let s = &lines.last().unwrap()["path_summary"];
    let controller = s["clock_offsets_ns"]["controller.pcapng"].as_i64().unwrap();
    let off = s["log_clock_offsets_ns"][log].as_i64().unwrap();
    assert!((off - (controller - 7_000_000_000)).abs() < 1_000_000, "{off}");
}

#[test]
fn golden_path_story_with_its_kernel_log() {
    let (code, stdout, stderr) =
        run(&story_dir(), &["path", "--examples", "3", "--log", STORY_LOG, "laptop.pcap", "controller.pcapng"]);
    assert_eq!(code, 0, "{stderr}");
    assert_golden("path-story-log", &stdout);
}

#[test]
fn path_journey_markdown_and_share_print_the_lost_ping() {
    let files = ["laptop.pcap", "controller.pcapng"];
    // Journey 15 is the first 1472-byte ping, lost after eth1 (as the JSON says).
    let (_, json, _) = run(&story_dir(), &["path", "--json", files[0], files[1]]);
    let line = json.lines().find(|l| l.starts_with("{\"journey\":{\"index\":15,")).unwrap();
    let j: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(j["journey"]["lost_after"], 1);

    let (code, md, stderr) = run(&story_dir(), &["path", "--journey", "15", "--markdown", files[0], files[1]]);
    assert_eq!(code, 0, "{stderr}");
    assert!(md.starts_with("## Packet #16: seen at 2 points, lost after `controller.pcapng · eth1`\n"), "{md}");
    assert!(md.contains("| `laptop.pcap · 0` | 16 | +0 µs | 1,514 | 1,500 | 0 |\n"), "{md}");
    assert!(md.contains("| `controller.pcapng · eth1` | 29 | +308 µs | 1,520 | 1,500 | 2 |\n"), "{md}");
    assert!(md.contains("- laptop.pcap · 0 → controller.pcapng · eth1: +2 unexplained bytes 25 7f\n"), "{md}");
    assert!(!md.contains("Payload bytes are zeros"), "the report is of the frames as captured");

    let (code, out, stderr) = run(&story_dir(), &["path", "--journey", "15", "--share", files[0], files[1]]);
    assert_eq!(code, 0, "{stderr}");
    let link = out.trim_end();
    assert!(link.starts_with("#share=v2."), "{link}");
    let shared = framelens::explain::share::SharedJourney::decode(link).unwrap();
    assert!(shared.headers_only);
    assert_eq!(shared.index, 15);
    let frames: Vec<u64> = shared.seen.iter().map(|s| s.frame.frame_number.unwrap()).collect();
    let json_frames: Vec<u64> =
        j["journey"]["seen"].as_array().unwrap().iter().map(|s| s["frame"].as_u64().unwrap()).collect();
    assert_eq!(frames, json_frames, "the same frames as the JSON contract");
    assert_eq!(shared.lost.unwrap().before, "controller.pcapng · qr-5d0a1c2e-7f");
    // Its report is the CLI's, but for the headers-only note.
    let report =
        framelens::explain::ticket::journey_markdown(&framelens::explain::share::SharedJourney::decode(link).unwrap());
    assert_eq!(report.replace("Payload bytes are zeros in the shared frames (headers only); lengths, headers and the bytes after each datagram are as captured.\n", ""), md);

    let (_, full, _) = run(&story_dir(), &["path", "--journey", "15", "--share", "--full-bytes", files[0], files[1]]);
    let full = framelens::explain::share::SharedJourney::decode(full.trim_end()).unwrap();
    assert!(!full.headers_only && full.seen[0].frame.data[42..].iter().any(|&b| b != 0));
}

#[test]
fn path_journey_options_need_each_other_and_a_journey_that_exists() {
    let files = ["laptop.pcap", "controller.pcapng"];
    for args in [
        &["--journey", "1"][..],
        &["--markdown"][..],
        &["--share"][..],
        &["--journey", "1", "--share", "--json"][..],
        &["--full-bytes"][..],
    ] {
        let mut all = vec!["path"];
        all.extend_from_slice(args);
        all.extend_from_slice(&files);
        let (code, stdout, stderr) = run(&story_dir(), &all);
        assert_eq!((code, stdout.as_str()), (2, ""), "{args:?}: {stderr}");
        assert!(stderr.starts_with("framelens: --"), "{args:?}: {stderr}");
    }
    let (code, stdout, stderr) = run(&story_dir(), &["path", "--journey", "99", "--markdown", files[0], files[1]]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(stderr, "framelens: no journey 99: the captures gave 18 (0 to 17)\n");
}
