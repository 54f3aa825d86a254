//! How the path view's order was found, in the core's words; when the
//! evidence allows other orders equally, each as a one-click choice, and
//! when the reader chose the order, the way back to the evidence's.

use crate::protocol::{OrderView, PointView};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub order: OrderView,
    pub points: Rc<Vec<PointView>>,
    /// An order chosen (`FILE:IFACE` each; empty: the evidence's).
    pub on_choose: Callback<Vec<String>>,
}

#[component]
pub fn PathOrderNote(props: &Props) -> Html {
    let label = |spec: &String| {
        props.points.iter().find(|p| p.spec == *spec).map_or_else(|| spec.clone(), |p| p.point.label.clone())
    };
    let o = &props.order;
    let choices = o.competing.iter().map(|order| {
        let text = order.iter().map(label).collect::<Vec<_>>().join(" \u{2192} ");
        let onclick = {
            let order = order.clone();
            props.on_choose.reform(move |_: MouseEvent| order.clone())
        };
        html! { <button type="button" data-testid="path-order-choice" data-order={order.join(",")} {onclick}>{ text }</button> }
    });
    html! {
        <div class="path-order" data-testid="path-order" data-given={o.given.to_string()}>
            if !o.sentence.is_empty() {
                <p data-testid="path-order-sentence">{ o.sentence.clone() }</p>
            }
            { for o.unknown.iter().map(|u| html! { <p class="error" data-testid="path-order-unknown">{ u.clone() }</p> }) }
            if !o.competing.is_empty() {
                <div class="choices" role="group" aria-label="Other orders the evidence allows">
                    <span>{ "The evidence allows as well:" }</span>
                    { for choices }
                </div>
            }
            if o.given {
                <div class="choices">
                    <button type="button" data-testid="path-order-evidence" onclick={props.on_choose.reform(|_: MouseEvent| Vec::new())}>
                        { "Let the evidence decide the order" }
                    </button>
                </div>
            }
        </div>
    }
}
