//! The lesson gallery on the start page: one card per lesson
//! (`framelens::explain::lessons::LESSONS`); opening one loads its capture (a
//! path lesson: its captures and logs) and starts it.

use crate::components::glossary::with_code;
use framelens::explain::lessons::LESSONS;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_open: Callback<&'static str>,
}

#[component]
pub fn LessonGallery(props: &Props) -> Html {
    let cards = LESSONS.iter().map(|l| {
        let id = l.id;
        let onclick = props.on_open.reform(move |_: MouseEvent| id);
        let files = l.path().map(|set| {
            let logs = match set.logs.len() {
                0 => String::new(),
                1 => " and a kernel log".to_string(),
                n => format!(" and {n} kernel logs"),
            };
            format!("Path: {} captures{logs}", set.captures.len())
        });
        html! {
            <li>
                <button type="button" class={classes!("lesson-card", files.is_some().then_some("path"))}
                    data-testid="lesson-card" data-lesson={id} {onclick}>
                    <span class="lesson-title">{ l.title }</span>
                    <span class="lesson-summary">{ with_code(l.summary) }</span>
                    if let Some(f) = files { <span class="lesson-files">{ f }</span> }
                </button>
            </li>
        }
    });
    html! {
        <section class="gallery" aria-labelledby="gallery-title">
            <h2 id="gallery-title">{ "Learn from worked examples" }</h2>
            <p class="hint">{ "Each lesson opens a small example capture (or, for a path, the captures of several points) and walks through its frames, byte by byte." }</p>
            <ul class="cards">{ for cards }</ul>
        </section>
    }
}
