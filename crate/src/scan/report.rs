//! The JSON Lines report: one object per frame, then `{"summary": …}`.
//! The field names are a public contract documented in docs/output.md.

use crate::frame::finding::Finding;
use crate::frame::ledger::Region;
use crate::frame::mtu::drops;
use crate::scan::record::FrameRecord;
use crate::scan::summary::Summary;
use crate::settings::Settings;
use serde::Serialize;

#[derive(Serialize)]
pub struct FrameLine<'a> {
    pub frame: u64,
    pub offset: u64,
    pub timestamp_ns: Option<i64>,
    pub interface: u32,
    pub link_type: u16,
    pub caplen: u32,
    pub len: u32,
    pub l3_start: Option<u32>,
    pub l3_end: Option<u64>,
    pub extra: Option<u32>,
    pub expected_len: Option<u64>,
    pub regions: Vec<&'a Region>,
    pub fcs: &'static str,
    pub truncated: u32,
    pub findings: Vec<&'static str>,
    pub over_mtu: bool,
}

pub fn frame_line<'a>(r: &'a FrameRecord, settings: &Settings) -> FrameLine<'a> {
    let l = &r.ledger;
    let findings = r.findings(settings).iter().map(Finding::key).collect();
    FrameLine {
        frame: r.number,
        offset: r.offset,
        timestamp_ns: r.timestamp_ns,
        interface: r.interface,
        link_type: r.link_type.0,
        caplen: l.caplen,
        len: l.len,
        l3_start: l.l3_start,
        l3_end: l.l3_end,
        extra: l.extra,
        expected_len: l.expected_len(),
        regions: l.regions().collect(),
        fcs: l.fcs.key(),
        truncated: l.truncated,
        findings,
        over_mtu: drops(&r.mtu, settings),
    }
}

#[derive(Serialize)]
pub struct SummaryLine<'a> {
    pub summary: &'a Summary,
}
