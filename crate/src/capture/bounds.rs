//! How much of one record or block the reader accepts: libpcap's bounds,
//! checked as soon as a length is read and before anything is buffered, so
//! that memory never follows what a file claims.

use crate::wire::link::LinkType;

/// The most captured bytes Framelens reads of one record: libpcap's
/// `MAXIMUM_SNAPLEN` (pcap-int.h), the largest snaplen tcpdump and libpcap
/// write or accept for all but a few link types ([`max_record_bytes`]).
/// The snaplen a file's header claims does not raise it: a header may claim
/// 4 GiB, and a record claiming more than this is corruption.
pub const MAX_RECORD_BYTES: u32 = 262_144;

/// The most captured bytes Framelens reads of one record of `link`: libpcap's
/// `max_snaplen_for_dlt()` (pcap-common.c). [`MAX_RECORD_BYTES`] for every
/// link type but three whose frames are larger by definition:
///
/// | link type | bound | why (libpcap's comment) |
/// |---|---|---|
/// | 231 `DBUS` | 128 MiB | the largest D-Bus message (D-Bus specification) |
/// | 279 `EBHSCR` | 8 MiB | the largest EBHSCR frame (Elektrobit) |
/// | 249 `USBPCAP` | 1 MiB | the largest USBPcap transfer (Wireshark bug 15985) |
///
/// (These LINKTYPE_ values equal their DLT_ values, so libpcap's switch on the
/// DLT applies to the file's value as it stands.)
pub const fn max_record_bytes(link: LinkType) -> u32 {
    match link.0 {
        LINKTYPE_DBUS => 128 * 1024 * 1024,
        LINKTYPE_EBHSCR => 8 * 1024 * 1024,
        LINKTYPE_USBPCAP => 1024 * 1024,
        _ => MAX_RECORD_BYTES,
    }
}

const LINKTYPE_DBUS: u16 = 231;
const LINKTYPE_USBPCAP: u16 = 249;
const LINKTYPE_EBHSCR: u16 = 279;

/// Where a record bound comes from, for error sentences.
pub(crate) fn record_bound_source(link: LinkType) -> &'static str {
    match link.0 {
        LINKTYPE_DBUS => "libpcap's largest snaplen for D-Bus, the largest D-Bus message",
        LINKTYPE_EBHSCR => "libpcap's largest snaplen for EBHSCR",
        LINKTYPE_USBPCAP => "libpcap's largest snaplen for USBPcap",
        _ => "libpcap's largest snaplen",
    }
}

/// The most bytes Framelens reads of one pcapng block: libpcap's
/// `INITIAL_MAX_BLOCKSIZE` (sf-pcapng.c), 16 MiB. An interface whose link
/// type has a larger record bound ([`max_record_bytes`]: only D-Bus) raises it
/// to [`max_block_bytes_for`] that bound for the rest of the file, as libpcap
/// raises its `max_blocksize`; nothing else does, so a block length field
/// claiming up to 4 GiB is refused before any of the block is buffered.
pub const MAX_BLOCK_BYTES: u32 = 16 * 1024 * 1024;

/// libpcap's `MAX_BLOCKSIZE_FOR_SNAPLEN` (sf-pcapng.c): an enhanced packet
/// block of a `record_bound`-byte packet with 128 KiB of options (block
/// header 8, fixed EPB fields 20, options 131,072, trailer 4), and never
/// below [`MAX_BLOCK_BYTES`].
pub const fn max_block_bytes_for(record_bound: u32) -> u32 {
    let epb = record_bound.saturating_add(8 + 20 + 131_072 + 4);
    if epb > MAX_BLOCK_BYTES {
        epb
    } else {
        MAX_BLOCK_BYTES
    }
}

/// The whole length of a record or block of `header` bytes and a `body` the
/// file claims, if it fits in `usize` (it may not where `usize` is 32 bits).
pub(crate) fn unit_len(header: usize, body: u32) -> Option<usize> {
    usize::try_from(body).ok()?.checked_add(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claimed_lengths_that_overflow_usize_are_none() {
        assert_eq!(unit_len(24, 100), Some(124));
        assert_eq!(unit_len(usize::MAX, 1), None);
        assert_eq!(unit_len(usize::MAX - 16, 16), Some(usize::MAX));
        // 24 + u32::MAX overflows a 32-bit usize (wasm32).
        if usize::BITS == 32 {
            assert_eq!(unit_len(24, u32::MAX), None);
        }
        assert_eq!(max_block_bytes_for(MAX_RECORD_BYTES), MAX_BLOCK_BYTES);
        assert_eq!(max_block_bytes_for(128 * 1024 * 1024), 128 * 1024 * 1024 + 131_104);
        assert_eq!(max_block_bytes_for(u32::MAX), u32::MAX);
    }
}
