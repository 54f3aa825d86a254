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
//!
//! [`reader`] drives the format parsers (`pcap`, `pcapng`) within the
//! [`bounds`] and hands out [`frame`]s, each at a [`point`]; [`reread`] reads
//! one frame again on its own, by offset; [`write`] writes frames back as pcapng.

mod bounds;
pub(crate) mod error;
mod frame;
mod pcap;
mod pcapng;
mod point;
mod reader;
mod reread;
pub mod write;

pub use bounds::{max_block_bytes_for, max_record_bytes, MAX_BLOCK_BYTES, MAX_RECORD_BYTES};
pub(crate) use bounds::{record_bound_source, unit_len};
pub use error::{CaptureError, CaptureErrorKind};
pub(crate) use frame::to_nanos;
pub use frame::{Direction, FcsHint, Frame, Interface, OwnedFrame, DEFAULT_TSRESOL};
pub use point::PointKey;
#[cfg(test)]
pub(crate) use reader::first_error_bounded;
use reader::Step;
pub use reader::{has_capture_magic, read_all, CaptureReader, ContextBlock, Format, ReaderNote, MAX_CONTEXT_BLOCKS};
pub use reread::{context_for, packet_at, record_read_len, FrameSearch, RecordAt, RereadPlan};
