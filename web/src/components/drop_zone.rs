use crate::EXAMPLES;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The files picked at once: captures and kernel logs.
    pub on_files: Callback<Vec<File>>,
    pub on_example: Callback<&'static str>,
    /// Smaller once a capture is shown.
    pub compact: bool,
}

/// The file picker and the example menu; dropping works anywhere on the page (see `App`).
#[component]
pub fn DropZone(props: &Props) -> Html {
    let on_change = {
        let on_files = props.on_files.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(l) = input.files() {
                on_files.emit((0..l.length()).filter_map(|i| l.get(i)).collect());
            }
            input.set_value("");
        })
    };
    let on_example = {
        let cb = props.on_example.clone();
        Callback::from(move |e: Event| {
            let Some(sel) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) else {
                return;
            };
            if let Some(&name) = EXAMPLES.iter().find(|n| **n == sel.value()) {
                cb.emit(name);
            }
            sel.set_value("");
        })
    };
    let class = classes!("drop-zone", props.compact.then_some("compact"));
    html! {
        <div {class} data-testid="drop-zone">
            <label class="file-pick">
                <span class="drop-text">{ "Drop .pcap or .pcapng files (and kernel logs) anywhere, or " }<u>{ "choose them" }</u></span>
                <input type="file" multiple=true accept=".pcap,.pcapng,.cap,.log,.txt" data-testid="file-input" onchange={on_change} />
            </label>
            <label class="examples">
                <span>{ "or open an example: " }</span>
                <select data-testid="examples" onchange={on_example}>
                    <option value="" selected=true>{ "choose…" }</option>
                    { for EXAMPLES.iter().map(|n| html! { <option value={*n}>{ *n }</option> }) }
                </select>
            </label>
        </div>
    }
}
