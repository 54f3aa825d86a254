//! What the walk finds in one frame: its headers, the length fields' claims,
//! the outermost datagram, where and why it stopped, and the few facts the
//! capture-wide findings need. Plain data; the ledger and the faces read it.

use crate::capture::Direction;
use crate::wire::link::LinkKind;
use crate::wire::{macsec, Layer};
use serde::Serialize;

/// How many headers the ledger keeps per frame; deeper stacks are summarised.
pub const MAX_HEADERS: usize = 24;
/// How many length claims the ledger keeps per frame.
pub const MAX_CLAIMS: usize = 8;

/// One header the frame carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Header {
    pub layer: Layer,
    pub depth: u8,
    pub start: u32,
    pub len: u32,
}

/// A length field and what it claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimField {
    /// IEEE 802.3 length: LLC payload bytes after the 14-byte header.
    Ieee8023Length,
    Ipv4TotalLength,
    Ipv6PayloadLength,
    /// RFC 2675 Jumbo Payload option.
    Ipv6JumboLength,
    UdpLength,
    PppoeLength,
    /// ARP's own size, from its hardware and protocol address lengths.
    ArpSize,
}

impl ClaimField {
    pub const fn name(self) -> &'static str {
        match self {
            ClaimField::Ieee8023Length => "802.3 length",
            ClaimField::Ipv4TotalLength => "IPv4 total length",
            ClaimField::Ipv6PayloadLength => "IPv6 payload length",
            ClaimField::Ipv6JumboLength => "IPv6 jumbo payload length",
            ClaimField::UdpLength => "UDP length",
            ClaimField::PppoeLength => "PPPoE length",
            ClaimField::ArpSize => "ARP address sizes",
        }
    }

    /// What the field measures, for sentences ("where the UDP datagram ends").
    pub const fn unit(self) -> &'static str {
        match self {
            ClaimField::Ieee8023Length => "the LLC payload",
            ClaimField::Ipv4TotalLength => "the IPv4 datagram",
            ClaimField::Ipv6PayloadLength | ClaimField::Ipv6JumboLength => "the IPv6 datagram",
            ClaimField::UdpLength => "the UDP datagram",
            ClaimField::PppoeLength => "the PPPoE payload",
            ClaimField::ArpSize => "the ARP packet",
        }
    }
}

/// What one length field says, and the room it actually has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Claim {
    pub field: ClaimField,
    pub depth: u8,
    /// Frame offset of the first byte the field counts.
    pub start: u32,
    /// The value of the field, as bytes it covers.
    pub value: u32,
    /// Frame offset where the claim ends (`start` + what it covers).
    pub end: u64,
    /// Where the enclosing unit ends: the outer datagram, or the original frame.
    pub room_end: u64,
}

impl Claim {
    /// Bytes the claim covers beyond its room (missing), or negative for bytes left over.
    pub fn overrun(&self) -> i64 {
        self.end as i64 - self.room_end as i64
    }
}

/// The outermost L3 datagram (or the unit that takes its place: an 802.3 LLC
/// payload, a PPPoE discovery payload, an LLDPDU).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Datagram {
    pub layer: Layer,
    pub start: u32,
    /// Where its own length says it ends (may lie beyond the captured bytes).
    pub end: u64,
    /// IPv4 DF bit (IPv6 is never fragmented by routers).
    pub dont_fragment: bool,
}

impl Datagram {
    pub fn len(&self) -> u64 {
        self.end.saturating_sub(u64::from(self.start))
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why the dissector did not reach the end of what it could explain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum StopReason {
    /// A header needs more bytes than were captured.
    TruncatedHeader { layer: Layer, needed: u32, available: u32 },
    /// A field value makes the header impossible (IHL < 5, wrong version, ...).
    BadHeader { layer: Layer, what: &'static str, value: u32 },
    /// An EtherType / protocol Framelens does not dissect.
    UnknownProtocol { layer: Layer, value: u32 },
    /// The link type is not one Framelens dissects.
    UnsupportedLink,
    /// Tunnels nested beyond the limit.
    TooDeep,
    /// A length field claims less than its own header needs (IPv4 total
    /// length below IHL × 4, UDP length below 8, IPv6 payload length shorter
    /// than the extension headers it announces, ...): the field is wrong, so
    /// where its unit ends is unknown.
    LengthBelowMinimum { field: ClaimField, value: u32, minimum: u32 },
    /// A length field claims more than the frame had on the wire, where the
    /// protocol leaves no room for it (PPPoE): the unit's end is unknown.
    LengthPastFrame { field: ClaimField, value: u32, room: u32 },
}

impl StopReason {
    /// The length field the stop says is wrong, if it is that kind of stop.
    pub const fn contradicted_field(self) -> Option<ClaimField> {
        match self {
            StopReason::LengthBelowMinimum { field, .. } | StopReason::LengthPastFrame { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The stop says a length field is wrong, not that bytes are missing.
    pub const fn is_contradictory_length(self) -> bool {
        self.contradicted_field().is_some()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Stop {
    pub offset: u32,
    pub reason: StopReason,
}

/// An ICMP or ICMPv6 echo, for the ping sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Echo {
    pub request: bool,
    pub v6: bool,
    pub ident: u16,
    pub seq: u16,
    /// Bytes after the 8-byte echo header: what `ping -s` sets.
    pub payload_len: u32,
}

/// Evidence about the path MTU carried by this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum MtuSignal {
    /// ICMP type 3 code 4, with the next-hop MTU (0 when the router did not say).
    FragmentationNeeded { mtu: u32 },
    /// ICMPv6 type 2.
    PacketTooBig { mtu: u32 },
}

/// Where MACsec's integrity check value sits (IEEE 802.1AE clause 9.10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum IcvAt {
    /// Right after the datagram: integrity only, the datagram's own length ends the secure data.
    AfterDatagram,
    /// At this frame offset: the SecTAG's short length ends the secure data.
    Offset { at: u32 },
    /// Encrypted secure data of 48 bytes or more: nothing inside says where
    /// it ends, so the ICV is taken to be the frame's last 16 bytes before a
    /// CRC-proven FCS, at this offset. A trailer after it cannot be told apart.
    FrameEnd { at: u32 },
}

impl IcvAt {
    /// The ICV's frame offset, when the SecTAG or the frame's end gives it.
    pub const fn offset(self) -> Option<u32> {
        match self {
            IcvAt::AfterDatagram => None,
            IcvAt::Offset { at } | IcvAt::FrameEnd { at } => Some(at),
        }
    }
}

/// A MACsec SecTAG on the outer frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Macsec {
    /// SecTAG bytes with its EtherType: 8, or 16 with the SCI.
    pub sectag_len: u8,
    pub encrypted: bool,
    /// Frame offset of the secure data.
    pub secure_start: u32,
    pub icv: IcvAt,
}

impl Macsec {
    /// What MACsec adds to the frame: SecTAG and ICV.
    pub const fn overhead(&self) -> u32 {
        self.sectag_len as u32 + macsec::ICV_LEN as u32
    }
}

/// Everything the ledger needs to know about one frame's structure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Dissection {
    pub link: LinkKind,
    /// Link header bytes (Ethernet 14, SLL 16, SLL2 20, loopback 4, raw 0).
    pub link_header_len: u32,
    /// 802.1Q/802.1ad tags in the outer frame.
    pub tags: u8,
    /// Where the Ethernet frame that a trailing FCS protects starts: 0, or
    /// the end of a Cisco ISL header (ISL keeps the original frame's FCS).
    pub fcs_base: u32,
    pub headers: Vec<Header>,
    pub claims: Vec<Claim>,
    pub datagram: Option<Datagram>,
    pub stop: Option<Stop>,
    pub src_mac: Option<[u8; 6]>,
    pub direction: Option<Direction>,
    pub echo: Option<Echo>,
    pub mtu_signal: Option<MtuSignal>,
    pub tcp_syn_mss: Option<u16>,
    /// TCP payload bytes of the innermost segment, if any.
    pub tcp_payload: Option<u32>,
    /// The outermost transport: TCP or UDP carry GSO/GRO super-frames.
    pub transport: Option<Layer>,
    /// IPv4 total length 0 on the outermost datagram: TSO on the sending host.
    pub ipv4_total_len_zero: bool,
    /// IPv6 payload length 0 without a Jumbo option.
    pub ipv6_zero_len_without_jumbo: bool,
    /// MACsec on the outer frame, with where its ICV sits.
    pub macsec: Option<Macsec>,
    /// Bytes of a switch chip's tag in the outer frame (link types 281-285).
    pub switch_tag_len: u8,
}

impl Dissection {
    /// An empty dissection of `link`, reusing the given buffers.
    pub(super) fn start(link: LinkKind, mut headers: Vec<Header>, mut claims: Vec<Claim>) -> Self {
        headers.clear();
        claims.clear();
        Dissection {
            link,
            link_header_len: 0,
            tags: 0,
            fcs_base: 0,
            headers,
            claims,
            datagram: None,
            stop: None,
            src_mac: None,
            direction: None,
            echo: None,
            mtu_signal: None,
            tcp_syn_mss: None,
            tcp_payload: None,
            transport: None,
            ipv4_total_len_zero: false,
            ipv6_zero_len_without_jumbo: false,
            macsec: None,
            switch_tag_len: 0,
        }
    }

    pub(super) fn new(link: LinkKind) -> Self {
        Self::start(link, Vec::with_capacity(MAX_HEADERS), Vec::with_capacity(MAX_CLAIMS))
    }
}
