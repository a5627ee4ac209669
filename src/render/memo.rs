//! Remembered renderings of the stable end of records.
//!
//! Busy logs repeat themselves. One daemon makes the same calls over and
//! over, and its SYSCALL records differ only in their first fields (the
//! arguments, the exit code): from `items=` on, the ids, `comm`, `exe` and
//! `key` are the same bytes, record after record. PROCTITLE and many PATH
//! records repeat whole. Rendering such a tail depends on nothing but its
//! bytes, the record's type and form, and the run's settings, so each
//! renderer writes it once and copies it afterwards.
//!
//! A record has a tail worth remembering (`stable_tail`) when:
//! - none of its fields reads another: no enrichment section, and not an
//!   EXECVE record (whose split arguments are joined);
//! - the tail starts after its last field whose meaning depends on the
//!   others (`interpret::reads_context`), at the first name written in the
//!   line, at a field of the record itself.
//!
//! The text renderer moves the tail of a record without a head further
//! on, past its last process id or inode number (`settled`): an AVC's
//! contexts and class repeat when its `pid=` and `ino=` do not.
//!
//! A SYSCALL-like record also has a head (`stable_head`): the fields before
//! `a0`, which read nothing but the arch and `a0`, so its key runs to the
//! end of `a0`'s value.
//!
//! A tail is stored only when its bytes show it is self-contained
//! (`self_contained`): no name in it reads the context, and no `=` has a
//! space beside it, where the scanner's strict and lenient modes could cut
//! fields differently (`reads_alike`, the check for heads). A later record
//! matches only with the same bytes, so the check made at storing holds for
//! it too. A part is stored the second time it misses in its slot, so
//! records seen once cost no copy.
//!
//! An event of one record on a plain auditd line (a USER_AVC that a daemon
//! logs again and again) goes further (`whole_body`): its body, with its
//! type, decides all of its text but the times, serials and line number,
//! so the text renderer keeps the event's sentence and the record's lines
//! too, and works the summary out only when they are not kept.
//!
//! The tables are small and direct-mapped, with size caps on what they keep,
//! so their memory stays bounded whatever the input.

use std::cell::RefCell;
use std::sync::LazyLock;

use memchr::memmem;

use crate::event::Event;
use crate::interpret::{self, Context};
use crate::record::{Form, Name, Origin, Record};

/// Where a record's remembered tail starts.
#[derive(Clone, Copy, Debug)]
pub struct Tail {
    /// Index of the first field of the tail.
    pub index: usize,
    /// Offset in the line where the tail's bytes start (its first name).
    pub start: usize,
}

/// The tail of `rec` that may be remembered, if it has one. `ctx` must be
/// the record's own (`Context::of`), which knows where the tail can start.
pub fn stable_tail(rec: &Record, ctx: &Context) -> Option<Tail> {
    if !interpret::fields_read_alone(rec, ctx) {
        return None;
    }
    // Names the scanner supplied (an AVC's `seresult` and `seperms`) stand for
    // text before the fields; the tail starts at the first written name.
    let index = (ctx.reads_until..rec.fields.len())
        .find(|&i| matches!(rec.fields[i].name, Name::Text(_)))?;
    let first = rec.fields.get(index)?;
    match first.name {
        Name::Text(span) if first.origin == Origin::Outer => Some(Tail {
            index,
            start: span.start as usize,
        }),
        _ => None,
    }
}

/// True for names whose values seldom repeat from one record to the next:
/// process ids and inode numbers.
fn changes_often(name: &[u8]) -> bool {
    matches!(name, b"pid" | b"ppid" | b"ino" | b"inode")
}

/// `tail` moved past its last field whose value seldom repeats
/// (`changes_often`, an AVC's `pid=` and `ino=`), so that what is left
/// comes again record after record; `tail` itself when no such field
/// comes before a field of the record's own, named in the line. The moved
/// tail holds fewer fields of the same record, each as safe to remember.
pub fn settled(rec: &Record, tail: Tail) -> Tail {
    let rest = rec.fields.get(tail.index..).unwrap_or_default();
    let Some(last) = rest.iter().rposition(|f| {
        // Lengths first: most names are not three to five bytes long.
        let Name::Text(span) = f.name else {
            return false;
        };
        matches!(span.end.wrapping_sub(span.start), 3..=5)
            && f.origin == Origin::Outer
            && changes_often(rec.bytes(span))
    }) else {
        return tail;
    };
    let index = tail.index + last + 1;
    match rec.fields.get(index) {
        Some(f) if f.origin == Origin::Outer => match f.name {
            Name::Text(span) if span.start as usize >= tail.start => Tail {
                index,
                start: span.start as usize,
            },
            _ => tail,
        },
        _ => tail,
    }
}

/// The bytes a tail is matched by: from its first name to the end of the line.
pub fn key_of(rec: &Record, tail: Tail) -> &[u8] {
    rec.line.get(tail.start..).unwrap_or_default()
}

/// True when the tail's bytes alone decide how it is read and shown: no name
/// in it reads other fields, and it reads the same in every scan mode.
///
/// A name ends with a context name (`ends_with_context_name`) just where
/// the key holds that name and its `=`, so a search for each settles it.
pub fn self_contained(key: &[u8]) -> bool {
    CONTEXT_NAMES.iter().all(|name| name.find(key).is_none()) && reads_alike(key)
}

/// Searchers for each context name with its `=`, built once.
static CONTEXT_NAMES: LazyLock<[memmem::Finder<'static>; 5]> = LazyLock::new(|| {
    let names: [&[u8]; 5] = [b"syscall=", b"a0=", b"a1=", b"a2=", b"a3="];
    names.map(memmem::Finder::new)
});

/// True when the scanner's strict and lenient modes cut `key` alike: no `=`
/// has a space or tab beside it. Nor is there an enrichment section.
///
/// Tabs and the enrichment separator are rare, so one quick search for
/// either settles most keys, which are then searched for `" ="` and `"= "`
/// (two passes over the key, each faster than stopping at every `=`).
pub fn reads_alike(key: &[u8]) -> bool {
    if memchr::memchr2(b'\t', 0x1d, key).is_some() {
        return reads_alike_at_each_equals(key);
    }
    SPACE_BEFORE_EQUALS.find(key).is_none() && SPACE_AFTER_EQUALS.find(key).is_none()
}

/// Searchers for an `=` with a space before or after it, built once:
/// building one per key would cost more than the search.
static SPACE_BEFORE_EQUALS: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b" ="));
static SPACE_AFTER_EQUALS: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b"= "));

/// `reads_alike`, by looking beside each `=` of the key: the general way,
/// for keys with a tab or an enrichment section.
fn reads_alike_at_each_equals(key: &[u8]) -> bool {
    let blank = |b: Option<&u8>| matches!(b, Some(b' ' | b'\t'));
    memchr::memchr_iter(b'=', key)
        .all(|eq| !blank(key.get(eq.wrapping_sub(1))) && !blank(key.get(eq + 1)))
        && memchr::memchr(0x1d, key).is_none()
}

/// The first fields of a SYSCALL-like record, before its first argument
/// (`arch syscall success exit`): they read no field but the arch and `a0`
/// (for the calls that `a0` picks), so with those in the key their rendering
/// repeats whenever the bytes do.
#[derive(Clone, Copy, Debug)]
pub struct Head {
    /// Index of the first field after the head (`a0`).
    pub index: usize,
    start: usize,
    end: usize,
}

impl Head {
    /// The head grown to end before field `index` (a tail's first), when the
    /// fields between are the record's own, named in the line, and after the
    /// head's start. Every field that reads another comes before a tail, so
    /// the grown key holds all that its fields read.
    pub fn through(self, rec: &Record, index: usize) -> Option<Head> {
        let more = rec
            .fields
            .get(self.index..index)
            .filter(|m| !m.is_empty())?;
        let mut end = self.end;
        for f in more {
            match f.name {
                Name::Text(span)
                    if f.origin == Origin::Outer && span.start as usize >= self.start =>
                {
                    end = end.max(f.value.end as usize);
                }
                _ => return None,
            }
        }
        Some(Head {
            index,
            start: self.start,
            end,
        })
    }
}

/// The head of `rec` that may be remembered, if it has one: the fields
/// before an `a0`, all of the record's own, none of them an argument, with
/// the record's arch and syscall among them (or absent from the record).
pub fn stable_head(rec: &Record, ctx: &Context) -> Option<Head> {
    if !interpret::fields_read_alone(rec, ctx) {
        return None;
    }
    let first = rec.fields.first()?;
    let Name::Text(first_name) = first.name else {
        return None;
    };
    let mut index = None;
    for (i, f) in rec.fields.iter().enumerate() {
        if f.origin != Origin::Outer || !matches!(f.name, Name::Text(_)) {
            return None;
        }
        let name = rec.name_of(f);
        if name == b"a0" {
            index = Some(i);
            break;
        }
        if interpret::reads_context(name) && name != b"syscall" {
            return None;
        }
    }
    let index = index.filter(|&i| i > 0)?;
    let a0 = rec.fields.get(index)?;
    let end = a0.value.end as usize;
    let inside = |v: Option<&[u8]>| {
        v.is_none_or(|v| (v.as_ptr() as usize).wrapping_sub(rec.line.as_ptr() as usize) < end)
    };
    (inside(ctx.arch) && inside(ctx.syscall)).then_some(Head {
        index,
        start: first_name.start as usize,
        end,
    })
}

/// The body of a record whose whole rendering it decides, with the record's
/// type and form (`tag`) and the run's settings: the record is alone on an
/// auditd line that starts with its type, written as the type table names it,
/// and has no node; so the only other bytes of the line are its header's
/// time and serial, which a caller writes afresh. The scan of a body does
/// not depend on what comes before it, as long as the scanner's modes read
/// it alike, which the table checks before keeping anything (`reads_alike`).
pub fn whole_body(rec: &Record) -> Option<&[u8]> {
    let info = rec.info?;
    let alone = rec.form == Form::Auditd
        && rec.part == (0, 1)
        && rec.node.is_none()
        && rec.time.is_some()
        && rec.type_text.start == 5
        && rec.line.starts_with(b"type=")
        && rec.bytes(rec.type_text) == info.name.as_bytes()
        && rec.text.end as usize == rec.line.len();
    if alone {
        rec.line.get(rec.body as usize..)
    } else {
        None
    }
}

/// The record of an event of one record whose body decides all but its
/// times and serials (`whole_body`), and that body.
pub fn alone(ev: &Event) -> Option<(&Record, &[u8])> {
    let [rec] = ev.records.as_slice() else {
        return None;
    };
    Some((rec, whole_body(rec)?))
}

/// How the fields of a record before its tail (at `split`) may be remembered.
pub enum Prefix {
    /// Not at all: they are written one by one.
    Fields,
    /// By their head, the fields after it written one by one.
    Head(Head),
    /// All together by the head `long` grown through them, or else as `Head`.
    Grown { head: Head, long: Head },
}

/// The way the fields before `split` may be remembered (`Prefix`).
pub fn prefix_of(rec: &Record, ctx: &Context, split: usize) -> Prefix {
    let Some(head) = stable_head(rec, ctx).filter(|h| h.index <= split) else {
        return Prefix::Fields;
    };
    match head.through(rec, split) {
        Some(long) => Prefix::Grown { head, long },
        None => Prefix::Head(head),
    }
}

/// The bytes a head is matched by: from the first name to the end of `a0`'s value.
pub fn head_key(rec: &Record, head: Head) -> &[u8] {
    rec.line.get(head.start..head.end).unwrap_or_default()
}

/// What part of a record a table entry holds; each is checked its own way
/// before it is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Head,
    Tail,
    /// One field, keyed by its bytes from name to value, with its name's
    /// and value's lengths, quoting and origin as extra words. Kept unchecked:
    /// the caller offers only fields whose name reads no other field.
    Field,
    /// What a record alone in its event decides of the event's text around
    /// the where line (`whole_body`): the rest of the event's header line,
    /// the sentence and the record's type line, then the record's lines
    /// after its where line.
    EventOpening,
    /// The type line of a record alone on its line, then its lines after its
    /// where line.
    RecordType,
    /// Such an event's `--summary` line after its time.
    SummaryLine,
    /// JSON: the `"fields"` object of a record alone on its line.
    RecordFields,
    /// JSON `--events`: the summary's members of an event of one such record.
    EventSummary,
}

/// A context name (`interpret::reads_context`) at the end of `before`,
/// whatever byte precedes it: stricter than the scanner, so no spelling of a
/// name slips through. `self_contained` searches for the same names;
/// this spelling of the rule checks it in the tests.
#[cfg(test)]
fn ends_with_context_name(before: &[u8]) -> bool {
    before.ends_with(b"syscall") || matches!(before.last_chunk::<2>(), Some([b'a', b'0'..=b'3']))
}

/// What a renderer's output is kept in.
pub trait Buffer: Default {
    /// How many bytes it holds.
    fn size(&self) -> usize;
    /// Appends `stored`, a piece this renderer wrote before.
    fn append(&mut self, stored: &Self);
    /// The part from `start` on, as a new buffer.
    fn copy_from(&self, start: usize, into: &mut Self);
}

impl Buffer for String {
    fn size(&self) -> usize {
        self.len()
    }
    fn append(&mut self, stored: &String) {
        self.push_str(stored);
    }
    fn copy_from(&self, start: usize, into: &mut String) {
        into.clear();
        into.push_str(self.get(start..).unwrap_or_default());
    }
}

impl Buffer for Vec<u8> {
    fn size(&self) -> usize {
        self.len()
    }
    fn append(&mut self, stored: &Vec<u8>) {
        self.extend_from_slice(stored);
    }
    fn copy_from(&self, start: usize, into: &mut Vec<u8>) {
        into.clear();
        into.extend_from_slice(self.get(start..).unwrap_or_default());
    }
}

/// Slots in a table (as a power of two): enough for the processes that take
/// turns in a busy log.
const SLOT_BITS: u32 = 7;
/// Longest tail kept, and longest rendering: beyond these, rendering is cheap
/// next to the record's size, and memory stays bounded (under 2 MiB a table).
const MAX_KEY: usize = 2048;
const MAX_OUTPUT: usize = 8192;

/// How big a table is and what it keeps.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Slots, as a power of two.
    pub slot_bits: u32,
    /// Longest key kept.
    pub max_key: usize,
    /// Longest rendering kept.
    pub max_output: usize,
}

/// The text renderer's table of heads and tails, twice the others' size:
/// it holds both the heads and the tails of the SYSCALL records of many
/// processes, which would otherwise push each other out.
const TEXT_LIMITS: Limits = Limits {
    slot_bits: SLOT_BITS + 1,
    ..RECORD_LIMITS
};

/// The tables of record heads and tails.
const RECORD_LIMITS: Limits = Limits {
    slot_bits: SLOT_BITS,
    max_key: MAX_KEY,
    max_output: MAX_OUTPUT,
};

#[derive(Default)]
struct Slot<B> {
    tag: u64,
    hash: u64,
    key: Vec<u8>,
    output: B,
    /// Whatever else the renderer keeps with the tail (JSON: its names' filter).
    extra: [u64; 4],
    /// The hash of the last part that missed here and was not kept: a part
    /// is kept the second time it is seen, so parts seen once cost no copy.
    candidate: u64,
}

/// A direct-mapped table of tails and their renderings.
pub struct Memo<B> {
    slots: Vec<Slot<B>>,
    limits: Limits,
    /// How each kind of part has fared lately (`Fare`), by a hash of its tag.
    fares: [Fare; FARES],
}

impl<B: Buffer> Default for Memo<B> {
    fn default() -> Self {
        Memo::new(RECORD_LIMITS)
    }
}

/// Kinds of parts whose fortunes are followed, as a power of two: a kind is
/// a part of one record type for one renderer.
const FARE_BITS: u32 = 8;
const FARES: usize = 1 << FARE_BITS;
/// Looks in a window, and the hits a window needs for the next one to be looked for.
const FARE_WINDOW: u16 = 64;
const FARE_MIN_HITS: u16 = 1;
/// Parts not looked for after a window with too few hits.
const FARE_PAUSE: u16 = 512;

/// How one kind of long part fared in the table. A miss costs the key's
/// hash and, the second time, a copy of the key and the rendering; parts
/// that never come again (an AVC's tail, with its pid and inode) pay that
/// every time for nothing. So a kind that hits fewer than `FARE_MIN_HITS`
/// times in a window of `FARE_WINDOW` looks is not looked for during the
/// next `FARE_PAUSE` chances, and then gets a new window. Only the cost
/// changes: a part not looked for is rendered afresh, as on a miss. Heads
/// and single fields are short, cheap to miss, and always looked for; the
/// text renderer's parts too, as it keeps fewer of them.
#[derive(Clone, Copy, Debug, Default)]
struct Fare {
    looks: u16,
    hits: u16,
    pause: u16,
}

impl Fare {
    /// True when the table should be looked in this time.
    fn worth_a_look(&mut self) -> bool {
        if self.pause == 0 {
            return true;
        }
        self.pause -= 1;
        false
    }

    /// Counts one look and whether it hit; closes the window when it is full.
    fn note(&mut self, hit: bool) {
        self.looks += 1;
        self.hits += u16::from(hit);
        if self.looks >= FARE_WINDOW {
            if self.hits < FARE_MIN_HITS {
                self.pause = FARE_PAUSE;
            }
            self.looks = 0;
            self.hits = 0;
        }
    }
}

/// The tag of a part as probed: the renderer's tag with the part in its top bits.
fn full_tag(part: Part, tag: u64) -> u64 {
    tag | (part as u64) << 60
}

/// Where a tag's `Fare` is kept.
fn fare_index(full_tag: u64) -> usize {
    (full_tag.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - FARE_BITS)) as usize
}

/// Where a tail belongs in the table, and whether it is there.
#[derive(Clone, Copy, Debug)]
pub struct Probe {
    slot: usize,
    hash: u64,
    tag: u64,
    part: Part,
    pub hit: bool,
}

impl<B: Buffer> Memo<B> {
    /// An empty table of the given size.
    pub fn new(limits: Limits) -> Self {
        Memo {
            slots: (0..1usize << limits.slot_bits)
                .map(|_| Slot::default())
                .collect(),
            limits,
            fares: [Fare::default(); FARES],
        }
    }

    /// `probe`, when parts of this kind have been hitting lately (`Fare`);
    /// `None` when they are not worth the look this time.
    pub fn look(&mut self, part: Part, tag: u64, key: &[u8]) -> Option<Probe> {
        if matches!(part, Part::Head | Part::Field) {
            return Some(self.probe(part, tag, key));
        }
        let index = fare_index(full_tag(part, tag));
        if !self.fares.get_mut(index)?.worth_a_look() {
            return None;
        }
        let probe = self.probe(part, tag, key);
        if let Some(fare) = self.fares.get_mut(index) {
            fare.note(probe.hit);
        }
        Some(probe)
    }

    /// Looks `key` up, a head or tail of a record, for the renderer and
    /// record described by `tag`.
    #[inline(always)]
    pub fn probe(&self, part: Part, tag: u64, key: &[u8]) -> Probe {
        let tag = full_tag(part, tag);
        let hash = hash(tag, key);
        let slot = (hash >> (64 - self.limits.slot_bits)) as usize;
        let hit = self
            .slots
            .get(slot)
            .is_some_and(|s| s.hash == hash && s.tag == tag && s.key == key);
        Probe {
            slot,
            hash,
            tag,
            part,
            hit,
        }
    }

    /// True when a part that missed should be kept: the second time in a row
    /// it misses in its slot. Parts seen once then cost no copy.
    pub fn admit(&mut self, p: Probe) -> bool {
        let Some(s) = self.slots.get_mut(p.slot) else {
            return false;
        };
        let again = s.candidate == p.hash;
        s.candidate = if again { 0 } else { p.hash };
        again
    }

    /// Appends the stored rendering of `key` to `out` when there is one
    /// (and returns true); otherwise has `render` write it, and keeps it when
    /// `admit` says so.
    pub fn write(
        &mut self,
        part: Part,
        tag: u64,
        key: &[u8],
        out: &mut B,
        render: impl FnOnce(&mut B),
    ) -> bool {
        self.write_with(part, (tag, [0; 4]), key, out, render)
    }

    /// `write`, where a stored rendering counts only when it was kept with
    /// the same `extra` words (facts the key's bytes leave open).
    pub fn write_with(
        &mut self,
        part: Part,
        (tag, extra): (u64, [u64; 4]),
        key: &[u8],
        out: &mut B,
        render: impl FnOnce(&mut B),
    ) -> bool {
        let probe = self.probe(part, tag, key);
        self.write_probed(probe, key, extra, out, render)
    }

    /// `write` for a long part whose kind is looked for only while it pays
    /// (`look`).
    pub fn write_paying(
        &mut self,
        part: Part,
        tag: u64,
        key: &[u8],
        out: &mut B,
        render: impl FnOnce(&mut B),
    ) -> bool {
        match self.look(part, tag, key) {
            Some(probe) => self.write_probed(probe, key, [0; 4], out, render),
            None => {
                render(out);
                false
            }
        }
    }

    /// The rest of `write_with`, once `key` was looked up.
    fn write_probed(
        &mut self,
        probe: Probe,
        key: &[u8],
        extra: [u64; 4],
        out: &mut B,
        render: impl FnOnce(&mut B),
    ) -> bool {
        if let Some((stored, kept)) = self.stored(probe)
            && *kept == extra
        {
            out.append(stored);
            return true;
        }
        let start = out.size();
        render(out);
        if self.admit(probe) {
            self.store(probe, key, out, start, extra);
        }
        false
    }

    /// The stored rendering and extra words of a hit.
    pub fn stored(&self, p: Probe) -> Option<(&B, &[u64; 4])> {
        let s = self.slots.get(p.slot).filter(|_| p.hit)?;
        Some((&s.output, &s.extra))
    }

    /// Keeps what `out` holds from `start` on as the rendering of `key`,
    /// unless either is too long or the bytes do not decide the rendering.
    pub fn store(&mut self, p: Probe, key: &[u8], out: &B, start: usize, extra: [u64; 4]) {
        let size = out.size().saturating_sub(start);
        if let Some(s) = self.slot_to_fill(p, key, size, extra) {
            out.copy_from(start, &mut s.output);
        }
    }

    /// The slot of `p`, made to hold `key` and `extra`, for a rendering of
    /// `size` bytes that the caller then writes into its output; `None`,
    /// with nothing changed, when either is too long or the bytes do not
    /// decide the rendering.
    fn slot_to_fill(
        &mut self,
        p: Probe,
        key: &[u8],
        size: usize,
        extra: [u64; 4],
    ) -> Option<&mut Slot<B>> {
        if key.len() > self.limits.max_key || size > self.limits.max_output {
            return None;
        }
        let decided = match p.part {
            Part::Tail => self_contained(key),
            Part::Head
            | Part::EventOpening
            | Part::RecordType
            | Part::SummaryLine
            | Part::RecordFields
            | Part::EventSummary => reads_alike(key),
            // The caller's extra words fix how the key is cut, and it offers
            // no field whose name reads the context.
            Part::Field => true,
        };
        if !decided {
            return None;
        }
        let s = self.slots.get_mut(p.slot)?;
        s.tag = p.tag;
        s.hash = p.hash;
        s.key.clear();
        s.key.extend_from_slice(key);
        s.extra = extra;
        Some(s)
    }
}

impl Memo<String> {
    /// Writes three pieces of text with `parts`, of which the first and the
    /// last are remembered together by `key` and the middle one (a line with
    /// times and serials) is always written afresh: one look in the table
    /// for both remembered pieces.
    pub fn write_around(
        &mut self,
        part: Part,
        tag: u64,
        key: &[u8],
        out: &mut String,
        (first, middle, last): (
            impl FnOnce(&mut String),
            impl FnOnce(&mut String),
            impl FnOnce(&mut String),
        ),
    ) {
        let probe = self.probe(part, tag, key);
        if let Some((stored, &[cut, ..])) = self.stored(probe)
            && let (Some(before), Some(after)) =
                (stored.get(..cut as usize), stored.get(cut as usize..))
        {
            out.push_str(before);
            middle(out);
            out.push_str(after);
            return;
        }
        let start = out.len();
        first(out);
        let first_end = out.len();
        middle(out);
        let middle_end = out.len();
        last(out);
        if self.admit(probe) {
            // The first and last pieces go straight into the slot, joined.
            let first = out.get(start..first_end).unwrap_or_default();
            let last = out.get(middle_end..).unwrap_or_default();
            let cut = first.len() as u64;
            let size = first.len() + last.len();
            if let Some(s) = self.slot_to_fill(probe, key, size, [cut, 0, 0, 0]) {
                s.output.clear();
                s.output.push_str(first);
                s.output.push_str(last);
            }
        }
    }
}

/// The tag of a record's tail for one renderer: the renderer and its
/// settings (`variant`), the record's type and form, in bits 0 to 47 (the
/// top four hold the part).
pub fn tag(variant: u8, rec: &Record) -> u64 {
    let form = rec.form as u64;
    let number = rec.type_number.map_or(u64::from(u32::MAX), u64::from);
    u64::from(variant) | form << 8 | number << 16
}

/// A fast hash of the tag and the key, eight bytes at a time: the key's
/// whole words, then what is left of it as a word padded with zeros
/// (`end_word`). Collisions cost only a miss: a hit needs the same key.
fn hash(tag: u64, key: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mix = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let mut h = (tag ^ key.len() as u64).wrapping_mul(K);
    let mut words = key.chunks_exact(8);
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        h = mix(h, u64::from_le_bytes(b));
    }
    mix(h, end_word(key))
}

/// The bytes of `key` after its last whole word, as a little-endian word
/// padded with zeros, read with one or two fixed-size loads instead of a
/// copy of a length known only at run time: the last eight bytes of the
/// key shifted down past those already read; in a key of four to seven
/// bytes, its first four and its last four, overlapping; in a shorter one,
/// its first, middle and last byte, cut to its length.
#[inline(always)]
fn end_word(key: &[u8]) -> u64 {
    let left = key.len() % 8;
    if left == 0 {
        return 0;
    }
    // The bits of the word past the key's end.
    let past = 8 * (8 - left) as u32;
    if let Some(last) = key.last_chunk::<8>() {
        return u64::from_le_bytes(*last) >> past;
    }
    if let (Some(first), Some(last)) = (key.first_chunk::<4>(), key.last_chunk::<4>()) {
        let low = u64::from(u32::from_le_bytes(*first));
        return low | (u64::from(u32::from_le_bytes(*last)) >> past) << 32;
    }
    let byte = |i: usize| key.get(i).map_or(0, |&b| u64::from(b));
    (byte(0) | byte(left / 2) << 8 | byte(left - 1) << 16) & (u64::MAX >> past)
}

thread_local! {
    /// The text renderer's table.
    pub static TEXT: RefCell<Memo<String>> = RefCell::new(Memo::new(TEXT_LIMITS));
    /// The byte renderers' table (JSON, the interpreted layout).
    pub static BYTES: RefCell<Memo<Vec<u8>>> = RefCell::new(Memo::default());
    /// The text renderer's table of events of one record (`whole_body`),
    /// apart from `TEXT`, which the record's own rendering uses meanwhile.
    pub static TEXT_EVENTS: RefCell<Memo<String>> = RefCell::new(Memo::default());
    /// The text renderer's table of whole SYSCALL records (`whole_body`),
    /// apart from `TEXT_EVENTS`, so that a busy process's calls do not push
    /// out the records and events kept there.
    pub static TEXT_SYSCALLS: RefCell<Memo<String>> = RefCell::new(Memo::default());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpret::Context;
    use crate::render::{Format, Settings, View, interpreted, json, text};
    use crate::timefmt::Clock;

    use crate::parse::first_record as parse;

    fn settings(format: Format) -> Settings {
        Settings {
            format,
            color: false,
            clock: Clock::new(true),
            explain_fields: false,
            view: View::Records,
            names: None,
            short_year: true,
        }
    }

    /// Every format's rendering of `rec`.
    fn all_formats(rec: &Record) -> (String, Vec<u8>, Vec<u8>) {
        let mut t = String::new();
        text::record(&mut t, rec, &settings(Format::Text), "");
        let mut j = Vec::new();
        json::record(&mut j, rec);
        let mut i = Vec::new();
        let mut st = interpreted::State::default();
        let s = settings(Format::Interpreted);
        interpreted::record(&mut i, rec, &Context::of(rec), &s, &mut st);
        (t, j, i)
    }

    /// `all_formats` on a thread of its own, whose tables start empty.
    fn fresh(line: &'static str) -> (String, Vec<u8>, Vec<u8>) {
        std::thread::spawn(move || all_formats(&parse(line)))
            .join()
            .expect("rendering thread")
    }

    const FIRST: &str = "type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=2 a0=1 a1=0 items=1 uid=0 pid=7 comm=\"cat\"";
    const SAME_TAIL: &str = "type=SYSCALL msg=audit(2.000:2): arch=c000003e syscall=59 a0=5 a1=2 items=1 uid=0 pid=7 comm=\"cat\"";
    const NAME_BEFORE: &str = "type=SYSCALL msg=audit(3.000:3): uid=9 arch=c000003e syscall=2 a0=1 a1=0 items=1 uid=0 pid=7 comm=\"cat\"";

    #[test]
    fn a_remembered_tail_renders_as_a_fresh_one() {
        let first = parse(FIRST);
        // A tail is kept the second time it misses.
        all_formats(&first);
        all_formats(&first);
        let rec = parse(SAME_TAIL);
        let tail = stable_tail(&rec, &Context::of(&rec)).expect("a stable tail");
        assert_eq!(key_of(&rec, tail), b"items=1 uid=0 pid=7 comm=\"cat\"");
        let probe = TEXT.with_borrow(|t| t.probe(Part::Tail, tag(1, &rec), key_of(&rec, tail)));
        assert!(probe.hit, "the first record's tail was kept");
        assert_eq!(all_formats(&rec), fresh(SAME_TAIL));
    }

    #[test]
    fn a_head_is_remembered_only_with_the_facts_it_reads() {
        let later_arch =
            parse("type=SYSCALL msg=audit(4.000:4): syscall=2 a0=1 items=0 arch=40000003");
        assert!(stable_head(&later_arch, &Context::of(&later_arch)).is_none());
        let rec = parse(FIRST);
        let head = stable_head(&rec, &Context::of(&rec)).expect("a head");
        assert_eq!(head_key(&rec, head), b"arch=c000003e syscall=2 a0=1");
        all_formats(&rec);
        all_formats(&rec);
        const SAME_HEAD: &str = "type=SYSCALL msg=audit(5.000:5): arch=c000003e syscall=2 a0=1 a1=9 items=2 uid=5 arch=0 comm=\"vi\"";
        assert_eq!(all_formats(&parse(SAME_HEAD)), fresh(SAME_HEAD));
    }

    #[test]
    fn a_head_grows_through_the_arguments_to_the_tail() {
        let rec = parse(
            "type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=2 a0=1 a1=0 a2=3 a3=4 items=1 uid=0",
        );
        let ctx = Context::of(&rec);
        let tail = stable_tail(&rec, &ctx).expect("a tail");
        let head = stable_head(&rec, &ctx).expect("a head");
        let long = head.through(&rec, tail.index).expect("a grown head");
        assert_eq!(
            head_key(&rec, long),
            b"arch=c000003e syscall=2 a0=1 a1=0 a2=3 a3=4"
        );
        assert!(
            head.through(&rec, head.index).is_none(),
            "nothing to grow by"
        );
    }

    #[test]
    fn a_grown_head_renders_as_a_fresh_one() {
        const REPEAT: &str = "type=SYSCALL msg=audit(6.000:6): arch=c000003e syscall=257 success=no exit=-2 a0=ffffff9c a1=7ffd a2=80000 a3=0 items=1 uid=0 comm=\"x\"";
        const OTHER_TAIL: &str = "type=SYSCALL msg=audit(7.000:7): arch=c000003e syscall=257 success=no exit=-2 a0=ffffff9c a1=7ffd a2=80000 a3=0 items=2 uid=5 comm=\"y\"";
        all_formats(&parse(REPEAT));
        all_formats(&parse(REPEAT));
        assert_eq!(all_formats(&parse(REPEAT)), fresh(REPEAT));
        assert_eq!(all_formats(&parse(OTHER_TAIL)), fresh(OTHER_TAIL));
    }

    #[test]
    fn json_numbers_a_name_the_head_already_used() {
        all_formats(&parse(FIRST));
        all_formats(&parse(FIRST));
        let rec = parse(NAME_BEFORE);
        let tail = stable_tail(&rec, &Context::of(&rec)).expect("a stable tail");
        // 2: the JSON renderer's variant, without local names.
        let probe = BYTES.with_borrow(|t| t.probe(Part::Tail, tag(2, &rec), key_of(&rec, tail)));
        assert!(probe.hit, "the tail is in the table, but its names clash");
        let (_, j, _) = all_formats(&rec);
        let j = String::from_utf8(j).expect("JSON is UTF-8");
        assert!(j.contains("\"uid#2\":{\"raw\":\"0\""), "{j}");
        assert_eq!(all_formats(&parse(NAME_BEFORE)), fresh(NAME_BEFORE));
    }

    #[test]
    fn only_self_contained_tails_are_kept() {
        assert!(self_contained(b"items=1 uid=0 comm=\"a b\""));
        for bad in [
            &b"uid=0 a0=1"[..],
            b"x=1 syscall=2",
            b"msg='a3=1'",
            b"uid =0",
            b"uid= 0",
            b"uid=0\x1dUID=\"root\"",
        ] {
            assert!(!self_contained(bad), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn the_quick_blank_check_agrees_with_the_general_one() {
        let keys: [&[u8]; 16] = [
            b"",
            b"=",
            b" =",
            b"= ",
            b"uid=0 gid=0",
            b"uid =0",
            b"uid= 0",
            b"uid=\t0",
            b"uid\t=0",
            b"a\tb=c",
            b"uid=0\x1dUID=\"root\"",
            b"msg='op=login acct=\"a b\" res=success'",
            b"x=1 y=2 z=3 ==  ",
            b"name=\"a = b\"",
            b"k=v\xff\xfe=\x00 k2=v2",
            b"proctitle=2F62696E2F7368002D63 key=(null) a=b c=d e=f g=h",
        ];
        let mut alike = 0;
        for key in keys {
            assert_eq!(
                reads_alike(key),
                reads_alike_at_each_equals(key),
                "{}",
                String::from_utf8_lossy(key)
            );
            alike += usize::from(reads_alike(key));
        }
        assert_eq!(alike, 7);
    }

    #[test]
    fn context_names_are_found_as_at_each_equals() {
        let keys: [&[u8]; 9] = [
            b"items=1 uid=0",
            b"xa0=1",
            b"a4=1 ba3=2",
            b"nosyscall=3",
            b"syscall =3",
            b"a0 =1",
            b"aa1",
            b"sa3=",
            b"",
        ];
        for key in keys {
            let each = memchr::memchr_iter(b'=', key).any(|eq| ends_with_context_name(&key[..eq]));
            let found = CONTEXT_NAMES.iter().any(|name| name.find(key).is_some());
            assert_eq!(found, each, "{}", String::from_utf8_lossy(key));
        }
    }

    #[test]
    fn records_that_read_each_other_have_no_tail() {
        let execve = parse("type=EXECVE msg=audit(1.000:1): argc=2 a0=\"ls\" a1=\"-l\"");
        assert!(stable_tail(&execve, &Context::of(&execve)).is_none());
        let enriched =
            parse("type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=2 uid=0\x1dUID=\"root\"");
        assert!(stable_tail(&enriched, &Context::of(&enriched)).is_none());
    }

    #[test]
    fn a_kind_that_never_hits_is_paused_then_looked_for_again() {
        let mut table: Memo<Vec<u8>> = Memo::default();
        // Tails that are never the same: after a window without a hit, the
        // next `FARE_PAUSE` are not looked for.
        let mut looked = 0;
        for i in 0..usize::from(FARE_WINDOW + FARE_PAUSE) {
            let key = format!("pid={i}");
            looked += usize::from(table.look(Part::Tail, 1, key.as_bytes()).is_some());
        }
        assert_eq!(looked, usize::from(FARE_WINDOW));
        assert!(
            table.look(Part::Tail, 1, b"pid=x").is_some(),
            "a new window"
        );
        // Another kind, and the short parts, are looked for meanwhile.
        let mut fresh: Memo<Vec<u8>> = Memo::default();
        for i in 0..usize::from(FARE_WINDOW) {
            fresh.look(Part::Tail, 1, format!("pid={i}").as_bytes());
        }
        assert!(fresh.look(Part::Tail, 2, b"pid=0").is_some());
        assert!(fresh.look(Part::Field, 1, b"pid=0").is_some());
        assert!(fresh.look(Part::Head, 1, b"pid=0").is_some());
    }

    #[test]
    fn a_kind_that_hits_is_always_looked_for() {
        let mut table: Memo<Vec<u8>> = Memo::default();
        let mut out = Vec::new();
        for _ in 0..usize::from(FARE_WINDOW) * 4 {
            table.write_paying(Part::Tail, 1, b"uid=0", &mut out, |o| o.push(b'x'));
            assert!(table.look(Part::Tail, 1, b"uid=0").is_some());
        }
        assert!(table.look(Part::Tail, 1, b"uid=0").is_some_and(|p| p.hit));
    }

    /// `hash` by its definition: the key padded with zeros to the next whole
    /// word past its end, mixed a word at a time. The loads of `end_word`
    /// must give the same values.
    fn hash_by_copy(tag: u64, key: &[u8]) -> u64 {
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut padded = key.to_vec();
        padded.resize((key.len() / 8 + 1) * 8, 0);
        padded
            .chunks(8)
            .fold((tag ^ key.len() as u64).wrapping_mul(K), |h, w| {
                let mut b = [0u8; 8];
                b.copy_from_slice(w);
                (h.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(K)
            })
    }

    #[test]
    fn the_end_of_a_key_hashes_as_a_copy_of_it() {
        let bytes: Vec<u8> = (0..48u8).map(|b| b.wrapping_mul(97) ^ 0x5a).collect();
        for len in 0..=bytes.len() {
            for start in [0, 1, 7] {
                let Some(key) = bytes.get(start..start + len) else {
                    continue;
                };
                assert_eq!(hash(3, key), hash_by_copy(3, key), "{len} {start}");
            }
            // Each byte counts, wherever the loads put it.
            let key = &bytes[..len];
            for at in 0..len {
                let mut other = key.to_vec();
                other[at] ^= 0x80;
                assert_ne!(hash(3, key), hash(3, &other), "{len} {at}");
            }
        }
    }

    #[test]
    fn keys_that_share_a_hash_are_still_compared() {
        let mut table: Memo<Vec<u8>> = Memo::default();
        let p = table.probe(Part::Tail, 1, b"uid=0 comm=a");
        table.store(p, b"uid=0 comm=a", &b"out".to_vec(), 0, [0; 4]);
        assert!(table.probe(Part::Tail, 1, b"uid=0 comm=a").hit);
        // Another key in the slot with the same hash and tag: a collision.
        table.slots[p.slot].key = b"uid=0 comm=b".to_vec();
        assert!(!table.probe(Part::Tail, 1, b"uid=0 comm=a").hit);
    }

    #[test]
    fn the_table_keeps_nothing_too_long() {
        let mut table: Memo<Vec<u8>> = Memo::default();
        let key = vec![b'x'; MAX_KEY + 1];
        let p = table.probe(Part::Tail, 1, &key);
        assert!(!table.admit(p) && table.admit(p), "kept the second time");
        table.store(p, &key, &b"out".to_vec(), 0, [0; 4]);
        assert!(!table.probe(Part::Tail, 1, &key).hit);
        let p = table.probe(Part::Tail, 1, b"k=1");
        table.store(p, b"k=1", &b"out".to_vec(), 0, [0; 4]);
        assert!(table.probe(Part::Tail, 1, b"k=1").hit);
        assert!(
            !table.probe(Part::Tail, 2, b"k=1").hit,
            "another renderer's tag misses"
        );
    }
}
