//! Tags and tunnels: the headers that wrap another frame or datagram (802.1Q,
//! VN-Tag, E-Tag, PBB, NSH, MACsec, MPLS, PPPoE, GRE and ERSPAN, and the
//! UDP tunnels VXLAN, VXLAN-GPE and Geneve). Each step either continues with
//! the frame inside, one level deeper, or hands over to the type it carries.

use super::dissection::{ClaimField, IcvAt, Macsec, StopReason, MAX_HEADERS};
use super::walk::{Cursor, Next, Walk, MAX_DEPTH};
use crate::wire::{
    self, emit, emit_table, erspan, etag, ethernet, ethernet::ethertype, geneve, gre, ip, macsec, mpls, nsh, pbb,
    pppoe, udp, vlan, vntag, vxlan, Layer, SpanSink, Value,
};

impl<'a, S: SpanSink> Walk<'a, '_, S> {
    pub(super) fn vlan(&mut self, c: &mut Cursor) -> Next {
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

    pub(super) fn vntag(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, vntag::HEADER_LEN) else {
            return self.truncated(c, Layer::VnTag, vntag::HEADER_LEN);
        };
        emit_table(self.sink, Layer::VnTag, c.depth, c.at, h, vntag::FIELDS);
        self.header(Layer::VnTag, c.depth, c.at, vntag::HEADER_LEN);
        let t = wire::be16(h, vntag::field::ETHERTYPE);
        c.at += vntag::HEADER_LEN;
        self.type_or_length(c, t)
    }

    pub(super) fn etag(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, etag::HEADER_LEN) else { return self.truncated(c, Layer::ETag, etag::HEADER_LEN) };
        emit_table(self.sink, Layer::ETag, c.depth, c.at, h, etag::FIELDS);
        self.header(Layer::ETag, c.depth, c.at, etag::HEADER_LEN);
        let t = wire::be16(h, etag::field::ETHERTYPE);
        c.at += etag::HEADER_LEN;
        self.type_or_length(c, t)
    }

    /// 802.1ah: the I-TAG, then the customer frame from its MAC header on.
    pub(super) fn pbb(&mut self, c: &mut Cursor) -> Next {
        let Some(h) = self.bytes(c, pbb::HEADER_LEN) else { return self.truncated(c, Layer::Pbb, pbb::HEADER_LEN) };
        emit_table(self.sink, Layer::Pbb, c.depth, c.at, h, pbb::FIELDS);
        self.header(Layer::Pbb, c.depth, c.at, pbb::HEADER_LEN);
        c.at += pbb::HEADER_LEN;
        c.depth += 1;
        Next::Ethernet
    }

    /// RFC 8300: the header's own length covers base, service path and
    /// metadata; the next protocol says what follows.
    pub(super) fn nsh(&mut self, c: &mut Cursor) -> Next {
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
    pub(super) fn macsec(&mut self, c: &mut Cursor) -> Next {
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

    pub(super) fn mpls(&mut self, c: &mut Cursor) -> Next {
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

    pub(super) fn pppoe(&mut self, c: &mut Cursor, session: bool) -> Next {
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

    pub(super) fn gre(&mut self, c: &mut Cursor) -> Next {
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

    /// VXLAN, VXLAN-GPE and Geneve, known by their UDP port and a plausible
    /// header; anything else is the datagram's payload.
    pub(super) fn udp_tunnel(&mut self, c: &mut Cursor, sport: u16, dport: u16) -> Next {
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
}
