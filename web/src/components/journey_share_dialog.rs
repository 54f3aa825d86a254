//! The share dialog of a journey: the privacy choice, what the link carries
//! (every sighting's frame), a note, the link and its length, and the
//! Markdown report to copy or download. The link and the report come from
//! the core (`framelens::explain::share::journey`, `framelens::explain::ticket`);
//! the dialog itself is [`ShareFrame`].

use crate::components::share_frame::{page_address, ShareFrame, TicketText};
use crate::share_state::JourneyDraft;
use crate::state::Action;
use framelens::text::{count, thousands};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub draft: JourneyDraft,
    pub on_action: Callback<Action>,
}

#[component]
pub fn JourneyShareDialog(props: &Props) -> Html {
    let d = &props.draft;
    let texts = use_memo(d.clone(), |d| (d.link(&page_address()), d.zeroed(), d.markdown()));
    let (link, zeroed, markdown) = &*texts;
    let bytes: usize = d.seen.iter().map(|s| s.packet.data.len()).sum();
    let lost = d.lost.as_ref().map(|l| format!(", lost after {}", l.after)).unwrap_or_default();
    let what =
        format!("{}{lost}, {} bytes captured in all", count(d.seen.len() as u64, "sighting"), thousands(bytes as u64));
    let texts = vec![TicketText {
        label: "Markdown report",
        copy: ("Copy Markdown report", "copy-markdown"),
        area: "share-markdown",
        copied: "Markdown report copied.",
        text: markdown.clone(),
        rows: 8,
        download: Some((format!("packet-{}.md", d.index + 1), "text/markdown")),
    }];
    html! {
        <ShareFrame title={format!("Share packet #{}", d.index + 1)} kind="journey"
            lead="The link carries this packet's frame at every point that saw it, in its fragment (after the #), which browsers never send to a server: whoever opens it sees the same frames side by side, and nothing is uploaded."
            headers_only_text=" (recommended): payload bytes become zeros in every frame; lengths, headers and the bytes after each datagram stay, so the diagnosis is the same."
            headers_only={d.headers_only} what={("Journey", what)} zeroed={*zeroed as u64} settings={d.settings}
            note={d.note.clone()} link={link.clone()} {texts} on_action={props.on_action.clone()} />
    }
}
