//! The text format: each record with its type, flags, explanation, time and
//! fields, for a person reading a terminal. Every value from the log passes
//! through `sanitize` on its way out.

use std::fmt::Write as _;

use crate::glossary;
use crate::interpret::{self, Context, Shown, Style};
use crate::outcome::{self, Outcome};
use crate::record::Record;
use crate::render::palette::{Role, flag_role, paint};
use crate::render::{Settings, Unparsed};
use crate::sanitize;

/// Appends the type line with its badges.
pub fn type_line(out: &mut String, rec: &Record, s: &Settings) {
    paint(out, s.color, Role::TypeName, rec.type_name());
    match rec.type_number {
        Some(n) => {
            let _ = write!(out, " ({n})");
        }
        None => out.push_str(" (unknown type)"),
    }
    for flag in rec.flags().names() {
        out.push(' ');
        paint(out, s.color, flag_role(flag), &format!(" {flag} "));
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

/// Appends the time, serial, node and source line.
pub fn where_line(out: &mut String, rec: &Record, s: &Settings) {
    let mut line = String::new();
    match rec.time {
        Some(t) => s.clock.human(t, &mut line),
        None => line.push_str("no time"),
    }
    if let Some(serial) = rec.serial {
        let _ = write!(line, "  serial {serial}");
    }
    if let Some(node) = rec.node() {
        line.push_str("  node ");
        sanitize::push_escaped(&mut line, node);
    }
    line.push_str("  ");
    sanitize::push_escaped(&mut line, rec.source.file.as_bytes());
    let _ = write!(line, ":{}", rec.source.line);
    out.push_str("  ");
    paint(out, s.color, Role::Dim, &line);
    out.push('\n');
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
}

/// Appends `name=value` for field `i`, interpreted, with the raw value beside a translation.
pub fn field(
    out: &mut String,
    rec: &Record,
    i: usize,
    ctx: &Context,
    s: &Settings,
    scratch: &mut Scratch,
) {
    let f = &rec.fields[i];
    let name = rec.name_of(f);
    let raw = rec.value_of(f);
    let text = &mut scratch.text;
    text.clear();
    sanitize::push_escaped(text, name);
    paint(out, s.color, Role::Key, text);
    out.push('=');
    text.clear();
    let value = &mut scratch.value;
    value.clear();
    match interpret::interpret(rec, i, ctx, Style::Human, value) {
        Shown::AsIs => sanitize::push_escaped(text, raw),
        Shown::Decoded => sanitize::push_escaped(text, value),
        Shown::Translated => {
            sanitize::push_escaped(text, value);
            text.push_str(" (");
            sanitize::push_escaped(text, raw);
            text.push(')');
        }
    }
    if text.is_empty() {
        text.push_str("\"\"");
    }
    if is_failure_value(name, raw) {
        paint(out, s.color, Role::Failure, text);
    } else {
        out.push_str(text);
    }
}

/// One record: type line, where line, explanation, MAC decision, fields.
pub fn record(out: &mut String, rec: &Record, s: &Settings) {
    type_line(out, rec, s);
    where_line(out, rec, s);
    if let Some(info) = rec.info {
        out.push_str("  ");
        out.push_str(info.explanation);
        out.push('\n');
    }
    let mut sentence = Vec::new();
    if interpret::mac::sentence(rec, &mut sentence) {
        out.push_str("  ");
        sanitize::push_escaped(out, &sentence);
        out.push('\n');
    }
    fields(out, rec, &s.context(rec), s);
    out.push('\n');
}

/// The fields of a record: on one line, or one per line with meanings when asked.
pub fn fields(out: &mut String, rec: &Record, ctx: &Context, s: &Settings) {
    let mut scratch = Scratch::default();
    if s.explain_fields {
        for (i, f) in rec.fields.iter().enumerate() {
            out.push_str("    ");
            let start = out.len();
            field(out, rec, i, ctx, s, &mut scratch);
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
    out.push_str("  ");
    for i in 0..rec.fields.len() {
        if i > 0 {
            out.push(' ');
        }
        field(out, rec, i, ctx, s, &mut scratch);
    }
    out.push('\n');
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
