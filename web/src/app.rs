//! The page: one reducer for the state, effects that talk to the browser
//! (file reads, the URL fragment), and the views as child components.

use crate::components::drop_zone::DropZone;
use crate::components::filter_bar::FilterBar;
use crate::components::frame_list::FrameList;
use crate::components::glossary::{Glossary, GlossaryLinks};
use crate::components::journey_detail::JourneyDetail;
use crate::components::journey_share_dialog::JourneyShareDialog;
use crate::components::legend::Legend;
use crate::components::lesson_gallery::LessonGallery;
use crate::components::lesson_walker::LessonWalker;
use crate::components::log_panel::LogPanel;
use crate::components::path_view::PathView;
use crate::components::progress::ProgressBar;
use crate::components::selected_frame::SelectedFrame;
use crate::components::settings_panel::SettingsPanel;
use crate::components::share_dialog::ShareDialog;
use crate::components::shared_view::SharedView;
use crate::components::summary::SummaryView;
use crate::components::whatif::WhatIf;
use crate::loader::{classify, Dropped, FrameReader, ScanWorker};
use crate::share_state::SharedPage;
use crate::state::{Action, Phase, State};
use framelens::capture::OwnedFrame;
use framelens::capture::RecordAt;
use framelens::explain::annotate::TrimKinds;
use framelens::explain::whatif::Baseline;
use framelens::settings::Settings;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DragEvent, File};
use yew::prelude::*;

fn location_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The callbacks that only send an action: made once (the dispatcher stays
/// the same), so that the children's props stay equal from one render to
/// the next and those children do not render again.
struct Handlers {
    dispatch: Callback<Action>,
    select: Callback<u64>,
    step: Callback<i64>,
    filter: Callback<crate::state::Filter>,
    expr: Callback<String>,
    settings: Callback<Settings>,
    share: Callback<Rc<OwnedFrame>>,
    open_lesson: Callback<&'static str>,
    lesson_step: Callback<usize>,
    close_lesson: Callback<()>,
    glossary_links: GlossaryLinks,
    path_filter: Callback<crate::path_state::PathFilter>,
    move_point: Callback<(usize, usize)>,
    set_order: Callback<Vec<String>>,
    select_journey: Callback<Option<u64>>,
    close_journey: Callback<()>,
    share_journey: Callback<()>,
    toggle_glossary: Callback<MouseEvent>,
    hide_glossary: Callback<()>,
    unfold: Callback<(u64, u32)>,
}

impl Handlers {
    fn new(dispatch: Callback<Action>) -> Self {
        Handlers {
            select: dispatch.reform(|n| Action::Select(Some(n))),
            step: dispatch.reform(Action::Step),
            filter: dispatch.reform(Action::SetFilter),
            expr: dispatch.reform(Action::SetExpr),
            settings: dispatch.reform(Action::SetSettings),
            share: dispatch.reform(Action::OpenShare),
            open_lesson: dispatch.reform(Action::OpenLesson),
            lesson_step: dispatch.reform(Action::LessonStep),
            close_lesson: dispatch.reform(|()| Action::CloseLesson),
            glossary_links: GlossaryLinks(dispatch.reform(|id| Action::ShowGlossary(Some(id)))),
            path_filter: dispatch.reform(Action::PathFilter),
            move_point: dispatch.reform(|(from, to)| Action::MovePoint { from, to }),
            set_order: dispatch.reform(Action::SetOrder),
            select_journey: dispatch.reform(Action::SelectJourney),
            close_journey: dispatch.reform(|()| Action::SelectJourney(None)),
            share_journey: dispatch.reform(|()| Action::OpenJourneyShare),
            toggle_glossary: dispatch.reform(|_| Action::ToggleGlossary),
            hide_glossary: dispatch.reform(|()| Action::HideGlossary),
            unfold: dispatch.reform(|(frame, start)| Action::Unfold { frame, start }),
            dispatch,
        }
    }
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| State::default().apply(Action::Hash(location_hash())));
    let on = use_memo((), {
        let dispatcher = state.dispatcher();
        move |_| Handlers::new(dispatcher.to_callback())
    });
    let source = use_state(|| None::<(Blob, String)>);
    // Every capture open, the kernel logs beside them, and the active capture (for the async handlers).
    let sources = use_mut_ref(Vec::<(Blob, String)>::new);
    let logs = use_mut_ref(Vec::<(Blob, String)>::new);
    let current = use_mut_ref(|| None::<(Blob, String)>);
    let next_path = use_mut_ref(|| 0u32);
    let next_id = use_mut_ref(|| 0u32);
    let reader = use_memo((), |_| FrameReader::default());
    let dragging = use_state(|| false);
    // The scan worker, started with the page; its messages become actions.
    let worker = use_memo((), {
        let dispatch = on.dispatch.clone();
        move |_| {
            ScanWorker::start(dispatch).map_err(|m| {
                format!("The page could not start its scan worker ({m}); reload, or try a current browser.")
            })
        }
    });

    // The path diagnosis runs in a worker of its own, beside the scan's.
    let path_worker = use_memo((), {
        let dispatch = on.dispatch.clone();
        move |_| ScanWorker::start(dispatch).map_err(|m| format!("The page could not start its path worker ({m})."))
    });

    let start = {
        let (state, source, next_id, worker) = (state.clone(), source.clone(), next_id.clone(), worker.clone());
        let (logs, current) = (logs.clone(), current.clone());
        Callback::from(move |(blob, name): (Blob, String)| {
            let id = {
                let mut n = next_id.borrow_mut();
                *n += 1;
                *n
            };
            // The worker starts before the page re-renders for the new file
            // (a dispatch renders at once, tens of ms); its first message
            // cannot arrive before this handler has returned.
            let sent = match worker.as_ref() {
                Ok(w) => w.scan(id, &blob, state.settings, &logs.borrow()),
                Err(m) => Err(m.clone()),
            };
            state.dispatch(Action::Start { load_id: id, name: name.clone(), size: blob.size() as u64 });
            *current.borrow_mut() = Some((blob.clone(), name.clone()));
            source.set(Some((blob.clone(), name)));
            if let Err(message) = sent {
                state.dispatch(Action::Failed { load_id: id, message });
            }
        })
    };
    // Two or more captures open: follow packets across all of them.
    let follow = {
        let (sources, path_worker, next_path, dispatch) =
            (sources.clone(), path_worker.clone(), next_path.clone(), on.dispatch.clone());
        let (settings, order) = (state.settings, state.order.clone());
        Callback::from(move |()| {
            let files = sources.borrow().clone();
            if files.len() < 2 {
                return;
            }
            let id = {
                let mut n = next_path.borrow_mut();
                *n += 1;
                *n
            };
            dispatch.emit(Action::PathStart { path_id: id, order: order.clone() });
            let sent = match path_worker.as_ref() {
                Ok(w) => w.path(id, &files, settings, order.clone()),
                Err(m) => Err(m.clone()),
            };
            if let Err(message) = sent {
                dispatch.emit(Action::PathFailed { path_id: id, message });
            }
        })
    };
    // Dropped or picked files: captures join those open, kernel logs (told
    // apart by the core from the first bytes) are read beside them.
    let on_files = {
        let (start, follow, dispatch) = (start.clone(), follow.clone(), on.dispatch.clone());
        let (sources, logs, current) = (sources.clone(), logs.clone(), current.clone());
        Callback::from(move |files: Vec<File>| {
            let (start, follow, dispatch) = (start.clone(), follow.clone(), dispatch.clone());
            let (sources, logs, current) = (sources.clone(), logs.clone(), current.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let (mut caps, mut new_logs) = (Vec::new(), Vec::new());
                for f in files {
                    let name = f.name();
                    let blob = Blob::from(f);
                    match classify(&blob).await {
                        Dropped::Log => new_logs.push((blob, name)),
                        Dropped::Capture | Dropped::Other => caps.push((blob, name)),
                    }
                }
                for (b, n) in &caps {
                    let mut s = sources.borrow_mut();
                    match s.iter_mut().find(|(_, m)| m == n) {
                        Some(e) => e.0 = b.clone(),
                        None => s.push((b.clone(), n.clone())),
                    }
                }
                for (b, n) in &new_logs {
                    let mut l = logs.borrow_mut();
                    l.retain(|(_, m)| m != n);
                    l.push((b.clone(), n.clone()));
                }
                dispatch.emit(Action::AddFiles {
                    captures: caps.iter().map(|(b, n)| (n.clone(), b.size() as u64)).collect(),
                    logs: new_logs.iter().map(|(_, n)| n.clone()).collect(),
                    replace: false,
                });
                // The first capture dropped is the one the frame list shows;
                // a log alone rescans the capture shown with it.
                let active = current.borrow().clone();
                match (caps.first(), active) {
                    (Some(first), _) => {
                        if let Some(i) = sources.borrow().iter().position(|(_, n)| *n == first.1) {
                            dispatch.emit(Action::Activate(i));
                        }
                        start.emit(first.clone());
                    }
                    (None, Some(active)) if !new_logs.is_empty() => start.emit(active),
                    _ => {}
                }
                if !caps.is_empty() && sources.borrow().len() >= 2 {
                    follow.emit(());
                }
            });
        })
    };
    let on_activate = {
        let (start, dispatch, sources) = (start.clone(), on.dispatch.clone(), sources.clone());
        Callback::from(move |i: usize| {
            let src = sources.borrow().get(i).cloned();
            if let Some(src) = src {
                dispatch.emit(Action::Activate(i));
                start.emit(src);
            }
        })
    };
    let on_example = {
        let (start, dispatch, next_id) = (start.clone(), on.dispatch.clone(), next_id.clone());
        let (sources, logs) = (sources.clone(), logs.clone());
        Callback::from(move |name: &'static str| {
            let (start, dispatch) = (start.clone(), dispatch.clone());
            let (sources, logs) = (sources.clone(), logs.clone());
            let id = *next_id.borrow() + 1;
            wasm_bindgen_futures::spawn_local(async move {
                match crate::loader::fetch_example(name).await {
                    Ok(blob) => {
                        *sources.borrow_mut() = vec![(blob.clone(), name.to_string())];
                        logs.borrow_mut().clear();
                        dispatch.emit(Action::AddFiles {
                            captures: vec![(name.to_string(), blob.size() as u64)],
                            logs: vec![],
                            replace: true,
                        });
                        start.emit((blob, name.to_string()))
                    }
                    Err(m) => {
                        dispatch.emit(Action::Start { load_id: id, name: name.into(), size: 0 });
                        dispatch.emit(Action::Failed { load_id: id, message: m });
                    }
                }
            });
        })
    };
    // A lesson (from its card or a `#lesson=` link) loads its own capture.
    {
        let on_example = on_example.clone();
        use_effect_with(state.lesson_capture_due(), move |due| {
            if let Some(capture) = *due {
                on_example.emit(capture);
            }
        });
    }
    // A path lesson opens its captures and logs as one drop of them all (in
    // the lesson's order, which numbers the points): the frame list shows
    // the capture its logs are about, and the path view follows them all.
    {
        let (start, follow, dispatch, next_id) = (start.clone(), follow.clone(), on.dispatch.clone(), next_id.clone());
        let (sources, logs) = (sources.clone(), logs.clone());
        use_effect_with(state.lesson_path_due(), move |due| {
            let Some(set) = *due else { return };
            let (sources, logs) = (sources.clone(), logs.clone());
            let id = *next_id.borrow() + 1;
            wasm_bindgen_futures::spawn_local(async move {
                let mut fetched = (Vec::new(), Vec::new());
                for (names, into) in [(set.captures, &mut fetched.0), (set.logs, &mut fetched.1)] {
                    for &name in names {
                        match crate::loader::fetch_static(&set.url(name), name).await {
                            Ok(blob) => into.push((blob, name.to_string())),
                            Err(m) => {
                                dispatch.emit(Action::Start { load_id: id, name: name.into(), size: 0 });
                                dispatch.emit(Action::Failed { load_id: id, message: m });
                                return;
                            }
                        }
                    }
                }
                let (caps, new_logs) = fetched;
                *sources.borrow_mut() = caps.clone();
                *logs.borrow_mut() = new_logs.clone();
                dispatch.emit(Action::AddFiles {
                    captures: caps.iter().map(|(b, n)| (n.clone(), b.size() as u64)).collect(),
                    logs: new_logs.iter().map(|(_, n)| n.clone()).collect(),
                    replace: true,
                });
                if let Some(shown) = caps.get(set.shown) {
                    dispatch.emit(Action::Activate(set.shown));
                    start.emit(shown.clone());
                }
                follow.emit(());
            });
        });
    }
    // The reader chose another order of the points (a column dragged, an
    // `order=` link): the path is followed again in it.
    {
        let follow = follow.clone();
        use_effect_with(state.follow_due(), move |due| {
            if due.is_some() {
                follow.emit(());
            }
        });
    }
    let on_cancel = {
        let (state, worker) = (state.clone(), worker.clone());
        Callback::from(move |()| {
            if let Ok(w) = worker.as_ref() {
                w.cancel(state.load_id);
            }
            state.dispatch(Action::Cancel);
        })
    };

    // An FCS mode change re-scans the same file with the new settings.
    {
        let (start, source, dispatch) = (start.clone(), source.clone(), on.dispatch.clone());
        use_effect_with(state.rescan_due, move |due| {
            if *due {
                dispatch.emit(Action::RescanStarted);
                if let Some(src) = (*source).clone() {
                    start.emit(src);
                }
            }
        });
    }

    // The frames the selection needs from the file: the selected one, then
    // the ones beside it (read ahead, so that the arrow keys select in one
    // pass too). Each read ends in an `Action::FrameRead`, which shows the
    // frame if it is still the one selected. Reads ahead wait for the paint
    // of the frame shown: each costs a `Blob.slice`, about 1 ms of the
    // page's thread in Chromium, which would otherwise delay that paint.
    {
        let (reader, dispatch) = (reader.clone(), on.dispatch.clone());
        let (frames, context) = (state.frames.clone(), state.context.clone());
        let blob = (*source).as_ref().map(|(b, _)| b.clone());
        let ahead = state.reading_ahead();
        use_effect_with((state.load_id, state.reads_due()), move |(load_id, due)| {
            let Some(blob) = blob else { return };
            for r in due.iter().filter_map(|&n| frames.by_number(n)) {
                let at = RecordAt { number: r.number, offset: r.offset, caplen: r.ledger.caplen };
                if ahead {
                    reader.read_after_paint(&blob, at, context.clone(), *load_id, dispatch.clone());
                } else {
                    reader.read(&blob, at, context.clone(), *load_id, dispatch.clone());
                }
            }
        });
    }

    // The selected journey's frames, each from its own capture.
    {
        let (reader, dispatch, sources) = (reader.clone(), on.dispatch.clone(), sources.clone());
        let path = state.path.as_ref().map(|p| (p.id, p.outcome.clone()));
        use_effect_with((path.as_ref().map(|p| p.0), state.journey_reads_due()), move |(_, due)| {
            let Some((path_id, outcome)) = path else { return };
            for &(file, s) in due {
                let Some((blob, _)) = sources.borrow().get(file).cloned() else { continue };
                let context = Rc::new(outcome.as_ref().and_then(|o| o.contexts.get(file).cloned()).unwrap_or_default());
                let at = RecordAt { number: s.frame, offset: s.offset, caplen: s.caplen };
                let done = dispatch.reform(move |a: Action| match a {
                    Action::FrameRead { number, packet, .. } => {
                        Action::JourneyFrameRead { path_id, file, number, packet }
                    }
                    other => other,
                });
                // Reads of journey frames are told apart from the scan's by their own load ids.
                let load = 0x8000_0000 | (path_id & 0x7f_ffff) << 8 | (file as u32 & 0xff);
                reader.read(&blob, at, context, load, done);
            }
        });
    }
    // A display filter that needs the frames' bytes: the worker re-reads the file.
    {
        let (worker, source) = (worker.clone(), source.clone());
        use_effect_with(state.select_due(), move |due| {
            if let (Some(req), Some((blob, _)), Ok(w)) = (due, (*source).as_ref(), worker.as_ref()) {
                if let Err(m) = w.select(req, blob) {
                    web_sys::console::error_1(&m.into());
                }
            }
        });
    }
    // Downloads of the list as shown: CSV made here from the records, the
    // annotated pcapng written by the worker from the file.
    let stem = state.file_name.as_deref().map_or("capture", |n| n.rsplit_once('.').map_or(n, |(s, _)| s)).to_string();
    let on_csv = {
        let (state, stem) = (state.clone(), stem.clone());
        Callback::from(move |()| {
            let parts = js_sys::Array::new();
            for piece in crate::csv::csv_pieces(&state.frames, &state.visible, &state.settings, 20_000) {
                parts.push(&piece.into());
            }
            let bag = web_sys::BlobPropertyBag::new();
            bag.set_type("text/csv");
            let name = format!("{stem}.csv");
            let note = match Blob::new_with_str_sequence_and_options(&parts, &bag)
                .map_err(|e| format!("{e:?}"))
                .and_then(|b| crate::loader::download(&b, &name))
            {
                Ok(()) => format!("{name}: {} rows.", state.visible.len()),
                Err(m) => format!("The CSV could not be saved: {m}"),
            };
            state.dispatch(Action::Exported(note));
        })
    };
    // The annotated pcapng as it was, or trimmed (`--trim`: the unexplained bytes cut).
    let annotated = |trim: Option<TrimKinds>, suffix: &'static str| {
        let (state, source, worker, stem) = (state.clone(), source.clone(), worker.clone(), stem.clone());
        Callback::from(move |()| {
            let (Some((blob, _)), Ok(w)) = ((*source).as_ref(), worker.as_ref()) else { return };
            let numbers = match &state.visible {
                crate::state::Visible::All(_) => None,
                crate::state::Visible::Some(v) => Some(v.as_slice()),
            };
            let name = format!("{stem}.{suffix}.pcapng");
            state.dispatch(Action::Exported(format!("Writing {name}\u{2026}")));
            if let Err(m) = w.annotate(state.load_id, blob, state.settings, numbers, trim, name) {
                state.dispatch(Action::Exported(m));
            }
        })
    };
    let on_annotate = annotated(None, "annotated");
    let on_trim = annotated(Some(TrimKinds::default()), "trimmed");

    // State → URL fragment (a new history entry, so back/forward walk selections).
    use_effect_with(state.fragment(), |f| {
        if crate::state::Fragment::parse(&location_hash()) != *f {
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash(&f.format());
            }
        }
    });
    // URL fragment → state (back/forward, a pasted link). The page's own
    // fragment coming back changes nothing (`State::ignores`).
    {
        let dispatch = on.dispatch.clone();
        use_effect_with((), move |_| {
            let cb = Closure::<dyn Fn()>::new(move || dispatch.emit(Action::Hash(location_hash())));
            let w = web_sys::window();
            if let Some(w) = &w {
                let _ = w.add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = w {
                    let _ = w.remove_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
                }
            }
        });
    }

    // Dropping works anywhere on the page.
    let on_dragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Files only: a path column dragged over the page is not a drop.
            if !e.data_transfer().is_some_and(|dt| dt.types().includes(&"Files".into(), 0)) {
                return;
            }
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let on_dragleave = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Only when leaving the page, not when moving between children.
            if e.related_target().is_none() {
                dragging.set(false);
            }
        })
    };
    let on_drop = {
        let (on_files, dragging) = (on_files.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(l) = e.data_transfer().and_then(|dt| dt.files()) {
                on_files.emit((0..l.length()).filter_map(|i| l.get(i)).collect());
            }
        })
    };

    let loaded = state.phase != Phase::Empty;
    let shown = state.shown.and_then(|n| state.frames.by_number(n));
    let shared_unfolded = match &state.shared {
        Some(SharedPage::Open { packet, .. }) => state.unfolded_in(packet.number),
        _ => Vec::new(),
    };
    html! {
        <div class={classes!("app", (*dragging).then_some("dragging"), (!loaded).then_some("start"))}
            ondragover={on_dragover} ondragenter={Callback::from(|e: DragEvent| e.prevent_default())}
            ondragleave={on_dragleave} ondrop={on_drop}>
            <ContextProvider<GlossaryLinks> context={on.glossary_links.clone()}>
            <header class="top">
                <h1>{ "Framelens" }</h1>
                <p class="tagline">
                    { "Explains why each captured network frame is as long as it is \u{2014} entirely in your browser; nothing is uploaded." }
                </p>
                <button type="button" class="cancel glossary-open" data-testid="glossary-open" aria-expanded={state.glossary.is_some().to_string()}
                    onclick={on.toggle_glossary.clone()}>{ "Glossary" }</button>
            </header>
            if let Some(page) = &state.shared {
                <SharedView page={page.clone()} on_action={on.dispatch.clone()} unfolded={shared_unfolded} />
            }
            <DropZone {on_files} {on_example} compact={loaded || state.shared.is_some()} />
            if loaded {
                <ProgressBar progress={state.progress.clone()} frames={state.frames.len()} phase={state.phase.clone()} {on_cancel} />
                <div class="layout">
                    <div class="col-main">
                        <SummaryView file_name={state.file_name.clone()} phase={state.phase.clone()}
                            frames={state.frames.clone()} counts={state.counts} summary={state.summary.clone()} findings={state.interim.clone()} settings={state.settings}
                            on_select={on.select.clone()} />
                        if state.captures.len() > 1 {
                            <nav class="captures" data-testid="captures" aria-label="Open captures">
                                { for state.captures.iter().enumerate().map(|(i, (name, _))| {
                                    let onclick = on_activate.reform(move |_: MouseEvent| i);
                                    let active = i == state.active;
                                    html! { <button type="button" class={classes!("capture-tab", active.then_some("active"))}
                                        data-testid="capture-tab" aria-pressed={active.to_string()} {onclick}>{ name.clone() }</button> }
                                }) }
                            </nav>
                        }
                        if let Some(path) = &state.path {
                            <PathView path={path.clone()} on_filter={on.path_filter.clone()} on_select={on.select_journey.clone()}
                                on_move={on.move_point.clone()} on_order={on.set_order.clone()} />
                            if path.selected.is_some() {
                                <JourneyDetail path={path.clone()} settings={state.settings} lesson={state.lesson_journey_highlight()}
                                    on_close={on.close_journey.clone()} on_share={on.share_journey.clone()} />
                            }
                        }
                        <FilterBar text={state.expr_text.clone()} expr={state.expr.clone()}
                            pending={state.expr.pending(state.load_id, &state.settings)} shown={state.visible.len()}
                            ready={matches!(state.phase, Phase::Done | Phase::Cancelled)} note={state.export_note.clone()}
                            on_apply={on.expr.clone()} {on_csv} {on_annotate} {on_trim} />
                        <FrameList frames={state.frames.clone()} visible={state.visible.clone()} selected={state.shown}
                            settings={state.settings} filter={state.filter} on_select={on.select.clone()} on_step={on.step.clone()} on_filter={on.filter.clone()} />
                        if let Some(r) = shown {
                            <WhatIf number={r.number} base={Baseline::new(r.mtu, &r.ledger)} settings={state.settings} />
                        }
                    </div>
                    <div class="col-side">
                        if let Some(at) = state.lesson {
                            <LessonWalker id={at.id} step={at.step} on_step={on.lesson_step.clone()} on_close={on.close_lesson.clone()} />
                        }
                        <SettingsPanel settings={state.settings} on_change={on.settings.clone()} />
                        if let Some(log) = &state.log {
                            <LogPanel log={log.clone()} files={state.log_files.clone()} marked={state.lesson_log_line()} on_select={on.select.clone()} />
                        }
                        <Legend />
                        if let Some(r) = shown {
                            <SelectedFrame number={r.number} bytes={state.shown_bytes().cloned()} settings={state.settings}
                                highlight={state.lesson_highlight()} log={state.frame_log(r.number)} on_share={on.share.clone()}
                                unfolded={state.unfolded_in(r.number)} on_unfold={on.unfold.clone()} />
                        } else {
                            <p class="hint">{ "Select a frame to see its anatomy (click a row, or use the arrow keys in the list)." }</p>
                        }
                    </div>
                </div>
            } else {
                <LessonGallery on_open={on.open_lesson.clone()} />
                if state.shared.is_none() {
                    // A shared frame has its own settings panel.
                    <SettingsPanel settings={state.settings} on_change={on.settings.clone()} />
                }
            }
            if let Some(draft) = &state.share {
                <ShareDialog draft={draft.clone()} file_name={state.file_name.clone()} on_action={on.dispatch.clone()} />
            }
            if let Some(draft) = &state.share_journey {
                <JourneyShareDialog draft={draft.clone()} on_action={on.dispatch.clone()} />
            }
            if let Some(target) = state.glossary {
                <Glossary {target} on_close={on.hide_glossary.clone()} />
            }
            <div class="drop-overlay" aria-hidden="true"><span>{ "Drop the capture to read it here, in your browser" }</span></div>
            </ContextProvider<GlossaryLinks>>
        </div>
    }
}
