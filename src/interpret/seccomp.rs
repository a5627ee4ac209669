//! SECCOMP records: `code=` is the filter's return value, an action in the
//! high 16 bits and its data (an errno for `errno`) in the low 16.

use std::io::Write as _;

use super::errno;
use super::tables::SECCOMP_ACTIONS;
use super::{Raw, Shown, Style, named, read};

const ACTION_FULL: u64 = 0xffff_0000;
const ACTION: u64 = 0x7fff_0000;
const DATA: u64 = 0x0000_ffff;
const RET_ERRNO: u64 = 0x0005_0000;

/// Names for people: `kill` is ambiguous, so the thread/process variants are named.
fn human_action(action: u64) -> Option<&'static str> {
    match action {
        0x8000_0000 => Some("kill-process"),
        0 => Some("kill-thread"),
        a => SECCOMP_ACTIONS.name(a),
    }
}

/// `code=`: the action, and for people its data.
pub fn code(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    let v = match read(raw, 16, style, out) {
        Ok(v) => v,
        Err(shown) => return shown,
    };
    if style == Style::Ausearch {
        let name = SECCOMP_ACTIONS.name(v & ACTION);
        return named(name, "seccomp-code", "", raw, style, out);
    }
    let Some(name) = human_action(v & ACTION_FULL) else {
        return Shown::AsIs;
    };
    out.extend_from_slice(name.as_bytes());
    let data = v & DATA;
    if v & ACTION_FULL == RET_ERRNO {
        match errno::errno(data as i64) {
            Some((e, _)) => {
                let _ = write!(out, " {e}");
            }
            None => {
                let _ = write!(out, " {data}");
            }
        }
    } else if data != 0 {
        let _ = write!(out, " (data {data:#x})");
    }
    Shown::Translated
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str, style: Style) -> String {
        let mut out = Vec::new();
        let raw = crate::interpret::raw(s);
        code(raw, style, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn actions() {
        // corpus: go-libaudit/auparse-test3.log, SECCOMP code=0x50000.
        assert_eq!(run("0x50000", Style::Ausearch), "errno");
        assert_eq!(run("0x50001", Style::Human), "errno EPERM");
        assert_eq!(run("0x7fff0000", Style::Human), "allow");
        assert_eq!(run("0x80000000", Style::Human), "kill-process");
        assert_eq!(run("0x80000000", Style::Ausearch), "kill");
        assert_eq!(run("0x0", Style::Human), "kill-thread");
        assert_eq!(run("0x30005", Style::Human), "trap (data 0x5)");
        assert_eq!(
            run("0x12340000", Style::Ausearch),
            "unknown-seccomp-code(0x12340000)"
        );
    }
}
