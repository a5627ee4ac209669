//! The JSON format: one object per line with a `"kind"`. The schema is a stable
//! contract (see README); fields are added over time, never changed or removed.
//! Objects are written straight into a byte buffer: this is a hot path.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::OnceLock;

use crate::interpret::{self, Context, LocalNames, Quick, Shown, Style};
use crate::record::{Field, Form, Name, Origin, Quote, Record};
use crate::render::Unparsed;
use crate::render::jsonstr::{self, push_str, push_u64};
use crate::render::memo;
use crate::timefmt;
use crate::types::{self, TypeInfo};

fn push_opt_u64(out: &mut Vec<u8>, v: Option<u64>) {
    match v {
        Some(n) => push_u64(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

/// The `"source"` object.
fn push_source(out: &mut Vec<u8>, file: &str, line: u64) {
    out.extend_from_slice(b"{\"file\":");
    push_str(out, file.as_bytes());
    out.extend_from_slice(b",\"line\":");
    push_u64(out, line);
    out.push(b'}');
}

/// One record object (no trailing newline), its fields interpreted with the
/// facts the record itself carries.
pub fn record(out: &mut Vec<u8>, rec: &Record) {
    record_in(out, rec, None);
}

/// The parts of a record object that depend only on the record type, escaped
/// once: `{"kind":"record","type":NAME,"type_number":NUMBER` and
/// `,"flags":[...],"family":...,"explanation":...,"time":`.
struct TypeParts {
    /// The number in `head`, the type's own.
    number: u32,
    head: Box<[u8]>,
    tail: Box<[u8]>,
}

fn push_head(out: &mut Vec<u8>, name: &str) {
    out.extend_from_slice(b"{\"kind\":\"record\",\"type\":");
    push_str(out, name.as_bytes());
    out.extend_from_slice(b",\"type_number\":");
}

fn push_tail(out: &mut Vec<u8>, info: Option<&TypeInfo>) {
    out.extend_from_slice(b",\"flags\":[");
    let flags = info.map(|i| i.flags).unwrap_or_default();
    for (i, f) in flags.names().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_str(out, f.as_bytes());
    }
    out.extend_from_slice(b"],\"family\":");
    push_str(out, info.map_or("unknown", |i| i.family).as_bytes());
    out.extend_from_slice(b",\"explanation\":");
    match info {
        Some(i) => push_str(out, i.explanation.as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"time\":");
}

/// The cached parts of a known type (any row of the type table), each
/// row's worked out the first time a record of its type is written.
fn type_parts(info: &'static TypeInfo) -> Option<&'static TypeParts> {
    static PARTS: OnceLock<Box<[OnceLock<TypeParts>]>> = OnceLock::new();
    let all = types::RECORD_TYPES;
    // The row's index from its address; checked, so a row from elsewhere misses.
    let offset = (info as *const TypeInfo as usize).wrapping_sub(all.as_ptr() as usize);
    let i = offset / size_of::<TypeInfo>().max(1);
    let row = all.get(i).filter(|row| std::ptr::eq(*row, info))?;
    let parts = PARTS.get_or_init(|| all.iter().map(|_| OnceLock::new()).collect());
    Some(parts.get(i)?.get_or_init(|| {
        let mut head = Vec::new();
        push_head(&mut head, row.name);
        push_u64(&mut head, u64::from(row.number));
        let mut tail = Vec::new();
        push_tail(&mut tail, Some(row));
        TypeParts {
            number: row.number,
            head: head.into(),
            tail: tail.into(),
        }
    }))
}

/// One record object (no trailing newline), with local names when they may
/// be looked up. The record's context is worked out only when its fields are
/// written, not when they are copied from the table.
pub fn record_in(out: &mut Vec<u8>, rec: &Record, names: Option<&LocalNames>) {
    let parts = rec.info.and_then(type_parts);
    match parts {
        // The kept head holds the type's number: most records carry it.
        Some(p) if rec.type_number == Some(p.number) => out.extend_from_slice(&p.head),
        _ => {
            push_head(out, rec.type_name());
            push_opt_u64(out, rec.type_number.map(u64::from));
        }
    }
    match parts {
        Some(p) => out.extend_from_slice(&p.tail),
        None => push_tail(out, rec.info),
    }
    match rec.time {
        Some(t) => {
            out.push(b'"');
            timefmt::push_rfc3339(out, t);
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"serial\":");
    match rec.serial {
        Some(n) => jsonstr::push_serial(out, n),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"node\":");
    match rec.node() {
        Some(n) => push_str(out, n),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"form\":\"");
    out.extend_from_slice(rec.form.as_str().as_bytes());
    out.extend_from_slice(b"\",\"fields\":");
    match memo::whole_body(rec) {
        // A body that decides the record's fields: its object may be kept.
        Some(body) => BODIES.with_borrow_mut(|table| {
            let tag = memo::tag(json_variant(names.is_some()), rec);
            table.write_paying(memo::Part::RecordFields, tag, body, out, |out| {
                fields(out, rec, &context(rec, names));
            });
        }),
        None => fields(out, rec, &context(rec, names)),
    }
    out.extend_from_slice(b",\"raw\":");
    push_str(out, rec.raw());
    push_record_source(out, &rec.source.file, rec.source.line);
    out.push(b'}');
}

/// `,"source":{...}` of a record. The part before the line number is kept
/// for the last file named, so a file's name is escaped once, not per record.
fn push_record_source(out: &mut Vec<u8>, file: &Arc<str>, line: u64) {
    SOURCE.with_borrow_mut(|(last, opening)| {
        // Holding the name keeps its address from being reused by another.
        if !last.as_ref().is_some_and(|l| Arc::ptr_eq(l, file)) {
            opening.clear();
            opening.extend_from_slice(b",\"source\":{\"file\":");
            push_str(opening, file.as_bytes());
            opening.extend_from_slice(b",\"line\":");
            *last = Some(Arc::clone(file));
        }
        out.extend_from_slice(opening);
    });
    jsonstr::push_line(out, line);
    out.push(b'}');
}

/// A cheap hash of a field name from its length and its first and last
/// bytes, for the repeated-name filter: names of one record rarely share all three.
fn name_hash(name: &[u8]) -> u8 {
    let first = name.first().map_or(0, |&b| u32::from(b));
    let last = name.last().map_or(0, |&b| u32::from(b));
    let key = first | last << 8 | (name.len() as u32) << 16;
    (key.wrapping_mul(0x9e37_79b1) >> 24) as u8
}

/// Fields whose name hashes are kept for the repeated-name check; later
/// fields are compared with every earlier one.
const HASHED: usize = 128;

/// The table of single fields: many slots, since a record has many fields,
/// each kept short, since a field is cheap to render next to its copy.
const FIELD_LIMITS: memo::Limits = memo::Limits {
    slot_bits: 10,
    max_key: 256,
    max_output: 1024,
};

thread_local! {
    /// The last file a record came from, and the opening of its `"source"`
    /// member up to the line number.
    static SOURCE: RefCell<(Option<Arc<str>>, Vec<u8>)> = const { RefCell::new((None, Vec::new())) };
    /// Room for an interpretation that must be escaped, reused record after record.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// Fields rendered before: a value that repeats (a context, a uid, a
    /// path) is copied, not interpreted and escaped again.
    static FIELDS: RefCell<memo::Memo<Vec<u8>>> = RefCell::new(memo::Memo::new(FIELD_LIMITS));
    /// Heads grown through a SYSCALL's arguments (`memo::Head::through`): a
    /// table of their own, as each holds a head from `memo::BYTES`.
    static PREFIXES: RefCell<memo::Memo<Vec<u8>>> = RefCell::new(memo::Memo::default());
    /// The fields objects of records alone on their lines (`memo::whole_body`):
    /// a table of their own, as rendering them fills the others.
    static BODIES: RefCell<memo::Memo<Vec<u8>>> = RefCell::new(memo::Memo::default());
}

/// The names written so far, for numbering repeats: a 256-bit filter of
/// their hashes (a miss proves a name is new) and the first hashes in order.
struct Names {
    filter: [u64; 4],
    hashes: [u8; HASHED],
    /// How many of `hashes` are set.
    len: usize,
}

impl Default for Names {
    fn default() -> Self {
        Names {
            filter: [0; 4],
            hashes: [0; HASHED],
            len: 0,
        }
    }
}

impl Names {
    /// How many earlier fields of `rec` (before `i`) share field `i`'s name;
    /// records the name. Inlined: it runs for every field written afresh.
    #[inline(always)]
    fn repeats(&mut self, rec: &Record, i: usize, name: &[u8]) -> usize {
        let h = name_hash(name);
        let (word, bit) = (usize::from(h >> 6), 1u64 << (h & 63));
        let seen = if self.filter[word] & bit == 0 {
            0
        } else {
            let hashes = self.hashes.get(..self.len).unwrap_or_default();
            rec.fields[..i]
                .iter()
                .enumerate()
                .filter(|&(j, g)| hashes.get(j).is_none_or(|&hj| hj == h) && rec.name_of(g) == name)
                .count()
        };
        self.note(i, h);
        seen
    }

    /// Records field `i`'s name hash `h`.
    fn note(&mut self, i: usize, h: u8) {
        self.filter[usize::from(h >> 6)] |= 1u64 << (h & 63);
        if self.len == i
            && let Some(slot) = self.hashes.get_mut(i)
        {
            *slot = h;
            self.len += 1;
        }
    }
}

/// Bit filter of the names of fields `from..` of `rec`.
fn filter_of(rec: &Record, from: usize) -> [u64; 4] {
    let mut filter = [0u64; 4];
    for f in rec.fields.iter().skip(from) {
        let h = name_hash(rec.name_of(f));
        filter[usize::from(h >> 6)] |= 1u64 << (h & 63);
    }
    filter
}

/// Variant of the tail table for JSON records: local names change ids' values.
fn json_variant(local_names: bool) -> u8 {
    2 | u8::from(local_names) << 2
}

/// The facts of `rec` its fields' interpretation needs.
fn context<'a>(rec: &'a Record, names: Option<&'a LocalNames>) -> Context<'a> {
    Context::of(rec).with_names(names)
}

/// The `"fields"` object: every field, in order; a repeated name gets `#2`, `#3`.
/// A record's stable tail (`memo`) is copied when it was written before and
/// none of its names repeats one of the fields before it.
fn fields(out: &mut Vec<u8>, rec: &Record, ctx: &Context) {
    // The field table is taken once for the record, not once a field.
    FIELDS.with_borrow_mut(|table| fields_with(out, rec, ctx, table));
}

/// `fields`, with the field table at hand.
fn fields_with(out: &mut Vec<u8>, rec: &Record, ctx: &Context, table: &mut memo::Memo<Vec<u8>>) {
    let mut names = Names::default();
    // Fields that read only themselves may come from the field table.
    let shared = interpret::fields_read_alone(rec, ctx)
        .then(|| memo::tag(json_variant(ctx.names.is_some()), rec));
    out.push(b'{');
    let tail = memo::stable_tail(rec, ctx);
    let split = tail.map_or(rec.fields.len(), |t| t.index);
    let mut job = Job {
        rec,
        ctx,
        names: &mut names,
        shared,
        table,
    };
    job.prefix(out, split);
    let table = job.table;
    if let Some(tail) = tail {
        if split > 0 {
            out.push(b',');
        }
        let mut rest = |out: &mut Vec<u8>, names: &mut Names| {
            for i in split..rec.fields.len() {
                if i > split {
                    out.push(b',');
                }
                field(out, rec, i, ctx, names, shared, table);
            }
        };
        memo::BYTES.with_borrow_mut(|tails| {
            let key = memo::key_of(rec, tail);
            let tag = memo::tag(json_variant(ctx.names.is_some()), rec);
            let Some(probe) = tails.look(memo::Part::Tail, tag, key) else {
                return rest(out, &mut names);
            };
            if let Some((stored, filter)) = tails.stored(probe)
                && disjoint(filter, &names.filter)
            {
                out.extend_from_slice(stored);
                return;
            }
            let before = names.filter;
            let start = out.len();
            rest(out, &mut names);
            // Stored only when the numbering did not depend on earlier names.
            if tails.admit(probe) {
                let filter = filter_of(rec, split);
                if disjoint(&filter, &before) {
                    tails.store(probe, key, out, start, filter);
                }
            }
        });
    }
    out.push(b'}');
}

/// What writing one record's fields needs.
struct Job<'a, 'r, 't> {
    rec: &'r Record,
    ctx: &'a Context<'r>,
    names: &'a mut Names,
    /// The record's tag when its fields may come from the field table.
    shared: Option<u64>,
    /// The field table (`FIELDS`).
    table: &'t mut memo::Memo<Vec<u8>>,
}

impl Job<'_, '_, '_> {
    /// Fields `from..to`, each after a comma but the record's first.
    fn run(&mut self, out: &mut Vec<u8>, from: usize, to: usize) {
        for i in from..to {
            if i > 0 {
                out.push(b',');
            }
            let (rec, ctx, shared) = (self.rec, self.ctx, self.shared);
            field(out, rec, i, ctx, self.names, shared, self.table);
        }
    }

    /// Notes the names of the first `count` fields, written from a table.
    fn note_first(&mut self, count: usize) {
        for (i, f) in self.rec.fields.iter().take(count).enumerate() {
            self.names.note(i, name_hash(self.rec.name_of(f)));
        }
    }

    /// The fields before the tail (which starts at `split`). With a head,
    /// the head and the arguments after it are copied together when both
    /// were written before, else the head alone is.
    fn prefix(&mut self, out: &mut Vec<u8>, split: usize) {
        let (head, long) = match memo::prefix_of(self.rec, self.ctx, split) {
            memo::Prefix::Fields => return self.run(out, 0, split),
            memo::Prefix::Head(head) => return self.head_then(out, head, split),
            memo::Prefix::Grown { head, long } => (head, long),
        };
        PREFIXES.with_borrow_mut(|table| {
            let tag = memo::tag(json_variant(self.ctx.names.is_some()), self.rec);
            let key = memo::head_key(self.rec, long);
            let hit = table.write(memo::Part::Head, tag, key, out, |out| {
                self.head_then(out, head, split);
            });
            if hit {
                self.note_first(split);
            }
        });
    }

    /// The head, from the table when it was written before, then the
    /// fields up to `split`.
    fn head_then(&mut self, out: &mut Vec<u8>, head: memo::Head, split: usize) {
        memo::BYTES.with_borrow_mut(|table| {
            let tag = memo::tag(json_variant(self.ctx.names.is_some()), self.rec);
            let key = memo::head_key(self.rec, head);
            let hit = table.write(memo::Part::Head, tag, key, out, |out| {
                self.run(out, 0, head.index);
            });
            if hit {
                // The later fields' numbering needs the head's names.
                self.note_first(head.index);
            }
        });
        self.arguments(out, head.index, split);
    }

    /// Fields `from..to` after a head, mostly the arguments `a0` to `a3`. A
    /// SYSCALL's argument that no rule decodes (`ArgRules::bare`), written
    /// as hex digits, is written as `field` would write it without looking
    /// its kind up: its digits as the raw value, `0x` and its digits as
    /// the value.
    fn arguments(&mut self, out: &mut Vec<u8>, from: usize, to: usize) {
        let rec = self.rec;
        if !crate::summary::rtype::SYSCALL.is(rec) || rec.form == Form::Interpreted {
            return self.run(out, from, to);
        }
        let bare = interpret::ArgRules::of(self.ctx).bare();
        for i in from..to {
            if i > 0 {
                out.push(b',');
            }
            let Some(f) = rec.fields.get(i) else {
                continue;
            };
            let digits = bare_argument(rec, f).filter(|&(n, _)| bare.get(n) == Some(&true));
            let Some((_, digits)) = digits else {
                field(out, rec, i, self.ctx, self.names, self.shared, self.table);
                continue;
            };
            let name = rec.name_of(f);
            match self.names.repeats(rec, i, name) {
                0 => push_hex_argument(out, name, digits),
                seen => member(out, rec, f, name, seen, self.ctx),
            }
        }
    }
}

/// Field `f` of `rec` when it is an argument `aN=` (N from 0 to 3) of the
/// record itself, unquoted, of one to sixteen hex digits: N and the digits.
fn bare_argument<'r>(rec: &'r Record, f: &Field) -> Option<(usize, &'r [u8])> {
    if f.quote != Quote::None || f.origin != Origin::Outer {
        return None;
    }
    let n = match rec.name_of(f) {
        [b'a', n @ b'0'..=b'3'] => usize::from(n - b'0'),
        _ => return None,
    };
    let digits = rec.value_of(f);
    Quick::hex_shaped(digits).then_some((n, digits))
}

/// `"aN":{"raw":"DIGITS","value":"0xDIGITS"}`: the member of an argument
/// that no rule decodes, whose name and digits need no escaping.
fn push_hex_argument(out: &mut Vec<u8>, name: &[u8], digits: &[u8]) {
    out.reserve(name.len() + 2 * digits.len() + 26);
    out.push(b'"');
    out.extend_from_slice(name);
    out.extend_from_slice(b"\":{\"raw\":\"");
    out.extend_from_slice(digits);
    out.extend_from_slice(b"\",\"value\":\"0x");
    out.extend_from_slice(digits);
    out.extend_from_slice(b"\"}");
}

/// True when two name filters share no bit, so no name is in both.
fn disjoint(a: &[u64; 4], b: &[u64; 4]) -> bool {
    a.iter().zip(b).all(|(x, y)| x & y == 0)
}

/// One `"name":{"raw":...,"value":...}` member. With the tag of a record
/// whose fields read only themselves (`shared`), a field named for the first
/// time is copied from the field table when it was rendered before.
fn field(
    out: &mut Vec<u8>,
    rec: &Record,
    i: usize,
    ctx: &Context,
    names: &mut Names,
    shared: Option<u64>,
    table: &mut memo::Memo<Vec<u8>>,
) {
    let Some(f) = rec.fields.get(i) else {
        return;
    };
    let name = rec.name_of(f);
    let seen = names.repeats(rec, i, name);
    let keyed = shared
        .filter(|_| seen == 0 && !interpret::reads_context(name))
        .and_then(|tag| field_key(rec, f).map(|(key, extra)| (tag, key, extra)));
    match keyed {
        Some((tag, key, extra)) => {
            table.write_with(memo::Part::Field, (tag, extra), key, out, |out| {
                member(out, rec, f, name, 0, ctx);
            });
        }
        None => member(out, rec, f, name, seen, ctx),
    }
}

/// A field's key in the field table: its bytes in the line from its name to
/// the end of its value, with the facts those bytes leave open (where the
/// name ends and the value starts, the quoting, the origin) as extra words.
/// A name the scanner supplied (an AVC's `seresult`) is not in the line: its
/// key is the value alone, and the name's address and length are extra words.
fn field_key<'r>(rec: &'r Record, f: &Field) -> Option<(&'r [u8], [u64; 4])> {
    if f.origin == Origin::Enriched {
        return None;
    }
    let value_len = u64::from(f.value.end - f.value.start);
    let how = f.quote as u64 | (f.origin as u64) << 8;
    let (key, extra) = match f.name {
        Name::Text(name) => {
            if f.value.start < name.end {
                return None;
            }
            let key = rec.line.get(name.start as usize..f.value.end as usize)?;
            let lengths = u64::from(name.end - name.start) | value_len << 32;
            (key, [lengths, how, 0, 0])
        }
        Name::Fixed(name) => {
            let key = rec.line.get(f.value.start as usize..f.value.end as usize)?;
            let named = [name.as_ptr() as u64, name.len() as u64];
            (key, [value_len << 32, how, named[0], named[1]])
        }
    };
    (key.len() <= FIELD_LIMITS.max_key).then_some((key, extra))
}

/// The member of field `f` called `name`, numbered when `seen` fields before
/// it had that name.
fn member(out: &mut Vec<u8>, rec: &Record, f: &Field, name: &[u8], seen: usize, ctx: &Context) {
    if seen == 0 {
        push_str(out, name);
    } else {
        // `#` and digits need no escaping: reopen the literal to add them.
        push_str(out, name);
        out.pop();
        out.push(b'#');
        push_u64(out, seen as u64 + 1);
        out.push(b'"');
    }
    out.extend_from_slice(b":{\"raw\":");
    let raw = rec.value_of(f);
    let start = out.len();
    push_str(out, raw);
    let end = out.len();
    out.extend_from_slice(b",\"value\":");
    match interpret::human_kind_of(rec, f, name, raw) {
        // Shown as written: copy the escaped raw value.
        None => out.extend_from_within(start..end),
        Some(kind) => value(out, rec, (kind, name, raw), f, ctx, start..end),
    }
    match f.origin {
        Origin::Outer => {}
        Origin::Inner => out.extend_from_slice(b",\"inner\":true"),
        Origin::Enriched => out.extend_from_slice(b",\"enriched\":true"),
    }
    out.push(b'}');
}

/// The `"value"` of a field of kind `kind` named `name`, whose escaped raw
/// value is `out[escaped]`. The common shapes (`interpret::quick_for_people`)
/// are written from what the line and the answer hold; the rest are
/// interpreted straight after the opening quote, where most need no escaping
/// and are then only closed.
fn value(
    out: &mut Vec<u8>,
    rec: &Record,
    (kind, name, raw): (interpret::Kind, &[u8], &[u8]),
    f: &Field,
    ctx: &Context,
    escaped: std::ops::Range<usize>,
) {
    let raw = interpret::Raw {
        text: raw,
        quote: f.quote,
    };
    let quick = interpret::quick_may_answer(kind)
        .then(|| interpret::quick_for_people(kind, raw, ctx))
        .flatten();
    match quick {
        Some(Quick::AsIs) => return out.extend_from_within(escaped),
        // Hex digits need no escaping: their escaped form after its quote.
        Some(Quick::Hex) => {
            out.extend_from_slice(b"\"0x");
            return out.extend_from_within(escaped.start + 1..escaped.end);
        }
        Some(Quick::Words(words)) => return push_str(out, words.as_bytes()),
        Some(Quick::Errno(..)) | None => {}
    }
    out.push(b'"');
    let at = out.len();
    match interpret::interpret_kind(rec, kind, name, raw, ctx, Style::Human, out) {
        // Same text as `raw`: copy its escaped form instead of escaping again.
        Shown::AsIs => {
            out.truncate(at - 1);
            out.extend_from_within(escaped);
        }
        Shown::Decoded | Shown::Translated => {
            if jsonstr::is_clean(&out[at..]) {
                out.push(b'"');
            } else {
                SCRATCH.with_borrow_mut(|value| {
                    value.clear();
                    value.extend_from_slice(&out[at..]);
                    out.truncate(at - 1);
                    push_str(out, value);
                });
            }
        }
    }
}

/// One `"kind": "unparsed"` object and its newline.
pub fn unparsed(out: &mut Vec<u8>, u: &Unparsed) {
    out.extend_from_slice(b"{\"kind\":\"unparsed\",\"reason\":");
    push_str(out, u.reason.as_bytes());
    out.extend_from_slice(b",\"raw\":");
    push_str(out, u.raw);
    out.extend_from_slice(b",\"source\":");
    push_source(out, u.file, u.line);
    out.extend_from_slice(b"}\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::first_record as parse;

    /// The JSON object of `line`'s first record on this thread.
    fn json(line: &str) -> String {
        let mut out = Vec::new();
        record(&mut out, &parse(line));
        String::from_utf8(out).unwrap_or_default()
    }

    /// `json` on a thread of its own, whose tables start empty.
    fn fresh(line: &'static str) -> String {
        std::thread::spawn(move || json(line))
            .join()
            .unwrap_or_default()
    }

    /// Renders each line twice (a field is kept the second time it misses),
    /// then checks `later` renders as it would with empty tables.
    fn after(lines: &[&str], later: &'static str) {
        for line in lines {
            json(line);
            json(line);
        }
        assert_eq!(json(later), fresh(later), "{later}");
    }

    #[test]
    fn an_argument_written_as_hex_digits_reads_as_the_general_path_writes_it() {
        let lines = [
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=2 a0=7ffd a1=41 a2=1a4 a3=0 items=1",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=2 a0=7ffd a1=0x41 a2=-1 a3=",
            "type=SYSCALL msg=audit(1.0:1): arch=40000003 syscall=212 a0=8 a1=3e8 a2=0 a3=zz",
            "type=SYSCALL msg=audit(1.0:1): arch=40000003 syscall=102 a0=1 a1=bf8 a2=0 a3=0",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=9 a0=0 a1=1000 a2=3 a3=22",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=72 a0=3 a1=4 a2=800 a3=ffffffffffffffffff",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=0 a0=3 a1=\"4\" a2=1 a2=2 a3=0",
            "type=SYSCALL msg=audit(1.0:1): arch=deadbeef syscall=1 a0=1 a1=2 a2=3 a3=4",
            "type=SYSCALL msg=audit(1.0:1): syscall=1 a0=zz a1=1 a2=FFFF a3=-1",
            "type=EXECVE msg=audit(1.0:1): argc=2 a0=6c73 a1=2d6c",
        ];
        let mut copied = 0;
        for line in lines {
            let rec = parse(line);
            let ctx = context(&rec, None);
            let write = |fast: bool| {
                let (mut names, mut table) = (Names::default(), memo::Memo::new(FIELD_LIMITS));
                let mut job = Job {
                    rec: &rec,
                    ctx: &ctx,
                    names: &mut names,
                    shared: None,
                    table: &mut table,
                };
                let mut out = Vec::new();
                match fast {
                    true => job.arguments(&mut out, 0, rec.fields.len()),
                    false => job.run(&mut out, 0, rec.fields.len()),
                }
                String::from_utf8(out).unwrap_or_default()
            };
            assert_eq!(write(true), write(false), "{line}");
            let bare = interpret::ArgRules::of(&ctx).bare();
            let syscall = crate::summary::rtype::SYSCALL.is(&rec);
            copied += rec
                .fields
                .iter()
                .filter_map(|f| bare_argument(&rec, f))
                .filter(|&(n, _)| syscall && bare[n])
                .count();
        }
        assert!(copied > 10, "{copied}");
    }

    #[test]
    fn a_kept_field_is_copied_only_where_it_means_the_same() {
        const AVC: &str = "type=AVC msg=audit(1.000:1): avc:  denied  { read } for  pid=7 comm=\"cat\" uid=0 tclass=file permissive=0";
        after(
            &[AVC],
            "type=AVC msg=audit(2.000:2): avc:  denied  { read } for  pid=8 comm=\"cat\" uid=0 tclass=file permissive=0",
        );
        // Other permissions after the same result.
        after(
            &[AVC],
            "type=AVC msg=audit(7.000:7): avc:  denied  { write } for  pid=8 comm=\"cat\" uid=0 tclass=file permissive=0",
        );
        after(
            &[AVC],
            "type=AVC msg=audit(8.000:8): avc:  granted  { read } for  pid=8 comm=\"cat\" uid=0 tclass=file permissive=0",
        );
        // Same bytes in another record type (only a USER_TTY's msg is
        // decoded), and as an inner field.
        after(
            &["type=AVC msg=audit(3.000:3): pid=1 msg=6869"],
            "type=USER_TTY msg=audit(3.000:3): pid=1 msg=6869",
        );
        after(
            &["type=USER_START msg=audit(4.000:4): pid=1 msg='uid=0 res=success'"],
            "type=USER_START msg=audit(5.000:5): pid=2 msg='op=x' uid=0",
        );
        // A repeated name is numbered, never copied from its first rendering.
        after(
            &[AVC],
            "type=AVC msg=audit(6.000:6): uid=0 comm=\"cat\" uid=0",
        );
    }

    #[test]
    fn a_kept_prefix_is_copied_only_with_the_same_arguments() {
        const OPEN: &str = "type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=2 success=yes exit=3 a0=1 a1=0 a2=1b6 a3=0 items=1 pid=7";
        // Another a2, another tail, an argument named again in the tail.
        after(
            &[OPEN],
            "type=SYSCALL msg=audit(2.000:2): arch=c000003e syscall=2 success=yes exit=3 a0=1 a1=0 a2=1b7 a3=0 items=1 pid=7",
        );
        after(
            &[OPEN],
            "type=SYSCALL msg=audit(3.000:3): arch=c000003e syscall=2 success=yes exit=3 a0=1 a1=0 a2=1b6 a3=0 items=2 pid=8",
        );
        after(
            &[OPEN],
            "type=SYSCALL msg=audit(4.000:4): arch=c000003e syscall=2 success=yes exit=3 a0=1 a1=0 a2=1b6 a3=0 items=1 exit=4",
        );
    }

    #[test]
    fn a_type_s_kept_parts_are_the_ones_written_afresh() {
        let all = types::RECORD_TYPES;
        for row in [all.first(), all.get(all.len() / 2), all.last()]
            .into_iter()
            .flatten()
        {
            let parts = type_parts(row).expect("a row of the table");
            let (mut head, mut tail) = (Vec::new(), Vec::new());
            push_head(&mut head, row.name);
            push_u64(&mut head, u64::from(row.number));
            push_tail(&mut tail, Some(row));
            assert_eq!((&*parts.head, &*parts.tail), (&head[..], &tail[..]));
        }
        // A row from elsewhere has no kept parts.
        let stray: &'static TypeInfo = Box::leak(Box::new(TypeInfo {
            name: "STRAY",
            number: 1,
            flags: Default::default(),
            family: "x",
            explanation: "y",
        }));
        assert!(type_parts(stray).is_none());
    }

    #[test]
    fn a_kept_source_opening_is_the_escaped_one() {
        let files: [Arc<str>; 3] = [
            Arc::from("/var/log/audit/audit.log"),
            Arc::from("odd \"name\"\\\u{1b}.log"),
            Arc::from(""),
        ];
        for (i, file) in files.iter().chain(files.iter()).enumerate() {
            let line = i as u64 * 1000;
            let mut kept = Vec::new();
            push_record_source(&mut kept, file, line);
            push_record_source(&mut kept, file, line + 1);
            let mut fresh = Vec::new();
            for n in [line, line + 1] {
                fresh.extend_from_slice(b",\"source\":");
                push_source(&mut fresh, file, n);
            }
            assert_eq!(String::from_utf8(kept), String::from_utf8(fresh));
        }
    }

    /// The field table's keys of every field of `rec` that has one.
    fn keys_of(rec: &Record) -> Vec<(&[u8], [u64; 4])> {
        rec.fields
            .iter()
            .filter_map(|f| field_key(rec, f))
            .collect()
    }

    #[test]
    fn a_field_key_tells_quoting_and_origin_apart() {
        let outer = parse("type=USER_START msg=audit(1.000:1): uid=0 msg='uid=0'");
        let keys = keys_of(&outer);
        let uids: Vec<_> = keys.iter().filter(|(k, _)| *k == b"uid=0").collect();
        assert_eq!(uids.len(), 2, "{keys:?}");
        assert_ne!(uids[0].1, uids[1].1, "outer and inner differ");
        let quoted = parse("type=AVC msg=audit(1.000:1): comm=\"cat\" exe=cat");
        let keys = keys_of(&quoted);
        assert_eq!(keys[0].0, b"comm=\"cat");
        assert_ne!(keys[0].1[1], keys[1].1[1], "quoted and bare differ");
        // A scanner's name: the value is the key, the name tells it apart.
        let avc = parse("type=AVC msg=audit(1.000:1): avc:  denied  { denied } for  pid=7");
        let keys = keys_of(&avc);
        assert_eq!((keys[0].0, keys[1].0), (&b"denied"[..], &b"denied"[..]));
        assert_ne!(keys[0].1, keys[1].1, "seresult and seperms differ");
    }
}
