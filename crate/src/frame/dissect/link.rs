//! The link layer and what a switch puts beside it: the capture's link
//! header (Ethernet, Linux cooked, loopback, raw IP), Cisco ISL, DSA switch
//! tags, Arista's timestamp header, the EtherType or 802.3 length dispatch,
//! and the link-local protocols that end the walk there (LLC/SNAP, ARP, LLDP).

use super::dissection::{ClaimField, Stop, StopReason};
use super::walk::{Cursor, Next, Walk, MAX_DEPTH};
use crate::capture::Direction;
use crate::wire::dsa::SwitchTag;
use crate::wire::link::LinkKind;
use crate::wire::{
    self, arista, arp, emit, emit_table, ethernet, ethernet::ethertype, isl, llc, lldp, null, sll, sll2, Layer,
    SpanSink, Value,
};

impl<'a, S: SpanSink> Walk<'a, '_, S> {
    pub(super) fn link_layer(&mut self, c: &mut Cursor) -> Next {
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

    pub(super) fn ethernet(&mut self, c: &mut Cursor) -> Next {
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
    pub(super) fn type_or_length(&mut self, c: &mut Cursor, t: u16) -> Next {
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

    pub(super) fn ethertype(&mut self, c: &mut Cursor, t: u16) -> Next {
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

    pub(super) fn llc(&mut self, c: &mut Cursor) -> Next {
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
}
