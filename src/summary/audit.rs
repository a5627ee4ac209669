//! Sentences about auditing itself: rules added and removed, auditing turned
//! on or off, the audit daemon starting, stopping and rotating its logs.
//! Changes here can blind monitoring, so they are worded plainly.

use crate::record::Record;
use crate::summary::values;
use crate::summary::{Ctx, Sentence, Verb};

/// CONFIG_CHANGE, FEATURE_CHANGE, DAEMON_* and KERNEL records.
pub fn sentence(ctx: &Ctx) -> Option<Sentence> {
    let name = ctx.main.type_name();
    match name {
        "CONFIG_CHANGE" => Some(config_change(ctx)),
        "FEATURE_CHANGE" => Some(feature(ctx)),
        "KERNEL" => Some(daemon(ctx, "The kernel's audit subsystem started")),
        _ => daemon_record(ctx, name),
    }
}

/// The audit daemon's own records.
fn daemon_record(ctx: &Ctx, name: &str) -> Option<Sentence> {
    let what = match name {
        "DAEMON_START" => "The audit daemon started",
        "DAEMON_END" => "The audit daemon stopped",
        "DAEMON_ABORT" => "The audit daemon stopped on an error",
        "DAEMON_CONFIG" | "DAEMON_RECONFIG" => "The audit daemon reloaded its configuration",
        "DAEMON_ROTATE" => "The audit daemon rotated its log files",
        "DAEMON_RESUME" => "The audit daemon resumed logging",
        "DAEMON_ACCEPT" => "The audit daemon accepted a connection from a remote client",
        "DAEMON_CLOSE" => "The audit daemon closed a connection from a remote client",
        "DAEMON_ERR" => "The audit daemon reported an error",
        _ => return None,
    };
    Some(daemon(ctx, what))
}

/// A sentence about the daemon, with who asked for it when the record says.
fn daemon(ctx: &Ctx, what: &'static str) -> Sentence {
    let rec = ctx.main;
    let mut s = ctx.user_sentence(Verb::fixed(what));
    s.subject = None;
    s.how = None;
    let mut notes = Vec::new();
    if let Some(v) = values::text(rec, "ver") {
        notes.push(format!("version {v}"));
    }
    if let Some(f) = values::text(rec, "format") {
        notes.push(format!("format {f}"));
    }
    if let Some(r) = values::text(rec, "reason") {
        notes.push(r);
    }
    if let Some(a) = values::text(rec, "addr") {
        notes.push(format!("address {a}"));
    }
    if ctx.main.type_name() != "DAEMON_START" {
        if let Some(who) = ctx.who.subject() {
            notes.push(format!("requested by {who}"));
        }
    }
    if !notes.is_empty() {
        s.detail(format!("({})", notes.join(", ")));
    }
    s
}

/// `auditctl -e`'s values in words.
fn enabled_text(v: &str) -> &'static str {
    match v {
        "0" => "turned auditing off",
        "1" => "turned auditing on",
        "2" => "locked the audit configuration until reboot",
        _ => "changed whether auditing is on",
    }
}

/// CONFIG_CHANGE: rules and kernel audit settings.
fn config_change(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let op = values::text(rec, "op").unwrap_or_default();
    let op = op.trim_matches('"');
    let (verb, detail) = rule_change(rec, op).unwrap_or_else(|| setting_change(rec, op));
    let mut s = ctx.user_sentence(verb);
    if s.verb.fixed {
        s.subject = None;
    }
    s.key = super::rule_key(ctx.ev);
    if let Some(list) = values::text(rec, "list").filter(|_| detail.is_none()) {
        let prep = if op.starts_with("remove") {
            "from"
        } else {
            "to"
        };
        s.detail(format!("{prep} the {} list", list_name(&list)));
    }
    if let Some(d) = detail {
        s.detail(d);
    }
    s
}

/// Audit rules added or removed, or updated by the kernel.
fn rule_change(rec: &Record, op: &str) -> Option<(Verb, Option<String>)> {
    Some(if op.starts_with("add_rule") || op == "add rule" {
        (Verb::new("added an audit rule", "add an audit rule"), None)
    } else if op.starts_with("remove_rule") || op == "remove rule" {
        (
            Verb::new("removed an audit rule", "remove an audit rule"),
            None,
        )
    } else if op == "updated_rules" {
        (
            Verb::fixed("The kernel updated an audit rule because a watched path changed"),
            values::text(rec, "path"),
        )
    } else {
        return None;
    })
}

/// Kernel audit settings: on or off, the daemon's pid, limits, failure mode.
fn setting_change(rec: &Record, op: &str) -> (Verb, Option<String>) {
    let get = |n: &str| values::text(rec, n);
    let old = get("old").map(|o| format!("(was {o})"));
    if let Some(v) = get("audit_enabled") {
        return (
            Verb::new(enabled_text(&v), "change whether auditing is on"),
            old,
        );
    }
    if let Some(p) = get("audit_pid") {
        let past = if p == "0" {
            "unregistered the audit daemon".to_string()
        } else {
            format!("registered process {p} as the audit daemon")
        };
        return (Verb::new(past, "register the audit daemon"), None);
    }
    for (field, label) in [
        ("audit_backlog_limit", "the audit backlog limit"),
        ("audit_rate_limit", "the audit rate limit"),
        ("audit_failure", "the audit failure mode"),
        ("audit_backlog_wait_time", "the audit backlog wait time"),
    ] {
        if let Some(v) = get(field) {
            return (
                Verb::new(format!("set {label} to {v}"), format!("set {label}")),
                old,
            );
        }
    }
    let past = if op.is_empty() {
        "changed the audit configuration".to_string()
    } else {
        format!("changed the audit configuration ({op})")
    };
    (Verb::new(past, "change the audit configuration"), None)
}

/// The rule list number in words.
fn list_name(n: &str) -> String {
    match n {
        "0" => "user".to_string(),
        "1" => "task".to_string(),
        "2" => "entry".to_string(),
        "4" => "exit".to_string(),
        "5" => "exclude".to_string(),
        "7" => "filesystem".to_string(),
        "8" => "io_uring".to_string(),
        other => format!("number {other}"),
    }
}

/// FEATURE_CHANGE: an audit feature bit set or locked.
fn feature(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let name = values::text(rec, "feature").unwrap_or_else(|| "an audit feature".to_string());
    let new = values::text(rec, "new").unwrap_or_else(|| "?".to_string());
    let mut s = ctx.user_sentence(Verb::new(
        format!("set the audit feature {name} to {new}"),
        format!("set the audit feature {name}"),
    ));
    if let Some(old) = values::text(rec, "old") {
        s.detail_parts(&["(was ", &old, ")"]);
    }
    if values::text(rec, "new_lock").as_deref() == Some("1") {
        s.detail("and locked it");
    }
    s
}
