//! A journey opened from a diagnosis link: a banner (the packet, the
//! sender's note and privacy choice), its changes, where it was lost and
//! what the path diagnosis said about it, the reader's own settings, and the
//! frames of every point side by side with their anatomies.

use crate::address::forget_link;
use crate::components::settings_panel::SettingsPanel;
use crate::components::side_by_side::{SideBySide, SideFrame};
use crate::state::Action;
use framelens::capture::OwnedFrame;
use framelens::explain::share::SharedJourney;
use framelens::settings::Settings;
use framelens::text::count;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub journey: Rc<SharedJourney>,
    pub packets: Vec<Rc<OwnedFrame>>,
    pub settings: Settings,
    pub on_action: Callback<Action>,
}

#[component]
pub fn SharedJourneyView(props: &Props) -> Html {
    let j = &props.journey;
    let close = props.on_action.reform(|_: MouseEvent| {
        forget_link();
        Action::CloseShared
    });
    let on_settings = props.on_action.reform(Action::SharedSettings);
    let frames: Vec<SideFrame> = j
        .seen
        .iter()
        .zip(&props.packets)
        .enumerate()
        .map(|(i, (s, p))| {
            let number = s.frame.frame_number.unwrap_or(0);
            SideFrame {
                point: i.to_string(),
                title: format!("{} \u{b7} frame {number}", s.point),
                number,
                bytes: Some(Ok(p.clone())),
                lesson: None,
            }
        })
        .collect();
    let fate = match &j.lost {
        Some(l) => format!(", lost after {}", l.after),
        None => String::new(),
    };
    let privacy = if j.headers_only {
        "Headers only: the sender replaced the payload bytes with zeros; lengths, headers and the bytes after each datagram are theirs."
    } else {
        "Full bytes: every byte as the sender captured it."
    };
    let s = &j.settings;
    html! {
        <section class="shared shared-journey" data-testid="shared-journey">
            <div class="shared-banner" data-testid="shared-banner" role="status" data-headers-only={j.headers_only.to_string()}>
                <div class="shared-title">
                    <strong>{ format!("Shared diagnosis: packet #{}, seen at {}{fate}", j.index + 1, count(j.seen.len() as u64, "point")) }</strong>
                    <span class={classes!("badge", j.headers_only.then_some("headers-only"))}>
                        { if j.headers_only { "headers only" } else { "full bytes" } }
                    </span>
                    <button type="button" class="shared-close" onclick={close} data-testid="shared-close">{ "Close" }</button>
                </div>
                <p>{ format!("Opened from a link: the packet's frames travel in the link itself; nothing was uploaded. {privacy}") }</p>
                if !j.note.trim().is_empty() {
                    <blockquote class="shared-note" data-testid="shared-note">{ j.note.clone() }</blockquote>
                }
                <p class="hint">{ format!(
                    "Sent with MTU {}, {}, FCS {}; change them below to see what another device would do.",
                    s.mtu, s.rule.name(), s.fcs.key()
                ) }</p>
            </div>
            <ul class="changes">{ for j.changes.iter().map(|c| html! { <li data-testid="journey-change">{ c.clone() }</li> }) }</ul>
            if let Some(l) = &j.lost {
                <p class="finding" data-testid="journey-loss">{ format!("Lost after {}: never seen at {}.", l.after, l.before) }</p>
            }
            if !j.findings.is_empty() {
                <ul class="path-findings">{ for j.findings.iter().map(|f| html! { <li data-testid="shared-finding">{ f.clone() }</li> }) }</ul>
            }
            <SettingsPanel settings={props.settings} on_change={on_settings} />
            <SideBySide {frames} settings={props.settings} />
        </section>
    }
}
