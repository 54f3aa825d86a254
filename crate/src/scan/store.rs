//! Frame records kept small: a consumer that holds every record of a capture
//! (the web app, for its list and filters) stores them here at a few dozen
//! bytes per frame instead of the 192 of a [`FrameRecord`].
//!
//! Records are written by a [`RecordBatch`] (where the scan runs, e.g. a Web
//! Worker) as variable-length integers, each field relative to the record
//! before it within a block of [`BLOCK`] records. A batch's bytes move as one
//! buffer; [`RecordStore::append`] checks them once and indexes every block
//! start, so reading record `i` decodes at most `BLOCK` records. Every field
//! is kept exactly: `get` returns the record that was pushed.

use crate::capture::Direction;
use crate::frame::finding::FindingSet;
use crate::frame::ledger::{FcsStatus, Ledger, Region, RegionKind, MAX_REGIONS};
use crate::frame::mtu::MtuFacts;
use crate::frame::vendor::Vendor;
use crate::scan::record::FrameRecord;
use crate::wire::link::{LinkKind, LinkType};
use std::fmt;
use std::sync::Arc;

/// Records per block: the most that reading one record decodes.
pub const BLOCK: usize = 32;

/// The previous record's fields that the next one is written relative to.
#[derive(Clone, Copy, Default)]
struct Base {
    number: u64,
    offset: u64,
    timestamp_ns: i64,
}

// Bits of a record's header word.
const DIRECTION: u32 = 0; // 2 bits: none, inbound, outbound
const FCS: u32 = 2; // 2 bits: FcsStatus
const HAS_TS: u32 = 1 << 4;
const HAS_L3_START: u32 = 1 << 5;
const HAS_L3_END: u32 = 1 << 6;
const HAS_EXTRA: u32 = 1 << 7;
const IPV6: u32 = 1 << 8;
const DONT_FRAGMENT: u32 = 1 << 9;
const CONSISTENT: u32 = 1 << 10;
const HAS_DATAGRAM: u32 = 1 << 11;
const HAS_TCP: u32 = 1 << 12;
const LINK_KIND: u32 = 13; // 4 bits
const REGIONS: u32 = 17; // 3 bits
                         // A region's meta value: kind in the low 3 bits, then these.
const REGION_NONZERO: u32 = 3;
const REGION_VALID: u32 = 5;
const REGION_VENDOR: u32 = 7;

fn tri(b: Option<bool>) -> u8 {
    match b {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    }
}

fn untri(c: u8) -> Option<bool> {
    match c & 3 {
        1 => Some(false),
        2 => Some(true),
        _ => None,
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Writes records for a [`RecordStore`]: what a scanner hands over, batch by batch.
#[derive(Default)]
pub struct RecordBatch {
    bytes: Vec<u8>,
    count: usize,
    base: Base,
    /// Where each block of [`BLOCK`] records starts in `bytes`.
    blocks: Vec<u32>,
}

impl RecordBatch {
    pub fn new() -> Self {
        RecordBatch::default()
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The written records, ready to move (e.g. as a transferable buffer).
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The written records and where each block starts, for
    /// [`RecordStore::append_indexed`]: the receiver need not decode them.
    pub fn into_parts(self) -> (Vec<u8>, Vec<u32>) {
        (self.bytes, self.blocks)
    }

    pub fn push(&mut self, r: &FrameRecord) {
        if self.count % BLOCK == 0 {
            self.base = Base::default();
            self.blocks.push(self.bytes.len() as u32);
        }
        let l = &r.ledger;
        let m = &r.mtu;
        let regions = l.regions().count() as u32;
        let mut head = match r.direction {
            None => 0,
            Some(Direction::Inbound) => 1,
            Some(Direction::Outbound) => 2,
        } << DIRECTION;
        head |= u32::from(l.fcs.code()) << FCS;
        head |= u32::from(m.link.code()) << LINK_KIND;
        head |= regions << REGIONS;
        for (bit, on) in [
            (HAS_TS, r.timestamp_ns.is_some()),
            (HAS_L3_START, l.l3_start.is_some()),
            (HAS_L3_END, l.l3_end.is_some()),
            (HAS_EXTRA, l.extra.is_some()),
            (IPV6, m.ipv6),
            (DONT_FRAGMENT, m.dont_fragment),
            (CONSISTENT, m.consistent),
            (HAS_DATAGRAM, m.datagram_len.is_some()),
            (HAS_TCP, m.tcp_payload.is_some()),
        ] {
            if on {
                head |= bit;
            }
        }
        let out = &mut self.bytes;
        put(out, head.into());
        put(out, zigzag(r.number.wrapping_sub(self.base.number).wrapping_sub(1) as i64));
        put(out, zigzag(r.offset.wrapping_sub(self.base.offset) as i64));
        if let Some(ts) = r.timestamp_ns {
            put(out, zigzag(ts.wrapping_sub(self.base.timestamp_ns)));
            self.base.timestamp_ns = ts;
        }
        put(out, r.interface.into());
        put(out, r.link_type.0.into());
        put(out, l.caplen.into());
        put(out, zigzag(i64::from(l.len) - i64::from(l.caplen)));
        put(out, l.link_header_len.into());
        put(out, l.tags.into());
        if let Some(v) = l.l3_start {
            put(out, v.into());
        }
        if let Some(v) = l.l3_end {
            put(out, v);
        }
        if let Some(v) = l.extra {
            put(out, v.into());
        }
        put(out, l.pad_limit.into());
        put(out, l.flags.0.into());
        put(out, l.truncated.into());
        for g in l.regions() {
            // 0: none, else the vendor's code + 1.
            let vendor = g.vendor.map_or(0, |v| v.code() + 1);
            // Kind (3 bits), then nonzero, valid and vendor (2 bits each).
            let meta = u32::from(g.kind.code())
                | u32::from(tri(g.nonzero)) << REGION_NONZERO
                | u32::from(tri(g.valid)) << REGION_VALID
                | u32::from(vendor) << REGION_VENDOR;
            put(out, meta.into());
            put(out, g.start.into());
            put(out, g.len.into());
        }
        put(out, m.frame_len.into());
        put(out, m.link_header_len.into());
        put(out, m.tags.into());
        if let Some(v) = m.datagram_len {
            put(out, v.into());
        }
        if let Some(v) = m.tcp_payload {
            put(out, v.into());
        }
        put(out, m.trailer_bytes.into());
        put(out, m.macsec_overhead.into());
        self.base.number = r.number;
        self.base.offset = r.offset;
        self.count += 1;
    }
}

/// Bytes that do not read back as records: only possible if a buffer was
/// damaged or cut on its way from the writer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError {
    /// Offset in the appended buffer where reading failed.
    pub at: usize,
    /// Records read whole before it.
    pub records: usize,
    pub reason: &'static str,
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the record buffer is damaged at byte {} after {} whole records: {}",
            crate::text::thousands(self.at as u64),
            crate::text::thousands(self.records as u64),
            self.reason
        )
    }
}

impl std::error::Error for StoreError {}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
    base: Base,
}

impl Reader<'_> {
    fn var(&mut self) -> Result<u64, &'static str> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let Some(&byte) = self.b.get(self.at) else { return Err("a number is cut off") };
            self.at += 1;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("a number is longer than 64 bits")
    }

    fn u32(&mut self) -> Result<u32, &'static str> {
        u32::try_from(self.var()?).map_err(|_| "a 32-bit field holds a larger number")
    }

    fn u8(&mut self) -> Result<u8, &'static str> {
        u8::try_from(self.var()?).map_err(|_| "an 8-bit field holds a larger number")
    }

    fn record(&mut self) -> Result<FrameRecord, &'static str> {
        let head = self.u32()?;
        let on = |bit: u32| head & bit != 0;
        let number = self.base.number.wrapping_add(1).wrapping_add(unzigzag(self.var()?) as u64);
        let offset = self.base.offset.wrapping_add(unzigzag(self.var()?) as u64);
        let timestamp_ns = if on(HAS_TS) {
            let ts = self.base.timestamp_ns.wrapping_add(unzigzag(self.var()?));
            self.base.timestamp_ns = ts;
            Some(ts)
        } else {
            None
        };
        let interface = self.u32()?;
        let link_type = LinkType(u16::try_from(self.var()?).map_err(|_| "the link type is over 16 bits")?);
        let caplen = self.u32()?;
        let len = u32::try_from(i64::from(caplen) + unzigzag(self.var()?)).map_err(|_| "the length is out of range")?;
        let link_header_len = self.u32()?;
        let tags = self.u8()?;
        let l3_start = if on(HAS_L3_START) { Some(self.u32()?) } else { None };
        let l3_end = if on(HAS_L3_END) { Some(self.var()?) } else { None };
        let extra = if on(HAS_EXTRA) { Some(self.u32()?) } else { None };
        let pad_limit = self.u32()?;
        let flags = FindingSet(self.u32()?);
        let truncated = self.u32()?;
        let count = (head >> REGIONS & 7) as usize;
        if count > MAX_REGIONS {
            return Err("a record claims more regions than a frame can have");
        }
        let mut regions = [None; MAX_REGIONS];
        for slot in regions.iter_mut().take(count) {
            let meta = self.u32()?;
            if meta >> (REGION_VENDOR + 2) != 0 {
                return Err("a region's kind and flags are out of range");
            }
            let vendor = match (meta >> REGION_VENDOR) as u8 {
                0 => None,
                c => Some(Vendor::from_code(c - 1).ok_or("a region names an unknown vendor")?),
            };
            *slot = Some(Region {
                kind: RegionKind::from_code((meta & 7) as u8).ok_or("a record names an unknown region kind")?,
                start: self.u32()?,
                len: self.u32()?,
                nonzero: untri((meta >> REGION_NONZERO) as u8),
                valid: untri((meta >> REGION_VALID) as u8),
                vendor,
            });
        }
        let mtu = MtuFacts {
            link: LinkKind::from_code((head >> LINK_KIND & 0xf) as u8).ok_or("a record names an unknown link kind")?,
            frame_len: self.u32()?,
            link_header_len: self.u32()?,
            tags: self.u8()?,
            datagram_len: if on(HAS_DATAGRAM) { Some(self.u32()?) } else { None },
            ipv6: on(IPV6),
            dont_fragment: on(DONT_FRAGMENT),
            consistent: on(CONSISTENT),
            tcp_payload: if on(HAS_TCP) { Some(self.u32()?) } else { None },
            trailer_bytes: self.u32()?,
            macsec_overhead: self.u8()?,
        };
        let direction = match head >> DIRECTION & 3 {
            0 => None,
            1 => Some(Direction::Inbound),
            2 => Some(Direction::Outbound),
            _ => return Err("a record has an unknown direction"),
        };
        self.base.number = number;
        self.base.offset = offset;
        Ok(FrameRecord {
            number,
            offset,
            timestamp_ns,
            interface,
            link_type,
            direction,
            ledger: Ledger {
                caplen,
                len,
                link_header_len,
                tags,
                l3_start,
                l3_end,
                extra,
                pad_limit,
                regions,
                fcs: FcsStatus::from_code((head >> FCS & 3) as u8).ok_or("a record names an unknown FCS status")?,
                truncated,
                flags,
            },
            mtu,
        })
    }
}

/// One appended batch: its bytes and where each block starts.
struct Chunk {
    bytes: Box<[u8]>,
    blocks: Box<[u32]>,
    len: usize,
}

impl Chunk {
    fn reader_at(&self, block: usize) -> Reader<'_> {
        Reader { b: &self.bytes, at: self.blocks[block] as usize, base: Base::default() }
    }
}

/// Every record of a capture, compact. Cloning shares the chunks.
#[derive(Clone, Default)]
pub struct RecordStore {
    chunks: Vec<Arc<Chunk>>,
    /// Index of each chunk's first record.
    starts: Vec<usize>,
    len: usize,
    heap: usize,
}

impl fmt::Debug for RecordStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordStore {{ len: {}, chunks: {}, heap_bytes: {} }}", self.len, self.chunks.len(), self.heap)
    }
}

impl PartialEq for RecordStore {
    /// Records are only appended: the same chunks are the same records.
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len
            && self.chunks.len() == other.chunks.len()
            && self.chunks.iter().zip(&other.chunks).all(|(a, b)| Arc::ptr_eq(a, b))
    }
}

impl RecordStore {
    pub fn new() -> Self {
        RecordStore::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes the records occupy on the heap, indexes included.
    pub fn heap_bytes(&self) -> usize {
        self.heap
    }

    /// Adds the records of a [`RecordBatch`]'s bytes; returns how many. A
    /// damaged buffer adds the records read whole before the damage and
    /// returns the error.
    pub fn append(&mut self, bytes: Vec<u8>) -> Result<usize, StoreError> {
        let mut blocks = Vec::new();
        let mut r = Reader { b: &bytes, at: 0, base: Base::default() };
        let mut n = 0usize;
        let mut error = None;
        while r.at < bytes.len() {
            if n % BLOCK == 0 {
                r.base = Base::default();
                blocks.push(r.at as u32);
            }
            let start = r.at;
            if let Err(reason) = r.record() {
                error = Some(StoreError { at: start, records: n, reason });
                if n % BLOCK == 0 {
                    blocks.pop();
                }
                break;
            }
            n += 1;
        }
        if n > 0 {
            let end = error.as_ref().map_or(bytes.len(), |e| e.at);
            let mut bytes = bytes;
            bytes.truncate(end);
            self.push_chunk(Chunk { bytes: bytes.into_boxed_slice(), blocks: blocks.into_boxed_slice(), len: n });
        }
        match error {
            Some(e) => Err(e),
            None => Ok(n),
        }
    }

    /// Adds the records of a [`RecordBatch`] from its parts without decoding
    /// them: for bytes from a writer this program runs (the scan worker). The
    /// index is checked for shape only; damaged record bytes cannot panic
    /// later either, they read as missing records.
    pub fn append_indexed(&mut self, bytes: Vec<u8>, blocks: Vec<u32>, len: usize) -> Result<usize, StoreError> {
        let shape_ok = blocks.len() == len.div_ceil(BLOCK)
            && blocks.first().is_none_or(|&b| b == 0)
            && blocks.windows(2).all(|w| w[0] < w[1])
            && blocks.last().is_none_or(|&b| (b as usize) < bytes.len());
        if !shape_ok {
            return Err(StoreError { at: 0, records: 0, reason: "the block index does not fit the records" });
        }
        if len > 0 {
            self.push_chunk(Chunk { bytes: bytes.into_boxed_slice(), blocks: blocks.into_boxed_slice(), len });
        }
        Ok(len)
    }

    fn push_chunk(&mut self, chunk: Chunk) {
        // The chunk's buffers, its struct, and its `chunks` and `starts` entries.
        self.heap += chunk.bytes.len() + chunk.blocks.len() * 4 + std::mem::size_of::<Chunk>() + 2 * 8;
        self.starts.push(self.len);
        self.len += chunk.len;
        self.chunks.push(Arc::new(chunk));
    }

    /// The record at 0-based index `i`.
    pub fn get(&self, i: usize) -> Option<FrameRecord> {
        if i >= self.len {
            return None;
        }
        let c = self.starts.partition_point(|&s| s <= i) - 1;
        let chunk = &self.chunks[c];
        let k = i - self.starts[c];
        let mut r = chunk.reader_at(k / BLOCK);
        let mut rec = r.record().ok();
        for _ in 0..k % BLOCK {
            rec = r.record().ok();
        }
        rec
    }

    /// Frame numbers are 1-based and dense in file order.
    pub fn by_number(&self, n: u64) -> Option<FrameRecord> {
        self.get(usize::try_from(n.checked_sub(1)?).ok()?)
    }

    /// Every record in order, decoded one after the other.
    pub fn iter(&self) -> impl Iterator<Item = FrameRecord> + '_ {
        self.iter_from(0)
    }

    /// The records from index `first` on, in order: what a consumer that
    /// counts batch by batch reads after an append.
    pub fn iter_from(&self, first: usize) -> impl Iterator<Item = FrameRecord> + '_ {
        let c = if first < self.len { self.starts.partition_point(|&s| s <= first) - 1 } else { self.chunks.len() };
        let skip = first.saturating_sub(self.starts.get(c).copied().unwrap_or(0));
        self.chunks[c..].iter().enumerate().flat_map(move |(j, chunk)| {
            let from = if j == 0 { skip } else { 0 };
            let block = from / BLOCK;
            let mut r = chunk.reader_at(block);
            (block * BLOCK..chunk.len)
                .map_while(move |k| {
                    if k % BLOCK == 0 {
                        r.base = Base::default();
                    }
                    r.record().ok().map(|rec| (k, rec))
                })
                .filter(move |&(k, _)| k >= from)
                .map(|(_, rec)| rec)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan_bytes;
    use crate::settings::Settings;

    fn records(path: &str) -> Vec<FrameRecord> {
        let bytes = std::fs::read(path).unwrap();
        let mut v = Vec::new();
        scan_bytes(&bytes, Settings::default(), |r| v.push(*r));
        v
    }

    #[test]
    fn records_read_back_exactly_in_any_batching() {
        // The story five times over, renumbered: enough records to cross blocks.
        let story = records("../static/examples/two-bytes.pcap");
        let all: Vec<FrameRecord> = (0..5)
            .flat_map(|k| story.iter().map(move |r| (k, *r)))
            .enumerate()
            .map(|(i, (k, mut r))| {
                r.number = i as u64 + 1;
                r.offset += k * 1_000_000;
                r
            })
            .collect();
        assert!(all.len() > 2 * BLOCK, "{} records", all.len());
        for per_batch in [1, 7, BLOCK, BLOCK + 1, all.len()] {
            let mut store = RecordStore::new();
            for part in all.chunks(per_batch) {
                let mut b = RecordBatch::new();
                part.iter().for_each(|r| b.push(r));
                assert_eq!(store.append(b.into_bytes()), Ok(part.len()));
            }
            assert_eq!(store.len(), all.len());
            for (i, r) in all.iter().enumerate() {
                assert_eq!(store.get(i).as_ref(), Some(r), "record {i}, batches of {per_batch}");
            }
            assert!(store.iter().eq(all.iter().copied()));
            for first in [0, 1, BLOCK - 1, BLOCK, BLOCK + 5, all.len() - 1, all.len(), all.len() + 3] {
                let tail: Vec<_> = all.iter().skip(first).copied().collect();
                assert!(store.iter_from(first).eq(tail), "from {first}, batches of {per_batch}");
            }
            assert_eq!(store.get(all.len()), None);
            assert_eq!(store.by_number(0), None);
        }
    }

    #[test]
    fn indexed_append_reads_like_a_checked_one_and_refuses_a_bad_index() {
        let all = records("../static/examples/two-bytes.pcap");
        let mut b = RecordBatch::new();
        all.iter().for_each(|r| b.push(r));
        let (bytes, blocks) = b.into_parts();
        let mut s = RecordStore::new();
        assert_eq!(s.append_indexed(bytes.clone(), blocks.clone(), all.len()), Ok(all.len()));
        assert!(s.iter().eq(all.iter().copied()));
        assert_eq!(s.get(all.len() - 1).as_ref(), all.last());
        let mut bad = RecordStore::new();
        assert!(bad.append_indexed(bytes.clone(), vec![5], all.len()).is_err());
        assert!(bad.append_indexed(bytes, blocks, all.len() + 10 * BLOCK).is_err());
        assert!(bad.is_empty());
        // Damaged bytes behind a good index: missing records, no panic.
        let mut b = RecordBatch::new();
        all.iter().for_each(|r| b.push(r));
        let (mut bytes, blocks) = b.into_parts();
        bytes.truncate(bytes.len() / 2);
        let mut damaged = RecordStore::new();
        assert_eq!(damaged.append_indexed(bytes, blocks, all.len()), Ok(all.len()), "the index alone still fits");
        assert!(damaged.get(all.len() - 1).is_none());
        assert!(damaged.iter().count() < all.len());
    }

    #[test]
    fn extreme_values_survive() {
        let mut r = records("../static/examples/two-bytes.pcap")[1];
        r.number = u64::MAX;
        r.offset = 0;
        r.timestamp_ns = Some(i64::MIN);
        r.interface = u32::MAX;
        r.ledger.len = 0;
        r.ledger.caplen = u32::MAX;
        r.ledger.l3_end = Some(u64::MAX);
        r.mtu.tcp_payload = Some(u32::MAX);
        let mut b = RecordBatch::new();
        b.push(&r);
        let mut s = RecordStore::new();
        assert_eq!(s.append(b.into_bytes()), Ok(1));
        assert_eq!(s.get(0), Some(r));
    }

    #[test]
    fn a_cut_buffer_keeps_the_whole_records_and_says_where() {
        let all = records("../static/examples/802.1ad_QinQ.pcap");
        let mut b = RecordBatch::new();
        all.iter().for_each(|r| b.push(r));
        let mut bytes = b.into_bytes();
        let whole = bytes.len();
        bytes.truncate(whole - 3);
        let mut s = RecordStore::new();
        let e = s.append(bytes).unwrap_err();
        assert_eq!(e.records, all.len() - 1);
        assert_eq!(s.len(), all.len() - 1);
        assert!(e.to_string().starts_with(&format!("the record buffer is damaged at byte {}", e.at)), "{e}");
        assert_eq!(s.get(all.len() - 2).as_ref(), all.get(all.len() - 2));
    }
}
