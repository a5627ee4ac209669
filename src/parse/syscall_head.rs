//! A short way through the head of a SYSCALL body.
//!
//! A third of the records in a busy log are SYSCALL records, and nearly all
//! of them open their body the same way: `arch=... syscall=... success=...
//! exit=... a0=... a1=... a2=... a3=...`, bare values, one space apart. The
//! rest of the body from `items=` on is usually recalled (`parse::recall`),
//! so this head is what is left to scan, and the general scanner spends much
//! of its time there asking questions whose answers are known in advance:
//! whether a name may start a record, whether it is an enrichment name,
//! whether it is the one to pause after.
//!
//! `read` matches those eight names in that order and takes each value up to
//! the single space after it, and gives up on anything else: another name or
//! order, a quote or mark, a control byte, a backslash, `=` or `"` inside a
//! value, an empty value, a second space, the end of the line. When it gives
//! up it adds nothing, and the caller scans the body the general way; when it
//! does not, it has added exactly the fields the general scan would have, so
//! the outcome is the same either way.

use super::classes::{BLOCK, block_stops};
use super::fields::QUOTE_LIKE;
use crate::record::{Field, Name, Origin, Quote, Span};

/// How many fields a SYSCALL head holds.
const FIELDS: usize = 8;

/// A name with its `=`, as the first bytes of a little-endian word, and the
/// mask of those bytes.
#[derive(Clone, Copy)]
struct Literal {
    word: u64,
    mask: u64,
    len: usize,
}

const fn literal(name: &[u8]) -> Literal {
    let mut bytes = [0u8; 8];
    let mut k = 0;
    while k < name.len() {
        bytes[k] = name[k];
        k += 1;
    }
    let mask = if name.len() >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * name.len())) - 1
    };
    Literal {
        word: u64::from_le_bytes(bytes),
        mask,
        len: name.len(),
    }
}

/// The names of a SYSCALL head, each with its `=`, in auditd's order; none
/// is longer than eight bytes.
static NAMES: [Literal; FIELDS] = [
    literal(b"arch="),
    literal(b"syscall="),
    literal(b"success="),
    literal(b"exit="),
    literal(b"a0="),
    literal(b"a1="),
    literal(b"a2="),
    literal(b"a3="),
];

/// Reads the usual SYSCALL head at `start` of `line` into `out`, as the
/// general scan that pauses after `a3` would (outside lenient mode, from
/// the start of a body), and returns where it pauses: the offset of the
/// space after `a3`'s value. None, with `out` untouched, when the head is
/// not of the usual form.
pub fn read(line: &[u8], start: usize, out: &mut Vec<Field>) -> Option<usize> {
    // The end of each value; each name starts one byte after the value
    // before it.
    let mut ends = [0usize; FIELDS];
    // The general scan steps over blanks before the first name, as a body
    // usually starts with the space after the header's `:`.
    let mut i = start + blanks(&line[start.min(line.len())..]);
    let first = i;
    for (name, end) in NAMES.iter().zip(ends.iter_mut()) {
        *end = bare_value_end(line, i, name)?;
        i = *end + 1;
    }
    let mut name_start = first;
    out.extend(NAMES.iter().zip(ends).map(|(name, end)| {
        let eq = name_start + name.len - 1;
        let field = Field {
            name: Name::Text(Span::new(name_start, eq)),
            value: Span::new(eq + 1, end),
            quote: Quote::None,
            origin: Origin::Outer,
        };
        name_start = end + 1;
        field
    }));
    Some(ends[FIELDS - 1])
}

/// How many spaces and tabs `s` opens with.
fn blanks(s: &[u8]) -> usize {
    s.iter().take_while(|&&b| b == b' ' || b == b'\t').count()
}

/// When `name` starts at `i` and is followed by a bare value that a single
/// space ends, the offset of that space.
#[inline(always)]
fn bare_value_end(line: &[u8], i: usize, name: &Literal) -> Option<usize> {
    let word = u64::from_le_bytes(*line.get(i..)?.first_chunk::<8>()?);
    if word & name.mask != name.word {
        return None;
    }
    let v = i + name.len;
    // A value opening with a quote or a mark is read another way; one
    // opening with a stop is empty or needs care.
    if QUOTE_LIKE[usize::from(*line.get(v)?)] {
        return None;
    }
    let e = next_stop(line, v);
    (e > v && line.get(e) == Some(&b' ')).then_some(e)
}

/// The first byte from `v` on that ends or may end a bare value (as
/// `Classes::next_stop` finds them), looked for a block at a time: the
/// values of a head are short. Past the end of the line, the offset of the
/// end.
#[inline(always)]
fn next_stop(line: &[u8], mut v: usize) -> usize {
    loop {
        let stops = block_stops(&block_at(line, v));
        if stops != 0 {
            return v + stops.trailing_zeros() as usize;
        }
        v += BLOCK;
    }
}

/// The block of `line` at `v`, with zeros (stops) past its end.
#[inline(always)]
fn block_at(line: &[u8], v: usize) -> [u8; BLOCK] {
    let rest = line.get(v..).unwrap_or_default();
    match rest.first_chunk::<BLOCK>() {
        Some(block) => *block,
        None => {
            let mut block = [0u8; BLOCK];
            block[..rest.len()].copy_from_slice(rest);
            block
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fields::{Mode, Pause, Scanner, Step};

    /// What the careful scan makes of a head: its fields and its step.
    fn careful(line: &[u8], start: usize, mode: Mode) -> (Vec<Field>, Step) {
        let mut out = Vec::new();
        let step = Scanner::careful(line, mode).scan_until(start, Pause::AfterA3, &mut out);
        (out, step)
    }

    const HEADS: &[&str] = &[
        "arch=c000003e syscall=59 success=yes exit=0 a0=55d0 a1=55d1 a2=55d2 a3=8 items=2 ppid=1",
        "arch=40000003 syscall=212 success=yes exit=0 a0=ef7c388 a1=0 a2=0 a3=6028 items=0",
        "arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=7ffd1234abcd5678 a2=0 a3=0 items=1",
        "arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4",
        "arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 ",
        "arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4\titems=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4\x1dARCH=x86_64",
        "arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4  items=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a3=4 items=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0=1 a2=2 a1=3 a3=4 items=0",
        "arch=c000003e  syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0",
        "arch=c000003e syscall=59 success=\"yes\" exit=0 a0=1 a1=2 a2=3 a3=4 items=0",
        "arch=c000003e syscall=59 success=yes exit= a0=1 a1=2 a2=3 a3=4 items=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3= items=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=\"4\" items=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3='4' items=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0=x=y a1=2 a2=3 a3=4 items=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0=x\"y a1=2 a2=3 a3=4 items=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0=x\\y a1=2 a2=3 a3=4 items=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0=\\u001D a1=2 a2=3 a3=4 items=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0=\u{1}1 a1=2 a2=3 a3=4 items=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0=\u{e9}t\u{e9} a1=2 a2=3 a3=4 items=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0=\u{201c}1\u{201d} a1=2 a2=3 a3=4 items=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0=`1` a1=2 a2=3 a3=4 items=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0={ 1 } a1=2 a2=3 a3=4 items=0",
        "arch=c000003e syscall=59 success=yes exit=0 type=PATH msg=audit(1.2:3): a0=1 a1=2 a2=3 a3=4",
        "arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 type=PATH msg=audit(1.2:3): a3=4 x=1",
        "arch2=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0",
        "arch=c000003e syscalls=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0",
        "arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a33=4 a3=5 items=0",
        "ARCH=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0",
        "arch =c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0",
        "arch= c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0",
        " arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0",
        "\tarch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0",
        "arch=x86_64 syscall=openat success=no exit=EACCES(Permission denied) a0=AT_FDCWD a1=0x1 a2=O_RDONLY a3=0x0 items=1",
        "arch=x86_64 syscall=execve success=yes exit=0 a0=0x5 a1=0x6 a2=0x7 a3=0x8 items=2 ppid=1 pid=2",
        "arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0 msg='a3=5'",
        "arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3",
        "arch=c000003e syscall=59",
        "arch=",
        "arch",
        "",
        "avc:  denied  { read } for  pid=1 a3=4 x=1",
        "user pid=1 arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0",
    ];

    /// Heads of every shape, from the body start and from later starts, in
    /// every mode: when the short way reads one, it gives what the careful
    /// scan gives, and it reads the usual ones.
    #[test]
    fn short_way_matches_the_careful_scan() {
        let mut read_count = 0;
        let mut compared = 0;
        for head in HEADS {
            let prefixed = format!("type=SYSCALL msg=audit(1.2:3): {head}");
            for (line, start) in [(head.to_string(), 0), (prefixed, 30)] {
                let line = line.as_bytes();
                for start in [start, start + 1, start + 2] {
                    if start > line.len() {
                        continue;
                    }
                    let mut fast = vec![];
                    let got = read(line, start, &mut fast);
                    for mode in [Mode::Strict, Mode::Interpreted, Mode::StrictUnlessCurly] {
                        let (want, step) = careful(line, start, mode);
                        compared += 1;
                        if let Some(at) = got {
                            assert_eq!(step, Step::Paused(at), "{head:?} {mode:?}");
                            assert_eq!(fast, want, "{head:?} {mode:?}");
                        } else {
                            assert!(fast.is_empty(), "{head:?}");
                        }
                    }
                    read_count += usize::from(got.is_some());
                }
            }
        }
        assert!(compared > 200, "{compared}");
        // Nine usual heads (the first three, `a3` before two spaces, a
        // non-ASCII value, two after a leading space or tab, the interpreted
        // `execve` and the one with `msg='a3=5'` after it): in a whole line
        // from the space before the body and from its start (9 x 2), in a
        // bare body from its start (9), and the two with a leading blank
        // from after it (2 x 2).
        assert_eq!(read_count, 31);
    }

    /// The whole scan of a body, with the short way taken where it may be,
    /// ends the same as the careful one, in lenient mode as well.
    #[test]
    fn scans_with_and_without_the_short_way_agree() {
        for head in HEADS {
            let line = head.as_bytes();
            for mode in [
                Mode::Strict,
                Mode::Lenient,
                Mode::Interpreted,
                Mode::StrictUnlessCurly,
            ] {
                let mut fast = vec![];
                let step = Scanner::new(line, mode).scan_until(0, Pause::AfterA3, &mut fast);
                let (want, want_step) = careful(line, 0, mode);
                assert_eq!((fast, step), (want, want_step), "{head:?} {mode:?}");
            }
        }
    }
}
