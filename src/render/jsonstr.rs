//! JSON string literals written fast: audit values are mostly printable ASCII,
//! so clean text is checked and copied in fixed-size blocks; only quotes,
//! backslashes, controls and non-ASCII bytes take the slow path. Invalid UTF-8
//! becomes U+FFFD, so the output is always valid JSON.

use crate::sanitize::{BLOCK, plain_blocks, unplain_bits, unplain_mask};

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
        push_blocks(out, bytes);
    }
    out.push(b'"');
}

/// Writes `bytes` escaped: each clean run is found sixteen bytes at a time
/// and copied whole, then the byte that ended it is escaped.
#[inline(never)]
fn push_blocks(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut i = 0;
    while let Some(rest) = bytes.get(i..).filter(|r| !r.is_empty()) {
        let clean = clean_len(rest);
        push_clean(out, rest, clean);
        i = escape_at(out, bytes, i + clean);
    }
}

/// Length of the clean start of `rest`, a block at a time
/// (`sanitize::plain_blocks` with the quote); a rest shorter than a block
/// as one block padded with clean bytes.
#[inline(always)]
fn clean_len(rest: &[u8]) -> usize {
    if rest.len() >= BLOCK {
        return plain_blocks(rest, b'"');
    }
    let mut block = [b'_'; BLOCK];
    block[..rest.len()].copy_from_slice(rest);
    (unplain_mask(&block, b'"') | 1 << rest.len()).trailing_zeros() as usize
}

/// Appends the first `clean` bytes of `rest`; a short run as one
/// fixed-size copy cut back, when `rest` holds a whole block.
#[inline(always)]
fn push_clean(out: &mut Vec<u8>, rest: &[u8], clean: usize) {
    match rest.first_chunk::<BLOCK>() {
        Some(block) if clean <= BLOCK => {
            out.extend_from_slice(block);
            out.truncate(out.len() - (BLOCK - clean));
        }
        _ => out.extend_from_slice(rest.get(..clean).unwrap_or(rest)),
    }
}

/// Writes the escaped form of the byte at `i` of `bytes`, which is not
/// clean, or of the run of non-ASCII bytes it starts; returns the index
/// after (`i` itself past the end).
fn escape_at(out: &mut Vec<u8>, bytes: &[u8], i: usize) -> usize {
    let Some(&b) = bytes.get(i) else {
        return i;
    };
    if b < 0x80 {
        push_escaped_ascii(out, b);
        return i + 1;
    }
    // A run of non-ASCII bytes: copy what is valid UTF-8, replace the rest.
    let end = i + bytes[i..].iter().take_while(|&&c| c >= 0x80).count();
    for chunk in bytes[i..end].utf8_chunks() {
        push_non_ascii(out, chunk.valid());
        if !chunk.invalid().is_empty() {
            out.extend_from_slice("\u{FFFD}".as_bytes());
        }
    }
    end
}

/// The escape of an ASCII byte that cannot go into a literal as it is.
fn push_escaped_ascii(out: &mut Vec<u8>, b: u8) {
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
}

/// True when every byte of `w` can go into a literal as it is (printable
/// ASCII other than `"` and `\\`).
#[inline(always)]
fn clean_word(w: u64) -> bool {
    unplain_bits(w, b'"') == 0
}

/// Writes `bytes` when it is at most 16 bytes long (a field's name, most
/// values) and needs no escaping, and returns true; otherwise writes nothing.
/// Such text is checked and copied as two fixed-size pieces that overlap in
/// the middle, where they hold the same bytes, so no copy loop is called;
/// text shorter than 4 bytes as one piece padded with clean bytes, cut back.
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
        return push_tiny_clean(out, bytes);
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

/// `push_short_clean` for text of fewer than 4 bytes (`pid`, `a0`, `0`).
#[inline(always)]
fn push_tiny_clean(out: &mut Vec<u8>, bytes: &[u8]) -> bool {
    let mut word = [b'_'; 8];
    for (slot, &b) in word.iter_mut().zip(bytes.iter().take(3)) {
        *slot = b;
    }
    if bytes.len() > 3 || !clean_word(u64::from_le_bytes(word)) {
        return false;
    }
    let start = out.len();
    out.extend_from_slice(&[word[0], word[1], word[2]]);
    out.truncate(start + bytes.len());
    true
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

thread_local! {
    /// The last serial written: the records of an event, and the event, share it.
    static SERIAL: std::cell::RefCell<LastNumber> = const { std::cell::RefCell::new(LastNumber::new()) };
    /// The last line number written: records come line after line.
    static LINE: std::cell::RefCell<LastNumber> = const { std::cell::RefCell::new(LastNumber::new()) };
}

/// Appends a serial in decimal (`push_u64`), from the last one's text when it repeats.
pub fn push_serial(out: &mut Vec<u8>, n: u64) {
    SERIAL.with_borrow_mut(|last| last.push(out, n));
}

/// Appends a line number in decimal (`push_u64`), counting up from the last one.
pub fn push_line(out: &mut Vec<u8>, n: u64) {
    LINE.with_borrow_mut(|last| last.push(out, n));
}

/// Most decimal digits a `u64` has.
const MAX_DIGITS: usize = 20;

/// The decimal text of the last number written through it: a number
/// written again (the serial of each record of an event, and of the event)
/// is copied, and one more than the last (the line numbers of records in
/// turn) is counted up in place, with no division.
#[derive(Clone, Copy, Debug)]
struct LastNumber {
    n: u64,
    /// The digits of `n`, from the first byte; `len` of them.
    digits: [u8; MAX_DIGITS],
    len: usize,
}

impl LastNumber {
    /// Zero, as a start.
    const fn new() -> Self {
        LastNumber {
            n: 0,
            digits: [b'0'; MAX_DIGITS],
            len: 1,
        }
    }

    /// Appends `n` in decimal, as `push_u64` does.
    #[inline]
    fn push(&mut self, out: &mut Vec<u8>, n: u64) {
        if n != self.n {
            if !(self.n.checked_add(1) == Some(n) && self.count_up()) {
                self.lay_out(n);
            }
            self.n = n;
        }
        // One fixed-size copy, cut back to the digits.
        out.extend_from_slice(&self.digits);
        out.truncate(out.len() - (MAX_DIGITS - self.len));
    }

    /// Adds one to the digits; false when that would take another digit
    /// (all nines), which leaves them to be laid out afresh.
    fn count_up(&mut self) -> bool {
        for d in self.digits.iter_mut().take(self.len).rev() {
            if *d < b'9' {
                *d += 1;
                return true;
            }
            *d = b'0';
        }
        false
    }

    /// The digits of `n`, worked out afresh.
    fn lay_out(&mut self, n: u64) {
        let (digits, start) = crate::digits::layout(n);
        self.digits = [0; MAX_DIGITS];
        let len = MAX_DIGITS - start;
        if let (Some(to), Some(from)) = (self.digits.get_mut(..len), digits.get(start..)) {
            to.copy_from_slice(from);
        }
        self.len = len;
    }
}

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

    /// The literal a plain reading of the rules writes, character by
    /// character: the reference the block path is checked against.
    fn slow(b: &[u8]) -> String {
        let mut v = String::from("\"");
        for chunk in b.utf8_chunks() {
            for c in chunk.valid().chars() {
                match c {
                    '"' => v.push_str("\\\""),
                    '\\' => v.push_str("\\\\"),
                    '\n' => v.push_str("\\n"),
                    '\r' => v.push_str("\\r"),
                    '\t' => v.push_str("\\t"),
                    c if c.is_ascii_control() || crate::sanitize::is_dangerous(c) => {
                        v.push_str(&format!("\\u{:04x}", c as u32));
                    }
                    c => v.push(c),
                }
            }
            if !chunk.invalid().is_empty() {
                v.push('\u{FFFD}');
            }
        }
        v.push('"');
        v
    }

    #[test]
    fn blocks_escape_as_the_plain_rules_do() {
        // A small generator, so the cases are the same on every run.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet: Vec<u8> = [
            b'a', b'=', b' ', b'"', b'\\', 0, 0x1f, 0x7f, 0x80, 0xc3, 0xa9, 0xe2, 0x80, 0xae, 0xff,
        ]
        .to_vec();
        for _ in 0..20_000 {
            let len = (next() % 70) as usize;
            let case: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next();
                    // Mostly clean text, as in audit lines.
                    if r % 4 == 0 {
                        alphabet[(r >> 8) as usize % alphabet.len()]
                    } else {
                        b'a' + (r >> 8) as u8 % 26
                    }
                })
                .collect();
            assert_eq!(lit(&case), slow(&case), "{case:?}");
        }
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
            let expected = case.len() <= 16 && is_clean(&case);
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
    fn a_last_number_writes_what_push_u64_does() {
        let mut last = LastNumber::new();
        let runs = [
            0,
            0,
            1,
            2,
            9,
            10,
            11,
            99,
            100,
            7,
            1_109_101,
            1_109_101,
            1_109_102,
            999_999,
            1_000_000,
            u64::MAX - 1,
            u64::MAX,
            0,
            u64::MAX,
            3,
        ];
        for n in runs {
            let (mut kept, mut fresh) = (b"x".to_vec(), b"x".to_vec());
            last.push(&mut kept, n);
            push_u64(&mut fresh, n);
            assert_eq!(kept, fresh, "{n}");
        }
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
