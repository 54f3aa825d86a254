//! GRE (RFC 2784, with the key and sequence fields of RFC 2890).

use super::{be16, decode, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    /// C (checksum present), K (key present), S (sequence present), version.
    pub const FLAGS_VERSION: Field = 0..2;
    pub const PROTOCOL: Field = 2..4;
}

pub const FIXED_LEN: usize = field::PROTOCOL.end;
const FLAG_CHECKSUM: u16 = 0x8000;
const FLAG_KEY: u16 = 0x2000;
const FLAG_SEQ: u16 = 0x1000;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "Flags / version", range: field::FLAGS_VERSION, decode: flags },
    FieldDef { name: "Protocol", range: field::PROTOCOL, decode: |b| decode::ethertype(b, field::PROTOCOL) },
];

pub fn protocol(b: &[u8]) -> u16 {
    be16(b, field::PROTOCOL)
}
pub fn version(b: &[u8]) -> u16 {
    be16(b, field::FLAGS_VERSION) & 0x7
}
pub fn has_seq(b: &[u8]) -> bool {
    be16(b, field::FLAGS_VERSION) & FLAG_SEQ != 0
}

/// The optional 4-byte fields present, in order, with their offsets.
pub fn optional_fields(b: &[u8]) -> impl Iterator<Item = (&'static str, Field)> {
    let f = be16(b, field::FLAGS_VERSION);
    let mut at = FIXED_LEN;
    [(FLAG_CHECKSUM, "Checksum / reserved"), (FLAG_KEY, "Key"), (FLAG_SEQ, "Sequence number")]
        .into_iter()
        .filter(move |(bit, _)| f & bit != 0)
        .map(move |(_, name)| {
            let r = at..at + 4;
            at += 4;
            (name, r)
        })
}

pub fn header_len(b: &[u8]) -> usize {
    FIXED_LEN + 4 * optional_fields(b).count()
}

fn flags(b: &[u8]) -> Value {
    let f = be16(b, field::FLAGS_VERSION);
    let mut s: Vec<&str> = Vec::new();
    if f & FLAG_CHECKSUM != 0 {
        s.push("C");
    }
    if f & FLAG_KEY != 0 {
        s.push("K");
    }
    if f & FLAG_SEQ != 0 {
        s.push("S");
    }
    Value::Text(format!("[{}] version {}", s.join(" "), f & 7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_and_sequence_add_eight_bytes() {
        let h = [0x30, 0x00, 0x88, 0xbe, 0, 0, 0, 1, 0, 0, 0, 2];
        assert_eq!(header_len(&h), 12);
        let names: Vec<&str> = optional_fields(&h).map(|(n, _)| n).collect();
        assert_eq!(names, ["Key", "Sequence number"]);
        assert_eq!(flags(&h).to_string(), "[K S] version 0");
        assert_eq!(header_len(&[0, 0, 8, 0]), 4);
    }
}
