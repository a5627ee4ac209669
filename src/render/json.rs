//! The JSON format: one object per line with a `"kind"`. The schema is a stable
//! contract (see README); fields are added over time, never changed or removed.
//! Objects are written straight into a byte buffer: this is a hot path.

use crate::interpret::{self, Context, Shown, Style};
use crate::record::{Origin, Record};
use crate::render::Unparsed;
use crate::render::jsonstr::{push_str, push_u64};
use crate::timefmt;

fn push_opt_u64(out: &mut Vec<u8>, v: Option<u64>) {
    match v {
        Some(n) => push_u64(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

/// The `"source"` object.
fn push_source(out: &mut Vec<u8>, file: &str, line: u64) {
    out.extend_from_slice(b"{\"file\":");
    push_str(out, file.as_bytes());
    out.extend_from_slice(b",\"line\":");
    push_u64(out, line);
    out.push(b'}');
}

/// One record object (no trailing newline), its fields interpreted with the
/// facts the record itself carries.
pub fn record(out: &mut Vec<u8>, rec: &Record) {
    record_in(out, rec, &Context::of(rec));
}

/// One record object (no trailing newline), with a context (local names).
pub fn record_in(out: &mut Vec<u8>, rec: &Record, ctx: &Context) {
    out.extend_from_slice(b"{\"kind\":\"record\",\"type\":");
    push_str(out, rec.type_name().as_bytes());
    out.extend_from_slice(b",\"type_number\":");
    push_opt_u64(out, rec.type_number.map(u64::from));
    out.extend_from_slice(b",\"flags\":[");
    for (i, f) in rec.flags().names().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_str(out, f.as_bytes());
    }
    out.extend_from_slice(b"],\"family\":");
    push_str(out, rec.family().as_bytes());
    out.extend_from_slice(b",\"explanation\":");
    match rec.info {
        Some(i) => push_str(out, i.explanation.as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"time\":");
    match rec.time {
        Some(t) => {
            out.push(b'"');
            timefmt::push_rfc3339(out, t);
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"serial\":");
    push_opt_u64(out, rec.serial);
    out.extend_from_slice(b",\"node\":");
    match rec.node() {
        Some(n) => push_str(out, n),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"form\":\"");
    out.extend_from_slice(rec.form.as_str().as_bytes());
    out.extend_from_slice(b"\",\"fields\":");
    fields(out, rec, ctx);
    out.extend_from_slice(b",\"raw\":");
    push_str(out, rec.raw());
    out.extend_from_slice(b",\"source\":");
    push_source(out, &rec.source.file, rec.source.line);
    out.push(b'}');
}

/// A cheap hash of a field name, for the repeated-name filter.
fn name_hash(name: &[u8]) -> u32 {
    name.iter().fold(name.len() as u32, |h, &b| {
        h.wrapping_mul(31).wrapping_add(u32::from(b))
    })
}

/// The `"fields"` object: every field, in order; a repeated name gets `#2`, `#3`.
fn fields(out: &mut Vec<u8>, rec: &Record, ctx: &Context) {
    let mut value = Vec::new();
    let mut names_seen = 0u64;
    out.push(b'{');
    for (i, f) in rec.fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let name = rec.name_of(f);
        // A 64-bit filter of the names so far: a miss proves the name is new.
        let bit = 1u64 << (name_hash(name) % 64);
        let seen = if names_seen & bit == 0 {
            0
        } else {
            rec.fields[..i]
                .iter()
                .filter(|g| rec.name_of(g) == name)
                .count()
        };
        names_seen |= bit;
        if seen == 0 {
            push_str(out, name);
        } else {
            let mut key = name.to_vec();
            key.push(b'#');
            push_u64(&mut key, seen as u64 + 1);
            push_str(out, &key);
        }
        out.extend_from_slice(b":{\"raw\":");
        let raw = rec.value_of(f);
        let start = out.len();
        push_str(out, raw);
        let end = out.len();
        out.extend_from_slice(b",\"value\":");
        value.clear();
        match interpret::interpret(rec, i, ctx, Style::Human, &mut value) {
            // Same text as `raw`: copy its escaped form instead of escaping again.
            Shown::AsIs => out.extend_from_within(start..end),
            Shown::Decoded | Shown::Translated => push_str(out, &value),
        }
        match f.origin {
            Origin::Outer => {}
            Origin::Inner => out.extend_from_slice(b",\"inner\":true"),
            Origin::Enriched => out.extend_from_slice(b",\"enriched\":true"),
        }
        out.push(b'}');
    }
    out.push(b'}');
}

/// One `"kind": "unparsed"` object and its newline.
pub fn unparsed(out: &mut Vec<u8>, u: &Unparsed) {
    out.extend_from_slice(b"{\"kind\":\"unparsed\",\"reason\":");
    push_str(out, u.reason.as_bytes());
    out.extend_from_slice(b",\"raw\":");
    push_str(out, u.raw);
    out.extend_from_slice(b",\"source\":");
    push_source(out, u.file, u.line);
    out.extend_from_slice(b"}\n");
}
