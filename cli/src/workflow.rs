//! The options that fit Framelens into an engineer's pipeline: `--filter`
//! (which frames the per-frame outputs show), `--fail-on` (an exit status
//! for scripts and CI), `--csv` (the frame list) and `--annotate` (a pcapng
//! for Wireshark with Framelens' verdict as frame comments). Kept apart from
//! `main.rs` so the scan loop only calls in here.

use framelens::capture::Frame;
use framelens::explain::view;
use framelens::filter::{type_word, Criterion, Filter, Kind, Subject, FIELDS};
use framelens::frame::dissect::Dissection;
use framelens::frame::finding::Finding;
use framelens::frame::ledger::RegionKind;
use framelens::scan::record::FrameRecord;
use framelens::settings::Settings;
use framelens::text::thousands;
use std::cell::Cell;
use std::io::Write;

/// Exit status when `--fail-on` kinds were found (0, 1 and 2 are taken:
/// read, unreadable or corrupt, usage).
pub const EXIT_FAIL_ON: u8 = 3;

#[derive(clap::Args, Debug)]
pub struct Options {
    /// Show only frames that match this display filter (Wireshark syntax;
    /// `--filter help` lists the fields).
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
    /// Exit with status 3 if any (shown) frame has one of these kinds:
    /// finding keys, region kinds or over-mtu, comma-separated.
    #[arg(long, value_name = "KIND[,KIND]", value_parser = parse_fail_on)]
    pub fail_on: Option<FailOn>,
    /// Print the frame list as CSV (the web list's columns) instead of the summary.
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
}

/// One kind `--fail-on` looks for: its name (as the summary says it) and
/// the core's question, with how many frames had it.
#[derive(Clone, Debug)]
struct FailKind {
    name: &'static str,
    criterion: Criterion,
    frames: u64,
    first: u64,
}

/// The kinds of `--fail-on`.
#[derive(Clone, Debug)]
pub struct FailOn {
    kinds: Vec<FailKind>,
}

/// Every name `--fail-on` accepts, findings first (a finding and a region
/// kind of the same name, like `trailer`, mean the same frames).
fn fail_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Finding::ALL.iter().map(|f| f.key()).collect();
    names.extend(RegionKind::ALL.iter().map(|r| r.key()).filter(|k| Finding::from_key(k).is_none()));
    names.push("over-mtu");
    names
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    let mut kinds = Vec::new();
    for word in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        let (name, criterion) = if word == "over-mtu" || word == "over_mtu" {
            ("over-mtu", Criterion::OverMtu)
        } else if let Some(f) = Finding::from_key(word) {
            (f.key(), Criterion::Finding(f))
        } else if let Some(r) = RegionKind::ALL.into_iter().find(|r| r.key() == word) {
            (r.key(), Criterion::Region(r))
        } else {
            let names = fail_names();
            let hint = framelens::filter::closest(word, names.iter().copied())
                .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
            return Err(format!("unknown kind `{word}`{hint} (kinds: {})", names.join(", ")));
        };
        if !kinds.iter().any(|k: &FailKind| k.criterion == criterion) {
            kinds.push(FailKind { name, criterion, frames: 0, first: 0 });
        }
    }
    if kinds.is_empty() {
        return Err("no kind given".into());
    }
    Ok(FailOn { kinds })
}

/// What `--filter help` prints: the field table, from the core's one list.
pub fn filter_help() -> String {
    let mut out = String::from(
        "Display filter fields (Wireshark syntax: == != < <= > >=, and or not, && || !, (), in {…}, CIDR):\n",
    );
    let width = FIELDS.iter().map(|f| f.name.len()).max().unwrap_or(0);
    for f in FIELDS {
        let values = match f.kind {
            Kind::Name(names) => format!(" ({})", names.join(", ")),
            _ => String::new(),
        };
        out.push_str(&format!("  {:<width$}  {:<7}  {}{values}\n", f.name, type_word(f.kind), f.doc));
    }
    out.push_str(
        "\nA field with several values in a frame (region, finding, vlan.id, ports, tunnelled addresses) \
         matches when any value does; `a != b` is `not a == b`.\n\
         Examples: region == \"trailer\" and vlan.id == 100; ip.src == 10.0.0.0/8; tcp.port in {80 443}; over_mtu\n",
    );
    out
}

/// Whether a frame is shown: the compiled `--filter`, and the counts for
/// the summary's filter line. Shared by the scan's two callbacks, hence the cells.
pub struct Selector {
    filter: Option<Filter>,
    total: Cell<u64>,
    shown: Cell<u64>,
    /// The capture's first timestamp, once a frame was read: list times count from it.
    first_ts: Cell<Option<Option<i64>>>,
}

impl Selector {
    /// `Err` carries the usage error's sentence.
    pub fn new(o: &Options) -> Result<Selector, String> {
        let filter = match o.filter.as_deref().map(Filter::compile) {
            None => None,
            Some(Ok(f)) => Some(f),
            Some(Err(e)) => return Err(format!("--filter: {e}")),
        };
        Ok(Selector { filter, total: Cell::new(0), shown: Cell::new(0), first_ts: Cell::new(None) })
    }

    /// Sees every frame read.
    pub fn select(&self, r: &FrameRecord, p: &Frame<'_>, d: &Dissection, s: &Settings) -> bool {
        self.total.set(self.total.get() + 1);
        if self.first_ts.get().is_none() {
            self.first_ts.set(Some(r.timestamp_ns));
        }
        let keep = self.filter.as_ref().is_none_or(|f| f.matches(&Subject::with_packet(r, s, d, p.data)));
        self.shown.set(self.shown.get() + u64::from(keep));
        keep
    }

    fn first_ts(&self) -> Option<i64> {
        self.first_ts.get().flatten()
    }

    /// "Filter: EXPR (N of M frames)", when a filter was given.
    pub fn line(&self) -> Option<String> {
        let f = self.filter.as_ref()?;
        let total = self.total.get();
        let frames = if total == 1 { "frame" } else { "frames" };
        Some(format!("Filter: {} ({} of {} {frames})", f.text(), thousands(self.shown.get()), thousands(total)))
    }
}

/// The outputs of a shown frame.
pub struct Flow {
    fail_on: Option<FailOn>,
    csv: bool,
}

impl Flow {
    pub fn new(o: &Options) -> anyhow::Result<Flow> {
        Ok(Flow { fail_on: o.fail_on.clone(), csv: o.csv })
    }

    /// A shown frame: counted for `--fail-on`, written to the CSV and the annotated pcapng.
    pub fn on_frame(
        &mut self,
        sel: &Selector,
        r: &FrameRecord,
        _p: &Frame<'_>,
        s: &Settings,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        if let Some(f) = &mut self.fail_on {
            for k in &mut f.kinds {
                if k.criterion.matches(r, s) {
                    if k.frames == 0 {
                        k.first = r.number;
                    }
                    k.frames += 1;
                }
            }
        }
        if self.csv {
            let row = view::row(r, sel.first_ts(), s);
            out.write_all(view::csv_line(&row).as_bytes())?;
        }
        Ok(())
    }

    pub fn csv(&self) -> bool {
        self.csv
    }

    /// Whether a `--fail-on` kind was found already (`--follow` stops there).
    pub fn failing(&self) -> bool {
        self.fail_on.as_ref().is_some_and(|f| f.kinds.iter().any(|k| k.frames > 0))
    }

    /// Ends the outputs; returns the `--fail-on` verdict, a sentence per kind
    /// found (none: the kinds were not found, or not asked for).
    pub fn finish(self) -> anyhow::Result<Vec<String>> {
        let mut found = Vec::new();
        if let Some(f) = &self.fail_on {
            for k in &f.kinds {
                if k.frames > 0 {
                    let frames = if k.frames == 1 { "frame has" } else { "frames have" };
                    found.push(format!(
                        "--fail-on: {} {frames} {} (first: frame {})",
                        thousands(k.frames),
                        k.name,
                        k.first
                    ));
                }
            }
        }
        Ok(found)
    }
}

/// `--filter help` (or `--filter=help`) anywhere on the command line: printed
/// before clap parses, so that it needs no FILE.
pub fn wants_filter_help(args: impl Iterator<Item = String>) -> bool {
    let args: Vec<String> = args.collect();
    args.iter().any(|a| a == "--filter=help") || args.windows(2).any(|w| w[0] == "--filter" && w[1] == "help")
}
