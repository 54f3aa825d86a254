//! MPLS label stack entry (RFC 3032 section 2.1).

use super::{be32, Field, FieldDef, Value};

pub mod field {
    use super::Field;
    /// Label (20 bits), traffic class (3), bottom of stack (1), TTL (8).
    pub const ENTRY: Field = 0..4;
}

pub const ENTRY_LEN: usize = field::ENTRY.end;
/// The pseudowire control word (RFC 4385) that may follow the stack.
pub const CONTROL_WORD_LEN: usize = 4;

pub static FIELDS: &[FieldDef] = &[FieldDef { name: "Label / TC / S / TTL", range: field::ENTRY, decode: entry }];

pub fn bottom_of_stack(b: &[u8]) -> bool {
    be32(b, field::ENTRY) & 0x100 != 0
}

pub fn label(b: &[u8]) -> u32 {
    be32(b, field::ENTRY) >> 12
}

fn entry(b: &[u8]) -> Value {
    let e = be32(b, field::ENTRY);
    Value::Text(format!("label {} / TC {} / S {} / TTL {}", e >> 12, (e >> 9) & 7, (e >> 8) & 1, e & 0xff))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_and_bottom_of_stack() {
        let e = [0x00, 0x01, 0x21, 0x40]; // label 18, TC 0, S 1, TTL 64
        assert_eq!(label(&e), 18);
        assert!(bottom_of_stack(&e));
        assert!(!bottom_of_stack(&[0x00, 0x01, 0x20, 0x40]));
    }
}
