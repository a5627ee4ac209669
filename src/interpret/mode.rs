//! File modes and audit permissions: `mode=0100644` (file type, set-id and
//! sticky bits, permission bits) and `perm=` of watch rules (read, write,
//! exec, attr).

use super::num::{self, Num};
use super::tables::FILE_TYPES;
use super::{Raw, Shown, Style};

const S_IFMT: u64 = 0o170000;
const S_ISUID: u64 = 0o4000;
const S_ISGID: u64 = 0o2000;
const S_ISVTX: u64 = 0o1000;

/// Appends `v` in octal with zeros in front up to `width` digits, as
/// `{:0width$o}` writes it, without the formatting machinery.
fn push_octal(out: &mut Vec<u8>, v: u64, width: usize) {
    // 22 octal digits hold any u64.
    let mut buf = [b'0'; 22];
    let mut at = buf.len();
    let mut rest = v;
    loop {
        at -= 1;
        buf[at] = b'0' + (rest & 7) as u8;
        rest >>= 3;
        if rest == 0 {
            break;
        }
    }
    let start = at.min(buf.len().saturating_sub(width));
    out.extend_from_slice(&buf[start..]);
}

/// `rwxr-xr-x` for the low nine bits, with `s`/`t` for set-id and sticky.
fn push_symbolic(mode: u64, out: &mut Vec<u8>) {
    let bit = |m: u64, c: u8| if mode & m != 0 { c } else { b'-' };
    let special = |x: u64, s: u64, set: u8| match (mode & x != 0, mode & s != 0) {
        (true, true) => set,
        (false, true) => set.to_ascii_uppercase(),
        (true, false) => b'x',
        (false, false) => b'-',
    };
    out.extend_from_slice(&[
        bit(0o400, b'r'),
        bit(0o200, b'w'),
        special(0o100, S_ISUID, b's'),
        bit(0o040, b'r'),
        bit(0o020, b'w'),
        special(0o010, S_ISGID, b's'),
        bit(0o004, b'r'),
        bit(0o002, b'w'),
        special(0o001, S_ISVTX, b't'),
    ]);
}

/// A full mode with its file type (`mode=` of PATH, IPC, ...), read in `base`.
pub fn mode(raw: Raw, base: u32, style: Style, out: &mut Vec<u8>) -> Shown {
    let m = match num::unsigned(raw, base, style) {
        Num::Val(v) => v & 0xffff_ffff,
        Num::Overflow if style == Style::Ausearch => return super::conversion_error(raw, out),
        _ => return Shown::AsIs,
    };
    match FILE_TYPES.name(m & S_IFMT) {
        Some(t) => out.extend_from_slice(t.as_bytes()),
        None => {
            push_octal(out, (m & S_IFMT) >> 12, 3);
        }
    }
    match style {
        Style::Ausearch => {
            for (bit, word) in [(S_ISUID, ",suid"), (S_ISGID, ",sgid"), (S_ISVTX, ",sticky")] {
                if m & bit != 0 {
                    out.extend_from_slice(word.as_bytes());
                }
            }
            out.push(b',');
            push_octal(out, m & 0o777, 3);
        }
        Style::Human => {
            out.push(b' ');
            push_octal(out, m & 0o7777, 4);
            out.push(b' ');
            push_symbolic(m, out);
        }
    }
    Shown::Translated
}

/// Permission bits without a file type (chmod's and mkdir's mode argument).
pub fn mode_short(raw: Raw, base: u32, style: Style, out: &mut Vec<u8>) -> Shown {
    let m = match num::unsigned(raw, base, style) {
        Num::Val(v) => v & 0xffff_ffff,
        Num::Overflow if style == Style::Ausearch => return super::conversion_error(raw, out),
        _ => return Shown::AsIs,
    };
    push_mode_short(m, style, out);
    Shown::Translated
}

/// Writes permission bits: `suid,0755` for `ausearch`, `4755 rwsr-xr-x` for people.
pub fn push_mode_short(m: u64, style: Style, out: &mut Vec<u8>) {
    match style {
        Style::Ausearch => {
            let mut n = 0;
            for (bit, word) in [(S_ISUID, "suid"), (S_ISGID, "sgid"), (S_ISVTX, "sticky")] {
                if m & bit != 0 {
                    if n > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(word.as_bytes());
                    n += 1;
                }
            }
            if n > 0 {
                out.push(b',');
            }
            out.push(b'0');
            push_octal(out, m & 0o777, 3);
        }
        Style::Human => {
            push_octal(out, m & 0o7777, 4);
            out.push(b' ');
            push_symbolic(m, out);
        }
    }
}

/// `perm=` of a watch: which accesses the rule watches. 0 means all of them.
pub fn perm(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    let p = match num::signed(raw, 10, style) {
        Num::Val(v) => v as i32,
        Num::Overflow if style == Style::Ausearch => return super::conversion_error(raw, out),
        _ => return Shown::AsIs,
    };
    let p = if p == 0 { 0x0f } else { p };
    let mut n = 0;
    for (bit, word) in [(4, "read"), (2, "write"), (1, "exec"), (8, "attr")] {
        if p & bit != 0 {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(word.as_bytes());
            n += 1;
        }
    }
    Shown::Translated
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpret::raw;

    #[test]
    fn octal_as_format_writes_it() {
        for v in [0, 1, 7, 8, 0o644, 0o7777, 0o100600, u64::MAX] {
            for width in [3, 4] {
                let mut out = Vec::new();
                push_octal(&mut out, v, width);
                assert_eq!(out, format!("{v:0width$o}").into_bytes());
            }
        }
    }

    fn run(f: impl Fn(Raw, &mut Vec<u8>) -> Shown, s: &str) -> String {
        let mut out = Vec::new();
        f(raw(s), &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn full_modes() {
        // corpus: audit-userspace/auparse-test.log, PATH mode=040730.
        assert_eq!(
            run(|r, o| mode(r, 8, Style::Ausearch, o), "040730"),
            "dir,730"
        );
        assert_eq!(
            run(|r, o| mode(r, 8, Style::Human, o), "040730"),
            "dir 0730 rwx-wx---"
        );
        assert_eq!(
            run(|r, o| mode(r, 8, Style::Ausearch, o), "0104755"),
            "file,suid,755"
        );
        assert_eq!(
            run(|r, o| mode(r, 8, Style::Human, o), "0104755"),
            "file 4755 rwsr-xr-x"
        );
        assert_eq!(
            run(|r, o| mode(r, 8, Style::Ausearch, o), "01777"),
            "000,sticky,777"
        );
        assert_eq!(run(|r, o| mode(r, 8, Style::Human, o), "x"), "");
    }

    #[test]
    fn short_modes_and_perms() {
        assert_eq!(
            run(|r, o| mode_short(r, 16, Style::Ausearch, o), "1ed"),
            "0755"
        );
        assert_eq!(
            run(|r, o| mode_short(r, 16, Style::Ausearch, o), "9ed"),
            "suid,0755"
        );
        assert_eq!(
            run(|r, o| mode_short(r, 16, Style::Human, o), "1a4"),
            "0644 rw-r--r--"
        );
        assert_eq!(
            run(|r, o| perm(r, Style::Ausearch, o), "0"),
            "read,write,exec,attr"
        );
        assert_eq!(run(|r, o| perm(r, Style::Human, o), "6"), "read,write");
        assert_eq!(run(|r, o| perm(r, Style::Ausearch, o), "3"), "write,exec");
    }
}
