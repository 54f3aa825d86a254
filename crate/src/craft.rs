//! Deterministic synthetic captures: the worked examples that teach, the
//! fixtures that pin the story, and the benchmark input. Frames are built
//! with etherparse's `PacketBuilder` (correct lengths and checksums) and
//! written with pcap-parser's serializer.

pub mod lessons;
pub mod paths;

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

const LAPTOP_IP6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x23];
const FLOATING_IP6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x50];

/// An ICMPv6 echo over Ethernet (untagged when `vlan` is 0), as `ping -6 -s payload` sends it.
pub fn echo6_frame(request: bool, vlan: u16, ident: u16, seq: u16, payload: usize) -> Vec<u8> {
    let (src_mac, dst_mac, src_ip, dst_ip) = if request {
        (LAPTOP_MAC, CONTROLLER_MAC, LAPTOP_IP6, FLOATING_IP6)
    } else {
        (CONTROLLER_MAC, LAPTOP_MAC, FLOATING_IP6, LAPTOP_IP6)
    };
    let data: Vec<u8> = (0..payload).map(|i| (i % 256) as u8).collect();
    let eth = PacketBuilder::ethernet2(src_mac, dst_mac);
    let mut frame = Vec::new();
    if vlan == 0 {
        let step = eth.ipv6(src_ip, dst_ip, 64);
        let step = if request { step.icmpv6_echo_request(ident, seq) } else { step.icmpv6_echo_reply(ident, seq) };
        let _ = step.write(&mut frame, &data);
    } else {
        let vid = VlanId::try_new(vlan).unwrap_or(VlanId::ZERO);
        let step = eth.single_vlan(vid).ipv6(src_ip, dst_ip, 64);
        let step = if request { step.icmpv6_echo_request(ident, seq) } else { step.icmpv6_echo_reply(ident, seq) };
        let _ = step.write(&mut frame, &data);
    }
    frame
}

/// A `ping -M do -s N` sweep as the far end (the laptop) captures it: one
/// request per `(payload, answered)`, each answered one followed by its reply
/// 250 µs later, one second apart. Nothing in these frames is wrong; the
/// sizes alone tell where the path stops.
pub fn far_end_sweep(v6: bool, vlan: u16, pings: &[(usize, bool)]) -> Vec<u8> {
    let mut w = PcapWriter::new(1, 262_144);
    let mut ts: u64 = 1_733_047_200_000_000_000;
    for (i, &(payload, answered)) in pings.iter().enumerate() {
        let seq = i as u16 + 1;
        let frame = |request| {
            if v6 {
                echo6_frame(request, vlan, 0x0c0c, seq, payload)
            } else {
                echo_frame(request, vlan, 0x0c0c, seq, payload)
            }
        };
        let req = frame(true);
        w.push(ts, &req, req.len() as u32);
        if answered {
            let reply = frame(false);
            w.push(ts + 250_000, &reply, reply.len() as u32);
        }
        ts += 1_000_000_000;
    }
    w.into_bytes()
}

/// The "2 bytes" story that started this project (README.md): captured on the
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

/// When `two_bytes_story` sends its `i`-th request (0-based): one second and
/// 250 µs apart.
pub fn two_bytes_request_ns(i: u64) -> u64 {
    1_500_000_000_000_000_000 + i * 1_000_250_000
}

/// `ns` since the epoch as rsyslog writes it: `2017-07-14T02:40:07.000250+00:00`.
pub fn rfc3339(ns: i64) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let micros = ns.rem_euclid(1_000_000_000) / 1000;
    let (days, sod) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = crate::log::line::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}+00:00", sod / 3600, sod / 60 % 60, sod % 60)
}

/// The OpenStack node's kern.log beside [`two_bytes_story`], its clock
/// `behind_ns` behind the capture's: the USB NIC's driver registering (the
/// ASIX driver known to append 2 bytes), Open vSwitch dropping the three
/// 1472-byte pings at the router's gateway port (1502 > 1500) with one of
/// them rate-limited away (`net_ratelimit: 1 callbacks suppressed`), a drop
/// on another router's port the capture did not see, and unrelated lines.
pub fn two_bytes_kern_log(behind_ns: i64) -> String {
    let at = |ns: u64, ms: i64| rfc3339(ns as i64 - behind_ns + ms * 1_000_000);
    let boot = two_bytes_request_ns(0) - 3_600_000_000_000;
    let mut log = String::new();
    log.push_str(&format!(
        "{} node-2 kernel: usb 2-1: new SuperSpeed USB device number 2 using xhci_hcd\n",
        at(boot, 0)
    ));
    log.push_str(&format!(
        "{} node-2 kernel: ax88179_178a 2-1:1.0 eth1: register 'ax88179_178a' at usb-0000:00:14.0-1, ASIX AX88179 USB 3.0 Gigabit Ethernet, 00:0e:c6:ab:cd:ef\n",
        at(boot, 5)
    ));
    log.push_str(&format!("{} node-2 kernel: ax88179_178a 2-1:1.0 eth1: ax88179 - Link status is: 1\n", at(boot, 900)));
    log.push_str(&format!("{} node-2 systemd[1]: Started Session 4 of user stack.\n", at(two_bytes_request_ns(2), 0)));
    for i in [7u64, 8] {
        log.push_str(&format!(
            "{} node-2 kernel: qg-4c2a1b3d-5e: dropped over-mtu packet: 1502 > 1500\n",
            at(two_bytes_request_ns(i), 1)
        ));
    }
    log.push_str(&format!(
        "{} node-2 kernel: net_ratelimit: 1 callbacks suppressed\n",
        at(two_bytes_request_ns(9), 30)
    ));
    log.push_str(&format!(
        "{} node-2 kernel: qg-77aa0c1e-02: dropped over-mtu packet: 1508 > 1500\n",
        at(two_bytes_request_ns(9), 400)
    ));
    log
}

/// Writes a little-endian pcapng: one section, interfaces with their own link
/// type and `if_fcslen`, Enhanced Packet Blocks with `epb_flags`.
pub struct PcapngWriter {
    out: Vec<u8>,
    interfaces: u32,
}

impl Default for PcapngWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl PcapngWriter {
    pub fn new() -> Self {
        let mut body = 0x1A2B_3C4Du32.to_le_bytes().to_vec();
        body.extend_from_slice(&[1, 0, 0, 0]);
        body.extend_from_slice(&(-1i64).to_le_bytes());
        let mut w = PcapngWriter { out: Vec::new(), interfaces: 0 };
        w.block(0x0A0D_0D0A, &body);
        w
    }

    fn block(&mut self, kind: u32, body: &[u8]) {
        let len = (12 + body.len().div_ceil(4) * 4) as u32;
        self.out.extend_from_slice(&kind.to_le_bytes());
        self.out.extend_from_slice(&len.to_le_bytes());
        self.out.extend_from_slice(body);
        self.out.resize(self.out.len() + (body.len().div_ceil(4) * 4 - body.len()), 0);
        self.out.extend_from_slice(&len.to_le_bytes());
    }

    fn option(buf: &mut Vec<u8>, code: u16, value: &[u8]) {
        buf.extend_from_slice(&code.to_le_bytes());
        buf.extend_from_slice(&(value.len() as u16).to_le_bytes());
        buf.extend_from_slice(value);
        buf.resize(buf.len() + (value.len().div_ceil(4) * 4 - value.len()), 0);
    }

    /// Adds an interface (nanosecond timestamps) and returns its index.
    pub fn interface(&mut self, link_type: u16, name: &str, fcs_len: Option<u8>) -> u32 {
        let mut body = link_type.to_le_bytes().to_vec();
        body.extend_from_slice(&[0, 0]);
        body.extend_from_slice(&262_144u32.to_le_bytes());
        Self::option(&mut body, 2, name.as_bytes());
        Self::option(&mut body, 9, &[9]);
        if let Some(n) = fcs_len {
            Self::option(&mut body, 13, &[n]);
        }
        Self::option(&mut body, 0, &[]);
        self.block(1, &body);
        self.interfaces += 1;
        self.interfaces - 1
    }

    /// Adds an Enhanced Packet Block; `flags` is `epb_flags` (0: none).
    pub fn packet(&mut self, interface: u32, ts_ns: u64, data: &[u8], original_len: u32, flags: u32) {
        let mut body = Vec::with_capacity(data.len() + 40);
        for v in [interface, (ts_ns >> 32) as u32, ts_ns as u32, data.len() as u32, original_len] {
            body.extend_from_slice(&v.to_le_bytes());
        }
        body.extend_from_slice(data);
        body.resize(body.len() + (data.len().div_ceil(4) * 4 - data.len()), 0);
        if flags != 0 {
            Self::option(&mut body, 2, &flags.to_le_bytes());
            Self::option(&mut body, 0, &[]);
        }
        self.block(6, &body);
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }
}

/// The example captures of the lesson gallery: (file name in
/// `static/examples/`, bytes). Each reproduces one real-world case.
pub fn gallery() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("two-bytes.pcap", two_bytes_story()),
        ("etherleak.pcap", etherleak()),
        ("fcs.pcapng", fcs_on_some_interfaces()),
        ("vlan-qinq.pcap", vlan_and_qinq()),
        ("vxlan.pcap", vxlan_overlay()),
        ("gro-tso.pcap", gro_tso_superframes()),
        ("snaplen.pcap", snaplen_truncation()),
        ("pmtu-blackhole.pcap", pmtu_black_hole()),
        ("cooked.pcap", cooked_capture()),
        ("ieee8023.pcap", ieee_802_3_llc()),
        ("datacenter.pcap", datacenter_encapsulations()),
        ("geneve-ovn.pcap", lessons::geneve_ovn()),
        ("ipv6-ptb.pcap", lessons::ipv6_packet_too_big()),
        ("mss-clamp.pcapng", lessons::mss_clamp()),
        ("capture-points.pcapng", lessons::capture_points()),
    ]
}

const HOST_A: [u8; 6] = [0x52, 0x54, 0x00, 0xaa, 0x00, 0x01];
const HOST_B: [u8; 6] = [0x52, 0x54, 0x00, 0xbb, 0x00, 0x02];
const T0: u64 = 1_700_000_000_000_000_000;

/// Builds a frame from a finished `PacketBuilder` step and its payload.
macro_rules! built {
    ($step:expr, $payload:expr) => {{
        let payload: &[u8] = $payload;
        let mut f = Vec::new();
        let _ = $step.write(&mut f, payload);
        f
    }};
}

fn tcp_frame(payload: usize, seq: u32) -> Vec<u8> {
    built!(
        PacketBuilder::ethernet2(HOST_A, HOST_B)
            .ipv4([10, 1, 0, 1], [10, 1, 0, 2], 64)
            .tcp(40000, 80, seq, 64240)
            .ack(1),
        &vec![0x61; payload]
    )
}

/// Small frames padded with leftover memory instead of zeros (Etherleak,
/// CERT VU#412115), beside a driver that pads correctly.
fn etherleak() -> Vec<u8> {
    let mut w = PcapWriter::new(1, 262_144);
    let leak = b"HTTP/1.1 200 OK\r\nSet-Cookie: sess";
    for i in 0..6u32 {
        let mut f = tcp_frame(0, 1000 + i); // 54 bytes: a pure ACK
        let good = i % 2 == 0;
        if good {
            f.resize(60, 0);
        } else {
            f.extend_from_slice(&leak[i as usize..i as usize + 6]);
        }
        w.push(T0 + u64::from(i) * 1_000_000, &f, f.len() as u32);
    }
    w.into_bytes()
}

/// Two interfaces: a tap port that keeps the FCS (`if_fcslen` 4) and a host
/// port that strips it. One frame on the tap was damaged on the wire.
fn fcs_on_some_interfaces() -> Vec<u8> {
    let mut w = PcapngWriter::new();
    let tap = w.interface(1, "tap0 (FCS kept)", Some(4));
    let host = w.interface(1, "eth0", None);
    let vid = VlanId::try_new(20).unwrap_or(VlanId::ZERO);
    let frames: Vec<Vec<u8>> = vec![
        tcp_frame(0, 1),
        tcp_frame(400, 2),
        built!(
            PacketBuilder::ethernet2(HOST_A, HOST_B)
                .single_vlan(vid)
                .ipv4([10, 2, 0, 1], [10, 2, 0, 2], 64)
                .udp(5000, 5001),
            &[0x33; 200]
        ),
        tcp_frame(1460, 3),
    ];
    let mut ts = T0;
    for (n, f) in frames.iter().enumerate() {
        let mut on_wire = f.clone();
        if on_wire.len() < 60 {
            on_wire.resize(60, 0);
        }
        let fcs = crate::wire::ethernet::fcs_of(&on_wire);
        let mut tapped = on_wire.clone();
        tapped.extend_from_slice(&fcs);
        let mut flags = 1; // inbound
        if n == 3 {
            tapped[200] ^= 0x10; // one bit flipped on the wire: the NIC saw a CRC error
            flags |= 1 << 24;
        }
        w.packet(tap, ts, &tapped, tapped.len() as u32, flags);
        w.packet(host, ts + 20_000, &on_wire, on_wire.len() as u32, 1);
        ts += 1_000_000;
    }
    w.into_bytes()
}

/// The same datagrams untagged, with one 802.1Q tag, and with QinQ: 4 bytes per tag.
fn vlan_and_qinq() -> Vec<u8> {
    let mut w = PcapWriter::new(1, 262_144);
    let (v10, v20) = (VlanId::try_new(10).unwrap_or(VlanId::ZERO), VlanId::try_new(20).unwrap_or(VlanId::ZERO));
    let mut ts = T0;
    for payload in [10usize, 1472] {
        let data = vec![0x44; payload];
        let plain = built!(
            PacketBuilder::ethernet2(HOST_A, HOST_B).ipv4([10, 3, 0, 1], [10, 3, 0, 2], 64).udp(7000, 7001),
            &data
        );
        let single = built!(
            PacketBuilder::ethernet2(HOST_A, HOST_B)
                .single_vlan(v10)
                .ipv4([10, 3, 0, 1], [10, 3, 0, 2], 64)
                .udp(7000, 7001),
            &data
        );
        let double = built!(
            PacketBuilder::ethernet2(HOST_A, HOST_B)
                .double_vlan(v20, v10)
                .ipv4([10, 3, 0, 1], [10, 3, 0, 2], 64)
                .udp(7000, 7001),
            &data
        );
        for mut f in [plain, single, double] {
            // Padded to 60 by the sender, then each tag adds 4 (IEEE 802.1Q G.2.3).
            let tags = (f.len() - 14 - 28 - payload) / 4;
            if f.len() < 60 + 4 * tags {
                f.resize(60 + 4 * tags, 0);
            }
            w.push(ts, &f, f.len() as u32);
            ts += 1_000_000;
        }
    }
    w.into_bytes()
}

/// VXLAN as OpenStack Neutron builds it: an instance with MTU 1450 fits the
/// 1500-byte underlay exactly; one with MTU 1500 makes 1550-byte datagrams.
fn vxlan_overlay() -> Vec<u8> {
    let mut w = PcapWriter::new(1, 262_144);
    let mut ts = T0;
    for inner_ip_len in [1450usize, 1500] {
        let inner = built!(
            PacketBuilder::ethernet2([0xfa, 0x16, 0x3e, 0, 0, 1], [0xfa, 0x16, 0x3e, 0, 0, 2])
                .ipv4([192, 168, 0, 5], [192, 168, 0, 6], 64)
                .tcp(33000, 22, 1, 500)
                .ack(1),
            &vec![0x77; inner_ip_len - 40]
        );
        let mut vx = vec![0x08, 0, 0, 0, 0, 0x04, 0xd2, 0]; // VNI 1234
        vx.extend_from_slice(&inner);
        let outer = built!(
            PacketBuilder::ethernet2(HOST_A, HOST_B).ipv4([172, 16, 1, 1], [172, 16, 1, 2], 64).udp(51000, 4789),
            &vx
        );
        w.push(ts, &outer, outer.len() as u32);
        ts += 1_000_000;
    }
    w.into_bytes()
}

/// Captured on a host: GRO on the receiver merges segments before tcpdump
/// sees them, and a segment captured before Windows' large send offload
/// carries IPv4 total length 0 (Linux writes the real length up to 64 KB and
/// 0 only for BIG TCP packets above it: `iph_set_totlen`).
fn gro_tso_superframes() -> Vec<u8> {
    let mut w = PcapWriter::new(1, 262_144);
    let big = tcp_frame(8948, 1); // a 9 KB GRO super-frame: headers consistent
    let mut tso = tcp_frame(20_000, 9000);
    tso[16..18].copy_from_slice(&[0, 0]); // total length 0: Windows LSO ("maybe caused by TSO")
                                          // Full size with TCP timestamps (NOP, NOP, 10-byte option, as Linux
                                          // sends them): 1500 - 20 IPv4 - 20 TCP - 12 = 1448 bytes of data.
    let ts = [
        etherparse::TcpOptionElement::Noop,
        etherparse::TcpOptionElement::Noop,
        etherparse::TcpOptionElement::Timestamp(3_000_000, 2_999_990),
    ];
    let step =
        PacketBuilder::ethernet2(HOST_A, HOST_B).ipv4([10, 1, 0, 1], [10, 1, 0, 2], 64).tcp(40000, 80, 30000, 64240);
    let normal = match step.ack(1).options(&ts) {
        Ok(step) => built!(step, &[0x61; 1448]),
        Err(_) => tcp_frame(1448, 30000),
    };
    for (n, f) in [normal, big, tso].iter().enumerate() {
        w.push(T0 + n as u64 * 1_000_000, f, f.len() as u32);
    }
    w.into_bytes()
}

/// `tcpdump -s 96`: every frame cut at 96 bytes; the datagram ends beyond the capture.
fn snaplen_truncation() -> Vec<u8> {
    let mut w = PcapWriter::new(1, 96);
    for (n, payload) in [0usize, 200, 1460].into_iter().enumerate() {
        let f = tcp_frame(payload, n as u32);
        let mut wire = f.clone();
        if wire.len() < 60 {
            wire.resize(60, 0);
        }
        let cut = &wire[..wire.len().min(96)];
        w.push(T0 + n as u64 * 1_000_000, cut, wire.len() as u32);
    }
    w.into_bytes()
}

/// A path-MTU black hole, captured on the server's link: the client sits
/// behind a router whose link towards it has MTU 1400. The handshake and
/// small segments pass; full-size segments with DF are retransmitted
/// forever; the router answers each with ICMP "fragmentation needed, MTU
/// 1400" from its own address, and the server ignores it. Everything from
/// the client was forwarded by the router: its MAC as the source, TTL 63.
fn pmtu_black_hole() -> Vec<u8> {
    const ROUTER: [u8; 6] = [0x52, 0x54, 0x00, 0xcc, 0x00, 0xfe];
    let (server_mac, client, server, router) = (HOST_B, [10, 9, 1, 1], [10, 9, 0, 2], [10, 9, 0, 254]);
    let mut w = PcapWriter::new(1, 262_144);
    let mut ts = T0;
    let mut push = |w: &mut PcapWriter, f: Vec<u8>| {
        w.push(ts, &f, f.len() as u32);
        ts += 200_000_000;
    };
    // From the client, forwarded by the router (TTL 64 - 1); to it, via the router.
    let from_client = || PacketBuilder::ethernet2(ROUTER, server_mac).ipv4(client, server, 63);
    let to_client = || PacketBuilder::ethernet2(server_mac, ROUTER).ipv4(server, client, 64);
    let mss = [etherparse::TcpOptionElement::MaximumSegmentSize(1460)];
    if let Ok(step) = from_client().tcp(45000, 443, 100, 64240).syn().options(&mss) {
        push(&mut w, built!(step, &[]));
    }
    if let Ok(step) = to_client().tcp(443, 45000, 500, 64240).syn().ack(101).options(&mss) {
        push(&mut w, built!(step, &[]));
    }
    let small = built!(from_client().tcp(45000, 443, 101, 64240).ack(501).psh(), &[0x16; 300]);
    push(&mut w, small);
    for _ in 0..3 {
        let big = built!(to_client().tcp(443, 45000, 501, 64240).ack(401), &[0x17; 1460]);
        // The router checks the MTU before it decrements the TTL
        // (`ip_forward`), so it quotes the header as the server sent it.
        let quoted = big[14..14 + 28].to_vec();
        push(&mut w, big);
        let mut icmp = vec![3, 4, 0, 0, 0, 0, 0x05, 0x78];
        icmp.extend_from_slice(&quoted);
        let ck = crate::frame::vendor::internet_checksum_of(&icmp);
        icmp[2..4].copy_from_slice(&ck.to_be_bytes());
        // The router's own packet, from its address on the server's link.
        let mut ip = etherparse::Ipv4Header::new(icmp.len() as u16, 64, etherparse::IpNumber::ICMP, router, server)
            .unwrap_or_default();
        ip.header_checksum = ip.calc_header_checksum();
        let mut f = server_mac.to_vec();
        f.extend_from_slice(&ROUTER);
        f.extend_from_slice(&[0x08, 0x00]);
        f.extend_from_slice(&ip.to_bytes());
        f.extend_from_slice(&icmp);
        push(&mut w, f);
    }
    w.into_bytes()
}

/// `tcpdump -i any` (Linux cooked v2): outgoing frames are captured before the
/// NIC pads them; received ones keep their padding, and a driver's 2 stray bytes.
fn cooked_capture() -> Vec<u8> {
    let mut w = PcapWriter::new(276, 262_144);
    let sll2 = |pkttype: u8, proto: u16, mac: [u8; 6]| {
        let mut h = proto.to_be_bytes().to_vec();
        h.extend_from_slice(&[0, 0, 0, 0, 0, 3, 0, 1, pkttype, 6]);
        h.extend_from_slice(&mac);
        h.extend_from_slice(&[0, 0]);
        h
    };
    let arp = |op: u8, sha: [u8; 6], spa: [u8; 4], tpa: [u8; 4]| {
        let mut a = vec![0, 1, 8, 0, 6, 4, 0, op];
        a.extend_from_slice(&sha);
        a.extend_from_slice(&spa);
        a.extend_from_slice(&[0; 6]);
        a.extend_from_slice(&tpa);
        a
    };
    // Sent by us: 20 + 28 bytes, no padding.
    let mut out = sll2(4, 0x0806, HOST_A);
    out.extend(arp(1, HOST_A, [10, 5, 0, 1], [10, 5, 0, 2]));
    w.push(T0, &out, out.len() as u32);
    // Received: padded to the 46-byte minimum payload by the sender's NIC.
    let mut inbound = sll2(0, 0x0806, HOST_B);
    inbound.extend(arp(2, HOST_B, [10, 5, 0, 2], [10, 5, 0, 1]));
    inbound.resize(20 + 46, 0);
    w.push(T0 + 1_000_000, &inbound, inbound.len() as u32);
    // Received through the USB NIC: 2 bytes after the datagram.
    let ip = tcp_frame(1000, 7);
    let mut tcp_in = sll2(0, 0x0800, HOST_B);
    tcp_in.extend_from_slice(&ip[14..]);
    tcp_in.extend_from_slice(&[0x25, 0x7f]);
    w.push(T0 + 2_000_000, &tcp_in, tcp_in.len() as u32);
    w.into_bytes()
}

/// 802.3 frames: an STP BPDU and a CDP frame whose length field, not an
/// EtherType, bounds the LLC payload; the rest is padding.
fn ieee_802_3_llc() -> Vec<u8> {
    let mut w = PcapWriter::new(1, 262_144);
    let mut stp = vec![0x01, 0x80, 0xc2, 0, 0, 0];
    stp.extend_from_slice(&HOST_A);
    stp.extend_from_slice(&38u16.to_be_bytes()); // LLC 3 + BPDU 35
    stp.extend_from_slice(&[0x42, 0x42, 0x03]);
    stp.extend_from_slice(&[
        0, 0, 0, 0, 0x80, 0, 0x52, 0x54, 0, 0xaa, 0, 1, 0, 0, 0, 0, 0x80, 0, 0x52, 0x54, 0, 0xaa, 0, 1, 0x80, 1, 0, 0,
        0x14, 0, 2, 0, 0x0f, 0,
    ]);
    stp.push(0);
    stp.resize(60, 0);
    w.push(T0, &stp, 60);
    let mut snap = vec![0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc];
    snap.extend_from_slice(&HOST_B);
    let body: Vec<u8> =
        [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00].iter().copied().chain((0..30).map(|i| i as u8)).collect();
    snap.extend_from_slice(&(body.len() as u16).to_be_bytes());
    snap.extend_from_slice(&body);
    snap.resize(60, 0);
    w.push(T0 + 2_000_000_000, &snap, 60);
    w.into_bytes()
}

/// One UDP datagram of `len` bytes from host A to host B, without link header.
fn udp_datagram(len: usize) -> Vec<u8> {
    let payload = vec![0x61; len.saturating_sub(28)];
    let mut f = built!(
        PacketBuilder::ethernet2(HOST_A, HOST_B).ipv4([10, 1, 0, 1], [10, 1, 0, 2], 64).udp(12345, 53),
        &payload
    );
    f.split_off(14)
}

/// Data-centre encapsulations around the same datagrams: 802.1ah PBB behind
/// an 802.1ad B-TAG, an 802.1BR E-TAG, NSH over Ethernet and over
/// VXLAN-GPE, and MACsec integrity-only (with and without SCI, one with the
/// 2 driver bytes after its ICV), encrypted with a short length (padded) and
/// encrypted at full size, where the ICV is the frame's last 16 bytes.
fn datacenter_encapsulations() -> Vec<u8> {
    let mut w = PcapWriter::new(1, 262_144);
    let macs = [HOST_B, HOST_A].concat();
    let typed = |t: u16, body: &[u8]| {
        let mut f = macs.clone();
        f.extend_from_slice(&t.to_be_bytes());
        f.extend_from_slice(body);
        if f.len() < 60 {
            f.resize(60, 0);
        }
        f
    };
    let ipv4 = |len: usize| [&[0x08u8, 0x00][..], &udp_datagram(len)].concat();
    let mut frames: Vec<Vec<u8>> = Vec::new();
    // PBB: B-TAG (B-VID 100, then the I-TAG's EtherType), I-TAG (I-SID 65578), the customer frame.
    let mut pbb = vec![0x00, 0x64, 0x88, 0xe7, 0x00, 0x01, 0x00, 0x2a];
    pbb.extend_from_slice(&[0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2]);
    pbb.extend(ipv4(1000));
    frames.push(typed(0x88a8, &pbb));
    // E-TAG, E-CID 4103.
    frames.push(typed(0x893f, &[&[0x60, 0x05, 0x10, 0x07, 0x00, 0x01][..], &ipv4(300)].concat()));
    // NSH (MD type 2, SPI 42, SI 255) over Ethernet, carrying IPv4.
    let nsh = [0x0f, 0xc2, 0x02, 0x01, 0x00, 0x00, 0x2a, 0xff];
    frames.push(typed(0x894f, &[&nsh[..], &udp_datagram(400)].concat()));
    // NSH over VXLAN-GPE (UDP 4790) over IPv4.
    let inner = [&nsh[..], &udp_datagram(500)].concat();
    let gpe = [&[0x0c, 0, 0, 0x04, 0, 0, 0x2a, 0][..], &inner].concat();
    frames.push(built!(
        PacketBuilder::ethernet2(HOST_A, HOST_B).ipv4([192, 0, 2, 1], [192, 0, 2, 2], 64).udp(49152, 4790),
        &gpe
    ));
    // MACsec: SecTAG (TCI, short length, PN 1, optional SCI), secure data, ICV.
    let macsec = |tci: u8, sl: u8, secure: &[u8], after: &[u8]| {
        let mut body = vec![tci, sl, 0, 0, 0, 1];
        if tci & 0x20 != 0 {
            body.extend_from_slice(&HOST_A);
            body.extend_from_slice(&[0, 1]);
        }
        body.extend_from_slice(secure);
        body.extend_from_slice(&[0x1c; 16]);
        body.extend_from_slice(after);
        typed(0x88e5, &body)
    };
    frames.push(macsec(0x00, 0, &ipv4(1000), &[]));
    frames.push(macsec(0x20, 0, &ipv4(1000), &[0x25, 0x7f]));
    frames.push(macsec(0x0c, 22, &[0x9e; 22], &[]));
    frames.push(macsec(0x2c, 0, &[0x9e; 1002], &[]));
    for (i, f) in frames.iter().enumerate() {
        w.push(T0 + i as u64 * 1_000_000, f, f.len() as u32);
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
    let fcs = crate::wire::ethernet::fcs_of(&with_fcs);
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
