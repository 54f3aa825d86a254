//! UDP, TCP, ICMP and ICMPv6: the transport headers, and what the outermost
//! one tells the capture-wide findings (the transport that carries
//! super-frames, the SYN's MSS, echoes for the ping sweep, MTU signals).

use super::dissection::{ClaimField, Echo, MtuSignal, StopReason};
use super::walk::{Cursor, Next, Walk};
use crate::wire::{self, emit, emit_table, icmp, icmpv6, tcp, udp, Layer, SpanSink};

impl<'a, S: SpanSink> Walk<'a, '_, S> {
    pub(super) fn udp(&mut self, c: &mut Cursor) -> Next {
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
        self.udp_tunnel(c, sport, dport)
    }

    pub(super) fn tcp(&mut self, c: &mut Cursor) -> Next {
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

    pub(super) fn icmp(&mut self, c: &mut Cursor) -> Next {
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

    pub(super) fn icmpv6(&mut self, c: &mut Cursor) -> Next {
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
}
