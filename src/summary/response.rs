//! Sentences for RESP_* records: what an intrusion-detection component (a
//! PAM module, an IDS plugin) did in reaction to an anomaly: locked an
//! account, killed a process, blocked an address, ended a session.

use crate::summary::{Ctx, Sentence, Verb, session};

/// The verb of a response type, and whether an account follows it.
fn verb(type_name: &str) -> Option<(&'static str, &'static str, bool)> {
    Some(match type_name {
        "RESP_ACCT_LOCK" => ("locked the account", "lock the account", true),
        "RESP_ACCT_LOCK_TIMED" => ("locked the account", "lock the account", true),
        "RESP_ACCT_UNLOCK_TIMED" => ("unlocked the account", "unlock the account", true),
        "RESP_ACCT_REMOTE" => ("locked the account", "lock the account", true),
        "RESP_KILL_PROC" => ("killed a process", "kill a process", false),
        "RESP_TERM_ACCESS" => ("ended a session", "end a session", false),
        "RESP_TERM_LOCK" => ("locked a terminal", "lock a terminal", false),
        "RESP_HALT" => ("shut the system down", "shut the system down", false),
        "RESP_SINGLE" => (
            "switched the system to single-user mode",
            "switch to single-user mode",
            false,
        ),
        "RESP_ALERT" => ("sent an alert", "send an alert", false),
        "RESP_EXEC" => ("ran a program", "run a program", false),
        "RESP_SEBOOL" => ("set an SELinux boolean", "set an SELinux boolean", false),
        "RESP_ORIGIN_BLOCK" => ("blocked the origin", "block the origin", false),
        "RESP_ORIGIN_BLOCK_TIMED" => ("blocked the origin", "block the origin", false),
        "RESP_ORIGIN_UNBLOCK_TIMED" => ("unblocked the origin", "unblock the origin", false),
        "RESP_ANOMALY" => ("took no action on an anomaly", "act on an anomaly", false),
        _ => return None,
    })
}

/// A RESP_* record; None for a type without words here.
pub fn sentence(ctx: &Ctx) -> Option<Sentence> {
    let rec = ctx.main;
    let (past, base, account) = verb(rec.type_name())?;
    let mut s = ctx.user_sentence(Verb::new(past, base));
    if ctx.who.login.is_none() {
        s.subject = s.how.take();
    }
    s.object = if account {
        session::account(rec)
    } else if past.ends_with("origin") {
        session::remote(ctx)
    } else {
        None
    };
    let when = match rec.type_name() {
        "RESP_ACCT_LOCK_TIMED" | "RESP_ORIGIN_BLOCK_TIMED" => Some("for a while"),
        "RESP_ACCT_UNLOCK_TIMED" | "RESP_ORIGIN_UNBLOCK_TIMED" => {
            Some("when its timed block ended")
        }
        "RESP_ACCT_REMOTE" => Some("against remote logins"),
        _ => None,
    };
    if let Some(w) = when {
        s.detail(w);
    }
    if rec.type_name() != "RESP_ANOMALY" {
        s.tail = Some(", in response to an anomaly".to_string());
    }
    Some(s)
}
