//! pcapng (draft-ietf-opsawg-pcapng): sections of blocks, each section with
//! its own byte order and interfaces. Block bodies are parsed by pcap-parser;
//! this module frames the blocks, checks their lengths, and keeps the
//! per-interface metadata (link type, `if_tsresol`, `if_tsoffset`, `if_fcslen`).

use super::{
    max_block_bytes_for, max_record_bytes, to_nanos, unit_len, CaptureError, CaptureErrorKind, ContextBlock, Direction,
    FcsHint, Frame, Interface, Step, MAX_BLOCK_BYTES,
};
use crate::text::thousands;
use crate::wire::link::LinkType;
use pcap_parser::pcapng::{
    parse_enhancedpacketblock_be, parse_enhancedpacketblock_le, parse_interfacedescriptionblock_be,
    parse_interfacedescriptionblock_le, parse_sectionheaderblock,
};
use pcap_parser::PcapNGOption;

const SHB: u32 = 0x0A0D_0D0A;
const IDB: u32 = 1;
const OPB: u32 = 2;
const SPB: u32 = 3;
const EPB: u32 = 6;
const BOM: u32 = 0x1A2B_3C4D;
const MIN_BLOCK_LEN: u32 = 12;

const OPT_IF_NAME: u16 = 2;
const OPT_IF_FCSLEN: u16 = 13;
const OPT_FLAGS: u16 = 2;

pub(super) struct PcapngState {
    big_endian: bool,
    /// The current section's interfaces, in their order (their index is
    /// the interface ID its packet blocks give).
    interfaces: Vec<Interface>,
    /// Interfaces of earlier sections, for reporting.
    earlier: Vec<Interface>,
    /// Section headers read so far (the current section is `sections - 1`).
    sections: u32,
    /// The longest block read: [`MAX_BLOCK_BYTES`], raised (never lowered)
    /// by an interface whose link type has a larger record bound, as libpcap
    /// raises its `max_blocksize`.
    max_block: u32,
}

pub(super) fn is_section_header(m: [u8; 4]) -> bool {
    u32::from_le_bytes(m) == SHB
}

fn malformed(at: u64, block_type: u32, reason: impl Into<String>) -> CaptureError {
    CaptureError::new(at, CaptureErrorKind::MalformedBlock { block_type, reason: reason.into() })
}

impl PcapngState {
    pub fn new() -> Self {
        PcapngState {
            big_endian: false,
            interfaces: Vec::new(),
            earlier: Vec::new(),
            sections: 0,
            max_block: MAX_BLOCK_BYTES,
        }
    }

    pub fn interface_count(&self) -> usize {
        self.earlier.len() + self.interfaces.len()
    }

    pub fn all_interfaces(&self) -> Vec<Interface> {
        self.earlier.iter().chain(&self.interfaces).cloned().collect()
    }

    fn u32_at(&self, b: &[u8], at: usize) -> u32 {
        let raw = [b[at], b[at + 1], b[at + 2], b[at + 3]];
        if self.big_endian {
            u32::from_be_bytes(raw)
        } else {
            u32::from_le_bytes(raw)
        }
    }

    fn u16_of(&self, b: &[u8]) -> Option<u16> {
        let raw: [u8; 2] = b.try_into().ok()?;
        Some(if self.big_endian { u16::from_be_bytes(raw) } else { u16::from_le_bytes(raw) })
    }

    fn flags_option(&self, options: &[PcapNGOption<'_>]) -> Option<u32> {
        let opt = options.iter().find(|o| o.code.0 == OPT_FLAGS)?;
        let raw: [u8; 4] = opt.as_bytes().ok()?.try_into().ok()?;
        Some(if self.big_endian { u32::from_be_bytes(raw) } else { u32::from_le_bytes(raw) })
    }

    pub fn step(
        &mut self,
        rest: &[u8],
        at: u64,
        packets: &mut u64,
        context: &mut Vec<ContextBlock>,
        on_packet: &mut impl FnMut(Frame<'_>),
    ) -> Result<Step, CaptureError> {
        if rest.len() < MIN_BLOCK_LEN as usize {
            return Ok(Step::NeedMore(MIN_BLOCK_LEN as usize));
        }
        let le_type = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]);
        let block_type = if le_type == SHB {
            // A new section: its byte-order magic decides how to read everything after.
            let bom = u32::from_le_bytes([rest[8], rest[9], rest[10], rest[11]]);
            self.big_endian = match bom {
                BOM => false,
                b if b == BOM.swap_bytes() => true,
                b => {
                    return Err(malformed(
                        at,
                        SHB,
                        format!("its byte-order magic is 0x{b:08x}, neither 0x1a2b3c4d nor its byte swap"),
                    ))
                }
            };
            SHB
        } else {
            self.u32_at(rest, 0)
        };
        let len = self.u32_at(rest, 4);
        if len < MIN_BLOCK_LEN || len % 4 != 0 {
            return Err(CaptureError::new(at, CaptureErrorKind::BadBlockLength { block_type, length: len }));
        }
        // Bounded here, before the block is buffered.
        let too_large =
            || CaptureError::new(at, CaptureErrorKind::BlockTooLarge { block_type, length: len, max: self.max_block });
        if len > self.max_block {
            return Err(too_large());
        }
        let len_usize = unit_len(0, len).ok_or_else(too_large)?;
        if rest.len() < len_usize {
            return Ok(Step::NeedMore(len_usize));
        }
        let block = &rest[..len_usize];
        let last = self.u32_at(block, len_usize - 4);
        if last != len {
            return Err(CaptureError::new(at, CaptureErrorKind::BlockLengthMismatch { block_type, first: len, last }));
        }
        match block_type {
            SHB => {
                self.section_header(block, at)?;
                context.push(ContextBlock { offset: at, len, starts_section: true });
            }
            IDB => {
                self.interface_description(block, at)?;
                context.push(ContextBlock { offset: at, len, starts_section: false });
            }
            EPB => self.enhanced_packet(block, at, packets, on_packet)?,
            SPB => self.simple_packet(block, at, packets, on_packet)?,
            OPB => self.obsolete_packet(block, at, packets, on_packet)?,
            // Name resolution, statistics, custom, decryption secrets and
            // unknown blocks say nothing about frame lengths: skipped whole.
            _ => {}
        }
        Ok(Step::Consumed(len_usize))
    }

    fn section_header(&mut self, block: &[u8], at: u64) -> Result<(), CaptureError> {
        let (_, shb) = parse_sectionheaderblock(block)
            .map_err(|e| malformed(at, SHB, format!("its options cannot be read ({})", describe(&e))))?;
        if shb.major_version != 1 {
            return Err(CaptureError::new(
                at,
                CaptureErrorKind::UnsupportedSectionVersion { major: shb.major_version, minor: shb.minor_version },
            ));
        }
        let old = core::mem::take(&mut self.interfaces);
        self.earlier.extend(old);
        self.sections = self.sections.saturating_add(1);
        Ok(())
    }

    fn interface_description(&mut self, block: &[u8], at: u64) -> Result<(), CaptureError> {
        let parsed = if self.big_endian {
            parse_interfacedescriptionblock_be(block)
        } else {
            parse_interfacedescriptionblock_le(block)
        };
        let (_, idb) = parsed.map_err(|e| malformed(at, IDB, format!("it cannot be read ({})", describe(&e))))?;
        let fcs_len =
            idb.options.iter().find(|o| o.code.0 == OPT_IF_FCSLEN).and_then(|o| o.as_bytes().ok()?.first().copied());
        let name = idb
            .options
            .iter()
            .find(|o| o.code.0 == OPT_IF_NAME)
            .and_then(|o| o.as_str().ok())
            .map(|s| s.trim_end_matches('\0').to_string());
        let link_type = LinkType(idb.linktype.0 as u16);
        self.max_block = self.max_block.max(max_block_bytes_for(max_record_bytes(link_type)));
        self.interfaces.push(Interface {
            link_type,
            snaplen: idb.snaplen,
            fcs_len,
            name,
            section: self.sections.saturating_sub(1),
            tsresol: idb.if_tsresol,
            tsoffset: idb.if_tsoffset,
        });
        Ok(())
    }

    fn interface(&self, id: u32, at: u64) -> Result<&Interface, CaptureError> {
        self.interfaces.get(id as usize).ok_or(CaptureError::new(
            at,
            CaptureErrorKind::PacketBeforeInterface { interface: id, defined: self.interfaces.len() as u32 },
        ))
    }

    /// Packet metadata from `epb_flags` (pcapng section 4.3.1): direction in
    /// bits 0–1, FCS length in octets in bits 5–8, CRC error in bit 24.
    fn hint(&self, iface: &Interface, flags: Option<u32>) -> (FcsHint, Option<Direction>) {
        let flags = flags.unwrap_or(0);
        let per_packet = ((flags >> 5) & 0xf) as u8;
        let fcs = FcsHint {
            len: if per_packet != 0 { Some(per_packet) } else { iface.fcs_len },
            crc_error_flag: flags & (1 << 24) != 0,
        };
        let direction = match flags & 0b11 {
            1 => Some(Direction::Inbound),
            2 => Some(Direction::Outbound),
            _ => None,
        };
        (fcs, direction)
    }

    fn enhanced_packet(
        &self,
        block: &[u8],
        at: u64,
        packets: &mut u64,
        on_packet: &mut impl FnMut(Frame<'_>),
    ) -> Result<(), CaptureError> {
        // The fixed fields end at byte 28; the captured length (at 20) must fit
        // in what follows before the trailer. Checked here, in u64, so that no
        // claimed length reaches the parser's own (u32) padding arithmetic.
        const FIXED: usize = 28;
        if block.len() < FIXED + 4 {
            return Err(malformed(at, EPB, "it is shorter than the 32 bytes of its fixed fields"));
        }
        let caplen = self.u32_at(block, 20);
        let room = block.len() - FIXED - 4;
        if u64::from(caplen) > room as u64 {
            return Err(malformed(
                at,
                EPB,
                format!("it claims {} captured bytes but holds {}", thousands(caplen.into()), thousands(room as u64)),
            ));
        }
        let parsed =
            if self.big_endian { parse_enhancedpacketblock_be(block) } else { parse_enhancedpacketblock_le(block) };
        let (_, epb) = parsed.map_err(|e| malformed(at, EPB, format!("it cannot be read ({})", describe(&e))))?;
        let iface = self.interface(epb.if_id, at)?;
        let data = epb.data.get(..epb.caplen as usize).ok_or_else(|| {
            malformed(
                at,
                EPB,
                format!(
                    "it claims {} captured bytes but holds {}",
                    thousands(epb.caplen.into()),
                    thousands(epb.data.len() as u64)
                ),
            )
        })?;
        let (fcs, direction) = self.hint(iface, self.flags_option(&epb.options));
        let units = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
        *packets += 1;
        on_packet(Frame {
            number: *packets,
            offset: at,
            interface: epb.if_id,
            link_type: iface.link_type,
            timestamp_ns: Some(to_nanos(units, iface.tsresol, iface.tsoffset)),
            original_len: epb.origlen,
            fcs,
            direction,
            data,
            interfaces: &self.interfaces,
        });
        Ok(())
    }

    /// Simple Packet Block (pcapng section 4.4): interface 0, no timestamp;
    /// the captured length is the original length cut to the snaplen.
    fn simple_packet(
        &self,
        block: &[u8],
        at: u64,
        packets: &mut u64,
        on_packet: &mut impl FnMut(Frame<'_>),
    ) -> Result<(), CaptureError> {
        let iface = self.interface(0, at)?;
        if block.len() < 16 {
            return Err(malformed(at, SPB, "it is shorter than the 16 bytes of its fixed fields"));
        }
        let original_len = self.u32_at(block, 8);
        let body = &block[12..block.len() - 4];
        let mut caplen = (original_len as usize).min(body.len());
        if iface.snaplen != 0 {
            caplen = caplen.min(iface.snaplen as usize);
        }
        let (fcs, _) = self.hint(iface, None);
        *packets += 1;
        on_packet(Frame {
            number: *packets,
            offset: at,
            interface: 0,
            link_type: iface.link_type,
            timestamp_ns: None,
            original_len,
            fcs,
            direction: None,
            data: &body[..caplen],
            interfaces: &self.interfaces,
        });
        Ok(())
    }

    /// Obsolete Packet Block (pcapng appendix): like an EPB with a 16-bit
    /// interface ID and a drops counter. pcap-parser does not read it.
    fn obsolete_packet(
        &self,
        block: &[u8],
        at: u64,
        packets: &mut u64,
        on_packet: &mut impl FnMut(Frame<'_>),
    ) -> Result<(), CaptureError> {
        const FIXED: usize = 28;
        if block.len() < FIXED + 4 {
            return Err(malformed(at, OPB, "it is shorter than the 32 bytes of its fixed fields"));
        }
        let if_id = u32::from(self.u16_of(&block[8..10]).unwrap_or(0));
        let iface = self.interface(if_id, at)?;
        let units = (u64::from(self.u32_at(block, 12)) << 32) | u64::from(self.u32_at(block, 16));
        let caplen = self.u32_at(block, 20);
        let original_len = self.u32_at(block, 24);
        let body = &block[FIXED..block.len() - 4];
        let data = unit_len(0, caplen).and_then(|n| body.get(..n)).ok_or_else(|| {
            malformed(
                at,
                OPB,
                format!(
                    "it claims {} captured bytes but holds {}",
                    thousands(caplen.into()),
                    thousands(body.len() as u64)
                ),
            )
        })?;
        // Options follow the data padded to 32 bits; only the flags option matters here.
        let opts = data.len().checked_next_multiple_of(4).and_then(|n| body.get(n..)).unwrap_or(&[]);
        let flags = self.find_flags_raw(opts);
        let (fcs, direction) = self.hint(iface, flags);
        *packets += 1;
        on_packet(Frame {
            number: *packets,
            offset: at,
            interface: if_id,
            link_type: iface.link_type,
            timestamp_ns: Some(to_nanos(units, iface.tsresol, iface.tsoffset)),
            original_len,
            fcs,
            direction,
            data,
            interfaces: &self.interfaces,
        });
        Ok(())
    }

    fn find_flags_raw(&self, mut opts: &[u8]) -> Option<u32> {
        while opts.len() >= 4 {
            let code = self.u16_of(&opts[0..2])?;
            let len = usize::from(self.u16_of(&opts[2..4])?);
            if code == 0 {
                return None;
            }
            // `len` is a u16: these sums stay far below 32-bit `usize::MAX`.
            let value = opts.get(4..4 + len)?;
            if code == OPT_FLAGS && len == 4 {
                return Some(self.u32_at(value, 0));
            }
            opts = opts.get(4 + len.next_multiple_of(4)..)?;
        }
        None
    }

    pub fn cut_off(&self, at: u64, pending: &[u8]) -> CaptureError {
        let available = pending.len() as u64;
        let needed = if pending.len() >= 8 {
            u64::from(
                if u32::from_le_bytes([pending[0], pending[1], pending[2], pending[3]]) == SHB && pending.len() >= 12 {
                    let big = u32::from_le_bytes([pending[8], pending[9], pending[10], pending[11]]) != BOM;
                    let raw = [pending[4], pending[5], pending[6], pending[7]];
                    if big {
                        u32::from_be_bytes(raw)
                    } else {
                        u32::from_le_bytes(raw)
                    }
                } else {
                    self.u32_at(pending, 4)
                },
            )
        } else {
            u64::from(MIN_BLOCK_LEN)
        };
        CaptureError::new(at, CaptureErrorKind::CutOff { what: "pcapng block", needed, available })
    }
}

fn describe(e: &nom::Err<pcap_parser::PcapError<&[u8]>>) -> String {
    match e {
        nom::Err::Incomplete(_) => "its fields run past the block's end".into(),
        nom::Err::Error(pe) | nom::Err::Failure(pe) => match pe {
            pcap_parser::PcapError::NomError(_, kind) => format!("{kind:?} while parsing"),
            other => format!("{other:?}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::capture::{first_error_bounded, read_all, CaptureErrorKind, Direction, MAX_BLOCK_BYTES};

    fn block(kind: u32, body: &[u8]) -> Vec<u8> {
        let len = (12 + body.len().div_ceil(4) * 4) as u32;
        let mut b = kind.to_le_bytes().to_vec();
        b.extend_from_slice(&len.to_le_bytes());
        b.extend_from_slice(body);
        b.resize(len as usize - 4, 0);
        b.extend_from_slice(&len.to_le_bytes());
        b
    }

    fn option(code: u16, value: &[u8]) -> Vec<u8> {
        let mut o = code.to_le_bytes().to_vec();
        o.extend_from_slice(&(value.len() as u16).to_le_bytes());
        o.extend_from_slice(value);
        o.resize(4 + value.len().div_ceil(4) * 4, 0);
        o
    }

    /// SHB, an Ethernet IDB with if_tsresol 9 (ns) and if_fcslen 4, then an
    /// EPB whose epb_flags say outbound with no FCS, an SPB, and an OPB.
    fn capture() -> Vec<u8> {
        let mut shb = 0x1A2B_3C4Du32.to_le_bytes().to_vec();
        shb.extend_from_slice(&[1, 0, 0, 0]);
        shb.extend_from_slice(&(-1i64).to_le_bytes());
        let mut out = block(0x0A0D_0D0A, &shb);
        let mut idb = vec![1, 0, 0, 0, 0xff, 0xff, 0, 0];
        idb.extend(option(9, &[9]));
        idb.extend(option(13, &[4]));
        idb.extend(option(0, &[]));
        out.extend(block(1, &idb));
        let frame = [0xabu8; 64];
        let mut epb = Vec::new();
        for v in [0u32, 0, 1_500, 64, 64] {
            epb.extend_from_slice(&v.to_le_bytes());
        }
        epb.extend_from_slice(&frame);
        // epb_flags: outbound (bits 0-1 = 2) and a CRC error (bit 24); FCS length
        // bits 5-8 are 0 ("not available"), so the interface's if_fcslen applies.
        epb.extend(option(2, &(2u32 | (1 << 24)).to_le_bytes()));
        epb.extend(option(0, &[]));
        out.extend(block(6, &epb));
        let mut spb = 70u32.to_le_bytes().to_vec();
        spb.extend_from_slice(&[0xcd; 70]);
        out.extend(block(3, &spb));
        let mut opb = vec![0, 0, 0, 0];
        for v in [0u32, 2_000, 60, 60] {
            opb.extend_from_slice(&v.to_le_bytes());
        }
        opb.extend_from_slice(&[0xef; 60]);
        opb.extend(option(2, &(1u32 | (4 << 5)).to_le_bytes()));
        out.extend(block(2, &opb));
        out
    }

    #[test]
    fn epb_spb_opb_with_interface_and_packet_metadata() {
        let mut seen = Vec::new();
        let err = read_all(&capture(), |p| {
            seen.push((
                p.number,
                p.data.len(),
                p.original_len,
                p.timestamp_ns,
                p.fcs.len,
                p.fcs.crc_error_flag,
                p.direction,
            ))
        });
        assert_eq!(err, None);
        assert_eq!(
            seen,
            [
                (1, 64, 64, Some(1_500), Some(4), true, Some(Direction::Outbound)),
                (2, 70, 70, None, Some(4), false, None),
                (3, 60, 60, Some(2_000), Some(4), false, Some(Direction::Inbound)),
            ]
        );
    }

    #[test]
    fn packet_for_an_undefined_interface_is_an_error_with_offset() {
        let mut c = capture();
        // Point the EPB (after the 28-byte SHB and the 40-byte IDB) at interface 3.
        c[28 + 40 + 8] = 3;
        let mut n = 0;
        let err = read_all(&c, |_| n += 1).unwrap();
        assert_eq!(n, 0);
        assert_eq!(err.offset, 68);
        assert!(
            err.to_string().contains("refers to interface 3, but its section has defined only 1 interface."),
            "{err}"
        );
    }

    fn section_and_interface(link: u16) -> Vec<u8> {
        let c = capture();
        // The SHB (28 bytes) and the IDB (40) of `capture`, with the link type set.
        let mut out = c[..68].to_vec();
        out[36..38].copy_from_slice(&link.to_le_bytes());
        out
    }

    #[test]
    fn u32_max_block_lengths_are_refused_from_the_block_header_without_a_panic() {
        for (len, too_large) in
            [(0xFFFF_FFF0u32, true), (0xFFFF_FFFC, true), (MAX_BLOCK_BYTES + 4, true), (u32::MAX, false)]
        {
            let mut f = section_and_interface(1);
            f.extend_from_slice(&6u32.to_le_bytes());
            f.extend_from_slice(&len.to_le_bytes());
            f.extend_from_slice(&[0; 4]);
            for chunk in [1, 5, f.len()] {
                let e = first_error_bounded(&f, chunk, 40).expect("refused as soon as the block header is there");
                assert_eq!(e.offset, 68);
                match e.kind {
                    CaptureErrorKind::BlockTooLarge { length, max, .. } => {
                        assert!(too_large);
                        assert_eq!((length, max), (len, MAX_BLOCK_BYTES));
                    }
                    CaptureErrorKind::BadBlockLength { length, .. } => {
                        assert!(!too_large);
                        assert_eq!(length, len);
                    }
                    other => panic!("{other:?}"),
                }
            }
        }
    }

    #[test]
    fn a_dbus_interface_raises_the_block_bound_as_in_libpcap() {
        let len = MAX_BLOCK_BYTES + 4;
        let mut f = section_and_interface(231);
        f.extend_from_slice(&6u32.to_le_bytes());
        f.extend_from_slice(&len.to_le_bytes());
        // Not refused from its header: the file ends inside the block instead.
        let e = read_all(&f, |_| {}).unwrap();
        assert!(matches!(e.kind, CaptureErrorKind::CutOff { needed, .. } if needed == u64::from(len)), "{e}");
    }

    #[test]
    fn u32_max_captured_lengths_inside_a_packet_block_are_malformed_not_a_panic() {
        for caplen in [u32::MAX, u32::MAX - 3, u32::MAX - 4, u32::MAX - 5, 0x8000_0000, 33] {
            // EPB: 32 bytes of fixed fields and trailer, 32 bytes of data.
            let mut epb = Vec::new();
            for v in [0u32, 0, 0, caplen, 64] {
                epb.extend_from_slice(&v.to_le_bytes());
            }
            epb.extend_from_slice(&[0; 32]);
            let mut f = section_and_interface(1);
            f.extend(block(6, &epb));
            let e = read_all(&f, |_| panic!("no packet")).unwrap();
            assert_eq!(e.offset, 68);
            assert!(e.to_string().contains("captured bytes but holds 32"), "{e}");
            // OPB: the same with its 16-bit interface and drops counter.
            let mut opb = vec![0, 0, 0, 0];
            for v in [0u32, 0, caplen, 64] {
                opb.extend_from_slice(&v.to_le_bytes());
            }
            opb.extend_from_slice(&[0; 32]);
            let mut f = section_and_interface(1);
            f.extend(block(2, &opb));
            let e = read_all(&f, |_| panic!("no packet")).unwrap();
            assert!(e.to_string().contains("captured bytes but holds 32"), "{e}");
        }
    }
}
