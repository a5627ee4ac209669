//! Field interpretation: raw audit values (numbers, hex, bitmaps) turned into
//! words, in two styles: for people (`Style::Human`) and exactly as
//! `ausearch -i` prints them (`Style::Ausearch`).
//!
//! `kind` decides what a field holds; one small module per kind of value does
//! the work. Interpretation appends to a caller's buffer and returns what it
//! did, so the renderers decide how to show it and nothing is allocated per
//! field on the common paths.

pub mod arch;
mod argrules;
mod args;
mod caps;
pub mod encoded;
mod errno;
mod flags;
pub mod ids;
mod kind;
pub mod mac;
mod misc;
mod mode;
mod net;
mod num;
mod quick;
mod saddr;
mod seccomp;
mod signals;
mod syscalls;
mod tables;
mod tty;

use std::cell::Cell;

use crate::record::{Field, Form, Name, Origin, Quote, Record};

pub use arch::arch_name;
pub use encoded::decode_hex;
pub use errno::errno;
pub use ids::LocalNames;
pub use kind::{Kind, reads_context};
pub use quick::{ArgRules, Quick, for_people as quick_for_people, may_answer as quick_may_answer};
pub use syscalls::syscall_name;

/// Which wording to produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// For people: `openat`, `EACCES "permission denied"`.
    Human,
    /// As `ausearch -i` prints it: `openat`, `EACCES(Permission denied)`.
    Ausearch,
}

/// What `interpret` produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Nothing to add: the value reads as written.
    AsIs,
    /// The value was decoded (hex, quoting); the raw form adds nothing.
    Decoded,
    /// The value was translated (a number into a name); show the raw form beside it.
    Translated,
}

/// A field value as the log wrote it: the text and how it was quoted.
#[derive(Clone, Copy, Debug)]
pub struct Raw<'a> {
    /// The value without its quotes (with its braces for `{ ... }`).
    pub text: &'a [u8],
    pub quote: Quote,
}

impl Raw<'_> {
    /// Appends the value as it was written, quotes included.
    pub fn push_token(&self, out: &mut Vec<u8>) {
        match self.quote {
            Quote::Double => {
                out.push(b'"');
                out.extend_from_slice(self.text);
                out.push(b'"');
            }
            Quote::Single => {
                out.push(b'\'');
                out.extend_from_slice(self.text);
                out.push(b'\'');
            }
            Quote::None | Quote::Brace | Quote::Mangled => out.extend_from_slice(self.text),
        }
    }
}

/// Facts from the rest of the record that some fields need: the arch and
/// syscall for `syscall=` and a0-a3, the first arguments for the later ones,
/// and local id lookups when they are allowed.
#[derive(Clone, Debug, Default)]
pub struct Context<'a> {
    pub arch: Option<&'a [u8]>,
    pub syscall: Option<&'a [u8]>,
    /// a0, a1 and a2 of the syscall as written; `a0()` and the others read
    /// them as hex when a rule asks, which few do.
    a0: Option<&'a [u8]>,
    a1: Option<&'a [u8]>,
    a2: Option<&'a [u8]>,
    /// Local user and group names; `None` when lookups are not allowed.
    pub names: Option<&'a LocalNames>,
    /// The record is known to carry no enrichment fields (`UID="alice"` after
    /// 0x1D), so nobody needs to look for them. `Context::of` sets it.
    pub no_enrichment: bool,
    /// The machine and syscall names, worked out by the first field that
    /// asks and kept for the others; many records are written without any
    /// field asking (their first fields come from `render::memo`).
    known: Cell<Known>,
    /// Index of the first field after the last one that reads this context
    /// (`reads_context`): the fields from there on mean the same whatever
    /// comes before them. `Context::of` sets it.
    pub reads_until: usize,
}

/// What a `Context` has worked out from its arch and syscall: each part is
/// `None` until asked for, then `Some` of the answer.
#[derive(Clone, Copy, Debug, Default)]
struct Known {
    machine: Option<Option<&'static str>>,
    /// The syscall's name in each style.
    human: Option<Option<&'static str>>,
    ausearch: Option<Option<&'static str>>,
}

impl<'a> Context<'a> {
    /// The facts a record carries itself (SYSCALL and SECCOMP records have an
    /// arch, a syscall and arguments), in one pass over its fields.
    pub fn of(rec: &'a Record) -> Context<'a> {
        let mut ctx = Context {
            no_enrichment: true,
            ..Context::default()
        };
        // The parser may know that the last fields have no name looked for
        // here, and whether one of them is an enrichment field.
        let quiet = rec.quiet_tail;
        ctx.no_enrichment = !quiet.enriched;
        let walked = rec.fields.len().saturating_sub(usize::from(quiet.len));
        let fields = rec.fields.get(..walked).unwrap_or_default();
        let mut next = 0;
        if quiet.syscall_head {
            next = ctx.take_syscall_head(rec, fields);
        }
        while let Some((i, f, note)) = next_of_note(rec, fields, next) {
            next = i + 1;
            ctx.no_enrichment &= f.origin != Origin::Enriched;
            // Every name of note but `arch` reads the context (`reads_context`).
            if !matches!(note, Some(Note::Arch) | None) {
                ctx.reads_until = i + 1;
            }
            if f.origin != Origin::Outer {
                continue;
            }
            match note {
                Some(Note::Arch) if ctx.arch.is_none() => ctx.arch = Some(rec.value_of(f)),
                Some(Note::Syscall) if ctx.syscall.is_none() => {
                    ctx.syscall = Some(rec.value_of(f));
                }
                Some(Note::Arg(0)) => keep_arg(&mut ctx.a0, rec.value_of(f)),
                Some(Note::Arg(1)) => keep_arg(&mut ctx.a1, rec.value_of(f)),
                Some(Note::Arg(2)) => keep_arg(&mut ctx.a2, rec.value_of(f)),
                _ => {}
            }
        }
        ctx
    }

    /// What the walk in `of` finds in a usual SYSCALL head (`arch syscall
    /// success exit a0 a1 a2 a3`, the first fields of `fields`), taken
    /// without reading the names; returns where the walk goes on.
    fn take_syscall_head(&mut self, rec: &'a Record, fields: &[Field]) -> usize {
        let [arch, syscall, _success, _exit, a0, a1, a2, _a3, ..] = fields else {
            return 0;
        };
        self.arch = Some(rec.value_of(arch));
        self.syscall = Some(rec.value_of(syscall));
        self.a0 = Some(rec.value_of(a0));
        self.a1 = Some(rec.value_of(a1));
        self.a2 = Some(rec.value_of(a2));
        // `a3` is the last of them that reads the context.
        self.reads_until = 8;
        8
    }

    /// a0 of the syscall read as hex, when the record has one that reads.
    pub(crate) fn a0(&self) -> Option<u64> {
        self.a0.and_then(hex_arg)
    }

    /// a1 of the syscall read as hex.
    pub(crate) fn a1(&self) -> Option<u64> {
        self.a1.and_then(hex_arg)
    }

    /// a2 of the syscall read as hex.
    pub(crate) fn a2(&self) -> Option<u64> {
        self.a2.and_then(hex_arg)
    }

    /// The same facts, with local id lookups allowed or not.
    pub fn with_names(mut self, names: Option<&'a LocalNames>) -> Context<'a> {
        self.names = names;
        self
    }

    /// The machine of the record's arch (`arch::machine_of`), worked out once.
    fn machine(&self) -> Option<&'static str> {
        let mut known = self.known.get();
        if let Some(machine) = known.machine {
            return machine;
        }
        let machine = arch::machine_of(self.arch);
        known.machine = Some(machine);
        self.known.set(known);
        machine
    }

    /// The machine whose syscall table applies: the arch's, this machine's
    /// when there is no arch, and for `ausearch` also when the arch is unknown.
    pub(crate) fn machine_for(&self, style: Style) -> Option<&'static str> {
        match (self.machine(), style) {
            (None, Style::Ausearch) => Some(arch::host_machine()),
            (m, _) => m,
        }
    }

    /// The name of the record's syscall in the given style, worked out once.
    pub(crate) fn syscall_name(&self, style: Style) -> Option<&'static str> {
        let known = self.known.get();
        let kept = match style {
            Style::Human => known.human,
            Style::Ausearch => known.ausearch,
        };
        if let Some(name) = kept {
            return name;
        }
        let name = self.work_out_syscall_name(style);
        let mut known = self.known.get();
        match style {
            Style::Human => known.human = Some(name),
            Style::Ausearch => known.ausearch = Some(name),
        }
        self.known.set(known);
        name
    }

    /// The name of the record's syscall in the given style, from the tables.
    /// Records mostly repeat a few calls, so the answer is looked for
    /// first among those met lately (`syscalls::recalled_name`).
    fn work_out_syscall_name(&self, style: Style) -> Option<&'static str> {
        let text = self.syscall?;
        syscalls::recalled_name(self.arch, text, style, || {
            let raw = Raw {
                text,
                quote: Quote::None,
            };
            let n = syscalls::number(raw, style)?;
            syscalls::name_on(self.machine_for(style)?, n, style)
        })
    }
}

/// A name `Context::of` looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Note {
    Arch,
    Syscall,
    /// `a0` to `a3`, by number.
    Arg(u8),
}

/// The first of `fields` (of `rec`) from index `from` on that `Context::of`
/// must look at: `arch`, `syscall`, `a0` to `a3` (whatever section holds
/// them), or one from the enrichment section; with what its name is. A loop
/// of its own, so the many other fields cost a few instructions each.
fn next_of_note<'r>(
    rec: &Record,
    fields: &'r [Field],
    from: usize,
) -> Option<(usize, &'r Field, Option<Note>)> {
    let rest = fields.get(from..)?;
    for (at, f) in rest.iter().enumerate() {
        if may_be_of_note(f) {
            let note = note_of(rec, f.name);
            if note.is_some() || f.origin == Origin::Enriched {
                return Some((from + at, f, note));
            }
        }
    }
    None
}

/// Lengths a name of note has: `a0` to `a3`, `arch`, `syscall`.
const NOTE_LENGTHS: u32 = 1 << 2 | 1 << 4 | 1 << 7;

/// False for a field `next_of_note` passes over, found from the lengths
/// of its name and its origin alone (no byte of the line is read): most
/// fields are told apart so. True ones are looked at closely.
#[inline]
fn may_be_of_note(f: &Field) -> bool {
    let by_name = match f.name {
        Name::Text(span) => {
            let len = span.end.wrapping_sub(span.start);
            len < 8 && NOTE_LENGTHS >> len & 1 != 0
        }
        Name::Fixed(_) => true,
    };
    by_name || f.origin == Origin::Enriched
}

/// Which of `arch`, `syscall` and `a0` to `a3` a name is, if any. The length
/// of a name from the line is known without reading it, and most names have
/// another.
#[inline]
fn note_of(rec: &Record, name: Name) -> Option<Note> {
    let text = match name {
        Name::Text(span) => match span.end.wrapping_sub(span.start) {
            2 | 4 | 7 => rec.bytes(span),
            _ => return None,
        },
        Name::Fixed(name) => name.as_bytes(),
    };
    match *text {
        [b'a', b'r', b'c', b'h'] => Some(Note::Arch),
        [b's', b'y', b's', b'c', b'a', b'l', b'l'] => Some(Note::Syscall),
        [b'a', d @ b'0'..=b'3'] => Some(Note::Arg(d - b'0')),
        _ => None,
    }
}

/// Keeps the text of an argument field for `Context`: the first one that
/// reads as hex, as the context has always taken (a later field of the same
/// name replaces one that does not read, which only a mangled record has).
fn keep_arg<'a>(kept: &mut Option<&'a [u8]>, text: &'a [u8]) {
    if kept.is_none_or(|k| hex_arg(k).is_none()) {
        *kept = Some(text);
    }
}

/// A syscall argument as `ausearch` reads it (C `strtoull`, base 16).
fn hex_arg(v: &[u8]) -> Option<u64> {
    match num::c_strtoul(v, 16) {
        num::Num::Val(v) => Some(v),
        _ => None,
    }
}

/// `conversion error(VALUE)`, as `ausearch` says when a number overflows.
fn conversion_error(raw: Raw, out: &mut Vec<u8>) -> Shown {
    out.extend_from_slice(b"conversion error(");
    raw.push_token(out);
    out.push(b')');
    Shown::Translated
}

/// Writes `name`; without one, people see the value as written and `ausearch`
/// says `unknown-WHAT(PREFIXVALUE)`.
fn named(
    name: Option<&str>,
    what: &str,
    prefix: &str,
    raw: Raw,
    style: Style,
    out: &mut Vec<u8>,
) -> Shown {
    match name {
        Some(n) => out.extend_from_slice(n.as_bytes()),
        None if style == Style::Human => return Shown::AsIs,
        None => {
            out.extend_from_slice(b"unknown-");
            out.extend_from_slice(what.as_bytes());
            out.push(b'(');
            out.extend_from_slice(prefix.as_bytes());
            raw.push_token(out);
            out.push(b')');
        }
    }
    Shown::Translated
}

/// Reads a number the way the style reads it; on failure returns what the
/// caller should return (and has written any `ausearch` error text).
fn read(raw: Raw, base: u32, style: Style, out: &mut Vec<u8>) -> Result<u64, Shown> {
    match num::unsigned(raw, base, style) {
        num::Num::Val(v) => Ok(v),
        num::Num::Overflow if style == Style::Ausearch => Err(conversion_error(raw, out)),
        _ => Err(Shown::AsIs),
    }
}

/// True when each field of `rec` is interpreted from itself and the names
/// that read the context (`reads_context`): no enrichment section lends
/// words, no EXECVE argument is joined from pieces, and the record is not
/// `ausearch -i` text (whose words are kept as they are).
pub fn fields_read_alone(rec: &Record, ctx: &Context) -> bool {
    ctx.no_enrichment
        && rec.form != Form::Interpreted
        && rec.type_number != Some(kind::rtype::EXECVE)
}

/// The kind of value field `name` holds in `rec`.
pub fn kind_of(rec: &Record, name: &[u8], raw: Raw) -> Kind {
    kind::classify_for(rec.type_number, name, raw, false)
}

/// The enrichment field (after 0x1D) that goes with field `name`, if any.
fn enriched_field<'r>(rec: &'r Record, name: &[u8]) -> Option<&'r crate::record::Field> {
    rec.fields
        .iter()
        .filter(|f| f.origin == Origin::Enriched)
        .find(|f| rec.name_of(f).eq_ignore_ascii_case(name))
}

/// The enrichment value that goes with field `name`, if any.
fn enriched_for<'r>(rec: &'r Record, name: &[u8]) -> Option<&'r [u8]> {
    enriched_field(rec, name).map(|f| rec.value_of(f))
}

/// `ausearch` takes a field's words from the enrichment section when the
/// record has one, unless the enrichment itself did not know the value. A
/// SOCKADDR's enrichment counts only in its `{ ... }` form, and runs to the end.
fn ausearch_enriched(rec: &Record, name: &[u8], kind: Kind, out: &mut Vec<u8>) -> Option<Shown> {
    let f = enriched_field(rec, name)?;
    let mut text = rec.value_of(f);
    // Without the 0x1D byte ausearch sees no enrichment section at all.
    if text.starts_with(b"unknown-") || memchr::memchr(0x1d, rec.raw()).is_none() {
        return None;
    }
    if kind == Kind::Sockaddr {
        if f.quote != Quote::Brace {
            return None;
        }
        let rest = rec.bytes(crate::record::Span::new(
            f.value.start as usize,
            rec.text.end as usize,
        ));
        let end = rest
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |p| p + 1);
        text = &rest[..end];
    }
    let raw = Raw {
        text,
        quote: f.quote,
    };
    if matches!(kind, Kind::Uid | Kind::Gid) {
        if encoded::escaped(raw, Style::Ausearch, out) == Shown::AsIs {
            raw.push_token(out);
        }
    } else {
        raw.push_token(out);
    }
    Some(Shown::Translated)
}

/// Appends the interpretation of field `idx` of `rec` to `out`. The bytes are
/// not escaped: renderers for people pass them through `sanitize`, JSON escapes them.
pub fn interpret(
    rec: &Record,
    idx: usize,
    ctx: &Context,
    style: Style,
    out: &mut Vec<u8>,
) -> Shown {
    let Some(f) = rec.fields.get(idx) else {
        return Shown::AsIs;
    };
    interpret_with(rec, f, rec.name_of(f), rec.value_of(f), ctx, style, out)
}

/// The kind `interpret_with` gives field `f` in the people's style, or
/// `None` when it shows the field as written whatever its value: values
/// pasted from `ausearch -i`, enrichment values, and the kinds that hold no
/// words of their own (`Unclassified`, `MacLabel`, `Addr`). Renderers that
/// copy such fields straight from the line ask this first, then pass the
/// kind to `interpret_kind`, so the name is looked up once.
pub fn human_kind_of(rec: &Record, f: &Field, name: &[u8], value: &[u8]) -> Option<Kind> {
    if rec.form == Form::Interpreted || f.origin == Origin::Enriched {
        return None;
    }
    let raw = Raw {
        text: value,
        quote: f.quote,
    };
    match kind::classify_for(rec.type_number, name, raw, true) {
        Kind::Unclassified | Kind::MacLabel | Kind::Addr => None,
        kind => Some(kind),
    }
}

/// `interpret` for a field of `rec` whose name and value the caller has
/// already read out of the record.
pub fn interpret_with(
    rec: &Record,
    f: &Field,
    name: &[u8],
    value: &[u8],
    ctx: &Context,
    style: Style,
    out: &mut Vec<u8>,
) -> Shown {
    // Values pasted from `ausearch -i` are words already; enrichment values too.
    if rec.form == Form::Interpreted || f.origin == Origin::Enriched {
        return Shown::AsIs;
    }
    let raw = Raw {
        text: value,
        quote: f.quote,
    };
    interpret_field(rec, name, raw, ctx, style, out)
}

/// Only undoes the kernel's encoding of field `idx`: hex-encoded strings
/// (comm, exe, paths, proctitle, keys, EXECVE arguments, TTY data) become their
/// bytes, unescaped and unchanged otherwise; every other field is `AsIs`. For
/// code that reads values rather than showing them (summaries).
pub fn decode_field(rec: &Record, idx: usize, out: &mut Vec<u8>) -> Shown {
    let Some(f) = rec.fields.get(idx) else {
        return Shown::AsIs;
    };
    let raw = Raw {
        text: rec.value_of(f),
        quote: f.quote,
    };
    if rec.form == Form::Interpreted || f.origin == Origin::Enriched || !encoded::is_encoded(raw) {
        return Shown::AsIs;
    }
    match kind_of(rec, rec.name_of(f), raw) {
        Kind::Escaped | Kind::EscapedFile | Kind::EscapedKey | Kind::Proctitle | Kind::TtyData => {
            encoded::decode_hex_into(raw.text, out);
            Shown::Decoded
        }
        _ => Shown::AsIs,
    }
}

/// Interprets a value of field `name` in `rec` (the value need not be one of
/// the record's parsed fields: the `ausearch` layout splits values its own way).
pub fn interpret_field(
    rec: &Record,
    name: &[u8],
    raw: Raw,
    ctx: &Context,
    style: Style,
    out: &mut Vec<u8>,
) -> Shown {
    // One look at the name table gives the kind in this style.
    let kind = kind::classify_for(rec.type_number, name, raw, style == Style::Human);
    // Most fields hold nothing to interpret: answer before any other test.
    if kind == Kind::Unclassified {
        return Shown::AsIs;
    }
    interpret_kind(rec, kind, name, raw, ctx, style, out)
}

/// Like `interpret_field`, with the field's kind already known.
pub fn interpret_kind(
    rec: &Record,
    mut kind: Kind,
    name: &[u8],
    raw: Raw,
    ctx: &Context,
    style: Style,
    out: &mut Vec<u8>,
) -> Shown {
    if style == Style::Human && kind == Kind::Unclassified {
        kind = human_kind(name);
    }
    if style == Style::Human && human_keeps_quoted(rec, kind, name, raw) {
        return Shown::AsIs;
    }
    if style == Style::Ausearch
        && !ctx.no_enrichment
        && kind != Kind::Unclassified
        && let Some(shown) = ausearch_enriched(rec, name, kind, out)
    {
        return shown;
    }
    dispatch(rec, kind, name, raw, ctx, style, out)
}

/// True when the people's style shows a value of `kind` as written with
/// no need to interpret it: a quoted string (the kernel quotes only the
/// strings it did not hex-encode), unless it is a piece of an EXECVE
/// argument, which is joined with the others. What `dispatch` finds for
/// such a value, found with a few tests.
#[inline]
pub fn human_keeps_quoted(rec: &Record, kind: Kind, name: &[u8], raw: Raw) -> bool {
    raw.quote != Quote::None
        && matches!(kind, Kind::Escaped | Kind::EscapedFile)
        && !(rec.type_number == Some(kind::rtype::EXECVE) && name.contains(&b'['))
}

/// Fields `ausearch` leaves alone that people still want in words.
fn human_kind(name: &[u8]) -> Kind {
    kind::human_kind(name)
}

fn id_sources<'a>(
    rec: &'a Record,
    name: &[u8],
    ctx: &Context<'a>,
    style: Style,
) -> ids::Sources<'a> {
    ids::Sources {
        enriched: match style {
            Style::Human if !ctx.no_enrichment => enriched_for(rec, name),
            _ => None,
        },
        local: ctx.names,
    }
}

fn dispatch(
    rec: &Record,
    kind: Kind,
    name: &[u8],
    raw: Raw,
    ctx: &Context,
    style: Style,
    out: &mut Vec<u8>,
) -> Shown {
    use Kind::*;
    match kind {
        Uid | Gid => {
            let which = if kind == Uid {
                ids::IdKind::User
            } else {
                ids::IdKind::Group
            };
            ids::id(
                raw,
                10,
                which,
                id_sources(rec, name, ctx, style),
                style,
                out,
            )
        }
        Syscall => {
            let name_of = |n| syscall_named(raw, n, ctx, style);
            syscalls::interpret(raw, name_of, || ctx.a0(), style, out)
        }
        Arch => arch::interpret(raw, style, out),
        Exit => errno::exit(raw, style, out),
        Escaped | EscapedFile
            if style == Style::Human
                && rec.type_number == Some(kind::rtype::EXECVE)
                && name.contains(&b'[') =>
        {
            encoded::execve_chunk(rec, name, raw, out)
        }
        Escaped | EscapedFile => encoded::escaped(raw, style, out),
        EscapedKey => encoded::key(raw, style, out),
        Perm => mode::perm(raw, style, out),
        Mode => mode::mode(raw, 8, style, out),
        ModeShort => mode::mode_short(raw, 8, style, out),
        Sockaddr => saddr::saddr(raw, style, out),
        PathFlags => misc::path_flags(raw, style, out),
        Promisc => misc::promisc(raw, style, out),
        Capability => caps::capability(raw, 10, style, out),
        Success => misc::success(raw, style, out),
        Arg(n) => args::arg(raw, n, ctx, style, out),
        Signal => signals::signal(raw, 10, style, out),
        List => misc::list(raw, style, out),
        TtyData => tty::tty_data(raw, style, out),
        Session => misc::session(raw, style, out),
        CapBitmap => caps::bitmap(raw, style, out),
        NfProto => net::nfproto(raw, style, out),
        IcmpType => net::icmptype(raw, style, out),
        Protocol => net::protocol(raw, style, out),
        Personality => flags::per(raw, style, out),
        Seccomp => seccomp::code(raw, style, out),
        OpenFlags => flags::oflag(raw, style, out),
        MmapFlags => flags::mmap_record_flags(raw, style, out),
        Proctitle => encoded::proctitle(raw, style, out),
        Hook => net::hook(raw, style, out),
        NetAction => net::netaction(raw, style, out),
        MacProto => net::macproto(raw, style, out),
        IoctlReq => misc::ioctl(raw, style, out),
        Fanotify => misc::fanotify(raw, style, out),
        NlMcGrp => misc::nlmcgrp(raw, style, out),
        Resolve => misc::resolve(raw, style, out),
        Trust | FanType | FanInfo => misc::fanotify_detail(kind, raw, out),
        Addr | MacLabel | Unclassified => Shown::AsIs,
    }
}

/// The name of syscall `n`, read from `raw`, on the machine of the record
/// with context `ctx`. The record's own bare `syscall=` value reads as the
/// number the context read, so its name is the one the context keeps.
fn syscall_named(raw: Raw, n: u32, ctx: &Context, style: Style) -> Option<&'static str> {
    let own = ctx.syscall.is_some_and(|s| std::ptr::eq(s, raw.text));
    if own && raw.quote == Quote::None {
        return ctx.syscall_name(style);
    }
    syscalls::name_on(ctx.machine_for(style)?, n, style)
}

/// A bare (unquoted) value, for tests.
#[cfg(test)]
pub(crate) fn raw(s: &str) -> Raw<'_> {
    Raw {
        text: s.as_bytes(),
        quote: Quote::None,
    }
}

/// Runs one interpreter on a value, for tests: what it reported and wrote.
#[cfg(test)]
pub(crate) fn run_on(
    f: fn(Raw, Style, &mut Vec<u8>) -> Shown,
    r: Raw,
    style: Style,
) -> (Shown, String) {
    let mut out = Vec::new();
    let shown = f(r, style, &mut out);
    (shown, String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests;
