//! The `name=value` scanner: splits the body of a record into ordered fields.
//!
//! It knows every quoting the logs use: bare tokens and hex, `"double"`, the
//! user-space `msg='...'` nesting (flattened into inner fields), `{ brace sets }`,
//! AVC's `avc:  denied  { read } for` preamble, the ENRICHED 0x1D section, and the
//! backslashes, backticks and curly quotes that SIEM exports leave behind. It never
//! fails: whatever it cannot pair becomes a `_text` field, so nothing is lost.

use crate::parse::classes::Classes;
use crate::parse::prefix;
use crate::parse::syscall_head;
use crate::record::{Field, Name, Origin, Quote, Span};

/// How tolerant the scanner is of spaces around `=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// auditd's own strict form.
    Strict,
    /// Forms retyped or mangled by other tools: `key= value`, `key =value`.
    Lenient,
    /// `ausearch -i` output: bare words continue the previous value.
    Interpreted,
    /// Not decided yet: strict, unless the line holds curly quotes. Left by a
    /// header-only parse, which does not look at the whole line, and settled by
    /// `parse::complete` before any scan.
    StrictUnlessCurly,
}

/// Where a scan of a record's top level may pause, so that the rest of the
/// record, which repeats from record to record, can be recalled instead of
/// scanned (`parse::recall`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pause {
    /// Nowhere: the scan runs to its end.
    Never,
    /// Right after the value of a field `a3`: SYSCALL's tail.
    AfterA3,
    /// Right before a field named `scontext`: the contexts and class that end
    /// an AVC, which repeat far more often than its process and object.
    BeforeScontext,
}

/// How a scan that may pause ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Finished: the end of the range, or where another record starts.
    Done(usize),
    /// Paused where `Pause` says, at the offset of the next field (or the
    /// spaces before it).
    Paused(usize),
}

/// Field scanner over one line.
pub struct Scanner<'a> {
    s: &'a [u8],
    mode: Mode,
    /// Whether runs of plain fields go through `plain_fields`; off only in
    /// tests, which compare both ways.
    fast: bool,
}

/// Where `Scanner::plain_fields` left off.
enum Plain {
    /// At the end, or at a token (after the spaces) the careful scan must read.
    At(usize),
    /// Where the scan pauses, as `Step::Paused`.
    Paused(usize),
}

/// First bytes of the values `Scanner::marked_value` reads: quotes, braces,
/// backslashes, backticks and the first byte of a curly quote.
pub(super) static QUOTE_LIKE: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t[b'`' as usize] = true;
    t[b'{' as usize] = true;
    t[b'\\' as usize] = true;
    t[0xE2] = true;
    t
};

/// First bytes of the tokens `Scanner::scan` must look at before reading a
/// pair: the 0x1D separator and its escaped spellings, and the starts of
/// `type=`, `node=`, `host=` and `avc:`.
static RARE_START: [bool; 256] = {
    let mut t = [false; 256];
    t[b't' as usize] = true;
    t[b'n' as usize] = true;
    t[b'h' as usize] = true;
    t[b'a' as usize] = true;
    t[0x1D] = true;
    t[b'\\' as usize] = true;
    t
};

/// Literal spellings of the 0x1D separator that survived a text export.
const ESCAPED_GS: [&[u8]; 4] = [b"\\u001D", b"\\u001d", b"\\x1D", b"\\x1d"];

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Curly quotes U+201C and U+201D, as UTF-8.
fn curly_quote_len(s: &[u8]) -> usize {
    if s.len() >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x9C || s[2] == 0x9D) {
        3
    } else {
        0
    }
}

/// Length of one quote-like mark at the start of `s` (`\`, `"`, backtick, curly quote).
fn mangle_mark_len(s: &[u8]) -> usize {
    match s.first() {
        Some(b'\\' | b'"' | b'`' | b'\'') => 1,
        Some(_) => curly_quote_len(s),
        None => 0,
    }
}

/// Length of a quote-like mark at the end of `s`.
fn mangle_mark_len_back(s: &[u8]) -> usize {
    match s.last() {
        Some(b'\\' | b'"' | b'`' | b'\'') => 1,
        Some(_) if s.len() >= 3 => curly_quote_len(&s[s.len() - 3..]),
        _ => 0,
    }
}

fn escaped_gs_at(s: &[u8]) -> Option<usize> {
    ESCAPED_GS
        .iter()
        .find(|g| s.starts_with(g))
        .map(|g| g.len())
}

// Tokens are found eight bytes at a time. The tests below set the high bit of
// each byte that may end a token; only the lowest flag is exact (a borrow can
// flag bytes above it), which is all the callers read. A flagged byte that is
// not a real end (a control character inside a token, say) is stepped over.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Flags the bytes of `w` below `!` (0x21): space, tab, 0x1D and the other controls.
fn flag_controls(w: u64) -> u64 {
    w.wrapping_sub(ONES * 0x21) & !w & HIGHS
}

/// Flags the bytes of `w` equal to `c`.
fn flag_byte(w: u64, c: u8) -> u64 {
    let x = w ^ (ONES * u64::from(c));
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// Offset within the word of the lowest flagged byte; `m` must not be zero.
fn first_flag(m: u64) -> usize {
    (m.trailing_zeros() / 8) as usize
}

/// The eight bytes of `t` at `i < t.len()` as a little-endian word; past the
/// end of `t` they read as zero, a control byte, so a search always stops there.
fn word_at(t: &[u8], i: usize) -> u64 {
    let rest = &t[i..];
    match rest.first_chunk::<8>() {
        Some(w) => u64::from_le_bytes(*w),
        None => {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(w)
        }
    }
}

impl<'a> Scanner<'a> {
    pub fn new(s: &'a [u8], mode: Mode) -> Scanner<'a> {
        Scanner {
            s,
            mode,
            fast: true,
        }
    }

    /// A scanner that reads every token the careful way, for tests to
    /// compare with.
    #[cfg(test)]
    pub fn careful(s: &'a [u8], mode: Mode) -> Scanner<'a> {
        Scanner {
            s,
            mode,
            fast: false,
        }
    }

    fn skip_spaces(&self, mut i: usize, end: usize) -> usize {
        while i < end && is_space(self.s[i]) {
            i += 1;
        }
        i
    }

    /// The first byte at or after `i` and before `end` that is a control
    /// (space, tab and 0x1D included) or `extra`, found eight bytes at a time.
    /// Some flagged bytes are not stops; callers step past those.
    #[inline(always)]
    fn next_flagged(&self, mut i: usize, end: usize, extra: u8) -> Option<usize> {
        let t = &self.s[..end];
        while i < t.len() {
            let w = word_at(t, i);
            let m = flag_controls(w) | flag_byte(w, extra);
            if m != 0 {
                let j = i + first_flag(m);
                return (j < end).then_some(j);
            }
            i += 8;
        }
        None
    }

    /// End of a key starting at `i`: the first space, tab, `=` or 0x1D, else `end`.
    #[inline(always)]
    fn key_end(&self, mut i: usize, end: usize) -> usize {
        while let Some(j) = self.next_flagged(i, end, b'=') {
            match self.s[j] {
                b' ' | b'\t' | b'=' | 0x1d => return j,
                _ => i = j + 1,
            }
        }
        end
    }

    /// End of a bare value starting at `i`: where `token_end` would stop, or
    /// earlier at the token's first backslash if that one spells an escaped 0x1D
    /// (later backslashes are not looked at).
    #[inline(always)]
    fn bare_end(&self, mut i: usize, end: usize) -> usize {
        while let Some(j) = self.next_flagged(i, end, b'\\') {
            match self.s[j] {
                b' ' | b'\t' | 0x1d => return j,
                b'\\' if escaped_gs_at(&self.s[j..]).is_some() => return j,
                b'\\' => return self.token_end(j + 1, end),
                _ => i = j + 1,
            }
        }
        end
    }

    /// End of a bare token starting at `i`.
    fn token_end(&self, mut i: usize, end: usize) -> usize {
        while i < end && !is_space(self.s[i]) && self.s[i] != 0x1d {
            i += 1;
        }
        i
    }

    /// Scans `[start, end)`; appends fields to `out`. For outer text, stops where
    /// another record begins on the same line and returns that offset.
    pub fn scan(&self, start: usize, end: usize, origin: Origin, out: &mut Vec<Field>) -> usize {
        match self.run(start, start, end, origin, out, Pause::Never) {
            Step::Done(stop) | Step::Paused(stop) => stop,
        }
    }

    /// Scans the top level of a body from `start` to the end of the line, but
    /// pauses where `pause` says, in a field of the record itself (not inside
    /// `msg='...'`, nor in an enrichment section), where a repeated tail
    /// begins. Continue a paused scan with `resume`.
    pub fn scan_until(&self, start: usize, pause: Pause, out: &mut Vec<Field>) -> Step {
        if let Some(at) = self.usual_syscall_head(start, pause, out) {
            return Step::Paused(at);
        }
        self.scan_until_the_long_way(start, pause, out)
    }

    /// `scan_until` for the usual SYSCALL head only, which has a short way
    /// that reads it exactly as `run` would (its eight fields, from `arch`
    /// to `a3`) or leaves it alone and says None; lenient spacing is not for
    /// it.
    pub fn usual_syscall_head(
        &self,
        start: usize,
        pause: Pause,
        out: &mut Vec<Field>,
    ) -> Option<usize> {
        if pause == Pause::AfterA3 && self.fast && self.mode != Mode::Lenient {
            syscall_head::read(self.s, start, out)
        } else {
            None
        }
    }

    /// `scan_until` without trying `usual_syscall_head` first.
    pub fn scan_until_the_long_way(
        &self,
        start: usize,
        pause: Pause,
        out: &mut Vec<Field>,
    ) -> Step {
        self.run(start, start, self.s.len(), Origin::Outer, out, pause)
    }

    /// Continues a top-level scan of a body that began at `start`, from `from`
    /// to the end of the line: what `scan(start, ..)` would do once it reached
    /// `from` between two fields, outside any text run and enrichment section.
    pub fn resume(&self, start: usize, from: usize, out: &mut Vec<Field>) -> usize {
        match self.run(start, from, self.s.len(), Origin::Outer, out, Pause::Never) {
            Step::Done(stop) | Step::Paused(stop) => stop,
        }
    }

    /// The scan itself, from `from` within `[start, end)`; it returns where
    /// `pause` says, in a field of the top level.
    fn run(
        &self,
        start: usize,
        from: usize,
        end: usize,
        origin: Origin,
        out: &mut Vec<Field>,
        pause: Pause,
    ) -> Step {
        let mut i = from;
        let mut origin = origin;
        let mut text_run: Option<Span> = None;
        let line = &self.s[..end];
        let mut classes = Classes::new(self.s, end);
        while i < end {
            if self.fast && text_run.is_none() {
                match self.plain_fields(&mut classes, start, i, end, origin, pause, out) {
                    Plain::At(j) => i = j,
                    Plain::Paused(j) => return Step::Paused(j),
                }
            }
            while line.get(i).is_some_and(|&b| is_space(b)) {
                i += 1;
            }
            let Some(&first) = line.get(i) else {
                break;
            };
            // Most tokens start with none of these bytes and go straight to `pair_at`.
            if RARE_START[usize::from(first)] {
                match first {
                    0x1d => {
                        flush_text(&mut text_run, out, origin);
                        origin = Origin::Enriched;
                        i += 1;
                        continue;
                    }
                    b'\\' => {
                        if let Some(len) = escaped_gs_at(&self.s[i..end]) {
                            flush_text(&mut text_run, out, origin);
                            origin = Origin::Enriched;
                            i += len;
                            continue;
                        }
                    }
                    b't' | b'n' | b'h'
                        if origin == Origin::Outer && i > start && self.record_starts_at(i) =>
                    {
                        flush_text(&mut text_run, out, origin);
                        return Step::Done(i);
                    }
                    b'a' if self.s[i..end].starts_with(b"avc:") => {
                        flush_text(&mut text_run, out, origin);
                        i = self.scan_avc(i, end, origin, out);
                        continue;
                    }
                    _ => {}
                }
            }
            match self.pair_at(i, end) {
                Some((key, value_start)) => {
                    flush_text(&mut text_run, out, origin);
                    let name = &self.s[key.0..key.1];
                    if pause == Pause::BeforeScontext
                        && origin == Origin::Outer
                        && name == b"scontext"
                    {
                        return Step::Paused(i);
                    }
                    let field_origin = if origin == Origin::Enriched
                        || (!first.is_ascii_lowercase()
                            && is_enrichment_name(&self.s[key.0..key.1]))
                    {
                        Origin::Enriched
                    } else {
                        origin
                    };
                    i = self.value(key, value_start, end, field_origin, out);
                    if pause == Pause::AfterA3 && origin == Origin::Outer && name == b"a3" {
                        return Step::Paused(i);
                    }
                }
                None => {
                    let word_end = self.token_end(i, end).max(i + 1);
                    if self.mode == Mode::Interpreted
                        && text_run.is_none()
                        && let Some(last) = out.last_mut()
                    {
                        last.value.end = word_end as u32;
                        last.quote = Quote::None;
                    } else {
                        match &mut text_run {
                            Some(run) => run.end = word_end as u32,
                            None => text_run = Some(Span::new(i, word_end)),
                        }
                    }
                    i = word_end;
                }
            }
        }
        flush_text(&mut text_run, out, origin);
        Step::Done(end)
    }

    /// The fast way through the usual fields, `name=value` and
    /// `name="value"`, from `i` between two fields outside any text run:
    /// reads them as `run` would, with the searches done by `classes`, and
    /// stops before any token that may need more care (a bare word, another
    /// quoting, a control byte, a backslash, a record starting, `avc:`,
    /// lenient spacing), which it leaves unread for `run`.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn plain_fields(
        &self,
        classes: &mut Classes,
        start: usize,
        mut i: usize,
        end: usize,
        origin: Origin,
        pause: Pause,
        out: &mut Vec<Field>,
    ) -> Plain {
        let s = &self.s[..end];
        let after_a3 = pause == Pause::AfterA3 && origin == Origin::Outer;
        let before_scontext = pause == Pause::BeforeScontext && origin == Origin::Outer;
        let lenient = self.mode == Mode::Lenient;
        loop {
            let Some(&first) = s.get(i) else {
                return Plain::At(i);
            };
            if is_space(first) {
                i += 1;
                continue;
            }
            // A name ends at its `=`; any other stop first (a space, a
            // control, a quote, a backslash) makes the token no plain pair.
            // A token that starts with a stop (0x1D, a backslash) is none.
            let k = classes.next_stop(i);
            if k == i || s.get(k) != Some(&b'=') {
                return Plain::At(i);
            }
            let key = &s[i..k];
            if self.needs_care(start, i, key, origin) {
                return Plain::At(i);
            }
            if before_scontext && key == b"scontext" {
                return Plain::Paused(i);
            }
            let Some((value, quote, next, spaced)) = plain_value(s, classes, k + 1, lenient) else {
                return Plain::At(i);
            };
            let field_origin = if origin == Origin::Enriched
                || (!first.is_ascii_lowercase() && is_enrichment_name(key))
            {
                Origin::Enriched
            } else {
                origin
            };
            out.push(Field {
                name: Name::Text(Span::new(i, k)),
                value,
                quote,
                origin: field_origin,
            });
            if after_a3 && key == b"a3" {
                return Plain::Paused(next);
            }
            // The usual single space before the next field.
            i = next + usize::from(spaced);
        }
    }

    /// True when the pair at `i`, whose name `key` ends at an `=`, must be
    /// read by `run` itself: it opens with `avc:` (AVC's preamble), or it is
    /// a `type=`, `node=` or `host=` that starts another record.
    #[inline(always)]
    fn needs_care(&self, start: usize, i: usize, key: &[u8], origin: Origin) -> bool {
        const fn word(w: &[u8; 4]) -> u32 {
            u32::from_le_bytes(*w)
        }
        // A shorter name has its `=` among its first four bytes: it spells
        // none of these.
        let Some(w) = key.first_chunk::<4>() else {
            return false;
        };
        let w = word(w);
        if w == word(b"avc:") {
            return true;
        }
        // `type`, `node` and `host` start a record only right before their `=`.
        key.len() == 4
            && (w == word(b"type") || w == word(b"node") || w == word(b"host"))
            && origin == Origin::Outer
            && i > start
            && self.record_starts_at(i)
    }

    fn record_starts_at(&self, i: usize) -> bool {
        // Both tests need their literal first; checking it here spares the calls
        // for the many keys that merely start with `t`, `n` or `h`.
        let rest = &self.s[i..];
        (rest.starts_with(b"type") && prefix::starts_record(self.s, i))
            || ((rest.starts_with(b"node=") || rest.starts_with(b"host="))
                && prefix::node_prefix_len(rest).is_some())
    }

    /// If a `key=` starts at `i`, returns the key's range and where its value starts.
    fn pair_at(&self, i: usize, end: usize) -> Option<((usize, usize), usize)> {
        let s = self.s;
        let k = self.key_end(i, end);
        if k == i {
            return None;
        }
        let key = (i, k);
        if k < end && s[k] == b'=' {
            return Some((key, k + 1));
        }
        if self.mode == Mode::Lenient && is_word(&s[i..k]) {
            // `key =value` or `key = value`
            let eq = self.skip_spaces(k, end);
            if eq < end && s[eq] == b'=' {
                return Some((key, eq + 1));
            }
        }
        None
    }

    /// Reads the value of `key` starting at `v`; returns the offset after it.
    #[inline(always)]
    fn value(
        &self,
        key: (usize, usize),
        mut v: usize,
        end: usize,
        origin: Origin,
        out: &mut Vec<Field>,
    ) -> usize {
        let s = self.s;
        if self.mode == Mode::Lenient && v < end && is_space(s[v]) {
            // `key= value`: take the next token unless it is itself a pair.
            let next = self.skip_spaces(v, end);
            let tok_end = self.token_end(next, end);
            if next < end && !s[next..tok_end].contains(&b'=') {
                v = next;
            }
        }
        let name = Name::Text(Span::new(key.0, key.1));
        if v < end && QUOTE_LIKE[usize::from(s[v])] {
            return self.marked_value(name, v, end, origin, out);
        }
        let tok_end = self.bare_end(v, end);
        push_field(out, name, v, tok_end, Quote::None, origin);
        tok_end
    }

    /// A value at `v < end` that opens with a quote, a brace or a mangled mark.
    #[inline(never)]
    fn marked_value(
        &self,
        name: Name,
        v: usize,
        end: usize,
        origin: Origin,
        out: &mut Vec<Field>,
    ) -> usize {
        let s = self.s;
        let is_msg =
            matches!(name, Name::Text(k) if &s[k.start as usize..k.end as usize] == b"msg");
        match s[v] {
            b'"' => match memchr::memchr(b'"', &s[v + 1..end]) {
                Some(p) => {
                    let c = v + 1 + p;
                    push_field(out, name, v + 1, c, Quote::Double, origin);
                    c + 1
                }
                None => {
                    push_field(out, name, v + 1, end, Quote::Mangled, origin);
                    end
                }
            },
            q @ (b'\'' | b'`') if is_msg => {
                let inner_end = closing_quote(&s[v + 1..end], q).map_or(end, |p| v + 1 + p);
                let before = out.len();
                let inner = Scanner {
                    s,
                    mode: self.mode,
                    fast: self.fast,
                };
                inner.scan(v + 1, inner_end, Origin::Inner, out);
                if out.len() == before {
                    push_field(out, name, v + 1, inner_end, Quote::Single, origin);
                } else if origin == Origin::Enriched {
                    for f in &mut out[before..] {
                        f.origin = Origin::Enriched;
                    }
                }
                (inner_end + 1).min(end)
            }
            b'\'' => {
                let close = memchr::memchr(b'\'', &s[v + 1..end]).map_or(end, |p| v + 1 + p);
                push_field(out, name, v + 1, close, Quote::Single, origin);
                (close + 1).min(end)
            }
            b'{' => {
                let close = memchr::memchr(b'}', &s[v..end]).map_or(end, |p| v + p + 1);
                push_field(out, name, v, close, Quote::Brace, origin);
                close
            }
            _ if mangle_mark_len(&s[v..end]) > 0 => {
                let tok_end = self.token_end(v, end);
                let (mut a, mut b) = (v, tok_end);
                while a < b && mangle_mark_len(&s[a..b]) > 0 {
                    a += mangle_mark_len(&s[a..b]);
                }
                while a < b && mangle_mark_len_back(&s[a..b]) > 0 {
                    b -= mangle_mark_len_back(&s[a..b]);
                }
                push_field(out, name, a, b, Quote::Mangled, origin);
                tok_end
            }
            _ => {
                // A lone 0xE2 that starts no curly quote: a bare value after all.
                let tok_end = self.bare_end(v, end);
                push_field(out, name, v, tok_end, Quote::None, origin);
                tok_end
            }
        }
    }

    /// `avc:  denied  { read write } for  pid=...`: the result and the permission set.
    fn scan_avc(&self, i: usize, end: usize, origin: Origin, out: &mut Vec<Field>) -> usize {
        let s = self.s;
        let mut j = self.skip_spaces(i + 4, end);
        let word_end = self.token_end(j, end);
        if word_end > j && s[j] != b'{' {
            out.push(Field {
                name: Name::Fixed("seresult"),
                value: Span::new(j, word_end),
                quote: Quote::None,
                origin,
            });
            j = self.skip_spaces(word_end, end);
        }
        if j < end && s[j] == b'{' {
            let close = memchr::memchr(b'}', &s[j..end]).map_or(end, |p| j + p);
            let a = self.skip_spaces(j + 1, close);
            let mut b = close;
            while b > a && is_space(s[b - 1]) {
                b -= 1;
            }
            out.push(Field {
                name: Name::Fixed("seperms"),
                value: Span::new(a, b),
                quote: Quote::Brace,
                origin,
            });
            j = self.skip_spaces((close + 1).min(end), end);
        }
        if s[j..end].starts_with(b"for ") {
            j += 4;
        }
        j
    }
}

/// The value at `v` of a plain field in `s`, as `Scanner::value` reads it:
/// its span, its quoting, the offset after it, and whether a space is there;
/// None when it needs more care.
#[inline(always)]
fn plain_value(
    s: &[u8],
    classes: &mut Classes,
    v: usize,
    lenient: bool,
) -> Option<(Span, Quote, usize, bool)> {
    let Some(&b) = s.get(v) else {
        return Some((Span::new(v, v), Quote::None, v, false));
    };
    if b == b'"' {
        let mut close = classes.next_stop(v + 1);
        while let Some(&c) = s.get(close) {
            if c == b'"' {
                let next = close + 1;
                let spaced = s.get(next) == Some(&b' ');
                return Some((Span::new(v + 1, close), Quote::Double, next, spaced));
            }
            close = classes.next_stop(close + 1);
        }
        return Some((Span::new(v + 1, close), Quote::Mangled, close, false));
    }
    if QUOTE_LIKE[usize::from(b)] || (lenient && is_space(b)) {
        return None;
    }
    // A bare value ends at a space, a tab or 0x1D; `=` and `"` do not end
    // it, and other controls and backslashes need more care.
    let mut e = classes.next_stop(v);
    while let Some(&c) = s.get(e) {
        if c == b' ' {
            return Some((Span::new(v, e), Quote::None, e, true));
        }
        match BARE_STOP[usize::from(c)] {
            Bare::Ends => break,
            Bare::Goes => e = classes.next_stop(e + 1),
            Bare::Care => return None,
        }
    }
    Some((Span::new(v, e), Quote::None, e, false))
}

/// What a byte `Classes::next_stop` found inside a bare value does to it.
#[derive(Clone, Copy)]
enum Bare {
    Ends,
    Goes,
    Care,
}

/// `Bare` for every byte: tab and 0x1D end a bare value (as a space does),
/// `=` and `"` belong to it, backslashes and other controls need more care.
static BARE_STOP: [Bare; 256] = {
    let mut t = [Bare::Care; 256];
    t[b' ' as usize] = Bare::Ends;
    t[b'\t' as usize] = Bare::Ends;
    t[0x1d] = Bare::Ends;
    t[b'=' as usize] = Bare::Goes;
    t[b'"' as usize] = Bare::Goes;
    t
};

/// A key that is a plain identifier (letters, digits, `_`, `-`).
fn is_word(s: &[u8]) -> bool {
    s.iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// ENRICHED field names are all uppercase (`UID`, `AUID`, `SYSCALL`, `SADDR`).
fn is_enrichment_name(s: &[u8]) -> bool {
    s.len() > 1
        && s.iter().any(u8::is_ascii_uppercase)
        && s.iter()
            .all(|&b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// The closing quote of a `msg='...'` value: the first `q` followed by the end of
/// the text, white space, or the 0x1D separator.
fn closing_quote(s: &[u8], q: u8) -> Option<usize> {
    memchr::memchr_iter(q, s).find(|&p| match s.get(p + 1) {
        None => true,
        Some(&b) => {
            is_space(b) || b == 0x1d || ESCAPED_GS.iter().any(|g| s[p + 1..].starts_with(g))
        }
    })
}

fn push_field(out: &mut Vec<Field>, name: Name, a: usize, b: usize, quote: Quote, origin: Origin) {
    out.push(Field {
        name,
        value: Span::new(a, b.max(a)),
        quote,
        origin,
    });
}

fn flush_text(run: &mut Option<Span>, out: &mut Vec<Field>, origin: Origin) {
    if let Some(span) = run.take() {
        out.push(Field {
            name: Name::Fixed("_text"),
            value: span,
            quote: Quote::None,
            origin,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(s: &str, mode: Mode) -> Vec<(String, String, Origin)> {
        let mut out = Vec::new();
        Scanner::new(s.as_bytes(), mode).scan(0, s.len(), Origin::Outer, &mut out);
        out.iter()
            .map(|f| {
                let name = match f.name {
                    Name::Text(sp) => s[sp.start as usize..sp.end as usize].to_string(),
                    Name::Fixed(n) => n.to_string(),
                };
                (
                    name,
                    s[f.value.start as usize..f.value.end as usize].to_string(),
                    f.origin,
                )
            })
            .collect()
    }

    fn pairs(s: &str, mode: Mode) -> Vec<(String, String)> {
        scan(s, mode).into_iter().map(|(k, v, _)| (k, v)).collect()
    }

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn plain_and_quoted() {
        assert_eq!(
            pairs(r#"pid=1 comm="cat" key=(null) empty= x=?"#, Mode::Strict),
            vec![
                p("pid", "1"),
                p("comm", "cat"),
                p("key", "(null)"),
                p("empty", ""),
                p("x", "?")
            ]
        );
    }

    #[test]
    fn user_space_msg_is_flattened() {
        let got = scan(
            "pid=2 msg='op=PAM:authentication acct=\"root\" res=failed'",
            Mode::Strict,
        );
        assert_eq!(
            got[1],
            ("op".into(), "PAM:authentication".into(), Origin::Inner)
        );
        assert_eq!(got[2], ("acct".into(), "root".into(), Origin::Inner));
        assert_eq!(got[3], ("res".into(), "failed".into(), Origin::Inner));
    }

    #[test]
    fn enrichment_after_gs() {
        let got = scan("key=(null)\x1dARCH=x86_64 AUID=\"alice\"", Mode::Strict);
        assert_eq!(got[0].2, Origin::Outer);
        assert_eq!(got[1], ("ARCH".into(), "x86_64".into(), Origin::Enriched));
        assert_eq!(got[2], ("AUID".into(), "alice".into(), Origin::Enriched));
        let got = scan("key=\"k\"\\u001DARCH=x86_64", Mode::Strict);
        assert_eq!(got[1], ("ARCH".into(), "x86_64".into(), Origin::Enriched));
    }

    #[test]
    fn avc_preamble() {
        assert_eq!(
            pairs(
                "avc:  denied  { read write } for  pid=3 tclass=file permissive=0",
                Mode::Strict
            ),
            vec![
                p("seresult", "denied"),
                p("seperms", "read write"),
                p("pid", "3"),
                p("tclass", "file"),
                p("permissive", "0")
            ]
        );
    }

    #[test]
    fn siem_mangled_quotes() {
        let s = "msg=`op=locked-password exe=\\\u{201d}/usr/bin/passwd\\\u{201d} res=success UID=\\\u{201d}root\\\u{201d} AUID=\u{201d}anu\u{201d}";
        let got = scan(s, Mode::Lenient);
        assert_eq!(
            got[0],
            ("op".into(), "locked-password".into(), Origin::Inner)
        );
        assert_eq!(
            got[1],
            ("exe".into(), "/usr/bin/passwd".into(), Origin::Inner)
        );
        assert_eq!(got[3], ("UID".into(), "root".into(), Origin::Enriched));
        assert_eq!(got[4], ("AUID".into(), "anu".into(), Origin::Enriched));
    }

    #[test]
    fn lenient_spaces_around_equals() {
        assert_eq!(
            pairs("username= anu ipaddress =127.0.0.1", Mode::Lenient),
            vec![p("username", "anu"), p("ipaddress", "127.0.0.1")]
        );
    }

    #[test]
    fn free_text_is_kept() {
        assert_eq!(
            pairs(
                "REJECTING r access to /bin/x (bash(23415) profile /bin/x)",
                Mode::Strict
            ),
            vec![p(
                "_text",
                "REJECTING r access to /bin/x (bash(23415) profile /bin/x)"
            )]
        );
    }

    #[test]
    fn interpreted_values_with_spaces() {
        assert_eq!(
            pairs(
                "exit=EACCES(Permission denied) a0=AT_FDCWD",
                Mode::Interpreted
            ),
            vec![p("exit", "EACCES(Permission denied)"), p("a0", "AT_FDCWD")]
        );
    }

    #[test]
    fn stops_at_next_record() {
        let s = "cwd=\"/\" type=PATH msg=audit(1.2:3): item=0";
        let mut out = Vec::new();
        let stop =
            Scanner::new(s.as_bytes(), Mode::Strict).scan(0, s.len(), Origin::Outer, &mut out);
        assert_eq!(&s[stop..stop + 9], "type=PATH");
        assert_eq!(out.len(), 1);
    }

    /// The byte-at-a-time rules the word scans must agree with.
    fn key_end_bytewise(s: &[u8], mut i: usize, end: usize) -> usize {
        while i < end && !is_space(s[i]) && s[i] != b'=' && s[i] != 0x1d {
            i += 1;
        }
        i
    }

    fn bare_end_bytewise(s: &[u8], v: usize, end: usize) -> usize {
        let mut e = v;
        while e < end && !is_space(s[e]) && s[e] != 0x1d {
            e += 1;
        }
        match s[v..e].iter().position(|&b| b == b'\\') {
            Some(p) if escaped_gs_at(&s[v + p..]).is_some() => v + p,
            _ => e,
        }
    }

    #[test]
    fn word_scans_match_bytewise_rules() {
        // Every start and end over lines that put stops, controls that are not
        // stops, backslashes and high bytes at every offset within a word.
        let pieces: [&[u8]; 12] = [
            b"a",
            b"=",
            b" ",
            b"\t",
            b"\x1d",
            b"\x01",
            b"\0",
            b"\\",
            b"\\u001D",
            b"\\x1d",
            b"\xe2\x80\x9d",
            b"0123456789abcdef",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..400 {
            let mut line = Vec::new();
            for _ in 0..12 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                line.extend_from_slice(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let sc = Scanner::new(&line, Mode::Strict);
            for end in [line.len(), line.len() / 2, line.len().saturating_sub(3)] {
                for i in 0..=end {
                    let shown = String::from_utf8_lossy(&line);
                    assert_eq!(
                        sc.key_end(i, end),
                        key_end_bytewise(&line, i, end),
                        "key_end({i}, {end}) in {shown:?}"
                    );
                    assert_eq!(
                        sc.bare_end(i, end),
                        bare_end_bytewise(&line, i, end),
                        "bare_end({i}, {end}) in {shown:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn long_keys_and_values_across_words() {
        let hex = "2F7573722F7362696E2F61706163686532002D6B007374617274";
        let line = format!("proctitle={hex} a_rather_long_key_name=ffffffffffffff9c x=1");
        assert_eq!(
            pairs(&line, Mode::Strict),
            vec![
                p("proctitle", hex),
                p("a_rather_long_key_name", "ffffffffffffff9c"),
                p("x", "1")
            ]
        );
    }

    #[test]
    fn controls_inside_tokens_do_not_end_them() {
        assert_eq!(
            pairs("k\u{1}ey=va\u{0}lue\r b=2", Mode::Strict),
            vec![p("k\u{1}ey", "va\u{0}lue\r"), p("b", "2")]
        );
    }

    #[test]
    fn only_the_first_backslash_may_end_a_bare_value() {
        // The first backslash spells an escaped 0x1D: the value ends there.
        let got = scan("k=ab\\u001DARCH=x86_64", Mode::Strict);
        assert_eq!(got[0], ("k".into(), "ab".into(), Origin::Outer));
        assert_eq!(got[1], ("ARCH".into(), "x86_64".into(), Origin::Enriched));
        // An earlier backslash that spells nothing keeps the whole token.
        assert_eq!(
            pairs("k=a\\b\\u001Dc d=1", Mode::Strict),
            vec![p("k", "a\\b\\u001Dc"), p("d", "1")]
        );
    }

    #[test]
    fn uppercase_keys_are_enriched_lowercase_are_not() {
        let got = scan("UID=root uid=0 A=1 U_2=x Uid=3", Mode::Strict);
        let origins: Vec<Origin> = got.iter().map(|f| f.2).collect();
        assert_eq!(
            origins,
            vec![
                Origin::Enriched,
                Origin::Outer,
                Origin::Outer,
                Origin::Enriched,
                Origin::Outer
            ]
        );
    }

    #[test]
    fn quote_like_first_bytes() {
        assert_eq!(
            pairs(
                "a={ x y } b='s q' c=\\\"v\\\" d=`w` e=\u{201c}z\u{201d} f=\u{e9}t\u{e9}",
                Mode::Strict
            ),
            vec![
                p("a", "{ x y }"),
                p("b", "s q"),
                p("c", "v"),
                p("d", "w"),
                p("e", "z"),
                p("f", "\u{e9}t\u{e9}")
            ]
        );
        // 0xE2 that opens no curly quote is a bare value.
        assert_eq!(
            pairs("g=\u{2022}x h=1", Mode::Strict),
            vec![p("g", "\u{2022}x"), p("h", "1")]
        );
    }

    #[test]
    fn keys_starting_like_a_record_do_not_stop_the_scan() {
        let s = "tty=pts0 name=\"/x\" hostname=? typeX=1 node=a type=PATH msg=audit(1.2:3): item=0";
        let mut out = Vec::new();
        let stop =
            Scanner::new(s.as_bytes(), Mode::Strict).scan(0, s.len(), Origin::Outer, &mut out);
        assert_eq!(&s[stop..stop + 7], "node=a ");
        assert_eq!(out.len(), 4);
    }

    /// The rule `needs_care` stands for, as it was first written: look at
    /// every token that starts with `t`, `n`, `h` or `a`, before its name
    /// is known.
    fn needs_care_by_first_bytes(sc: &Scanner, start: usize, i: usize, origin: Origin) -> bool {
        let rest = &sc.s[i..];
        if rest.starts_with(b"avc:") {
            return true;
        }
        matches!(rest.first(), Some(b't' | b'n' | b'h'))
            && origin == Origin::Outer
            && i > start
            && sc.record_starts_at(i)
    }

    /// For every pair in lines full of look-alikes, `needs_care`, which reads
    /// the name up to its `=`, says what the first-byte rule says.
    #[test]
    fn needs_care_matches_the_first_byte_rule() {
        let lines = [
            "x=1 type=PATH msg=audit(1.2:3): item=0",
            "x=1 typed=2 types=PATH msg=audit(1.2:3): typ=1 type=",
            "x=1 node=n type=CWD msg=audit(1.2:3): nod=1 node=n host=h",
            "x=1 host=h type=CWD msg=audit(1.2:3): hostname=h hosts=2",
            "a=1 avc:x=1 avc:=2 av=3 avcx=4 a:vc=5 tclass=file",
            "node=a host=b type=c n=1 t=2 h=3 a=4",
        ];
        let mut checked = 0;
        for line in lines {
            let sc = Scanner::new(line.as_bytes(), Mode::Strict);
            let s = line.as_bytes();
            for i in 0..s.len() {
                if i > 0 && s[i - 1] != b' ' {
                    continue;
                }
                let Some(eq) = s[i..].iter().position(|&b| b == b'=' || b == b' ') else {
                    continue;
                };
                if eq == 0 || s[i + eq] != b'=' {
                    continue;
                }
                let key = &s[i..i + eq];
                for start in [0, i] {
                    for origin in [Origin::Outer, Origin::Inner, Origin::Enriched] {
                        assert_eq!(
                            sc.needs_care(start, i, key, origin),
                            needs_care_by_first_bytes(&sc, start, i, origin),
                            "{line:?} at {i}, start {start}, {origin:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }

    /// Lines of every shape the fast path reads or hands back: plain and
    /// quoted values, values with `=` and `"` inside, empty values, stops at
    /// window edges, controls, backslashes, enrichment, `msg='...'`, AVC,
    /// records starting mid-line, lenient spacing and bare words.
    const TRICKY: &[&str] = &[
        "arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=7ffd a2=0 a3=0 items=1 ppid=1 pid=2 auid=4294967295 uid=0 tty=(none) ses=4294967295 comm=\"cat\" exe=\"/usr/bin/cat\" key=(null)",
        "avc:  denied  { getattr } for  pid=8368 comm=\"thunderbird-bin\" name=\"localtime\" dev=dm-0 ino=9331954 scontext=staff_u:staff_r:staff_thunderbird_t:s0 tcontext=system_u:object_r:locale_t:s0 tclass=file",
        "pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.1 terminal=ssh res=failed'",
        "user pid=6659 uid=81 auid=500 subj=staff_u:staff_r:staff_dbusd_t:s0 msg='avc:  denied  { send_msg } for msgtype=signal tclass=dbus : exe=\"/bin/dbus-daemon\" (sauid=81, hostname=?, addr=?, terminal=?)'",
        "proctitle=2F7573722F7362696E2F61706163686532002D6B007374617274",
        "item=0 name=\"/etc/passwd\" inode=5 dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0",
        "a=b=c d=\"x=y\" e=f\"g h=\"\" i= j=k",
        "k=v\"w\" x=1",
        "a=\"unterminated value with spaces",
        "a=1  b=2\tc=3 \t d=4",
        "a=1\x1dUID=\"root\" AUID=alice ARCH=x86_64",
        "a=1\\u001DUID=root",
        "a=x\\y b=\\x1dZ c=1",
        "k=\u{1}v\u{0}w b=2 c=\u{7f} d=\r",
        "k\u{1}ey=va\u{0}lue\r b=2",
        "a={ x y } b='s q' c=\\\"v\\\" d=`w` e=\u{201c}z\u{201d} f=\u{e9}t\u{e9} g=\u{2022}x",
        "cwd=\"/\" type=PATH msg=audit(1.2:3): item=0 name=\"/x\"",
        "tty=pts0 hostname=? typeX=1 node=a type=PATH msg=audit(1.2:3): item=0",
        "x=1 host=h type=CWD msg=audit(1.2:3): cwd=\"/\"",
        "x=1 type=1 typo=2 type =3",
        "username= anu ipaddress =127.0.0.1 key = value",
        "exit=EACCES(Permission denied) a0=AT_FDCWD a1=/tmp/x a2=O_RDONLY|O_CLOEXEC",
        "REJECTING r access to /bin/x (bash(23415) profile /bin/x)",
        "=x ==y a== b=\"",
        "a=\"b\"c=d e=\"f\"\"g\"",
        "a3=0 items=0",
        "ino=5 scontext=a:b:c:s0 tcontext=d:e:f:s0 tclass=file",
        "name=\"x\"scontext=a tclass=dir",
        "scontext =a scontext= b msg='scontext=c' scontext=\"d\"",
        "a=1\x1dscontext=a scontext=b",
        "REJECTING scontext=a",
        "a3=\"0\"type=PATH msg=audit(1.2:3): item=0",
        "a3=0\x1dtype=PATH msg=audit(1.2:3): item=0",
        "avc: x=1 avc:",
        "a=1 avc:x=1 avc:=2 av=3 avcx=4",
        "x=1 typed=2 types=PATH msg=audit(1.2:3): hostx=h host=h type=CWD msg=audit(1.2:3): cwd=\"/\"",
        "x=1 node=n type=CWD msg=audit(1.2:3): nod=1 node=",
        "a=1 avc",
        "msg=`op=locked exe=\\\u{201d}/usr/bin/passwd\\\u{201d} res=success UID=\\\u{201d}root\\\u{201d} AUID=\u{201d}anu\u{201d}",
        "msg='op=x' msg='",
        "UID=root uid=0 A=1 U_2=x Uid=3",
        "",
        " ",
        "a",
        "a=",
        "=",
        "\"",
        "a=\u{e2}",
    ];

    /// Pieces for lines made at random: tokens of every kind, stops, and
    /// long runs that push tokens across the 64-byte windows.
    const PIECES: &[&str] = &[
        "a=1",
        " ",
        "  ",
        "\t",
        "=",
        "\"",
        "\"q r\"",
        "key=",
        "name=\"/x y\"",
        "\x1d",
        "\u{0}",
        "\u{1}",
        "\\",
        "\\u001D",
        "'",
        "`",
        "{",
        "}",
        "\u{201d}",
        "\u{e2}",
        "type=PATH msg=audit(1.2:3): ",
        "node=n ",
        "avc:  denied  { read } for ",
        "msg='op=x res=1'",
        "a3=0",
        "scontext=u:r:t:s0",
        " scontext",
        "AUID=alice",
        "0123456789abcdef0123456789abcdef",
        "proctitle=2F7573722F7362696E2F61706163686532002D6B00737461727400",
        "x",
        "typ",
        "hos",
        "av",
    ];

    /// Everything a scan gives: its fields and where it stopped.
    fn outcome(sc: &Scanner, start: usize, end: usize, origin: Origin) -> (Vec<Field>, usize) {
        let mut out = vec![Field {
            name: Name::Fixed("before"),
            value: Span::new(0, 0),
            quote: Quote::None,
            origin: Origin::Outer,
        }];
        let stop = sc.scan(start, end, origin, &mut out);
        (out, stop)
    }

    fn paused(sc: &Scanner, start: usize, pause: Pause) -> (Vec<Field>, Step, Option<usize>) {
        let mut out = Vec::new();
        let step = sc.scan_until(start, pause, &mut out);
        let rest = match step {
            Step::Paused(at) => Some(sc.resume(start, at, &mut out)),
            Step::Done(_) => None,
        };
        (out, step, rest)
    }

    /// An AVC body pauses right at its `scontext`, and resuming there gives
    /// what a whole scan gives; a `scontext` inside `msg='...'` is no pause.
    #[test]
    fn avc_scans_pause_at_scontext() {
        let body = "avc:  denied  { read } for  pid=1 name=\"a b\" scontext=u:r:t:s0 tclass=file";
        let nested = "pid=1 msg='scontext=u:r:t:s0 tclass=file'";
        for mode in [Mode::Strict, Mode::Lenient, Mode::Interpreted] {
            for sc in [
                Scanner::new(body.as_bytes(), mode),
                Scanner::careful(body.as_bytes(), mode),
            ] {
                let mut got = Vec::new();
                let at = body.find("scontext").unwrap();
                assert_eq!(
                    sc.scan_until(0, Pause::BeforeScontext, &mut got),
                    Step::Paused(at)
                );
                assert_eq!(got.len(), 4, "{mode:?}");
                assert_eq!(sc.resume(0, at, &mut got), body.len());
                let mut whole = Vec::new();
                sc.scan(0, body.len(), Origin::Outer, &mut whole);
                assert_eq!(got, whole);
            }
            let sc = Scanner::new(nested.as_bytes(), mode);
            let mut got = Vec::new();
            assert_eq!(
                sc.scan_until(0, Pause::BeforeScontext, &mut got),
                Step::Done(nested.len())
            );
        }
    }

    /// The fast path reads every line exactly as the careful scan does, in
    /// every mode, from several starts and to several ends, pausing after `a3`
    /// and before `scontext`.
    #[test]
    fn fast_path_matches_the_careful_scan() {
        let mut lines: Vec<Vec<u8>> = TRICKY.iter().map(|l| l.as_bytes().to_vec()).collect();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for n in 0..400 {
            let mut line = Vec::new();
            if n % 2 == 0 {
                // A tricky line with pieces put in at random places.
                line.extend_from_slice(TRICKY[(next() % TRICKY.len() as u64) as usize].as_bytes());
                for _ in 0..3 {
                    let at = (next() % (line.len() as u64 + 1)) as usize;
                    let piece = PIECES[(next() % PIECES.len() as u64) as usize].as_bytes();
                    line.splice(at..at, piece.iter().copied());
                }
            } else {
                for _ in 0..(4 + next() % 24) {
                    line.extend_from_slice(
                        PIECES[(next() % PIECES.len() as u64) as usize].as_bytes(),
                    );
                }
            }
            lines.push(line);
        }
        let mut compared = 0;
        for line in &lines {
            let shown = String::from_utf8_lossy(line);
            for mode in [Mode::Strict, Mode::Lenient, Mode::Interpreted] {
                let fast = Scanner::new(line, mode);
                let careful = Scanner::careful(line, mode);
                let len = line.len();
                for start in [0, 1, 2, len / 3, len / 2]
                    .into_iter()
                    .filter(|&s| s <= len)
                {
                    for end in [len, len.saturating_sub(1), (len * 2) / 3] {
                        if end < start {
                            continue;
                        }
                        for origin in [Origin::Outer, Origin::Inner, Origin::Enriched] {
                            assert_eq!(
                                outcome(&fast, start, end, origin),
                                outcome(&careful, start, end, origin),
                                "{mode:?} {origin:?} {start}..{end} in {shown:?}"
                            );
                            compared += 1;
                        }
                    }
                    for pause in [Pause::AfterA3, Pause::BeforeScontext] {
                        assert_eq!(
                            paused(&fast, start, pause),
                            paused(&careful, start, pause),
                            "{mode:?} {pause:?} from {start} in {shown:?}"
                        );
                    }
                }
            }
        }
        assert!(compared > 10_000, "{compared}");
    }
}
