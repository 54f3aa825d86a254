//! The annotated pcapng (`capture::write` + `explain::annotate`) read back:
//! every frame's bytes, lengths, timestamp, interface (within its section,
//! and the interface's own description) and metadata come back as the input
//! had them, and the comments are on the frames that have something to say.

mod common;

use common::{captures, read_capture};
use framelens::capture::{read_all, CaptureReader, Interface, OwnedFrame};
use framelens::explain::annotate::{worth_a_comment, AnnotateOptions, Annotator, TrimKinds};
use framelens::scan::Scanner;
use framelens::settings::Settings;
use pcap_parser::pcapng::{parse_block_le, Block};
use std::path::PathBuf;

fn example(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/examples").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A frame as read, with the interface description it was read with.
type Read = (OwnedFrame, Interface);

fn read(bytes: &[u8]) -> Vec<Read> {
    let mut out = Vec::new();
    let mut r = CaptureReader::new();
    r.push(bytes, |p| out.push((OwnedFrame::from_packet(&p), p.interface_description().cloned().unwrap()))).unwrap();
    r.finish().unwrap();
    out
}

/// What the CLI's `--annotate` and the web app's download do: the core's
/// annotator. Returns the file and the comment each frame was given, read
/// back by pcap-parser.
fn annotate(bytes: &[u8], all: bool, kinds: Option<TrimKinds>) -> (Vec<u8>, Vec<Option<String>>) {
    let s = Settings::default();
    let mut w = Annotator::new(Vec::new(), AnnotateOptions { all, trim: kinds });
    let mut scanner = Scanner::new(s);
    // Fed in small chunks, as standard input would come.
    for chunk in bytes.chunks(1000) {
        scanner.push_with_frames(chunk, |r, p| w.write(r, p, &s).unwrap()).unwrap();
    }
    assert_eq!(scanner.finish().error, None);
    let commented = w.commented();
    let out = w.finish().unwrap();
    let comments = comments_in(&out);
    assert_eq!(comments.iter().filter(|c| c.is_some()).count() as u64, commented);
    (out, comments)
}

/// Each packet block's `opt_comment`, in file order, parsed by pcap-parser
/// (an independent reader) rather than by Framelens' own.
fn comments_in(mut file: &[u8]) -> Vec<Option<String>> {
    let mut out = Vec::new();
    while !file.is_empty() {
        let (rest, block) = parse_block_le(file).unwrap();
        if let Block::EnhancedPacket(epb) = block {
            let c = epb.options.iter().find(|o| o.code.0 == 1).map(|o| o.as_str().unwrap().to_string());
            out.push(c);
        }
        file = rest;
    }
    out
}

fn assert_same_frames(input: &[Read], output: &[Read]) {
    assert_eq!(input.len(), output.len());
    for ((a, ai), (b, bi)) in input.iter().zip(output) {
        let n = a.number;
        assert_eq!(a.data, b.data, "frame {n}: bytes");
        assert_eq!(a.original_len, b.original_len, "frame {n}: original length");
        // A Simple Packet Block has no timestamp; it comes back as an EPB stamped 0 (+ if_tsoffset).
        let ts = a.timestamp_ns.unwrap_or(ai.tsoffset * 1_000_000_000);
        assert_eq!(Some(ts), b.timestamp_ns, "frame {n}: timestamp");
        assert_eq!((a.interface, a.link_type), (b.interface, b.link_type), "frame {n}: interface");
        assert_eq!((a.fcs, a.direction), (b.fcs, b.direction), "frame {n}: FCS hint and direction");
        assert_eq!(ai, bi, "frame {n}: its interface's description");
    }
}

fn round_trip(name: &str, input: &[u8]) -> Vec<Option<String>> {
    let (out, comments) = annotate(input, false, None);
    assert_same_frames(&read(input), &read(&out));
    let s = Settings::default();
    let mut worth = Vec::new();
    framelens::scan::scan_bytes(input, s, |r| worth.push(worth_a_comment(r, &s)));
    assert_eq!(comments.iter().map(Option::is_some).collect::<Vec<_>>(), worth, "{name}: the frames commented");
    comments
}

#[test]
fn a_pcap_becomes_one_section_with_its_interface_and_commented_frames() {
    let input = example("two-bytes.pcap");
    let comments = round_trip("two-bytes.pcap", &input);
    let commented: Vec<usize> = (0..comments.len()).filter(|i| comments[*i].is_some()).map(|i| i + 1).collect();
    assert_eq!(commented, [1, 3, 5, 7, 9, 11, 13, 15, 16, 17]);
    assert_eq!(
        comments[14].as_deref(),
        Some(
            "2 unexplained bytes after the IPv4 datagram at 1518–1519 (25 7f); \
             Open vSwitch (kernel datapath) drops it: <dev>: dropped over-mtu packet: 1502 > 1500"
        )
    );
    let (out, _) = annotate(&input, false, None);
    let ifaces = read(&out);
    assert_eq!(
        (ifaces[0].1.section, ifaces[0].1.tsresol, ifaces[0].1.snaplen),
        (0, 9, 262_144),
        "nanosecond pcap: if_tsresol 9"
    );
}

#[test]
fn fcs_pcapng_keeps_both_interfaces_and_if_fcslen() {
    let input = example("fcs.pcapng");
    let comments = round_trip("fcs.pcapng", &input);
    let frames = read(&input);
    assert!(frames.iter().any(|(_, i)| i.fcs_len == Some(4)), "the tap interface's if_fcslen");
    assert!(frames.iter().any(|(f, _)| f.interface == 1));
    // The one frame with a CRC error is commented; frames that end in a valid FCS are not.
    let commented: Vec<&String> = comments.iter().flatten().collect();
    assert!(commented.iter().any(|c| c.contains("invalid FCS at")), "{commented:?}");
    assert!(commented.len() < frames.len(), "{commented:?}");
}

#[test]
fn every_pcapng_of_the_corpus_with_several_interfaces_or_sections_round_trips() {
    for name in ["many_interfaces-1.pcapng", "pcapng-test101-le.pcapng", "snap-arp.pcapng", "pcapng-test010-be.pcapng"]
    {
        let input = read_capture(name);
        let frames = read(&input);
        assert!(!frames.is_empty(), "{name}");
        round_trip(name, &input);
    }
    // pcapng-test101-le defines an interface after packets of another and has a Simple Packet Block.
    let f = read(&read_capture("pcapng-test101-le.pcapng"));
    assert!(f.iter().any(|(p, _)| p.timestamp_ns.is_none()) && f.iter().any(|(p, _)| p.interface == 2));
    assert!(captures().join("many_interfaces-1.pcapng").exists());
}

#[test]
fn concatenated_sections_stay_sections_with_their_own_interface_ids() {
    // Two files one after the other make one pcapng of two sections (draft section 3.1).
    let mut input = example("fcs.pcapng");
    input.extend(read_capture("snap-arp.pcapng"));
    let frames = read(&input);
    let sections: Vec<u32> = frames.iter().map(|(_, i)| i.section).collect();
    assert!(sections.contains(&0) && sections.contains(&1));
    // Frame interface IDs restart in the second section.
    assert!(frames.iter().any(|(f, i)| i.section == 1 && f.interface == 0));
    round_trip("fcs.pcapng + snap-arp.pcapng", &input);
    let (out, _) = annotate(&input, true, None);
    let mut r = CaptureReader::new();
    r.push(&out, |_| {}).unwrap();
    assert_eq!(r.interfaces().len(), 4, "2 + 2 interfaces across the two sections");
}

#[test]
fn annotate_all_comments_every_frame() {
    let input = example("two-bytes.pcap");
    let (out, comments) = annotate(&input, true, None);
    assert!(comments.iter().all(Option::is_some));
    assert_eq!(comments_in(&out), comments);
    assert!(comments[1].as_deref().unwrap().contains("captured = 14 Ethernet + 4 802.1Q"), "{:?}", comments[1]);
}

#[test]
fn trim_cuts_the_trailer_and_fixes_both_lengths() {
    let input = example("two-bytes.pcap");
    let (out, comments) = annotate(&input, false, Some(TrimKinds::default()));
    let before = read(&input);
    let after = read(&out);
    for ((a, _), (b, _)) in before.iter().zip(&after) {
        let trailer = [1, 3, 5, 7, 9, 11, 13, 15, 16, 17].contains(&a.number);
        if trailer {
            assert!(a.data.ends_with(&[0x25, 0x7f]) && b.data[..] == a.data[..a.data.len() - 2], "frame {}", a.number);
            assert_eq!(b.original_len, a.original_len - 2);
        } else {
            assert!(b.data == a.data && b.original_len == a.original_len, "frame {}", a.number);
        }
        assert_eq!(a.timestamp_ns, b.timestamp_ns);
    }
    assert!(comments[0].as_deref().unwrap().ends_with("; trimmed 2 bytes 25 7f after the datagram (unexplained)"));
    // Read again, the trimmed frames have nothing after the datagram.
    let mut clean = true;
    framelens::scan::scan_bytes(&out, Settings::default(), |r| clean &= r.ledger.regions().count() == 0);
    assert!(clean);
    assert_eq!(read_all(&out, |_| {}), None);
}

#[test]
fn trim_fcs_and_padding_when_named() {
    let input = example("fcs.pcapng");
    let kinds = TrimKinds::from_list("fcs,padding").unwrap();
    let (out, _) = annotate(&input, false, Some(kinds));
    let mut regions = 0;
    framelens::scan::scan_bytes(&out, Settings::default(), |r| regions += r.ledger.regions().count());
    assert_eq!(regions, 0, "nothing after any datagram once FCS and padding are cut");
    let (plain, _) = annotate(&input, false, Some(TrimKinds::default()));
    assert_same_frames(&read(&input), &read(&plain));
}
