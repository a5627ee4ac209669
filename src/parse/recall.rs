//! Remembered scans of the repeated end of records.
//!
//! Busy logs repeat themselves. A daemon makes the same call again and again,
//! and its SYSCALL records differ only in their first fields (`arch syscall
//! success exit a0 a1 a2 a3`): from `items=` on, the bytes are often those of
//! a recent record. PROCTITLE and many PATH records repeat whole. Scanning is
//! the largest cost of parsing, so the fields of such a tail are kept, and a
//! later tail with the same bytes gets them back instead of being scanned
//! again, their spans moved when the tail starts elsewhere in its line. AVC records differ in
//! their process and object, but mostly end with the same `scontext=`,
//! `tcontext=` and `tclass=`: their tail starts at `scontext`.
//!
//! This is only sound where the scan of the rest of a line depends on
//! nothing but those bytes and a state the table's key spells out:
//! - a tail starts between two fields of the record's top level, after the
//!   spaces, outside any text run, `msg='...'` value or enrichment section
//!   (SYSCALL: after its `a3` field; AVC: at its `scontext` field; other
//!   records: at their first field);
//! - the scan mode is part of the key, and so is whether the tail starts the
//!   body (where a `type=` is not looked at as a new record);
//! - a tail that does not start the body follows a space or a tab, the one
//!   byte before it that the scanner may read (`prefix::anchor_at`);
//! - the tail runs to the end of the line, and everything the scanner reads
//!   of the line from the tail's start on lies inside it.
//!
//! A scan is kept only when it read the whole tail (no record started inside
//! it) and its first field is a pair named at the tail's start: a tail that
//! opens with a bare word may have added that word to the field before it
//! (`Mode::Interpreted`), and one that opens otherwise is not worth the care.
//! A whole body read into an empty list has no field before it, so it may
//! open with anything (`user pid=...`, `avc:  denied ...`); the key says
//! which of the two kinds a tail is.
//!
//! The table is small and direct-mapped, one per thread, with caps on the
//! length of a tail and its number of fields, so its memory stays bounded.

use std::cell::RefCell;

use super::fields::{Mode, Pause, Scanner, Step};
use crate::record::{Field, Name, Origin, QuietTail, Span, is_context_name};

/// Slots in a table: enough for the processes that take turns in a busy log.
const SLOTS: usize = 128;
/// Longest tail kept: longer ones are rare, and memory stays bounded.
const MAX_KEY: usize = 1024;
/// Most fields kept for one tail.
const MAX_FIELDS: usize = 48;

/// What `scan_body` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scanned {
    /// Where another record starts, else the end of the line.
    pub stop: usize,
    /// The last fields read that are known to have no name
    /// `interpret::Context::of` looks for (`Record::quiet_tail`): the end of
    /// a recalled tail after its last such name; none otherwise.
    pub quiet: QuietTail,
}

/// Scans the fields of a record body from `body` to the end of the line,
/// using a remembered scan of its tail when one matches. Kept out of line so
/// that profiles show what scanning and recalling cost together.
#[inline(never)]
pub fn scan_body(
    line: &[u8],
    body: usize,
    mode: Mode,
    pause: Pause,
    out: &mut Vec<Field>,
) -> Scanned {
    let sc = Scanner::new(line, mode);
    let mut quiet = QuietTail::default();
    let first = out.is_empty();
    let stop = if pause == Pause::Never {
        tail(&sc, line, body, body, mode, out, &mut quiet)
    } else if let Some(at) = sc.usual_syscall_head(body, pause, out) {
        // The record's first fields are known to be `arch` to `a3`.
        quiet.syscall_head = first;
        tail(&sc, line, body, at, mode, out, &mut quiet)
    } else {
        match sc.scan_until_the_long_way(body, pause, out) {
            Step::Done(stop) => stop,
            Step::Paused(at) => tail(&sc, line, body, at, mode, out, &mut quiet),
        }
    };
    Scanned { stop, quiet }
}

/// The rest of a body that began at `start`, from `from` (between two
/// fields), recalled or scanned; sets `quiet` as `Scanned::quiet` says.
fn tail(
    sc: &Scanner,
    line: &[u8],
    start: usize,
    from: usize,
    mode: Mode,
    out: &mut Vec<Field>,
    quiet: &mut QuietTail,
) -> usize {
    let Some(at) = tail_start(line, start, from) else {
        return sc.resume(start, from, out);
    };
    let key = &line[at..];
    // A whole body scanned into an empty list has no field before it that a
    // bare word could join, so such a tail may open with anything.
    let alone = from == start && out.is_empty();
    let tag = mode as u64 | (u64::from(at == start) << 8) | (u64::from(alone) << 9);
    TABLE.with(|t| {
        let mut table = t.borrow_mut();
        let slot = table.slot(tag, key);
        if slot.holds(tag, key) {
            #[cfg(test)]
            HITS.with(|h| h.set(h.get() + 1));
            let known = slot.quiet_tail();
            quiet.len = known.len;
            quiet.enriched = known.enriched;
            slot.move_to(at as u32);
            out.extend_from_slice(&slot.fields);
            return line.len();
        }
        let before = out.len();
        let stop = sc.resume(start, at, out);
        if stop == line.len() {
            slot.store(tag, key, &out[before..], at, alone);
        }
        stop
    })
}

/// Where a tail may start: the first byte after the spaces from `from`, when
/// it starts the body or follows a space or tab, and is short enough to keep.
fn tail_start(line: &[u8], start: usize, from: usize) -> Option<usize> {
    let at = from
        + line[from..]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
    let len = line.len().checked_sub(at)?;
    let after_blank = at > start && matches!(line[at - 1], b' ' | b'\t');
    (len > 0 && len <= MAX_KEY && (at == start || after_blank)).then_some(at)
}

/// Moves the spans of a remembered field by `by`, which wraps around to
/// move them down.
fn shift(f: &mut Field, by: u32) {
    f.value.start = f.value.start.wrapping_add(by);
    f.value.end = f.value.end.wrapping_add(by);
    if let Name::Text(s) = &mut f.name {
        s.start = s.start.wrapping_add(by);
        s.end = s.end.wrapping_add(by);
    }
}

/// True when the fields scanned from a tail at `at` may be kept: a pair named
/// at the tail's start comes first (or no field came before the tail:
/// `alone`), every span lies in the tail, and there are not too many.
fn keepable(fields: &[Field], at: usize, alone: bool) -> bool {
    let in_tail = |s: Span| s.start as usize >= at && s.end >= s.start;
    let starts_with_pair = matches!(fields.first(), Some(f) if matches!(f.name, Name::Text(s) if s.start as usize == at));
    (starts_with_pair || alone)
        && fields.len() <= MAX_FIELDS
        && fields.iter().all(|f| {
            in_tail(f.value)
                && match f.name {
                    Name::Text(s) => in_tail(s),
                    Name::Fixed(_) => true,
                }
        })
}

#[derive(Default)]
struct Slot {
    tag: u64,
    key: Vec<u8>,
    /// Where the tail started in the line its fields' spans point into.
    base: u32,
    /// The tail's fields, with spans as in a line where the tail starts at
    /// `base`: a tail seen again at the same place is copied as it is.
    fields: Vec<Field>,
    /// The end of `fields` after the last name `interpret::Context::of`
    /// looks for; worked out when first asked.
    quiet: Option<QuietTail>,
}

impl Slot {
    fn holds(&self, tag: u64, key: &[u8]) -> bool {
        !self.fields.is_empty() && self.tag == tag && self.key == key
    }

    /// Moves the spans of the kept fields to a line where the tail starts
    /// at `at`.
    fn move_to(&mut self, at: u32) {
        if self.base != at {
            let by = at.wrapping_sub(self.base);
            for f in &mut self.fields {
                shift(f, by);
            }
            self.base = at;
        }
    }

    /// What `Record::quiet_tail` may say of the kept fields.
    fn quiet_tail(&mut self) -> QuietTail {
        match self.quiet {
            Some(known) => known,
            None => {
                let known = quiet_end(&self.key, self.base, &self.fields);
                self.quiet = Some(known);
                known
            }
        }
    }

    fn store(&mut self, tag: u64, key: &[u8], fields: &[Field], at: usize, alone: bool) {
        if !keepable(fields, at, alone) {
            return;
        }
        self.tag = tag;
        self.key.clear();
        self.key.extend_from_slice(key);
        self.base = at as u32;
        self.fields.clear();
        self.fields.extend_from_slice(fields);
        self.quiet = None;
    }
}

/// The fields of a kept tail `key` starting at `base` after the last one
/// whose name `interpret::Context::of` looks for, and whether one of them
/// comes from the enrichment section. Too many to count makes none, which is
/// always right.
fn quiet_end(key: &[u8], base: u32, fields: &[Field]) -> QuietTail {
    let noted = fields.iter().rposition(|f| has_context_name(key, base, f));
    let quiet = &fields[noted.map_or(0, |i| i + 1)..];
    match u16::try_from(quiet.len()) {
        Ok(len) => QuietTail {
            len,
            enriched: quiet.iter().any(|f| f.origin == Origin::Enriched),
            syscall_head: false,
        },
        Err(_) => QuietTail::default(),
    }
}

/// True when field `f` of a kept tail `key` starting at `base` has a name
/// the context reads, or `arch` (a name out of the key counts as one, to be
/// safe).
fn has_context_name(key: &[u8], base: u32, f: &Field) -> bool {
    match f.name {
        Name::Text(s) => key
            .get(s.start.wrapping_sub(base) as usize..s.end.wrapping_sub(base) as usize)
            .is_none_or(is_context_name),
        Name::Fixed(name) => is_context_name(name.as_bytes()),
    }
}

/// A direct-mapped table of tails and their fields.
struct Table {
    slots: Vec<Slot>,
}

impl Default for Table {
    fn default() -> Self {
        Table {
            slots: (0..SLOTS).map(|_| Slot::default()).collect(),
        }
    }
}

impl Table {
    /// The slot where `key` belongs. Its place is chosen by the tail's length
    /// and its first and last bytes, which are cheap to read and tell the
    /// tails of different processes apart; the whole key is compared on a hit.
    fn slot(&mut self, tag: u64, key: &[u8]) -> &mut Slot {
        let i = (place(tag, key) >> 57) as usize % SLOTS;
        &mut self.slots[i]
    }
}

/// Bytes read from each end of a key to place it: enough to reach a SYSCALL
/// tail's `pid=` and its command at the end; reading 64 cost more in hashing
/// than it saved in misses.
const SAMPLE: usize = 32;

fn place(tag: u64, key: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (tag ^ key.len() as u64).wrapping_mul(K);
    let head = &key[..key.len().min(SAMPLE)];
    let tail = &key[key.len().saturating_sub(SAMPLE)..];
    for part in [head, tail] {
        let mut words = part.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(K);
        }
        for &b in words.remainder() {
            h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    h
}

thread_local! {
    /// This thread's table.
    static TABLE: RefCell<Table> = RefCell::new(Table::default());
}

#[cfg(test)]
thread_local! {
    /// How many tails this thread recalled, for the tests to see hits happen.
    static HITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Origin, Quote};

    /// A field standing for those scanned before the body, or before `a3`.
    fn before() -> Field {
        Field {
            name: Name::Fixed("before"),
            value: Span::new(0, 1),
            quote: Quote::None,
            origin: Origin::Outer,
        }
    }

    /// The body of a test line: after its `):`, else from the start.
    fn body_of(line: &str) -> usize {
        line.find("):").map_or(0, |p| p + 2)
    }

    fn hits() -> usize {
        HITS.with(|h| h.get())
    }

    /// Scans every line through the table, forwards, backwards and forwards
    /// again, into a list with a field before and into an empty one, and
    /// checks each result against a plain scan: the first pass fills the
    /// table, the later ones recall from it, with the tails seen after
    /// different heads. Returns how many tails were recalled.
    fn check(lines: &[&str], mode: Mode) -> usize {
        let start = hits();
        let order: Vec<&str> = lines
            .iter()
            .chain(lines.iter().rev())
            .chain(lines.iter())
            .copied()
            .collect();
        for text in order {
            let line = text.as_bytes();
            let body = body_of(text);
            for (pause, first) in [
                (Pause::AfterA3, true),
                (Pause::BeforeScontext, true),
                (Pause::BeforeScontext, false),
                (Pause::Never, true),
                (Pause::Never, false),
            ] {
                let list = || if first { vec![before()] } else { Vec::new() };
                let mut want = list();
                let want_stop =
                    Scanner::new(line, mode).scan(body, line.len(), Origin::Outer, &mut want);
                let mut got = list();
                let stop = scan_body(line, body, mode, pause, &mut got).stop;
                assert_eq!(stop, want_stop, "{mode:?} {text}");
                assert_eq!(got, want, "{mode:?} {pause:?} first={first} {text}");
            }
        }
        hits() - start
    }

    const TAIL: &str = "items=1 ppid=1 pid=2 auid=4294967295 uid=0 tty=(none) ses=4294967295 comm=\"cat\" exe=\"/usr/bin/cat\" key=(null)";

    const AVC_TAIL: &str =
        "scontext=staff_u:staff_r:staff_t:s0 tcontext=system_u:object_r:etc_t:s0 tclass=file";

    #[test]
    fn shared_tails_after_different_heads() {
        let lines = [
            format!(
                "type=SYSCALL msg=audit(1.2:3): arch=c000003e syscall=0 success=yes exit=3 a0=1 a1=2 a2=3 a3=4 {TAIL}"
            ),
            format!(
                "type=SYSCALL msg=audit(1.2:4): arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=7ffd a2=0 a3=0 {TAIL}"
            ),
            format!("type=SYSCALL msg=audit(1.2:5): arch=c000003e syscall=1 a3=4\t{TAIL}"),
            format!("type=SYSCALL msg=audit(1.2:5): arch=c000003e syscall=1 a3=4  {TAIL}"),
            "type=PROCTITLE msg=audit(1.2:3): proctitle=636174002F6574632F706173737764".to_string(),
            "type=PATH msg=audit(1.2:3): item=0 name=\"/etc/passwd\" inode=5 nametype=NORMAL"
                .to_string(),
            "type=PATH msg=audit(1.2:3):  item=0 name=\"/etc/passwd\" inode=5 nametype=NORMAL"
                .to_string(),
            format!(
                "type=AVC msg=audit(1.2:6): avc:  denied  {{ read }} for  pid=1 comm=\"a\" name=\"b\" {AVC_TAIL}"
            ),
            format!(
                "type=AVC msg=audit(1.2:7): avc:  denied  {{ write }} for  pid=2 comm=\"c\" path=\"/d e\" dev=\"sda\" ino=3 {AVC_TAIL}"
            ),
            format!("type=AVC msg=audit(1.2:8): {AVC_TAIL}"),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        for mode in [Mode::Strict, Mode::Lenient, Mode::Interpreted] {
            assert!(check(&lines, mode) >= 20, "{mode:?}: too few recalls");
        }
    }

    #[test]
    fn tails_the_scanner_reads_with_care() {
        let lines = [
            // A second record on the line: never kept, always scanned.
            "type=CWD msg=audit(1.2:3): cwd=\"/\" type=PATH msg=audit(1.2:3): item=0",
            "type=SYSCALL msg=audit(1.2:3): a3=0 type=PATH msg=audit(1.2:3): item=0",
            // The first field names `type` but starts no record at the body.
            "type=X msg=audit(1.2:3):type=PATH msg=audit(1.2:3): item=0",
            // After `a3` with no space, a `type=` is read by its byte before.
            "type=SYSCALL msg=audit(1.2:3): a3=\"0\"type=PATH msg=audit(1.2:3): item=0",
            "type=SYSCALL msg=audit(1.2:3): a3=0\x1dtype=PATH msg=audit(1.2:3): item=0",
            // Enrichment, spelled and escaped.
            "type=SYSCALL msg=audit(1.2:3): a3=0 items=0 key=(null)\x1dARCH=x86_64 AUID=\"root\"",
            "type=SYSCALL msg=audit(1.2:3): a3=0 items=0 key=(null)\\u001DARCH=x86_64",
            "type=SYSCALL msg=audit(1.2:3): a3=0\x1dARCH=x86_64 UID=root",
            "type=SYSCALL msg=audit(1.2:3): a3=0 UID=root uid=0",
            // A `scontext` that starts no tail: nested, enriched, glued to
            // the value before it, spaced, or repeated.
            "type=AVC msg=audit(1.2:3): avc:  denied  { x } for pid=1 name=\"a\"scontext=b tclass=c",
            "type=USER_AVC msg=audit(1.2:3): pid=1 msg='avc:  denied  { x } for scontext=a tclass=b'",
            "type=AVC msg=audit(1.2:3): avc:  denied  { x } for pid=1\x1dscontext=a tclass=b",
            "type=AVC msg=audit(1.2:3): avc:  denied  { x } for pid=1 scontext =a tclass=b",
            "type=AVC msg=audit(1.2:3): avc:  denied  { x } for pid=1 scontext= a scontext=b",
            "type=AVC msg=audit(1.2:3): avc:  denied  { x } for pid=1 scontext=a avc: denied",
            "type=AVC msg=audit(1.2:3): avc:  denied  { x } for pid=1 word scontext=a tclass=b",
            // User-space messages, nested, mangled, with curly quotes.
            "type=USER_AUTH msg=audit(1.2:3): pid=1 uid=0 msg='op=PAM:auth acct=\"root\" res=failed'",
            "type=USER_AUTH msg=audit(1.2:4): pid=1 uid=0 msg='op=PAM:auth acct=\"root\" res=failed'\x1dUID=\"root\"",
            "type=ACCT_LOCK msg=audit(1.2:3): pid=2 msg=`op=locked exe=\\\u{201d}/usr/bin/passwd\\\u{201d} res=success UID=\\\u{201d}root\\\u{201d} AUID=\u{201d}anu\u{201d}",
            "type=X msg=audit(1.2:3): e=\u{201c}z\u{201d} g=\u{2022}x h=1",
            // Interpreted: a bare word first would join the field before.
            "type=SYSCALL msg=audit(1.2:3): a3=0 exit=EACCES(Permission denied) a0=AT_FDCWD",
            "type=SYSCALL msg=audit(1.2:3): a3=0x0 bare words items=1",
            "type=X msg=audit(1.2:3): bare words items=1",
            // Lenient spacing, AVC, free text, empty and odd endings.
            "type=X msg=audit(1.2:3): username= anu ipaddress =127.0.0.1",
            "type=AVC msg=audit(1.2:3): avc:  denied  { read } for  pid=3 tclass=file",
            "type=SYSCALL msg=audit(1.2:3): a3=0 avc:  denied  { read } for pid=3",
            "type=X msg=audit(1.2:3): REJECTING r access to /bin/x",
            "type=X msg=audit(1.2:3): ",
            "type=SYSCALL msg=audit(1.2:3): a3=0",
            "type=SYSCALL msg=audit(1.2:3): a3=0 ",
            "type=X msg=audit(1.2:3): x=\"open",
            "type=X msg=audit(1.2:3): msg='",
        ];
        for mode in [Mode::Strict, Mode::Lenient, Mode::Interpreted] {
            assert!(check(&lines, mode) > 0, "{mode:?}: nothing recalled");
        }
    }

    #[test]
    fn bodies_that_open_with_words_are_recalled_into_an_empty_list() {
        let line = "type=USER_AVC msg=audit(1.2:3): user pid=1 uid=81 msg='avc:  denied  { send_msg } for scontext=a:b:c:s0 tclass=dbus : exe=\"/bin/d\" (sauid=81, hostname=?)'";
        for mode in [Mode::Strict, Mode::Lenient, Mode::Interpreted] {
            let start = hits();
            for _ in 0..3 {
                let mut got = Vec::new();
                scan_body(line.as_bytes(), body_of(line), mode, Pause::Never, &mut got);
                assert!(got.len() > 3, "{mode:?}: {got:?}");
            }
            assert_eq!(
                hits() - start,
                2,
                "{mode:?}: a repeated body was scanned again"
            );
        }
    }

    #[test]
    fn long_tails_and_many_fields_are_scanned() {
        let many: String = (0..MAX_FIELDS + 2).map(|i| format!(" f{i}=1")).collect();
        let long = format!("type=X msg=audit(1.2:3): v={}", "A".repeat(MAX_KEY));
        let lines = [format!("type=X msg=audit(1.2:3):{many}"), long];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(check(&lines, Mode::Strict), 0);
    }
}
