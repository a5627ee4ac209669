//! A lighter road for the record-type grep: raw output with filters that read
//! only headers (`-m USER_AUTH --format raw`).
//!
//! Such a run prints lines as they were written, so it needs no fields and no
//! `Record`s. Each record becomes a `Fact`: its header, whether its type
//! passes the filters, and where its line sits in a shared store of held
//! lines. Facts are grouped into events by the same `Assembler` as records,
//! under the same rules, and the lines of a matching event are copied out of
//! the store; events that do not match are dropped without any further work.

use std::io::{self, Write};
use std::sync::Arc;

use crate::event::assemble::{Key, Part, type_ends_event};
use crate::event::{Assembler, Done, Event};
use crate::filter::Selector;
use crate::parse::{self, Head, LineKind, Spare};
use crate::record::{AuditTime, Record, Source, Span};

/// What a type grep keeps of one record: small and plain, so that moving it
/// around and dropping it cost little.
#[derive(Clone, Copy, Debug)]
pub struct Fact {
    time: Option<AuditTime>,
    serial: Option<u64>,
    /// Where the record's line starts in the `Lines` store, and its length.
    at: u64,
    len: u32,
    /// The node's place in the line; empty when there is none.
    node: Span,
    /// The input (an index into `Grep::files`) and the line number.
    file: u32,
    line: u64,
    /// The record's type passes the type and category filters.
    typed: bool,
    ends: bool,
}

impl Part for Fact {
    fn secs(&self) -> Option<i64> {
        self.time.map(|t| t.secs)
    }

    fn size(&self) -> usize {
        self.len as usize
    }

    fn ends_event(&self) -> bool {
        self.ends
    }
}

/// The lines of the records still held, in input order, in one buffer.
/// Offsets count every byte ever stored, so they stay valid when the front
/// of the buffer, which no open event refers to any more, is let go.
#[derive(Default)]
struct Lines {
    buf: Vec<u8>,
    /// The offset of `buf[0]`.
    base: u64,
}

impl Lines {
    /// Bytes let go of at least at once: moving the rest down is then cheap
    /// per byte.
    const MIN_DROP: usize = 1 << 20;

    /// Stores a line; returns its offset.
    fn push(&mut self, line: &[u8]) -> u64 {
        let at = self.base + self.buf.len() as u64;
        self.buf.extend_from_slice(line);
        at
    }

    fn get(&self, at: u64, len: u32) -> &[u8] {
        let start = usize::try_from(at.saturating_sub(self.base)).unwrap_or(usize::MAX);
        self.buf
            .get(start..start.saturating_add(len as usize))
            .unwrap_or_default()
    }

    /// Lets go of the lines before offset `keep` (all of them when None),
    /// once there are enough of them.
    fn drop_before(&mut self, keep: Option<u64>) {
        let end = self.base + self.buf.len() as u64;
        let keep = keep.unwrap_or(end).clamp(self.base, end);
        let dead = (keep - self.base) as usize;
        if dead == self.buf.len() {
            self.buf.clear();
            self.base = keep;
        } else if dead >= Self::MIN_DROP && dead >= self.buf.len() - dead {
            self.buf.drain(..dead);
            self.base = keep;
        }
    }
}

/// The reading and writing of a type grep.
pub struct Grep {
    assembler: Assembler<(), Fact>,
    lines: Lines,
    heads: Vec<Head>,
    scratch: Vec<Record>,
    finished: Vec<Done<(), Fact>>,
    /// The inputs read so far; facts name theirs by index.
    files: Vec<Arc<str>>,
    /// `--records`: only the records of the asked-for types are written.
    record_grep: bool,
    /// The input and line number of the line written last: several records
    /// can share a line, which is then written once.
    last: Option<(u32, u64)>,
}

impl Grep {
    pub fn new(record_grep: bool) -> Grep {
        Grep {
            assembler: Assembler::default(),
            lines: Lines::default(),
            heads: Vec::new(),
            scratch: Vec::new(),
            finished: Vec::new(),
            files: Vec::new(),
            record_grep,
            last: None,
        }
    }

    /// The index of an input, added when it is new.
    fn file_index(&mut self, file: &Arc<str>) -> u32 {
        if !self.files.last().is_some_and(|f| Arc::ptr_eq(f, file)) {
            self.files.push(file.clone());
        }
        (self.files.len() - 1) as u32
    }

    /// Reads one line (without its line end) and assembles its records.
    pub fn line(
        &mut self,
        filter: &Selector,
        source: &Source,
        line: &[u8],
        spare: &mut Spare,
    ) -> LineKind {
        self.heads.clear();
        let kind = parse::parse_heads(line, source, &mut self.heads, spare, &mut self.scratch);
        if self.heads.is_empty() {
            return kind;
        }
        let file = self.file_index(&source.file);
        let at = self.lines.push(line);
        let types = filter.types();
        for head in self.heads.drain(..) {
            let name = || head.type_name(line);
            let family = head.info.map_or("unknown", |i| i.family);
            let node = head
                .node
                .and_then(|s| line.get(s.start as usize..s.end as usize));
            let key = Key::new(node, head.time, head.serial);
            let fact = Fact {
                node: head.node.unwrap_or_default(),
                time: head.time,
                serial: head.serial,
                at,
                len: line.len() as u32,
                file,
                line: source.line,
                typed: !types.is_empty() && types.matches_type(head.type_number, head.info, name),
                ends: type_ends_event(name(), family),
            };
            self.assembler.push_keyed(key, fact, &mut self.finished);
        }
        kind
    }

    /// Keeps the place of a line that held no record (it counts towards the
    /// open-event cap as in a full run; raw output shows nothing for it).
    pub fn note(&mut self) {
        self.assembler.push_note((), &mut self.finished);
    }

    /// Hands out what is still open at the end of input.
    pub fn finish(&mut self) {
        self.assembler.finish(&mut self.finished);
    }

    /// Writes the lines of the finished events that pass the filters; returns
    /// how many passed.
    pub fn write<W: Write>(&mut self, filter: &Selector, out: &mut W) -> io::Result<u64> {
        let mut matched = 0;
        for done in self.finished.drain(..) {
            let Done::Event(ev) = done else {
                continue;
            };
            if event_matches(filter, &ev, &self.lines) {
                matched += 1;
                let shows_all = !self.record_grep || filter.types().is_empty();
                for fact in ev.records.iter().filter(|f| shows_all || f.typed) {
                    let here = (fact.file, fact.line);
                    let same = self.last.is_some_and(|(file, line)| {
                        line == here.1
                            && self.files.get(file as usize) == self.files.get(here.0 as usize)
                    });
                    if same {
                        continue;
                    }
                    self.last = Some(here);
                    out.write_all(self.lines.get(fact.at, fact.len))?;
                    out.write_all(b"\n")?;
                }
            }
            self.assembler.recycle(ev.records);
        }
        self.lines
            .drop_before(self.assembler.oldest().map(|f| f.at));
        Ok(matched)
    }
}

/// `Selector::matches` for an event of facts: only header filters are set.
fn event_matches(filter: &Selector, ev: &Event<Fact>, lines: &Lines) -> bool {
    let facts = &ev.records;
    filter.header_matches(
        || facts.iter().any(|f| f.typed),
        || facts.iter().find_map(|f| f.time),
        || {
            facts.iter().find_map(|f| {
                let line = lines.get(f.at, f.len);
                (!f.node.is_empty())
                    .then(|| line.get(f.node.start as usize..f.node.end as usize))?
            })
        },
        || facts.iter().find_map(|f| f.serial),
    )
}
