//! Flag words of syscall arguments and record fields: open, clone, mmap and
//! PROT_, personality, scheduler policy, access and shared-memory flags.

use std::io::Write as _;

use super::args::{Unknown, flags, hex, unknown, unknown_or_hex, value};
use super::tables::{
    ACCESS_MODES, CLONE_FLAGS, IPC_FLAGS, MMAP_FLAGS, OPEN_FLAGS, PERSONALITIES, PROT_FLAGS,
    SCHED_POLICIES, SHM_MODES, SIGNALS, Table,
};
use super::{Raw, Shown, Style, mode};

pub(super) fn open_flags(v: u32, raw: Raw, out: &mut Vec<u8>) -> Shown {
    let start = out.len();
    if v & 3 == 0 {
        out.extend_from_slice(b"O_RDONLY");
    }
    let sep: &[u8] = if out.len() > start { b"|" } else { b"" };
    let mut named = Vec::new();
    OPEN_FLAGS.push_flags(u64::from(v), b"|", &mut named);
    if !named.is_empty() {
        out.extend_from_slice(sep);
        out.extend_from_slice(&named);
    }
    if out.len() == start {
        return hex(raw, out);
    }
    Shown::Translated
}

/// Open flags of a value that is not a syscall argument (`oflag=`).
pub fn oflag(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    match value(raw, style, out) {
        Ok(v) => open_flags(v as u32, raw, out),
        Err(shown) => shown,
    }
}

pub(super) fn clone_flags(v: u32, style: Style, out: &mut Vec<u8>) -> Shown {
    let start = out.len();
    CLONE_FLAGS.push_flags(u64::from(v), b"|", out);
    let sig = v & 0xff;
    if sig != 0
        && sig < 32
        && let Some(name) = SIGNALS.name(u64::from(sig))
    {
        if out.len() > start {
            out.push(b'|');
        }
        out.extend_from_slice(name.as_bytes());
    }
    if out.len() == start {
        let _ = write!(out, "0x{v:x}");
        return if style == Style::Human {
            Shown::Decoded
        } else {
            Shown::Translated
        };
    }
    Shown::Translated
}

const PER_MASK: u32 = 0xff;
const ADDR_NO_RANDOMIZE: u32 = 0x004_0000;

/// The personality flag bits of `sys/personality.h`.
const PERSONALITY_FLAGS: &[(u32, &str)] = &[
    (0x004_0000, "ADDR_NO_RANDOMIZE"),
    (0x008_0000, "FDPIC_FUNCPTRS"),
    (0x010_0000, "MMAP_PAGE_ZERO"),
    (0x020_0000, "ADDR_COMPAT_LAYOUT"),
    (0x040_0000, "READ_IMPLIES_EXEC"),
    (0x080_0000, "ADDR_LIMIT_32BIT"),
    (0x100_0000, "SHORT_INODE"),
    (0x200_0000, "WHOLE_SECONDS"),
    (0x400_0000, "STICKY_TIMEOUTS"),
    (0x800_0000, "ADDR_LIMIT_3GB"),
];

pub(super) fn personality(v: u32, raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    if style == Style::Human {
        return personality_human(v, raw, out);
    }
    match PERSONALITIES.name(u64::from(v & PER_MASK)) {
        Some(name) => {
            out.extend_from_slice(name.as_bytes());
            if v & ADDR_NO_RANDOMIZE != 0 {
                out.extend_from_slice(b"|~ADDR_NO_RANDOMIZE");
            }
            Shown::Translated
        }
        None => unknown(Unknown::Hex("personality"), u64::from(v), raw, out),
    }
}

/// The execution domain by name, then each flag bit set.
fn personality_human(v: u32, raw: Raw, out: &mut Vec<u8>) -> Shown {
    let base = u64::from(v & PER_MASK);
    let Some(&(_, name)) = PERSONALITIES.listed.iter().find(|e| e.0 & 0xff == base) else {
        return hex(raw, out);
    };
    out.extend_from_slice(name.as_bytes());
    for &(bit, flag) in PERSONALITY_FLAGS {
        if v & bit != 0 {
            out.push(b'|');
            out.extend_from_slice(flag.as_bytes());
        }
    }
    Shown::Translated
}

/// `per=` of a record (hex personality).
pub fn per(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    match value(raw, style, out) {
        Ok(v) => personality(v as u32, raw, style, out),
        Err(shown) => shown,
    }
}

const SCHED_RESET_ON_FORK: u32 = 0x4000_0000;

pub(super) fn sched(v: u32, raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    match SCHED_POLICIES.name(u64::from(v & 0x0f)) {
        Some(name) => {
            out.extend_from_slice(name.as_bytes());
            if v & SCHED_RESET_ON_FORK != 0 {
                out.extend_from_slice(b"|SCHED_RESET_ON_FORK");
            }
            Shown::Translated
        }
        None => unknown_or_hex(
            Unknown::Hex("scheduler-policy"),
            u64::from(v),
            raw,
            style,
            out,
        ),
    }
}

/// PROT_ flags; `limit` rows of the table apply (PROT_SEM only for mmap).
pub(super) fn prot(v: u32, limit: usize, raw: Raw, out: &mut Vec<u8>) -> Shown {
    if v & 7 == 0 {
        out.extend_from_slice(b"PROT_NONE");
        return Shown::Translated;
    }
    let table = Table {
        listed: &PROT_FLAGS.listed[..limit.min(PROT_FLAGS.listed.len())],
        sorted: &[],
    };
    flags(&table, u64::from(v), raw, out)
}

pub(super) fn mmap_flags(v: u32, raw: Raw, out: &mut Vec<u8>) -> Shown {
    let start = out.len();
    if v & 0x0f == 0 {
        out.extend_from_slice(b"MAP_FILE");
    }
    let mut named = Vec::new();
    MMAP_FLAGS.push_flags(u64::from(v), b"|", &mut named);
    if !named.is_empty() {
        if out.len() > start {
            out.push(b'|');
        }
        out.extend_from_slice(&named);
    }
    if out.len() == start {
        return hex(raw, out);
    }
    Shown::Translated
}

/// `flags=` of an MMAP record.
pub fn mmap_record_flags(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    match value(raw, style, out) {
        Ok(v) => mmap_flags(v as u32, raw, out),
        Err(shown) => shown,
    }
}

pub(super) fn access(v: u64, raw: Raw, out: &mut Vec<u8>) -> Shown {
    if v & 0x0f == 0 {
        out.extend_from_slice(b"F_OK");
        return Shown::Translated;
    }
    flags(&ACCESS_MODES, v, raw, out)
}

pub(super) fn shm_flags(v: u32, out: &mut Vec<u8>) -> Shown {
    let start = out.len();
    IPC_FLAGS.push_flags(u64::from(v & 0o3000), b"|", out);
    let mut named = Vec::new();
    SHM_MODES.push_flags(u64::from(v & 0o14000), b"|", &mut named);
    if !named.is_empty() {
        if out.len() > start {
            out.push(b'|');
        }
        out.extend_from_slice(&named);
    }
    if out.len() > start {
        out.push(b'|');
    }
    mode::push_mode_short(u64::from(v & 0o777), Style::Ausearch, out);
    Shown::Translated
}
