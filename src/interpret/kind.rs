//! What kind of value a field holds, decided from its name and the record type.
//!
//! The names follow the field dictionary auditd's tools use, so the `ausearch`
//! style treats each field exactly as `ausearch -i` does, including the few
//! places where one name means different things in different records.

use super::Raw;
use super::num;
use crate::record::Quote;

/// Record type numbers this module needs.
pub mod rtype {
    pub const ADD_GROUP: u32 = 1116;
    pub const DEL_GROUP: u32 = 1117;
    pub const TRUSTED_APP: u32 = 1121;
    pub const USER_TTY: u32 = 1124;
    pub const GRP_MGMT: u32 = 1132;
    pub const PATH: u32 = 1302;
    pub const EXECVE: u32 = 1309;
    pub const MQ_OPEN: u32 = 1312;
    pub const NETFILTER_PKT: u32 = 1324;
    pub const KERN_MODULE: u32 = 1330;
    pub const AVC: u32 = 1400;
    pub const CRYPTO_KEY_USER: u32 = 2404;
}

/// The kinds of field value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Uid,
    Gid,
    Syscall,
    Arch,
    Exit,
    /// A string the kernel may have hex-encoded.
    Escaped,
    /// A file name (hex-encoded like `Escaped`).
    EscapedFile,
    /// The rule key: hex-encoded, several keys joined by 0x01.
    EscapedKey,
    Perm,
    Mode,
    ModeShort,
    Sockaddr,
    /// PATH `flags` of old kernels.
    PathFlags,
    Promisc,
    Capability,
    Success,
    /// Syscall argument a0..a3.
    Arg(u8),
    Signal,
    List,
    TtyData,
    Session,
    CapBitmap,
    NfProto,
    IcmpType,
    Protocol,
    Addr,
    Personality,
    Seccomp,
    OpenFlags,
    MmapFlags,
    Proctitle,
    Hook,
    NetAction,
    MacProto,
    IoctlReq,
    Fanotify,
    NlMcGrp,
    Resolve,
    MacLabel,
    /// For people only: fanotify's subj_trust/obj_trust (0 no, 1 yes, 2 unknown).
    Trust,
    /// For people only: fanotify's fan_type and fan_info.
    FanType,
    FanInfo,
    Unclassified,
}

/// One name of the dictionary: its kind in any record, its kind for people
/// (names `ausearch` leaves alone that people still want in words), and
/// whether some record type gives the name another meaning.
#[derive(Clone, Copy)]
struct Entry {
    name: &'static [u8],
    kind: Kind,
    human: Kind,
    exception: bool,
}

const fn entry(name: &'static [u8], kind: Kind) -> Entry {
    Entry {
        name,
        kind,
        human: kind,
        exception: false,
    }
}

/// The dictionary. `classify`'s exceptions are marked, so that a name
/// without one is answered from the table alone.
const DICTIONARY: &[Entry] = {
    use Kind::*;
    &[
        entry(b"auid", Uid),
        entry(b"uid", Uid),
        entry(b"euid", Uid),
        entry(b"suid", Uid),
        entry(b"fsuid", Uid),
        entry(b"ouid", Uid),
        entry(b"oauid", Uid),
        entry(b"old-auid", Uid),
        entry(b"iuid", Uid),
        exception(b"id", Uid),
        entry(b"inode_uid", Uid),
        entry(b"sauid", Uid),
        entry(b"obj_uid", Uid),
        entry(b"obj_gid", Gid),
        entry(b"gid", Gid),
        entry(b"egid", Gid),
        entry(b"sgid", Gid),
        entry(b"fsgid", Gid),
        entry(b"ogid", Gid),
        entry(b"igid", Gid),
        entry(b"inode_gid", Gid),
        entry(b"new_gid", Gid),
        entry(b"syscall", Syscall),
        entry(b"arch", Arch),
        entry(b"exit", Exit),
        exception(b"name", EscapedFile),
        entry(b"key", EscapedKey),
        entry(b"path", Escaped),
        entry(b"comm", Escaped),
        entry(b"exe", Escaped),
        entry(b"file", Escaped),
        entry(b"watch", Escaped),
        entry(b"cwd", Escaped),
        entry(b"cmd", Escaped),
        exception(b"acct", Escaped),
        entry(b"dir", Escaped),
        entry(b"vm", Escaped),
        entry(b"old-chardev", Escaped),
        entry(b"new-chardev", Escaped),
        entry(b"old-disk", Escaped),
        entry(b"new-disk", Escaped),
        entry(b"old-fs", Escaped),
        entry(b"new-fs", Escaped),
        entry(b"old-net", Escaped),
        entry(b"new-net", Escaped),
        entry(b"device", Escaped),
        entry(b"cgroup", Escaped),
        entry(b"apparmor", Escaped),
        entry(b"operation", Escaped),
        entry(b"denied_mask", Escaped),
        entry(b"info", Escaped),
        entry(b"profile", Escaped),
        entry(b"requested_mask", Escaped),
        entry(b"old-rng", Escaped),
        entry(b"new-rng", Escaped),
        entry(b"ocomm", Escaped),
        entry(b"grp", Escaped),
        entry(b"new_group", Escaped),
        entry(b"invalid_context", Escaped),
        entry(b"sw", Escaped),
        entry(b"root_dir", Escaped),
        entry(b"perm", Perm),
        entry(b"perm_mask", Perm),
        exception(b"mode", Mode),
        exception(b"saddr", Sockaddr),
        entry(b"prom", Promisc),
        entry(b"old_prom", Promisc),
        entry(b"capability", Capability),
        entry(b"res", Success),
        entry(b"result", Success),
        entry(b"a0", Arg(0)),
        entry(b"a1", Arg(1)),
        entry(b"a2", Arg(2)),
        entry(b"a3", Arg(3)),
        entry(b"sig", Signal),
        entry(b"sigev_signo", Signal),
        entry(b"list", List),
        entry(b"data", TtyData),
        entry(b"ses", Session),
        entry(b"cap_pi", CapBitmap),
        entry(b"cap_pe", CapBitmap),
        entry(b"cap_pp", CapBitmap),
        entry(b"cap_pa", CapBitmap),
        entry(b"cap_fi", CapBitmap),
        entry(b"cap_fp", CapBitmap),
        exception(b"fp", CapBitmap),
        entry(b"fi", CapBitmap),
        entry(b"old_pp", CapBitmap),
        entry(b"old_pi", CapBitmap),
        entry(b"old_pe", CapBitmap),
        entry(b"old_pa", CapBitmap),
        entry(b"new_pp", CapBitmap),
        entry(b"new_pi", CapBitmap),
        entry(b"new_pe", CapBitmap),
        entry(b"pp", CapBitmap),
        entry(b"pi", CapBitmap),
        entry(b"pe", CapBitmap),
        entry(b"pa", CapBitmap),
        entry(b"family", NfProto),
        entry(b"icmptype", IcmpType),
        entry(b"proto", Protocol),
        entry(b"addr", Addr),
        entry(b"per", Personality),
        entry(b"code", Seccomp),
        entry(b"oflag", OpenFlags),
        exception(b"flags", MmapFlags),
        entry(b"subj", MacLabel),
        entry(b"obj", MacLabel),
        entry(b"scontext", MacLabel),
        entry(b"tcontext", MacLabel),
        entry(b"vm-ctx", MacLabel),
        entry(b"img-ctx", MacLabel),
        entry(b"proctitle", Proctitle),
        entry(b"hook", Hook),
        entry(b"action", NetAction),
        entry(b"macproto", MacProto),
        entry(b"ioctlcmd", IoctlReq),
        entry(b"resp", Fanotify),
        entry(b"nl-mcgrp", NlMcGrp),
        entry(b"resolve", Resolve),
        exception(b"msg", Unclassified),
        human(b"old-ses", Session),
        human(b"oses", Session),
        human(b"subj_trust", Trust),
        human(b"obj_trust", Trust),
        human(b"fan_type", FanType),
        human(b"fan_info", FanInfo),
    ]
};

const fn exception(name: &'static [u8], kind: Kind) -> Entry {
    Entry {
        exception: true,
        ..entry(name, kind)
    }
}

const fn human(name: &'static [u8], kind: Kind) -> Entry {
    Entry {
        human: kind,
        ..entry(name, Kind::Unclassified)
    }
}

/// Slots of the name table: a power of two, about four times the names.
const SLOTS: usize = 512;

/// The first eight bytes of a name as a little-endian word (zero padded):
/// with the length, all of a name of up to eight bytes.
const fn key_of(name: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < name.len() && i < 8 {
        key |= (name[i] as u64) << (8 * i);
        i += 1;
    }
    key
}

/// The last eight bytes of a name longer than eight as a little-endian
/// word, 0 for shorter names: with `key_of` and the length, all of a name
/// of up to sixteen bytes.
const fn tail_of(name: &[u8]) -> u64 {
    let n = name.len();
    let mut tail = 0u64;
    if n > 8 {
        let mut i = 0;
        while i < 8 {
            tail |= (name[n - 8 + i] as u64) << (8 * i);
            i += 1;
        }
    }
    tail
}

/// The longest name the table can hold: `key_of` and `tail_of` cover it.
const LONGEST: usize = 16;

/// The slot a name hashes to, from its key, its length and its last byte.
const fn slot_of(key: u64, name: &[u8]) -> usize {
    let last = match name.last() {
        Some(&b) => b as u64,
        None => 0,
    };
    let mixed = key ^ ((name.len() as u64) << 56) ^ (last << 48);
    (mixed.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 55) as usize & (SLOTS - 1)
}

/// One slot of the table: a dictionary name's words and length, and where
/// its entry is.
#[derive(Clone, Copy)]
struct Slot {
    key: u64,
    tail: u64,
    len: u8,
    entry: u8,
}

/// The dictionary as an open-addressing table, built by the compiler.
static TABLE: [Option<Slot>; SLOTS] = {
    assert!(DICTIONARY.len() <= u8::MAX as usize);
    let mut table = [None; SLOTS];
    let mut i = 0;
    while i < DICTIONARY.len() {
        let name = DICTIONARY[i].name;
        assert!(name.len() <= LONGEST);
        let mut s = slot_of(key_of(name), name);
        while table[s].is_some() {
            s = (s + 1) & (SLOTS - 1);
        }
        table[s] = Some(Slot {
            key: key_of(name),
            tail: tail_of(name),
            len: name.len() as u8,
            entry: i as u8,
        });
        i += 1;
    }
    table
};

/// An eight-byte word from up to eight bytes, zero padded.
#[inline]
fn word<const N: usize>(bytes: Option<&[u8; N]>) -> u64 {
    let mut wide = [0u8; 8];
    if let Some(b) = bytes {
        wide[..N].copy_from_slice(b);
    }
    u64::from_le_bytes(wide)
}

/// `key_of` at run time, from at most two loads: a name of four to seven
/// bytes is its first four and its last four (the bytes they share are the
/// same in both), and so on down. For up to eight bytes that is the bytes
/// as a little-endian word, zero padded; a longer name gives its first eight.
#[inline]
pub(super) fn key_now(name: &[u8]) -> u64 {
    let n = name.len();
    match n {
        8.. => word(name.first_chunk::<8>()),
        4..=7 => word(name.first_chunk::<4>()) | word(name.last_chunk::<4>()) << (8 * (n - 4)),
        2..=3 => word(name.first_chunk::<2>()) | word(name.last_chunk::<2>()) << (8 * (n - 2)),
        1 => word(name.first_chunk::<1>()),
        _ => 0,
    }
}

/// `tail_of` at run time.
#[inline]
fn tail_now(name: &[u8]) -> u64 {
    match name.len() {
        9.. => word(name.last_chunk::<8>()),
        _ => 0,
    }
}

/// The entry of a name, if the dictionary has it. Names are compared as
/// words, so no byte loop or call is needed.
#[inline]
fn lookup(name: &[u8]) -> Option<&'static Entry> {
    if name.len() > LONGEST {
        return None;
    }
    let (key, tail) = (key_now(name), tail_now(name));
    let mut s = slot_of(key, name);
    loop {
        let slot = TABLE[s].as_ref()?;
        // Equal words and lengths settle names of up to sixteen bytes.
        if slot.key == key && slot.tail == tail && usize::from(slot.len) == name.len() {
            return DICTIONARY.get(usize::from(slot.entry));
        }
        s = (s + 1) & (SLOTS - 1);
    }
}

/// The kind a field name has in any record (the dictionary without exceptions).
fn by_name(name: &[u8]) -> Kind {
    lookup(name).map_or(Kind::Unclassified, |e| e.kind)
}

/// The kind for people of a name `ausearch` leaves alone.
pub fn human_kind(name: &[u8]) -> Kind {
    lookup(name).map_or(Kind::Unclassified, |e| e.human)
}

/// True for the names whose interpretation reads other fields of the record:
/// `syscall` (named for the record's arch) and `a0` to `a3` (read by what the
/// call is). Every other field means the same whatever surrounds it, which is
/// what lets renderers remember a record's later fields (`render::memo`).
pub fn reads_context(name: &[u8]) -> bool {
    matches!(name, b"syscall" | [b'a', b'0'..=b'3'])
}

/// `classify`, and for people (`human`) the names `ausearch` leaves alone
/// in words too, from one look at the table when no exception applies.
pub fn classify_for(rtype: Option<u32>, name: &[u8], raw: Raw, human: bool) -> Kind {
    let t = rtype.unwrap_or(0);
    if t == rtype::EXECVE || t == rtype::TRUSTED_APP {
        return classify_with_human(rtype, name, raw, human);
    }
    let Some(e) = lookup(name) else {
        return Kind::Unclassified;
    };
    let kind = if e.exception {
        exception_kind(t, e, raw)
    } else {
        e.kind
    };
    if human && kind == Kind::Unclassified {
        e.human
    } else {
        kind
    }
}

/// `classify` for a dictionary name with an exception, in a record that is
/// neither an EXECVE nor a TRUSTED_APP (whose rules come first there): the
/// exception's kind when the record or value calls for it, else the entry's.
fn exception_kind(t: u32, e: &Entry, raw: Raw) -> Kind {
    use rtype::*;
    match e.name {
        b"saddr" if t == AVC => Kind::Unclassified,
        b"saddr" if t == NETFILTER_PKT => Kind::Addr,
        b"msg" if t == USER_TTY => Kind::Escaped,
        b"acct" if raw.quote == Quote::Double || num::is_hex(raw.text) => Kind::Escaped,
        b"acct" => Kind::Unclassified,
        b"flags" if t == PATH => Kind::PathFlags,
        b"mode" if t == MQ_OPEN => Kind::ModeShort,
        b"fp" if t == CRYPTO_KEY_USER => Kind::Unclassified,
        b"id" if t == ADD_GROUP || t == GRP_MGMT || t == DEL_GROUP => Kind::Gid,
        b"name" if t == KERN_MODULE => Kind::Escaped,
        _ => e.kind,
    }
}

/// `classify_for` where an exception may apply: `classify`, then the
/// people's kind of a dictionary name `ausearch` leaves alone. Out of line,
/// so the common path above keeps few values alive.
#[inline(never)]
fn classify_with_human(rtype: Option<u32>, name: &[u8], raw: Raw, human: bool) -> Kind {
    let kind = classify(rtype, name, raw);
    match lookup(name) {
        Some(e) if human && kind == Kind::Unclassified => e.human,
        _ => kind,
    }
}

/// The kind of field `name` with value `raw` in a record of type `rtype`.
pub fn classify(rtype: Option<u32>, name: &[u8], raw: Raw) -> Kind {
    use rtype::*;
    let t = rtype.unwrap_or(0);
    let quoted = raw.quote == Quote::Double;
    match name {
        _ if t == EXECVE
            && name.first() == Some(&b'a')
            && name != b"argc"
            && memchr::memmem::find(name, b"_len").is_none() =>
        {
            Kind::Escaped
        }
        b"saddr" if t == AVC => Kind::Unclassified,
        b"msg" if t == USER_TTY => Kind::Escaped,
        b"saddr" if t == NETFILTER_PKT => Kind::Addr,
        b"acct" if quoted || num::is_hex(raw.text) => Kind::Escaped,
        b"acct" => Kind::Unclassified,
        b"flags" if t == PATH => Kind::PathFlags,
        b"mode" if t == MQ_OPEN => Kind::ModeShort,
        b"fp" if t == CRYPTO_KEY_USER => Kind::Unclassified,
        b"id" if t == ADD_GROUP || t == GRP_MGMT || t == DEL_GROUP => Kind::Gid,
        _ if t == TRUSTED_APP => {
            if quoted || (!num::is_decimal(raw.text) && num::is_hex(raw.text)) {
                Kind::Escaped
            } else {
                Kind::Unclassified
            }
        }
        b"name" if t == KERN_MODULE => Kind::Escaped,
        _ => by_name(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpret::raw;

    #[test]
    fn reads_context_names_every_context_kind() {
        let reads = |k: Kind| matches!(k, Kind::Syscall | Kind::Arg(_));
        for e in DICTIONARY {
            assert_eq!(
                reads(e.kind) || reads(e.human),
                reads_context(e.name),
                "{}",
                String::from_utf8_lossy(e.name)
            );
        }
        assert!(!reads_context(b"a4") && !reads_context(b"items") && !reads_context(b"a"));
    }

    #[test]
    fn every_name_is_found_and_others_are_not() {
        for e in DICTIONARY {
            assert_eq!(key_now(e.name), key_of(e.name));
            for n in 0..=e.name.len() {
                assert_eq!(key_now(&e.name[..n]), key_of(&e.name[..n]));
                assert_eq!(tail_now(&e.name[..n]), tail_of(&e.name[..n]));
            }
            let found = lookup(e.name).map(|f| f.name);
            assert_eq!(found, Some(e.name));
        }
        assert!(lookup(b"pid").is_none());
        // Same first eight bytes and length, another tail; and a name too long.
        assert!(lookup(b"inode_uix").is_none());
        assert!(lookup(b"invalid_contexx").is_none());
        assert!(lookup(b"invalid_context_and_more").is_none());
        assert_eq!(by_name(b"invalid_context"), Kind::Escaped);
        assert!(lookup(b"").is_none());
        assert_eq!(human_kind(b"oses"), Kind::Session);
        assert_eq!(classify(Some(1300), b"oses", raw("1")), Kind::Unclassified);
        assert_eq!(
            classify_for(Some(1300), b"oses", raw("1"), true),
            Kind::Session
        );
    }

    #[test]
    fn the_table_agrees_with_classify() {
        let names: Vec<&[u8]> = DICTIONARY
            .iter()
            .map(|e| e.name)
            .chain([&b"pid"[..], b"argc", b"a1_len", b"a7", b"msg", b"zz"])
            .collect();
        let types = [
            0, 1116, 1121, 1124, 1132, 1300, 1302, 1309, 1312, 1324, 1330, 1400, 2404,
        ];
        for &t in &types {
            for name in &names {
                for v in ["1", "726F6F74", "root"] {
                    for quote in [Quote::None, Quote::Double] {
                        let r = Raw {
                            text: v.as_bytes(),
                            quote,
                        };
                        let want = classify(Some(t), name, r);
                        assert_eq!(classify_for(Some(t), name, r, false), want);
                        let human = match want {
                            Kind::Unclassified => human_kind(name),
                            k => k,
                        };
                        assert_eq!(classify_for(Some(t), name, r, true), human);
                    }
                }
            }
        }
    }

    #[test]
    fn dictionary_and_exceptions() {
        assert_eq!(classify(Some(1300), b"auid", raw("0")), Kind::Uid);
        assert_eq!(classify(Some(1309), b"a0", raw("6C73")), Kind::Escaped);
        assert_eq!(
            classify(Some(1309), b"a1_len", raw("3")),
            Kind::Unclassified
        );
        assert_eq!(classify(Some(1309), b"argc", raw("3")), Kind::Unclassified);
        assert_eq!(classify(Some(1300), b"a0", raw("3")), Kind::Arg(0));
        assert_eq!(classify(Some(1116), b"id", raw("3")), Kind::Gid);
        assert_eq!(classify(Some(1112), b"id", raw("3")), Kind::Uid);
        assert_eq!(
            classify(Some(1112), b"acct", raw("root")),
            Kind::Unclassified
        );
        assert_eq!(
            classify(Some(1112), b"acct", raw("726F6F74")),
            Kind::Escaped
        );
        assert_eq!(classify(Some(1302), b"flags", raw("1")), Kind::PathFlags);
        assert_eq!(classify(Some(1323), b"flags", raw("1")), Kind::MmapFlags);
        assert_eq!(
            classify(Some(1400), b"saddr", raw("1.2.3.4")),
            Kind::Unclassified
        );
    }
}
