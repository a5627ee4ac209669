//! User and group ids: `uid`, `auid`, `gid` and their family. 4294967295
//! (and -1) mean "not set". Names come from the log's own enrichment fields
//! (`UID="alice"` after the 0x1D byte) first. Looking an id up in this
//! machine's user database happens only when asked for, because a log read
//! on another machine would get that machine's names; such a name is marked
//! as local. Lookups are cached, misses included.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::CStr;

use super::num::{self, Num};
use super::{Raw, Shown, Style};

/// Users or groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    User,
    Group,
}

/// Local name lookups with a cache of hits and misses.
#[derive(Default)]
pub struct LocalNames {
    users: RefCell<HashMap<u32, Option<Box<str>>>>,
    groups: RefCell<HashMap<u32, Option<Box<str>>>>,
}

impl std::fmt::Debug for LocalNames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LocalNames")
    }
}

impl LocalNames {
    pub fn new() -> LocalNames {
        LocalNames::default()
    }

    /// Appends the local name of an id; false when this machine has none.
    pub fn push_name(&self, kind: IdKind, id: u32, out: &mut Vec<u8>) -> bool {
        let cache = match kind {
            IdKind::User => &self.users,
            IdKind::Group => &self.groups,
        };
        let mut cache = cache.borrow_mut();
        let name = cache.entry(id).or_insert_with(|| lookup(kind, id));
        match name {
            Some(n) => {
                out.extend_from_slice(n.as_bytes());
                true
            }
            None => false,
        }
    }
}

/// Asks the C library (and so NSS) for the name of an id.
fn lookup(kind: IdKind, id: u32) -> Option<Box<str>> {
    let mut buf = vec![0u8; 1024];
    loop {
        let (rc, name) = match kind {
            IdKind::User => user_name(id, &mut buf),
            IdKind::Group => group_name(id, &mut buf),
        };
        if rc == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 4, 0);
            continue;
        }
        return name;
    }
}

fn user_name(id: u32, buf: &mut [u8]) -> (i32, Option<Box<str>>) {
    // SAFETY: an all-zero passwd is a valid value for getpwuid_r to fill.
    let mut pw: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call; buf outlives the result.
    let rc =
        unsafe { libc::getpwuid_r(id, &mut pw, buf.as_mut_ptr().cast(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() || pw.pw_name.is_null() {
        return (rc, None);
    }
    // SAFETY: pw_name points into buf, NUL-terminated by the C library.
    let name = unsafe { CStr::from_ptr(pw.pw_name) };
    (0, Some(name.to_string_lossy().into()))
}

fn group_name(id: u32, buf: &mut [u8]) -> (i32, Option<Box<str>>) {
    // SAFETY: an all-zero group is a valid value for getgrgid_r to fill.
    let mut gr: libc::group = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::group = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call; buf outlives the result.
    let rc =
        unsafe { libc::getgrgid_r(id, &mut gr, buf.as_mut_ptr().cast(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() || gr.gr_name.is_null() {
        return (rc, None);
    }
    // SAFETY: gr_name points into buf, NUL-terminated by the C library.
    let name = unsafe { CStr::from_ptr(gr.gr_name) };
    (0, Some(name.to_string_lossy().into()))
}

/// Where an id's name may come from.
#[derive(Clone, Copy, Default)]
pub struct Sources<'a> {
    /// The record's enrichment value for this field (`UID="alice"`), unquoted.
    pub enriched: Option<&'a [u8]>,
    /// Local lookups, when they are allowed.
    pub local: Option<&'a LocalNames>,
}

/// An id in words: `unset`, `root`, an enriched name, a local name, or (for
/// `ausearch`) `unknown(N)`.
pub fn id(
    raw: Raw,
    base: u32,
    kind: IdKind,
    src: Sources,
    style: Style,
    out: &mut Vec<u8>,
) -> Shown {
    let v = match num::unsigned(raw, base, style) {
        Num::Val(v) => v as u32,
        Num::Overflow if style == Style::Ausearch => return super::conversion_error(raw, out),
        _ => return Shown::AsIs,
    };
    if let Some(name) = src.enriched.filter(|n| !n.is_empty()) {
        out.extend_from_slice(name);
        return Shown::Translated;
    }
    if v == u32::MAX {
        out.extend_from_slice(b"unset");
        return Shown::Translated;
    }
    if v == 0 {
        out.extend_from_slice(b"root");
        return Shown::Translated;
    }
    if let Some(local) = src.local {
        let start = out.len();
        if local.push_name(kind, v, out) {
            if style == Style::Human {
                out.extend_from_slice(b" (local)");
            }
            return Shown::Translated;
        }
        out.truncate(start);
    }
    match style {
        Style::Human => Shown::AsIs,
        Style::Ausearch => {
            out.extend_from_slice(b"unknown(");
            num::push_signed(out, i64::from(v as i32));
            out.push(b')');
            Shown::Translated
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str, src: Sources, style: Style) -> (Shown, String) {
        let mut out = Vec::new();
        let raw = crate::interpret::raw(s);
        let shown = id(raw, 10, IdKind::User, src, style, &mut out);
        (shown, String::from_utf8_lossy(&out).into_owned())
    }

    #[test]
    fn unset_root_and_numbers() {
        let none = Sources::default();
        assert_eq!(run("4294967295", none, Style::Human).1, "unset");
        assert_eq!(run("-1", none, Style::Ausearch).1, "unset");
        assert_eq!(run("0", none, Style::Human).1, "root");
        assert_eq!(run("1000", none, Style::Human).0, Shown::AsIs);
        assert_eq!(run("1000", none, Style::Ausearch).1, "unknown(1000)");
        assert_eq!(run("4294967294", none, Style::Ausearch).1, "unknown(-2)");
    }

    #[test]
    fn enriched_first() {
        // corpus: crowdsec/auditd-suid-crash.log, AUID="bui".
        let src = Sources {
            enriched: Some(b"bui"),
            local: None,
        };
        assert_eq!(
            run("1000", src, Style::Human),
            (Shown::Translated, "bui".into())
        );
    }

    #[test]
    fn local_lookup_is_marked_and_cached() {
        let names = LocalNames::new();
        let src = Sources {
            enriched: None,
            local: Some(&names),
        };
        // uid 0 never asks; an id nobody has is remembered as missing.
        assert_eq!(run("3999999999", src, Style::Human).0, Shown::AsIs);
        assert!(names.users.borrow().contains_key(&3_999_999_999));
        let mut out = Vec::new();
        if names.push_name(IdKind::Group, 0, &mut out) {
            assert_eq!(out, b"root");
        }
    }
}
