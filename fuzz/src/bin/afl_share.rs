//! AFL++ entry point of the `share` target: see [`framelens_fuzz::share_target`].
fn main() {
    afl::fuzz!(|data: &[u8]| framelens_fuzz::share_target(data));
}
