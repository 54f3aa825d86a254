//! Kernel logs beside captures (issue 12, part 1): the story's kern.log
//! matched to its frames, with a clock offset, a rate-limited line and a
//! drop on a port the capture did not see; and a 1 GB log streamed with
//! bounded memory.

use framelens::craft::{two_bytes_kern_log, two_bytes_story};
use framelens::log::line::{LineReader, MAX_LINE_LEN, READ_BUFFER};
use framelens::log::matching::{LogReport, LogSettings, Matcher};
use framelens::log::message::MessageKind;
use framelens::log::read_log;
use framelens::scan::summary::FindingKind;
use framelens::scan::Scanner;
use framelens::settings::Settings;
use std::io::Read;

fn story_with_log(behind_ns: i64) -> LogReport {
    let log = read_log("kern.log", two_bytes_kern_log(behind_ns).as_bytes()).unwrap();
    let mut m = Matcher::new(vec![log], LogSettings::default());
    let mut scanner = Scanner::new(Settings::default());
    scanner.push_with_frames(&two_bytes_story(), |r, p| m.add(r, p)).unwrap();
    let mut summary = scanner.finish();
    let before = summary.findings.len();
    let report = m.finish_into(&mut summary);
    // Both faces print the summary: it says what the log says, after the capture's own.
    assert_eq!(summary.findings[before..], report.findings[..]);
    report
}

fn frames_of(r: &LogReport, kind: MessageKind) -> Vec<Vec<u64>> {
    r.entries.iter().filter(|e| e.fields.kind == kind).map(|e| e.frames.clone()).collect()
}

#[test]
fn drop_lines_match_the_story_frames_whose_l2_payload_is_their_n() {
    let r = story_with_log(0);
    assert_eq!(frames_of(&r, MessageKind::OverMtu), [vec![15], vec![16], vec![]]);
    let kinds: Vec<MessageKind> = r.entries.iter().map(|e| e.fields.kind).collect();
    assert_eq!(
        kinds,
        [
            MessageKind::Driver,
            MessageKind::Link,
            MessageKind::OverMtu,
            MessageKind::OverMtu,
            MessageKind::RateLimited,
            MessageKind::OverMtu
        ]
    );
    let e = &r.entries[2];
    assert_eq!(
        (e.fields.file.as_str(), e.fields.line, e.fields.device.as_deref()),
        ("kern.log", 5, Some("qg-4c2a1b3d-5e"))
    );
    assert_eq!(e.fields.text, "qg-4c2a1b3d-5e: dropped over-mtu packet: 1502 > 1500");
    let sentences: Vec<&str> =
        r.findings.iter().filter(|f| f.kind == FindingKind::KernelLog).map(|f| f.sentence.as_str()).collect();
    assert_eq!(
        sentences,
        [
            "2 of 3 'dropped over-mtu packet' lines of kern.log are frames of 3c:22:fb:10:20:30 carrying 2 extra bytes; \
             the log names the NIC's driver ax88179_178a (on eth1), known to append 2 bytes (the ASIX AX88179/178A USB \
             3.0 Gigabit driver bug).",
            "1 'dropped over-mtu packet' line of kern.log (device qg-77aa0c1e-02) matches no captured frame: drops on \
             a path that was not captured, or outside the capture's time.",
            "net_ratelimit suppressed 1 message in kern.log: some drop lines are missing, so the log's counts are \
             lower bounds.",
        ]
    );
}

#[test]
fn a_log_clock_two_minutes_behind_is_found_and_reported() {
    let r = story_with_log(120_000_000_000);
    assert_eq!(frames_of(&r, MessageKind::OverMtu), [vec![15], vec![16], vec![]]);
    assert_eq!(r.clocks.len(), 1);
    let off = r.clocks[0].offset_ns;
    assert!((off - 120_000_000_000).abs() < 10_000_000, "offset {off}");
    assert!(
        r.findings[0].sentence.contains("The capture's clock is 119.999 s ahead of kern.log's"),
        "{}",
        r.findings[0].sentence
    );
}

#[test]
fn dmesg_seconds_since_boot_find_their_boot_time_from_the_matches() {
    // The same drops as `dmesg` prints them: seconds since a boot an hour before the pings.
    let boot = framelens::craft::two_bytes_request_ns(0) as i64 - 3_600_000_000_000;
    let line = |i: u64| {
        let t = framelens::craft::two_bytes_request_ns(i) as i64 - boot;
        format!(
            "[{:5}.{:06}] qg-1: dropped over-mtu packet: 1502 > 1500\n",
            t / 1_000_000_000,
            t % 1_000_000_000 / 1000
        )
    };
    let text = format!("{}{}{}", line(7), line(8), line(9));
    let log = read_log("dmesg.txt", text.as_bytes()).unwrap();
    let mut m = Matcher::new(vec![log], LogSettings::default());
    let mut scanner = Scanner::new(Settings::default());
    scanner.push_with_frames(&two_bytes_story(), |r, p| m.add(r, p)).unwrap();
    let r = m.finish(&[]);
    assert_eq!(frames_of(&r, MessageKind::OverMtu), [vec![15], vec![16], vec![17]]);
    assert!((r.clocks[0].offset_ns - boot).abs() < 1_000_000);
}

/// Generates a kernel log on the fly: mostly ordinary kernel chatter in
/// rsyslog's format, a drop line every 1,000 lines, and now and then junk.
struct GeneratedLog {
    left: u64,
    n: u64,
    pending: Vec<u8>,
    at: usize,
}

impl Read for GeneratedLog {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.pending.len() {
            if self.left == 0 {
                return Ok(0);
            }
            self.pending.clear();
            self.at = 0;
            while self.pending.len() < 1 << 16 {
                self.n += 1;
                let line: &[u8] = match self.n % 1000 {
                    0 => b"2024-12-01T10:00:10.417450+00:00 node-2 kernel: qg-1: dropped over-mtu packet: 1502 > 1500\n",
                    500 => b"\x00\x01binary\xff junk\n",
                    _ => b"2024-12-01T10:00:10.417450+00:00 node-2 kernel: audit: type=1400 audit(1733047210.417:42): apparmor=\"STATUS\"\n",
                };
                self.pending.extend_from_slice(line);
            }
            let take = (self.pending.len() as u64).min(self.left) as usize;
            self.pending.truncate(take);
            self.left -= take as u64;
        }
        let n = out.len().min(self.pending.len() - self.at);
        out[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[test]
fn a_1_gb_log_streams_with_bounded_buffering() {
    const SIZE: u64 = 1 << 30;
    let start = std::time::Instant::now();
    let mut r = LineReader::new(GeneratedLog { left: SIZE, n: 0, pending: Vec::new(), at: 0 });
    assert_eq!(r.buffered_bound(), READ_BUFFER + MAX_LINE_LEN);
    let mut lines = 0u64;
    let mut drops = 0u64;
    while let Some(l) = r.next_line().unwrap() {
        lines += 1;
        if let framelens::log::line::Line::Text(t) = l {
            if lines % 1000 == 0 {
                let p = framelens::log::line::parse(t).unwrap();
                drops += u64::from(framelens::log::message::recognise(&p.message).is_some());
            }
        }
    }
    assert_eq!(r.buffered_bound(), READ_BUFFER + MAX_LINE_LEN, "the reader never grew");
    assert!(lines > 9_000_000, "{lines} lines");
    assert!(drops > 9_000, "{drops}");
    eprintln!(
        "1 GiB: {lines} lines in {:?} ({:.0} lines/s)",
        start.elapsed(),
        lines as f64 / start.elapsed().as_secs_f64()
    );
}

#[test]
fn read_log_over_a_generated_stream_keeps_at_most_max_kept_lines() {
    // 16 MiB through the whole reader (format detection and recognition on every line).
    let start = std::time::Instant::now();
    let f = read_log("big.log", GeneratedLog { left: 16 << 20, n: 0, pending: Vec::new(), at: 0 }).unwrap();
    assert_eq!(f.recognised.len(), framelens::log::MAX_KEPT.min(f.recognised.len()));
    assert!(f.binary > 100 && f.unrecognised > 100_000, "{} binary, {} unrecognised", f.binary, f.unrecognised);
    eprintln!("16 MiB through read_log: {} lines in {:?}", f.lines, start.elapsed());
}

/// The story's kern.log beside `static/examples/two-bytes.pcap`, for the CLI's
/// tests and the lessons (FRAMELENS_BLESS=1 rewrites it).
#[test]
fn committed_story_log_is_what_the_generator_makes() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/examples/two-bytes-kern.log");
    let fresh = two_bytes_kern_log(0);
    if std::env::var_os("FRAMELENS_BLESS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), fresh, "rerun with FRAMELENS_BLESS=1");
}
