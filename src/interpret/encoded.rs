//! Strings the kernel wrote encoded: in double quotes, or as uppercase hex when
//! the text has a space, a quote, a control byte or a byte above 0x7E. This
//! module decodes them: plain strings, proctitle (NUL between arguments),
//! EXECVE arguments split into `aN[i]` chunks and keys joined by 0x01. TTY
//! input is in `tty`.
//!
//! The decoded bytes are not escaped here; the renderers escape them.

use super::{Raw, Shown, Style};
use crate::record::{Quote, Record};

/// Separator of several rule keys in one `key` value.
pub const KEY_SEPARATOR: u8 = 0x01;

const fn nibble(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes hex pairs (either case) into `out`; false, with `out` untouched,
/// when the length is odd or a byte is not a hex digit.
pub fn decode_hex_into(v: &[u8], out: &mut Vec<u8>) -> bool {
    // One pass to check (the table's high bit marks a byte that is not a
    // digit), one to decode with no checks left.
    let bad = v.iter().fold(0u8, |acc, &b| acc | NIBBLES[usize::from(b)]);
    if v.len() % 2 != 0 || bad & 0x80 != 0 {
        return false;
    }
    out.extend(
        v.chunks_exact(2)
            .map(|p| NIBBLES[usize::from(p[0])] << 4 | NIBBLES[usize::from(p[1])]),
    );
    true
}

/// The value of every byte as a hex digit; 0x80 for a byte that is not one.
static NIBBLES: [u8; 256] = {
    let mut t = [0x80u8; 256];
    let mut b = 0;
    while b < 256 {
        if let Some(n) = nibble(b as u8) {
            t[b] = n;
        }
        b += 1;
    }
    t
};

/// Decodes uppercase or lowercase hex pairs.
pub fn decode_hex(v: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    decode_hex_into(v, &mut out).then_some(out)
}

/// True for a value the kernel hex-encoded: unquoted, even length, all hex.
pub fn is_encoded(raw: Raw) -> bool {
    raw.quote == Quote::None
        && raw.text.len() >= 2
        && raw.text.len() % 2 == 0
        && raw.text.iter().all(u8::is_ascii_hexdigit)
}

/// The buffer `ausearch` decodes a bare value into, byte for byte: for
/// `(null)`-style text, that text; otherwise the leading hex digits decoded in
/// place over a copy of themselves (an odd last digit gives its high nibble),
/// a NUL, zeros up to half the value's length, and then what is left of the
/// hex text. Some readers look past the decoded bytes, and this is what they
/// find there. None when fewer than two hex digits lead.
pub(super) fn au_buffer(v: &[u8]) -> Option<Vec<u8>> {
    if v.first() == Some(&b'(') {
        let p = memchr::memchr(b')', v)?;
        let mut buf = v[..=p].to_vec();
        buf.push(0);
        return Some(buf);
    }
    let n = v.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if n < 2 {
        return None;
    }
    let mut buf = Vec::with_capacity(v.len() + 1);
    buf.extend_from_slice(&v[..n]);
    buf.push(0);
    let mut d = 0;
    for i in (0..n).step_by(2) {
        let h = nibble(buf[i]).unwrap_or(0);
        let l = if i + 1 < n {
            nibble(buf[i + 1]).unwrap_or(0)
        } else {
            0
        };
        buf[d] = h << 4 | l;
        d += 1;
    }
    let zero_end = (v.len() / 2 + 1).min(buf.len());
    for b in buf.iter_mut().take(zero_end).skip(d) {
        *b = 0;
    }
    if d < buf.len() {
        buf[d] = 0;
    }
    Some(buf)
}

/// The C string at the start of `buf`.
fn c_string(buf: &[u8]) -> &[u8] {
    match memchr::memchr(0, buf) {
        Some(p) => &buf[..p],
        None => buf,
    }
}

/// How `ausearch` unescapes a bare value, as the C string it then prints:
/// the C string at the start of `au_buffer`, decoded straight into `out`.
fn au_unescape(v: &[u8], out: &mut Vec<u8>) -> bool {
    if v.first() == Some(&b'(') {
        let Some(p) = memchr::memchr(b')', v) else {
            return false;
        };
        out.extend_from_slice(c_string(&v[..=p]));
        return true;
    }
    let n = v.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if n < 2 {
        return false;
    }
    // The buffer holds a NUL right after the decoded bytes (an odd last
    // digit is a high nibble), so the C string is those bytes up to a NUL.
    let start = out.len();
    out.extend(v[..n].chunks(2).map(|p| {
        let low = p.get(1).map_or(0, |&l| NIBBLES[usize::from(l)]);
        NIBBLES[usize::from(p[0])] << 4 | low
    }));
    cut_at_nul(out, start);
    true
}

/// What `ausearch` makes of an encoded field, before it stops at a NUL byte.
enum AuText {
    /// The value as written, quotes and all.
    AsWritten,
    /// Decoded bytes in `out`.
    Decoded,
}

fn ausearch_unescape(raw: Raw, out: &mut Vec<u8>) -> AuText {
    match raw.quote {
        Quote::Double => {
            out.extend_from_slice(raw.text);
            AuText::Decoded
        }
        // An opening quote with no closing one: ausearch prints a lone space.
        Quote::Mangled => {
            out.push(b' ');
            AuText::Decoded
        }
        Quote::Single | Quote::Brace => AuText::AsWritten,
        Quote::None => {
            let v = raw.text;
            let v = if v.starts_with(b"00") { &v[2..] } else { v };
            if au_unescape(v, out) {
                AuText::Decoded
            } else {
                AuText::AsWritten
            }
        }
    }
}

/// Cuts `out` at its first NUL from `start` on, as a C string would end there.
fn cut_at_nul(out: &mut Vec<u8>, start: usize) {
    if let Some(p) = memchr::memchr(0, &out[start..]) {
        out.truncate(start + p);
    }
}

/// A plain encoded string: comm, exe, path, name, cwd, acct, ...
pub fn escaped(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    match style {
        Style::Ausearch => {
            let start = out.len();
            match ausearch_unescape(raw, out) {
                AuText::AsWritten => Shown::AsIs,
                AuText::Decoded => {
                    cut_at_nul(out, start);
                    Shown::Decoded
                }
            }
        }
        Style::Human => {
            // `is_encoded`, with the hex check left to the decoder.
            if raw.quote != Quote::None || raw.text.len() < 2 {
                return Shown::AsIs;
            }
            let start = out.len();
            if !decode_hex_into(raw.text, out) {
                return Shown::AsIs;
            }
            if out.get(start) == Some(&0) {
                // An abstract unix socket name: shown with the usual `@`.
                out[start] = b'@';
            }
            Shown::Decoded
        }
    }
}

/// The rule key: several keys are joined by 0x01. The `ausearch` style keeps
/// the separator (the renderer prints each key as its own `key=`); people see
/// the keys separated by commas.
pub fn key(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    match style {
        Style::Ausearch => escaped(raw, style, out),
        Style::Human => {
            if !is_encoded(raw) {
                return Shown::AsIs;
            }
            let start = out.len();
            decode_hex_into(raw.text, out);
            if !out[start..].contains(&KEY_SEPARATOR) {
                return Shown::Decoded;
            }
            let keys: Vec<u8> = out.drain(start..).collect();
            for (i, k) in keys.split(|&b| b == KEY_SEPARATOR).enumerate() {
                if i > 0 {
                    out.extend_from_slice(b", ");
                }
                out.extend_from_slice(k);
            }
            Shown::Decoded
        }
    }
}

thread_local! {
    /// Room for a decoded command line, reused call after call.
    static DECODED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// proctitle: the command line, its arguments separated by NUL bytes.
pub fn proctitle(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    match style {
        Style::Ausearch => proctitle_ausearch(raw, out),
        Style::Human => {
            // `is_encoded`, with the hex check left to the decoder.
            if raw.quote != Quote::None || raw.text.len() < 2 {
                return Shown::AsIs;
            }
            DECODED.with_borrow_mut(|bytes| {
                bytes.clear();
                if !decode_hex_into(raw.text, bytes) {
                    return Shown::AsIs;
                }
                let mut args = &bytes[..];
                if let [rest @ .., 0] = args {
                    args = rest;
                }
                for (i, arg) in args.split(|&b| b == 0).enumerate() {
                    if i > 0 {
                        out.push(b' ');
                    }
                    push_shell_word(arg, out);
                }
                Shown::Decoded
            })
        }
    }
}

/// `ausearch` turns each NUL within half the hex length into a space.
fn proctitle_ausearch(raw: Raw, out: &mut Vec<u8>) -> Shown {
    if raw.quote != Quote::None {
        let start = out.len();
        return match ausearch_unescape(raw, out) {
            AuText::AsWritten => Shown::AsIs,
            AuText::Decoded => {
                cut_at_nul(out, start);
                Shown::Decoded
            }
        };
    }
    let v = raw.text;
    let buf = if v.starts_with(b"00") {
        au_buffer(&v[2..])
    } else {
        au_buffer(v)
    };
    let Some(mut buf) = buf else {
        return Shown::AsIs;
    };
    let len = (v.len() / 2).min(buf.len());
    for b in &mut buf[..len] {
        if *b == 0 {
            *b = b' ';
        }
    }
    out.extend_from_slice(c_string(&buf));
    Shown::Decoded
}

/// One argument as a shell would need it typed: quoted when it has spaces,
/// quotes or nothing at all.
pub fn push_shell_word(arg: &[u8], out: &mut Vec<u8>) {
    let plain = !arg.is_empty()
        && arg
            .iter()
            .all(|&b| !matches!(b, b' ' | b'\t' | b'\'' | b'"' | b'\\' | b'$' | b'`'));
    if plain {
        out.extend_from_slice(arg);
    } else if !arg.contains(&b'\'') {
        out.push(b'\'');
        out.extend_from_slice(arg);
        out.push(b'\'');
    } else {
        out.push(b'"');
        for &b in arg {
            if matches!(b, b'"' | b'\\' | b'$' | b'`') {
                out.push(b'\\');
            }
            out.push(b);
        }
        out.push(b'"');
    }
}

/// EXECVE `aN[i]`: the chunks of one long argument. People see the whole
/// argument at `aN[0]`; later chunks say where it went.
pub fn execve_chunk(rec: &Record, name: &[u8], raw: Raw, out: &mut Vec<u8>) -> Shown {
    let Some(open) = memchr::memchr(b'[', name) else {
        return escaped(raw, Style::Human, out);
    };
    let arg = &name[..open];
    if &name[open..] != b"[0]" {
        out.extend_from_slice(b"(joined into ");
        out.extend_from_slice(arg);
        out.extend_from_slice(b"[0])");
        return Shown::Decoded;
    }
    for f in &rec.fields {
        let n = rec.name_of(f);
        if n.len() > arg.len() && n.starts_with(arg) && n[arg.len()] == b'[' {
            let part = Raw {
                text: rec.value_of(f),
                quote: f.quote,
            };
            if !(is_encoded(part) && decode_hex_into(part.text, out)) {
                out.extend_from_slice(part.text);
            }
        }
    }
    Shown::Decoded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpret::raw;
    use crate::interpret::run_on as run;

    #[test]
    fn hex_and_quotes() {
        // corpus: go-libaudit/normal.log, exe written in hex.
        let (s, t) = run(escaped, raw("2F7573722F62696E2F6375726C"), Style::Human);
        assert_eq!((s, t.as_str()), (Shown::Decoded, "/usr/bin/curl"));
        let quoted = Raw {
            text: b"/bin/ls",
            quote: Quote::Double,
        };
        assert_eq!(run(escaped, quoted, Style::Human).0, Shown::AsIs);
        assert_eq!(run(escaped, quoted, Style::Ausearch).1, "/bin/ls");
        assert_eq!(run(escaped, raw("(null)"), Style::Ausearch).1, "(null)");
        assert_eq!(
            run(escaped, raw("/usr/bin/x"), Style::Ausearch).0,
            Shown::AsIs
        );
        // ausearch decodes the leading hex digits of any bare value.
        let mut out = Vec::new();
        assert_eq!(
            escaped(raw("abc"), Style::Ausearch, &mut out),
            Shown::Decoded
        );
        assert_eq!(out, b"\xab\xc0");
        assert_eq!(run(escaped, raw("abc"), Style::Human).0, Shown::AsIs);
    }

    #[test]
    fn unescaping_agrees_with_the_ausearch_buffer() {
        for v in [
            &b"(null)"[..],
            b"(none)x",
            b"(open",
            b"",
            b"A",
            b"AB",
            b"ABC",
            b"41420043",
            b"4142zz",
            b"2F746D70",
            b"0041",
            b"abc/def",
            b"x41",
        ] {
            let mut got = b"pre".to_vec();
            let ok = au_unescape(v, &mut got);
            let want = au_buffer(v).map(|buf| c_string(&buf).to_vec());
            assert_eq!(ok, want.is_some(), "{v:?}");
            let mut expected = b"pre".to_vec();
            expected.extend(want.unwrap_or_default());
            assert_eq!(got, expected, "{v:?}");
        }
    }

    #[test]
    fn decoding_leaves_the_buffer_alone_on_bad_hex() {
        let mut out = b"keep".to_vec();
        for bad in [&b"ABC"[..], b"0G", b"g0", b"zz", b"\xff0"] {
            assert!(!decode_hex_into(bad, &mut out));
            assert_eq!(out, b"keep");
        }
        assert!(decode_hex_into(b"00fFaA09", &mut out));
        assert_eq!(out, b"keep\x00\xff\xaa\x09");
        assert!(decode_hex_into(b"", &mut out));
        assert_eq!(run(escaped, raw("0G"), Style::Human).0, Shown::AsIs);
        assert_eq!(run(escaped, raw("0"), Style::Human).0, Shown::AsIs);
    }

    #[test]
    fn odd_and_hostile_hex_does_not_panic() {
        for v in ["A", "ABC", "0", "00", "zz", "0G", "(", "(x", ""] {
            for style in [Style::Human, Style::Ausearch] {
                let _ = run(escaped, raw(v), style);
                let _ = run(proctitle, raw(v), style);
                let _ = run(key, raw(v), style);
            }
        }
    }

    #[test]
    fn proctitle_split() {
        // corpus: audit-userspace/auparse-test3.log style proctitle with NULs.
        let r = raw("2F62696E2F7368002D630065636820686900");
        assert_eq!(run(proctitle, r, Style::Ausearch).1, "/bin/sh -c ech hi ");
        assert_eq!(run(proctitle, r, Style::Human).1, "/bin/sh -c 'ech hi'");
    }

    #[test]
    fn keys() {
        let r = raw("61016201");
        assert_eq!(run(key, r, Style::Human).1, "a, b, ");
        assert_eq!(run(key, r, Style::Ausearch).1, "a\x01b\x01");
        assert_eq!(run(key, raw("(null)"), Style::Human).0, Shown::AsIs);
    }

    #[test]
    fn ausearch_buffer_leftovers() {
        // `00` then hex: the leftover hex text shows after the NUL-turned-space.
        assert_eq!(run(proctitle, raw("00616263"), Style::Ausearch).1, "abc 63");
        assert_eq!(
            run(proctitle, raw("616263006465"), Style::Ausearch).1,
            "abc de"
        );
        assert_eq!(
            au_buffer(b"08000500").unwrap_or_default(),
            b"\x08\x00\x05\x00\x00500\x00"
        );
    }

    #[test]
    fn abstract_socket_name() {
        assert_eq!(run(escaped, raw("00616263"), Style::Human).1, "@abc");
        assert_eq!(run(escaped, raw("00616263"), Style::Ausearch).1, "abc");
    }
}
