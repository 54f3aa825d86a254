//! Deterministic synthetic captures: the worked examples that teach, the
//! fixtures that pin the story, and the benchmark input. Frames are built
//! with etherparse's `PacketBuilder` (correct lengths and checksums) and
//! written with pcap-parser's serializer.

use etherparse::{PacketBuilder, VlanId};
use pcap_parser::pcap::PcapHeader;
use pcap_parser::{LegacyPcapBlock, Linktype, ToVec};

/// Writes a classic little-endian pcap with nanosecond timestamps.
pub struct PcapWriter {
    out: Vec<u8>,
}

impl PcapWriter {
    pub fn new(link_type: u16, snaplen: u32) -> Self {
        let mut h = PcapHeader::new();
        h.magic_number = 0xa1b2_3c4d; // nanosecond resolution
        h.snaplen = snaplen;
        h.network = Linktype(i32::from(link_type));
        let out = h.to_vec_raw().unwrap_or_default();
        PcapWriter { out }
    }

    /// Appends a record: `data` as captured, `original_len` as on the wire.
    pub fn push(&mut self, ts_ns: u64, data: &[u8], original_len: u32) {
        let block = LegacyPcapBlock {
            ts_sec: (ts_ns / 1_000_000_000) as u32,
            ts_usec: (ts_ns % 1_000_000_000) as u32,
            caplen: data.len() as u32,
            origlen: original_len,
            data,
        };
        if let Ok(v) = block.to_vec_raw() {
            self.out.extend_from_slice(&v);
        }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }
}

pub const LAPTOP_MAC: [u8; 6] = [0x3c, 0x22, 0xfb, 0x10, 0x20, 0x30];
pub const CONTROLLER_MAC: [u8; 6] = [0x00, 0x0e, 0xc6, 0xab, 0xcd, 0xef];
const LAPTOP_IP: [u8; 4] = [192, 168, 10, 23];
const FLOATING_IP: [u8; 4] = [192, 168, 10, 150];

/// An ICMP echo over Ethernet + 802.1Q, as `ping -s payload` sends it.
pub fn echo_frame(request: bool, vlan: u16, ident: u16, seq: u16, payload: usize) -> Vec<u8> {
    let (src_mac, dst_mac, src_ip, dst_ip) = if request {
        (LAPTOP_MAC, CONTROLLER_MAC, LAPTOP_IP, FLOATING_IP)
    } else {
        (CONTROLLER_MAC, LAPTOP_MAC, FLOATING_IP, LAPTOP_IP)
    };
    let vid = VlanId::try_new(vlan).unwrap_or(VlanId::ZERO);
    let step = PacketBuilder::ethernet2(src_mac, dst_mac).single_vlan(vid).ipv4(src_ip, dst_ip, 64);
    let step = if request { step.icmpv4_echo_request(ident, seq) } else { step.icmpv4_echo_reply(ident, seq) };
    let data: Vec<u8> = (0..payload).map(|i| (i % 256) as u8).collect();
    let mut frame = Vec::with_capacity(step.size(payload));
    // Writing to a Vec cannot fail; an empty frame would fail the tests loudly.
    let _ = step.write(&mut frame, &data);
    frame
}

/// The "2 bytes" story (`../shared/seed/two-bytes-story.txt`): captured on the
/// OpenStack controller's USB NIC, whose driver appends `25 7f` to every frame
/// it receives. A `ping -s` sweep on VLAN 100: up to 1470 bytes is answered;
/// 1472 (a 1500-byte datagram, 1502 with the 2 bytes) is dropped by Open
/// vSwitch and never answered.
pub fn two_bytes_story() -> Vec<u8> {
    const STRAY: [u8; 2] = [0x25, 0x7f];
    let mut w = PcapWriter::new(1, 262_144);
    let mut ts: u64 = 1_500_000_000_000_000_000;
    let mut seq = 0u16;
    for payload in [56usize, 500, 1000, 1400, 1450, 1460, 1470, 1472, 1472, 1472] {
        seq += 1;
        let mut req = echo_frame(true, 100, 0x0b0b, seq, payload);
        req.extend_from_slice(&STRAY);
        w.push(ts, &req, req.len() as u32);
        ts += 250_000;
        if payload <= 1470 {
            let reply = echo_frame(false, 100, 0x0b0b, seq, payload);
            w.push(ts, &reply, reply.len() as u32);
        }
        ts += 1_000_000_000;
    }
    w.into_bytes()
}

/// A deterministic capture of about `target_bytes` with the mix a busy
/// server link shows: full-size TCP segments, ACKs padded to 60 bytes,
/// VLAN-tagged traffic, DNS, ARP, pings, VXLAN overlay frames, IPv6, and a
/// few frames with an FCS or 2 stray trailer bytes. The benchmark input.
pub fn benchmark_mix(target_bytes: usize) -> Vec<u8> {
    let a = [0x52, 0x54, 0x00, 0x00, 0x00, 0x01];
    let b = [0x52, 0x54, 0x00, 0x00, 0x00, 0x02];
    let (ip_a, ip_b) = ([10, 0, 0, 1], [10, 0, 0, 2]);
    let build = |step: etherparse::PacketBuilderStep<etherparse::TcpHeader>, payload: usize| {
        let data = vec![0x5a; payload];
        let mut f = Vec::new();
        let _ = step.write(&mut f, &data);
        f
    };
    let tcp = |payload: usize| {
        let step = PacketBuilder::ethernet2(a, b).ipv4(ip_a, ip_b, 64).tcp(40000, 443, 1, 65535).ack(1);
        build(step, payload)
    };
    let mut ack = tcp(0);
    ack.resize(60, 0); // padded by the sender's NIC
    let vlan_tcp = {
        let step = PacketBuilder::ethernet2(a, b)
            .single_vlan(VlanId::try_new(42).unwrap_or(VlanId::ZERO))
            .ipv4(ip_a, ip_b, 64)
            .tcp(40000, 443, 1, 65535)
            .ack(1);
        build(step, 1460)
    };
    let ipv6_tcp = {
        let step = PacketBuilder::ethernet2(a, b).ipv6([0x20; 16], [0x21; 16], 64).tcp(40000, 443, 1, 65535).ack(1);
        build(step, 1440)
    };
    let dns = {
        let step = PacketBuilder::ethernet2(a, b).ipv4(ip_a, ip_b, 64).udp(53000, 53);
        let mut f = Vec::new();
        let _ = step.write(&mut f, &[0x11; 90]);
        f
    };
    let arp = {
        let mut f = vec![0xff; 6];
        f.extend_from_slice(&a);
        f.extend_from_slice(&[0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1]);
        f.extend_from_slice(&a);
        f.extend_from_slice(&ip_a);
        f.extend_from_slice(&[0; 6]);
        f.extend_from_slice(&ip_b);
        f.resize(60, 0);
        f
    };
    let ping = echo_frame(true, 7, 1, 1, 56);
    let vxlan = {
        let inner = tcp(1398);
        let step = PacketBuilder::ethernet2(a, b).ipv4([172, 16, 0, 1], [172, 16, 0, 2], 64).udp(49152, 4789);
        let mut payload = vec![0x08, 0, 0, 0, 0, 0, 100, 0];
        payload.extend_from_slice(&inner);
        let mut f = Vec::new();
        let _ = step.write(&mut f, &payload);
        f
    };
    let mut with_fcs = tcp(512);
    let fcs = crate::ledger::fcs_of(&with_fcs);
    with_fcs.extend_from_slice(&fcs);
    let mut stray = tcp(1000);
    stray.extend_from_slice(&[0x25, 0x7f]);
    let full = tcp(1460);
    // (template, weight out of 100)
    let mix: [(&[u8], u32); 11] = [
        (&full, 38),
        (&ack, 25),
        (&vlan_tcp, 8),
        (&dns, 6),
        (&arp, 3),
        (&ping, 3),
        (&vxlan, 5),
        (&ipv6_tcp, 5),
        (&stray, 4),
        (&with_fcs, 2),
        (&tcp(200), 1),
    ];
    let mut w = PcapWriter::new(1, 262_144);
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut ts: u64 = 1_700_000_000_000_000_000;
    let mut written = 24usize;
    while written < target_bytes {
        // xorshift: deterministic and fast.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let mut pick = (state % 100) as u32;
        let frame = mix.iter().find(|(_, wgt)| {
            if pick < *wgt {
                true
            } else {
                pick -= wgt;
                false
            }
        });
        let frame = frame.map_or(&full[..], |(f, _)| f);
        w.push(ts, frame, frame.len() as u32);
        ts += 10_000 + (state % 50_000);
        written += 16 + frame.len();
    }
    w.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::read_all;

    #[test]
    fn echo_frame_sizes_follow_ping_arithmetic() {
        // ping -s 1472: 1472 + 8 ICMP + 20 IPv4 = 1500; + 14 Ethernet + 4 802.1Q = 1518.
        assert_eq!(echo_frame(true, 100, 1, 1, 1472).len(), 1518);
        assert_eq!(echo_frame(false, 100, 1, 1, 56).len(), 102);
    }

    #[test]
    fn story_capture_reads_back() {
        let bytes = two_bytes_story();
        let mut lens = Vec::new();
        assert!(read_all(&bytes, |p| lens.push(p.data.len())).is_none());
        assert_eq!(lens.len(), 17);
        assert_eq!(lens[0], 102 + 2);
        assert_eq!(*lens.last().unwrap(), 1520);
    }
}
