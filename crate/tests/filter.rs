//! Display filters end to end: compiled once, run over the frames of a
//! crafted capture with their bytes (as the CLI does) and over records alone
//! (as the web app's record store does); error sentences word for word;
//! no panic on any input.

use framelens::craft;
use framelens::filter::{Criterion, ErrorKind, Filter, Subject};
use framelens::scan::record::FrameRecord;
use framelens::scan::store::{RecordBatch, RecordStore};
use framelens::scan::Scanner;
use framelens::settings::Settings;
use proptest::prelude::*;

/// Frame numbers the filter keeps, evaluated with each frame's bytes.
fn select(capture: &[u8], expr: &str) -> Vec<u64> {
    let f = Filter::compile(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
    let settings = Settings::default();
    let mut s = Scanner::new(settings);
    let mut out = Vec::new();
    s.push_selected(
        capture,
        |r, p, d| f.matches(&Subject::with_packet(r, &settings, d, p.data)),
        |r, _, _| out.push(r.number),
    )
    .unwrap();
    out
}

fn records(capture: &[u8]) -> Vec<FrameRecord> {
    let mut out = Vec::new();
    framelens::scan::scan_bytes(capture, Settings::default(), |r| out.push(*r));
    out
}

fn error(expr: &str) -> String {
    match Filter::compile(expr) {
        Ok(_) => panic!("`{expr}` compiled"),
        Err(e) => e.to_string(),
    }
}

/// Frames 1..=17 of the two-bytes story: odd ones are requests with the two
/// stray bytes (VLAN 100, 192.168.10.23 → .150) until 14, then three
/// unanswered 1472-byte requests (15-17) that Open vSwitch drops.
#[test]
fn two_bytes_story_by_record_fields() {
    let cap = craft::two_bytes_story();
    let odd: Vec<u64> = (1..=13).step_by(2).chain([15, 16, 17]).collect();
    assert_eq!(select(&cap, r#"region == "trailer""#), odd);
    assert_eq!(select(&cap, "finding == trailer"), odd);
    assert_eq!(select(&cap, "extra == 2"), odd);
    assert_eq!(select(&cap, "over_mtu"), [15, 16, 17]);
    assert_eq!(select(&cap, "over_mtu == false and frame.len > 1500"), [11, 12, 13, 14]);
    assert_eq!(select(&cap, "frame.cap_len >= 1518 && !over_mtu"), [13]);
    assert_eq!(select(&cap, "frame.number in {1..3 17}"), [1, 2, 3, 17]);
    assert_eq!(select(&cap, r#"fcs == "absent" and not extra"#), Vec::<u64>::new());
}

#[test]
fn two_bytes_story_by_header_fields() {
    let cap = craft::two_bytes_story();
    let requests: Vec<u64> = (1..=13).step_by(2).chain([15, 16, 17]).collect();
    assert_eq!(select(&cap, "ip.src == 192.168.10.23"), requests);
    assert_eq!(select(&cap, "icmp.type == 8"), requests);
    assert_eq!(select(&cap, "eth.src == 3c:22:fb:10:20:30"), requests);
    assert_eq!(select(&cap, "eth.dst == 3c-22-fb-10-20-30"), [2, 4, 6, 8, 10, 12, 14]);
    assert_eq!(select(&cap, "ip.dst == 192.168.10.0/24").len(), 17);
    assert_eq!(select(&cap, "ip.addr == 10.0.0.0/8").len(), 0);
    assert_eq!(select(&cap, "vlan.id == 100 and ip.proto == 1").len(), 17);
    assert_eq!(select(&cap, "ip.len == 1500"), [15, 16, 17]);
    assert_eq!(select(&cap, "tcp.port").len(), 0);
}

/// Wireshark's rule for a field with several values in one frame: `==`
/// holds when any value does, and `!=` is `not ==`. The VXLAN frames of the
/// benchmark mix carry an outer (172.16.0.1 → .2, UDP 4789) and an inner
/// (10.0.0.1 → .2, TCP 443) datagram.
#[test]
fn multi_valued_fields_match_when_any_value_does() {
    let cap = craft::benchmark_mix(200_000);
    let vxlan = select(&cap, "udp.port == 4789");
    assert!(!vxlan.is_empty());
    assert_eq!(select(&cap, "udp.port == 4789 and ip.src == 10.0.0.1 and ip.src == 172.16.0.1"), vxlan);
    assert_eq!(select(&cap, "udp.port == 4789 and tcp.port == 443 and tcp.port == 40000"), vxlan);
    assert_eq!(select(&cap, "udp.port == 4789 and ip.src != 10.0.0.1"), Vec::<u64>::new());
    assert_eq!(select(&cap, "udp.dstport == 4789 and udp.srcport == 49152"), vxlan);
    let tagged = select(&cap, "vlan.id in {7, 42}");
    assert_eq!(tagged, select(&cap, "vlan.id == 7 or vlan.id == 42"));
    assert!(!tagged.is_empty());
    let v6 = select(&cap, "ip.src == 2020:2020:2020:2020:2020:2020:2020:2020");
    assert_eq!(v6, select(&cap, "ip.dst == 2121::/16"));
    assert!(!v6.is_empty());
    // Every frame either has a trailer region or has not, whatever else it has.
    let all = select(&cap, "frame.number");
    let with = select(&cap, "region == trailer");
    let without = select(&cap, "region != trailer");
    assert_eq!(with.len() + without.len(), all.len());
}

/// The chips and `--fail-on` ask a [`Criterion`]: the frames it picks are
/// the frames its display filter picks, at two MTUs (super-frames and
/// over-MTU drops depend on it).
#[test]
fn a_criterion_picks_what_its_expression_picks() {
    use framelens::frame::finding::Finding;
    use framelens::frame::ledger::RegionKind;
    let mut criteria = vec![Criterion::Fcs, Criterion::Truncated, Criterion::OverMtu];
    criteria.extend(RegionKind::ALL.map(Criterion::Region));
    criteria.extend(Finding::ALL.map(Criterion::Finding));
    let mut picked = 0;
    for cap in [craft::two_bytes_story(), craft::benchmark_mix(200_000)] {
        let records = records(&cap);
        for mtu in [1500, 9000] {
            let settings = Settings { mtu, ..Settings::default() };
            for c in &criteria {
                let f = Filter::compile(&c.expression()).unwrap_or_else(|e| panic!("{c:?}: {e}"));
                for r in &records {
                    let m = c.matches(r, &settings);
                    assert_eq!(m, f.matches(&Subject::record(r, &settings)), "{c:?} frame {} mtu {mtu}", r.number);
                    picked += usize::from(m);
                }
            }
        }
    }
    assert!(picked > 0);
}

/// A face holding only records (the web app) evaluates record fields as
/// with bytes, and finds byte fields absent: `needs_bytes` says so first.
#[test]
fn records_alone_answer_record_fields_and_name_the_byte_fields() {
    let cap = craft::two_bytes_story();
    let settings = Settings::default();
    let f = Filter::compile("region == trailer and frame.len > 1000").unwrap();
    assert!(!f.needs_bytes());
    let kept: Vec<u64> =
        records(&cap).iter().filter(|r| f.matches(&Subject::record(r, &settings))).map(|r| r.number).collect();
    assert_eq!(kept, select(&cap, f.text()));
    let g = Filter::compile("ip.src == 192.168.10.23 or (tcp.port == 80 and frame.len > 9)").unwrap();
    assert!(g.needs_bytes());
    assert_eq!(g.byte_fields(), ["ip.src", "tcp.port"]);
    assert!(records(&cap).iter().all(|r| !g.matches(&Subject::record(r, &settings))));
}

/// The web target's shape: records decoded one by one from a RecordStore,
/// the filter compiled once; the same frames as the scan kept.
#[test]
fn a_filter_over_the_record_store_keeps_the_scans_frames() {
    let cap = craft::benchmark_mix(500_000);
    let mut batch = RecordBatch::new();
    for r in records(&cap) {
        batch.push(&r);
    }
    let mut store = RecordStore::new();
    store.append(batch.into_bytes()).unwrap();
    let settings = Settings::default();
    let f = Filter::compile("region == fcs or extra > 0 or over_mtu").unwrap();
    let kept: Vec<u64> = store.iter().filter(|r| f.matches(&Subject::record(r, &settings))).map(|r| r.number).collect();
    assert!(!kept.is_empty());
    assert_eq!(kept, select(&cap, f.text()));
}

#[test]
fn errors_name_the_column_and_the_nearest_field() {
    assert_eq!(error("ip.sorce == 10.0.0.1"), "unknown field `ip.sorce` at column 1; did you mean `ip.src`?");
    assert_eq!(
        error("frame.len > 60 and vlan.idd == 4"),
        "unknown field `vlan.idd` at column 20; did you mean `vlan.id`?"
    );
    assert_eq!(error("nothing"), "unknown field `nothing` at column 1");
    assert_eq!(
        error(r#"region == "trailr""#),
        "`trailr` at column 11 is not a value of `region`, which takes one of padding, fcs, vendor, trailer, icv; did you mean `trailer`?"
    );
    assert_eq!(
        error("finding == nonzero-padding"),
        "`nonzero-padding` at column 12 is not a value of `finding`, which takes one of padding, nonzero_padding, trailer, vendor, fcs_valid, fcs_invalid, fcs_unknown, fcs_unannounced, fcs_metadata_contradicted, crc_error_flag, truncated, length_claim_overrun, inner_length_mismatch, contradictory_length, tso_zero_length, runt, end_unknown, unsupported_link, ipv6_zero_length, superframe; did you mean `nonzero_padding`?"
    );
    assert_eq!(error("frame.len == big"), "`big` at column 14 is not a value of `frame.len`, which takes a number");
    assert_eq!(error("ip.src == 10.0.0.0/33"), "`10.0.0.0/33` at column 11 is not a value of `ip.src`, which takes an address with a prefix length of at most 32");
    assert_eq!(error("frame.len >"), "expected a value at column 12, found the end of the filter");
    assert_eq!(
        error("frame.len > 60 adn extra"),
        "expected `and`, `or` or the end of the filter at column 16, found `adn`; did you mean `and`?"
    );
    assert_eq!(error("(extra > 0"), "expected `)`, `and` or `or` at column 11, found the end of the filter");
    assert_eq!(
        error("region < trailer"),
        "`<` at column 8 cannot compare `region`, whose values have no order; use ==, != or in"
    );
    assert_eq!(error("  "), "the filter is empty");
    assert_eq!(error("extra and or"), "expected a field name, `not` or `(` at column 11, found `or`");
    assert_eq!(
        error(r#"region == "trailer"#),
        "expected a closing `\"` for the string at column 11, found the end of the filter"
    );
    assert_eq!(error("vlan.id in 100"), "expected `{` after `in` at column 12, found `100`");
    // Columns count characters, not bytes.
    assert_eq!(error("frame.len == 1 and é"), "unknown field `é` at column 20");
}

#[test]
fn errors_are_typed_with_what_was_found() {
    let e = Filter::compile("ip.sorce == 1.2.3.4").unwrap_err();
    assert_eq!(e.column, 1);
    assert_eq!(e.kind, ErrorKind::UnknownField { name: "ip.sorce".into(), suggestion: Some("ip.src") });
}

/// Deep nesting is refused before it could exhaust the stack; a long flat
/// chain is fine, since `and`/`or` are n-ary.
#[test]
fn nesting_is_bounded_and_long_chains_are_flat() {
    let deep = format!("{}extra{}", "(".repeat(65), ")".repeat(65));
    assert!(error(&deep).starts_with("parentheses and `not` nest more than 64 deep at column 65"));
    let nots = format!("{}extra", "not ".repeat(100));
    assert!(error(&nots).contains("nest more than 64 deep"));
    assert!(Filter::compile(&format!("{}extra{}", "(".repeat(64), ")".repeat(64))).is_ok());
    let chain = vec!["extra > 2"; 300].join(" or ");
    let f = Filter::compile(&chain).unwrap();
    assert_eq!(select(&craft::two_bytes_story(), f.text()), Vec::<u64>::new());
    assert!(error(&"x".repeat(5000)).contains("at most 4096"));
}

#[test]
fn wireshark_spellings_are_accepted() {
    for expr in [
        "frame.len eq 104",
        "frame.len==104",
        "!(frame.len ne 104)",
        "frame.len in {104}",
        "frame.len in {103..110,}",
        "frame.len == 0x68",
        "ip.src==192.168.10.23&&frame.len<105",
        "(ip.src == 192.168.10.23/32 || frame.len < 0) and frame.len lt 105",
    ] {
        assert_eq!(select(&craft::two_bytes_story(), expr), [1], "{expr}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Parsing returns Ok or Err on any input, never panics.
    #[test]
    fn compile_never_panics_on_any_string(s in "\\PC{0,80}") {
        let _ = Filter::compile(&s);
    }

    /// Strings built from the language's own pieces reach deeper into the parser.
    #[test]
    fn compile_never_panics_on_filter_like_strings(
        parts in proptest::collection::vec(prop_oneof![
            Just("ip.src"), Just("frame.len"), Just("region"), Just("over_mtu"), Just("=="), Just("!="),
            Just("<"), Just(">="), Just("in"), Just("{"), Just("}"), Just("("), Just(")"), Just("and"),
            Just("||"), Just("!"), Just("not"), Just("\""), Just("10.0.0.0/8"), Just("::1/200"), Just("1..2"),
            Just("trailer"), Just("0x"), Just("ff:ff:ff:ff:ff:ff"), Just(","), Just("é"), Just(" "),
        ], 0..24)
    ) {
        let s = parts.join(" ");
        let _ = Filter::compile(&s);
        let _ = Filter::compile(&parts.concat());
    }
}

/// The field table in docs/cli.md is the core's table, word for word.
#[test]
fn readme_lists_the_filter_fields_of_the_table() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/cli.md")).unwrap();
    let table = framelens::filter::markdown_table();
    if std::env::var_os("FRAMELENS_PRINT_TABLE").is_some() {
        print!("{table}");
    }
    assert!(readme.contains(&table), "docs/cli.md lacks the field table:\n{table}");
}
