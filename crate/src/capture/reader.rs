//! The streaming reader: chunks of any size in, one [`Frame`] at a time out,
//! with at most one partial record buffered. It tells pcap from pcapng by the
//! first bytes and hands each record to that format's parser.

use super::error::{CaptureError, CaptureErrorKind};
use super::frame::{Frame, Interface};
use super::{pcap, pcapng};
use serde::{Deserialize, Serialize};

/// Pending-buffer capacity kept between records; a larger buffer (left by a
/// record above this size) is freed once its record has been read.
const KEEP_CAPACITY: usize = 64 * 1024;

/// The capture file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Pcap,
    /// Alexey Kuznetzov's modified pcap: 24-byte record headers.
    PcapModified,
    Pcapng,
}

/// A note about the file that is not fatal (the reader went on).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReaderNote {
    pub offset: u64,
    pub message: String,
}

/// Whether a file's first bytes (at least 4) are a pcap or pcapng magic
/// number: what tells a capture from any other file before reading it.
pub fn has_capture_magic(head: &[u8]) -> bool {
    let Some(m) = head.get(..4) else { return false };
    let magic = [m[0], m[1], m[2], m[3]];
    pcapng::is_section_header(magic) || pcap::PcapState::from_magic(magic).is_some()
}

/// A block the reader must have seen to read a later frame on its own: the
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
    /// Bytes of an incomplete record or header carried over between chunks:
    /// never more than the unit they start needs, which is bounded before
    /// anything is buffered ([`max_record_bytes`](super::max_record_bytes), [`MAX_BLOCK_BYTES`](super::MAX_BLOCK_BYTES)).
    pending: Vec<u8>,
    /// Bytes the unit starting `pending` needs in all, as the parser last
    /// said (more than `pending.len()` while `pending` is not empty).
    need: usize,
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
            need: 0,
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

    /// How many interfaces [`CaptureReader::interfaces`] would list, without
    /// copying them (the scan asks once per chunk).
    pub fn interface_count(&self) -> usize {
        if let Some((_, i)) = &self.before_error {
            return i.len();
        }
        match &self.state {
            State::Pcap(_) => 1,
            State::Pcapng(p) => p.interface_count(),
            _ => 0,
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

    /// Frames delivered so far.
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

    /// Bytes of a partial record or header held between chunks. Never more
    /// than one record, header included: below [`max_record_bytes`](super::max_record_bytes) plus a
    /// 24-byte record header for pcap, [`MAX_BLOCK_BYTES`](super::MAX_BLOCK_BYTES) (or what a D-Bus
    /// interface raises it to) for pcapng.
    pub fn buffered(&self) -> usize {
        self.pending.len()
    }

    /// Bytes allocated for the partial-record buffer: what [`Self::buffered`]
    /// holds, rounded up to the record it is filling (and at most
    /// 64 KiB left over from an earlier record).
    pub fn buffered_capacity(&self) -> usize {
        self.pending.capacity()
    }

    /// Feeds the next chunk of the file. Every complete frame in it is passed
    /// to `on_packet` in file order. After an error, the call returns it again
    /// and ignores the chunk.
    pub fn push(&mut self, chunk: &[u8], mut on_packet: impl FnMut(Frame<'_>)) -> Result<(), CaptureError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let result = self.push_inner(chunk, &mut on_packet);
        if let Err(e) = &result {
            self.fail(e.clone());
            self.pending = Vec::new();
            self.need = 0;
        }
        result
    }

    fn push_inner(&mut self, mut chunk: &[u8], on_packet: &mut impl FnMut(Frame<'_>)) -> Result<(), CaptureError> {
        // A unit carried over from the last chunk takes only the bytes it
        // lacks, so the buffer never holds more than one record (whose length
        // the parser has checked before asking for it), whatever the chunk size.
        while !self.pending.is_empty() {
            let lacking = self.need.saturating_sub(self.pending.len());
            let take = lacking.min(chunk.len());
            self.pending.reserve_exact(take);
            self.pending.extend_from_slice(&chunk[..take]);
            chunk = &chunk[take..];
            if self.pending.len() < self.need {
                return Ok(()); // the chunk is used up
            }
            let mut buf = core::mem::take(&mut self.pending);
            let (used, need) = self.parse(&buf, on_packet)?;
            if used == 0 && take == 0 {
                // No progress (the parser asked for bytes it already had):
                // not reachable, but it must not loop.
                self.pending = buf;
                return Ok(());
            }
            buf.drain(..used);
            if buf.is_empty() && buf.capacity() > KEEP_CAPACITY {
                buf = Vec::new();
            }
            self.pending = buf;
            self.need = need;
        }
        // Fast path: parse straight from the caller's chunk, keep only the
        // tail, which is less than one unit.
        let (used, need) = self.parse(chunk, on_packet)?;
        let tail = &chunk[used..];
        if !tail.is_empty() {
            self.pending.reserve_exact(tail.len());
            self.pending.extend_from_slice(tail);
        }
        self.need = need;
        Ok(())
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
    /// as it holds; returns the bytes used and the length the next, incomplete
    /// unit needs in all (more than the bytes of it left in `data`).
    fn parse(&mut self, data: &[u8], on_packet: &mut impl FnMut(Frame<'_>)) -> Result<(usize, usize), CaptureError> {
        let mut used = 0usize;
        loop {
            let rest = &data[used..];
            let at = self.offset;
            let step = match &mut self.state {
                State::Start => {
                    let Some(magic) = rest.get(..4) else { return Ok((used, 4)) };
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
                State::Failed => return Ok((used, 0)),
            };
            match step {
                Step::Consumed(n) => {
                    used += n;
                    self.offset += n as u64;
                }
                Step::NeedMore(need) => {
                    debug_assert!(need > rest.len(), "a unit asks for more than the {} bytes it has", rest.len());
                    return Ok((used, need));
                }
            }
        }
    }
}

/// What one parsing step did.
pub(super) enum Step {
    /// A header or record of this many bytes was consumed.
    Consumed(usize),
    /// The next unit is not complete in the buffer: it needs this many bytes
    /// in all (its header's length until the header is there, then its whole
    /// length, which has been checked against its bound).
    NeedMore(usize),
}

/// Reads a whole capture held in memory, handing out every frame; returns
/// the error that stopped it, if any. Streaming callers use [`CaptureReader`].
pub fn read_all(bytes: &[u8], mut on_packet: impl FnMut(Frame<'_>)) -> Option<CaptureError> {
    let mut r = CaptureReader::new();
    r.push(bytes, &mut on_packet).and_then(|_| r.finish()).err()
}

/// Feeds `file` to a fresh reader `chunk` bytes at a time and returns its
/// first error, checking after every push that at most `max_buffered`
/// bytes are held: the shape of the tests that a header claiming gigabytes
/// is refused before anything is buffered for it.
#[cfg(test)]
pub(crate) fn first_error_bounded(file: &[u8], chunk: usize, max_buffered: usize) -> Option<CaptureError> {
    let mut r = CaptureReader::new();
    for c in file.chunks(chunk) {
        if let Err(e) = r.push(c, |_| panic!("no packet")) {
            return Some(e);
        }
        assert!(r.buffered() <= max_buffered, "{} bytes buffered, at most {max_buffered} expected", r.buffered());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_carried_over_record_takes_only_the_bytes_it_lacks() {
        // A pcap of two 1,000-byte records: after the first 30 bytes, a 1 MiB
        // chunk completes the first record and its tail starts the next; the
        // buffer never holds the whole chunk.
        let mut f = 0xa1b2_c3d4u32.to_le_bytes().to_vec();
        f.extend_from_slice(&[2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        f.extend_from_slice(&65_535u32.to_le_bytes());
        f.extend_from_slice(&1u32.to_le_bytes());
        for _ in 0..2 {
            for v in [0u32, 0, 1_000, 1_000] {
                f.extend_from_slice(&v.to_le_bytes());
            }
            f.extend_from_slice(&[0; 1_000]);
        }
        let mut r = CaptureReader::new();
        let mut n = 0;
        r.push(&f[..30], |_| n += 1).unwrap();
        assert_eq!(r.buffered(), 6);
        r.push(&f[30..1_500], |_| n += 1).unwrap();
        assert_eq!((n, r.buffered()), (1, 1_500 - 1_040));
        assert!(r.buffered_capacity() <= 1_016, "{}", r.buffered_capacity());
        r.push(&f[1_500..], |_| n += 1).unwrap();
        assert_eq!((n, r.buffered()), (2, 0));
        r.finish().unwrap();
    }

    #[test]
    fn empty_input_is_named() {
        let e = read_all(&[], |_| {}).unwrap();
        assert_eq!(e.kind, CaptureErrorKind::Empty);
    }

    #[test]
    fn capture_magic_tells_captures_from_other_files() {
        assert!(has_capture_magic(&[0xd4, 0xc3, 0xb2, 0xa1, 2, 0]));
        assert!(has_capture_magic(&[0x0a, 0x0d, 0x0d, 0x0a]));
        assert!(!has_capture_magic(b"2024-12-01T10:00:10"));
        assert!(!has_capture_magic(&[0xd4, 0xc3]));
    }

    #[test]
    fn unknown_magic_is_named_with_bytes() {
        let e = read_all(b"GET / HTTP/1.1\r\n", |_| {}).unwrap();
        assert_eq!(e.offset, 0);
        assert!(e.to_string().contains("47 45 54 20"), "{e}");
    }
}
