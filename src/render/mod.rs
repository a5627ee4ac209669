//! Output: the only stage that sees a writer. Each format lives in its own
//! module; this one holds what they share (the options and the output sink).

pub mod interpreted;
pub mod json;
pub mod palette;
pub mod raw;
pub mod text;

use std::io::{self, Write};

use crate::interpret::{Context, LocalNames};
use crate::record::Record;
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

/// Settings every renderer reads.
pub struct Settings {
    pub format: Format,
    pub color: bool,
    pub clock: Clock,
    pub explain_fields: bool,
    /// Look ids up in this machine's user database (names marked as local).
    pub resolve_ids: bool,
    /// The interpreted format's dates have a two-digit year (the C locale's `%x`).
    pub short_year: bool,
}

/// A line that held no record, as reported to the user.
pub struct Unparsed<'a> {
    pub file: &'a str,
    pub line: u64,
    pub reason: &'a str,
    pub raw: &'a [u8],
}

/// Where rendered output goes: a buffered writer plus a reusable text buffer.
pub struct Output<W: Write> {
    pub out: W,
    pub buf: String,
    pub settings: Settings,
    last_raw: Option<(std::sync::Arc<str>, u64)>,
    names: Option<LocalNames>,
    interpreted: interpreted::State,
}

impl<W: Write> Output<W> {
    pub fn new(out: W, settings: Settings) -> Output<W> {
        let names = settings.resolve_ids.then(LocalNames::new);
        Output {
            out,
            buf: String::with_capacity(4096),
            settings,
            last_raw: None,
            names,
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
                self.buf.clear();
                let ctx = Context::of(rec).with_names(self.names.as_ref());
                json::record(&mut self.buf, rec, &ctx);
                self.buf.push('\n');
                self.out.write_all(self.buf.as_bytes())
            }
            Format::Text => {
                self.buf.clear();
                let ctx = Context::of(rec).with_names(self.names.as_ref());
                text::record(&mut self.buf, rec, &ctx, &self.settings);
                self.out.write_all(self.buf.as_bytes())
            }
            Format::Interpreted => {
                self.buf.clear();
                let ctx = Context::of(rec).with_names(self.names.as_ref());
                let st = &mut self.interpreted;
                interpreted::record(&mut self.buf, rec, &ctx, &self.settings, st);
                self.out.write_all(self.buf.as_bytes())
            }
        }
    }

    /// Reports a line that held no record, in the chosen format.
    pub fn unparsed(&mut self, u: &Unparsed) -> io::Result<()> {
        self.buf.clear();
        match self.settings.format {
            Format::Raw | Format::Interpreted => return Ok(()),
            Format::Json => json::unparsed(&mut self.buf, u),
            Format::Text => text::unparsed(&mut self.buf, u, &self.settings),
        }
        self.out.write_all(self.buf.as_bytes())
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
