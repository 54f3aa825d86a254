//! `framelens FILE`: why is each frame of this capture as long as it is?

use anyhow::Context;
use clap::Parser;
use framelens::frame::analysis::{analyze, FrameAnalysis};
use framelens::frame::ledger::Flags;
use framelens::frame::mtu::drops;
use framelens::scan::report::{frame_line, SummaryLine};
use framelens::scan::summary::Summary;
use framelens::scan::Scanner;
use framelens::settings::{DeviceRule, FcsMode, Settings};
use framelens::text::thousands;
use std::io::{Read, Write};
use std::process::ExitCode;

/// Explains why each captured frame is as long as it is: recomputes every
/// frame's length from its own headers and names every extra or missing byte.
#[derive(Parser, Debug)]
#[command(name = "framelens", version)]
struct Args {
    /// A pcap or pcapng capture ("-" reads standard input).
    file: String,
    /// Print JSON Lines: one object per frame, then {"summary": …}.
    #[arg(long)]
    json: bool,
    /// MTU for the drop verdicts, in bytes.
    #[arg(long, default_value_t = 1500, value_parser = clap::value_parser!(u32).range(68..=1_000_000))]
    mtu: u32,
    /// Whose MTU rule to apply.
    #[arg(long, default_value = "ovs-kernel", value_parser = ["ovs-kernel", "linux-bridge", "ovs-dpdk", "ip-router"])]
    rule: String,
    /// How to treat a possible FCS at the end of Ethernet frames.
    #[arg(long, default_value = "auto", value_parser = ["auto", "present", "absent"])]
    fcs: String,
    /// How many example frames of each kind the human summary shows.
    #[arg(long, default_value_t = 2)]
    examples: usize,
}

/// Kinds of frame the human summary shows examples of, in order of interest
/// (after frames the MTU rule drops, which come first).
const EXAMPLE_KINDS: [(u32, &str); 10] = [
    (Flags::TRAILER, "unexplained bytes after the datagram"),
    (Flags::NONZERO_PADDING, "non-zero padding"),
    (Flags::FCS_INVALID, "invalid FCS"),
    (Flags::VENDOR, "vendor trailer"),
    (Flags::FCS_VALID, "valid FCS"),
    (Flags::CLAIM_OVERRUN, "length field claims more than the frame holds"),
    (Flags::TRUNCATED, "snaplen truncation"),
    (Flags::TSO_ZERO_LENGTH, "IPv4 total length 0 (TSO)"),
    (Flags::PADDING, "padding"),
    (Flags::END_UNKNOWN, "datagram end unknown"),
];

/// Index of the "dropped by the MTU rule" examples, after [`EXAMPLE_KINDS`].
const DROPPED: usize = EXAMPLE_KINDS.len();

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("framelens: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let settings = Settings {
        mtu: args.mtu,
        rule: DeviceRule::from_key(&args.rule).context("unknown device rule")?,
        fcs: FcsMode::from_key(&args.fcs).context("unknown FCS mode")?,
    };
    let mut input: Box<dyn Read> = if args.file == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(&args.file).with_context(|| format!("cannot open {}", args.file))?)
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut scanner = Scanner::new(settings);
    let mut examples: Vec<(usize, FrameAnalysis)> = Vec::new();
    let mut per_kind = [0usize; EXAMPLE_KINDS.len() + 1];
    let mut buf = vec![0u8; 1 << 20];
    let mut write_err: Option<std::io::Error> = None;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", args.file)),
        };
        let pushed = scanner.push_with_packets(&buf[..n], |record, packet| {
            if args.json {
                if write_err.is_none() {
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
                EXAMPLE_KINDS.iter().position(|(bit, _)| record.ledger.flags.has(*bit))
            };
            if let Some(k) = kind {
                if per_kind[k] < args.examples {
                    per_kind[k] += 1;
                    examples.push((k, analyze(packet, &settings)));
                }
            }
        });
        if let Some(e) = write_err.take() {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(ExitCode::SUCCESS);
            }
            return Err(e.into());
        }
        if pushed.is_err() {
            break; // the summary carries the error with its offset
        }
    }
    let summary = scanner.finish();
    if args.json {
        serde_json::to_writer(&mut out, &SummaryLine { summary: &summary })?;
        out.write_all(b"\n")?;
    } else {
        write_human(&mut out, args, &summary, &examples)?;
    }
    out.flush().or_else(|e| if e.kind() == std::io::ErrorKind::BrokenPipe { Ok(()) } else { Err(e) })?;
    if let Some(e) = &summary.error {
        eprintln!("framelens: {}: {}", args.file, e.message);
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn write_human(
    out: &mut impl Write,
    args: &Args,
    s: &Summary,
    examples: &[(usize, FrameAnalysis)],
) -> std::io::Result<()> {
    let c = &s.counts;
    let format = s.capture.format.map_or("unknown format".to_string(), |f| format!("{f:?}").to_lowercase());
    let frames = if c.frames == 1 { "frame" } else { "frames" };
    writeln!(
        out,
        "{}: {} {frames}, {} bytes captured ({format})",
        args.file,
        thousands(c.frames),
        thousands(c.bytes_captured)
    )?;
    writeln!(out, "Settings: MTU {}, rule {}, FCS {}", s.settings.mtu, s.settings.rule.name(), s.settings.fcs.key())?;
    if !s.link_types.is_empty() {
        let links: Vec<String> = s.link_types.iter().map(|(l, n)| format!("{l}: {}", thousands(*n))).collect();
        writeln!(out, "Link types: {}", links.join(", "))?;
    }
    for note in &s.capture.notes {
        writeln!(out, "Note: {}", note.message)?;
    }
    writeln!(out)?;
    writeln!(out, "Bytes after the datagram, by kind (frames):")?;
    let rows: [(&str, u64); 16] = [
        ("padding", c.padding),
        ("  non-zero padding (Etherleak)", c.nonzero_padding),
        ("FCS, valid", c.fcs_valid),
        ("FCS, invalid", c.fcs_invalid),
        ("FCS, not captured", c.fcs_unknown),
        ("vendor trailer", c.vendor),
        ("unexplained trailer", c.trailer),
        ("snaplen truncation", c.truncated),
        ("length field claims more than the frame", c.claim_overrun),
        ("inner length mismatch", c.inner_mismatch),
        ("IPv4 total length 0 (TSO)", c.tso_zero_length),
        ("super-frame over the MTU (GSO/GRO)", c.superframe),
        ("shorter than 60 bytes (sender side)", c.runt),
        ("datagram end unknown", c.end_unknown),
        ("unsupported link type", c.unsupported_link),
        ("dropped by the MTU rule", c.over_mtu),
    ];
    for (name, n) in rows.iter().filter(|(_, n)| *n > 0) {
        writeln!(out, "  {name:<42} {:>10}", thousands(*n))?;
    }
    if rows.iter().all(|(_, n)| *n == 0) {
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
            let title = EXAMPLE_KINDS.get(*k).map_or("dropped by the MTU rule", |(_, t)| *t);
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
