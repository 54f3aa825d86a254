//! The selected journey: its changes in words, and its frames' anatomies side
//! by side in time order, the bytes that appeared since the point before
//! outlined (or, at a path lesson step's point, the bytes the step names).

use crate::components::anatomy::Anatomy;
use crate::path_state::PathState;
use framelens::explain::journey::appeared;
use framelens::explain::lessons::Highlight;
use framelens::frame::analysis::analyze;
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
}

#[component]
pub fn JourneyDetail(props: &Props) -> Html {
    let p = &props.path;
    let Some(j) = p.selected_journey() else { return html! {} };
    let onclick = props.on_close.reform(|_: MouseEvent| ());
    let seen: Vec<_> = j.seen().collect();
    let mut before = None;
    let frames = seen.iter().map(|s| {
        let label = p.label(s.point);
        let lesson = props.lesson.is_some_and(|(point, _)| point == s.point);
        let bytes = p.file_of(s.point).and_then(|f| p.frame(f, s.frame)).cloned();
        let body = match bytes {
            Some(Ok(frame)) => {
                let a = analyze(&frame.packet(), &props.settings);
                let spans = before.as_ref().map(|b| appeared(b, &a)).unwrap_or_default();
                let note = match spans.iter().map(|(s, e)| e - s).sum::<u32>() {
                    0 => String::new(),
                    n => {
                        format!("{n} byte{} appeared since the point before (outlined).", if n == 1 { "" } else { "s" })
                    }
                };
                let appeared = spans.first().map(|&(start, end)| Highlight::Bytes { start, end });
                let highlight = match props.lesson {
                    Some((point, h)) if point == s.point => Some(h),
                    _ => appeared,
                };
                before = Some(a);
                html! { <>
                    if !note.is_empty() { <p class="appeared" data-testid="journey-appeared">{ note }</p> }
                    <Anatomy packet={frame} settings={props.settings} {highlight} />
                </> }
            }
            Some(Err(e)) => html! { <p class="status error">{ e }</p> },
            None => html! { <p class="loading">{ format!("Reading frame {}\u{2026}", s.frame) }</p> },
        };
        html! {
            <div class={classes!("journey-frame", lesson.then_some("lesson-point"))} data-testid="journey-frame"
                data-point={s.point.to_string()} data-lesson={lesson.then_some("true")}>
                <h3>{ format!("{label} \u{b7} frame {}", s.frame) }</h3>
                { body }
            </div>
        }
    });
    let changes = j.changes().filter_map(|(_, _, t)| p.texts.get(t as usize).cloned());
    let lost = j.lost_before().map(|b| {
        let after = j.lost_after().map(|a| p.label(a)).unwrap_or_default();
        format!("Lost after {after}: never seen at {}.", p.label(b))
    });
    html! {
        <section class="journey-detail" data-testid="journey-detail">
            <div class="journey-detail-head">
                <h2>{ format!("Packet #{}", j.index() + 1) }</h2>
                <button type="button" class="cancel" {onclick}>{ "Close" }</button>
            </div>
            <ul class="changes">{ for changes.map(|c| html! { <li data-testid="journey-change">{ c }</li> }) }</ul>
            if let Some(l) = lost { <p class="finding" data-testid="journey-loss">{ l }</p> }
            <div class="side-by-side">{ for frames }</div>
        </section>
    }
}
