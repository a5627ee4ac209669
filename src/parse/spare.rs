//! What the parser keeps from line to line so it can skip work: used line
//! buffers and field lists (a record owns a copy of its line and a list of
//! its fields, and used ones are cheaper than an allocation and a free), the
//! type names that started recent lines
//! (recognised by comparing two words), and the last header read (the next
//! record of an event repeats it). All of it is bounded.

use super::header;
use super::prefix::Anchor;
use crate::record::{Field, Record};
use crate::types;

/// Line buffers of records that were dealt with, kept to hold the lines of new
/// records: a record owns a copy of its line, and taking a used buffer is much
/// cheaper than an allocation and a free per record. Bounded in bytes.
///
/// It also remembers the last few type names that started a line, so that the
/// usual `type=NAME ` is recognised and resolved by comparing two words, and
/// the text of the last header read, which the next record of the same event
/// repeats.
#[derive(Default)]
pub struct Spare {
    lines: Vec<Vec<u8>>,
    bytes: usize,
    /// Emptied field lists, and the bytes they hold.
    fields: Vec<Vec<Field>>,
    field_bytes: usize,
    /// Type names by their first byte and length (`seen_slot`).
    seen: [Option<Seen>; 16],
    pub(super) header: LastHeader,
}

/// The text of the last header `fast_epoch` read, and what it read there:
/// the next record of the same event repeats it byte for byte, and the next
/// event of the same second repeats it up to the milliseconds.
pub(super) struct LastHeader {
    text: [u8; 64],
    /// Bytes of `text` in use: the header up to its end, or only up to the
    /// milliseconds when `whole` is None.
    len: usize,
    /// Where the milliseconds start in `text`; 0 when nothing is kept.
    millis_at: usize,
    secs: i64,
    /// The header read from all of `text`, when it ends with its `:`.
    whole: Option<header::Header>,
}

impl Default for LastHeader {
    fn default() -> LastHeader {
        LastHeader {
            text: [0; 64],
            len: 0,
            millis_at: 0,
            secs: 0,
            whole: None,
        }
    }
}

impl LastHeader {
    /// Reads the header at the start of `rest` exactly as `fast_epoch` does.
    /// A header text that ends with its `:` is read the same whatever follows
    /// it, and the seconds are read the same when their digits and `.` are.
    pub(super) fn read<'a>(&mut self, rest: &'a [u8]) -> Option<(&'a [u8], header::Header)> {
        let kept = self.text.get(..self.len)?;
        if let Some(whole) = self.whole
            && rest.starts_with(kept)
        {
            return Some((&rest[self.len..], whole));
        }
        let (end, header) = match self.text.get(..self.millis_at) {
            Some(same) if self.millis_at > 0 && rest.starts_with(same) => {
                header::epoch_after_secs(rest, self.millis_at, self.secs)?
            }
            _ => {
                let (end, header, millis_at) = header::fast_epoch_marked(rest)?;
                self.millis_at = 0;
                if millis_at <= self.text.len() {
                    self.text[..millis_at].copy_from_slice(&rest[..millis_at]);
                    self.millis_at = millis_at;
                    self.secs = header.time.secs;
                }
                (end, header)
            }
        };
        self.len = self.millis_at;
        self.whole = None;
        if let Some(text) = rest.get(..end)
            && end <= self.text.len()
            && text.ends_with(b":")
            && self.millis_at > 0
        {
            self.text[self.millis_at..end].copy_from_slice(&text[self.millis_at..]);
            self.len = end;
            self.whole = Some(header);
        }
        Some((&rest[end..], header))
    }
}

/// What a type name resolves to: its table entry and its number.
pub(super) type Resolved = (Option<&'static types::TypeInfo>, Option<u32>);

/// A type name that started a line lately, with what it resolves to.
#[derive(Clone, Copy)]
struct Seen {
    /// The name's bytes 0-7 and 8-15, zero-padded.
    words: (u64, u64),
    /// Which bits of the two words belong to the name.
    masks: (u64, u64),
    len: usize,
    resolved: Resolved,
}

/// The two words `Seen` keeps for the first `len` (at most 16) bytes of `s`.
fn masked_words(w: (u64, u64), len: usize) -> (u64, u64) {
    let mask = |bits: usize| {
        if bits >= 64 {
            u64::MAX
        } else {
            (1u64 << bits) - 1
        }
    };
    (w.0 & mask(len * 8), w.1 & mask(len.saturating_sub(8) * 8))
}

/// Where a type name with this first byte and length is kept in `Spare::seen`.
fn seen_slot(first: u8, len: usize) -> usize {
    (usize::from(first) ^ (len << 1)) & 15
}

/// The index of the first space among the eight bytes of `word` (first byte
/// lowest), if there is one.
fn first_space(word: u64) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let x = word ^ (ONES * u64::from(b' '));
    // The lowest byte flagged is the first zero byte of `x`: borrows only
    // disturb the bytes above a zero byte.
    let zero = x.wrapping_sub(ONES) & !x & HIGHS;
    (zero != 0).then(|| (zero.trailing_zeros() / 8) as usize)
}

/// Bytes 0-7 and 8-15 of `s`, which must hold sixteen.
fn words_of(s: &[u8]) -> Option<(u64, u64)> {
    let a = <[u8; 8]>::try_from(s.get(..8)?).ok()?;
    let b = <[u8; 8]>::try_from(s.get(8..16)?).ok()?;
    Some((u64::from_le_bytes(a), u64::from_le_bytes(b)))
}

impl Spare {
    /// Bytes of buffers kept at most, for lines and for field lists each:
    /// more than the records of the batches a pool has in flight.
    const MAX_BYTES: usize = 512 << 10;
    /// A buffer is kept only if no larger than this.
    const MAX_LINE: usize = 64 << 10;

    /// A copy of `line`, in a used buffer when one is at hand.
    pub fn copy(&mut self, line: &[u8]) -> Vec<u8> {
        match self.lines.pop() {
            Some(mut buf) => {
                self.bytes -= buf.capacity();
                buf.clear();
                buf.extend_from_slice(line);
                buf
            }
            None => {
                // Some room, so the buffer fits most lines when it comes back.
                let mut buf = Vec::with_capacity(line.len().max(512));
                buf.extend_from_slice(line);
                buf
            }
        }
    }

    /// An empty field list, a used one when one is at hand (its capacity
    /// is then nonzero, and most records fit in it).
    pub(super) fn field_list(&mut self) -> Vec<Field> {
        match self.fields.pop() {
            Some(list) => {
                self.field_bytes -= list.capacity() * size_of::<Field>();
                list
            }
            None => Vec::new(),
        }
    }

    /// Keeps the line buffer and the field list of a record that is done with.
    pub fn recycle(&mut self, rec: Record) {
        self.keep(rec.line);
        self.keep_fields(rec.fields);
    }

    /// Keeps an emptied field list, within the same bounds as line buffers.
    fn keep_fields(&mut self, mut list: Vec<Field>) {
        let bytes = list.capacity() * size_of::<Field>();
        if bytes > 0 && bytes <= Self::MAX_LINE && self.field_bytes + bytes <= Self::MAX_BYTES {
            list.clear();
            self.field_bytes += bytes;
            self.fields.push(list);
        }
    }

    /// A line that starts with `type=` and a type name seen lately, followed by
    /// a space: its anchor and resolved type. Anything else, including a name
    /// that only starts like one seen, is left to `find_anchor`.
    pub(super) fn seen_anchor(&self, line: &[u8]) -> Option<(Anchor, Resolved)> {
        if !line.starts_with(b"type=") {
            return None;
        }
        let words = words_of(line.get(5..)?)?;
        let len = match (first_space(words.0), first_space(words.1)) {
            (Some(n), _) => n,
            (None, Some(n)) => 8 + n,
            (None, None) => return None,
        };
        let seen = self.seen[seen_slot(words.0 as u8, len)].as_ref()?;
        let after = 5 + len;
        (seen.len == len && (words.0 & seen.masks.0, words.1 & seen.masks.1) == seen.words)
            .then_some((
                Anchor {
                    start: 0,
                    name: (5, after),
                    after,
                },
                seen.resolved,
            ))
    }

    /// Remembers the type name of an anchor at the start of a line.
    pub(super) fn remember(&mut self, line: &[u8], anchor: &Anchor, resolved: Resolved) {
        let len = anchor.name.1 - anchor.name.0;
        if anchor.start != 0 || anchor.name.0 != 5 || len == 0 || len > 16 {
            return;
        }
        let mut name = [0u8; 16];
        name[..len].copy_from_slice(&line[5..5 + len]);
        let Some(words) = words_of(&name) else {
            return;
        };
        self.seen[seen_slot(name[0], len)] = Some(Seen {
            words,
            masks: masked_words((u64::MAX, u64::MAX), len),
            len,
            resolved,
        });
    }

    /// Keeps the line buffer of a record that is done with.
    pub fn keep(&mut self, buf: Vec<u8>) {
        let cap = buf.capacity();
        if cap > 0 && cap <= Self::MAX_LINE && self.bytes + cap <= Self::MAX_BYTES {
            self.bytes += cap;
            self.lines.push(buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The remembered header reads every header of a sequence exactly as
    /// `fast_epoch` reads it alone, whatever came before.
    #[test]
    fn the_remembered_header_reads_as_fast_epoch() {
        let headers = [
            "msg=audit(1700000000.010:1000001): a",
            "msg=audit(1700000000.010:1000001): b",
            "msg=audit(1700000000.010:1000001) c",
            "msg=audit(1700000000.010:1000001) : d",
            "msg=audit(1700000000.010:1000001)::",
            "msg=audit(1700000000.020:1000002): e",
            "msg=audit(1700000000.02:1000002): e",
            "msg=audit(1700000000.0201234:1000002): e",
            "msg=audit(1700000000.:1000002): e",
            "msg=audit(1700000000.020:): e",
            "msg=audit(1700000000.020:1000002",
            "msg=audit(1700000000.020:1000002)",
            "msg=audit(17000000001.020:1000002): f",
            "audit(1700000000.020:1000002): g",
            "msg=audit(1700000000.020.1000002): h",
            "msg=audit(1700000000.020:1000002): h",
            "msg=audit(1234567890123456789.1:12345678901234567890123456789012345678901234567890):",
            "msg=audit(1234567890123456789.1:12345678901234567890123456789012345678901234567890):",
            "msg=audit(1234567890123456789.2:3):",
            "msg=audit(1700000000.020:1000002): h",
            "msg=audit(07/01/2016 10:00:00.123:45) : x",
            "msg=audit(1700000000.020:1000002): h",
            "",
            "msg=audit(1700000000.020:1000002): h",
        ];
        let mut last = LastHeader::default();
        for pass in 0..3 {
            for (i, h) in headers.iter().enumerate() {
                // Every order of neighbours: plain, and each one after the next.
                let order = if pass == 1 {
                    headers[(i + 1) % headers.len()]
                } else {
                    h
                };
                let text = order.as_bytes();
                let want = header::fast_epoch(text);
                assert_eq!(last.read(text), want, "pass {pass}: {order}");
            }
        }
    }

    #[test]
    fn first_space_of_a_word() {
        for text in [
            "SYSCALL ",
            "        ",
            "AVC x   ",
            "ABCDEFGH",
            "A B C D ",
            "\x1f!\x20\x21",
        ] {
            let mut bytes = [0u8; 8];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            let want = bytes.iter().position(|&b| b == b' ');
            assert_eq!(first_space(u64::from_le_bytes(bytes)), want, "{text:?}");
        }
    }
}
