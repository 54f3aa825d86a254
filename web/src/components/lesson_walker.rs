//! The step walker of an open lesson: the current step's text (its frame is
//! selected and its bytes highlighted in the anatomy; in a path lesson its
//! packet is selected in the path view, the frame at the step's capture point
//! highlighted), previous and next, and after the last step the takeaway and
//! what to check on a real system.

use crate::components::glossary::with_code;
use framelens::explain::lessons::{lesson, Highlight};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: &'static str,
    /// 0-based; `steps.len()` is the end page.
    pub step: usize,
    pub on_step: Callback<usize>,
    pub on_close: Callback<()>,
}

/// What the step points at, for people and for tests.
fn describe(h: &Highlight) -> (String, &'static str) {
    match *h {
        Highlight::Region { region } => (region.key().to_string(), "region"),
        Highlight::Field { layer, name } => (format!("{} · {name}", layer.name()), "field"),
        Highlight::Layer { layer, .. } => (layer.name().to_string(), "layer"),
        Highlight::Bytes { start, end } => (format!("bytes {start}–{}", end.saturating_sub(1)), "bytes"),
    }
}

#[component]
pub fn LessonWalker(props: &Props) -> Html {
    let Some(l) = lesson(props.id) else {
        return Html::default();
    };
    let n = l.steps.len();
    let at = props.step.min(n);
    let go = |to: usize| props.on_step.reform(move |_: MouseEvent| to);
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    let body = match l.steps.get(at) {
        Some(s) => {
            let (what, kind) = describe(&s.highlight);
            let place = match s.at {
                Some(stop) => format!("packet #{} at {} · frame {}", stop.journey + 1, stop.label, s.frame),
                None => format!("frame {}", s.frame),
            };
            html! {
                <div class="lesson-step" data-testid="lesson-step" data-step={(at + 1).to_string()}
                    data-frame={s.frame.to_string()} data-highlight-kind={kind}
                    data-journey={s.at.map(|a| a.journey.to_string())} data-point={s.at.map(|a| a.point.to_string())}
                    data-lost={s.at.and_then(|a| a.lost_after.then_some("true"))}>
                    <p class="step-count">{ format!("Step {} of {n} · {place}", at + 1) }
                        <span class="step-what">{ format!(" · highlighted: {what}") }</span></p>
                    <p class="step-text">{ with_code(s.text) }</p>
                </div>
            }
        }
        None => html! {
            <div class="lesson-end" data-testid="lesson-end">
                <h3>{ "Takeaway" }</h3>
                <p>{ with_code(l.takeaway) }</p>
                <h3>{ "Check on a real system" }</h3>
                <ul>{ for l.check.iter().map(|c| html! { <li>{ with_code(c) }</li> }) }</ul>
            </div>
        },
    };
    html! {
        <section class="lesson" data-testid="lesson" data-lesson={l.id} aria-label={format!("Lesson: {}", l.title)}>
            <div class="lesson-head">
                <h2>{ l.title }</h2>
                <button type="button" class="cancel" data-testid="lesson-close" onclick={on_close}>{ "Close lesson" }</button>
            </div>
            { body }
            <nav class="lesson-nav" aria-label="Lesson steps">
                <button type="button" class="step-btn" data-testid="lesson-prev" disabled={at == 0}
                    onclick={go(at.saturating_sub(1))}>{ "← Previous" }</button>
                <ol class="dots">{ for (0..=n).map(|i| {
                    let label = if i == n { "Takeaway".to_string() } else { format!("Step {}", i + 1) };
                    html! { <li><button type="button" class={classes!("dot", (i == at).then_some("on"))}
                        aria-label={label.clone()} title={label} aria-current={(i == at).then_some("step")}
                        onclick={go(i)}></button></li> }
                }) }</ol>
                if at < n {
                    <button type="button" class="step-btn primary" data-testid="lesson-next" onclick={go(at + 1)}>
                        { if at + 1 == n { "Takeaway →" } else { "Next →" } }</button>
                }
            </nav>
        </section>
    }
}
