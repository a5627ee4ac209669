//! Sentences for authentication and sessions: PAM's USER_AUTH, USER_ACCT and
//! CRED_* records, logins and logouts, session start and end, the kernel's
//! LOGIN record, commands run through sudo and typed TTY input.
//!
//! The acting uid of these records is the daemon's own (sshd runs as root), so
//! they name the login user when there is one, and otherwise "Someone" (for the
//! person at the other end) or the program.

use std::borrow::Cow;
use std::rc::Rc;

use crate::record::{Origin, Record};
use crate::summary::values::{self, is_present};
use crate::summary::who::id_of;
use crate::summary::{Ctx, Sentence, Verb, concat, quoted};

/// The fields the session sentences read.
#[derive(Clone, Copy)]
enum Key {
    Acct,
    User,
    Username,
    Id,
    Addr,
    Ipaddress,
    Ip,
    Src,
    Hostname,
    Terminal,
}

/// How many fields `Key` names.
const KEYS: usize = Key::Terminal as usize + 1;

impl Key {
    /// The key for a field of this name, if the sentences read it.
    fn of(name: &[u8]) -> Option<Key> {
        Some(match name {
            b"acct" => Key::Acct,
            b"user" => Key::User,
            b"username" => Key::Username,
            b"id" => Key::Id,
            b"addr" => Key::Addr,
            b"ipaddress" => Key::Ipaddress,
            b"ip" => Key::Ip,
            b"src" => Key::Src,
            b"hostname" => Key::Hostname,
            b"terminal" => Key::Terminal,
            _ => return None,
        })
    }
}

/// A user-space record with the place of the first own field of each name
/// in `Key`, found in one pass: the fields `values::text` would read.
struct UserFields<'a> {
    rec: &'a Record,
    at: [Option<usize>; KEYS],
}

impl<'a> UserFields<'a> {
    fn of(rec: &'a Record) -> UserFields<'a> {
        let at = rec.first_own(|name| Key::of(name).map(|k| k as usize));
        UserFields { rec, at }
    }

    /// The value decoded and escaped, as `values::text` gives it.
    fn text(&self, key: Key) -> Option<Cow<'a, str>> {
        values::text_ref(self.rec, self.at[key as usize]?)
    }

    /// The first of `acct=`, `user=` and `username=` that says something.
    fn account_name(&self) -> Option<Cow<'a, str>> {
        [Key::Acct, Key::User, Key::Username]
            .iter()
            .find_map(|&k| self.text(k))
    }

    /// See `account`.
    fn account(&self) -> Option<String> {
        let rec = self.rec;
        self.account_name()
            .map(|a| quoted(&a))
            .or_else(|| values::enriched(rec, "ID").map(|a| quoted(&a)))
            .or_else(|| self.text(Key::Id).map(|n| concat(&["account ", &n])))
            .or_else(|| inner_uid(rec).map(|n| concat(&["uid ", &n])))
    }

    /// See `remote`.
    fn remote(&self, ctx: &Ctx) -> Option<String> {
        let addr = [Key::Addr, Key::Ipaddress, Key::Ip, Key::Src]
            .iter()
            .find_map(|&k| self.text(k));
        if let Some(a) = addr {
            return Some(a.into_owned());
        }
        let host = self.text(Key::Hostname)?;
        let node = ctx.ev.node().map(crate::sanitize::escaped);
        (Some(&*host) != node.as_deref()).then(|| host.into_owned())
    }

    /// Appends `(terminal pts/0)` to `s`, when the record names one.
    fn add_terminal(&self, s: &mut Sentence) {
        if let Some(t) = self
            .text(Key::Terminal)
            .filter(|t| is_present(t.as_bytes()))
        {
            s.detail_parts(&["(terminal ", &t, ")"]);
        }
    }
}

/// The account a user-space record is about: `acct=`, the ENRICHED `ID`, or `id=`.
pub fn account(rec: &Record) -> Option<String> {
    UserFields::of(rec).account()
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
    UserFields::of(ctx.main).remote(ctx)
}

/// The login user, else "Someone".
fn someone(ctx: &Ctx) -> Rc<str> {
    ctx.who.login_name().unwrap_or_else(|| Rc::from("Someone"))
}

/// A sentence whose subject is the login user, else the program (which then
/// is not repeated as "using ...").
fn by_login_or_program(ctx: &Ctx, verb: Verb) -> Sentence {
    let mut s = ctx.user_sentence(verb);
    match ctx.who.login_name() {
        Some(l) => s.subject = Some(l),
        None => s.subject = s.how.take().or_else(|| Some(Rc::from("Someone"))),
    }
    s
}

/// USER_AUTH, USER_ACCT, CRED_ACQ, CRED_DISP, CRED_REFR, GRP_AUTH.
pub fn auth(ctx: &Ctx) -> Option<Sentence> {
    let rec = ctx.main;
    let f = UserFields::of(rec);
    let acct = f.account();
    let mut s = match rec.type_name() {
        "USER_AUTH" => {
            let mut s = ctx.user_sentence(match acct {
                Some(_) => Verb::new("authenticated as", "authenticate as"),
                None => Verb::new("authenticated", "authenticate"),
            });
            s.subject = Some(someone(ctx));
            s
        }
        "USER_ACCT" => {
            let mut s = ctx.user_sentence(if ctx.failed() {
                Verb::fixed("was refused access to the account")
            } else {
                Verb::fixed("was allowed to use the account")
            });
            s.subject = Some(someone(ctx));
            s
        }
        "GRP_AUTH" => {
            let mut s = ctx.user_sentence(Verb::new(
                "authenticated to a group as",
                "authenticate to a group as",
            ));
            s.subject = Some(someone(ctx));
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
    if let Some(r) = f.remote(ctx) {
        s.detail_parts(&["from ", &r]);
    }
    Some(s)
}

/// Logins, logouts, sessions, sudo commands and TTY input.
pub fn sentence(ctx: &Ctx) -> Option<Sentence> {
    let rec = ctx.main;
    let f = UserFields::of(rec);
    let mut s = match rec.type_name() {
        "USER_LOGIN" => login(ctx, &f),
        "USER_LOGOUT" => {
            let mut s = ctx.user_sentence(Verb::new("logged out", "log out"));
            s.subject = the_user(ctx, &f).map(Rc::from);
            s
        }
        "USER_START" => {
            let mut s =
                by_login_or_program(ctx, Verb::new("opened a session for", "open a session for"));
            s.object = f.account();
            s
        }
        "USER_END" => {
            let mut s = by_login_or_program(
                ctx,
                Verb::new("closed the session of", "close the session of"),
            );
            s.object = f.account();
            s
        }
        "LOGIN" => return Some(login_id(ctx)),
        "USER_CMD" => return Some(command(ctx)),
        "TTY" | "USER_TTY" => return Some(typed(ctx)),
        _ => return None,
    };
    if let Some(r) = f.remote(ctx) {
        s.detail_parts(&["from ", &r]);
    }
    f.add_terminal(&mut s);
    Some(s)
}

/// USER_LOGIN: `alice logged in`, or `Someone failed to log in as alice`.
fn login(ctx: &Ctx, f: &UserFields) -> Sentence {
    let acct = f.account();
    if ctx.failed() {
        let mut s = ctx.user_sentence(Verb::new("logged in as", "log in as"));
        s.subject = Some(someone(ctx));
        s.object = acct.or_else(|| Some("an unknown account".to_string()));
        s
    } else {
        let mut s = ctx.user_sentence(Verb::new("logged in", "log in"));
        s.subject = the_user(ctx, f).map(Rc::from);
        s
    }
}

/// The user who logged in or out, named as the record names them.
fn the_user(ctx: &Ctx, f: &UserFields) -> Option<String> {
    let rec = ctx.main;
    f.account_name()
        .or_else(|| values::enriched(rec, "ID").map(Cow::Owned))
        .map(|n| quoted(&n))
        .or_else(|| f.text(Key::Id).map(|n| concat(&["uid ", &n])))
        .or_else(|| ctx.who.login_name().map(|n| n.to_string()))
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
        s.detail_parts(&["(session ", &ses, ")"]);
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

#[cfg(test)]
mod tests {
    use super::{KEYS, Key, UserFields};
    use crate::summary::values;

    use crate::parse::first_record as rec;

    /// Every field name finds its key, and nothing else does.
    #[test]
    fn names_find_their_keys() {
        let names = [
            "acct",
            "user",
            "username",
            "id",
            "addr",
            "ipaddress",
            "ip",
            "src",
            "hostname",
            "terminal",
        ];
        assert_eq!(names.len(), KEYS);
        for (i, n) in names.iter().enumerate() {
            assert_eq!(Key::of(n.as_bytes()).map(|k| k as usize), Some(i), "{n}");
        }
        for n in ["", "uid", "ipaddresss", "acct\0", "i", "terminals", "Acct"] {
            assert!(Key::of(n.as_bytes()).is_none(), "{n:?}");
        }
    }

    /// Each field is read where `values::text` would read it: the first of its name.
    #[test]
    fn fields_agree_with_text() {
        let r = rec(
            "type=USER_LOGIN msg=audit(1.0:2): pid=1 uid=0 auid=1000 ses=3 \
             msg='op=login acct=\"a b\" acct=second id=1000 exe=\"/usr/sbin/sshd\" \
             hostname=? addr=? terminal=/dev/pts/0 res=failed'",
        );
        let f = UserFields::of(&r);
        for (key, name) in [
            (Key::Acct, "acct"),
            (Key::User, "user"),
            (Key::Id, "id"),
            (Key::Addr, "addr"),
            (Key::Hostname, "hostname"),
            (Key::Terminal, "terminal"),
        ] {
            let got = f.text(key).map(|t| t.into_owned());
            assert_eq!(got, values::text(&r, name), "{name}");
        }
        assert_eq!(f.account().as_deref(), Some("\"a b\""));
    }
}
