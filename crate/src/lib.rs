//! Framelens core: reads pcap and pcapng captures, dissects every frame into
//! labelled byte spans, recomputes each frame's expected length from its own
//! headers, and classifies every byte the headers do not explain.
//!
//! The data path, one module per arrow:
//! capture ([`capture`]) → frames → dissector ([`dissect`]) → spans and length
//! facts → ledger ([`ledger`]) → regions and findings → capture-wide
//! accumulation ([`summary`]) → views (the CLI, JSON, the web app).

pub mod analysis;
pub mod capture;
pub mod craft;
pub use capture::error::thousands;
pub mod dissect;
pub mod glossary;
pub mod ledger;
pub mod lessons;
pub mod link;
pub mod mtu;
pub mod report;
pub mod scan;
pub mod settings;
pub mod share;
pub mod store;
pub mod summary;
pub mod ticket;
pub mod vendor;
pub mod view;
pub mod whatif;
pub mod wire;
