use crate::read_progress::Progress;
use crate::state::Phase;
use framelens::text::thousands;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub progress: Progress,
    pub frames: usize,
    pub phase: Phase,
    pub on_cancel: Callback<()>,
}

#[component]
pub fn ProgressBar(props: &Props) -> Html {
    let p = &props.progress;
    let reading = props.phase == Phase::Reading;
    let pct = if p.bytes_total == 0 { 100.0 } else { p.bytes_done as f64 * 100.0 / p.bytes_total as f64 };
    let left = match p.remaining_ms() {
        Some(ms) if reading && ms >= 1000.0 => format!(", about {:.0} s left", ms / 1000.0),
        _ => String::new(),
    };
    let text = format!(
        "{} of {} bytes, {} frame{}{left}",
        thousands(p.bytes_done),
        thousands(p.bytes_total),
        thousands(props.frames as u64),
        if props.frames == 1 { "" } else { "s" }
    );
    let on_cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class="progress" data-testid="progress" data-done={p.bytes_done.to_string()} data-total={p.bytes_total.to_string()}>
            <progress max="100" value={format!("{pct:.1}")} aria-label="Bytes read"></progress>
            <span class="progress-text">{ text }</span>
            if reading {
                <button type="button" class="cancel" onclick={on_cancel}>{ "Cancel" }</button>
            }
        </div>
    }
}
