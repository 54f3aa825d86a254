//! Capture points: every interface of every capture. A pcapng with two
//! interfaces is two points; a Linux cooked v2 capture (`tcpdump -i any`)
//! is one point per interface index its headers carry (SLL v1 carries none,
//! so it is one point); a classic pcap is one point.

use crate::capture::Frame;
use crate::wire::link::LinkKind;
use crate::wire::sll2;

/// The most points one path diagnosis follows. Packets of further points are
/// counted in [`crate::path::PathSummary::ignored_frames`], not followed: the
/// ordering keeps a points × points table.
pub const MAX_POINTS: usize = 256;

/// Where in its file a packet was captured: the pcapng interface, and for a
/// Linux cooked v2 link the interface index of the packet's own header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PointKey {
    pub interface: u32,
    pub ifindex: Option<u32>,
}

impl PointKey {
    pub fn of(p: &Frame<'_>) -> Self {
        let ifindex = (p.link_type.kind() == LinkKind::LinuxSll2 && p.data.len() >= sll2::HEADER_LEN)
            .then(|| sll2::ifindex(p.data));
        PointKey { interface: p.interface, ifindex }
    }
}

/// One capture point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    /// 0-based, files in the order given, then interfaces in index order.
    pub index: u16,
    /// Index of the file in the order given.
    pub file: usize,
    pub key: PointKey,
    /// The pcapng interface name (`if_name`), if the file gave one.
    pub name: Option<String>,
    pub link_type: u16,
    pub frames: u64,
    /// `controller.pcapng · eth1`; the interface index when there is no name.
    pub label: String,
}

impl Point {
    /// The contract's `interface`: the SLL2 interface index, else the pcapng interface index (0 for pcap).
    pub fn interface(&self) -> u32 {
        self.key.ifindex.unwrap_or(self.key.interface)
    }
}

/// `file · name`, falling back to the interface index.
pub fn label(file: &str, name: Option<&str>, interface: u32) -> String {
    match name {
        Some(n) if !n.is_empty() => format!("{file} · {n}"),
        _ => format!("{file} · {interface}"),
    }
}
