//! Capabilities: `capability=` names one, the `cap_*`, `pp`/`pi`/`pe`/`pa`,
//! `fp`/`fi` and `old_`/`new_` fields are hex bitmaps of them.

use std::io::Write as _;

use super::num::{self, Num};
use super::tables::CAPABILITIES;
use super::{Raw, Shown, Style, named, read};

/// The highest capability number `ausearch` 3.0.9 was built to know.
const AUSEARCH_LAST_CAP: u32 = 40;

/// `capability=`: one capability number, decimal.
pub fn capability(raw: Raw, base: u32, style: Style, out: &mut Vec<u8>) -> Shown {
    let v = match read(raw, base, style, out) {
        Ok(v) => v as i32,
        Err(shown) => return shown,
    };
    let name = u64::try_from(v).ok().and_then(|v| CAPABILITIES.name(v));
    let prefix = if base == 16 { "0x" } else { "" };
    named(name, "capability", prefix, raw, style, out)
}

/// A capability bitmap: the names of the bits set, or `none`.
pub fn bitmap(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    let bits = match num::unsigned(raw, 16, style) {
        Num::Val(v) => v,
        Num::Overflow if style == Style::Ausearch => return super::conversion_error(raw, out),
        _ => return Shown::AsIs,
    };
    let last = match style {
        Style::Ausearch => AUSEARCH_LAST_CAP,
        Style::Human => 63,
    };
    let mut n = 0;
    for i in 0..=last {
        if bits & (1u64 << i) == 0 {
            continue;
        }
        if n > 0 {
            out.push(b',');
        }
        match CAPABILITIES.name(u64::from(i)) {
            Some(name) => out.extend_from_slice(name.as_bytes()),
            None => {
                let _ = write!(out, "cap{i}");
            }
        }
        n += 1;
    }
    if n == 0 {
        out.extend_from_slice(b"none");
    }
    Shown::Translated
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: impl Fn(Raw, &mut Vec<u8>) -> Shown, s: &str) -> String {
        let mut out = Vec::new();
        let raw = crate::interpret::raw(s);
        f(raw, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn bitmaps() {
        // corpus: laurel/record-execve-long.log, PATH cap_fp=0.
        assert_eq!(run(|r, o| bitmap(r, Style::Ausearch, o), "0"), "none");
        assert_eq!(
            run(|r, o| bitmap(r, Style::Human, o), "3"),
            "chown,dac_override"
        );
        assert_eq!(
            run(|r, o| bitmap(r, Style::Human, o), "10000000000000000"),
            ""
        );
        assert_eq!(
            run(|r, o| bitmap(r, Style::Human, o), "8000000000000000"),
            "cap63"
        );
        assert_eq!(
            run(|r, o| bitmap(r, Style::Ausearch, o), "8000000000000000"),
            "none"
        );
    }

    #[test]
    fn single() {
        assert_eq!(
            run(|r, o| capability(r, 10, Style::Human, o), "21"),
            "sys_admin"
        );
        assert_eq!(
            run(|r, o| capability(r, 10, Style::Ausearch, o), "99"),
            "unknown-capability(99)"
        );
        assert_eq!(
            run(|r, o| capability(r, 16, Style::Ausearch, o), "63"),
            "unknown-capability(0x63)"
        );
    }
}
