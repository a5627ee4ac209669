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

/// Hands the headers of the records of one line to `out`, one by one, as
/// `parse_line` would read them, without building records: the usual line of
/// one record is read up to the end of its header, and only a `(` after it is
/// looked at. Other lines (several records, journald's form) are parsed into
/// `scratch`, whose line buffers go back to `spare`.
pub fn each_head(
    line: &[u8],
    source: &Source,
    spare: &mut Spare,
    scratch: &mut Vec<Record>,
    mut out: impl FnMut(Head),
) -> LineKind {
    let (anchor, resolved) = match locate(line, spare) {
        Located::Skipped(kind) => return kind,
        Located::Anchor(anchor, resolved) => (anchor, resolved),
        Located::Nothing => {
            let kind = parse_unanchored(line, source, scratch);
            return heads_of_records(kind, &mut out, spare, scratch);
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
        return several_heads(line, (anchor, resolved), source, &mut out, spare, scratch);
    }
    out(Head {
        node: node_of(line, anchor.start),
        time: header.map(|h| h.time),
        serial: header.and_then(|h| h.serial),
        type_text: Span::new(anchor.name.0, anchor.name.1),
        info: resolved.0,
        type_number: resolved.1,
    });
    LineKind::Records(1)
}

/// True when `audit(` occurs in `s`. Its last two bytes, `t(`, are rare in
/// field values (`tty=(none)` has `=(`), so the search looks for that pair a
/// block at a time, with plain compares the compiler turns into vector ones,
/// and checks the four bytes before each pair it finds.
pub(super) fn maybe_another_header(s: &[u8]) -> bool {
    let mut from = 0;
    while from + 64 < s.len() {
        if pair_in_block::<64>(s, from) && audit_paren_in_block(s, from, 64) {
            return true;
        }
        from += 64;
    }
    while from + 16 < s.len() {
        if pair_in_block::<16>(s, from) && audit_paren_in_block(s, from, 16) {
            return true;
        }
        from += 16;
    }
    // The last pairs: a block that ends at the end of `s` (it may look at
    // some pairs again), or one by one when `s` is shorter than a block.
    match s.len().checked_sub(17) {
        Some(last) => pair_in_block::<16>(s, last) && audit_paren_in_block(s, last, 16),
        None => (0..s.len().saturating_sub(1)).any(|i| audit_paren_at(s, i)),
    }
}

/// True when a `t(` starts at one of the `N` offsets from `from` on; false
/// when `s` has not the `N + 1` bytes from there.
#[inline(always)]
fn pair_in_block<const N: usize>(s: &[u8], from: usize) -> bool {
    let (Some(first), Some(second)) = (
        s.get(from..from + N)
            .and_then(|b| <&[u8; N]>::try_from(b).ok()),
        s.get(from + 1..from + 1 + N)
            .and_then(|b| <&[u8; N]>::try_from(b).ok()),
    ) else {
        return false;
    };
    // No early exit: a fold over the whole block compiles to vector compares.
    first
        .iter()
        .zip(second)
        .fold(false, |seen, (&a, &b)| seen | ((a == b't') & (b == b'(')))
}

/// True when `audit(` has its `t` at one of the `n` offsets from `from` on.
#[cold]
fn audit_paren_in_block(s: &[u8], from: usize, n: usize) -> bool {
    (from..from + n).any(|i| audit_paren_at(s, i))
}

/// True when the `t` of an `audit(` is at offset `t` of `s`.
fn audit_paren_at(s: &[u8], t: usize) -> bool {
    t.checked_sub(4)
        .and_then(|start| s.get(start..t + 2))
        .is_some_and(|w| w == b"audit(")
}

/// The headers of a line that holds several records, by a full parse. Rare,
/// and kept out of line so that the usual path stays small.
#[inline(never)]
fn several_heads(
    line: &[u8],
    first: (Anchor, Resolved),
    source: &Source,
    out: &mut dyn FnMut(Head),
    spare: &mut Spare,
    scratch: &mut Vec<Record>,
) -> LineKind {
    let kind = parse_anchored(line, first, source, scratch, false, spare);
    heads_of_records(kind, out, spare, scratch)
}

/// Moves the headers of the records a full parse left in `scratch` to `out`.
fn heads_of_records(
    kind: LineKind,
    out: &mut dyn FnMut(Head),
    spare: &mut Spare,
    scratch: &mut Vec<Record>,
) -> LineKind {
    for rec in scratch.drain(..) {
        out(Head::of(&rec));
        spare.keep(rec.line);
    }
    kind
}

#[cfg(test)]
mod tests {
    use super::maybe_another_header;

    /// The block search finds `audit(` wherever a plain search does: at
    /// either end, across block edges, after near misses, in short texts.
    #[test]
    fn the_pair_search_agrees_with_a_plain_search() {
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for len in 0..100 {
            for at in 0..len + 1 {
                let mut t = vec![b'x'; len];
                let end = (at + 6).min(len);
                t[at..end].copy_from_slice(&b"audit("[..end - at]);
                texts.push(t);
            }
        }
        for noise in [
            "tty=(none) key=(null)",
            "aud t(",
            "audi(",
            "udit(",
            "t(t(",
            "audit",
            "audit(",
            "t",
        ] {
            for pad in 0..70 {
                let mut t = vec![b' '; pad];
                t.extend_from_slice(noise.as_bytes());
                t.extend(std::iter::repeat_n(b'(', pad % 7));
                texts.push(t);
            }
        }
        for t in &texts {
            let want = t.windows(6).any(|w| w == b"audit(");
            assert_eq!(
                maybe_another_header(t),
                want,
                "{:?}",
                String::from_utf8_lossy(t)
            );
        }
    }
}
