//! `framelens FILE`: why is each frame of this capture as long as it is?

use anyhow::Context;
use clap::builder::PossibleValue;
use clap::{Parser, Subcommand, ValueEnum};
use framelens::frame::analysis::{analyze, FrameAnalysis};
use framelens::frame::finding::{Finding, LABEL_WIDTH};
use framelens::frame::mtu::drops;
use framelens::log::matching::{LogReport, LogSettings, Matcher, SummaryLineWithLog, SummaryWithLog};
use framelens::log::read_log;
use framelens::scan::report::{frame_line, SummaryLine};
use framelens::scan::summary::Summary;
use framelens::scan::Scanner;
use framelens::settings::{DeviceRule, FcsMode, Settings, MTU_RANGE};
use framelens::text::thousands;
use std::io::{Read, Write};
use std::process::ExitCode;

mod annotate;
mod follow;
mod path;
mod workflow;

/// Explains why each captured frame is as long as it is: recomputes every
/// frame's length from its own headers and names every extra or missing byte.
///
/// `framelens path CAPTURE...` follows packets across several captures instead.
#[derive(Parser, Debug)]
#[command(name = "framelens", version, args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// A pcap or pcapng capture ("-" reads standard input).
    #[arg(required = true)]
    file: Option<String>,
    /// Print JSON Lines: one object per frame, then {"summary": …}.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    settings: SettingsArgs,
    /// How many example frames of each kind the human summary shows.
    #[arg(long, default_value_t = 2)]
    examples: usize,
    /// A kernel log to read beside the capture (kern.log, dmesg, journalctl
    /// -k, -o short-iso-precise or -o json); repeatable.
    #[arg(long = "log", value_name = "FILE")]
    logs: Vec<String>,
    #[command(flatten)]
    flow: workflow::Options,
    #[command(flatten)]
    annotate: annotate::AnnotateOptions,
    #[command(flatten)]
    follow: follow::FollowOptions,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Follow each packet across the capture points of several captures: where
    /// it was seen, what changed between two points, where it was lost, and why.
    Path(path::PathArgs),
}

/// The settings every command judges frames by: one definition of the
/// options, their defaults and help, flattened into each command.
#[derive(clap::Args, Debug)]
pub(crate) struct SettingsArgs {
    /// MTU for the drop verdicts, in bytes.
    #[arg(long, default_value_t = 1500, value_parser = mtu_parser())]
    pub(crate) mtu: u32,
    /// Whose MTU rule to apply.
    #[arg(long, default_value = "ovs-kernel")]
    pub(crate) rule: Rule,
    /// How to treat a possible FCS at the end of Ethernet frames.
    #[arg(long, default_value = "auto")]
    pub(crate) fcs: Fcs,
}

impl SettingsArgs {
    pub(crate) fn settings(&self) -> Settings {
        Settings { mtu: self.mtu, rule: self.rule.0, fcs: self.fcs.0 }
    }
}

/// The MTU range the core accepts ([`MTU_RANGE`]), as clap checks it.
fn mtu_parser() -> clap::builder::RangedI64ValueParser<u32> {
    clap::value_parser!(u32).range(i64::from(*MTU_RANGE.start())..=i64::from(*MTU_RANGE.end()))
}

/// A command-line choice over one of the core's enums: the values, their
/// spelling and their help come from the enum's own `ALL`, `key` and name.
macro_rules! choice {
    ($name:ident($ty:ty), $help:expr) => {
        #[derive(Clone, Copy, Debug)]
        struct $name($ty);
        impl $name {
            const ALL: [$name; <$ty>::ALL.len()] = {
                let mut out = [$name(<$ty>::ALL[0]); <$ty>::ALL.len()];
                let mut i = 0;
                while i < out.len() {
                    out[i] = $name(<$ty>::ALL[i]);
                    i += 1;
                }
                out
            };
        }
        impl ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                &Self::ALL
            }
            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(PossibleValue::new(self.0.key()).help($help(self.0)))
            }
        }
    };
}
choice!(Rule(DeviceRule), DeviceRule::name);
choice!(Fcs(FcsMode), FcsMode::description);

/// Kinds of frame the human summary shows examples of, in order of interest
/// (after frames the MTU rule drops, which come first); titled by their label.
const EXAMPLE_KINDS: [Finding; 10] = [
    Finding::Trailer,
    Finding::NonzeroPadding,
    Finding::FcsInvalid,
    Finding::Vendor,
    Finding::FcsValid,
    Finding::LengthClaimOverrun,
    Finding::Truncated,
    Finding::TsoZeroLength,
    Finding::Padding,
    Finding::EndUnknown,
];

/// Index of the "dropped by the MTU rule" examples, after [`EXAMPLE_KINDS`].
const DROPPED: usize = EXAMPLE_KINDS.len();
const DROPPED_LABEL: &str = "dropped by the MTU rule";

fn main() -> ExitCode {
    if workflow::wants_filter_help(std::env::args()) {
        print!("{}", workflow::filter_help());
        return ExitCode::SUCCESS;
    }
    let args = Args::parse();
    let result = match &args.command {
        Some(Command::Path(p)) => path::run(p),
        None => run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("framelens: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let settings = args.settings.settings();
    let selector = match workflow::Selector::new(&args.flow) {
        Ok(s) => s,
        Err(usage) => {
            eprintln!("framelens: {usage}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut flow = workflow::Flow::new(&args.flow)?;
    let mut annotator = annotate::Annotator::new(&args.annotate)?;
    let mut logs = Vec::new();
    for path in &args.logs {
        let f = std::fs::File::open(path).with_context(|| format!("cannot open log {path}"))?;
        logs.push(read_log(path, std::io::BufReader::new(f))?);
    }
    let mut matcher = (!args.logs.is_empty()).then(|| Matcher::new(logs, LogSettings::default()));
    let file = args.file.as_deref().unwrap_or("-");
    let mut follower = follow::Follower::new(&args.follow, file)?;
    let mut input: Box<dyn Read> = if follower.is_some() {
        Box::new(std::io::empty()) // the follower reads the input on its own thread
    } else if file == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(file).with_context(|| format!("cannot open {file}"))?)
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut scanner = Scanner::new(settings);
    let mut examples: Vec<(usize, FrameAnalysis)> = Vec::new();
    let mut per_kind = [0usize; EXAMPLE_KINDS.len() + 1];
    let mut buf = vec![0u8; 1 << 20];
    let mut write_err: Option<std::io::Error> = None;
    if flow.csv() {
        out.write_all(framelens::explain::view::csv_header().as_bytes())?;
    }
    let mut followed: Vec<u8>;
    loop {
        let chunk: &[u8] = if let Some(f) = follower.as_mut() {
            match f.next_chunk()? {
                Some(c) => {
                    followed = c;
                    &followed
                }
                None => break,
            }
        } else {
            match input.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => &buf[..n],
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e).with_context(|| format!("cannot read {file}")),
            }
        };
        let pushed = scanner.push_selected(
            chunk,
            |r, p, d| selector.select(r, p, d, &settings),
            |record, packet, _| {
                if let Some(m) = matcher.as_mut() {
                    m.add(record, packet);
                }
                if let Some(a) = annotator.as_mut() {
                    a.on_frame(record, packet, &settings);
                }
                if write_err.is_none() {
                    if let Err(e) = flow.on_frame(&selector, record, packet, &settings, &mut out) {
                        write_err = Some(e);
                    }
                }
                if args.json {
                    // Followed, the JSON carries the findings as they change, not every frame.
                    if write_err.is_none() && follower.is_none() {
                        let line = frame_line(record, &settings);
                        if let Err(e) = serde_json::to_writer(&mut out, &line)
                            .map_err(std::io::Error::from)
                            .and_then(|_| out.write_all(b"\n"))
                        {
                            write_err = Some(e);
                        }
                    }
                    return;
                }
                // The first frames of each kind, analysed in full while their bytes are at hand.
                let dropped = drops(&record.mtu, &settings);
                let kind = if dropped {
                    Some(DROPPED)
                } else {
                    EXAMPLE_KINDS.iter().position(|f| record.ledger.flags.has(*f))
                };
                if let Some(k) = kind {
                    if per_kind[k] < args.examples {
                        per_kind[k] += 1;
                        examples.push((k, analyze(packet, &settings)));
                    }
                }
            },
        );
        if let Some(e) = write_err.take() {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(ExitCode::SUCCESS);
            }
            return Err(e.into());
        }
        if let Some(a) = annotator.as_mut() {
            a.check()?;
        }
        if let Some(f) = follower.as_mut() {
            f.report(&scanner, args.json, false, &mut out)?;
            if flow.failing() {
                break; // --fail-on: the summary so far, then exit status 3 at once
            }
        }
        if pushed.is_err() {
            break; // the summary carries the error with its offset
        }
    }
    if let Some(f) = follower.as_mut() {
        f.report(&scanner, args.json, true, &mut out)?;
    }
    if let Some(a) = annotator.take() {
        a.finish()?;
    }
    let mut summary = scanner.finish();
    let report = matcher.map(|m| m.finish_into(&mut summary));
    if args.json {
        match &report {
            Some(r) => serde_json::to_writer(
                &mut out,
                &SummaryLineWithLog { summary: SummaryWithLog { summary: &summary, log: &r.entries } },
            )?,
            None => serde_json::to_writer(&mut out, &SummaryLine { summary: &summary })?,
        }
        out.write_all(b"\n")?;
    } else if !flow.csv() {
        write_human(&mut out, args, selector.line().as_deref(), &summary, &examples)?;
        if let Some(r) = &report {
            write_log(&mut out, r)?;
        }
    }
    let failed = flow.finish()?;
    out.flush().or_else(|e| if e.kind() == std::io::ErrorKind::BrokenPipe { Ok(()) } else { Err(e) })?;
    if let Some(e) = &summary.error {
        eprintln!("framelens: {file}: {}", e.message);
        return Ok(ExitCode::from(1));
    }
    if !failed.is_empty() {
        for f in &failed {
            eprintln!("framelens: {f}");
        }
        return Ok(ExitCode::from(workflow::EXIT_FAIL_ON));
    }
    Ok(ExitCode::SUCCESS)
}

/// The recognised log lines, each with the frames it is about.
fn write_log(out: &mut impl Write, r: &LogReport) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(out, "Kernel log lines ({}):", r.entries.len())?;
    for e in &r.entries {
        let frames = if e.frames.is_empty() {
            String::new()
        } else {
            let f: Vec<String> = e.frames.iter().map(|n| n.to_string()).collect();
            format!(" → frame {}", f.join(", "))
        };
        writeln!(out, "  {}:{} {}{frames}", e.fields.file, e.fields.line, e.fields.text)?;
    }
    Ok(())
}

fn write_human(
    out: &mut impl Write,
    args: &Args,
    filter: Option<&str>,
    s: &Summary,
    examples: &[(usize, FrameAnalysis)],
) -> std::io::Result<()> {
    let c = &s.counts;
    let format = s.capture.format.map_or("unknown format".to_string(), |f| format!("{f:?}").to_lowercase());
    let frames = if c.frames == 1 { "frame" } else { "frames" };
    writeln!(
        out,
        "{}: {} {frames}, {} bytes captured ({format})",
        args.file.as_deref().unwrap_or("-"),
        thousands(c.frames),
        thousands(c.bytes_captured)
    )?;
    writeln!(out, "Settings: MTU {}, rule {}, FCS {}", s.settings.mtu, s.settings.rule.name(), s.settings.fcs.key())?;
    if let Some(line) = filter {
        writeln!(out, "{line}")?;
    }
    if !s.link_types.is_empty() {
        let links: Vec<String> = s.link_types.iter().map(|(l, n)| format!("{l}: {}", thousands(*n))).collect();
        writeln!(out, "Link types: {}", links.join(", "))?;
    }
    for note in &s.capture.notes {
        writeln!(out, "Note: {}", note.message)?;
    }
    writeln!(out)?;
    writeln!(out, "Bytes after the datagram, by kind (frames):")?;
    let rows: Vec<(&str, u64)> = c
        .per_finding()
        .map(|(f, n)| (f.label(), n))
        .chain([(DROPPED_LABEL, c.over_mtu)])
        .filter(|(_, n)| *n > 0)
        .collect();
    for (name, n) in &rows {
        writeln!(out, "  {name:<LABEL_WIDTH$} {:>10}", thousands(*n))?;
    }
    if rows.is_empty() {
        writeln!(out, "  none: every frame ends where its headers say")?;
    }
    if !s.findings.is_empty() {
        writeln!(out)?;
        writeln!(out, "Capture-wide findings:")?;
        for f in &s.findings {
            let frames: Vec<String> = f.frames.iter().take(8).map(|n| n.to_string()).collect();
            writeln!(
                out,
                "- {} [frames {}{}]",
                f.sentence,
                frames.join(", "),
                if f.frames.len() > 8 { ", …" } else { "" }
            )?;
        }
    }
    let mut order: Vec<&(usize, FrameAnalysis)> = examples.iter().collect();
    // Dropped frames first, then by kind, each kind in frame order.
    order.sort_by_key(|(k, a)| ((*k != DROPPED, *k), a.number));
    let mut last_kind = usize::MAX;
    for (k, a) in order {
        if *k != last_kind {
            writeln!(out)?;
            let title = EXAMPLE_KINDS.get(*k).map_or(DROPPED_LABEL, |f| f.label());
            writeln!(out, "Example frames: {title}")?;
            last_kind = *k;
        }
        writeln!(out, "  Frame {}: {}", a.number, a.equation)?;
        for c in &a.callouts {
            writeln!(out, "    {c}")?;
        }
        for f in &a.findings {
            writeln!(out, "    {f}")?;
        }
        for (i, h) in a.hypotheses.iter().enumerate() {
            writeln!(out, "    {}. {h}", i + 1)?;
        }
        if a.ledger.l3_end.is_some() {
            writeln!(out, "    {}", a.mtu.sentence)?;
        }
    }
    if let Some(e) = &s.error {
        writeln!(out)?;
        writeln!(out, "Error at byte {}: {}", thousands(e.offset), e.message)?;
        writeln!(out, "Every frame before that point was read and is counted above.")?;
    }
    Ok(())
}
