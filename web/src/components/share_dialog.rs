//! The share dialog of one frame: the privacy choice, what the link will
//! carry, the selected span, a note, the link and its length, and the two
//! ticket texts. The link, the report and the tshark text all come from the
//! core; the dialog itself is [`ShareFrame`].

use crate::components::share_frame::{page_address, ShareFrame, TicketText};
use crate::share_state::ShareDraft;
use crate::state::Action;
use framelens::text::thousands;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub draft: ShareDraft,
    /// The capture's file name, for the tshark command line.
    pub file_name: Option<String>,
    pub on_action: Callback<Action>,
}

#[component]
pub fn ShareDialog(props: &Props) -> Html {
    let d = &props.draft;
    let texts = use_memo((d.clone(), props.file_name.clone()), |(d, name)| {
        let capture = name.clone().unwrap_or_else(|| "capture.pcap".into());
        (d.link(&page_address()), d.zeroed(), d.markdown(), d.wireshark_text(&capture), d.span_choices())
    });
    let (link, zeroed, markdown, tshark, spans) = &*texts;
    let on_span = {
        let spans = spans.clone();
        props.on_action.reform(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            let span = s.value().parse::<usize>().ok().and_then(|i| spans.get(i)).map(|&(a, b, _)| (a, b));
            Action::ShareSpan(span)
        })
    };
    let selected_span = d.span.and_then(|s| spans.iter().position(|&(a, b, _)| (a, b) == s));
    let fields = html! {
        <label class="share-field">{ "Selected span" }
            <select onchange={on_span} data-testid="share-span">
                <option value="none" selected={selected_span.is_none()}>{ "none" }</option>
                { for spans.iter().enumerate().map(|(i, (_, _, label))| html! {
                    <option value={i.to_string()} selected={selected_span == Some(i)}>{ label.clone() }</option>
                }) }
            </select>
        </label>
    };
    let p = &d.packet;
    let what = format!(
        "{} bytes captured, {} on the wire, link type {}",
        thousands(p.data.len() as u64),
        thousands(p.original_len.into()),
        p.link_type
    );
    let texts = vec![
        TicketText {
            label: "Markdown report",
            copy: ("Copy Markdown report", "copy-markdown"),
            area: "share-markdown",
            copied: "Markdown report copied.",
            text: markdown.clone(),
            rows: 6,
            download: None,
        },
        TicketText {
            label: "Wireshark / tshark",
            copy: ("Copy tshark settings and filter", "copy-tshark"),
            area: "share-tshark",
            copied: "tshark settings and filter copied.",
            text: tshark.clone(),
            rows: 6,
            download: None,
        },
    ];
    html! {
        <ShareFrame title={format!("Share frame {}", p.number)} kind="frame"
            lead="The link carries this one frame in its fragment (after the #), which browsers never send to a server: whoever opens it sees the same diagnosis, and nothing is uploaded."
            headers_only_text=" (recommended): payload bytes become zeros; every length, header and byte after the datagram stays, so the diagnosis is the same."
            headers_only={d.headers_only} what={("Frame", what)} zeroed={u64::from(*zeroed)} settings={d.settings}
            {fields} note={d.note.clone()} link={Ok::<_, String>(link.clone())} {texts} on_action={props.on_action.clone()} />
    }
}
