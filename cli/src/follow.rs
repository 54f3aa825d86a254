//! `--follow`: watch a capture that is still being written (`tcpdump -U -w -
//! | framelens --follow -`, or a file tcpdump is writing) and print each
//! capture-wide finding the moment it first holds and whenever it changes,
//! one flushed line each (`{"finding": …}` with `--json`); the summary comes
//! when the input ends or on Ctrl-C.
//!
//! The input is read on its own thread and handed over in chunks through a
//! bounded channel, so that the scan loop can wake up for Ctrl-C while a
//! read blocks, and memory stays bounded however fast the input comes.

use anyhow::Context;
use framelens::scan::summary::{CaptureFinding, FindingKind};
use framelens::scan::Scanner;
use serde::Serialize;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often a growing file is polled for more bytes.
pub const POLL: Duration = Duration::from_millis(250);
/// A growing file that has not grown for this long is taken to be complete.
pub const IDLE: Duration = Duration::from_secs(10);
/// The findings are recomputed at most this often (and once at the end):
/// often enough to feel immediate, rarely enough to cost nothing on a fast link.
const REPORT_EVERY: Duration = Duration::from_millis(100);
/// Chunks read ahead at most (of up to 64 KiB each).
const QUEUE: usize = 16;
const CHUNK: usize = 64 * 1024;

#[derive(clap::Args, Debug)]
pub struct FollowOptions {
    /// Watch the input as it grows: print each capture-wide finding when it
    /// first holds and when it changes, then the summary at the end or on
    /// Ctrl-C. A FILE is polled every 250 ms until it has not grown for 10 s.
    #[arg(long, conflicts_with = "csv")]
    pub follow: bool,
}

#[derive(Serialize)]
struct FindingLine<'a> {
    finding: &'a CaptureFinding,
}

/// The followed input and the findings printed so far.
pub struct Follower {
    chunks: Receiver<std::io::Result<Vec<u8>>>,
    interrupted: Arc<AtomicBool>,
    /// What was printed for each finding, by its kind, and for a pattern
    /// (there may be several) its first frame, which stays as it grows; a
    /// ping sweep's frames change as it learns, so its kind alone names it.
    printed: Vec<((FindingKind, Option<u64>), String)>,
    last_report: Option<Instant>,
}

impl Follower {
    /// `None` without `--follow`. Starts reading `file` ("-": standard input).
    pub fn new(o: &FollowOptions, file: &str) -> anyhow::Result<Option<Follower>> {
        if !o.follow {
            return Ok(None);
        }
        let interrupted = Arc::new(AtomicBool::new(false));
        let flag = interrupted.clone();
        ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)).context("cannot handle Ctrl-C")?;
        let (tx, rx) = sync_channel(QUEUE);
        let growing = if file == "-" {
            None
        } else {
            Some(std::fs::File::open(file).with_context(|| format!("cannot open {file}"))?)
        };
        // A file at its end may still grow, so it is polled; standard input
        // at its end is closed (even when redirected from a file).
        let polls = growing.is_some();
        std::thread::spawn(move || {
            let mut input: Box<dyn Read> = match growing {
                Some(f) => Box::new(f),
                None => Box::new(std::io::stdin()),
            };
            let mut idle_since: Option<Instant> = None;
            loop {
                let mut buf = vec![0u8; CHUNK];
                match input.read(&mut buf) {
                    Ok(0) if polls => {
                        // A file at its end may still grow: wait, until it has been idle too long.
                        let since = *idle_since.get_or_insert_with(Instant::now);
                        if since.elapsed() >= IDLE {
                            return;
                        }
                        std::thread::sleep(POLL);
                    }
                    Ok(0) => return,
                    Ok(n) => {
                        idle_since = None;
                        buf.truncate(n);
                        if tx.send(Ok(buf)).is_err() {
                            return; // the scan has stopped
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                }
            }
        });
        Ok(Some(Follower { chunks: rx, interrupted, printed: Vec::new(), last_report: None }))
    }

    /// The next chunk; `None` when the input ended or Ctrl-C was pressed.
    pub fn next_chunk(&mut self) -> anyhow::Result<Option<Vec<u8>>> {
        loop {
            if self.interrupted.load(Ordering::SeqCst) {
                return Ok(None);
            }
            match self.chunks.recv_timeout(REPORT_EVERY) {
                Ok(chunk) => return Ok(Some(chunk.context("cannot read the input")?)),
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return Ok(None),
            }
        }
    }

    /// Prints the findings that are new or changed since the last call
    /// (at most every [`REPORT_EVERY`] unless `now`), flushed at once.
    pub fn report(&mut self, scanner: &Scanner, json: bool, now: bool, out: &mut impl Write) -> std::io::Result<()> {
        if !now && self.last_report.is_some_and(|t| t.elapsed() < REPORT_EVERY) {
            return Ok(());
        }
        self.last_report = Some(Instant::now());
        for f in scanner.findings() {
            let key = (f.kind, (f.kind == FindingKind::Pattern).then(|| f.frames.first().copied()).flatten());
            let seen = self.printed.iter_mut().find(|(k, _)| *k == key);
            let label = match &seen {
                None => "finding",
                Some((_, s)) if *s != f.sentence => "changed",
                Some(_) => continue,
            };
            if json {
                serde_json::to_writer(&mut *out, &FindingLine { finding: &f })?;
                out.write_all(b"\n")?;
            } else {
                let frames: Vec<String> = f.frames.iter().take(8).map(|n| n.to_string()).collect();
                let more = if f.frames.len() > 8 { ", …" } else { "" };
                writeln!(out, "{label}: {} [frames {}{more}]", f.sentence, frames.join(", "))?;
            }
            match seen {
                Some((_, s)) => *s = f.sentence.clone(),
                None => self.printed.push((key, f.sentence.clone())),
            }
        }
        out.flush()
    }
}
