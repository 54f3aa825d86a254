//! The JSON Lines report: one object per frame, then `{"summary": …}`.
//! The field names are a public contract documented in README.md.

use crate::frame::ledger::{Flags, Region};
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

/// Names of the per-frame finding bits, as the JSON spells them.
pub const FLAG_NAMES: [(u32, &str); 18] = [
    (Flags::PADDING, "padding"),
    (Flags::NONZERO_PADDING, "nonzero_padding"),
    (Flags::TRAILER, "trailer"),
    (Flags::VENDOR, "vendor"),
    (Flags::FCS_VALID, "fcs_valid"),
    (Flags::FCS_INVALID, "fcs_invalid"),
    (Flags::FCS_UNKNOWN, "fcs_unknown"),
    (Flags::FCS_UNANNOUNCED, "fcs_unannounced"),
    (Flags::FCS_HINT_FAILED, "fcs_metadata_contradicted"),
    (Flags::CRC_ERROR_FLAG, "crc_error_flag"),
    (Flags::TRUNCATED, "truncated"),
    (Flags::CLAIM_OVERRUN, "length_claim_overrun"),
    (Flags::INNER_MISMATCH, "inner_length_mismatch"),
    (Flags::TSO_ZERO_LENGTH, "tso_zero_length"),
    (Flags::RUNT, "runt"),
    (Flags::END_UNKNOWN, "end_unknown"),
    (Flags::UNSUPPORTED_LINK, "unsupported_link"),
    (Flags::IPV6_ZERO_LENGTH, "ipv6_zero_length"),
];

pub fn frame_line<'a>(r: &'a FrameRecord, settings: &Settings) -> FrameLine<'a> {
    let l = &r.ledger;
    let mut findings: Vec<&'static str> = FLAG_NAMES.iter().filter(|(b, _)| l.flags.has(*b)).map(|(_, n)| *n).collect();
    // Depends on the MTU, so not a bit of the ledger.
    if r.mtu.is_superframe(settings.mtu) {
        findings.push("superframe");
    }
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
