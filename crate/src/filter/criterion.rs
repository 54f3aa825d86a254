//! One-word questions about a frame's record, as the web app's quick-filter
//! chips and the CLI's `--fail-on` ask them. Each is a display filter over a
//! record field ([`Criterion::expression`]) and is answered by that field's
//! own accessor, so a chip, `--fail-on` and the typed filter cannot disagree.

use super::fields::{self, Value};
use super::Subject;
use crate::frame::finding::Finding;
use crate::frame::ledger::{FcsStatus, RegionKind};
use crate::scan::record::FrameRecord;
use crate::settings::Settings;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Criterion {
    /// `region == kind`: the frame has a region of this kind.
    Region(RegionKind),
    /// `finding == key`: at the settings' MTU (a super-frame depends on it).
    Finding(Finding),
    /// `fcs != absent`: the frame carries an FCS, whatever its verdict.
    Fcs,
    /// `truncated > 0`: the snap length cut the frame.
    Truncated,
    /// `over_mtu`: the chosen rule drops the frame at the chosen MTU.
    OverMtu,
}

impl Criterion {
    /// Whether the frame `r` meets it at `settings`. Never allocates: the web
    /// app asks it of every record kept.
    pub fn matches(self, r: &FrameRecord, settings: &Settings) -> bool {
        let s = Subject::record(r, settings);
        match self {
            Criterion::Region(k) => fields::region(&s, &mut |v| v == Value::Name(k.code())),
            Criterion::Finding(f) => fields::finding(&s, &mut |v| v == Value::Name(f.index() as u8)),
            Criterion::Fcs => !fields::fcs(&s, &mut |v| v == Value::Name(FcsStatus::Absent.code())),
            Criterion::Truncated => fields::truncated(&s, &mut |v| matches!(v, Value::Int(n) if n > 0)),
            Criterion::OverMtu => fields::over_mtu(&s, &mut |v| v == Value::Bool(true)),
        }
    }

    /// The same question as a display filter.
    pub fn expression(self) -> String {
        match self {
            Criterion::Region(k) => format!("region == \"{}\"", k.key()),
            Criterion::Finding(f) => format!("finding == \"{}\"", f.key()),
            Criterion::Fcs => format!("fcs != \"{}\"", FcsStatus::Absent.key()),
            Criterion::Truncated => "truncated > 0".into(),
            Criterion::OverMtu => "over_mtu".into(),
        }
    }
}
