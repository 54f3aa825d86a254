//! A journey's frames side by side in time order, each with its anatomy and
//! every run of bytes that appeared since the frame before outlined: the path
//! view's selected journey and a shared journey both show them so.

use crate::components::anatomy::Anatomy;
use crate::frame_cache::FrameBytes;
use framelens::explain::journey::appeared_along;
use framelens::explain::lessons::Highlight;
use framelens::frame::analysis::{analyze, FrameAnalysis};
use framelens::settings::Settings;
use framelens::text::plural;
use yew::prelude::*;

/// One sighting's frame.
#[derive(Clone, Debug, PartialEq)]
pub struct SideFrame {
    /// `data-point`: the point's index (the path view) or the sighting's (a shared journey).
    pub point: String,
    /// `controller.pcapng · eth1 · frame 29`.
    pub title: String,
    pub number: u64,
    /// Its bytes once read (`None`: still being read).
    pub bytes: Option<FrameBytes>,
    /// A path lesson step's bytes at this point, outlined instead of what appeared.
    pub lesson: Option<Highlight>,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub frames: Vec<SideFrame>,
    pub settings: Settings,
}

/// The runs of bytes that appeared in each frame since the frame before
/// (empty for the first, and for frames not read yet).
fn appeared_runs(frames: &[SideFrame], settings: &Settings) -> Vec<Vec<(u32, u32)>> {
    let analyses: Vec<Option<FrameAnalysis>> = frames
        .iter()
        .map(|f| match &f.bytes {
            Some(Ok(frame)) => Some(analyze(&frame.packet(), settings)),
            _ => None,
        })
        .collect();
    appeared_along(analyses.iter().map(Option::as_ref))
}

#[component]
pub fn SideBySide(props: &Props) -> Html {
    // Once per change of frames or settings, not on every render of the
    // journey's detail (the path view renders it as journeys arrive).
    let runs = use_memo((props.frames.clone(), props.settings), |(frames, settings)| appeared_runs(frames, settings));
    let frames = props.frames.iter().zip(runs.iter()).map(|(f, runs)| {
        let body = match &f.bytes {
            Some(Ok(frame)) => {
                let note = match runs.iter().map(|(s, e)| e - s).sum::<u32>() {
                    0 => String::new(),
                    n => format!("{n} byte{} appeared since the point before (outlined).", plural(n)),
                };
                let highlights: Vec<Highlight> = match f.lesson {
                    Some(h) => vec![h],
                    None => runs.iter().map(|&(start, end)| Highlight::Bytes { start, end }).collect(),
                };
                html! { <>
                    if !note.is_empty() {
                        <p class="appeared" data-testid="journey-appeared" data-runs={runs.len().to_string()}>{ note }</p>
                    }
                    <Anatomy packet={frame.clone()} settings={props.settings} {highlights} />
                </> }
            }
            Some(Err(e)) => html! { <p class="status error">{ e.clone() }</p> },
            None => html! { <p class="loading">{ format!("Reading frame {}\u{2026}", f.number) }</p> },
        };
        html! {
            <div class={classes!("journey-frame", f.lesson.is_some().then_some("lesson-point"))} data-testid="journey-frame"
                data-point={f.point.clone()} data-lesson={f.lesson.is_some().then_some("true")}>
                <h3>{ f.title.clone() }</h3>
                { body }
            </div>
        }
    });
    html! { <div class="side-by-side">{ for frames }</div> }
}
