//! What the reader hands out: one captured [`Frame`] with the capture
//! metadata that bears on its length, the same frame owning its bytes, and
//! the [`Interface`] it was captured on (with how its timestamps are coded).

use crate::wire::link::LinkType;
use serde::{Deserialize, Serialize};

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
    /// [`CaptureReader::interfaces`](super::CaptureReader::interfaces) runs across sections. Empty for a frame
    /// rebuilt from a record or a diagnosis link.
    pub interfaces: &'a [Interface],
}

impl<'a> Frame<'a> {
    /// `data` as frame 1 of link type `link_type`, whole (original length =
    /// captured), with no timestamp, interface description or FCS hint: a
    /// frame pasted or built rather than read from a capture.
    pub fn bare(data: &'a [u8], link_type: LinkType) -> Self {
        Frame {
            number: 1,
            offset: 0,
            timestamp_ns: None,
            interface: 0,
            link_type,
            original_len: data.len() as u32,
            data,
            fcs: FcsHint::default(),
            direction: None,
            interfaces: &[],
        }
    }

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
}
