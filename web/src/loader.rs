//! Reading a capture in the browser: `Blob.slice` chunks through the core's
//! streaming scanner, on the main thread, yielding to the event loop between
//! chunks so the page stays responsive and frames appear while reading.

use crate::state::{Action, Progress};
use framelens::capture::CaptureReader;
use framelens::capture::OwnedPacket;
use framelens::scan::Scanner;
use framelens::settings::Settings;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;
use yew::Callback;

/// Bytes read per step; the page repaints between steps.
const CHUNK: u64 = 4 << 20;

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

fn js_message(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map_or_else(|| format!("{e:?}"), |e| String::from(e.message()))
}

async fn read_slice(blob: &Blob, start: u64, end: u64) -> Result<Vec<u8>, String> {
    let part = blob.slice_with_f64_and_f64(start as f64, end as f64).map_err(|e| js_message(&e))?;
    let buf = JsFuture::from(part.array_buffer()).await.map_err(|e| js_message(&e))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// Scans `blob`, dispatching batches of records and finally the summary.
/// Stops quietly once `live` no longer holds `load_id` (cancel or a newer load).
pub async fn scan(blob: Blob, settings: Settings, load_id: u32, live: Rc<Cell<u32>>, dispatch: Callback<Action>) {
    let total = blob.size() as u64;
    let t0 = now_ms();
    let progress = |done: u64| Progress { bytes_done: done, bytes_total: total, elapsed_ms: now_ms() - t0 };
    let mut scanner = Scanner::new(settings);
    let mut at = 0u64;
    while at < total {
        let end = (at + CHUNK).min(total);
        let bytes = match read_slice(&blob, at, end).await {
            Ok(b) => b,
            Err(m) => {
                dispatch.emit(Action::Failed { load_id, message: format!("The file could not be read: {m}") });
                return;
            }
        };
        if live.get() != load_id {
            return;
        }
        let mut batch = Vec::new();
        let stopped = scanner.push(&bytes, |r| batch.push(*r)).is_err();
        at = end;
        dispatch.emit(Action::Frames { load_id, batch, progress: progress(at) });
        if stopped {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(0).await;
        if live.get() != load_id {
            return;
        }
    }
    let summary = scanner.finish();
    dispatch.emit(Action::Finished { load_id, summary: Rc::new(summary), progress: progress(at) });
}

/// Where a frame's record lies, from the scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordAt {
    pub number: u64,
    pub offset: u64,
    pub caplen: u32,
}

/// Re-reads one frame's bytes and metadata. A pcap record stands alone after
/// the 24-byte file header, so the reader gets that header and then the record
/// read at its offset; pcapng needs its interface blocks, so it is re-read from
/// the start up to the frame.
pub async fn read_packet(blob: Blob, at: RecordAt) -> Result<Option<OwnedPacket>, String> {
    const PCAP_HEADER: u64 = 24;
    // Record header: 16 bytes, 24 in Kuznetzov's modified format.
    const MAX_RECORD_HEADER: u64 = 24;
    let total = blob.size() as u64;
    let head = read_slice(&blob, 0, PCAP_HEADER.min(total)).await?;
    let is_pcapng = head.starts_with(&[0x0a, 0x0d, 0x0d, 0x0a]);
    if !is_pcapng && at.offset >= PCAP_HEADER && total >= PCAP_HEADER {
        let end = (at.offset + MAX_RECORD_HEADER + u64::from(at.caplen)).min(total);
        let record = read_slice(&blob, at.offset, end).await?;
        let mut reader = CaptureReader::new();
        let mut found = None;
        let _ = reader.push(&head, |_| {});
        let _ = reader.push(&record, |p| {
            if found.is_none() {
                let mut own = OwnedPacket::from_packet(&p);
                own.number = at.number;
                own.offset = at.offset;
                found = Some(own);
            }
        });
        if found.as_ref().is_some_and(|p| p.data.len() == at.caplen as usize) {
            return Ok(found);
        }
    }
    read_packet_from_start(blob, at.number).await
}

async fn read_packet_from_start(blob: Blob, number: u64) -> Result<Option<OwnedPacket>, String> {
    let total = blob.size() as u64;
    let mut reader = CaptureReader::new();
    let mut at = 0u64;
    let mut found = None;
    while at < total && found.is_none() {
        let end = (at + CHUNK).min(total);
        let bytes = read_slice(&blob, at, end).await?;
        let r = reader.push(&bytes, |p| {
            if p.number == number {
                found = Some(OwnedPacket::from_packet(&p));
            }
        });
        at = end;
        if r.is_err() {
            break;
        }
    }
    Ok(found)
}

/// Fetches an example capture from the same origin as a `Blob`.
pub async fn fetch_example(name: &str) -> Result<Blob, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp =
        JsFuture::from(window.fetch_with_str(&format!("static/examples/{name}"))).await.map_err(|e| js_message(&e))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|e| js_message(&e))?;
    if !resp.ok() {
        return Err(format!("the example {name} is missing (HTTP {})", resp.status()));
    }
    let blob = JsFuture::from(resp.blob().map_err(|e| js_message(&e))?).await.map_err(|e| js_message(&e))?;
    blob.dyn_into().map_err(|e| js_message(&e))
}
