//! Signal numbers: `sig=` of ANOM_ABEND and OBJ_PID, and the signal
//! arguments of kill, tkill, tgkill and rt_sigaction.

use super::tables::SIGNALS;
use super::{Raw, Shown, Style, named, read};

/// A signal number in `base` (10 for `sig=`, 16 for syscall arguments).
pub fn signal(raw: Raw, base: u32, style: Style, out: &mut Vec<u8>) -> Shown {
    let v = match read(raw, base, style, out) {
        Ok(v) => v as i32,
        Err(shown) => return shown,
    };
    let name = if (0..32).contains(&v) {
        SIGNALS.name(v as u64)
    } else {
        None
    };
    let prefix = if base == 16 { "0x" } else { "" };
    named(name, "signal", prefix, raw, style, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str, base: u32, style: Style) -> String {
        let mut out = Vec::new();
        let raw = crate::interpret::raw(s);
        signal(raw, base, style, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn names() {
        // corpus: go-libaudit/aucoalesce-random-internet.log, ANOM_ABEND sig=11.
        assert_eq!(run("11", 10, Style::Human), "SIGSEGV");
        assert_eq!(run("9", 16, Style::Ausearch), "SIGKILL");
        assert_eq!(run("1e", 16, Style::Ausearch), "SIGPWR");
        assert_eq!(run("40", 10, Style::Ausearch), "unknown-signal(40)");
        assert_eq!(run("40", 16, Style::Ausearch), "unknown-signal(0x40)");
        assert_eq!(run("40", 10, Style::Human), "");
    }
}
