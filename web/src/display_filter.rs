//! The display-filter expression above the frame list (`frame.len > 1514 and
//! region == "trailer"`), compiled by the core (`framelens::filter`).
//!
//! Two cases, told to the user beside the box:
//! - every field it names comes from the scan record: evaluated on the page
//!   over the `RecordStore`, at once, for every frame kept;
//! - it names a field only a frame's bytes answer (`ip.src`, `tcp.port`,
//!   `vlan.id`, …): the page keeps no bytes, so the scan worker re-reads the
//!   file once the scan is done (`ToWorker::Select`) and posts the numbers of
//!   the frames that match. Until they come, the list shows no frame.
//!
//! Named "expression" throughout the web app: `state::Filter` is the list's
//! quick filters (the chips), which the expression narrows further.

use framelens::filter::{Filter as Compiled, Subject};
use framelens::scan::record::FrameRecord;
use framelens::settings::Settings;
use std::rc::Rc;

/// The matches the worker found for a byte expression.
#[derive(Clone, Debug, PartialEq)]
pub struct ByteMatches {
    pub load_id: u32,
    pub settings: Settings,
    /// Frame numbers, ascending.
    pub numbers: Rc<Vec<u64>>,
}

/// What the worker is asked to evaluate: the expression over this load's file at these settings.
#[derive(Clone, Debug, PartialEq)]
pub struct SelectRequest {
    pub load_id: u32,
    pub text: String,
    pub settings: Settings,
}

#[derive(Clone, Debug, Default)]
pub enum Expr {
    /// No expression: every frame.
    #[default]
    None,
    /// It does not compile; the list is not narrowed.
    Error { message: String, column: usize },
    /// Answered by the records on the page.
    Records(Rc<Compiled>),
    /// Needs the frames' bytes (`fields`): answered by the worker.
    Bytes { filter: Rc<Compiled>, fields: Vec<&'static str>, matches: Option<ByteMatches> },
}

impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Expr::None, Expr::None) => true,
            (Expr::Error { message: a, column: x }, Expr::Error { message: b, column: y }) => a == b && x == y,
            (Expr::Records(a), Expr::Records(b)) => a.text() == b.text(),
            (Expr::Bytes { filter: a, matches: m, .. }, Expr::Bytes { filter: b, matches: n, .. }) => {
                a.text() == b.text() && m == n
            }
            _ => false,
        }
    }
}

impl Expr {
    /// Compiles `text` ("" or blanks: no expression).
    pub fn compile(text: &str) -> Expr {
        if text.trim().is_empty() {
            return Expr::None;
        }
        match Compiled::compile(text) {
            Err(e) => Expr::Error { message: e.to_string(), column: e.column },
            Ok(f) if f.needs_bytes() => Expr::Bytes { fields: f.byte_fields(), filter: Rc::new(f), matches: None },
            Ok(f) => Expr::Records(Rc::new(f)),
        }
    }

    /// Whether it narrows the list (an expression that does not compile does not).
    pub fn is_active(&self) -> bool {
        matches!(self, Expr::Records(_) | Expr::Bytes { .. })
    }

    /// Whether frame `r` passes. A byte expression whose matches have not
    /// come (or are for another load or settings) lets nothing through.
    pub fn admits(&self, r: &FrameRecord, s: &Settings, load_id: u32) -> bool {
        match self {
            Expr::None | Expr::Error { .. } => true,
            Expr::Records(f) => f.matches(&Subject::record(r, s)),
            Expr::Bytes { matches, .. } => match matches {
                Some(m) if m.load_id == load_id && m.settings == *s => m.numbers.binary_search(&r.number).is_ok(),
                _ => false,
            },
        }
    }

    /// A byte expression still waiting for the worker's matches.
    pub fn pending(&self, load_id: u32, s: &Settings) -> bool {
        match self {
            Expr::Bytes { matches, .. } => !matches.as_ref().is_some_and(|m| m.load_id == load_id && m.settings == *s),
            _ => false,
        }
    }

    /// One sentence for the user: which case applies.
    pub fn status(&self, pending: bool) -> String {
        match self {
            Expr::None => String::new(),
            Expr::Error { .. } => "Not applied: the list shows every frame.".into(),
            Expr::Records(_) => "Evaluated on this page, over the scan record of every frame.".into(),
            Expr::Bytes { fields, .. } => {
                let names = fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
                if pending {
                    format!("{names} need each frame's bytes, which the page does not keep: re-reading the file in the background\u{2026}")
                } else {
                    format!("{names} need each frame's bytes: evaluated by re-reading the file in the background (it runs again when the settings change).")
                }
            }
        }
    }
}

/// The expression's text for the URL fragment: every byte but `A–Z a–z 0–9 - _ . ~` as `%XX`.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The inverse of [`encode`]; a malformed escape stays as it is, bytes that
/// are not UTF-8 become U+FFFD.
pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, ..) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fragment_encoding_round_trips_any_text() {
        for t in ["", "ip.src == 10.0.0.0/8 and region == \"trailer\"", "a&b=c#%é", "x %zz %4"] {
            assert_eq!(decode(&encode(t)), t);
        }
        assert_eq!(encode("frame.len > 60"), "frame.len%20%3E%2060");
        assert_eq!(decode("%ZZ%4"), "%ZZ%4");
    }

    #[test]
    fn which_case_applies_is_told() {
        assert_eq!(Expr::compile("  "), Expr::None);
        assert!(matches!(Expr::compile("frame.len > 60"), Expr::Records(_)));
        let Expr::Bytes { fields, .. } = Expr::compile("ip.src == 10.0.0.1 or tcp.port == 80 or ip.src == 1.1.1.1")
        else {
            panic!()
        };
        assert_eq!(fields, ["ip.src", "tcp.port"]);
        let e = Expr::compile("ip.sorce == 1.2.3.4");
        assert_eq!(
            e,
            Expr::Error { message: "unknown field `ip.sorce` at column 1; did you mean `ip.src`?".into(), column: 1 }
        );
        assert!(!e.is_active());
        assert!(Expr::compile("vlan.id == 1").status(true).contains("re-reading the file"));
    }
}
