//! The dissector: walks a frame's headers from the link layer inwards and
//! records, for the ledger, every header's byte range, every length field's
//! claim, where the outermost datagram starts and ends, and the few facts the
//! capture-wide findings need (echo identifiers, MTU signals, MSS).
//!
//! It is lax in the manner of etherparse: it goes as far as the bytes allow
//! and says where and why it stopped, never failing the frame. Field names and
//! offsets come only from the tables in [`crate::wire`]. With a [`NoSpans`]
//! sink (the capture scan) it allocates nothing.

use crate::capture::Direction;
use crate::wire::link::{LinkKind, LinkType};
use crate::wire::{
    self, arista, arp, dsa::SwitchTag, emit, emit_table, erspan, etag, ethernet, ethernet::ethertype, geneve, gre,
    icmp, icmpv6, ip, ipv4, ipv6, isl, llc, lldp, macsec, mpls, nsh, null, pbb, pppoe, sll, sll2, tcp, udp, vlan,
    vntag, vxlan, Layer, NoSpans, Span, SpanSink, Value,
};
use serde::Serialize;

/// How many headers the ledger keeps per frame; deeper stacks are summarised.
pub const MAX_HEADERS: usize = 24;
/// How many length claims the ledger keeps per frame.
pub const MAX_CLAIMS: usize = 8;
/// Tunnels nest at most this deep before the dissector stops.
const MAX_DEPTH: u8 = 8;
/// Bound on the walk, whatever the input: every step consumes a header.
const MAX_STEPS: usize = 64;

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

/// Dissects frame after frame reusing one set of buffers, so that the scan
/// allocates nothing per frame once the first frames have sized them.
#[derive(Default)]
pub struct Dissector {
    scratch: Option<Dissection>,
}

impl Dissector {
    pub fn new() -> Self {
        Dissector::default()
    }

    /// Dissects without spans, reusing this dissector's buffers.
    pub fn facts(&mut self, frame: &[u8], link: LinkType, original_len: u32) -> &Dissection {
        let mut d = match self.scratch.take() {
            Some(old) => Dissection::start(link.kind(), old.headers, old.claims),
            None => Dissection::new(link.kind()),
        };
        Walk { d: &mut d, data: frame, sink: &mut NoSpans, original_len, switch_tag: SwitchTag::of(link) }.run();
        self.scratch.insert(d)
    }
}

impl Dissection {
    /// An empty dissection of `link`, reusing the given buffers.
    fn start(link: LinkKind, mut headers: Vec<Header>, mut claims: Vec<Claim>) -> Self {
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

    fn new(link: LinkKind) -> Self {
        Self::start(link, Vec::with_capacity(MAX_HEADERS), Vec::with_capacity(MAX_CLAIMS))
    }
}

/// Dissects one frame and returns its facts together with its spans, for the
/// anatomy of a single frame.
pub fn dissect_with_spans(frame: &[u8], link: LinkType, original_len: u32) -> (Dissection, Vec<Span>) {
    let mut d = Dissection::new(link.kind());
    let mut spans = Vec::new();
    Walk { d: &mut d, data: frame, sink: &mut spans, original_len, switch_tag: SwitchTag::of(link) }.run();
    (d, spans)
}

/// Dissects one frame without spans.
pub fn dissect(frame: &[u8], link: LinkType, original_len: u32) -> Dissection {
    let mut d = Dissection::new(link.kind());
    Walk { d: &mut d, data: frame, sink: &mut NoSpans, original_len, switch_tag: SwitchTag::of(link) }.run();
    d
}

/// The next header to read, found from the previous one.
#[derive(Clone, Copy, Debug)]
enum Next {
    Ethernet,
    /// Dispatch on an EtherType (after Ethernet, a tag, SNAP, GRE, Geneve).
    EtherType(u16),
    Llc,
    Mpls,
    Ipv4,
    Ipv6,
    /// The version nibble decides (raw IP, MPLS payload, loopback).
    Ip,
    Payload,
    Done,
}

struct Walk<'a, 'd, S: SpanSink> {
    d: &'d mut Dissection,
    data: &'a [u8],
    sink: &'d mut S,
    original_len: u32,
    /// The switch chip's tag the link type says every frame carries.
    switch_tag: Option<SwitchTag>,
}

/// Cursor state of the walk.
struct Cursor {
    at: usize,
    depth: u8,
    /// End of the enclosing unit (the datagram or UDP payload carrying this
    /// layer), as a frame offset; starts at the original frame length.
    room_end: u64,
}

impl<'a, S: SpanSink> Walk<'a, '_, S> {
    fn run(mut self) {
        let mut c = Cursor { at: 0, depth: 0, room_end: u64::from(self.original_len.max(self.data.len() as u32)) };
        let mut next = self.link_layer(&mut c);
        for _ in 0..MAX_STEPS {
            next = match next {
                Next::Done => break,
                Next::Ethernet => self.ethernet(&mut c),
                Next::EtherType(t) => self.ethertype(&mut c, t),
                Next::Llc => self.llc(&mut c),
                Next::Mpls => self.mpls(&mut c),
                Next::Ipv4 => self.ipv4(&mut c),
                Next::Ipv6 => self.ipv6(&mut c),
                Next::Ip => match ip::version_of(self.data.get(c.at..).unwrap_or(&[])) {
                    Some(ip::version::V4) => Next::Ipv4,
                    Some(ip::version::V6) => Next::Ipv6,
                    Some(v) => {
                        self.stop(&c, StopReason::BadHeader { layer: Layer::Ipv4, what: "IP version", value: v.into() })
                    }
                    None => self.truncated(&c, Layer::Ipv4, 1),
                },
                Next::Payload => self.payload(&c),
            };
        }
    }

    // ---- bookkeeping -------------------------------------------------------

    fn header(&mut self, layer: Layer, depth: u8, start: usize, len: usize) {
        // The MPLS loop and MAX_DEPTH stop the walk before a real frame gets here.
        if self.d.headers.len() < MAX_HEADERS {
            self.d.headers.push(Header { layer, depth, start: start as u32, len: len as u32 });
        }
    }

    fn claim(&mut self, field: ClaimField, c: &Cursor, start: usize, value: usize) -> u64 {
        let end = start as u64 + value as u64;
        if self.d.claims.len() < MAX_CLAIMS {
            self.d.claims.push(Claim {
                field,
                depth: c.depth,
                start: start as u32,
                value: value as u32,
                end,
                room_end: c.room_end,
            });
        }
        end
    }

    fn set_datagram(&mut self, layer: Layer, start: usize, end: u64, dont_fragment: bool) {
        // The first datagram found is the outermost: at depth 0 normally, or
        // inside an MPLS pseudowire whose outer frame carries none.
        if self.d.datagram.is_none() {
            self.d.datagram = Some(Datagram { layer, start: start as u32, end, dont_fragment });
        }
    }

    fn stop(&mut self, c: &Cursor, reason: StopReason) -> Next {
        if self.d.stop.is_none() {
            self.d.stop = Some(Stop { offset: c.at as u32, reason });
        }
        self.rest_as_payload(c);
        Next::Done
    }

    /// A length field below what its own header needs: the field is wrong.
    /// The unit it would have ended stays unknown (it was not set as the
    /// datagram), so no bytes after a made-up end are classified.
    fn below_minimum(&mut self, c: &Cursor, field: ClaimField, value: usize, minimum: usize) -> Next {
        let clamp = |v: usize| v.min(u32::MAX as usize) as u32;
        self.stop(c, StopReason::LengthBelowMinimum { field, value: clamp(value), minimum: clamp(minimum) })
    }

    fn truncated(&mut self, c: &Cursor, layer: Layer, needed: usize) -> Next {
        let available = self.data.len().saturating_sub(c.at);
        self.stop(c, StopReason::TruncatedHeader { layer, needed: needed as u32, available: available as u32 })
    }

    /// The header bytes at the cursor if `len` of them were captured.
    fn bytes(&self, c: &Cursor, len: usize) -> Option<&'a [u8]> {
        self.data.get(c.at..c.at.checked_add(len)?)
    }

    /// Everything from the cursor to the enclosing unit's end (bounded by the capture).
    fn rest(&self, c: &Cursor) -> &'a [u8] {
        let end = (c.room_end.min(self.data.len() as u64) as usize).max(c.at);
        self.data.get(c.at..end).unwrap_or(&[])
    }

    fn rest_as_payload(&mut self, c: &Cursor) {
        if S::ENABLED {
            let end = (c.room_end.min(self.data.len() as u64) as usize).max(c.at);
            emit(self.sink, Layer::Payload, c.depth, "Data", c.at..end, || Value::Bytes((end - c.at) as u64));
        }
    }

    fn payload(&mut self, c: &Cursor) -> Next {
        self.rest_as_payload(c);
        Next::Done
    }

    /// Narrows the room to a claimed end, never beyond the current room.
    fn enter(&self, c: &mut Cursor, claimed_end: u64) {
        c.room_end = claimed_end.min(c.room_end);
    }

    // ---- link layers -------------------------------------------------------

    fn link_layer(&mut self, c: &mut Cursor) -> Next {
        match self.d.link {
            LinkKind::Ethernet => Next::Ethernet,
            LinkKind::RawIp => Next::Ip,
            LinkKind::RawIpv4 => Next::Ipv4,
            LinkKind::RawIpv6 => Next::Ipv6,
            LinkKind::Null | LinkKind::Loop => {
                let Some(h) = self.bytes(c, null::HEADER_LEN) else {
                    return self.truncated(c, Layer::Null, null::HEADER_LEN);
                };
                emit_table(self.sink, Layer::Null, 0, 0, h, null::FIELDS);
                self.header(Layer::Null, 0, 0, null::HEADER_LEN);
                self.d.link_header_len = null::HEADER_LEN as u32;
                let family = null::family(h);
                c.at = null::HEADER_LEN;
                match family {
                    2 => Next::Ipv4,
                    f if null::is_ipv6_family(f) => Next::Ipv6,
                    f => self.stop(c, StopReason::UnknownProtocol { layer: Layer::Null, value: f }),
                }
            }
            LinkKind::LinuxSll => {
                let Some(h) = self.bytes(c, sll::HEADER_LEN) else {
                    return self.truncated(c, Layer::LinuxSll, sll::HEADER_LEN);
                };
                emit_table(self.sink, Layer::LinuxSll, 0, 0, h, sll::FIELDS);
                self.header(Layer::LinuxSll, 0, 0, sll::HEADER_LEN);
                self.d.link_header_len = sll::HEADER_LEN as u32;
                self.d.direction =
                    Some(if sll::packet_type(h) == sll::OUTGOING { Direction::Outbound } else { Direction::Inbound });
                if sll::arphrd(h) == sll::ARPHRD_ETHER && wire::be16(h, sll::field::ADDR_LEN) >= 6 {
                    self.d.src_mac = Some(wire::array(h, sll::field::ADDR.start..sll::field::ADDR.start + 6));
                }
                c.at = sll::HEADER_LEN;
                self.cooked_protocol(c, sll::protocol(h))
            }
            LinkKind::LinuxSll2 => {
                let Some(h) = self.bytes(c, sll2::HEADER_LEN) else {
                    return self.truncated(c, Layer::LinuxSll2, sll2::HEADER_LEN);
                };
                emit_table(self.sink, Layer::LinuxSll2, 0, 0, h, sll2::FIELDS);
                self.header(Layer::LinuxSll2, 0, 0, sll2::HEADER_LEN);
                self.d.link_header_len = sll2::HEADER_LEN as u32;
                self.d.direction =
                    Some(if sll2::packet_type(h) == sll::OUTGOING { Direction::Outbound } else { Direction::Inbound });
                if sll2::arphrd(h) == sll::ARPHRD_ETHER && usize::from(wire::u8_at(h, sll2::field::ADDR_LEN.start)) >= 6
                {
                    self.d.src_mac = Some(wire::array(h, sll2::field::ADDR.start..sll2::field::ADDR.start + 6));
                }
                c.at = sll2::HEADER_LEN;
                self.cooked_protocol(c, sll2::protocol(h))
            }
            LinkKind::Unsupported => {
                self.d.stop = Some(Stop { offset: 0, reason: StopReason::UnsupportedLink });
                Next::Done
            }
        }
    }

    /// The cooked header's protocol is an EtherType, or one of Linux's
    /// pseudo-protocols for non-Ethernet payloads (linux/if_ether.h).
    fn cooked_protocol(&mut self, c: &mut Cursor, proto: u16) -> Next {
        match proto {
            sll::ETH_P_802_2 => Next::Llc,
            p if p >= ethernet::MIN_ETHERTYPE => Next::EtherType(p),
            p => self.stop(c, StopReason::UnknownProtocol { layer: Layer::LinuxSll, value: p.into() }),
        }
    }

    fn ethernet(&mut self, c: &mut Cursor) -> Next {
        if c.depth >= MAX_DEPTH {
            return self.stop(c, StopReason::TooDeep);
        }
        let Some(h) = self.bytes(c, ethernet::HEADER_LEN) else {
            return self.truncated(c, Layer::Ethernet, ethernet::HEADER_LEN);
        };
        if c.depth == 0 && c.at == 0 {
            if let Some(tag) = self.switch_tag {
                return self.switch_tagged(c, tag);
            }
        }
        // Cisco ISL wraps the whole frame: its 26-byte header, then the frame.
        if c.depth == 0 && c.at == 0 {
            if let Some(isl_header) = self.bytes(c, isl::HEADER_LEN).filter(|b| isl::is_isl(b)) {
                emit_table(self.sink, Layer::Isl, 0, 0, isl_header, isl::FIELDS);
                self.header(Layer::Isl, 0, 0, isl::HEADER_LEN);
                self.d.link_header_len = isl::HEADER_LEN as u32;
                self.d.fcs_base = isl::HEADER_LEN as u32;
                c.at = isl::HEADER_LEN;
                c.depth = 1;
                return Next::Ethernet;
            }
        }
        emit_table(self.sink, Layer::Ethernet, c.depth, c.at, h, ethernet::FIELDS);
        self.header(Layer::Ethernet, c.depth, c.at, ethernet::HEADER_LEN);
        if c.depth == 0 {
            // After a prepended switch tag the link header includes it.
            self.d.link_header_len = (c.at + ethernet::HEADER_LEN) as u32;
            self.d.src_mac = Some(wire::array(h, ethernet::field::SOURCE));
        }
        let t = wire::be16(h, ethernet::field::ETHERTYPE);
        c.at += ethernet::HEADER_LEN;
        self.type_or_length(c, t)
    }

    /// A frame of a DSA conduit: the switch tag before the destination MAC,
    /// or between the source MAC and the type field.
    fn switch_tagged(&mut self, c: &mut Cursor, tag: SwitchTag) -> Next {
        let len = tag.size();
        self.d.switch_tag_len = len as u8;
        if tag.prepended() {
            let Some(t) = self.bytes(c, len) else { return self.truncated(c, Layer::SwitchTag, len) };
            emit_table(self.sink, Layer::SwitchTag, 0, 0, t, tag.fields());
            self.header(Layer::SwitchTag, 0, 0, len);
            c.at = len;
            return self.ethernet(c);
        }
        let need = ethernet::HEADER_LEN + len;
        let Some(h) = self.bytes(c, need) else { return self.truncated(c, Layer::Ethernet, need) };
        let macs = ethernet::ADDRESSES_LEN;
        emit_table(self.sink, Layer::Ethernet, 0, 0, h, ethernet::ADDRESS_FIELDS);
        self.header(Layer::Ethernet, 0, 0, macs);
        let rest = h.get(macs..).unwrap_or(&[]);
        emit_table(self.sink, Layer::SwitchTag, 0, macs, rest, tag.fields());
        emit_table(self.sink, Layer::SwitchTag, 0, macs + len, rest.get(len..).unwrap_or(&[]), ethernet::TYPE_FIELDS);
        // The tag and the type field it pushed back, so the headers add up.
        self.header(Layer::SwitchTag, 0, macs, len + 2);
        self.d.link_header_len = need as u32;
        self.d.src_mac = Some(wire::array(h, ethernet::field::SOURCE));
        c.at = need;
        self.type_or_length(c, wire::be16(h, need - 2..need))
    }

    /// After a MAC header or tag: an EtherType, or an 802.3 length.
    fn type_or_length(&mut self, c: &mut Cursor, t: u16) -> Next {
        if ethernet::is_length(t) {
            // IEEE 802.3 clause 3.2.6: the field counts the LLC data after it,
            // which starts with an IEEE 802.2 LLC header of at least 3 bytes.
            if usize::from(t) < llc::MIN_HEADER_LEN {
                return self.below_minimum(c, ClaimField::Ieee8023Length, t.into(), llc::MIN_HEADER_LEN);
            }
            let end = self.claim(ClaimField::Ieee8023Length, c, c.at, t.into());
            self.set_datagram(Layer::Llc, c.at, end, false);
            self.enter(c, end);
            Next::Llc
        } else if t < ethernet::MIN_ETHERTYPE {
            self.stop(
                c,
                StopReason::BadHeader {
                    layer: Layer::Ethernet,
                    what: "type/length between 1501 and 1535",
                    value: t.into(),
                },
            )
        } else {
            Next::EtherType(t)
        }
    }

    fn ethertype(&mut self, c: &mut Cursor, t: u16) -> Next {
        match t {
            _ if ethernet::is_vlan_tpid(t) => self.vlan(c),
            ethertype::IPV4 => Next::Ipv4,
            ethertype::IPV6 => Next::Ipv6,
            ethertype::ARP | ethertype::RARP => self.arp(c),
            ethertype::MPLS_UNICAST | ethertype::MPLS_MULTICAST => Next::Mpls,
            ethertype::PPPOE_DISCOVERY => self.pppoe(c, false),
            ethertype::PPPOE_SESSION => self.pppoe(c, true),
            ethertype::LLDP => self.lldp(c),
            ethertype::TEB => {
                c.depth += 1;
                Next::Ethernet
            }
            ethertype::VNTAG => self.vntag(c),
            ethertype::ETAG => self.etag(c),
            ethertype::PBB_ITAG => self.pbb(c),
            ethertype::NSH => self.nsh(c),
            ethertype::MACSEC => self.macsec(c),
            ethertype::ARISTA => self.arista(c),
            _ => self.stop(c, StopReason::UnknownProtocol { layer: Layer::Ethernet, value: t.into() }),
        }
    }

    fn vlan(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, vlan::HEADER_LEN) else { return self.truncated(c, Layer::Vlan, vlan::HEADER_LEN) };
        emit_table(self.sink, Layer::Vlan, c.depth, c.at, h, vlan::FIELDS);
        self.header(Layer::Vlan, c.depth, c.at, vlan::HEADER_LEN);
        if c.depth == 0 && self.d.datagram.is_none() {
            self.d.tags = self.d.tags.saturating_add(1);
        }
        let t = wire::be16(h, vlan::field::ETHERTYPE);
        c.at += vlan::HEADER_LEN;
        self.type_or_length(c, t)
    }

    fn vntag(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, vntag::HEADER_LEN) else {
            return self.truncated(c, Layer::VnTag, vntag::HEADER_LEN);
        };
        emit_table(self.sink, Layer::VnTag, c.depth, c.at, h, vntag::FIELDS);
        self.header(Layer::VnTag, c.depth, c.at, vntag::HEADER_LEN);
        let t = wire::be16(h, vntag::field::ETHERTYPE);
        c.at += vntag::HEADER_LEN;
        self.type_or_length(c, t)
    }

    fn etag(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, etag::HEADER_LEN) else { return self.truncated(c, Layer::ETag, etag::HEADER_LEN) };
        emit_table(self.sink, Layer::ETag, c.depth, c.at, h, etag::FIELDS);
        self.header(Layer::ETag, c.depth, c.at, etag::HEADER_LEN);
        let t = wire::be16(h, etag::field::ETHERTYPE);
        c.at += etag::HEADER_LEN;
        self.type_or_length(c, t)
    }

    /// 802.1ah: the I-TAG, then the customer frame from its MAC header on.
    fn pbb(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, pbb::HEADER_LEN) else { return self.truncated(c, Layer::Pbb, pbb::HEADER_LEN) };
        emit_table(self.sink, Layer::Pbb, c.depth, c.at, h, pbb::FIELDS);
        self.header(Layer::Pbb, c.depth, c.at, pbb::HEADER_LEN);
        c.at += pbb::HEADER_LEN;
        c.depth += 1;
        Next::Ethernet
    }

    /// RFC 8300: the header's own length covers base, service path and
    /// metadata; the next protocol says what follows.
    fn nsh(&mut self, c: &mut Cursor) -> Next {
        if c.depth >= MAX_DEPTH {
            return self.stop(c, StopReason::TooDeep);
        }
        let Some(h) = self.bytes(c, nsh::MIN_LEN) else { return self.truncated(c, Layer::Nsh, nsh::MIN_LEN) };
        if nsh::version(h) != 0 {
            return self
                .stop(c, StopReason::BadHeader { layer: Layer::Nsh, what: "version", value: nsh::version(h).into() });
        }
        let len = nsh::header_len(h);
        if len < nsh::MIN_LEN || (nsh::md_type(h) == 1 && len != nsh::MD_TYPE_1_LEN) {
            return self.stop(c, StopReason::BadHeader { layer: Layer::Nsh, what: "length", value: len as u32 });
        }
        let Some(h) = self.bytes(c, len) else { return self.truncated(c, Layer::Nsh, len) };
        emit_table(self.sink, Layer::Nsh, c.depth, c.at, h, nsh::FIELDS);
        emit(self.sink, Layer::Nsh, c.depth, "Metadata", c.at + nsh::MIN_LEN..c.at + len, || {
            Value::Bytes((len - nsh::MIN_LEN) as u64)
        });
        self.header(Layer::Nsh, c.depth, c.at, len);
        c.at += len;
        self.next_protocol(c, Layer::Nsh, nsh::next_protocol(h))
    }

    /// The next-protocol values NSH and VXLAN-GPE share.
    fn next_protocol(&mut self, c: &mut Cursor, layer: Layer, next: u8) -> Next {
        c.depth += 1;
        match next {
            nsh::next::IPV4 => Next::Ipv4,
            nsh::next::IPV6 => Next::Ipv6,
            nsh::next::ETHERNET => Next::Ethernet,
            nsh::next::NSH => {
                c.depth -= 1;
                self.nsh(c)
            }
            nsh::next::MPLS => Next::Mpls,
            v => self.stop(c, StopReason::UnknownProtocol { layer, value: v.into() }),
        }
    }

    /// IEEE 802.1AE: the SecTAG, then the secure data and its ICV. Integrity
    /// only, the secure data is the plain EtherType and datagram, dissected
    /// as usual; encrypted, it is one opaque unit.
    fn macsec(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, macsec::HEADER_LEN) else {
            return self.truncated(c, Layer::Macsec, macsec::HEADER_LEN);
        };
        if !macsec::version_ok(h) {
            return self.stop(c, StopReason::BadHeader { layer: Layer::Macsec, what: "version bit", value: 1 });
        }
        let len = macsec::header_len(h);
        let Some(h) = self.bytes(c, len) else { return self.truncated(c, Layer::Macsec, len) };
        emit_table(self.sink, Layer::Macsec, c.depth, c.at, h, macsec::FIELDS);
        if macsec::has_sci(h) {
            emit_table(self.sink, Layer::Macsec, c.depth, c.at, h, macsec::SCI_FIELDS);
        }
        self.header(Layer::Macsec, c.depth, c.at, len);
        c.at += len;
        let short = macsec::short_len(h);
        let encrypted = macsec::encrypted(h);
        let icv = match (short, encrypted) {
            (0, false) => IcvAt::AfterDatagram,
            (0, true) => {
                // The frame's end on the wire, before an FCS the CRC proves.
                let cap = self.data.len();
                let fcs = cap >= ethernet::HEADER_LEN + ethernet::FCS_LEN
                    && cap as u64 == c.room_end
                    && ethernet::crc_matches(
                        &self.data[..cap - ethernet::FCS_LEN],
                        &self.data[cap - ethernet::FCS_LEN..],
                    );
                let end = c.room_end.saturating_sub(if fcs { ethernet::FCS_LEN as u64 } else { 0 });
                let at = end.saturating_sub(macsec::ICV_LEN as u64).max(c.at as u64);
                IcvAt::FrameEnd { at: at.min(u64::from(u32::MAX)) as u32 }
            }
            (n, _) => IcvAt::Offset { at: (c.at + n) as u32 },
        };
        if c.depth == 0 && self.d.macsec.is_none() {
            self.d.macsec = Some(Macsec { sectag_len: (2 + len) as u8, encrypted, secure_start: c.at as u32, icv });
        }
        if let Some(at) = icv.offset() {
            self.enter(c, at.into());
        }
        if encrypted {
            // Opaque, but its end is known: it stands in for the datagram.
            let end = icv.offset().map_or(c.room_end, u64::from);
            self.set_datagram(Layer::Macsec, c.at, end, false);
            let shown = (end.min(self.data.len() as u64) as usize).max(c.at);
            emit(self.sink, Layer::Macsec, c.depth, "Secure data (encrypted)", c.at..shown, || {
                Value::Bytes((shown - c.at) as u64)
            });
            return Next::Done;
        }
        let Some(t) = self.bytes(c, 2) else { return self.truncated(c, Layer::Macsec, 2) };
        emit(self.sink, Layer::Macsec, c.depth, "Type", c.at..c.at + 2, || wire::decode::ethertype(t, 0..2));
        let t = wire::be16(t, 0..2);
        c.at += 2;
        self.type_or_length(c, t)
    }

    fn arista(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, arista::field::TIMESTAMP_START) else {
            return self.truncated(c, Layer::Arista, arista::field::TIMESTAMP_START);
        };
        let Some(len) = arista::header_len(h) else {
            return self.stop(
                c,
                StopReason::BadHeader { layer: Layer::Arista, what: "sub-type/version", value: wire::be32(h, 0..4) },
            );
        };
        let Some(h) = self.bytes(c, len) else { return self.truncated(c, Layer::Arista, len) };
        emit_table(self.sink, Layer::Arista, c.depth, c.at, h, arista::FIELDS);
        emit(self.sink, Layer::Arista, c.depth, "Timestamp", c.at + 4..c.at + len - 2, || {
            wire::decode::hex(h, 4..len - 2)
        });
        emit(self.sink, Layer::Arista, c.depth, "Type", c.at + len - 2..c.at + len, || {
            wire::decode::ethertype(h, len - 2..len)
        });
        self.header(Layer::Arista, c.depth, c.at, len);
        let t = wire::be16(h, len - 2..len);
        c.at += len;
        self.type_or_length(c, t)
    }

    fn llc(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, 3) else { return self.truncated(c, Layer::Llc, 3) };
        let len = llc::header_len(h);
        let Some(h) = self.bytes(c, len) else { return self.truncated(c, Layer::Llc, len) };
        emit_table(self.sink, Layer::Llc, c.depth, c.at, h, llc::FIELDS);
        let ctl = llc::control_field(h);
        emit(self.sink, Layer::Llc, c.depth, "Control", c.at + ctl.start..c.at + ctl.end, || {
            wire::decode::hex(h, ctl.clone())
        });
        self.header(Layer::Llc, c.depth, c.at, len);
        let snap = llc::is_snap(h);
        c.at += len;
        if snap {
            let Some(s) = self.bytes(c, llc::SNAP_LEN) else { return self.truncated(c, Layer::Snap, llc::SNAP_LEN) };
            emit_table(self.sink, Layer::Snap, c.depth, c.at, s, llc::SNAP_FIELDS);
            self.header(Layer::Snap, c.depth, c.at, llc::SNAP_LEN);
            c.at += llc::SNAP_LEN;
            let oui = wire::be_uint(s, llc::snap_field::OUI);
            let pid = wire::be16(s, llc::snap_field::PROTOCOL);
            if oui == 0 && pid >= ethernet::MIN_ETHERTYPE {
                return Next::EtherType(pid);
            }
        }
        Next::Payload
    }

    fn mpls(&mut self, c: &mut Cursor) -> Next {
        loop {
            let Some(h) = self.bytes(c, mpls::ENTRY_LEN) else {
                return self.truncated(c, Layer::Mpls, mpls::ENTRY_LEN);
            };
            emit_table(self.sink, Layer::Mpls, c.depth, c.at, h, mpls::FIELDS);
            self.header(Layer::Mpls, c.depth, c.at, mpls::ENTRY_LEN);
            c.at += mpls::ENTRY_LEN;
            if mpls::bottom_of_stack(h) {
                break;
            }
            if self.d.headers.len() >= MAX_HEADERS {
                return self.stop(c, StopReason::TooDeep);
            }
        }
        // RFC 4385: the first nibble tells IP from a pseudowire control word (0).
        match ip::version_of(self.data.get(c.at..).unwrap_or(&[])) {
            Some(ip::version::V4) => Next::Ipv4,
            Some(ip::version::V6) => Next::Ipv6,
            Some(0) => {
                let Some(cw) = self.bytes(c, mpls::CONTROL_WORD_LEN) else {
                    return self.truncated(c, Layer::PseudowireControl, mpls::CONTROL_WORD_LEN);
                };
                emit(self.sink, Layer::PseudowireControl, c.depth, "Control word", c.at..c.at + 4, || {
                    wire::decode::hex(cw, 0..4)
                });
                self.header(Layer::PseudowireControl, c.depth, c.at, mpls::CONTROL_WORD_LEN);
                c.at += mpls::CONTROL_WORD_LEN;
                c.depth += 1;
                Next::Ethernet
            }
            Some(v) => self.stop(c, StopReason::UnknownProtocol { layer: Layer::Mpls, value: v.into() }),
            None => self.truncated(c, Layer::Mpls, 1),
        }
    }

    fn pppoe(&mut self, c: &mut Cursor, session: bool) -> Next {
        let Some(h) = self.bytes(c, pppoe::HEADER_LEN) else {
            return self.truncated(c, Layer::Pppoe, pppoe::HEADER_LEN);
        };
        emit_table(self.sink, Layer::Pppoe, c.depth, c.at, h, pppoe::FIELDS);
        self.header(Layer::Pppoe, c.depth, c.at, pppoe::HEADER_LEN);
        let start = c.at;
        c.at += pppoe::HEADER_LEN;
        // RFC 2516: the length counts the payload after the 6-byte header;
        // PPPoE has no padding of its own, so a length past the frame is wrong.
        let payload = pppoe::payload_len(h);
        if (c.at + payload) as u64 > c.room_end {
            let room = c.room_end.saturating_sub(c.at as u64);
            return self.stop(
                c,
                StopReason::LengthPastFrame {
                    field: ClaimField::PppoeLength,
                    value: payload as u32,
                    room: room.min(u64::from(u32::MAX)) as u32,
                },
            );
        }
        let end = self.claim(ClaimField::PppoeLength, c, c.at, payload);
        if !session {
            self.set_datagram(Layer::Pppoe, start, end, false);
            self.enter(c, end);
            emit(self.sink, Layer::Pppoe, c.depth, "Tags", c.at..(end.min(self.data.len() as u64) as usize), || {
                Value::Bytes(pppoe::payload_len(h) as u64)
            });
            return Next::Done;
        }
        self.enter(c, end);
        let Some(p) = self.bytes(c, pppoe::PPP_HEADER_LEN) else {
            return self.truncated(c, Layer::Ppp, pppoe::PPP_HEADER_LEN);
        };
        emit_table(self.sink, Layer::Ppp, c.depth, c.at, p, pppoe::PPP_FIELDS);
        self.header(Layer::Ppp, c.depth, c.at, pppoe::PPP_HEADER_LEN);
        c.at += pppoe::PPP_HEADER_LEN;
        match wire::be16(p, pppoe::ppp_field::PROTOCOL) {
            pppoe::PPP_IPV4 => Next::Ipv4,
            pppoe::PPP_IPV6 => Next::Ipv6,
            _ => {
                // Control protocols (LCP, IPCP, ...): PPPoE's length is the datagram.
                self.set_datagram(Layer::Pppoe, start, end, false);
                Next::Payload
            }
        }
    }

    fn arp(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, arp::FIXED_LEN) else { return self.truncated(c, Layer::Arp, arp::FIXED_LEN) };
        let len = arp::packet_len(h);
        let end = self.claim(ClaimField::ArpSize, c, c.at, len);
        self.set_datagram(Layer::Arp, c.at, end, false);
        emit_table(self.sink, Layer::Arp, c.depth, c.at, h, arp::FIELDS);
        let full = self.rest(c);
        if S::ENABLED {
            for (name, f) in arp::address_fields(h) {
                if f.end <= full.len() {
                    emit(self.sink, Layer::Arp, c.depth, name, c.at + f.start..c.at + f.end, || {
                        arp::address_value(full, f.clone())
                    });
                }
            }
        }
        self.header(Layer::Arp, c.depth, c.at, len.min(full.len()));
        Next::Done
    }

    fn lldp(&mut self, c: &mut Cursor) -> Next {
        let rest = self.rest(c);
        match lldp::pdu_len(rest) {
            Some(len) => {
                self.set_datagram(Layer::Lldp, c.at, (c.at + len) as u64, false);
                emit(self.sink, Layer::Lldp, c.depth, "TLVs up to End of LLDPDU", c.at..c.at + len, || {
                    Value::Bytes(len as u64)
                });
                self.header(Layer::Lldp, c.depth, c.at, len);
                Next::Done
            }
            None => self.stop(c, StopReason::TruncatedHeader { layer: Layer::Lldp, needed: 2, available: 0 }),
        }
    }

    // ---- network layers ----------------------------------------------------

    fn ipv4(&mut self, c: &mut Cursor) -> Next {
        if c.depth >= MAX_DEPTH {
            return self.stop(c, StopReason::TooDeep);
        }
        let Some(h) = self.bytes(c, ipv4::MIN_HEADER_LEN) else {
            return self.truncated(c, Layer::Ipv4, ipv4::MIN_HEADER_LEN);
        };
        if ipv4::version(h) != ip::version::V4 {
            return self.stop(
                c,
                StopReason::BadHeader { layer: Layer::Ipv4, what: "version", value: ipv4::version(h).into() },
            );
        }
        let hlen = ipv4::header_len(h);
        if hlen < ipv4::MIN_HEADER_LEN {
            return self
                .stop(c, StopReason::BadHeader { layer: Layer::Ipv4, what: "header length", value: hlen as u32 });
        }
        let Some(h) = self.bytes(c, hlen) else { return self.truncated(c, Layer::Ipv4, hlen) };
        emit_table(self.sink, Layer::Ipv4, c.depth, c.at, h, ipv4::FIELDS);
        emit(self.sink, Layer::Ipv4, c.depth, "Options", c.at + ipv4::MIN_HEADER_LEN..c.at + hlen, || {
            Value::Bytes((hlen - ipv4::MIN_HEADER_LEN) as u64)
        });
        self.header(Layer::Ipv4, c.depth, c.at, hlen);
        let start = c.at;
        let total = ipv4::total_len(h);
        // RFC 791: total length counts the header too, so it is at least IHL × 4.
        if total != 0 && total < hlen {
            c.at += hlen; // the header itself was read; what follows is undissected
            return self.below_minimum(c, ClaimField::Ipv4TotalLength, total, hlen);
        }
        let end = if total == 0 {
            // "maybe caused by TSO" (Wireshark packet-ip.c): the datagram runs to the frame's end.
            if c.depth == 0 {
                self.d.ipv4_total_len_zero = true;
            }
            c.room_end
        } else {
            self.claim(ClaimField::Ipv4TotalLength, c, start, total)
        };
        self.set_datagram(Layer::Ipv4, start, end, ipv4::dont_fragment(h));
        self.enter(c, end);
        c.at += hlen;
        if ipv4::fragment_offset(h) != 0 {
            return Next::Payload; // a later fragment carries no transport header
        }
        let proto = ipv4::protocol_number(h);
        self.ip_payload(c, proto, false)
    }

    fn ipv6(&mut self, c: &mut Cursor) -> Next {
        if c.depth >= MAX_DEPTH {
            return self.stop(c, StopReason::TooDeep);
        }
        let Some(h) = self.bytes(c, ipv6::HEADER_LEN) else { return self.truncated(c, Layer::Ipv6, ipv6::HEADER_LEN) };
        if ipv6::version(h) != ip::version::V6 {
            return self.stop(
                c,
                StopReason::BadHeader { layer: Layer::Ipv6, what: "version", value: ipv6::version(h).into() },
            );
        }
        emit_table(self.sink, Layer::Ipv6, c.depth, c.at, h, ipv6::FIELDS);
        self.header(Layer::Ipv6, c.depth, c.at, ipv6::HEADER_LEN);
        let start = c.at;
        let plen = ipv6::payload_len(h);
        c.at += ipv6::HEADER_LEN;
        let mut next = ipv6::next_header(h);
        // RFC 2675: payload length 0 with a hop-by-hop Jumbo option is a jumbogram.
        let mut end = None;
        if plen == 0 && next == 0 {
            if let Some(hbh) = self.bytes(c, 2) {
                let hbh_len = ipv6::ext_len(hbh);
                if let Some((_, jumbo)) = self.bytes(c, hbh_len).and_then(ipv6::find_jumbo) {
                    // RFC 2675 section 2: a jumbogram is longer than 65,535 bytes.
                    if (jumbo as usize) < ipv6::MIN_JUMBO_LEN {
                        return self.below_minimum(c, ClaimField::Ipv6JumboLength, jumbo as usize, ipv6::MIN_JUMBO_LEN);
                    }
                    end = Some(self.claim(ClaimField::Ipv6JumboLength, c, c.at, jumbo as usize));
                }
            }
        }
        let end = match end {
            Some(e) => e,
            None if plen == 0 && c.depth == 0 && next != 59 => {
                self.d.ipv6_zero_len_without_jumbo = true;
                self.claim(ClaimField::Ipv6PayloadLength, c, c.at, 0)
            }
            None => self.claim(ClaimField::Ipv6PayloadLength, c, c.at, plen),
        };
        self.set_datagram(Layer::Ipv6, start, end, true);
        if !self.d.ipv6_zero_len_without_jumbo || c.depth > 0 {
            self.enter(c, end);
        }
        // Extension headers (RFC 8200 section 4.1 order is advisory; we follow the chain).
        for _ in 0..16 {
            if !ipv6::is_extension(next) || next == 50 {
                break;
            }
            let Some(x) = self.bytes(c, 2) else { return self.truncated(c, Layer::Ipv6Ext, 2) };
            match next {
                44 => {
                    let Some(f) = self.bytes(c, ipv6::FRAGMENT_HEADER_LEN) else {
                        return self.truncated(c, Layer::Ipv6Ext, ipv6::FRAGMENT_HEADER_LEN);
                    };
                    emit_table(self.sink, Layer::Ipv6Ext, c.depth, c.at, f, ipv6::FRAG_FIELDS);
                    self.header(Layer::Ipv6Ext, c.depth, c.at, ipv6::FRAGMENT_HEADER_LEN);
                    c.at += ipv6::FRAGMENT_HEADER_LEN;
                    if ipv6::frag_offset(f) != 0 {
                        return Next::Payload;
                    }
                    next = wire::u8_at(f, 0);
                }
                _ => {
                    let len = if next == 51 { ipv6::ah_len(x) } else { ipv6::ext_len(x) };
                    let Some(e) = self.bytes(c, len) else { return self.truncated(c, Layer::Ipv6Ext, len) };
                    emit_table(self.sink, Layer::Ipv6Ext, c.depth, c.at, e, ipv6::EXT_FIELDS);
                    let jumbo = if next == 0 { ipv6::find_jumbo(e) } else { None };
                    match jumbo {
                        // The jumbo option's own fields, then any options after it.
                        Some((off, _)) => {
                            let o = e.get(off..).unwrap_or(&[]);
                            emit(self.sink, Layer::Ipv6Ext, c.depth, "Options", c.at + 2..c.at + off, || {
                                Value::Bytes((off - 2) as u64)
                            });
                            emit_table(self.sink, Layer::Ipv6Ext, c.depth, c.at + off, o, ipv6::JUMBO_FIELDS);
                            let after = off + ipv6::jumbo_field::JUMBO_LEN.end;
                            emit(self.sink, Layer::Ipv6Ext, c.depth, "Options", c.at + after..c.at + len, || {
                                Value::Bytes(len.saturating_sub(after) as u64)
                            });
                        }
                        None => {
                            emit(self.sink, Layer::Ipv6Ext, c.depth, "Options / data", c.at + 2..c.at + len, || {
                                Value::Bytes((len - 2) as u64)
                            })
                        }
                    }
                    self.header(Layer::Ipv6Ext, c.depth, c.at, len);
                    c.at += len;
                    next = wire::u8_at(e, 0);
                }
            }
        }
        // RFC 8200 section 3: the payload length counts the extension headers,
        // so it is at least as long as they are.
        let ext = c.at - (start + ipv6::HEADER_LEN);
        if !self.d.ipv6_zero_len_without_jumbo && (c.at as u64) > end {
            let value = end.saturating_sub((start + ipv6::HEADER_LEN) as u64) as usize;
            if self.d.datagram.is_some_and(|g| g.start as usize == start) {
                self.d.datagram = None;
            }
            return self.below_minimum(c, ClaimField::Ipv6PayloadLength, value, ext);
        }
        self.ip_payload(c, next, true)
    }

    fn ip_payload(&mut self, c: &mut Cursor, proto: u8, v6: bool) -> Next {
        match proto {
            ip::protocol::TCP => self.tcp(c),
            ip::protocol::UDP => self.udp(c),
            ip::protocol::ICMP if !v6 => self.icmp(c),
            ip::protocol::ICMPV6 => self.icmpv6(c),
            ip::protocol::GRE => self.gre(c),
            ip::protocol::IPV4 => {
                c.depth += 1;
                Next::Ipv4
            }
            ip::protocol::IPV6 => {
                c.depth += 1;
                Next::Ipv6
            }
            _ => Next::Payload,
        }
    }

    // ---- transport and tunnels ---------------------------------------------

    fn udp(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, udp::HEADER_LEN) else { return self.truncated(c, Layer::Udp, udp::HEADER_LEN) };
        emit_table(self.sink, Layer::Udp, c.depth, c.at, h, udp::FIELDS);
        self.header(Layer::Udp, c.depth, c.at, udp::HEADER_LEN);
        if c.depth == 0 {
            self.d.transport = Some(Layer::Udp);
        }
        let len = udp::length(h);
        // RFC 768: the length counts the 8-byte header; 0 is legal only in
        // IPv6 jumbograms (RFC 2675 section 4).
        if len != 0 && len < udp::HEADER_LEN {
            c.at += udp::HEADER_LEN;
            return self.below_minimum(c, ClaimField::UdpLength, len, udp::HEADER_LEN);
        }
        if len != 0 {
            let end = self.claim(ClaimField::UdpLength, c, c.at, len);
            self.enter(c, end);
        }
        c.at += udp::HEADER_LEN;
        let (sport, dport) = (udp::src_port(h), udp::dst_port(h));
        let port = |p: u16| dport == p || sport == p;
        if port(udp::PORT_VXLAN) || port(udp::PORT_VXLAN_LINUX) {
            if let Some(v) = self.bytes(c, vxlan::HEADER_LEN).filter(|v| vxlan::plausible(v)) {
                emit_table(self.sink, Layer::Vxlan, c.depth, c.at, v, vxlan::FIELDS);
                self.header(Layer::Vxlan, c.depth, c.at, vxlan::HEADER_LEN);
                c.at += vxlan::HEADER_LEN;
                c.depth += 1;
                return Next::Ethernet;
            }
        }
        if port(udp::PORT_VXLAN_GPE) {
            if let Some(v) = self.bytes(c, vxlan::gpe::HEADER_LEN).filter(|v| vxlan::gpe::plausible(v)) {
                emit_table(self.sink, Layer::VxlanGpe, c.depth, c.at, v, vxlan::gpe::FIELDS);
                self.header(Layer::VxlanGpe, c.depth, c.at, vxlan::gpe::HEADER_LEN);
                c.at += vxlan::gpe::HEADER_LEN;
                return self.next_protocol(c, Layer::VxlanGpe, vxlan::gpe::next_protocol(v));
            }
        }
        if port(udp::PORT_GENEVE) {
            if let Some(g) = self.bytes(c, geneve::FIXED_LEN).filter(|g| geneve::version(g) == 0) {
                let len = geneve::header_len(g);
                let Some(g) = self.bytes(c, len) else { return self.truncated(c, Layer::Geneve, len) };
                emit_table(self.sink, Layer::Geneve, c.depth, c.at, g, geneve::FIELDS);
                // One span per option (RFC 8926 section 3.5); what no option explains stays "Options".
                let mut told = geneve::FIXED_LEN;
                for o in geneve::options(g) {
                    emit(self.sink, Layer::Geneve, c.depth, o.name(), c.at + o.start..c.at + o.start + o.len, || {
                        Value::Text(format!("class 0x{:04x}, type 0x{:02x}, {} bytes", o.class, o.kind, o.len))
                    });
                    told = o.start + o.len;
                }
                emit(self.sink, Layer::Geneve, c.depth, "Options", c.at + told..c.at + len, || {
                    Value::Bytes((len - told) as u64)
                });
                self.header(Layer::Geneve, c.depth, c.at, len);
                c.at += len;
                c.depth += 1;
                return match geneve::protocol(g) {
                    ethertype::TEB => Next::Ethernet,
                    t => Next::EtherType(t),
                };
            }
        }
        Next::Payload
    }

    fn tcp(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, tcp::MIN_HEADER_LEN) else {
            return self.truncated(c, Layer::Tcp, tcp::MIN_HEADER_LEN);
        };
        let hlen = tcp::header_len(h);
        if hlen < tcp::MIN_HEADER_LEN {
            return self.stop(c, StopReason::BadHeader { layer: Layer::Tcp, what: "data offset", value: hlen as u32 });
        }
        let Some(h) = self.bytes(c, hlen) else { return self.truncated(c, Layer::Tcp, hlen) };
        emit_table(self.sink, Layer::Tcp, c.depth, c.at, h, tcp::FIELDS);
        if S::ENABLED {
            for o in tcp::options(h) {
                emit(self.sink, Layer::Tcp, c.depth, o.name(), c.at + o.start..c.at + o.start + o.len, || {
                    wire::decode::hex(h, o.start..o.start + o.len.min(8))
                });
            }
        }
        self.header(Layer::Tcp, c.depth, c.at, hlen);
        if c.depth == 0 {
            self.d.transport = Some(Layer::Tcp);
            if tcp::syn(h) {
                self.d.tcp_syn_mss = tcp::mss(h);
            }
        }
        // The innermost segment's payload: a GSO/GRO super-frame carries more
        // than one wire segment could, tunnelled or not.
        let payload = c.room_end.saturating_sub((c.at + hlen) as u64);
        self.d.tcp_payload = Some(payload.min(u64::from(u32::MAX)) as u32);
        c.at += hlen;
        Next::Payload
    }

    /// An echo request or reply of the outermost datagram, for the ping sweep.
    fn echo(&mut self, v6: bool, request: bool, ident: u16, seq: u16, payload_len: u32) {
        self.d.echo = Some(Echo { request, v6, ident, seq, payload_len });
    }

    fn icmp(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, icmp::HEADER_LEN) else { return self.truncated(c, Layer::Icmp, icmp::HEADER_LEN) };
        emit_table(self.sink, Layer::Icmp, c.depth, c.at, h, icmp::FIELDS);
        let t = icmp::icmp_type(h);
        let rest_table = match t {
            icmp::ECHO_REQUEST | icmp::ECHO_REPLY => icmp::ECHO_FIELDS,
            icmp::DEST_UNREACHABLE if icmp::code(h) == icmp::FRAG_NEEDED => icmp::FRAG_NEEDED_FIELDS,
            _ => icmp::REST_FIELDS,
        };
        emit_table(self.sink, Layer::Icmp, c.depth, c.at, h, rest_table);
        self.header(Layer::Icmp, c.depth, c.at, icmp::HEADER_LEN);
        if c.depth == 0 {
            let payload = c.room_end.saturating_sub((c.at + icmp::HEADER_LEN) as u64) as u32;
            match t {
                icmp::ECHO_REQUEST | icmp::ECHO_REPLY => {
                    self.echo(false, t == icmp::ECHO_REQUEST, icmp::ident(h), icmp::seq(h), payload)
                }
                icmp::DEST_UNREACHABLE if icmp::code(h) == icmp::FRAG_NEEDED => {
                    self.d.mtu_signal = Some(MtuSignal::FragmentationNeeded { mtu: icmp::next_hop_mtu(h).into() })
                }
                _ => {}
            }
        }
        c.at += icmp::HEADER_LEN;
        Next::Payload
    }

    fn icmpv6(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, icmpv6::HEADER_LEN) else {
            return self.truncated(c, Layer::Icmpv6, icmpv6::HEADER_LEN);
        };
        emit_table(self.sink, Layer::Icmpv6, c.depth, c.at, h, icmpv6::FIELDS);
        let t = icmpv6::icmp_type(h);
        match t {
            icmpv6::ECHO_REQUEST | icmpv6::ECHO_REPLY => {
                emit_table(self.sink, Layer::Icmpv6, c.depth, c.at, h, icmpv6::ECHO_FIELDS)
            }
            icmpv6::PACKET_TOO_BIG => emit_table(self.sink, Layer::Icmpv6, c.depth, c.at, h, icmpv6::TOO_BIG_FIELDS),
            _ => emit(self.sink, Layer::Icmpv6, c.depth, "Message body", c.at + 4..c.at + 8, || {
                wire::decode::hex(h, 4..8)
            }),
        }
        self.header(Layer::Icmpv6, c.depth, c.at, icmpv6::HEADER_LEN);
        if c.depth == 0 {
            let payload = c.room_end.saturating_sub((c.at + icmpv6::HEADER_LEN) as u64) as u32;
            match t {
                icmpv6::ECHO_REQUEST | icmpv6::ECHO_REPLY => {
                    self.echo(true, t == icmpv6::ECHO_REQUEST, icmpv6::ident(h), icmpv6::seq(h), payload)
                }
                icmpv6::PACKET_TOO_BIG => self.d.mtu_signal = Some(MtuSignal::PacketTooBig { mtu: icmpv6::mtu(h) }),
                _ => {}
            }
        }
        c.at += icmpv6::HEADER_LEN;
        Next::Payload
    }

    fn gre(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, gre::FIXED_LEN) else { return self.truncated(c, Layer::Gre, gre::FIXED_LEN) };
        let len = gre::header_len(h);
        let Some(h) = self.bytes(c, len) else { return self.truncated(c, Layer::Gre, len) };
        emit_table(self.sink, Layer::Gre, c.depth, c.at, h, gre::FIELDS);
        if S::ENABLED {
            for (name, f) in gre::optional_fields(h) {
                emit(self.sink, Layer::Gre, c.depth, name, c.at + f.start..c.at + f.end, || {
                    wire::decode::hex(h, f.clone())
                });
            }
        }
        self.header(Layer::Gre, c.depth, c.at, len);
        c.at += len;
        let proto = gre::protocol(h);
        match proto {
            ethertype::ERSPAN_2 if !gre::has_seq(h) => {
                // ERSPAN type I: no ERSPAN header, the mirrored frame follows GRE.
                c.depth += 1;
                Next::Ethernet
            }
            ethertype::ERSPAN_2 | ethertype::ERSPAN_3 => {
                let Some(e) = self.bytes(c, erspan::TYPE2_LEN) else {
                    return self.truncated(c, Layer::Erspan, erspan::TYPE2_LEN);
                };
                let Some(elen) = erspan::header_len(e) else {
                    return self.stop(
                        c,
                        StopReason::BadHeader {
                            layer: Layer::Erspan,
                            what: "version",
                            value: erspan::version(e).into(),
                        },
                    );
                };
                let Some(e) = self.bytes(c, elen) else { return self.truncated(c, Layer::Erspan, elen) };
                let table = if elen == erspan::TYPE2_LEN { erspan::TYPE2_FIELDS } else { erspan::TYPE3_FIELDS };
                emit_table(self.sink, Layer::Erspan, c.depth, c.at, e, table);
                emit(
                    self.sink,
                    Layer::Erspan,
                    c.depth,
                    "Platform-specific subheader",
                    c.at + erspan::TYPE3_LEN..c.at + elen,
                    || wire::decode::hex(e, erspan::TYPE3_LEN..elen),
                );
                self.header(Layer::Erspan, c.depth, c.at, elen);
                c.at += elen;
                c.depth += 1;
                Next::Ethernet
            }
            ethertype::TEB => {
                c.depth += 1;
                Next::Ethernet
            }
            t => {
                c.depth += 1;
                Next::EtherType(t)
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    /// The story's frame: Ethernet + 802.1Q + IPv4 + ICMP echo request of
    /// `ping -s 1472`, and the 2 bytes (25 7f) the USB NIC driver appended.
    pub fn story_frame(payload: usize) -> Vec<u8> {
        let mut f = vec![
            0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef, 0x81, 0x00, 0x00, 0x64, 0x08, 0x00,
        ];
        let total = (20 + 8 + payload) as u16;
        f.extend_from_slice(&[0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        f[18 + 2..18 + 4].copy_from_slice(&total.to_be_bytes());
        f.extend_from_slice(&[8, 0, 0, 0, 0x12, 0x34, 0, 1]);
        f.extend(std::iter::repeat_n(0xab, payload));
        f.extend_from_slice(&[0x25, 0x7f]);
        f
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::story_frame;
    use super::*;

    #[test]
    fn story_frame_datagram_ends_two_bytes_early() {
        let f = story_frame(1472);
        let d = dissect(&f, LinkType::ETHERNET, f.len() as u32);
        assert_eq!(f.len(), 1520);
        assert_eq!(d.tags, 1);
        let dg = d.datagram.unwrap();
        assert_eq!((dg.layer, dg.start, dg.end), (Layer::Ipv4, 18, 1518));
        assert!(dg.dont_fragment);
        assert_eq!(d.echo.unwrap().payload_len, 1472);
        let layers: Vec<Layer> = d.headers.iter().map(|h| h.layer).collect();
        assert_eq!(layers, [Layer::Ethernet, Layer::Vlan, Layer::Ipv4, Layer::Icmp]);
    }

    #[test]
    fn spans_lie_in_order_inside_the_frame() {
        let f = story_frame(100);
        let (_, spans) = dissect_with_spans(&f, LinkType::ETHERNET, f.len() as u32);
        assert!(spans.windows(2).all(|w| w[0].end <= w[1].start), "{spans:#?}");
        assert!(spans.iter().all(|s| s.end as usize <= f.len()));
        let total = spans.iter().find(|s| s.name == "Total length").unwrap();
        assert_eq!((total.start, total.end, total.value.to_string().as_str()), (20, 22, "128 bytes"));
        // The payload stops where the datagram ends, before the 2 stray bytes.
        assert_eq!(spans.last().unwrap().end as usize, f.len() - 2);
    }

    #[test]
    fn cut_headers_stop_with_reason() {
        let f = story_frame(10);
        let d = dissect(&f[..30], LinkType::ETHERNET, f.len() as u32);
        assert_eq!(
            d.stop.unwrap().reason,
            StopReason::TruncatedHeader { layer: Layer::Ipv4, needed: 20, available: 12 }
        );
    }

    #[test]
    fn unsupported_link_is_not_dissected_as_ethernet() {
        let f = story_frame(10);
        let d = dissect(&f, LinkType(127), f.len() as u32);
        assert_eq!(d.stop.unwrap().reason, StopReason::UnsupportedLink);
        assert!(d.headers.is_empty());
    }

    #[test]
    fn ieee_802_3_length_bounds_the_llc_payload() {
        // STP BPDU: 802.3 length 38, LLC 42 42 03, padded to 60 bytes.
        let mut f = vec![0x01, 0x80, 0xc2, 0, 0, 0, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x26, 0x42, 0x42, 0x03];
        f.resize(60, 0);
        let d = dissect(&f, LinkType::ETHERNET, 60);
        let dg = d.datagram.unwrap();
        assert_eq!((dg.layer, dg.start, dg.end), (Layer::Llc, 14, 52));
        assert_eq!(d.claims[0].field, ClaimField::Ieee8023Length);
    }
}
