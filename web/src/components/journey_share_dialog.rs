//! The share dialog of a journey: the privacy choice, what the link carries
//! (every sighting's frame), a note, the link and its length, and the
//! Markdown report to copy or download. The link and the report come from
//! the core (`framelens::explain::share::journey`, `framelens::explain::ticket`).

use crate::components::share_dialog::{copy_to_clipboard, page_address};
use crate::share_state::JourneyDraft;
use crate::state::Action;
use framelens::explain::share::MAX_NOTE;
use framelens::text::{count, thousands};
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub draft: JourneyDraft,
    pub on_action: Callback<Action>,
}

/// Saves `text` as `name` through a `blob:` URL (no request leaves the page).
fn save_markdown(text: &str, name: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&text.into());
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type("text/markdown");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag).map_err(|e| format!("{e:?}"))?;
    crate::loader::download(&blob, name)
}

#[component]
pub fn JourneyShareDialog(props: &Props) -> Html {
    let d = &props.draft;
    let status = use_state(String::new);
    let dialog_ref = use_node_ref();
    {
        let dialog_ref = dialog_ref.clone();
        use_effect_with((), move |_| {
            if let Some(el) = dialog_ref.cast::<HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let texts = use_memo(d.clone(), |d| (d.link(&page_address()), d.zeroed(), d.markdown()));
    let (link, zeroed, markdown) = &*texts;

    let close = props.on_action.reform(|_: MouseEvent| Action::CloseShare);
    let on_key = {
        let cb = props.on_action.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                cb.emit(Action::CloseShare);
            }
        })
    };
    let on_backdrop = {
        let cb = props.on_action.clone();
        Callback::from(move |e: MouseEvent| {
            if e.target().map(wasm_bindgen::JsValue::from) == e.current_target().map(wasm_bindgen::JsValue::from) {
                cb.emit(Action::CloseShare);
            }
        })
    };
    let privacy = |headers_only: bool| props.on_action.reform(move |_: Event| Action::ShareHeadersOnly(headers_only));
    let on_note = props.on_action.reform(|e: InputEvent| {
        let value = e.target().and_then(|t| js_sys::Reflect::get(&t, &"value".into()).ok()).and_then(|v| v.as_string());
        Action::ShareNote(value.unwrap_or_default())
    });
    let copy = |text: String, done: &'static str| {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let (status, text) = (status.clone(), text.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match copy_to_clipboard(text).await {
                    Ok(()) => status.set(done.to_string()),
                    Err(m) => status.set(m),
                }
            });
        })
    };
    let name = format!("packet-{}.md", d.index + 1);
    let download = {
        let (status, markdown, name) = (status.clone(), markdown.clone(), name.clone());
        Callback::from(move |_: MouseEvent| match save_markdown(&markdown, &name) {
            Ok(()) => status.set(format!("{name} saved.")),
            Err(m) => status.set(format!("The report could not be saved: {m}")),
        })
    };

    let bytes: usize = d.seen.iter().map(|s| s.packet.data.len()).sum();
    let lost = d.lost.as_ref().map(|l| format!(", lost after {}", l.after)).unwrap_or_default();
    html! {
        <div class="modal-backdrop" onclick={on_backdrop}>
            <div class="share-dialog" role="dialog" aria-modal="true" aria-labelledby="share-title"
                data-testid="share-dialog" data-kind="journey" tabindex="-1" ref={dialog_ref} onkeydown={on_key}>
                <header class="share-head">
                    <h2 id="share-title">{ format!("Share packet #{}", d.index + 1) }</h2>
                    <button type="button" class="icon" aria-label="Close" data-testid="share-close" onclick={close.clone()}>{ "×" }</button>
                </header>
                <p class="share-lead">
                    { "The link carries this packet's frame at every point that saw it, in its fragment (after the #), which browsers never send to a server: whoever opens it sees the same frames side by side, and nothing is uploaded." }
                </p>
                <fieldset class="privacy">
                    <legend>{ "What to share" }</legend>
                    <label>
                        <input type="radio" name="share-privacy" checked={d.headers_only} onchange={privacy(true)} data-testid="share-headers-only" />
                        <span><strong>{ "Headers only" }</strong>{ " (recommended): payload bytes become zeros in every frame; lengths, headers and the bytes after each datagram stay, so the diagnosis is the same." }</span>
                    </label>
                    <label>
                        <input type="radio" name="share-privacy" checked={!d.headers_only} onchange={privacy(false)} data-testid="share-full" />
                        <span><strong>{ "Full bytes" }</strong>{ ": every captured byte, payload included." }</span>
                    </label>
                </fieldset>
                <dl class="share-what" data-testid="share-what">
                    <dt>{ "Journey" }</dt>
                    <dd>{ format!("{}{lost}, {} bytes captured in all", count(d.seen.len() as u64, "sighting"), thousands(bytes as u64)) }</dd>
                    <dt>{ "Payload" }</dt>
                    <dd data-testid="share-zeroed">{
                        if d.headers_only {
                            format!("{} replaced by zeros", count(*zeroed, "byte"))
                        } else {
                            "kept as captured".to_string()
                        }
                    }</dd>
                    <dt>{ "Settings" }</dt>
                    <dd>{ format!("MTU {}, {}, FCS {}", d.settings.mtu, d.settings.rule.name(), d.settings.fcs.key()) }</dd>
                </dl>
                <label class="share-field">{ "Note (optional)" }
                    <textarea rows="2" maxlength={MAX_NOTE.to_string()} value={d.note.clone()} oninput={on_note}
                        placeholder="What you saw, and where" data-testid="share-note" />
                </label>
                { match link {
                    Ok(link) => html! { <>
                        <label class="share-field">{ "Link" }
                            <input type="text" readonly=true value={link.clone()} data-testid="share-link"
                                onfocus={Callback::from(|e: FocusEvent| {
                                    if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { i.select(); }
                                })} />
                        </label>
                        <div class="share-row">
                            <span class="share-len" data-testid="share-link-length">{ format!("{} characters", thousands(link.chars().count() as u64)) }</span>
                            <button type="button" class="primary" onclick={copy(link.clone(), "Link copied.")} data-testid="share-copy-link">{ "Copy link" }</button>
                        </div>
                    </> },
                    Err(sentence) => html! { <p class="status error" data-testid="share-link-error">{ sentence.clone() }</p> },
                } }
                <section class="ticket-texts">
                    <h3>{ "For a ticket" }</h3>
                    <div class="ticket-text">
                        <div class="share-row">
                            <span>{ "Markdown report" }</span>
                            <button type="button" onclick={copy(markdown.clone(), "Markdown report copied.")} data-testid="copy-markdown">{ "Copy Markdown report" }</button>
                            <button type="button" onclick={download} data-testid="download-markdown">{ format!("Download {name}") }</button>
                        </div>
                        <textarea readonly=true rows="8" value={markdown.clone()} data-testid="share-markdown" aria-label="Markdown report" />
                    </div>
                </section>
                <p class="copy-status" aria-live="polite" data-testid="copy-status">{ (*status).clone() }</p>
                <div class="share-row end">
                    <button type="button" onclick={close}>{ "Done" }</button>
                </div>
            </div>
        </div>
    }
}
