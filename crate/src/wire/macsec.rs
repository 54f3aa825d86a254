//! MACsec (IEEE 802.1AE-2018), EtherType 0x88E5. The SecTAG (clause 9.3) is
//! the EtherType and 6 more bytes (TCI/AN, short length, packet number), 8
//! more with the SCI; then the secure data; then the integrity check value,
//! 16 bytes with the default cipher suites (GCM-AES-128/256, clause 14).
//! With E = 0 (integrity only) the secure data is the plain EtherType and
//! datagram; with E = 1 it is encrypted and only its length is known.

use super::{be32, decode, u8_at, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    /// V (0), ES, SC, SCB, E, C, then the association number (2 bits).
    pub const TCI_AN: Field = 0..1;
    /// Short length: the secure data's length when below 48 bytes, else 0 (6 bits).
    pub const SHORT_LEN: Field = 1..2;
    pub const PACKET_NUMBER: Field = 2..6;
    /// Secure channel identifier, when TCI's SC bit is set.
    pub const SCI: Field = 6..14;
}

/// The SecTAG after its EtherType, without and with the SCI.
pub const HEADER_LEN: usize = field::PACKET_NUMBER.end;
pub const HEADER_LEN_SCI: usize = field::SCI.end;
/// The SecTAG with its EtherType, as IEEE 802.1AE counts it: 8 or 16 bytes.
pub const SECTAG_LEN: usize = 2 + HEADER_LEN;
pub const SECTAG_LEN_SCI: usize = 2 + HEADER_LEN_SCI;
/// The integrity check value of the default cipher suites.
pub const ICV_LEN: usize = 16;

const TCI_SC: u8 = 0x20;
const TCI_E: u8 = 0x08;
const TCI_C: u8 = 0x04;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "TCI / AN", range: field::TCI_AN, decode: tci },
    FieldDef { name: "Short length", range: field::SHORT_LEN, decode: |b| Value::Num(short_len(b) as u64) },
    FieldDef {
        name: "Packet number",
        range: field::PACKET_NUMBER,
        decode: |b| Value::Num(be32(b, field::PACKET_NUMBER).into()),
    },
];
pub static SCI_FIELDS: &[FieldDef] =
    &[FieldDef { name: "SCI", range: field::SCI, decode: |b| decode::hex(b, field::SCI) }];

/// The SecTAG's length after the EtherType: 6, or 14 with an SCI.
pub fn header_len(b: &[u8]) -> usize {
    if has_sci(b) {
        HEADER_LEN_SCI
    } else {
        HEADER_LEN
    }
}

pub fn has_sci(b: &[u8]) -> bool {
    u8_at(b, field::TCI_AN.start) & TCI_SC != 0
}

/// E: the secure data is encrypted (confidentiality). E without C is not
/// defined; Framelens treats any E as encrypted.
pub fn encrypted(b: &[u8]) -> bool {
    u8_at(b, field::TCI_AN.start) & (TCI_E | TCI_C) != 0
}

/// The version bit must be 0.
pub fn version_ok(b: &[u8]) -> bool {
    u8_at(b, field::TCI_AN.start) & 0x80 == 0
}

/// Secure data length when below 48 bytes; 0 means "48 or more".
pub fn short_len(b: &[u8]) -> usize {
    usize::from(u8_at(b, field::SHORT_LEN.start) & 0x3f)
}

/// What MACsec adds to a frame: SecTAG (8, or 16 with the SCI) + ICV 16.
pub const fn overhead(sci: bool) -> usize {
    (if sci { SECTAG_LEN_SCI } else { SECTAG_LEN }) + ICV_LEN
}

fn tci(b: &[u8]) -> Value {
    let t = u8_at(b, field::TCI_AN.start);
    let mut flags = Vec::new();
    for (bit, name) in [(0x40, "ES"), (TCI_SC, "SC"), (0x10, "SCB"), (TCI_E, "E"), (TCI_C, "C")] {
        if t & bit != 0 {
            flags.push(name);
        }
    }
    let protection = if encrypted(b) { "encrypted" } else { "integrity only" };
    let flags = if flags.is_empty() { "none".to_string() } else { flags.join(" ") };
    Value::Text(format!("{flags} / AN {} ({protection})", t & 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrity_only_with_sci() {
        let h = [0x20, 0x00, 0, 0, 0, 7, 0x52, 0x54, 0, 1, 2, 3, 0, 1];
        assert!(has_sci(&h) && !encrypted(&h) && version_ok(&h));
        assert_eq!(header_len(&h), 14);
        assert_eq!(tci(&h).to_string(), "SC / AN 0 (integrity only)");
        assert_eq!(overhead(true), 32);
    }

    #[test]
    fn encrypted_short_frame() {
        let h = [0x0d, 30, 0, 0, 0, 1];
        assert!(encrypted(&h) && !has_sci(&h));
        assert_eq!(short_len(&h), 30);
        assert_eq!(header_len(&h), 6);
        assert_eq!(tci(&h).to_string(), "E C / AN 1 (encrypted)");
        assert_eq!(overhead(false), 24);
    }
}
