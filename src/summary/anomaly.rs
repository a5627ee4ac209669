//! Sentences for anomalies and what stops processes: crashes (ANOM_ABEND),
//! promiscuous interfaces, login anomalies from PAM modules, and seccomp
//! verdicts. Other ANOM_* and RESP_* types fall back to the generic sentence,
//! which carries the type's explanation.

use std::rc::Rc;

use crate::summary::process::signal_name;
use crate::summary::values;
use crate::summary::{Ctx, Sentence, Verb, quoted, session, syscalls};

/// ANOM_* records with a sentence of their own.
pub fn anomaly(ctx: &Ctx) -> Option<Sentence> {
    let rec = ctx.main;
    match rec.type_name() {
        "ANOM_ABEND" => Some(crash(ctx)),
        "ANOM_PROMISCUOUS" => {
            let on = values::text(rec, "prom").is_some_and(|p| p != "0");
            let verb = if on {
                Verb::new("put the interface", "put the interface")
            } else {
                Verb::new("took the interface", "take the interface")
            };
            let mut s = ctx.sentence(verb);
            s.object = Some(values::text(rec, "dev").unwrap_or_else(|| "?".to_string()));
            s.detail(if on {
                "into promiscuous mode"
            } else {
                "out of promiscuous mode"
            });
            Some(s)
        }
        "ANOM_LOGIN_FAILURES"
        | "ANOM_LOGIN_TIME"
        | "ANOM_LOGIN_SESSIONS"
        | "ANOM_LOGIN_LOCATION"
        | "ANOM_LOGIN_ACCT"
        | "ANOM_LOGIN_ROOT"
        | "ANOM_LOGIN_SERVICE" => Some(login_anomaly(ctx)),
        _ => None,
    }
}

/// ANOM_ABEND: `/usr/bin/preconv (pid 109919) crashed with SIGSYS`.
fn crash(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let mut s = ctx.sentence(Verb::fixed("crashed"));
    let program = s.how.take().unwrap_or_else(|| Rc::from("A process"));
    s.subject = Some(Rc::from(match values::text(rec, "pid") {
        Some(p) => format!("{} (pid {p})", quoted(&program)),
        None => quoted(&program),
    }));
    s.command = None;
    if let Some(sig) = rec.get("sig").and_then(values::decimal) {
        let name = u64::try_from(sig).ok().and_then(signal_name);
        s.detail(match name {
            Some(n) => format!("with {n}"),
            None => format!("with signal {sig}"),
        });
    }
    if let Some(who) = ctx.who.subject() {
        s.detail_parts(&[", run by ", &who]);
    }
    s
}

/// Login anomalies reported by PAM modules such as pam_faillock.
fn login_anomaly(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let what = match rec.type_name() {
        "ANOM_LOGIN_FAILURES" => "Too many failed logins were detected",
        "ANOM_LOGIN_TIME" => "A login at a forbidden time was detected",
        "ANOM_LOGIN_SESSIONS" => "Too many sessions at once were detected",
        "ANOM_LOGIN_LOCATION" => "A login from a forbidden place was detected",
        "ANOM_LOGIN_ROOT" => "A forbidden root login was detected",
        "ANOM_LOGIN_SERVICE" => "A login through a forbidden service was detected",
        _ => "A login anomaly was detected",
    };
    let mut s = ctx.user_sentence(Verb::fixed(what));
    s.subject = None;
    if let Some(p) = s.how.take() {
        s.tail = Some(format!(" by {p}"));
    }
    if let Some(a) = session::account(rec) {
        s.detail_parts(&["for ", &a]);
    }
    if let Some(r) = session::remote(ctx) {
        s.detail_parts(&["from ", &r]);
    }
    s
}

/// What a seccomp filter did to the process, from the top bits of `code=`,
/// worded to be followed by the system call.
fn seccomp_action(code: u64) -> &'static str {
    match code & 0xffff_0000 {
        0x8000_0000 => "was killed by a seccomp filter for calling",
        0x0000_0000 => "had a thread killed by a seccomp filter for calling",
        0x0003_0000 => "was sent SIGSYS by a seccomp filter for calling",
        0x0005_0000 => "was refused by a seccomp filter when calling",
        0x7fc0_0000 => "was held for its supervisor by a seccomp filter when calling",
        0x7ff0_0000 => "was handed to a tracer by a seccomp filter when calling",
        0x7ffc_0000 => "was logged by a seccomp filter calling",
        0x7fff_0000 => "was allowed by a seccomp filter to call",
        _ => "was stopped by a seccomp filter when calling",
    }
}

/// SECCOMP: `/usr/sbin/sshd (pid 11217) had a thread killed by a seccomp
/// filter for calling system call 132`.
pub fn seccomp(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let action = rec
        .get("code")
        .and_then(|c| c.strip_prefix(b"0x"))
        .and_then(values::hex)
        .map_or(
            "was stopped by a seccomp filter when calling",
            seccomp_action,
        );
    let mut s = ctx.sentence(Verb::fixed(action));
    let program = s
        .how
        .take()
        .map_or_else(|| "A process".to_string(), |p| quoted(&p));
    s.subject = Some(Rc::from(match values::text(rec, "pid") {
        Some(pid) => format!("{program} (pid {pid})"),
        None => program,
    }));
    s.command = None;
    let arch = rec
        .get("arch")
        .and_then(crate::interpret::arch_name)
        .map(str::to_string)
        .or_else(|| values::text(rec, "arch"));
    s.object = Some(match (syscalls::name(rec), values::text(rec, "syscall")) {
        (Some(n), _) => n.into_owned(),
        (None, Some(n)) => match arch {
            Some(a) => format!("system call {n} (arch {a})"),
            None => format!("system call {n}"),
        },
        (None, None) => "a system call".to_string(),
    });
    if let Some(who) = ctx.who.subject() {
        s.detail_parts(&[", run by ", &who]);
    }
    s
}
