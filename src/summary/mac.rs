//! Sentences for mandatory access control: SELinux AVC decisions (kernel and
//! user space), AppArmor decisions and profile loads, SELinux mode, policy and
//! boolean changes. A denial names the process and its domain or profile, the
//! permission, and the object with its label.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use crate::record::{Origin, Record};
use crate::summary::scan::{Scan, Slot};
use crate::summary::values;
use crate::summary::{Ctx, Sentence, Verb, file, push_quoted, quoted, rtype, shared_with};

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

/// The process name and domain an AVC subject was made of, and the subject.
type LastSubject = (Rc<str>, Option<Rc<str>>, Rc<str>);

/// How many AVC subjects are remembered.
const KEPT_SUBJECTS: usize = 4;

/// The last few AVC subjects, and which one to replace next.
struct RecentSubjects {
    kept: [Option<LastSubject>; KEPT_SUBJECTS],
    next: usize,
    /// The entry found or written last, tried first: AVCs come in runs.
    last: usize,
}

impl RecentSubjects {
    /// The subject made of this process name and domain, when kept.
    fn find(&self, comm: &Rc<str>, domain: Option<&Rc<str>>) -> Option<usize> {
        let is = |kept: &Option<LastSubject>| {
            kept.as_ref()
                .is_some_and(|(c, d, _)| Rc::ptr_eq(c, comm) && same_text(d.as_ref(), domain))
        };
        values::position_from_last(&self.kept, self.last, is)
    }
}

thread_local! {
    /// AVCs come in runs from the same process: the last source context
    /// and process name are kept as shown, so a repeat costs a comparison
    /// instead of decoding. (Target contexts vary too much from one AVC to
    /// the next for a memo to pay; they are read where they are.)
    static LAST_SCONTEXT: values::Remembered<Rc<str>> = const { RefCell::new(values::Recent::new()) };
    static LAST_COMM: values::Remembered<Rc<str>> = const { RefCell::new(values::Recent::new()) };
    /// The last few process names and domains AVC subjects were made of,
    /// and the subjects. Holding both parts keeps their memory from being
    /// reused by other text while the subject is remembered.
    static LAST_SUBJECTS: RefCell<RecentSubjects> = const {
        RefCell::new(RecentSubjects { kept: [const { None }; KEPT_SUBJECTS], next: 0, last: 0 })
    };
}

/// The type part of the SELinux context in `slot`, escaped; `memo` is the
/// slot's own.
fn context_of(f: &Scan, slot: Slot, memo: &'static values::Memo<Rc<str>>) -> Option<Rc<str>> {
    let idx = f.position(slot)?;
    values::remembered(memo, f.rec, idx, || {
        context_text(f, slot).map(|t| Rc::from(&*t))
    })
}

/// The type part of an SELinux context, its third (`system_u:system_r:
/// httpd_t:s0` gives `httpd_t`); the whole context when it has fewer than
/// three. Found by looking for the first three colons, eight bytes at a
/// time, not by splitting at each.
fn context_type(context: &[u8]) -> &[u8] {
    let [_, second, third] = first_colons(context);
    let Some(second) = second else {
        return context;
    };
    let end = third.unwrap_or(context.len());
    context.get(second + 1..end).unwrap_or(context)
}

/// Where the first three `:` of `bytes` are.
fn first_colons(bytes: &[u8]) -> [Option<usize>; 3] {
    const LOW7: u64 = u64::from_le_bytes([0x7f; 8]);
    const COLONS: u64 = u64::from_le_bytes([b':'; 8]);
    let mut found = [None; 3];
    let mut n = 0;
    let mut note = |at: usize| {
        if let Some(slot) = found.get_mut(n) {
            *slot = Some(at);
        }
        n += 1;
        n == found.len()
    };
    let mut words = bytes.chunks_exact(8);
    let mut base = 0;
    for w in &mut words {
        let mut word = [0; 8];
        word.copy_from_slice(w);
        let x = u64::from_le_bytes(word) ^ COLONS;
        // The high bit of each byte that was a colon, and of no other (no
        // carry crosses bytes, unlike the shorter test for a zero byte).
        let mut hits = !(((x & LOW7) + LOW7) | x | LOW7);
        while hits != 0 {
            if note(base + hits.trailing_zeros() as usize / 8) {
                return found;
            }
            hits &= hits - 1;
        }
        base += 8;
    }
    for (i, &b) in words.remainder().iter().enumerate() {
        if b == b':' && note(base + i) {
            break;
        }
    }
    found
}

/// The type part of a context field, escaped. Escaping leaves `:` alone
/// and never writes one, so only the part is escaped.
fn context_text<'a>(f: &Scan<'a>, slot: Slot) -> Option<Cow<'a, str>> {
    Some(match f.raw_text(slot)? {
        Cow::Borrowed(b) => values::escaped_ref(context_type(b)),
        Cow::Owned(v) => Cow::Owned(crate::sanitize::escaped(context_type(&v))),
    })
}

/// The subject of an AVC: its process name, quoted, and its domain. Made
/// from remembered parts when the record names its process.
fn avc_subject(ctx: &Ctx, f: &Scan, domain: Option<&Rc<str>>) -> Rc<str> {
    let comm = f.position(Slot::Comm).and_then(|idx| {
        values::remembered(&LAST_COMM, f.rec, idx, || {
            f.text(Slot::Comm).map(|t| Rc::from(&*t))
        })
    });
    let Some(comm) = comm else {
        return process(ctx, f, "", domain.map(|d| &**d));
    };
    LAST_SUBJECTS.with_borrow_mut(|recent| {
        if let Some(at) = recent.find(&comm, domain) {
            recent.last = at;
            if let Some(Some((_, _, subject))) = recent.kept.get(at) {
                return Rc::clone(subject);
            }
        }
        let subject = shared_with(|out| {
            push_quoted(out, &comm);
            push_label(out, "", domain.map(|d| &**d));
        });
        let at = recent.next % KEPT_SUBJECTS;
        recent.next = at + 1;
        recent.last = at;
        if let Some(slot) = recent.kept.get_mut(at) {
            *slot = Some((comm, domain.cloned(), Rc::clone(&subject)));
        }
        subject
    })
}

/// True when both are the same shared text, or both are absent.
fn same_text(a: Option<&Rc<str>>, b: Option<&Rc<str>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// `pickup (postfix_pickup_t)`: the process, with its domain or profile
/// (`label`, after `prefix`).
fn process(ctx: &Ctx, f: &Scan, prefix: &str, label: Option<&str>) -> Rc<str> {
    shared_with(|out| push_process(ctx, f, prefix, label, out))
}

/// `process`, appended to `out`.
fn push_process(ctx: &Ctx, f: &Scan, prefix: &str, label: Option<&str>, out: &mut String) {
    let name = f
        .text(Slot::Comm)
        .or_else(|| f.text(Slot::Exe))
        .or_else(|| values::program(ctx.ev).map(Cow::Owned));
    match name {
        Some(n) => push_quoted(out, &n),
        None => match f.text(Slot::Pid) {
            Some(p) => {
                out.push_str("Process ");
                out.push_str(&p);
            }
            None => out.push_str("A process"),
        },
    }
    push_label(out, prefix, label);
}

/// ` (postfix_pickup_t)`: the process's domain or profile, when known.
fn push_label(out: &mut String, prefix: &str, label: Option<&str>) {
    if let Some(l) = label {
        out.push_str(" (");
        out.push_str(prefix);
        out.push_str(l);
        out.push(')');
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
                s.detail_parts(&["(was ", &old, ")"]);
            }
            Some(s)
        }
        "USER_ROLE_CHANGE" => {
            let mut s = ctx.user_sentence(Verb::new("changed SELinux role", "change SELinux role"));
            if let Some(c) =
                values::text(rec, "new-context").or_else(|| values::text(rec, "selected-context"))
            {
                s.detail_parts(&["to ", &c]);
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
        s.detail_parts(&["for ", &p]);
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

/// Appends what an AVC was about: a path, a name, a port, a D-Bus call. False
/// when the record names nothing.
fn push_avc_object(ctx: &Ctx, f: &Scan, class: &str, out: &mut String) -> bool {
    if let Some(p) = f.text(Slot::Path) {
        push_quoted(out, &p);
        return true;
    }
    if let (Some(i), Some(m)) = (f.text(Slot::Interface), f.text(Slot::Member)) {
        out.push_str(&i);
        out.push('.');
        out.push_str(&m);
        return true;
    }
    let dest = f.text(Slot::Dest);
    let port = match &dest {
        Some(d) if class.ends_with("socket") => Some(Cow::Borrowed(&**d)),
        _ => f.text(Slot::Src),
    };
    if let Some(port) = port {
        out.push_str("port ");
        out.push_str(&port);
        return true;
    }
    // PATH records name the file better than the AVC does.
    if rtype::first(ctx.ev, rtype::PATH).is_some()
        && let Some(t) = file::target(ctx)
    {
        out.push_str(&t);
        return true;
    }
    if let Some(n) = f.text(Slot::Name) {
        push_quoted(out, &n);
        return true;
    }
    match dest {
        Some(d) => {
            out.push_str(&d);
            true
        }
        None => false,
    }
}

/// `read and write access to the file "/etc/shadow"`, `the capability
/// net_admin`, appended to `out`.
fn push_avc_object_phrase(ctx: &Ctx, f: &Scan, class: &str, capability: bool, out: &mut String) {
    let perms = f.text(Slot::Seperms);
    let perms = perms.as_deref().unwrap_or_default();
    if capability {
        out.push_str("the capability ");
        push_and_list(out, perms);
        return;
    }
    let listed = push_and_list(out, perms);
    out.push_str(if listed { " access" } else { "access" });
    let noun = if class.is_empty() { "object" } else { class };
    let mark = out.len();
    out.push_str(" to the ");
    out.push_str(noun);
    out.push(' ');
    if !push_avc_object(ctx, f, class, out) {
        out.truncate(mark);
        out.push_str(" to ");
        out.push_str(article(noun));
        out.push(' ');
        out.push_str(noun);
    }
}

/// SELinux AVC and USER_AVC.
pub fn avc(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let f = ctx.scans.main();
    let class = f.text(Slot::Tclass).unwrap_or_default();
    let verb = match f.get(Slot::Seresult) {
        Some(b"granted") => "was granted",
        Some(b"denied") => "was denied",
        _ => "was checked for",
    };
    // The process is the subject; the program is only named for a check
    // made in user space.
    let user_space = rec.type_name() == "USER_AVC";
    let mut s = match user_space {
        true => ctx.user_sentence(Verb::fixed(verb)),
        false => ctx.bare_sentence(Verb::fixed(verb)),
    };
    let how = s.how.take();
    let domain = context_of(f, Slot::Scontext, &LAST_SCONTEXT);
    s.subject = Some(avc_subject(ctx, f, domain.as_ref()));
    let capability = class.starts_with("capability") || class == "cap_userns";
    push_avc_object_phrase(ctx, f, &class, capability, s.object_buf());
    if !capability && let Some(t) = context_text(f, Slot::Tcontext) {
        s.detail_parts(&["(label ", &t, ")"]);
    }
    match how {
        Some(h) if user_space => {
            s.detail_parts(&["by SELinux (checked in user space by ", &h, ")"])
        }
        _ => s.detail("by SELinux"),
    }
    // Escaping gives `1` only for `1`.
    if f.raw_text(Slot::Permissive).as_deref() == Some(b"1") {
        s.detail("(permissive: the access went ahead)");
    }
    if let Some(l) = &ctx.who.login {
        s.detail_parts(&["(login user ", &l.name, ")"]);
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

/// Appends the words of `list` as `read`, `read and write`, `read, write and
/// open`. False when there are none.
fn push_and_list(out: &mut String, list: &str) -> bool {
    // One word (most AVCs ask for one permission) is written as it is.
    if !list.is_empty() && list.bytes().all(|b| b.is_ascii_graphic()) {
        out.push_str(list);
        return true;
    }
    // Printable ASCII has one kind of space: split there, not on every
    // Unicode space.
    if list.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        push_words(out, list.split(' ').filter(|w| !w.is_empty()))
    } else {
        push_words(out, list.split_whitespace())
    }
}

/// `push_and_list` for words already split: each word is written when the
/// next one shows whether it is the last.
fn push_words<'a>(out: &mut String, mut words: impl Iterator<Item = &'a str>) -> bool {
    let Some(first) = words.next() else {
        return false;
    };
    out.push_str(first);
    let mut pending = None;
    for w in words {
        if let Some(p) = pending.replace(w) {
            out.push_str(", ");
            out.push_str(p);
        }
    }
    if let Some(p) = pending {
        out.push_str(" and ");
        out.push_str(p);
    }
    true
}

/// AppArmor decisions, profile loads, hints and errors.
pub fn apparmor(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let f = ctx.scans.main();
    let verdict = f.text(Slot::Apparmor).unwrap_or_else(|| {
        Cow::Borrowed(rec.type_name().strip_prefix("APPARMOR_").unwrap_or("AUDIT"))
    });
    let operation = f.text(Slot::Operation);
    let operation = operation.as_deref().unwrap_or("an operation");
    if verdict == "STATUS" {
        return status(ctx, f, operation);
    }
    let verb = match &*verdict {
        "DENIED" => "was denied",
        "ALLOWED" => "was allowed, in complain mode,",
        "KILL" => "was killed by AppArmor for",
        "HINT" => "gave AppArmor a hint about",
        "ERROR" => "hit an AppArmor error in",
        _ => "was audited by AppArmor for",
    };
    let mut s = ctx.user_sentence(Verb::fixed(verb));
    let how = s.how.take();
    let profile = f.text(Slot::Profile);
    s.subject = Some(process(ctx, f, "profile ", profile.as_deref()));
    s.object = Some(apparmor_object(f, operation));
    if matches!(&*verdict, "DENIED" | "ALLOWED") {
        s.detail("by AppArmor");
    }
    if let Some(m) = f
        .text(Slot::RequestedMask)
        .or_else(|| f.text(Slot::Requested))
        .or_else(|| f.text(Slot::Mask))
    {
        s.detail_parts(&["(requested ", &m, ")"]);
    }
    if let (Some(h), "USER_AVC") = (how, rec.type_name()) {
        s.detail_parts(&["(checked in user space by ", &h, ")"]);
    }
    s
}

/// `ptrace of unconfined`, `dbus_method_call org.freedesktop.DBus.Hello`.
fn apparmor_object(f: &Scan, operation: &str) -> String {
    let mut out = String::from(operation);
    if let (Some(i), Some(m)) = (f.text(Slot::Interface), f.text(Slot::Member)) {
        out.push(' ');
        out.push_str(&i);
        out.push('.');
        out.push_str(&m);
    } else if let Some(n) = f
        .text(Slot::Name)
        .or_else(|| f.text(Slot::Peer))
        .or_else(|| f.text(Slot::Capname))
        .or_else(|| f.text(Slot::Path))
    {
        out.push_str(" of ");
        push_quoted(&mut out, &n);
    }
    out
}

/// `AppArmor loaded the profile lxc-container-default`.
fn status(ctx: &Ctx, f: &Scan, operation: &str) -> Sentence {
    let what = match operation {
        "profile_load" => "AppArmor loaded the profile",
        "profile_replace" => "AppArmor replaced the profile",
        "profile_remove" => "AppArmor removed the profile",
        _ => "AppArmor reported a status change for",
    };
    let mut s = ctx.user_sentence(Verb::fixed(what));
    s.subject = None;
    s.object = Some(match f.text(Slot::Name) {
        Some(n) => quoted(&n),
        None => "(unnamed)".to_string(),
    });
    if let Some(p) = s.how.take() {
        s.detail_parts(&["(by ", &p, ")"]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::{LAST_SCONTEXT, context_of, context_text, context_type, push_and_list};
    use crate::summary::scan::{Scan, Slot};

    use crate::parse::first_record as rec;

    #[test]
    fn context_type_is_the_third_part() {
        for c in [
            "",
            "a",
            "a:b",
            "a:b:",
            "a:b:c",
            "a:b:c:d:e",
            "::x:",
            "u:r:t_t:s0-s0:c0.c1023",
            ":",
            "::",
            ":::",
            "a::",
            "a::b",
            "system_u:object_r:locale_t:s0",
            "abcdefg:abcdefg:abcdefg:abcdefg",
            "abcdefgh:abcdefgh:abcdefgh:",
            ":::::::::::::::::::",
            "\u{e9}:\u{ba}\u{3a}x:y\u{7f}z:\u{ff}",
        ] {
            let want = c.split(':').nth(2).unwrap_or(c);
            assert_eq!(context_type(c.as_bytes()), want.as_bytes(), "{c}");
            let shared = crate::interpret::mac::se_type(c.as_bytes());
            assert_eq!(context_type(c.as_bytes()), shared, "{c}");
        }
    }

    /// The colons are found wherever they fall in the eight-byte words.
    #[test]
    fn colons_found_at_every_offset() {
        for len in 0usize..40 {
            for a in 0..len {
                for b in [a + 1, a + 7, a + 8, a + 9, len.saturating_sub(1)] {
                    let mut bytes = vec![b'x'; len];
                    // Bytes next to a colon's value in every way that could
                    // carry: 0x39, 0x3b, 0xba, 0x00.
                    for (i, v) in bytes.iter_mut().enumerate() {
                        *v = [b'9', b';', 0xba, 0, b'x'][i % 5];
                    }
                    for at in [a, b] {
                        if let Some(v) = bytes.get_mut(at) {
                            *v = b':';
                        }
                    }
                    let want: Vec<usize> = bytes
                        .iter()
                        .enumerate()
                        .filter(|&(_, &v)| v == b':')
                        .map(|(i, _)| i)
                        .take(3)
                        .collect();
                    let got: Vec<usize> =
                        super::first_colons(&bytes).into_iter().flatten().collect();
                    assert_eq!(got, want, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn lists_words_with_commas_and_and() {
        for (list, want) in [
            ("", ""),
            ("  ", ""),
            ("read", "read"),
            ("getattr", "getattr"),
            (" open", "open"),
            ("name_bind ", "name_bind"),
            ("read write", "read and write"),
            (" read  write open ", "read, write and open"),
            ("a\u{a0}b c", "a, b and c"),
            ("a b c d", "a, b, c and d"),
        ] {
            let mut out = String::new();
            assert_eq!(push_and_list(&mut out, list), !want.is_empty());
            assert_eq!(out, want);
        }
    }

    /// Contexts are read from the first field of their name, decoded, and
    /// cut to their type.
    #[test]
    fn context_types_of_a_scanned_record() {
        let r = rec(
            "type=AVC msg=audit(1.0:2): avc:  denied  { read write } for  pid=7 \
             comm=\"a b\" scontext=u:r:x_t:s0 tcontext=\"u:o:y_t:s0\" \
             scontext=u:r:z_t:s0 tclass=file",
        );
        let f = Scan::of(&r);
        assert_eq!(context_text(&f, Slot::Scontext).as_deref(), Some("x_t"));
        assert_eq!(context_text(&f, Slot::Tcontext).as_deref(), Some("y_t"));
        assert_eq!(context_text(&f, Slot::Path), None);
        // Remembered, the same text comes back, from this record or another.
        for _ in 0..2 {
            let t = context_of(&f, Slot::Scontext, &LAST_SCONTEXT);
            assert_eq!(t.as_deref(), Some("x_t"));
        }
        let other =
            rec("type=AVC msg=audit(1.0:3): avc:  denied  { read } for scontext=a:b:w_t:s0");
        let t = context_of(&Scan::of(&other), Slot::Scontext, &LAST_SCONTEXT);
        assert_eq!(t.as_deref(), Some("w_t"));
    }
}
