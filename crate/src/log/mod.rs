//! Kernel logs beside captures: the device that drops a packet usually says
//! so (`qg-…: dropped over-mtu packet: 1502 > 1500`). This stage reads such
//! logs and ties every line that matters to the frames it is about.
//!
//! - [`line`]: lines with bounded memory, and their timestamp formats
//!   (RFC 3339 as rsyslog writes it, traditional syslog, `dmesg`,
//!   `journalctl -o short-iso-precise` and `-o json`), detected per line;
//! - [`message`]: what is recognised (drops, rate limiting, driver identity,
//!   link state, MTU changes, renames);
//! - [`matching`]: drop lines to frames, with the clock offset between log
//!   and capture, and the findings in words.
//!
//! It comes after `scan/` in the data path: it reads the scan's records.

pub mod line;
pub mod matching;
pub mod message;

use line::{Line, LineReader, Stamp};
use message::{recognise, Message};
use std::io::Read;

/// Recognised lines kept per file; further ones are counted in
/// [`LogFile::not_kept`], so a log of any size has bounded match state.
pub const MAX_KEPT: usize = 10_000;
/// Characters of a line's text kept for the report.
pub const MAX_TEXT: usize = 300;

/// One recognised line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    /// 1-based line number in its file.
    pub line: u64,
    pub stamp: Stamp,
    /// The same moment on the boot clock, when the line carries both.
    pub boot: Option<i64>,
    pub message: Message,
    /// The message as written (at most [`MAX_TEXT`] characters).
    pub text: String,
}

/// What one log file held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogFile {
    pub name: String,
    pub lines: u64,
    /// Lines of no known timestamp format (skipped).
    pub unknown_format: u64,
    /// Lines with a timestamp whose message Framelens does not know.
    pub unrecognised: u64,
    /// Lines longer than [`line::MAX_LINE_LEN`] (skipped).
    pub too_long: u64,
    /// Lines with NUL bytes or invalid UTF-8 (skipped).
    pub binary: u64,
    /// Recognised lines beyond [`MAX_KEPT`] (counted only).
    pub not_kept: u64,
    pub recognised: Vec<LogLine>,
}

/// Reading a log failed: the source could not be read at this line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogError {
    pub file: String,
    /// The line being read when the source failed (1-based).
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for LogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: reading line {} failed: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for LogError {}

/// Reads a whole log from `source`, streaming.
pub fn read_log(name: &str, source: impl Read) -> Result<LogFile, LogError> {
    let mut reader = LineReader::new(source);
    let mut file = LogFile { name: name.to_string(), ..LogFile::default() };
    loop {
        let number = reader.number + 1;
        let line = match reader.next_line() {
            Ok(Some(l)) => l,
            Ok(None) => break,
            Err(e) => return Err(LogError { file: name.to_string(), line: number, message: e.to_string() }),
        };
        file.lines += 1;
        let text = match line {
            Line::Text(t) => t,
            Line::TooLong => {
                file.too_long += 1;
                continue;
            }
            Line::Binary => {
                file.binary += 1;
                continue;
            }
        };
        let Some(p) = line::parse(text) else {
            file.unknown_format += 1;
            continue;
        };
        let Some(message) = recognise(&p.message) else {
            file.unrecognised += 1;
            continue;
        };
        if file.recognised.len() >= MAX_KEPT {
            file.not_kept += 1;
            continue;
        }
        let text: String = p.message.trim().chars().take(MAX_TEXT).collect();
        file.recognised.push(LogLine { line: number, stamp: p.stamp, boot: p.boot, message, text });
    }
    Ok(file)
}

/// Whether a file's first bytes read as a kernel log: its whole lines (the
/// last, perhaps cut, is left out) hold no binary line and at least half of
/// them carry a timestamp of a known format.
pub fn looks_like_log(head: &[u8]) -> bool {
    let whole = match head.iter().rposition(|&b| b == b'\n') {
        Some(i) => &head[..=i],
        None => head,
    };
    let Ok(f) = read_log("", whole) else { return false };
    let known = f.lines - f.unknown_format - f.too_long - f.binary;
    f.binary == 0 && known > 0 && known * 2 >= f.lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mixed_log_is_counted_line_by_line() {
        let log = b"2024-12-01T10:00:10.417450+00:00 node-2 kernel: qg-1: dropped over-mtu packet: 1502 > 1500\n\
            Dec  1 10:00:11 node-2 kernel: net_ratelimit: 3 callbacks suppressed\n\
            [ 8127.100450] eth1: changing MTU from 1500 to 1450\n\
            no timestamp here\n\
            2024-12-01T10:00:12.000000+00:00 node-2 systemd[1]: Started Session 4.\n\
            \x00\x00\x7fELF\x02\n\
            {\"__REALTIME_TIMESTAMP\":\"1733047213000000\",\"MESSAGE\":\"eth1: renamed from veth0\"}\n\
            2024-12-01T10:00:1";
        let f = read_log("kern.log", &log[..]).unwrap();
        assert_eq!(f.lines, 8);
        assert_eq!(f.recognised.iter().map(|l| l.line).collect::<Vec<_>>(), [1, 2, 3, 7]);
        assert_eq!((f.unknown_format, f.unrecognised, f.binary, f.too_long), (2, 1, 1, 0));
    }

    #[test]
    fn a_log_head_is_told_from_other_files() {
        let log = std::fs::read("../static/examples/two-bytes-kern.log").unwrap();
        assert!(looks_like_log(&log[..log.len().min(4096)]));
        assert!(!looks_like_log(b"hello\nworld\n"));
        assert!(!looks_like_log(&[0xd4, 0xc3, 0xb2, 0xa1, 0, 0, 0, 0, b'\n']));
        assert!(!looks_like_log(b""));
    }

    struct Failing;
    impl Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk on fire"))
        }
    }

    #[test]
    fn a_failing_source_is_an_error_with_its_line() {
        let e = read_log("kern.log", std::io::Read::chain(&b"one\ntwo\n"[..], Failing)).unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(e.to_string(), "kern.log: reading line 3 failed: disk on fire");
    }
}
