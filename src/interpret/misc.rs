//! The remaining small interpretations: results and yes/no values, sessions,
//! promiscuous mode, audit filter lists, old PATH flags, fanotify responses,
//! netlink multicast groups, openat2 resolve flags and ioctl requests.

use std::io::Write as _;

use super::num::{self, Num};
use super::tables::{FILTER_LISTS, IOCTL_REQUESTS, OPENAT2_RESOLVE, PATH_FLAGS};
use super::{Raw, Shown, Style, named, read};
use crate::record::Quote;

/// `res=`, `result=`: `1`/`0` (and for people `success`/`failed`) as yes/no.
pub fn success(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    let starts_digit = raw.quote == Quote::None && raw.text.first().is_some_and(u8::is_ascii_digit);
    if !starts_digit {
        if style == Style::Human {
            let word: &[u8] = match raw.text {
                b"success" => b"yes",
                b"failed" | b"fail" | b"failure" => b"no",
                _ => return Shown::AsIs,
            };
            out.extend_from_slice(word);
            return Shown::Translated;
        }
        return Shown::AsIs;
    }
    let v = match read(raw, 10, style, out) {
        Ok(v) => v as i32,
        Err(shown) => return shown,
    };
    let word: &[u8] = match v {
        0 => b"no",
        1 => b"yes",
        _ if style == Style::Human => return Shown::AsIs,
        _ => b"unset",
    };
    out.extend_from_slice(word);
    Shown::Translated
}

/// `ses=`: the login session; 4294967295 means there is none.
pub fn session(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    let unset = match style {
        Style::Ausearch => raw.quote == Quote::None && raw.text == b"4294967295",
        Style::Human => raw.quote == Quote::None && matches!(raw.text, b"4294967295" | b"-1"),
    };
    if unset {
        out.extend_from_slice(b"unset");
        return Shown::Translated;
    }
    Shown::AsIs
}

/// `prom=`, `old_prom=`: promiscuous mode on or off.
pub fn promisc(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    match num::signed(raw, 10, style) {
        Num::Val(v) => {
            out.extend_from_slice(if v == 0 { b"no" } else { b"yes" });
            Shown::Translated
        }
        Num::Overflow if style == Style::Ausearch => super::conversion_error(raw, out),
        _ => Shown::AsIs,
    }
}

/// `list=`: the audit filter list a rule belongs to.
pub fn list(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    let v = match read(raw, 10, style, out) {
        Ok(v) => v as i32,
        Err(shown) => return shown,
    };
    let name = u64::try_from(v).ok().and_then(|v| FILTER_LISTS.name(v));
    named(name, "list", "", raw, style, out)
}

/// `flags=` of PATH records from old kernels: lookup flags.
pub fn path_flags(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    let v = match read(raw, 16, style, out) {
        Ok(v) => u64::from(v as u32),
        Err(shown) => return shown,
    };
    if v == 0 {
        out.extend_from_slice(b"none");
        return Shown::Translated;
    }
    if PATH_FLAGS.push_flags(v, b",", out) == 0 {
        out.extend_from_slice(b"0x");
        raw.push_token(out);
    }
    Shown::Translated
}

/// `resp=` of FANOTIFY: the access decision.
pub fn fanotify(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    if raw.quote != Quote::None || !raw.text.first().is_some_and(u8::is_ascii_digit) {
        return Shown::AsIs;
    }
    let v = match read(raw, 10, style, out) {
        Ok(v) => v as u32,
        Err(shown) => return shown,
    };
    let word: &[u8] = match v {
        1 => b"allow",
        2 => b"deny",
        _ if style == Style::Human => return Shown::AsIs,
        _ => b"unknown",
    };
    out.extend_from_slice(word);
    Shown::Translated
}

/// FANOTIFY's newer fields, for people: whether the subject and object are
/// trusted, which kind of extra information the response carried, and the
/// rule number it names (written in hex).
pub fn fanotify_detail(kind: super::Kind, raw: Raw, out: &mut Vec<u8>) -> Shown {
    let base = if kind == super::Kind::FanInfo { 16 } else { 10 };
    let Num::Val(v) = num::unsigned(raw, base, Style::Human) else {
        return Shown::AsIs;
    };
    match (kind, v) {
        (super::Kind::Trust, 0) => out.extend_from_slice(b"no"),
        (super::Kind::Trust, 1) => out.extend_from_slice(b"yes"),
        (super::Kind::Trust, 2) => out.extend_from_slice(b"unknown"),
        (super::Kind::FanType, 0) => out.extend_from_slice(b"none"),
        (super::Kind::FanType, 1) => out.extend_from_slice(b"audit rule"),
        (super::Kind::FanInfo, v) => {
            let _ = write!(out, "rule {v}");
        }
        _ => return Shown::AsIs,
    }
    Shown::Translated
}

/// `nl-mcgrp=`: the netlink multicast group a reader joined.
pub fn nlmcgrp(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    let v = match read(raw, 16, style, out) {
        Ok(v) => v,
        Err(shown) => return shown,
    };
    out.extend_from_slice(if v == 1 {
        b"audit-netlink-multicast"
    } else {
        b"audit-none"
    });
    Shown::Translated
}

/// `resolve=` of OPENAT2: RESOLVE_ flags.
pub fn resolve(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    let v = match read(raw, 16, style, out) {
        Ok(v) => v,
        Err(shown) => return shown,
    };
    if OPENAT2_RESOLVE.push_flags(v, b"|", out) == 0 {
        out.extend_from_slice(b"0x");
        raw.push_token(out);
        return Shown::Decoded;
    }
    Shown::Translated
}

/// `ioctlcmd=`: the ioctl request, by name when known.
pub fn ioctl(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    let v = match read(raw, 16, style, out) {
        Ok(v) => v as u32,
        Err(shown) => return shown,
    };
    match IOCTL_REQUESTS.name(u64::from(v)) {
        Some(n) => {
            out.extend_from_slice(n.as_bytes());
            Shown::Translated
        }
        None => {
            let _ = write!(out, "0x{v:x}");
            Shown::Decoded
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(Raw, Style, &mut Vec<u8>) -> Shown, s: &str, style: Style) -> (Shown, String) {
        let mut out = Vec::new();
        let raw = crate::interpret::raw(s);
        let shown = f(raw, style, &mut out);
        (shown, String::from_utf8_lossy(&out).into_owned())
    }

    #[test]
    fn results() {
        // corpus: audit-userspace/auparse-test.log, LOGIN res=1.
        assert_eq!(run(success, "1", Style::Ausearch).1, "yes");
        assert_eq!(run(success, "0", Style::Human).1, "no");
        assert_eq!(run(success, "success", Style::Ausearch).0, Shown::AsIs);
        assert_eq!(run(success, "success", Style::Human).1, "yes");
        assert_eq!(run(success, "failed", Style::Human).1, "no");
        assert_eq!(run(success, "7", Style::Ausearch).1, "unset");
    }

    #[test]
    fn sessions_and_small_things() {
        assert_eq!(run(session, "4294967295", Style::Human).1, "unset");
        assert_eq!(run(session, "12", Style::Human).0, Shown::AsIs);
        // corpus: go-libaudit/aucoalesce-ubuntu-16.10-linux-4.8.0.log, ANOM_PROMISCUOUS prom=256.
        assert_eq!(run(promisc, "256", Style::Ausearch).1, "yes");
        assert_eq!(run(promisc, "0", Style::Ausearch).1, "no");
        // corpus: go-libaudit/aucoalesce-rhel-7-linux-3.10.0.log, CONFIG_CHANGE list=4.
        assert_eq!(run(list, "4", Style::Ausearch).1, "exit");
        assert_eq!(run(list, "9", Style::Ausearch).1, "unknown-list(9)");
        assert_eq!(run(path_flags, "101", Style::Ausearch).1, "follow,open");
        assert_eq!(run(fanotify, "2", Style::Human).1, "deny");
        let detail = |k, v: &str| {
            let mut out = Vec::new();
            let raw = crate::interpret::raw(v);
            fanotify_detail(k, raw, &mut out);
            String::from_utf8_lossy(&out).into_owned()
        };
        assert_eq!(detail(super::super::Kind::Trust, "2"), "unknown");
        assert_eq!(detail(super::super::Kind::FanInfo, "11"), "rule 17");
        assert_eq!(run(nlmcgrp, "1", Style::Human).1, "audit-netlink-multicast");
        assert_eq!(run(resolve, "8", Style::Human).1, "RESOLVE_BENEATH");
        assert_eq!(run(ioctl, "5401", Style::Human).1, "TCGETS");
        assert_eq!(run(ioctl, "1234", Style::Ausearch).1, "0x1234");
    }
}
