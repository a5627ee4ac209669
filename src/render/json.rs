//! The JSON format: one object per line with a `"kind"`. The schema is a stable
//! contract (see README); fields are added over time, never changed or removed.

use std::fmt::Write as _;

use crate::interpret::{self, Context, Shown, Style};
use crate::record::{Origin, Record};
use crate::render::Unparsed;
use crate::timefmt;

/// Bytes that must be escaped inside a JSON string: controls, `"`, `\\`, DEL.
static ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[0x7f] = true;
    t
};

/// Appends valid UTF-8 text with JSON escapes, copying unescaped runs whole.
fn push_escaped(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !ESCAPE[b as usize] {
            continue;
        }
        out.push_str(&s[last..i]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                let _ = write!(out, "\\u{:04x}", b);
            }
        }
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// Appends `bytes` as a JSON string literal; invalid UTF-8 becomes U+FFFD.
pub fn push_str(out: &mut String, bytes: &[u8]) {
    out.push('"');
    match std::str::from_utf8(bytes) {
        Ok(s) => push_escaped(out, s),
        Err(_) => {
            for chunk in bytes.utf8_chunks() {
                push_escaped(out, chunk.valid());
                if !chunk.invalid().is_empty() {
                    out.push('\u{FFFD}');
                }
            }
        }
    }
    out.push('"');
}

fn push_opt_u64(out: &mut String, v: Option<u64>) {
    match v {
        Some(n) => {
            let _ = write!(out, "{n}");
        }
        None => out.push_str("null"),
    }
}

/// The `"source"` object.
fn push_source(out: &mut String, file: &str, line: u64) {
    out.push_str("{\"file\":");
    push_str(out, file.as_bytes());
    let _ = write!(out, ",\"line\":{line}}}");
}

/// One record object (no trailing newline).
pub fn record(out: &mut String, rec: &Record) {
    out.push_str("{\"kind\":\"record\",\"type\":");
    push_str(out, rec.type_name().as_bytes());
    out.push_str(",\"type_number\":");
    push_opt_u64(out, rec.type_number.map(u64::from));
    out.push_str(",\"flags\":[");
    for (i, f) in rec.flags().names().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "\"{f}\"");
    }
    out.push_str("],\"family\":");
    push_str(out, rec.family().as_bytes());
    out.push_str(",\"explanation\":");
    match rec.info {
        Some(i) => push_str(out, i.explanation.as_bytes()),
        None => out.push_str("null"),
    }
    out.push_str(",\"time\":");
    match rec.time.and_then(timefmt::rfc3339) {
        Some(t) => {
            let _ = write!(out, "\"{t}\"");
        }
        None => out.push_str("null"),
    }
    out.push_str(",\"serial\":");
    push_opt_u64(out, rec.serial);
    out.push_str(",\"node\":");
    match rec.node() {
        Some(n) => push_str(out, n),
        None => out.push_str("null"),
    }
    let _ = write!(out, ",\"form\":\"{}\"", rec.form.as_str());
    out.push_str(",\"fields\":");
    fields(out, rec);
    out.push_str(",\"raw\":");
    push_str(out, rec.raw());
    out.push_str(",\"source\":");
    push_source(out, &rec.source.file, rec.source.line);
    out.push('}');
}

/// The `"fields"` object: every field, in order; a repeated name gets `#2`, `#3`.
fn fields(out: &mut String, rec: &Record) {
    let ctx = Context::default();
    let mut scratch = String::new();
    let mut value = Vec::new();
    let mut names_seen = 0u64;
    out.push('{');
    for (i, f) in rec.fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
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
            let _ = write!(&mut scratch, "#{}", seen + 1);
            key.extend_from_slice(scratch.as_bytes());
            scratch.clear();
            push_str(out, &key);
        }
        out.push_str(":{\"raw\":");
        let raw = rec.value_of(f);
        push_str(out, raw);
        out.push_str(",\"value\":");
        value.clear();
        match interpret::interpret(rec, i, &ctx, Style::Human, &mut value) {
            Shown::AsIs => push_str(out, raw),
            Shown::Decoded | Shown::Translated => push_str(out, &value),
        }
        match f.origin {
            Origin::Outer => {}
            Origin::Inner => out.push_str(",\"inner\":true"),
            Origin::Enriched => out.push_str(",\"enriched\":true"),
        }
        out.push('}');
    }
    out.push('}');
}

/// A cheap hash of a field name, for the repeated-name filter.
fn name_hash(name: &[u8]) -> u32 {
    name.iter()
        .fold(name.len() as u32, |h, &b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
}

/// One `"kind": "unparsed"` object (no trailing newline).
pub fn unparsed(out: &mut String, u: &Unparsed) {
    out.push_str("{\"kind\":\"unparsed\",\"reason\":");
    push_str(out, u.reason.as_bytes());
    out.push_str(",\"raw\":");
    push_str(out, u.raw);
    out.push_str(",\"source\":");
    push_source(out, u.file, u.line);
    out.push_str("}\n");
}

#[cfg(test)]
mod tests {
    use super::push_str;

    fn lit(b: &[u8]) -> String {
        let mut s = String::new();
        push_str(&mut s, b);
        s
    }

    #[test]
    fn escapes_json_specials_and_controls() {
        assert_eq!(lit(b"plain"), "\"plain\"");
        assert_eq!(lit(b"a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(lit(b"\n\r\t\x1b\x7f"), "\"\\n\\r\\t\\u001b\\u007f\"");
        assert_eq!(lit("zoë".as_bytes()), "\"zoë\"");
        assert_eq!(lit(b"a\xffb"), "\"a\u{FFFD}b\"");
    }
}
