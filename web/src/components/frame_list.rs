use crate::markup::rows_html;
use crate::state::{Filter, Visible};
use framelens::explain::view::row;
use framelens::scan::store::RecordStore;
use framelens::settings::Settings;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// Row height in pixels: fixed, so the list renders only the rows in view.
pub const ROW_HEIGHT: f64 = 28.0;
const VIEW_HEIGHT: f64 = 420.0;
const OVERSCAN: usize = 8;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub frames: RecordStore,
    /// Frame numbers the filter lets through.
    pub visible: Visible,
    pub selected: Option<u64>,
    pub settings: Settings,
    pub filter: Filter,
    pub on_select: Callback<u64>,
    pub on_step: Callback<i64>,
    pub on_filter: Callback<Filter>,
}

/// Sets the list's scrollTop just before the next paint. Setting it at once
/// would force a layout of the whole page in the middle of the selection's
/// render, with the anatomy of the new frame half built (10 ms in a traced
/// selection); before the paint, the page is laid out once.
fn scroll_before_paint(el: HtmlElement, top: f64) {
    let scroll = Closure::once_into_js(move || el.set_scroll_top(top as i32));
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(scroll.unchecked_ref());
    }
}

/// The list's height for `rows` rows: at most `VIEW_HEIGHT`, at least 3 rows.
fn list_height(rows: usize) -> f64 {
    (rows.max(3) as f64 * ROW_HEIGHT).min(VIEW_HEIGHT)
}

#[component]
pub fn FrameList(props: &Props) -> Html {
    // Where the list is scrolled, as this component last set or read it. A
    // cell, not a state: the position fitted to a new selection is worked
    // out in this render, so a selection renders the list once (an effect
    // setting a state would render it a second time, on every selection).
    let scroll_top = use_mut_ref(|| 0.0f64);
    let redraw = use_force_update();
    let list_ref = use_node_ref();
    // Set when this component scrolls the list itself: the scroll event that
    // follows needs no read of scrollTop (which would force a layout).
    let scrolled_here = use_mut_ref(|| false);
    // The filter, selection and rows the position was last fitted to, and
    // the position the list still has to be scrolled to.
    let fitted = use_mut_ref(|| None::<(Filter, Option<u64>, Visible)>);
    let scroll_due = use_mut_ref(|| None::<f64>);
    let inputs = (props.filter, props.selected, props.visible.clone());
    if fitted.borrow().as_ref() != Some(&inputs) {
        let before = fitted.replace(Some(inputs));
        let visible = &props.visible;
        let view = list_height(visible.len());
        let max_top = (visible.len() as f64 * ROW_HEIGHT - view).max(0.0);
        // A new filter starts at the top; the browser clamps scrollTop when
        // the list shrinks, without a scroll event.
        let new_filter = before.is_some_and(|(f, _, _)| f != props.filter);
        let mut top = if new_filter { 0.0 } else { scroll_top.borrow().min(max_top) };
        // Keep the selected row in view (keyboard navigation, `#frame=N`,
        // findings). Computed from the list's own numbers, never read from
        // the page: reading scrollTop or clientHeight here would force a
        // layout of the whole page (with the previous frame's hex map).
        if let Some(i) = props.selected.and_then(|n| visible.position(n)) {
            let row = i as f64 * ROW_HEIGHT;
            if row < top {
                top = row;
            } else if row + ROW_HEIGHT > top + view {
                top = row + ROW_HEIGHT - view;
            }
        }
        if top != *scroll_top.borrow() {
            *scroll_top.borrow_mut() = top;
            *scroll_due.borrow_mut() = Some(top);
        }
    }
    {
        let (list_ref, scroll_due, scrolled_here) = (list_ref.clone(), scroll_due.clone(), scrolled_here.clone());
        use_effect(move || {
            let due = scroll_due.borrow_mut().take();
            if let (Some(top), Some(el)) = (due, list_ref.cast::<HtmlElement>()) {
                *scrolled_here.borrow_mut() = true;
                scroll_before_paint(el, top);
            }
        });
    }

    let on_scroll = {
        let (scroll_top, scrolled_here) = (scroll_top.clone(), scrolled_here.clone());
        Callback::from(move |e: Event| {
            if std::mem::take(&mut *scrolled_here.borrow_mut()) {
                return;
            }
            let el: HtmlElement = e.target_unchecked_into();
            let top = f64::from(el.scroll_top());
            if top != *scroll_top.borrow() {
                *scroll_top.borrow_mut() = top;
                redraw.force_update();
            }
        })
    };
    let on_key = {
        let step = props.on_step.clone();
        Callback::from(move |e: KeyboardEvent| {
            let d = match e.key().as_str() {
                "ArrowDown" | "j" => 1,
                "ArrowUp" | "k" => -1,
                "PageDown" => (VIEW_HEIGHT / ROW_HEIGHT) as i64,
                "PageUp" => -((VIEW_HEIGHT / ROW_HEIGHT) as i64),
                "Home" => -i64::MAX / 2,
                "End" => i64::MAX / 2,
                _ => return,
            };
            e.prevent_default();
            step.emit(d);
        })
    };

    let total = props.visible.len();
    let first = ((*scroll_top.borrow() / ROW_HEIGHT) as usize).saturating_sub(OVERSCAN).min(total);
    let last = (first + (VIEW_HEIGHT / ROW_HEIGHT) as usize + 2 * OVERSCAN).min(total);
    let first_ts = props.frames.get(0).and_then(|r| r.timestamp_ns);
    // Unfiltered rows are consecutive records: decoded in one run, not one by one.
    let run: Vec<_> = match props.visible {
        Visible::All(_) => props.frames.iter_from(first).take(last - first).collect(),
        Visible::Some(_) => Vec::new(),
    };
    let rows = (first..last).filter_map(|i| {
        let n = props.visible.get(i)?;
        let rec = match run.get(i - first) {
            Some(r) => *r,
            None => props.frames.by_number(n)?,
        };
        Some((i, row(&rec, first_ts, &props.settings)))
    });
    let rows = rows_html(rows, ROW_HEIGHT, props.selected);
    let rows_ref = use_node_ref();
    {
        let rows_ref = rows_ref.clone();
        use_effect_with(rows.clone(), move |rows| {
            if let Some(el) = rows_ref.cast::<Element>() {
                el.set_inner_html(rows);
            }
        });
    }
    // One listener for every row: the rows are markup, not components.
    let on_click = {
        let cb = props.on_select.clone();
        Callback::from(move |e: MouseEvent| {
            let n = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|el| el.closest("[data-frame]").ok().flatten())
                .and_then(|row| row.get_attribute("data-frame"))
                .and_then(|v| v.parse::<u64>().ok());
            if let Some(n) = n {
                cb.emit(n);
            }
        })
    };

    let filters = Filter::ALL.iter().map(|&f| {
        let cb = props.on_filter.clone();
        let onclick = Callback::from(move |_: MouseEvent| cb.emit(f));
        let pressed = props.filter == f;
        html! {
            <button type="button" class={classes!("chip", pressed.then_some("on"))} aria-pressed={pressed.to_string()}
                data-filter={f.key()} {onclick}>{ f.label() }</button>
        }
    });

    html! {
        <section class="frames" aria-label="Frames">
            <div class="filters" role="group" aria-label="Show only">{ for filters }
                <span class="shown">{ format!("{} of {} shown", total, props.frames.len()) }</span>
            </div>
            <div class="row head" role="row">
                <span class="c-num">{ "#" }</span><span class="c-time">{ "Time (s)" }</span>
                <span class="c-len">{ "Captured" }</span><span class="c-exp">{ "Expected" }</span>
                <span class="c-diff">{ "Diff" }</span><span class="c-verdict">{ "Verdict" }</span>
            </div>
            <div class="frame-list" data-testid="frame-list" ref={list_ref} tabindex="0" role="grid"
                aria-label="Frame list: arrow keys move the selection" onscroll={on_scroll} onkeydown={on_key}
                style={format!("height:{}px", list_height(total))}>
                <div class="rows" ref={rows_ref} onclick={on_click}
                    style={format!("height:{}px", total as f64 * ROW_HEIGHT)}></div>
            </div>
        </section>
    }
}
