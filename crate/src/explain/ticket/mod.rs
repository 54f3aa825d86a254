//! Ticket text: one frame's diagnosis as Markdown for a bug tracker (and a
//! journey's: its sightings, changes and loss, then each frame's anatomy as
//! the frame report writes it), and the Wireshark/tshark settings and display
//! filter that show the same bytes.
//!
//! Pure functions of a
//! [`FrameAnalysis`](crate::frame::analysis::FrameAnalysis), the frame's
//! bytes (for the regions' hex) and the [`Settings`](crate::settings::Settings);
//! the web app and any other face only copy them.
//!
//! [`report`] writes the Markdown; [`wireshark`](mod@wireshark) the Wireshark
//! and tshark hand-off. Both read the same analysis and share nothing else,
//! so either can change without the other.

mod report;
mod wireshark;

pub use report::{journey_markdown, markdown};
pub use wireshark::{wireshark, Heuristic, Preference, WiresharkView};

#[cfg(test)]
mod tests {
    use super::report::cell;
    use super::*;
    use crate::capture::{read_all, OwnedFrame};
    use crate::frame::analysis::analyze;
    use crate::settings::DeviceRule;
    use crate::settings::{FcsMode, Settings};

    fn frame(path: &str, number: u64) -> OwnedFrame {
        let bytes = std::fs::read(format!("../static/examples/{path}")).unwrap();
        let mut out = None;
        read_all(&bytes, |p| {
            if p.number == number {
                out = Some(OwnedFrame::from_packet(&p));
            }
        });
        out.unwrap_or_else(|| panic!("{path} has no frame {number}"))
    }

    fn report(path: &str, number: u64, s: &Settings, note: &str) -> (String, WiresharkView) {
        let p = frame(path, number);
        let a = analyze(&p.packet(), s);
        (markdown(&a, &p.data, s, note), wireshark(&a, &p.data, s))
    }

    const STORY_MD: &str = "## Frame 15: 1,520 bytes captured, 2 unexplained

> Every frame from the USB NIC ends in 25 7f.
> Ping -s 1472 fails.

| Length | Bytes |
| --- | --- |
| Captured | 1,520 |
| On the wire | 1,520 |
| Explained by the headers | 1,518 |
| After the datagram | 2 |

**Ledger:** `1,520 captured = 14 Ethernet + 4 802.1Q + 1,500 IPv4 datagram (IPv4 total length) + 2 unexplained`

### Bytes after the datagram

| Region | Offsets | Bytes (hex) | Verdict |
| --- | --- | --- | --- |
| trailer | 1518–1519 (2 bytes) | `25 7f` | unexplained |

### Hypotheses, most likely first

1. 2 bytes after the end of the IPv4 datagram (25 7f); not an FCS (that needs 4 bytes), not padding (the frame is over the 64-byte minimum: 802.3's 64 less the FCS, + 4 for the VLAN tag a bridge may insert after padding).
2. Most likely a NIC driver appending bytes (the ax88179_178a driver of ASIX AX88179/178A USB adapters appends 2 to every frame); check the sender's driver with `ethtool -i <dev>`.
3. A 2-byte VSS-Monitoring port stamp (configured for 2; the default is 1) would also fit, but only if a VSS monitoring fabric sits between the wire and this capture; nothing in the bytes proves it (older Wireshark named any 1–2 trailing bytes so).

### MTU

**Dropped.** Open vSwitch (kernel datapath) drops it: L2 payload 1502 bytes (frame minus Ethernet header and one VLAN tag, 2 trailer bytes included) > MTU 1500; it logs \"dropped over-mtu packet: 1502 > 1500\".

The device logs:

```
<dev>: dropped over-mtu packet: 1502 > 1500
```

### Settings

MTU 1500 · device rule Open vSwitch (kernel datapath) (`ovs-kernel`) · FCS auto (the CRC decides) (`auto`)

_Diagnosis by Framelens._
";

    #[test]
    fn story_frame_report_is_the_golden_text() {
        let note = "Every frame from the USB NIC ends in 25 7f.\nPing -s 1472 fails.\n";
        let (md, _) = report("two-bytes.pcap", 15, &Settings::default(), note);
        assert_eq!(md, STORY_MD, "--- got ---\n{md}\n--- want ---\n{STORY_MD}");
    }

    #[test]
    fn story_frame_wireshark_view_turns_off_the_vss_misreading() {
        let (_, w) = report("two-bytes.pcap", 15, &Settings::default(), "");
        assert_eq!(w.display_filter, "frame.number == 15");
        assert_eq!(w.similar_filter.as_deref(), Some("vlan.trailer == 25:7f"), "the trailer follows a VLAN tag");
        let prefs: Vec<(&str, &str)> = w.preferences.iter().map(|p| (p.name, p.value)).collect();
        assert_eq!(
            prefs,
            [("vssmonitoring.dissect_portstamping_only", "FALSE"), ("vssmonitoring.two_byte_portstamps", "FALSE")]
        );
        assert!(w.preferences[0].why.contains("\"Source Port: 9599\""), "0x257f = 9599: {}", w.preferences[0].why);
        assert_eq!(w.disabled_heuristics.iter().map(|h| h.short_name).collect::<Vec<_>>(), ["vssmonitoring_eth"]);
        assert_eq!(
            w.tshark_command("two-bytes.pcap"),
            "tshark -r two-bytes.pcap -o vssmonitoring.dissect_portstamping_only:FALSE -o vssmonitoring.two_byte_portstamps:FALSE --disable-heuristic vssmonitoring_eth -Y 'frame.number == 15' -V -x"
        );
        let text = w.text("two-bytes.pcap");
        assert!(text.contains(
            "GUI: Edit › Preferences › Protocols › VSS Monitoring › Dissect trailers with only port stamping"
        ));
        assert!(!text.contains("eth.check_fcs"), "no FCS on this frame: {text}");
    }

    #[test]
    fn announced_valid_fcs_needs_only_the_check() {
        let (md, w) = report("fcs.pcapng", 1, &Settings::default(), "");
        assert!(
            md.contains("| padding | 54–59 (6 bytes) | `00 00 00 00 00 00` | zero padding up to the 60-byte minimum |"),
            "{md}"
        );
        assert!(md.contains("| fcs | 60–63 (4 bytes) | `7e b2 c3 6b` | FCS, CRC-32 valid |"), "{md}");
        assert!(md.contains("- The frame ends with a valid FCS.\n"), "{md}");
        let prefs: Vec<(&str, &str)> = w.preferences.iter().map(|p| (p.name, p.value)).collect();
        assert_eq!(prefs, [("eth.check_fcs", "TRUE")], "if_fcslen says so: no eth.fcs override");
        assert!(w.preferences[0].why.contains("[FCS Status: Good]\" for bytes 60–63"));
        assert_eq!(w.fields, ["eth.fcs", "eth.fcs.status", "eth.padding"]);
    }

    #[test]
    fn unannounced_fcs_after_a_tag_asks_wireshark_to_assume_it() {
        let (md, w) = report("vntag.pcap", 1, &Settings::default(), "");
        assert!(md.contains("although the capture's metadata did not announce one"), "{md}");
        assert_eq!(w.preferences[0].name, "eth.fcs");
        assert_eq!(w.preferences[0].value, "always", "eth.assume_fcs is obsolete: tshark 4.0 rejects it");
        assert!(w.preferences[0].why.contains("vlan.trailer"));
        assert!(w.tshark_command("vntag.pcap").contains(" -o eth.fcs:always -o eth.check_fcs:TRUE "));
    }

    #[test]
    fn invalid_fcs_with_the_crc_error_flag() {
        let (md, w) = report("fcs.pcapng", 7, &Settings::default(), "");
        assert!(md.contains("| fcs | 1514–1517 (4 bytes) | `9c 46 bf 2d` | FCS, CRC-32 invalid |"), "{md}");
        assert!(md.contains("the capturing NIC flagged a CRC error"));
        assert_eq!(w.similar_filter.as_deref(), Some("eth.fcs.status == 0"));
        assert!(w.preferences[0].why.contains("[FCS Status: Bad]"));
    }

    #[test]
    fn padded_tagged_frame_warns_that_wireshark_pads_to_sixty_only() {
        let (md, w) = report("vlan-qinq.pcap", 2, &Settings::default(), "");
        assert!(
            md.contains(
                "| padding | 56–63 (8 bytes) | `00 00 00 00 00 00 00 00` | zero padding up to the 64-byte minimum |"
            ),
            "{md}"
        );
        assert!(!md.contains("### Findings"), "zero padding is no finding: {md}");
        assert!(w.preferences.is_empty());
        assert_eq!(w.similar_filter.as_deref(), Some("eth.padding"));
        assert_eq!(
            w.notes,
            ["Wireshark pads only up to 60 bytes, so it shows padding bytes 60–63 (up to the 64-byte minimum of a frame with 1 tag) as vlan.trailer."]
        );
        assert!(w.text("x.pcap").contains("No preference needs changing for this frame."));
    }

    #[test]
    fn nonzero_padding_asks_wireshark_to_take_any_padding() {
        let (md, w) = report("etherleak.pcap", 2, &Settings::default(), "");
        assert!(md.contains("`54 54 50 2f 31 2e` | padding up to the 60-byte minimum, not all zero"), "{md}");
        assert!(md.contains("Etherleak, CERT VU#412115"));
        assert_eq!((w.preferences[0].name, w.preferences[0].value), ("eth.padding", "any"));
        assert!(w.preferences[0].why.contains("as eth.trailer"));
    }

    #[test]
    fn settings_change_the_verdict_and_the_preferences() {
        let s = Settings { mtu: 9000, rule: DeviceRule::LinuxBridge, fcs: FcsMode::Absent };
        let (md, w) = report("two-bytes.pcap", 15, &s, "");
        assert!(md.contains("Linux bridge / veth forwards it: frame 1520 bytes on the wire, 1516 without its outer VLAN tag, 2 trailer bytes included ≤ 9018"), "{md}");
        assert!(!md.contains("**Dropped.**") && !md.contains("The device logs"));
        assert!(md.contains("MTU 9000 · device rule Linux bridge / veth (`linux-bridge`) · FCS absent (`absent`)"));
        assert!(!md.starts_with("## Frame 15: 1,520 bytes captured\n\n>"), "no note, no quote");
        assert_eq!((w.preferences[0].name, w.preferences[0].value), ("eth.fcs", "never"));
    }

    #[test]
    fn cooked_frames_get_no_ethernet_preferences() {
        let (_, w) = report("cooked.pcap", 1, &Settings::default(), "");
        assert!(w.preferences.is_empty() && w.disabled_heuristics.is_empty());
        assert!(w.notes[0].contains("Linux cooked header (SLL2)"));
        assert_eq!(
            w.tshark_command("my capture's.pcap"),
            "tshark -r 'my capture'\\''s.pcap' -Y 'frame.number == 1' -V -x"
        );
    }

    #[test]
    fn user_text_cannot_break_the_tables() {
        let (md, _) = report("two-bytes.pcap", 1, &Settings::default(), "a | b\n\n  c");
        assert!(md.contains("> a | b\n>\n>   c\n"), "{md}");
        assert_eq!(cell("x | y\nz"), "x \\| y z");
    }

    #[test]
    fn every_example_frame_gets_a_report_with_each_region() {
        for entry in std::fs::read_dir("../static/examples").unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            read_all(&bytes, |p| {
                let a = analyze(&p, &Settings::default());
                let md = markdown(&a, p.data, &Settings::default(), "");
                let w = wireshark(&a, p.data, &Settings::default());
                assert!(md.contains(&a.equation), "{}: {md}", path.display());
                for r in a.ledger.regions() {
                    assert!(md.contains(&format!("| {} | {}–", r.kind.key(), r.start)), "{}: {md}", path.display());
                }
                assert_eq!(w.display_filter, format!("frame.number == {}", p.number));
            });
        }
    }

    #[test]
    fn the_lost_ping_journey_report_has_its_sightings_changes_loss_and_anatomies() {
        let (j, _) = crate::explain::share::journey::tests::lost_ping();
        let md = journey_markdown(&j);
        assert!(md.starts_with("## Packet #16: seen at 2 points, lost after `controller.pcapng · eth1`\n"), "{md}");
        // The sightings: laptop frame 16 (1,514 bytes, nothing after the
        // datagram), then eth1 frame 29 308 µs later (the estimated clock) with
        // the tag and the 2 bytes; the router port never saw it.
        assert!(md.contains(
            "| Point | Frame | Time | Frame length | Datagram | Extra bytes |\n| --- | --- | --- | --- | --- | --- |\n\
             | `laptop.pcap · 0` | 16 | +0 µs | 1,514 | 1,500 | 0 |\n\
             | `controller.pcapng · eth1` | 29 | +308 µs | 1,520 | 1,500 | 2 |\n\
             | `controller.pcapng · qr-5d0a1c2e-7f` | never seen | | | | |\n"
        ), "{md}");
        assert!(md.contains("- laptop.pcap · 0 → controller.pcapng · eth1: +4 802.1Q tag (VLAN 100)\n- laptop.pcap · 0 → controller.pcapng · eth1: +2 unexplained bytes 25 7f\n"), "{md}");
        assert!(
            md.contains(
                "**Lost after `controller.pcapng · eth1`:** never seen at `controller.pcapng · qr-5d0a1c2e-7f`"
            ),
            "{md}"
        );
        assert!(
            md.contains(
                "- 3 packets reach `controller.pcapng · eth1` and never reach `controller.pcapng · qr-5d0a1c2e-7f`, on the way from 192.168.10.23 to 192.168.10.150. "
            ),
            "{md}"
        );
        // Each sighting's anatomy, as the single-frame report writes it, one heading level down.
        let eth1 = md.split("### 2. `controller.pcapng · eth1`, frame 29\n\n").nth(1).expect("the second sighting");
        assert!(eth1.contains("**Ledger:** `1,520 captured = 14 Ethernet + 4 802.1Q + 1,500 IPv4 datagram (IPv4 total length) + 2 unexplained`"));
        assert!(eth1.contains("#### Bytes after the datagram\n\n| Region | Offsets | Bytes (hex) | Verdict |\n| --- | --- | --- | --- |\n| trailer | 1518–1519 (2 bytes) | `25 7f` | unexplained |\n"));
        assert!(
            eth1.contains("#### MTU\n\n**Dropped.** Open vSwitch (kernel datapath) drops it: L2 payload 1502 bytes")
        );
        let laptop = md.split("### 1. `laptop.pcap · 0`, frame 16\n\n").nth(1).unwrap();
        assert!(
            laptop.starts_with("| Length | Bytes |") && !laptop[..laptop.find("### 2.").unwrap()].contains("Dropped")
        );
        assert!(md.contains("Payload bytes are zeros in the shared frames (headers only)"));
        assert!(md.ends_with("MTU 1500 · device rule Open vSwitch (kernel datapath) (`ovs-kernel`) · FCS auto (the CRC decides) (`auto`)\n\n_Diagnosis by Framelens._\n"));
        // The same report from the link's frames: a reader of the link gets it too.
        let back = crate::explain::share::SharedJourney::decode(&j.encode().unwrap()).unwrap();
        assert_eq!(journey_markdown(&back), md);
    }
}
