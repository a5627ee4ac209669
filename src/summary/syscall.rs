//! Events built around a SYSCALL record: finds the call's name, sorts it into
//! a class, and hands over to the file, exec, network or process sentences.
//! Calls outside every class still get a sentence naming the call.

use crate::summary::syscalls::{self, Class};
use crate::summary::{Ctx, Sentence, Verb, exec, file, generic, network, process, values};

/// The sentence for an event whose main record is a SYSCALL (or a detail
/// record that came without one).
pub fn sentence(ctx: &Ctx) -> Sentence {
    // The SYSCALL record's call was named once for the whole event.
    let (sc, name) = match ctx.syscall {
        Some(sc) => (sc, ctx.call.clone()),
        None if ctx.main.get("syscall").is_some() => (ctx.main, syscalls::name(ctx.main)),
        None => return fragment(ctx),
    };
    let Some(name) = name else {
        let number = sc
            .get("syscall")
            .map(crate::sanitize::escaped)
            .unwrap_or_else(|| "?".to_string());
        return other(ctx, &format!("system call {number}"));
    };
    let class = syscalls::class(&name);
    match class {
        Class::Exec => exec::sentence(ctx),
        Class::Connect
        | Class::Bind
        | Class::Listen
        | Class::Accept
        | Class::Send
        | Class::Receive
        | Class::Socket => network::sentence(ctx, sc, class),
        Class::Open
        | Class::Read
        | Class::Write
        | Class::Delete
        | Class::Rename
        | Class::Chmod
        | Class::Chown
        | Class::Xattr
        | Class::Link
        | Class::Mkdir
        | Class::Mknod
        | Class::Truncate
        | Class::Utime
        | Class::Access
        | Class::Chdir => file::sentence(ctx, sc, &name, class),
        Class::Other => other(ctx, &name),
        _ => process::sentence(ctx, sc, &name, class),
    }
}

/// Detail records whose SYSCALL record is not in the log (excerpts, lost
/// records): says what they do show.
fn fragment(ctx: &Ctx) -> Sentence {
    let ev = ctx.ev;
    let (what, object) = if let Some(op) = ev
        .record("URINGOP")
        .and_then(|r| values::text(r, "uring_op"))
    {
        let mut s = ctx.sentence(Verb::new(
            format!("performed io_uring operation {op}"),
            format!("perform io_uring operation {op}"),
        ));
        s.object = file::target(ctx);
        return s;
    } else if ev.record("EXECVE").is_some() {
        (
            "A program was started:",
            values::command_line(ev).map(|c| format!("\"{c}\"")),
        )
    } else if ev.record("PATH").is_some() {
        ("A system call used", file::target(ctx))
    } else if ev.record("SOCKADDR").is_some() {
        ("A system call used the address", network::address(ev))
    } else if ev.record("PROCTITLE").is_some() {
        (
            "A process ran",
            values::command_line(ev).map(|c| format!("\"{c}\"")),
        )
    } else if let Some(cwd) = values::event_text(ev, "cwd") {
        (
            "A process was working in",
            Some(crate::summary::quoted(&cwd)),
        )
    } else {
        return generic::sentence(ctx);
    };
    let Some(object) = object else {
        return generic::sentence(ctx);
    };
    let mut s = ctx.sentence(Verb::fixed(what));
    s.subject = None;
    s.command = None;
    s.how = None;
    s.object = Some(object);
    s.detail("(the rest of this event is not in the log)");
    s
}

/// `made the ioctl system call on /dev/tty`.
fn other(ctx: &Ctx, call: &str) -> Sentence {
    let call = if call.starts_with("system call") {
        call.to_string()
    } else {
        format!("the {call} system call")
    };
    let mut s = ctx.sentence(Verb::new(format!("made {call}"), format!("make {call}")));
    if let Some(path) = file::target(ctx) {
        s.detail_parts(&["on ", &path]);
    } else if let Some(addr) = network::address(ctx.ev) {
        s.detail_parts(&["with ", &addr]);
    }
    s
}
