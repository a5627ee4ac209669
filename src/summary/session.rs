//! Sentences for authentication and sessions: PAM's USER_AUTH, USER_ACCT and
//! CRED_* records, logins and logouts, session start and end, the kernel's
//! LOGIN record, commands run through sudo and typed TTY input.
//!
//! The acting uid of these records is the daemon's own (sshd runs as root), so
//! they name the login user when there is one, and otherwise "Someone" (for the
//! person at the other end) or the program.

use std::rc::Rc;

use crate::record::{Origin, Record};
use crate::summary::values::{self, is_present};
use crate::summary::who::id_of;
use crate::summary::{Ctx, Sentence, Verb, quoted};

/// The account a user-space record is about: `acct=`, the ENRICHED `ID`, or `id=`.
pub fn account(rec: &Record) -> Option<String> {
    ["acct", "user", "username"]
        .iter()
        .find_map(|n| values::text(rec, n))
        .map(|a| quoted(&a))
        .or_else(|| values::enriched(rec, "ID").map(|a| quoted(&a)))
        .or_else(|| values::text(rec, "id").map(|n| format!("account {n}")))
        .or_else(|| inner_uid(rec).map(|n| format!("uid {n}")))
}

/// A `uid=` inside the user-space message (pam_faillock names the account so),
/// unlike the outer `uid=`, which is the reporting daemon's.
fn inner_uid(rec: &Record) -> Option<String> {
    rec.fields
        .iter()
        .find(|f| f.origin == Origin::Inner && rec.name_of(f) == b"uid")
        .map(|f| crate::sanitize::escaped(rec.value_of(f)))
}

/// Where the user came from: `addr=`, else a `hostname=` other than the node itself.
pub fn remote(ctx: &Ctx) -> Option<String> {
    let rec = ctx.main;
    let addr = ["addr", "ipaddress", "ip", "src"]
        .iter()
        .find_map(|n| values::text(rec, n));
    addr.or_else(|| {
        let host = values::text(rec, "hostname")?;
        let node = ctx.ev.node().map(crate::sanitize::escaped);
        (Some(&host) != node.as_ref()).then_some(host)
    })
}

/// `(terminal pts/0)`, when the record names one.
fn terminal(rec: &Record) -> Option<String> {
    values::text(rec, "terminal")
        .filter(|t| is_present(t.as_bytes()))
        .map(|t| format!("(terminal {t})"))
}

/// The login user, else "Someone".
fn someone(ctx: &Ctx) -> String {
    ctx.who
        .login_subject()
        .unwrap_or_else(|| "Someone".to_string())
}

/// A sentence whose subject is the login user, else the program (which then
/// is not repeated as "using ...").
fn by_login_or_program(ctx: &Ctx, verb: Verb) -> Sentence {
    let mut s = ctx.user_sentence(verb);
    match ctx.who.login_subject() {
        Some(l) => s.subject = Some(Rc::from(l)),
        None => s.subject = s.how.take().or_else(|| Some(Rc::from("Someone"))),
    }
    s
}

/// USER_AUTH, USER_ACCT, CRED_ACQ, CRED_DISP, CRED_REFR, GRP_AUTH.
pub fn auth(ctx: &Ctx) -> Option<Sentence> {
    let rec = ctx.main;
    let acct = account(rec);
    let mut s = match rec.type_name() {
        "USER_AUTH" => {
            let mut s = ctx.user_sentence(match acct {
                Some(_) => Verb::new("authenticated as", "authenticate as"),
                None => Verb::new("authenticated", "authenticate"),
            });
            s.subject = Some(Rc::from(someone(ctx)));
            s
        }
        "USER_ACCT" => {
            let mut s = ctx.user_sentence(if ctx.failed() {
                Verb::fixed("was refused access to the account")
            } else {
                Verb::fixed("was allowed to use the account")
            });
            s.subject = Some(Rc::from(someone(ctx)));
            s
        }
        "GRP_AUTH" => {
            let mut s = ctx.user_sentence(Verb::new(
                "authenticated to a group as",
                "authenticate to a group as",
            ));
            s.subject = Some(Rc::from(someone(ctx)));
            s
        }
        "CRED_ACQ" => by_login_or_program(
            ctx,
            Verb::new("obtained the credentials of", "obtain the credentials of"),
        ),
        "CRED_DISP" => by_login_or_program(
            ctx,
            Verb::new("released the credentials of", "release the credentials of"),
        ),
        "CRED_REFR" => by_login_or_program(
            ctx,
            Verb::new("refreshed the credentials of", "refresh the credentials of"),
        ),
        _ => return None,
    };
    s.object = acct;
    if let Some(r) = remote(ctx) {
        s.detail(format!("from {r}"));
    }
    Some(s)
}

/// Logins, logouts, sessions, sudo commands and TTY input.
pub fn sentence(ctx: &Ctx) -> Option<Sentence> {
    let rec = ctx.main;
    let mut s = match rec.type_name() {
        "USER_LOGIN" => login(ctx),
        "USER_LOGOUT" => {
            let mut s = ctx.user_sentence(Verb::new("logged out", "log out"));
            s.subject = the_user(ctx).map(Rc::from);
            s
        }
        "USER_START" => {
            let mut s =
                by_login_or_program(ctx, Verb::new("opened a session for", "open a session for"));
            s.object = account(rec);
            s
        }
        "USER_END" => {
            let mut s = by_login_or_program(
                ctx,
                Verb::new("closed the session of", "close the session of"),
            );
            s.object = account(rec);
            s
        }
        "LOGIN" => return Some(login_id(ctx)),
        "USER_CMD" => return Some(command(ctx)),
        "TTY" | "USER_TTY" => return Some(typed(ctx)),
        _ => return None,
    };
    if let Some(r) = remote(ctx) {
        s.detail(format!("from {r}"));
    }
    if let Some(t) = terminal(rec) {
        s.detail(t);
    }
    Some(s)
}

/// USER_LOGIN: `alice logged in`, or `Someone failed to log in as alice`.
fn login(ctx: &Ctx) -> Sentence {
    let acct = account(ctx.main);
    if ctx.failed() {
        let mut s = ctx.user_sentence(Verb::new("logged in as", "log in as"));
        s.subject = Some(Rc::from(someone(ctx)));
        s.object = acct.or_else(|| Some("an unknown account".to_string()));
        s
    } else {
        let mut s = ctx.user_sentence(Verb::new("logged in", "log in"));
        s.subject = the_user(ctx).map(Rc::from);
        s
    }
}

/// The user who logged in or out, named as the record names them.
fn the_user(ctx: &Ctx) -> Option<String> {
    let rec = ctx.main;
    ["acct", "user", "username"]
        .iter()
        .find_map(|n| values::text(rec, n))
        .or_else(|| values::enriched(rec, "ID"))
        .map(|n| quoted(&n))
        .or_else(|| values::text(rec, "id").map(|n| format!("uid {n}")))
        .or_else(|| ctx.who.login_subject())
        .or_else(|| Some("Someone".to_string()))
}

/// The kernel's LOGIN record: a process got its login user and session.
fn login_id(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let mut s = ctx.sentence(Verb::new(
        "set the login user of its session to",
        "set the login user of its session to",
    ));
    let pid = values::text(rec, "pid");
    s.subject = match (s.how.take(), pid) {
        (Some(p), _) => Some(p),
        (None, Some(pid)) => Some(Rc::from(format!("Process {pid}"))),
        (None, None) => Some(Rc::from("A process")),
    };
    s.command = None;
    s.object = Some(
        id_of(rec, "auid", "AUID")
            .map(|i| i.name.to_string())
            .unwrap_or_else(|| "nobody (unset)".to_string()),
    );
    if let Some(ses) = values::text(rec, "ses").filter(|s| s != "4294967295") {
        s.detail(format!("(session {ses})"));
    }
    s
}

/// USER_CMD: a command run through sudo or a similar tool.
fn command(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let mut s = ctx.user_sentence(Verb::new("ran the command", "run the command"));
    s.object = Some(match values::text(rec, "cmd") {
        Some(c) => format!("\"{}\"", values::shorten(&c, 160)),
        None => "(not recorded)".to_string(),
    });
    if let Some(cwd) = values::text(rec, "cwd") {
        s.detail(format!("in {}", quoted(&cwd)));
    }
    s
}

/// TTY and USER_TTY: keystrokes logged by pam_tty_audit.
fn typed(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let mut s = ctx.user_sentence(Verb::fixed("typed"));
    let data = values::text(rec, "data").unwrap_or_default();
    s.object = Some(format!("\"{}\"", values::shorten(&data, 160)));
    if s.how.is_none() {
        s.how = values::text(rec, "comm").map(Rc::from);
    }
    s
}
