//! What IPv4 and IPv6 share: the version nibble that tells them apart
//! (RFC 791 §3.1, RFC 8200 §3) and the IANA "Assigned Internet Protocol
//! Numbers" that IPv4's Protocol and IPv6's Next Header fields carry. The
//! dissector dispatches on these constants only; names for the anatomy come
//! from etherparse's copy of the IANA table.

use super::Value;

/// The first nibble of an IP header.
pub mod version {
    pub const V4: u8 = 4;
    pub const V6: u8 = 6;
}

/// IANA protocol numbers Framelens dissects into.
pub mod protocol {
    pub const ICMP: u8 = 1;
    /// IPv4 in IP (RFC 2003).
    pub const IPV4: u8 = 4;
    pub const TCP: u8 = 6;
    pub const UDP: u8 = 17;
    /// IPv6 in IP (RFC 2473, 6in4).
    pub const IPV6: u8 = 41;
    pub const GRE: u8 = 47;
    pub const ICMPV6: u8 = 58;
}

/// The version nibble of the header starting at `b[0]`, if there is a byte.
pub fn version_of(b: &[u8]) -> Option<u8> {
    b.first().map(|v| v >> 4)
}

/// An IP protocol number with its IANA keyword: `6 (TCP)`.
pub fn protocol_value(v: u8) -> Value {
    match etherparse::IpNumber(v).keyword_str() {
        Some(name) => Value::Text(format!("{v} ({name})")),
        None => Value::Num(v.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_match_ianas_table() {
        for (n, name) in [
            (protocol::ICMP, "ICMP"),
            (protocol::TCP, "TCP"),
            (protocol::UDP, "UDP"),
            (protocol::GRE, "GRE"),
            (protocol::ICMPV6, "IPv6-ICMP"),
            (protocol::IPV6, "IPv6"),
        ] {
            assert_eq!(protocol_value(n).to_string(), format!("{n} ({name})"));
        }
        assert_eq!(version_of(&[0x45, 0]), Some(version::V4));
        assert_eq!(version_of(&[0x60]), Some(version::V6));
        assert_eq!(version_of(&[]), None);
    }
}
