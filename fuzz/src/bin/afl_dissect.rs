//! AFL++ entry point of the `dissect` target: see [`framelens_fuzz::dissect_target`].
fn main() {
    afl::fuzz!(|data: &[u8]| framelens_fuzz::dissect_target(data));
}
