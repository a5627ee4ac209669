//! The record model every later stage works on: one audit record, whatever form
//! its line came in, with its header, its type and its ordered fields.
//!
//! A record owns a copy of its source line; every name and value is a span into
//! that line, so parsing copies each line once and fields cost no allocation.

use std::sync::Arc;

use crate::types::{self, TypeInfo};

/// A byte range inside `Record::line`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn is_empty(self) -> bool {
        self.start >= self.end
    }
}

/// How a value was written in the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quote {
    /// Bare token: a number, a word, or hex-encoded text.
    None,
    /// `"..."`.
    Double,
    /// `'...'`.
    Single,
    /// `{ ... }` (AVC permission sets, ausearch's saddr).
    Brace,
    /// Quotes mangled on the way through a SIEM: backslashes, backticks, curly quotes.
    Mangled,
}

/// Where a field came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A field of the record itself.
    Outer,
    /// A field inside a user-space `msg='...'` value.
    Inner,
    /// An uppercase field auditd's ENRICHED format added after 0x1D.
    Enriched,
}

/// A field's name: text from the line, or a fixed name the parser gave to
/// something written without one (AVC's `denied` and `{ read }`, free text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Name {
    Text(Span),
    Fixed(&'static str),
}

/// One `name=value` pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: Name,
    pub value: Span,
    pub quote: Quote,
    pub origin: Origin,
}

/// Seconds and milliseconds since the Unix epoch, from the `audit(...)` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AuditTime {
    pub secs: i64,
    pub millis: u16,
}

/// Which form the line came in; kept for diagnostics and JSON consumers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// auditd's own `type=... msg=audit(...)` line.
    Auditd,
    /// A line behind a syslog, kernel or dmesg prefix.
    Forwarded,
    /// journald's `TYPE key=value` form, without a header.
    Journald,
    /// A line printed by `ausearch -i` and pasted back.
    Interpreted,
}

impl Form {
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Auditd => "auditd",
            Form::Forwarded => "forwarded",
            Form::Journald => "journald",
            Form::Interpreted => "interpreted",
        }
    }
}

/// Where a line came from.
#[derive(Clone, Debug)]
pub struct Source {
    pub file: Arc<str>,
    pub line: u64,
}

/// One audit record.
#[derive(Clone, Debug)]
pub struct Record {
    /// The whole source line, without its line end.
    pub line: Vec<u8>,
    /// The part of `line` this record came from (several records can share a line).
    pub text: Span,
    /// Index of this record among the records of its line, and how many there are.
    pub part: (u16, u16),
    pub source: Source,
    pub form: Form,
    pub node: Option<Span>,
    pub time: Option<AuditTime>,
    pub serial: Option<u64>,
    /// The type as written (`USER_AUTH`, `1400`, `UNKNOWN[1334]`).
    pub type_text: Span,
    /// Where the record's body starts: after its header, if it has one.
    pub body: u32,
    pub info: Option<&'static TypeInfo>,
    pub type_number: Option<u32>,
    pub fields: Vec<Field>,
    /// Fields not read yet: where the body starts and how to scan it. The
    /// reading thread leaves them to the rendering threads (`parse::complete`).
    pub deferred: Option<(u32, crate::parse::fields::Mode)>,
    /// What the parser knows of the last fields for `interpret::Context::of`,
    /// so that it may stop before them. The parser sets it when it recalls a
    /// body's tail; whoever changes `fields` afterwards must set it back to
    /// the default, which knows nothing.
    pub quiet_tail: QuietTail,
}

/// What the parser knows of where a record's fields with a name that
/// `interpret::Context::of` looks for (`is_context_name`) are, so that it
/// need not read every name. The default knows nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuietTail {
    /// How many fields at the end have no such name; 0 when nobody knows.
    pub len: u16,
    /// Whether any of those fields comes from the enrichment section.
    pub enriched: bool,
    /// The first eight fields are the usual SYSCALL head, `arch syscall
    /// success exit a0 a1 a2 a3` in that order, all of the record itself.
    pub syscall_head: bool,
}

/// True for the names whose values the interpretation of other fields
/// reads: `arch`, `syscall` and `a0` to `a3`.
pub fn is_context_name(name: &[u8]) -> bool {
    matches!(name, b"arch" | b"syscall" | [b'a', b'0'..=b'3'])
}

impl Record {
    /// For each of `N` wanted names, the index of its first field outside the
    /// enrichment section, found in one pass; `slot` says which wanted name,
    /// if any, a field's name is.
    pub fn first_own<const N: usize>(
        &self,
        slot: impl Fn(&[u8]) -> Option<usize>,
    ) -> [Option<usize>; N] {
        let mut at = [None; N];
        for (i, f) in self.fields.iter().enumerate() {
            if f.origin == Origin::Enriched {
                continue;
            }
            if let Some(place) = slot(self.name_of(f)).and_then(|n| at.get_mut(n)) {
                place.get_or_insert(i);
            }
        }
        at
    }

    /// The bytes of a span.
    pub fn bytes(&self, span: Span) -> &[u8] {
        self.line
            .get(span.start as usize..span.end as usize)
            .unwrap_or_default()
    }

    /// The canonical type name, or the name as written when the table lacks it.
    pub fn type_name(&self) -> &str {
        match self.info {
            Some(info) => info.name,
            None => std::str::from_utf8(self.bytes(self.type_text)).unwrap_or("?"),
        }
    }

    pub fn node(&self) -> Option<&[u8]> {
        self.node.map(|s| self.bytes(s))
    }

    pub fn name_of(&self, f: &Field) -> &[u8] {
        match f.name {
            Name::Text(span) => self.bytes(span),
            Name::Fixed(name) => name.as_bytes(),
        }
    }

    pub fn value_of(&self, f: &Field) -> &[u8] {
        self.bytes(f.value)
    }

    /// True when field `f` is called `want`. Names are short and most differ
    /// in length, so the length is checked before any byte is read.
    pub fn name_is(&self, f: &Field, want: &[u8]) -> bool {
        match f.name {
            Name::Text(span) => {
                span.end.wrapping_sub(span.start) as usize == want.len()
                    && self.bytes(span).iter().zip(want).all(|(a, b)| a == b)
            }
            Name::Fixed(name) => name.as_bytes() == want,
        }
    }

    /// Where the first field with this name is among the record's own and
    /// inner fields. Inlined where the name is fixed, each name is compared
    /// as a whole: summaries look up `proctitle` and `key` for nearly every
    /// event.
    #[inline]
    pub fn position(&self, name: &str) -> Option<usize> {
        let want = name.as_bytes();
        self.fields
            .iter()
            .position(|f| f.origin != Origin::Enriched && self.name_of(f) == want)
    }

    /// The first field with this name among the record's own and inner fields.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.position(name).and_then(|i| self.fields.get(i))
    }

    /// The value of the first field with this name, as written.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.field(name).map(|f| self.value_of(f))
    }

    /// The value of an enrichment field (`UID`, `AUID`, ...).
    pub fn enriched(&self, name: &str) -> Option<&[u8]> {
        self.fields
            .iter()
            .find(|f| f.origin == Origin::Enriched && self.name_is(f, name.as_bytes()))
            .map(|f| self.value_of(f))
    }

    /// The original text of this record: the whole line, or its own part of a shared line.
    pub fn raw(&self) -> &[u8] {
        &self.line
    }

    /// Flags of the record type, none when the type is unknown.
    pub fn flags(&self) -> types::Flags {
        self.info.map(|i| i.flags).unwrap_or_default()
    }

    /// The family of the record type, or `unknown`.
    pub fn family(&self) -> &'static str {
        self.info.map(|i| i.family).unwrap_or("unknown")
    }
}
