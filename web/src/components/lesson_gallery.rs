//! The lesson gallery on the start page: one card per lesson
//! (`framelens::explain::lessons::LESSONS`); opening one loads its capture and starts it.

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
        html! {
            <li>
                <button type="button" class="lesson-card" data-testid="lesson-card" data-lesson={id} {onclick}>
                    <span class="lesson-title">{ l.title }</span>
                    <span class="lesson-summary">{ with_code(l.summary) }</span>
                </button>
            </li>
        }
    });
    html! {
        <section class="gallery" aria-labelledby="gallery-title">
            <h2 id="gallery-title">{ "Learn from worked examples" }</h2>
            <p class="hint">{ "Each lesson opens a small example capture and walks through its frames, byte by byte." }</p>
            <ul class="cards">{ for cards }</ul>
        </section>
    }
}
