//! Who did it: the login user (auid, which survives su and sudo) and the user
//! the process acted as, named the way the logging host named them (ENRICHED
//! fields) rather than by this machine's password file.

use std::cell::RefCell;
use std::rc::Rc;

use crate::event::Event;
use crate::record::{Origin, Record};
use crate::summary::rtype;
use crate::summary::scan::{self, Scan, Scans, Slot};
use crate::summary::values;

/// One user identity as the log gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Id {
    /// `anu`, `root` or `uid 1000`.
    pub name: Rc<str>,
    pub number: Option<u32>,
}

/// The subject of an event.
#[derive(Clone, Debug, Default)]
pub struct Who {
    /// The login user (auid); None when unset.
    pub login: Option<Id>,
    /// The user the process acted as (euid for system calls, else uid).
    pub acting: Option<Id>,
}

/// Reads one id field and its ENRICHED name; None when absent or unset.
pub fn id_of(rec: &Record, field: &str, enriched: &str) -> Option<Id> {
    id_from(rec, rec.get(field)?, enriched, true)
}

/// An id from its raw value; `look` false means the record has no
/// enrichment, so there is no name to look for.
fn id_from(rec: &Record, raw: &[u8], enriched: &str, look: bool) -> Option<Id> {
    if matches!(raw, b"4294967295" | b"-1" | b"unset" | b"?" | b"") {
        return None;
    }
    let number = values::decimal(raw).and_then(|n| u32::try_from(n).ok());
    let name = look
        .then(|| values::enriched(rec, enriched))
        .flatten()
        .or_else(|| number.is_none().then(|| crate::sanitize::escaped(raw)))
        .map_or_else(|| numbered(number), Rc::from);
    Some(Id { name, number })
}

/// `root` or `uid 1000`: a user the log names by number only.
fn numbered(number: Option<u32>) -> Rc<str> {
    match number {
        Some(0) => Rc::from("root"),
        Some(n) => super::shared_with(|s| {
            s.push_str("uid ");
            crate::digits::push_decimal(s, u64::from(n));
        }),
        None => Rc::from(""),
    }
}

/// The id fields of one record (the first of each name, as `get` finds
/// them), read in one pass, and whether the record has enrichment at all.
#[derive(Default)]
struct Ids<'r> {
    auid: Option<&'r [u8]>,
    uid: Option<&'r [u8]>,
    euid: Option<&'r [u8]>,
    enriched: bool,
}

impl<'r> Ids<'r> {
    fn of(rec: &'r Record) -> Ids<'r> {
        let mut ids = Ids::default();
        for f in &rec.fields {
            if f.origin == Origin::Enriched {
                ids.enriched = true;
                continue;
            }
            let slot = match rec.name_of(f) {
                b"uid" => &mut ids.uid,
                b"auid" => &mut ids.auid,
                b"euid" => &mut ids.euid,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(rec.value_of(f));
            }
        }
        ids
    }

    /// The ids of a scanned record, without walking it again.
    fn scanned(scan: &Scan<'r>) -> Ids<'r> {
        Ids {
            auid: scan.get(Slot::Auid),
            uid: scan.get(Slot::Uid),
            euid: scan.get(Slot::Euid),
            enriched: scan.enriched,
        }
    }

    fn names_one(&self) -> bool {
        self.auid.is_some() || self.uid.is_some()
    }
}

/// The record that speaks for the subject: the main record if it names one,
/// else the SYSCALL record, else any record with an auid or uid. `scans`
/// are the event's main and SYSCALL records, already scanned.
fn subject_record<'a>(
    ev: &'a Event,
    main: &'a Record,
    scans: Option<&Scans<'a>>,
) -> Option<(&'a Record, Ids<'a>)> {
    let ids_of = |r: &'a Record| match scan::scanned(scans, r) {
        Some(s) => Ids::scanned(s),
        None => Ids::of(r),
    };
    let naming = |r: &'a Record| Some((r, ids_of(r))).filter(|(_, ids)| ids.names_one());
    let syscall = match scans {
        Some(s) => s.syscall().map(|s| s.rec),
        None => rtype::first(ev, rtype::SYSCALL),
    };
    naming(main)
        .or_else(|| syscall.and_then(naming))
        .or_else(|| ev.records.iter().find_map(naming))
}

/// The ids last turned into a subject by this thread, as written, and what
/// they gave.
struct LastWho {
    ids: [Option<Vec<u8>>; 3],
    who: Who,
    subject: Option<Rc<str>>,
}

/// Longer ids are not remembered, so the memo stays small.
const MAX_REMEMBERED_ID: usize = 64;

/// How many sets of ids are remembered.
const KEPT_WHO: usize = 4;

/// The last few sets of ids turned into subjects, and which one to replace
/// next.
#[derive(Default)]
struct RecentWho {
    kept: [Option<LastWho>; KEPT_WHO],
    next: usize,
}

thread_local! {
    /// One daemon writes many events in a row under the same ids, and a few
    /// processes take turns (a user's calls, the AVCs of a service).
    static LAST_WHO: RefCell<RecentWho> = RefCell::new(RecentWho::default());
}

/// Puts the id `v` as written in `kept`, in the buffer already there when
/// there is one.
fn keep_id(kept: &mut Option<Vec<u8>>, v: Option<&[u8]>) {
    match (kept.as_mut(), v) {
        (Some(buf), Some(v)) => {
            buf.clear();
            buf.extend_from_slice(v);
        }
        (_, v) => *kept = v.map(<[u8]>::to_vec),
    }
}

impl LastWho {
    fn matches(&self, ids: &Ids) -> bool {
        let [auid, uid, euid] = &self.ids;
        auid.as_deref() == ids.auid && uid.as_deref() == ids.uid && euid.as_deref() == ids.euid
    }
}

impl Who {
    /// The subject of `ev`, read from its main record; `scans` are its main
    /// and SYSCALL records already scanned, if they are.
    pub fn of(ev: &Event, main: &Record, scans: Option<&Scans>) -> Who {
        Who::with_subject(ev, main, scans).0
    }

    /// `of`, and the subject in words. Without enrichment the words depend
    /// only on the ids as written, so the last ones are remembered.
    pub fn with_subject(
        ev: &Event,
        main: &Record,
        scans: Option<&Scans>,
    ) -> (Who, Option<Rc<str>>) {
        let Some((rec, ids)) = subject_record(ev, main, scans) else {
            return (Who::default(), None);
        };
        let by_raw_ids = !ids.enriched && main.type_name() != "LOGIN";
        let short = [ids.auid, ids.uid, ids.euid]
            .iter()
            .all(|v| v.is_none_or(|v| v.len() <= MAX_REMEMBERED_ID));
        if !(by_raw_ids && short) {
            let who = Who::from_ids(rec, &ids, main);
            let subject = who.subject();
            return (who, subject);
        }
        LAST_WHO.with_borrow_mut(|recent| {
            if let Some(l) = recent.kept.iter().flatten().find(|l| l.matches(&ids)) {
                return (l.who.clone(), l.subject.clone());
            }
            let who = Who::from_ids(rec, &ids, main);
            let subject = who.subject();
            let raw = [ids.auid, ids.uid, ids.euid];
            let at = recent.next % KEPT_WHO;
            recent.next = at + 1;
            let Some(last) = recent.kept.get_mut(at) else {
                return (who, subject);
            };
            match last {
                // The old buffers are reused: a new id costs no allocation.
                Some(l) => {
                    l.ids
                        .iter_mut()
                        .zip(raw)
                        .for_each(|(kept, v)| keep_id(kept, v));
                    l.who.clone_from(&who);
                    l.subject.clone_from(&subject);
                }
                None => {
                    *last = Some(LastWho {
                        ids: raw.map(|v| v.map(<[u8]>::to_vec)),
                        who: who.clone(),
                        subject: subject.clone(),
                    });
                }
            }
            (who, subject)
        })
    }

    /// The subject from the ids of the record that speaks for it.
    fn from_ids(rec: &Record, ids: &Ids, main: &Record) -> Who {
        let look = ids.enriched;
        let acting = ids
            .euid
            .and_then(|v| id_from(rec, v, "EUID", look))
            .or_else(|| ids.uid.and_then(|v| id_from(rec, v, "UID", look)));
        // LOGIN's auid= is the login user being set; the one acting is the old one.
        let login = if main.type_name() == "LOGIN" {
            id_of(main, "old-auid", "OLD-AUID")
        } else {
            ids.auid.and_then(|v| id_from(rec, v, "AUID", look))
        };
        Who { login, acting }
    }

    /// True when the two identities differ.
    fn differ(&self) -> bool {
        match (&self.login, &self.acting) {
            (Some(l), Some(a)) => match (l.number, a.number) {
                (Some(x), Some(y)) => x != y,
                _ => l.name != a.name,
            },
            _ => false,
        }
    }

    /// A login user other than root acting as root.
    pub fn is_root_transition(&self) -> bool {
        let login_not_root = self
            .login
            .as_ref()
            .is_some_and(|l| l.number.map_or(&*l.name != "root", |n| n != 0));
        let acting_root = self
            .acting
            .as_ref()
            .is_some_and(|a| a.number == Some(0) || (a.number.is_none() && &*a.name == "root"));
        login_not_root && acting_root
    }

    /// `anu`, `anu (as root)`, `root (no login session)`, or None, as
    /// shared text; a lone login user shares its name.
    pub fn subject(&self) -> Option<Rc<str>> {
        match (&self.login, &self.acting) {
            (Some(l), Some(a)) if self.differ() => {
                Some(super::shared(&[&l.name, " (as ", &a.name, ")"]))
            }
            (Some(l), _) => Some(Rc::clone(&l.name)),
            (None, Some(a)) => Some(super::shared(&[&a.name, " (no login session)"])),
            (None, None) => None,
        }
    }

    /// The login user's name alone, shared: for logins and authentication,
    /// where the acting user is only the daemon's own account.
    pub fn login_name(&self) -> Option<Rc<str>> {
        self.login.as_ref().map(|l| Rc::clone(&l.name))
    }
}

#[cfg(test)]
mod tests {
    use super::Who;
    use crate::event::Event;

    use crate::parse::first_record as rec;

    fn who(line: &str) -> Who {
        let r = rec(line);
        let ev = Event::single(r.clone());
        Who::of(&ev, &r, None)
    }

    #[test]
    fn enriched_names_win() {
        let w = who(
            "type=USER_CMD msg=audit(1.0:1): pid=1 uid=0 auid=1000 msg='res=success'\x1dUID=\"root\" AUID=\"alice\"",
        );
        assert_eq!(w.subject().as_deref(), Some("alice (as root)"));
        assert!(w.is_root_transition());
    }

    #[test]
    fn unset_login_and_plain_numbers() {
        let w = who("type=SYSCALL msg=audit(1.0:1): auid=4294967295 uid=0 euid=0");
        assert_eq!(w.subject().as_deref(), Some("root (no login session)"));
        assert!(!w.is_root_transition());
        let w = who("type=SYSCALL msg=audit(1.0:1): auid=1000 uid=1000 euid=1000");
        assert_eq!(w.subject().as_deref(), Some("uid 1000"));
    }

    #[test]
    fn remembered_ids_still_read_enrichment() {
        // The same ids as written, with and without enrichment: the memo of
        // the last ids must not hand the plain words to the enriched record.
        let plain = "type=SYSCALL msg=audit(1.0:1): auid=1000 uid=0 euid=0";
        let w = who(plain);
        assert_eq!(w.subject().as_deref(), Some("uid 1000 (as root)"));
        let w = who(&format!("{plain}\x1dAUID=\"alice\" EUID=\"root\""));
        assert_eq!(w.subject().as_deref(), Some("alice (as root)"));
        let w = who("type=SYSCALL msg=audit(1.0:1): auid=1000 uid=0 euid=33");
        assert_eq!(w.subject().as_deref(), Some("uid 1000 (as uid 33)"));
        assert_eq!(who(plain).subject().as_deref(), Some("uid 1000 (as root)"));
    }

    /// The memo keeps its buffers from one set of ids to the next, as ids
    /// come and go: every answer is the one a fresh memo gives.
    #[test]
    fn remembered_ids_follow_ids_that_come_and_go() {
        let lines = [
            "type=SYSCALL msg=audit(1.0:1): uid=0",
            "type=SYSCALL msg=audit(1.0:1): auid=1000 uid=0 euid=5",
            "type=SYSCALL msg=audit(1.0:1): auid=100 uid=0 euid=5",
            "type=SYSCALL msg=audit(1.0:1): uid=0",
            "type=SYSCALL msg=audit(1.0:1): auid=1000 uid=0",
            "type=SYSCALL msg=audit(1.0:1): auid=1000 uid=1 euid=1",
        ];
        for line in lines.iter().chain(lines.iter().rev()) {
            let remembered = who(line).subject();
            super::LAST_WHO.set(super::RecentWho::default());
            assert_eq!(remembered, who(line).subject(), "{line}");
        }
    }

    #[test]
    fn interpreted_names_are_kept() {
        let w = who("type=SYSCALL msg=audit(1.0:1): auid=alice uid=root euid=root");
        assert_eq!(w.subject().as_deref(), Some("alice (as root)"));
        assert!(w.is_root_transition());
    }
}
