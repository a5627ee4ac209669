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
    if !push_short_clean(out, bytes) {
        let clean = clean_prefix(bytes);
        out.extend_from_slice(&bytes[..clean]);
        if clean < bytes.len() {
            push_escaped(out, &bytes[clean..]);
        }
    }
    out.push(b'"');
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// True when every byte of `w` can go into a literal as it is (printable
/// ASCII other than `"` and `\\`). Each sum stays inside its byte.
#[inline(always)]
fn clean_word(w: u64) -> bool {
    let low = w & !HIGHS;
    // The high bit is set for 0x20 and above, for bytes other than `\\`
    // and `"`, and (in `del`) only for 0x7f.
    let printable = low.wrapping_add(ONES * 0x60);
    let not_backslash = (low ^ (ONES * u64::from(b'\\'))).wrapping_add(ONES * 0x7f);
    let not_quote = (low ^ (ONES * u64::from(b'"'))).wrapping_add(ONES * 0x7f);
    let del = low.wrapping_add(ONES);
    (w | del | !(printable & not_backslash & not_quote)) & HIGHS == 0
}

/// Writes `bytes` when it is 4 to 16 bytes long (a field's name, most
/// values) and needs no escaping, and returns true; otherwise writes nothing.
/// Such text is checked and copied as two fixed-size pieces that overlap in
/// the middle, where they hold the same bytes, so no copy loop is called.
#[inline(always)]
fn push_short_clean(out: &mut Vec<u8>, bytes: &[u8]) -> bool {
    let len = bytes.len();
    let start = out.len();
    if let (Some(head), Some(tail)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        if len > 16
            || !clean_word(u64::from_le_bytes(*head))
            || !clean_word(u64::from_le_bytes(*tail))
        {
            return false;
        }
        out.extend_from_slice(head);
        out.truncate(start + len - 8);
        out.extend_from_slice(tail);
        return true;
    }
    let (Some(head), Some(tail)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) else {
        return false;
    };
    let word = u64::from(u32::from_le_bytes(*head)) | u64::from(u32::from_le_bytes(*tail)) << 32;
    if !clean_word(word) {
        return false;
    }
    out.extend_from_slice(head);
    out.truncate(start + len - 4);
    out.extend_from_slice(tail);
    true
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

    /// The literal the general path writes, without the short fast path.
    fn slow(b: &[u8]) -> String {
        let mut v = vec![b'"'];
        let clean = clean_prefix(b);
        v.extend_from_slice(&b[..clean]);
        if clean < b.len() {
            push_escaped(&mut v, &b[clean..]);
        }
        v.push(b'"');
        String::from_utf8(v).expect("valid UTF-8")
    }

    #[test]
    fn short_clean_text_is_written_as_the_general_path_writes_it() {
        let words = [
            "",
            "a",
            "abc",
            "pid=",
            "comm",
            "uid=0 x",
            "12345678",
            "/usr/bin/python",
        ];
        let longer = ["0123456789abcdef", "0123456789abcdefg"];
        let mut cases: Vec<Vec<u8>> = words
            .iter()
            .chain(&longer)
            .map(|s| s.as_bytes().to_vec())
            .collect();
        // Every odd byte at every place of strings of each length from 1 to 17.
        for len in 1..=17 {
            for at in 0..len {
                for odd in [b'"', b'\\', 0, 0x1f, 0x7f, 0x80, 0xff, b' ', b'~'] {
                    let mut s = vec![b'x'; len];
                    s[at] = odd;
                    cases.push(s);
                }
            }
        }
        for case in cases {
            let mut fast = Vec::new();
            let wrote = push_short_clean(&mut fast, &case);
            let expected = (4..=16).contains(&case.len()) && is_clean(&case);
            assert_eq!(wrote, expected, "{case:?}");
            if wrote {
                assert_eq!(fast, case);
            }
            assert_eq!(lit(&case), slow(&case), "{case:?}");
        }
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
