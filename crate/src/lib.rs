//! Framelens core: reads pcap and pcapng captures, dissects every frame into
//! labelled byte spans, recomputes each frame's expected length from its own
//! headers, and classifies every byte the headers do not explain.
//!
//! The data path runs one way, one folder per stage:
//!
//! ```text
//! capture/  bytes → packets (pcap, pcapng; bounded, streaming)
//!    ↓
//! wire/     protocol tables: field ranges, numbers, link types
//!    ↓
//! frame/    one packet → dissection → ledger (regions, findings) → MTU verdict
//!    ↓
//! scan/     every frame → compact record → capture-wide summary, store, JSON
//!    ↓
//! explain/  views, glossary, lessons, what-if, tickets, share links
//! ```
//!
//! Each stage uses only the stages above it. [`settings`] (what the user
//! chose) and [`text`] (how counts are written) serve every stage.
//! [`craft`] builds synthetic captures for tests, benchmarks and lessons; it
//! is behind the `craft` feature.

#![forbid(unsafe_code)]

pub mod capture;
#[cfg(feature = "craft")]
pub mod craft;
pub mod explain;
pub mod frame;
pub mod scan;
pub mod settings;
pub mod text;
pub mod wire;
