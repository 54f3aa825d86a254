//! `--filter`, `--fail-on` and `--csv` end to end: outputs, error sentences
//! and exit codes. Golden files as in `cli.rs` (FRAMELENS_BLESS=1 rewrites).

#[path = "../../crate/tests/common/mod.rs"]
mod common;
mod support;

use std::path::PathBuf;
use std::process::Command;
use support::{assert_golden as golden, root, run};

fn examples() -> PathBuf {
    root().join("static/examples")
}

fn json_frames(stdout: &str) -> Vec<u64> {
    stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter_map(|v| v["frame"].as_u64())
        .collect()
}

#[test]
fn golden_filter_on_the_two_bytes_story() {
    let (code, stdout, stderr) =
        run(&examples(), &["--filter", "frame.len > 1500 and ip.src == 192.168.10.23", "two-bytes.pcap"]);
    assert_eq!(code, 0, "{stderr}");
    golden("filter-two-bytes", &stdout);
}

#[test]
fn filter_selects_json_frames_and_the_summary_counts_them() {
    let (code, stdout, _) = run(&examples(), &["--json", "--filter", "over_mtu", "two-bytes.pcap"]);
    assert_eq!(code, 0);
    assert_eq!(json_frames(&stdout), [15, 16, 17]);
    let summary: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(summary["summary"]["counts"]["frames"], 3);
    assert_eq!(summary["summary"]["counts"]["over_mtu"], 3);
}

#[test]
fn filter_reads_standard_input_too() {
    let bytes = std::fs::read(examples().join("two-bytes.pcap")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_framelens"))
        .args(["--json", "--filter", "icmp.type == 0 and vlan.id == 100", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(json_frames(&String::from_utf8(out.stdout).unwrap()), [2, 4, 6, 8, 10, 12, 14]);
}

#[test]
fn a_bad_filter_is_a_usage_error_with_column_and_suggestion() {
    let (code, stdout, stderr) = run(&examples(), &["--filter", "ip.sorce == 10.0.0.1", "two-bytes.pcap"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(stderr, "framelens: --filter: unknown field `ip.sorce` at column 1; did you mean `ip.src`?\n");
}

#[test]
fn filter_help_lists_every_field_of_the_core_table() {
    let (code, stdout, _) = run(&examples(), &["--filter", "help"]);
    assert_eq!(code, 0);
    for f in framelens::filter::FIELDS {
        assert!(stdout.lines().any(|l| l.trim_start().starts_with(f.name)), "{} missing:\n{stdout}", f.name);
    }
}

#[test]
fn fail_on_found_kinds_exits_3_and_names_them() {
    let (code, stdout, stderr) = run(&examples(), &["--fail-on", "trailer,over-mtu,nonzero_padding", "two-bytes.pcap"]);
    assert_eq!(code, 3);
    assert!(stdout.starts_with("two-bytes.pcap: 17 frames"));
    assert_eq!(
        stderr,
        "framelens: --fail-on: 10 frames have trailer (first: frame 1)\nframelens: --fail-on: 3 frames have over-mtu (first: frame 15)\n"
    );
}

#[test]
fn fail_on_counts_only_the_filtered_frames() {
    let (code, _, _) = run(&examples(), &["--filter", "icmp.type == 0", "--fail-on", "trailer", "two-bytes.pcap"]);
    assert_eq!(code, 0, "replies carry no stray bytes");
    let (code, _, _) = run(&examples(), &["--filter", "icmp.type == 8", "--fail-on", "trailer", "two-bytes.pcap"]);
    assert_eq!(code, 3);
}

#[test]
fn fail_on_takes_region_kinds_and_refuses_unknown_ones() {
    let (code, _, _) = run(&common::captures(), &["--fail-on", "fcs", "vntag.pcap"]);
    assert_eq!(code, 3);
    let (code, _, _) = run(&common::captures(), &["--fail-on", "trailer,vendor", "vntag.pcap"]);
    assert_eq!(code, 0);
    let (code, _, stderr) = run(&examples(), &["--fail-on", "trailr", "two-bytes.pcap"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown kind `trailr`; did you mean `trailer`?"), "{stderr}");
}

/// An unreadable capture is status 1 whatever `--fail-on` found in the frames before the fault.
#[test]
fn a_corrupt_capture_exits_1_before_fail_on() {
    let (code, _, _) = run(&common::captures(), &["--fail-on", "padding,trailer,fcs_valid", "bug-6875-fuzz.pcap"]);
    assert_eq!(code, 1);
}

#[test]
fn golden_csv_of_the_filtered_list() {
    let (code, stdout, _) = run(&examples(), &["--csv", "--filter", "frame.number <= 3 or over_mtu", "two-bytes.pcap"]);
    assert_eq!(code, 0);
    golden("csv-two-bytes", &stdout);
}

#[test]
fn csv_has_one_line_per_frame_and_the_lists_columns() {
    let (code, stdout, _) = run(&examples(), &["--csv", "two-bytes.pcap"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "#,Time (s),Captured,Expected,Diff,Verdict");
    assert_eq!(lines.len(), 18);
    assert_eq!(lines[1], r#"1,0.000000,104,102,+2,2 unexplained"#);
    let (code, _, _) = run(&examples(), &["--csv", "--json", "two-bytes.pcap"]);
    assert_eq!(code, 2, "--csv and --json exclude each other");
}
