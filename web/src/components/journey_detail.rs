//! The selected journey: its changes in words, and its frames' anatomies side
//! by side in time order, every run of bytes that appeared since the point
//! before outlined (or, at a path lesson step's point, the bytes the step
//! names); "Share…" once its frames are read.

use crate::components::side_by_side::{SideBySide, SideFrame};
use crate::path_state::PathState;
use framelens::explain::lessons::Highlight;
use framelens::settings::Settings;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub path: PathState,
    pub settings: Settings,
    /// A path lesson's step: the point whose frame shows its highlight.
    #[prop_or_default]
    pub lesson: Option<(u16, Highlight)>,
    pub on_close: Callback<()>,
    /// Opens the share dialog for this journey (`Action::OpenJourneyShare`).
    pub on_share: Callback<()>,
}

#[component]
pub fn JourneyDetail(props: &Props) -> Html {
    let p = &props.path;
    let Some(j) = p.selected_journey() else { return html! {} };
    let onclick = props.on_close.reform(|_: MouseEvent| ());
    let frames: Vec<SideFrame> = j
        .seen()
        .map(|s| SideFrame {
            point: s.point.to_string(),
            title: format!("{} \u{b7} frame {}", p.label(s.point), s.frame),
            number: s.frame,
            bytes: p.file_of(s.point).and_then(|f| p.frame(f, s.frame)).cloned(),
            lesson: props.lesson.filter(|(point, _)| *point == s.point).map(|(_, h)| h),
        })
        .collect();
    let ready = frames.iter().all(|f| matches!(f.bytes, Some(Ok(_))));
    let changes = j.changes().filter_map(|(_, _, t)| p.texts.get(t as usize).cloned());
    let lost = j.lost_before().map(|b| {
        let after = j.lost_after().map(|a| p.label(a)).unwrap_or_default();
        format!("Lost after {after}: never seen at {}.", p.label(b))
    });
    let share = props.on_share.reform(|_: MouseEvent| ());
    html! {
        <section class="journey-detail" data-testid="journey-detail">
            <div class="journey-detail-head">
                <h2>{ format!("Packet #{}", j.index() + 1) }</h2>
                <button type="button" onclick={share} disabled={!ready} data-testid="journey-share-button"
                    title="A link that opens this packet's frames at every point; they travel in the link, never to a server">
                    { "Share\u{2026}" }
                </button>
                <button type="button" class="cancel" {onclick}>{ "Close" }</button>
            </div>
            <ul class="changes">{ for changes.map(|c| html! { <li data-testid="journey-change">{ c }</li> }) }</ul>
            if let Some(l) = lost { <p class="finding" data-testid="journey-loss">{ l }</p> }
            <SideBySide {frames} settings={props.settings} />
        </section>
    }
}
