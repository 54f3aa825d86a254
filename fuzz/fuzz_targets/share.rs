//! Diagnosis-link decoding on arbitrary strings: a frame or an error, never a
//! panic or an unbounded allocation; what decodes re-encodes to the same frame.
#![no_main]

use framelens::explain::share::SharedFrame;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    if let Ok(f) = SharedFrame::decode(&s) {
        assert_eq!(SharedFrame::decode(&f.encode()), Ok(f));
    }
});
