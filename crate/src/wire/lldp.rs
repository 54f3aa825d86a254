//! LLDP (IEEE 802.1AB-2016 clause 8): a sequence of TLVs ending with the
//! End Of LLDPDU TLV (type 0, length 0). The TLV walk tells where the LLDPDU
//! ends, so the bytes after it can be accounted for like any datagram's.

use super::{be16, Field};

pub mod field {
    use super::Field;
    /// TLV type (7 bits) and length (9 bits).
    pub const TLV_HEADER: Field = 0..2;
}

pub const TLV_HEADER_LEN: usize = field::TLV_HEADER.end;

/// The length of the LLDPDU up to and including its End TLV, or `None` when
/// the bytes end before an End TLV.
pub fn pdu_len(b: &[u8]) -> Option<usize> {
    let mut at = 0usize;
    while let Some(tlv) = b.get(at..) {
        if tlv.len() < TLV_HEADER_LEN {
            return None;
        }
        let h = be16(tlv, field::TLV_HEADER);
        let (kind, len) = (h >> 9, usize::from(h & 0x01ff));
        at += TLV_HEADER_LEN + len;
        // A TLV whose length runs past the bytes has no end here (found by
        // the fuzzer: an End TLV of length 11 with one byte left).
        if at > b.len() {
            return None;
        }
        if kind == 0 {
            return Some(at);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_to_end_tlv() {
        // Chassis ID TLV (type 1, length 2), then End.
        let pdu = [0x02, 0x02, 0x04, 0x01, 0x00, 0x00, 0xee, 0xee];
        assert_eq!(pdu_len(&pdu), Some(6));
        assert_eq!(pdu_len(&pdu[..3]), None);
    }
}
