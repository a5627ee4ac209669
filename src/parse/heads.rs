//! Headers without records: what a type grep reads of each line. A type
//! grep in raw output needs only each record's node, time, serial and type
//! to assemble events and pick them, so the usual line is read up to the end
//! of its header and no record is built.

use super::prefix::{self, Anchor};
use super::{
    LineKind, Located, Problem, Resolved, Spare, header, locate, node_of, parse_anchored,
    parse_unanchored,
};
use crate::record::{AuditTime, Record, Source, Span};
use crate::types;

/// The header of one record: all a type grep needs to assemble events and
/// to pick them. Spans are into the record's line.
#[derive(Clone, Copy, Debug)]
pub struct Head {
    pub node: Option<Span>,
    pub time: Option<AuditTime>,
    pub serial: Option<u64>,
    pub type_text: Span,
    pub info: Option<&'static types::TypeInfo>,
    pub type_number: Option<u32>,
}

impl Head {
    /// The header of a parsed record.
    pub fn of(rec: &Record) -> Head {
        Head {
            node: rec.node,
            time: rec.time,
            serial: rec.serial,
            type_text: rec.type_text,
            info: rec.info,
            type_number: rec.type_number,
        }
    }

    /// The canonical type name, or the name as written (as `Record::type_name`).
    pub fn type_name<'a>(&self, line: &'a [u8]) -> &'a str {
        match self.info {
            Some(info) => info.name,
            None => line
                .get(self.type_text.start as usize..self.type_text.end as usize)
                .and_then(|t| std::str::from_utf8(t).ok())
                .unwrap_or("?"),
        }
    }
}

/// Reads the headers of the records of one line into `out`, as `parse_line`
/// would read them, without building records: the usual line of one record
/// is read up to the end of its header, and only a `(` after it is looked at.
/// Other lines (several records, journald's form) are parsed into `scratch`,
/// whose line buffers go back to `spare`.
pub fn parse_heads(
    line: &[u8],
    source: &Source,
    out: &mut Vec<Head>,
    spare: &mut Spare,
    scratch: &mut Vec<Record>,
) -> LineKind {
    let (anchor, resolved) = match locate(line, spare) {
        Located::Skipped(kind) => return kind,
        Located::Anchor(anchor, resolved) => (anchor, resolved),
        Located::Nothing => {
            return heads_of_records(parse_unanchored(line, source, scratch), out, spare, scratch);
        }
    };
    let header_at = prefix::skip_spaces(line, anchor.after);
    let rest = &line[header_at..];
    // auditd's own header first, straight; `parse_header` gives the same for it.
    let parsed = match spare.header.read(rest) {
        Some(done) => Ok(done),
        None => header::parse_header(rest),
    };
    let (body, header) = match parsed {
        Ok((after, h)) => (line.len() - after.len(), Some(h)),
        Err(_) if rest.starts_with(b"msg=audit(") || rest.starts_with(b"audit(") => {
            return Problem::at("malformed or truncated msg=audit(...) header", header_at);
        }
        Err(_) => (header_at, None),
    };
    // Another record on the line starts with `type=NAME` at or after `body`
    // (a header holds no `type`), and has an `audit(` header after that: with
    // no `audit(` after `body`, the line holds one record.
    if maybe_another_header(&line[body..]) && prefix::another_record_after(line, anchor.after) {
        return several_heads(line, (anchor, resolved), source, out, spare, scratch);
    }
    out.push(Head {
        node: node_of(line, anchor.start),
        time: header.map(|h| h.time),
        serial: header.and_then(|h| h.serial),
        type_text: Span::new(anchor.name.0, anchor.name.1),
        info: resolved.0,
        type_number: resolved.1,
    });
    LineKind::Records(1)
}

/// Searcher for `audit(`, built once: building one per line costs more than the search.
static AUDIT_PAREN: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"audit("));

/// True when `audit(` occurs in `s`.
fn maybe_another_header(s: &[u8]) -> bool {
    AUDIT_PAREN.find(s).is_some()
}

/// The headers of a line that holds several records, by a full parse. Rare,
/// and kept out of line so that the usual path stays small.
#[inline(never)]
fn several_heads(
    line: &[u8],
    first: (Anchor, Resolved),
    source: &Source,
    out: &mut Vec<Head>,
    spare: &mut Spare,
    scratch: &mut Vec<Record>,
) -> LineKind {
    let kind = parse_anchored(line, first, source, scratch, false, spare);
    heads_of_records(kind, out, spare, scratch)
}

/// Moves the headers of the records a full parse left in `scratch` to `out`.
fn heads_of_records(
    kind: LineKind,
    out: &mut Vec<Head>,
    spare: &mut Spare,
    scratch: &mut Vec<Record>,
) -> LineKind {
    for rec in scratch.drain(..) {
        out.push(Head::of(&rec));
        spare.keep(rec.line);
    }
    kind
}
