use crate::components::glossary::Term;
use crate::markup::hex_html;
use framelens::capture::OwnedFrame;
use framelens::explain::glossary::{for_fcs, for_region};
use framelens::explain::lessons::Highlight;
use framelens::explain::view::{group_key, segments};
use framelens::frame::analysis::{analyze, FrameAnalysis};
use framelens::frame::ledger::RegionKind;
use framelens::settings::Settings;
use framelens::wire::LayerGroup;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

/// The anatomy of one frame: whoever shows it (the loaded capture, a shared
/// link, a lesson) hands over the packet itself.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub packet: Rc<OwnedFrame>,
    pub settings: Settings,
    /// What a lesson step points at: its bytes and fields are marked `data-highlight`.
    #[prop_or_default]
    pub highlight: Option<Highlight>,
    /// More to outline besides it: every run of bytes that appeared along a journey.
    #[prop_or_default]
    pub highlights: Vec<Highlight>,
    /// The folded payload runs of the hex map the reader opened (their first bytes).
    #[prop_or_default]
    pub unfolded: Vec<u32>,
    /// A click on a folded run: its first byte (the page sends `Action::Unfold`).
    #[prop_or_default]
    pub on_unfold: Callback<u32>,
}

/// "Bytes 1518–1519 (2 bytes) are outlined below.", or with several runs
/// "Bytes 14–17 and 1518–1519 (6 bytes) …".
fn marked_sentence(runs: &[(u32, u32)]) -> String {
    let n: u32 = runs.iter().map(|(s, e)| e.saturating_sub(*s)).sum();
    let list: Vec<String> = runs.iter().map(|(s, e)| format!("{s}–{}", e.saturating_sub(1))).collect();
    let list = match list.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => list.join(""),
    };
    format!("Bytes {list} ({n} byte{}) are outlined below.", if n == 1 { "" } else { "s" })
}

/// Scrolls the first marked byte into view: in a long frame it can be a
/// thousand rows down the hex map.
fn show_marked() {
    let first = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[data-testid=anatomy] .hex .b.marked").ok().flatten());
    if let Some(el) = first {
        el.scroll_into_view();
    }
}

#[component]
pub fn Anatomy(props: &Props) -> Html {
    // `_eq`: resetting what is already reset renders nothing, and a new
    // frame then renders once, not twice.
    let hovered = use_state_eq(|| None::<usize>);
    {
        let hovered = hovered.clone();
        use_effect_with(props.packet.clone(), move |_| hovered.set(None));
    }

    let analysis = use_memo((props.packet.clone(), props.settings), |(p, s)| analyze(&p.packet(), s));
    let a: &FrameAnalysis = &analysis;
    let p = &props.packet;
    let n = p.number;
    let caplen = p.data.len();
    let hov = *hovered;
    let highlights: Vec<Highlight> = props.highlight.iter().chain(&props.highlights).copied().collect();
    let marked = Highlight::resolve_all(&highlights, a);
    let is_marked = |start: u32, end: u32| marked.iter().any(|&(s, e)| start >= s && end <= e && start < end);

    let bar = segments(a, caplen as u32).into_iter().map(|s| {
        let len = s.end - s.start;
        html! {
            <div class={classes!("seg", format!("g-{}", group_key(s.group)))} style={format!("flex-grow:{len}")}
                title={format!("{}: bytes {}–{} ({} bytes)", s.label, s.start, s.end.saturating_sub(1), len)}>
                <span>{ format!("{} {}", s.label, len) }</span>
            </div>
        }
    });

    let on_over = {
        let hovered = hovered.clone();
        Callback::from(move |e: MouseEvent| {
            let idx = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|el| el.get_attribute("data-span"))
                .and_then(|v| v.parse::<usize>().ok());
            if idx.is_some() {
                hovered.set(idx);
            }
        })
    };

    // The hex map is one HTML string, built once per frame, settings and
    // highlight: ~1,500 byte elements as one innerHTML instead of as many
    // virtual nodes, so selecting a frame stays quick. Hovering changes no
    // string: the effect below moves the `hl` class on the elements.
    // Runs opened here: the page keeps them as `Action::Unfold` where it
    // passes `on_unfold`; an anatomy without it (a journey's frames side by
    // side) still opens a run on a click, until its frame changes.
    let opened_here = use_state_eq(Vec::<u32>::new);
    {
        let opened_here = opened_here.clone();
        use_effect_with(props.packet.clone(), move |_| opened_here.set(Vec::new()));
    }
    let open: Vec<u32> = props.unfolded.iter().chain(opened_here.iter()).copied().collect();
    let hex = {
        let packet = props.packet.clone();
        let analysis = analysis.clone();
        use_memo((packet, props.settings, highlights, open), move |(p, _, h, open)| {
            hex_html(&analysis, &p.data, &Highlight::resolve_all(h, &analysis), open)
        })
    };
    // A folded run is a button inside the innerHTML: one listener on the map.
    let on_click = {
        let (on_unfold, opened_here) = (props.on_unfold.clone(), opened_here.clone());
        Callback::from(move |e: MouseEvent| {
            let start = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|el| el.closest("[data-fold]").ok().flatten())
                .and_then(|el| el.get_attribute("data-fold"))
                .and_then(|v| v.parse::<u32>().ok());
            if let Some(start) = start {
                if !opened_here.contains(&start) {
                    opened_here.set(opened_here.iter().copied().chain([start]).collect());
                }
                on_unfold.emit(start);
            }
        })
    };
    let hex_ref = use_node_ref();
    // Set as the element's innerHTML, not as a virtual node: replacing the
    // previous frame's map is then one DOM operation, not one removal per row.
    {
        let hex_ref = hex_ref.clone();
        use_effect_with(hex.clone(), move |hex| {
            if let Some(root) = hex_ref.cast::<Element>() {
                root.set_inner_html(hex);
            }
        });
    }
    {
        let hex_ref = hex_ref.clone();
        use_effect_with((hov, hex.clone()), move |(hov, _)| {
            if let Some(root) = hex_ref.cast::<Element>() {
                if let Ok(old) = root.query_selector_all(".b.hl") {
                    for i in 0..old.length() {
                        if let Some(el) = old.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                            let _ = el.class_list().remove_1("hl");
                        }
                    }
                }
                if let Some(k) = hov {
                    if let Ok(now) = root.query_selector_all(&format!(".b[data-span=\"{k}\"]")) {
                        for i in 0..now.length() {
                            if let Some(el) = now.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                                let _ = el.class_list().add_1("hl");
                            }
                        }
                    }
                }
            }
        });
    }

    let fields = a.spans.iter().enumerate().map(|(i, s)| {
        let set = {
            let hovered = hovered.clone();
            move || hovered.set(Some(i))
        };
        let (set2, set3) = (set.clone(), set);
        let class = classes!(
            "field",
            format!("g-{}", group_key(s.layer.group())),
            (hov == Some(i)).then_some("hl"),
            (s.depth > 0).then_some("inner")
        );
        let mark = is_marked(s.start, s.end);
        html! {
            <li><button type="button" {class} data-highlight={mark.then_some("true")}
                data-start={s.start.to_string()} data-len={s.end.saturating_sub(s.start).to_string()} onmouseenter={Callback::from(move |_: MouseEvent| set2())}
                onfocus={Callback::from(move |_: FocusEvent| set3())}>
                <span class="f-off">{ format!("{}–{}", s.start, s.end.saturating_sub(1)) }</span>
                <span class="f-layer">{ s.layer.name() }</span>
                <span class="f-name">{ s.name }</span>
                <span class="f-val">{ s.value.to_string() }</span>
            </button></li>
        }
    });

    let hover_line = match hov.and_then(|i| a.spans.get(i)) {
        Some(s) => {
            format!("{} · {} = {} (bytes {}–{})", s.layer.name(), s.name, s.value, s.start, s.end.saturating_sub(1))
        }
        None => "Point at or focus a field or a byte to see what it is.".into(),
    };

    let regions = a.ledger.regions().zip(a.callouts.iter()).map(|(r, c)| {
        let term = if r.kind == RegionKind::Fcs { for_fcs(a.ledger.fcs) } else { for_region(r.kind) };
        html! {
            <li class={classes!("region", format!("r-{}", r.kind.key()))} data-region={r.kind.key()}
                data-highlight={is_marked(r.start, r.end()).then_some("true")}
                data-start={r.start.to_string()} data-len={r.len.to_string()}
                data-nonzero={r.nonzero.map(|b| b.to_string())} data-valid={r.valid.map(|b| b.to_string())}>
                <span class={classes!("swatch", format!("g-{}", group_key(LayerGroup::Extra)))} aria-hidden="true"></span>
                { c.clone() }
                <Term entry={term} />
            </li>
        }
    });

    let mtu = &a.mtu;
    html! {
            <section class="anatomy" data-testid="anatomy" data-frame={n.to_string()} aria-label={format!("Anatomy of frame {n}")}>
                <h2>{ format!("Frame {n}") }<span class="sub">{ format!(" · {} bytes captured, {} on the wire", caplen, p.original_len) }</span></h2>
                <p class="equation" data-testid="ledger">{ a.equation.clone() }</p>
                <div class="bar" aria-hidden="true">{ for bar }</div>
                if a.ledger.regions().next().is_some() {
                    <ul class="regions">{ for regions }</ul>
                }
                <div class={classes!("mtu", mtu.dropped.then_some("dropped"))} data-testid="mtu-verdict" data-dropped={mtu.dropped.to_string()}>
                    <strong>{ if mtu.dropped { "Dropped: " } else { "MTU: " } }</strong>{ mtu.sentence.clone() }
                    if let Some(log) = &mtu.log { <code class="log">{ log.clone() }</code> }
                </div>
                if !a.findings.is_empty() {
                    <ul class="frame-findings">{ for a.findings.iter().map(|f| html! { <li>{ f.clone() }</li> }) }</ul>
                }
                if !a.hypotheses.is_empty() {
                    <div class="hypotheses"><h3>{ "Hypotheses, most likely first" }</h3>
                        <ol>{ for a.hypotheses.iter().map(|h| html! { <li>{ h.clone() }</li> }) }</ol></div>
                }
                if let Some(&(start, _)) = marked.first() {
                    <p class="marked-note" data-testid="highlight" data-start={start.to_string()}
                        data-len={marked.iter().map(|(s, e)| e - s).sum::<u32>().to_string()} data-runs={marked.len().to_string()}
    >
                        <span class="marked-swatch" aria-hidden="true"></span>
                        { marked_sentence(&marked) }
                        <button type="button" class="cancel" onclick={Callback::from(|_: MouseEvent| show_marked())}>{ "Show them" }</button>
                    </p>
                }
                <p class="hover-line" aria-live="polite">{ hover_line }</p>
                <div class="anatomy-grid">
                    <div class="hex" ref={hex_ref} onmouseover={on_over} onclick={on_click}></div>
                    <ul class="fields">{ for fields }</ul>
                </div>
            </section>
        }
}
