//! The page's side of loading: hands the file to the scan worker
//! (`src/worker.rs`) and turns its messages into [`Action`]s; re-reads one
//! frame alone from the file (an [`Action::FrameRead`]); fetches example
//! captures.

use crate::display_filter::SelectRequest;
use crate::protocol::{FromWorker, ReadContext, ToWorker};
use crate::state::{Action, RecordIndex};
use framelens::capture::{ContextBlock, OwnedFrame, RecordAt, RereadPlan};
use framelens::explain::annotate::TrimKinds;
use framelens::settings::Settings;
use js_sys::{Object, Reflect, Uint8Array};
use std::cell::RefCell;
use std::collections::HashSet;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, MessageEvent, Worker};
use yew::Callback;

/// Trunk writes the worker's loader under this name (Trunk.toml: no file hashes).
const WORKER_URL: &str = "./scan-worker_loader.js";
/// Bytes per read when a frame has to be found from the start of the file.
const CHUNK: u64 = 4 << 20;

fn js_message(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map_or_else(|| format!("{e:?}"), |e| String::from(e.message()))
}

/// The scan worker, started once per page.
pub struct ScanWorker {
    worker: Worker,
    /// Requests made before the worker said it is ready, in order.
    waiting: Rc<RefCell<Option<Vec<Object>>>>,
    /// The name the annotated pcapng being written will be downloaded as.
    annotating: Rc<RefCell<Option<String>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl ScanWorker {
    pub fn start(dispatch: Callback<Action>) -> Result<Self, String> {
        let worker = Worker::new(WORKER_URL).map_err(|e| js_message(&e))?;
        let waiting = Rc::new(RefCell::new(Some(Vec::<Object>::new())));
        let (w, queue) = (worker.clone(), waiting.clone());
        let annotating = Rc::new(RefCell::new(None::<String>));
        let name = annotating.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data();
            let msg = Reflect::get(&data, &"msg".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
            let msg = match serde_json::from_str::<FromWorker>(&msg) {
                Ok(m) => m,
                Err(err) => {
                    web_sys::console::error_1(&format!("framelens: unreadable worker message: {err}").into());
                    return;
                }
            };
            dispatch.emit(match msg {
                FromWorker::Ready => {
                    for m in queue.borrow_mut().take().unwrap_or_default() {
                        if let Err(e) = w.post_message(&m) {
                            web_sys::console::error_1(&e);
                        }
                    }
                    return;
                }
                FromWorker::Frames {
                    load_id,
                    records: len,
                    blocks,
                    counts_so_far,
                    settings,
                    bytes_done,
                    elapsed_ms,
                    context,
                    findings,
                } => {
                    let records = Reflect::get(&data, &"records".into())
                        .ok()
                        .and_then(|r| r.dyn_into::<Uint8Array>().ok())
                        .map_or_else(Vec::new, |a| a.to_vec());
                    Action::Frames {
                        load_id,
                        records,
                        index: Box::new(RecordIndex { blocks, len, counts_so_far: *counts_so_far, settings }),
                        bytes_done,
                        elapsed_ms,
                        context: context.map(Rc::new),
                        findings: findings.map(Rc::new),
                    }
                }
                FromWorker::Finished { load_id, bytes_done, elapsed_ms, context, summary, log } => Action::Finished {
                    load_id,
                    summary: Rc::new(*summary),
                    bytes_done,
                    elapsed_ms,
                    context: Rc::new(context),
                    log: log.map(Rc::new),
                },
                FromWorker::PathPoints { path_id, points } => Action::PathPoints { path_id, points: Rc::new(points) },
                FromWorker::Journeys { path_id, journeys, texts, bytes_done, bytes_total, elapsed_ms } => {
                    let bytes = Reflect::get(&data, &"records".into())
                        .ok()
                        .and_then(|r| r.dyn_into::<Uint8Array>().ok())
                        .map_or_else(Vec::new, |a| a.to_vec());
                    let words = bytes.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect();
                    Action::Journeys { path_id, words, count: journeys, texts, bytes_done, bytes_total, elapsed_ms }
                }
                FromWorker::PathDone { path_id, outcome, elapsed_ms } => {
                    Action::PathDone { path_id, outcome: Rc::new(*outcome), elapsed_ms }
                }
                FromWorker::PathFailed { path_id, message } => Action::PathFailed { path_id, message },
                FromWorker::Selected { load_id, expr, settings, error } => {
                    let numbers = match error {
                        Some(m) => Err(m),
                        None => Ok(Rc::new(
                            Reflect::get(&data, &"records".into())
                                .ok()
                                .and_then(|r| r.dyn_into::<Uint8Array>().ok())
                                .map_or_else(Vec::new, |a| a.to_vec())
                                .chunks_exact(8)
                                .map(|b| u64::from_le_bytes(b.try_into().unwrap_or_default()))
                                .collect(),
                        )),
                    };
                    Action::ExprMatches { load_id, text: expr, settings, numbers }
                }
                FromWorker::Annotated { load_id: _, frames, commented, error } => {
                    let file = Reflect::get(&data, &"file".into()).ok().and_then(|f| f.dyn_into::<Blob>().ok());
                    let name = name.borrow_mut().take().unwrap_or_else(|| "annotated.pcapng".into());
                    Action::Exported(match (error, file) {
                        (Some(m), _) => format!("The annotated pcapng could not be written: {m}"),
                        (None, None) => "The annotated pcapng could not be written.".into(),
                        (None, Some(file)) => match download(&file, &name) {
                            Ok(()) => format!("{name}: {frames} frames written, {commented} with a comment."),
                            Err(m) => format!("The annotated pcapng could not be saved: {m}"),
                        },
                    })
                }
                FromWorker::Failed { load_id, message } => Action::Failed { load_id, message },
            });
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(ScanWorker { worker, waiting, annotating, _on_message: on_message })
    }

    fn post(&self, msg: &ToWorker, file: Option<&Blob>) -> Result<(), String> {
        self.post_with(msg, file, &[], None)
    }

    /// Posts `msg` with a `file`, arrays of Blobs (`key`, blobs) and frame
    /// numbers (as `records`, u64 little-endian).
    fn post_with(
        &self,
        msg: &ToWorker,
        file: Option<&Blob>,
        arrays: &[(&str, &[Blob])],
        numbers: Option<&[u64]>,
    ) -> Result<(), String> {
        let json = serde_json::to_string(msg).map_err(|e| e.to_string())?;
        let obj = Object::new();
        let _ = Reflect::set(&obj, &"msg".into(), &json.into());
        if let Some(f) = file {
            let _ = Reflect::set(&obj, &"file".into(), f);
        }
        for (key, blobs) in arrays {
            let a = js_sys::Array::new();
            for b in *blobs {
                a.push(b);
            }
            let _ = Reflect::set(&obj, &(*key).into(), &a);
        }
        if let Some(ns) = numbers {
            let bytes: Vec<u8> = ns.iter().flat_map(|n| n.to_le_bytes()).collect();
            let _ = Reflect::set(&obj, &"records".into(), &Uint8Array::from(bytes.as_slice()));
        }
        if let Some(queue) = self.waiting.borrow_mut().as_mut() {
            queue.push(obj);
            return Ok(());
        }
        self.worker.post_message(&obj).map_err(|e| js_message(&e))
    }

    /// Scans `blob`, matching the kernel `logs` (Blob, name) against its frames.
    pub fn scan(&self, load_id: u32, blob: &Blob, settings: Settings, logs: &[(Blob, String)]) -> Result<(), String> {
        let log_names = logs.iter().map(|(_, n)| n.clone()).collect();
        let blobs: Vec<Blob> = logs.iter().map(|(b, _)| b.clone()).collect();
        self.post_with(&ToWorker::Scan { load_id, settings, log_names }, Some(blob), &[("logs", &blobs)], None)
    }

    /// Follows packets across `files` (Blob, name), the points in `order`
    /// where the reader chose one (`FILE[:IFACE]` each).
    pub fn path(
        &self,
        path_id: u32,
        files: &[(Blob, String)],
        settings: Settings,
        order: Vec<String>,
    ) -> Result<(), String> {
        let names = files.iter().map(|(_, n)| n.clone()).collect();
        let blobs: Vec<Blob> = files.iter().map(|(b, _)| b.clone()).collect();
        self.post_with(&ToWorker::Path { path_id, settings, names, order }, None, &[("files", &blobs)], None)
    }

    /// Asks for the frames of `blob` that a byte expression matches (an [`Action::ExprMatches`]).
    pub fn select(&self, req: &SelectRequest, blob: &Blob) -> Result<(), String> {
        let msg = ToWorker::Select { load_id: req.load_id, expr: req.text.clone(), settings: req.settings };
        self.post(&msg, Some(blob))
    }

    /// Writes `blob` as an annotated pcapng (only the frames `numbers`, when
    /// given; cut as `trim` says) and downloads it as `name`; ends in an [`Action::Exported`].
    pub fn annotate(
        &self,
        load_id: u32,
        blob: &Blob,
        settings: Settings,
        numbers: Option<&[u64]>,
        trim: Option<TrimKinds>,
        name: String,
    ) -> Result<(), String> {
        *self.annotating.borrow_mut() = Some(name);
        let msg = ToWorker::Annotate { load_id, settings, all: numbers.is_none(), trim };
        self.post_with(&msg, Some(blob), &[], numbers)
    }

    pub fn cancel(&self, load_id: u32) {
        let _ = self.post(&ToWorker::Cancel { load_id }, None);
    }
}

impl Drop for ScanWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Bytes `start..end` of the file. The read starts when this is called, not
/// when the future is first polled, so that reads can overlap.
fn read_slice(blob: &Blob, start: u64, end: u64) -> impl Future<Output = Result<Vec<u8>, String>> {
    let read = blob.slice_with_f64_and_f64(start as f64, end as f64).map(|part| JsFuture::from(part.array_buffer()));
    async move {
        let buf = read.map_err(|e| js_message(&e))?.await.map_err(|e| js_message(&e))?;
        Ok(Uint8Array::new(&buf).to_vec())
    }
}

/// Re-reads frames from the file for the page, one [`Action::FrameRead`]
/// each. Made once per page; what it keeps is about reading, not about what
/// the page shows: the frames being read, and the context bytes read last.
#[derive(Default)]
pub struct FrameReader {
    /// (load id, frame number) of the reads under way: a frame read ahead
    /// and then selected before its bytes came is not read twice.
    in_flight: Rc<RefCell<HashSet<(u32, u64)>>>,
    /// The context bytes read last: selecting frame after frame of one
    /// section reads only each frame's record.
    context: Rc<RefCell<Option<ReadContextBytes>>>,
}

impl FrameReader {
    /// [`FrameReader::read`] once the page has painted: for reads ahead,
    /// which must not delay the frame the user asked for.
    pub fn read_after_paint(
        self: &Rc<Self>,
        blob: &Blob,
        at: RecordAt,
        context: Rc<ReadContext>,
        load_id: u32,
        done: Callback<Action>,
    ) {
        let (reader, blob) = (self.clone(), blob.clone());
        wasm_bindgen_futures::spawn_local(async move {
            after_paint().await;
            reader.read(&blob, at, context, load_id, done);
        });
    }

    /// Reads the frame at `at` of load `load_id` and emits its
    /// [`Action::FrameRead`]; nothing if that read is under way already.
    pub fn read(&self, blob: &Blob, at: RecordAt, context: Rc<ReadContext>, load_id: u32, done: Callback<Action>) {
        if !self.in_flight.borrow_mut().insert((load_id, at.number)) {
            return;
        }
        let (in_flight, last) = (self.in_flight.clone(), self.context.clone());
        let read = read_packet(blob.clone(), at, context, last);
        wasm_bindgen_futures::spawn_local(async move {
            let packet = read.await.map(|p| p.map(Rc::new));
            in_flight.borrow_mut().remove(&(load_id, at.number));
            done.emit(Action::FrameRead { load: load_id, number: at.number, packet });
        });
    }
}

/// Resolves after the browser's next paint: a requestAnimationFrame callback
/// runs just before a paint, and a task queued from it runs after.
async fn after_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(&resolve);
        }
    });
    let _ = JsFuture::from(promise).await;
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// Re-reads one frame's bytes and metadata: the context blocks the scan
/// listed (file header, or section and interface blocks), then the record at
/// its offset. Without a usable context (a pcapng with thousands of
/// interfaces, options over 4 KiB) the file is read from its start. The
/// record's read starts at once, before the future is first polled.
fn read_packet(
    blob: Blob,
    at: RecordAt,
    context: Rc<ReadContext>,
    last: Rc<RefCell<Option<ReadContextBytes>>>,
) -> impl Future<Output = Result<Option<OwnedFrame>, String>> {
    let total = blob.size() as u64;
    let direct = at.plan(&context.blocks, context.complete, total).map(|plan| {
        // The record and (the first time) the context blocks are read at once.
        (read_slice(&blob, plan.record.start, plan.record.end), plan)
    });
    async move {
        if let Some((record, plan)) = direct {
            let ctx = context_bytes(&blob, plan, &last).await?;
            let record = record.await?;
            if let Some(p) = at.frame(&ctx, &record) {
                return Ok(Some(p));
            }
        }
        read_packet_from_start(blob, at).await
    }
}

/// Context bytes as read from one file.
struct ReadContextBytes {
    file: Blob,
    blocks: Vec<ContextBlock>,
    bytes: Rc<Vec<u8>>,
}

async fn context_bytes(
    blob: &Blob,
    plan: RereadPlan,
    last: &RefCell<Option<ReadContextBytes>>,
) -> Result<Rc<Vec<u8>>, String> {
    let cached = match &*last.borrow() {
        Some(c) if js_sys::Object::is(&c.file, blob) && c.blocks == plan.blocks => Some(c.bytes.clone()),
        _ => None,
    };
    if let Some(bytes) = cached {
        return Ok(bytes);
    }
    let reads: Vec<_> = plan.context.iter().map(|r| read_slice(blob, r.start, r.end)).collect();
    let mut bytes = Vec::new();
    for read in reads {
        bytes.extend(read.await?);
    }
    let bytes = Rc::new(bytes);
    *last.borrow_mut() = Some(ReadContextBytes { file: blob.clone(), blocks: plan.blocks, bytes: bytes.clone() });
    Ok(bytes)
}

async fn read_packet_from_start(blob: Blob, record: RecordAt) -> Result<Option<OwnedFrame>, String> {
    let total = blob.size() as u64;
    let mut search = record.search();
    let mut at = 0u64;
    while at < total {
        let end = (at + CHUNK).min(total);
        let bytes = read_slice(&blob, at, end).await?;
        at = end;
        if search.push(&bytes) {
            break;
        }
    }
    Ok(search.finish())
}

/// What a dropped file is, from its first 4 KiB: a capture (by its magic
/// number), a kernel log, or neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dropped {
    Capture,
    Log,
    Other,
}

pub async fn classify(blob: &Blob) -> Dropped {
    let end = (blob.size() as u64).min(4096);
    match read_slice(blob, 0, end).await {
        Ok(head) if framelens::capture::has_capture_magic(&head) => Dropped::Capture,
        Ok(head) if framelens::log::looks_like_log(&head) => Dropped::Log,
        _ => Dropped::Other,
    }
}

/// Saves `blob` as a download named `name`, through a `blob:` URL (no network).
pub fn download(blob: &Blob, name: &str) -> Result<(), String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|e| js_message(&e))?;
    let a: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|e| js_message(&e))?.dyn_into().map_err(|e| js_message(&e))?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The download has taken the URL once the click has been handled.
    wasm_bindgen_futures::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(60_000).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    Ok(())
}

/// Fetches an example capture from the same origin as a `Blob`.
pub async fn fetch_example(name: &str) -> Result<Blob, String> {
    fetch_static(&format!("static/examples/{name}"), name).await
}

/// Fetches a file of the app's own (`url` relative to the page) as a `Blob`.
pub async fn fetch_static(url: &str, name: &str) -> Result<Blob, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(url)).await.map_err(|e| js_message(&e))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|e| js_message(&e))?;
    if !resp.ok() {
        return Err(format!("the example {name} is missing (HTTP {})", resp.status()));
    }
    let blob = JsFuture::from(resp.blob().map_err(|e| js_message(&e))?).await.map_err(|e| js_message(&e))?;
    blob.dyn_into().map_err(|e| js_message(&e))
}
