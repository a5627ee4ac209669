//! Syscall arguments a0-a3 (hex in the SYSCALL record), decoded by syscall:
//! directory fds, open/clone/mmap/mount flags, modes, signals, socket
//! families, ptrace and prctl requests, ids, and so on. Other values stay hex
//! with `0x`.
//!
//! The `ausearch` style follows `ausearch -i`'s rules exactly, including the
//! arguments it reads in the wrong place (clone's flags as a2). People get the
//! arguments where the syscalls really take them.

use std::io::Write as _;

use super::ids::{self, IdKind};
use super::num::{self, Num};
use super::tables::{
    ACCESS_MODES, BPF_CMDS, CLOCKS, CLONE_FLAGS, EPOLL_OPS, FCNTL_CMDS, IOCTL_REQUESTS, IPC_CALLS,
    IPC_FLAGS, MMAP_FLAGS, MOUNT_FLAGS, MSG_FLAGS, OPEN_FLAGS, PERSONALITIES, PRCTL_OPTIONS,
    PROT_FLAGS, PTRACE_REQUESTS, RLIMITS, SCHED_POLICIES, SEEK_WHENCE, SHM_MODES, SIGNALS,
    SOCKETCALLS, Table, UMOUNT_FLAGS,
};
use super::{Context, Raw, Shown, Style, mode, net, signals};

/// How an argument is decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    Dirfd,
    OpenFlags,
    ModeShort,
    Mode,
    CloneFlags,
    Signal,
    Uid,
    Gid,
    SocketFamily,
    SocketType,
    SocketProto,
    Ptrace,
    Prctl,
    PrctlArg,
    Personality,
    ClockId,
    Rlimit,
    Sched,
    Seek,
    Epoll,
    Fcntl,
    FcntlArg,
    SockoptLevel,
    SockoptName,
    MmapProt,
    Prot,
    MmapFlags,
    Mount,
    Umount,
    MsgFlags,
    Access,
    Shm,
    Ioctl,
    Bpf,
    IpcCall,
    SocketCall,
    ExitCode,
}

const O_CREAT: u64 = 0o100;
const PR_SET_PDEATHSIG: u64 = 1;
const PR_CAPBSET_READ: u64 = 23;
const PR_CAPBSET_DROP: u64 = 24;
const F_SETFD: u64 = 2;
const F_SETFL: u64 = 4;
const F_SETOWN: u64 = 8;

fn has_prefix(sys: &str, p: &str) -> bool {
    sys.starts_with(p)
}

/// `ausearch -i`'s rule for a0, branch for branch.
fn ausearch_a0(sys: &str) -> Option<Rule> {
    use Rule::*;
    let first = sys.as_bytes().first().copied().unwrap_or(0);
    match first {
        b'r' => match sys {
            "rt_sigaction" => Some(Signal),
            "readlinkat" => Some(Dirfd),
            _ if has_prefix(sys, "renameat") => Some(Dirfd),
            _ => None,
        },
        b'c' => (sys == "clock_settime").then_some(ClockId),
        b'p' => match sys {
            "personality" => Some(Personality),
            "ptrace" => Some(Ptrace),
            "prctl" => Some(Prctl),
            _ => None,
        },
        b'm' => matches!(sys, "mkdirat" | "mknodat").then_some(Dirfd),
        b'f' => (matches!(sys, "fchownat" | "futimesat" | "fchmodat" | "futimensat")
            || has_prefix(sys, "faccessat"))
        .then_some(Dirfd),
        b'u' => match sys {
            "unshare" => Some(CloneFlags),
            "unlinkat" | "utimensat" => Some(Dirfd),
            _ => None,
        },
        _ if sys.get(1..) == Some("etrlimit") => Some(Rlimit),
        b's' => match sys {
            "setuid" | "setreuid" | "setresuid" | "setfsuid" => Some(Uid),
            "setgid" | "setregid" | "setresgid" | "setfsgid" => Some(Gid),
            "socket" => Some(SocketFamily),
            "socketcall" => Some(SocketCall),
            _ => None,
        },
        _ => match sys {
            "linkat" | "newfstatat" | "name_to_handle_at" => Some(Dirfd),
            _ if has_prefix(sys, "openat") => Some(Dirfd),
            "ipccall" => Some(IpcCall),
            _ if has_prefix(sys, "exit") => Some(ExitCode),
            "bpf" => Some(Bpf),
            _ => None,
        },
    }
}

/// `ausearch -i`'s rule for a1.
fn ausearch_a1(sys: &str, a0: u64) -> Option<Rule> {
    use Rule::*;
    let first = sys.as_bytes().first().copied().unwrap_or(0);
    let early = match first {
        b'f' if sys == "fchmod" => Some(ModeShort),
        b'f' if has_prefix(sys, "fcntl") => Some(Fcntl),
        b'c' if sys == "chmod" || sys == "creat" => Some(ModeShort),
        b'c' if sys.contains("chown") => Some(Uid),
        _ => None,
    };
    if early.is_some() {
        return early;
    }
    if sys.get(1..) == Some("etsockopt") {
        return Some(SockoptLevel);
    }
    match first {
        b's' => match sys {
            "setreuid" | "setresuid" => Some(Uid),
            "setregid" | "setresgid" => Some(Gid),
            "socket" => Some(SocketType),
            "setns" => Some(CloneFlags),
            "sched_setscheduler" => Some(Sched),
            _ => None,
        },
        b'm' => match sys {
            "mkdir" => Some(ModeShort),
            "mknod" => Some(Mode),
            "mq_open" => Some(OpenFlags),
            _ => None,
        },
        _ => match sys {
            "open" => Some(OpenFlags),
            "access" => Some(Access),
            "epoll_ctl" => Some(Epoll),
            "kill" | "tkill" => Some(Signal),
            "prctl" if a0 == PR_CAPBSET_READ || a0 == PR_CAPBSET_DROP => Some(PrctlArg),
            "prctl" if a0 == PR_SET_PDEATHSIG => Some(Signal),
            "umount2" => Some(Umount),
            "ioctl" => Some(Ioctl),
            _ => None,
        },
    }
}

/// `ausearch -i`'s rule for a2.
fn ausearch_a2(sys: &str, a1: u64) -> Option<Rule> {
    use Rule::*;
    if has_prefix(sys, "fcntl") {
        return Some(FcntlArg);
    }
    if sys.get(1..) == Some("etsockopt") {
        return Some(SockoptName);
    }
    let first = sys.as_bytes().first().copied().unwrap_or(0);
    match first {
        b'o' => match sys {
            "openat" | "open_by_handle_at" => Some(OpenFlags),
            "open" if a1 & O_CREAT != 0 => Some(ModeShort),
            _ => None,
        },
        b'f' => match sys {
            "fchmodat" => Some(ModeShort),
            _ if has_prefix(sys, "faccessat") => Some(Access),
            _ => None,
        },
        b's' => match sys {
            "setresuid" => Some(Uid),
            "setresgid" => Some(Gid),
            "socket" => Some(SocketProto),
            "sendmsg" => Some(MsgFlags),
            "shmget" => Some(Shm),
            _ => None,
        },
        b'm' => match sys {
            "mmap" => Some(MmapProt),
            "mkdirat" | "mknodat" => Some(ModeShort),
            "mprotect" => Some(Prot),
            "mq_open" if a1 & O_CREAT != 0 => Some(ModeShort),
            _ => None,
        },
        b'r' => match sys {
            "recvmsg" => Some(MsgFlags),
            "readlinkat" => Some(Dirfd),
            _ if has_prefix(sys, "renameat") => Some(Dirfd),
            _ => None,
        },
        b'l' => match sys {
            "linkat" => Some(Dirfd),
            "lseek" => Some(Seek),
            _ => None,
        },
        b'c' => matches!(sys, "clone" | "clone2").then_some(CloneFlags),
        _ if sys.contains("chown") => Some(Gid),
        _ => (sys == "tgkill").then_some(Signal),
    }
}

/// `ausearch -i`'s rule for a3.
fn ausearch_a3(sys: &str) -> Option<Rule> {
    use Rule::*;
    match sys {
        "mmap" => Some(MmapFlags),
        "mount" => Some(Mount),
        "recv" | "recvfrom" | "recvmmsg" | "send" | "sendto" | "sendmmsg" => Some(MsgFlags),
        _ => None,
    }
}

/// Syscalls whose first argument is a directory fd.
fn takes_dirfd_a0(sys: &str) -> bool {
    matches!(
        sys,
        "openat"
            | "openat2"
            | "mkdirat"
            | "mknodat"
            | "fchownat"
            | "futimesat"
            | "newfstatat"
            | "fstatat64"
            | "unlinkat"
            | "renameat"
            | "renameat2"
            | "linkat"
            | "readlinkat"
            | "fchmodat"
            | "fchmodat2"
            | "faccessat"
            | "faccessat2"
            | "utimensat"
            | "utimensat_time64"
            | "name_to_handle_at"
            | "statx"
            | "execveat"
            | "open_tree"
            | "move_mount"
            | "mount_setattr"
            | "inotify_add_watch_at"
    )
}

/// The argument rule for people: where each syscall really takes what.
fn human_rule(sys: &str, arg: u8, machine: Option<&str>, a0: u64, a1: u64) -> Option<Rule> {
    use Rule::*;
    let s390 = matches!(machine, Some("s390" | "s390x"));
    let rule = match (sys, arg) {
        (_, 0) if takes_dirfd_a0(sys) => Dirfd,
        ("renameat" | "renameat2" | "linkat" | "move_mount", 2) => Dirfd,
        ("symlinkat", 1) => Dirfd,
        ("open", 1) | ("openat", 2) | ("mq_open", 1) | ("open_by_handle_at", 2) => OpenFlags,
        ("open", 2) | ("mq_open", 2) if a1 & O_CREAT != 0 => ModeShort,
        ("openat", 3) if a1 & O_CREAT != 0 => ModeShort,
        ("creat" | "chmod" | "fchmod" | "mkdir", 1) => ModeShort,
        ("fchmodat" | "fchmodat2" | "mkdirat", 2) => ModeShort,
        ("mknod", 1) | ("mknodat", 2) => Mode,
        ("clone", 1) if s390 => CloneFlags,
        ("clone", 0) if !s390 => CloneFlags,
        ("unshare", 0) | ("setns", 1) => CloneFlags,
        ("kill" | "tkill", 1) | ("tgkill", 2) | ("rt_sigaction", 0) => Signal,
        ("rt_sigqueueinfo" | "pidfd_send_signal", 1) | ("rt_tgsigqueueinfo", 2) => Signal,
        ("setuid" | "setuid32" | "setfsuid" | "setfsuid32", 0) => Uid,
        ("setreuid" | "setreuid32", 0 | 1) | ("setresuid" | "setresuid32", 0..=2) => Uid,
        ("setgid" | "setgid32" | "setfsgid" | "setfsgid32", 0) => Gid,
        ("setregid" | "setregid32", 0 | 1) | ("setresgid" | "setresgid32", 0..=2) => Gid,
        ("chown" | "fchown" | "lchown" | "chown32" | "fchown32" | "lchown32", 1) => Uid,
        ("chown" | "fchown" | "lchown" | "chown32" | "fchown32" | "lchown32", 2) => Gid,
        ("fchownat", 2) => Uid,
        ("fchownat", 3) => Gid,
        ("socket" | "socketpair", 0) => SocketFamily,
        ("socket" | "socketpair", 1) => SocketType,
        ("socket" | "socketpair", 2) => SocketProto,
        ("socketcall", 0) => SocketCall,
        ("ipc", 0) => IpcCall,
        ("ptrace", 0) => Ptrace,
        ("prctl", 0) => Prctl,
        ("prctl", 1) if a0 == PR_CAPBSET_READ || a0 == PR_CAPBSET_DROP => PrctlArg,
        ("prctl", 1) if a0 == PR_SET_PDEATHSIG => Signal,
        ("personality", 0) => Personality,
        ("clock_settime" | "clock_settime64" | "clock_adjtime", 0) => ClockId,
        ("getrlimit" | "setrlimit" | "ugetrlimit", 0) | ("prlimit64", 1) => Rlimit,
        ("sched_setscheduler", 1) => Sched,
        ("lseek", 2) => Seek,
        ("epoll_ctl", 1) => Epoll,
        ("fcntl" | "fcntl64", 1) => Fcntl,
        ("fcntl" | "fcntl64", 2) => FcntlArg,
        ("setsockopt" | "getsockopt", 1) => SockoptLevel,
        ("setsockopt" | "getsockopt", 2) => SockoptName,
        ("mmap" | "mmap2", 2) => MmapProt,
        ("mprotect" | "pkey_mprotect", 2) => Prot,
        ("mmap" | "mmap2", 3) => MmapFlags,
        ("mount", 3) => Mount,
        ("umount2", 1) => Umount,
        ("sendmsg" | "recvmsg", 2) => MsgFlags,
        ("send" | "sendto" | "recv" | "recvfrom" | "sendmmsg" | "recvmmsg", 3) => MsgFlags,
        ("access", 1) | ("faccessat" | "faccessat2", 2) => Access,
        ("shmget", 2) => Shm,
        ("ioctl", 1) => Ioctl,
        ("bpf", 0) => Bpf,
        ("exit" | "exit_group", 0) => ExitCode,
        _ => return None,
    };
    Some(rule)
}

fn rule_for(sys: &str, arg: u8, ctx: &Context, style: Style) -> Option<Rule> {
    let (a0, a1) = (ctx.a0.unwrap_or(0), ctx.a1.unwrap_or(0));
    match style {
        Style::Ausearch => match arg {
            0 => ausearch_a0(sys),
            1 => ausearch_a1(sys, a0),
            2 => ausearch_a2(sys, a1),
            _ => ausearch_a3(sys),
        },
        Style::Human => human_rule(sys, arg, ctx.machine, a0, a1),
    }
}

/// Writes `0x` and the value as written: the generic form of an argument.
fn hex(raw: Raw, out: &mut Vec<u8>) -> Shown {
    out.extend_from_slice(b"0x");
    raw.push_token(out);
    Shown::Decoded
}

/// Argument `arg` (0-3) of the record's syscall.
pub fn arg(raw: Raw, arg: u8, ctx: &Context, style: Style, out: &mut Vec<u8>) -> Shown {
    if style == Style::Human && num::strict(raw.text, 16) == Num::NotNumber {
        return Shown::AsIs;
    }
    let rule = ctx
        .syscall_name(style)
        .and_then(|sys| rule_for(sys, arg, ctx, style));
    let start = out.len();
    match rule.map(|rule| apply(rule, raw, ctx, style, out)) {
        // A value the rule has no name for is still a hex number.
        Some(Shown::AsIs) | None => {
            out.truncate(start);
            hex(raw, out)
        }
        Some(shown) => shown,
    }
}

/// Reads the argument; on failure the caller returns what this wrote.
fn value(raw: Raw, style: Style, out: &mut Vec<u8>) -> Result<u64, Shown> {
    super::read(raw, 16, style, out)
}

/// A lookup in `table`, else `unknown-WHAT(...)` for `ausearch`, the hex value for people.
fn lookup_or(
    table: &Table,
    v: u64,
    what: Unknown,
    raw: Raw,
    style: Style,
    out: &mut Vec<u8>,
) -> Shown {
    match table.name(v) {
        Some(n) => {
            out.extend_from_slice(n.as_bytes());
            Shown::Translated
        }
        None if style == Style::Human => hex(raw, out),
        None => unknown(what, v, raw, out),
    }
}

/// How `ausearch` words an argument it has no name for.
#[derive(Clone, Copy)]
enum Unknown {
    /// `unknown-WHAT(0xVALUE)`, the value as written.
    Hex(&'static str),
    /// `unknown-WHAT(VALUE)`, the value as written.
    Plain(&'static str),
    /// `unknown-WHAT(N)`, the number in decimal.
    Decimal(&'static str),
}

fn unknown(what: Unknown, v: u64, raw: Raw, out: &mut Vec<u8>) -> Shown {
    match what {
        Unknown::Hex(w) => {
            let _ = write!(out, "unknown-{w}(0x");
            raw.push_token(out);
            out.push(b')');
        }
        Unknown::Plain(w) => {
            let _ = write!(out, "unknown-{w}(");
            raw.push_token(out);
            out.push(b')');
        }
        Unknown::Decimal(w) => {
            let _ = write!(out, "unknown-{w}({})", v as i32);
        }
    }
    Shown::Translated
}

/// Names of the bits set, joined by `|`; the hex value when none is named.
fn flags(table: &Table, v: u64, raw: Raw, out: &mut Vec<u8>) -> Shown {
    if table.push_flags(v, b"|", out) == 0 {
        return hex(raw, out);
    }
    Shown::Translated
}

fn apply(rule: Rule, raw: Raw, ctx: &Context, style: Style, out: &mut Vec<u8>) -> Shown {
    use Rule::*;
    let v = match rule {
        Signal => return signals::signal(raw, 16, style, out),
        Uid | Gid => return id(rule, raw, ctx, style, out),
        SocketFamily => return net::socket_family(raw, style, out),
        SocketType => return net::socket_type(raw, style, out),
        SocketProto => return net::socket_proto(raw, style, out),
        SockoptLevel => return net::sockopt_level(raw, style, out),
        SockoptName => {
            let level = ctx.a1.unwrap_or(0);
            return net::sockopt_name(raw, level, ctx.machine, style, out)
                .unwrap_or_else(|| hex(raw, out));
        }
        ModeShort => return mode::mode_short(raw, 16, style, out),
        Mode => return mode::mode(raw, 16, style, out),
        PrctlArg => return super::caps::capability(raw, 16, style, out),
        ExitCode => return exit_code(raw, style, out),
        _ => match value(raw, style, out) {
            Ok(v) => v,
            Err(shown) => return shown,
        },
    };
    let int = u64::from(v as u32);
    match rule {
        Dirfd if v as u32 == 0xffff_ff9c => {
            out.extend_from_slice(b"AT_FDCWD");
            Shown::Translated
        }
        Dirfd => hex(raw, out),
        OpenFlags => open_flags(v as u32, raw, out),
        CloneFlags => clone_flags(v as u32, style, out),
        Ptrace => lookup_or(
            &PTRACE_REQUESTS,
            int,
            Unknown::Hex("ptrace"),
            raw,
            style,
            out,
        ),
        Prctl => lookup_or(
            &PRCTL_OPTIONS,
            int,
            Unknown::Hex("prctl-option"),
            raw,
            style,
            out,
        ),
        Personality => personality(v as u32, raw, style, out),
        ClockId if (v as i32) < 7 => {
            lookup_or(&CLOCKS, int, Unknown::Hex("clk_id"), raw, style, out)
        }
        ClockId => unknown_or_hex(Unknown::Hex("clk_id"), v, raw, style, out),
        Rlimit if (v as i32) < 17 => {
            lookup_or(&RLIMITS, int, Unknown::Hex("rlimit"), raw, style, out)
        }
        Rlimit => unknown_or_hex(Unknown::Hex("rlimit"), v, raw, style, out),
        Sched => sched(v as u32, raw, style, out),
        Seek => lookup_or(
            &SEEK_WHENCE,
            v & 0xff,
            Unknown::Plain("whence"),
            raw,
            style,
            out,
        ),
        Epoll => lookup_or(
            &EPOLL_OPS,
            int,
            Unknown::Decimal("epoll_ctl-operation"),
            raw,
            style,
            out,
        ),
        Fcntl => lookup_or(
            &FCNTL_CMDS,
            int,
            Unknown::Decimal("fcntl-command"),
            raw,
            style,
            out,
        ),
        FcntlArg => fcntl_arg(v, raw, ctx, style, out),
        MmapProt => prot(v as u32, 4, raw, out),
        Prot => prot(v as u32, 3, raw, out),
        MmapFlags => mmap_flags(v as u32, raw, out),
        Mount => flags(&MOUNT_FLAGS, int, raw, out),
        Umount => flags(&UMOUNT_FLAGS, int, raw, out),
        MsgFlags => flags(&MSG_FLAGS, int, raw, out),
        Access => access(int, raw, out),
        Shm => shm_flags(v as u32, out),
        Ioctl => match IOCTL_REQUESTS.name(int) {
            Some(n) => {
                out.extend_from_slice(n.as_bytes());
                Shown::Translated
            }
            None => {
                let _ = write!(out, "0x{:x}", v as u32);
                Shown::Decoded
            }
        },
        Bpf => lookup_or(&BPF_CMDS, int, Unknown::Plain("bpf-cmd"), raw, style, out),
        IpcCall => ipc_or_socket(&IPC_CALLS, v, "ipccall", raw, style, out),
        SocketCall => ipc_or_socket(&SOCKETCALLS, v, "socketcall", raw, style, out),
        _ => hex(raw, out),
    }
}

fn unknown_or_hex(what: Unknown, v: u64, raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    match style {
        Style::Ausearch => unknown(what, v, raw, out),
        Style::Human => hex(raw, out),
    }
}

fn ipc_or_socket(
    table: &Table,
    v: u64,
    what: &'static str,
    raw: Raw,
    style: Style,
    out: &mut Vec<u8>,
) -> Shown {
    let name = u64::try_from(v as i32).ok().and_then(|v| table.name(v));
    match name {
        Some(n) => {
            out.extend_from_slice(n.as_bytes());
            Shown::Translated
        }
        None => unknown_or_hex(Unknown::Plain(what), v, raw, style, out),
    }
}

fn id(rule: Rule, raw: Raw, ctx: &Context, style: Style, out: &mut Vec<u8>) -> Shown {
    let kind = if rule == Rule::Uid {
        IdKind::User
    } else {
        IdKind::Group
    };
    let src = ids::Sources {
        enriched: None,
        local: ctx.names,
    };
    match ids::id(raw, 16, kind, src, style, out) {
        Shown::AsIs => hex(raw, out),
        shown => shown,
    }
}

/// exit()'s status: `ausearch` names only 0 and 1.
fn exit_code(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    let word = match raw.text {
        b"0" => "EXIT_SUCCESS",
        b"1" => "EXIT_FAILURE",
        _ if style == Style::Ausearch => "UNKNOWN",
        _ => match num::strict(raw.text, 16) {
            Num::Val(v) => {
                let _ = write!(out, "status {}", v & 0xff);
                return Shown::Translated;
            }
            _ => return Shown::AsIs,
        },
    };
    out.extend_from_slice(word.as_bytes());
    Shown::Translated
}

fn open_flags(v: u32, raw: Raw, out: &mut Vec<u8>) -> Shown {
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

fn clone_flags(v: u32, style: Style, out: &mut Vec<u8>) -> Shown {
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

fn personality(v: u32, raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
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

fn sched(v: u32, raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
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

fn fcntl_arg(v: u64, raw: Raw, ctx: &Context, style: Style, out: &mut Vec<u8>) -> Shown {
    match ctx.a1.unwrap_or(u64::MAX) {
        F_SETOWN => id(Rule::Uid, raw, ctx, style, out),
        F_SETFD if v as i32 == 1 => {
            out.extend_from_slice(b"FD_CLOEXEC");
            Shown::Translated
        }
        F_SETFL if style == Style::Human => open_flags(v as u32, raw, out),
        _ => hex(raw, out),
    }
}

/// PROT_ flags; `limit` rows of the table apply (PROT_SEM only for mmap).
fn prot(v: u32, limit: usize, raw: Raw, out: &mut Vec<u8>) -> Shown {
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

fn mmap_flags(v: u32, raw: Raw, out: &mut Vec<u8>) -> Shown {
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

fn access(v: u64, raw: Raw, out: &mut Vec<u8>) -> Shown {
    if v & 0x0f == 0 {
        out.extend_from_slice(b"F_OK");
        return Shown::Translated;
    }
    flags(&ACCESS_MODES, v, raw, out)
}

fn shm_flags(v: u32, out: &mut Vec<u8>) -> Shown {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Quote;

    fn ctx(sys: &'static [u8], a0: u64, a1: u64) -> Context<'static> {
        Context {
            arch: Some(b"c000003e"),
            syscall: Some(sys),
            a0: Some(a0),
            a1: Some(a1),
            machine: Some("x86_64"),
            ..Context::default()
        }
    }

    fn run(c: &Context, n: u8, v: &str, style: Style) -> String {
        let mut out = Vec::new();
        let raw = Raw {
            text: v.as_bytes(),
            quote: Quote::None,
        };
        arg(raw, n, c, style, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn openat_and_open() {
        // corpus: audit-userspace/auparse-test.log, open() with a1=10800.
        let open = ctx(b"2", 0x5555665d91b0, 0x10800);
        assert_eq!(
            run(&open, 1, "10800", Style::Ausearch),
            "O_RDONLY|O_NONBLOCK|O_DIRECTORY"
        );
        assert_eq!(
            run(&open, 0, "5555665d91b0", Style::Ausearch),
            "0x5555665d91b0"
        );
        let openat = ctx(b"257", 0xffffff9c, 0);
        assert_eq!(run(&openat, 0, "ffffff9c", Style::Human), "AT_FDCWD");
        assert_eq!(
            run(&openat, 2, "80241", Style::Human),
            "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC"
        );
        let creat = ctx(b"257", 0xffffff9c, 0x41);
        assert_eq!(run(&creat, 3, "1b6", Style::Human), "0666 rw-rw-rw-");
        assert_eq!(run(&creat, 3, "1b6", Style::Ausearch), "0x1b6");
    }

    #[test]
    fn clone_where_it_is() {
        let clone = ctx(b"56", 0x3d0f00, 0);
        assert_eq!(
            run(&clone, 0, "3d0f00", Style::Human),
            "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID"
        );
        assert_eq!(run(&clone, 0, "3d0f00", Style::Ausearch), "0x3d0f00");
        assert_eq!(run(&clone, 2, "11", Style::Ausearch), "SIGCHLD");
    }

    #[test]
    fn signals_mmap_ids_and_more() {
        assert_eq!(run(&ctx(b"62", 1, 9), 1, "9", Style::Human), "SIGKILL");
        let mmap = ctx(b"9", 0, 0x1000);
        assert_eq!(
            run(&mmap, 2, "7", Style::Ausearch),
            "PROT_READ|PROT_WRITE|PROT_EXEC"
        );
        assert_eq!(
            run(&mmap, 3, "22", Style::Ausearch),
            "MAP_PRIVATE|MAP_ANONYMOUS"
        );
        assert_eq!(run(&mmap, 2, "0", Style::Human), "PROT_NONE");
        assert_eq!(
            run(&ctx(b"105", 0x3e8, 0), 0, "3e8", Style::Ausearch),
            "unknown(1000)"
        );
        assert_eq!(run(&ctx(b"105", 0, 0), 0, "0", Style::Human), "root");
        assert_eq!(run(&ctx(b"105", 0x3e8, 0), 0, "3e8", Style::Human), "0x3e8");
        assert_eq!(run(&ctx(b"41", 2, 1), 0, "2", Style::Human), "inet");
        assert_eq!(
            run(&ctx(b"101", 0x10, 0), 0, "10", Style::Human),
            "PTRACE_ATTACH"
        );
        assert_eq!(
            run(&ctx(b"157", 0x16, 0), 0, "16", Style::Human),
            "PR_SET_SECCOMP"
        );
        assert_eq!(run(&ctx(b"72", 3, 4), 1, "4", Style::Human), "F_SETFL");
        assert_eq!(run(&ctx(b"21", 0, 4), 1, "4", Style::Human), "R_OK");
        assert_eq!(run(&ctx(b"165", 0, 0), 3, "1", Style::Human), "MS_RDONLY");
        assert_eq!(
            run(&ctx(b"135", 0x8, 0), 0, "8", Style::Human),
            "PER_LINUX32"
        );
        assert_eq!(
            run(&ctx(b"321", 5, 0), 0, "5", Style::Human),
            "BPF_PROG_LOAD"
        );
        assert_eq!(
            run(&ctx(b"60", 1, 0), 0, "1", Style::Ausearch),
            "EXIT_FAILURE"
        );
        assert_eq!(run(&ctx(b"231", 2, 0), 0, "2", Style::Human), "status 2");
        assert_eq!(run(&ctx(b"0", 3, 0), 0, "3", Style::Human), "0x3");
        assert_eq!(run(&ctx(b"0", 3, 0), 0, "zz", Style::Human), "");
        assert_eq!(run(&ctx(b"62", 1, 0x40), 1, "40", Style::Human), "0x40");
        assert_eq!(run(&ctx(b"41", 0x63, 1), 0, "63", Style::Human), "0x63");
    }
}
