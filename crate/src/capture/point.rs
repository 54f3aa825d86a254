//! Capture points: where in its file a frame was captured. The path
//! diagnosis follows packets across points; the scan counts a packet seen on
//! two points of one capture once. Both name a point with [`PointKey`].

use super::frame::Frame;
use crate::wire::link::{LinkKind, LinkType};
use crate::wire::sll2;
use serde::{Deserialize, Serialize};

/// Where in its file a frame was captured: the pcapng interface, and for a
/// Linux cooked v2 link the interface index of the frame's own header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PointKey {
    pub interface: u32,
    pub ifindex: Option<u32>,
}

impl PointKey {
    pub fn of(p: &Frame<'_>) -> Self {
        PointKey::at(p.interface, p.link_type, p.data)
    }

    /// The point of a frame known by its scan record's interface and link
    /// type and its bytes (the scan's summary holds no [`Frame`]).
    pub fn at(interface: u32, link_type: LinkType, data: &[u8]) -> Self {
        let ifindex =
            (link_type.kind() == LinkKind::LinuxSll2 && data.len() >= sll2::HEADER_LEN).then(|| sll2::ifindex(data));
        PointKey { interface, ifindex }
    }
}
