//! The frame list as CSV, as shown (the chips and the expression applied):
//! `framelens::explain::view`'s columns and cells, in pieces, so that the
//! page makes a Blob of parts and never one string of the whole.

use crate::state::Visible;
use framelens::explain::view::{csv_header, csv_line, row};
use framelens::scan::record::FrameRecord;
use framelens::scan::store::RecordStore;
use framelens::settings::Settings;

/// The list as shown as CSV (`framelens::explain::view`'s columns and
/// cells), in pieces of at most `rows` rows each, the header first: the page
/// turns each piece into a part of a Blob, never one string of the whole.
pub fn csv_pieces<'a>(
    frames: &'a RecordStore,
    visible: &'a Visible,
    settings: &'a Settings,
    rows: usize,
) -> impl Iterator<Item = String> + 'a {
    let first_ts = frames.get(0).and_then(|r| r.timestamp_ns);
    let total = visible.len();
    std::iter::once(csv_header()).chain((0..total).step_by(rows.max(1)).map(move |start| {
        let end = (start + rows.max(1)).min(total);
        let mut out = String::new();
        let all = matches!(visible, Visible::All(_));
        let run: Vec<FrameRecord> = if all { frames.iter_from(start).take(end - start).collect() } else { Vec::new() };
        for i in start..end {
            let rec = match run.get(i - start) {
                Some(r) => Some(*r),
                None => visible.get(i).and_then(|n| frames.by_number(n)),
            };
            if let Some(r) = rec {
                out.push_str(&csv_line(&row(&r, first_ts, settings)));
            }
        }
        out
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    #[test]
    fn the_csv_has_the_rows_shown_in_pieces() {
        let bytes = std::fs::read("../static/examples/two-bytes.pcap").unwrap();
        let mut b = framelens::scan::store::RecordBatch::new();
        let mut recs = Vec::new();
        framelens::scan::scan_bytes(&bytes, Settings::default(), |r| {
            b.push(r);
            recs.push(*r);
        });
        let mut store = RecordStore::default();
        store.append(b.into_bytes()).unwrap();
        let s = Settings::default();
        let all: String = csv_pieces(&store, &Visible::All(store.len()), &s, 5).collect();
        assert_eq!(all.lines().count(), 1 + recs.len());
        assert!(all.starts_with("#,Time (s),Captured,Expected,Diff,Verdict\n"), "{all}");
        let some = Visible::Some(Rc::new(vec![2, 15]));
        let pieces: Vec<String> = csv_pieces(&store, &some, &s, 1).collect();
        assert_eq!(pieces.len(), 3);
        assert!(pieces[1].starts_with("2,") && pieces[2].starts_with("15,"), "{pieces:?}");
        let first_ts = recs[0].timestamp_ns;
        assert_eq!(pieces[2], csv_line(&row(&recs[14], first_ts, &s)));
    }
}
