//! IPv4 and IPv6 with its extension headers: where the datagram starts and
//! where its own length says it ends (the ledger's reference point), then
//! the protocol it carries.

use super::dissection::{ClaimField, StopReason};
use super::walk::{Cursor, Next, Walk, MAX_DEPTH};
use crate::wire::{self, emit, emit_table, ip, ipv4, ipv6, Layer, SpanSink, Value};

impl<'a, S: SpanSink> Walk<'a, '_, S> {
    pub(super) fn ipv4(&mut self, c: &mut Cursor) -> Next {
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

    pub(super) fn ipv6(&mut self, c: &mut Cursor) -> Next {
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
}
