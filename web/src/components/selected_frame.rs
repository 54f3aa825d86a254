//! The selected frame of the loaded capture: re-reads its bytes from the file
//! (the scan kept only its record) and shows its anatomy.

use crate::components::anatomy::Anatomy;
use crate::protocol::ReadContext;
use framelens::capture::OwnedPacket;
use framelens::settings::Settings;
use std::rc::Rc;
use web_sys::Blob;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub blob: Option<Blob>,
    pub context: Rc<ReadContext>,
    /// Changes when another capture (or a rescan) is loaded.
    pub load_id: u32,
    pub number: u64,
    /// Where the frame's record lies in the file, from the scan.
    pub offset: u64,
    pub caplen: u32,
    pub settings: Settings,
    /// A lesson step's highlight, for the anatomy.
    #[prop_or_default]
    pub highlight: Option<framelens::explain::lessons::Highlight>,
    /// Opens the share dialog for the frame on show.
    #[prop_or_default]
    pub on_share: Option<Callback<Rc<OwnedPacket>>>,
}

#[component]
pub fn SelectedFrame(props: &Props) -> Html {
    // The packet shown, with the load it came from: while the next selected
    // frame is read, the previous one of the same capture stays on screen
    // (no empty flash, and the page is not rebuilt twice per selection).
    let packet = use_state_eq(|| None::<(u32, Rc<OwnedPacket>)>);
    let error = use_state_eq(|| None::<String>);
    let wanted = use_mut_ref(|| (0u64, 0u32));
    {
        let (packet, error, wanted) = (packet.clone(), error.clone(), wanted.clone());
        let (blob, context) = (props.blob.clone(), props.context.clone());
        let (offset, caplen) = (props.offset, props.caplen);
        use_effect_with((props.number, props.load_id), move |&(n, load_id)| {
            let at = crate::loader::RecordAt { number: n, offset, caplen };
            *wanted.borrow_mut() = (n, load_id);
            if let Some(p) = crate::loader::cached_packet(load_id, n) {
                error.set(None);
                packet.set(Some((load_id, p)));
            } else if let Some(blob) = blob {
                wasm_bindgen_futures::spawn_local(async move {
                    let r = crate::loader::fetch_packet(blob, at, context, load_id).await;
                    if *wanted.borrow() != (n, load_id) {
                        return;
                    }
                    match r {
                        Ok(Some(p)) => {
                            error.set(None);
                            packet.set(Some((load_id, p)));
                        }
                        Ok(None) => error.set(Some(format!("Frame {n} is not in this capture."))),
                        Err(m) => error.set(Some(format!("Frame {n} could not be re-read: {m}"))),
                    }
                });
            }
        });
    }
    let n = props.number;
    // A frame read ahead shows in this very render, with the list's selection.
    let cached = crate::loader::cached_packet(props.load_id, n).map(|p| (props.load_id, p));
    let error = if cached.is_some() { None } else { (*error).clone() };
    let shown = cached.or_else(|| (*packet).clone());
    match (&shown, &error) {
        (_, Some(e)) => html! {
            <section class="anatomy" data-testid="anatomy-error"><p class="status error">{ e.clone() }</p></section>
        },
        (Some((load_id, p)), _) if *load_id == props.load_id => {
            let share = props.on_share.as_ref().map(|cb| {
                let (cb, p) = (cb.clone(), p.clone());
                Callback::from(move |_: MouseEvent| cb.emit(p.clone()))
            });
            html! {
                <>
                    if let Some(onclick) = share {
                        <div class="frame-actions">
                            <button type="button" {onclick} data-testid="share-button"
                                title="A link that opens this frame's diagnosis; the frame travels in the link, never to a server">
                                { "Share…" }
                            </button>
                        </div>
                    }
                    <Anatomy packet={p.clone()} settings={props.settings} highlight={props.highlight} />
                </>
            }
        }
        _ => html! { <section class="anatomy loading"><p>{ format!("Reading frame {n}…") }</p></section> },
    }
}
