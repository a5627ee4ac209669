//! The text format: each record with its type, flags, explanation, time and
//! fields, for a person reading a terminal. Every value from the log passes
//! through `sanitize` on its way out.

use std::fmt::Write as _;

use crate::digits::push_decimal;
use crate::glossary;
use crate::interpret::{self, Context, Shown, Style};
use crate::outcome::{self, Outcome};
use std::sync::Arc;

use crate::record::{Name, Record, Span};
use crate::render::memo;
use crate::render::palette::{Role, flag_role, paint};
use crate::render::{Settings, Unparsed};
use crate::sanitize::{self, Plain};

/// Appends the type line with its badges.
fn type_line(out: &mut String, rec: &Record, s: &Settings) {
    paint(out, s.color, Role::TypeName, rec.type_name());
    match rec.type_number {
        Some(n) => {
            out.push_str(" (");
            push_decimal(out, u64::from(n));
            out.push(')');
        }
        None => out.push_str(" (unknown type)"),
    }
    for flag in rec.flags().names() {
        out.push(' ');
        if s.color {
            paint(out, s.color, flag_role(flag), &format!(" {flag} "));
        } else {
            out.push(' ');
            out.push_str(flag);
            out.push(' ');
        }
    }
    out.push_str("  ");
    paint(out, s.color, Role::Dim, rec.family());
    result_badge(out, outcome::of(rec), s);
    out.push('\n');
}

/// `  FAILED` or `  ok` after a record or event header; nothing when unknown.
pub fn result_badge(out: &mut String, result: Option<Outcome>, s: &Settings) {
    match result {
        Some(Outcome::Failure) => {
            out.push_str("  ");
            paint(out, s.color, Role::Failure, "FAILED");
        }
        Some(Outcome::Success) => {
            out.push_str("  ");
            paint(out, s.color, Role::Success, "ok");
        }
        None => {}
    }
}

/// Appends the time, serial, node and source line (`pad` starts it).
fn where_line(out: &mut String, rec: &Record, s: &Settings, pad: &str, memo: &mut WhereMemo) {
    out.push_str(pad);
    out.push_str("  ");
    if s.color {
        let mut line = String::new();
        where_text(&mut line, rec, s, memo);
        paint(out, s.color, Role::Dim, &line);
    } else {
        where_text(out, rec, s, memo);
    }
    out.push('\n');
}

/// The where line between its time and its line number, as last written:
/// the records of one event share their serial, node and file.
#[derive(Default)]
struct WhereMemo {
    serial: Option<u64>,
    node: Option<Vec<u8>>,
    file: Option<Arc<str>>,
    text: String,
}

impl WhereMemo {
    fn holds(&self, rec: &Record) -> bool {
        self.file
            .as_ref()
            .is_some_and(|f| Arc::ptr_eq(f, &rec.source.file))
            && self.serial == rec.serial
            && self.node.as_deref() == rec.node()
    }

    fn remember(&mut self, rec: &Record) {
        let text = &mut self.text;
        text.clear();
        if let Some(serial) = rec.serial {
            text.push_str("  serial ");
            push_decimal(text, serial);
        }
        if let Some(node) = rec.node() {
            text.push_str("  node ");
            sanitize::push_escaped(text, node);
        }
        text.push_str("  ");
        sanitize::push_escaped(text, rec.source.file.as_bytes());
        text.push(':');
        self.serial = rec.serial;
        self.node = rec.node().map(<[u8]>::to_vec);
        self.file = Some(rec.source.file.clone());
    }
}

fn where_text(line: &mut String, rec: &Record, s: &Settings, memo: &mut WhereMemo) {
    match rec.time {
        Some(t) => s.clock.human(t, line),
        None => line.push_str("no time"),
    }
    if !memo.holds(rec) {
        memo.remember(rec);
    }
    line.push_str(&memo.text);
    push_decimal(line, rec.source.line);
}

/// True for values that mean something failed, so they can stand out.
fn is_failure_value(name: &[u8], value: &[u8]) -> bool {
    match name {
        b"res" | b"success" | b"result" => outcome::word(value) == Some(Outcome::Failure),
        b"exit" => value.first() == Some(&b'-'),
        b"seresult" => value == b"denied",
        b"apparmor" => value == b"DENIED",
        _ => false,
    }
}

/// Reusable buffers for writing fields (one allocation per record, not per field).
#[derive(Default)]
pub struct Scratch {
    value: Vec<u8>,
    text: String,
    place: WhereMemo,
}

/// The record's line up to `end` when no byte of it needs escaping, which
/// is the common case: names and raw values within it can then be copied as
/// they are.
fn plain_line(rec: &Record, end: usize) -> Option<Plain<'_>> {
    Plain::check(rec.line.get(..end)?)
}

/// The text of `span` in a plain line.
fn verbatim(line: Option<Plain>, span: Span) -> Option<Plain> {
    line?.get(span.start as usize..span.end as usize)
}

/// `name=value` straight from a plain line, when the value follows the `=`
/// with nothing between (no quotes): the name, `=` and raw value in one piece.
fn written_pair(line: Option<Plain>, name: Span, value: Span) -> Option<Plain> {
    let line = line?;
    if name.end.checked_add(1) != Some(value.start)
        || line.bytes().get(name.end as usize) != Some(&b'=')
    {
        return None;
    }
    line.get(name.start as usize..value.end as usize)
}

/// Appends `name=value` for field `i`, interpreted, with the raw value beside
/// a translation. `line` is the record's line when it is plain.
pub fn field(
    out: &mut String,
    rec: &Record,
    i: usize,
    ctx: &Context,
    s: &Settings,
    scratch: &mut Scratch,
    line: Option<Plain>,
) {
    let f = &rec.fields[i];
    let name = rec.name_of(f);
    let raw = rec.value_of(f);
    let value = &mut scratch.value;
    value.clear();
    let shown = interpret::interpret(rec, i, ctx, Style::Human, value);
    if !s.color {
        // Straight into the output: nothing to wrap in colour codes.
        if shown == Shown::AsIs
            && !raw.is_empty()
            && let Name::Text(span) = f.name
            && let Some(pair) = written_pair(line, span, f.value)
        {
            // `name=value` as the line wrote it is what is shown.
            pair.push_to(out);
            return;
        }
        let plain_name = match f.name {
            Name::Text(span) => verbatim(line, span),
            Name::Fixed(_) => None,
        };
        push_raw(out, name, plain_name);
        out.push('=');
        let start = out.len();
        push_value(out, shown, value, raw, verbatim(line, f.value));
        if out.len() == start {
            out.push_str("\"\"");
        }
        return;
    }
    let text = &mut scratch.text;
    text.clear();
    sanitize::push_escaped(text, name);
    paint(out, s.color, Role::Key, text);
    out.push('=');
    text.clear();
    push_value(text, shown, value, raw, None);
    if text.is_empty() {
        text.push_str("\"\"");
    }
    if is_failure_value(name, raw) {
        paint(out, s.color, Role::Failure, text);
    } else {
        out.push_str(text);
    }
}

/// The value as interpretation left it: raw, decoded, or translated with the
/// raw form in brackets. `plain` is the raw value when it needs no escaping.
fn push_value(out: &mut String, shown: Shown, value: &[u8], raw: &[u8], plain: Option<Plain>) {
    match shown {
        Shown::AsIs => push_raw(out, raw, plain),
        Shown::Decoded => sanitize::push_escaped(out, value),
        Shown::Translated => {
            sanitize::push_escaped(out, value);
            out.push_str(" (");
            push_raw(out, raw, plain);
            out.push(')');
        }
    }
}

/// Text from the line: as it is when known to be plain, else escaped.
#[inline]
fn push_raw(out: &mut String, raw: &[u8], plain: Option<Plain>) {
    match plain {
        Some(text) => text.push_to(out),
        None => sanitize::push_escaped(out, raw),
    }
}

/// One record: type line, where line, explanation, MAC decision, fields.
/// Every line but the blank one after it starts with `pad`.
pub fn record(out: &mut String, rec: &Record, s: &Settings, pad: &str) {
    // A SYSCALL's body seldom repeats whole: its head and tail are kept instead.
    let body = memo::whole_body(rec).filter(|_| !crate::summary::rtype::SYSCALL.is(rec));
    let Some(body) = body else {
        record_type(out, rec, s, pad);
        return SCRATCH.with_borrow_mut(|scratch| {
            where_line(out, rec, s, pad, &mut scratch.place);
            lines_after_where(out, rec, s, pad, scratch);
        });
    };
    // Without a pad, the lines differ from those under an event.
    let tag = memo::tag(whole_variant(s) | u8::from(pad.is_empty()) << 4, rec);
    memo::TEXT_EVENTS.with_borrow_mut(|table| {
        table.write_around(
            memo::Part::RecordType,
            tag,
            body,
            out,
            (
                |out: &mut String| record_type(out, rec, s, pad),
                |out: &mut String| record_where(out, rec, s, pad),
                |out: &mut String| record_rest(out, rec, s, pad),
            ),
        );
    });
}

/// A record's type line, after `pad`.
pub fn record_type(out: &mut String, rec: &Record, s: &Settings, pad: &str) {
    out.push_str(pad);
    type_line(out, rec, s);
}

/// A record's where line, after `pad`.
pub fn record_where(out: &mut String, rec: &Record, s: &Settings, pad: &str) {
    SCRATCH.with_borrow_mut(|scratch| where_line(out, rec, s, pad, &mut scratch.place));
}

/// A record's lines after its where line: explanation, MAC decision,
/// fields, and the blank line that ends the record.
pub fn record_rest(out: &mut String, rec: &Record, s: &Settings, pad: &str) {
    SCRATCH.with_borrow_mut(|scratch| lines_after_where(out, rec, s, pad, scratch));
}

fn lines_after_where(
    out: &mut String,
    rec: &Record,
    s: &Settings,
    pad: &str,
    scratch: &mut Scratch,
) {
    if let Some(info) = rec.info {
        out.push_str(pad);
        out.push_str("  ");
        out.push_str(info.explanation);
        out.push('\n');
    }
    scratch.value.clear();
    if interpret::mac::sentence(rec, &mut scratch.value) {
        out.push_str(pad);
        out.push_str("  ");
        sanitize::push_escaped(out, &scratch.value);
        out.push('\n');
    }
    fields(out, rec, &s.context_for(rec, Style::Human), s, pad, scratch);
    out.push('\n');
}

thread_local! {
    /// Buffers for one record's values, reused from record to record.
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
    /// Heads grown through a SYSCALL's arguments (`memo::Head::through`): a
    /// table of their own, as each holds a head from `memo::TEXT`.
    static PREFIXES: std::cell::RefCell<memo::Memo<String>> =
        std::cell::RefCell::new(memo::Memo::default());
}

/// The fields of a record: on one line, or one per line with meanings when asked.
fn fields(
    out: &mut String,
    rec: &Record,
    ctx: &Context,
    s: &Settings,
    pad: &str,
    scratch: &mut Scratch,
) {
    if s.explain_fields {
        let line = plain_line(rec, rec.line.len());
        for (i, f) in rec.fields.iter().enumerate() {
            out.push_str(pad);
            out.push_str("    ");
            let start = out.len();
            field(out, rec, i, ctx, s, scratch, line);
            let name = String::from_utf8_lossy(rec.name_of(f));
            let meaning = glossary::lookup_in(&name, rec.type_number).map(|g| g.meaning);
            if let Some(m) = meaning {
                let width = out.len() - start;
                let pad = 32usize.saturating_sub(width).max(2);
                out.extend(std::iter::repeat_n(' ', pad));
                paint(out, s.color, Role::Dim, m);
            }
            out.push('\n');
        }
        return;
    }
    out.push_str(pad);
    out.push_str("  ");
    let tail = memo::stable_tail(rec, ctx);
    let split = tail.map_or(rec.fields.len(), |t| t.index);
    // Before the tail, only the head of the line is read.
    let line = plain_line(rec, tail.map_or(rec.line.len(), |t| t.start));
    let mut job = Fields {
        rec,
        ctx,
        s,
        scratch,
        line,
    };
    job.prefix(out, split);
    if let Some(tail) = tail {
        if split > 0 {
            out.push(' ');
        }
        memo::TEXT.with_borrow_mut(|table| {
            let tag = memo::tag(text_variant(s), rec);
            table.write(memo::Part::Tail, tag, memo::key_of(rec, tail), out, |out| {
                job.line = plain_line(rec, rec.line.len());
                job.run(out, split, rec.fields.len());
            });
        });
    }
    out.push('\n');
}

/// What writing one record's fields on one line needs.
struct Fields<'a, 'r> {
    rec: &'r Record,
    ctx: &'a Context<'r>,
    s: &'a Settings,
    scratch: &'a mut Scratch,
    /// The record's line as far as it is read, when it is plain.
    line: Option<Plain<'r>>,
}

impl Fields<'_, '_> {
    /// Fields `from..to`, each after a space but the first of the range.
    fn run(&mut self, out: &mut String, from: usize, to: usize) {
        for i in from..to {
            if i > from {
                out.push(' ');
            }
            field(out, self.rec, i, self.ctx, self.s, self.scratch, self.line);
        }
    }

    /// The fields before the tail (which starts at `split`). With a head,
    /// the head and the arguments after it are copied together when both
    /// were written before, else the head alone is.
    fn prefix(&mut self, out: &mut String, split: usize) {
        let (head, long) = match memo::prefix_of(self.rec, self.ctx, split) {
            memo::Prefix::Fields => return self.run(out, 0, split),
            memo::Prefix::Head(head) => return self.head_then(out, head, split),
            memo::Prefix::Grown { head, long } => (head, long),
        };
        let tag = memo::tag(text_variant(self.s), self.rec);
        let key = memo::head_key(self.rec, long);
        PREFIXES.with_borrow_mut(|table| {
            table.write(memo::Part::Head, tag, key, out, |out| {
                self.head_then(out, head, split);
            });
        });
    }

    /// The head, from the table when it was written before, then the fields
    /// up to `split`.
    fn head_then(&mut self, out: &mut String, head: memo::Head, split: usize) {
        let tag = memo::tag(text_variant(self.s), self.rec);
        let key = memo::head_key(self.rec, head);
        memo::TEXT.with_borrow_mut(|table| {
            table.write(memo::Part::Head, tag, key, out, |out| {
                self.run(out, 0, head.index)
            });
        });
        if head.index < split {
            out.push(' ');
        }
        self.run(out, head.index, split);
    }
}

/// What sets this renderer's output apart in the tail table: colour and
/// local names change how fields are written.
fn text_variant(s: &Settings) -> u8 {
    1 | u8::from(s.color) << 1 | u8::from(s.names.is_some()) << 2
}

/// The same for whole records and events, which the meanings of
/// `--explain-fields` change too.
pub fn whole_variant(s: &Settings) -> u8 {
    text_variant(s) | u8::from(s.explain_fields) << 3
}

/// A line that held no record, marked so it cannot be mistaken for one.
pub fn unparsed(out: &mut String, u: &Unparsed, s: &Settings) {
    paint(out, s.color, Role::Warning, "UNPARSED");
    out.push_str("  ");
    let mut where_ = String::new();
    sanitize::push_escaped(&mut where_, u.file.as_bytes());
    let _ = write!(where_, ":{}: {}", u.line, u.reason);
    paint(out, s.color, Role::Dim, &where_);
    out.push_str("\n  ");
    sanitize::push_escaped(out, u.raw);
    out.push_str("\n\n");
}
