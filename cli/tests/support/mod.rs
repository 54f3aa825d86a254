//! What the CLI's test files share: where the repository is, running the
//! binary, and golden files (FRAMELENS_BLESS=1 rewrites them).
#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `framelens ARGS` in `dir`: (exit code, stdout, stderr).
pub fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_framelens")).current_dir(dir).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// `actual` must equal `cli/tests/golden/NAME.txt`; on a mismatch both are printed.
pub fn assert_golden(name: &str, actual: &str) {
    let path = root().join("cli/tests/golden").join(format!("{name}.txt"));
    if std::env::var_os("FRAMELENS_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    if want != actual {
        panic!("golden output {name} differs.\n--- expected ({})\n{want}\n--- actual\n{actual}", path.display());
    }
}
