//! The scan worker: streams the chosen `File` (`Blob.stream()`) through the
//! core's streaming scanner, off the page's thread, and posts the records of
//! every 16 MiB of the file (compact, as a transferred buffer), the context
//! for re-reading frames, the findings so far, and finally the summary. The
//! browser reads the next piece of the file while this one is scanned.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
#![forbid(unsafe_code)]

mod protocol;

#[cfg(target_arch = "wasm32")]
mod imp {
    use crate::protocol::{FromWorker, LogView, OrderView, PathOutcome, PointView, ReadContext, ToWorker};
    use framelens::explain::annotate::{AnnotateOptions, Annotator};
    use framelens::explain::journey::{encode, Texts};
    use framelens::filter::{Filter, Subject};
    use framelens::log::matching::{LogSettings, Matcher};
    use framelens::log::read_log;
    use framelens::path::point::PointSpec;
    use framelens::path::{Follower, PathSettings, Plan, Survey};
    use framelens::scan::store::RecordBatch;
    use framelens::scan::Scanner;
    use framelens::settings::Settings;
    use js_sys::{Array, ArrayBuffer, Object, Promise, Reflect, Uint8Array};
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        Blob, DedicatedWorkerGlobalScope, MessageEvent, ReadableStreamByobReader, ReadableStreamDefaultReader,
    };

    /// Bytes of the file per message to the page: large enough that the
    /// page's per-message work vanishes, small enough that rows come quickly.
    const BATCH: u64 = 16 << 20;
    /// How often findings so far are recomputed and posted while reading.
    const FINDINGS_EVERY_MS: f64 = 250.0;

    thread_local! {
        /// The scan whose results are still wanted; 0 after a cancel.
        static LIVE: Cell<u32> = const { Cell::new(0) };
        /// The path diagnosis whose results are still wanted; 0 after a cancel.
        static LIVE_PATH: Cell<u32> = const { Cell::new(0) };
        /// Counts display-filter requests: only the newest one runs on.
        static SELECTS: Cell<u32> = const { Cell::new(0) };
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

    /// Posts `msg` with a Blob (`file`) beside it.
    fn post_file(msg: &FromWorker, file: &Blob) {
        let Ok(json) = serde_json::to_string(msg) else { return };
        let obj = Object::new();
        let _ = Reflect::set(&obj, &"msg".into(), &json.into());
        let _ = Reflect::set(&obj, &"file".into(), file);
        if let Err(e) = scope().post_message(&obj) {
            web_sys::console::error_2(&"framelens worker: post failed".into(), &e);
        }
    }

    /// Bytes per read of a byte stream: about what Chromium hands out per read.
    const READ: u32 = 1 << 20;

    /// The file as a stream: the browser reads ahead into its own pipe while
    /// this thread scans, and hands out what it has on each read.
    enum FileStream {
        /// A byte stream, read into one reused buffer. Without it every read
        /// allocates a fresh buffer: in Chromium that cost the 210 MB benchmark
        /// about 100 ms (bench/web), spent on this thread.
        Bytes(ReadableStreamByobReader),
        /// Browsers whose `Blob.stream()` is not a byte stream.
        Chunks(ReadableStreamDefaultReader),
    }

    impl FileStream {
        fn open(blob: &Blob) -> Self {
            let stream = blob.stream();
            match ReadableStreamByobReader::new(&stream) {
                Ok(reader) => FileStream::Bytes(reader),
                Err(_) => FileStream::Chunks(stream.get_reader().unchecked_into()),
            }
        }

        /// The next read; `spare` is the buffer of the chunk before, free again.
        fn read(&self, spare: Option<ArrayBuffer>) -> Promise {
            match self {
                FileStream::Bytes(reader) => {
                    let buffer = spare.unwrap_or_else(|| ArrayBuffer::new(READ));
                    reader.read_with_array_buffer_view(&Uint8Array::new(&buffer))
                }
                FileStream::Chunks(reader) => reader.read(),
            }
        }

        fn cancel(&self) {
            let _ = match self {
                FileStream::Bytes(reader) => reader.cancel(),
                FileStream::Chunks(reader) => reader.cancel(),
            };
        }
    }

    fn message(e: &JsValue) -> String {
        e.dyn_ref::<js_sys::Error>().map_or_else(|| format!("{e:?}"), |e| String::from(e.message()))
    }

    /// Reads the kernel logs that came with a scan (each whole: the reader
    /// keeps at most `log::MAX_KEPT` lines of it) into a matcher.
    async fn read_logs(logs: Vec<(Blob, String)>) -> (Option<Matcher>, Vec<String>) {
        if logs.is_empty() {
            return (None, Vec::new());
        }
        let (mut files, mut errors) = (Vec::new(), Vec::new());
        for (blob, name) in logs {
            let bytes = match JsFuture::from(blob.array_buffer()).await {
                Ok(b) => Uint8Array::new(&b).to_vec(),
                Err(e) => {
                    errors.push(format!("{name} could not be read: {}", message(&e)));
                    continue;
                }
            };
            match read_log(&name, bytes.as_slice()) {
                Ok(f) => files.push(f),
                Err(e) => errors.push(e.to_string()),
            }
        }
        (Some(Matcher::new(files, LogSettings::default())), errors)
    }

    async fn scan(blob: Blob, settings: Settings, load_id: u32, logs: Vec<(Blob, String)>) {
        let (mut matcher, log_errors) = read_logs(logs).await;
        let t0 = js_sys::Date::now();
        let elapsed = || js_sys::Date::now() - t0;
        let failed = |m: String| {
            post(&FromWorker::Failed { load_id, message: format!("The file could not be read: {m}") }, None)
        };
        let stream = FileStream::open(&blob);
        let mut scanner = Scanner::new(settings);
        let mut buf: Vec<u8> = Vec::new();
        let mut at = 0u64;
        let mut batch = RecordBatch::new();
        let mut batch_bytes = 0u64;
        let mut sent_context = usize::MAX;
        let mut findings_at = f64::NEG_INFINITY;
        let mut sent_findings = Vec::new();
        let mut next = Some(JsFuture::from(stream.read(None)));
        while let Some(pending) = next.take() {
            let result = match pending.await {
                Ok(r) => r,
                Err(e) => return failed(message(&e)),
            };
            if LIVE.get() != load_id {
                stream.cancel();
                return;
            }
            let done = Reflect::get(&result, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true);
            let chunk = Reflect::get(&result, &"value".into()).ok().and_then(|v| v.dyn_into::<Uint8Array>().ok());
            let stopped = match (done, chunk) {
                (false, Some(chunk)) => {
                    buf.resize(chunk.length() as usize, 0);
                    chunk.copy_to(&mut buf);
                    // The next read is in flight, into the same buffer, before
                    // this chunk is scanned.
                    next = Some(JsFuture::from(stream.read(Some(chunk.buffer()))));
                    at += buf.len() as u64;
                    batch_bytes += buf.len() as u64;
                    match matcher.as_mut() {
                        Some(m) => scanner
                            .push_with_frames(&buf, |r, p| {
                                batch.push(r);
                                m.add(r, p);
                            })
                            .is_err(),
                        None => scanner.push(&buf, |r| batch.push(r)).is_err(),
                    }
                }
                _ => false,
            };
            let last = next.is_none() || stopped;
            if batch_bytes >= BATCH || last {
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
                let records = batch.len();
                let (bytes, blocks) = std::mem::take(&mut batch).into_parts();
                let msg = FromWorker::Frames {
                    load_id,
                    records,
                    blocks,
                    counts_so_far: Box::new(scanner.counts()),
                    settings,
                    bytes_done: at,
                    elapsed_ms: elapsed(),
                    context,
                    findings,
                };
                post(&msg, Some(bytes));
                batch_bytes = 0;
            }
            if stopped {
                stream.cancel();
                break;
            }
        }
        let (blocks, complete) = scanner.context();
        let context = ReadContext { blocks: blocks.to_vec(), complete };
        let mut summary = Box::new(scanner.finish());
        let log = matcher.map(|m| {
            let report = m.finish_into(&mut summary);
            LogView { rows: report.entries, errors: log_errors }
        });
        post(&FromWorker::Finished { load_id, bytes_done: at, elapsed_ms: elapsed(), context, summary, log }, None);
    }

    /// Journeys per message to the page.
    const JOURNEY_BATCH: usize = 16_384;

    /// The next chunk of `stream` copied into `buf`, its next read started:
    /// `None` at the end.
    async fn next_chunk(
        stream: &FileStream,
        pending: &mut Option<JsFuture>,
        buf: &mut Vec<u8>,
    ) -> Result<Option<()>, String> {
        let Some(p) = pending.take() else { return Ok(None) };
        let result = p.await.map_err(|e| message(&e))?;
        let done = Reflect::get(&result, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true);
        let chunk = Reflect::get(&result, &"value".into()).ok().and_then(|v| v.dyn_into::<Uint8Array>().ok());
        match (done, chunk) {
            (false, Some(chunk)) => {
                buf.resize(chunk.length() as usize, 0);
                chunk.copy_to(buf);
                *pending = Some(JsFuture::from(stream.read(Some(chunk.buffer()))));
                Ok(Some(()))
            }
            _ => Ok(None),
        }
    }

    /// Follows packets across the captures: the core's survey reads every
    /// file once, its follower reads them all again, merged in time; the
    /// journeys go to the page as their words, [`JOURNEY_BATCH`] at a time.
    async fn path(files: Vec<Blob>, names: Vec<String>, order: Vec<String>, settings: Settings, path_id: u32) {
        let t0 = js_sys::Date::now();
        let elapsed = || js_sys::Date::now() - t0;
        let live = || LIVE_PATH.get() == path_id;
        let failed = |m: String| post(&FromWorker::PathFailed { path_id, message: m }, None);
        let settings = PathSettings { frame: settings, ..PathSettings::default() };
        let bytes_total: u64 = files.iter().map(|b| b.size() as u64).sum::<u64>() * 2;
        let mut bytes_done = 0u64;
        let mut buf = Vec::new();
        // The reader's order, where one was chosen: the core puts the plan's
        // points in it (points it does not name after, in the evidence's order).
        let order: Vec<PointSpec> = order.iter().map(|s| PointSpec::parse(s)).collect();
        let mut survey = Survey::new(files.len(), settings).with_order(order);
        for (i, blob) in files.iter().enumerate() {
            let stream = FileStream::open(blob);
            let mut pending = Some(JsFuture::from(stream.read(None)));
            loop {
                match next_chunk(&stream, &mut pending, &mut buf).await {
                    Ok(Some(())) => {}
                    Ok(None) => break,
                    Err(m) => return failed(format!("{} could not be read: {m}", names[i])),
                }
                if !live() {
                    stream.cancel();
                    return;
                }
                bytes_done += buf.len() as u64;
                if survey.push(i, &buf).is_err() {
                    stream.cancel();
                    break;
                }
            }
        }
        let plan = survey.finish(&names);
        let points = plan
            .points
            .iter()
            .map(|p| PointView { point: p.clone(), spec: PointSpec::of(p, &names[p.file]).to_string() })
            .collect();
        post(&FromWorker::PathPoints { path_id, points }, None);
        let mut follower = Follower::new(plan.clone(), settings);
        let streams: Vec<FileStream> = files.iter().map(FileStream::open).collect();
        let mut pending: Vec<Option<JsFuture>> = streams.iter().map(|s| Some(JsFuture::from(s.read(None)))).collect();
        let mut texts = Texts::default();
        let mut words: Vec<u32> = Vec::new();
        let mut count = 0usize;
        let send = |words: &mut Vec<u32>, count: &mut usize, texts: &mut Texts, bytes_done: u64| {
            let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
            let msg = FromWorker::Journeys {
                path_id,
                journeys: *count,
                texts: texts.take_new(),
                bytes_done,
                bytes_total,
                elapsed_ms: elapsed(),
            };
            post(&msg, Some(bytes));
            words.clear();
            *count = 0;
        };
        while let Some(f) = follower.wants() {
            match next_chunk(&streams[f], &mut pending[f], &mut buf).await {
                Ok(Some(())) => {
                    bytes_done += buf.len() as u64;
                    follower.push(f, &buf);
                }
                Ok(None) => follower.end(f),
                Err(m) => return failed(format!("{} could not be read: {m}", names[f])),
            }
            if !live() {
                streams.iter().for_each(FileStream::cancel);
                return;
            }
            follower.drain(|j| {
                encode(&plan, j, &mut texts, &mut words);
                count += 1;
            });
            if count >= JOURNEY_BATCH {
                send(&mut words, &mut count, &mut texts, bytes_done);
            }
        }
        let contexts = (0..files.len())
            .map(|f| {
                let (blocks, complete) = follower.context(f);
                ReadContext { blocks: blocks.to_vec(), complete }
            })
            .collect();
        let summary = follower.finish(|j| {
            encode(&plan, j, &mut texts, &mut words);
            count += 1;
        });
        send(&mut words, &mut count, &mut texts, bytes_done);
        let outcome = PathOutcome {
            points_in_order: summary.points_in_order.clone(),
            points_in_order_reverse: summary.points_in_order_reverse.clone(),
            findings: summary.findings.clone(),
            counts: summary.counts,
            errors: summary
                .errors
                .iter()
                .map(|(f, e)| format!("{}: {e}", names.get(*f).map_or("", |n| n.as_str())))
                .collect(),
            contexts,
            clock_offsets_ns: summary.clock_offsets.iter().map(|(_, ns)| *ns).collect(),
            order: order_view(&plan, &names),
        };
        post(&FromWorker::PathDone { path_id, outcome: Box::new(outcome), elapsed_ms: elapsed() }, None);
    }

    /// How the plan's order was found, its points named as an order names them.
    fn order_view(plan: &Plan, names: &[String]) -> OrderView {
        let spec = |i: &u16| {
            let p = plan.points.get(usize::from(*i))?;
            Some(PointSpec::of(p, names.get(p.file)?).to_string())
        };
        let o = &plan.order;
        OrderView {
            given: o.given,
            sentence: o.sentence.clone(),
            competing: o.competing.iter().filter_map(|c| c.iter().map(spec).collect()).collect(),
            unknown: o.unknown.iter().map(ToString::to_string).collect(),
        }
    }

    /// The Blobs of the message's array `key`.
    fn blobs(data: &JsValue, key: &str) -> Vec<Blob> {
        Reflect::get(data, &key.into())
            .ok()
            .and_then(|a| a.dyn_into::<Array>().ok())
            .map(|a| a.iter().filter_map(|b| b.dyn_into::<Blob>().ok()).collect())
            .unwrap_or_default()
    }

    /// Reads the whole file again, handing each chunk to `each` while it
    /// returns true. `Ok(false)`: stopped because `live` said so.
    async fn reread(blob: &Blob, live: impl Fn() -> bool, mut each: impl FnMut(&[u8]) -> bool) -> Result<bool, String> {
        let stream = FileStream::open(blob);
        let mut buf: Vec<u8> = Vec::new();
        let mut next = Some(JsFuture::from(stream.read(None)));
        while let Some(pending) = next.take() {
            let result = pending.await.map_err(|e| message(&e))?;
            if !live() {
                stream.cancel();
                return Ok(false);
            }
            let done = Reflect::get(&result, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true);
            let chunk = Reflect::get(&result, &"value".into()).ok().and_then(|v| v.dyn_into::<Uint8Array>().ok());
            if let (false, Some(chunk)) = (done, chunk) {
                buf.resize(chunk.length() as usize, 0);
                chunk.copy_to(&mut buf);
                next = Some(JsFuture::from(stream.read(Some(chunk.buffer()))));
                if !each(&buf) {
                    stream.cancel();
                    break;
                }
            }
        }
        Ok(true)
    }

    /// The display filter on every frame's bytes and dissection: posts the
    /// numbers of the frames that match (a capture error ends the list there).
    async fn select(blob: Blob, load_id: u32, expr: String, settings: Settings) {
        let seq = SELECTS.get();
        let answer = |error: Option<String>, numbers: Option<Vec<u8>>| {
            let msg = FromWorker::Selected { load_id, expr: expr.clone(), settings, error };
            post(&msg, numbers)
        };
        let filter = match Filter::compile(&expr) {
            Ok(f) => f,
            Err(e) => return answer(Some(e.to_string()), None),
        };
        let mut scanner = Scanner::new(settings);
        let mut numbers = Vec::<u8>::new();
        let read = reread(
            &blob,
            || SELECTS.get() == seq,
            |chunk| {
                let pushed = scanner.push_selected(
                    chunk,
                    |r, p, d| {
                        if filter.matches(&Subject::with_packet(r, &settings, d, p.data)) {
                            numbers.extend_from_slice(&r.number.to_le_bytes());
                        }
                        // Not counted: the page has the summary already.
                        false
                    },
                    |_, _, _| {},
                );
                pushed.is_ok()
            },
        )
        .await;
        match read {
            Ok(true) => answer(None, Some(numbers)),
            Ok(false) => {}
            Err(m) => answer(Some(m), None),
        }
    }

    /// Bytes of the annotated pcapng held before they go into a Blob part.
    const PART: usize = 4 << 20;

    /// The writer's output: shared, so that it can be drained between chunks.
    #[derive(Clone, Default)]
    struct Sink(Rc<RefCell<Vec<u8>>>);

    impl std::io::Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Moves what the writer wrote into a new Blob part.
    fn drain(sink: &Sink, parts: &Array) {
        let mut buf = sink.0.borrow_mut();
        if !buf.is_empty() {
            if let Ok(part) = Blob::new_with_u8_array_sequence(&Array::of1(&Uint8Array::from(buf.as_slice()))) {
                parts.push(&part);
            }
            buf.clear();
        }
    }

    /// The file as an annotated pcapng: every frame (or those of `numbers`,
    /// ascending) through the core's writer, with Framelens' verdict as the
    /// comment of each frame that has something to say. The output goes into
    /// Blob parts of at most a few MiB, so the worker never holds the whole.
    async fn annotate(
        blob: Blob,
        load_id: u32,
        settings: Settings,
        numbers: Option<Vec<u64>>,
        options: AnnotateOptions,
    ) {
        let sink = Sink::default();
        let parts = Array::new();
        let mut writer = Annotator::new(sink.clone(), options);
        let mut scanner = Scanner::new(settings);
        let mut next = 0usize;
        let mut error = None;
        let read = reread(
            &blob,
            || true,
            |chunk| {
                let pushed = scanner.push_with_frames(chunk, |r, p| {
                    if error.is_some() {
                        return;
                    }
                    if let Some(ns) = &numbers {
                        while ns.get(next).is_some_and(|&n| n < r.number) {
                            next += 1;
                        }
                        if ns.get(next) != Some(&r.number) {
                            return;
                        }
                    }
                    if let Err(e) = writer.write(r, p, &settings) {
                        error = Some(e.to_string());
                    }
                });
                if sink.0.borrow().len() >= PART {
                    drain(&sink, &parts);
                }
                pushed.is_ok() && error.is_none()
            },
        )
        .await;
        let (frames, commented) = (writer.frames(), writer.commented());
        let error = match (read, writer.finish()) {
            (Err(m), _) => Some(format!("The file could not be re-read: {m}")),
            (_, Err(e)) => Some(e.to_string()),
            _ => error,
        };
        drain(&sink, &parts);
        let bag = web_sys::BlobPropertyBag::new();
        bag.set_type("application/x-pcapng");
        let out = Blob::new_with_blob_sequence_and_options(&parts, &bag).unwrap_or_else(|_| Blob::new().unwrap());
        post_file(&FromWorker::Annotated { load_id, frames, commented, error }, &out);
    }

    fn on_message(e: MessageEvent) {
        let data = e.data();
        let msg = Reflect::get(&data, &"msg".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
        match serde_json::from_str::<ToWorker>(&msg) {
            Ok(ToWorker::Scan { load_id, settings, log_names }) => {
                LIVE.set(load_id);
                let logs: Vec<(Blob, String)> = blobs(&data, "logs").into_iter().zip(log_names).collect();
                match Reflect::get(&data, &"file".into()).ok().and_then(|f| f.dyn_into::<Blob>().ok()) {
                    Some(blob) => wasm_bindgen_futures::spawn_local(scan(blob, settings, load_id, logs)),
                    None => {
                        post(&FromWorker::Failed { load_id, message: "No file came with the request.".into() }, None)
                    }
                }
            }
            Ok(ToWorker::Path { path_id, settings, names, order }) => {
                LIVE_PATH.set(path_id);
                let files = blobs(&data, "files");
                if files.len() == names.len() {
                    wasm_bindgen_futures::spawn_local(path(files, names, order, settings, path_id));
                } else {
                    post(
                        &FromWorker::PathFailed {
                            path_id,
                            message: "The captures did not come with the request.".into(),
                        },
                        None,
                    );
                }
            }
            Ok(ToWorker::CancelPath { path_id }) => {
                if LIVE_PATH.get() == path_id {
                    LIVE_PATH.set(0);
                }
            }
            Ok(ToWorker::Select { load_id, expr, settings }) => {
                SELECTS.set(SELECTS.get().wrapping_add(1));
                match Reflect::get(&data, &"file".into()).ok().and_then(|f| f.dyn_into::<Blob>().ok()) {
                    Some(blob) => wasm_bindgen_futures::spawn_local(select(blob, load_id, expr, settings)),
                    None => post(
                        &FromWorker::Selected {
                            load_id,
                            expr,
                            settings,
                            error: Some("No file came with the request.".into()),
                        },
                        None,
                    ),
                }
            }
            Ok(ToWorker::Annotate { load_id, settings, all, trim }) => {
                // `all` is every frame written; the comments stay on the frames worth one.
                let options = AnnotateOptions { all: false, trim };
                let numbers = (!all).then(|| {
                    let bytes = Reflect::get(&data, &"records".into())
                        .ok()
                        .and_then(|r| r.dyn_into::<Uint8Array>().ok())
                        .map_or_else(Vec::new, |a| a.to_vec());
                    bytes.chunks_exact(8).map(|b| u64::from_le_bytes(b.try_into().unwrap_or_default())).collect()
                });
                if let Some(blob) = Reflect::get(&data, &"file".into()).ok().and_then(|f| f.dyn_into::<Blob>().ok()) {
                    wasm_bindgen_futures::spawn_local(annotate(blob, load_id, settings, numbers, options));
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

    /// Bytes of lesson captures scanned at start-up (see [`warm_up`]).
    const WARM_UP_BYTES: usize = 4 << 20;

    /// Runs the scan's code before the user's file comes. V8 first runs wasm
    /// as baseline code and compiles the hot functions again, optimized,
    /// once they have run a while, on background threads: without this that
    /// happens during the user's first scan, on the same cores (310 ms of
    /// compiling in a traced scan of the 210 MB benchmark, bench/web). The
    /// lesson captures cover both file formats and the frame kinds of the
    /// gallery; a page's messages wait in the queue meanwhile.
    fn warm_up() {
        let captures = framelens::craft::gallery();
        let mut scanned = 0;
        while scanned < WARM_UP_BYTES {
            for (_, bytes) in &captures {
                let mut scanner = Scanner::new(Settings::default());
                let mut batch = RecordBatch::new();
                let _ = scanner.push(bytes, |r| batch.push(r));
                let _ = (scanner.counts(), batch.into_parts(), scanner.finish());
                scanned += bytes.len();
            }
        }
        // And the path matcher's, on the path story.
        let story = framelens::craft::paths::story();
        let files: Vec<(&str, &[u8])> = story.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        let mut texts = Texts::default();
        let mut words = Vec::new();
        let _ = framelens::path::follow_bytes(&files, PathSettings::default(), |plan, j| {
            encode(plan, j, &mut texts, &mut words)
        });
    }

    pub fn start() {
        let handler = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
        scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
        // The worker lives as long as the page: so does its handler.
        handler.forget();
        warm_up();
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
