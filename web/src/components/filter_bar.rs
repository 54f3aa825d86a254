//! The display-filter box above the frame list, which case of evaluation
//! applies (see `crate::display_filter`), and the downloads of the list as shown.

use crate::display_filter::Expr;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The expression applied ("" for none).
    pub text: String,
    pub expr: Expr,
    /// A byte expression waiting for the worker.
    pub pending: bool,
    /// Frames the list shows now.
    pub shown: usize,
    /// The scan has ended: the file can be read again for a download.
    pub ready: bool,
    pub note: Option<String>,
    pub on_apply: Callback<String>,
    pub on_csv: Callback<()>,
    pub on_annotate: Callback<()>,
    /// The annotated pcapng with the unexplained bytes after each datagram cut (`--trim`).
    pub on_trim: Callback<()>,
}

#[component]
pub fn FilterBar(props: &Props) -> Html {
    // Applied on Enter (and when the box loses focus), as in Wireshark: not
    // per keystroke, which would re-filter a million frames for each letter.
    let onchange = props.on_apply.reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().value());
    let error = match &props.expr {
        Expr::Error { message, column } => Some(html! {
            <p class="filter-error" role="alert" data-testid="filter-error" data-column={column.to_string()}>{ message.clone() }</p>
        }),
        _ => None,
    };
    let status = props.expr.status(props.pending);
    let case = match &props.expr {
        Expr::Records(_) => "records",
        Expr::Bytes { .. } => "bytes",
        _ => "none",
    };
    let idle = !props.ready || props.pending || props.shown == 0;
    let csv = props.on_csv.reform(|_: MouseEvent| ());
    let annotate = props.on_annotate.reform(|_: MouseEvent| ());
    let trim = props.on_trim.reform(|_: MouseEvent| ());
    html! {
        <div class="filter-bar" data-testid="filter-bar" data-shown={props.shown.to_string()} data-applied={props.text.clone()}>
            <label class="filter-label">
                <span>{ "Display filter" }</span>
                <input type="text" class={classes!("filter-expr", error.is_some().then_some("bad"))} data-testid="filter-expr"
                    spellcheck="false" autocomplete="off" value={props.text.clone()} {onchange}
                    placeholder={"e.g. region == \"trailer\" and frame.len > 1514 \u{2014} Enter applies"}
                    aria-invalid={error.is_some().to_string()} />
            </label>
            { for error }
            if !status.is_empty() {
                <p class="filter-status" data-testid="filter-status" data-case={case} data-pending={props.pending.to_string()}>{ status }</p>
            }
            <div class="exports">
                <button type="button" class="cancel" data-testid="download-csv" disabled={idle} onclick={csv}
                    title="The list as shown, filters applied">{ "Download CSV" }</button>
                <button type="button" class="cancel" data-testid="download-annotated" disabled={idle} onclick={annotate}
                    title="The frames shown, unchanged, with Framelens' verdict as pcapng comments (for Wireshark)">
                    { "Download annotated pcapng" }</button>
                <button type="button" class="cancel" data-testid="download-trimmed" disabled={idle} onclick={trim}
                    title="The same, with the unexplained bytes after each datagram cut and said in the comment (framelens --annotate --trim)">
                    { "Download trimmed pcapng" }</button>
                if let Some(n) = &props.note {
                    <span class="export-note" data-testid="export-note">{ n.clone() }</span>
                }
            </div>
        </div>
    }
}
