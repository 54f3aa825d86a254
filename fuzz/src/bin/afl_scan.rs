//! AFL++ entry point of the `scan` target: see [`framelens_fuzz::scan_target`].
fn main() {
    afl::fuzz!(|data: &[u8]| framelens_fuzz::scan_target(data));
}
