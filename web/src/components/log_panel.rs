//! The kernel-log lines read beside the capture, each linked to the frames
//! the core matched it to (a click selects the first); the line a lesson step
//! quotes is marked.

use crate::protocol::LogView;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub log: Rc<LogView>,
    pub files: Vec<String>,
    /// The line a lesson step quotes: (log file, line).
    #[prop_or_default]
    pub marked: Option<(&'static str, u64)>,
    pub on_select: Callback<u64>,
}

#[component]
pub fn LogPanel(props: &Props) -> Html {
    let rows = props.log.rows.iter().map(|r| {
        let frames = r.frames.clone();
        let first = frames.first().copied();
        let onclick = props.on_select.reform(move |_: MouseEvent| first.unwrap_or(0));
        let linked = if frames.is_empty() {
            html! { <span class="frames none">{ "no frame" }</span> }
        } else {
            let list: Vec<String> = frames.iter().take(8).map(|n| n.to_string()).collect();
            let more = if frames.len() > 8 { format!(" +{}", frames.len() - 8) } else { String::new() };
            html! { <button type="button" class="frames" {onclick} data-testid="log-frames">{ format!("frame {}{more}", list.join(", ")) }</button> }
        };
        let marked = props.marked.is_some_and(|(file, line)| r.fields.file == file && r.fields.line == line);
        html! {
            <li class={classes!("log-line", r.frames.is_empty().then_some("unmatched"), marked.then_some("marked"))} data-testid="log-line"
                data-marked={marked.then_some("true")}
                data-line={r.fields.line.to_string()} data-frames={r.frames.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(",")}>
                <span class="where">{ format!("{}:{}", r.fields.file, r.fields.line) }</span>
                <span class="text">{ r.fields.text.clone() }</span>
                { linked }
            </li>
        }
    });
    html! {
        <section class="log-panel" data-testid="log-panel">
            <h2>{ format!("Kernel log ({})", props.files.join(", ")) }</h2>
            if props.log.rows.is_empty() { <p class="hint">{ "No line of these logs is one Framelens recognises." }</p> }
            { for props.log.errors.iter().map(|e| html! { <p class="status error">{ e.clone() }</p> }) }
            <ul>{ for rows }</ul>
        </section>
    }
}
