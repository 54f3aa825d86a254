//! The reader, dissector, ledger and summary on arbitrary files, fed whole
//! and in chunks whose size the input chooses: must never panic, and both
//! feeds must see the same frames and error.
#![no_main]

use framelens::scan::Scanner;
use framelens::settings::Settings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&chunk, file)) = data.split_first() else { return };
    let run = |size: usize| {
        let mut s = Scanner::new(Settings::default());
        let mut frames = Vec::new();
        for c in file.chunks(size.max(1)) {
            if s.push(c, |r| frames.push(*r)).is_err() {
                break;
            }
        }
        (frames, s.finish().error)
    };
    assert_eq!(run(file.len()), run(usize::from(chunk)));
});
