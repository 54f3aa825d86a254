use crate::components::glossary::Term;
use framelens::explain::glossary::{entry, for_rule};
use framelens::settings::{DeviceRule, FcsMode, Settings, MTU_RANGE};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub settings: Settings,
    pub on_change: Callback<Settings>,
}

fn select_value(e: &Event) -> String {
    e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default()
}

#[component]
pub fn SettingsPanel(props: &Props) -> Html {
    let s = props.settings;
    let on_mtu = {
        let cb = props.on_change.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            match input.value().trim().parse::<u32>() {
                Ok(m) if MTU_RANGE.contains(&m) => cb.emit(Settings { mtu: m, ..s }),
                _ => input.set_value(&s.mtu.to_string()),
            }
        })
    };
    let on_rule = {
        let cb = props.on_change.clone();
        Callback::from(move |e: Event| {
            if let Some(rule) = DeviceRule::from_key(&select_value(&e)) {
                cb.emit(Settings { rule, ..s });
            }
        })
    };
    let on_fcs = {
        let cb = props.on_change.clone();
        Callback::from(move |e: Event| {
            if let Some(fcs) = FcsMode::from_key(&select_value(&e)) {
                cb.emit(Settings { fcs, ..s });
            }
        })
    };
    html! {
        <fieldset class="settings" data-testid="settings">
            <legend>{ "Settings" }</legend>
            <label>{ "MTU " }
                <input type="number" min={MTU_RANGE.start().to_string()} max={MTU_RANGE.end().to_string()} value={s.mtu.to_string()} onchange={on_mtu} data-testid="mtu" />
                if let Some(e) = entry("mtu") { <Term entry={e} /> }
            </label>
            <label>{ "Device rule " }
                <select onchange={on_rule} data-testid="rule">
                    { for DeviceRule::ALL.iter().map(|r| html! {
                        <option value={r.key()} selected={*r == s.rule}>{ r.name() }</option>
                    }) }
                </select>
                <Term entry={for_rule(s.rule)} />
            </label>
            <label>{ "FCS " }
                <select onchange={on_fcs} data-testid="fcs">
                    { for FcsMode::ALL.iter().map(|m| html! {
                        <option value={m.key()} selected={*m == s.fcs}>{ m.description() }</option>
                    }) }
                </select>
            </label>
        </fieldset>
    }
}
