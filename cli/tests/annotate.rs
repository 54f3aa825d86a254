//! `--annotate`, `--annotate-all` and `--trim` end to end: the written pcapng
//! read back by Framelens itself and by tshark (where it is installed), the
//! summary on standard output unchanged, `--filter` choosing the frames, and
//! the usage errors.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::root;

fn input(rel: &str) -> String {
    root().join(rel).to_string_lossy().into_owned()
}

/// `framelens ARGS` (the inputs are absolute paths).
fn run(args: &[&str]) -> (i32, String, String) {
    support::run(&root(), args)
}

/// A fresh output path for one test.
fn out_path(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("framelens-annotate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).to_string_lossy().into_owned()
}

/// `framelens --json FILE`: the frame lines.
fn json_frames(file: &str) -> Vec<serde_json::Value> {
    let (code, stdout, stderr) = run(&["--json", file]);
    assert_eq!(code, 0, "{stderr}");
    stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v.get("frame").is_some())
        .collect()
}

fn tshark() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("tshark")).find(|p| p.is_file())
}

/// tshark's `frame.number` and `frame.comment` for every frame of `file`.
fn tshark_comments(tshark: &Path, file: &str) -> Vec<(u64, String)> {
    let out = Command::new(tshark)
        .args(["-n", "-r", file, "-T", "fields", "-e", "frame.number", "-e", "frame.comment"])
        .output()
        .unwrap();
    assert!(out.status.success(), "tshark failed on {file}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (n, c) = l.split_once('\t').unwrap_or((l, ""));
            (n.parse().unwrap(), c.to_string())
        })
        .collect()
}

#[test]
fn the_summary_is_unchanged_and_the_file_reads_back_frame_for_frame() {
    let two = input("static/examples/two-bytes.pcap");
    let out = out_path("two-bytes.pcapng");
    let plain = run(&[&two]);
    let annotated = run(&["--annotate", &out, &two]);
    assert_eq!(plain, annotated, "--annotate changes nothing on standard output");
    let (a, b) = (json_frames(&two), json_frames(&out));
    assert_eq!(a.len(), 17);
    for (x, y) in a.iter().zip(&b) {
        for key in ["frame", "timestamp_ns", "caplen", "len", "regions", "findings", "extra"] {
            assert_eq!(x.get(key), y.get(key), "frame {}: {key}", x["frame"]);
        }
    }
}

#[test]
fn tshark_reads_every_frame_and_shows_the_comments() {
    let Some(tshark) = tshark() else {
        eprintln!("skipped: tshark is not installed (it is an optional external tool); install it to run this test");
        return;
    };
    let two = input("static/examples/two-bytes.pcap");
    let out = out_path("two-bytes-tshark.pcapng");
    assert_eq!(run(&["--annotate", &out, &two]).0, 0);
    let rows = tshark_comments(&tshark, &out);
    assert_eq!(rows.len(), 17, "{rows:?}");
    let commented: Vec<u64> = rows.iter().filter(|(_, c)| !c.is_empty()).map(|(n, _)| *n).collect();
    assert_eq!(commented, [1, 3, 5, 7, 9, 11, 13, 15, 16, 17]);
    assert_eq!(rows[0].1, "2 unexplained bytes after the IPv4 datagram at 102–103 (25 7f)");
    assert_eq!(
        rows[14].1,
        "2 unexplained bytes after the IPv4 datagram at 1518–1519 (25 7f); \
         Open vSwitch (kernel datapath) drops it: <dev>: dropped over-mtu packet: 1502 > 1500"
    );
    // Several interfaces (and if_fcslen): tshark sees as many frames as in the input, on the same interfaces.
    for rel in ["static/examples/fcs.pcapng", "tests/captures/many_interfaces-1.pcapng"] {
        let file = input(rel);
        let out = out_path("multi.pcapng");
        assert_eq!(run(&["--annotate", &out, "--annotate-all", &file]).0, 0);
        let fields = |f: &str| {
            let o = Command::new(&tshark)
                .args([
                    "-n",
                    "-r",
                    f,
                    "-T",
                    "fields",
                    "-e",
                    "frame.interface_id",
                    "-e",
                    "frame.time_epoch",
                    "-e",
                    "frame.len",
                    "-e",
                    "frame.cap_len",
                ])
                .output()
                .unwrap();
            String::from_utf8(o.stdout).unwrap()
        };
        assert_eq!(fields(&file), fields(&out), "{rel}: interface, time and lengths as tshark reads them");
        assert!(tshark_comments(&tshark, &out).iter().all(|(_, c)| !c.is_empty()), "{rel}: --annotate-all");
    }
    // --trim: tshark sees no trailer any more, and the comment says what was cut.
    let out = out_path("trimmed.pcapng");
    assert_eq!(run(&["--annotate", &out, "--trim", &two]).0, 0);
    let o = Command::new(&tshark).args(["-n", "-r", &out, "-T", "fields", "-e", "eth.trailer"]).output().unwrap();
    assert!(String::from_utf8(o.stdout).unwrap().lines().all(str::is_empty));
    assert!(tshark_comments(&tshark, &out)[0].1.ends_with("; trimmed 2 bytes 25 7f after the datagram (unexplained)"));
}

#[test]
fn filter_selects_the_frames_written() {
    let two = input("static/examples/two-bytes.pcap");
    let out = out_path("over-mtu.pcapng");
    let (code, _, stderr) = run(&["--annotate", &out, "--filter", "over_mtu", &two]);
    assert_eq!(code, 0, "{stderr}");
    let frames = json_frames(&out);
    let lens: Vec<u64> = frames.iter().map(|f| f["caplen"].as_u64().unwrap()).collect();
    assert_eq!(lens, [1520, 1520, 1520]);
}

#[test]
fn trim_fixes_lengths_and_fcs_padding_are_cut_when_named() {
    let two = input("static/examples/two-bytes.pcap");
    let out = out_path("trim.pcapng");
    assert_eq!(run(&["--annotate", &out, "--trim", &two]).0, 0);
    let frames = json_frames(&out);
    assert!(frames.iter().all(|f| f["regions"].as_array().is_none_or(|r| r.is_empty())), "{frames:?}");
    assert_eq!(frames[14]["caplen"], 1518);
    assert_eq!(frames[14]["len"], 1518);
    let fcs = input("static/examples/fcs.pcapng");
    assert_eq!(run(&["--annotate", &out, "--trim=fcs,padding", &fcs]).0, 0);
    assert!(json_frames(&out).iter().all(|f| f["regions"].as_array().is_none_or(|r| r.is_empty())));
}

#[test]
fn usage_errors_exit_2() {
    let two = input("static/examples/two-bytes.pcap");
    let (code, _, stderr) = run(&["--trim", &two]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--annotate"), "{stderr}");
    let out = out_path("never.pcapng");
    let (code, _, stderr) = run(&["--annotate", &out, "--trim=fsc", &two]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown kind `fsc`"), "{stderr}");
    let (code, _, stderr) = run(&["--annotate", "/nonexistent-dir/x.pcapng", &two]);
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot create /nonexistent-dir/x.pcapng"), "{stderr}");
}
