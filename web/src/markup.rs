//! The page's two largest pieces of markup, the frame list's rows and the hex
//! map, as HTML strings: each is set as one innerHTML, which for hundreds or
//! thousands of elements is much quicker than as many virtual nodes (see the
//! components that use them). Pure, so tested natively; whatever text goes in
//! is escaped.

use framelens::explain::view::{byte_owners, group_key, Row};
use framelens::frame::analysis::FrameAnalysis;
use std::rc::Rc;

/// Bytes per row of the hex map.
pub const PER_ROW: usize = 16;

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
/// a lesson step marks it. Only hex digits, numbers and fixed names go in.
pub fn hex_html(a: &FrameAnalysis, data: &[u8], marked: Option<(u32, u32)>) -> Rc<str> {
    use std::fmt::Write;
    let owners = byte_owners(a, data.len());
    let mut out = String::with_capacity(data.len() * 48 + data.len() / PER_ROW * 48);
    for (row, bytes) in data.chunks(PER_ROW).enumerate() {
        let _ = write!(out, r#"<div class="hex-row"><span class="off">{:04x}</span>"#, row * PER_ROW);
        for (j, b) in bytes.iter().enumerate() {
            let i = row * PER_ROW + j;
            let owner = owners[i];
            let group = owner.map_or("none", |k| group_key(a.spans[k].layer.group()));
            let mark = marked.is_some_and(|(s, e)| (s as usize..e as usize).contains(&i));
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

    #[test]
    fn every_byte_of_the_two_bytes_frame_is_one_element_and_the_stray_bytes_are_extra() {
        let bytes = std::fs::read("../static/examples/two-bytes.pcap").unwrap();
        let mut packet = None;
        framelens::capture::read_all(&bytes, |p| {
            if p.number == 15 {
                packet = Some(framelens::capture::OwnedFrame::from_packet(&p));
            }
        });
        let p = packet.unwrap();
        let a = framelens::frame::analysis::analyze(&p.packet(), &Default::default());
        let len = p.data.len();
        let html = hex_html(&a, &p.data, Some((len as u32 - 2, len as u32)));
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
