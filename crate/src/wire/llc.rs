//! IEEE 802.2 LLC header, and the SNAP extension (RFC 1042) that carries an
//! EtherType inside an 802.3 frame.

use super::{decode, u8_at, Field, FieldDef};

pub mod field {
    use super::Field;
    pub const DSAP: Field = 0..1;
    pub const SSAP: Field = 1..2;
    /// One byte for U-format PDUs; I- and S-format PDUs have two.
    pub const CONTROL: Field = 2..3;
    pub const CONTROL_16: Field = 2..4;
}

pub mod snap_field {
    use super::Field;
    pub const OUI: Field = 0..3;
    pub const PROTOCOL: Field = 3..5;
}

pub const SNAP_SAP: u8 = 0xaa;
pub const SNAP_LEN: usize = snap_field::PROTOCOL.end;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { name: "DSAP", range: field::DSAP, decode: |b| decode::hex(b, field::DSAP) },
    FieldDef { name: "SSAP", range: field::SSAP, decode: |b| decode::hex(b, field::SSAP) },
];

pub static SNAP_FIELDS: &[FieldDef] = &[
    FieldDef { name: "OUI", range: snap_field::OUI, decode: |b| decode::hex(b, snap_field::OUI) },
    FieldDef {
        name: "Protocol ID",
        range: snap_field::PROTOCOL,
        decode: |b| decode::ethertype(b, snap_field::PROTOCOL),
    },
];

/// The control field: the two low bits `11` mark a one-byte U-format PDU
/// (IEEE 802.2 clause 5.2).
/// DSAP, SSAP and a 1-byte control field: the shortest LLC header (IEEE 802.2).
pub const MIN_HEADER_LEN: usize = field::CONTROL.end;

pub fn control_field(b: &[u8]) -> Field {
    if u8_at(b, field::CONTROL.start) & 0b11 == 0b11 {
        field::CONTROL
    } else {
        field::CONTROL_16
    }
}

pub fn header_len(b: &[u8]) -> usize {
    control_field(b).end
}

pub fn is_snap(b: &[u8]) -> bool {
    u8_at(b, field::DSAP.start) == SNAP_SAP && u8_at(b, field::SSAP.start) == SNAP_SAP
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stp_llc_is_three_bytes_and_snap_is_recognised() {
        let stp = [0x42, 0x42, 0x03];
        assert_eq!(header_len(&stp), 3);
        assert!(!is_snap(&stp));
        let snap = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00];
        assert!(is_snap(&snap));
        let i_format = [0x06, 0x06, 0x00, 0x01];
        assert_eq!(header_len(&i_format), 4);
    }
}
