use crate::components::glossary::Term;
use crate::state::Phase;
use framelens::explain::glossary::for_finding;
use framelens::frame::finding::Finding;
use framelens::scan::store::RecordStore;
use framelens::scan::summary::{CaptureFinding, Counts, Summary};
use framelens::settings::Settings;
use framelens::text::thousands;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub file_name: Option<String>,
    pub phase: Phase,
    pub frames: RecordStore,
    pub counts: Counts,
    pub summary: Option<Rc<Summary>>,
    /// Findings so far; the final ones once the whole capture is read.
    pub findings: Rc<Vec<CaptureFinding>>,
    pub settings: Settings,
    pub on_select: Callback<u64>,
}

#[component]
pub fn SummaryView(props: &Props) -> Html {
    let counts = props.counts;
    let complete = props.phase == Phase::Done;
    let n = props.frames.len() as u64;
    let summary = props.summary.as_deref();
    let status = match (&props.phase, summary) {
        (Phase::Reading, _) => html! { <p class="status">{ "Reading…" }</p> },
        (Phase::Cancelled, _) => html! { <p class="status warn">{ "Cancelled: showing the frames read so far." }</p> },
        (Phase::Failed(m), _) => html! { <p class="status error" role="alert">{ m.clone() }</p> },
        (Phase::Done, Some(s)) => match (&s.error, n) {
            (Some(e), 0) => html! {
                <p class="status error" role="alert" data-testid="capture-error">
                    { format!("This is not a capture Framelens can read: {}", e.message) }
                </p>
            },
            (Some(e), _) => html! {
                <p class="status error" role="alert" data-testid="capture-error">
                    { format!("Read {} frame{}, then stopped: {}", thousands(n), if n == 1 { "" } else { "s" }, e.message) }
                </p>
            },
            (None, 0) => html! { <p class="status warn">{ "The capture is valid but holds no frames." }</p> },
            (None, _) => Html::default(),
        },
        _ => Html::default(),
    };
    let link_note = summary.and_then(|s| {
        let unsupported = s.counts.of_finding(Finding::UnsupportedLink);
        (unsupported > 0).then(|| {
            html! { <p class="status warn">{ format!("{} frames have a link type Framelens does not dissect; they are counted with their lengths only.", thousands(unsupported)) }</p> }
        })
    });
    let stat = |label: &str, v: u64, key: &str| {
        html! { <div class="stat" data-kind={key.to_string()}><dt>{ label.to_string() }</dt><dd>{ thousands(v) }</dd></div> }
    };
    html! {
        <section class="summary" data-testid="summary" data-complete={complete.to_string()} aria-label="Summary">
            <h2>{ props.file_name.clone().unwrap_or_default() }</h2>
            { status }
            { for link_note }
            <dl class="stats">
                <div class="stat"><dt>{ "Frames" }</dt>
                    <dd data-testid="frame-count" data-value={n.to_string()}>{ thousands(n) }</dd></div>
                { stat("Padding", counts.of_finding(Finding::Padding), "padding") }
                { stat("Padding not zero", counts.of_finding(Finding::NonzeroPadding), "nonzero-padding") }
                { stat("FCS", counts.fcs_checked(), "fcs") }
                { stat("Vendor trailer", counts.of_finding(Finding::Vendor), "vendor") }
                { stat("Unexplained", counts.of_finding(Finding::Trailer), "trailer") }
                { stat("Truncated", counts.of_finding(Finding::Truncated), "truncated") }
                { stat(&format!("Over MTU {}", props.settings.mtu), counts.over_mtu, "over-mtu") }
            </dl>
            if !props.findings.is_empty() {
                <ul class="findings">
                    { for props.findings.iter().map(|f| {
                        let first = f.frames.first().copied();
                        let cb = props.on_select.clone();
                        let onclick = Callback::from(move |_: MouseEvent| if let Some(n) = first { cb.emit(n) });
                        html! {
                            <li><button type="button" class="finding" data-testid="finding" {onclick}
                                title={ f.frames.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ") }>
                                { f.sentence.clone() }
                            </button><Term entry={for_finding(f.kind)} /></li>
                        }
                    }) }
                </ul>
                if !complete {
                    <p class="hint">{ "Findings so far; they are final once the whole capture is read." }</p>
                }
            }
        </section>
    }
}
