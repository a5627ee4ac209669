//! Sentences for system calls on files: opened for reading or writing,
//! created, deleted, renamed, permissions and owners changed. The file comes
//! from the PATH records, joined with the CWD record when it is relative.

use std::borrow::Cow;

use crate::event::Event;
use crate::record::{Origin, Record};
use crate::sanitize;
use crate::summary::rtype;
use crate::summary::scan::{Scans, Slot};
use crate::summary::syscalls::Class;
use crate::summary::values::{self, arg};
use crate::summary::{Ctx, Sentence, Verb, needs_quotes, quoted};

const O_ACCMODE: u64 = 0o3;
const O_CREAT: u64 = 0o100;

/// One PATH record: its name (joined with the cwd) and its nametype.
pub struct PathItem {
    pub name: Vec<u8>,
    pub nametype: Vec<u8>,
}

/// The PATH records of an event, in item order.
pub fn items(ev: &Event) -> Vec<PathItem> {
    let cwd = rtype::first(ev, rtype::CWD).and_then(|r| values::raw_text(r, "cwd"));
    rtype::all(ev, rtype::PATH)
        .filter_map(|r| {
            let name = values::raw_text(r, "name")?;
            Some(PathItem {
                name: values::join_path(cwd.as_deref(), &name),
                nametype: r.get("nametype").unwrap_or_default().to_vec(),
            })
        })
        .collect()
}

/// The file an event is about: the first PATH that is not a parent directory,
/// else the first PATH, else a `name=` or `path=` field of any record.
pub fn target(ctx: &Ctx) -> Option<String> {
    let mut out = String::new();
    push_target(ctx, &mut out).then_some(out)
}

/// `target`, appended to `out`; false, with nothing appended, when there is
/// none.
pub fn push_target(ctx: &Ctx, out: &mut String) -> bool {
    let ev = ctx.ev;
    // Only the name that is shown gets joined and escaped.
    let mut first = None;
    for r in rtype::all(ev, rtype::PATH) {
        let Some(name) = values::raw_text(r, "name") else {
            continue;
        };
        if r.get("nametype") != Some(b"PARENT") {
            push_joined_shown(ev, &name, out);
            return true;
        }
        first.get_or_insert(name);
    }
    match first {
        Some(name) => push_joined_shown(ev, &name, out),
        None => match path_or_name(ev, ctx.scans) {
            Some(raw) => push_shown_quoted(out, &raw),
            None => return false,
        },
    }
    true
}

/// The first `path=` of any record, else the first `name=`, decoded: what
/// `event_text` would give for the two names before escaping, in one pass
/// over the fields (none for scanned records: their scans know where they
/// are).
fn path_or_name<'e>(ev: &'e Event, scans: &Scans) -> Option<Cow<'e, [u8]>> {
    let mut name = None;
    for r in &ev.records {
        let (path_at, name_at) = match scans.find(r) {
            Some(scan) => (scan.position(Slot::Path), scan.position(Slot::Name)),
            None => path_and_name_at(r),
        };
        if let Some(path) = path_at.and_then(|i| values::raw_text_at(r, i)) {
            return Some(path);
        }
        if name.is_none() {
            name = name_at.and_then(|i| values::raw_text_at(r, i));
        }
    }
    name
}

/// Where the first own `path=` and `name=` fields of `rec` are.
fn path_and_name_at(r: &Record) -> (Option<usize>, Option<usize>) {
    let (mut path_at, mut name_at) = (None, None);
    for (i, f) in r.fields.iter().enumerate() {
        if f.origin == Origin::Enriched {
            continue;
        }
        match r.name_of(f) {
            b"path" if path_at.is_none() => path_at = Some(i),
            b"name" if name_at.is_none() => name_at = Some(i),
            _ => {}
        }
    }
    (path_at, name_at)
}

/// The PATH item with this nametype (`CREATE`, `DELETE`).
fn with_nametype(ev: &Event, nametype: &[u8]) -> Option<String> {
    let name = rtype::all(ev, rtype::PATH)
        .filter(|r| r.get("nametype").unwrap_or_default() == nametype)
        .find_map(|r| values::raw_text(r, "name"))?;
    let mut out = String::new();
    push_joined_shown(ev, &name, &mut out);
    Some(out)
}

/// A PATH name joined with the event's cwd, escaped and quoted if need be,
/// appended to `out`.
fn push_joined_shown(ev: &Event, name: &[u8], out: &mut String) {
    // An absolute name is shown as it is: no cwd to look for, nothing to copy.
    if name.starts_with(b"/") {
        return push_shown_quoted(out, name);
    }
    let cwd = rtype::first(ev, rtype::CWD).and_then(|r| values::raw_text(r, "cwd"));
    push_shown_quoted(out, &values::join_path(cwd.as_deref(), name));
}

/// `name` escaped, and quoted when the escaped text needs it, appended to
/// `out`.
fn push_shown_quoted(out: &mut String, name: &[u8]) {
    let start = out.len();
    sanitize::push_escaped(out, name);
    if out.get(start..).is_some_and(needs_quotes) {
        out.insert(start, '"');
        out.push('"');
    }
}

fn shown(name: &[u8]) -> String {
    sanitize::escaped(name)
}

/// The sentence for a file system call of class `class`.
pub fn sentence(ctx: &Ctx, sc: &Record, name: &str, class: Class) -> Sentence {
    match class {
        Class::Open => return open(ctx, sc, name),
        Class::Delete => return delete(ctx, name),
        Class::Rename => return rename(ctx),
        Class::Link => return link(ctx, name),
        _ => {}
    }
    let (past, base) = simple_verb(class, name);
    let mut s = ctx.sentence(Verb::new(past, base));
    if let Some(d) = new_mode_or_owner(sc, name, class) {
        s.detail(d);
    }
    let created = match class {
        Class::Mkdir | Class::Mknod => with_nametype(ctx.ev, b"CREATE"),
        _ => None,
    };
    match created {
        Some(c) => s.object = Some(c),
        None => set_target_or_a_file(ctx, &mut s),
    }
    s
}

/// Sets the object to the event's file, else to `a file`.
fn set_target_or_a_file(ctx: &Ctx, s: &mut Sentence) {
    if !push_target(ctx, s.object_buf()) {
        s.set_object("a file");
    }
}

/// The verb, past and base, of the file calls that need nothing special.
fn simple_verb(class: Class, name: &str) -> (&'static str, &'static str) {
    match class {
        Class::Read => ("read from", "read from"),
        Class::Write => ("wrote to", "write to"),
        Class::Chmod => ("changed the permissions of", "change the permissions of"),
        Class::Chown => ("changed the owner of", "change the owner of"),
        Class::Xattr if name.contains("remove") => (
            "removed an extended attribute of",
            "remove an extended attribute of",
        ),
        Class::Xattr => (
            "changed an extended attribute of",
            "change an extended attribute of",
        ),
        Class::Mkdir => ("created the directory", "create the directory"),
        Class::Mknod => ("created the special file", "create the special file"),
        Class::Truncate => ("truncated", "truncate"),
        Class::Utime => ("changed the timestamps of", "change the timestamps of"),
        Class::Access => ("checked its access to", "check its access to"),
        _ => (
            "changed its working directory to",
            "change its working directory to",
        ),
    }
}

/// `to 0755` for chmod, `to root` or `to uid 1000` for chown, from the call's arguments.
fn new_mode_or_owner(sc: &Record, name: &str, class: Class) -> Option<String> {
    if !matches!(class, Class::Chmod | Class::Chown) {
        return None;
    }
    let at = if name.ends_with("at") { 2 } else { 1 };
    match (class, arg(sc, at)) {
        (Class::Chmod, Some(mode)) => Some(format!("to {:04o}", mode & 0o7777)),
        (Class::Chown, Some(0)) => Some("to root".to_string()),
        (Class::Chown, Some(uid)) if uid < 0xffff_ffff => Some(format!("to uid {uid}")),
        _ => None,
    }
}

/// `open`, `openat`, `creat`: created, or opened for reading or writing.
fn open(ctx: &Ctx, sc: &Record, name: &str) -> Sentence {
    let created = with_nametype(ctx.ev, b"CREATE");
    let flags = match name {
        "open" => arg(sc, 1),
        "openat" => arg(sc, 2),
        _ => None,
    };
    let creating = name == "creat" || flags.is_some_and(|f| f & O_CREAT != 0);
    if let (Some(path), false) = (created, ctx.failed()) {
        let mut s = ctx.sentence(Verb::new("created", "create"));
        s.object = Some(path);
        return s;
    }
    let mut s = if creating && ctx.failed() {
        ctx.sentence(Verb::new("created", "create"))
    } else {
        ctx.sentence(Verb::new("opened", "open"))
    };
    set_target_or_a_file(ctx, &mut s);
    if !(creating && ctx.failed()) {
        if let Some(f) = flags {
            s.detail(match f & O_ACCMODE {
                0 => "for reading",
                1 => "for writing",
                _ => "for reading and writing",
            });
        }
    }
    s
}

/// `unlink`, `unlinkat`, `rmdir`.
fn delete(ctx: &Ctx, name: &str) -> Sentence {
    let mut s = if name == "rmdir" {
        ctx.sentence(Verb::new("removed the directory", "remove the directory"))
    } else {
        ctx.sentence(Verb::new("deleted", "delete"))
    };
    s.object = with_nametype(ctx.ev, b"DELETE")
        .or_else(|| target(ctx))
        .or_else(|| Some("a file".to_string()));
    s
}

/// `rename`, `renameat`, `renameat2`: from the DELETE item to the CREATE item.
fn rename(ctx: &Ctx) -> Sentence {
    let mut s = ctx.sentence(Verb::new("renamed", "rename"));
    let items = items(ctx.ev);
    let non_parent: Vec<&PathItem> = items.iter().filter(|i| i.nametype != b"PARENT").collect();
    let old = with_nametype(ctx.ev, b"DELETE")
        .or_else(|| non_parent.first().map(|i| quoted(&shown(&i.name))));
    let new = with_nametype(ctx.ev, b"CREATE")
        .or_else(|| non_parent.get(1).map(|i| quoted(&shown(&i.name))));
    s.object = old.or_else(|| Some("a file".to_string()));
    if let Some(n) = new {
        s.detail_parts(&["to ", &n]);
    }
    s
}

/// `link`, `linkat`, `symlink`, `symlinkat`.
fn link(ctx: &Ctx, name: &str) -> Sentence {
    let kind = if name.starts_with("sym") {
        "symbolic"
    } else {
        "hard"
    };
    let object = with_nametype(ctx.ev, b"CREATE").or_else(|| target(ctx));
    let article = if object.is_some() { "the" } else { "a" };
    let mut s = ctx.sentence(Verb::new(
        format!("created {article} {kind} link"),
        format!("create {article} {kind} link"),
    ));
    s.object = object;
    s
}
