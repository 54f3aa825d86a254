//! The selected frame of the loaded capture: its anatomy, from the bytes the
//! page re-read from the file (the scan kept only its record), or why they
//! could not be read, or that they are being read.

use crate::components::anatomy::Anatomy;
use crate::frame_cache::FrameBytes;
use framelens::capture::OwnedFrame;
use framelens::explain::lessons::Highlight;
use framelens::settings::Settings;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub number: u64,
    /// The frame's bytes once read (see `State::frames_read`).
    pub bytes: Option<FrameBytes>,
    pub settings: Settings,
    /// A lesson step's highlight, for the anatomy.
    #[prop_or_default]
    pub highlight: Option<Highlight>,
    /// What the kernel logs said about this frame (`file:line: text` per line).
    #[prop_or_default]
    pub log: Vec<String>,
    /// Opens the share dialog for the frame on show.
    pub on_share: Callback<Rc<OwnedFrame>>,
    /// The hex map's payload runs opened in this frame, and a click on a folded one.
    #[prop_or_default]
    pub unfolded: Vec<u32>,
    #[prop_or_default]
    pub on_unfold: Callback<(u64, u32)>,
}

#[component]
pub fn SelectedFrame(props: &Props) -> Html {
    let n = props.number;
    match &props.bytes {
        Some(Err(e)) => html! {
            <section class="anatomy" data-testid="anatomy-error"><p class="status error">{ e.clone() }</p></section>
        },
        Some(Ok(p)) => {
            let onclick = props.on_share.reform({
                let p = p.clone();
                move |_: MouseEvent| p.clone()
            });
            html! {
                <>
                    <div class="frame-actions">
                        <button type="button" {onclick} data-testid="share-button"
                            title="A link that opens this frame's diagnosis; the frame travels in the link, never to a server">
                            { "Share…" }
                        </button>
                    </div>
                    if !props.log.is_empty() {
                        <p class="frame-log" data-testid="frame-log">
                            { "The kernel said about this frame: " }
                            { for props.log.iter().map(|l| html! { <q>{ l.clone() }</q> }) }
                        </p>
                    }
                    <Anatomy packet={p.clone()} settings={props.settings} highlight={props.highlight}
                        unfolded={props.unfolded.clone()} on_unfold={props.on_unfold.reform(move |start| (n, start))} />
                </>
            }
        }
        None => html! { <section class="anatomy loading"><p>{ format!("Reading frame {n}…") }</p></section> },
    }
}
