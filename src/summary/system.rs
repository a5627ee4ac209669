//! Sentences for the system as a whole: services started and stopped, boot,
//! shutdown and runlevels, software updates, devices, system configuration,
//! and firewall (netfilter) changes.

use std::rc::Rc;

use crate::record::Record;
use crate::summary::values;
use crate::summary::{Ctx, Sentence, Verb, quoted};

/// A sentence whose subject is the login user, else the program, else none.
fn by_program(ctx: &Ctx, verb: Verb) -> Sentence {
    let mut s = ctx.user_sentence(verb);
    if ctx.who.login.is_none() {
        s.subject = s.how.take().map(|p| Rc::from(values::base_name(&p)));
    }
    s
}

/// SERVICE_*, SYSTEM_*, SOFTWARE_UPDATE, USER_DEVICE, USYS_CONFIG.
pub fn sentence(ctx: &Ctx) -> Option<Sentence> {
    let rec = ctx.main;
    let s = match rec.type_name() {
        "SERVICE_START" | "SERVICE_STOP" => service(ctx),
        "SYSTEM_BOOT" => system_state(ctx, "The system booted"),
        "SYSTEM_SHUTDOWN" => system_state(ctx, "The system shut down"),
        "SYSTEM_RUNLEVEL" => {
            let level = values::text(rec, "new-level").unwrap_or_else(|| "?".to_string());
            let what = match values::text(rec, "old-level") {
                Some(old) => format!("The system changed from runlevel {old} to {level}"),
                None => format!("The system changed to runlevel {level}"),
            };
            system_state(ctx, what)
        }
        "SOFTWARE_UPDATE" => software(ctx),
        "USER_DEVICE" => {
            let op = values::text(rec, "op").unwrap_or_else(|| "changed".to_string());
            let mut s = ctx.user_sentence(Verb::fixed(format!(
                "reported {} of the device",
                quoted(&op)
            )));
            s.object = values::text(rec, "device").map(|d| quoted(&d));
            s
        }
        "USYS_CONFIG" => {
            let mut s = by_program(
                ctx,
                Verb::new(
                    "changed the system configuration",
                    "change the system configuration",
                ),
            );
            if let Some(op) = values::text(rec, "op") {
                s.detail_parts(&["(", &op, ")"]);
            }
            s
        }
        _ => return None,
    };
    Some(s)
}

/// `systemd started the service nginx`.
fn service(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let verb = if rec.type_name() == "SERVICE_START" {
        Verb::new("started the service", "start the service")
    } else {
        Verb::new("stopped the service", "stop the service")
    };
    let mut s = by_program(ctx, verb);
    s.object = Some(
        values::text(rec, "unit")
            .map(|u| quoted(&u))
            .unwrap_or_else(|| "(unit not recorded)".to_string()),
    );
    s
}

/// A state of the whole system, recorded by a program.
fn system_state(ctx: &Ctx, what: impl Into<std::borrow::Cow<'static, str>>) -> Sentence {
    let mut s = ctx.user_sentence(Verb::fixed(what));
    s.subject = None;
    if let Some(p) = s.how.take() {
        s.detail_parts(&["(recorded by ", &p, ")"]);
    }
    s
}

/// `yum installed the package yum-utils-4.0.21 (rpm)`.
fn software(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let op = values::text(rec, "op").unwrap_or_default();
    let verb = match op.as_str() {
        "install" => Verb::new("installed the package", "install the package"),
        "remove" | "erase" => Verb::new("removed the package", "remove the package"),
        "update" | "upgrade" => Verb::new("updated the package", "update the package"),
        "" => Verb::new("changed the package", "change the package"),
        other => Verb::new(
            format!("performed {} on the package", quoted(other)),
            format!("perform {} on the package", quoted(other)),
        ),
    };
    let mut s = ctx.user_sentence(verb);
    if ctx.who.login.is_none() {
        s.subject = values::text(rec, "comm")
            .map(Rc::from)
            .or_else(|| s.subject.take());
    }
    s.object = Some(
        values::text(rec, "sw")
            .map(|p| quoted(&p))
            .unwrap_or_else(|| "(not named)".to_string()),
    );
    if let Some(t) = values::text(rec, "sw_type") {
        s.detail_parts(&["(", &t, ")"]);
    }
    s
}

/// The netfilter family number in words.
fn nf_family(v: &str) -> String {
    match v {
        "0" => "all families".to_string(),
        "1" => "inet".to_string(),
        "2" => "IPv4".to_string(),
        "3" => "ARP".to_string(),
        "5" => "netdev".to_string(),
        "7" => "bridge".to_string(),
        "10" => "IPv6".to_string(),
        other => format!("family {other}"),
    }
}

/// The verb for a netfilter `op=` and the preposition that puts the table
/// after it (empty: the table itself is the object); None for an op we have
/// no words for.
fn nf_verb(op: &str) -> Option<(Verb, &'static str)> {
    let v = |past: &'static str, base: &'static str| Verb::new(past, base);
    Some(match op {
        "nft_register_rule" => (v("added firewall rules", "add firewall rules"), "to"),
        "nft_unregister_rule" => (v("deleted firewall rules", "delete firewall rules"), "from"),
        "nft_reset_rule" => (
            v(
                "reset firewall rule counters",
                "reset firewall rule counters",
            ),
            "in",
        ),
        "nft_register_chain" => (
            v("created a firewall chain", "create a firewall chain"),
            "in",
        ),
        "nft_unregister_chain" => (
            v("deleted a firewall chain", "delete a firewall chain"),
            "from",
        ),
        "nft_register_table" => (v("created a firewall table", "create a firewall table"), ""),
        "nft_unregister_table" => (v("deleted a firewall table", "delete a firewall table"), ""),
        "nft_register_set" => (v("created a firewall set", "create a firewall set"), "in"),
        "nft_unregister_set" => (v("deleted a firewall set", "delete a firewall set"), "from"),
        "nft_register_setelem" => (
            v("added firewall set elements", "add firewall set elements"),
            "in",
        ),
        "nft_unregister_setelem" => (
            v(
                "removed firewall set elements",
                "remove firewall set elements",
            ),
            "from",
        ),
        "nft_register_obj" | "nft_register_flowtable" => {
            (v("added a firewall object", "add a firewall object"), "to")
        }
        "nft_unregister_obj" | "nft_unregister_flowtable" => (
            v("removed a firewall object", "remove a firewall object"),
            "from",
        ),
        "nft_register_gen" => (
            v(
                "committed a firewall rule update",
                "commit a firewall rule update",
            ),
            "",
        ),
        "replace" | "register" | "" => (v("loaded firewall rules", "load firewall rules"), "into"),
        "unregister" => (v("removed firewall rules", "remove firewall rules"), "from"),
        _ => return None,
    })
}

/// NETFILTER_CFG and NETFILTER_PKT.
pub fn netfilter(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    if rec.type_name() == "NETFILTER_PKT" {
        return packet(ctx, rec);
    }
    let op = values::text(rec, "op").unwrap_or_default();
    let known = nf_verb(&op);
    let (verb, prep) = known.clone().unwrap_or_else(|| {
        (
            Verb::new("changed the firewall", "change the firewall"),
            "in",
        )
    });
    let mut s = by_program(ctx, verb);
    if s.subject.is_none() {
        s.subject = Some(Rc::from(
            values::text(rec, "comm").unwrap_or_else(|| "Something".to_string()),
        ));
    }
    let table = values::text(rec, "table")
        .map(|t| t.split(':').next().unwrap_or_default().to_string())
        .filter(|t| !t.is_empty() && t != "?");
    match (table, prep) {
        (Some(t), "") => s.object = Some(quoted(&t)),
        (Some(t), p) => s.object = Some(format!("{p} table {}", quoted(&t))),
        (None, _) => {}
    }
    let mut notes = Vec::new();
    if let Some(f) = values::text(rec, "family").or_else(|| values::text(rec, "familiy")) {
        notes.push(nf_family(&f));
    }
    if let Some(n) = values::text(rec, "entries") {
        notes.push(if n == "1" {
            "1 entry".to_string()
        } else {
            format!("{n} entries")
        });
    }
    if known.is_none() {
        notes.push(format!("op {op}"));
    }
    if !notes.is_empty() {
        s.detail(format!("({})", notes.join(", ")));
    }
    s
}

/// NETFILTER_PKT: a packet an audit target in the firewall logged.
fn packet(ctx: &Ctx, rec: &Record) -> Sentence {
    let mut s = ctx.user_sentence(Verb::fixed("A firewall rule logged a packet"));
    s.subject = None;
    s.how = None;
    let from = values::text(rec, "saddr");
    let to = values::text(rec, "daddr");
    let port = |n: &str| {
        values::text(rec, n)
            .map(|p| format!(" port {p}"))
            .unwrap_or_default()
    };
    if let Some(f) = from {
        s.detail(format!("from {f}{}", port("sport")));
    }
    if let Some(t) = to {
        s.detail(format!("to {t}{}", port("dport")));
    }
    if let Some(p) = values::text(rec, "proto") {
        s.detail_parts(&["(protocol ", &p, ")"]);
    }
    s
}
