//! Per-frame findings: the one list of what a frame's ledger can say about
//! it. The ledger's bits, the JSON names, the capture-wide counts, the CLI's
//! table and the glossary links are all derived from [`Finding`], so a new
//! finding is named, counted and explained by adding it here (the
//! exhaustive matches below do not compile until it has a key and a label).

use serde::Serialize;

/// One thing the ledger found about a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// Bytes after the datagram up to the link's minimum frame size.
    Padding,
    /// Padding with at least one byte that is not zero (Etherleak).
    NonzeroPadding,
    /// Bytes after the datagram that nothing explains.
    Trailer,
    /// A vendor trailer proved by its own structure.
    Vendor,
    FcsValid,
    FcsInvalid,
    /// The capture announced an FCS that snaplen cut off.
    FcsUnknown,
    /// A valid FCS on a frame whose capture metadata did not announce one.
    FcsUnannounced,
    /// Capture metadata announced an FCS that the CRC does not confirm.
    FcsMetadataContradicted,
    /// pcapng `epb_flags` bit 24: CRC error seen on the wire.
    CrcErrorFlag,
    /// Captured length shorter than the original length.
    Truncated,
    /// The outermost length field claims more bytes than the frame had on the wire.
    LengthClaimOverrun,
    /// An inner length field disagrees with the room its outer layer gives it.
    InnerLengthMismatch,
    /// A length field contradicts its own header (IPv4 total length below
    /// IHL × 4, UDP length below 8, ...): the end it would give is unknown.
    ContradictoryLength,
    /// IPv4 total length 0: TSO on the sending host.
    TsoZeroLength,
    /// An Ethernet frame shorter than 60 bytes: captured before the NIC padded it.
    Runt,
    /// The dissector stopped before it found where the datagram ends.
    EndUnknown,
    UnsupportedLink,
    /// IPv6 payload length 0 without a Jumbo Payload option.
    Ipv6ZeroLength,
    /// Far above the MTU with consistent headers: a GSO/GRO super-frame. It
    /// depends on the MTU setting, so the ledger never sets it; the scan's
    /// record decides it at the settings of the moment.
    Superframe,
}

/// How many findings there are (the length of [`Finding::ALL`]).
pub const FINDINGS: usize = 20;

/// The longest [`Finding::label`], in characters.
pub const LABEL_WIDTH: usize = 42;

impl Finding {
    /// Every finding in the order the JSON lists a frame's findings and the
    /// counts: what sits after the datagram, then the FCS, then what makes
    /// lengths lie, then what stops the account.
    pub const ALL: [Finding; FINDINGS] = [
        Finding::Padding,
        Finding::NonzeroPadding,
        Finding::Trailer,
        Finding::Vendor,
        Finding::FcsValid,
        Finding::FcsInvalid,
        Finding::FcsUnknown,
        Finding::FcsUnannounced,
        Finding::FcsMetadataContradicted,
        Finding::CrcErrorFlag,
        Finding::Truncated,
        Finding::LengthClaimOverrun,
        Finding::InnerLengthMismatch,
        Finding::ContradictoryLength,
        Finding::TsoZeroLength,
        Finding::Runt,
        Finding::EndUnknown,
        Finding::UnsupportedLink,
        Finding::Ipv6ZeroLength,
        Finding::Superframe,
    ];

    /// The bit position in a [`FindingSet`]. Stable: the web app's record
    /// store keeps the set as these bits.
    const fn position(self) -> u32 {
        match self {
            Finding::NonzeroPadding => 0,
            Finding::Trailer => 1,
            Finding::Vendor => 2,
            Finding::FcsValid => 3,
            Finding::FcsInvalid => 4,
            Finding::FcsUnknown => 5,
            Finding::FcsUnannounced => 6,
            Finding::FcsMetadataContradicted => 7,
            Finding::CrcErrorFlag => 8,
            Finding::Truncated => 9,
            Finding::LengthClaimOverrun => 10,
            Finding::InnerLengthMismatch => 11,
            Finding::TsoZeroLength => 12,
            Finding::Superframe => 13,
            Finding::Runt => 14,
            Finding::EndUnknown => 15,
            Finding::UnsupportedLink => 16,
            Finding::Padding => 17,
            Finding::Ipv6ZeroLength => 18,
            Finding::ContradictoryLength => 19,
        }
    }

    pub const fn bit(self) -> u32 {
        1 << self.position()
    }

    /// Where this finding sits in [`Finding::ALL`] (and in per-finding arrays).
    /// `ALL` lists the variants in declaration order (asserted below at
    /// compile time), so this is the discriminant: it runs per finding per
    /// frame in the counts.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The name in JSON and in `--fail-on`-style options: the public contract.
    pub const fn key(self) -> &'static str {
        match self {
            Finding::Padding => "padding",
            Finding::NonzeroPadding => "nonzero_padding",
            Finding::Trailer => "trailer",
            Finding::Vendor => "vendor",
            Finding::FcsValid => "fcs_valid",
            Finding::FcsInvalid => "fcs_invalid",
            Finding::FcsUnknown => "fcs_unknown",
            Finding::FcsUnannounced => "fcs_unannounced",
            Finding::FcsMetadataContradicted => "fcs_metadata_contradicted",
            Finding::CrcErrorFlag => "crc_error_flag",
            Finding::Truncated => "truncated",
            Finding::LengthClaimOverrun => "length_claim_overrun",
            Finding::InnerLengthMismatch => "inner_length_mismatch",
            Finding::ContradictoryLength => "contradictory_length",
            Finding::TsoZeroLength => "tso_zero_length",
            Finding::Runt => "runt",
            Finding::EndUnknown => "end_unknown",
            Finding::UnsupportedLink => "unsupported_link",
            Finding::Ipv6ZeroLength => "ipv6_zero_length",
            Finding::Superframe => "superframe",
        }
    }

    /// Whether the finding makes a frame worth a comment (`--annotate`):
    /// zero padding, a valid FCS, a runt on the sender's side and a
    /// super-frame (offload, and MTU-dependent) are how frames normally end
    /// or are captured; the others are not.
    pub const fn is_notable(self) -> bool {
        match self {
            Finding::Padding | Finding::FcsValid | Finding::FcsUnannounced | Finding::Runt | Finding::Superframe => {
                false
            }
            Finding::NonzeroPadding
            | Finding::Trailer
            | Finding::Vendor
            | Finding::FcsInvalid
            | Finding::FcsUnknown
            | Finding::FcsMetadataContradicted
            | Finding::CrcErrorFlag
            | Finding::Truncated
            | Finding::LengthClaimOverrun
            | Finding::InnerLengthMismatch
            | Finding::ContradictoryLength
            | Finding::TsoZeroLength
            | Finding::EndUnknown
            | Finding::UnsupportedLink
            | Finding::Ipv6ZeroLength => true,
        }
    }

    /// A few words for people: the CLI's table rows and example headings (at
    /// most [`LABEL_WIDTH`] characters, so the table aligns).
    pub const fn label(self) -> &'static str {
        match self {
            Finding::Padding => "padding",
            Finding::NonzeroPadding => "non-zero padding (Etherleak)",
            Finding::Trailer => "unexplained bytes after the datagram",
            Finding::Vendor => "vendor trailer",
            Finding::FcsValid => "valid FCS",
            Finding::FcsInvalid => "invalid FCS",
            Finding::FcsUnknown => "FCS not captured",
            Finding::FcsUnannounced => "valid FCS the capture did not announce",
            Finding::FcsMetadataContradicted => "announced FCS the CRC contradicts",
            Finding::CrcErrorFlag => "CRC error flagged by the capture",
            Finding::Truncated => "snaplen truncation",
            Finding::LengthClaimOverrun => "length field claims more than the frame",
            Finding::InnerLengthMismatch => "inner length mismatch",
            Finding::ContradictoryLength => "length field contradicts its own header",
            Finding::TsoZeroLength => "IPv4 total length 0 (TSO)",
            Finding::Runt => "shorter than 60 bytes (sent, veth or tap)",
            Finding::EndUnknown => "datagram end unknown",
            Finding::UnsupportedLink => "unsupported link type",
            Finding::Ipv6ZeroLength => "IPv6 payload length 0 without Jumbo",
            Finding::Superframe => "super-frame over the MTU (GSO/GRO)",
        }
    }

    /// The finding with this JSON key.
    pub fn from_key(key: &str) -> Option<Finding> {
        Finding::ALL.into_iter().find(|f| f.key() == key)
    }
}

const _: () = {
    let mut i = 0;
    while i < FINDINGS {
        assert!(Finding::ALL[i] as usize == i, "Finding::ALL is in declaration order");
        i += 1;
    }
};

/// A frame's findings as bits: small enough for the compact scan record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct FindingSet(pub u32);

impl FindingSet {
    pub fn has(self, f: Finding) -> bool {
        self.0 & f.bit() != 0
    }

    pub fn set(&mut self, f: Finding) {
        self.0 |= f.bit();
    }

    /// The findings in the set, in [`Finding::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Finding> {
        Finding::ALL.into_iter().filter(move |f| self.has(*f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn all_lists_every_finding_once_with_its_own_bit_and_key() {
        let mut bits = 0u32;
        let mut keys = HashSet::new();
        for (i, f) in Finding::ALL.into_iter().enumerate() {
            assert_eq!(bits & f.bit(), 0, "{f:?} shares a bit");
            bits |= f.bit();
            assert!(keys.insert(f.key()), "{f:?} shares its key");
            assert_eq!(f.index(), i, "{f:?}");
            assert_eq!(Finding::from_key(f.key()), Some(f));
            assert!((1..=LABEL_WIDTH).contains(&f.label().chars().count()), "{f:?}: {}", f.label());
        }
        assert_eq!(bits.count_ones() as usize, FINDINGS);
    }

    /// The bits are stored by the web app's record store and the JSON names
    /// are a public contract: neither may move.
    #[test]
    fn bits_and_keys_are_stable() {
        assert_eq!(Finding::NonzeroPadding.bit(), 1);
        assert_eq!(Finding::Padding.bit(), 1 << 17);
        assert_eq!(Finding::Ipv6ZeroLength.bit(), 1 << 18);
        assert_eq!(Finding::LengthClaimOverrun.key(), "length_claim_overrun");
        assert_eq!(Finding::InnerLengthMismatch.key(), "inner_length_mismatch");
        assert_eq!(Finding::FcsMetadataContradicted.key(), "fcs_metadata_contradicted");
    }

    #[test]
    fn a_set_lists_its_findings_in_all_order() {
        let mut s = FindingSet::default();
        s.set(Finding::Trailer);
        s.set(Finding::Padding);
        s.set(Finding::Runt);
        assert!(s.has(Finding::Trailer) && !s.has(Finding::Vendor));
        assert_eq!(s.iter().collect::<Vec<_>>(), [Finding::Padding, Finding::Trailer, Finding::Runt]);
    }
}
