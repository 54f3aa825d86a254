//! Streaming capture reader for pcap and pcapng.
//!
//! The reader takes the capture as a sequence of byte chunks of any size (the
//! browser feeds `File.slice` chunks, the CLI reads a file of any size) and
//! hands out one [`Packet`] at a time. It keeps at most one partial record
//! buffered, so memory is bounded by the largest record, not by the file, and
//! the packets are the same whether the file arrives in one chunk or byte by
//! byte.
//!
//! A fault stops the reader with a [`CaptureError`] that names the byte offset
//! and what was wrong; every packet before the fault has been delivered.

pub(crate) mod error;
mod pcap;
mod pcapng;

pub use error::{CaptureError, CaptureErrorKind};

use crate::wire::link::LinkType;
use serde::{Deserialize, Serialize};

/// The largest record any sane capture holds: libpcap's MAXIMUM_SNAPLEN.
/// A larger claim is only accepted up to the file's own snaplen.
pub const MAX_SNAPLEN: u32 = 262_144;
/// The largest pcapng block read; larger ones are treated as corruption.
pub const MAX_BLOCK_LEN: u32 = 64 * 1024 * 1024;

/// The capture file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Pcap,
    /// Alexey Kuznetzov's modified pcap: 24-byte record headers.
    PcapModified,
    Pcapng,
}

/// Direction from pcapng `epb_flags` or a Linux cooked header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Inbound,
    Outbound,
}

/// What the capture's metadata says about a trailing FCS. A hint: the CRC is the proof.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FcsHint {
    /// FCS length in bytes stated by the file (pcap link-type bits, `if_fcslen`,
    /// or `epb_flags` bits 5–8), if it states one.
    pub len: Option<u8>,
    /// `epb_flags` bit 24: the capturing NIC saw a CRC error on the wire.
    pub crc_error_flag: bool,
}

/// One captured frame with the metadata that bears on its length.
#[derive(Clone, Copy, Debug)]
pub struct Packet<'a> {
    /// 1-based, counting packets in file order (other pcapng blocks do not count).
    pub number: u64,
    /// Byte offset of the record (pcap) or block (pcapng) in the file.
    pub offset: u64,
    /// pcapng interface index; 0 for pcap.
    pub interface: u32,
    pub link_type: LinkType,
    /// Nanoseconds since the Unix epoch, if the record has a timestamp.
    pub timestamp_ns: Option<i64>,
    /// Length of the frame on the wire.
    pub original_len: u32,
    pub fcs: FcsHint,
    pub direction: Option<Direction>,
    /// The captured bytes (`data.len()` is the captured length).
    pub data: &'a [u8],
}

/// A [`Packet`] that owns its bytes: kept to recompute a frame's anatomy when
/// settings change, or carried in a diagnosis link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedPacket {
    pub number: u64,
    pub offset: u64,
    pub interface: u32,
    pub link_type: LinkType,
    pub timestamp_ns: Option<i64>,
    pub original_len: u32,
    pub fcs: FcsHint,
    pub direction: Option<Direction>,
    pub data: Vec<u8>,
}

impl OwnedPacket {
    pub fn from_packet(p: &Packet<'_>) -> Self {
        OwnedPacket {
            number: p.number,
            offset: p.offset,
            interface: p.interface,
            link_type: p.link_type,
            timestamp_ns: p.timestamp_ns,
            original_len: p.original_len,
            fcs: p.fcs,
            direction: p.direction,
            data: p.data.to_vec(),
        }
    }

    pub fn packet(&self) -> Packet<'_> {
        Packet {
            number: self.number,
            offset: self.offset,
            interface: self.interface,
            link_type: self.link_type,
            timestamp_ns: self.timestamp_ns,
            original_len: self.original_len,
            fcs: self.fcs,
            direction: self.direction,
            data: &self.data,
        }
    }
}

/// A note about the file that is not fatal (the reader went on).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReaderNote {
    pub offset: u64,
    pub message: String,
}

/// Interface metadata gathered from pcap headers and pcapng IDBs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interface {
    pub link_type: LinkType,
    pub snaplen: u32,
    pub fcs_len: Option<u8>,
    pub name: Option<String>,
}

/// A block the reader must have seen to read a later packet on its own: the
/// pcap file header, a pcapng section header or interface description.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextBlock {
    pub offset: u64,
    pub len: u32,
    /// A pcap file header or pcapng section header: blocks before it no longer apply.
    pub starts_section: bool,
}

/// The most context blocks a reader keeps. A file with more (a pcapng with
/// thousands of sections or interfaces) is re-read from its start instead.
pub const MAX_CONTEXT_BLOCKS: usize = 4096;

/// The blocks to read, in order, before the packet at `offset` so that a fresh
/// reader reads it with the right link type, timestamp resolution and FCS
/// length. `None` if the reader's list was cut at [`MAX_CONTEXT_BLOCKS`].
pub fn context_for(blocks: &[ContextBlock], complete: bool, offset: u64) -> Option<Vec<ContextBlock>> {
    let before = blocks.partition_point(|b| b.offset < offset);
    if !complete && before == blocks.len() {
        return None;
    }
    let section = blocks[..before].iter().rposition(|b| b.starts_section)?;
    Some(blocks[section..before].to_vec())
}

/// Bytes to read from a packet's offset so that its whole record is sure to
/// be there in all but odd files (pcapng options over 4 KiB): the caller
/// falls back to reading from the start if [`packet_at`] finds nothing.
pub fn record_read_len(caplen: u32) -> u64 {
    u64::from(caplen) + 4096
}

/// Reads the packet whose record starts `record`, after the `context` bytes
/// (the blocks [`context_for`] named, concatenated). The packet gets its
/// number and offset in the original file.
pub fn packet_at(context: &[u8], record: &[u8], number: u64, offset: u64) -> Option<OwnedPacket> {
    let mut reader = CaptureReader::new();
    reader.push(context, |_| {}).ok()?;
    let mut found = None;
    let _ = reader.push(record, |p| {
        if found.is_none() {
            let mut own = OwnedPacket::from_packet(&p);
            own.number = number;
            own.offset = offset;
            found = Some(own);
        }
    });
    found
}

enum State {
    /// Waiting for the first 4 bytes to tell the format.
    Start,
    Pcap(pcap::PcapState),
    Pcapng(pcapng::PcapngState),
    /// Stopped by an error; further input is ignored.
    Failed,
}

/// The streaming reader. Feed it with [`CaptureReader::push`], end with
/// [`CaptureReader::finish`].
pub struct CaptureReader {
    state: State,
    /// Bytes of an incomplete record or header carried over between chunks.
    pending: Vec<u8>,
    /// File offset of `pending[0]` (or of the next chunk when `pending` is empty).
    offset: u64,
    packets: u64,
    notes: Vec<ReaderNote>,
    error: Option<CaptureError>,
    /// Format and interfaces as they were when an error stopped the reader.
    before_error: Option<(Option<Format>, Vec<Interface>)>,
    context: Vec<ContextBlock>,
}

impl Default for CaptureReader {
    fn default() -> Self {
        Self::new()
    }
}

impl CaptureReader {
    pub fn new() -> Self {
        CaptureReader {
            state: State::Start,
            pending: Vec::new(),
            offset: 0,
            packets: 0,
            notes: Vec::new(),
            error: None,
            before_error: None,
            context: Vec::new(),
        }
    }

    /// Header, section and interface blocks so far, for [`context_for`].
    pub fn context(&self) -> &[ContextBlock] {
        &self.context
    }

    /// False once more than [`MAX_CONTEXT_BLOCKS`] were seen (the rest are not kept).
    pub fn context_complete(&self) -> bool {
        self.context.len() < MAX_CONTEXT_BLOCKS
    }

    /// The format, once the first bytes have told it.
    pub fn format(&self) -> Option<Format> {
        if let Some((f, _)) = &self.before_error {
            return *f;
        }
        match &self.state {
            State::Pcap(p) => Some(p.format()),
            State::Pcapng(_) => Some(Format::Pcapng),
            _ => None,
        }
    }

    /// Interfaces seen so far (the pcap file header counts as interface 0).
    pub fn interfaces(&self) -> Vec<Interface> {
        if let Some((_, i)) = &self.before_error {
            return i.clone();
        }
        match &self.state {
            State::Pcap(p) => vec![p.interface()],
            State::Pcapng(p) => p.all_interfaces(),
            _ => Vec::new(),
        }
    }

    /// Non-fatal remarks about the file (reserved bits set, odd versions, ...).
    pub fn notes(&self) -> &[ReaderNote] {
        &self.notes
    }

    /// Packets delivered so far.
    pub fn packets(&self) -> u64 {
        self.packets
    }

    /// Bytes consumed so far: the offset of the first byte not yet part of a
    /// delivered record.
    pub fn consumed(&self) -> u64 {
        self.offset
    }

    /// The error that stopped the reader, if any.
    pub fn error(&self) -> Option<&CaptureError> {
        self.error.as_ref()
    }

    /// Feeds the next chunk of the file. Every complete packet in it is passed
    /// to `on_packet` in file order. After an error, the call returns it again
    /// and ignores the chunk.
    pub fn push(&mut self, chunk: &[u8], mut on_packet: impl FnMut(Packet<'_>)) -> Result<(), CaptureError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let result = if self.pending.is_empty() {
            // Fast path: parse straight from the caller's chunk, keep only the tail.
            let r = self.parse(chunk, &mut on_packet);
            if let Ok(used) = r {
                self.pending.extend_from_slice(&chunk[used..]);
            }
            r.map(drop)
        } else {
            let mut buf = core::mem::take(&mut self.pending);
            buf.extend_from_slice(chunk);
            let r = self.parse(&buf, &mut on_packet);
            if let Ok(used) = r {
                buf.drain(..used);
            }
            self.pending = buf;
            r.map(drop)
        };
        if let Err(e) = &result {
            self.fail(e.clone());
            self.pending = Vec::new();
        }
        result
    }

    /// Ends the input. Bytes left over that do not make a whole record are an
    /// error that says where the cut-off record starts and how much is missing.
    pub fn finish(&mut self) -> Result<(), CaptureError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let err = match &self.state {
            State::Start if self.pending.is_empty() && self.offset == 0 => {
                Some(CaptureError::new(0, CaptureErrorKind::Empty))
            }
            State::Start => Some(CaptureError::new(
                0,
                CaptureErrorKind::CutOff { what: "file header", needed: 4, available: self.pending.len() as u64 },
            )),
            State::Pcap(p) if !self.pending.is_empty() => Some(p.cut_off(self.offset, &self.pending)),
            State::Pcapng(p) if !self.pending.is_empty() => Some(p.cut_off(self.offset, &self.pending)),
            _ => None,
        };
        match err {
            Some(e) => {
                self.fail(e.clone());
                Err(e)
            }
            None => Ok(()),
        }
    }

    fn fail(&mut self, e: CaptureError) {
        self.before_error = Some((self.format(), self.interfaces()));
        self.error = Some(e);
        self.state = State::Failed;
    }

    /// Parses as many whole records from `data` (which starts at `self.offset`)
    /// as it holds; returns the bytes used.
    fn parse(&mut self, data: &[u8], on_packet: &mut impl FnMut(Packet<'_>)) -> Result<usize, CaptureError> {
        let mut used = 0usize;
        loop {
            let rest = &data[used..];
            let at = self.offset;
            let step = match &mut self.state {
                State::Start => {
                    let Some(magic) = rest.get(..4) else { return Ok(used) };
                    let magic = [magic[0], magic[1], magic[2], magic[3]];
                    if pcapng::is_section_header(magic) {
                        self.state = State::Pcapng(pcapng::PcapngState::new());
                        continue;
                    }
                    match pcap::PcapState::from_magic(magic) {
                        Some(p) => {
                            self.state = State::Pcap(p);
                            continue;
                        }
                        None => return Err(CaptureError::new(0, CaptureErrorKind::UnknownMagic(magic))),
                    }
                }
                State::Pcap(p) => {
                    let step = p.step(rest, at, &mut self.packets, &mut self.notes, on_packet)?;
                    if let (0, Step::Consumed(n)) = (at, &step) {
                        self.context.push(ContextBlock { offset: 0, len: *n as u32, starts_section: true });
                    }
                    step
                }
                State::Pcapng(p) => {
                    let step = p.step(rest, at, &mut self.packets, &mut self.context, on_packet)?;
                    self.context.truncate(MAX_CONTEXT_BLOCKS);
                    step
                }
                State::Failed => return Ok(used),
            };
            match step {
                Step::Consumed(n) => {
                    used += n;
                    self.offset += n as u64;
                }
                Step::NeedMore => return Ok(used),
            }
        }
    }
}

/// What one parsing step did.
enum Step {
    /// A header or record of this many bytes was consumed.
    Consumed(usize),
    /// The next unit is not complete in the buffer.
    NeedMore,
}

/// Reads a whole capture held in memory, handing out every packet; returns
/// the error that stopped it, if any. Streaming callers use [`CaptureReader`].
pub fn read_all(bytes: &[u8], mut on_packet: impl FnMut(Packet<'_>)) -> Option<CaptureError> {
    let mut r = CaptureReader::new();
    r.push(bytes, &mut on_packet).and_then(|_| r.finish()).err()
}

/// Converts a timestamp in units of 10^-n or 2^-n seconds (pcapng `if_tsresol`)
/// to nanoseconds, saturating rather than overflowing.
pub(crate) fn to_nanos(units: u64, tsresol: u8, offset_s: i64) -> i64 {
    let ns: i128 = if tsresol & 0x80 == 0 {
        let exp = u32::from(tsresol & 0x7f);
        if exp <= 9 {
            i128::from(units) * 10i128.pow(9 - exp)
        } else {
            i128::from(units) / 10i128.saturating_pow(exp - 9)
        }
    } else {
        let exp = u32::from(tsresol & 0x7f).min(126);
        (i128::from(units) * 1_000_000_000) >> exp
    };
    let total = ns + i128::from(offset_s) * 1_000_000_000;
    total.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_resolutions() {
        assert_eq!(to_nanos(1_500_000, 6, 0), 1_500_000_000);
        assert_eq!(to_nanos(7, 9, 1), 1_000_000_007);
        assert_eq!(to_nanos(1 << 20, 0x80 | 20, 0), 1_000_000_000);
        assert_eq!(to_nanos(u64::MAX, 0, i64::MAX), i64::MAX);
    }

    #[test]
    fn empty_input_is_named() {
        let e = read_all(&[], |_| {}).unwrap();
        assert_eq!(e.kind, CaptureErrorKind::Empty);
    }

    #[test]
    fn unknown_magic_is_named_with_bytes() {
        let e = read_all(b"GET / HTTP/1.1\r\n", |_| {}).unwrap();
        assert_eq!(e.offset, 0);
        assert!(e.to_string().contains("47 45 54 20"), "{e}");
    }
}
