//! A streaming pcapng writer (draft-ietf-opsawg-pcapng): frames in, blocks
//! out, one frame at a time. It writes what the reader read, so that a
//! capture can be handed to Wireshark with Framelens' verdict as frame
//! comments: a section header for each input section that has a frame
//! written, the section's interfaces (link type, snaplen, `if_name`,
//! `if_tsresol`, `if_tsoffset`, `if_fcslen`) before the first frame that
//! needs them, and an Enhanced Packet Block per frame with its timestamp in
//! its interface's resolution, its original length, its captured bytes,
//! `epb_flags` (direction, FCS length, CRC error) when the input said them,
//! and an optional `opt_comment`.
//!
//! The blocks are laid out here rather than with pcap-parser's serializer:
//! that one lives behind its `serialize` feature (and cookie-factory), which
//! only the `craft` feature enables, it builds a `Vec` per block, and its
//! IDB always adds an `if_tsoffset` the input may not have had. Every length
//! is computed with checked arithmetic and checked against the reader's own
//! bound ([`super::max_block_bytes_for`]) before anything is written, so a
//! written file is one this crate's reader reads back.
//!
//! Nothing is kept but the current section's number and how many of its
//! interfaces are written: memory does not grow with the capture.
//!
//! What the writer cannot carry over: options the reader does not keep
//! (comments already in the input, hashes, `if_description`, …), blocks
//! other than sections, interfaces and packets (name resolution,
//! statistics), and sections or trailing interfaces no written frame uses.
//! A frame from a Simple Packet Block has no timestamp; it is written as an
//! Enhanced Packet Block (to carry its comment) with timestamp 0.

use super::{max_block_bytes_for, max_record_bytes, to_nanos, Direction, Frame, Interface, DEFAULT_TSRESOL};
use std::io::Write;

/// Block types (section 11.1) and the byte-order magic (section 4.1).
const SHB: u32 = 0x0A0D_0D0A;
const IDB: u32 = 1;
const EPB: u32 = 6;
const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;

/// Option codes: `opt_endofopt` and `opt_comment` (section 3.5), `shb_userappl`
/// (4.1), `if_name`, `if_tsresol`, `if_fcslen`, `if_tsoffset` (4.2), `epb_flags` (4.3.1).
const OPT_ENDOFOPT: u16 = 0;
const OPT_COMMENT: u16 = 1;
const OPT_SHB_USERAPPL: u16 = 4;
const OPT_IF_NAME: u16 = 2;
const OPT_IF_TSRESOL: u16 = 9;
const OPT_IF_FCSLEN: u16 = 13;
const OPT_IF_TSOFFSET: u16 = 14;
const OPT_EPB_FLAGS: u16 = 2;

/// An option value is at most 65,535 bytes (its length is a u16, section 3.5).
const MAX_OPTION_VALUE: usize = u16::MAX as usize;

/// Why a frame could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output refused the bytes.
    Io(std::io::Error),
    /// The frame does not say which interface it was read with (it was
    /// rebuilt from a record or a link, not handed out by the reader).
    NoInterface { frame: u64, interface: u32 },
    /// The block would exceed what a pcapng reader accepts.
    TooLarge { frame: u64, bytes: u64, max: u32 },
    /// The timestamp cannot be expressed in the interface's resolution
    /// (before its `if_tsoffset`, or beyond 64 bits of units).
    Timestamp { frame: u64, timestamp_ns: i64, tsresol: u8 },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Io(e) => write!(f, "cannot write the pcapng: {e}"),
            WriteError::NoInterface { frame, interface } => write!(
                f,
                "frame {frame} names interface {interface}, but the reader gave no description of it to write."
            ),
            WriteError::TooLarge { frame, bytes, max } => {
                write!(f, "frame {frame} would make a block of {bytes} bytes, more than the {max} a reader accepts.")
            }
            WriteError::Timestamp { frame, timestamp_ns, tsresol } => write!(
                f,
                "frame {frame}'s timestamp ({timestamp_ns} ns) cannot be written in its interface's resolution (if_tsresol {tsresol})."
            ),
        }
    }
}

impl std::error::Error for WriteError {}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// The writer. Blocks are little-endian whatever the input's byte order.
pub struct PcapngWriter<W: Write> {
    out: W,
    /// The input section being written and how many of its interfaces are
    /// written (interfaces are written in their order, so that every
    /// frame keeps its interface ID).
    section: Option<(u32, usize)>,
    /// One block's bytes, reused: each block goes out in one `write_all`.
    block: Vec<u8>,
    frames: u64,
}

impl<W: Write> PcapngWriter<W> {
    pub fn new(out: W) -> Self {
        PcapngWriter { out, section: None, block: Vec::new(), frames: 0 }
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Writes one frame as the reader handed it out (or with `data` and
    /// `original_len` changed by the caller, as `--trim` does), with an
    /// optional comment. A comment longer than an option holds is cut at a
    /// character boundary.
    pub fn write_frame(&mut self, frame: &Frame<'_>, comment: Option<&str>) -> Result<(), WriteError> {
        let iface = frame
            .interface_description()
            .ok_or(WriteError::NoInterface { frame: frame.number, interface: frame.interface })?;
        let section = iface.section;
        let written = match self.section {
            Some((s, n)) if s == section => n,
            _ => {
                self.section_header()?;
                0
            }
        };
        // Every interface of the section up to this frame's, in order.
        let wanted = frame.interface as usize + 1;
        for i in frame.interfaces.get(written..wanted).unwrap_or(&[]) {
            self.interface_block(i)?;
        }
        self.section = Some((section, written.max(wanted)));
        self.packet_block(frame, iface, comment)?;
        self.frames += 1;
        Ok(())
    }

    /// Flushes and returns the output.
    pub fn finish(mut self) -> Result<W, WriteError> {
        self.out.flush()?;
        Ok(self.out)
    }

    /// Section Header Block (section 4.1): byte-order magic, version 1.0,
    /// section length -1 (not given: the writer streams), `shb_userappl`.
    fn section_header(&mut self) -> Result<(), WriteError> {
        self.start(SHB);
        self.u32(BYTE_ORDER_MAGIC);
        self.u16(1);
        self.u16(0);
        self.block.extend_from_slice(&(-1i64).to_le_bytes());
        let app = concat!("Framelens ", env!("CARGO_PKG_VERSION"));
        self.option(OPT_SHB_USERAPPL, app.as_bytes());
        self.end_options();
        self.end_block(0, u32::MAX)
    }

    /// Interface Description Block (section 4.2). `if_tsresol` and
    /// `if_tsoffset` only when they differ from their defaults (6, 0), as
    /// the input's IDB (or a pcap header) would have had them.
    fn interface_block(&mut self, i: &Interface) -> Result<(), WriteError> {
        self.start(IDB);
        self.u16(i.link_type.0);
        self.u16(0);
        self.u32(i.snaplen);
        if let Some(name) = &i.name {
            self.option(OPT_IF_NAME, crate::text::cut_to_bytes(name, MAX_OPTION_VALUE).as_bytes());
        }
        if i.tsresol != DEFAULT_TSRESOL {
            self.option(OPT_IF_TSRESOL, &[i.tsresol]);
        }
        if i.tsoffset != 0 {
            self.option(OPT_IF_TSOFFSET, &i.tsoffset.to_le_bytes());
        }
        if let Some(n) = i.fcs_len {
            self.option(OPT_IF_FCSLEN, &[n]);
        }
        self.end_options();
        self.end_block(0, u32::MAX)
    }

    /// Enhanced Packet Block (section 4.3): interface ID, 64-bit timestamp
    /// in the interface's units, captured and original length, the bytes
    /// padded to 32 bits, then `opt_comment` and `epb_flags`.
    fn packet_block(&mut self, f: &Frame<'_>, iface: &Interface, comment: Option<&str>) -> Result<(), WriteError> {
        let units = match f.timestamp_ns {
            None => 0,
            Some(ns) => units_for(ns, iface.tsresol, iface.tsoffset).ok_or(WriteError::Timestamp {
                frame: f.number,
                timestamp_ns: ns,
                tsresol: iface.tsresol,
            })?,
        };
        let comment = comment.map(|c| crate::text::cut_to_bytes(c, MAX_OPTION_VALUE));
        let flags = epb_flags(f, iface);
        // The block's whole length, checked against the reader's own bound
        // for this link type before the bytes are copied: a frame too large
        // is refused, not buffered.
        let max = max_block_bytes_for(max_record_bytes(f.link_type));
        let option_len = |n: usize| 4 + n.next_multiple_of(4);
        let total = f.data.len().checked_next_multiple_of(4).and_then(|data| {
            data.checked_add(32 + comment.map_or(0, |c| option_len(c.len())) + flags.map_or(0, |_| option_len(4)) + 4)
        });
        let caplen = match (total, u32::try_from(f.data.len())) {
            (Some(t), Ok(caplen)) if t <= max as usize => caplen,
            _ => return Err(WriteError::TooLarge { frame: f.number, bytes: f.data.len() as u64 + 32, max }),
        };
        self.start(EPB);
        self.u32(f.interface);
        self.u32((units >> 32) as u32);
        self.u32(units as u32);
        self.u32(caplen);
        self.u32(f.original_len);
        self.block.extend_from_slice(f.data);
        self.pad();
        if let Some(c) = comment {
            self.option(OPT_COMMENT, c.as_bytes());
        }
        if let Some(flags) = flags {
            self.option(OPT_EPB_FLAGS, &flags.to_le_bytes());
        }
        self.end_options();
        self.end_block(f.number, max)
    }

    fn start(&mut self, block_type: u32) {
        self.block.clear();
        self.u32(block_type);
        self.u32(0); // the length, filled in by `end_block`
    }

    fn u16(&mut self, v: u16) {
        self.block.extend_from_slice(&v.to_le_bytes());
    }

    fn u32(&mut self, v: u32) {
        self.block.extend_from_slice(&v.to_le_bytes());
    }

    fn pad(&mut self) {
        let padded = self.block.len().next_multiple_of(4);
        self.block.resize(padded, 0);
    }

    /// An option (section 3.5): code, length, value padded to 32 bits. The
    /// callers cut values to [`MAX_OPTION_VALUE`], so the length fits.
    fn option(&mut self, code: u16, value: &[u8]) {
        let value = value.get(..MAX_OPTION_VALUE).unwrap_or(value);
        self.u16(code);
        self.u16(value.len() as u16);
        self.block.extend_from_slice(value);
        self.pad();
    }

    fn end_options(&mut self) {
        self.u16(OPT_ENDOFOPT);
        self.u16(0);
    }

    /// Writes the block's total length at both ends (section 3.1) and sends it.
    fn end_block(&mut self, frame: u64, max: u32) -> Result<(), WriteError> {
        let total = self.block.len() + 4;
        let len = u32::try_from(total).ok().filter(|l| *l <= max && l % 4 == 0).ok_or(WriteError::TooLarge {
            frame,
            bytes: total as u64,
            max,
        })?;
        if let Some(field) = self.block.get_mut(4..8) {
            field.copy_from_slice(&len.to_le_bytes());
        }
        self.u32(len);
        self.out.write_all(&self.block)?;
        Ok(())
    }
}

/// `epb_flags` (section 4.3.1) for what the reader took from the input's
/// flags or record header: direction in bits 0–1, an FCS length that differs
/// from the interface's in bits 5–8, the CRC-error bit 24. `None` when
/// there is nothing to say, as the input then had no flags (or all zero).
fn epb_flags(f: &Frame<'_>, iface: &Interface) -> Option<u32> {
    let mut flags = match f.direction {
        Some(Direction::Inbound) => 1,
        Some(Direction::Outbound) => 2,
        None => 0,
    };
    if let Some(n) = f.fcs.len.filter(|n| Some(*n) != iface.fcs_len && *n <= 0xf) {
        flags |= u32::from(n) << 5;
    }
    if f.fcs.crc_error_flag {
        flags |= 1 << 24;
    }
    (flags != 0).then_some(flags)
}

/// The timestamp in units of `tsresol` (before `tsoffset`) that the reader
/// turns back into `ns`. Exact for decimal resolutions down to nanoseconds;
/// for finer or binary ones the reader kept only nanoseconds, and the units
/// chosen are the smallest that read back to them.
pub fn units_for(ns: i64, tsresol: u8, tsoffset: i64) -> Option<u64> {
    let rel = i128::from(ns) - i128::from(tsoffset) * 1_000_000_000;
    if rel < 0 {
        return None;
    }
    let exp = u32::from(tsresol & 0x7f);
    let candidate: i128 = if tsresol & 0x80 == 0 {
        if exp <= 9 {
            rel / 10i128.pow(9 - exp)
        } else {
            rel.checked_mul(10i128.checked_pow(exp - 9)?)?
        }
    } else {
        // ceil(rel · 2^exp / 10^9), for exponents the reader handles (≤ 126).
        let per_second = 1i128.checked_shl(exp.min(126))?;
        let scaled = rel.checked_mul(per_second)?;
        (scaled + 999_999_999) / 1_000_000_000
    };
    let units = u64::try_from(candidate).ok()?;
    (to_nanos(units, tsresol, tsoffset) == ns).then_some(units)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::{read_all, CaptureReader, FcsHint, OwnedFrame};
    use crate::wire::link::LinkType;

    fn iface(section: u32, link: u16, tsresol: u8, tsoffset: i64, fcs_len: Option<u8>) -> Interface {
        Interface {
            link_type: LinkType(link),
            snaplen: 65_535,
            fcs_len,
            name: Some(format!("if{section}.{link}")),
            section,
            tsresol,
            tsoffset,
        }
    }

    fn frame<'a>(number: u64, interface: u32, ifaces: &'a [Interface], data: &'a [u8], ts: Option<i64>) -> Frame<'a> {
        Frame {
            number,
            offset: 0,
            interface,
            link_type: ifaces[interface as usize].link_type,
            timestamp_ns: ts,
            original_len: data.len() as u32 + 10,
            fcs: FcsHint { len: ifaces[interface as usize].fcs_len, crc_error_flag: false },
            direction: None,
            data,
            interfaces: ifaces,
        }
    }

    /// Reads the file back: frames (with their interfaces) and the file's interfaces.
    fn reread(bytes: &[u8]) -> (Vec<(OwnedFrame, Interface)>, Vec<Interface>) {
        let mut frames = Vec::new();
        let mut r = CaptureReader::new();
        r.push(bytes, |p| frames.push((OwnedFrame::from_packet(&p), p.interface_description().unwrap().clone())))
            .unwrap();
        r.finish().unwrap();
        (frames, r.interfaces())
    }

    #[test]
    fn two_sections_keep_interface_ids_resolutions_and_lengths() {
        let s0 = [iface(0, 1, 9, 0, Some(4)), iface(0, 113, 6, 0, None)];
        let s1 = [iface(1, 1, 0x80 | 20, 100, None)];
        let mut w = PcapngWriter::new(Vec::new());
        let a = [1u8; 61];
        let b = [2u8; 64];
        // Frame 1 is on interface 1 of section 0: interface 0 is written first, so the ID stays 1.
        w.write_frame(&frame(1, 1, &s0, &a, Some(1_700_000_000_123_456_000)), Some("é…")).unwrap();
        w.write_frame(&frame(2, 0, &s0, &b, Some(1_700_000_000_123_456_789)), None).unwrap();
        w.write_frame(&frame(3, 0, &s1, &a, Some(1_700_000_000_000_000_953)), Some("third")).unwrap();
        assert_eq!(w.frames(), 3);
        let bytes = w.finish().unwrap();
        let (frames, ifaces) = reread(&bytes);
        assert_eq!(ifaces, [s0[0].clone(), s0[1].clone(), s1[0].clone()]);
        let seen: Vec<_> = frames
            .iter()
            .map(|(f, i)| (f.number, f.interface, f.data.len(), f.original_len, f.timestamp_ns, i.section))
            .collect();
        assert_eq!(
            seen,
            [
                (1, 1, 61, 71, Some(1_700_000_000_123_456_000), 0),
                (2, 0, 64, 74, Some(1_700_000_000_123_456_789), 0),
                (3, 0, 61, 71, Some(1_700_000_000_000_000_953), 1),
            ]
        );
        assert_eq!(frames[0].0.data, a);
        // No epb_flags where the frame's FCS length is its interface's.
        assert_eq!(frames[1].0.fcs, FcsHint { len: Some(4), crc_error_flag: false });
    }

    #[test]
    fn blocks_are_laid_out_as_the_draft_says() {
        let ifs = [Interface { name: None, fcs_len: None, ..iface(0, 1, 6, 0, None) }];
        let mut w = PcapngWriter::new(Vec::new());
        w.write_frame(&frame(1, 0, &ifs, &[0xaa; 5], Some(1_000_000)), Some("hi")).unwrap();
        let b = w.finish().unwrap();
        let u32_at = |at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
        // SHB: 28 fixed bytes + shb_userappl ("Framelens x.y.z" padded) + end of options.
        let shb = u32_at(4) as usize;
        assert_eq!((u32_at(0), u32_at(8), u32_at(shb - 4)), (SHB, BYTE_ORDER_MAGIC, shb as u32));
        // IDB with no options but the end marker: 16 fixed + 4 + 4.
        assert_eq!((u32_at(shb), u32_at(shb + 4)), (IDB, 24));
        let epb = shb + 24;
        // EPB: 28 fixed + 8 data (5 padded) + comment 4+4 + end 4 + length 4.
        assert_eq!((u32_at(epb), u32_at(epb + 4), u32_at(epb + 20), u32_at(epb + 24)), (EPB, 52, 5, 15));
        assert_eq!(&b[epb + 36..epb + 42], &[1, 0, 2, 0, b'h', b'i']);
        assert_eq!(b.len(), epb + 52);
        assert_eq!(read_all(&b, |_| {}), None);
    }

    #[test]
    fn direction_crc_error_and_a_per_packet_fcs_length_become_epb_flags() {
        let ifs = [iface(0, 1, 6, 0, None)];
        let mut f = frame(1, 0, &ifs, &[0; 64], Some(0));
        f.direction = Some(Direction::Outbound);
        f.fcs = FcsHint { len: Some(4), crc_error_flag: true };
        let mut w = PcapngWriter::new(Vec::new());
        w.write_frame(&f, None).unwrap();
        let (frames, _) = reread(&w.finish().unwrap());
        assert_eq!(frames[0].0.direction, Some(Direction::Outbound));
        assert_eq!(frames[0].0.fcs, FcsHint { len: Some(4), crc_error_flag: true });
    }

    #[test]
    fn a_frame_without_an_interface_or_too_long_a_comment() {
        let mut w = PcapngWriter::new(Vec::new());
        let own = OwnedFrame::from_packet(&frame(7, 0, &[iface(0, 1, 6, 0, None)], &[0; 60], None));
        let e = w.write_frame(&own.packet(), None).unwrap_err();
        assert!(matches!(e, WriteError::NoInterface { frame: 7, interface: 0 }), "{e}");
        // A comment over 65,535 bytes is cut on a character boundary and the file still reads.
        let ifs = [iface(0, 1, 6, 0, None)];
        let long = "é".repeat(40_000);
        w.write_frame(&frame(1, 0, &ifs, &[0; 60], None), Some(&long)).unwrap();
        let b = w.finish().unwrap();
        let (frames, _) = reread(&b);
        assert_eq!(frames[0].0.timestamp_ns, Some(0));
        assert_eq!(crate::text::cut_to_bytes(&long, MAX_OPTION_VALUE).len(), 65_534);
    }

    #[test]
    fn timestamps_go_back_to_their_units() {
        assert_eq!(units_for(1_500_000_000, 6, 0), Some(1_500_000));
        assert_eq!(units_for(1_000_000_007, 9, 1), Some(7));
        assert_eq!(units_for(1_000_000_000, 0x80 | 20, 0), Some(1 << 20));
        assert_eq!(units_for(5, 6, 1), None, "before the offset");
        // Binary resolutions: whatever the reader made of some units reads back the same.
        for (units, res) in [(12_345_678u64, 0x80 | 30), (987_654_321, 0x80 | 24), (3, 0x80 | 40), (77, 12)] {
            let ns = to_nanos(units, res, 0);
            let back = units_for(ns, res, 0).unwrap();
            assert_eq!(to_nanos(back, res, 0), ns, "{units} at {res:#x}");
        }
    }
}
