//! Framelens web app (placeholder): the page shell the real UI will grow into.

use yew::prelude::*;

#[function_component(App)]
fn app() -> Html {
    html! {
        <main class="page">
            <h1>{ "Framelens" }</h1>
            <p class="tagline">
                { "Explains why each captured network frame is as long as it is \u{2014} \
                   entirely in your browser; nothing is uploaded." }
            </p>
            <label class="drop-zone" data-testid="drop-zone">
                <span>{ "Drop a .pcap or .pcapng file here, or choose one" }</span>
                <input type="file" accept=".pcap,.pcapng,.cap" data-testid="file-input" />
            </label>
        </main>
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "framelens-web runs in the browser: use scripts/serve, then open http://127.0.0.1:8080"
    );
}
