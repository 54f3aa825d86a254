//! The path view: the capture points as columns in path order, one row per
//! packet followed across them (its length at each point, the changes
//! marked, a lost packet marked where it vanished), filters, the loss
//! findings in words. Only the rows in view are in the page; a journey
//! selected from elsewhere (a lesson step) is scrolled into view.

use crate::components::path_head::PathHead;
use crate::components::path_order::PathOrderNote;
use crate::path_state::{PathFilter, PathState};
use framelens::explain::journey::{cells, Cell};
use framelens::text::thousands as count;
use web_sys::HtmlElement;
use yew::prelude::*;

const ROW_HEIGHT: f64 = 26.0;
const VIEW_HEIGHT: f64 = 312.0;
const OVERSCAN: usize = 6;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub path: PathState,
    pub on_filter: Callback<PathFilter>,
    pub on_select: Callback<Option<u64>>,
    /// (from, to): a column moved to another place (the reader's order).
    pub on_move: Callback<(usize, usize)>,
    /// An order of the points chosen (`FILE:IFACE` each; empty: the evidence's).
    pub on_order: Callback<Vec<String>>,
}

fn cell_html(cell: Cell, point: u16) -> Html {
    match cell {
        Cell::Seen { len, delta, frame } => {
            let class = classes!("cell", "seen", (delta > 0).then_some("grew"), (delta < 0).then_some("shrank"));
            let delta = match delta {
                0 => String::new(),
                d if d > 0 => format!(" (+{d})"),
                d => format!(" (\u{2212}{})", d.unsigned_abs()),
            };
            html! { <span {class} title={format!("frame {frame}")}>{ format!("{}{delta}", count(u64::from(len))) }</span> }
        }
        Cell::Lost => html! {
            <span class="cell lost" data-testid="journey-lost" data-point={point.to_string()} title="vanished before this point">{ "lost" }</span>
        },
        Cell::Absent => html! { <span class="cell absent">{ "\u{b7}" }</span> },
    }
}

#[component]
pub fn PathView(props: &Props) -> Html {
    let scroll_top = use_state(|| 0.0f64);
    let list = use_node_ref();
    let p = &props.path;
    let columns = p.columns();
    let rows = p.visible.len();
    // The selected journey's row, among those the filter shows.
    let selected_row =
        p.selected.and_then(|i| p.journeys.position(i)).and_then(|pos| p.visible.binary_search(&(pos as u32)).ok());
    {
        let list = list.clone();
        use_effect_with(selected_row, move |row| {
            let (Some(row), Some(el)) = (*row, list.cast::<HtmlElement>()) else { return };
            let top = row as f64 * ROW_HEIGHT;
            let view = f64::from(el.scroll_top());
            if top < view || top + ROW_HEIGHT > view + VIEW_HEIGHT {
                // The scroll event that follows moves the rows in view.
                el.set_scroll_top((top - VIEW_HEIGHT / 2.0).max(0.0) as i32);
            }
        });
    }
    let first = ((*scroll_top / ROW_HEIGHT) as usize).saturating_sub(OVERSCAN);
    let last = (((*scroll_top + VIEW_HEIGHT) / ROW_HEIGHT) as usize + OVERSCAN).min(rows);
    let grid = format!("grid-template-columns: 5em repeat({}, minmax(7em, 1fr))", columns.len());
    let onscroll = {
        let scroll_top = scroll_top.clone();
        Callback::from(move |e: Event| {
            let el: HtmlElement = e.target_unchecked_into();
            scroll_top.set(f64::from(el.scroll_top()));
        })
    };
    let status = match (&p.failed, &p.outcome) {
        (Some(m), _) => html! { <p class="status error">{ m.clone() }</p> },
        (None, Some(o)) => html! {
            <p class="status" data-testid="path-status" data-complete="true"
                title={format!("The page holds these packets in {} KB", p.journeys.bytes() / 1024)}>
                { format!("{} packets followed across {} points in {:.0} ms: {} lost, {} changed size.",
                    count(o.counts.journeys), p.points.len(), p.progress.elapsed_ms, count(o.counts.lost), count(o.counts.changed_size)) }
                if p.not_kept > 0 { { format!(" The view keeps the first {}; {} more were followed and counted.", count(p.journeys.len() as u64), count(p.not_kept)) } }
            </p>
        },
        (None, None) => html! {
            <p class="status" data-testid="path-status">
                { format!("Following packets across the captures\u{2026} {} so far ({}%)", count(p.journeys.len() as u64),
                    (p.progress.bytes_done * 100).checked_div(p.progress.bytes_total).unwrap_or(0)) }
            </p>
        },
    };
    let body = (first..last).filter_map(|r| {
        let pos = *p.visible.get(r)? as usize;
        let j = p.journeys.get(pos)?;
        let index = j.index();
        let selected = p.selected == Some(index);
        let onclick = props.on_select.reform(move |_: MouseEvent| Some(index));
        let row = cells(&j, &columns);
        let style = format!("top:{}px;{grid}", r as f64 * ROW_HEIGHT);
        Some(html! {
            <div class={classes!("journey-row", selected.then_some("selected"), j.lost_after().map(|_| "is-lost"))}
                data-testid="journey-row" data-journey={index.to_string()} {style} {onclick} aria-selected={selected.to_string()}>
                <span class="cell num">{ format!("#{}", index + 1) }</span>
                { for row.into_iter().zip(columns.iter()).map(|(c, &pt)| cell_html(c, pt)) }
            </div>
        })
    });
    html! {
        <section class="path-view" data-testid="path-view">
            <h2>{ "Path" }</h2>
            { status }
            if let Some(o) = &p.outcome {
                <PathOrderNote order={o.order.clone()} points={p.points.clone()} on_choose={props.on_order.clone()} />
            }
            { for p.loss_sentences().into_iter().map(|s| html! { <p class="finding" data-testid="path-finding">{ s.to_string() }</p> }) }
            <div class="filters" role="group" aria-label="Path filter">
                { for PathFilter::ALL.iter().map(|&f| {
                    let onclick = props.on_filter.reform(move |_: MouseEvent| f);
                    html! { <button type="button" class={classes!((p.filter == f).then_some("active"))}
                        data-testid={format!("path-filter-{}", f.key())} aria-pressed={(p.filter == f).to_string()} {onclick}>{ f.label() }</button> }
                }) }
            </div>
            <PathHead labels={columns.iter().map(|&c| p.label(c)).collect::<Vec<_>>()} points={columns.clone()}
                grid={grid.clone()} on_move={props.on_move.clone()} />
            <div class="journeys" ref={list} style={format!("height:{}px", (rows.max(3) as f64 * ROW_HEIGHT).min(VIEW_HEIGHT))} {onscroll}>
                <div class="journeys-inner" style={format!("height:{}px", rows as f64 * ROW_HEIGHT)}>
                    { for body }
                </div>
            </div>
        </section>
    }
}
