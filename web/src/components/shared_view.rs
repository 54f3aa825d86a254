//! A frame opened from a diagnosis link (a journey's link shows
//! [`crate::components::shared_journey`]): a banner saying so (with the
//! sender's note and privacy choice), the reader's own MTU and device rule,
//! and the same anatomy the loaded capture shows. A link that cannot be
//! opened shows the core's sentence instead.

use crate::address::forget_link;
use crate::components::anatomy::Anatomy;
use crate::components::settings_panel::SettingsPanel;
use crate::components::shared_journey::SharedJourneyView;
use crate::share_state::SharedPage;
use crate::state::Action;
use framelens::explain::lessons::Highlight;
use framelens::text::thousands;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub page: SharedPage,
    pub on_action: Callback<Action>,
    /// The hex map's payload runs opened in the shared frame.
    #[prop_or_default]
    pub unfolded: Vec<u32>,
}

#[component]
pub fn SharedView(props: &Props) -> Html {
    let close = props.on_action.reform(|_: MouseEvent| {
        forget_link();
        Action::CloseShared
    });
    match &props.page {
        SharedPage::Error(sentence) => html! {
            <section class="shared-error" data-testid="share-error" role="alert">
                <h2>{ "This diagnosis link cannot be opened" }</h2>
                <p class="status error">{ sentence.clone() }</p>
                <p class="hint">{ "Ask the sender to copy the link again (mail programs sometimes cut or wrap long links), or open a capture below." }</p>
                <button type="button" onclick={close}>{ "Dismiss" }</button>
            </section>
        },
        SharedPage::Journey { journey, packets, settings } => html! {
            <SharedJourneyView journey={journey.clone()} packets={packets.clone()} settings={*settings}
                on_action={props.on_action.clone()} />
        },
        SharedPage::Open { frame, packet, settings } => {
            let on_settings = props.on_action.reform(Action::SharedSettings);
            let frame_no = packet.number;
            let on_unfold = props.on_action.reform(move |start| Action::Unfold { frame: frame_no, start });
            let number = frame.frame_number.map_or("a shared frame".to_string(), |n| format!("frame {n}"));
            let privacy = if frame.headers_only {
                "Headers only: the sender replaced the payload bytes with zeros; lengths, headers and the bytes after the datagram are theirs."
            } else {
                "Full bytes: every byte as the sender captured it."
            };
            let span = frame.span.map(|(s, e)| {
                format!(
                    "The sender points at bytes {s}–{} ({} byte{}).",
                    e - 1,
                    e - s,
                    if e - s == 1 { "" } else { "s" }
                )
            });
            html! {
                <section class="shared" data-testid="shared-view">
                    <div class="shared-banner" data-testid="shared-banner" role="status"
                        data-headers-only={frame.headers_only.to_string()}>
                        <div class="shared-title">
                            <strong>{ format!("Shared diagnosis: {number}") }</strong>
                            <span class={classes!("badge", frame.headers_only.then_some("headers-only"))}>
                                { if frame.headers_only { "headers only" } else { "full bytes" } }
                            </span>
                            <button type="button" class="shared-close" onclick={close} data-testid="shared-close">{ "Close" }</button>
                        </div>
                        <p>{ format!(
                            "Opened from a link: the frame ({} bytes) travels in the link itself; nothing was uploaded. {privacy}",
                            thousands(frame.data.len() as u64)
                        ) }</p>
                        if !frame.note.trim().is_empty() {
                            <blockquote class="shared-note" data-testid="shared-note">{ frame.note.clone() }</blockquote>
                        }
                        if let Some(s) = span { <p class="shared-span" data-testid="shared-span">{ s }</p> }
                        <p class="hint">{ format!(
                            "Sent with MTU {}, {}, FCS {}; change them below to see what another device would do.",
                            frame.settings.mtu, frame.settings.rule.name(), frame.settings.fcs.key()
                        ) }</p>
                    </div>
                    <SettingsPanel settings={*settings} on_change={on_settings} />
                    <Anatomy packet={packet.clone()} settings={*settings}
                        highlight={frame.span.map(|(start, end)| Highlight::Bytes { start, end })}
                        unfolded={props.unfolded.clone()} {on_unfold} />
                </section>
            }
        }
    }
}
