//! The what-if panel of a selected frame: change the MTU, the device rule,
//! the tags, the trailer bytes, wrap the frame in a tunnel or in MACsec, and
//! see the sizes and the verdict `framelens::explain::whatif` computes. The
//! choices (tunnels, MACsec) and their names come from the core too.

use crate::components::glossary::Term;
use framelens::explain::glossary::{entry, for_rule};
use framelens::explain::whatif::{
    macsec_from_key, macsec_key, macsec_label, what_if, Baseline, Change, Tunnel, MACSEC, MAX_TAGS, MAX_TRAILER,
};
use framelens::settings::{DeviceRule, Settings, MTU_RANGE};
use framelens::text::thousands;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub number: u64,
    pub base: Baseline,
    pub settings: Settings,
}

fn input_u32(e: &Event) -> Option<u32> {
    e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).and_then(|i| i.value().trim().parse().ok())
}

fn select_value(e: &Event) -> String {
    e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default()
}

fn opt(n: Option<u32>) -> String {
    n.map_or("?".into(), |v| thousands(v.into()))
}

#[component]
pub fn WhatIf(props: &Props) -> Html {
    // The change the user made, kept with the frame and settings it was made
    // for: another frame, or new settings, start again from the frame as it
    // is, in the same render (resetting it in an effect would render twice
    // on every selection).
    let key = (props.number, props.base, props.settings);
    let made = use_state(|| None::<((u64, Baseline, Settings), Change)>);
    let c = match *made {
        Some((k, c)) if k == key => c,
        _ => Change::keep(&props.base, props.settings),
    };
    let change = {
        let made = made.clone();
        move |c: Change| made.set(Some((key, c)))
    };
    let update = |f: fn(Change, &Event) -> Change| {
        let change = change.clone();
        Callback::from(move |e: Event| change(f(c, &e)))
    };
    let on_mtu = update(|c, e| match input_u32(e).filter(|m| MTU_RANGE.contains(m)) {
        Some(mtu) => Change { settings: Settings { mtu, ..c.settings }, ..c },
        None => c,
    });
    let on_rule = update(|c, e| match DeviceRule::from_key(&select_value(e)) {
        Some(rule) => Change { settings: Settings { rule, ..c.settings }, ..c },
        None => c,
    });
    let on_tags = update(|c, e| Change { tags: input_u32(e).map_or(c.tags, |t| t.min(MAX_TAGS.into()) as u8), ..c });
    let on_trailer =
        update(|c, e| Change { trailer_bytes: input_u32(e).map_or(c.trailer_bytes, |t| t.min(MAX_TRAILER)), ..c });
    let on_tunnel = update(|c, e| Change { tunnel: Tunnel::from_key(&select_value(e)).unwrap_or(c.tunnel), ..c });
    let on_macsec = update(|c, e| Change { macsec: macsec_from_key(&select_value(e)).unwrap_or(c.macsec), ..c });
    let on_v6 = update(|c, e| {
        let on = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).is_some_and(|i| i.checked());
        Change { underlay_ipv6: on, ..c }
    });
    let step_tags = |delta: i32| {
        let change = change.clone();
        Callback::from(move |_: MouseEvent| {
            let tags = (i32::from(c.tags) + delta).clamp(0, i32::from(MAX_TAGS)) as u8;
            change(Change { tags, ..c });
        })
    };
    let reset = {
        let (made, base, settings) = (made.clone(), props.base, props.settings);
        Callback::from(move |_: MouseEvent| made.set(Some((key, Change::keep(&base, settings)))))
    };

    let o = what_if(&props.base, &c);
    let v = &o.verdict;
    let parts =
        o.parts.iter().map(|p| format!("{} {}", thousands(p.len.into()), p.label)).collect::<Vec<_>>().join(" + ");
    let row = |label: &str, before: String, after: String, key: &str| {
        let changed = before != after;
        html! {
            <tr data-size={key.to_string()}><th scope="row">{ label.to_string() }</th><td>{ before }</td>
                <td class={classes!(changed.then_some("changed"))} data-value={after.clone()}>{ after }</td></tr>
        }
    };
    let headroom = if o.headroom >= 0 {
        format!("{} byte{} to spare", o.headroom, if o.headroom == 1 { "" } else { "s" })
    } else {
        format!("{} byte{} too many", -o.headroom, if o.headroom == -1 { "" } else { "s" })
    };
    html! {
        <section class="whatif" data-testid="whatif" aria-label="What if">
            <h2>{ "What if…" }<span class="sub">{ format!(" frame {} were changed? The capture stays as it is.", props.number) }</span></h2>
            <div class="whatif-form">
                <label>{ "MTU " }<input type="number" min={MTU_RANGE.start().to_string()} max={MTU_RANGE.end().to_string()} value={c.settings.mtu.to_string()}
                    data-testid="whatif-mtu" onchange={on_mtu} />
                    if let Some(e) = entry("mtu") { <Term entry={e} /> }</label>
                <label>{ "Device rule " }
                    <select data-testid="whatif-rule" onchange={on_rule}>
                        { for DeviceRule::ALL.iter().map(|r| html! {
                            <option value={r.key()} selected={*r == c.settings.rule}>{ r.name() }</option>
                        }) }
                    </select><Term entry={for_rule(c.settings.rule)} /></label>
                <label>{ "VLAN tags " }
                    <span class="stepper">
                        <button type="button" data-testid="whatif-tag-remove" aria-label="Remove a VLAN tag"
                            disabled={c.tags == 0} onclick={step_tags(-1)}>{ "−" }</button>
                        <input type="number" min="0" max={MAX_TAGS.to_string()} value={c.tags.to_string()}
                            data-testid="whatif-tags" onchange={on_tags} />
                        <button type="button" data-testid="whatif-tag-add" aria-label="Add a VLAN tag"
                            disabled={c.tags >= MAX_TAGS} onclick={step_tags(1)}>{ "+" }</button>
                    </span>
                    if let Some(e) = entry("vlan-tag") { <Term entry={e} /> }</label>
                <label>{ "Trailer bytes " }<input type="number" min="0" max={MAX_TRAILER.to_string()}
                    value={c.trailer_bytes.to_string()} data-testid="whatif-trailer" onchange={on_trailer} />
                    if let Some(e) = entry("trailer") { <Term entry={e} /> }</label>
                <label>{ "Tunnel " }
                    <select data-testid="whatif-tunnel" onchange={on_tunnel}>
                        { for Tunnel::ALL.iter().map(|t| html! { <option value={t.key()} selected={*t == c.tunnel}>{ t.label() }</option> }) }
                    </select>
                    if let Some(e) = entry(if matches!(c.tunnel, Tunnel::Vxlan) { "vxlan" } else { "gre" }) { <Term entry={e} /> }</label>
                <label>{ "MACsec " }
                    <select data-testid="whatif-macsec" onchange={on_macsec}>
                        { for MACSEC.iter().map(|m| html! {
                            <option value={macsec_key(*m)} selected={*m == c.macsec}>{ macsec_label(*m) }</option>
                        }) }
                    </select>
                    if let Some(e) = entry("macsec") { <Term entry={e} /> }</label>
                if c.tunnel != Tunnel::None {
                    <label><input type="checkbox" checked={c.underlay_ipv6} data-testid="whatif-ipv6" onchange={on_v6} />
                        { " IPv6 underlay (+20)" }</label>
                }
                <button type="button" class="cancel" data-testid="whatif-reset" onclick={reset}>{ "Reset" }</button>
            </div>
            <table class="whatif-sizes">
                <thead><tr><th></th><th scope="col">{ "Now" }</th><th scope="col">{ "What if" }</th></tr></thead>
                <tbody>
                    { row("Frame (no FCS)", thousands(o.before.frame_len.into()), thousands(o.after.frame_len.into()), "frame") }
                    { row("L2 payload", thousands(o.before.l2_payload.into()), thousands(o.after.l2_payload.into()), "l2-payload") }
                    { row("Outermost datagram", opt(o.before.datagram_len), opt(o.after.datagram_len), "datagram") }
                </tbody>
            </table>
            <p class="parts" data-testid="whatif-parts">{ format!("{} = {parts}", thousands(o.after.frame_len.into())) }</p>
            <div class={classes!("mtu", v.dropped.then_some("dropped"))} data-testid="whatif-verdict"
                data-dropped={v.dropped.to_string()} data-measured={v.measured.to_string()} data-limit={v.limit.to_string()}>
                <strong>{ if v.dropped { "Dropped: " } else { "Passes: " } }</strong>{ v.sentence.clone() }
                if v.limit > 0 { <span class="headroom">{ format!(" ({headroom})") }</span> }
                if let Some(log) = &v.log { <code class="log">{ log.clone() }</code> }
            </div>
            if let Some(d) = o.largest_datagram {
                <p class="hint" data-testid="whatif-largest" data-value={d.to_string()}>
                    { format!("The largest datagram this frame could carry and pass: {} bytes", thousands(d.into())) }
                    { if c.tunnel != Tunnel::None { " \u{2014} the MTU to give the hosts inside the tunnel." } else { "." } }
                </p>
            }
        </section>
    }
}
