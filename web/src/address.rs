//! The page's address bar: what a shared view does to it.

/// Drops the `#share=` fragment from the address bar without a reload or a
/// hashchange (the reducer closes the view itself).
pub fn forget_link() {
    if let Some(w) = web_sys::window() {
        let path = w.location().pathname().unwrap_or_default();
        let search = w.location().search().unwrap_or_default();
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}{search}")));
        }
    }
}
