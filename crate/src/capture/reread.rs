//! Re-reading one frame of a file on its own: the context blocks to read
//! before it (the file header, or its section and interfaces), how many bytes
//! of its record to read, and the frame those bytes give a fresh reader.

use super::frame::OwnedFrame;
use super::reader::{CaptureReader, ContextBlock};

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
