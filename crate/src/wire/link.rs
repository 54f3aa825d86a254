//! Link-layer header types (the pcap/pcapng LINKTYPE_ values) and what
//! Framelens does with each: dissect it, or name it and count its frames.

use serde::{Deserialize, Serialize};

/// A link type as recorded in the capture, masked to its low 16 bits: the
/// upper bits of a pcap header's field carry FCS information (pcap-savefile(5)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LinkType(pub u16);

/// What the dissector does with a link type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Ethernet,
    LinuxSll,
    LinuxSll2,
    /// Raw IP, version from the first nibble (LINKTYPE_RAW 101; also DLT 12/14 on some systems).
    RawIp,
    RawIpv4,
    RawIpv6,
    /// BSD loopback, address family in host byte order.
    Null,
    /// OpenBSD loopback, address family big-endian.
    Loop,
    Unsupported,
}

variants!(LinkKind[Ethernet, LinuxSll, LinuxSll2, RawIp, RawIpv4, RawIpv6, Null, Loop, Unsupported]);

impl LinkType {
    pub const NULL: LinkType = LinkType(0);
    pub const ETHERNET: LinkType = LinkType(1);
    pub const RAW: LinkType = LinkType(101);
    pub const LOOP: LinkType = LinkType(108);
    pub const LINUX_SLL: LinkType = LinkType(113);
    pub const IPV4: LinkType = LinkType(228);
    pub const IPV6: LinkType = LinkType(229);
    pub const LINUX_SLL2: LinkType = LinkType(276);

    pub const fn kind(self) -> LinkKind {
        match self.0 {
            0 => LinkKind::Null,
            1 => LinkKind::Ethernet,
            // LINKTYPE_RAW; DLT_RAW is 12 or 14 on some BSDs and appears in old files.
            101 | 12 | 14 => LinkKind::RawIp,
            108 => LinkKind::Loop,
            113 => LinkKind::LinuxSll,
            228 => LinkKind::RawIpv4,
            229 => LinkKind::RawIpv6,
            276 => LinkKind::LinuxSll2,
            // Ethernet with a switch chip's tag (wire/dsa.rs), as Linux DSA conduits capture it.
            281 | 282 | 284 | 285 => LinkKind::Ethernet,
            _ => LinkKind::Unsupported,
        }
    }

    /// The LINKTYPE_ name from the tcpdump.org registry, for the types people meet.
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "NULL",
            1 => "ETHERNET",
            6 => "IEEE802_5",
            8 => "SLIP",
            9 => "PPP",
            10 => "FDDI",
            50 => "PPP_HDLC",
            51 => "PPP_ETHER",
            100 => "ATM_RFC1483",
            101 => "RAW",
            104 => "C_HDLC",
            105 => "IEEE802_11",
            107 => "FRELAY",
            108 => "LOOP",
            113 => "LINUX_SLL",
            114 => "LTALK",
            117 => "PFLOG",
            119 => "IEEE802_11_PRISM",
            122 => "IP_OVER_FC",
            123 => "SUNATM",
            127 => "IEEE802_11_RADIOTAP",
            138 => "ARCNET_LINUX",
            143 => "APPLE_IP_OVER_IEEE1394",
            147..=162 => return user_name(self.0),
            163 => "IEEE802_11_AVS",
            165 => "BACNET_MS_TP",
            169 => "GPRS_LLC",
            177 => "LINUX_LAPD",
            187 => "BLUETOOTH_HCI_H4",
            189 => "USB_LINUX",
            192 => "PPI",
            195 => "IEEE802_15_4_WITHFCS",
            201 => "BLUETOOTH_HCI_H4_WITH_PHDR",
            215 => "IEEE802_15_4_NONASK_PHY",
            220 => "USB_LINUX_MMAPPED",
            227 => "CAN_SOCKETCAN",
            228 => "IPV4",
            229 => "IPV6",
            230 => "IEEE802_15_4_NOFCS",
            239 => "NFLOG",
            240 => "NETANALYZER",
            242 => "IPOIB",
            249 => "USBPCAP",
            252 => "WIRESHARK_UPPER_PDU",
            263 => "BLUETOOTH_LE_LL_WITH_PHDR",
            264 => "PROFIBUS_DL",
            276 => "LINUX_SLL2",
            281 => "DSA_TAG_BRCM",
            282 => "DSA_TAG_BRCM_PREPEND",
            283 => "IEEE802_15_4_TAP",
            284 => "DSA_TAG_DSA",
            285 => "DSA_TAG_EDSA",
            _ => return None,
        })
    }

    /// "127 (IEEE802_11_RADIOTAP)", or "127" when the type has no registered name here.
    pub fn describe(self) -> String {
        match self.name() {
            Some(n) => format!("{} ({n})", self.0),
            None => format!("{}", self.0),
        }
    }
}

fn user_name(v: u16) -> Option<&'static str> {
    const USER: [&str; 16] = [
        "USER0", "USER1", "USER2", "USER3", "USER4", "USER5", "USER6", "USER7", "USER8", "USER9", "USER10", "USER11",
        "USER12", "USER13", "USER14", "USER15",
    ];
    USER.get(usize::from(v.checked_sub(147)?)).copied()
}

impl core::fmt::Display for LinkType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_unsupported_types_for_messages() {
        assert_eq!(LinkType(127).describe(), "127 (IEEE802_11_RADIOTAP)");
        assert_eq!(LinkType(160).describe(), "160 (USER13)");
        assert_eq!(LinkType(4242).describe(), "4242");
        assert_eq!(LinkType(127).kind(), LinkKind::Unsupported);
        assert_eq!(LinkType(276).kind(), LinkKind::LinuxSll2);
    }
}
