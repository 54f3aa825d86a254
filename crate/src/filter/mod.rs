//! Display filters: Wireshark's syntax over Framelens' own fields
//! (`region == "trailer" and vlan.id == 100`, `ip.src in {10.0.0.0/8 192.168.1.1}`).
//!
//! A filter is compiled once ([`Filter::compile`]) and then evaluated per
//! frame ([`Filter::matches`]) without allocating. It reads a frame through
//! a [`Subject`]: the scan record always, and the frame's bytes and
//! dissection when the face has them. The fields are one table,
//! [`fields::FIELDS`]; a field whose [`Source`] is `Bytes` (addresses, ports,
//! VLAN IDs) is absent from a record alone, which is why the record stays
//! small: the web app's record store keeps 31 bytes per frame, and adding the
//! addresses of both ends (up to 2 × 16 + 2 × 6 bytes) would double it.
//! [`Filter::needs_bytes`] tells a face that holds only records which
//! filters it cannot answer from them.
//!
//! Semantics follow Wireshark's: a field with several values in one frame
//! (`region`, `finding`, `vlan.id`, `tcp.port`, the addresses of tunnelled
//! headers) matches `==`, `<`, `in`, … when any value does; `a != b` is
//! `not a == b`; a field alone tests that the frame has it (a boolean field,
//! that it is true); `not` binds tighter than `and`, which binds tighter
//! than `or`.

mod criterion;
pub mod fields;
mod parse;

pub use criterion::Criterion;
pub use fields::{FieldDef, Kind, Source, Value, FIELDS};
pub use parse::{closest, edit_distance, ErrorKind, FilterError, Found, MAX_DEPTH, MAX_LEN};

use crate::frame::dissect::Dissection;
use crate::scan::record::FrameRecord;
use crate::settings::Settings;
use std::cmp::Ordering;
use std::net::IpAddr;

/// What a filter looks at for one frame.
#[derive(Clone, Copy)]
pub struct Subject<'a> {
    pub record: &'a FrameRecord,
    /// `over_mtu` and the `superframe` finding depend on them.
    pub settings: &'a Settings,
    /// The frame's bytes and dissection, when at hand.
    pub packet: Option<PacketView<'a>>,
}

/// A frame's captured bytes and their dissection.
#[derive(Clone, Copy)]
pub struct PacketView<'a> {
    pub dissection: &'a Dissection,
    pub data: &'a [u8],
}

impl<'a> Subject<'a> {
    /// A frame known only by its record: fields from its bytes are absent.
    pub fn record(record: &'a FrameRecord, settings: &'a Settings) -> Self {
        Subject { record, settings, packet: None }
    }

    pub fn with_packet(
        record: &'a FrameRecord,
        settings: &'a Settings,
        dissection: &'a Dissection,
        data: &'a [u8],
    ) -> Self {
        Subject { record, settings, packet: Some(PacketView { dissection, data }) }
    }
}

/// A compiled filter.
#[derive(Clone, Debug)]
pub struct Filter {
    root: Node,
    text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    const fn is_ordering(self) -> bool {
        !matches!(self, Op::Eq | Op::Ne)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Literal {
    Int(u64),
    Bool(bool),
    Name(u8),
    Mac([u8; 6]),
    /// An address is a network of its full length.
    Net {
        addr: IpAddr,
        prefix: u8,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Member {
    One(Literal),
    Range(u64, u64),
}

#[derive(Clone, Debug)]
enum Test {
    Present,
    Cmp(Op, Literal),
    In(Vec<Member>),
}

/// `and` and `or` are n-ary, so a long chain is one flat node: evaluation
/// recurses only as deep as parentheses and `not` nest ([`MAX_DEPTH`]).
#[derive(Clone, Debug)]
enum Node {
    Or(Vec<Node>),
    And(Vec<Node>),
    Not(Box<Node>),
    Test { field: &'static FieldDef, test: Test },
}

impl Filter {
    /// Parses and checks a filter against the field table.
    pub fn compile(text: &str) -> Result<Filter, FilterError> {
        Ok(Filter { root: parse::Parser::parse(text)?, text: text.to_string() })
    }

    /// The filter as it was written.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn matches(&self, s: &Subject<'_>) -> bool {
        self.root.eval(s)
    }

    /// The filter names a field that only a frame's bytes answer.
    pub fn needs_bytes(&self) -> bool {
        self.root.any_field(&|f| f.source == Source::Bytes)
    }

    /// The fields the filter names that only a frame's bytes answer, for a
    /// face that holds records alone to say why it cannot run the filter.
    pub fn byte_fields(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        self.root.each_field(&mut |f| {
            if f.source == Source::Bytes && !out.contains(&f.name) {
                out.push(f.name);
            }
        });
        out
    }
}

impl Node {
    fn eval(&self, s: &Subject<'_>) -> bool {
        match self {
            Node::Or(terms) => terms.iter().any(|t| t.eval(s)),
            Node::And(terms) => terms.iter().all(|t| t.eval(s)),
            Node::Not(inner) => !inner.eval(s),
            Node::Test { field, test } => match test {
                Test::Present if field.kind == Kind::Bool => (field.get)(s, &mut |v| v == Value::Bool(true)),
                Test::Present => (field.get)(s, &mut |_| true),
                Test::Cmp(Op::Eq, lit) => (field.get)(s, &mut |v| lit.matches(&v)),
                Test::Cmp(Op::Ne, lit) => !(field.get)(s, &mut |v| lit.matches(&v)),
                Test::Cmp(op, lit) => (field.get)(s, &mut |v| {
                    order(&v, lit).is_some_and(|o| match op {
                        Op::Lt => o == Ordering::Less,
                        Op::Le => o != Ordering::Greater,
                        Op::Gt => o == Ordering::Greater,
                        Op::Ge => o != Ordering::Less,
                        Op::Eq | Op::Ne => false,
                    })
                }),
                Test::In(members) => (field.get)(s, &mut |v| {
                    members.iter().any(|m| match (m, v) {
                        (Member::One(lit), v) => lit.matches(&v),
                        (Member::Range(lo, hi), Value::Int(n)) => (*lo..=*hi).contains(&n),
                        (Member::Range(..), _) => false,
                    })
                }),
            },
        }
    }

    fn any_field(&self, pred: &dyn Fn(&FieldDef) -> bool) -> bool {
        match self {
            Node::Or(t) | Node::And(t) => t.iter().any(|n| n.any_field(pred)),
            Node::Not(n) => n.any_field(pred),
            Node::Test { field, .. } => pred(field),
        }
    }

    fn each_field(&self, f: &mut dyn FnMut(&'static FieldDef)) {
        match self {
            Node::Or(t) | Node::And(t) => t.iter().for_each(|n| n.each_field(f)),
            Node::Not(n) => n.each_field(f),
            Node::Test { field, .. } => f(field),
        }
    }
}

/// A value against an ordering's literal: numbers, addresses of the same
/// family, MACs byte by byte (as Wireshark orders them).
fn order(v: &Value, lit: &Literal) -> Option<Ordering> {
    match (v, lit) {
        (Value::Int(a), Literal::Int(b)) => Some(a.cmp(b)),
        (Value::Mac(a), Literal::Mac(b)) => Some(a.cmp(b)),
        (Value::Ip(IpAddr::V4(a)), Literal::Net { addr: IpAddr::V4(b), .. }) => Some(a.cmp(b)),
        (Value::Ip(IpAddr::V6(a)), Literal::Net { addr: IpAddr::V6(b), .. }) => Some(a.cmp(b)),
        _ => None,
    }
}

/// The field table as Markdown, for docs/cli.md (a test keeps them equal).
pub fn markdown_table() -> String {
    let mut out = String::from("| field | type | from | meaning |\n| --- | --- | --- | --- |\n");
    for f in FIELDS {
        let from = match f.source {
            Source::Record => "record",
            Source::Bytes => "bytes",
        };
        out.push_str(&format!("| `{}` | {} | {from} | {} |\n", f.name, type_word(f.kind), f.doc));
    }
    out
}

/// The type of a field in one word, for the docs.
pub const fn type_word(k: Kind) -> &'static str {
    match k {
        Kind::Int => "number",
        Kind::Bool => "boolean",
        Kind::Name(_) => "name",
        Kind::Mac => "MAC",
        Kind::Ip => "IP",
    }
}
