//! Capture points: every interface of every capture. A pcapng with two
//! interfaces is two points; a Linux cooked v2 capture (`tcpdump -i any`)
//! is one point per interface index its headers carry (SLL v1 carries none,
//! so it is one point); a classic pcap is one point.

pub use crate::capture::PointKey;
use serde::{Deserialize, Serialize};

/// The most points one path diagnosis follows. Packets of further points are
/// counted in [`crate::path::PathSummary::ignored_frames`], not followed: the
/// ordering keeps a points × points table.
pub const MAX_POINTS: usize = 256;

/// One capture point.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// A capture point as a user names it: `FILE` (every point of that file,
/// in their order) or `FILE:IFACE` (the interface's name or index). The
/// file matches the name as given or its last path component.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PointSpec {
    pub file: String,
    pub interface: Option<String>,
}

/// A `--order` entry that names no point of the captures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownPoint {
    pub spec: PointSpec,
    /// The points there are, as `FILE:IFACE`.
    pub known: Vec<String>,
}

impl core::fmt::Display for UnknownPoint {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "`{}` names no capture point; the points are {}", self.spec, self.known.join(", "))
    }
}

impl std::error::Error for UnknownPoint {}

impl PointSpec {
    /// `FILE` or `FILE:IFACE`. A file name may itself hold colons: the last
    /// one separates the interface only when [`PointSpec::resolve`] finds no
    /// file of the whole name.
    pub fn parse(s: &str) -> Self {
        match s.rsplit_once(':') {
            Some((file, iface)) if !file.is_empty() && !iface.is_empty() => {
                PointSpec { file: file.to_string(), interface: Some(iface.to_string()) }
            }
            _ => PointSpec { file: s.to_string(), interface: None },
        }
    }

    /// A comma-separated list, as `--order` and the page's `#order=` write it.
    pub fn parse_list(s: &str) -> Vec<Self> {
        s.split(',').map(str::trim).filter(|p| !p.is_empty()).map(Self::parse).collect()
    }

    /// How a point is named: its file as given and its label's interface part.
    pub fn of(p: &Point, file: &str) -> Self {
        let interface = match p.name.as_deref() {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => p.interface().to_string(),
        };
        PointSpec { file: file.to_string(), interface: Some(interface) }
    }

    fn file_matches(&self, file: &str) -> bool {
        file == self.file || file.rsplit(['/', '\\']).next() == Some(self.file.as_str())
    }

    fn interface_matches(&self, p: &Point) -> bool {
        match self.interface.as_deref() {
            None => true,
            Some(i) => p.name.as_deref() == Some(i) || p.interface().to_string() == i,
        }
    }

    /// The points this names, among `points` whose files are `files` (by
    /// index), in the order they are listed there.
    pub fn resolve(&self, points: &[Point], files: &[String]) -> Vec<usize> {
        let file_of = |p: &Point| files.get(p.file).map_or("", String::as_str);
        let found: Vec<usize> = (0..points.len())
            .filter(|&i| self.file_matches(file_of(&points[i])) && self.interface_matches(&points[i]))
            .collect();
        if !found.is_empty() || self.interface.is_none() {
            return found;
        }
        // `a:b.pcap` may be a file whose name holds a colon.
        let whole =
            PointSpec { file: format!("{}:{}", self.file, self.interface.as_deref().unwrap_or("")), interface: None };
        (0..points.len()).filter(|&i| whole.file_matches(file_of(&points[i]))).collect()
    }
}

impl core::fmt::Display for PointSpec {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match &self.interface {
            Some(i) => write!(f, "{}:{i}", self.file),
            None => write!(f, "{}", self.file),
        }
    }
}
