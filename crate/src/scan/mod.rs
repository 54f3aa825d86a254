//! The capture scan: chunks in, one compact [`FrameRecord`] per frame out,
//! and a [`Summary`] of capture-wide findings at the end. The full anatomy of
//! a frame is recomputed on demand ([`crate::frame::analysis`]) from its bytes.
//!
//! The stage's parts: [`record`] (what is kept per frame and per file),
//! [`summary`] (counts, and the builder that feeds each frame to the
//! detectors `patterns`, `pings`, `path_mtu` and [`retransmit`], after
//! [`duplicates`] drops copies; [`sweep`] reads a ping sweep), [`store`]
//! (records kept compact for a face that holds them all) and [`report`]
//! (the JSON Lines contract).

mod counts;
pub mod duplicates;
mod finding;
mod path_mtu;
mod patterns;
mod pings;
pub mod record;
pub mod report;
pub mod retransmit;
pub mod store;
pub mod summary;
pub mod sweep;

use crate::capture::{CaptureError, CaptureReader, ContextBlock, Frame, Interface};
use crate::frame::dissect::{Dissection, Dissector};
use crate::frame::ledger::{account, FrameMeta};
use crate::frame::mtu::MtuFacts;
use crate::settings::Settings;
use record::{CaptureMeta, FrameRecord};
use summary::{CaptureFinding, Counts, Summary, SummaryBuilder};

/// Streaming scan of one capture.
pub struct Scanner {
    reader: CaptureReader,
    dissector: Dissector,
    settings: Settings,
    summary: SummaryBuilder,
}

impl Scanner {
    pub fn new(settings: Settings) -> Self {
        Scanner {
            reader: CaptureReader::new(),
            dissector: Dissector::new(),
            settings,
            summary: SummaryBuilder::new(settings),
        }
    }

    /// Bytes of the file consumed so far.
    pub fn consumed(&self) -> u64 {
        self.reader.consumed()
    }

    /// Feeds a chunk; `on_frame` sees each frame's record in order.
    pub fn push(&mut self, chunk: &[u8], mut on_frame: impl FnMut(&FrameRecord)) -> Result<(), CaptureError> {
        self.push_with_frames(chunk, |r, _| on_frame(r))
    }

    /// As [`Scanner::push`], also handing out the frame the record was made from.
    pub fn push_with_frames(
        &mut self,
        chunk: &[u8],
        mut on_frame: impl FnMut(&FrameRecord, &Frame<'_>),
    ) -> Result<(), CaptureError> {
        self.push_selected(chunk, |_, _, _| true, |r, p, _| on_frame(r, p))
    }

    /// As [`Scanner::push_with_frames`], for a face that shows only some
    /// frames (a display filter): `select` sees each frame's record, frame
    /// and dissection before the summary does, and only the frames it keeps
    /// are counted and handed to `on_frame`. The capture-wide summary then
    /// describes the selected frames, as a filtered list would.
    pub fn push_selected(
        &mut self,
        chunk: &[u8],
        mut select: impl FnMut(&FrameRecord, &Frame<'_>, &Dissection) -> bool,
        mut on_frame: impl FnMut(&FrameRecord, &Frame<'_>, &Dissection),
    ) -> Result<(), CaptureError> {
        let Scanner { reader, dissector, settings, summary } = self;
        // A copy of a packet needs a second capture point (issue 13). Once the
        // file has told its format and names one interface only, there is
        // none to look up, except between a Linux cooked v2 capture's
        // interface indexes. Checked per chunk: the first chunk, where the
        // interfaces are being read, is always looked up.
        summary.set_one_interface(reader.format().is_some() && reader.interface_count() == 1);
        reader.push(chunk, |p| {
            let d = dissector.facts(p.data, p.link_type, p.original_len);
            let record = frame_record(d, &p, settings);
            if select(&record, &p, d) {
                summary.add(&record, d, p.data);
                on_frame(&record, &p, d);
            }
        })
    }

    /// The interfaces described so far (pcap: the one the file header gives).
    pub fn interfaces(&self) -> Vec<Interface> {
        self.reader.interfaces()
    }

    /// Capture-wide findings of the frames read so far (see [`SummaryBuilder::findings`]).
    pub fn findings(&self) -> Vec<CaptureFinding> {
        self.summary.findings()
    }

    /// Counts of the frames read so far (at this scan's settings).
    pub fn counts(&self) -> Counts {
        self.summary.counts()
    }

    /// The reader's context blocks, to re-read one frame later ([`crate::capture::context_for`]).
    pub fn context(&self) -> (&[ContextBlock], bool) {
        (self.reader.context(), self.reader.context_complete())
    }

    /// Ends the input and returns the capture-wide summary, with the error
    /// that stopped the reader, if any.
    pub fn finish(mut self) -> Summary {
        let end = self.reader.finish();
        let meta = CaptureMeta {
            format: self.reader.format(),
            interfaces: self.reader.interfaces(),
            notes: self.reader.notes().to_vec(),
            bytes_read: self.reader.consumed(),
        };
        self.summary.finish(meta, end.err())
    }
}

fn frame_record(d: &Dissection, p: &Frame<'_>, settings: &Settings) -> FrameRecord {
    let ledger = account(d, p.data, FrameMeta { original_len: p.original_len, fcs: p.fcs }, settings);
    FrameRecord {
        number: p.number,
        offset: p.offset,
        timestamp_ns: p.timestamp_ns,
        interface: p.interface,
        link_type: p.link_type,
        direction: p.direction.or(d.direction),
        ledger,
        mtu: MtuFacts::new(d, &ledger),
    }
}

/// Scans a whole capture held in memory.
pub fn scan_bytes(bytes: &[u8], settings: Settings, mut on_frame: impl FnMut(&FrameRecord)) -> Summary {
    let mut s = Scanner::new(settings);
    let _ = s.push(bytes, &mut on_frame);
    s.finish()
}
