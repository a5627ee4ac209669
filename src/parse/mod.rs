//! Turning one input line into records, or into a reason why it holds none.
//!
//! Parsing does no I/O and never fails hard: every line ends up as records, as a
//! skipped line (blank, comment, ausearch separator), or as an unparsed line with
//! a reason. The parser does not need to know a record type to parse it; the
//! table is consulted only to name it.

mod classes;
pub mod fields;
pub mod header;
mod heads;
pub mod prefix;
mod recall;
mod spare;
mod syscall_head;

use crate::record::{Field, Form, Name, Origin, QuietTail, Quote, Record, Source, Span};
use crate::types;
use fields::{Mode, Pause, Scanner};
pub use heads::{Head, each_head};
use prefix::Anchor;
use recall::Scanned;
use spare::Resolved;
pub use spare::Spare;

/// What a line turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// This many records were appended to the output.
    Records(usize),
    Blank,
    Comment,
    /// `----` and `time->...` lines of ausearch output.
    Separator,
    /// No record could be found; the problem says why and where.
    Unparsed(Problem),
}

/// Why a line holds no record, and the 1-based column where parsing gave up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Problem {
    pub reason: &'static str,
    pub column: Option<usize>,
}

impl Problem {
    fn kind(reason: &'static str) -> LineKind {
        LineKind::Unparsed(Problem {
            reason,
            column: None,
        })
    }

    fn at(reason: &'static str, offset: usize) -> LineKind {
        LineKind::Unparsed(Problem {
            reason,
            column: Some(offset + 1),
        })
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.column {
            Some(c) => write!(f, "col {c}: {}", self.reason),
            None => f.write_str(self.reason),
        }
    }
}

/// Strips the line end (`\n`, `\r\n`, stray `\r`).
pub fn trim_line_end(mut line: &[u8]) -> &[u8] {
    while let Some((&last, rest)) = line.split_last() {
        if last == b'\n' || last == b'\r' {
            line = rest;
        } else {
            break;
        }
    }
    line
}

/// How much of a line to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// Everything: header, type and every field.
    Full,
    /// Header and type only, for work that never reads a field (a type grep in
    /// raw output). Lines holding several records are still read in full.
    Header,
}

/// Parses one line (without its line end) into `out`.
pub fn parse_line(line: &[u8], source: &Source, out: &mut Vec<Record>) -> LineKind {
    parse_line_to(line, source, out, Depth::Full)
}

/// Parses one line to the given depth.
pub fn parse_line_to(
    line: &[u8],
    source: &Source,
    out: &mut Vec<Record>,
    depth: Depth,
) -> LineKind {
    parse_line_with(line, source, out, depth, &mut Spare::default())
}

/// Parses one line to the given depth, copying it into buffers from `spare`.
pub fn parse_line_with(
    line: &[u8],
    source: &Source,
    out: &mut Vec<Record>,
    depth: Depth,
    spare: &mut Spare,
) -> LineKind {
    match locate(line, spare) {
        Located::Skipped(kind) => kind,
        Located::Anchor(anchor, resolved) => {
            let headers_only = depth == Depth::Header && !another_record(line, &anchor);
            parse_anchored(line, (anchor, resolved), source, out, headers_only, spare)
        }
        Located::Nothing => parse_unanchored(line, source, out),
    }
}

/// True when another record follows the one anchored at `anchor` on the
/// line. Another record starts with `type=NAME` and then an `audit(` header;
/// when the first record has such a header itself, no other can start before
/// that header ends (it holds no `type`), so a line without `audit(` after
/// it holds one record, which a quick search settles.
fn another_record(line: &[u8], anchor: &Anchor) -> bool {
    let own = prefix::skip_spaces(line, anchor.after);
    let rest = line.get(own..).unwrap_or_default();
    let header = if rest.starts_with(b"msg=audit(") {
        10
    } else if rest.starts_with(b"audit(") {
        6
    } else {
        return prefix::another_record_after(line, anchor.after);
    };
    heads::maybe_another_header(&rest[header..]) && prefix::another_record_after(line, anchor.after)
}

/// What a first look at a line found.
enum Located {
    /// A line without records: blank, a comment, an ausearch separator.
    Skipped(LineKind),
    /// The first `type=NAME` anchor, with the type it names.
    Anchor(Anchor, Resolved),
    /// No anchor: maybe journald's form, else an unparsed line.
    Nothing,
}

/// Skips lines without records and finds the first anchor of the others.
fn locate(line: &[u8], spare: &mut Spare) -> Located {
    // auditd's own lines start with a type name seen lately: none of the
    // checks below can apply to them.
    if let Some((anchor, resolved)) = spare.seen_anchor(line) {
        return Located::Anchor(anchor, resolved);
    }
    let start = line
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(line.len());
    let body = &line[start..];
    if body.is_empty() {
        return Located::Skipped(LineKind::Blank);
    }
    if body[0] == b'#' {
        return Located::Skipped(LineKind::Comment);
    }
    if body.starts_with(b"----") || body.starts_with(b"time->") {
        return Located::Skipped(LineKind::Separator);
    }
    match prefix::find_anchor(line) {
        Some(anchor) => {
            let resolved = types::resolve(&line[anchor.name.0..anchor.name.1]);
            spare.remember(line, &anchor, resolved);
            Located::Anchor(anchor, resolved)
        }
        None => Located::Nothing,
    }
}

/// A line without a `type=` anchor: journald's form, or a reason why it holds
/// no record.
fn parse_unanchored(line: &[u8], source: &Source, out: &mut Vec<Record>) -> LineKind {
    let start = line
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(line.len());
    let body = &line[start..];
    if let Some(kind) = parse_journald(line, source, out) {
        return kind;
    }
    if memchr::memmem::find(line, b"audit:").is_some() {
        return Problem::kind("kernel audit status message without a record");
    }
    if start > 0 && body.contains(&b'=') {
        return Problem::kind(
            "indented key=value text with no record type: the continuation of a record broken over two lines",
        );
    }
    Problem::kind("no audit record in this line (no type= and no record type name)")
}

/// The node named before a record: `node=`, else the syslog host.
fn node_of(line: &[u8], prefix_end: usize) -> Option<Span> {
    if prefix_end == 0 {
        return None;
    }
    let prefix = &line[..prefix_end];
    prefix::node_in(prefix)
        .or_else(|| prefix::syslog_host(prefix))
        .map(|(a, b)| Span::new(a, b))
}

/// Lines that went through a SIEM or a person: spaced `=`, curly quotes, `Time=` stamps.
fn looks_mangled(line: &[u8], anchor: &Anchor) -> bool {
    prefix_mangled(line, anchor) || has_curly_quote(line)
}

/// The part of `looks_mangled` that reads only up to the type name.
fn prefix_mangled(line: &[u8], anchor: &Anchor) -> bool {
    let prefix = &line[..anchor.start];
    anchor.name.0 != anchor.start + 5
        || (!prefix.is_empty()
            && (memchr::memmem::find(prefix, b"= ").is_some()
                || memchr::memmem::find(prefix, b"Time=").is_some()))
}

/// The part of `looks_mangled` that reads the whole line: a closing curly quote.
fn has_curly_quote(line: &[u8]) -> bool {
    memchr::memchr_iter(0xE2, line).any(|i| line[i..].starts_with("\u{201d}".as_bytes()))
}

fn parse_anchored(
    line: &[u8],
    (first, first_type): (Anchor, Resolved),
    source: &Source,
    out: &mut Vec<Record>,
    headers_only: bool,
    spare: &mut Spare,
) -> LineKind {
    let before = out.len();
    let forwarded = {
        let p = &line[..first.start];
        !(p.is_empty() || prefix::node_prefix_len(p).is_some() || is_node_only(p))
    };
    // A header-only parse leaves the look at the whole line to `complete`.
    let mode = if headers_only {
        if prefix_mangled(line, &first) {
            Mode::Lenient
        } else {
            Mode::StrictUnlessCurly
        }
    } else if looks_mangled(line, &first) {
        Mode::Lenient
    } else {
        Mode::Strict
    };
    let mut anchor = first;
    let mut node = node_of(line, first.start);
    loop {
        let header_at = prefix::skip_spaces(line, anchor.after);
        let rest = &line[header_at..];
        let parsed = match spare.header.read(rest) {
            Some(done) => Ok(done),
            None => header::parse_header(rest),
        };
        let (body_start, header) = match parsed {
            Ok((after, h)) => (line.len() - after.len(), Some(h)),
            Err(_) if rest.starts_with(b"msg=audit(") || rest.starts_with(b"audit(") => {
                out.truncate(before);
                return Problem::at("malformed or truncated msg=audit(...) header", header_at);
            }
            Err(_) => (header_at, None),
        };
        let form = match header {
            Some(h) if h.interpreted => Form::Interpreted,
            _ if forwarded => Form::Forwarded,
            _ => Form::Auditd,
        };
        let scan_mode = if form == Form::Interpreted {
            Mode::Interpreted
        } else {
            mode
        };
        let type_text = Span::new(anchor.name.0, anchor.name.1);
        let (info, type_number) = if anchor == first {
            first_type
        } else {
            types::resolve(&line[anchor.name.0..anchor.name.1])
        };
        let mut fields = spare.field_list();
        let (scanned, deferred) = if headers_only {
            (
                Scanned {
                    stop: line.len(),
                    quiet: QuietTail::default(),
                },
                Some((body_start as u32, scan_mode)),
            )
        } else {
            (
                scan_fields(
                    line,
                    body_start,
                    scan_mode,
                    pause_for(type_number),
                    &mut fields,
                ),
                None,
            )
        };
        let stop = scanned.stop;
        out.push(Record {
            line: Vec::new(),
            text: Span::new(anchor.start, stop),
            part: (0, 0),
            source: source.clone(),
            form,
            node,
            time: header.map(|h| h.time),
            serial: header.and_then(|h| h.serial),
            type_text,
            body: body_start as u32,
            info,
            type_number,
            fields,
            deferred,
            quiet_tail: scanned.quiet,
        });
        if stop >= line.len() {
            break;
        }
        // Another record follows on the same line, maybe behind its own node=.
        let (next_node, at) = match prefix::node_prefix_len(&line[stop..]) {
            Some(len) => (node_of(line, stop + len), stop + len),
            None => (node, stop),
        };
        match prefix::anchor_at(line, at) {
            Some(a) => {
                anchor = a;
                node = next_node;
            }
            None => break,
        }
    }
    let count = out.len() - before;
    for (i, rec) in out[before..].iter_mut().enumerate() {
        rec.line = spare.copy(line);
        rec.part = (i as u16, count as u16);
    }
    LineKind::Records(count)
}

/// `node=X ` alone (no record after it is checked by the caller).
fn is_node_only(p: &[u8]) -> bool {
    (p.starts_with(b"node=") || p.starts_with(b"host="))
        && p.iter().filter(|&&b| b == b' ').count() <= 1
}

/// journald's `TYPE key=value ...` (also behind a syslog tag), the seed's
/// `USER_AUTH = fail ...`, and dbus's `apparmor="DENIED" ...` messages.
fn parse_journald(line: &[u8], source: &Source, out: &mut Vec<Record>) -> Option<LineKind> {
    let starts = std::iter::once(0).chain(
        memchr::memmem::find_iter(line, b": ")
            .take(4)
            .map(|p| p + 2),
    );
    for at in starts {
        let at = at + line[at..].iter().take_while(|&&b| b == b' ').count();
        let rest = &line[at..];
        let len = prefix::type_token_len(rest);
        if len > 0 && rest.get(len) == Some(&b' ') && rest[len..].contains(&b'=') {
            let (info, number) = types::resolve(&rest[..len]);
            if info.is_none() {
                continue;
            }
            let mut fields = Vec::new();
            let mut body = at + len;
            body += line[body..].iter().take_while(|&&b| b == b' ').count();
            if line.get(body) == Some(&b'=') {
                // `USER_AUTH = fail`: the value after the type is its result.
                let v = body + 1 + line[body + 1..].iter().take_while(|&&b| b == b' ').count();
                let e = v + line[v..].iter().take_while(|&&b| b != b' ').count();
                fields.push(Field {
                    name: Name::Fixed("res"),
                    value: Span::new(v, e),
                    quote: Quote::None,
                    origin: Origin::Outer,
                });
                body = e;
            }
            Scanner::new(line, Mode::Lenient).scan(body, line.len(), Origin::Outer, &mut fields);
            out.push(journald_record(
                line,
                source,
                at,
                Span::new(at, at + len),
                info,
                number,
                fields,
            ));
            return Some(LineKind::Records(1));
        }
        if at > 0 && rest.starts_with(b"apparmor=\"") {
            let mut fields = Vec::new();
            Scanner::new(line, Mode::Strict).scan(at, line.len(), Origin::Outer, &mut fields);
            let info = types::by_name(b"USER_AVC");
            out.push(journald_record(
                line,
                source,
                at,
                Span::new(at, at),
                info,
                info.map(|i| i.number),
                fields,
            ));
            return Some(LineKind::Records(1));
        }
    }
    None
}

/// Fields a new list has room for at least: a usual record's, SYSCALL's 27
/// included.
const MIN_FIELD_ROOM: usize = 32;

/// Where the records of a type start to repeat: SYSCALL's from the field
/// after `a3` on, AVC's from `scontext` on; the others whole, if at all.
fn pause_for(type_number: Option<u32>) -> Pause {
    match type_number {
        Some(1300) => Pause::AfterA3,
        Some(1400) => Pause::BeforeScontext,
        _ => Pause::Never,
    }
}

/// Scans the fields of a record body: where another record starts, and how
/// many of the last fields `Record::quiet_tail` may count.
fn scan_fields(
    line: &[u8],
    body: usize,
    mode: Mode,
    pause: Pause,
    fields: &mut Vec<Field>,
) -> Scanned {
    if fields.capacity() == 0 {
        // A new list: room for every `=` spares the copies of growing it, and
        // room for a usual record lets it serve any record when it is used
        // again (`Spare::field_list`), where counting would cost more.
        let pairs = memchr::memchr_iter(b'=', &line[body..]).count() + 2;
        fields.reserve(pairs.max(MIN_FIELD_ROOM));
    }
    recall::scan_body(line, body, mode, pause, fields)
}

/// Reads the fields a header-only parse left for later.
pub fn complete(rec: &mut Record) {
    if let Some((body, mode)) = rec.deferred.take() {
        let body = (body as usize).min(rec.line.len());
        let mode = match mode {
            Mode::StrictUnlessCurly if has_curly_quote(&rec.line) => Mode::Lenient,
            Mode::StrictUnlessCurly => Mode::Strict,
            other => other,
        };
        let mut fields = std::mem::take(&mut rec.fields);
        let pause = pause_for(rec.type_number);
        let scanned = scan_fields(&rec.line, body, mode, pause, &mut fields);
        rec.fields = fields;
        rec.quiet_tail = scanned.quiet;
    }
}

fn journald_record(
    line: &[u8],
    source: &Source,
    at: usize,
    type_text: Span,
    info: Option<&'static types::TypeInfo>,
    type_number: Option<u32>,
    fields: Vec<Field>,
) -> Record {
    Record {
        line: line.to_vec(),
        text: Span::new(at, line.len()),
        part: (0, 1),
        source: source.clone(),
        form: Form::Journald,
        node: node_of(line, at),
        time: None,
        serial: None,
        type_text,
        body: type_text.end,
        info,
        type_number,
        fields,
        deferred: None,
        quiet_tail: QuietTail::default(),
    }
}

/// The first record of one line, for tests across the crate.
#[cfg(test)]
pub(crate) fn first_record(line: &str) -> crate::record::Record {
    let src = Source {
        file: std::sync::Arc::from("t"),
        line: 1,
    };
    let mut out = Vec::new();
    parse_line(line.as_bytes(), &src, &mut out);
    out.into_iter().next().expect("a record")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn parse(s: &str) -> (LineKind, Vec<Record>) {
        let mut out = Vec::new();
        let src = Source {
            file: Arc::from("t"),
            line: 1,
        };
        let kind = parse_line(s.as_bytes(), &src, &mut out);
        (kind, out)
    }

    fn get<'a>(r: &'a Record, k: &str) -> Option<&'a str> {
        r.get(k).and_then(|v| std::str::from_utf8(v).ok())
    }

    /// Lines of every form, for the header-only readers to agree on.
    const MIXED: &[&str] = &[
        "type=SYSCALL msg=audit(1700000000.010:1000001): arch=c000003e tty=(none) key=(null)",
        "type=PROCTITLE msg=audit(1700000000.010:1000001): proctitle=2F7573",
        "type=PATH msg=audit(1700000000.020:1000002): item=0 name=\"/a\" nametype=NORMAL",
        "type=PATH msg=audit(1700000000.020:1000002) : item=1 name=\"audit(x\"",
        "node=web1 type=USER_AUTH msg=audit(1700000001.5:7): pid=1 msg='op=PAM res=failed'",
        "node=a type=CWD msg=audit(1.2:3):  cwd=\"/\" node=b type=PATH msg=audit(1.2:3): item=0",
        "type=CWD msg=audit(1.2:3): cwd=\"/\" type=PATH msg=audit(1.2:4): item=0",
        "Jun 20 17:57:06 ns1 kernel: [4835959.046111] audit: type=1107 audit(1561053426.749:186): pid=640",
        "type=AVC msg=audit(07/01/2016 10:00:00.123:45) : avc: denied",
        "type=AVC msg=audit(65432.657.987): x=1",
        "type=AVC msg=audit(1.5): x=1",
        "type=USER_AUTH msg=audit(1234.5",
        "type=SYSCALL msg=audit(12345678901234567890.1:2): x=1",
        "type=UNKNOWN[1334] msg=audit(1.2:3): x",
        "type=EOE msg=audit(1.2:3):",
        "AVC apparmor=\"STATUS\" operation=\"profile_load\" pid=527",
        "USER_AUTH = fail username= anu ipaddress =127.0.0.1",
        "hello world",
        "   ",
        "# note",
        "----",
        "time->Fri Jul  1 10:00:00 2016",
        "type=",
        "type=X\u{1d}\u{1d}=",
    ];

    /// `each_head` reads what `parse_line` reads, line kind and headers,
    /// with fresh and with warm caches.
    #[test]
    fn heads_agree_with_full_records() {
        let src = Source {
            file: Arc::from("t"),
            line: 1,
        };
        let mut spare = Spare::default();
        let mut warm = Spare::default();
        for round in 0..2 {
            for line in MIXED {
                let line = line.as_bytes();
                let mut recs = Vec::new();
                let want = parse_line_with(line, &src, &mut recs, Depth::Full, &mut warm);
                let mut heads = Vec::new();
                let mut scratch = Vec::new();
                let got = each_head(line, &src, &mut spare, &mut scratch, |h| heads.push(h));
                let show = String::from_utf8_lossy(line);
                assert_eq!(got, want, "round {round}: {show}");
                assert_eq!(heads.len(), recs.len(), "{show}");
                for (h, r) in heads.iter().zip(&recs) {
                    let want = Head::of(r);
                    assert_eq!(h.node, want.node, "{show}");
                    assert_eq!(h.time, want.time, "{show}");
                    assert_eq!(h.serial, want.serial, "{show}");
                    assert_eq!(h.type_text, want.type_text, "{show}");
                    assert_eq!(h.type_number, want.type_number, "{show}");
                    assert_eq!(h.type_name(line), r.type_name(), "{show}");
                }
                assert!(scratch.is_empty());
            }
        }
    }

    /// The quick look for another record on a line answers as the full
    /// search does, and a header-only parse finds the records a full one does.
    #[test]
    fn the_quick_look_for_another_record_agrees_with_the_search() {
        let tricky = [
            "type=CWD msg=audit(1.2:3): cwd=\"/\" type=PATH audit(1.2:4): item=0",
            "type=CWD audit(1.2:3): cwd=\"/audit(\" type=PATH msg=audit(1.2:4): x",
            "type=CWD msg=audit(1.2:3): msg=audit(1.2:3) type = PATH msg=audit(1.2:4): x",
            "type=CWD msg=audit(1.2:3):type=PATH msg=audit(1.2:4): x",
            "type=CWD msg=audit(1.2:3): x=\"a type=B audit(\"",
            "type=CWD \u{a0}msg=audit(1.2:3): x=1 \u{a0}type=PATH\u{a0}audit(1.2:4): y",
            "type=CWD msg=audit(1.2:3): x=1 type=PATH\taudit(1.2:4): y",
        ];
        let src = Source {
            file: Arc::from("t"),
            line: 1,
        };
        let mut found = 0;
        for line in MIXED.iter().chain(&tricky) {
            let bytes = line.as_bytes();
            let Some(anchor) = prefix::find_anchor(bytes) else {
                continue;
            };
            let want = prefix::another_record_after(bytes, anchor.after);
            assert_eq!(another_record(bytes, &anchor), want, "{line}");
            found += usize::from(want);
            let (mut full, mut heads) = (Vec::new(), Vec::new());
            parse_line_to(bytes, &src, &mut full, Depth::Full);
            parse_line_to(bytes, &src, &mut heads, Depth::Header);
            assert_eq!(full.len(), heads.len(), "{line}");
        }
        assert!(found >= 4, "only {found} lines held several records");
    }

    /// Type names that share a place in the cache of seen names, or start
    /// alike, are each resolved as themselves.
    #[test]
    fn seen_names_are_told_apart() {
        let mut spare = Spare::default();
        let src = Source {
            file: Arc::from("t"),
            line: 1,
        };
        let lines = [
            "type=AVC msg=audit(1.2:3): x=1 padding",
            "type=USER_ACCT msg=audit(1.2:3): x=1",
            "type=AVC msg=audit(1.2:3): x=1 padding",
            "type=AVC_PATH msg=audit(1.2:3): x=1",
            "type=AVCX msg=audit(1.2:3): x=1 padding",
            "type=USER_START msg=audit(1.2:3): x=1",
            "type=AVC\tmsg=audit(1.2:3): x=1 padding",
        ];
        for _ in 0..2 {
            for line in lines {
                let mut cached = Vec::new();
                parse_line_with(line.as_bytes(), &src, &mut cached, Depth::Full, &mut spare);
                let (_, fresh) = parse(line);
                assert_eq!(cached[0].type_name(), fresh[0].type_name(), "{line}");
                assert_eq!(cached[0].type_text, fresh[0].type_text, "{line}");
            }
        }
    }

    #[test]
    fn auditd_line() {
        let (kind, recs) = parse(
            "type=USER_AUTH msg=audit(1364481363.243:24287): pid=1 uid=0 msg='op=PAM:authentication acct=\"root\" res=failed'",
        );
        assert_eq!(kind, LineKind::Records(1));
        let r = &recs[0];
        assert_eq!(r.type_name(), "USER_AUTH");
        assert_eq!(r.serial, Some(24287));
        assert_eq!(get(r, "acct"), Some("root"));
        assert_eq!(get(r, "res"), Some("failed"));
        assert_eq!(r.form, Form::Auditd);
    }

    #[test]
    fn node_prefix_and_numeric_type() {
        let (_, recs) = parse("node=web1 type=1400 msg=audit(1.5:7): x=1");
        assert_eq!(recs[0].node(), Some(&b"web1"[..]));
        assert_eq!(recs[0].type_name(), "AVC");
        assert_eq!(recs[0].form, Form::Auditd);
    }

    #[test]
    fn kernel_syslog_line() {
        let (_, recs) = parse(
            "Jun 20 17:57:06 ns1 kernel: [4835959.046111] audit: type=1107 audit(1561053426.749:186): pid=640 uid=103 msg='apparmor=\"ALLOWED\" operation=\"dbus_method_call\"'",
        );
        let r = &recs[0];
        assert_eq!(r.type_name(), "USER_AVC");
        assert_eq!(r.node(), Some(&b"ns1"[..]));
        assert_eq!(r.form, Form::Forwarded);
        assert_eq!(get(r, "operation"), Some("dbus_method_call"));
    }

    #[test]
    fn several_records_on_one_line() {
        let (kind, recs) = parse(
            "node=a type=CWD msg=audit(1.2:3):  cwd=\"/\" node=a type=PATH msg=audit(1.2:3): item=0 name=\"/x\"",
        );
        assert_eq!(kind, LineKind::Records(2));
        assert_eq!(recs[1].type_name(), "PATH");
        assert_eq!(recs[1].node(), Some(&b"a"[..]));
        assert_eq!(recs[1].part, (1, 2));
    }

    #[test]
    fn journald_and_seed_forms() {
        let (_, recs) = parse(
            "AVC apparmor=\"STATUS\" operation=\"profile_load\" name=\"/sbin/dhclient\" pid=527",
        );
        assert_eq!(recs[0].type_name(), "AVC");
        assert_eq!(recs[0].form, Form::Journald);
        let (_, recs) = parse("USER_AUTH = fail username= anu ipaddress =127.0.0.1");
        let r = &recs[0];
        assert_eq!(r.type_name(), "USER_AUTH");
        assert_eq!(get(r, "res"), Some("fail"));
        assert_eq!(get(r, "username"), Some("anu"));
        assert_eq!(get(r, "ipaddress"), Some("127.0.0.1"));
    }

    #[test]
    fn seed_case_one() {
        let line = "Time= 4/28/24 16:41:07:000 PM node= anulinux type=ACCT_LOCK msg=audit(65432.657.987): pid=2341 uid=0 auid=3424567 ses=753456326 subj=system_u:system_r:passwd_t:s0 msg=`op=locked-password id=2000 exe=\\\u{201d}/usr/bin/passwd\\\u{201d} hostname=anulinux addr=? terminal=? res=success UID=\\\u{201d}root\\\u{201d} AUID=\u{201d}anu\u{201d}";
        let (_, recs) = parse(line);
        let r = &recs[0];
        assert_eq!(r.type_name(), "ACCT_LOCK");
        assert_eq!(r.node(), Some(&b"anulinux"[..]));
        assert_eq!(r.serial, Some(987));
        assert_eq!(get(r, "exe"), Some("/usr/bin/passwd"));
        assert_eq!(get(r, "res"), Some("success"));
        assert_eq!(r.enriched("AUID"), Some(&b"anu"[..]));
    }

    #[test]
    fn skipped_and_unparsed() {
        assert_eq!(parse("   ").0, LineKind::Blank);
        assert_eq!(parse("# note").0, LineKind::Comment);
        assert_eq!(parse("----").0, LineKind::Separator);
        assert_eq!(
            parse("time->Fri Jul  1 10:00:00 2016").0,
            LineKind::Separator
        );
        assert!(matches!(parse("hello world").0, LineKind::Unparsed(_)));
        assert!(matches!(
            parse("type=SYSCALL msg=audit(1234.5").0,
            LineKind::Unparsed(_)
        ));
    }

    #[test]
    fn hostile_bytes_do_not_panic() {
        for s in [
            "type=",
            "type= ",
            "type=A msg=audit(",
            "\u{0}type=X\u{1d}\u{1d}=",
            "x=\"",
            "msg='",
            "avc: {",
            "type=X msg=audit(1.2:3): avc:",
        ] {
            let _ = parse(s);
        }
        let mut out = Vec::new();
        let src = Source {
            file: Arc::from("t"),
            line: 1,
        };
        let _ = parse_line(
            &[0xff, 0xfe, b't', b'y', b'p', b'e', b'=', 0x80],
            &src,
            &mut out,
        );
    }
}
