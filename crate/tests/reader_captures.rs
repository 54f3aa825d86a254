//! The capture reader over every public capture in `tests/captures`:
//! frame counts agree with tshark's, corrupt files keep what came before the
//! fault, and chunked reading gives the same packets as whole reading.

mod common;

use common::{capture_files, read_capture, summary_rows};
use framelens::capture::{read_all, CaptureReader};

#[derive(Debug, PartialEq)]
struct Seen {
    number: u64,
    offset: u64,
    len: u32,
    caplen: usize,
    link: u16,
    ts: Option<i64>,
    fcs: Option<u8>,
}

fn read_whole(bytes: &[u8]) -> (Vec<Seen>, Option<String>) {
    let mut seen = Vec::new();
    let r = read_all(bytes, |p| {
        seen.push(Seen {
            number: p.number,
            offset: p.offset,
            len: p.original_len,
            caplen: p.data.len(),
            link: p.link_type.0,
            ts: p.timestamp_ns,
            fcs: p.fcs.len,
        })
    });
    (seen, r.map(|e| e.to_string()))
}

fn read_chunked(bytes: &[u8], chunk: usize) -> (Vec<Seen>, Option<String>) {
    let mut seen = Vec::new();
    let mut r = CaptureReader::new();
    let mut err = None;
    for c in bytes.chunks(chunk.max(1)) {
        if let Err(e) = r.push(c, |p| {
            seen.push(Seen {
                number: p.number,
                offset: p.offset,
                len: p.original_len,
                caplen: p.data.len(),
                link: p.link_type.0,
                ts: p.timestamp_ns,
                fcs: p.fcs.len,
            })
        }) {
            err = Some(e.to_string());
            break;
        }
    }
    if err.is_none() {
        err = r.finish().err().map(|e| e.to_string());
    }
    (seen, err)
}

#[test]
fn frame_counts_match_tshark_on_every_readable_capture() {
    let mut checked = 0;
    for row in summary_rows() {
        let bytes = read_capture(&row.file);
        let (seen, err) = read_whole(&bytes);
        if row.tshark_rc == 0 {
            assert_eq!(seen.len() as u64, row.frames, "{}: frame count (error: {err:?})", row.file);
            if row.frames > 0 {
                assert!(err.is_none(), "{}: unexpected error {err:?}", row.file);
            }
            checked += 1;
        }
    }
    assert!(checked >= 90, "only {checked} captures checked");
}

#[test]
fn corrupt_captures_keep_frames_before_the_fault_and_say_where() {
    let expect: &[(&str, usize, &str)] = &[
        ("bug-6875-fuzz.pcap", 1, "Record 2 at byte"),
        ("pcap-invalid-version-1.pcap", 0, "version 1."),
        ("pcapng-invalid-vers-1.pcapng", 0, "version 0.1"),
        ("shb-option-too-long.pcapng", 0, "section header block at byte 0"),
        ("bad_rsn_parsing_overrides_ssid.pcap", 1, "The file ends inside a record"),
        ("pcapng-test901-le.pcapng", 1, "version 2.0"),
    ];
    for (file, frames, needle) in expect {
        let bytes = read_capture(file);
        let (seen, err) = read_whole(&bytes);
        let err = err.unwrap_or_else(|| panic!("{file}: expected an error"));
        assert!(err.contains(needle), "{file}: {err}");
        assert_eq!(seen.len(), *frames, "{file}: frames kept before the fault ({err})");
    }
}

#[test]
fn chunked_reading_matches_whole_reading() {
    for (path, bytes) in capture_files() {
        let whole = read_whole(&bytes);
        let sizes: &[usize] = if bytes.len() < 20_000 { &[1, 7, 4096] } else { &[4093, 65536] };
        for &size in sizes {
            assert_eq!(read_chunked(&bytes, size), whole, "{} in chunks of {size}", path.display());
        }
    }
}

/// The web app re-reads the selected frame alone: the context blocks the
/// reader listed (file header, section header, interface descriptions) and
/// the record at the frame's offset must give back the very same packet, on
/// every frame of every capture, pcap and pcapng alike.
#[test]
fn every_packet_rereads_alone_from_its_offset_and_context() {
    use framelens::capture::{OwnedFrame, RecordAt};
    let mut checked = 0u64;
    for (path, bytes) in capture_files() {
        let mut packets = Vec::new();
        let mut reader = CaptureReader::new();
        let _ = reader.push(&bytes, |p| packets.push(OwnedFrame::from_packet(&p)));
        let (blocks, complete) = (reader.context().to_vec(), reader.context_complete());
        for (i, p) in packets.iter().enumerate() {
            let at = RecordAt { number: p.number, offset: p.offset, caplen: p.data.len() as u32 };
            let plan = at.plan(&blocks, complete, bytes.len() as u64).unwrap_or_else(|| panic!("{path:?}: no context"));
            let context: Vec<u8> =
                plan.context.iter().flat_map(|r| &bytes[r.start as usize..r.end as usize]).copied().collect();
            let again = at.frame(&context, &bytes[plan.record.start as usize..plan.record.end as usize]);
            assert_eq!(again.as_ref(), Some(p), "{path:?} frame {}", p.number);
            // Read from the start (the faces' fallback), for the first and last frames.
            if i == 0 || i + 1 == packets.len() {
                let mut search = at.search();
                for chunk in bytes.chunks(4096) {
                    if search.push(chunk) {
                        break;
                    }
                }
                assert_eq!(search.finish().as_ref(), Some(p), "{path:?} frame {} from the start", p.number);
            }
            checked += 1;
        }
    }
    assert!(checked > 28_000, "{checked} frames re-read");
}
