use crate::components::glossary::Term;
use framelens::explain::glossary::for_group;
use framelens::explain::view::{group_key, LEGEND};
use yew::prelude::*;

/// Colour key per layer group; each swatch also carries a pattern, so the
/// groups differ without colour.
#[component]
pub fn Legend() -> Html {
    html! {
        <ul class="legend" aria-label="Colour key">
            { for LEGEND.iter().map(|(g, name)| html! {
                <li><span class={classes!("swatch", format!("g-{}", group_key(*g)))} aria-hidden="true"></span>{ *name }<Term entry={for_group(*g)} /></li>
            }) }
        </ul>
    }
}
