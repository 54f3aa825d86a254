//! Streaming capture reader for pcap and pcapng.
//!
//! The reader takes the capture as a sequence of byte chunks of any size (the
//! browser feeds `File.slice` chunks, the CLI reads a file of any size) and
//! hands out one [`Frame`] at a time. It keeps at most one partial record
//! buffered, and a record's length is checked against a fixed bound
//! ([`max_record_bytes`] for a pcap record, [`MAX_BLOCK_BYTES`] for a pcapng
//! block) as soon as its header is read, before any of it is buffered: memory
//! is bounded by that bound, never by what the file claims nor by the file's
//! size. The frames are the same whether the file arrives in one chunk or
//! byte by byte.
//!
//! Lengths read from the file are `u32`; they are compared and summed in
//! `u64` or with checked `usize` arithmetic, so that no claimed length can
//! overflow where `usize` is 32 bits (wasm32).
//!
//! A fault stops the reader with a [`CaptureError`] that names the byte offset
//! and what was wrong; every frame before the fault has been delivered.

pub(crate) mod error;
mod pcap;
mod pcapng;
pub mod write;

pub use error::{CaptureError, CaptureErrorKind};

use crate::wire::link::LinkType;
use serde::{Deserialize, Serialize};

/// The most captured bytes Framelens reads of one record: libpcap's
/// `MAXIMUM_SNAPLEN` (pcap-int.h), the largest snaplen tcpdump and libpcap
/// write or accept for all but a few link types ([`max_record_bytes`]).
/// The snaplen a file's header claims does not raise it: a header may claim
/// 4 GiB, and a record claiming more than this is corruption.
pub const MAX_RECORD_BYTES: u32 = 262_144;

/// The most captured bytes Framelens reads of one record of `link`: libpcap's
/// `max_snaplen_for_dlt()` (pcap-common.c). [`MAX_RECORD_BYTES`] for every
/// link type but three whose frames are larger by definition:
///
/// | link type | bound | why (libpcap's comment) |
/// |---|---|---|
/// | 231 `DBUS` | 128 MiB | the largest D-Bus message (D-Bus specification) |
/// | 279 `EBHSCR` | 8 MiB | the largest EBHSCR frame (Elektrobit) |
/// | 249 `USBPCAP` | 1 MiB | the largest USBPcap transfer (Wireshark bug 15985) |
///
/// (These LINKTYPE_ values equal their DLT_ values, so libpcap's switch on the
/// DLT applies to the file's value as it stands.)
pub const fn max_record_bytes(link: LinkType) -> u32 {
    match link.0 {
        LINKTYPE_DBUS => 128 * 1024 * 1024,
        LINKTYPE_EBHSCR => 8 * 1024 * 1024,
        LINKTYPE_USBPCAP => 1024 * 1024,
        _ => MAX_RECORD_BYTES,
    }
}

const LINKTYPE_DBUS: u16 = 231;
const LINKTYPE_USBPCAP: u16 = 249;
const LINKTYPE_EBHSCR: u16 = 279;

/// Where a record bound comes from, for error sentences.
pub(crate) fn record_bound_source(link: LinkType) -> &'static str {
    match link.0 {
        LINKTYPE_DBUS => "libpcap's largest snaplen for D-Bus, the largest D-Bus message",
        LINKTYPE_EBHSCR => "libpcap's largest snaplen for EBHSCR",
        LINKTYPE_USBPCAP => "libpcap's largest snaplen for USBPcap",
        _ => "libpcap's largest snaplen",
    }
}

/// The most bytes Framelens reads of one pcapng block: libpcap's
/// `INITIAL_MAX_BLOCKSIZE` (sf-pcapng.c), 16 MiB. An interface whose link
/// type has a larger record bound ([`max_record_bytes`]: only D-Bus) raises it
/// to [`max_block_bytes_for`] that bound for the rest of the file, as libpcap
/// raises its `max_blocksize`; nothing else does, so a block length field
/// claiming up to 4 GiB is refused before any of the block is buffered.
pub const MAX_BLOCK_BYTES: u32 = 16 * 1024 * 1024;

/// libpcap's `MAX_BLOCKSIZE_FOR_SNAPLEN` (sf-pcapng.c): an enhanced packet
/// block of a `record_bound`-byte packet with 128 KiB of options (block
/// header 8, fixed EPB fields 20, options 131,072, trailer 4), and never
/// below [`MAX_BLOCK_BYTES`].
pub const fn max_block_bytes_for(record_bound: u32) -> u32 {
    let epb = record_bound.saturating_add(8 + 20 + 131_072 + 4);
    if epb > MAX_BLOCK_BYTES {
        epb
    } else {
        MAX_BLOCK_BYTES
    }
}

/// The whole length of a record or block of `header` bytes and a `body` the
/// file claims, if it fits in `usize` (it may not where `usize` is 32 bits).
pub(crate) fn unit_len(header: usize, body: u32) -> Option<usize> {
    usize::try_from(body).ok()?.checked_add(header)
}

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
pub struct Frame<'a> {
    /// 1-based, counting frames (packet records or blocks) in file order (other pcapng blocks do not count).
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
    /// The interfaces of the frame's section that the reader had read when it
    /// read the frame, in the section's order: `interfaces[interface]` is the
    /// frame's own. Whoever rewrites the capture (`capture::write`) needs
    /// them, since `interface` counts within the section while
    /// [`CaptureReader::interfaces`] runs across sections. Empty for a frame
    /// rebuilt from a record or a diagnosis link.
    pub interfaces: &'a [Interface],
}

impl Frame<'_> {
    /// The interface description this frame was read with, if the reader gave it.
    pub fn interface_description(&self) -> Option<&Interface> {
        self.interfaces.get(self.interface as usize)
    }
}

/// A [`Frame`] that owns its bytes: kept to recompute a frame's anatomy when
/// settings change, or carried in a diagnosis link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedFrame {
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

impl OwnedFrame {
    pub fn from_packet(p: &Frame<'_>) -> Self {
        OwnedFrame {
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

    pub fn packet(&self) -> Frame<'_> {
        Frame {
            number: self.number,
            offset: self.offset,
            interface: self.interface,
            link_type: self.link_type,
            timestamp_ns: self.timestamp_ns,
            original_len: self.original_len,
            fcs: self.fcs,
            direction: self.direction,
            data: &self.data,
            interfaces: &[],
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
///
/// `section`, `tsresol` and `tsoffset` are what a writer needs to rebuild the
/// interface; they are not part of the JSON summary (whose contract predates
/// them), hence `serde(skip)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interface {
    pub link_type: LinkType,
    pub snaplen: u32,
    pub fcs_len: Option<u8>,
    pub name: Option<String>,
    /// 0-based pcapng section the interface belongs to (0 for pcap).
    #[serde(skip)]
    pub section: u32,
    /// Timestamp resolution as pcapng's `if_tsresol` codes it (section
    /// 4.2): 10^-n seconds, or 2^-n with bit 7 set. A pcap file is 6 (µs) or
    /// 9 (ns, the nanosecond magic).
    #[serde(skip, default = "default_tsresol")]
    pub tsresol: u8,
    /// pcapng `if_tsoffset`: seconds added to every timestamp (0 for pcap).
    #[serde(skip)]
    pub tsoffset: i64,
}

/// pcapng's default `if_tsresol` (section 4.2): microseconds.
pub const DEFAULT_TSRESOL: u8 = 6;

fn default_tsresol() -> u8 {
    DEFAULT_TSRESOL
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

/// The blocks to read, in order, before the frame at `offset` so that a fresh
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
    /// anything is buffered ([`max_record_bytes`], [`MAX_BLOCK_BYTES`]).
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
    /// than one record, header included: below [`max_record_bytes`] plus a
    /// 24-byte record header for pcap, [`MAX_BLOCK_BYTES`] (or what a D-Bus
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
enum Step {
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
    fn timestamp_resolutions() {
        assert_eq!(to_nanos(1_500_000, 6, 0), 1_500_000_000);
        assert_eq!(to_nanos(7, 9, 1), 1_000_000_007);
        assert_eq!(to_nanos(1 << 20, 0x80 | 20, 0), 1_000_000_000);
        assert_eq!(to_nanos(u64::MAX, 0, i64::MAX), i64::MAX);
    }

    #[test]
    fn claimed_lengths_that_overflow_usize_are_none() {
        assert_eq!(unit_len(24, 100), Some(124));
        assert_eq!(unit_len(usize::MAX, 1), None);
        assert_eq!(unit_len(usize::MAX - 16, 16), Some(usize::MAX));
        // 24 + u32::MAX overflows a 32-bit usize (wasm32).
        if usize::BITS == 32 {
            assert_eq!(unit_len(24, u32::MAX), None);
        }
        assert_eq!(max_block_bytes_for(MAX_RECORD_BYTES), MAX_BLOCK_BYTES);
        assert_eq!(max_block_bytes_for(128 * 1024 * 1024), 128 * 1024 * 1024 + 131_104);
        assert_eq!(max_block_bytes_for(u32::MAX), u32::MAX);
    }

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
