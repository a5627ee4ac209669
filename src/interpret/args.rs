//! Syscall arguments a0-a3 (hex in the SYSCALL record), decoded by syscall:
//! directory fds, open/clone/mmap/mount flags, modes, signals, socket
//! families, ptrace and prctl requests, ids, and so on. Other values stay hex
//! with `0x`. `argrules` picks the decoder; the flag words are in `flags`.

use std::io::Write as _;

use super::argrules::{Rule, rule_for};
use super::flags::{
    access, clone_flags, mmap_flags, open_flags, personality, prot, sched, shm_flags,
};
use super::ids::{self, IdKind};
use super::num::{self, Num};
use super::quick::human_rule_of;
use super::tables::{
    BPF_CMDS, CLOCKS, EPOLL_OPS, FCNTL_CMDS, IOCTL_REQUESTS, IPC_CALLS, MOUNT_FLAGS, MSG_FLAGS,
    PRCTL_OPTIONS, PTRACE_REQUESTS, RLIMITS, SEEK_WHENCE, SOCKETCALLS, Table, UMOUNT_FLAGS,
};
use super::{Context, Raw, Shown, Style, mode, net, signals};

const F_SETFD: u64 = 2;
const F_SETFL: u64 = 4;
const F_SETOWN: u64 = 8;

/// Writes `0x` and the value as written: the generic form of an argument.
pub(super) fn hex(raw: Raw, out: &mut Vec<u8>) -> Shown {
    out.extend_from_slice(b"0x");
    raw.push_token(out);
    Shown::Decoded
}

/// Argument `arg` (0-3) of the record's syscall.
pub fn arg(raw: Raw, arg: u8, ctx: &Context, style: Style, out: &mut Vec<u8>) -> Shown {
    if style == Style::Human {
        return for_people(raw, arg, ctx, out);
    }
    let rule = ctx
        .syscall_name(style)
        .and_then(|sys| rule_for(sys, arg, ctx, style));
    by_rule(rule, raw, ctx, style, out)
}

/// Argument `arg` in the people's style, its rule from the table `quick`
/// keeps by syscall rather than worked out for each argument.
fn for_people(raw: Raw, arg: u8, ctx: &Context, out: &mut Vec<u8>) -> Shown {
    if num::strict(raw.text, 16) == Num::NotNumber {
        return Shown::AsIs;
    }
    let rule = ctx
        .syscall_name(Style::Human)
        .and_then(|sys| human_rule_of(sys, arg, ctx));
    by_rule(rule, raw, ctx, Style::Human, out)
}

/// An argument for people decoded by `rule`, which the caller looked up
/// for it (`rule_for`) as `arg` would have: what `arg` writes.
pub(super) fn by_rule_for_people(rule: Rule, raw: Raw, ctx: &Context, out: &mut Vec<u8>) -> Shown {
    if num::strict(raw.text, 16) == Num::NotNumber {
        return Shown::AsIs;
    }
    by_rule(Some(rule), raw, ctx, Style::Human, out)
}

/// A number argument decoded by its rule, if it has one; else `0x` and
/// the value as written.
fn by_rule(rule: Option<Rule>, raw: Raw, ctx: &Context, style: Style, out: &mut Vec<u8>) -> Shown {
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
pub(super) fn value(raw: Raw, style: Style, out: &mut Vec<u8>) -> Result<u64, Shown> {
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
pub(super) enum Unknown {
    /// `unknown-WHAT(0xVALUE)`, the value as written.
    Hex(&'static str),
    /// `unknown-WHAT(VALUE)`, the value as written.
    Plain(&'static str),
    /// `unknown-WHAT(N)`, the number in decimal.
    Decimal(&'static str),
}

/// `unknown-WHAT(`.
fn push_unknown(out: &mut Vec<u8>, what: &str) {
    out.extend_from_slice(b"unknown-");
    out.extend_from_slice(what.as_bytes());
    out.push(b'(');
}

pub(super) fn unknown(what: Unknown, v: u64, raw: Raw, out: &mut Vec<u8>) -> Shown {
    match what {
        Unknown::Hex(w) => {
            push_unknown(out, w);
            out.extend_from_slice(b"0x");
            raw.push_token(out);
            out.push(b')');
        }
        Unknown::Plain(w) => {
            push_unknown(out, w);
            raw.push_token(out);
            out.push(b')');
        }
        Unknown::Decimal(w) => {
            push_unknown(out, w);
            num::push_signed(out, i64::from(v as i32));
            out.push(b')');
        }
    }
    Shown::Translated
}

/// Names of the bits set, joined by `|`; the hex value when none is named.
pub(super) fn flags(table: &Table, v: u64, raw: Raw, out: &mut Vec<u8>) -> Shown {
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
            let level = ctx.a1().unwrap_or(0);
            return net::sockopt_name(raw, level, ctx.machine_for(style), style, out)
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

pub(super) fn unknown_or_hex(
    what: Unknown,
    v: u64,
    raw: Raw,
    style: Style,
    out: &mut Vec<u8>,
) -> Shown {
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

fn fcntl_arg(v: u64, raw: Raw, ctx: &Context, style: Style, out: &mut Vec<u8>) -> Shown {
    match ctx.a1().unwrap_or(u64::MAX) {
        F_SETOWN => id(Rule::Uid, raw, ctx, style, out),
        F_SETFD if v as i32 == 1 => {
            out.extend_from_slice(b"FD_CLOEXEC");
            Shown::Translated
        }
        F_SETFL if style == Style::Human => open_flags(v as u32, raw, out),
        _ => hex(raw, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Quote;

    /// The arguments' text as a record writes it: hex.
    fn hex_text(v: u64) -> Option<&'static [u8]> {
        Some(format!("{v:x}").into_bytes().leak())
    }

    fn ctx(sys: &'static [u8], a0: u64, a1: u64) -> Context<'static> {
        Context {
            arch: Some(b"c000003e"),
            syscall: Some(sys),
            a0: hex_text(a0),
            a1: hex_text(a1),
            ..Context::default()
        }
    }

    fn run(c: &Context, n: u8, v: &str, style: Style) -> String {
        let mut out = Vec::new();
        let raw = crate::interpret::raw(v);
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
        let creat = Context {
            a2: hex_text(0x241),
            ..ctx(b"257", 0xffffff9c, 0)
        };
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

    /// The people's style as it was worked out before `for_people`: the
    /// value read as a number first, the rule from `rule_for` each time.
    fn slow_for_people(raw: Raw, n: u8, c: &Context) -> (Shown, Vec<u8>) {
        let mut out = Vec::new();
        if num::strict(raw.text, 16) == Num::NotNumber {
            return (Shown::AsIs, out);
        }
        let rule = c
            .syscall_name(Style::Human)
            .and_then(|sys| rule_for(sys, n, c, Style::Human));
        let shown = by_rule(rule, raw, c, Style::Human, &mut out);
        (shown, out)
    }

    #[test]
    fn for_people_answers_as_the_slow_path() {
        // read, open, openat, clone, socket, prctl, setuid, mmap, an
        // unknown number, and no syscall at all.
        let calls: [&'static [u8]; 10] = [
            b"0", b"2", b"257", b"56", b"41", b"157", b"105", b"9", b"99999", b"x",
        ];
        let values = [
            "0",
            "1",
            "ffffff9c",
            "80241",
            "7fb7b0aac000",
            "ffffffffffffffff",
            "10000000000000000",
            "0x10",
            "-1",
            "",
            "zz",
            "1b6",
            "3d0f00",
            "DEAD",
        ];
        for sys in calls {
            for (a0, a1) in [(0u64, 0u64), (0xffffff9c, 0x41), (0x18, 0x4), (1, 0x40)] {
                let c = ctx(sys, a0, a1);
                for n in 0..4 {
                    for v in values {
                        for quote in [Quote::None, Quote::Double] {
                            let raw = Raw {
                                text: v.as_bytes(),
                                quote,
                            };
                            let mut out = Vec::new();
                            let shown = arg(raw, n, &c, Style::Human, &mut out);
                            assert_eq!(
                                (shown, out),
                                slow_for_people(raw, n, &c),
                                "syscall {sys:?} a{n}={v:?} {quote:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}
