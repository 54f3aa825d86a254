//! `framelens path CAPTURE...`: one packet followed across every capture
//! point. Two passes over the files (the survey, then the merge), so each
//! capture is read twice and standard input cannot be one of them.

use super::SettingsArgs;
use anyhow::Context;
use framelens::capture::{ContextBlock, OwnedFrame, RecordAt};
use framelens::explain::share::journey::from_path;
use framelens::explain::ticket::journey_markdown;
use framelens::log::matching::LogSettings;
use framelens::log::message::MessageKind;
use framelens::log::read_log;
use framelens::path::point::PointSpec;
use framelens::path::report::{journey_line, log_line, log_offsets, point_line, summary_line, ErrorFields};
use framelens::path::{seconds, Follower, Journey, PathSettings, PathSummary, Plan, Survey};
use framelens::text::{count, thousands};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct PathArgs {
    /// pcap or pcapng captures, one per host or capture point (each read twice).
    #[arg(required = true, num_args = 1..)]
    captures: Vec<String>,
    /// Print JSON Lines: {"point": …} per point, {"journey": …} per packet, then {"path_summary": …}.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    settings: SettingsArgs,
    /// How many lost or changed journeys the human output shows.
    #[arg(long, default_value_t = 10)]
    examples: usize,
    /// A kernel log to line up with the captures (kern.log, dmesg, journalctl
    /// -k, -o short-iso-precise or -o json); repeatable.
    #[arg(long = "log", value_name = "FILE")]
    logs: Vec<String>,
    /// The journey (its 0-based index, as in the JSON) that --markdown and --share are about.
    #[arg(long, value_name = "N")]
    journey: Option<u64>,
    /// With --journey: print its Markdown report for a ticket instead of the summary.
    #[arg(long)]
    markdown: bool,
    /// With --journey: print its diagnosis link's fragment (`#share=v2.…`, headers only) instead of the summary.
    #[arg(long)]
    share: bool,
    /// With --share: keep every captured byte, payload included.
    #[arg(long)]
    full_bytes: bool,
    /// The points' order along the path when the packets cannot tell it:
    /// FILE or FILE:IFACE (the interface's name or index), comma-separated;
    /// points not named follow in the order the packets show.
    #[arg(long, value_name = "FILE[:IFACE],…")]
    order: Option<String>,
}

impl PathArgs {
    /// The usage error in the journey options, if any.
    fn journey_usage(&self) -> Option<&'static str> {
        match (self.journey.is_some(), self.markdown || self.share) {
            (true, false) => Some("--journey needs --markdown or --share (what to print of it)"),
            (false, true) => Some("--markdown and --share need --journey N (which packet)"),
            _ if self.journey.is_some() && self.json => {
                Some("--journey prints a report or a link, not JSON: drop --json")
            }
            _ if self.full_bytes && !self.share => Some("--full-bytes needs --share"),
            _ => None,
        }
    }
}

/// Bytes read at a time. Small enough that the merge's per-file queue stays
/// small, large enough that reading costs nothing next to matching.
const CHUNK: usize = 1 << 18;

pub fn run(args: &PathArgs) -> anyhow::Result<ExitCode> {
    if args.captures.iter().any(|c| c == "-") {
        eprintln!("framelens: path reads each capture twice, so a capture cannot be standard input (\"-\")");
        return Ok(ExitCode::from(2));
    }
    if let Some(usage) = args.journey_usage() {
        eprintln!("framelens: {usage}");
        return Ok(ExitCode::from(2));
    }
    let settings = PathSettings { frame: args.settings.settings(), ..PathSettings::default() };
    let mut open_errors: Vec<(usize, String)> = Vec::new();
    let mut buf = vec![0u8; CHUNK];

    let mut logs = Vec::new();
    for path in &args.logs {
        let f = File::open(path).with_context(|| format!("cannot open log {path}"))?;
        logs.push(read_log(path, std::io::BufReader::new(f))?);
    }

    // Pass 1: points, frame counts, clock offsets, the logs lined up.
    let mut survey = Survey::new(args.captures.len(), settings);
    if let Some(order) = &args.order {
        survey = survey.with_order(PointSpec::parse_list(order));
    }
    if !logs.is_empty() {
        survey = survey.with_logs(logs, LogSettings::default());
    }
    for (i, name) in args.captures.iter().enumerate() {
        match File::open(name) {
            Ok(mut f) => loop {
                let n = read(&mut f, &mut buf).with_context(|| format!("cannot read {name}"))?;
                if n == 0 || survey.push(i, &buf[..n]).is_err() {
                    break;
                }
            },
            Err(e) => open_errors.push((i, format!("cannot open {name}: {e}"))),
        }
    }
    let (plan, log_plan) = survey.finish_with_logs(&args.captures);
    if let Some(unknown) = plan.order.unknown.first() {
        eprintln!("framelens: --order: {unknown}");
        return Ok(ExitCode::from(2));
    }

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut examples: Vec<Journey> = Vec::new();
    let mut chosen: Option<Journey> = None;
    let mut write_err: Option<std::io::Error> = None;
    if args.json {
        for p in &plan.points {
            emit(&mut out, &point_line(&plan, p), &mut write_err);
        }
    }

    // Pass 2: every file again, merged in time; journeys as they close.
    let mut files: Vec<Option<File>> = args.captures.iter().map(|n| File::open(n).ok()).collect();
    let mut follower = Follower::new(plan.clone(), settings).with_logs(log_plan);
    let mut on_journey = |j: &Journey| {
        if args.journey.is_some() {
            if Some(j.index) == args.journey {
                chosen = Some(j.clone());
            }
        } else if args.json {
            emit(&mut out, &journey_line(&plan, j), &mut write_err);
        } else {
            // The first lost ones and the first that changed size, kept apart
            // so that early changed journeys never crowd out a later loss.
            let (lost, changed) =
                examples.iter().fold(
                    (0, 0),
                    |(l, c), x: &Journey| {
                        if x.lost_after.is_some() {
                            (l + 1, c)
                        } else {
                            (l, c + 1)
                        }
                    },
                );
            if (j.lost_after.is_some() && lost < args.examples)
                || (j.lost_after.is_none() && j.changed_size() && changed < args.examples)
            {
                examples.push(j.clone());
            }
        }
    };
    while let Some(i) = follower.wants() {
        let n = match files.get_mut(i).and_then(Option::as_mut) {
            Some(f) => read(f, &mut buf).with_context(|| format!("cannot read {}", args.captures[i]))?,
            None => 0,
        };
        if n == 0 {
            follower.end(i);
        } else {
            follower.push(i, &buf[..n]);
        }
        follower.drain(&mut on_journey);
    }
    // What re-reading one frame of each file needs, now that every file was read.
    let contexts: Vec<(Vec<ContextBlock>, bool)> =
        (0..args.captures.len()).map(|f| (follower.context(f).0.to_vec(), follower.context(f).1)).collect();
    let summary = follower.finish(&mut on_journey);
    if let Some(e) = write_err.take() {
        return if e.kind() == std::io::ErrorKind::BrokenPipe { Ok(ExitCode::SUCCESS) } else { Err(e.into()) };
    }
    if let Some(n) = args.journey {
        let Some(j) = chosen else {
            eprintln!(
                "framelens: no journey {n}: the captures gave {} (0 to {})",
                summary.counts.journeys,
                summary.counts.journeys.saturating_sub(1)
            );
            return Ok(ExitCode::from(1));
        };
        let frames = j
            .seen
            .iter()
            .map(|s| {
                let file = plan.points.get(usize::from(s.point)).map_or(0, |p| p.file);
                let name = &args.captures[file];
                let (blocks, complete) = &contexts[file];
                reread(name, blocks, *complete, RecordAt { number: s.frame, offset: s.offset, caplen: s.caplen })
                    .with_context(|| format!("cannot read frame {} of {name} again", s.frame))?
                    .with_context(|| format!("frame {} of {name} is not where the first reading found it", s.frame))
            })
            .collect::<anyhow::Result<Vec<OwnedFrame>>>()?;
        let packets: Vec<_> = frames.iter().map(OwnedFrame::packet).collect();
        let journey = |headers_only| from_path(&plan, &summary.findings, &j, &packets, settings.frame, headers_only);
        if args.markdown {
            out.write_all(journey_markdown(&journey(false)).as_bytes())?;
        }
        if args.share {
            match journey(!args.full_bytes).to_fragment() {
                Ok(f) => writeln!(out, "#{f}")?,
                Err(e) => {
                    out.flush()?;
                    eprintln!("framelens: {e}");
                    return Ok(ExitCode::from(1));
                }
            }
        }
    } else if args.json {
        for e in &summary.log {
            serde_json::to_writer(&mut out, &log_line(e))?;
            out.write_all(b"\n")?;
        }
        let offsets = log_offsets(&summary);
        let mut line = summary_line(&plan, &summary, &offsets);
        for (i, message) in &open_errors {
            line.path_summary.errors.push(ErrorFields {
                file: &args.captures[*i],
                offset: 0,
                message: message.clone(),
            });
        }
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    } else {
        write_human(&mut out, args, &plan, &summary, &examples)?;
    }
    out.flush().or_else(|e| if e.kind() == std::io::ErrorKind::BrokenPipe { Ok(()) } else { Err(e) })?;
    for (_, message) in &open_errors {
        eprintln!("framelens: {message}");
    }
    for (i, e) in &summary.errors {
        eprintln!("framelens: {}: {e}", args.captures[*i]);
    }
    Ok(if open_errors.is_empty() && summary.errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// A frame of capture `name` read again, as the core plans it: its context
/// blocks and its record, else the file from its start.
fn reread(name: &str, blocks: &[ContextBlock], complete: bool, at: RecordAt) -> std::io::Result<Option<OwnedFrame>> {
    let mut f = File::open(name)?;
    let size = f.metadata()?.len();
    if let Some(plan) = at.plan(blocks, complete, size) {
        let mut context = Vec::new();
        for r in &plan.context {
            context.extend_from_slice(&read_at(&mut f, r.start, r.end - r.start)?);
        }
        let record = read_at(&mut f, plan.record.start, plan.record.end - plan.record.start)?;
        if let Some(p) = at.frame(&context, &record) {
            return Ok(Some(p));
        }
    }
    f.seek(SeekFrom::Start(0))?;
    let mut search = at.search();
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = read(&mut f, &mut buf)?;
        if n == 0 || search.push(&buf[..n]) {
            break;
        }
    }
    Ok(search.finish())
}

/// `len` bytes of `f` from `offset` (fewer at its end).
fn read_at(f: &mut File, offset: u64, len: u64) -> std::io::Result<Vec<u8>> {
    f.seek(SeekFrom::Start(offset))?;
    let mut out = Vec::new();
    f.take(len).read_to_end(&mut out)?;
    Ok(out)
}

fn read(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match f.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            r => return r,
        }
    }
}

fn emit(out: &mut impl Write, line: &impl serde::Serialize, err: &mut Option<std::io::Error>) {
    if err.is_some() {
        return;
    }
    if let Err(e) =
        serde_json::to_writer(&mut *out, line).map_err(std::io::Error::from).and_then(|_| out.write_all(b"\n"))
    {
        *err = Some(e);
    }
}

fn write_human(
    out: &mut impl Write,
    args: &PathArgs,
    plan: &Plan,
    s: &PathSummary,
    examples: &[Journey],
) -> std::io::Result<()> {
    let label = |p: u16| plan.points.get(usize::from(p)).map_or_else(|| p.to_string(), |x| x.label.clone());
    writeln!(
        out,
        "Path over {} and {}; MTU {}, rule {}",
        count(plan.files.len() as u64, "capture"),
        count(plan.points.len() as u64, "point"),
        args.settings.mtu,
        args.settings.rule.0.name()
    )?;
    writeln!(out)?;
    writeln!(out, "Points:")?;
    let width = plan.points.iter().map(|p| p.label.chars().count()).max().unwrap_or(0);
    for p in &plan.points {
        writeln!(out, "  {:>2}  {:<width$}  {:>10}", p.index, p.label, count(p.frames, "frame"))?;
    }
    writeln!(out)?;
    let order = |v: &[u16]| v.iter().map(|&p| label(p)).collect::<Vec<_>>().join(" → ");
    if !s.points_in_order.is_empty() {
        writeln!(out, "Path order: {}", order(&s.points_in_order))?;
    }
    if !s.points_in_order_reverse.is_empty() {
        writeln!(out, "The other way: {}", order(&s.points_in_order_reverse))?;
    }
    writeln!(out, "{}", plan.order.sentence)?;
    writeln!(
        out,
        "{} followed: {} seen at more than one point, {} changed size, {} lost.",
        count(s.counts.journeys, "packet"),
        thousands(s.counts.multi_point),
        thousands(s.counts.changed_size),
        thousands(s.counts.lost)
    )?;
    if !s.findings.is_empty() {
        writeln!(out)?;
        writeln!(out, "Findings:")?;
        for f in &s.findings {
            let list: Vec<String> = f.journeys.iter().take(8).map(|n| n.to_string()).collect();
            if list.is_empty() {
                writeln!(out, "- {}", f.sentence)?;
            } else {
                let more = if f.journeys.len() > 8 { ", …" } else { "" };
                writeln!(out, "- {} [journeys {}{more}]", f.sentence, list.join(", "))?;
            }
        }
    }
    if !s.log.is_empty() {
        writeln!(out)?;
        writeln!(out, "Kernel log lines ({}):", s.log.len())?;
        for e in &s.log {
            let about = if !e.journeys.is_empty() {
                let list: Vec<String> = e.journeys.iter().map(|n| n.to_string()).collect();
                format!(" → journey {}", list.join(", "))
            } else if e.fields.kind == MessageKind::OverMtu {
                " → no journey: no captured packet matches".to_string()
            } else {
                String::new()
            };
            writeln!(out, "  {}:{} {}{about}", e.fields.file, e.fields.line, e.fields.text)?;
        }
    }
    // Lost journeys first, then those that changed size, each in order.
    let mut shown: Vec<&Journey> = examples.iter().filter(|j| j.lost_after.is_some()).collect();
    shown.extend(examples.iter().filter(|j| j.lost_after.is_none()));
    shown.truncate(args.examples);
    if !shown.is_empty() {
        writeln!(out)?;
        writeln!(out, "Journeys lost or changed (first {}):", shown.len())?;
    }
    for j in shown {
        match j.lost_after {
            Some(p) => writeln!(out, "  Journey {}: lost after {}", j.index, label(p))?,
            None => writeln!(out, "  Journey {}:", j.index)?,
        }
        let t0 = j.seen.first().map_or(0, |s| s.at_ns);
        for seen in &j.seen {
            let extra = seen.extra.map_or("?".to_string(), |e| e.to_string());
            let datagram = seen.datagram.map_or("?".to_string(), |d| thousands(d.into()));
            writeln!(
                out,
                "    {:<width$}  frame {:>6}  {:>6} bytes  datagram {:>6}  extra {:>3}  +{}",
                label(seen.point),
                seen.frame,
                thousands(seen.len.into()),
                datagram,
                extra,
                seconds(seen.at_ns - t0)
            )?;
        }
        for (a, b, c) in &j.changes {
            writeln!(out, "    {} → {}: {}", label(*a), label(*b), c.words)?;
        }
        for e in s.log.iter().filter(|e| e.journeys.contains(&j.index)) {
            writeln!(out, "    kernel log {}:{}: {}", e.fields.file, e.fields.line, e.fields.text)?;
        }
    }
    for (i, e) in &s.errors {
        writeln!(out)?;
        writeln!(out, "Error in {} at byte {}: {e}", plan.files[*i].name, thousands(e.offset))?;
        writeln!(out, "Every packet before that point was followed.")?;
    }
    Ok(())
}
