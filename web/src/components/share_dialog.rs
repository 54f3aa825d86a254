//! The share dialog: the privacy choice, what the link will carry, a note,
//! the selected span, the link and its length, and the two ticket texts.
//! The link, the report and the tshark text all come from the core.

use crate::share_state::ShareDraft;
use crate::state::Action;
use framelens::explain::share::MAX_NOTE;
use framelens::text::thousands;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub draft: ShareDraft,
    /// The capture's file name, for the tshark command line.
    pub file_name: Option<String>,
    pub on_action: Callback<Action>,
}

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

#[component]
pub fn ShareDialog(props: &Props) -> Html {
    let d = &props.draft;
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
    let texts = use_memo((d.clone(), props.file_name.clone()), |(d, name)| {
        let capture = name.clone().unwrap_or_else(|| "capture.pcap".into());
        (d.link(&page_address()), d.zeroed(), d.markdown(), d.wireshark_text(&capture), d.span_choices())
    });
    let (link, zeroed, markdown, tshark, spans) = &*texts;
    let link_chars = link.chars().count();

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
    let on_span = {
        let spans = spans.clone();
        props.on_action.reform(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            let span = s.value().parse::<usize>().ok().and_then(|i| spans.get(i)).map(|&(a, b, _)| (a, b));
            Action::ShareSpan(span)
        })
    };
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

    let p = &d.packet;
    let n = p.number;
    let caplen = p.data.len();
    let selected_span = d.span.and_then(|s| spans.iter().position(|&(a, b, _)| (a, b) == s));
    html! {
        <div class="modal-backdrop" onclick={on_backdrop}>
            <div class="share-dialog" role="dialog" aria-modal="true" aria-labelledby="share-title"
                data-testid="share-dialog" tabindex="-1" ref={dialog_ref} onkeydown={on_key}>
                <header class="share-head">
                    <h2 id="share-title">{ format!("Share frame {n}") }</h2>
                    <button type="button" class="icon" aria-label="Close" data-testid="share-close" onclick={close.clone()}>{ "×" }</button>
                </header>
                <p class="share-lead">
                    { "The link carries this one frame in its fragment (after the #), which browsers never send to a server: whoever opens it sees the same diagnosis, and nothing is uploaded." }
                </p>
                <fieldset class="privacy">
                    <legend>{ "What to share" }</legend>
                    <label>
                        <input type="radio" name="share-privacy" checked={d.headers_only} onchange={privacy(true)} data-testid="share-headers-only" />
                        <span><strong>{ "Headers only" }</strong>{ " (recommended): payload bytes become zeros; every length, header and byte after the datagram stays, so the diagnosis is the same." }</span>
                    </label>
                    <label>
                        <input type="radio" name="share-privacy" checked={!d.headers_only} onchange={privacy(false)} data-testid="share-full" />
                        <span><strong>{ "Full bytes" }</strong>{ ": every captured byte, payload included." }</span>
                    </label>
                </fieldset>
                <dl class="share-what" data-testid="share-what">
                    <dt>{ "Frame" }</dt>
                    <dd>{ format!("{} bytes captured, {} on the wire, link type {}", thousands(caplen as u64), thousands(p.original_len.into()), p.link_type) }</dd>
                    <dt>{ "Payload" }</dt>
                    <dd data-testid="share-zeroed">{
                        if d.headers_only {
                            format!("{} byte{} replaced by zeros", thousands((*zeroed).into()), if *zeroed == 1 { "" } else { "s" })
                        } else {
                            "kept as captured".to_string()
                        }
                    }</dd>
                    <dt>{ "Settings" }</dt>
                    <dd>{ format!("MTU {}, {}, FCS {}", d.settings.mtu, d.settings.rule.name(), d.settings.fcs.key()) }</dd>
                </dl>
                <label class="share-field">{ "Selected span" }
                    <select onchange={on_span} data-testid="share-span">
                        <option value="none" selected={selected_span.is_none()}>{ "none" }</option>
                        { for spans.iter().enumerate().map(|(i, (_, _, label))| html! {
                            <option value={i.to_string()} selected={selected_span == Some(i)}>{ label.clone() }</option>
                        }) }
                    </select>
                </label>
                <label class="share-field">{ "Note (optional)" }
                    <textarea rows="2" maxlength={MAX_NOTE.to_string()} value={d.note.clone()} oninput={on_note}
                        placeholder="What you saw, and where" data-testid="share-note" />
                </label>
                <label class="share-field">{ "Link" }
                    <input type="text" readonly=true value={link.clone()} data-testid="share-link"
                        onfocus={Callback::from(|e: FocusEvent| {
                            if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { i.select(); }
                        })} />
                </label>
                <div class="share-row">
                    <span class="share-len" data-testid="share-link-length">{ format!("{} characters", thousands(link_chars as u64)) }</span>
                    <button type="button" class="primary" onclick={copy(link.clone(), "Link copied.")} data-testid="share-copy-link">{ "Copy link" }</button>
                </div>
                <section class="ticket-texts">
                    <h3>{ "For a ticket" }</h3>
                    <div class="ticket-text">
                        <div class="share-row">
                            <span>{ "Markdown report" }</span>
                            <button type="button" onclick={copy(markdown.clone(), "Markdown report copied.")} data-testid="copy-markdown">{ "Copy Markdown report" }</button>
                        </div>
                        <textarea readonly=true rows="6" value={markdown.clone()} data-testid="share-markdown" aria-label="Markdown report" />
                    </div>
                    <div class="ticket-text">
                        <div class="share-row">
                            <span>{ "Wireshark / tshark" }</span>
                            <button type="button" onclick={copy(tshark.clone(), "tshark settings and filter copied.")} data-testid="copy-tshark">{ "Copy tshark settings and filter" }</button>
                        </div>
                        <textarea readonly=true rows="6" value={tshark.clone()} data-testid="share-tshark" aria-label="Wireshark and tshark settings" />
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
