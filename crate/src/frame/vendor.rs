//! Vendor trailers, named only on strict evidence.
//!
//! Monitoring fabrics append trailers after the frame. Wireshark's heuristics
//! accept any 1–2 bytes as a VSS-Monitoring port stamp (older defaults) and any
//! 4 bytes as an Arista timestamp; Framelens names a vendor only when the bytes
//! carry the vendor's own structure: magic numbers, lengths that tile the
//! trailer exactly, and checksums.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Vendor {
    /// F5 BIG-IP "tcpdump -i internal:nnn" trailer: TLVs of types 1–3.
    F5,
    /// Ixia/Keysight network visibility trailer: TLVs, a length byte, magic
    /// 0xAF12 and a 16-bit checksum at the very end.
    Ixia,
}

variants!(Vendor[F5, Ixia]);

impl Vendor {
    pub const fn name(self) -> &'static str {
        match self {
            Vendor::F5 => "F5 BIG-IP trailer",
            Vendor::Ixia => "Ixia/Keysight trailer",
        }
    }
}

/// Finds a vendor trailer at the end of `bytes` (the bytes after the datagram
/// and any padding). Returns the vendor and the trailer's length.
pub fn detect(bytes: &[u8]) -> Option<(Vendor, usize)> {
    if let Some(n) = ixia(bytes) {
        return Some((Vendor::Ixia, n));
    }
    f5(bytes).map(|n| (Vendor::F5, n))
}

/// F5 trailer: a sequence of TLVs (type 1 low, 2 medium, 3 high noise; then
/// length and version) that exactly fills `bytes`, each type at most once,
/// lengths within what BIG-IP writes, version 0–3.
fn f5(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    let mut seen = [false; 4];
    while at < bytes.len() {
        let t = *bytes.get(at)?;
        let len = usize::from(*bytes.get(at + 1)?);
        let version = *bytes.get(at + 2)?;
        if !(1..=3).contains(&t) || seen[usize::from(t)] || !(8..=80).contains(&len) || version > 3 {
            return None;
        }
        seen[usize::from(t)] = true;
        at += 2 + len;
    }
    (at == bytes.len() && !bytes.is_empty()).then_some(at)
}

/// Ixia trailer: `... TLVs | length (1) | 0xAF 0x12 | checksum (2)`; the
/// length counts the TLVs, and the checksum is the one's complement sum of
/// the trailer before it (RFC 1071 arithmetic).
fn ixia(bytes: &[u8]) -> Option<usize> {
    let n = bytes.len();
    if n < 5 || bytes[n - 4..n - 2] != [0xaf, 0x12] {
        return None;
    }
    let tlv_len = usize::from(bytes[n - 5]);
    let total = tlv_len + 5;
    let start = n.checked_sub(total)?;
    let trailer = &bytes[start..];
    let stored = u16::from_be_bytes([trailer[total - 2], trailer[total - 1]]);
    (internet_checksum(&trailer[..total - 2]) == stored).then_some(total)
}

/// The Internet checksum (RFC 1071) of `b`.
pub fn internet_checksum_of(b: &[u8]) -> u16 {
    internet_checksum(b)
}

fn internet_checksum(b: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for pair in b.chunks(2) {
        let word = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
        sum += u32::from(word);
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f5_low_noise_trailer_from_mixed_vlan_mpls() {
        // Frame 34 of mixed-vlan-mpls.pcap: type 1, length 20, version 0.
        let mut t = vec![0x01, 0x14, 0x00, 0x00, 0x00, 0x01];
        t.resize(22, 0);
        assert_eq!(detect(&t), Some((Vendor::F5, 22)));
        // The same bytes one short no longer tile: not an F5 trailer.
        assert_eq!(detect(&t[..21]), None);
    }

    #[test]
    fn two_bytes_are_never_a_vendor_trailer() {
        assert_eq!(detect(&[0x25, 0x7f]), None);
        assert_eq!(detect(&[0x00, 0x00, 0x00, 0x00]), None);
    }

    #[test]
    fn ixia_needs_magic_length_and_checksum() {
        // One TLV (type 1, length 4, value) + length 6 + magic + checksum.
        let mut t = vec![0x01, 0x04, 0xde, 0xad, 0xbe, 0xef, 0x06, 0xaf, 0x12];
        let c = internet_checksum(&t);
        t.extend_from_slice(&c.to_be_bytes());
        assert_eq!(detect(&t), Some((Vendor::Ixia, 11)));
        let mut bad = t.clone();
        bad[3] ^= 1;
        assert_eq!(detect(&bad), None);
    }
}
