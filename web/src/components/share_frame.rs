//! What both share dialogs (one frame, one journey) are made of: the modal
//! (focus on open, Escape and the backdrop close it), the privacy choice,
//! what the link carries, a note, the link and its length, and the texts
//! for a ticket to copy or download. Each dialog passes what differs.

use crate::state::Action;
use framelens::explain::share::MAX_NOTE;
use framelens::settings::Settings;
use framelens::text::{count, thousands};
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

/// The page's address without its fragment.
pub fn page_address() -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// Writes `text` to the clipboard with `navigator.clipboard.writeText`;
/// `Err` with a sentence when the browser refuses.
pub async fn copy_to_clipboard(text: String) -> Result<(), String> {
    let refused = || "The browser did not allow copying: select the text below and copy it.".to_string();
    let window = web_sys::window().ok_or_else(refused)?;
    let clipboard = js_sys::Reflect::get(&window, &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &"clipboard".into()))
        .ok()
        .filter(|c| !c.is_undefined())
        .ok_or_else(refused)?;
    let write = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(refused)?;
    let promise = write.call1(&clipboard, &text.into()).map_err(|_| refused())?;
    let promise = promise.dyn_into::<js_sys::Promise>().map_err(|_| refused())?;
    wasm_bindgen_futures::JsFuture::from(promise).await.map(|_| ()).map_err(|_| refused())
}

/// Saves `text` as `name` through a `blob:` URL (no request leaves the page).
fn save_text(text: &str, name: &str, mime: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&text.into());
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag).map_err(|e| format!("{e:?}"))?;
    crate::loader::download(&blob, name)
}

/// One text for a ticket, shown read-only with a copy button (and, with a
/// file name, a download button).
#[derive(Clone, Debug, PartialEq)]
pub struct TicketText {
    /// "Markdown report".
    pub label: &'static str,
    /// The copy button's label and `data-testid`.
    pub copy: (&'static str, &'static str),
    /// The text area's `data-testid`.
    pub area: &'static str,
    /// What the status line says once copied.
    pub copied: &'static str,
    pub text: String,
    pub rows: u32,
    /// (file name, MIME type) for a download button (`download-markdown`).
    pub download: Option<(String, &'static str)>,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// "Share frame 15".
    pub title: String,
    /// `data-kind`: `frame` or `journey`.
    pub kind: &'static str,
    /// What the link carries and why it stays private.
    pub lead: &'static str,
    /// The "Headers only" choice's explanation.
    pub headers_only_text: &'static str,
    pub headers_only: bool,
    /// The first line of what the link carries: (term, description).
    pub what: (&'static str, String),
    /// Payload bytes replaced by zeros (headers only).
    pub zeroed: u64,
    pub settings: Settings,
    /// Fields of this kind of link, shown before the note.
    #[prop_or_default]
    pub fields: Html,
    pub note: String,
    /// The link, or why none can be made.
    pub link: Result<String, String>,
    pub texts: Vec<TicketText>,
    pub on_action: Callback<Action>,
}

#[component]
pub fn ShareFrame(props: &Props) -> Html {
    let status = use_state(String::new);
    let dialog_ref = use_node_ref();
    // Focus moves into the dialog when it opens, for keyboard and screen readers.
    {
        let dialog_ref = dialog_ref.clone();
        use_effect_with((), move |_| {
            if let Some(el) = dialog_ref.cast::<HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
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
            // Only a click on the backdrop itself, not one inside the dialog.
            if e.target().map(wasm_bindgen::JsValue::from) == e.current_target().map(wasm_bindgen::JsValue::from) {
                cb.emit(Action::CloseShare);
            }
        })
    };
    let privacy = |headers_only: bool| props.on_action.reform(move |_: Event| Action::ShareHeadersOnly(headers_only));
    let on_note = props.on_action.reform(|e: InputEvent| {
        // Read through the DOM property: no web-sys feature for text areas needed.
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
    let texts = props.texts.iter().map(|t| {
        let download = t.download.clone().map(|(name, mime)| {
            let (status, text, label) = (status.clone(), t.text.clone(), format!("Download {name}"));
            let onclick = Callback::from(move |_: MouseEvent| match save_text(&text, &name, mime) {
                Ok(()) => status.set(format!("{name} saved.")),
                Err(m) => status.set(format!("The file could not be saved: {m}")),
            });
            html! { <button type="button" {onclick} data-testid="download-markdown">{ label }</button> }
        });
        html! {
            <div class="ticket-text">
                <div class="share-row">
                    <span>{ t.label }</span>
                    <button type="button" onclick={copy(t.text.clone(), t.copied)} data-testid={t.copy.1}>{ t.copy.0 }</button>
                    { for download }
                </div>
                <textarea readonly=true rows={t.rows.to_string()} value={t.text.clone()} data-testid={t.area} aria-label={t.label} />
            </div>
        }
    });
    let d = props;
    html! {
        <div class="modal-backdrop" onclick={on_backdrop}>
            <div class="share-dialog" role="dialog" aria-modal="true" aria-labelledby="share-title"
                data-testid="share-dialog" data-kind={d.kind} tabindex="-1" ref={dialog_ref} onkeydown={on_key}>
                <header class="share-head">
                    <h2 id="share-title">{ d.title.clone() }</h2>
                    <button type="button" class="icon" aria-label="Close" data-testid="share-close" onclick={close.clone()}>{ "×" }</button>
                </header>
                <p class="share-lead">{ d.lead }</p>
                <fieldset class="privacy">
                    <legend>{ "What to share" }</legend>
                    <label>
                        <input type="radio" name="share-privacy" checked={d.headers_only} onchange={privacy(true)} data-testid="share-headers-only" />
                        <span><strong>{ "Headers only" }</strong>{ d.headers_only_text }</span>
                    </label>
                    <label>
                        <input type="radio" name="share-privacy" checked={!d.headers_only} onchange={privacy(false)} data-testid="share-full" />
                        <span><strong>{ "Full bytes" }</strong>{ ": every captured byte, payload included." }</span>
                    </label>
                </fieldset>
                <dl class="share-what" data-testid="share-what">
                    <dt>{ d.what.0 }</dt>
                    <dd>{ d.what.1.clone() }</dd>
                    <dt>{ "Payload" }</dt>
                    <dd data-testid="share-zeroed">{
                        if d.headers_only { format!("{} replaced by zeros", count(d.zeroed, "byte")) } else { "kept as captured".to_string() }
                    }</dd>
                    <dt>{ "Settings" }</dt>
                    <dd>{ format!("MTU {}, {}, FCS {}", d.settings.mtu, d.settings.rule.name(), d.settings.fcs.key()) }</dd>
                </dl>
                { d.fields.clone() }
                <label class="share-field">{ "Note (optional)" }
                    <textarea rows="2" maxlength={MAX_NOTE.to_string()} value={d.note.clone()} oninput={on_note}
                        placeholder="What you saw, and where" data-testid="share-note" />
                </label>
                { match &d.link {
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
                    { for texts }
                </section>
                <p class="copy-status" aria-live="polite" data-testid="copy-status">{ (*status).clone() }</p>
                <div class="share-row end">
                    <button type="button" onclick={close}>{ "Done" }</button>
                </div>
            </div>
        </div>
    }
}
