//! The kernel messages Framelens recognises (DOMAIN.md, "Kernel log lines
//! that name a drop"), each a [`Message`] with its [`MessageKind`] (whose
//! glossary entry says what it means), and the drivers known to append bytes.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// Open vSwitch kernel datapath: `DEV: dropped over-mtu packet: N > MTU`.
    OverMtu,
    /// OVS-DPDK: `DEV: Too big size N max_packet_len M` (lib/netdev-dpdk.c,
    /// `netdev_dpdk_filter_packet_len`), in ovs-vswitchd.log.
    TooBig,
    /// A bridge message naming a port (`br-lan: received packet on eth0 with own address as source address`).
    Bridge,
    /// `net_ratelimit: N callbacks suppressed`: N lines were not written.
    RateLimited,
    /// A usbnet driver's probe line: driver, device, description, MAC.
    Driver,
    /// A driver's link-state line (`Link status is: 1`, `Link is Up`).
    Link,
    /// `DEV: changing MTU from A to B`.
    MtuChange,
    /// `DEV: renamed from OLD`.
    Rename,
}

variants!(MessageKind[OverMtu, TooBig, Bridge, RateLimited, Driver, Link, MtuChange, Rename]);

impl MessageKind {
    /// The words of the message, for sentences.
    pub const fn phrase(self) -> &'static str {
        match self {
            MessageKind::OverMtu => "dropped over-mtu packet",
            MessageKind::TooBig => "Too big size",
            MessageKind::Bridge => "bridge",
            MessageKind::RateLimited => "callbacks suppressed",
            MessageKind::Driver => "driver register",
            MessageKind::Link => "link state",
            MessageKind::MtuChange => "changing MTU",
            MessageKind::Rename => "renamed",
        }
    }
}

/// A recognised message with what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    OverMtu { device: String, len: u32, mtu: u32 },
    TooBig { device: Option<String> },
    Bridge { bridge: String, port: Option<String> },
    RateLimited { suppressed: u64 },
    Driver { driver: String, device: String, description: String, mac: Option<[u8; 6]> },
    Link { device: Option<String>, up: Option<bool> },
    MtuChange { device: String, from: u32, to: u32 },
    Rename { device: String, from: String },
}

impl Message {
    pub fn kind(&self) -> MessageKind {
        match self {
            Message::OverMtu { .. } => MessageKind::OverMtu,
            Message::TooBig { .. } => MessageKind::TooBig,
            Message::Bridge { .. } => MessageKind::Bridge,
            Message::RateLimited { .. } => MessageKind::RateLimited,
            Message::Driver { .. } => MessageKind::Driver,
            Message::Link { .. } => MessageKind::Link,
            Message::MtuChange { .. } => MessageKind::MtuChange,
            Message::Rename { .. } => MessageKind::Rename,
        }
    }

    /// The network device the line is about, when it names one.
    pub fn device(&self) -> Option<&str> {
        match self {
            Message::OverMtu { device, .. }
            | Message::Driver { device, .. }
            | Message::MtuChange { device, .. }
            | Message::Rename { device, .. } => Some(device),
            Message::TooBig { device } | Message::Link { device, .. } => device.as_deref(),
            Message::Bridge { bridge, .. } => Some(bridge),
            Message::RateLimited { .. } => None,
        }
    }
}

/// A driver known to append bytes to the frames it receives.
pub struct KnownDriver {
    pub driver: &'static str,
    pub appends: u32,
    pub note: &'static str,
}

/// DOMAIN.md, "Driver garbage".
pub static KNOWN_DRIVERS: &[KnownDriver] =
    &[KnownDriver { driver: "ax88179_178a", appends: 2, note: "the ASIX AX88179/178A USB 3.0 Gigabit driver bug" }];

pub fn known_driver(name: &str) -> Option<&'static KnownDriver> {
    KNOWN_DRIVERS.iter().find(|d| d.driver == name)
}

fn number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A device name as the kernel prints it: no spaces, 1–15 bytes (IFNAMSIZ).
fn device_name(s: &str) -> Option<&str> {
    (!s.is_empty() && s.len() <= 15 && !s.contains(char::is_whitespace)).then_some(s)
}

fn mac(s: &str) -> Option<[u8; 6]> {
    let mut out = [0u8; 6];
    let mut parts = s.split(':');
    for b in &mut out {
        let p = parts.next()?;
        if p.len() != 2 {
            return None;
        }
        *b = u8::from_str_radix(p, 16).ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// What the message says, if Framelens knows it.
pub fn recognise(text: &str) -> Option<Message> {
    let text = text.trim();
    if let Some(i) = text.find(": dropped over-mtu packet: ") {
        let device = device_name(last_word(&text[..i]))?.to_string();
        let rest = &text[i + ": dropped over-mtu packet: ".len()..];
        let (len, mtu) = rest.split_once(" > ")?;
        return Some(Message::OverMtu { device, len: number(len.trim())?, mtu: number(mtu.trim())? });
    }
    // OVS-DPDK's warning (lib/netdev-dpdk.c): "%s: Too big size %u max_packet_len %d";
    // in ovs-vswitchd.log it follows "netdev_dpdk|WARN|".
    if let Some(i) = text.find(": Too big size ") {
        let (len, max) = text[i + ": Too big size ".len()..].split_once(" max_packet_len ")?;
        number(len.trim())?;
        number(max.trim())?;
        let device = last_word(&text[..i]).rsplit('|').next().unwrap_or_default();
        return Some(Message::TooBig { device: device_name(device).map(str::to_string) });
    }
    if let Some(n) = text.strip_prefix("net_ratelimit: ").and_then(|r| r.strip_suffix(" callbacks suppressed")) {
        return Some(Message::RateLimited { suppressed: number(n)?.into() });
    }
    if let Some((head, rest)) = text.split_once(": register '") {
        // "ax88179_178a 2-1:1.0 eth1: register 'ax88179_178a' at usb-0000:00:14.0-1, ASIX AX88179 USB 3.0 Gigabit Ethernet, 00:0e:c6:81:79:2a"
        let device = device_name(last_word(head))?.to_string();
        let (driver, rest) = rest.split_once('\'')?;
        let fields: Vec<&str> = rest.split(", ").collect();
        let mac = fields.last().and_then(|m| mac(m.trim()));
        let description = if fields.len() >= 3 { fields[1..fields.len() - 1].join(", ") } else { String::new() };
        return Some(Message::Driver { driver: driver.to_string(), device, description, mac });
    }
    if let Some((head, rest)) = text.split_once(": changing MTU from ") {
        let (from, to) = rest.split_once(" to ")?;
        return Some(Message::MtuChange {
            device: device_name(last_word(head))?.to_string(),
            from: number(from.trim())?,
            to: number(to.trim())?,
        });
    }
    if let Some((head, from)) = text.split_once(": renamed from ") {
        return Some(Message::Rename {
            device: device_name(last_word(head))?.to_string(),
            from: device_name(from.trim())?.to_string(),
        });
    }
    if let Some(i) = text.find("Link status is: ") {
        let up = match text[i + "Link status is: ".len()..].trim() {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        };
        let device = text[..i].split_once(':').and_then(|(d, _)| device_name(last_word(d))).map(str::to_string);
        return Some(Message::Link { device, up });
    }
    for (needle, up) in [(": Link is Up", true), (": Link is Down", false)] {
        if let Some(i) = text.find(needle) {
            return Some(Message::Link {
                device: device_name(last_word(&text[..i])).map(str::to_string),
                up: Some(up),
            });
        }
    }
    if let Some((bridge, rest)) = text.split_once(": received packet on ") {
        let port = rest.split_whitespace().next().and_then(device_name).map(str::to_string);
        return Some(Message::Bridge { bridge: device_name(last_word(bridge))?.to_string(), port });
    }
    if let Some((head, rest)) = text.split_once(": port ") {
        // "br-lan: port 2(eth0) entered forwarding state"
        if rest.contains(" entered ") {
            let port = rest.split_once('(').and_then(|(_, p)| p.split_once(')')).and_then(|(p, _)| device_name(p));
            return Some(Message::Bridge {
                bridge: device_name(last_word(head))?.to_string(),
                port: port.map(str::to_string),
            });
        }
    }
    None
}

/// The last space-separated word: the device in "driver 2-1:1.0 eth1".
fn last_word(s: &str) -> &str {
    s.rsplit(' ').next().unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ovs_over_mtu() {
        assert_eq!(
            recognise("qg-4c2a1b3d-5e: dropped over-mtu packet: 1502 > 1500"),
            Some(Message::OverMtu { device: "qg-4c2a1b3d-5e".into(), len: 1502, mtu: 1500 })
        );
        assert_eq!(
            recognise("openvswitch: qg-1: dropped over-mtu packet: 1502 > 1500").map(|m| m.kind()),
            Some(MessageKind::OverMtu)
        );
        // Truncated or malformed numbers are not this message.
        assert_eq!(recognise("qg-1: dropped over-mtu packet: 1502 >"), None);
        assert_eq!(recognise("qg-1: dropped over-mtu packet: 15x2 > 1500"), None);
        assert_eq!(recognise("qg-1: dropped over-mtu packet: 99999999999 > 1500"), None);
    }

    #[test]
    fn other_drop_and_size_lines() {
        // lib/netdev-dpdk.c, netdev_dpdk_filter_packet_len.
        assert_eq!(
            recognise("2024-12-01T10:00:10.417Z|00042|netdev_dpdk|WARN|dpdk0: Too big size 1520 max_packet_len 1518"),
            Some(Message::TooBig { device: Some("dpdk0".into()) })
        );
        assert_eq!(recognise("dpdk0: Too big size 1520 max_packet_len 15x8"), None);
        // No kernel or driver source writes this; it is not recognised.
        assert_eq!(recognise("eth0: Dropped packet: Too big. GRO/TSO enabled?"), None);
        assert_eq!(recognise("net_ratelimit: 42 callbacks suppressed"), Some(Message::RateLimited { suppressed: 42 }));
        assert_eq!(
            recognise(
                "br-lan: received packet on eth0 with own address as source address (addr:aa:bb:cc:dd:ee:ff, vlan:0)"
            ),
            Some(Message::Bridge { bridge: "br-lan".into(), port: Some("eth0".into()) })
        );
        assert_eq!(
            recognise("br-int: port 2(tap1) entered forwarding state"),
            Some(Message::Bridge { bridge: "br-int".into(), port: Some("tap1".into()) })
        );
    }

    #[test]
    fn driver_identity_and_link_state() {
        let m = recognise("ax88179_178a 2-1:1.0 eth1: register 'ax88179_178a' at usb-0000:00:14.0-1, ASIX AX88179 USB 3.0 Gigabit Ethernet, 00:0e:c6:81:79:2a").unwrap();
        assert_eq!(
            m,
            Message::Driver {
                driver: "ax88179_178a".into(),
                device: "eth1".into(),
                description: "ASIX AX88179 USB 3.0 Gigabit Ethernet".into(),
                mac: Some([0x00, 0x0e, 0xc6, 0x81, 0x79, 0x2a]),
            }
        );
        assert_eq!(known_driver("ax88179_178a").map(|d| d.appends), Some(2));
        assert_eq!(recognise("ax88179 - Link status is: 1"), Some(Message::Link { device: None, up: Some(true) }));
        assert_eq!(
            recognise("e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex").map(|m| m.kind()),
            None,
            "only the standard wording is recognised"
        );
        assert_eq!(
            recognise("eth1: Link is Up - 1Gbps/Full"),
            Some(Message::Link { device: Some("eth1".into()), up: Some(true) })
        );
    }

    #[test]
    fn mtu_changes_and_renames() {
        assert_eq!(
            recognise("eth1: changing MTU from 1500 to 1450"),
            Some(Message::MtuChange { device: "eth1".into(), from: 1500, to: 1450 })
        );
        assert_eq!(
            recognise("ax88179_178a 2-1:1.0 enx000ec681792a: renamed from eth1"),
            Some(Message::Rename { device: "enx000ec681792a".into(), from: "eth1".into() })
        );
    }

    #[test]
    fn everything_else_is_not_recognised() {
        for t in ["", "Linux version 6.1.0", "usb 2-1: new SuperSpeed USB device", "a: b: c", "random junk: register '"]
        {
            assert_eq!(recognise(t), None, "{t:?}");
        }
    }
}
