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

use crate::event::assemble::{Key, Limits, Part, type_ends_event};
use crate::event::{Assembler, Done, Event};
use crate::filter::Selector;
use crate::parse::{self, LineKind, Spare};
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

/// The lines of the records still held, in input order, in one buffer, each
/// followed by a `\n` so that lines stored one after the other can be written
/// out in one piece. Offsets count every byte ever stored, so they stay valid
/// when the front of the buffer, which no open event refers to any more, is
/// let go.
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

    /// Stores a line and a `\n` after it; returns the line's offset.
    fn push(&mut self, line: &[u8]) -> u64 {
        let at = self.base + self.buf.len() as u64;
        self.buf.reserve(line.len() + 1);
        self.buf.extend_from_slice(line);
        self.buf.push(b'\n');
        at
    }

    /// The `len` bytes stored at offset `at`.
    fn get(&self, at: u64, len: u64) -> &[u8] {
        let start = usize::try_from(at.saturating_sub(self.base)).unwrap_or(usize::MAX);
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        self.buf
            .get(start..start.saturating_add(len))
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
        Grep::with_limits(record_grep, Limits::default())
    }

    /// A grep whose events are finished under other limits (for tests).
    pub fn with_limits(record_grep: bool, limits: Limits) -> Grep {
        Grep {
            assembler: Assembler::new(limits),
            lines: Lines::default(),
            scratch: Vec::new(),
            finished: Vec::new(),
            files: Vec::new(),
            record_grep,
            last: None,
        }
    }

    /// Reads one line (without its line end) and assembles its records.
    pub fn line(
        &mut self,
        filter: &Selector,
        source: &Source,
        line: &[u8],
        spare: &mut Spare,
    ) -> LineKind {
        let Grep {
            assembler,
            lines,
            scratch,
            finished,
            files,
            ..
        } = self;
        let types = filter.types();
        // The line is stored, and its input named, once it shows a record.
        let mut stored: Option<(u64, u32)> = None;
        parse::each_head(line, source, spare, scratch, |head| {
            let (at, file) =
                *stored.get_or_insert_with(|| (lines.push(line), file_index(files, &source.file)));
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
            assembler.push_keyed(key, fact, finished);
        })
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

    /// True when events were finished and wait to be written: most lines
    /// finish none, and then the caller need not call `write`.
    #[inline]
    pub fn has_finished(&self) -> bool {
        !self.finished.is_empty()
    }

    /// Writes the lines of the finished events that pass the filters; returns
    /// how many passed.
    pub fn write<W: Write>(&mut self, filter: &Selector, out: &mut W) -> io::Result<u64> {
        if self.finished.is_empty() {
            return Ok(0);
        }
        self.write_finished(filter, out)
    }

    fn write_finished<W: Write>(&mut self, filter: &Selector, out: &mut W) -> io::Result<u64> {
        let mut matched = 0;
        let mut run = Run::default();
        // Taken out and put back, so that the loop may call methods on `self`.
        let mut finished = std::mem::take(&mut self.finished);
        for done in finished.drain(..) {
            let Done::Event(ev) = done else {
                continue;
            };
            if event_matches(filter, &ev, &self.lines) {
                matched += 1;
                let shows_all = !self.record_grep || filter.types().is_empty();
                for fact in ev.records.iter().filter(|f| shows_all || f.typed) {
                    if self.is_last(fact) {
                        continue;
                    }
                    self.last = Some((fact.file, fact.line));
                    if !run.extend(fact) {
                        out.write_all(self.lines.get(run.at, run.len))?;
                        run = Run::of(fact);
                    }
                }
            }
            self.assembler.recycle(ev.records);
        }
        self.finished = finished;
        out.write_all(self.lines.get(run.at, run.len))?;
        self.lines
            .drop_before(self.assembler.oldest().map(|f| f.at));
        Ok(matched)
    }

    /// True when the fact's line is the line written last (records that
    /// share a line write it once).
    fn is_last(&self, fact: &Fact) -> bool {
        self.last.is_some_and(|(file, line)| {
            line == fact.line && self.files.get(file as usize) == self.files.get(fact.file as usize)
        })
    }
}

/// The index of an input in `files`, added when it is new.
fn file_index(files: &mut Vec<Arc<str>>, file: &Arc<str>) -> u32 {
    if !files.last().is_some_and(|f| Arc::ptr_eq(f, file)) {
        files.push(file.clone());
    }
    (files.len() - 1) as u32
}

/// Stored lines waiting to be written, one after the other in the store:
/// consecutive lines of an event go out in one write.
#[derive(Default)]
struct Run {
    at: u64,
    /// Bytes, line ends included.
    len: u64,
}

impl Run {
    /// The stored line of one fact and its line end.
    fn of(fact: &Fact) -> Run {
        Run {
            at: fact.at,
            len: u64::from(fact.len) + 1,
        }
    }

    /// Adds the fact's line when it follows the run in the store (or the run
    /// is empty); false when it does not.
    fn extend(&mut self, fact: &Fact) -> bool {
        if self.len == 0 {
            *self = Run::of(fact);
        } else if fact.at == self.at + self.len {
            self.len += u64::from(fact.len) + 1;
        } else {
            return false;
        }
        true
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
                let line = lines.get(f.at, f.len.into());
                (!f.node.is_empty())
                    .then(|| line.get(f.node.start as usize..f.node.end as usize))?
            })
        },
        || facts.iter().find_map(|f| f.serial),
    )
}

#[cfg(test)]
mod tests {
    use super::{Fact, Grep, Lines, Run};
    use crate::cli::Cli;
    use crate::event::assemble::Limits;
    use crate::event::{Assembler, Done};
    use crate::filter::Selector;
    use crate::filter::when::Now;
    use crate::parse::{self, LineKind, Spare};
    use crate::record::Source;
    use clap::Parser;
    use std::sync::Arc;

    #[test]
    fn held_lines_survive_letting_go_of_older_ones() {
        let mut lines = Lines::default();
        let mut kept = Vec::new();
        for i in 0..20_000u32 {
            let text = format!("line {i} {}", "x".repeat((i % 300) as usize));
            let at = lines.push(text.as_bytes());
            kept.push((at, text));
            // Keep the newest hundred lines.
            let oldest = kept.len().saturating_sub(100);
            kept.drain(..oldest);
            lines.drop_before(kept.first().map(|k| k.0));
            for (at, text) in kept.iter().step_by(37) {
                assert_eq!(lines.get(*at, text.len() as u64), text.as_bytes());
            }
        }
        assert!(lines.buf.len() < 3 << 20, "the store stays small");
        lines.drop_before(None);
        assert!(lines.buf.is_empty());
    }

    /// Lines next to each other in the store join one write; a gap, or a
    /// line written again, starts another.
    #[test]
    fn runs_join_only_lines_that_follow_each_other() {
        let mut lines = Lines::default();
        let fact = |at: u64, len: usize| Fact {
            time: None,
            serial: None,
            at,
            len: len as u32,
            node: Default::default(),
            file: 0,
            line: 0,
            typed: true,
            ends: false,
        };
        let a = fact(lines.push(b"one"), 3);
        let b = fact(lines.push(b"two"), 3);
        let c = fact(lines.push(b"three"), 5);
        let mut run = Run::default();
        assert!(run.extend(&a));
        assert!(run.extend(&b));
        assert_eq!(lines.get(run.at, run.len), b"one\ntwo\n");
        assert!(!run.extend(&a), "a line already in the run");
        let mut gap = Run::of(&a);
        assert!(!gap.extend(&c), "a line between is left out");
        assert!(run.extend(&c));
        assert_eq!(lines.get(run.at, run.len), b"one\ntwo\nthree\n");
    }

    fn selector(args: &[&str]) -> (Selector, bool) {
        let cli = Cli::try_parse_from(std::iter::once("auexplain").chain(args.iter().copied()))
            .expect("test arguments parse");
        let now = Now::current(jiff::tz::TimeZone::UTC);
        let selector = Selector::new(&cli.run, &now).expect("test filters are valid");
        (selector, cli.run.records)
    }

    /// The raw output of the full road: records, events, `Selector::matches`,
    /// and each line written once when records share it.
    fn full_road(text: &str, filter: &Selector, record_grep: bool, limits: Limits) -> Vec<u8> {
        let mut assembler: Assembler<()> = Assembler::new(limits);
        let mut done = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let source = Source {
                file: Arc::from("t"),
                line: i as u64 + 1,
            };
            let mut recs = Vec::new();
            match parse::parse_line(line.as_bytes(), &source, &mut recs) {
                LineKind::Unparsed(_) if filter.is_empty() => assembler.push_note((), &mut done),
                _ => recs.into_iter().for_each(|r| assembler.push(r, &mut done)),
            }
        }
        assembler.finish(&mut done);
        let mut out = Vec::new();
        let mut last = None;
        for d in done {
            let Done::Event(ev) = d else { continue };
            if !filter.matches(&ev) {
                continue;
            }
            for r in &ev.records {
                if record_grep && !filter.shows_record(r) {
                    continue;
                }
                if last != Some(r.source.line) {
                    last = Some(r.source.line);
                    out.extend_from_slice(r.raw());
                    out.push(b'\n');
                }
            }
        }
        out
    }

    fn light_road(text: &str, filter: &Selector, record_grep: bool, limits: Limits) -> Vec<u8> {
        let mut grep = Grep::with_limits(record_grep, limits);
        let mut spare = Spare::default();
        let mut out = Vec::new();
        let file: Arc<str> = Arc::from("t");
        for (i, line) in text.lines().enumerate() {
            let source = Source {
                file: file.clone(),
                line: i as u64 + 1,
            };
            if let LineKind::Unparsed(_) = grep.line(filter, &source, line.as_bytes(), &mut spare)
                && filter.is_empty()
            {
                grep.note();
            }
            grep.write(filter, &mut out).expect("writing to memory");
        }
        grep.finish();
        grep.write(filter, &mut out).expect("writing to memory");
        out
    }

    const LOG: &str = "\
type=SYSCALL msg=audit(100.000:1): syscall=2 success=yes
type=USER_AUTH msg=audit(100.000:2): pid=1 res=failed
type=PATH msg=audit(100.000:1): item=0 name=\"/a\"
garbage line without a record
type=EOE msg=audit(100.000:2):
node=a type=CWD msg=audit(101.000:3):  cwd=\"/\" node=a type=USER_AUTH msg=audit(101.000:3): x=1
node=b type=USER_AUTH msg=audit(101.000:3): res=success
type=PROCTITLE msg=audit(100.000:1): proctitle=6C73
type=CWD msg=audit(1.2:9): cwd=\"/\" type=PATH msg=audit(1.2:10): item=0
type=USER_AUTH msg=audit(1.2:10): later
USER_AUTH = fail username= anu ipaddress =127.0.0.1
type=DAEMON_START msg=audit(200.000:4): op=start
type=USER_AUTH msg=audit(200.000:4): after the daemon
type=SYSCALL msg=audit(300.000:5): x=1
type=USER_AUTH msg=audit(300.000:6): x=1
type=PATH msg=audit(300.000:5): item=0
type=USER_ACCT msg=audit(1.5): no serial
type=USER_AUTH msg=audit(1.5): no serial
";

    /// The light road writes what the full road writes, for every kind of
    /// header filter, with default and with tight limits.
    #[test]
    fn the_light_road_writes_what_the_full_road_writes() {
        let tight = Limits {
            gap_secs: 1,
            grace_records: 1,
            max_idle_records: 3,
            max_open: 2,
            max_open_bytes: 150,
        };
        let filters: &[&[&str]] = &[
            &["-m", "USER_AUTH", "--format", "raw"],
            &["-m", "USER_AUTH", "--format", "raw", "--records"],
            &["-m", "SYSCALL,PATH", "--format", "raw"],
            &["-m", "user_*", "--format", "raw"],
            &["--category", "anom", "--format", "raw"],
            &["--format", "raw"],
            &["--format", "raw", "--node", "a"],
            &["--format", "raw", "--node", "b", "-m", "USER_AUTH"],
            &["--format", "raw", "--event", "10"],
            &["--format", "raw", "--start", "1970-01-01 00:01:41"],
        ];
        for args in filters {
            let (filter, record_grep) = selector(args);
            assert!(filter.header_only());
            for limits in [Limits::default(), tight] {
                let want = full_road(LOG, &filter, record_grep, limits);
                let got = light_road(LOG, &filter, record_grep, limits);
                assert_eq!(
                    String::from_utf8_lossy(&got),
                    String::from_utf8_lossy(&want),
                    "{args:?} {limits:?}"
                );
            }
        }
    }
}
