//! Re-reading one frame of a file on its own: the context blocks to read
//! before it (the file header, or its section and interfaces), how many bytes
//! of its record to read, and the frame those bytes give a fresh reader; else
//! the file from its start ([`FrameSearch`]). No I/O here: the CLI reads a
//! file, the web app a Blob, both in the byte ranges a [`RecordAt`] names.

use super::frame::OwnedFrame;
use super::reader::{CaptureReader, ContextBlock};
use std::ops::Range;

/// Where a frame's record lies in its file, from the scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordAt {
    pub number: u64,
    pub offset: u64,
    /// Its captured length: tells a whole re-read from a cut one.
    pub caplen: u32,
}

/// What to read to get one frame again without reading the file from its start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RereadPlan {
    /// The context blocks ([`context_for`]), for a face that keeps their bytes.
    pub blocks: Vec<ContextBlock>,
    /// Their bytes' ranges in the file, adjacent blocks (a section header and
    /// its interfaces) as one range: one read each.
    pub context: Vec<Range<u64>>,
    /// The record's range ([`record_read_len`] bytes, fewer at the file's end).
    pub record: Range<u64>,
}

impl RecordAt {
    /// The ranges to read in a file of `file_len` bytes, given the reader's
    /// context blocks; `None` when they do not reach back to the frame's
    /// section: read from the start with [`RecordAt::search`].
    pub fn plan(self, blocks: &[ContextBlock], complete: bool, file_len: u64) -> Option<RereadPlan> {
        let blocks = context_for(blocks, complete, self.offset)?;
        let mut context: Vec<Range<u64>> = Vec::new();
        for b in &blocks {
            let end = (b.offset + u64::from(b.len)).min(file_len);
            match context.last_mut() {
                Some(last) if last.end == b.offset => last.end = end,
                _ => context.push(b.offset..end),
            }
        }
        let record = self.offset..(self.offset + record_read_len(self.caplen)).min(file_len);
        Some(RereadPlan { blocks, context, record })
    }

    /// The frame the plan's bytes give (`context`: its context ranges'
    /// bytes, concatenated), if they give all of its captured bytes; `None`
    /// (a record with options over 4 KiB): read from the start.
    pub fn frame(self, context: &[u8], record: &[u8]) -> Option<OwnedFrame> {
        packet_at(context, record, self.number, self.offset).filter(|p| p.data.len() == self.caplen as usize)
    }

    /// Reading the file from its start for this frame.
    pub fn search(self) -> FrameSearch {
        FrameSearch { reader: CaptureReader::new(), number: self.number, found: None, stopped: false }
    }
}

/// Frame `number` looked for in a file read from its start, chunk by chunk.
pub struct FrameSearch {
    reader: CaptureReader,
    number: u64,
    found: Option<OwnedFrame>,
    /// The file was unreadable before the frame: no use reading on.
    stopped: bool,
}

impl FrameSearch {
    /// Reads the file's next chunk; true once reading on is no use (the
    /// frame was found, or the file stopped making sense before it).
    pub fn push(&mut self, chunk: &[u8]) -> bool {
        let (number, found) = (self.number, &mut self.found);
        let read = self.reader.push(chunk, |p| {
            if p.number == number && found.is_none() {
                *found = Some(OwnedFrame::from_packet(&p));
            }
        });
        self.stopped |= read.is_err();
        self.stopped || self.found.is_some()
    }

    /// The frame, if the file had it.
    pub fn finish(self) -> Option<OwnedFrame> {
        self.found
    }
}

/// The blocks to read, in order, before the frame at `offset` so that a fresh
/// reader reads it with the right link type, timestamp resolution and FCS
/// length. `None` if the reader's list was cut at [`MAX_CONTEXT_BLOCKS`](super::MAX_CONTEXT_BLOCKS).
pub fn context_for(blocks: &[ContextBlock], complete: bool, offset: u64) -> Option<Vec<ContextBlock>> {
    let before = blocks.partition_point(|b| b.offset < offset);
    if !complete && before == blocks.len() {
        return None;
    }
    let section = blocks[..before].iter().rposition(|b| b.starts_section)?;
    Some(blocks[section..before].to_vec())
}

/// Bytes to read from a frame's offset so that its whole record is sure to
/// be there in all but odd files (pcapng options over 4 KiB): the caller
/// falls back to reading from the start if [`packet_at`] finds nothing.
pub fn record_read_len(caplen: u32) -> u64 {
    u64::from(caplen) + 4096
}

/// Reads the frame whose record starts `record`, after the `context` bytes
/// (the blocks [`context_for`] named, concatenated). The frame gets its
/// number and offset in the original file.
pub fn packet_at(context: &[u8], record: &[u8], number: u64, offset: u64) -> Option<OwnedFrame> {
    let mut reader = CaptureReader::new();
    reader.push(context, |_| {}).ok()?;
    let mut found = None;
    let _ = reader.push(record, |p| {
        if found.is_none() {
            let mut own = OwnedFrame::from_packet(&p);
            own.number = number;
            own.offset = offset;
            found = Some(own);
        }
    });
    found
}
