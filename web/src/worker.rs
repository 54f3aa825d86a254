//! The scan worker: reads the chosen `File` in chunks (`Blob.slice`) through
//! the core's streaming scanner, off the page's thread, and posts each
//! chunk's records (compact, as a transferred buffer), the context for
//! re-reading frames, findings so far, and finally the summary. The next
//! chunk is being read by the browser while this one is scanned.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

mod protocol;

#[cfg(target_arch = "wasm32")]
mod imp {
    use crate::protocol::{FromWorker, ReadContext, ToWorker};
    use framelens::scan::Scanner;
    use framelens::settings::Settings;
    use framelens::store::RecordBatch;
    use js_sys::{Array, Object, Reflect, Uint8Array};
    use std::cell::Cell;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

    /// Bytes per read: large enough that per-chunk costs vanish, small
    /// enough that a cancel or the first rows come quickly.
    const CHUNK: u64 = 4 << 20;
    /// Chunks being read ahead of the one being scanned.
    const READ_AHEAD: usize = 3;
    /// How often findings so far are recomputed and posted while reading.
    const FINDINGS_EVERY_MS: f64 = 250.0;

    thread_local! {
        /// The scan whose results are still wanted; 0 after a cancel.
        static LIVE: Cell<u32> = const { Cell::new(0) };
    }

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    fn post(msg: &FromWorker, records: Option<Vec<u8>>) {
        let Ok(json) = serde_json::to_string(msg) else { return };
        let obj = Object::new();
        let _ = Reflect::set(&obj, &"msg".into(), &json.into());
        let result = match records {
            Some(bytes) => {
                let array = Uint8Array::from(bytes.as_slice());
                let _ = Reflect::set(&obj, &"records".into(), &array);
                scope().post_message_with_transfer(&obj, &Array::of1(&array.buffer()))
            }
            None => scope().post_message(&obj),
        };
        if let Err(e) = result {
            web_sys::console::error_2(&"framelens worker: post failed".into(), &e);
        }
    }

    fn message(e: &JsValue) -> String {
        e.dyn_ref::<js_sys::Error>().map_or_else(|| format!("{e:?}"), |e| String::from(e.message()))
    }

    fn read(blob: &Blob, start: u64, end: u64) -> Result<JsFuture, String> {
        let part = blob.slice_with_f64_and_f64(start as f64, end as f64).map_err(|e| message(&e))?;
        Ok(JsFuture::from(part.array_buffer()))
    }

    async fn scan(blob: Blob, settings: Settings, load_id: u32) {
        let total = blob.size() as u64;
        let t0 = js_sys::Date::now();
        let elapsed = || js_sys::Date::now() - t0;
        let failed = |m: String| {
            post(&FromWorker::Failed { load_id, message: format!("The file could not be read: {m}") }, None)
        };
        let mut scanner = Scanner::new(settings);
        let mut buf: Vec<u8> = Vec::new();
        let mut at = 0u64;
        // Reads in flight, oldest first: the browser reads ahead while this thread scans.
        let mut reads = std::collections::VecDeque::new();
        let mut asked = 0u64;
        while asked < total && reads.len() < READ_AHEAD {
            let end = (asked + CHUNK).min(total);
            reads.push_back(read(&blob, asked, end));
            asked = end;
        }
        let mut sent_context = usize::MAX;
        let mut findings_at = f64::NEG_INFINITY;
        let mut sent_findings = Vec::new();
        while let Some(pending) = reads.pop_front() {
            let end = (at + CHUNK).min(total);
            let array = match pending {
                Ok(f) => f.await,
                Err(m) => return failed(m),
            };
            let array = match array {
                Ok(a) => a,
                Err(e) => return failed(message(&e)),
            };
            if LIVE.get() != load_id {
                return;
            }
            if asked < total {
                let e = (asked + CHUNK).min(total);
                reads.push_back(read(&blob, asked, e));
                asked = e;
            }
            let bytes = Uint8Array::new(&array);
            buf.resize(bytes.length() as usize, 0);
            bytes.copy_to(&mut buf);
            let mut batch = RecordBatch::new();
            let stopped = scanner.push(&buf, |r| batch.push(r)).is_err();
            at = end;
            let (blocks, complete) = scanner.context();
            let context = (blocks.len() != sent_context).then(|| {
                sent_context = blocks.len();
                ReadContext { blocks: blocks.to_vec(), complete }
            });
            let findings = if elapsed() - findings_at >= FINDINGS_EVERY_MS {
                findings_at = elapsed();
                let f = scanner.findings();
                (f != sent_findings).then(|| {
                    sent_findings = f.clone();
                    f
                })
            } else {
                None
            };
            let msg = FromWorker::Frames { load_id, bytes_done: at, elapsed_ms: elapsed(), context, findings };
            post(&msg, Some(batch.into_bytes()));
            if stopped {
                break;
            }
        }
        let (blocks, complete) = scanner.context();
        let context = ReadContext { blocks: blocks.to_vec(), complete };
        let summary = Box::new(scanner.finish());
        post(&FromWorker::Finished { load_id, bytes_done: at, elapsed_ms: elapsed(), context, summary }, None);
    }

    fn on_message(e: MessageEvent) {
        let data = e.data();
        let msg = Reflect::get(&data, &"msg".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
        match serde_json::from_str::<ToWorker>(&msg) {
            Ok(ToWorker::Scan { load_id, settings }) => {
                LIVE.set(load_id);
                match Reflect::get(&data, &"file".into()).ok().and_then(|f| f.dyn_into::<Blob>().ok()) {
                    Some(blob) => wasm_bindgen_futures::spawn_local(scan(blob, settings, load_id)),
                    None => {
                        post(&FromWorker::Failed { load_id, message: "No file came with the request.".into() }, None)
                    }
                }
            }
            Ok(ToWorker::Cancel { load_id }) => {
                if LIVE.get() == load_id {
                    LIVE.set(0);
                }
            }
            Err(err) => web_sys::console::error_1(&format!("framelens worker: unreadable request: {err}").into()),
        }
    }

    pub fn start() {
        let handler = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
        scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
        // The worker lives as long as the page: so does its handler.
        handler.forget();
        post(&FromWorker::Ready, None);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    imp::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("scan-worker runs as a Web Worker of the Framelens page (see index.html)");
}
