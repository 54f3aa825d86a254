//! The glossary (`framelens::explain::glossary`) and the links to it from wherever a
//! term appears. Links reach the app through a context: they sit deep in
//! the legend, the anatomy, the summary and the settings.

use framelens::explain::glossary::{Entry, GLOSSARY};
use yew::prelude::*;

/// Opens the glossary at an entry.
#[derive(Clone, PartialEq)]
pub struct GlossaryLinks(pub Callback<&'static str>);

/// Text with `code` spans, as the core's prose writes commands.
pub fn with_code(text: &str) -> Html {
    let parts = text.split('`').enumerate().map(|(i, part)| {
        if i % 2 == 1 {
            html! { <code>{ part.to_string() }</code> }
        } else {
            html! { { part.to_string() } }
        }
    });
    html! { { for parts } }
}

#[derive(Properties, PartialEq)]
pub struct TermProps {
    pub entry: &'static Entry,
}

/// A small "?" button after a term that opens its glossary entry; the
/// definition is also its tooltip.
#[component]
pub fn Term(props: &TermProps) -> Html {
    let links = use_context::<GlossaryLinks>();
    let id = props.entry.id;
    let onclick = Callback::from(move |e: MouseEvent| {
        e.stop_propagation();
        if let Some(l) = &links {
            l.0.emit(id);
        }
    });
    html! {
        <button type="button" class="term" data-glossary={id} title={props.entry.definition.replace('`', "")}
            aria-label={format!("Glossary: {}", props.entry.term)} {onclick}>{ "?" }</button>
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The entry a link asked for, scrolled to and marked.
    pub target: Option<&'static str>,
    pub on_close: Callback<()>,
}

#[component]
pub fn Glossary(props: &Props) -> Html {
    {
        use_effect_with(props.target, |target| {
            let el = target.and_then(|id| web_sys::window()?.document()?.get_element_by_id(&format!("glossary-{id}")));
            if let Some(el) = el {
                el.scroll_into_view();
                if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                    let _ = el.focus();
                }
            }
        });
    }
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    let entries = GLOSSARY.iter().map(|e| {
        let class = classes!("entry", (props.target == Some(e.id)).then_some("target"));
        html! {
            <div {class} id={format!("glossary-{}", e.id)} tabindex="-1">
                <dt>{ e.term }</dt>
                <dd>{ with_code(e.definition) }</dd>
            </div>
        }
    });
    html! {
        <section class="glossary" data-testid="glossary" aria-label="Glossary">
            <div class="glossary-head">
                <h2>{ "Glossary" }</h2>
                <button type="button" class="cancel" data-testid="glossary-close" onclick={on_close}>{ "Close" }</button>
            </div>
            <dl>{ for entries }</dl>
        </section>
    }
}
