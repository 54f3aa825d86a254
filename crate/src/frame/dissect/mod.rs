//! The dissector: walks a frame's headers from the link layer inwards and
//! records, for the ledger, every header's byte range, every length field's
//! claim, where the outermost datagram starts and ends, and the few facts the
//! capture-wide findings need (echo identifiers, MTU signals, MSS).
//!
//! It is lax in the manner of etherparse: it goes as far as the bytes allow
//! and says where and why it stopped, never failing the frame. Field names and
//! offsets come only from the tables in [`crate::wire`]. With a [`NoSpans`](crate::wire::NoSpans)
//! sink (the capture scan) it allocates nothing.
//!
//! [`walk`] moves the cursor and keeps the books; [`link`], [`encapsulation`],
//! [`ip`] and [`transport`] are its steps, one family of protocols each; what
//! they find is a [`Dissection`] (types in [`dissection`], re-exported here).

mod dissection;
mod encapsulation;
mod ip;
mod link;
mod transport;
mod walk;

pub use dissection::{
    Claim, ClaimField, Datagram, Dissection, Echo, Header, IcvAt, Macsec, MtuSignal, Stop, StopReason, MAX_CLAIMS,
    MAX_HEADERS,
};
pub use walk::{dissect, dissect_with_spans, Dissector};

#[cfg(test)]
pub(crate) mod tests_support {
    /// The story's frame: Ethernet + 802.1Q + IPv4 + ICMP echo request of
    /// `ping -s 1472`, and the 2 bytes (25 7f) the USB NIC driver appended.
    pub fn story_frame(payload: usize) -> Vec<u8> {
        let mut f = vec![
            0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef, 0x81, 0x00, 0x00, 0x64, 0x08, 0x00,
        ];
        let total = (20 + 8 + payload) as u16;
        f.extend_from_slice(&[0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        f[18 + 2..18 + 4].copy_from_slice(&total.to_be_bytes());
        f.extend_from_slice(&[8, 0, 0, 0, 0x12, 0x34, 0, 1]);
        f.extend(std::iter::repeat_n(0xab, payload));
        f.extend_from_slice(&[0x25, 0x7f]);
        f
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::story_frame;
    use super::*;
    use crate::wire::link::LinkType;
    use crate::wire::Layer;

    #[test]
    fn story_frame_datagram_ends_two_bytes_early() {
        let f = story_frame(1472);
        let d = dissect(&f, LinkType::ETHERNET, f.len() as u32);
        assert_eq!(f.len(), 1520);
        assert_eq!(d.tags, 1);
        let dg = d.datagram.unwrap();
        assert_eq!((dg.layer, dg.start, dg.end), (Layer::Ipv4, 18, 1518));
        assert!(dg.dont_fragment);
        assert_eq!(d.echo.unwrap().payload_len, 1472);
        let layers: Vec<Layer> = d.headers.iter().map(|h| h.layer).collect();
        assert_eq!(layers, [Layer::Ethernet, Layer::Vlan, Layer::Ipv4, Layer::Icmp]);
    }

    #[test]
    fn spans_lie_in_order_inside_the_frame() {
        let f = story_frame(100);
        let (_, spans) = dissect_with_spans(&f, LinkType::ETHERNET, f.len() as u32);
        assert!(spans.windows(2).all(|w| w[0].end <= w[1].start), "{spans:#?}");
        assert!(spans.iter().all(|s| s.end as usize <= f.len()));
        let total = spans.iter().find(|s| s.name == "Total length").unwrap();
        assert_eq!((total.start, total.end, total.value.to_string().as_str()), (20, 22, "128 bytes"));
        // The payload stops where the datagram ends, before the 2 stray bytes.
        assert_eq!(spans.last().unwrap().end as usize, f.len() - 2);
    }

    #[test]
    fn cut_headers_stop_with_reason() {
        let f = story_frame(10);
        let d = dissect(&f[..30], LinkType::ETHERNET, f.len() as u32);
        assert_eq!(
            d.stop.unwrap().reason,
            StopReason::TruncatedHeader { layer: Layer::Ipv4, needed: 20, available: 12 }
        );
    }

    #[test]
    fn unsupported_link_is_not_dissected_as_ethernet() {
        let f = story_frame(10);
        let d = dissect(&f, LinkType(127), f.len() as u32);
        assert_eq!(d.stop.unwrap().reason, StopReason::UnsupportedLink);
        assert!(d.headers.is_empty());
    }

    #[test]
    fn ieee_802_3_length_bounds_the_llc_payload() {
        // STP BPDU: 802.3 length 38, LLC 42 42 03, padded to 60 bytes.
        let mut f = vec![0x01, 0x80, 0xc2, 0, 0, 0, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x26, 0x42, 0x42, 0x03];
        f.resize(60, 0);
        let d = dissect(&f, LinkType::ETHERNET, 60);
        let dg = d.datagram.unwrap();
        assert_eq!((dg.layer, dg.start, dg.end), (Layer::Llc, 14, 52));
        assert_eq!(d.claims[0].field, ClaimField::Ieee8023Length);
    }
}
