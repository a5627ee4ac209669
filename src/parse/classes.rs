//! The bytes of a line sorted into the few kinds the field scanner's fast
//! path looks for, 64 at a time.
//!
//! Most of a record body is `name=value name="value" ...`, and reading it is
//! a series of searches: for the `=` that ends a name, the space that ends a
//! bare value, the `"` that closes a quoted one. Searching again for every
//! token costs more than the tokens are long, so a window of 64 bytes is
//! classified at once into a bit mask of the bytes where a token may end
//! (bit `k` for the byte at `base + k`), and each search is then a shift and
//! a count of trailing zeros, until it runs past the window and the next one
//! is classified. The scanner looks at the byte found to tell `=`, space and
//! `"` apart.
//!
//! On x86-64 the window is classified sixteen bytes at a time with SSE2,
//! which every x86-64 CPU has; elsewhere a byte at a time. Both give the same
//! mask (a test checks it).

/// Bytes in a window.
const WINDOW: usize = 64;

/// Lazily classified windows of `s[..end]`, and searches over them.
pub struct Classes<'a> {
    s: &'a [u8],
    end: usize,
    /// Offset of the window classified last; one that covers no offset below
    /// `end` before the first search.
    base: usize,
    /// Bytes that end or may end a name or a bare value: space and every
    /// control (up to 0x20), `=`, `"` and `\`; and every offset from `end` on.
    stops: u64,
}

/// Whether `b` is one of the bytes `Classes::next_stop` finds: the rule the
/// fast way follows.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
fn is_stop(b: u8) -> bool {
    b <= b' ' || b == b'=' || b == b'"' || b == b'\\'
}

impl<'a> Classes<'a> {
    /// Searches over `s[..end]`, which must not run past `s`.
    pub fn new(s: &'a [u8], end: usize) -> Classes<'a> {
        Classes {
            s,
            end,
            base: end + WINDOW,
            stops: 0,
        }
    }

    /// The first offset from `p` (at most `end`) holding a space, a control,
    /// `=`, `"` or `\`; `end` when there is none before it.
    #[inline(always)]
    pub fn next_stop(&mut self, mut p: usize) -> usize {
        loop {
            let off = p.wrapping_sub(self.base);
            if off >= WINDOW {
                if p >= self.end {
                    return self.end;
                }
                // The window is a value handed back, not written through
                // `self`, so that the searches keep it in registers.
                self.stops = window_at(self.s, self.end, p);
                self.base = p;
                continue;
            }
            let mask = self.stops >> off;
            if mask != 0 {
                return p + mask.trailing_zeros() as usize;
            }
            p = self.base + WINDOW;
        }
    }
}

/// The mask of the window of `s` that starts at `base < end`, with the bits
/// from `end` on set.
#[inline(never)]
fn window_at(s: &[u8], end: usize, base: usize) -> u64 {
    let rest = &s[base..];
    let stops = match rest.first_chunk::<WINDOW>() {
        Some(window) => classify(window),
        None => match s.last_chunk::<WINDOW>() {
            // Near the end of a long line: the line's last window, shifted
            // so that its bits start at `base`.
            Some(last) => classify(last) >> (WINDOW - rest.len()),
            None => {
                // A short line: zeros past it, masked below.
                let mut window = [0u8; WINDOW];
                window[..rest.len()].copy_from_slice(rest);
                classify(&window)
            }
        },
    };
    let past_end = match end - base {
        n if n >= WINDOW => 0,
        n => u64::MAX << n,
    };
    stops | past_end
}

/// The mask of one window, a byte at a time.
#[cfg(test)]
fn classify_bytewise(window: &[u8; WINDOW]) -> u64 {
    let mut stops = 0;
    for (k, &b) in window.iter().enumerate() {
        stops |= u64::from(is_stop(b)) << k;
    }
    stops
}

/// Bytes in a block, the unit `block_stops` classifies.
pub const BLOCK: usize = 16;

/// The mask of one window, a block at a time.
fn classify(window: &[u8; WINDOW]) -> u64 {
    let mut stops = 0u64;
    for n in 0..WINDOW / BLOCK {
        let mut block = [0u8; BLOCK];
        block.copy_from_slice(&window[n * BLOCK..(n + 1) * BLOCK]);
        stops |= u64::from(block_stops(&block)) << (BLOCK * n);
    }
    stops
}

/// The mask of the bytes of `block` that `Classes::next_stop` finds, bit
/// `k` for byte `k`: for a search over a few bytes, where a whole window
/// would cost more than it saves.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
pub fn block_stops(block: &[u8; BLOCK]) -> u16 {
    let mut stops = 0;
    for (k, &b) in block.iter().enumerate() {
        stops |= u16::from(is_stop(b)) << k;
    }
    stops
}

/// The mask of the bytes of `block` that `Classes::next_stop` finds, bit
/// `k` for byte `k`: for a search over a few bytes, where a whole window
/// would cost more than it saves.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
pub fn block_stops(block: &[u8; BLOCK]) -> u16 {
    // SAFETY: this is only compiled where SSE2 is enabled for the whole
    // build (the x86-64 baseline), so the CPU that runs it has SSE2.
    unsafe { block_stops_sse2(block) }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
#[inline]
fn block_stops_sse2(block: &[u8; BLOCK]) -> u16 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x,
        _mm_set1_epi8,
    };
    let space = _mm_set1_epi8(b' ' as i8);
    let equals = _mm_set1_epi8(b'=' as i8);
    let quote = _mm_set1_epi8(b'"' as i8);
    let backslash = _mm_set1_epi8(b'\\' as i8);
    let (low, high) = block.split_at(8);
    let v = _mm_set_epi64x(word(high) as i64, word(low) as i64);
    // Unsigned bytes up to 0x20 are those the minimum leaves unchanged.
    let low_bytes = _mm_cmpeq_epi8(_mm_min_epu8(v, space), v);
    let odd = _mm_or_si128(
        _mm_or_si128(low_bytes, _mm_cmpeq_epi8(v, quote)),
        _mm_or_si128(_mm_cmpeq_epi8(v, equals), _mm_cmpeq_epi8(v, backslash)),
    );
    // The mask holds sixteen bits: the cast keeps them.
    _mm_movemask_epi8(odd) as u16
}

/// Eight bytes as a little-endian word (`b` holds eight).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(b);
    u64::from_le_bytes(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windows() -> Vec<[u8; WINDOW]> {
        let mut all = vec![[0u8; WINDOW], [b'a'; WINDOW], [0xff; WINDOW]];
        // Every byte value at every offset, among neighbours of every kind.
        let mut w = [0u8; WINDOW];
        for b in 0..=255u8 {
            for (k, slot) in w.iter_mut().enumerate() {
                *slot = b.wrapping_add((k * 37) as u8);
            }
            all.push(w);
        }
        all
    }

    #[test]
    fn blocks_agree_with_the_bytewise_rule() {
        for w in windows() {
            for start in [0, 5, 16, 48] {
                let mut block = [0u8; BLOCK];
                block.copy_from_slice(&w[start..start + BLOCK]);
                let want = (0..BLOCK).fold(0u16, |m, k| m | u16::from(is_stop(block[k])) << k);
                assert_eq!(block_stops(&block), want, "{block:?}");
            }
        }
    }

    #[test]
    fn classify_agrees_with_the_bytewise_rule() {
        for w in windows() {
            assert_eq!(classify(&w), classify_bytewise(&w), "{w:?}");
        }
    }

    /// Every search from every offset, over lines of several lengths and
    /// ends, finds what a plain search finds.
    #[test]
    fn searches_agree_with_plain_searches() {
        let mut line = Vec::new();
        let mut seed = 0x9e37_79b9_u64;
        for _ in 0..300 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let pick = b"ab=\" \t\\\x1d\x00\xe2z{'";
            line.push(pick[(seed % pick.len() as u64) as usize]);
        }
        for len in [0, 1, 63, 64, 65, 130, 300] {
            let s = &line[..len];
            for end in [len, len / 2, len.saturating_sub(1)] {
                let mut c = Classes::new(s, end);
                for p in (0..=end).chain((0..=end).rev()) {
                    let stop = (p..end).find(|&i| is_stop(s[i])).unwrap_or(end);
                    assert_eq!(c.next_stop(p), stop, "stop from {p}, end {end}, len {len}");
                }
            }
        }
    }
}
