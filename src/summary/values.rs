//! Reading field values for sentences: decoded (hex, quotes), escaped so an
//! attacker-chosen byte can never reach a terminal raw, and numbers read in the
//! base audit writes them in.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;

use crate::event::Event;
use crate::interpret::{self, Shown};
use crate::record::{Form, Origin, Quote, Record};
use crate::sanitize;
use crate::summary::rtype;
use crate::summary::scan::{self, Scans, Slot};

/// Longest command line a sentence quotes before it cuts with `…`.
const MAX_COMMAND: usize = 160;

/// The decoded bytes of the first field of this name in `rec` (hex decoded,
/// quotes removed), or None when absent, empty or `?`/`(null)`.
pub fn raw_text<'r>(rec: &'r Record, name: &str) -> Option<Cow<'r, [u8]>> {
    raw_text_at(rec, rec.position(name)?)
}

/// `raw_text` for the field at `idx` of `rec.fields`.
pub fn raw_text_at(rec: &Record, idx: usize) -> Option<Cow<'_, [u8]>> {
    let field = rec.fields.get(idx)?;
    // `?`, `(null)` and the like are not hex, so they decode to themselves:
    // a value that says nothing as written is passed over at once.
    if !is_present(rec.value_of(field)) {
        return None;
    }
    let mut out = Vec::new();
    let value = match interpret::decode_field(rec, idx, &mut out) {
        Shown::AsIs if field.quote == Quote::None => {
            Cow::Borrowed(old_style_trim(rec.value_of(field)))
        }
        Shown::AsIs => Cow::Borrowed(rec.value_of(field)),
        Shown::Decoded | Shown::Translated => Cow::Owned(out),
    };
    is_present(&value).then_some(value)
}

/// Old user-space records wrote `(hostname=?, addr=1.2.3.4, terminal=pts/1 res=success)`:
/// drops the `,` and `)` that stick to bare values there.
fn old_style_trim(v: &[u8]) -> &[u8] {
    let v = v.strip_suffix(b",").unwrap_or(v);
    v.strip_suffix(b")")
        .filter(|inner| !inner.contains(&b'('))
        .unwrap_or(v)
}

/// True for values that say something (not empty, `?`, `(null)`, `(none)`).
pub fn is_present(v: &[u8]) -> bool {
    !matches!(v, b"" | b"?" | b"(null)" | b"(none)" | b"\"\"")
}

/// The decoded, escaped text of a field.
pub fn text(rec: &Record, name: &str) -> Option<String> {
    raw_text(rec, name).map(|v| sanitize::escaped(&v))
}

/// `text` for the field at `idx` of `rec`, borrowed from the record when the
/// value needs neither decoding nor escaping.
pub fn text_ref(rec: &Record, idx: usize) -> Option<Cow<'_, str>> {
    Some(match raw_text_at(rec, idx)? {
        Cow::Borrowed(b) => escaped_ref(b),
        Cow::Owned(v) => Cow::Owned(sanitize::escaped(&v)),
    })
}

/// `sanitize::escaped`, without a copy when nothing needs escaping.
pub fn escaped_ref(bytes: &[u8]) -> Cow<'_, str> {
    // Printable ASCII (nearly every value) is text as it is.
    if let Some(plain) = sanitize::Plain::check(bytes) {
        return Cow::Borrowed(plain.as_str());
    }
    if sanitize::is_clean(bytes)
        && let Ok(s) = std::str::from_utf8(bytes)
    {
        return Cow::Borrowed(s);
    }
    Cow::Owned(sanitize::escaped(bytes))
}

/// The decoded, escaped text of the first record in the event that has the field.
pub fn event_text(ev: &Event, name: &str) -> Option<String> {
    ev.records.iter().find_map(|r| text(r, name))
}

/// An enrichment value, escaped, when it says something.
pub fn enriched(rec: &Record, name: &str) -> Option<String> {
    rec.enriched(name)
        .filter(|v| is_present(v) && *v != b"unset" && !v.starts_with(b"unknown("))
        .map(sanitize::escaped)
}

/// A decimal number as written (`-13`, `1000`).
pub fn decimal(v: &[u8]) -> Option<i64> {
    // Plain digits (nearly every id and exit code) are read directly; up to
    // 18 of them cannot overflow.
    if !v.is_empty() && v.len() <= 18 && v.iter().all(u8::is_ascii_digit) {
        return Some(v.iter().fold(0i64, |n, &d| n * 10 + i64::from(d - b'0')));
    }
    std::str::from_utf8(v).ok()?.trim().parse().ok()
}

/// A hexadecimal number as the kernel writes syscall arguments (`1ed`, `ffffff9c`).
pub fn hex(v: &[u8]) -> Option<u64> {
    u64::from_str_radix(std::str::from_utf8(v).ok()?, 16).ok()
}

/// A syscall argument (`a0`..`a3`) of the record, read as hex.
pub fn arg(rec: &Record, n: usize) -> Option<u64> {
    let name = ["a0", "a1", "a2", "a3"].get(n)?;
    rec.get(name).and_then(hex)
}

/// The command line of the event: EXECVE arguments when present (complete),
/// else the PROCTITLE, NULs turned into spaces; escaped and shortened.
///
/// Shared, not copied: a repeated title hands out the text it gave last time.
pub fn command_line(ev: &Event) -> Option<Rc<str>> {
    let mut args = Vec::new();
    if ev
        .records
        .iter()
        .find(|r| rtype::EXECVE.is(r))
        .is_some_and(|r| execve_args(r, &mut args))
    {
        return shown_command(Cow::Owned(args)).map(Rc::from);
    }
    let rec = rtype::first(ev, rtype::PROCTITLE)?;
    let idx = rec.position("proctitle")?;
    // A process writes many events with the same title: the last title
    // shown is kept, so a repeat costs a comparison instead of decoding.
    remembered(&LAST_TITLE, rec, idx, || {
        raw_text_at(rec, idx).and_then(shown_command).map(Rc::from)
    })
}

/// What decoding a value depends on besides the value itself (and the
/// field's name, fixed for each memo).
#[derive(Clone, Copy, PartialEq, Eq)]
struct ValueKey {
    type_number: Option<u32>,
    form: Form,
    quote: Quote,
    origin: Origin,
}

/// A value as written and the text it gave.
pub struct LastShown<T> {
    key: ValueKey,
    raw: Vec<u8>,
    shown: Option<T>,
}

/// How many values a memo keeps.
const KEPT_VALUES: usize = 8;

/// The last few values a memo saw, and which one to replace next.
pub struct Recent<T> {
    kept: [Option<LastShown<T>>; KEPT_VALUES],
    next: usize,
    /// The entry found or written last: values come in runs, so it is
    /// tried before the others.
    last: usize,
}

impl<T> Default for Recent<T> {
    fn default() -> Recent<T> {
        Recent::new()
    }
}

impl<T> Recent<T> {
    /// A memo that has seen nothing.
    pub const fn new() -> Recent<T> {
        Recent {
            kept: [const { None }; KEPT_VALUES],
            next: 0,
            last: 0,
        }
    }
}

impl<T> Recent<T> {
    /// Where the value `raw` with this key is kept, if it is: the last
    /// entry used is tried first. Lengths are compared before keys and
    /// bytes, as they differ most often.
    fn find(&self, key: ValueKey, raw: &[u8]) -> Option<usize> {
        let is = |l: &Option<LastShown<T>>| {
            l.as_ref()
                .is_some_and(|l| l.raw.len() == raw.len() && l.key == key && l.raw == raw)
        };
        position_from_last(&self.kept, self.last, is)
    }
}

/// Where in `kept` an entry for which `is` holds sits: entry `last` (the
/// one used last, as values come in runs) is tried before the others.
pub fn position_from_last<E>(kept: &[E], last: usize, is: impl Fn(&E) -> bool) -> Option<usize> {
    if kept.get(last).is_some_and(&is) {
        return Some(last);
    }
    kept.iter().position(is)
}

/// The cell of a memo: a few values as written and what they gave.
pub type Remembered<T> = RefCell<Recent<T>>;

/// One remembered value per thread and field name.
pub type Memo<T> = std::thread::LocalKey<Remembered<T>>;

thread_local! {
    /// The last PROCTITLE values this thread showed.
    static LAST_TITLE: Remembered<Rc<str>> = const { RefCell::new(Recent::new()) };
    /// The last `exe=` values this thread showed.
    static LAST_EXE: Remembered<Rc<str>> = const { RefCell::new(Recent::new()) };
}

/// What `show` gives for the field at `idx` of `rec`, reusing the memo's
/// text when the field is one of the last few seen (a few processes often
/// take turns). A memo serves one field name, and `show` may read nothing
/// of the record but that field.
pub fn remembered<T: Clone>(
    memo: &'static Memo<T>,
    rec: &Record,
    idx: usize,
    show: impl FnOnce() -> Option<T>,
) -> Option<T> {
    let field = rec.fields.get(idx)?;
    let key = ValueKey {
        type_number: rec.type_number,
        form: rec.form,
        quote: field.quote,
        origin: field.origin,
    };
    let raw = rec.value_of(field);
    memo.with_borrow_mut(|recent| {
        if let Some(at) = recent.find(key, raw) {
            recent.last = at;
            return recent.kept.get(at).and_then(|l| l.as_ref()?.shown.clone());
        }
        let shown = show();
        let at = recent.next % KEPT_VALUES;
        recent.next = at + 1;
        recent.last = at;
        match recent.kept.get_mut(at) {
            // The old buffer is reused, so a new value costs no allocation
            // unless it is longer.
            Some(Some(l)) => {
                l.key = key;
                l.raw.clear();
                l.raw.extend_from_slice(raw);
                l.shown.clone_from(&shown);
            }
            Some(last) => {
                *last = Some(LastShown {
                    key,
                    raw: raw.to_vec(),
                    shown: shown.clone(),
                });
            }
            None => {}
        }
        shown
    })
}

/// A decoded command line as a sentence shows it: NULs as spaces, trimmed,
/// escaped and shortened.
fn shown_command(mut bytes: Cow<'_, [u8]>) -> Option<String> {
    if bytes.contains(&0) {
        bytes
            .to_mut()
            .iter_mut()
            .filter(|b| **b == 0)
            .for_each(|b| *b = b' ');
    }
    let trimmed = bytes.trim_ascii();
    if !is_present(trimmed) {
        return None;
    }
    // Only the first MAX_COMMAND characters are shown: escape no more than
    // can make them (a character takes at most four bytes), plus a margin
    // so the cut never splits the character the `…` follows.
    let keep = trimmed.len().min(4 * (MAX_COMMAND + 2));
    Some(shorten_owned(
        sanitize::escaped(&trimmed[..keep]),
        MAX_COMMAND,
    ))
}

/// EXECVE's `a0`, `a1` ... joined with spaces into `out`; `aN[i]` fragments
/// are glued back. False when that gives nothing.
fn execve_args(rec: &Record, out: &mut Vec<u8>) -> bool {
    let argc = rec.get("argc").and_then(decimal).unwrap_or(0);
    let mut name = String::new();
    for i in 0..argc.clamp(0, 4096) {
        name.clear();
        let _ = write!(name, "a{i}");
        if i > 0 {
            out.push(b' ');
        }
        match raw_text(rec, &name) {
            Some(v) => out.extend_from_slice(&v),
            None => fragments(rec, &name, out),
        }
    }
    !out.is_empty()
}

/// The pieces `aN[0]`, `aN[1]` ... of one long argument, decoded and appended.
fn fragments(rec: &Record, arg: &str, out: &mut Vec<u8>) {
    let mut name = String::new();
    for j in 0.. {
        name.clear();
        let _ = write!(name, "{arg}[{j}]");
        match raw_text(rec, &name) {
            Some(v) => out.extend_from_slice(&v),
            None => break,
        }
    }
}

/// Cuts `s` to at most `max` characters, marking the cut with `…`.
pub fn shorten(s: &str, max: usize) -> String {
    shorten_owned(s.to_string(), max)
}

/// `shorten` for a string the caller no longer needs: short ones are kept as they are.
pub fn shorten_owned(mut s: String, max: usize) -> String {
    // Fewer bytes than `max` means fewer characters: nothing to cut.
    if s.len() > max
        && let Some((at, _)) = s.char_indices().nth(max)
    {
        s.truncate(at);
        s.push('…');
    }
    s
}

/// `dir` and a relative `name` joined; absolute names are returned as they are.
pub fn join_path(dir: Option<&[u8]>, name: &[u8]) -> Vec<u8> {
    match dir {
        Some(d) if name == b"." => d.to_vec(),
        Some(d) if !name.starts_with(b"/") && d.starts_with(b"/") => {
            let name = name.strip_prefix(b"./").unwrap_or(name);
            let mut out = d.to_vec();
            if !out.ends_with(b"/") {
                out.push(b'/');
            }
            out.extend_from_slice(name);
            out
        }
        _ => name.to_vec(),
    }
}

/// The program of the event: `exe`, else `comm`, escaped.
pub fn program(ev: &Event) -> Option<String> {
    program_in(ev, None).map(|p| p.to_string())
}

/// `program`, reading scanned records through their scans; shared, as the
/// same program repeats from event to event.
pub fn program_in(ev: &Event, scans: Option<&Scans>) -> Option<Rc<str>> {
    exe_text(ev, scans).or_else(|| {
        ev.records
            .iter()
            .find_map(|r| {
                let i = match scan::scanned(scans, r) {
                    Some(scan) => scan.position(Slot::Comm),
                    None => r.position("comm"),
                };
                i.and_then(|i| text_at(r, i))
            })
            .map(Rc::from)
    })
}

/// The first `exe=` of the event that says something, escaped; a program
/// repeats from event to event, so the last one is remembered.
fn exe_text(ev: &Event, scans: Option<&Scans>) -> Option<Rc<str>> {
    ev.records.iter().find_map(|r| {
        let i = match scan::scanned(scans, r) {
            Some(scan) => scan.position(Slot::Exe),
            None => r.position("exe"),
        }?;
        remembered(&LAST_EXE, r, i, || text_at(r, i).map(Rc::from))
    })
}

/// The decoded, escaped text of the field at `idx` of `rec`.
fn text_at(rec: &Record, idx: usize) -> Option<String> {
    raw_text_at(rec, idx).map(|v| sanitize::escaped(&v))
}

/// The last path component of a program path.
pub fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::{decimal, hex, join_path, shorten};
    use crate::parse::first_record as rec;

    /// The quick `proctitle` lookup finds the field the general one finds,
    /// with other fields before it, a longer or shorter name, or an
    /// enrichment field of the same name.
    #[test]
    fn position_finds_the_first_own_field_of_a_whole_name() {
        let cases = [
            (
                "type=PROCTITLE msg=audit(1.0:1): proctitle=6C73002D6C",
                Some(0),
            ),
            ("type=PROCTITLE msg=audit(1.0:1): proctitle=\"ls\"", Some(0)),
            (
                "type=PROCTITLE msg=audit(1.0:1): x=1 proctitles=2 proctitl=3 proctitle=4 proctitle=5",
                Some(3),
            ),
            ("type=PROCTITLE msg=audit(1.0:1): a=1", None),
            ("type=PROCTITLE msg=audit(1.0:1): ", None),
            ("type=PROCTITLE msg=audit(1.0:1): a=1\x1dproctitle=2", None),
            // Fields inside a user-space message count: `pid` comes first.
            (
                "type=USER_CMD msg=audit(1.0:1): pid=1 msg='proctitle=6C73 cmd=6C73'",
                Some(1),
            ),
        ];
        for (line, want) in cases {
            assert_eq!(rec(line).position("proctitle"), want, "{line}");
        }
        let r = rec("type=PATH msg=audit(1.0:1): item=0 key=1 name=2 keys=3 key=4");
        for (name, want) in [
            ("key", Some(1)),
            ("name", Some(2)),
            ("keys", Some(3)),
            ("ke", None),
            ("item", Some(0)),
            ("nametype", None),
        ] {
            assert_eq!(r.position(name), want, "{name}");
        }
    }

    thread_local! {
        static TEST_MEMO: super::Remembered<String> =
            const { std::cell::RefCell::new(super::Recent::new()) };
    }

    /// A memo gives what showing the value gives, for values that come
    /// back after more than it keeps, and tells types apart.
    #[test]
    fn remembered_values_follow_the_field() {
        let mut lines = Vec::new();
        for i in 0..20 {
            let v = (i * 7) % 11;
            lines.push(format!("type=SYSCALL msg=audit(1.0:1): exe=\"/bin/p{v}\""));
            lines.push(format!("type=USER_ACCT msg=audit(1.0:1): exe=/bin/p{v}"));
            // Runs of one value, as logs have them, and one that differs
            // in its last byte only.
            if i % 3 == 0 {
                lines.push(format!("type=USER_ACCT msg=audit(1.0:1): exe=/bin/p{v}"));
                lines.push(format!("type=USER_ACCT msg=audit(1.0:1): exe=/bin/q{v}"));
                lines.push(format!("type=USER_ACCT msg=audit(1.0:1): exe=/bin/q{v}"));
            }
        }
        for line in &lines {
            let r = rec(line);
            let idx = r.position("exe").unwrap_or_default();
            let got = super::remembered(&TEST_MEMO, &r, idx, || {
                Some(format!(
                    "{}:{}",
                    r.type_name(),
                    super::text(&r, "exe").unwrap_or_default()
                ))
            });
            let want = format!(
                "{}:{}",
                r.type_name(),
                super::text(&r, "exe").unwrap_or_default()
            );
            assert_eq!(got.as_deref(), Some(want.as_str()), "{line}");
        }
    }

    #[test]
    fn joins_relative_paths_with_cwd() {
        assert_eq!(join_path(Some(b"/home/a"), b"./x"), b"/home/a/x");
        assert_eq!(join_path(Some(b"/"), b"etc"), b"/etc");
        assert_eq!(join_path(Some(b"/home/a"), b"/etc/x"), b"/etc/x");
        assert_eq!(join_path(None, b"x"), b"x");
        assert_eq!(join_path(Some(b"/tmp"), b"."), b"/tmp");
    }

    /// The shortcut for printable ASCII gives what escaping would, and
    /// borrows exactly when nothing needs escaping.
    #[test]
    fn escaped_ref_reads_as_escaped() {
        for v in [
            &b""[..],
            b"abc",
            b"a b~",
            b"a\\b",
            b"a\"b",
            b"\x1b[31m",
            b"\x7f",
            b"caf\xc3\xa9",
            b"\xc3",
            b"\xe2\x80\xae",
            b"tab\there",
        ] {
            let got = super::escaped_ref(v);
            assert_eq!(got, crate::sanitize::escaped(v), "{v:?}");
            let borrowed = matches!(got, std::borrow::Cow::Borrowed(_));
            assert_eq!(borrowed, crate::sanitize::is_clean(v), "{v:?}");
        }
    }

    #[test]
    fn shortens_on_character_boundaries() {
        assert_eq!(shorten("ééé", 2), "éé…");
        assert_eq!(shorten("abc", 3), "abc");
    }

    #[test]
    fn reads_numbers() {
        assert_eq!(hex(b"1ed"), Some(0o755));
        assert_eq!(decimal(b"-13"), Some(-13));
        assert_eq!(decimal(b"x"), None);
        assert_eq!(decimal(b" 42"), Some(42));
        assert_eq!(decimal(b"4294967295"), Some(4_294_967_295));
        assert_eq!(decimal(b"99999999999999999999"), None);
    }
}
