//! The walk: a cursor moves from the link layer inwards, one header a step,
//! each step returning the [`Next`] header to read, until the bytes, the
//! step bound or an unknown protocol end it. The steps live beside this
//! file, one file a family of protocols; the bookkeeping they share is here.

use super::dissection::{Claim, ClaimField, Datagram, Dissection, Header, Stop, StopReason, MAX_CLAIMS, MAX_HEADERS};
use crate::wire::dsa::SwitchTag;
use crate::wire::link::LinkType;
use crate::wire::{emit, ip, Layer, NoSpans, Span, SpanSink, Value};

/// Tunnels nest at most this deep before the dissector stops.
pub(super) const MAX_DEPTH: u8 = 8;
/// Bound on the walk, whatever the input: every step consumes a header.
const MAX_STEPS: usize = 64;

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
pub(super) enum Next {
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

pub(super) struct Walk<'a, 'd, S: SpanSink> {
    pub(super) d: &'d mut Dissection,
    pub(super) data: &'a [u8],
    pub(super) sink: &'d mut S,
    original_len: u32,
    /// The switch chip's tag the link type says every frame carries.
    pub(super) switch_tag: Option<SwitchTag>,
}

/// Cursor state of the walk.
pub(super) struct Cursor {
    pub(super) at: usize,
    pub(super) depth: u8,
    /// End of the enclosing unit (the datagram or UDP payload carrying this
    /// layer), as a frame offset; starts at the original frame length.
    pub(super) room_end: u64,
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

    pub(super) fn header(&mut self, layer: Layer, depth: u8, start: usize, len: usize) {
        // The MPLS loop and MAX_DEPTH stop the walk before a real frame gets here.
        if self.d.headers.len() < MAX_HEADERS {
            self.d.headers.push(Header { layer, depth, start: start as u32, len: len as u32 });
        }
    }

    pub(super) fn claim(&mut self, field: ClaimField, c: &Cursor, start: usize, value: usize) -> u64 {
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

    pub(super) fn set_datagram(&mut self, layer: Layer, start: usize, end: u64, dont_fragment: bool) {
        // The first datagram found is the outermost: at depth 0 normally, or
        // inside an MPLS pseudowire whose outer frame carries none.
        if self.d.datagram.is_none() {
            self.d.datagram = Some(Datagram { layer, start: start as u32, end, dont_fragment });
        }
    }

    pub(super) fn stop(&mut self, c: &Cursor, reason: StopReason) -> Next {
        if self.d.stop.is_none() {
            self.d.stop = Some(Stop { offset: c.at as u32, reason });
        }
        self.rest_as_payload(c);
        Next::Done
    }

    /// A length field below what its own header needs: the field is wrong.
    /// The unit it would have ended stays unknown (it was not set as the
    /// datagram), so no bytes after a made-up end are classified.
    pub(super) fn below_minimum(&mut self, c: &Cursor, field: ClaimField, value: usize, minimum: usize) -> Next {
        let clamp = |v: usize| v.min(u32::MAX as usize) as u32;
        self.stop(c, StopReason::LengthBelowMinimum { field, value: clamp(value), minimum: clamp(minimum) })
    }

    pub(super) fn truncated(&mut self, c: &Cursor, layer: Layer, needed: usize) -> Next {
        let available = self.data.len().saturating_sub(c.at);
        self.stop(c, StopReason::TruncatedHeader { layer, needed: needed as u32, available: available as u32 })
    }

    /// The header bytes at the cursor if `len` of them were captured.
    pub(super) fn bytes(&self, c: &Cursor, len: usize) -> Option<&'a [u8]> {
        self.data.get(c.at..c.at.checked_add(len)?)
    }

    /// Everything from the cursor to the enclosing unit's end (bounded by the capture).
    pub(super) fn rest(&self, c: &Cursor) -> &'a [u8] {
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
    pub(super) fn enter(&self, c: &mut Cursor, claimed_end: u64) {
        c.room_end = claimed_end.min(c.room_end);
    }
}
