//! Sentences for mandatory access control: SELinux AVC decisions (kernel and
//! user space), AppArmor decisions and profile loads, SELinux mode, policy and
//! boolean changes. A denial names the process and its domain or profile, the
//! permission, and the object with its label.

use std::rc::Rc;

use crate::record::{Origin, Record};
use crate::summary::scan::{Scan, Slot};
use crate::summary::values;
use crate::summary::{Ctx, Sentence, Verb, file, quoted};

/// True for records that report a MAC denial.
pub fn is_denial(rec: &Record) -> bool {
    if rec.type_name() == "APPARMOR_DENIED" {
        return true;
    }
    // One pass for both fields (the first of each name counts, as with `get`);
    // both names have eight letters, so most fields are passed over by length.
    let (mut seresult, mut apparmor) = (None, None);
    for f in rec.fields.iter().filter(|f| f.origin != Origin::Enriched) {
        let name = rec.name_of(f);
        if name.len() != 8 {
            continue;
        }
        if name == b"seresult" && seresult.is_none() {
            seresult = Some(rec.value_of(f));
        } else if name == b"apparmor" && apparmor.is_none() {
            apparmor = Some(rec.value_of(f));
        }
    }
    seresult == Some(b"denied") || apparmor == Some(b"DENIED")
}

/// `is_denial` for the scanned SYSCALL record, read from its scan.
pub fn is_denial_scanned(scan: &Scan) -> bool {
    scan.rec.type_name() == "APPARMOR_DENIED"
        || scan.get(Slot::Seresult) == Some(b"denied")
        || scan.get(Slot::Apparmor) == Some(b"DENIED")
}

/// The type part of an SELinux context (`system_u:system_r:sshd_t:s0` → `sshd_t`).
fn context_type(ctx: &str) -> &str {
    ctx.split(':').nth(2).unwrap_or(ctx)
}

/// `pickup (postfix_pickup_t)`: the process, with its domain or profile.
fn process(ctx: &Ctx, label: Option<String>) -> String {
    let rec = ctx.main;
    let name = values::text(rec, "comm")
        .or_else(|| values::text(rec, "exe"))
        .or_else(|| values::program(ctx.ev))
        .map(|n| quoted(&n))
        .or_else(|| values::text(rec, "pid").map(|p| format!("Process {p}")))
        .unwrap_or_else(|| "A process".to_string());
    match label {
        Some(l) => format!("{name} ({l})"),
        None => name,
    }
}

/// AVC, USER_AVC (SELinux form), SELINUX_ERR and the policy, mode and boolean records.
pub fn selinux(ctx: &Ctx) -> Option<Sentence> {
    let rec = ctx.main;
    match rec.type_name() {
        "AVC" | "USER_AVC" => Some(avc(ctx)),
        "SELINUX_ERR" | "USER_SELINUX_ERR" => Some(selinux_err(ctx)),
        "MAC_STATUS" | "USER_MAC_STATUS" => {
            let mode = match values::text(rec, "enforcing").as_deref() {
                Some("1") => "switched SELinux to enforcing mode",
                Some("0") => "switched SELinux to permissive mode",
                _ => "changed the SELinux mode",
            };
            Some(ctx.user_sentence(Verb::new(mode, "change the SELinux mode")))
        }
        "MAC_POLICY_LOAD" | "USER_MAC_POLICY_LOAD" => Some(ctx.user_sentence(Verb::new(
            "loaded a new SELinux policy",
            "load a new SELinux policy",
        ))),
        "MAC_CONFIG_CHANGE" => {
            let name = values::text(rec, "bool").unwrap_or_else(|| "?".to_string());
            let val = values::text(rec, "val").unwrap_or_else(|| "?".to_string());
            let mut s = ctx.user_sentence(Verb::new(
                format!("set the SELinux boolean {name} to {val}"),
                format!("set the SELinux boolean {name}"),
            ));
            if let Some(old) = values::text(rec, "old_val") {
                s.detail(format!("(was {old})"));
            }
            Some(s)
        }
        "USER_ROLE_CHANGE" => {
            let mut s = ctx.user_sentence(Verb::new("changed SELinux role", "change SELinux role"));
            if let Some(c) =
                values::text(rec, "new-context").or_else(|| values::text(rec, "selected-context"))
            {
                s.detail(format!("to {c}"));
            }
            Some(s)
        }
        _ => None,
    }
}

/// SELINUX_ERR: the kernel or a user-space manager refused something as invalid.
fn selinux_err(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let mut s = ctx.user_sentence(Verb::fixed("SELinux reported an error"));
    s.subject = None;
    if let Some(p) = s.how.take() {
        s.detail(format!("for {p}"));
    }
    let what = values::text(rec, "_text")
        .or_else(|| values::text(rec, "op"))
        .or_else(|| values::text(rec, "invalid_context").map(|c| format!("invalid context {c}")));
    if let Some(w) = what {
        s.detail(format!(
            "({})",
            w.trim_end_matches(" for").trim_end_matches(':')
        ));
    }
    s
}

/// What an AVC was about: a path, a name, a port, a D-Bus call, a capability.
fn avc_object(ctx: &Ctx, class: &str) -> Option<String> {
    let rec = ctx.main;
    let get = |n: &str| values::text(rec, n);
    if class.starts_with("capability") || class == "cap_userns" {
        return None;
    }
    if let Some(p) = get("path") {
        return Some(quoted(&p));
    }
    if let (Some(i), Some(m)) = (get("interface"), get("member")) {
        return Some(format!("{i}.{m}"));
    }
    if let Some(port) = get("dest")
        .filter(|_| class.ends_with("socket"))
        .or_else(|| get("src"))
    {
        return Some(format!("port {port}"));
    }
    let from_paths = file::target(ctx).filter(|_| ctx.ev.record("PATH").is_some());
    from_paths
        .or_else(|| get("name").map(|n| quoted(&n)))
        .or_else(|| get("dest"))
}

/// SELinux AVC and USER_AVC.
fn avc(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let perms = values::text(rec, "seperms")
        .map(|p| and_list(&p.split_whitespace().collect::<Vec<_>>()))
        .unwrap_or_default();
    let class = values::text(rec, "tclass").unwrap_or_default();
    let domain = values::text(rec, "scontext").map(|c| context_type(&c).to_string());
    let target = values::text(rec, "tcontext").map(|c| context_type(&c).to_string());
    let verb = match rec.get("seresult") {
        Some(b"granted") => "was granted",
        Some(b"denied") => "was denied",
        _ => "was checked for",
    };
    let mut s = ctx.user_sentence(Verb::fixed(verb));
    let how = s.how.take();
    s.subject = Some(Rc::from(process(ctx, domain)));
    let capability = class.starts_with("capability") || class == "cap_userns";
    let noun = if class.is_empty() {
        "object"
    } else {
        class.as_str()
    };
    let access = if perms.is_empty() {
        "access".to_string()
    } else {
        format!("{perms} access")
    };
    s.object = Some(match avc_object(ctx, &class) {
        _ if capability => format!("the capability {perms}"),
        Some(o) => format!("{access} to the {noun} {o}"),
        None => format!("{access} to {} {noun}", article(noun)),
    });
    if let Some(t) = target.filter(|_| !capability) {
        s.detail(format!("(label {t})"));
    }
    let checker = if rec.type_name() == "USER_AVC" {
        how.map(|h| format!("by SELinux (checked in user space by {h})"))
    } else {
        None
    };
    s.detail(checker.unwrap_or_else(|| "by SELinux".to_string()));
    if values::text(rec, "permissive").as_deref() == Some("1") {
        s.detail("(permissive: the access went ahead)");
    }
    if let Some(l) = ctx.who.login_subject() {
        s.detail(format!("(login user {l})"));
    }
    s
}

/// `a` or `an`, by the first letter of the next word.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// `read`, `read and write`, `read, write and open`.
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// AppArmor decisions, profile loads, hints and errors.
pub fn apparmor(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let get = |n: &str| values::text(rec, n);
    let verdict = get("apparmor").unwrap_or_else(|| {
        rec.type_name()
            .strip_prefix("APPARMOR_")
            .unwrap_or("AUDIT")
            .to_string()
    });
    let operation = get("operation").unwrap_or_else(|| "an operation".to_string());
    if verdict == "STATUS" {
        return status(ctx, &operation);
    }
    let verb = match verdict.as_str() {
        "DENIED" => "was denied",
        "ALLOWED" => "was allowed, in complain mode,",
        "KILL" => "was killed by AppArmor for",
        "HINT" => "gave AppArmor a hint about",
        "ERROR" => "hit an AppArmor error in",
        _ => "was audited by AppArmor for",
    };
    let mut s = ctx.user_sentence(Verb::fixed(verb));
    let how = s.how.take();
    let profile = get("profile").map(|p| format!("profile {p}"));
    s.subject = Some(Rc::from(process(ctx, profile)));
    let on = get("name")
        .or_else(|| get("peer"))
        .or_else(|| get("capname"))
        .or_else(|| get("path"));
    s.object = Some(match (get("interface"), get("member"), on) {
        (Some(i), Some(m), _) => format!("{operation} {i}.{m}"),
        (_, _, Some(n)) => format!("{operation} of {}", quoted(&n)),
        _ => operation,
    });
    if matches!(verdict.as_str(), "DENIED" | "ALLOWED") {
        s.detail("by AppArmor");
    }
    if let Some(m) = get("requested_mask")
        .or_else(|| get("requested"))
        .or_else(|| get("mask"))
    {
        s.detail(format!("(requested {m})"));
    }
    if let (Some(h), "USER_AVC") = (how, rec.type_name()) {
        s.detail(format!("(checked in user space by {h})"));
    }
    s
}

/// `AppArmor loaded the profile lxc-container-default`.
fn status(ctx: &Ctx, operation: &str) -> Sentence {
    let what = match operation {
        "profile_load" => "AppArmor loaded the profile",
        "profile_replace" => "AppArmor replaced the profile",
        "profile_remove" => "AppArmor removed the profile",
        _ => "AppArmor reported a status change for",
    };
    let mut s = ctx.user_sentence(Verb::fixed(what));
    s.subject = None;
    s.object = Some(
        values::text(ctx.main, "name")
            .map(|n| quoted(&n))
            .unwrap_or_else(|| "(unnamed)".to_string()),
    );
    if let Some(p) = s.how.take() {
        s.detail(format!("(by {p})"));
    }
    s
}
