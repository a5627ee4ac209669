//! Events built around a SYSCALL record: finds the call's name, sorts it into
//! a class, and hands over to the file, exec, network or process sentences.
//! Calls outside every class still get a sentence naming the call.

use crate::summary::syscalls::{self, Class};
use crate::summary::{Ctx, Sentence, Verb, exec, file, generic, network, process};

/// The sentence for an event whose main record is a SYSCALL (or a detail
/// record that came without one).
pub fn sentence(ctx: &Ctx) -> Sentence {
    let Some(sc) = ctx.ev.record("SYSCALL") else {
        return generic::sentence(ctx);
    };
    let Some(name) = syscalls::name(sc) else {
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

/// `made the ioctl system call on /dev/tty`.
fn other(ctx: &Ctx, call: &str) -> Sentence {
    let call = if call.starts_with("system call") {
        call.to_string()
    } else {
        format!("the {call} system call")
    };
    let mut s = ctx.sentence(Verb::new(&format!("made {call}"), &format!("make {call}")));
    if let Some(path) = file::target(ctx.ev) {
        s.detail(format!("on {path}"));
    } else if let Some(addr) = network::address(ctx.ev) {
        s.detail(format!("with {addr}"));
    }
    s
}
