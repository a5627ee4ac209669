//! Choosing events, with ausearch's option names: by record type and category,
//! time, user, rule key, result, process, program, system call, file, address,
//! node and serial. An event passes a filter when any of its records does;
//! filters combine with AND, and the items of one filter's list with OR.

pub mod types;
pub mod when;

use anyhow::{Result, bail};

use crate::cli::RunArgs;
use crate::event::Event;
use crate::outcome::Outcome;
use crate::record::{AuditTime, Origin, Record};
use crate::summary::{self, file_paths, syscalls, values};

pub use types::RecordFilter;
use when::Now;

/// A user as given to `--user`: a number, a name, or both (root is 0).
#[derive(Debug)]
struct User {
    number: Option<u32>,
    name: Option<String>,
}

/// A system call as given to `--syscall`.
#[derive(Debug)]
enum Call {
    Number(String),
    Name(String),
}

/// Every event filter of the command line.
#[derive(Debug, Default)]
pub struct Selector {
    types: RecordFilter,
    start: Option<i64>,
    end: Option<i64>,
    users: Vec<User>,
    keys: Vec<String>,
    success: Option<Outcome>,
    pids: Vec<String>,
    ppids: Vec<String>,
    exes: Vec<String>,
    calls: Vec<Call>,
    files: Vec<String>,
    addrs: Vec<String>,
    nodes: Vec<String>,
    serials: Vec<u64>,
}

/// Trimmed, non-empty items of a list option.
fn items(list: &[String]) -> impl Iterator<Item = &str> {
    list.iter().map(|s| s.trim()).filter(|s| !s.is_empty())
}

fn owned(list: &[String]) -> Vec<String> {
    items(list).map(str::to_string).collect()
}

impl Selector {
    /// Reads the filters of `args`, with times relative to `now`.
    pub fn new(args: &RunArgs, now: &Now) -> Result<Selector> {
        let time = |e: &Option<String>| -> Result<Option<i64>> {
            match e {
                Some(e) => when::parse(e, now).map(Some).map_err(anyhow::Error::msg),
                None => Ok(None),
            }
        };
        Ok(Selector {
            types: RecordFilter::new(&args.types, &args.category)?,
            start: time(&args.start)?,
            end: time(&args.end)?,
            users: items(&args.user).map(user).collect(),
            keys: owned(&args.key),
            success: args.success.map(|s| match s {
                crate::cli::YesNo::Yes => Outcome::Success,
                crate::cli::YesNo::No => Outcome::Failure,
            }),
            pids: numbers(&args.pid, "--pid")?,
            ppids: numbers(&args.ppid, "--ppid")?,
            exes: owned(&args.exe),
            calls: items(&args.syscall)
                .map(|c| {
                    if c.bytes().all(|b| b.is_ascii_digit()) {
                        Call::Number(c.to_string())
                    } else {
                        Call::Name(c.to_ascii_lowercase())
                    }
                })
                .collect(),
            files: owned(&args.file),
            addrs: owned(&args.addr),
            nodes: owned(&args.node),
            serials: items(&args.event)
                .map(|s| {
                    s.parse()
                        .map_err(|_| anyhow::anyhow!("--event: `{s}` is not a serial number"))
                })
                .collect::<Result<_>>()?,
        })
    }

    /// True when no filter was given (every event passes).
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
            && self.start.is_none()
            && self.end.is_none()
            && self.nodes.is_empty()
            && self.serials.is_empty()
            && self.header_only()
    }

    /// True when no filter reads a field: types, categories, times, nodes and
    /// serials come from the header alone.
    pub fn header_only(&self) -> bool {
        self.users.is_empty()
            && self.keys.is_empty()
            && self.success.is_none()
            && self.pids.is_empty()
            && self.ppids.is_empty()
            && self.exes.is_empty()
            && self.calls.is_empty()
            && self.files.is_empty()
            && self.addrs.is_empty()
    }

    /// True when the event passes every filter.
    pub fn matches(&self, ev: &Event) -> bool {
        self.header_matches(
            || ev.records.iter().any(|r| self.types.matches(r)),
            || ev.time(),
            || ev.node(),
            || ev.serial(),
        ) && any(&self.users, |u| user_matches(ev, u))
            && any(&self.keys, |k| key_matches(ev, k))
            && self
                .success
                .is_none_or(|want| summary::outcome(ev) == Some(want))
            && any(&self.pids, |p| {
                ev.values(&["pid"]).any(|v| v == p.as_bytes())
            })
            && any(&self.ppids, |p| {
                ev.values(&["ppid"]).any(|v| v == p.as_bytes())
            })
            && any(&self.exes, |x| exe_matches(ev, x))
            && any(&self.calls, |c| call_matches(ev, c))
            && any(&self.files, |f| file_matches(ev, f))
            && any(&self.addrs, |a| addr_matches(ev, a))
    }

    /// The filters that read only headers, given what an event's headers say:
    /// whether any record passes the type filters (asked only when there are
    /// some), and the first time, node and serial its records hold.
    pub fn header_matches<'a>(
        &self,
        any_type: impl FnOnce() -> bool,
        time: impl FnOnce() -> Option<AuditTime>,
        node: impl FnOnce() -> Option<&'a [u8]>,
        serial: impl FnOnce() -> Option<u64>,
    ) -> bool {
        (self.types.is_empty() || any_type())
            && self.time_matches(time)
            && (self.nodes.is_empty() || {
                let node = node();
                self.nodes.iter().any(|n| node == Some(n.as_bytes()))
            })
            && (self.serials.is_empty() || serial().is_some_and(|s| self.serials.contains(&s)))
    }

    /// The type and category filters alone, for one record's type.
    pub fn types(&self) -> &RecordFilter {
        &self.types
    }

    /// In `--records` view, whether to show this record of a matching event:
    /// the type filters pick records, the others pick events.
    pub fn shows_record(&self, rec: &Record) -> bool {
        self.types.is_empty() || self.types.matches(rec)
    }

    fn time_matches(&self, time: impl FnOnce() -> Option<AuditTime>) -> bool {
        if self.start.is_none() && self.end.is_none() {
            return true;
        }
        let Some(t) = time() else {
            return false;
        };
        self.start.is_none_or(|s| t.secs >= s) && self.end.is_none_or(|e| t.secs <= e)
    }
}

/// True when the list is empty or any item matches.
fn any<T>(list: &[T], f: impl Fn(&T) -> bool) -> bool {
    list.is_empty() || list.iter().any(f)
}

/// Checks a list of decimal numbers (`--pid`, `--ppid`).
fn numbers(list: &[String], option: &str) -> Result<Vec<String>> {
    let v = owned(list);
    if let Some(bad) = v.iter().find(|n| !n.bytes().all(|b| b.is_ascii_digit())) {
        bail!("{option}: `{bad}` is not a number");
    }
    Ok(v)
}

fn user(s: &str) -> User {
    match s.parse::<u32>() {
        Ok(n) => User {
            number: Some(n),
            name: (n == 0).then(|| "root".to_string()),
        },
        Err(_) => User {
            number: (s == "root").then_some(0),
            name: Some(s.to_string()),
        },
    }
}

/// Fields holding a user id, with their ENRICHED name fields.
const USER_FIELDS: &[(&str, &str)] = &[
    ("auid", "AUID"),
    ("uid", "UID"),
    ("euid", "EUID"),
    ("id", "ID"),
];

fn user_matches(ev: &Event, u: &User) -> bool {
    ev.records.iter().any(|r| record_has_user(r, u))
}

fn record_has_user(r: &Record, u: &User) -> bool {
    let number = u.number.map(|n| n.to_string());
    let name = u.name.as_deref().map(str::as_bytes);
    USER_FIELDS.iter().any(|(field, enriched)| {
        let v = r.get(field);
        (number.is_some() && v == number.as_deref().map(str::as_bytes))
            || (name.is_some() && (v == name || r.enriched(enriched) == name))
    }) || name.is_some_and(|n| values::raw_text(r, "acct").as_deref() == Some(n))
}

fn key_matches(ev: &Event, key: &str) -> bool {
    ev.records.iter().any(|r| {
        values::raw_text(r, "key")
            .is_some_and(|k| k.split(|&b| b == 0x01).any(|one| one == key.as_bytes()))
    })
}

/// `/usr/bin/cat` matches that path; `cat` matches the program's base name or comm.
fn exe_matches(ev: &Event, want: &str) -> bool {
    ev.records.iter().any(|r| {
        let exe = values::raw_text(r, "exe");
        if want.contains('/') {
            return exe.as_deref() == Some(want.as_bytes());
        }
        let base = exe
            .as_deref()
            .map(|e| e.rsplit(|&b| b == b'/').next().unwrap_or(e));
        base == Some(want.as_bytes())
            || values::raw_text(r, "comm").as_deref() == Some(want.as_bytes())
    })
}

fn call_matches(ev: &Event, want: &Call) -> bool {
    ev.records
        .iter()
        .filter(|r| r.get("syscall").is_some())
        .any(|r| match want {
            Call::Number(n) => r.get("syscall") == Some(n.as_bytes()),
            Call::Name(n) => syscalls::name(r).is_some_and(|name| name.eq_ignore_ascii_case(n)),
        })
}

/// A path in any PATH (joined with the cwd), CWD, `name=`, `path=` or `dir=` field;
/// a name without `/` also matches the last component.
fn file_matches(ev: &Event, want: &str) -> bool {
    let want = want.as_bytes();
    let hit = |p: &[u8]| {
        p == want || (!want.contains(&b'/') && p.rsplit(|&b| b == b'/').next() == Some(want))
    };
    file_paths(ev).iter().any(|p| hit(p))
        || ev.records.iter().any(|r| {
            ["name", "path", "cwd", "dir"]
                .iter()
                .any(|n| values::raw_text(r, n).is_some_and(|v| hit(&v)))
        })
}

/// `--addr`: the host name or address of a login, or the socket address.
fn addr_matches(ev: &Event, want: &str) -> bool {
    let fields = [
        "addr",
        "hostname",
        "saddr",
        "daddr",
        "laddr",
        "faddr",
        "ipaddress",
    ];
    summary::address(ev).is_some_and(|a| a.split(' ').next() == Some(want))
        || ev.records.iter().any(|r| {
            r.fields.iter().any(|f| {
                f.origin != Origin::Enriched
                    && fields.iter().any(|n| r.name_of(f) == n.as_bytes())
                    && r.value_of(f) == want.as_bytes()
            })
        })
}
