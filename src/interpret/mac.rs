//! SELinux and AppArmor decisions as one sentence: who was denied what on
//! which object, and whether the policy was enforcing.
//! "SELinux denied nginx (pid 1234, httpd_t) read on file secret.txt
//! (user_home_t), enforcing".

use std::borrow::Cow;

use super::{Kind, Raw, Shown, Style, encoded};
use crate::record::{Origin, Record};

/// The fields a MAC sentence reads.
#[derive(Clone, Copy)]
enum Wanted {
    Seresult,
    Comm,
    Exe,
    Pid,
    Scontext,
    Seperms,
    Tclass,
    Name,
    Path,
    Tcontext,
    Permissive,
    Apparmor,
    Operation,
    Profile,
    DeniedMask,
    RequestedMask,
    Capname,
    Peer,
    Family,
}

const NAMES: usize = 19;

impl Wanted {
    fn of(name: &[u8]) -> Option<Wanted> {
        match name {
            b"seresult" => Some(Wanted::Seresult),
            b"comm" => Some(Wanted::Comm),
            b"exe" => Some(Wanted::Exe),
            b"pid" => Some(Wanted::Pid),
            b"scontext" => Some(Wanted::Scontext),
            b"seperms" => Some(Wanted::Seperms),
            b"tclass" => Some(Wanted::Tclass),
            b"name" => Some(Wanted::Name),
            b"path" => Some(Wanted::Path),
            b"tcontext" => Some(Wanted::Tcontext),
            b"permissive" => Some(Wanted::Permissive),
            b"apparmor" => Some(Wanted::Apparmor),
            b"operation" => Some(Wanted::Operation),
            b"profile" => Some(Wanted::Profile),
            b"denied_mask" => Some(Wanted::DeniedMask),
            b"requested_mask" => Some(Wanted::RequestedMask),
            b"capname" => Some(Wanted::Capname),
            b"peer" => Some(Wanted::Peer),
            b"family" => Some(Wanted::Family),
            _ => None,
        }
    }

    fn text(self) -> &'static str {
        NAME_TEXT[self as usize]
    }
}

const NAME_TEXT: [&str; NAMES] = [
    "seresult",
    "comm",
    "exe",
    "pid",
    "scontext",
    "seperms",
    "tclass",
    "name",
    "path",
    "tcontext",
    "permissive",
    "apparmor",
    "operation",
    "profile",
    "denied_mask",
    "requested_mask",
    "capname",
    "peer",
    "family",
];

/// Where each field the sentence reads sits in the record: the first of
/// that name outside the enrichment section, found in one pass.
struct Found<'r> {
    rec: &'r Record,
    at: [Option<usize>; NAMES],
}

impl<'r> Found<'r> {
    fn of(rec: &'r Record) -> Found<'r> {
        let at = rec.first_own(|name| Wanted::of(name).map(|w| w as usize));
        Found { rec, at }
    }

    /// A field's value for the sentence, decoded when the kernel
    /// hex-encoded it; borrowed from the record otherwise.
    fn value(&self, name: Wanted) -> Option<Cow<'r, [u8]>> {
        let rec = self.rec;
        let f = rec.fields.get(self.at[name as usize]?)?;
        let raw = Raw {
            text: rec.value_of(f),
            quote: f.quote,
        };
        // Only a value that reads as hex pairs may be decoded: the kind
        // matters for no other.
        if !encoded::is_encoded(raw) {
            return Some(Cow::Borrowed(raw.text));
        }
        let kind = super::kind_of(rec, name.text().as_bytes(), raw);
        let mut out = Vec::new();
        if matches!(kind, Kind::Escaped | Kind::EscapedFile)
            && encoded::escaped(raw, Style::Human, &mut out) != Shown::AsIs
        {
            return Some(Cow::Owned(out));
        }
        Some(Cow::Borrowed(raw.text))
    }
}

/// The type part of an SELinux context (`system_u:system_r:httpd_t:s0` gives `httpd_t`).
pub fn se_type(context: &[u8]) -> &[u8] {
    context.split(|&b| b == b':').nth(2).unwrap_or(context)
}

/// The last path component, for a program named by its executable.
fn base_name(path: &[u8]) -> &[u8] {
    path.rsplit(|&b| b == b'/').next().unwrap_or(path)
}

/// Who acted: `comm`, else the executable's name.
fn subject<'r>(rec: &Found<'r>) -> Cow<'r, [u8]> {
    rec.value(Wanted::Comm)
        .or_else(|| {
            rec.value(Wanted::Exe)
                .map(|e| Cow::Owned(base_name(&e).to_vec()))
        })
        .unwrap_or(Cow::Borrowed(b"a process"))
}

/// The SELinux sentence of an AVC or USER_AVC record.
fn selinux(rec: &Found, out: &mut Vec<u8>) -> bool {
    let Some(result) = rec.value(Wanted::Seresult) else {
        return false;
    };
    out.extend_from_slice(b"SELinux ");
    out.extend_from_slice(&result);
    out.push(b' ');
    out.extend_from_slice(&subject(rec));
    let pid = rec.value(Wanted::Pid);
    let scontext = rec.value(Wanted::Scontext);
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
    if let Some(perms) = rec.value(Wanted::Seperms) {
        out.push(b' ');
        push_joined_words(&perms, out);
    }
    out.extend_from_slice(b" on");
    if let Some(class) = rec.value(Wanted::Tclass) {
        out.push(b' ');
        out.extend_from_slice(&class);
    }
    if let Some(name) = rec.value(Wanted::Name).or_else(|| rec.value(Wanted::Path)) {
        out.push(b' ');
        out.extend_from_slice(&name);
    }
    if let Some(t) = rec.value(Wanted::Tcontext) {
        out.extend_from_slice(b" (");
        out.extend_from_slice(se_type(&t));
        out.push(b')');
    }
    match rec.value(Wanted::Permissive).as_deref() {
        Some(b"0") => out.extend_from_slice(b", enforcing"),
        Some(b"1") => out.extend_from_slice(b", permissive"),
        _ => {}
    }
    true
}

/// The space-separated words of `list`, joined by `, ` (no list is built).
fn push_joined_words(list: &[u8], out: &mut Vec<u8>) {
    let mut first = true;
    for word in list.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
        if !first {
            out.extend_from_slice(b", ");
        }
        out.extend_from_slice(word);
        first = false;
    }
}

/// The AppArmor sentence of an `apparmor=` record.
fn apparmor(rec: &Found, out: &mut Vec<u8>) -> bool {
    let Some(kind) = rec.value(Wanted::Apparmor) else {
        return false;
    };
    let operation = rec.value(Wanted::Operation);
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
            if let Some(name) = rec
                .value(Wanted::Name)
                .or_else(|| rec.value(Wanted::Profile))
            {
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
    let pid = rec.value(Wanted::Pid);
    let profile = rec.value(Wanted::Profile);
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
    if let Some(mask) = rec
        .value(Wanted::DeniedMask)
        .or_else(|| rec.value(Wanted::RequestedMask))
    {
        out.extend_from_slice(b" \"");
        out.extend_from_slice(&mask);
        out.push(b'"');
    }
    let object = rec
        .value(Wanted::Name)
        .or_else(|| {
            rec.value(Wanted::Capname)
                .map(|c| Cow::Owned([b"capability ".as_slice(), &c].concat()))
        })
        .or_else(|| {
            rec.value(Wanted::Peer)
                .map(|p| Cow::Owned([b"peer ".as_slice(), &p].concat()))
        })
        .or_else(|| {
            rec.value(Wanted::Family)
                .map(|f| Cow::Owned([b"a ".as_slice(), &f, b" socket"].concat()))
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
    let found = Found::of(rec);
    let done = selinux(&found, out) || apparmor(&found, out);
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
    fn permission_words_join_with_commas() {
        for (list, want) in [
            ("read", "read"),
            ("read write", "read, write"),
            ("  read   write  ", "read, write"),
            ("", ""),
            ("   ", ""),
            ("a b c", "a, b, c"),
        ] {
            let mut out = b"x".to_vec();
            push_joined_words(list.as_bytes(), &mut out);
            assert_eq!(String::from_utf8_lossy(&out[1..]), want, "{list:?}");
        }
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
