//! Parsers for the `msg=audit(...)` header: the time and serial that tie the
//! records of one event together.
//!
//! Three spellings occur: auditd's `SEC.MS:SERIAL`, the dotted `SEC.MS.SERIAL`
//! that some SIEM exports write, and `ausearch -i`'s `MM/DD/YYYY HH:MM:SS.MS:SERIAL`.

use nom::IResult;
use nom::Parser;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::char;
use nom::combinator::{map, opt};
use nom::sequence::{delimited, preceded};

use crate::record::AuditTime;

/// What a header holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub time: AuditTime,
    pub serial: Option<u64>,
    /// True for the `ausearch -i` date form.
    pub interpreted: bool,
}

fn digits(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(|b: u8| b.is_ascii_digit()).parse(input)
}

/// A run of one to nineteen ASCII digits as a number (nineteen always fit in u64).
fn number(input: &[u8]) -> IResult<&[u8], u64> {
    let n = input
        .iter()
        .take(19)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if n == 0 {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Digit,
        )));
    }
    let value = input[..n]
        .iter()
        .fold(0u64, |v, &b| v * 10 + u64::from(b - b'0'));
    Ok((&input[n..], value))
}

/// Milliseconds: up to three digits, right-padded (`.5` is 500 ms); extra digits are ignored.
fn millis(input: &[u8]) -> IResult<&[u8], u16> {
    map(digits, |d: &[u8]| {
        let mut ms = 0u16;
        for i in 0..3 {
            ms = ms * 10 + d.get(i).map_or(0, |b| u16::from(b - b'0'));
        }
        ms
    })
    .parse(input)
}

/// `SEC.MS:SERIAL`, `SEC.MS.SERIAL` or `SEC.MS`.
fn epoch_form(input: &[u8]) -> IResult<&[u8], Header> {
    let (rest, secs) = number(input)?;
    let (rest, ms) = preceded(char('.'), millis).parse(rest)?;
    let (rest, serial) = opt(preceded(alt((char(':'), char('.'))), number)).parse(rest)?;
    let secs = i64::try_from(secs).unwrap_or(i64::MAX);
    Ok((
        rest,
        Header {
            time: AuditTime { secs, millis: ms },
            serial,
            interpreted: false,
        },
    ))
}

/// `MM/DD/YYYY HH:MM:SS.MS:SERIAL`, as `ausearch -i` prints it (in the local zone).
fn interpreted_form(input: &[u8]) -> IResult<&[u8], Header> {
    let (rest, month) = number(input)?;
    let (rest, day) = preceded(char('/'), number).parse(rest)?;
    let (rest, year) = preceded(char('/'), number).parse(rest)?;
    let (rest, hour) = preceded(char(' '), number).parse(rest)?;
    let (rest, minute) = preceded(char(':'), number).parse(rest)?;
    let (rest, second) = preceded(char(':'), number).parse(rest)?;
    let (rest, ms) = preceded(char('.'), millis).parse(rest)?;
    let (rest, serial) = opt(preceded(char(':'), number)).parse(rest)?;
    let secs = crate::timefmt::local_to_epoch(year, month, day, hour, minute, second).ok_or(
        nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Verify)),
    )?;
    Ok((
        rest,
        Header {
            time: AuditTime { secs, millis: ms },
            serial,
            interpreted: true,
        },
    ))
}

/// Reads up to nineteen ASCII digits at `i`; returns the value and the offset
/// after them (`i` itself when no digit is there).
fn digits_at(s: &[u8], mut i: usize) -> (u64, usize) {
    let stop = s.len().min(i + 19);
    let mut value = 0u64;
    // Eight bytes at a time while they are there: the seconds and serials of
    // auditd headers are 7 to 10 digits long.
    while i + 8 <= stop {
        let Some(word) = s.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) else {
            break;
        };
        let word = u64::from_le_bytes(word);
        let n = leading_digits(word);
        if n == 0 {
            return (value, i);
        }
        value = value * POW10[n] + eight_digits(word, n);
        i += n;
        if n < 8 {
            return (value, i);
        }
    }
    while i < stop {
        let d = s[i].wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        value = value * 10 + u64::from(d);
        i += 1;
    }
    (value, i)
}

/// Powers of ten up to 10^8.
const POW10: [u64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

/// How many of the eight bytes of `word` (first byte lowest) are ASCII digits
/// before the first one that is not.
fn leading_digits(word: u64) -> usize {
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    // A digit is 0x30-0x39: its high nibble is 3, and still 3 once 6 is added.
    // A carry out of a byte only comes from a byte that is no digit itself, and
    // only disturbs the bytes after it, so the first non-digit is found right.
    let bad = ((word & HIGH) ^ ZEROS) | ((word.wrapping_add(0x0606_0606_0606_0606) & HIGH) ^ ZEROS);
    (bad.trailing_zeros() / 8) as usize
}

/// The value of the first `n` (1 to 8) digits of `word`.
fn eight_digits(word: u64, n: usize) -> u64 {
    // Keep the n digits, moved up so that zeros lead: 8 digits, same value.
    let v = (word.wrapping_sub(0x3030_3030_3030_3030)) << (8 * (8 - n));
    let v = (v & 0x0F0F_0F0F_0F0F_0F0F).wrapping_mul(2561) >> 8;
    let v = (v & 0x00FF_00FF_00FF_00FF).wrapping_mul(6_553_601) >> 16;
    (v & 0x0000_FFFF_0000_FFFF).wrapping_mul(42_949_672_960_001) >> 32
}

/// auditd's own `msg=audit(SECS.MS:SERIAL):` read without the combinators: it
/// is on every line, so it is worth a straight loop. Gives exactly what
/// `epoch_form` gives, or None for anything else (the caller then tries the
/// full grammar, which also knows the `ausearch -i` date form).
#[inline]
pub fn fast_epoch(input: &[u8]) -> Option<(&[u8], Header)> {
    let (end, header, _) = fast_epoch_marked(input)?;
    Some((&input[end..], header))
}

/// `fast_epoch`, giving offsets into `input`: where the header ends, and
/// where the milliseconds start (just after the seconds and their `.`).
pub fn fast_epoch_marked(input: &[u8]) -> Option<(usize, Header, usize)> {
    let s = input.strip_prefix(b"msg=").unwrap_or(input);
    let s = s.strip_prefix(b"audit(")?;
    let at = input.len() - s.len();
    let (secs, i) = digits_at(s, 0);
    if i == 0 || s.get(i) != Some(&b'.') {
        return None;
    }
    let secs = i64::try_from(secs).unwrap_or(i64::MAX);
    let (end, header) = epoch_after_secs(input, at + i + 1, secs)?;
    Some((end, header, at + i + 1))
}

/// The end of `fast_epoch` once the seconds are read: milliseconds from
/// offset `start` of `input` on, the serial, `)` and the `:` after it.
#[inline]
pub fn epoch_after_secs(input: &[u8], start: usize, secs: i64) -> Option<(usize, Header)> {
    if let Some(done) = usual_tail(input, start, secs) {
        return Some(done);
    }
    any_tail(input, start, secs)
}

/// `epoch_after_secs` for the tail auditd writes: three digits of
/// milliseconds, `:`, the serial and `):`. None for any other tail, which
/// `any_tail` then reads; for this one both give the same.
#[inline]
fn usual_tail(input: &[u8], start: usize, secs: i64) -> Option<(usize, Header)> {
    let &[a, b, c, b':'] = input.get(start..start.checked_add(4)?)? else {
        return None;
    };
    let digit = |x: u8| {
        Some(x.wrapping_sub(b'0'))
            .filter(|d| *d <= 9)
            .map(u16::from)
    };
    let millis = digit(a)? * 100 + digit(b)? * 10 + digit(c)?;
    let (serial, end) = digits_at(input, start + 4);
    if end == start + 4 || input.get(end..end + 2) != Some(b"):") {
        return None;
    }
    let header = Header {
        time: AuditTime { secs, millis },
        serial: Some(serial),
        interpreted: false,
    };
    Some((end + 2, header))
}

/// `epoch_after_secs` for every tail: any number of millisecond digits, a
/// `:` or `.` and the serial or neither, spaces between `)` and `:`.
#[inline(never)]
fn any_tail(input: &[u8], start: usize, secs: i64) -> Option<(usize, Header)> {
    let s = input;
    // Milliseconds: every digit is consumed, the first three are kept.
    let mut j = start;
    let mut ms = 0u16;
    while let Some(&b) = s.get(j) {
        if !b.is_ascii_digit() {
            break;
        }
        if j - start < 3 {
            ms = ms * 10 + u16::from(b - b'0');
        }
        j += 1;
    }
    if j == start {
        return None;
    }
    for _ in (j - start)..3 {
        ms *= 10;
    }
    let mut serial = None;
    if matches!(s.get(j), Some(b':' | b'.')) {
        let (n, k) = digits_at(s, j + 1);
        if k > j + 1 {
            serial = Some(n);
            j = k;
        }
    }
    if s.get(j) != Some(&b')') {
        return None;
    }
    j += 1;
    while s.get(j) == Some(&b' ') {
        j += 1;
    }
    if s.get(j) == Some(&b':') {
        j += 1;
    }
    let header = Header {
        time: AuditTime { secs, millis: ms },
        serial,
        interpreted: false,
    };
    Some((j, header))
}

/// `msg=audit(...)` or `audit(...)`, with the `:` or ` : ` that follows it.
pub fn parse_header(input: &[u8]) -> IResult<&[u8], Header> {
    if let Some(done) = fast_epoch(input) {
        return Ok(done);
    }
    let (rest, header) = preceded(
        opt(tag(&b"msg="[..])),
        delimited(
            tag(&b"audit("[..]),
            alt((interpreted_form, epoch_form)),
            char(')'),
        ),
    )
    .parse(input)?;
    let (rest, _) = take_while(|b| b == b' ').parse(rest)?;
    let (rest, _) = opt(char(':')).parse(rest)?;
    Ok((rest, header))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(s: &str) -> Header {
        parse_header(s.as_bytes()).expect("header parses").1
    }

    #[test]
    fn auditd_header() {
        let h = header("msg=audit(1364481363.243:24287): x");
        assert_eq!(
            h.time,
            AuditTime {
                secs: 1364481363,
                millis: 243
            }
        );
        assert_eq!(h.serial, Some(24287));
    }

    #[test]
    fn kernel_header_without_msg() {
        let h = header("audit(1357024144.556:6368): apparmor");
        assert_eq!(h.serial, Some(6368));
    }

    #[test]
    fn dotted_header_from_siem() {
        let h = header("msg=audit(65432.657.987): pid=1");
        assert_eq!(
            h.time,
            AuditTime {
                secs: 65432,
                millis: 657
            }
        );
        assert_eq!(h.serial, Some(987));
    }

    #[test]
    fn rest_after_header() {
        let (rest, _) = parse_header(b"msg=audit(1.002:3) : arch=x86_64").expect("parses");
        assert_eq!(rest, b" arch=x86_64");
    }

    /// The straight loop and the combinators agree on every header they both read.
    #[test]
    fn fast_path_matches_the_grammar() {
        let cases = [
            "msg=audit(1364481363.243:24287): x",
            "audit(1.5:7)",
            "msg=audit(1.5)",
            "msg=audit(1.5:)",
            "msg=audit(1.5.)",
            "msg=audit(1.123456:9) : y",
            "msg=audit(12345678901234567890.1:2):",
            "msg=audit(1234567890123456789.1:12345678901234567890):",
            "msg=audit(9999999999999999999.999:1):",
            "msg=audit(.5:1):",
            "msg=audit(1.:1):",
            "msg=audit(1.2:3",
            "msg=audit(1.2:3)   :z",
            "msg=audit(1.2:3)::",
            "msg=audit(65432.657.987): pid=1",
            "msgaudit(1.2:3):",
            "msg=audit(07/01/2016 10:00:00.123:45) : x",
        ];
        for c in cases {
            let full = preceded(
                opt(tag(&b"msg="[..])),
                delimited(
                    tag(&b"audit("[..]),
                    alt((interpreted_form, epoch_form)),
                    char(')'),
                ),
            )
            .parse(c.as_bytes())
            .and_then(|(rest, h)| {
                let (rest, _) = take_while(|b| b == b' ').parse(rest)?;
                let (rest, _) = opt(char(':')).parse(rest)?;
                Ok((rest, h))
            })
            .ok();
            if let Some(fast) = fast_epoch(c.as_bytes()) {
                assert_eq!(Some(fast), full, "{c}");
            }
            assert_eq!(parse_header(c.as_bytes()).ok(), full, "{c}");
        }
    }

    /// The tail auditd writes, read by its own quick path, reads as every
    /// other tail does.
    #[test]
    fn the_usual_tail_reads_as_any_tail() {
        let tails = [
            "123:4567):",
            "123:4567): x",
            "123:4567) :",
            "123:4567)",
            "123:4567",
            "123:):",
            "123.4567):",
            "12:4567):",
            "1234:5):",
            "000:0):",
            "999:18446744073709551615):",
            "123:12345678901234567890):",
            "12a:1):",
            "1:2):",
            ":1):",
            "",
            "1",
            "123:",
            "123:9):",
            "\u{ff}23:1):",
        ];
        for tail in tails {
            for lead in ["", "x", "audit(17."] {
                let text = format!("{lead}{tail}");
                let start = lead.len();
                let want = any_tail(text.as_bytes(), start, 17);
                assert_eq!(epoch_after_secs(text.as_bytes(), start, 17), want, "{text}");
                if let Some(quick) = usual_tail(text.as_bytes(), start, 17) {
                    assert_eq!(Some(quick), want, "{text}");
                }
            }
        }
        assert!(
            usual_tail(b"123:4567):", 0, 1).is_some(),
            "the quick path is taken"
        );
        assert_eq!(usual_tail(b"123:4567):", usize::MAX, 1), None);
    }

    #[test]
    fn digit_runs_of_every_length() {
        for len in 0..=24 {
            for tail in ["", ")", ".5", "x", "\u{ff}"] {
                let digits: String = (0..len).map(|i| char::from(b'1' + (i % 9) as u8)).collect();
                let text = format!("{digits}{tail}");
                let want_len = len.min(19);
                let want = digits[..want_len].parse::<u64>().unwrap_or(0);
                assert_eq!(digits_at(text.as_bytes(), 0), (want, want_len), "{text}");
            }
        }
        assert_eq!(digits_at(b"x0123456789012", 1), (123_456_789_012, 14));
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_header(b"msg=audit(abc)").is_err());
        assert!(parse_header(b"msg=audit(123").is_err());
        assert!(parse_header(b"msg=?").is_err());
    }
}
