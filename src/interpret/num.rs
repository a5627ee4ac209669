//! Reading numbers out of field values, two ways: strictly (the whole value
//! must be a number, for the people-facing style), and the way C's `strtoul`
//! reads them (leading digits only, no digits means 0), because `ausearch -i`
//! reads them that way and the `ausearch` style must print what it prints.

use super::{Raw, Style};
use crate::record::Quote;

/// The outcome of reading a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Num {
    /// The number (negative values wrapped the way C's `strtoul` wraps them).
    Val(u64),
    /// Too large: `ausearch` prints `conversion error(VALUE)`.
    Overflow,
    /// Not a number at all: people see the value as written.
    NotNumber,
}

/// The value of every byte as a digit in bases up to 36; 0xff for others.
static DIGIT_VALUES: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            c @ b'0'..=b'9' => c - b'0',
            c @ b'a'..=b'z' => c - b'a' + 10,
            c @ b'A'..=b'Z' => c - b'A' + 10,
            _ => 0xff,
        };
        b += 1;
    }
    t
};

fn digit(b: u8, base: u32) -> Option<u64> {
    let d = DIGIT_VALUES[usize::from(b)];
    (u32::from(d) < base).then_some(u64::from(d))
}

/// How many digits in `base` always fit in 64 bits.
fn safe_digits(base: u32) -> usize {
    match base {
        16 => 15,
        10 => 19,
        8 => 21,
        _ => 0,
    }
}

/// Accumulates digits; returns the value, how many digits were read, and whether it overflowed.
fn digits(s: &[u8], base: u32) -> (u64, usize, bool) {
    let mut v: u64 = 0;
    let mut n = 0;
    // The first digits cannot overflow: no checks needed.
    let safe = safe_digits(base).min(s.len());
    while n < safe {
        let Some(d) = digit(s[n], base) else {
            return (v, n, false);
        };
        v = v * u64::from(base) + d;
        n += 1;
    }
    let mut over = false;
    for &b in &s[n..] {
        let Some(d) = digit(b, base) else { break };
        match v
            .checked_mul(u64::from(base))
            .and_then(|v| v.checked_add(d))
        {
            Some(next) => v = next,
            None => over = true,
        }
        n += 1;
    }
    (v, n, over)
}

/// Splits a C-style number into its sign and digits (`  -0x1f` gives true, `1f`).
fn sign_and_body(s: &[u8], base: u32) -> (bool, &[u8]) {
    let mut s = s;
    while let Some((b, rest)) = s.split_first() {
        if !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            break;
        }
        s = rest;
    }
    let mut neg = false;
    if let Some((&b, rest)) = s.split_first()
        && (b == b'-' || b == b'+')
    {
        neg = b == b'-';
        s = rest;
    }
    if base == 16
        && s.len() > 2
        && s[0] == b'0'
        && (s[1] | 0x20) == b'x'
        && digit(s[2], 16).is_some()
    {
        s = &s[2..];
    }
    (neg, s)
}

/// C's `strtoul`/`strtoull` on 64 bits: leading digits, no digits is 0,
/// a minus sign wraps, overflow is an error.
pub fn c_strtoul(s: &[u8], base: u32) -> Num {
    // Nothing but digits: no space, sign or `0x` to skip, and no overflow.
    if let Some(v) = short_plain(s, base) {
        return Num::Val(v);
    }
    let (neg, body) = sign_and_body(s, base);
    let (v, _, over) = digits(body, base);
    if over {
        Num::Overflow
    } else if neg {
        Num::Val(v.wrapping_neg())
    } else {
        Num::Val(v)
    }
}

/// C's `strtol`/`strtoll` on 64 bits, as an `i64` carried in the `u64`.
pub fn c_strtol(s: &[u8], base: u32) -> Num {
    let (neg, body) = sign_and_body(s, base);
    let (v, _, over) = digits(body, base);
    let limit = if neg { 1u64 << 63 } else { (1u64 << 63) - 1 };
    if over || v > limit {
        Num::Overflow
    } else if neg {
        Num::Val((v as i64).wrapping_neg() as u64)
    } else {
        Num::Val(v)
    }
}

/// The whole of `s` as an unsigned number in `base`, optionally `-` signed
/// (wrapped) and with `0x` allowed in base 16.
pub fn strict(s: &[u8], base: u32) -> Num {
    // Plain digits short enough not to overflow (nearly every id, number
    // and syscall argument) are read in a loop of their own; anything else
    // takes the general path below, which gives the same value for them.
    if let Some(v) = short_plain(s, base) {
        return Num::Val(v);
    }
    let (neg, body) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    let body = match body {
        [b'0', b'x' | b'X', rest @ ..] if base == 16 && !rest.is_empty() => rest,
        _ => body,
    };
    let (v, n, over) = digits(body, base);
    if n == 0 || n != body.len() {
        Num::NotNumber
    } else if over {
        Num::Overflow
    } else if neg {
        Num::Val(v.wrapping_neg())
    } else {
        Num::Val(v)
    }
}

/// `s` as a number in `base` when it is one to `safe_digits(base)` digits
/// long (sixteen in base 16, which fill 64 bits exactly) and nothing else:
/// a value no reading can take differently or overflow.
#[inline]
pub(super) fn short_plain(s: &[u8], base: u32) -> Option<u64> {
    match base {
        10 if !s.is_empty() && s.len() <= safe_digits(10) => plain_digits::<10>(s),
        16 if !s.is_empty() && s.len() <= 16 => plain_digits::<16>(s),
        _ => None,
    }
}

/// `s` as a number in `BASE` when every byte is a digit of it (the caller
/// keeps it short enough not to overflow).
#[inline]
fn plain_digits<const BASE: u64>(s: &[u8]) -> Option<u64> {
    let mut v = 0u64;
    for &b in s {
        let d = u64::from(DIGIT_VALUES[usize::from(b)]);
        if d >= BASE {
            return None;
        }
        v = v * BASE + d;
    }
    Some(v)
}

/// Reads an unsigned value the way the style needs: C-style for `ausearch`
/// (a quoted value reads as 0, as the quote is not a digit), strictly for people.
pub fn unsigned(raw: Raw, base: u32, style: Style) -> Num {
    match style {
        Style::Ausearch if raw.quote == Quote::None => c_strtoul(raw.text, base),
        Style::Ausearch => Num::Val(0),
        Style::Human if raw.quote == Quote::None => strict(raw.text, base),
        Style::Human => Num::NotNumber,
    }
}

/// Reads a signed value (C `strtol`/`strtoll` for `ausearch`).
pub fn signed(raw: Raw, base: u32, style: Style) -> Num {
    match style {
        Style::Ausearch if raw.quote == Quote::None => c_strtol(raw.text, base),
        Style::Ausearch => Num::Val(0),
        Style::Human if raw.quote == Quote::None => match raw.text.split_first() {
            Some((b'-', rest)) => match strict(rest, base) {
                Num::Val(v) if v <= 1 << 63 => Num::Val((v as i64).wrapping_neg() as u64),
                Num::Val(_) => Num::Overflow,
                other => other,
            },
            _ => match strict(raw.text, base) {
                Num::Val(v) if v < 1 << 63 => Num::Val(v),
                Num::Val(_) => Num::Overflow,
                other => other,
            },
        },
        Style::Human => Num::NotNumber,
    }
}

/// Appends a signed `v` in decimal.
pub fn push_signed(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    crate::digits::push_u64(out, v.unsigned_abs());
}

/// True when every byte is a hex digit (C's `isxdigit` loop); true for "".
pub fn is_hex(s: &[u8]) -> bool {
    s.iter().all(u8::is_ascii_hexdigit)
}

/// True when every byte is a decimal digit; true for "".
pub fn is_decimal(s: &[u8]) -> bool {
    s.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_rules() {
        assert_eq!(c_strtoul(b"1f", 16), Num::Val(31));
        assert_eq!(c_strtoul(b"0x1f", 16), Num::Val(31));
        assert_eq!(c_strtoul(b"abc/def", 16), Num::Val(0xabc));
        assert_eq!(c_strtoul(b"family", 10), Num::Val(0));
        assert_eq!(c_strtoul(b"-1", 10), Num::Val(u64::MAX));
        assert_eq!(c_strtoul(b"99999999999999999999999", 10), Num::Overflow);
        assert_eq!(c_strtol(b"-13", 10), Num::Val(-13i64 as u64));
        assert_eq!(c_strtol(b"9223372036854775808", 10), Num::Overflow);
        assert_eq!(
            c_strtol(b"-9223372036854775808", 10),
            Num::Val(i64::MIN as u64)
        );
    }

    #[test]
    fn long_numbers_overflow_where_they_should() {
        assert_eq!(strict(b"ffffffffffffffff", 16), Num::Val(u64::MAX));
        assert_eq!(strict(b"10000000000000000", 16), Num::Overflow);
        assert_eq!(strict(b"18446744073709551615", 10), Num::Val(u64::MAX));
        assert_eq!(strict(b"18446744073709551616", 10), Num::Overflow);
        assert_eq!(strict(b"1777777777777777777777", 8), Num::Val(u64::MAX));
        assert_eq!(strict(b"2000000000000000000000", 8), Num::Overflow);
        assert_eq!(c_strtoul(b"123456789012345678901234x", 10), Num::Overflow);
        assert_eq!(
            c_strtoul(b"00000000000000000000000000001f", 16),
            Num::Val(31)
        );
        assert_eq!(strict(b"z", 36), Num::Val(35));
    }

    #[test]
    fn short_plain_agrees_with_the_general_reading() {
        let general = |s: &[u8], base: u32| match digits(s, base) {
            (v, n, false) if n == s.len() && n > 0 => Some(v),
            _ => None,
        };
        let cases: [&[u8]; 9] = [
            b"0",
            b"7fb7b0aac000",
            b"ffffffffffffffff",
            b"10000000000000000",
            b"9999999999999999999",
            b"99999999999999999999",
            b"12x",
            b"0x1f",
            b"",
        ];
        for s in cases {
            for base in [10, 16] {
                let want = general(s, base).filter(|_| s.len() <= safe_digits(base).max(16));
                assert_eq!(short_plain(s, base), want, "{:?}", s);
            }
        }
        assert_eq!(short_plain(b"ffffffffffffffff", 16), Some(u64::MAX));
        assert_eq!(short_plain(b"17", 8), None);
        assert_eq!(c_strtoul(b"ffffffffffffffff", 16), Num::Val(u64::MAX));
    }

    #[test]
    fn decimal_writers() {
        let mut out = Vec::new();
        crate::digits::push_u64(&mut out, 0);
        out.push(b' ');
        crate::digits::push_u64(&mut out, u64::MAX);
        out.push(b' ');
        push_signed(&mut out, i64::MIN);
        out.push(b' ');
        push_signed(&mut out, -13);
        assert_eq!(out, b"0 18446744073709551615 -9223372036854775808 -13");
    }

    #[test]
    fn strict_rules() {
        assert_eq!(strict(b"0644", 8), Num::Val(0o644));
        assert_eq!(strict(b"0x10", 16), Num::Val(16));
        assert_eq!(strict(b"12x", 10), Num::NotNumber);
        assert_eq!(strict(b"", 10), Num::NotNumber);
        assert_eq!(strict(b"-1", 10), Num::Val(u64::MAX));
        assert_eq!(strict(&[b'9'; 40], 10), Num::Overflow);
    }
}
