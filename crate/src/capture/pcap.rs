//! Classic pcap (pcap-savefile(5)): a 24-byte file header, then records of a
//! 16-byte header (24 in Kuznetzov's modified format) and the captured bytes.

use super::{
    max_record_bytes, unit_len, CaptureError, CaptureErrorKind, Direction, FcsHint, Format, Frame, Interface,
    ReaderNote, Step,
};
use crate::wire::link::LinkType;
use pcap_parser::pcap::{
    parse_pcap_frame, parse_pcap_frame_be, parse_pcap_frame_modified, parse_pcap_header, PcapHeader,
};

const FILE_HEADER_LEN: usize = 24;
const RECORD_HEADER_LEN: usize = 16;
const MODIFIED_RECORD_HEADER_LEN: usize = 24;

/// Link-type field bits (pcap-savefile(5), LINKTYPE_ and FCS bits):
/// bit 26 says the FCS length bits 28–31 are valid; they count 16-bit units.
const FCS_PRESENT_BIT: u32 = 0x0400_0000;
const RESERVED_BITS: u32 = 0x03ff_0000;

pub(super) struct PcapState {
    header: Option<PcapHeader>,
    link_type: LinkType,
    fcs_len: Option<u8>,
    /// The file header as the one interface every frame refers to
    /// ([`Frame::interfaces`]); filled in when the header is read.
    interfaces: [Interface; 1],
}

impl PcapState {
    /// Recognises the six pcap magic numbers pcap-parser reads.
    pub fn from_magic(m: [u8; 4]) -> Option<Self> {
        let le = u32::from_le_bytes(m);
        matches!(le, 0xa1b2_c3d4 | 0xa1b2_3c4d | 0xa1b2_cd34 | 0xd4c3_b2a1 | 0x4d3c_b2a1).then_some(PcapState {
            header: None,
            link_type: LinkType(0),
            fcs_len: None,
            interfaces: [Interface {
                link_type: LinkType(0),
                snaplen: 0,
                fcs_len: None,
                name: None,
                section: 0,
                tsresol: super::DEFAULT_TSRESOL,
                tsoffset: 0,
            }],
        })
    }

    pub fn format(&self) -> Format {
        match &self.header {
            Some(h) if h.is_modified_format() => Format::PcapModified,
            _ => Format::Pcap,
        }
    }

    pub fn interface(&self) -> Interface {
        self.interfaces[0].clone()
    }

    fn record_header_len(&self) -> usize {
        match &self.header {
            Some(h) if h.is_modified_format() => MODIFIED_RECORD_HEADER_LEN,
            _ => RECORD_HEADER_LEN,
        }
    }

    fn read_u32(&self, b: &[u8], at: usize) -> u32 {
        let raw = [b[at], b[at + 1], b[at + 2], b[at + 3]];
        match &self.header {
            Some(h) if h.is_bigendian() => u32::from_be_bytes(raw),
            _ => u32::from_le_bytes(raw),
        }
    }

    pub fn step(
        &mut self,
        rest: &[u8],
        at: u64,
        packets: &mut u64,
        notes: &mut Vec<ReaderNote>,
        on_packet: &mut impl FnMut(Frame<'_>),
    ) -> Result<Step, CaptureError> {
        let Some(header) = &self.header else {
            if rest.len() < FILE_HEADER_LEN {
                return Ok(Step::NeedMore(FILE_HEADER_LEN));
            }
            let (_, h) = parse_pcap_header(rest).map_err(|_| {
                CaptureError::new(at, CaptureErrorKind::UnknownMagic([rest[0], rest[1], rest[2], rest[3]]))
            })?;
            if h.version_major != 2 {
                return Err(CaptureError::new(
                    at,
                    CaptureErrorKind::UnsupportedPcapVersion { major: h.version_major, minor: h.version_minor },
                ));
            }
            let raw = h.network.0 as u32;
            self.link_type = LinkType(raw as u16);
            if raw & FCS_PRESENT_BIT != 0 {
                self.fcs_len = Some(((raw >> 28) * 2) as u8);
            }
            if raw & RESERVED_BITS != 0 {
                notes.push(ReaderNote {
                    offset: at + 20,
                    message: format!(
                        "The link-type field 0x{raw:08x} has reserved bits 0x{:08x} set; Framelens reads it as link type {}.",
                        raw & RESERVED_BITS,
                        self.link_type
                    ),
                });
            }
            self.interfaces[0] = Interface {
                link_type: self.link_type,
                snaplen: h.snaplen,
                fcs_len: self.fcs_len,
                name: None,
                section: 0,
                tsresol: if h.is_nanosecond_precision() { 9 } else { super::DEFAULT_TSRESOL },
                tsoffset: 0,
            };
            self.header = Some(h);
            return Ok(Step::Consumed(FILE_HEADER_LEN));
        };

        let hdr_len = self.record_header_len();
        if rest.len() < hdr_len {
            return Ok(Step::NeedMore(hdr_len));
        }
        // The claimed length is bounded here, before the record is buffered:
        // the header's snaplen (which a file may set to 4 GiB) does not count.
        let caplen = self.read_u32(rest, 8);
        let max = max_record_bytes(self.link_type);
        let too_large = || {
            CaptureError::new(
                at,
                CaptureErrorKind::RecordTooLarge { record: *packets + 1, caplen, max, link_type: self.link_type },
            )
        };
        if caplen > max {
            return Err(too_large());
        }
        let total = unit_len(hdr_len, caplen).ok_or_else(too_large)?;
        if rest.len() < total {
            return Ok(Step::NeedMore(total));
        }
        let record = &rest[..total];
        let parsed = if header.is_modified_format() {
            parse_pcap_frame_modified(record)
        } else if header.is_bigendian() {
            parse_pcap_frame_be(record)
        } else {
            parse_pcap_frame(record)
        };
        let Ok((_, block)) = parsed else {
            // Unreachable with the length checked above; reported rather than assumed.
            return Err(CaptureError::new(
                at,
                CaptureErrorKind::CutOff { what: "record", needed: total as u64, available: rest.len() as u64 },
            ));
        };
        let sub = if header.is_nanosecond_precision() { 1 } else { 1_000 };
        let ts = i64::from(block.ts_sec) * 1_000_000_000 + i64::from(block.ts_usec) * sub;
        // Kuznetzov's header carries the Linux packet type at byte 22: 4 is outgoing.
        let direction = header.is_modified_format().then(|| match rest[22] {
            4 => Direction::Outbound,
            _ => Direction::Inbound,
        });
        *packets += 1;
        on_packet(Frame {
            number: *packets,
            offset: at,
            interface: 0,
            link_type: self.link_type,
            timestamp_ns: Some(ts),
            original_len: block.origlen,
            fcs: FcsHint { len: self.fcs_len, crc_error_flag: false },
            direction,
            data: block.data,
            interfaces: &self.interfaces,
        });
        Ok(Step::Consumed(total))
    }

    pub fn cut_off(&self, at: u64, pending: &[u8]) -> CaptureError {
        let available = pending.len() as u64;
        let hdr_len = self.record_header_len();
        let kind = if self.header.is_none() {
            CaptureErrorKind::CutOff { what: "pcap file header", needed: FILE_HEADER_LEN as u64, available }
        } else if pending.len() < hdr_len {
            CaptureErrorKind::CutOff { what: "record header", needed: hdr_len as u64, available }
        } else {
            let caplen = u64::from(self.read_u32(pending, 8));
            CaptureErrorKind::CutOff { what: "record", needed: hdr_len as u64 + caplen, available }
        };
        CaptureError::new(at, kind)
    }
}

#[cfg(test)]
mod tests {
    use crate::capture::{first_error_bounded, read_all, CaptureErrorKind, MAX_RECORD_BYTES};

    fn file(magic: u32, big_endian: bool, link: u32, records: &[(&[u8], u32)]) -> Vec<u8> {
        let u32b = |v: u32| if big_endian { v.to_be_bytes() } else { v.to_le_bytes() };
        let u16b = |v: u16| if big_endian { v.to_be_bytes() } else { v.to_le_bytes() };
        let mut f = u32b(magic).to_vec();
        f.extend_from_slice(&u16b(2));
        f.extend_from_slice(&u16b(4));
        f.extend_from_slice(&[0; 8]);
        f.extend_from_slice(&u32b(65535));
        f.extend_from_slice(&u32b(link));
        for (data, orig) in records {
            for v in [7, 9, data.len() as u32, *orig] {
                f.extend_from_slice(&u32b(v));
            }
            f.extend_from_slice(data);
        }
        f
    }

    #[test]
    fn fcs_bits_of_the_link_type_field_are_read_and_masked() {
        // Bit 26 set, bits 28-31 = 2 (16-bit units): 4-byte FCS on Ethernet.
        let f = file(0xa1b2_c3d4, false, 0x2400_0001, &[(&[1; 64], 64)]);
        let mut seen = Vec::new();
        assert_eq!(read_all(&f, |p| seen.push((p.link_type.0, p.fcs.len))), None);
        assert_eq!(seen, [(1, Some(4))]);
    }

    #[test]
    fn big_endian_nanosecond_file_with_snaplen_cut() {
        let f = file(0xa1b2_3c4d, true, 1, &[(&[2; 60], 1514)]);
        let mut seen = Vec::new();
        assert_eq!(read_all(&f, |p| seen.push((p.data.len(), p.original_len, p.timestamp_ns))), None);
        assert_eq!(seen, [(60, 1514, Some(7_000_000_009))]);
    }

    fn header(snaplen: u32, link: u32) -> Vec<u8> {
        let mut f = 0xa1b2_c3d4u32.to_le_bytes().to_vec();
        f.extend_from_slice(&[2, 0, 4, 0]);
        f.extend_from_slice(&[0; 8]);
        f.extend_from_slice(&snaplen.to_le_bytes());
        f.extend_from_slice(&link.to_le_bytes());
        f
    }

    fn record_header(caplen: u32, origlen: u32) -> Vec<u8> {
        [0u32, 0, caplen, origlen].iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    #[test]
    fn u32_max_lengths_are_refused_from_the_record_header_without_a_panic() {
        for caplen in [u32::MAX, u32::MAX - 15, u32::MAX - 3, 0x8000_0000, MAX_RECORD_BYTES + 1] {
            let mut f = header(u32::MAX, 1);
            f.extend(record_header(caplen, u32::MAX));
            for chunk in [1, 7, f.len()] {
                let e = first_error_bounded(&f, chunk, 23).expect("refused as soon as the record header is complete");
                assert_eq!(e.offset, 24);
                assert!(
                    matches!(e.kind, CaptureErrorKind::RecordTooLarge { caplen: c, max: MAX_RECORD_BYTES, .. } if c == caplen)
                );
            }
        }
    }

    #[test]
    fn the_bound_is_libpcaps_snaplen_for_the_link_type_not_the_header_snaplen() {
        // Exactly 262,144 bytes is read on Ethernet, one more is not, whatever the snaplen.
        for snaplen in [65_535, u32::MAX] {
            let mut f = header(snaplen, 1);
            f.extend(record_header(MAX_RECORD_BYTES, MAX_RECORD_BYTES));
            f.extend(vec![0; MAX_RECORD_BYTES as usize]);
            let mut n = 0;
            assert_eq!(read_all(&f, |_| n += 1), None);
            assert_eq!(n, 1);
        }
        // D-Bus (231) allows 128 MiB per libpcap: a 300,000-byte message reads.
        let mut f = header(u32::MAX, 231);
        f.extend(record_header(300_000, 300_000));
        f.extend(vec![0; 300_000]);
        assert_eq!(read_all(&f, |_| {}), None);
        let mut f = header(u32::MAX, 231);
        f.extend(record_header(128 * 1024 * 1024 + 1, 0));
        let e = read_all(&f, |_| {}).unwrap();
        assert!(
            e.to_string().contains("at most 134,217,728 bytes of one record (libpcap's largest snaplen for D-Bus"),
            "{e}"
        );
    }

    #[test]
    fn cut_off_record_names_offset_and_shortfall() {
        let mut f = file(0xa1b2_c3d4, false, 1, &[(&[3; 60], 60), (&[4; 60], 60)]);
        f.truncate(f.len() - 10);
        let mut n = 0;
        let e = read_all(&f, |_| n += 1).unwrap();
        assert_eq!(n, 1);
        assert_eq!(e.to_string(), "The file ends inside a record at byte 100: it needs 76 bytes but only 66 are left.");
    }
}
