//! SELinux and AppArmor decisions as one sentence: who was denied what on
//! which object, and whether the policy was enforcing.
//! "SELinux denied nginx (pid 1234, httpd_t) read on file secret.txt
//! (user_home_t), enforcing".

use std::borrow::Cow;

use super::{Kind, Raw, Shown, Style, encoded};
use crate::record::{Origin, Record};

/// A field's value for the sentence, decoded when the kernel hex-encoded it;
/// borrowed from the record otherwise.
fn value<'r>(rec: &'r Record, name: &str) -> Option<Cow<'r, [u8]>> {
    let f = rec
        .fields
        .iter()
        .find(|f| f.origin != Origin::Enriched && rec.name_is(f, name.as_bytes()))?;
    let raw = Raw {
        text: rec.value_of(f),
        quote: f.quote,
    };
    let kind = super::kind_of(rec, name.as_bytes(), raw);
    let mut out = Vec::new();
    if matches!(kind, Kind::Escaped | Kind::EscapedFile)
        && encoded::escaped(raw, Style::Human, &mut out) != Shown::AsIs
    {
        return Some(Cow::Owned(out));
    }
    Some(Cow::Borrowed(raw.text))
}

/// The type part of an SELinux context (`system_u:system_r:httpd_t:s0` gives `httpd_t`).
fn se_type(context: &[u8]) -> &[u8] {
    context.split(|&b| b == b':').nth(2).unwrap_or(context)
}

/// The last path component, for a program named by its executable.
fn base_name(path: &[u8]) -> &[u8] {
    path.rsplit(|&b| b == b'/').next().unwrap_or(path)
}

/// Who acted: `comm`, else the executable's name.
fn subject(rec: &Record) -> Cow<'_, [u8]> {
    value(rec, "comm")
        .or_else(|| value(rec, "exe").map(|e| Cow::Owned(base_name(&e).to_vec())))
        .unwrap_or(Cow::Borrowed(b"a process"))
}

/// The SELinux sentence of an AVC or USER_AVC record.
fn selinux(rec: &Record, out: &mut Vec<u8>) -> bool {
    let Some(result) = value(rec, "seresult") else {
        return false;
    };
    out.extend_from_slice(b"SELinux ");
    out.extend_from_slice(&result);
    out.push(b' ');
    out.extend_from_slice(&subject(rec));
    let pid = value(rec, "pid");
    let scontext = value(rec, "scontext");
    if pid.is_some() || scontext.is_some() {
        out.extend_from_slice(b" (");
        if let Some(p) = &pid {
            out.extend_from_slice(b"pid ");
            out.extend_from_slice(p);
        }
        if let Some(s) = &scontext {
            if pid.is_some() {
                out.extend_from_slice(b", ");
            }
            out.extend_from_slice(se_type(s));
        }
        out.push(b')');
    }
    if let Some(perms) = value(rec, "seperms") {
        out.push(b' ');
        let words: Vec<&[u8]> = perms
            .split(|&b| b == b' ')
            .filter(|w| !w.is_empty())
            .collect();
        out.extend_from_slice(&words.join(&b", "[..]));
    }
    out.extend_from_slice(b" on");
    if let Some(class) = value(rec, "tclass") {
        out.push(b' ');
        out.extend_from_slice(&class);
    }
    if let Some(name) = value(rec, "name").or_else(|| value(rec, "path")) {
        out.push(b' ');
        out.extend_from_slice(&name);
    }
    if let Some(t) = value(rec, "tcontext") {
        out.extend_from_slice(b" (");
        out.extend_from_slice(se_type(&t));
        out.push(b')');
    }
    match value(rec, "permissive").as_deref() {
        Some(b"0") => out.extend_from_slice(b", enforcing"),
        Some(b"1") => out.extend_from_slice(b", permissive"),
        _ => {}
    }
    true
}

/// The AppArmor sentence of an `apparmor=` record.
fn apparmor(rec: &Record, out: &mut Vec<u8>) -> bool {
    let Some(kind) = value(rec, "apparmor") else {
        return false;
    };
    let operation = value(rec, "operation");
    let verb: &[u8] = match &*kind {
        b"DENIED" => b"denied",
        b"ALLOWED" => b"allowed (complain mode)",
        b"AUDIT" => b"audited",
        _ => {
            out.extend_from_slice(b"AppArmor ");
            out.extend_from_slice(&kind.to_ascii_lowercase());
            if let Some(op) = &operation {
                out.extend_from_slice(b": ");
                out.extend_from_slice(op);
            }
            if let Some(name) = value(rec, "name").or_else(|| value(rec, "profile")) {
                out.push(b' ');
                out.extend_from_slice(&name);
            }
            return true;
        }
    };
    out.extend_from_slice(b"AppArmor ");
    out.extend_from_slice(verb);
    out.push(b' ');
    out.extend_from_slice(&subject(rec));
    let pid = value(rec, "pid");
    let profile = value(rec, "profile");
    if pid.is_some() || profile.is_some() {
        out.extend_from_slice(b" (");
        if let Some(p) = &pid {
            out.extend_from_slice(b"pid ");
            out.extend_from_slice(p);
        }
        if let Some(p) = &profile {
            if pid.is_some() {
                out.extend_from_slice(b", ");
            }
            out.extend_from_slice(b"profile ");
            out.extend_from_slice(p);
        }
        out.push(b')');
    }
    if let Some(op) = &operation {
        out.push(b' ');
        out.extend_from_slice(op);
    }
    if let Some(mask) = value(rec, "denied_mask").or_else(|| value(rec, "requested_mask")) {
        out.extend_from_slice(b" \"");
        out.extend_from_slice(&mask);
        out.push(b'"');
    }
    let object = value(rec, "name")
        .or_else(|| {
            value(rec, "capname").map(|c| Cow::Owned([b"capability ".as_slice(), &c].concat()))
        })
        .or_else(|| value(rec, "peer").map(|p| Cow::Owned([b"peer ".as_slice(), &p].concat())))
        .or_else(|| {
            value(rec, "family").map(|f| Cow::Owned([b"a ".as_slice(), &f, b" socket"].concat()))
        });
    if let Some(object) = object {
        out.extend_from_slice(b" on ");
        out.extend_from_slice(&object);
    }
    true
}

/// Appends the sentence for a MAC decision record; false when the record is
/// not one (the bytes are not escaped).
pub fn sentence(rec: &Record, out: &mut Vec<u8>) -> bool {
    // Most records are not MAC decisions: one look at the names settles it
    // (both names are eight bytes long, so most fields fail on the length).
    let decides = rec.fields.iter().any(|f| {
        f.origin != Origin::Enriched && (rec.name_is(f, b"seresult") || rec.name_is(f, b"apparmor"))
    });
    if !decides {
        return false;
    }
    let start = out.len();
    let done = selinux(rec, out) || apparmor(rec, out);
    if !done {
        out.truncate(start);
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_line;
    use crate::record::Source;
    use std::sync::Arc;

    fn said(line: &str) -> String {
        let mut recs = Vec::new();
        let src = Source {
            file: Arc::from("t"),
            line: 1,
        };
        parse_line(line.as_bytes(), &src, &mut recs);
        let mut out = Vec::new();
        sentence(&recs[0], &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn selinux_avc() {
        // corpus: audit-userspace/auparse-test.log, line 1.
        let s = said(
            "type=AVC msg=audit(1170021493.977:293): avc:  denied  { read write } for  pid=13010 comm=\"pickup\" name=\"maildrop\" dev=hda7 ino=14911367 scontext=system_u:system_r:postfix_pickup_t:s0 tcontext=system_u:object_r:postfix_spool_maildrop_t:s0 tclass=dir",
        );
        assert_eq!(
            s,
            "SELinux denied pickup (pid 13010, postfix_pickup_t) read, write on dir maildrop (postfix_spool_maildrop_t)"
        );
        let s = said(
            "type=AVC msg=audit(1.2:3): avc:  denied  { read } for  pid=1234 comm=\"nginx\" name=\"secret.txt\" scontext=system_u:system_r:httpd_t:s0 tcontext=unconfined_u:object_r:user_home_t:s0 tclass=file permissive=0",
        );
        assert_eq!(
            s,
            "SELinux denied nginx (pid 1234, httpd_t) read on file secret.txt (user_home_t), enforcing"
        );
    }

    #[test]
    fn apparmor_denial() {
        // corpus: apparmor/test_multi/testcase01.log style record.
        let s = said(
            "type=AVC msg=audit(1.2:3): apparmor=\"DENIED\" operation=\"open\" profile=\"/usr/sbin/cupsd\" name=\"/etc/shadow\" pid=42 comm=\"cupsd\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0",
        );
        assert_eq!(
            s,
            "AppArmor denied cupsd (pid 42, profile /usr/sbin/cupsd) open \"r\" on /etc/shadow"
        );
        assert_eq!(said("type=SYSCALL msg=audit(1.2:3): arch=c000003e"), "");
    }
}
