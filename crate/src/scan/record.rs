//! What the scan keeps: one [`FrameRecord`] per frame and the file-level
//! [`CaptureMeta`]. They sit apart from the scanner so that the summary,
//! the store and the report can read them without depending on the scan.

use crate::capture::{Direction, Format, Interface, ReaderNote};
use crate::frame::finding::{Finding, FindingSet};
use crate::frame::ledger::Ledger;
use crate::frame::mtu::MtuFacts;
use crate::settings::Settings;
use crate::wire::link::LinkType;
use serde::{Deserialize, Serialize};

/// What the scan keeps per frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FrameRecord {
    /// 1-based packet number in file order.
    pub number: u64,
    /// Byte offset of the frame's record or block in the file.
    pub offset: u64,
    pub timestamp_ns: Option<i64>,
    pub interface: u32,
    pub link_type: LinkType,
    pub direction: Option<Direction>,
    pub ledger: Ledger,
    pub mtu: MtuFacts,
}

impl FrameRecord {
    /// The frame's findings at these settings: the ledger's, and
    /// [`Finding::Superframe`], which depends on the MTU and so is not a bit
    /// of the ledger. The counts, the JSON, the display filter and
    /// `--fail-on` all ask this, so they agree at every MTU.
    pub fn findings(&self, settings: &Settings) -> FindingSet {
        let mut set = self.ledger.flags;
        if self.mtu.is_superframe(settings.mtu) {
            set.set(Finding::Superframe);
        }
        set
    }
}

/// File-level facts for the summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureMeta {
    pub format: Option<Format>,
    pub interfaces: Vec<Interface>,
    pub notes: Vec<ReaderNote>,
    pub bytes_read: u64,
}
