//! What the user chooses: the MTU, which device's rule to apply, and how to
//! treat a possible FCS. Every verdict that depends on them takes them as input.

use serde::{Deserialize, Serialize};

/// How to treat the last 4 bytes of an Ethernet frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FcsMode {
    /// The CRC decides; capture metadata is a hint that makes a failing CRC an
    /// invalid FCS rather than no FCS.
    #[default]
    Auto,
    /// Every full Ethernet frame ends with an FCS (valid or not).
    Present,
    /// No frame has an FCS.
    Absent,
}

/// Whose MTU rule the consequence applies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviceRule {
    /// Open vSwitch kernel datapath (`ovs_vport_send`): L2 payload, trailer
    /// bytes included, against the MTU; GSO frames exempt.
    #[default]
    OvsKernel,
    /// Linux bridge / veth (`is_skb_forwardable`): the frame without its
    /// outermost VLAN tag up to MTU + 14 + 4.
    LinuxBridge,
    /// Open vSwitch with DPDK (`MTU_TO_FRAME_LEN`): frame up to MTU + 18
    /// (Ethernet header + CRC).
    OvsDpdk,
    /// An IP router: the datagram against the egress MTU.
    IpRouter,
}

variants!(DeviceRule[OvsKernel, LinuxBridge, OvsDpdk, IpRouter]);
variants!(FcsMode[Auto, Present, Absent]);

/// The MTUs a user may set, in bytes: IPv4's minimum (RFC 791: every host
/// must take a 68-byte datagram) up to a million, far above any jumbo frame.
/// The CLI, the settings panel, the what-if panel and share links all check
/// against this one range.
pub const MTU_RANGE: core::ops::RangeInclusive<u32> = 68..=1_000_000;

impl DeviceRule {
    pub const fn name(self) -> &'static str {
        match self {
            DeviceRule::OvsKernel => "Open vSwitch (kernel datapath)",
            DeviceRule::LinuxBridge => "Linux bridge / veth",
            DeviceRule::OvsDpdk => "Open vSwitch (DPDK)",
            DeviceRule::IpRouter => "IP router",
        }
    }

    /// The spelling used on the command line and in links.
    pub const fn key(self) -> &'static str {
        match self {
            DeviceRule::OvsKernel => "ovs-kernel",
            DeviceRule::LinuxBridge => "linux-bridge",
            DeviceRule::OvsDpdk => "ovs-dpdk",
            DeviceRule::IpRouter => "ip-router",
        }
    }

    pub fn from_key(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == s)
    }
}

impl FcsMode {
    pub const fn key(self) -> &'static str {
        match self {
            FcsMode::Auto => "auto",
            FcsMode::Present => "present",
            FcsMode::Absent => "absent",
        }
    }

    /// What the mode means, for a settings menu.
    pub const fn description(self) -> &'static str {
        match self {
            FcsMode::Auto => "auto (the CRC decides)",
            FcsMode::Present => "present on every frame",
            FcsMode::Absent => "absent",
        }
    }

    pub fn from_key(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Settings {
    pub mtu: u32,
    pub rule: DeviceRule,
    pub fcs: FcsMode,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { mtu: 1500, rule: DeviceRule::OvsKernel, fcs: FcsMode::Auto }
    }
}
