//! Sentences for account management: locking, password changes, users and
//! groups added, deleted or changed. The account acted on is `acct=`/`grp=`,
//! the ENRICHED `ID`, or the number in `id=`; the one acting is the subject.

use crate::record::Record;
use crate::summary::values;
use crate::summary::{Ctx, Sentence, Verb, quoted};

/// The verb for a record type and its `op=`, and whether the verb already
/// names the kind of account (so a bare number can follow it).
fn verb(type_name: &str, op: &str) -> (Verb, bool) {
    let password = op.contains("password") || op == "PAM:chauthtok";
    let v = |past: &'static str, base: &'static str| Verb::new(past, base);
    match (type_name, op) {
        ("ACCT_LOCK", _) if password => {
            (v("locked the password of", "lock the password of"), false)
        }
        ("ACCT_LOCK", _) => (v("locked", "lock"), false),
        ("ACCT_UNLOCK", _) if password => (
            v("unlocked the password of", "unlock the password of"),
            false,
        ),
        ("ACCT_UNLOCK", _) => (v("unlocked", "unlock"), false),
        ("USER_CHAUTHTOK", _) if password => (
            v("changed the password of", "change the password of"),
            false,
        ),
        ("GRP_CHAUTHTOK", _) => (
            v(
                "changed the password of the group",
                "change the password of the group",
            ),
            true,
        ),
        ("ADD_USER", _) => (v("added the user account", "add the user account"), true),
        ("DEL_USER", _) => (
            v("deleted the user account", "delete the user account"),
            true,
        ),
        ("ADD_GROUP", _) => (v("added the group", "add the group"), true),
        ("DEL_GROUP", _) => (v("deleted the group", "delete the group"), true),
        (_, "add-home-dir") => (
            v(
                "created the home directory of",
                "create the home directory of",
            ),
            false,
        ),
        (_, "add-shadow-group") => (
            v(
                "added the shadow entry of the group",
                "add the shadow entry of the group",
            ),
            true,
        ),
        (_, op) if op.contains("aging") || op.contains("age") => (
            v(
                "read or changed the password aging of",
                "read or change the password aging of",
            ),
            false,
        ),
        (_, op) if op.contains("shell") => (
            v("changed the login shell of", "change the login shell of"),
            false,
        ),
        // Old tools wrote ops with spaces, unquoted: only the first word survives.
        (_, op) if op.starts_with("adding") => {
            (v("added the user account", "add the user account"), true)
        }
        (_, op) if op.starts_with("deleting") => (
            v("deleted the user account", "delete the user account"),
            true,
        ),
        (_, op) if op.starts_with("display") => (
            v(
                "looked up the account settings of",
                "look up the account settings of",
            ),
            false,
        ),
        (_, "changing") => (v("changed the account", "change the account"), true),
        (_, "") => (v("changed", "change"), false),
        (_, op) => {
            let op = quoted(op);
            (
                Verb::new(format!("performed {op} on"), format!("perform {op} on")),
                false,
            )
        }
    }
}

/// True for record types about groups rather than users.
fn is_group_type(type_name: &str) -> bool {
    type_name.contains("GROUP") || type_name.starts_with("GRP_") || type_name == "CHGRP_ID"
}

/// The account or group acted on, as a name or `account 1001` / `group 1001`.
fn target(rec: &Record, noun_in_verb: bool) -> String {
    let group = is_group_type(rec.type_name());
    let names: &[&str] = if group {
        &["grp", "acct"]
    } else {
        &["acct", "user"]
    };
    if let Some(name) = names.iter().find_map(|n| values::text(rec, n)) {
        return quoted(&name);
    }
    if let Some(name) = values::enriched(rec, "ID") {
        return quoted(&name);
    }
    let noun = if group { "group" } else { "account" };
    match values::text(rec, "id") {
        Some(n) if noun_in_verb => n,
        Some(n) => format!("{noun} {n}"),
        None => format!("an unnamed {noun}"),
    }
}

/// The sentence for an account-management record.
pub fn sentence(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    if rec.type_name() == "CHGRP_ID" {
        return group_switch(ctx);
    }
    let op = values::text(rec, "op").unwrap_or_default();
    let (verb, noun_in_verb) = verb(rec.type_name(), &op);
    let mut s = ctx.user_sentence(verb);
    s.object = Some(target(rec, noun_in_verb));
    if let Some(r) = crate::summary::session::remote(ctx) {
        s.detail_parts(&["from ", &r]);
    }
    s
}

/// CHGRP_ID (newgrp, sg): a process switched to another group.
fn group_switch(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let mut s = ctx.user_sentence(Verb::new("switched to the group", "switch to the group"));
    s.object = Some(
        values::enriched(rec, "NEW_GID")
            .or_else(|| values::text(rec, "new_gid"))
            .map(|g| quoted(&g))
            .unwrap_or_else(|| "(not recorded)".to_string()),
    );
    s
}
