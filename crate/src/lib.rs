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
//! log/      kernel logs beside the capture: lines → drop lines matched to frames
//!    ↓
//! filter/   display filters over a record (and the frame's bytes when at hand)
//!    ↓
//! explain/  views, glossary, lessons, what-if, tickets, share links
//! ```
//!
//! Each stage uses only the stages above it. [`settings`] (what the user
//! chose) and [`text`] (how counts are written) serve every stage.
//! [`craft`] builds synthetic captures for tests, benchmarks and lessons; it
//! is behind the `craft` feature.

#![forbid(unsafe_code)]
// The core never panics on any input: no unwrap, expect or panic outside
// tests (slicing is proven by the fuzz targets instead, see fuzz/).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

/// Gives an enum of unit variants its one list: `ALL` (every variant, in the
/// order given), `code()` (the position in `ALL`) and `from_code()`. The
/// match in `code` names every variant of the list and must be exhaustive, so
/// a variant added to the enum but not to the list does not compile; a const
/// assertion makes the list's order the declaration order, so `code` is the
/// discriminant (it runs per frame in the record store). Codes are stable as
/// long as that order is: the record store and share links keep them.
macro_rules! variants {
    ($ty:ident [$($v:ident),+ $(,)?]) => {
        impl $ty {
            pub const ALL: [$ty; [$($ty::$v),+].len()] = [$($ty::$v),+];

            /// The position in [`Self::ALL`].
            pub const fn code(self) -> u8 {
                match self {
                    $($ty::$v)|+ => self as u8,
                }
            }

            const _LIST_IN_DECLARATION_ORDER: () = {
                let mut i = 0;
                while i < Self::ALL.len() {
                    assert!(Self::ALL[i] as usize == i, "list the variants in declaration order");
                    i += 1;
                }
            };

            pub const fn from_code(code: u8) -> Option<Self> {
                let () = Self::_LIST_IN_DECLARATION_ORDER;
                if (code as usize) < Self::ALL.len() {
                    Some(Self::ALL[code as usize])
                } else {
                    None
                }
            }
        }
    };
}

pub mod capture;
#[cfg(feature = "craft")]
pub mod craft;
pub mod explain;
pub mod filter;
pub mod frame;
pub mod log;
pub mod path;
pub mod scan;
pub mod settings;
pub mod text;
pub mod wire;
