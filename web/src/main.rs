//! Framelens web app: drop a capture, see every frame's length explained.
//! All analysis happens in the `framelens` core; this crate arranges and draws.
// The pure modules are used by the wasm-only components; natively only their tests use them.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
#![forbid(unsafe_code)]

mod csv;
mod display_filter;
mod frame_cache;
mod markup;
mod path_state;
mod protocol;
mod read_progress;
mod share_state;
mod state;

#[cfg(target_arch = "wasm32")]
mod address;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod loader;

/// Example captures shipped in `static/examples/` (served as `static/examples/`; see its SOURCES.md).
pub const EXAMPLES: [&str; 6] = [
    "two-bytes.pcap",
    "udpPacketWithEthernetTrailers.pcap",
    "802.1ad_QinQ.pcap",
    "vntag.pcap",
    "mixed-vlan-mpls.pcap",
    "datacenter.pcap",
];

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("framelens-web runs in the browser: use scripts/serve, then open http://127.0.0.1:8080");
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_example_is_shipped_and_reads_cleanly() {
        for name in super::EXAMPLES {
            let bytes = std::fs::read(format!("../static/examples/{name}")).unwrap();
            let s = framelens::scan::scan_bytes(&bytes, Default::default(), |_| {});
            assert!(s.error.is_none() && s.counts.frames > 0, "{name}: {:?}", s.error);
        }
    }
}
