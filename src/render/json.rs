//! The JSON format: one object per line with a `"kind"`. The schema is a stable
//! contract (see README); fields are added over time, never changed or removed.
//! Objects are written straight into a byte buffer: this is a hot path.

use std::cell::RefCell;
use std::sync::OnceLock;

use crate::interpret::{self, Context, Shown, Style};
use crate::record::{Origin, Record};
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
    record_in(out, rec, &Context::for_style(rec, Style::Human));
}

/// The parts of a record object that depend only on the record type, escaped
/// once: `{"kind":"record","type":NAME,"type_number":` and
/// `,"flags":[...],"family":...,"explanation":...,"time":`.
struct TypeParts {
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

/// The cached parts of a known type (any row of the type table).
fn type_parts(info: &'static TypeInfo) -> Option<&'static TypeParts> {
    static PARTS: OnceLock<Vec<TypeParts>> = OnceLock::new();
    let all = types::RECORD_TYPES;
    // The row's index from its address; checked, so a row from elsewhere misses.
    let offset = (info as *const TypeInfo as usize).wrapping_sub(all.as_ptr() as usize);
    let i = offset / size_of::<TypeInfo>().max(1);
    all.get(i).filter(|row| std::ptr::eq(*row, info))?;
    let parts = PARTS.get_or_init(|| {
        all.iter()
            .map(|row| {
                let mut head = Vec::new();
                push_head(&mut head, row.name);
                let mut tail = Vec::new();
                push_tail(&mut tail, Some(row));
                TypeParts {
                    head: head.into(),
                    tail: tail.into(),
                }
            })
            .collect()
    });
    parts.get(i)
}

/// One record object (no trailing newline), with a context (local names).
pub fn record_in(out: &mut Vec<u8>, rec: &Record, ctx: &Context) {
    let parts = rec.info.and_then(type_parts);
    match parts {
        Some(p) => out.extend_from_slice(&p.head),
        None => push_head(out, rec.type_name()),
    }
    push_opt_u64(out, rec.type_number.map(u64::from));
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
    push_opt_u64(out, rec.serial);
    out.extend_from_slice(b",\"node\":");
    match rec.node() {
        Some(n) => push_str(out, n),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"form\":\"");
    out.extend_from_slice(rec.form.as_str().as_bytes());
    out.extend_from_slice(b"\",\"fields\":");
    fields(out, rec, ctx);
    out.extend_from_slice(b",\"raw\":");
    push_str(out, rec.raw());
    out.extend_from_slice(b",\"source\":");
    push_source(out, &rec.source.file, rec.source.line);
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

thread_local! {
    /// Room for an interpretation that must be escaped, reused record after record.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The names written so far, for numbering repeats: a 256-bit filter of
/// their hashes (a miss proves a name is new) and the first hashes in order.
#[derive(Default)]
struct Names {
    filter: [u64; 4],
    hashes: Vec<u8>,
}

impl Names {
    /// How many earlier fields of `rec` (before `i`) share field `i`'s name;
    /// records the name.
    fn repeats(&mut self, rec: &Record, i: usize, name: &[u8]) -> usize {
        let h = name_hash(name);
        let (word, bit) = (usize::from(h >> 6), 1u64 << (h & 63));
        let seen = if self.filter[word] & bit == 0 {
            0
        } else {
            rec.fields[..i]
                .iter()
                .enumerate()
                .filter(|&(j, g)| {
                    self.hashes.get(j).is_none_or(|&hj| hj == h) && rec.name_of(g) == name
                })
                .count()
        };
        self.note(i, h);
        seen
    }

    /// Records field `i`'s name hash `h`.
    fn note(&mut self, i: usize, h: u8) {
        self.filter[usize::from(h >> 6)] |= 1u64 << (h & 63);
        if self.hashes.len() == i && i < HASHED {
            self.hashes.push(h);
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
fn json_variant(ctx: &Context) -> u8 {
    2 | u8::from(ctx.names.is_some()) << 2
}

/// The `"fields"` object: every field, in order; a repeated name gets `#2`, `#3`.
/// A record's stable tail (`memo`) is copied when it was written before and
/// none of its names repeats one of the fields before it.
fn fields(out: &mut Vec<u8>, rec: &Record, ctx: &Context) {
    let mut names = Names::default();
    out.push(b'{');
    let tail = memo::stable_tail(rec, ctx);
    let split = tail.map_or(rec.fields.len(), |t| t.index);
    let head = memo::stable_head(rec, ctx).filter(|h| h.index <= split);
    let from = match head {
        Some(head) => {
            memo::BYTES.with_borrow_mut(|table| {
                let tag = memo::tag(json_variant(ctx), rec);
                let key = memo::head_key(rec, head);
                let hit = table.write(memo::Part::Head, tag, key, out, |out| {
                    for i in 0..head.index {
                        if i > 0 {
                            out.push(b',');
                        }
                        field(out, rec, i, ctx, &mut names);
                    }
                });
                if hit {
                    // The later fields' numbering needs the head's names.
                    for (i, f) in rec.fields.iter().take(head.index).enumerate() {
                        names.note(i, name_hash(rec.name_of(f)));
                    }
                }
            });
            head.index
        }
        None => 0,
    };
    for i in from..split {
        if i > 0 {
            out.push(b',');
        }
        field(out, rec, i, ctx, &mut names);
    }
    if let Some(tail) = tail {
        if split > 0 {
            out.push(b',');
        }
        memo::BYTES.with_borrow_mut(|table| {
            let key = memo::key_of(rec, tail);
            let probe = table.probe(memo::Part::Tail, memo::tag(json_variant(ctx), rec), key);
            if let Some((stored, filter)) = table.stored(probe)
                && disjoint(filter, &names.filter)
            {
                out.extend_from_slice(stored);
                return;
            }
            let before = names.filter;
            let start = out.len();
            for i in split..rec.fields.len() {
                if i > split {
                    out.push(b',');
                }
                field(out, rec, i, ctx, &mut names);
            }
            // Stored only when the numbering did not depend on earlier names.
            if table.admit(probe) {
                let filter = filter_of(rec, split);
                if disjoint(&filter, &before) {
                    table.store(probe, key, out, start, filter);
                }
            }
        });
    }
    out.push(b'}');
}

/// True when two name filters share no bit, so no name is in both.
fn disjoint(a: &[u64; 4], b: &[u64; 4]) -> bool {
    a.iter().zip(b).all(|(x, y)| x & y == 0)
}

/// One `"name":{"raw":...,"value":...}` member.
fn field(out: &mut Vec<u8>, rec: &Record, i: usize, ctx: &Context, names: &mut Names) {
    let Some(f) = rec.fields.get(i) else {
        return;
    };
    let name = rec.name_of(f);
    let seen = names.repeats(rec, i, name);
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
    out.extend_from_slice(b",\"value\":\"");
    // The interpretation goes straight after the opening quote; most of
    // it needs no escaping, and then it is only closed.
    let at = out.len();
    match interpret::interpret_with(rec, f, name, raw, ctx, Style::Human, out) {
        // Same text as `raw`: copy its escaped form instead of escaping again.
        Shown::AsIs => {
            out.truncate(at - 1);
            out.extend_from_within(start..end);
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
    match f.origin {
        Origin::Outer => {}
        Origin::Inner => out.extend_from_slice(b",\"inner\":true"),
        Origin::Enriched => out.extend_from_slice(b",\"enriched\":true"),
    }
    out.push(b'}');
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
