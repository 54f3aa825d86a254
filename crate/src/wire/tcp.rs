//! TCP header (RFC 9293 section 3.1) and its options.

use super::{be16, be32, decode, u8_at, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    pub const SRC_PORT: Field = 0..2;
    pub const DST_PORT: Field = 2..4;
    pub const SEQ: Field = 4..8;
    pub const ACK: Field = 8..12;
    /// Data offset in 32-bit words (4 bits), reserved, and the flags.
    pub const OFFSET_FLAGS: Field = 12..14;
    pub const WINDOW: Field = 14..16;
    pub const CHECKSUM: Field = 16..18;
    pub const URGENT: Field = 18..20;
}

pub const MIN_HEADER_LEN: usize = field::URGENT.end;
pub const OPTION_MSS: u8 = 2;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "Source port", range: field::SRC_PORT, decode: |b| decode::num(b, field::SRC_PORT) },
    FieldDef { name: "Destination port", range: field::DST_PORT, decode: |b| decode::num(b, field::DST_PORT) },
    FieldDef { name: "Sequence number", range: field::SEQ, decode: |b| decode::num(b, field::SEQ) },
    FieldDef { name: "Acknowledgment number", range: field::ACK, decode: |b| decode::num(b, field::ACK) },
    FieldDef { name: "Header length / flags", range: field::OFFSET_FLAGS, decode: offset_flags },
    FieldDef { name: "Window", range: field::WINDOW, decode: |b| decode::num(b, field::WINDOW) },
    FieldDef { name: "Checksum", range: field::CHECKSUM, decode: |b| decode::hex(b, field::CHECKSUM) },
    FieldDef { name: "Urgent pointer", range: field::URGENT, decode: |b| decode::num(b, field::URGENT) },
];

pub fn header_len(b: &[u8]) -> usize {
    usize::from(u8_at(b, field::OFFSET_FLAGS.start) >> 4) * 4
}
pub fn flags(b: &[u8]) -> u16 {
    be16(b, field::OFFSET_FLAGS) & 0x01ff
}
pub fn syn(b: &[u8]) -> bool {
    flags(b) & 0x002 != 0
}
pub fn seq(b: &[u8]) -> u32 {
    be32(b, field::SEQ)
}

fn offset_flags(b: &[u8]) -> Value {
    const NAMES: [(u16, &str); 9] = [
        (0x100, "AE"),
        (0x080, "CWR"),
        (0x040, "ECE"),
        (0x020, "URG"),
        (0x010, "ACK"),
        (0x008, "PSH"),
        (0x004, "RST"),
        (0x002, "SYN"),
        (0x001, "FIN"),
    ];
    let f = flags(b);
    let names: Vec<&str> = NAMES.iter().filter(|(bit, _)| f & bit != 0).map(|(_, n)| *n).collect();
    Value::Text(format!("{} bytes / {}", header_len(b), names.join(" ")))
}

/// One TCP option: kind, offset inside the header, and length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpOption {
    pub kind: u8,
    pub start: usize,
    pub len: usize,
}

impl TcpOption {
    pub fn name(&self) -> &'static str {
        match self.kind {
            0 => "Option: end of list",
            1 => "Option: no-op",
            2 => "Option: MSS",
            3 => "Option: window scale",
            4 => "Option: SACK permitted",
            5 => "Option: SACK",
            8 => "Option: timestamps",
            30 => "Option: MPTCP",
            34 => "Option: TFO cookie",
            _ => "Option",
        }
    }
}

/// Walks the options between byte 20 and the data offset (RFC 9293 section 3.2).
/// Stops at a malformed length rather than guessing.
pub fn options(header: &[u8]) -> impl Iterator<Item = TcpOption> + '_ {
    let end = header_len(header).min(header.len());
    let mut at = MIN_HEADER_LEN;
    core::iter::from_fn(move || {
        if at >= end {
            return None;
        }
        let kind = u8_at(header, at);
        let len = match kind {
            0 | 1 => 1,
            _ => usize::from(u8_at(header, at + 1)),
        };
        if len == 0 || at + len > end {
            let rest = TcpOption { kind, start: at, len: end - at };
            at = end;
            return Some(rest);
        }
        let opt = TcpOption { kind, start: at, len };
        at += len;
        Some(opt)
    })
}

/// The MSS option's value, if the header carries one.
pub fn mss(header: &[u8]) -> Option<u16> {
    options(header).find(|o| o.kind == OPTION_MSS && o.len == 4).map(|o| be16(header, o.start + 2..o.start + 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SYN: [u8; 28] = [
        0x9c, 0x40, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x70, 0x02, 0xff, 0xff, 0, 0, 0, 0, // 28-byte header, SYN
        0x02, 0x04, 0x05, 0xb4, // MSS 1460
        0x01, 0x01, 0x04, 0x02, // NOP NOP SACK-permitted
    ];

    #[test]
    fn syn_with_mss() {
        assert_eq!(header_len(&SYN), 28);
        assert!(syn(&SYN));
        assert_eq!(mss(&SYN), Some(1460));
        let kinds: Vec<u8> = options(&SYN).map(|o| o.kind).collect();
        assert_eq!(kinds, [2, 1, 1, 4]);
        assert_eq!(offset_flags(&SYN).to_string(), "28 bytes / SYN");
    }

    #[test]
    fn malformed_option_length_ends_the_walk() {
        let mut h = SYN;
        h[21] = 0; // MSS with length 0
        let opts: Vec<TcpOption> = options(&h).collect();
        assert_eq!(opts.len(), 1);
        assert_eq!(opts[0].start + opts[0].len, 28);
    }
}
