//! Output: the only stage that sees a writer. Each format lives in its own
//! module; this one holds what they share (the options and the output sink).

pub mod event;
pub mod event_json;
pub mod interpreted;
pub mod json;
pub mod jsonstr;
pub mod memo;
pub mod palette;
pub mod raw;
pub mod text;

use std::io::{self, Write};

use crate::event::Event;
use crate::interpret::{Context, LocalNames};
use crate::record::Record;
use crate::summary::{self, Summary};
use crate::timefmt::Clock;

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Annotated records for people (the default).
    Text,
    /// One JSON object per line.
    Json,
    /// The original lines, byte for byte.
    Raw,
    /// `ausearch -i`'s layout, for scripts built on it.
    Interpreted,
}

/// How events are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Text: records under an event header with its summary (the default).
    Grouped,
    /// Records one by one (`--records`); JSON: record objects.
    Records,
    /// One line per event (`--summary`); JSON: event objects without records.
    Summary,
    /// JSON: event objects with their records (`--events`).
    Events,
}

/// Settings every renderer reads.
pub struct Settings {
    pub format: Format,
    pub color: bool,
    pub clock: Clock,
    pub explain_fields: bool,
    pub view: View,
    /// Local user and group names, when ids may be looked up on this machine
    /// (`--resolve-ids`); names found so are marked as local.
    pub names: Option<LocalNames>,
    /// The interpreted format's dates have a two-digit year (the C locale's `%x`).
    pub short_year: bool,
}

impl Settings {
    /// A copy for another rendering thread, with caches of its own.
    pub fn for_thread(&self) -> Settings {
        Settings {
            format: self.format,
            color: self.color,
            clock: self.clock.clone(),
            explain_fields: self.explain_fields,
            view: self.view,
            names: self.names.as_ref().map(|_| LocalNames::new()),
            short_year: self.short_year,
        }
    }

    /// The facts of a record its fields' interpretation needs.
    pub fn context<'a>(&'a self, rec: &'a Record) -> Context<'a> {
        Context::of(rec).with_names(self.names.as_ref())
    }
}

/// A line that held no record, as reported to the user.
pub struct Unparsed<'a> {
    pub file: &'a str,
    pub line: u64,
    pub reason: &'a str,
    pub raw: &'a [u8],
}

/// Largest render buffer kept between records: a megabyte line grows one
/// far past this, and keeping that memory would only raise the peak.
const KEEP_BUFFER: usize = 1 << 20;

/// Most queued output (`Output::queue`) kept before it is written; the rest
/// is written when a batch of events is done. More than a batch's output
/// mostly comes to, so that a pool's renderer hands a batch's output over
/// whole (`take_rendered`), and less than `KEEP_BUFFER`, so that the buffer
/// is kept.
const DRAIN_AT: usize = 512 << 10;

/// Where rendered output goes: the writer, and the buffers items are
/// rendered into and queued in until they are written (`queue`, `drain`).
pub struct Output<W: Write> {
    pub out: W,
    /// The text format's queue.
    pub buf: String,
    /// The JSON and interpreted formats' queue.
    pub bytes: Vec<u8>,
    pub settings: Settings,
    last_raw: Option<(std::sync::Arc<str>, u64)>,
    interpreted: interpreted::State,
}

impl<W: Write> Output<W> {
    pub fn new(out: W, settings: Settings) -> Output<W> {
        Output {
            out,
            buf: String::with_capacity(4096),
            bytes: Vec::with_capacity(8192),
            settings,
            last_raw: None,
            interpreted: interpreted::State::default(),
        }
    }

    /// Writes one record in the chosen format.
    pub fn record(&mut self, rec: &Record) -> io::Result<()> {
        match self.settings.format {
            Format::Raw => {
                // Several records can share a line; write that line once.
                let key = (rec.source.file.clone(), rec.source.line);
                if self.last_raw.as_ref() == Some(&key) {
                    return Ok(());
                }
                self.last_raw = Some(key);
                raw::write_line(&mut self.out, rec.raw())
            }
            Format::Json => {
                json::record_in(&mut self.bytes, rec, self.settings.names.as_ref());
                self.bytes.push(b'\n');
                self.queue()
            }
            Format::Text => {
                text::record(&mut self.buf, rec, &self.settings, "");
                self.queue()
            }
            Format::Interpreted => {
                let ctx = self.settings.context(rec);
                let st = &mut self.interpreted;
                interpreted::record(&mut self.bytes, rec, &ctx, &self.settings, st);
                self.queue()
            }
        }
    }

    /// Whether events are written one record at a time, with no summary.
    fn per_record(&self) -> bool {
        match self.settings.format {
            Format::Raw | Format::Interpreted => true,
            Format::Json => matches!(self.settings.view, View::Records | View::Grouped),
            Format::Text => self.settings.view == View::Records,
        }
    }

    /// Whether `event` will need a summary of `ev` worked out ahead of
    /// writing it: false when it needs none, or remembers what the event's
    /// body decides (`memo::alone`) and works it out only if it must.
    pub fn wants_summary_ahead(&self, ev: &Event) -> bool {
        !self.per_record() && memo::alone(ev).is_none()
    }

    /// Writes one event in the chosen format and view, with its summary
    /// when it was worked out ahead (`wants_summary_ahead`).
    pub fn event(&mut self, ev: &Event, ahead: Option<&Summary>) -> io::Result<()> {
        if self.per_record() {
            for rec in &ev.records {
                self.record(rec)?;
            }
            return Ok(());
        }
        let view = self.settings.view;
        if self.settings.format == Format::Json {
            let with_records = view == View::Events;
            match ahead {
                Some(sum) => event_json::event(&mut self.bytes, ev, sum, with_records),
                None => {
                    if !event_json::event_alone(&mut self.bytes, ev, with_records) {
                        let sum = summary::summarize(ev);
                        event_json::event(&mut self.bytes, ev, &sum, with_records);
                    }
                }
            }
            self.bytes.push(b'\n');
            return self.queue();
        }
        let (out, s) = (&mut self.buf, &self.settings);
        match (view, ahead) {
            (View::Summary, Some(sum)) => event::summary_line(out, ev, sum, s),
            (View::Summary, None) => {
                if !event::summary_line_alone(out, ev, s) {
                    event::summary_line(out, ev, &summary::summarize(ev), s);
                }
            }
            (_, Some(sum)) => event::grouped(out, ev, sum, s),
            (_, None) => {
                if !event::grouped_alone(out, ev, s) {
                    event::grouped(out, ev, &summary::summarize(ev), s);
                }
            }
        }
        self.queue()
    }

    /// Reports a line that held no record, in the chosen format.
    pub fn unparsed(&mut self, u: &Unparsed) -> io::Result<()> {
        match self.settings.format {
            Format::Raw | Format::Interpreted => Ok(()),
            Format::Json => {
                json::unparsed(&mut self.bytes, u);
                self.queue()
            }
            Format::Text => {
                text::unparsed(&mut self.buf, u, &self.settings);
                self.queue()
            }
        }
    }

    /// Writes what is queued, then flushes the writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.drain()?;
        self.out.flush()
    }

    /// Starts a batch of events rendered apart from the ones before it (on a
    /// thread of a pool): see `interpreted::Seam`.
    pub fn begin_batch(&mut self) {
        if self.settings.format == Format::Interpreted {
            self.interpreted.begin_batch();
        }
    }

    /// Ends the batch; in the interpreted format, where its first `----` is.
    pub fn end_batch(&mut self) -> Option<interpreted::Seam> {
        self.interpreted.end_batch()
    }

    /// Writes what the formats that render queued once there is enough of
    /// it (`DRAIN_AT`): items are rendered straight after the ones before
    /// them, and handed to the writer in large pieces, which a buffered
    /// writer with a smaller buffer passes on without a copy.
    fn queue(&mut self) -> io::Result<()> {
        if self.bytes.len() + self.buf.len() >= DRAIN_AT {
            self.drain()
        } else {
            Ok(())
        }
    }

    /// Writes everything queued (`queue`), and gives back the memory of a
    /// buffer that a huge record grew.
    pub fn drain(&mut self) -> io::Result<()> {
        let result = self
            .out
            .write_all(&self.bytes)
            .and_then(|()| self.out.write_all(self.buf.as_bytes()));
        self.bytes.clear();
        self.buf.clear();
        if self.bytes.capacity() > KEEP_BUFFER {
            self.bytes = Vec::with_capacity(8192);
        }
        if self.buf.capacity() > KEEP_BUFFER {
            self.buf = String::with_capacity(4096);
        }
        result
    }
}

impl Output<Vec<u8>> {
    /// Everything rendered into this output so far, written or queued, and
    /// the output emptied. Output queued in one buffer while none was
    /// written is handed over whole, without a copy.
    pub fn take_rendered(&mut self) -> io::Result<Vec<u8>> {
        if self.out.is_empty() && self.buf.is_empty() {
            std::mem::swap(&mut self.out, &mut self.bytes);
        } else if self.out.is_empty() && self.bytes.is_empty() {
            // The empty output's memory serves as the next text buffer.
            let empty = String::from_utf8(std::mem::take(&mut self.out)).unwrap_or_default();
            self.out = std::mem::replace(&mut self.buf, empty).into_bytes();
        } else {
            self.drain()?;
        }
        Ok(std::mem::take(&mut self.out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timefmt::Clock;

    fn output(format: Format) -> Output<Vec<u8>> {
        let settings = Settings {
            format,
            color: false,
            clock: Clock::new(true),
            explain_fields: false,
            view: View::Grouped,
            names: None,
            short_year: true,
        };
        Output::new(Vec::new(), settings)
    }

    /// Queued output comes out whole and in order, whichever buffers hold
    /// it, and the output is left empty for the next batch.
    #[test]
    fn rendered_output_is_taken_whole_and_in_order() {
        let mut json = output(Format::Json);
        json.bytes.extend_from_slice(b"{\"a\":1}\n");
        assert_eq!(json.take_rendered().unwrap(), b"{\"a\":1}\n");
        let mut text = output(Format::Text);
        text.buf.push_str("one\n");
        assert_eq!(text.take_rendered().unwrap(), b"one\n");
        // Written output comes before what is still queued.
        let mut both = output(Format::Json);
        both.out.extend_from_slice(b"first\n");
        both.bytes.extend_from_slice(b"second\n");
        assert_eq!(both.take_rendered().unwrap(), b"first\nsecond\n");
        for mut o in [json, text, both] {
            assert!(o.out.is_empty() && o.bytes.is_empty() && o.buf.is_empty());
            assert!(o.take_rendered().unwrap().is_empty());
        }
    }
}
