//! The JSON format: one object per line with a `"kind"`. The schema is a stable
//! contract (see README); fields are added over time, never changed or removed.

use std::fmt::Write as _;

use crate::interpret::{self, Context, Shown, Style};
use crate::record::{Origin, Record};
use crate::render::Unparsed;
use crate::timefmt;

/// Appends `s` as a JSON string literal; invalid UTF-8 becomes U+FFFD. Control,
/// bidi and zero-width characters are written as `\uXXXX`, so a JSON line
/// shown on a terminal cannot act on it; decoders get the same text back.
pub fn push_str(out: &mut String, bytes: &[u8]) {
    out.push('"');
    let mut rest = bytes;
    while !rest.is_empty() {
        let plain = rest
            .iter()
            .position(|&b| b < 0x20 || b == b'"' || b == b'\\' || b >= 0x7f)
            .unwrap_or(rest.len());
        if let Ok(ascii) = std::str::from_utf8(&rest[..plain]) {
            out.push_str(ascii);
        }
        rest = &rest[plain..];
        match rest.first() {
            None => break,
            Some(&b) if b < 0x80 => {
                push_ascii_escape(out, b);
                rest = &rest[1..];
            }
            Some(_) => {
                let run = rest.iter().position(|&b| b < 0x80).unwrap_or(rest.len());
                push_non_ascii(out, &rest[..run]);
                rest = &rest[run..];
            }
        }
    }
    out.push('"');
}

fn push_ascii_escape(out: &mut String, b: u8) {
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
}

/// A run of bytes above 0x7F: characters as they are unless dangerous on a
/// terminal, invalid UTF-8 as U+FFFD.
fn push_non_ascii(out: &mut String, run: &[u8]) {
    for chunk in run.utf8_chunks() {
        for c in chunk.valid().chars() {
            if crate::sanitize::is_dangerous(c) {
                let _ = write!(out, "\\u{:04x}", c as u32);
            } else {
                out.push(c);
            }
        }
        if !chunk.invalid().is_empty() {
            out.push('\u{FFFD}');
        }
    }
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
pub fn record(out: &mut String, rec: &Record, ctx: &Context) {
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
    fields(out, rec, ctx);
    out.push_str(",\"raw\":");
    push_str(out, rec.raw());
    out.push_str(",\"source\":");
    push_source(out, &rec.source.file, rec.source.line);
    out.push('}');
}

/// The `"fields"` object: every field, in order; a repeated name gets `#2`, `#3`.
fn fields(out: &mut String, rec: &Record, ctx: &Context) {
    let mut scratch = String::new();
    let mut value = Vec::new();
    out.push('{');
    for (i, f) in rec.fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let name = rec.name_of(f);
        let seen = rec.fields[..i]
            .iter()
            .filter(|g| rec.name_of(g) == name)
            .count();
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
        match interpret::interpret(rec, i, ctx, Style::Human, &mut value) {
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

    fn js(b: &[u8]) -> String {
        let mut s = String::new();
        push_str(&mut s, b);
        s
    }

    #[test]
    fn strings() {
        assert_eq!(js(b"plain /x"), "\"plain /x\"");
        assert_eq!(js(b"a\"b\\c\n\x1b\x7f"), "\"a\\\"b\\\\c\\n\\u001b\\u007f\"");
        assert_eq!(js("zoë\u{202e}\u{85}".as_bytes()), "\"zoë\\u202e\\u0085\"");
        assert_eq!(js(b"\xff\xfex"), "\"\u{FFFD}\u{FFFD}x\"");
    }
}
