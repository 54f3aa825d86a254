//! Lines of a log and their timestamps. A log of any size streams through a
//! [`LineReader`] that never holds more than [`MAX_LINE_LEN`] bytes of a line
//! (plus its fixed read buffer, [`READ_BUFFER`]); longer lines are skipped
//! and counted. Each line's timestamp format is detected on its own
//! ([`parse`]): a file may mix them, and lines of no known format are
//! skipped, never an error.

use std::io::{self, Read};

/// The longest line kept, in bytes. Kernel lines are far shorter (printk
/// caps a record at 1024 bytes); a journal JSON entry with its fields fits.
pub const MAX_LINE_LEN: usize = 4096;
/// Bytes read from the source at a time.
pub const READ_BUFFER: usize = 64 * 1024;

/// One line as the reader hands it out.
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    Text(&'a str),
    /// Longer than [`MAX_LINE_LEN`]: skipped.
    TooLong,
    /// NUL bytes or invalid UTF-8: skipped.
    Binary,
}

/// Splits a byte stream into lines with bounded memory.
pub struct LineReader<R> {
    inner: R,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    line: Vec<u8>,
    too_long: bool,
    eof: bool,
    /// 1-based number of the last line handed out.
    pub number: u64,
}

impl<R: Read> LineReader<R> {
    pub fn new(inner: R) -> Self {
        LineReader {
            inner,
            buf: vec![0; READ_BUFFER].into_boxed_slice(),
            start: 0,
            end: 0,
            line: Vec::with_capacity(MAX_LINE_LEN),
            too_long: false,
            eof: false,
            number: 0,
        }
    }

    /// Bytes this reader holds at most, whatever the input: the read buffer
    /// and one line.
    pub fn buffered_bound(&self) -> usize {
        self.buf.len() + self.line.capacity()
    }

    /// The next line, without its `\n` (and `\r`), or `None` at the end.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        self.line.clear();
        self.too_long = false;
        loop {
            if self.start == self.end {
                if self.eof {
                    if self.line.is_empty() && !self.too_long {
                        return Ok(None);
                    }
                    break; // a last line without a newline
                }
                match self.inner.read(&mut self.buf) {
                    Ok(0) => {
                        self.eof = true;
                        continue;
                    }
                    Ok(n) => {
                        self.start = 0;
                        self.end = n;
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            }
            let chunk = &self.buf[self.start..self.end];
            let (part, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (&chunk[..i], i + 1),
                None => (chunk, chunk.len()),
            };
            let found = done > part.len();
            if !self.too_long {
                if self.line.len() + part.len() > MAX_LINE_LEN {
                    self.too_long = true;
                    self.line.clear();
                } else {
                    self.line.extend_from_slice(part);
                }
            }
            self.start += done;
            if found {
                break;
            }
        }
        self.number += 1;
        if self.too_long {
            return Ok(Some(Line::TooLong));
        }
        if self.line.last() == Some(&b'\r') {
            self.line.pop();
        }
        if self.line.contains(&0) {
            return Ok(Some(Line::Binary));
        }
        Ok(Some(match std::str::from_utf8(&self.line) {
            Ok(s) => Line::Text(s),
            Err(_) => Line::Binary,
        }))
    }
}

/// When a line was written, on which clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stamp {
    /// Nanoseconds since the Unix epoch, UTC (RFC 3339 with a zone, journal).
    Wall(i64),
    /// Traditional syslog: local time without a year, whole seconds; placed
    /// in a year and zone later ([`Stamp::resolve`]).
    Syslog { month: u8, day: u8, secs: u32 },
    /// `dmesg`: nanoseconds since boot.
    Boot(i64),
}

impl Stamp {
    /// How far the true time may lie after the stamp.
    pub fn resolution_ns(&self) -> i64 {
        match self {
            Stamp::Syslog { .. } => 1_000_000_000,
            _ => 1_000,
        }
    }

    /// A syslog stamp in `year` at `utc_offset_s` (local minus UTC), as wall time.
    pub fn syslog_wall(month: u8, day: u8, secs: u32, year: i64, utc_offset_s: i32) -> i64 {
        let days = days_from_civil(year, month.into(), day.into());
        (days * 86_400 + i64::from(secs) - i64::from(utc_offset_s)) * 1_000_000_000
    }
}

/// A parsed line: its stamp, the host and tag when the format names them,
/// and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<'a> {
    pub stamp: Stamp,
    /// A `[ seconds.micros]` after the syslog prefix (`kernel: [ 8127.100450] …`):
    /// the same line on the boot clock, which gives the boot time.
    pub boot: Option<i64>,
    pub message: std::borrow::Cow<'a, str>,
}

/// The journal's `-o json` fields Framelens reads.
#[derive(serde::Deserialize)]
struct JournalEntry<'a> {
    #[serde(rename = "__REALTIME_TIMESTAMP", borrow)]
    realtime: Option<std::borrow::Cow<'a, str>>,
    #[serde(rename = "MESSAGE")]
    message: Option<serde_json::Value>,
}

/// Detects the line's format and splits off its stamp; `None` for a line of
/// no known format.
pub fn parse(line: &str) -> Option<Parsed<'_>> {
    let line = line.trim_start_matches('\u{feff}');
    if line.starts_with('{') {
        let e: JournalEntry = serde_json::from_str(line).ok()?;
        let us: i64 = e.realtime?.parse().ok()?;
        let message = match e.message? {
            serde_json::Value::String(s) => s,
            _ => return None, // binary messages come as arrays of bytes
        };
        let (boot, message) = match split_boot(&message) {
            Some((b, rest)) => (Some(b), rest.to_string()),
            None => (None, message),
        };
        return Some(Parsed { stamp: Stamp::Wall(us.checked_mul(1000)?), boot, message: message.into() });
    }
    if let Some((ns, rest)) = split_boot(line) {
        return Some(Parsed { stamp: Stamp::Boot(ns), boot: None, message: rest.into() });
    }
    let (stamp, rest) = rfc3339(line).or_else(|| syslog(line))?;
    // "host tag: message"
    let rest = rest.trim_start();
    let (_host, after_host) = rest.split_once(' ')?;
    let message = match after_host.split_once(": ") {
        Some((tag, m)) if !tag.contains(' ') || tag.ends_with(']') => m,
        _ => after_host,
    };
    let (boot, message) = match split_boot(message) {
        Some((b, m)) => (Some(b), m),
        None => (None, message),
    };
    Some(Parsed { stamp, boot, message: message.into() })
}

/// `[ 8127.100450] rest`: seconds since boot with a fraction.
fn split_boot(s: &str) -> Option<(i64, &str)> {
    let inner = s.strip_prefix('[')?;
    let (num, rest) = inner.split_once(']')?;
    let (secs, frac) = num.trim_start().split_once('.')?;
    if secs.is_empty() || frac.is_empty() || frac.len() > 9 {
        return None;
    }
    let secs: i64 = digits(secs)?;
    let frac_ns: i64 = digits(frac)? * 10i64.pow(9 - frac.len() as u32);
    Some((secs.checked_mul(1_000_000_000)?.checked_add(frac_ns)?, rest.strip_prefix(' ').unwrap_or(rest)))
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn num(s: &str, range: std::ops::Range<usize>) -> Option<i64> {
    digits(s.get(range)?)
}

/// `2024-12-01T10:00:10.417450+00:00` (rsyslog), `…+0000` (journalctl
/// `short-iso-precise` before systemd 250), `…Z`; the fraction is optional.
fn rfc3339(s: &str) -> Option<(Stamp, &str)> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (y, mo, d) = (num(s, 0..4)?, num(s, 5..7)?, num(s, 8..10)?);
    let (h, mi, se) = (num(s, 11..13)?, num(s, 14..16)?, num(s, 17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut at = 19;
    let mut frac_ns = 0i64;
    if b.get(at) == Some(&b'.') {
        let n = b[at + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return None;
        }
        frac_ns = num(s, at + 1..at + 1 + n)? * 10i64.pow(9 - n as u32);
        at += 1 + n;
    }
    let offset_s = match b.get(at)? {
        b'Z' => {
            at += 1;
            0
        }
        c @ (b'+' | b'-') => {
            let sign = if *c == b'-' { -1 } else { 1 };
            let hh = num(s, at + 1..at + 3)?;
            let (mm, len) =
                if b.get(at + 3) == Some(&b':') { (num(s, at + 4..at + 6)?, 6) } else { (num(s, at + 3..at + 5)?, 5) };
            at += len;
            sign * (hh * 3600 + mm * 60)
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    let ns = ((days * 86_400 + h * 3600 + mi * 60 + se - offset_s) * 1_000_000_000).checked_add(frac_ns)?;
    Some((Stamp::Wall(ns), s.get(at..)?))
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// `Dec  1 10:00:10` (RFC 3164).
fn syslog(s: &str) -> Option<(Stamp, &str)> {
    let b = s.as_bytes();
    if b.len() < 16 || b[3] != b' ' || b[9] != b':' || b[12] != b':' || b[15] != b' ' {
        return None;
    }
    let month = MONTHS.iter().position(|m| *m == s.get(0..3).unwrap_or(""))? as u8 + 1;
    let day = digits(s.get(4..6)?.trim_start())?;
    let (h, mi, se) = (num(s, 7..9)?, num(s, 10..12)?, num(s, 13..15)?);
    if !(1..=31).contains(&day) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let secs = (h * 3600 + mi * 60 + se) as u32;
    Some((Stamp::Syslog { month, day: day as u8, secs }, s.get(15..)?))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date (year, month 1-12, day 1-31) of a day
/// count since 1970-01-01 (Howard Hinnant's `civil_from_days`), the inverse
/// of [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The year of a wall time (for placing syslog stamps near the capture).
pub fn year_of(ns: i64) -> i64 {
    civil_from_days(ns.div_euclid(86_400 * 1_000_000_000)).0
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_733_047_210_417_450_000; // 2024-12-01T10:00:10.417450Z

    #[test]
    fn civil_dates_round_trip_across_leap_days_and_eras() {
        for days in [-719_468, -1, 0, 59, 60, 11_016, 17_361, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn rsyslog_rfc3339_with_fraction_and_zone() {
        let p = parse("2024-12-01T10:00:10.417450+00:00 node-2 kernel: qg-1a2b: dropped over-mtu packet: 1502 > 1500")
            .unwrap();
        assert_eq!(p.stamp, Stamp::Wall(T));
        assert_eq!(p.message, "qg-1a2b: dropped over-mtu packet: 1502 > 1500");
        let east = parse("2024-12-01T11:00:10.417450+01:00 node-2 kernel: x").unwrap();
        assert_eq!(east.stamp, Stamp::Wall(T));
    }

    #[test]
    fn journalctl_short_iso_precise() {
        let p = parse("2024-12-01T10:00:10.417450+0000 node-2 kernel: eth1: renamed from veth0").unwrap();
        assert_eq!(p.stamp, Stamp::Wall(T));
        assert_eq!(p.message, "eth1: renamed from veth0");
    }

    #[test]
    fn journalctl_json() {
        let p = parse(r#"{"__REALTIME_TIMESTAMP":"1733047210417450","_HOSTNAME":"node-2","MESSAGE":"qg-1a2b: dropped over-mtu packet: 1502 > 1500"}"#).unwrap();
        assert_eq!(p.stamp, Stamp::Wall(T));
        assert_eq!(p.message, "qg-1a2b: dropped over-mtu packet: 1502 > 1500");
        // A binary MESSAGE is an array of bytes: skipped.
        assert_eq!(parse(r#"{"__REALTIME_TIMESTAMP":"1","MESSAGE":[1,2,3]}"#), None);
    }

    #[test]
    fn traditional_syslog_has_no_year_and_whole_seconds() {
        let p = parse("Dec  1 10:00:10 node-2 kernel: [ 8127.100450] qg-1a2b: dropped over-mtu packet: 1502 > 1500")
            .unwrap();
        assert_eq!(p.stamp, Stamp::Syslog { month: 12, day: 1, secs: 36_010 });
        assert_eq!(p.boot, Some(8_127_100_450_000));
        assert_eq!(p.message, "qg-1a2b: dropped over-mtu packet: 1502 > 1500");
        assert_eq!(Stamp::syslog_wall(12, 1, 36_010, 2024, 0), T / 1_000_000_000 * 1_000_000_000);
        assert_eq!(year_of(T), 2024);
    }

    #[test]
    fn dmesg_seconds_since_boot() {
        let p = parse("[ 8127.100450] qg-1a2b: dropped over-mtu packet: 1502 > 1500").unwrap();
        assert_eq!(p.stamp, Stamp::Boot(8_127_100_450_000));
        assert_eq!(p.message, "qg-1a2b: dropped over-mtu packet: 1502 > 1500");
    }

    #[test]
    fn malformed_and_truncated_stamps_are_no_format() {
        for line in [
            "",
            "hello world",
            "2024-13-01T10:00:10.4+00:00 host kernel: month 13",
            "2024-12-01T10:00:10.417450",
            "2024-12-01T10:00:10.417450+00:00",
            "2024-12-01T10:0",
            "Dec  1 10:00",
            "Foo  1 10:00:10 host kernel: x",
            "Dec 41 10:00:10 host kernel: x",
            "[ 8127] no fraction",
            "[ 8127.100450 unclosed",
            "[abc.def] x",
            "{\"MESSAGE\":\"no time\"}",
            "{not json",
        ] {
            assert_eq!(parse(line), None, "{line:?}");
        }
    }

    fn lines(input: &[u8]) -> Vec<String> {
        let mut r = LineReader::new(input);
        let mut out = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            out.push(match l {
                Line::Text(t) => t.to_string(),
                Line::TooLong => "<too long>".into(),
                Line::Binary => "<binary>".into(),
            });
        }
        out
    }

    #[test]
    fn reader_splits_lines_and_skips_binary_and_overlong_ones() {
        let mut input = b"one\r\ntwo\n\x00\x01\x02junk\n\xff\xfe\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_LINE_LEN + 1));
        input.extend_from_slice(b"\nlast without newline");
        assert_eq!(lines(&input), ["one", "two", "<binary>", "<binary>", "<too long>", "last without newline"]);
        assert_eq!(lines(b""), Vec::<String>::new());
        assert_eq!(lines(b"\n"), [""]);
    }

    #[test]
    fn a_line_of_exactly_the_maximum_is_kept() {
        let mut input = vec![b'y'; MAX_LINE_LEN];
        input.push(b'\n');
        assert_eq!(lines(&input)[0].len(), MAX_LINE_LEN);
    }
}
