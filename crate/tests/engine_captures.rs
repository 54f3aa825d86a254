//! Every capture of `tests/captures` through the whole engine, the way the CLI and the web
//! app use it: the scan, and the full analysis (spans, ledger, hypotheses,
//! MTU verdict) of every frame. Nothing may panic, and the anatomy must be
//! consistent with the scan's ledger.

mod common;

use common::capture_files;
use framelens::capture::CaptureReader;
use framelens::frame::analysis::analyze;
use framelens::scan::summary::Counts;
use framelens::scan::Scanner;
use framelens::settings::{DeviceRule, FcsMode, Settings};

#[test]
fn every_capture_every_frame_analyses_consistently() {
    let mut frames = 0u64;
    for (path, bytes) in capture_files() {
        for settings in [
            Settings::default(),
            Settings { mtu: 1450, rule: DeviceRule::IpRouter, fcs: FcsMode::Present },
            Settings { mtu: 9000, rule: DeviceRule::LinuxBridge, fcs: FcsMode::Absent },
        ] {
            let mut records = Vec::new();
            let mut scanner = Scanner::new(settings);
            let _ = scanner.push(&bytes, |r| records.push(*r));
            let summary = scanner.finish();
            assert_eq!(summary.counts.frames, records.len() as u64, "{}", path.display());
            // Counting records afterwards, whole or batch by batch as the web app
            // does, gives the scan's own counts.
            assert_eq!(Counts::of(&records, &settings), summary.counts, "{}", path.display());
            let (head, tail) = records.split_at(records.len() / 2);
            let mut batched = Counts::of(head, &settings);
            batched.merge(&Counts::of(tail, &settings));
            assert_eq!(batched, summary.counts, "{}", path.display());

            let mut reader = CaptureReader::new();
            let mut i = 0;
            let _ = reader.push(&bytes, |p| {
                let a = analyze(&p, &settings);
                let r = &records[i];
                assert_eq!(a.ledger, r.ledger, "{} frame {}", path.display(), p.number);
                for s in &a.spans {
                    assert!(
                        s.start < s.end && s.end as usize <= p.data.len(),
                        "{} frame {}: {s:?}",
                        path.display(),
                        p.number
                    );
                }
                assert!(!a.equation.is_empty() && !a.mtu.sentence.is_empty());
                if a.ledger.region(framelens::frame::ledger::RegionKind::Trailer).is_some() {
                    assert!(a.hypotheses.len() >= 2, "{} frame {}", path.display(), p.number);
                }
                i += 1;
                frames += 1;
            });
        }
    }
    assert!(frames > 80_000, "{frames}");
}

/// The web app keeps records in a `RecordStore`: every record of every capture
/// must read back exactly, and stay well under 100 bytes a frame.
#[test]
fn every_record_reads_back_from_the_compact_store() {
    use framelens::scan::store::{RecordBatch, RecordStore};
    let mut store_bytes = 0usize;
    let mut frames = 0usize;
    for (path, bytes) in capture_files() {
        let mut records = Vec::new();
        let mut store = RecordStore::new();
        let mut scanner = Scanner::new(Settings::default());
        for chunk in bytes.chunks(65_536) {
            let mut batch = RecordBatch::new();
            let _ = scanner.push(chunk, |r| {
                records.push(*r);
                batch.push(r);
            });
            store.append(batch.into_bytes()).unwrap();
        }
        assert_eq!(store.len(), records.len(), "{path:?}");
        assert!(store.iter().eq(records.iter().copied()), "{path:?}: sequential read differs");
        for (i, r) in records.iter().enumerate() {
            assert_eq!(store.get(i).as_ref(), Some(r), "{path:?} record {i}");
        }
        store_bytes += store.heap_bytes();
        frames += records.len();
    }
    let per_frame = store_bytes as f64 / frames as f64;
    eprintln!("{frames} frames at {per_frame:.1} bytes each");
    assert!(frames > 28_000 && per_frame < 60.0, "{frames} frames at {per_frame:.1} bytes each");
}
