//! The filter language: Wireshark's display-filter syntax over the fields of
//! [`super::fields::FIELDS`]. A recursive-descent parser that lexes each
//! literal by the type of the field it is compared with (as Wireshark and
//! wirefilter do), so `10.0.0.0/8`, `00:1b:21:3c:4d:5e` and `"trailer"` need
//! no token classes of their own. Bounded: at most [`MAX_LEN`] bytes and
//! [`MAX_DEPTH`] nested parentheses or `not`s, so neither the parser nor the
//! evaluator can run out of stack on any input.

use super::fields::{field, FieldDef, Kind, Value, FIELDS};
use super::{Literal, Member, Node, Op, Test};
use std::fmt;
use std::net::IpAddr;

/// The longest filter accepted, in bytes.
pub const MAX_LEN: usize = 4096;
/// How deeply parentheses and `not` may nest.
pub const MAX_DEPTH: usize = 64;
/// The most values an `in {…}` set may hold.
pub const MAX_SET: usize = 256;

/// Why a filter does not compile, and where (a 1-based column, in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError {
    pub column: usize,
    pub kind: ErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Empty,
    TooLong {
        len: usize,
    },
    TooDeep,
    TooManyValues,
    UnknownField {
        name: String,
        suggestion: Option<&'static str>,
    },
    /// Something else stood where `expected` had to be.
    Expected {
        expected: &'static str,
        found: Found,
        suggestion: Option<&'static str>,
    },
    /// A literal that is not a value of the field.
    BadValue {
        field: &'static str,
        value: String,
        expected: String,
        suggestion: Option<&'static str>,
    },
    /// An ordering on a field whose values have no order.
    Unordered {
        field: &'static str,
        op: &'static str,
    },
}

/// What stood in the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    End,
    Text(String),
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::End => f.write_str("the end of the filter"),
            Found::Text(t) => write!(f, "`{t}`"),
        }
    }
}

fn did_you_mean(f: &mut fmt::Formatter<'_>, s: Option<&str>) -> fmt::Result {
    match s {
        Some(s) => write!(f, "; did you mean `{s}`?"),
        None => Ok(()),
    }
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.column;
        match &self.kind {
            ErrorKind::Empty => write!(f, "the filter is empty"),
            ErrorKind::TooLong { len } => write!(f, "the filter has {len} bytes; at most {MAX_LEN} are accepted"),
            ErrorKind::TooDeep => {
                write!(f, "parentheses and `not` nest more than {MAX_DEPTH} deep at column {c}")
            }
            ErrorKind::TooManyValues => write!(f, "the set at column {c} has more than {MAX_SET} values"),
            ErrorKind::UnknownField { name, suggestion } => {
                write!(f, "unknown field `{name}` at column {c}")?;
                did_you_mean(f, *suggestion)
            }
            ErrorKind::Expected { expected, found, suggestion } => {
                write!(f, "expected {expected} at column {c}, found {found}")?;
                did_you_mean(f, *suggestion)
            }
            ErrorKind::BadValue { field, value, expected, suggestion } => {
                write!(f, "`{value}` at column {c} is not a value of `{field}`, which takes {expected}")?;
                did_you_mean(f, *suggestion)
            }
            ErrorKind::Unordered { field, op } => {
                write!(f, "`{op}` at column {c} cannot compare `{field}`, whose values have no order; use ==, != or in")
            }
        }
    }
}

impl std::error::Error for FilterError {}

/// Levenshtein distance, for "did you mean". Inputs are short (field names,
/// keywords), bounded by [`MAX_LEN`].
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(cur).min(row[j]) };
            prev = cur;
        }
    }
    row[b.len()]
}

/// The closest candidate, if close enough to be a typo: at most 2 edits, and
/// fewer edits than the word has characters (so `x` suggests nothing).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word.to_ascii_lowercase(), c), c))
        .filter(|(d, _)| *d <= 2 && *d < len)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Characters that end a bare word (a field name or a literal).
fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '{' | '}' | '!' | '=' | '<' | '>' | '&' | '|' | ',' | '"')
}

const OPERATORS: [(&str, Op); 12] = [
    ("==", Op::Eq),
    ("!=", Op::Ne),
    ("<=", Op::Le),
    (">=", Op::Ge),
    ("<", Op::Lt),
    (">", Op::Gt),
    ("eq", Op::Eq),
    ("ne", Op::Ne),
    ("le", Op::Le),
    ("ge", Op::Ge),
    ("lt", Op::Lt),
    ("gt", Op::Gt),
];

pub(super) struct Parser<'a> {
    input: &'a str,
    at: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    pub(super) fn parse(input: &'a str) -> Result<Node, FilterError> {
        if input.len() > MAX_LEN {
            return Err(FilterError { column: 1, kind: ErrorKind::TooLong { len: input.len() } });
        }
        let mut p = Parser { input, at: 0, depth: 0 };
        p.skip_space();
        if p.at == input.len() {
            return Err(p.error(ErrorKind::Empty));
        }
        let node = p.or()?;
        p.skip_space();
        if p.at < input.len() {
            let word = p.peek_word();
            let suggestion = closest(word, ["and", "or"]);
            return Err(p.error(ErrorKind::Expected {
                expected: "`and`, `or` or the end of the filter",
                found: p.found(),
                suggestion,
            }));
        }
        Ok(node)
    }

    fn rest(&self) -> &'a str {
        self.input.get(self.at..).unwrap_or("")
    }

    fn column(&self, at: usize) -> usize {
        self.input.get(..at).map_or(1, |s| s.chars().count() + 1)
    }

    fn error(&self, kind: ErrorKind) -> FilterError {
        FilterError { column: self.column(self.at), kind }
    }

    fn error_at(&self, at: usize, kind: ErrorKind) -> FilterError {
        FilterError { column: self.column(at), kind }
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    /// The bare word at the cursor (possibly empty), without consuming it.
    fn peek_word(&self) -> &'a str {
        let rest = self.rest();
        let end = rest.find(is_delimiter).unwrap_or(rest.len());
        &rest[..end]
    }

    /// What stands at the cursor, for an error: a word, one character, or the end.
    fn found(&self) -> Found {
        let word = self.peek_word();
        if !word.is_empty() {
            return Found::Text(word.to_string());
        }
        match self.rest().chars().next() {
            None => Found::End,
            Some(c) => Found::Text(c.to_string()),
        }
    }

    /// Consumes `sym` (punctuation) if it comes next.
    fn eat(&mut self, sym: &str) -> bool {
        self.skip_space();
        if self.rest().starts_with(sym) {
            self.at += sym.len();
            true
        } else {
            false
        }
    }

    /// Consumes the keyword `kw` if the next word is exactly it.
    fn eat_keyword(&mut self, kw: &str) -> bool {
        self.skip_space();
        if self.peek_word() == kw {
            self.at += kw.len();
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Node, FilterError> {
        let mut terms = vec![self.and()?];
        while self.eat("||") || self.eat_keyword("or") {
            terms.push(self.and()?);
        }
        Ok(if terms.len() == 1 { terms.swap_remove(0) } else { Node::Or(terms) })
    }

    fn and(&mut self) -> Result<Node, FilterError> {
        let mut terms = vec![self.not()?];
        while self.eat("&&") || self.eat_keyword("and") {
            terms.push(self.not()?);
        }
        Ok(if terms.len() == 1 { terms.swap_remove(0) } else { Node::And(terms) })
    }

    /// One level deeper, for the `(` or `not` at byte `at`.
    fn nest(&mut self, at: usize) -> Result<(), FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_at(at, ErrorKind::TooDeep));
        }
        Ok(())
    }

    fn not(&mut self) -> Result<Node, FilterError> {
        self.skip_space();
        // `!` alone is `not`; `!=` is an operator and cannot start a term.
        let bang = self.rest().starts_with('!') && !self.rest().starts_with("!=");
        let at = self.at;
        if bang || self.eat_keyword("not") {
            if bang {
                self.at += 1;
            }
            self.nest(at)?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Node::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Node, FilterError> {
        self.skip_space();
        let open = self.at;
        if self.eat("(") {
            self.nest(open)?;
            let inner = self.or()?;
            self.depth -= 1;
            if !self.eat(")") {
                return Err(self.error(ErrorKind::Expected {
                    expected: "`)`, `and` or `or`",
                    found: self.found(),
                    suggestion: closest(self.peek_word(), ["and", "or"]),
                }));
            }
            return Ok(inner);
        }
        let start = self.at;
        let name = self.peek_word();
        if name.is_empty() || matches!(name, "and" | "or" | "in" | "eq" | "ne" | "lt" | "le" | "gt" | "ge") {
            return Err(self.error(ErrorKind::Expected {
                expected: "a field name, `not` or `(`",
                found: self.found(),
                suggestion: None,
            }));
        }
        let Some(def) = field(name) else {
            let suggestion = closest(name, FIELDS.iter().map(|f| f.name));
            return Err(self.error_at(start, ErrorKind::UnknownField { name: name.to_string(), suggestion }));
        };
        self.at += name.len();
        self.test(def)
    }

    fn test(&mut self, def: &'static FieldDef) -> Result<Node, FilterError> {
        self.skip_space();
        if self.eat_keyword("in") {
            return self.set(def);
        }
        let op = OPERATORS.iter().find(|(sym, _)| {
            let rest = self.rest();
            // Word operators must be whole words (`eq`, not the start of `equal`).
            rest.starts_with(sym) && (!sym.as_bytes()[0].is_ascii_alphabetic() || self.peek_word() == *sym)
        });
        let Some(&(sym, op)) = op else {
            // A field alone: a boolean is true, any other field is present.
            return Ok(Node::Test { field: def, test: Test::Present });
        };
        let op_at = self.at;
        self.at += sym.len();
        if op.is_ordering() && matches!(def.kind, Kind::Bool | Kind::Name(_)) {
            return Err(self.error_at(op_at, ErrorKind::Unordered { field: def.name, op: sym }));
        }
        let literal = self.literal(def, op != Op::Eq && op != Op::Ne)?;
        Ok(Node::Test { field: def, test: Test::Cmp(op, literal) })
    }

    fn set(&mut self, def: &'static FieldDef) -> Result<Node, FilterError> {
        if !self.eat("{") {
            return Err(self.error(ErrorKind::Expected {
                expected: "`{` after `in`",
                found: self.found(),
                suggestion: None,
            }));
        }
        let mut members = Vec::new();
        loop {
            if self.eat("}") {
                break;
            }
            if members.len() >= MAX_SET {
                return Err(self.error(ErrorKind::TooManyValues));
            }
            self.skip_space();
            // Wireshark's ranges in sets: `{1..1023 8080}`.
            let word = self.peek_word();
            if let (Kind::Int, Some((lo, hi))) = (def.kind, word.split_once("..")) {
                let at = self.at;
                let bad = |p: &Self, v: &str| {
                    p.error_at(
                        at,
                        ErrorKind::BadValue {
                            field: def.name,
                            value: v.to_string(),
                            expected: Kind::Int.describe().to_string(),
                            suggestion: None,
                        },
                    )
                };
                let lo = parse_int(lo).ok_or_else(|| bad(self, word))?;
                let hi = parse_int(hi).ok_or_else(|| bad(self, word))?;
                self.at += word.len();
                members.push(Member::Range(lo, hi));
            } else {
                if word.is_empty() && !self.rest().starts_with('"') {
                    return Err(self.error(ErrorKind::Expected {
                        expected: "a value or `}`",
                        found: self.found(),
                        suggestion: None,
                    }));
                }
                members.push(Member::One(self.literal(def, false)?));
            }
            // Commas between values are optional, as in Wireshark.
            let _ = self.eat(",");
        }
        Ok(Node::Test { field: def, test: Test::In(members) })
    }

    /// A literal of the field's type at the cursor.
    fn literal(&mut self, def: &'static FieldDef, ordering: bool) -> Result<Literal, FilterError> {
        self.skip_space();
        let at = self.at;
        let text = if self.rest().starts_with('"') {
            self.quoted()?
        } else {
            let w = self.peek_word();
            if w.is_empty() {
                return Err(self.error(ErrorKind::Expected {
                    expected: "a value",
                    found: self.found(),
                    suggestion: None,
                }));
            }
            self.at += w.len();
            w.to_string()
        };
        let bad = |expected: String, suggestion: Option<&'static str>| FilterError {
            column: self.column(at),
            kind: ErrorKind::BadValue { field: def.name, value: text.clone(), expected, suggestion },
        };
        let describe = || def.kind.describe().to_string();
        match def.kind {
            Kind::Int => parse_int(&text).map(Literal::Int).ok_or_else(|| bad(describe(), None)),
            Kind::Bool => match text.as_str() {
                "1" | "true" | "True" | "TRUE" => Ok(Literal::Bool(true)),
                "0" | "false" | "False" | "FALSE" => Ok(Literal::Bool(false)),
                _ => Err(bad(describe(), closest(&text, ["true", "false"]))),
            },
            Kind::Name(names) => match names.iter().position(|n| *n == text) {
                Some(i) => Ok(Literal::Name(i as u8)),
                None => Err(bad(format!("one of {}", names.join(", ")), closest(&text, names.iter().copied()))),
            },
            Kind::Mac => parse_mac(&text).map(Literal::Mac).ok_or_else(|| bad(describe(), None)),
            Kind::Ip => {
                let (addr, prefix) = match text.split_once('/') {
                    Some((a, p)) => (a, Some(p)),
                    None => (text.as_str(), None),
                };
                let Ok(addr) = addr.parse::<IpAddr>() else { return Err(bad(describe(), None)) };
                let max = if addr.is_ipv4() { 32 } else { 128 };
                let prefix = match prefix {
                    None => max,
                    Some(p) => match p.parse::<u8>() {
                        Ok(p) if p <= max && !ordering => p,
                        _ => {
                            let expected = if ordering {
                                "an IP address (a network has no order)".to_string()
                            } else {
                                format!("an address with a prefix length of at most {max}")
                            };
                            return Err(bad(expected, None));
                        }
                    },
                };
                Ok(Literal::Net { addr, prefix })
            }
        }
    }

    /// A double-quoted string with `\"` and `\\` escapes.
    fn quoted(&mut self) -> Result<String, FilterError> {
        let open = self.at;
        self.at += 1;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.at += i + 1;
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, e)) => out.push(e),
                    None => break,
                },
                c => out.push(c),
            }
        }
        self.at = self.input.len();
        Err(self.error_at(
            open,
            ErrorKind::Expected { expected: "a closing `\"` for the string", found: Found::End, suggestion: None },
        ))
    }
}

/// Decimal, or hexadecimal after `0x`.
fn parse_int(s: &str) -> Option<u64> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// Six hexadecimal pairs separated by `:`, `-` or `.` (Wireshark's forms),
/// or Cisco's three dotted quads (`001b.213c.4d5e`).
fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let groups: Vec<&str> = s.split([':', '-', '.']).collect();
    let width = match groups.len() {
        6 => 2,
        3 => 4,
        1 => 12,
        _ => return None,
    };
    if groups.iter().any(|g| g.len() != width || !g.bytes().all(|b| b.is_ascii_hexdigit())) {
        return None;
    }
    let digits = groups.concat();
    let mut out = [0u8; 6];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(digits.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

impl Literal {
    /// Whether one value of a field equals (or lies in) this literal.
    pub(super) fn matches(&self, v: &Value) -> bool {
        match (self, v) {
            (Literal::Int(a), Value::Int(b)) => a == b,
            (Literal::Bool(a), Value::Bool(b)) => a == b,
            (Literal::Name(a), Value::Name(b)) => a == b,
            (Literal::Mac(a), Value::Mac(b)) => a == b,
            (Literal::Net { addr, prefix }, Value::Ip(ip)) => in_network(ip, addr, *prefix),
            _ => false,
        }
    }
}

fn in_network(ip: &IpAddr, net: &IpAddr, prefix: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(*a) & mask == u32::from(*n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(*a) & mask == u128::from(*n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("ip.sorce", "ip.src"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(closest("ip.sorce", FIELDS.iter().map(|f| f.name)), Some("ip.src"));
        assert_eq!(closest("zz", FIELDS.iter().map(|f| f.name)), None);
    }

    #[test]
    fn macs_in_wiresharks_forms() {
        let m = [0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5e];
        for s in ["00:1b:21:3c:4d:5e", "00-1b-21-3c-4d-5e", "001b.213c.4d5e", "00.1b.21.3c.4d.5e", "001B213C4D5E"] {
            assert_eq!(parse_mac(s), Some(m), "{s}");
        }
        for s in ["00:1b:21:3c:4d", "00:1b:21:3c:4d:5e:6f", "zz:1b:21:3c:4d:5e", "0:1b:21:3c:4d:5e5"] {
            assert_eq!(parse_mac(s), None, "{s}");
        }
    }

    #[test]
    fn networks_mask_their_prefix() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(in_network(&ip("10.1.2.3"), &ip("10.0.0.0"), 8));
        assert!(!in_network(&ip("11.1.2.3"), &ip("10.0.0.0"), 8));
        assert!(in_network(&ip("1.2.3.4"), &ip("9.9.9.9"), 0));
        assert!(in_network(&ip("fe80::1"), &ip("fe80::"), 64));
        assert!(!in_network(&ip("fe81::1"), &ip("fe80::"), 16));
        assert!(!in_network(&ip("10.0.0.1"), &ip("::a00:1"), 128));
    }
}
