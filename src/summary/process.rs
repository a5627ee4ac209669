//! Sentences for processes and the kernel: new processes, signals, tracing,
//! identity and capability changes, kernel modules, the clock, mounts,
//! reboots and host names. Module and clock sentences also serve the
//! KERN_MODULE and TIME_* records when no system call came with them.

use crate::record::Record;
use crate::summary::syscalls::Class;
use crate::summary::values::{self, arg};
use crate::summary::{Ctx, Sentence, Verb, file};

/// The sentence for a process or kernel system call of class `class`.
pub fn sentence(ctx: &Ctx, sc: &Record, name: &str, class: Class) -> Sentence {
    match class {
        Class::Spawn | Class::Signal | Class::Ptrace | Class::SetId | Class::Capset => {
            process_change(ctx, sc, name, class)
        }
        Class::ModuleLoad | Class::ModuleUnload => module(ctx),
        Class::Time => time(ctx),
        _ => system_change(ctx, name, class),
    }
}

/// New processes, signals, tracing, identity and capability changes.
fn process_change(ctx: &Ctx, sc: &Record, name: &str, class: Class) -> Sentence {
    match class {
        Class::Spawn => {
            let mut s = ctx.sentence(Verb::new("started a new process", "start a new process"));
            if let Some(pid) = sc.get("exit").and_then(values::decimal).filter(|p| *p > 0) {
                s.detail(format!("(pid {pid})"));
            }
            s
        }
        Class::Signal => signal(ctx, sc, name),
        Class::Ptrace => {
            let mut s = ctx.sentence(Verb::new("traced", "trace"));
            s.object = Some(target_process(ctx, arg(sc, 1)));
            s
        }
        Class::SetId => set_id(ctx, sc, name),
        _ => ctx.sentence(Verb::new(
            "changed its capabilities",
            "change its capabilities",
        )),
    }
}

/// Root directory, mounts, swap, reboot, host name and BPF.
fn system_change(ctx: &Ctx, name: &str, class: Class) -> Sentence {
    let (past, base, object) = match class {
        Class::Chroot => (
            "changed its root directory to",
            "change its root directory to",
            file::target(ctx),
        ),
        Class::Mount => (
            "mounted a file system",
            "mount a file system",
            file::target(ctx).map(|t| format!("on {t}")),
        ),
        Class::Unmount => (
            "unmounted",
            "unmount",
            file::target(ctx).or_else(|| Some("a file system".to_string())),
        ),
        Class::Reboot => (
            "asked the kernel to reboot or power off",
            "reboot or power off",
            None,
        ),
        Class::Hostname => ("changed the host name", "change the host name", None),
        Class::Swap if name == "swapoff" => (
            "turned swapping off on",
            "turn swapping off on",
            file::target(ctx),
        ),
        Class::Swap => (
            "turned swapping on on",
            "turn swapping on on",
            file::target(ctx),
        ),
        _ => ("used BPF", "use BPF", None),
    };
    let mut s = ctx.sentence(Verb::new(past, base));
    s.object = object;
    s
}

/// `process 1234 (sleep)`, from the OBJ_PID record or the pid argument.
fn target_process(ctx: &Ctx, pid: Option<u64>) -> String {
    let obj = ctx.ev.record("OBJ_PID");
    let pid = obj
        .and_then(|r| r.get("opid"))
        .and_then(values::decimal)
        .or_else(|| pid.map(|p| p as i32 as i64));
    let comm = obj.and_then(|r| values::text(r, "ocomm"));
    match (pid, comm) {
        (Some(p), Some(c)) => format!("process {p} ({c})"),
        (Some(p), None) => format!("process {p}"),
        (None, _) => "another process".to_string(),
    }
}

/// `kill`, `tkill`, `tgkill`.
fn signal(ctx: &Ctx, sc: &Record, name: &str) -> Sentence {
    let (pid, sig) = if name == "tgkill" {
        (arg(sc, 1), arg(sc, 2))
    } else {
        (arg(sc, 0), arg(sc, 1))
    };
    let mut s = match sig {
        Some(0) => ctx.sentence(Verb::new(
            "checked whether it may signal",
            "check whether it may signal",
        )),
        Some(n) => {
            let what = match signal_name(n) {
                Some(sig) => format!("sent {sig} to"),
                None => format!("sent signal {n} to"),
            };
            let base = what.replacen("sent", "send", 1);
            ctx.sentence(Verb::new(what, base))
        }
        None => ctx.sentence(Verb::new("sent a signal to", "send a signal to")),
    };
    s.object = Some(target_process(ctx, pid));
    s
}

/// The usual name of a signal number (the same on x86 and arm).
pub fn signal_name(n: u64) -> Option<&'static str> {
    Some(match n {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        10 => "SIGUSR1",
        11 => "SIGSEGV",
        12 => "SIGUSR2",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        17 => "SIGCHLD",
        18 => "SIGCONT",
        19 => "SIGSTOP",
        31 => "SIGSYS",
        _ => return None,
    })
}

/// `setuid`, `setresuid`, `setgid` and the rest.
fn set_id(ctx: &Ctx, sc: &Record, name: &str) -> Sentence {
    let group = name.contains("gid") || name == "setgroups";
    let what = if group { "group" } else { "user" };
    let mut s = ctx.sentence(Verb::new(
        format!("changed its {what} id"),
        format!("change its {what} id"),
    ));
    let single = matches!(
        name,
        "setuid" | "setgid" | "setfsuid" | "setfsgid" | "setuid32" | "setgid32"
    );
    match arg(sc, 0) {
        Some(0) if single && !group => s.detail("to root"),
        Some(n) if single && n < 0xffff_ffff => s.detail(format!("to {n}")),
        _ => {}
    }
    s
}

/// Kernel modules: from the KERN_MODULE record's `name=`, or the system call.
pub fn module(ctx: &Ctx) -> Sentence {
    let ev = ctx.ev;
    let kern = ev.record("KERN_MODULE");
    let unloading = ctx.call.as_deref() == Some("delete_module")
        || kern
            .and_then(|r| r.get("op"))
            .is_some_and(|op| op == b"unload");
    let name = kern.and_then(|r| values::text(r, "name"));
    let verb = match (unloading, name.is_some()) {
        (true, true) => Verb::new("unloaded the kernel module", "unload the kernel module"),
        (true, false) => Verb::new("unloaded a kernel module", "unload a kernel module"),
        (false, true) => Verb::new("loaded the kernel module", "load the kernel module"),
        (false, false) => Verb::new("loaded a kernel module", "load a kernel module"),
    };
    let mut s = ctx.sentence(verb);
    s.object = name;
    let table = ev
        .record("NETFILTER_CFG")
        .and_then(|r| values::text(r, "table"))
        .map(|t| t.split(':').next().unwrap_or_default().to_string());
    if let Some(t) = table.filter(|t| !t.is_empty()) {
        s.tail = Some(format!(", which set up the firewall table {t}"));
    }
    s
}

/// The clock: TIME_INJOFFSET, TIME_ADJNTPVAL, or a clock-setting system call.
pub fn time(ctx: &Ctx) -> Sentence {
    let ev = ctx.ev;
    let mut s = ctx.sentence(Verb::new(
        "changed the system clock",
        "change the system clock",
    ));
    if let Some(r) = ev.record("TIME_INJOFFSET") {
        let secs = r.get("sec").and_then(values::decimal).unwrap_or(0);
        let nsecs = r.get("nsec").and_then(values::decimal).unwrap_or(0);
        s.detail(format!("by {}", offset_text(secs, nsecs)));
    }
    for r in ev.records_of("TIME_ADJNTPVAL") {
        let op = values::text(r, "op").unwrap_or_else(|| "value".to_string());
        let old = values::text(r, "old").unwrap_or_else(|| "?".to_string());
        let new = values::text(r, "new").unwrap_or_else(|| "?".to_string());
        s.verb = Verb::new("adjusted the kernel clock", "adjust the kernel clock");
        s.detail_parts(&["(NTP ", &op, " ", &old, " → ", &new, ")"]);
    }
    s
}

/// `2.500000000 seconds`, signed.
fn offset_text(secs: i64, nsecs: i64) -> String {
    let total = i128::from(secs) * 1_000_000_000 + i128::from(nsecs);
    let sign = if total < 0 { "-" } else { "" };
    let abs = total.unsigned_abs();
    format!(
        "{sign}{}.{:09} seconds",
        abs / 1_000_000_000,
        abs % 1_000_000_000
    )
}

#[cfg(test)]
mod tests {
    use super::offset_text;

    #[test]
    fn offsets_read_as_seconds() {
        assert_eq!(offset_text(0, 0), "0.000000000 seconds");
        assert_eq!(offset_text(-1, 500_000_000), "-0.500000000 seconds");
        assert_eq!(offset_text(3, 5), "3.000000005 seconds");
    }
}
