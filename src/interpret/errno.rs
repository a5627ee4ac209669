//! errno values: the `exit=` of a failed syscall, and the data of a seccomp
//! `errno` action. Names and messages are the Linux and C library ones.

use super::num::{self, Num};
use super::tables;
use super::{Raw, Shown, Style};

/// The name and meaning of an errno value (positive or negative):
/// `("EACCES", "permission denied")`.
pub fn errno(code: i64) -> Option<(&'static str, &'static str)> {
    tables::errno_row(code.unsigned_abs()).map(|e| (e.1, e.3))
}

/// The C library's message for an errno number, as `strerror` words it.
fn message(code: u64) -> Option<&'static str> {
    tables::errno_row(code).map(|e| e.2)
}

/// `exit=`: a negative value is an errno.
pub fn exit(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    let v = match num::signed(raw, 10, style) {
        Num::Val(v) => v as i64,
        Num::Overflow if style == Style::Ausearch => return super::conversion_error(raw, out),
        _ => return Shown::AsIs,
    };
    if v >= 0 {
        return match style {
            // ausearch prints the value as it was written.
            Style::Ausearch => Shown::AsIs,
            Style::Human => Shown::AsIs,
        };
    }
    let code = v.unsigned_abs();
    match style {
        Style::Ausearch => {
            let name = tables::errno_row(code).map_or("(null)", |e| e.1);
            out.extend_from_slice(name.as_bytes());
            match message(code) {
                Some(m) => {
                    out.push(b'(');
                    out.extend_from_slice(m.as_bytes());
                    out.push(b')');
                }
                None => {
                    out.extend_from_slice(b"(Unknown error ");
                    num::push_signed(out, i64::from(code as i32));
                    out.push(b')');
                }
            }
            Shown::Translated
        }
        Style::Human => match errno(v) {
            Some((name, meaning)) => {
                out.extend_from_slice(name.as_bytes());
                out.extend_from_slice(b" \"");
                out.extend_from_slice(meaning.as_bytes());
                out.push(b'"');
                Shown::Translated
            }
            None => Shown::AsIs,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpret::raw;

    fn run(s: &str, style: Style) -> (Shown, String) {
        let mut out = Vec::new();
        let shown = exit(raw(s), style, &mut out);
        (shown, String::from_utf8_lossy(&out).into_owned())
    }

    #[test]
    fn names_and_meanings() {
        assert_eq!(errno(-13), Some(("EACCES", "permission denied")));
        assert_eq!(errno(2), Some(("ENOENT", "no such file or directory")));
        assert_eq!(
            errno(11),
            Some(("EAGAIN", "resource temporarily unavailable"))
        );
        assert_eq!(errno(0), None);
        assert_eq!(errno(i64::MIN), None);
    }

    #[test]
    fn exit_values() {
        // corpus: audit-userspace/auparse-test.log, open() refused.
        assert_eq!(
            run("-13", Style::Human),
            (Shown::Translated, "EACCES \"permission denied\"".into())
        );
        assert_eq!(run("-13", Style::Ausearch).1, "EACCES(Permission denied)");
        assert_eq!(run("-531", Style::Ausearch).1, "(null)(Unknown error 531)");
        assert_eq!(run("-531", Style::Human).0, Shown::AsIs);
        assert_eq!(run("3", Style::Human).0, Shown::AsIs);
        assert_eq!(
            run("-99999999999999999999", Style::Ausearch).1,
            "conversion error(-99999999999999999999)"
        );
        assert_eq!(run("-99999999999999999999", Style::Human).0, Shown::AsIs);
    }
}
