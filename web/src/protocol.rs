//! Messages between the page and the scan worker. Each message is a JS object
//! `{ msg: <JSON of these types>, file?: Blob, records?: Uint8Array }`: the
//! small parts as JSON, the file and the record bytes as they are (the record
//! buffer is transferred, not copied).

use framelens::capture::ContextBlock;
use framelens::scan::summary::{CaptureFinding, Counts, Summary};
use framelens::settings::Settings;
use serde::{Deserialize, Serialize};

/// Page → worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ToWorker {
    /// Scan the `file` that comes with the message.
    Scan { load_id: u32, settings: Settings },
    /// Stop the scan of `load_id` (a newer scan also stops it).
    Cancel { load_id: u32 },
}

/// What the page needs to re-read one frame alone: the reader's context blocks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadContext {
    pub blocks: Vec<ContextBlock>,
    pub complete: bool,
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
            },
            FromWorker::Failed { load_id: 1, message: "no".into() },
        ] {
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(serde_json::from_str::<FromWorker>(&json).unwrap(), m);
        }
        let scan = ToWorker::Scan { load_id: 2, settings: Settings::default() };
        assert_eq!(serde_json::from_str::<ToWorker>(&serde_json::to_string(&scan).unwrap()).unwrap(), scan);
    }
}
