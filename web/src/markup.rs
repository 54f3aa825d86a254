//! The page's two largest pieces of markup, the frame list's rows and the hex
//! map, as HTML strings: each is set as one innerHTML, which for hundreds or
//! thousands of elements is much quicker than as many virtual nodes (see the
//! components that use them). Pure, so tested natively; whatever text goes in
//! is escaped.

use framelens::explain::view::{byte_owners, folds, group_key, Row, HEX_ROW};
use framelens::frame::analysis::FrameAnalysis;
use framelens::text::thousands;
use std::rc::Rc;

/// Bytes per row of the hex map.
pub const PER_ROW: usize = HEX_ROW;

/// The rows in view (their index in the filtered list, and the row) as one
/// HTML string, set as the innerHTML of the rows' box: a jump far down the
/// list replaces every row, which as one string is one DOM operation instead
/// of some 300 element updates: in traced selections the render of a far
/// jump went from 6.5–14.9 ms to 4.1–5.1 ms.
pub fn rows_html(rows: impl Iterator<Item = (usize, Row)>, row_height: f64, selected: Option<u64>) -> Rc<str> {
    use std::fmt::Write;
    let mut out = String::new();
    for (i, r) in rows {
        let n = r.number;
        let sel = selected == Some(n);
        let _ = write!(
            out,
            r#"<div class="row{}{}{}" role="row" aria-selected="{sel}" data-testid="frame-row" data-frame="{n}" style="top:{}px">"#,
            if sel { " selected" } else { "" },
            if r.dropped { " dropped" } else { "" },
            if r.unexplained { " unexplained" } else { "" },
            i as f64 * row_height,
        );
        let verdict = escape(&r.verdict);
        let _ = write!(
            out,
            r#"<span role="cell" class="c-num">{n}</span><span role="cell" class="c-time">{}</span><span role="cell" class="c-len">{}</span><span role="cell" class="c-exp">{}</span><span role="cell" class="c-diff">{}</span><span role="cell" class="c-verdict" title="{verdict}">{verdict}</span></div>"#,
            escape(&r.time),
            escape(&r.lengths),
            escape(&r.expected),
            escape(&r.difference),
        );
    }
    out.into()
}

/// Text for HTML content and quoted attribute values.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"']) {
        return s.into();
    }
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").into()
}

/// The hex map's rows: each byte a `span.b` with its layer group's colour,
/// the index of the span that owns it (`data-span`), and `data-highlight` if
/// one of the `marked` runs (a lesson step's bytes, a share link's span, the
/// bytes that appeared along a journey; sorted) holds it. Only hex digits,
/// numbers and fixed names go in.
///
/// Long runs of payload rows (the core's [`folds`]) stand as one
/// `div.hex-fold` row holding a `button[data-fold=START]` ("… 1,456 payload
/// bytes"), unless `open` holds their first byte or a marked byte lies inside
/// them: what a lesson or a share link points at is always on the page.
pub fn hex_html(a: &FrameAnalysis, data: &[u8], marked: &[(u32, u32)], open: &[u32]) -> Rc<str> {
    use std::fmt::Write;
    let owners = byte_owners(a, data.len());
    let shut: Vec<_> = folds(a, &owners)
        .into_iter()
        .filter(|f| !open.contains(&f.start) && !marked.iter().any(|&(s, e)| f.overlaps(s, e)))
        .collect();
    let mut shut = shut.iter().peekable();
    let mut out = String::with_capacity(data.len() * 48 + data.len() / PER_ROW * 48);
    let mut row = 0;
    while row * PER_ROW < data.len() {
        let at = row * PER_ROW;
        if let Some(f) = shut.next_if(|f| f.start as usize == at) {
            let (first, last) = (f.start, f.end - 1);
            let n = thousands(f.len().into());
            let _ = write!(
                out,
                r#"<div class="hex-row hex-fold"><span class="off">{first:04x}</span><button type="button" class="fold" data-testid="hex-fold" data-fold="{first}" data-len="{}" title="Show bytes {first}–{last}">… {n} payload bytes <span class="fold-range">{first:04x}–{last:04x}</span></button></div>"#,
                f.len(),
            );
            row = f.end as usize / PER_ROW;
            continue;
        }
        let _ = write!(out, r#"<div class="hex-row"><span class="off">{at:04x}</span>"#);
        for (j, b) in data[at..(at + PER_ROW).min(data.len())].iter().enumerate() {
            let i = at + j;
            let owner = owners[i];
            let group = owner.map_or("none", |k| group_key(a.spans[k].layer.group()));
            let mark = marked.iter().any(|&(s, e)| (s as usize..e as usize).contains(&i));
            let _ = write!(out, r#"<span class="b g-{group}{}""#, if mark { " marked" } else { "" });
            if let Some(k) = owner {
                let _ = write!(out, r#" data-span="{k}""#);
            }
            if mark {
                out.push_str(r#" data-highlight="true""#);
            }
            let _ = write!(out, ">{b:02x}</span>");
        }
        out.push_str("</div>");
        row += 1;
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: u64, verdict: &str) -> Row {
        Row {
            number,
            time: "0.000001".into(),
            lengths: "1,518".into(),
            expected: "1,516".into(),
            difference: "+2".into(),
            verdict: verdict.into(),
            dropped: true,
            unexplained: true,
        }
    }

    #[test]
    fn rows_are_placed_by_index_and_only_the_selected_one_is_marked() {
        let html = rows_html([(3, row(4, "2 unexplained")), (4, row(5, "ok"))].into_iter(), 28.0, Some(5));
        assert!(html.contains(r#"<div class="row dropped unexplained" role="row" aria-selected="false" data-testid="frame-row" data-frame="4" style="top:84px">"#), "{html}");
        assert!(html.contains(r#"<div class="row selected dropped unexplained" role="row" aria-selected="true" data-testid="frame-row" data-frame="5" style="top:112px">"#), "{html}");
        assert_eq!(html.matches(r#"role="cell""#).count(), 12);
    }

    #[test]
    fn row_text_cannot_become_markup() {
        let html = rows_html([(0, row(1, r#"<img src=x onerror="alert(1)"> & more"#))].into_iter(), 28.0, None);
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains(r#"title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; more""#), "{html}");
        assert_eq!(escape("FCS ok"), "FCS ok");
    }

    fn two_bytes_15() -> (FrameAnalysis, Vec<u8>) {
        let bytes = std::fs::read("../static/examples/two-bytes.pcap").unwrap();
        let mut packet = None;
        framelens::capture::read_all(&bytes, |p| {
            if p.number == 15 {
                packet = Some(framelens::capture::OwnedFrame::from_packet(&p));
            }
        });
        let p = packet.unwrap();
        (framelens::frame::analysis::analyze(&p.packet(), &Default::default()), p.data)
    }

    #[test]
    fn a_long_payload_is_one_row_until_opened_and_the_trailer_stays_in_view() {
        let (a, data) = two_bytes_15();
        let html = hex_html(&a, &data, &[], &[]);
        // 95 rows: 3 before the payload run (0..48), the run as one row, 1 after it (1504..1520).
        assert_eq!(html.matches(r#"<div class="hex-row">"#).count(), 4, "{html}");
        assert_eq!(html.matches(r#"<div class="hex-row hex-fold">"#).count(), 1);
        assert!(html.contains(r#"data-testid="hex-fold" data-fold="48" data-len="1456""#), "{html}");
        assert!(html.contains("… 1,456 payload bytes"), "{html}");
        assert_eq!(html.matches(r#"<span class="b "#).count(), data.len() - 1456);
        // The stray bytes 25 7f are still the last two bytes shown.
        let tail: Vec<&str> = html.rsplit(r#"<span class="b "#).take(2).collect();
        assert!(tail[0].contains(">7f<") && tail[1].contains(">25<"), "{tail:?}");
        // Opened: every byte, every row, no fold.
        let open = hex_html(&a, &data, &[], &[48]);
        assert_eq!(open.matches(r#"<span class="b "#).count(), data.len());
        assert_eq!(open.matches(r#"<div class="hex-row">"#).count(), data.len().div_ceil(PER_ROW));
        assert!(!open.contains("hex-fold"));
    }

    #[test]
    fn marked_bytes_inside_a_fold_force_it_open() {
        let (a, data) = two_bytes_15();
        // A share link's span (or a lesson's) that reaches into the payload.
        for marked in [(40, 50), (1000, 1001), (1500, 1520)] {
            let html = hex_html(&a, &data, &[marked], &[]);
            assert!(!html.contains("hex-fold"), "{marked:?}");
            assert_eq!(html.matches(r#"<span class="b "#).count(), data.len());
            assert_eq!(html.matches("data-highlight").count(), (marked.1 - marked.0) as usize);
        }
        // A mark outside the run keeps it shut.
        let html = hex_html(&a, &data, &[(1518, 1520)], &[]);
        assert_eq!(html.matches("hex-row hex-fold").count(), 1);
        assert_eq!(html.matches("data-highlight").count(), 2);
    }

    #[test]
    fn several_runs_are_each_outlined_and_the_fold_between_them_stays_shut() {
        let (a, data) = two_bytes_15();
        // A journey's two runs: the VLAN tag (14–17) and the 2 driver bytes.
        let html = hex_html(&a, &data, &[(14, 18), (1518, 1520)], &[]);
        assert_eq!(html.matches("data-highlight").count(), 6);
        assert_eq!(html.matches(" marked\"").count(), 6);
        assert_eq!(html.matches("hex-row hex-fold").count(), 1, "neither run is inside the payload");
        // A run inside the payload opens its fold; the others stay marked.
        let html = hex_html(&a, &data, &[(14, 18), (700, 702), (1518, 1520)], &[]);
        assert!(!html.contains("hex-fold"));
        assert_eq!(html.matches("data-highlight").count(), 8);
    }

    #[test]
    fn every_byte_of_the_two_bytes_frame_is_one_element_and_the_stray_bytes_are_extra() {
        let (a, data) = two_bytes_15();
        let len = data.len();
        let html = hex_html(&a, &data, &[(len as u32 - 2, len as u32)], &[48]);
        assert_eq!(html.matches(r#"<span class="b "#).count(), len);
        assert_eq!(html.matches(r#"<div class="hex-row">"#).count(), len.div_ceil(PER_ROW));
        // The last two bytes: 25 7f after the datagram, marked for the lesson.
        let tail: Vec<&str> = html.rsplit(r#"<span class="b "#).take(2).collect();
        assert!(
            tail[1].starts_with(r#"g-extra marked" data-span="#) && tail[1].contains(r#"data-highlight="true">25<"#),
            "{}",
            tail[1]
        );
        assert!(
            tail[0].starts_with(r#"g-extra marked" data-span="#) && tail[0].contains(r#"data-highlight="true">7f<"#),
            "{}",
            tail[0]
        );
        assert_eq!(html.matches("data-highlight").count(), 2);
    }
}
