//! The run: opens each input, streams its lines through the parser, the event
//! assembler, the filters and the renderer, and decides the exit code. One
//! pass; memory is bounded by the assembler's limits.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::sync::Arc;

use anyhow::Result;

use crate::cli::{ColorChoice, RunArgs};
use crate::diag::Diagnostics;
use crate::event::grep::Grep;
use crate::event::{Assembler, Done};
use crate::filter::Selector;
use crate::filter::when::Now;
use crate::input::{Line, LineReader};
use crate::interpret::LocalNames;
use crate::parse::{self, LineKind};
use crate::pool::{Fill, Pool};
use crate::record::{Record, Source};
use crate::render::{Format, Output, Settings, Unparsed, View};
use crate::summary::{self, Summary};
use crate::timefmt::{self, Clock};

/// The default log, read when no input is named and stdin is a terminal.
const DEFAULT_LOG: &str = "/var/log/audit/audit.log";

/// How the run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Matched,
    NothingMatched,
    Error,
}

/// Decides colour once, from the flag, the terminal and NO_COLOR.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
                && io::stdout().is_terminal()
        }
    }
}

/// True when ids may be looked up locally: asked for, or every input is this
/// machine's own audit log.
fn resolve_ids(args: &RunArgs, inputs: &[Input]) -> bool {
    args.resolve_ids
        || inputs.iter().all(|i| match i {
            Input::Path(p) => std::path::Path::new(p).starts_with("/var/log/audit"),
            Input::Stdin | Input::Text(..) => false,
        })
}

/// One input to read.
enum Input {
    Stdin,
    Path(std::ffi::OsString),
    Text(usize, String),
}

fn inputs(args: &RunArgs) -> Vec<Input> {
    let mut v: Vec<Input> = args
        .lines
        .iter()
        .enumerate()
        .map(|(i, t)| Input::Text(i + 1, t.clone()))
        .collect();
    for f in &args.files {
        v.push(if f == "-" {
            Input::Stdin
        } else {
            Input::Path(f.clone())
        });
    }
    if v.is_empty() {
        v.push(if io::stdin().is_terminal() {
            Input::Path(DEFAULT_LOG.into())
        } else {
            Input::Stdin
        });
    }
    v
}

/// The view the flags ask for.
fn view(args: &RunArgs) -> View {
    if args.summary {
        View::Summary
    } else if args.records {
        View::Records
    } else if args.events {
        View::Events
    } else {
        View::Grouped
    }
}

/// A line that held no record, kept until its turn in the output.
pub(crate) struct Skipped {
    file: Arc<str>,
    line: u64,
    reason: String,
    pub(crate) raw: Vec<u8>,
}

/// The rendering half of a run: filters finished events and writes them.
/// One per rendering thread; in a single-threaded run, the only one.
pub(crate) struct Back<W: Write> {
    pub(crate) output: Output<W>,
    pub(crate) matched: u64,
    /// `--records`: a type filter also picks which records of an event to show.
    record_grep: bool,
    /// Whether the filters or the format read fields: the reading thread left
    /// them unparsed, and they are read here, on the rendering thread.
    needs_fields: bool,
    /// The plans of the batch being rendered, and the summaries worked out
    /// for it, in order; kept for their memory (summaries past those of the
    /// batch are left from earlier ones).
    plans: Vec<Plan>,
    summaries: Vec<Summary>,
}

impl<W: Write> Back<W> {
    pub(crate) fn new(output: Output<W>, record_grep: bool, filter: &Selector) -> Back<W> {
        let needs_fields = output.settings.format != Format::Raw || !filter.header_only();
        Back {
            output,
            matched: 0,
            record_grep,
            needs_fields,
            plans: Vec::new(),
            summaries: Vec::new(),
        }
    }

    /// Renders a batch of finished items, in order, each step over the whole
    /// batch before the next: the fields, the filters and the summaries, then
    /// the output. Summaries and rendering each run through a lot of code, and
    /// taking them in turn, event by event, left little of either in the
    /// instruction cache. The items are left to the caller, whose buffers can
    /// serve again.
    pub(crate) fn batch(
        &mut self,
        filter: &Selector,
        items: &mut [Done<Skipped>],
    ) -> io::Result<()> {
        if self.needs_fields {
            for item in items.iter_mut() {
                if let Done::Event(ev) = item {
                    ev.records.iter_mut().for_each(parse::complete);
                }
            }
        }
        self.plans.clear();
        // The summaries of earlier batches are filled again, so their
        // buffers serve again; the first `summarized` are this batch's.
        let mut summarized = 0;
        for item in items.iter() {
            self.plans.push(match item {
                Done::Event(ev) if !filter.matches(ev) => Plan::Skip,
                Done::Event(ev) if !self.record_grep && self.output.wants_summary_ahead(ev) => {
                    if summarized == self.summaries.len() {
                        self.summaries.push(Summary::default());
                    }
                    if let Some(summary) = self.summaries.get_mut(summarized) {
                        summary::summarize_into(summary, ev);
                    }
                    summarized += 1;
                    Plan::Summarized
                }
                Done::Event(_) | Done::Note(_) => Plan::Show,
            });
        }
        let mut summaries = self.summaries.iter().take(summarized);
        for (item, plan) in items.iter().zip(&self.plans) {
            let summary = match plan {
                Plan::Skip => continue,
                Plan::Show => None,
                Plan::Summarized => summaries.next(),
            };
            match item {
                Done::Event(ev) if self.record_grep => {
                    self.matched += 1;
                    for rec in ev.records.iter().filter(|r| filter.shows_record(r)) {
                        self.output.record(rec)?;
                    }
                }
                Done::Event(ev) => {
                    self.matched += 1;
                    self.output.event(ev, summary)?;
                }
                Done::Note(s) => self.output.unparsed(&Unparsed {
                    file: &s.file,
                    line: s.line,
                    reason: &s.reason,
                    raw: &s.raw,
                })?,
            }
        }
        self.summaries
            .iter_mut()
            .take(summarized)
            .for_each(Summary::trim);
        Ok(())
    }
}

/// What `Back::batch` decided for an item before rendering any.
#[derive(Clone, Copy)]
enum Plan {
    /// An event the filters leave out.
    Skip,
    /// An item to render.
    Show,
    /// An event to render with the next summary worked out ahead of the
    /// batch.
    Summarized,
}

/// Where finished events go: rendered here, or handed to a pool of threads.
enum Sink<'p, W: Write> {
    Direct(Box<Back<W>>),
    Pool(Box<Pool<'p, W>>),
}

/// The reading half of a run: lines in, records parsed, events assembled.
struct Run<'p, W: Write> {
    filter: &'p Selector,
    sink: Sink<'p, W>,
    diag: Diagnostics,
    records: Vec<Record>,
    assembler: Assembler<Skipped>,
    finished: Vec<Done<Skipped>>,
    /// How full the batch in `finished` is, and how many of its items that counts.
    fill: Fill,
    counted: usize,
    /// Line buffers of rendered records, for the lines of new ones.
    spare: parse::Spare,
    /// The lighter road of a type grep in raw output, when this run is one.
    grep: Option<Grep>,
}

impl<'p, W: Write> Run<'p, W> {
    fn new(filter: &'p Selector, sink: Sink<'p, W>, grep: Option<Grep>) -> Run<'p, W> {
        Run {
            filter,
            sink,
            diag: Diagnostics::default(),
            records: Vec::new(),
            assembler: Assembler::default(),
            finished: Vec::new(),
            fill: Fill::default(),
            counted: 0,
            spare: parse::Spare::default(),
            grep,
        }
    }

    /// Parses one line and passes on the events it finished.
    fn line(&mut self, source: &Source, text: &[u8]) -> io::Result<()> {
        let line = parse::trim_line_end(text);
        if let Some(grep) = &mut self.grep {
            return match grep.line(self.filter, source, line, &mut self.spare) {
                LineKind::Records(_) if grep.has_finished() => self.emit(false),
                LineKind::Records(_) => Ok(()),
                LineKind::Blank | LineKind::Comment | LineKind::Separator => Ok(()),
                LineKind::Unparsed(problem) => self.unparsed(source, &problem.to_string(), line),
            };
        }
        self.records.clear();
        let depth = self.depth();
        match parse::parse_line_with(line, source, &mut self.records, depth, &mut self.spare) {
            LineKind::Records(_) => {
                for rec in self.records.drain(..) {
                    self.assembler.push(rec, &mut self.finished);
                }
                self.emit(false)?;
            }
            LineKind::Blank | LineKind::Comment | LineKind::Separator => {}
            LineKind::Unparsed(problem) => self.unparsed(source, &problem.to_string(), line)?,
        }
        Ok(())
    }

    /// How much of a line the reading thread parses: everything when it
    /// renders too, else only the headers, leaving the fields to the
    /// rendering threads. A full parse costs less than a header-only one
    /// completed later: it needs no look for another record on the line.
    fn depth(&self) -> parse::Depth {
        match self.sink {
            Sink::Direct(_) => parse::Depth::Full,
            Sink::Pool(_) => parse::Depth::Header,
        }
    }

    /// Passes what the assembler finished on, in input order. A single
    /// thread renders once a batch is full (`pool::Fill`), or at the `end`.
    fn emit(&mut self, end: bool) -> io::Result<()> {
        if let Some(grep) = &mut self.grep {
            if let Sink::Direct(back) = &mut self.sink {
                back.matched += grep.write(self.filter, &mut back.output.out)?;
            }
            return Ok(());
        }
        if self.finished.is_empty() {
            return Ok(());
        }
        match &mut self.sink {
            Sink::Direct(back) => {
                let mut full = false;
                for done in &self.finished[self.counted..] {
                    full |= self.fill.add(done);
                }
                self.counted = self.finished.len();
                if !full && !end {
                    return Ok(());
                }
                back.batch(self.filter, &mut self.finished)?;
                back.output.drain()?;
                for done in self.finished.drain(..) {
                    recycle(&mut self.spare, &mut self.assembler, done);
                }
                (self.fill, self.counted) = (Fill::default(), 0);
                Ok(())
            }
            Sink::Pool(pool) => pool.take(&mut self.finished, |done| {
                recycle(&mut self.spare, &mut self.assembler, done);
            }),
        }
    }

    /// Passes on what is still open at the end of input.
    fn finish(&mut self) -> io::Result<()> {
        match &mut self.grep {
            Some(grep) => grep.finish(),
            None => self.assembler.finish(&mut self.finished),
        }
        self.emit(true)
    }

    /// Reports a line without records now on stderr, and in the output in its turn.
    fn unparsed(&mut self, source: &Source, reason: &str, raw: &[u8]) -> io::Result<()> {
        self.diag.unparsed(&source.file, source.line, reason);
        if let Some(grep) = &mut self.grep {
            if self.filter.is_empty() {
                grep.note();
                self.emit(false)?;
            }
            return Ok(());
        }
        if self.filter.is_empty() {
            let note = Skipped {
                file: source.file.clone(),
                line: source.line,
                reason: reason.to_string(),
                raw: raw.to_vec(),
            };
            self.assembler.push_note(note, &mut self.finished);
            self.emit(false)?;
        }
        Ok(())
    }

    /// Streams one reader to the end.
    fn stream<R: Read>(&mut self, name: Arc<str>, reader: R) -> io::Result<()> {
        let mut lines = LineReader::new(reader);
        // One source for the whole input: records clone it, lines only renumber it.
        let mut source = Source {
            file: name,
            line: 0,
        };
        while let Some((line_no, line)) = lines.next_line()? {
            source.line = line_no;
            match line {
                Line::Text(text) => self.line(&source, text)?,
                Line::TooLong(len) => {
                    let reason =
                        format!("line of {len} bytes is longer than the 4 MiB limit; skipped");
                    self.unparsed(&source, &reason, b"")?;
                }
            }
        }
        Ok(())
    }

    /// Reads every input; errors that stop one input are reported and counted.
    fn inputs(&mut self, inputs: Vec<Input>) -> io::Result<()> {
        for input in inputs {
            match input {
                Input::Text(i, text) => {
                    let name: Arc<str> = Arc::from(format!("--line {i}"));
                    self.stream(name, text.as_bytes())?;
                }
                Input::Stdin => self.stream(Arc::from("<stdin>"), io::stdin().lock())?,
                Input::Path(path) => {
                    let shown = path.to_string_lossy().into_owned();
                    match File::open(&path) {
                        Ok(file) => {
                            if let Err(e) = self.stream(Arc::from(shown.as_str()), file) {
                                if e.kind() == io::ErrorKind::BrokenPipe {
                                    return Err(e);
                                }
                                self.diag.error(&format!("{shown}: read error: {e}"));
                            }
                        }
                        Err(e) => self.diag.error(&open_error(&shown, &e)),
                    }
                }
            }
        }
        self.finish()
    }
}

/// Keeps the buffers of an item that was rendered for the lines to come.
fn recycle(spare: &mut parse::Spare, assembler: &mut Assembler<Skipped>, done: Done<Skipped>) {
    if let Done::Event(mut ev) = done {
        for rec in ev.records.drain(..) {
            spare.recycle(rec);
        }
        assembler.recycle(ev.records);
    }
}

/// The size of the standard output's buffer. Raw lines come one by one and
/// are gathered there. Rendered output comes in pieces of many events
/// (`Output::drain`), which a buffered writer copies into its buffer unless
/// they are at least as large: a small buffer lets them go past it.
fn stdout_buffer(format: Format) -> usize {
    match format {
        Format::Raw => 128 << 10,
        Format::Text | Format::Json | Format::Interpreted => 8 << 10,
    }
}

/// How many rendering threads to use.
fn thread_count(asked: usize) -> usize {
    match asked {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
        n => n.min(64),
    }
}

/// The rendering settings the flags ask for; `names`: ids may be looked up
/// on this machine.
fn settings(args: &RunArgs, names: bool) -> Settings {
    Settings {
        format: args.format(),
        color: use_color(args.color),
        clock: Clock::new(args.utc),
        explain_fields: args.explain_fields,
        names: names.then(LocalNames::new),
        short_year: timefmt::c_locale_dates(),
        view: view(args),
    }
}

/// Runs the main command; returns the status for the exit code.
pub fn run(args: &RunArgs) -> Result<Status> {
    let zone = if args.utc {
        jiff::tz::TimeZone::UTC
    } else {
        crate::zone::system_zone()
    };
    let filter = Selector::new(args, &Now::current(zone))?;
    let inputs = inputs(args);
    let settings = settings(args, resolve_ids(args, &inputs));
    // Raw output costs nothing to render: a second thread would only add hand-overs.
    let threads = if args.format() == Format::Raw {
        1
    } else {
        thread_count(args.threads)
    };
    let stdout = io::BufWriter::with_capacity(stdout_buffer(args.format()), io::stdout().lock());
    let (matched, errors) = if threads <= 1 {
        let back = Back::new(Output::new(stdout, settings), args.records, &filter);
        // Raw lines picked by headers alone: no record needs building.
        let grep =
            (args.format() == Format::Raw && filter.header_only()).then(|| Grep::new(args.records));
        let mut run = Run::new(&filter, Sink::Direct(Box::new(back)), grep);
        run.inputs(inputs)?;
        let Sink::Direct(mut back) = run.sink else {
            unreachable!("a direct run stays direct")
        };
        back.output.flush()?;
        run.diag.finish();
        (back.matched, run.diag.errors)
    } else {
        std::thread::scope(|scope| -> io::Result<(u64, u64)> {
            let pool = Pool::start(scope, threads, &filter, &settings, args.records, stdout);
            let mut run = Run::new(&filter, Sink::Pool(Box::new(pool)), None);
            run.inputs(inputs)?;
            let Sink::Pool(pool) = run.sink else {
                unreachable!("a pooled run stays pooled")
            };
            let matched = pool.finish()?;
            run.diag.finish();
            Ok((matched, run.diag.errors))
        })?
    };
    Ok(if errors > 0 {
        Status::Error
    } else if matched > 0 {
        Status::Matched
    } else {
        Status::NothingMatched
    })
}

/// A clear message for a file that cannot be opened.
fn open_error(path: &str, e: &io::Error) -> String {
    let path = crate::sanitize::escaped(path.as_bytes());
    match e.kind() {
        io::ErrorKind::PermissionDenied => {
            format!("{path}: permission denied: try sudo, or pass a copy of the log you can read")
        }
        io::ErrorKind::NotFound if path == DEFAULT_LOG => format!(
            "{path}: not found: auditd does not seem to log here; name a log file or pipe one in"
        ),
        _ => format!("{path}: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    /// What a run with `args` writes for `log`: on this thread alone, or
    /// with `others` rendering threads whose queue holds `queue` batches.
    fn rendered(args: &[&str], log: &[u8], pool: Option<(usize, usize)>) -> Vec<u8> {
        let all = ["auexplain", "--utc", "--color", "never"];
        let cli = Cli::try_parse_from(all.iter().chain(args)).expect("test arguments parse");
        let args = &cli.run;
        let filter = Selector::new(args, &Now::current(jiff::tz::TimeZone::UTC))
            .expect("test filters are valid");
        let settings = settings(args, false);
        let mut out = Vec::new();
        let name: Arc<str> = Arc::from("test.log");
        let Some((others, queue)) = pool else {
            let back = Back::new(Output::new(&mut out, settings), args.records, &filter);
            let mut run = Run::new(&filter, Sink::Direct(Box::new(back)), None);
            run.stream(name, log).expect("writes to memory");
            run.finish().expect("writes to memory");
            drop(run);
            return out;
        };
        std::thread::scope(|scope| {
            let out = &mut out;
            let pool =
                Pool::with_queue(scope, others, queue, &filter, &settings, args.records, out);
            let mut run = Run::new(&filter, Sink::Pool(Box::new(pool)), None);
            run.stream(name, log).expect("writes to memory");
            run.finish().expect("writes to memory");
            let Sink::Pool(pool) = run.sink else {
                unreachable!("a pooled run stays pooled")
            };
            pool.finish().expect("writes to memory");
        });
        out
    }

    /// `line` with `add` added to its serial, so that copies of a log make
    /// events of their own.
    fn renumbered(line: &str, add: u64) -> String {
        let Some(at) = line.find("msg=audit(") else {
            return line.to_string();
        };
        let colon = at + line[at..].find(':').expect("a serial");
        let end = colon + line[colon..].find(')').expect("a closed header");
        let serial: u64 = line[colon + 1..end].parse().expect("a serial");
        format!("{}{}{}", &line[..=colon], serial + add, &line[end..])
    }

    /// Batches rendered by the reading thread, because the renderers' queue
    /// was full or there are none, come out as one thread writes them.
    #[test]
    fn batches_rendered_by_the_reading_thread_keep_the_output() {
        let sample = include_str!("../data/sample.log");
        let mut log = String::new();
        for copy in 0..40 {
            for line in sample.lines() {
                log.push_str(&renumbered(line, copy * 100_000));
                log.push('\n');
            }
        }
        let log = log.as_bytes();
        for args in [
            &[][..],
            &["--format", "json", "--events"],
            &["--format", "json"],
            &["-i"],
            &["--summary"],
            &["--records", "-m", "SYSCALL"],
        ] {
            let one = rendered(args, log, None);
            assert!(one.len() > 50_000, "{args:?} printed too little");
            for pool in [(0, 0), (1, 0), (1, 2), (3, 1)] {
                assert!(
                    one == rendered(args, log, Some(pool)),
                    "{args:?} differs with {pool:?}"
                );
            }
        }
    }
}
