//! Making untrusted text safe to show a person. Audit logs carry bytes an
//! attacker chose (comm, proctitle, paths, TTY input); written raw, an escape
//! sequence could rewrite the analyst's terminal, and bidi or zero-width
//! characters could make a command read as something it is not.

use std::fmt::Write as _;

/// True for characters that must not reach a terminal as they are.
pub fn is_dangerous(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}'   // zero-width, LRM/RLM
            | '\u{2028}'..='\u{202E}' // separators, bidi embeddings and overrides
            | '\u{2060}'..='\u{206F}' // word joiner, bidi isolates, invisible operators
            | '\u{FEFF}'              // zero-width no-break space
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
            | '\u{061C}'              // Arabic letter mark
            | '\u{180E}'              // Mongolian vowel separator
        )
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The bytes of `w` (little-endian) that are not plain, as their high bits:
/// controls, DEL, `\\`, `also` and every non-ASCII byte. The sums work on the
/// low seven bits of each byte, so nothing carries into the next byte and the
/// lowest set bit marks exactly the first byte that is not plain.
#[inline]
pub(crate) fn unplain_bits(w: u64, also: u8) -> u64 {
    let low = w & !HIGHS;
    // low + 0x60 sets the high bit exactly when the byte is 0x20 or more.
    let printable = low.wrapping_add(ONES * 0x60);
    // Equal to c: zero after the xor, and + 0x7f keeps it below 0x80.
    let not_backslash = (low ^ (ONES * u64::from(b'\\'))).wrapping_add(ONES * 0x7f);
    let not_also = (low ^ (ONES * u64::from(also))).wrapping_add(ONES * 0x7f);
    // low + 1 sets the high bit only for 0x7f.
    let del = low.wrapping_add(ONES);
    (w | del | !(printable & not_backslash & not_also)) & HIGHS
}

fn load(chunk: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(chunk);
    u64::from_le_bytes(word)
}

const fn is_plain(b: u8, also: u8) -> bool {
    b >= 0x20 && b < 0x7f && b != b'\\' && b != also
}

/// `is_plain` as a table, one load per byte, for the two sets in use.
const fn plain_table(also: u8) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = is_plain(b as u8, also);
        b += 1;
    }
    t
}

static PLAIN: [bool; 256] = plain_table(b'\\');
static PLAIN_NO_QUOTE: [bool; 256] = plain_table(b'"');

/// Length of the leading run of printable ASCII in `s` that holds neither a
/// backslash nor `also`: the bytes every escaper can copy as they are. Audit
/// values are mostly such runs, so they are checked eight or sixteen bytes
/// at a time.
#[inline]
pub fn plain_prefix(s: &[u8], also: u8) -> usize {
    let len = s.len();
    if len >= BLOCK {
        return plain_blocks(s, also);
    }
    if len < 8 {
        // Too short for a word: byte by byte.
        let table = match also {
            b'"' => &PLAIN_NO_QUOTE,
            b'\\' => &PLAIN,
            _ => return s.iter().position(|&b| !is_plain(b, also)).unwrap_or(len),
        };
        return s
            .iter()
            .position(|&b| !table[usize::from(b)])
            .unwrap_or(len);
    }
    // Two words, the second overlapping the first.
    let bits = unplain_bits(load(&s[..8]), also);
    if bits != 0 {
        return bits.trailing_zeros() as usize / 8;
    }
    let bits = unplain_bits(load(&s[len - 8..]), also);
    if bits == 0 {
        len
    } else {
        len - 8 + bits.trailing_zeros() as usize / 8
    }
}

/// `plain_prefix` of `s` a block at a time (`unplain_mask`), for `s` of at
/// least a block: the bytes after the last whole block are read as the end
/// of a block that overlaps the one before.
#[inline]
pub(crate) fn plain_blocks(s: &[u8], also: u8) -> usize {
    debug_assert!(s.len() >= BLOCK);
    let mut at = 0;
    while let Some(block) = s.get(at..at + BLOCK).and_then(|b| b.first_chunk::<BLOCK>()) {
        let mask = unplain_mask(block, also);
        if mask != 0 {
            return at + mask.trailing_zeros() as usize;
        }
        at += BLOCK;
    }
    let left = s.len() - at;
    match s.last_chunk::<BLOCK>() {
        // The bytes before the last `left` were found plain above.
        Some(last) if left > 0 => {
            let mask = unplain_mask(last, also) >> (BLOCK - left);
            at + (mask | 1 << left).trailing_zeros() as usize
        }
        _ => at,
    }
}

/// Bytes in a block, the unit `unplain_mask` classifies.
pub(crate) const BLOCK: usize = 16;

/// One bit for each byte of `block` that is not plain (`unplain_bits`), bit
/// `k` for byte `k`: the one classifier behind the clean runs of both the
/// terminal escapers here and JSON string literals (`render::jsonstr`, with
/// `also` the quote). With SSE2 (part of every x86-64), one compare a class.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
pub(crate) fn unplain_mask(block: &[u8; BLOCK], also: u8) -> u32 {
    // SAFETY: this is only compiled where SSE2 is enabled for the whole
    // build (the x86-64 baseline), so the CPU that runs it has SSE2.
    unsafe { unplain_mask_sse2(block, also) }
}

/// `unplain_mask` without SSE2: from the words' `unplain_bits`.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
pub(crate) fn unplain_mask(block: &[u8; BLOCK], also: u8) -> u32 {
    unplain_mask_portable(block, also)
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn unplain_mask_sse2(block: &[u8; BLOCK], also: u8) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    // SAFETY: `block` is sixteen readable bytes, and the load takes them at
    // any alignment.
    let v = unsafe { _mm_loadu_si128(block.as_ptr().cast::<__m128i>()) };
    // Signed bytes: below 0x20 are the controls and every byte from 0x80.
    let odd = _mm_or_si128(
        _mm_or_si128(
            _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
            _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)),
        ),
        _mm_or_si128(
            _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8)),
            _mm_cmpeq_epi8(v, _mm_set1_epi8(also as i8)),
        ),
    );
    // Sixteen bits, one a byte.
    _mm_movemask_epi8(odd) as u32
}

/// `unplain_mask` from two words; kept on every target so tests can compare.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
#[inline(always)]
fn unplain_mask_portable(block: &[u8; BLOCK], also: u8) -> u32 {
    let (low, high) = block.split_at(8);
    let low = high_bits(unplain_bits(load(low), also));
    let high = high_bits(unplain_bits(load(high), also));
    u32::from(low) | u32::from(high) << 8
}

/// The high bits of the eight bytes of `bits` (no other bit set), gathered
/// into one byte, byte `k`'s as bit `k`. The multiply moves byte `k`'s bit,
/// once shifted down to the byte's bottom, to bit 56 + `k`; every other
/// product lands above bit 63 or below bit 56, with no carry into the top byte.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
#[inline(always)]
fn high_bits(bits: u64) -> u8 {
    ((bits >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
}

/// Bytes that `plain_prefix` accepted whole (printable ASCII, no backslash):
/// text can take them as they are, with no escaping and no second UTF-8 check.
#[derive(Clone, Copy, Debug)]
pub struct Plain<'a>(&'a [u8]);

impl<'a> Plain<'a> {
    /// `bytes`, when every one of them is plain.
    pub fn check(bytes: &'a [u8]) -> Option<Plain<'a>> {
        (plain_prefix(bytes, b'\\') == bytes.len()).then_some(Plain(bytes))
    }

    /// `whole`, when this run is its start and the rest is plain too: only
    /// the rest is read. Any other `whole` is checked from its start.
    pub fn grown(self, whole: &'a [u8]) -> Option<Plain<'a>> {
        let n = self.0.len();
        if whole.as_ptr() != self.0.as_ptr() || whole.len() < n {
            return Plain::check(whole);
        }
        let rest = whole.get(n..)?;
        (plain_prefix(rest, b'\\') == rest.len()).then_some(Plain(whole))
    }

    /// A part of the run, which is plain too.
    pub fn get(self, range: std::ops::Range<usize>) -> Option<Plain<'a>> {
        self.0.get(range).map(Plain)
    }

    pub fn bytes(self) -> &'a [u8] {
        self.0
    }

    /// The run as text, without validating it as UTF-8 again.
    pub fn as_str(self) -> &'a str {
        debug_assert!(self.0.iter().all(|b| (0x20..0x7f).contains(b)));
        // SAFETY: `check` accepts only runs that `plain_prefix` takes whole,
        // and it takes printable ASCII only, which is valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(self.0) }
    }

    /// Appends the run to text.
    pub fn push_to(self, out: &mut String) {
        push_ascii(out, self.0);
    }
}

/// Appends a run that `plain_prefix` accepted, or other bytes known to be
/// printable ASCII (decimal digits). Values are mostly a few bytes long,
/// where validating them again as UTF-8 costs as much as copying them.
pub(crate) fn push_ascii(out: &mut String, ascii: &[u8]) {
    debug_assert!(ascii.iter().all(|b| (0x20..0x7f).contains(b)));
    // SAFETY: every caller passes bytes in 0x20..0x7f (`plain_prefix` only
    // accepts those; digits are in it), which are ASCII, so the string
    // stays valid UTF-8.
    unsafe { out.as_mut_vec() }.extend_from_slice(ascii);
}

/// Appends `bytes` to `out` with control, escape, bidi and zero-width characters
/// escaped (`\e`, `\n`, `\x07`, `\u{202e}`) and invalid UTF-8 shown as `\xNN`.
pub fn push_escaped(out: &mut String, mut bytes: &[u8]) {
    loop {
        let n = plain_prefix(bytes, b'\\');
        if n > 0 {
            push_ascii(out, &bytes[..n]);
            bytes = &bytes[n..];
        }
        let Some(&b) = bytes.first() else {
            return;
        };
        if b < 0x80 {
            push_char(out, char::from(b));
            bytes = &bytes[1..];
            continue;
        }
        // A run of non-ASCII bytes: no valid character spans its ends.
        let end = bytes.iter().position(|&c| c < 0x80).unwrap_or(bytes.len());
        for chunk in bytes[..end].utf8_chunks() {
            for c in chunk.valid().chars() {
                push_char(out, c);
            }
            for b in chunk.invalid() {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
        bytes = &bytes[end..];
    }
}

fn push_char(out: &mut String, c: char) {
    if !is_dangerous(c) {
        if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
        return;
    }
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{1b}' => out.push_str("\\e"),
        c if (c as u32) < 0x100 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:04x}}}", c as u32);
        }
    }
}

/// Appends `bytes` the way `ausearch -i` escapes them for a terminal: control
/// bytes as octal (`\033`), backslashes left alone. Unlike `ausearch`, it also
/// escapes DEL and invalid UTF-8 (octal) and C1, bidi and zero-width
/// characters (`\u{202e}`), which `ausearch` would pass through.
pub fn push_escaped_octal(out: &mut Vec<u8>, mut bytes: &[u8]) {
    loop {
        // Plain runs are ASCII: copied with no UTF-8 check.
        let n = plain_prefix(bytes, b'\\');
        out.extend_from_slice(&bytes[..n]);
        bytes = &bytes[n..];
        let Some(&b) = bytes.first() else {
            return;
        };
        if b < 0x80 {
            // A backslash stays; any other ASCII byte that stops a plain run
            // is a control or DEL.
            if b == b'\\' {
                out.push(b);
            } else {
                push_octal(out, b);
            }
            bytes = &bytes[1..];
            continue;
        }
        // A run of non-ASCII bytes: no valid character spans its ends.
        let end = bytes.iter().position(|&c| c < 0x80).unwrap_or(bytes.len());
        for chunk in bytes[..end].utf8_chunks() {
            for c in chunk.valid().chars() {
                if is_dangerous(c) {
                    let _ = std::io::Write::write_fmt(out, format_args!("\\u{{{:04x}}}", c as u32));
                } else {
                    out.extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes());
                }
            }
            for &b in chunk.invalid() {
                push_octal(out, b);
            }
        }
        bytes = &bytes[end..];
    }
}

/// `\ooo`: a byte as three octal digits.
fn push_octal(out: &mut Vec<u8>, b: u8) {
    out.extend_from_slice(&[b'\\', b'0' + (b >> 6), b'0' + (b >> 3 & 7), b'0' + (b & 7)]);
}

/// True when the bytes can be shown without any escaping.
pub fn is_clean(bytes: &[u8]) -> bool {
    if plain_prefix(bytes, b'\\') == bytes.len() {
        return true;
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => !s.chars().any(|c| is_dangerous(c) || c == '\\'),
        Err(_) => false,
    }
}

/// The escaped form as a new string.
pub fn escaped(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    push_escaped(&mut s, bytes);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_prefix_stops_at_the_first_byte_to_escape() {
        for len in 0..40 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut s = vec![b'a'; len];
                    s[at] = b;
                    for also in [b'\\', b'"'] {
                        let naive = s.iter().position(|&c| !is_plain(c, also)).unwrap_or(len);
                        assert_eq!(plain_prefix(&s, also), naive, "{len} {at} {b} {also}");
                    }
                }
            }
        }
    }

    /// The mask a byte-by-byte reading of `is_plain` gives.
    fn mask_bytewise(block: &[u8; BLOCK], also: u8) -> u32 {
        (0..BLOCK)
            .filter(|&k| !is_plain(block[k], also))
            .fold(0, |m, k| m | 1 << k)
    }

    #[test]
    fn block_masks_agree_with_the_bytewise_rule() {
        // Every byte value at every place, in clean blocks and in blocks
        // whose other bytes are a mix of every kind.
        let mixed: [u8; BLOCK] = *b"a\\\"\x00\x7f\x80~ \x1f\xffz=\xc3\xa9\t#";
        for base in [[b'x'; BLOCK], mixed] {
            for at in 0..BLOCK {
                for b in 0..=255u8 {
                    let mut block = base;
                    block[at] = b;
                    for also in [b'"', b'\\', b'=', 0x7f] {
                        let want = mask_bytewise(&block, also);
                        assert_eq!(unplain_mask(&block, also), want, "{block:?} {also}");
                        assert_eq!(
                            unplain_mask_portable(&block, also),
                            want,
                            "{block:?} {also}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn high_bits_gathers_every_pattern() {
        for pattern in 0..=255u8 {
            let bits = (0..8)
                .filter(|k| pattern >> k & 1 == 1)
                .fold(0u64, |w, k| w | 0x80 << (8 * k));
            assert_eq!(high_bits(bits), pattern);
        }
    }

    #[test]
    fn plain_blocks_stop_where_the_bytes_do() {
        for len in BLOCK..60 {
            assert_eq!(plain_blocks(&vec![b'a'; len], b'"'), len);
            for at in 0..len {
                let mut s = vec![b'a'; len];
                s[at] = b'"';
                assert_eq!(plain_blocks(&s, b'"'), at, "{len} {at}");
                assert_eq!(plain_blocks(&s, b'\\'), len, "{len} {at}");
                // A second odd byte after the first changes nothing.
                s[len - 1] = 0x80;
                assert_eq!(plain_blocks(&s, b'"'), at, "{len} {at}");
            }
        }
    }

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(escaped(b"a\x1b[31mred\x07"), "a\\e[31mred\\x07");
        assert_eq!(escaped(b"x\x00y\x7f"), "x\\x00y\\x7f");
        assert_eq!(escaped("\u{9b}".as_bytes()), "\\x9b");
        assert_eq!(escaped(b"\xff\xfe"), "\\xff\\xfe");
    }

    #[test]
    fn escapes_bidi_and_zero_width() {
        assert_eq!(escaped("ab\u{202e}cd".as_bytes()), "ab\\u{202e}cd");
        assert_eq!(escaped("a\u{200b}b".as_bytes()), "a\\u{200b}b");
        assert_eq!(
            escaped("\u{2066}x\u{2069}".as_bytes()),
            "\\u{2066}x\\u{2069}"
        );
    }

    #[test]
    fn octal_form_for_the_ausearch_layout() {
        let mut s = Vec::new();
        push_escaped_octal(&mut s, b"a\x1b[31m\x07\x7f\\ \xff");
        assert_eq!(s, b"a\\033[31m\\007\\177\\ \\377");
        s.clear();
        push_escaped_octal(&mut s, "x\u{202e}y\u{200b}\u{85}".as_bytes());
        assert_eq!(s, "x\\u{202e}y\\u{200b}\\u{0085}".as_bytes());
        s.clear();
        push_escaped_octal(&mut s, b"zo\xc3\xab\\\x00\xe2\x82 \xc3\xa9\xff\x80x");
        assert_eq!(s, "zoë\\\\000\\342\\202 é\\377\\200x".as_bytes());
    }

    #[test]
    fn keeps_ordinary_text() {
        assert_eq!(escaped("/home/zoë/файл".as_bytes()), "/home/zoë/файл");
        assert!(is_clean(b"/usr/bin/ls"));
        assert!(!is_clean(b"a\x1bb"));
        assert_eq!(escaped(b"a\\b"), "a\\\\b");
    }
}
