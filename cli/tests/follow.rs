//! `--follow -`: a capture piped in chunks with pauses, as `tcpdump -U -w -`
//! writes it. The findings must come while the input is still open, the
//! summary at its end, and `--fail-on` must end the run before the input does.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

fn two_bytes() -> Vec<u8> {
    std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/examples/two-bytes.pcap")).unwrap()
}

/// The binary with its standard input open, and its output lines as they come.
fn spawn(args: &[&str]) -> (Child, ChildStdin, Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_framelens"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                return;
            }
        }
    });
    (child, stdin, rx)
}

const WAIT: Duration = Duration::from_secs(10);

#[test]
fn findings_come_while_the_input_is_still_open_and_the_summary_at_its_end() {
    let data = two_bytes();
    let (mut child, mut stdin, lines) = spawn(&["--follow", "-"]);
    // The first 7 frames (up to the 1,448-byte request), and a pause with the pipe open.
    let half = 24 + [104, 102, 548, 546, 1048, 1046, 1448].iter().map(|n| 16 + n).sum::<usize>();
    stdin.write_all(&data[..half]).unwrap();
    stdin.flush().unwrap();
    let first = lines.recv_timeout(WAIT).expect("a finding line before the input ends");
    assert!(first.starts_with("finding: All 4 frames from 3c:22:fb:10:20:30 carry 2 unexplained bytes"), "{first}");
    std::thread::sleep(Duration::from_millis(300));
    stdin.write_all(&data[half..]).unwrap();
    drop(stdin);
    let rest: Vec<String> = lines.iter().collect();
    assert!(child.wait().unwrap().success());
    assert!(
        rest.iter().any(|l| l.starts_with("changed: All 10 frames from 3c:22:fb:10:20:30")),
        "the pattern grows: {rest:#?}"
    );
    let summary = rest.iter().position(|l| l.starts_with("-: 17 frames")).expect("the summary at the end");
    assert!(rest[..summary].iter().all(|l| l.starts_with("finding: ") || l.starts_with("changed: ")), "{rest:#?}");
}

#[test]
fn json_gives_one_finding_object_per_change_then_the_summary() {
    let data = two_bytes();
    let (mut child, mut stdin, lines) = spawn(&["--follow", "--json", "-"]);
    for chunk in data.chunks(4000) {
        stdin.write_all(chunk).unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }
    drop(stdin);
    let all: Vec<serde_json::Value> = lines.iter().map(|l| serde_json::from_str(&l).unwrap()).collect();
    assert!(child.wait().unwrap().success());
    let (last, changes) = all.split_last().unwrap();
    assert_eq!(last["summary"]["counts"]["frames"], 17);
    assert!(changes.len() >= 2, "{changes:#?}");
    for c in changes {
        assert!(c["finding"]["sentence"].is_string(), "only finding objects before the summary: {c}");
    }
    // No object repeats: each line is a change.
    for w in changes.windows(2) {
        assert_ne!(w[0], w[1]);
    }
}

#[test]
fn fail_on_exits_3_as_soon_as_a_frame_has_the_kind() {
    let data = two_bytes();
    let (mut child, mut stdin, _lines) = spawn(&["--follow", "--fail-on", "trailer", "-"]);
    // Only the file header and frame 1 (which has the trailer); the pipe stays open.
    stdin.write_all(&data[..24 + 16 + 104]).unwrap();
    stdin.flush().unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed() < WAIT, "still running with the input open");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(3));
    drop(stdin);
}
