//! Errors of the capture reader: each carries the byte offset and the
//! offending values, and prints as one full sentence.

use super::{record_bound_source, MAX_BLOCK_BYTES};
use crate::text::thousands;
use crate::wire::link::LinkType;
use core::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptureError {
    /// Byte offset in the file where the faulty header, record or block starts.
    pub offset: u64,
    pub kind: CaptureErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaptureErrorKind {
    Empty,
    UnknownMagic([u8; 4]),
    /// A header, record or block is cut off by the end of the file.
    CutOff {
        what: &'static str,
        needed: u64,
        available: u64,
    },
    UnsupportedPcapVersion {
        major: u16,
        minor: u16,
    },
    /// A pcap record claims more captured bytes than Framelens reads of one
    /// record ([`super::max_record_bytes`] for its link type); found from the
    /// record header, before any of the record was buffered.
    RecordTooLarge {
        record: u64,
        caplen: u32,
        max: u32,
        link_type: LinkType,
    },
    /// A pcapng block length below 12 bytes or not a multiple of 4.
    BadBlockLength {
        block_type: u32,
        length: u32,
    },
    /// A pcapng block length above what Framelens reads of one block
    /// ([`super::MAX_BLOCK_BYTES`], or what the section's link types raise it
    /// to); found from the block header, before any of the block was buffered.
    BlockTooLarge {
        block_type: u32,
        length: u32,
        max: u32,
    },
    BlockLengthMismatch {
        block_type: u32,
        first: u32,
        last: u32,
    },
    UnsupportedSectionVersion {
        major: u16,
        minor: u16,
    },
    PacketBeforeInterface {
        interface: u32,
        defined: u32,
    },
    MalformedBlock {
        block_type: u32,
        reason: String,
    },
}

impl CaptureError {
    pub fn new(offset: u64, kind: CaptureErrorKind) -> Self {
        CaptureError { offset, kind }
    }
}

/// The name pcapng gives a block type, for error sentences.
pub fn block_name(t: u32) -> String {
    match t {
        0x0A0D0D0A => "section header block".into(),
        1 => "interface description block".into(),
        2 => "obsolete packet block".into(),
        3 => "simple packet block".into(),
        4 => "name resolution block".into(),
        5 => "interface statistics block".into(),
        6 => "enhanced packet block".into(),
        _ => format!("block of type 0x{t:08x}"),
    }
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = thousands(self.offset);
        match &self.kind {
            CaptureErrorKind::Empty => write!(f, "The file is empty: a capture starts with a 24-byte pcap header or a pcapng section header."),
            CaptureErrorKind::UnknownMagic(m) => write!(
                f,
                "Not a pcap or pcapng capture: the file starts with {:02x} {:02x} {:02x} {:02x}, which is no known capture magic number.",
                m[0], m[1], m[2], m[3]
            ),
            CaptureErrorKind::CutOff { what, needed, available } => write!(
                f,
                "The file ends inside a {what} at byte {at}: it needs {} bytes but only {} are left.",
                thousands(*needed),
                thousands(*available)
            ),
            CaptureErrorKind::UnsupportedPcapVersion { major, minor } => write!(
                f,
                "The pcap header at byte {at} declares version {major}.{minor}; only version 2.x is defined, so the records cannot be trusted."
            ),
            CaptureErrorKind::RecordTooLarge { record, caplen, max, link_type } => write!(
                f,
                "Record {} at byte {at} claims {} captured bytes; Framelens reads at most {} bytes of one record ({}), so the file is corrupt from here.",
                thousands(*record),
                thousands(u64::from(*caplen)),
                thousands(u64::from(*max)),
                record_bound_source(*link_type)
            ),
            CaptureErrorKind::BadBlockLength { block_type, length } => write!(
                f,
                "The {} at byte {at} declares a length of {} bytes, which is impossible (a block is at least 12 bytes and a multiple of 4).",
                block_name(*block_type),
                thousands(u64::from(*length))
            ),
            CaptureErrorKind::BlockTooLarge { block_type, length, max } => write!(
                f,
                "The {} at byte {at} declares a length of {} bytes; Framelens reads at most {} bytes of one pcapng block ({}), so the file is corrupt from here.",
                block_name(*block_type),
                thousands(u64::from(*length)),
                thousands(u64::from(*max)),
                if *max == MAX_BLOCK_BYTES {
                    "libpcap's largest block"
                } else {
                    "libpcap's largest block for the capture's link types"
                }
            ),
            CaptureErrorKind::BlockLengthMismatch { block_type, first, last } => write!(
                f,
                "The {} at byte {at} starts with length {} but ends with length {}: the block is corrupt.",
                block_name(*block_type),
                thousands(u64::from(*first)),
                thousands(u64::from(*last))
            ),
            CaptureErrorKind::UnsupportedSectionVersion { major, minor } => write!(
                f,
                "The pcapng section header at byte {at} declares version {major}.{minor}; only version 1.x is defined."
            ),
            CaptureErrorKind::PacketBeforeInterface { interface, defined } => write!(
                f,
                "The packet block at byte {at} refers to interface {interface}, but its section has defined only {defined} interface{}.",
                if *defined == 1 { "" } else { "s" }
            ),
            CaptureErrorKind::MalformedBlock { block_type, reason } => {
                write!(f, "The {} at byte {at} is malformed: {reason}.", block_name(*block_type))
            }
        }
    }
}

impl std::error::Error for CaptureError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_carry_offsets_with_separators() {
        let e = CaptureError::new(
            4_194_336,
            CaptureErrorKind::RecordTooLarge {
                record: 2,
                caplen: 2_147_483_647,
                max: 262_144,
                link_type: LinkType::ETHERNET,
            },
        );
        assert_eq!(
            e.to_string(),
            "Record 2 at byte 4,194,336 claims 2,147,483,647 captured bytes; Framelens reads at most 262,144 bytes of one record (libpcap's largest snaplen), so the file is corrupt from here."
        );
        let e = CaptureError::new(
            28,
            CaptureErrorKind::BlockTooLarge { block_type: 6, length: 0xFFFF_FFF0, max: MAX_BLOCK_BYTES },
        );
        assert_eq!(
            e.to_string(),
            "The enhanced packet block at byte 28 declares a length of 4,294,967,280 bytes; Framelens reads at most 16,777,216 bytes of one pcapng block (libpcap's largest block), so the file is corrupt from here."
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }
}
