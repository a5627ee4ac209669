//! The text format: each record with its type, flags, explanation, time and
//! fields, for a person reading a terminal. Every value from the log passes
//! through `sanitize` on its way out.

use std::fmt::Write as _;

use crate::digits::push_decimal;
use crate::glossary;
use crate::interpret::{self, Context, Quick, Shown, Style};
use crate::outcome::{self, Outcome};
use std::sync::Arc;

use crate::record::{Field, Name, Record, Span};
use crate::render::memo;
use crate::render::palette::{Role, flag_role, paint};
use crate::render::{Settings, Unparsed};
use crate::sanitize::{self, Plain};

/// Appends the type line with its badges.
fn type_line(out: &mut String, rec: &Record, s: &Settings) {
    type_line_with(out, rec, s, outcome::of(rec));
}

/// `type_line` for a record whose result is `result`.
fn type_line_with(out: &mut String, rec: &Record, s: &Settings, result: Option<Outcome>) {
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
    result_badge(out, result, s);
    out.push('\n');
}

/// What decides an uncoloured type line: the record type (its table
/// entry, by address, and its number), the result and the pad's length.
type TypeKey = (usize, Option<u32>, Option<Outcome>, usize);

/// Uncoloured type lines as last written, with their pads, one per slot
/// picked by the type's number: a busy log has a handful of types, and
/// each type's line is the same record after record.
#[derive(Default)]
struct TypeLines {
    slots: [(Option<TypeKey>, String); TYPE_SLOTS],
}

/// Slots in `TypeLines`.
const TYPE_SLOTS: usize = 16;

impl TypeLines {
    /// Appends `pad` and the type line of `rec`, which has a type table
    /// entry, from the slot when it holds that line.
    fn write(&mut self, out: &mut String, rec: &Record, s: &Settings, pad: &str) {
        let Some(info) = rec.info else {
            out.push_str(pad);
            return type_line(out, rec, s);
        };
        let result = outcome::of(rec);
        let key = (
            std::ptr::from_ref(info) as usize,
            rec.type_number,
            result,
            pad.len(),
        );
        let index = rec.type_number.unwrap_or(0) as usize % TYPE_SLOTS;
        let Some((kept, text)) = self.slots.get_mut(index) else {
            out.push_str(pad);
            return type_line_with(out, rec, s, result);
        };
        if *kept != Some(key) || !text.starts_with(pad) {
            text.clear();
            text.push_str(pad);
            type_line_with(text, rec, s, result);
            *kept = Some(key);
        }
        out.push_str(text);
    }
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
/// the records of one event share their serial, node and file. The file's
/// escaped name is kept apart, as it outlives many events.
#[derive(Default)]
struct WhereMemo {
    serial: Option<u64>,
    node: Option<Vec<u8>>,
    file: Option<Arc<str>>,
    /// The file's name, escaped, for `file`.
    file_text: String,
    text: String,
}

impl WhereMemo {
    fn holds_file(&self, rec: &Record) -> bool {
        self.file
            .as_ref()
            .is_some_and(|f| Arc::ptr_eq(f, &rec.source.file))
    }

    fn holds(&self, rec: &Record) -> bool {
        self.serial == rec.serial && self.holds_file(rec) && self.node.as_deref() == rec.node()
    }

    fn remember(&mut self, rec: &Record) {
        if !self.holds_file(rec) {
            self.file_text.clear();
            sanitize::push_escaped(&mut self.file_text, rec.source.file.as_bytes());
            self.file = Some(rec.source.file.clone());
        }
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
        text.push_str(&self.file_text);
        text.push(':');
        self.serial = rec.serial;
        match (&mut self.node, rec.node()) {
            (Some(kept), Some(node)) => {
                kept.clear();
                kept.extend_from_slice(node);
            }
            (kept, node) => *kept = node.map(<[u8]>::to_vec),
        }
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
/// with nothing between (no quotes) and is not empty: the name, `=` and raw
/// value in one piece, with the length of the name.
fn written_pair<'a>(line: Option<Plain<'a>>, f: &Field) -> Option<(Plain<'a>, usize)> {
    let (line, Name::Text(name)) = (line?, f.name) else {
        return None;
    };
    let value = f.value;
    if name.end.checked_add(1) != Some(value.start) || value.end <= value.start {
        return None;
    }
    let pair = line.get(name.start as usize..value.end as usize)?;
    let name_len = (name.end - name.start) as usize;
    (pair.bytes().get(name_len) == Some(&b'=')).then_some((pair, name_len))
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
    let Some(f) = rec.fields.get(i) else {
        return;
    };
    if !s.color
        && let Some((pair, name_len)) = written_pair(line, f)
    {
        return written_field(out, rec, f, ctx, scratch, pair, name_len);
    }
    let name = rec.name_of(f);
    let raw = rec.value_of(f);
    let value = &mut scratch.value;
    value.clear();
    let shown = interpret_for_people(rec, f, name, raw, ctx, value);
    if !s.color {
        // Straight into the output: nothing to wrap in colour codes.
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

/// `field` without colour for a field the line wrote as a plain `name=value`
/// pair (`written_pair`): copied whole when interpretation adds nothing,
/// else the name and `=` from the line, then the value.
fn written_field(
    out: &mut String,
    rec: &Record,
    f: &Field,
    ctx: &Context,
    scratch: &mut Scratch,
    pair: Plain,
    name_len: usize,
) {
    // `written_pair` found the `=` at `name_len` and a value after it.
    let (Some(head), Some(plain_raw)) = (
        pair.get(0..name_len + 1),
        pair.get(name_len + 1..pair.bytes().len()),
    ) else {
        return pair.push_to(out);
    };
    let name = head.bytes().get(..name_len).unwrap_or_default();
    let raw = interpret::Raw {
        text: plain_raw.bytes(),
        quote: f.quote,
    };
    let Some(kind) = interpret::human_kind_of(rec, f, name, raw.text) else {
        return pair.push_to(out);
    };
    if interpret::quick_may_answer(kind)
        && let Some(quick) = interpret::quick_for_people(kind, raw, ctx)
    {
        return quick_field(out, quick, pair, head, plain_raw);
    }
    let value = &mut scratch.value;
    value.clear();
    let shown = interpret::interpret_kind(rec, kind, name, raw, ctx, Style::Human, value);
    if shown == Shown::AsIs {
        return pair.push_to(out);
    }
    head.push_to(out);
    let start = out.len();
    push_value(out, shown, value, raw.text, Some(plain_raw));
    if out.len() == start {
        out.push_str("\"\"");
    }
}

/// `written_field` for a value whose words `interpret::quick_for_people`
/// knew: written straight from the line (`head` is the name and `=`, `raw`
/// the value) and the words, which are plain.
fn quick_field(out: &mut String, quick: Quick, pair: Plain, head: Plain, raw: Plain) {
    match quick {
        Quick::AsIs => return pair.push_to(out),
        Quick::Hex => {
            head.push_to(out);
            out.push_str("0x");
            raw.push_to(out);
            return;
        }
        Quick::Words(words) => {
            head.push_to(out);
            out.push_str(words);
        }
        Quick::Errno(name, meaning) => {
            head.push_to(out);
            out.push_str(name);
            out.push_str(" \"");
            out.push_str(meaning);
            out.push('"');
        }
    }
    out.push_str(" (");
    raw.push_to(out);
    out.push(')');
}

/// What `interpret::interpret_with` gives in the people's style, with the
/// field's kind looked up once.
fn interpret_for_people(
    rec: &Record,
    f: &Field,
    name: &[u8],
    raw: &[u8],
    ctx: &Context,
    value: &mut Vec<u8>,
) -> Shown {
    let Some(kind) = interpret::human_kind_of(rec, f, name, raw) else {
        return Shown::AsIs;
    };
    let raw = interpret::Raw {
        text: raw,
        quote: f.quote,
    };
    if interpret::human_keeps_quoted(rec, kind, name, raw) {
        return Shown::AsIs;
    }
    interpret::interpret_kind(rec, kind, name, raw, ctx, Style::Human, value)
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
    let Some(body) = memo::whole_body(rec) else {
        record_type(out, rec, s, pad);
        return SCRATCH.with_borrow_mut(|scratch| {
            where_line(out, rec, s, pad, &mut scratch.place);
            lines_after_where(out, rec, s, pad, scratch);
        });
    };
    // Without a pad, the lines differ from those under an event.
    let tag = memo::tag(whole_variant(s) | u8::from(pad.is_empty()) << 4, rec);
    let parts = (
        |out: &mut String| record_type(out, rec, s, pad),
        |out: &mut String| record_where(out, rec, s, pad),
        |out: &mut String| record_rest(out, rec, s, pad),
    );
    // Where a process makes the same call again and again, arguments and
    // all, its SYSCALL records repeat whole; they have a table of their
    // own, so as not to push out the other records kept.
    let table = if crate::summary::rtype::SYSCALL.is(rec) {
        &memo::TEXT_SYSCALLS
    } else {
        &memo::TEXT_EVENTS
    };
    table.with_borrow_mut(|table| {
        table.write_around(memo::Part::RecordType, tag, body, out, parts);
    });
}

/// A record's type line, after `pad`.
pub fn record_type(out: &mut String, rec: &Record, s: &Settings, pad: &str) {
    if s.color {
        out.push_str(pad);
        return type_line(out, rec, s);
    }
    TYPE_LINES.with_borrow_mut(|lines| lines.write(out, rec, s, pad));
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
    fields(out, rec, &s.context(rec), s, pad, scratch);
    out.push('\n');
}

thread_local! {
    /// Uncoloured type lines, by record type.
    static TYPE_LINES: std::cell::RefCell<TypeLines> = std::cell::RefCell::new(TypeLines::default());
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
    let stable = memo::stable_tail(rec, ctx);
    let prefix = memo::prefix_of(rec, ctx, stable.map_or(rec.fields.len(), |t| t.index));
    // A record with a head (a SYSCALL) keeps its tail whole: one process
    // makes the same calls again and again, ids and all, and the fields a
    // settled tail would leave out cost more to write than they save.
    let tail = match prefix {
        memo::Prefix::Fields => stable.map(|t| memo::settled(rec, t)),
        _ => stable,
    };
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
    job.prefix(out, prefix, split);
    if let Some(tail) = tail {
        if split > 0 {
            out.push(' ');
        }
        memo::TEXT.with_borrow_mut(|table| {
            let tag = memo::tag(text_variant(s), rec);
            table.write(memo::Part::Tail, tag, memo::key_of(rec, tail), out, |out| {
                // The line is plain when its head was and the rest is.
                job.line = job.line.and_then(|head| head.grown(&rec.line));
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

    /// The fields before the tail (which starts at `split`), as `prefix`
    /// (`memo::prefix_of`) says they may be remembered. With a head,
    /// the head and the arguments after it are copied together when both
    /// were written before, else the head alone is.
    fn prefix(&mut self, out: &mut String, prefix: memo::Prefix, split: usize) {
        let (head, long) = match prefix {
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
        self.arguments(out, head.index, split);
    }

    /// Fields `from..to` after a head, mostly the arguments `a0` to `a3`.
    /// Without colour, a SYSCALL's argument written as a plain pair is
    /// written as `field` would write it without looking its kind up: with
    /// `0x` before its value when no rule decodes it and it is hex digits,
    /// else by its rule, which is looked up once for the record.
    fn arguments(&mut self, out: &mut String, from: usize, to: usize) {
        let syscall = crate::summary::rtype::SYSCALL.is(self.rec);
        if self.s.color || !syscall || self.rec.form == crate::record::Form::Interpreted {
            return self.run(out, from, to);
        }
        let rules = interpret::ArgRules::of(self.ctx);
        let bare = rules.bare();
        for i in from..to {
            if i > from {
                out.push(' ');
            }
            let Some(f) = self.rec.fields.get(i) else {
                continue;
            };
            match argument_pair(self.line, f) {
                Some((n, head, value)) if copied_bare(bare, n, value) => {
                    head.push_to(out);
                    out.push_str("0x");
                    value.push_to(out);
                }
                Some((n, head, value)) if !bare.get(n).copied().unwrap_or(true) => {
                    self.ruled_argument(out, rules, n, head, value);
                }
                _ => field(out, self.rec, i, self.ctx, self.s, self.scratch, self.line),
            }
        }
    }

    /// Argument `n`, which one of `rules` decodes, written as `written_field`
    /// writes it: its `aN=` is `head`, its value `value`.
    fn ruled_argument(
        &mut self,
        out: &mut String,
        rules: interpret::ArgRules,
        n: usize,
        head: Plain,
        value: Plain,
    ) {
        let raw = interpret::Raw {
            text: value.bytes(),
            quote: crate::record::Quote::None,
        };
        let words = &mut self.scratch.value;
        words.clear();
        match rules.decode(n, raw, self.ctx, words) {
            None | Some(Shown::AsIs) => {
                head.push_to(out);
                value.push_to(out);
            }
            Some(shown) => {
                head.push_to(out);
                let start = out.len();
                push_value(out, shown, words, raw.text, Some(value));
                if out.len() == start {
                    out.push_str("\"\"");
                }
            }
        }
    }
}

/// An unquoted argument `aN=` (N from 0 to 3) of the record itself, written
/// as a plain pair (`written_pair`): N, its `aN=` and its value.
fn argument_pair<'a>(line: Option<Plain<'a>>, f: &Field) -> Option<(usize, Plain<'a>, Plain<'a>)> {
    if f.quote != crate::record::Quote::None || f.origin != crate::record::Origin::Outer {
        return None;
    }
    let (pair, 2) = written_pair(line, f)? else {
        return None;
    };
    let (head, value) = (pair.get(0..3)?, pair.get(3..pair.bytes().len())?);
    match head.bytes() {
        [b'a', n @ b'0'..=b'3', b'='] => Some((usize::from(n - b'0'), head, value)),
        _ => None,
    }
}

/// True when argument `n`, which `bare` (from `ArgRules::bare`) says no
/// rule decodes, is hex digits: it is written as `0x` and its value.
fn copied_bare(bare: [bool; 4], n: usize, value: Plain) -> bool {
    bare.get(n).copied().unwrap_or(false) && Quick::hex_shaped(value.bytes())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::first_record as parse;
    use crate::render::{Format, View};
    use crate::timefmt::Clock;

    fn settings() -> Settings {
        Settings {
            format: Format::Text,
            color: false,
            clock: Clock::new(true),
            explain_fields: false,
            view: View::Records,
            names: None,
            short_year: true,
        }
    }

    /// Each field written with the record's plain line (which takes the
    /// `written_pair` path where it can) and without it (the general path).
    fn both_ways(line: &str) -> Vec<(String, String)> {
        let rec = parse(line);
        let s = settings();
        let ctx = s.context(&rec);
        let mut scratch = Scratch::default();
        let plain = plain_line(&rec, rec.line.len());
        assert!(plain.is_some(), "{line}");
        (0..rec.fields.len())
            .map(|i| {
                let (mut fast, mut slow) = (String::new(), String::new());
                field(&mut fast, &rec, i, &ctx, &s, &mut scratch, plain);
                field(&mut slow, &rec, i, &ctx, &s, &mut scratch, None);
                (fast, slow)
            })
            .collect()
    }

    #[test]
    fn written_pairs_read_as_the_general_path_writes_them() {
        let lines = [
            "type=SYSCALL msg=audit(1700000000.123:42): arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=7ffd1 a2=241 a3=1b6 items=1 ppid=1 pid=2 auid=1000 uid=0 gid=4294967295 euid=zz ses=4294967295 comm=\"cat\" exe=2F62696E2F636174 subj=unconfined key=(null)",
            "type=AVC msg=audit(1700000000.123:43): avc:  denied  { read } for  pid=7 comm=\"x\" name=\"f\" dev=\"sda1\" ino=9 scontext=u:r:t:s0 tcontext=u:object_r:t:s0 tclass=file permissive=0",
            "type=PATH msg=audit(1700000000.123:44): item=0 name=2F746D70 inode=5 dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 flags= a0=",
            "type=USER_LOGIN msg=audit(1700000000.123:45): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=login acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.1 terminal=ssh res=failed'",
            "type=EXECVE msg=audit(1700000000.123:46): argc=2 a0=6C73 a1=2D6C",
        ];
        let mut fields = 0;
        for line in lines {
            for (fast, slow) in both_ways(line) {
                assert_eq!(fast, slow, "{line}");
                fields += 1;
            }
        }
        assert!(fields > 40);
    }

    #[test]
    fn bare_arguments_are_written_as_field_writes_them() {
        let lines = [
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=7ffd1 a2=241 a3=1b6 items=1",
            "type=SYSCALL msg=audit(1.0:1): arch=40000003 syscall=195 success=yes exit=0 a0=c36800 a1=bfae855c a2=c4eff4 a3=0 items=0",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=56 a0=1200011 a1=0 a2=0 a3=7f items=0",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=0 a0=\"3\" a1=0x10 a2=12345678901234567 a3= a4=1 items=0",
            "type=SYSCALL msg=audit(1.0:1): syscall=1 a0=zz a1=1 a2=FFFF a3=-1",
            "type=SYSCALL msg=audit(1.0:1): arch=deadbeef syscall=1 a0=1 a1=2 a2=3 a3=4",
            "type=SYSCALL msg=audit(1.0:1): arch=40000003 syscall=212 a0=8 a1=3e8 a2=0 a3=zz",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=2 a0=7ffd a1=41 a2=1a4 a3=0",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=2 a0=7ffd a1=0x41 a2=-1 a3=",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=41 a0=2 a1=80801 a2=6 a3=0",
            "type=SYSCALL msg=audit(1.0:1): arch=40000003 syscall=102 a0=1 a1=bf8 a2=0 a3=0",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=9 a0=0 a1=1000 a2=3 a3=22",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=72 a0=3 a1=4 a2=800 a3=ffffffffffffffffff",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=62 a0=1 a1=9 a2=0 a3=0",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=105 a0=0 a1=0 a2=0 a3=0",
        ];
        let s = settings();
        let mut copied = 0;
        for line in lines {
            let rec = parse(line);
            let ctx = s.context(&rec);
            let mut scratch = Scratch::default();
            let line_plain = plain_line(&rec, rec.line.len());
            let mut job = Fields {
                rec: &rec,
                ctx: &ctx,
                s: &s,
                scratch: &mut scratch,
                line: line_plain,
            };
            let (mut fast, mut slow) = (String::new(), String::new());
            job.arguments(&mut fast, 0, rec.fields.len());
            job.run(&mut slow, 0, rec.fields.len());
            assert_eq!(fast, slow, "{line}");
            let bare = interpret::ArgRules::of(&ctx).bare();
            copied += rec
                .fields
                .iter()
                .filter_map(|f| argument_pair(line_plain, f))
                .filter(|&(n, _, value)| copied_bare(bare, n, value))
                .count();
        }
        assert!(copied > 10, "{copied}");
    }

    #[test]
    fn a_kept_type_line_reads_as_a_fresh_one() {
        let s = settings();
        let lines = [
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=2 success=yes exit=3",
            "type=SYSCALL msg=audit(1.0:2): arch=c000003e syscall=2 success=no exit=-13",
            "type=SYSCALL msg=audit(1.0:3): arch=c000003e syscall=2",
            "type=USER_LOGIN msg=audit(1.0:4): pid=1 res=failed",
            "type=1300 msg=audit(1.0:5): arch=c000003e syscall=2 success=yes",
            "type=MADE_UP msg=audit(1.0:6): x=1",
            "type=1316 msg=audit(1.0:7): x=1",
            "type=SYSCALL msg=audit(1.0:8): arch=c000003e syscall=2 success=yes exit=3",
        ];
        let mut lines_kept = TypeLines::default();
        // Twice over, each with both pads, so that every slot is both
        // filled and found.
        for _ in 0..2 {
            for line in lines {
                let rec = parse(line);
                for pad in ["    ", "", "    "] {
                    let mut fresh = String::from(pad);
                    type_line(&mut fresh, &rec, &s);
                    let mut kept = String::new();
                    lines_kept.write(&mut kept, &rec, &s, pad);
                    assert_eq!(kept, fresh, "{line} with pad {pad:?}");
                }
            }
        }
    }

    #[test]
    fn a_remembered_syscall_reads_as_a_fresh_one() {
        const CALL: &str = "type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=257 success=no exit=-2 a0=ffffff9c a1=7ffd a2=80000 a3=0 items=1 ppid=1 pid=2 uid=0 comm=\"x\" exe=\"/bin/x\" key=(null)";
        fn render(line: &str) -> [String; 2] {
            let (rec, s) = (parse(line), settings());
            ["    ", ""].map(|pad| {
                let mut out = String::new();
                record(&mut out, &rec, &s, pad);
                out
            })
        }
        let fresh = std::thread::spawn(|| render(CALL))
            .join()
            .expect("rendering thread");
        // Kept the second time it misses; copied after that.
        for _ in 0..3 {
            assert_eq!(render(CALL), fresh);
        }
        let rec = parse(CALL);
        let tag = memo::tag(whole_variant(&settings()), &rec);
        let body = memo::whole_body(&rec).expect("a body alone");
        let hit =
            memo::TEXT_SYSCALLS.with_borrow(|t| t.probe(memo::Part::RecordType, tag, body).hit);
        assert!(hit, "the record was kept");
        let later = CALL.replace("1.000:1", "2.500:9");
        let [grouped, _] = render(&later);
        assert_eq!(
            grouped,
            fresh[0]
                .replace("00:00:01.000", "00:00:02.500")
                .replace("serial 1", "serial 9")
        );
    }

    #[test]
    fn a_pair_needs_its_equals_sign_and_a_value() {
        let rec = parse("type=PATH msg=audit(1.0:1): item=0 flags= name=\"x\"");
        let line = plain_line(&rec, rec.line.len());
        let pairs: Vec<Option<usize>> = rec
            .fields
            .iter()
            .map(|f| written_pair(line, f).map(|(_, n)| n))
            .collect();
        assert_eq!(pairs, [Some(4), None, None]);
        assert!(written_pair(None, &rec.fields[0]).is_none());
    }
}
