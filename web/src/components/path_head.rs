//! The path view's header: the capture points as columns, in path order.
//! A column dragged onto another takes its place (the reader's order); each
//! also has buttons that move it one place left or right, for the keyboard.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// The drag's data type: a column of this header, not a file.
const COLUMN: &str = "application/x-framelens-column";

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The columns' labels, in their order (`controller.pcapng · eth1`).
    pub labels: Vec<String>,
    /// The point index of each column (its `data-point`).
    pub points: Vec<u16>,
    pub grid: String,
    /// (from, to): the column at position `from` goes to position `to`.
    pub on_move: Callback<(usize, usize)>,
}

/// Whether the drag carries one of this header's columns.
fn is_column(e: &DragEvent) -> bool {
    e.data_transfer().is_some_and(|dt| dt.types().includes(&COLUMN.into(), 0))
}

#[component]
pub fn PathHead(props: &Props) -> Html {
    // The column a dragged one would take the place of.
    let over = use_state(|| None::<usize>);
    let n = props.labels.len();
    // A move button pressed (its column's label, and whether it was the left
    // one): the path is followed again in the new order, and the header
    // shows no column meanwhile; the button gets the focus back once its
    // column is there again, so that a keyboard can go on moving it.
    let head = use_node_ref();
    let refocus = use_mut_ref(|| None::<(String, bool)>);
    {
        let (head, refocus) = (head.clone(), refocus.clone());
        use_effect_with(props.labels.clone(), move |labels| {
            let Some((label, left)) = refocus.borrow().clone() else { return };
            let (Some(i), Some(el)) = (labels.iter().position(|l| *l == label), head.cast::<Element>()) else {
                return;
            };
            refocus.borrow_mut().take();
            // At an end its own button is disabled: the other one then.
            let dirs = if left { ["left", "right"] } else { ["right", "left"] };
            let button = dirs.iter().find_map(|d| {
                let sel = format!(":scope > :nth-child({}) [data-testid=path-point-{d}]:not([disabled])", i + 2);
                el.query_selector(&sel).ok().flatten()?.dyn_into::<HtmlElement>().ok()
            });
            if let Some(b) = button {
                let _ = b.focus();
            }
        });
    }
    let cells = props.labels.iter().zip(&props.points).enumerate().map(|(i, (label, &point))| {
        let ondragstart = Callback::from(move |e: DragEvent| {
            if let Some(dt) = e.data_transfer() {
                let _ = dt.set_data(COLUMN, &i.to_string());
                dt.set_effect_allowed("move");
            }
        });
        let ondragover = {
            let over = over.clone();
            Callback::from(move |e: DragEvent| {
                if is_column(&e) {
                    // Dropping here is allowed; the page's file drop is not involved.
                    e.prevent_default();
                    e.stop_propagation();
                    if *over != Some(i) {
                        over.set(Some(i));
                    }
                }
            })
        };
        let ondragleave = {
            let over = over.clone();
            Callback::from(move |_: DragEvent| over.set(None))
        };
        let ondrop = {
            let (over, on_move) = (over.clone(), props.on_move.clone());
            Callback::from(move |e: DragEvent| {
                if !is_column(&e) {
                    return;
                }
                e.prevent_default();
                e.stop_propagation();
                over.set(None);
                let from = e.data_transfer().and_then(|dt| dt.get_data(COLUMN).ok()).and_then(|s| s.parse().ok());
                if let Some(from) = from.filter(|&f: &usize| f != i) {
                    on_move.emit((from, i));
                }
            })
        };
        let ondragend = {
            let over = over.clone();
            Callback::from(move |_: DragEvent| over.set(None))
        };
        let press = |left: bool| {
            let (on_move, refocus, label) = (props.on_move.clone(), refocus.clone(), label.clone());
            Callback::from(move |_: MouseEvent| {
                *refocus.borrow_mut() = Some((label.clone(), left));
                on_move.emit((i, if left { i.saturating_sub(1) } else { i + 1 }));
            })
        };
        let (left, right) = (press(true), press(false));
        let class = classes!("cell", "point-head", (*over == Some(i)).then_some("drop-here"));
        html! {
            <span {class} draggable="true" data-testid="path-column" data-point={point.to_string()}
                title="Drag to another column to change the path's order"
                {ondragstart} {ondragover} {ondragleave} {ondrop} {ondragend}>
                <span class="point-label" data-testid="path-point" data-point={point.to_string()} title={label.clone()}>{ label.clone() }</span>
                <span class="point-move">
                    <button type="button" data-testid="path-point-left" disabled={i == 0}
                        aria-label={format!("Move {label} one place left")} onclick={left}>{ "\u{2190}" }</button>
                    <button type="button" data-testid="path-point-right" disabled={i + 1 >= n}
                        aria-label={format!("Move {label} one place right")} onclick={right}>{ "\u{2192}" }</button>
                </span>
            </span>
        }
    });
    html! {
        <div class="journey-head" ref={head} style={props.grid.clone()} role="group" aria-label="Capture points, in path order">
            <span class="cell num">{ "packet" }</span>
            { for cells }
        </div>
    }
}
