//! Messages between the page and the scan worker. Each message is a JS object
//! `{ msg: <JSON of these types>, file?: Blob, records?: Uint8Array }`: the
//! small parts as JSON, the file and the record bytes as they are (the record
//! buffer is transferred, not copied). A path request carries its captures
//! as `files: Blob[]`, a scan its kernel logs as `logs: Blob[]`; journeys
//! come as `records`, their `framelens::explain::journey` words (u32, little endian).

use framelens::capture::ContextBlock;
use framelens::explain::annotate::TrimKinds;
use framelens::log::matching::LogEntry;
use framelens::path::PathFinding;
use framelens::scan::summary::{CaptureFinding, Counts, Summary};
use framelens::settings::Settings;
use serde::{Deserialize, Serialize};

/// Page → worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ToWorker {
    /// Scan the `file` that comes with the message, matching the kernel
    /// `logs` that come with it (named `log_names`) against its frames.
    Scan {
        load_id: u32,
        settings: Settings,
        #[serde(default)]
        log_names: Vec<String>,
    },
    /// Follow packets across the `files` that come with the message (named
    /// `names`, in the order they were opened). `order`: the capture points'
    /// order the reader chose, `FILE[:IFACE]` each (the core's
    /// `framelens::path::point::PointSpec`); empty when the evidence decides.
    Path {
        path_id: u32,
        settings: Settings,
        names: Vec<String>,
        #[serde(default)]
        order: Vec<String>,
    },
    /// Stop the path diagnosis `path_id`.
    CancelPath { path_id: u32 },
    /// Stop the scan of `load_id` (a newer scan also stops it).
    Cancel { load_id: u32 },
    /// Re-read the `file` and evaluate the display filter `expr` on every
    /// frame's bytes: answered by [`FromWorker::Selected`]. A newer request
    /// stops an older one.
    Select { load_id: u32, expr: String, settings: Settings },
    /// Re-read the `file` and write it as an annotated pcapng (the core's
    /// `framelens::explain::annotate::Annotator`, as `--annotate` does): only
    /// the frames whose numbers come with the message (`numbers`: u64
    /// little-endian, ascending), or every frame when `all`; cut as `trim`
    /// says (`--trim`'s kinds), unchanged without. Answered by [`FromWorker::Annotated`].
    Annotate {
        load_id: u32,
        settings: Settings,
        all: bool,
        #[serde(default)]
        trim: Option<TrimKinds>,
    },
}

/// What the page needs to re-read one frame alone: the reader's context blocks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadContext {
    pub blocks: Vec<ContextBlock>,
    pub complete: bool,
}

/// The kernel logs read beside the capture.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogView {
    /// Each recognised line and the frames it was matched to, as the core reports it.
    pub rows: Vec<LogEntry>,
    /// Logs that could not be read, in sentences.
    pub errors: Vec<String>,
}

/// One capture point of a path diagnosis: the core's, and how an order
/// names it, which takes its file's name (the worker has the names).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointView {
    #[serde(flatten)]
    pub point: framelens::path::Point,
    /// `controller.pcapng:eth1`: the point as an order names it (the core's `PointSpec`).
    #[serde(default)]
    pub spec: String,
}

/// How the points' order was found: the core's `PathOrder`, its points
/// named as an order names them (`FILE:IFACE`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    /// The reader gave it (the columns dragged, an `order=` link).
    pub given: bool,
    /// How it was found, in the core's words.
    pub sentence: String,
    /// Other orders the evidence allows equally, each every point in order.
    pub competing: Vec<Vec<String>>,
    /// Points of the reader's order that name none of the captures, in sentences.
    #[serde(default)]
    pub unknown: Vec<String>,
}

/// What the path diagnosis found, once every file was read twice.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathOutcome {
    pub points_in_order: Vec<u16>,
    pub points_in_order_reverse: Vec<u16>,
    /// The core's findings; a loss's `between` stays in the worker (not in the JSON).
    pub findings: Vec<PathFinding>,
    pub counts: framelens::path::PathCounts,
    /// Files that stopped at a fault, in sentences.
    pub errors: Vec<String>,
    /// Per file: what re-reading one of its frames needs.
    pub contexts: Vec<ReadContext>,
    /// Per file: how far its clock runs ahead of the first file's, in ns.
    #[serde(default)]
    pub clock_offsets_ns: Vec<i64>,
    /// How the points' order was found.
    #[serde(default)]
    pub order: OrderView,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FromWorker {
    /// The worker listens now: a message posted before this would be lost
    /// (its handler is set only once its wasm has started).
    Ready,
    /// The `records` that come with the message were read; `bytes_done` of the file so far.
    Frames {
        load_id: u32,
        /// Records in the buffer and where each block of them starts: the
        /// page stores them without decoding. `counts_so_far` counts every
        /// frame read up to here under `settings` (the scanner counts them anyway).
        records: usize,
        blocks: Vec<u32>,
        counts_so_far: Box<Counts>,
        settings: Settings,
        bytes_done: u64,
        elapsed_ms: f64,
        /// Only when it changed since the last message.
        context: Option<ReadContext>,
        /// Capture-wide findings so far; only when they changed.
        findings: Option<Vec<CaptureFinding>>,
    },
    Finished {
        load_id: u32,
        bytes_done: u64,
        elapsed_ms: f64,
        context: ReadContext,
        summary: Box<Summary>,
        /// The kernel logs matched, when the scan had some.
        #[serde(default)]
        log: Option<LogView>,
    },
    /// The survey of a path diagnosis is done: its points.
    PathPoints {
        path_id: u32,
        points: Vec<PointView>,
    },
    /// `journeys` journeys closed (their words in `records`), with the change texts new since the last batch.
    Journeys {
        path_id: u32,
        journeys: usize,
        texts: Vec<String>,
        bytes_done: u64,
        bytes_total: u64,
        elapsed_ms: f64,
    },
    PathDone {
        path_id: u32,
        outcome: Box<PathOutcome>,
        elapsed_ms: f64,
    },
    PathFailed {
        path_id: u32,
        message: String,
    },
    /// The frames that match `expr` (the `records` buffer: their numbers,
    /// u64 little-endian, ascending), or why they could not be found.
    Selected {
        load_id: u32,
        expr: String,
        settings: Settings,
        error: Option<String>,
    },
    /// The annotated pcapng, as the `file` Blob that comes with the message
    /// (`error`: why there is none).
    Annotated {
        load_id: u32,
        frames: u64,
        commented: u64,
        error: Option<String>,
    },
    /// The file itself could not be read (not a capture error: those come in the summary).
    Failed {
        load_id: u32,
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use framelens::scan::scan_bytes;

    #[test]
    fn messages_survive_json() {
        let bytes = std::fs::read("../static/examples/two-bytes.pcap").unwrap();
        let summary = scan_bytes(&bytes, Settings::default(), |_| {});
        assert!(!summary.findings.is_empty());
        let ctx =
            ReadContext { blocks: vec![ContextBlock { offset: 0, len: 24, starts_section: true }], complete: true };
        for m in [
            FromWorker::Frames {
                load_id: 3,
                records: 17,
                blocks: vec![0],
                counts_so_far: Box::new(summary.counts),
                settings: Settings::default(),
                bytes_done: 10,
                elapsed_ms: 1.5,
                context: Some(ctx.clone()),
                findings: Some(summary.findings.clone()),
            },
            FromWorker::Finished {
                load_id: 3,
                bytes_done: 99,
                elapsed_ms: 2.0,
                context: ctx,
                summary: Box::new(summary.clone()),
                log: Some(LogView {
                    rows: vec![LogEntry {
                        fields: framelens::log::matching::LogLineFields {
                            file: "kern.log".into(),
                            line: 4,
                            time_ns: Some(1),
                            device: None,
                            kind: framelens::log::message::MessageKind::OverMtu,
                            text: "dropped".into(),
                        },
                        frames: vec![3],
                    }],
                    errors: vec!["x".into()],
                }),
            },
            FromWorker::Journeys {
                path_id: 1,
                journeys: 2,
                texts: vec!["a".into()],
                bytes_done: 1,
                bytes_total: 2,
                elapsed_ms: 0.5,
            },
            FromWorker::PathDone { path_id: 1, outcome: Box::default(), elapsed_ms: 1.0 },
            FromWorker::PathPoints {
                path_id: 2,
                points: vec![PointView {
                    point: framelens::path::Point {
                        index: 1,
                        file: 0,
                        key: framelens::capture::PointKey { interface: 0, ifindex: Some(3) },
                        name: Some("eth1".into()),
                        link_type: 276,
                        frames: 5,
                        label: "controller.pcapng · eth1".into(),
                    },
                    spec: "controller.pcapng:eth1".into(),
                }],
            },
            // The core's own types, as the page reads them back.
            FromWorker::PathDone {
                path_id: 2,
                outcome: Box::new(PathOutcome {
                    findings: vec![PathFinding {
                        kind: framelens::path::PathFindingKind::Loss,
                        sentence: "3 packets never reach b".into(),
                        journeys: vec![4],
                        between: None,
                    }],
                    ..PathOutcome::default()
                }),
                elapsed_ms: 1.0,
            },
            FromWorker::Failed { load_id: 1, message: "no".into() },
        ] {
            // Fields a summary does not serialize (an interface's `tsresol`)
            // come back as their default: the JSON itself must round-trip.
            let json = serde_json::to_string(&m).unwrap();
            let back = serde_json::from_str::<FromWorker>(&json).unwrap();
            assert_eq!(serde_json::to_string(&back).unwrap(), json);
        }
        for m in [
            ToWorker::Scan { load_id: 2, settings: Settings::default(), log_names: vec!["kern.log".into()] },
            ToWorker::Path {
                path_id: 3,
                settings: Settings::default(),
                names: vec!["a".into(), "b".into()],
                order: vec!["b:eth1".into(), "a".into()],
            },
        ] {
            assert_eq!(serde_json::from_str::<ToWorker>(&serde_json::to_string(&m).unwrap()).unwrap(), m);
        }
    }
}
