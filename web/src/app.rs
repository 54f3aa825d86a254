//! The page: one reducer for the state, effects that talk to the browser
//! (file reads, the URL fragment), and the views as child components.

use crate::components::drop_zone::DropZone;
use crate::components::frame_list::FrameList;
use crate::components::glossary::{Glossary, GlossaryLinks};
use crate::components::legend::Legend;
use crate::components::lesson_gallery::LessonGallery;
use crate::components::lesson_walker::LessonWalker;
use crate::components::progress::ProgressBar;
use crate::components::selected_frame::SelectedFrame;
use crate::components::settings_panel::SettingsPanel;
use crate::components::share_dialog::ShareDialog;
use crate::components::shared_view::SharedView;
use crate::components::summary::SummaryView;
use crate::components::whatif::WhatIf;
use crate::loader::{cached_packet, fetch_packet, RecordAt};
use crate::protocol::ReadContext;
use crate::state::{Action, Fragment, Phase, State};
use framelens::explain::whatif::Baseline;
use framelens::scan::store::RecordStore;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DragEvent, File};
use yew::prelude::*;

fn location_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// What reading a frame ahead of its selection needs from the page's latest
/// render (handlers set up once would otherwise see their first render's).
#[derive(Clone, Default)]
struct Latest {
    load_id: u32,
    frames: RecordStore,
    blob: Option<Blob>,
    context: Rc<ReadContext>,
    /// The fragment the page writes for its state, while no shared link is open.
    own_fragment: Option<String>,
}

/// Runs `select` once frame `n` has been read (or failed to be: the anatomy
/// then reads it again and says why), so that the list's selection and the
/// frame's anatomy render in one pass: the read takes place while the page
/// is idle, instead of after a render and paint of the selection alone. At
/// once when the frame is cached or not in the capture. `seq` is bumped by
/// every selection, so a read overtaken by a later one selects nothing.
fn select_after_read(latest: Latest, seq: &Rc<Cell<u32>>, n: Option<u64>, select: impl FnOnce() + 'static) {
    let ticket = seq.get().wrapping_add(1);
    seq.set(ticket);
    let Some(read) = n.and_then(|n| read_ahead(&latest, n)) else { return select() };
    let seq = seq.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = read.await;
        if seq.get() == ticket {
            select();
        }
    });
}

/// Reads frame `n` into the packet cache; `None` if it is cached already or
/// not in the capture.
fn read_ahead(latest: &Latest, n: u64) -> Option<impl std::future::Future<Output = ()>> {
    if cached_packet(latest.load_id, n).is_some() {
        return None;
    }
    let r = latest.frames.by_number(n)?;
    let at = RecordAt { number: n, offset: r.offset, caplen: r.ledger.caplen };
    let (blob, context, load_id) = (latest.blob.clone()?, latest.context.clone(), latest.load_id);
    Some(async move {
        let _ = fetch_packet(blob, at, context, load_id).await;
    })
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| State::default().apply(Action::Hash(location_hash())));
    let source = use_state(|| None::<(Blob, String)>);
    let next_id = use_mut_ref(|| 0u32);
    let latest = use_mut_ref(Latest::default);
    *latest.borrow_mut() = Latest {
        load_id: state.load_id,
        frames: state.frames.clone(),
        blob: (*source).as_ref().map(|(b, _)| b.clone()),
        context: state.context.clone(),
        own_fragment: state.shared.is_none().then(|| state.fragment().format()),
    };
    let select_seq: Rc<Cell<u32>> = use_memo((), |_| Cell::new(0u32));
    let dragging = use_state(|| false);
    // The scan worker, started with the page; its messages become actions.
    let worker = {
        let state = state.clone();
        use_memo((), move |_| {
            crate::loader::ScanWorker::start(Callback::from(move |a: Action| state.dispatch(a))).map_err(|m| {
                format!("The page could not start its scan worker ({m}); reload, or try a current browser.")
            })
        })
    };

    let start = {
        let (state, source, next_id, worker) = (state.clone(), source.clone(), next_id.clone(), worker.clone());
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
                Ok(w) => w.scan(id, &blob, state.settings),
                Err(m) => Err(m.clone()),
            };
            state.dispatch(Action::Start { load_id: id, name: name.clone(), size: blob.size() as u64 });
            source.set(Some((blob.clone(), name)));
            if let Err(message) = sent {
                state.dispatch(Action::Failed { load_id: id, message });
            }
        })
    };
    let on_file = start.reform(|f: File| {
        let name = f.name();
        (Blob::from(f), name)
    });
    let on_example = {
        let (start, state, next_id) = (start.clone(), state.clone(), next_id.clone());
        Callback::from(move |name: &'static str| {
            let (start, state) = (start.clone(), state.clone());
            let id = *next_id.borrow() + 1;
            wasm_bindgen_futures::spawn_local(async move {
                match crate::loader::fetch_example(name).await {
                    Ok(blob) => start.emit((blob, name.to_string())),
                    Err(m) => {
                        state.dispatch(Action::Start { load_id: id, name: name.into(), size: 0 });
                        state.dispatch(Action::Failed { load_id: id, message: m });
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
        let (start, source, state2) = (start.clone(), source.clone(), state.clone());
        use_effect_with(state.rescan_due, move |due| {
            if *due {
                state2.dispatch(Action::RescanStarted);
                if let Some(src) = (*source).clone() {
                    start.emit(src);
                }
            }
        });
    }

    // State → URL fragment (a new history entry, so back/forward walk selections).
    use_effect_with(state.fragment(), |f| {
        if Fragment::parse(&location_hash()) != *f {
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash(&f.format());
            }
        }
    });
    // URL fragment → state (back/forward, a pasted link).
    {
        let (state, latest, seq) = (state.clone(), latest.clone(), select_seq.clone());
        use_effect_with((), move |_| {
            let cb = Closure::<dyn Fn()>::new(move || {
                let hash = location_hash();
                let latest = latest.borrow().clone();
                // The page's own echo (it wrote this fragment for its state) changes nothing.
                if latest.own_fragment.as_deref() == Some(hash.as_str()) {
                    return;
                }
                let state = state.clone();
                let frame = Fragment::parse(&hash).frame;
                select_after_read(latest, &seq, frame, move || state.dispatch(Action::Hash(location_hash())));
            });
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
        let (on_file, dragging) = (on_file.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(f) = e.data_transfer().and_then(|dt| dt.files()).and_then(|l| l.get(0)) {
                on_file.emit(f);
            }
        })
    };

    let on_select = {
        let (state, latest, seq) = (state.clone(), latest.clone(), select_seq.clone());
        Callback::from(move |n: u64| {
            let state = state.clone();
            select_after_read(latest.borrow().clone(), &seq, Some(n), move || state.dispatch(Action::Select(Some(n))))
        })
    };
    let on_step = {
        let (state, seq) = (state.clone(), select_seq.clone());
        Callback::from(move |d: i64| {
            // A step overtakes any selection still waiting for its read.
            seq.set(seq.get().wrapping_add(1));
            state.dispatch(Action::Step(d))
        })
    };
    let on_filter = {
        let state = state.clone();
        Callback::from(move |f| state.dispatch(Action::SetFilter(f)))
    };
    // The share flow's components send reducer actions directly.
    let dispatch_action = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };
    let on_share = dispatch_action.reform(Action::OpenShare);
    let on_settings = {
        let state = state.clone();
        Callback::from(move |s| state.dispatch(Action::SetSettings(s)))
    };
    let act = |a: Action| {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(a.clone()))
    };
    let on_open_lesson = {
        let state = state.clone();
        Callback::from(move |id: &'static str| state.dispatch(Action::OpenLesson(id)))
    };
    let on_lesson_step = {
        let state = state.clone();
        Callback::from(move |k: usize| state.dispatch(Action::LessonStep(k)))
    };
    let glossary_links = {
        let state = state.clone();
        GlossaryLinks(Callback::from(move |id: &'static str| state.dispatch(Action::ShowGlossary(Some(id)))))
    };
    let on_glossary = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            state.dispatch(if state.glossary.is_some() { Action::HideGlossary } else { Action::ShowGlossary(None) })
        })
    };
    let visible = {
        let (frames, filter, settings) = (state.frames.clone(), state.filter, state.settings);
        let st = state.clone();
        use_memo((frames, filter, settings), move |_| st.visible())
    };

    // The frames beside the selection (in the list as filtered) are read
    // ahead, so that the arrow keys select in one pass too.
    {
        let (latest, visible) = (latest.clone(), visible.clone());
        use_effect_with((state.selected, state.load_id), move |&(selected, _)| {
            let latest = latest.borrow().clone();
            let Some(i) = selected.and_then(|n| visible.position(n)) else { return };
            for j in [i.checked_add(1), i.checked_sub(1)].into_iter().flatten() {
                if let Some(read) = visible.get(j).and_then(|m| read_ahead(&latest, m)) {
                    wasm_bindgen_futures::spawn_local(read);
                }
            }
        });
    }

    let loaded = state.phase != Phase::Empty;
    let selected_here = state.selected.and_then(|n| state.frames.by_number(n));
    let blob = (*source).as_ref().map(|(b, _)| b.clone());
    html! {
        <div class={classes!("app", (*dragging).then_some("dragging"), (!loaded).then_some("start"))}
            ondragover={on_dragover} ondragenter={Callback::from(|e: DragEvent| e.prevent_default())}
            ondragleave={on_dragleave} ondrop={on_drop}>
            <ContextProvider<GlossaryLinks> context={glossary_links}>
            <header class="top">
                <h1>{ "Framelens" }</h1>
                <p class="tagline">
                    { "Explains why each captured network frame is as long as it is \u{2014} entirely in your browser; nothing is uploaded." }
                </p>
                <button type="button" class="cancel glossary-open" data-testid="glossary-open" aria-expanded={state.glossary.is_some().to_string()}
                    onclick={on_glossary}>{ "Glossary" }</button>
            </header>
            if let Some(page) = &state.shared {
                <SharedView page={page.clone()} on_action={dispatch_action.clone()} />
            }
            <DropZone {on_file} {on_example} compact={loaded || state.shared.is_some()} />
            if loaded {
                <ProgressBar progress={state.progress.clone()} frames={state.frames.len()} phase={state.phase.clone()} {on_cancel} />
                <div class="layout">
                    <div class="col-main">
                        <SummaryView file_name={state.file_name.clone()} phase={state.phase.clone()}
                            frames={state.frames.clone()} counts={state.counts} summary={state.summary.clone()} findings={state.interim.clone()} settings={state.settings}
                            on_select={on_select.clone()} />
                        <FrameList frames={state.frames.clone()} visible={(*visible).clone()} selected={state.selected}
                            settings={state.settings} filter={state.filter} on_select={on_select.clone()} {on_step} {on_filter} />
                        if let Some(r) = selected_here {
                            <WhatIf number={r.number} base={Baseline::new(r.mtu, &r.ledger)} settings={state.settings} />
                        }
                    </div>
                    <div class="col-side">
                        if let Some(at) = state.lesson {
                            <LessonWalker id={at.id} step={at.step} on_step={on_lesson_step} on_close={act(Action::CloseLesson)} />
                        }
                        <SettingsPanel settings={state.settings} on_change={on_settings} />
                        <Legend />
                        if let Some(r) = selected_here {
                            <SelectedFrame {blob} context={state.context.clone()} load_id={state.load_id} number={r.number} offset={r.offset}
                                caplen={r.ledger.caplen} settings={state.settings} highlight={state.lesson_highlight()} on_share={on_share.clone()} />
                        } else {
                            <p class="hint">{ "Select a frame to see its anatomy (click a row, or use the arrow keys in the list)." }</p>
                        }
                    </div>
                </div>
            } else {
                <LessonGallery on_open={on_open_lesson} />
                if state.shared.is_none() {
                    // A shared frame has its own settings panel.
                    <SettingsPanel settings={state.settings} on_change={on_settings} />
                }
            }
            if let Some(draft) = &state.share {
                <ShareDialog draft={draft.clone()} file_name={state.file_name.clone()} on_action={dispatch_action.clone()} />
            }
            if let Some(target) = state.glossary {
                <Glossary {target} on_close={act(Action::HideGlossary)} />
            }
            <div class="drop-overlay" aria-hidden="true"><span>{ "Drop the capture to read it here, in your browser" }</span></div>
            </ContextProvider<GlossaryLinks>>
        </div>
    }
}
