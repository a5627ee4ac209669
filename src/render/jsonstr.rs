//! JSON string literals written fast: audit values are mostly printable ASCII,
//! so clean runs are found eight bytes at a time and copied whole; only quotes,
//! backslashes, controls and non-ASCII bytes take the slow path. Invalid UTF-8
//! becomes U+FFFD, so the output is always valid JSON.

/// Length of the clean prefix of `s` (printable ASCII other than `"` and `\\`).
#[inline]
fn clean_prefix(s: &[u8]) -> usize {
    crate::sanitize::plain_prefix(s, b'"')
}

/// True when `s` can go into a JSON string literal as it is.
pub fn is_clean(s: &[u8]) -> bool {
    clean_prefix(s) == s.len()
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `bytes` as a JSON string literal.
#[inline(always)]
pub fn push_str(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let clean = clean_prefix(bytes);
    out.extend_from_slice(&bytes[..clean]);
    if clean < bytes.len() {
        push_escaped(out, &bytes[clean..]);
    }
    out.push(b'"');
}

/// The rest of a literal from its first byte that needs escaping.
#[inline(never)]
fn push_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut i = 0;
    while i < bytes.len() {
        let clean = clean_prefix(&bytes[i..]);
        out.extend_from_slice(&bytes[i..i + clean]);
        i += clean;
        let Some(&b) = bytes.get(i) else {
            break;
        };
        if b < 0x80 {
            match b {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                _ => out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 15)],
                ]),
            }
            i += 1;
            continue;
        }
        // A run of non-ASCII bytes: copy what is valid UTF-8, replace the rest.
        let end = i + bytes[i..].iter().take_while(|&&c| c >= 0x80).count();
        for chunk in bytes[i..end].utf8_chunks() {
            push_non_ascii(out, chunk.valid());
            if !chunk.invalid().is_empty() {
                out.extend_from_slice("\u{FFFD}".as_bytes());
            }
        }
        i = end;
    }
}

/// Valid non-ASCII text as it is, except C1 controls and bidi and zero-width
/// characters, which are written as `\uXXXX` so a JSON line shown on a
/// terminal cannot act on it (decoders get the same text back).
fn push_non_ascii(out: &mut Vec<u8>, text: &str) {
    if !text.chars().any(crate::sanitize::is_dangerous) {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if crate::sanitize::is_dangerous(c) {
            let v = c as u32;
            out.extend_from_slice(b"\\u");
            for shift in [12, 8, 4, 0] {
                out.push(HEX[((v >> shift) & 15) as usize]);
            }
        } else {
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
}

pub use crate::digits::push_u64;

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(b: &[u8]) -> String {
        let mut v = Vec::new();
        push_str(&mut v, b);
        String::from_utf8(v).expect("valid UTF-8")
    }

    #[test]
    fn escapes_json_specials_and_controls() {
        assert_eq!(lit(b"plain"), "\"plain\"");
        assert_eq!(lit(b"a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(lit(b"\n\r\t\x1b\x7f"), "\"\\n\\r\\t\\u001b\\u007f\"");
        assert_eq!(lit("zoë".as_bytes()), "\"zoë\"");
        assert_eq!(lit(b"a\xffb"), "\"a\u{FFFD}b\"");
        assert_eq!(
            lit(b"0123456789abcdef\"0123456789"),
            "\"0123456789abcdef\\\"0123456789\""
        );
        assert_eq!(
            lit(b"longer clean text \x01 tail"),
            "\"longer clean text \\u0001 tail\""
        );
    }

    #[test]
    fn every_byte_round_trips_through_a_json_parser() {
        let all: Vec<u8> = (0..=255u8).collect();
        let text = lit(&all);
        let parsed: String = serde_json::from_str(&text).expect("valid JSON");
        let ascii: String = (0..0x80u8).map(char::from).collect();
        assert!(parsed.starts_with(&ascii));
        assert!(parsed[ascii.len()..].chars().all(|c| c == '\u{FFFD}'));
    }

    #[test]
    fn bidi_and_zero_width_are_escaped() {
        assert_eq!(
            lit("a\u{202e}b\u{200b}\u{85}".as_bytes()),
            "\"a\\u202eb\\u200b\\u0085\""
        );
    }

    #[test]
    fn numbers() {
        let mut v = Vec::new();
        push_u64(&mut v, 0);
        v.push(b' ');
        push_u64(&mut v, u64::MAX);
        for n in [9, 10, 99, 100, 101, 999, 1000, 4294967295, 1700000000] {
            v.push(b' ');
            push_u64(&mut v, n);
        }
        assert_eq!(
            v,
            b"0 18446744073709551615 9 10 99 100 101 999 1000 4294967295 1700000000"
        );
    }
}
