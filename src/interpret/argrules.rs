//! Which argument of which syscall holds what: the rules that pick a decoder
//! for a0-a3. `ausearch -i`'s rules are kept branch for branch (they decide
//! the `ausearch` style); people get the arguments where each syscall
//! really takes them.

use super::{Context, Style};

/// How an argument is decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rule {
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
fn ausearch_a1(sys: &str, ctx: &Context) -> Option<Rule> {
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
            "prctl" if matches!(a0(ctx), PR_CAPBSET_READ | PR_CAPBSET_DROP) => Some(PrctlArg),
            "prctl" if a0(ctx) == PR_SET_PDEATHSIG => Some(Signal),
            "umount2" => Some(Umount),
            "ioctl" => Some(Ioctl),
            _ => None,
        },
    }
}

/// `ausearch -i`'s rule for a2.
fn ausearch_a2(sys: &str, ctx: &Context) -> Option<Rule> {
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
            "open" if a1(ctx) & O_CREAT != 0 => Some(ModeShort),
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
            "mq_open" if a1(ctx) & O_CREAT != 0 => Some(ModeShort),
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
fn human_rule(sys: &str, arg: u8, ctx: &Context) -> Option<Rule> {
    use Rule::*;
    let machine = ctx.machine_for(Style::Human);
    let s390 = matches!(machine, Some("s390" | "s390x"));
    let rule = match (sys, arg) {
        (_, 0) if takes_dirfd_a0(sys) => Dirfd,
        ("renameat" | "renameat2" | "linkat" | "move_mount", 2) => Dirfd,
        ("symlinkat", 1) => Dirfd,
        ("open", 1) | ("openat", 2) | ("mq_open", 1) | ("open_by_handle_at", 2) => OpenFlags,
        ("open", 2) | ("mq_open", 2) if a1(ctx) & O_CREAT != 0 => ModeShort,
        ("openat", 3) if ctx.a2().unwrap_or(0) & O_CREAT != 0 => ModeShort,
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
        ("prctl", 1) if matches!(a0(ctx), PR_CAPBSET_READ | PR_CAPBSET_DROP) => PrctlArg,
        ("prctl", 1) if a0(ctx) == PR_SET_PDEATHSIG => Signal,
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

/// True for the syscalls whose people's rules read more than the syscall's
/// name and the argument's number (the other arguments, the machine). The
/// rule of any other syscall's argument is the same in every record.
pub(super) fn human_rule_reads_record(sys: &str) -> bool {
    matches!(sys, "open" | "mq_open" | "openat" | "clone" | "prctl")
}

/// The record's a0 as the rules read it: 0 when it is missing.
fn a0(ctx: &Context) -> u64 {
    ctx.a0().unwrap_or(0)
}

/// The record's a1 as the rules read it.
fn a1(ctx: &Context) -> u64 {
    ctx.a1().unwrap_or(0)
}

/// The rule for argument `arg` of `sys`. The other arguments are read only
/// by the few rules that ask for them.
pub(super) fn rule_for(sys: &str, arg: u8, ctx: &Context, style: Style) -> Option<Rule> {
    match style {
        Style::Ausearch => match arg {
            0 => ausearch_a0(sys),
            1 => ausearch_a1(sys, ctx),
            2 => ausearch_a2(sys, ctx),
            _ => ausearch_a3(sys),
        },
        Style::Human => human_rule(sys, arg, ctx),
    }
}
