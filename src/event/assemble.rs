//! Event assembly: groups records by (node, time, serial) as they stream in,
//! without needing EOE, in bounded memory, and without ever dropping a record.
//!
//! auditd on disk rarely writes EOE, records of concurrent events interleave,
//! and a log may jump back in time where files were joined. So an open event is
//! finished by the first of:
//! - an EOE record, or a record type that always stands alone (auditd's own
//!   DAEMON_* records);
//! - a gap: the newest log time is more than `gap_secs` past the event and at
//!   least `grace_records` records arrived since it last grew;
//! - `max_idle_records` records arrived since it last grew, whatever the clock;
//! - more than `max_open` events being open (the oldest goes first).
//!
//! Records without a time or serial (forwarded and journald forms) are events of
//! one. Events come out in the order their first record came in, so output is
//! deterministic.

use std::collections::VecDeque;
use std::hash::{BuildHasher, Hash, Hasher, RandomState};

use crate::event::Event;
use crate::record::{AuditTime, Record};

/// When open events are finished; see the module comment.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub gap_secs: i64,
    pub grace_records: u64,
    pub max_idle_records: u64,
    pub max_open: usize,
    /// Bytes of record lines held open: long records (8 KB hex arguments) must
    /// not turn a record cap into hundreds of megabytes.
    pub max_open_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            gap_secs: 2,
            grace_records: 64,
            max_idle_records: 2048,
            max_open: 4096,
            max_open_bytes: 4 << 20,
        }
    }
}

/// What identifies an event: node, time and serial.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    node: Option<Box<[u8]>>,
    secs: i64,
    millis: u16,
    serial: u64,
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        if let Some(node) = &self.node {
            state.write(node);
        }
        // Time and serial in one word: one mixing step for most records.
        state.write_u64(
            self.serial ^ (self.secs as u64).rotate_left(24) ^ (u64::from(self.millis) << 52),
        );
    }
}

impl Key {
    /// The id of a record with a full header: time and serial, maybe a node.
    pub fn new(node: Option<&[u8]>, time: Option<AuditTime>, serial: Option<u64>) -> Option<Key> {
        let time = time?;
        Some(Key {
            node: node.map(Box::from),
            secs: time.secs,
            millis: time.millis,
            serial: serial?,
        })
    }
}

/// What the assembler needs to know of a record. Full `Record`s are one kind;
/// a type grep in raw output assembles lighter ones (`grep::Fact`) that carry
/// only the header, under exactly the same rules.
pub trait Part {
    /// Seconds of the record's time, if it has one.
    fn secs(&self) -> Option<i64>;
    /// Bytes the record holds, counted against `Limits::max_open_bytes`.
    fn size(&self) -> usize;
    /// True for records after which nothing more of their event follows.
    fn ends_event(&self) -> bool;
}

/// True for a type after which nothing more of its event follows: EOE, and
/// auditd's own DAEMON_* records.
pub fn type_ends_event(name: &str, family: &str) -> bool {
    name == "EOE" || family == "audit-daemon"
}

impl Part for Record {
    fn secs(&self) -> Option<i64> {
        self.time.map(|t| t.secs)
    }

    fn size(&self) -> usize {
        self.line.len()
    }

    fn ends_event(&self) -> bool {
        type_ends_event(self.type_name(), self.family())
    }
}

/// What comes out of the assembler, in input order: finished events, and the
/// notes (such as unparsed lines) that were pushed between them.
#[derive(Debug)]
pub enum Done<N, R = Record> {
    Event(Event<R>),
    Note(N),
}

/// An event being assembled, or a note waiting for its turn.
struct Slot<N, R> {
    key: Option<Key>,
    /// The hash of `key`, to find its entry in the index again.
    hash: u64,
    records: Vec<R>,
    /// Boxed: notes are rare, and the slots of events stay small.
    note: Option<Box<N>>,
    secs: Option<i64>,
    /// `Assembler::seen` when the event last grew.
    last_grew: u64,
    done: bool,
}

/// A quick hasher for event keys. SipHash showed up in profiles; this one is a
/// multiply-rotate mix with a per-run random seed, so a crafted log cannot aim
/// for collisions in advance, and the open-event cap bounds the table anyway.
#[derive(Clone, Copy)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds `KeyHasher`s from one random seed.
#[derive(Clone, Copy)]
struct KeyHashing(u64);

impl Default for KeyHashing {
    fn default() -> KeyHashing {
        KeyHashing(RandomState::new().hash_one(0x5eed_u64))
    }
}

impl BuildHasher for KeyHashing {
    type Hasher = KeyHasher;

    fn build_hasher(&self) -> KeyHasher {
        KeyHasher(self.0)
    }
}

/// Where the open events with an id are: a table of (hash of the id,
/// sequence number of the slot), open addressing with linear probing. The id
/// itself is not kept here: a candidate is checked against its slot's key.
/// Holds one entry per open event with an id, so the open-event cap bounds it.
#[derive(Default)]
struct Index {
    /// A power of two long, or empty; `FREE` marks a free entry.
    table: Vec<(u64, u64)>,
    len: usize,
}

/// The sequence number of a free entry of the index (no slot ever has it).
const FREE: u64 = u64::MAX;

impl Index {
    /// The sequence number of an entry with this hash for which `is` holds.
    #[inline]
    fn find(&self, hash: u64, mut is: impl FnMut(u64) -> bool) -> Option<u64> {
        if self.table.is_empty() {
            return None;
        }
        let mask = self.table.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let (h, seq) = self.table[i];
            if seq == FREE {
                return None;
            }
            if h == hash && is(seq) {
                return Some(seq);
            }
            i = (i + 1) & mask;
        }
    }

    #[inline]
    fn insert(&mut self, hash: u64, seq: u64) {
        if (self.len + 1) * 2 > self.table.len() {
            self.grow();
        }
        let mask = self.table.len() - 1;
        let mut i = hash as usize & mask;
        while self.table[i].1 != FREE {
            i = (i + 1) & mask;
        }
        self.table[i] = (hash, seq);
        self.len += 1;
    }

    /// Removes the entry of slot `seq`, whose id has this hash.
    #[inline]
    fn remove(&mut self, hash: u64, seq: u64) {
        if self.table.is_empty() {
            return;
        }
        let mask = self.table.len() - 1;
        let mut hole = hash as usize & mask;
        loop {
            match self.table[hole].1 {
                FREE => return,
                s if s == seq => break,
                _ => hole = (hole + 1) & mask,
            }
        }
        // Backward shift: entries after the hole that may sit in it (their
        // home is not between the hole and themselves) move up, so that no
        // search stops early at a free entry.
        let mut j = (hole + 1) & mask;
        loop {
            let (h, s) = self.table[j];
            if s == FREE {
                break;
            }
            let home = h as usize & mask;
            if (j.wrapping_sub(home) & mask) >= (j.wrapping_sub(hole) & mask) {
                self.table[hole] = (h, s);
                hole = j;
            }
            j = (j + 1) & mask;
        }
        self.table[hole] = (0, FREE);
        self.len -= 1;
    }

    /// Doubles the table (at least 64 entries) and puts every entry back.
    #[inline(never)]
    fn grow(&mut self) {
        let size = (self.table.len() * 2).max(64);
        let old = std::mem::replace(&mut self.table, vec![(0, FREE); size]);
        self.len = 0;
        for (h, s) in old.into_iter().filter(|e| e.1 != FREE) {
            self.insert(h, s);
        }
    }
}

/// Groups a stream of records into events. `N` is the type of the notes
/// that can be kept in order with them, `R` the kind of record.
pub struct Assembler<N = (), R = Record> {
    limits: Limits,
    open: VecDeque<Slot<N, R>>,
    /// Sequence number of `open[0]`; slot `n` is at `open[n - base]`.
    base: u64,
    index: Index,
    hashing: KeyHashing,
    newest: Option<i64>,
    seen: u64,
    /// Bytes of the lines of the records held open.
    open_bytes: usize,
    /// Emptied record lists of finished events, for new events to fill.
    spare: Vec<Vec<R>>,
}

/// Emptied record lists kept at most.
const MAX_SPARE: usize = 512;
/// A record list is kept only if it holds no more than this many records.
const MAX_SPARE_RECORDS: usize = 8;

impl<N> Assembler<N, Record> {
    /// Adds one record; appends what it finished to `out`.
    pub fn push(&mut self, rec: Record, out: &mut Vec<Done<N>>) {
        let key = Key::new(rec.node(), rec.time, rec.serial);
        self.push_keyed(key, rec, out);
    }
}

impl<N, R: Part> Default for Assembler<N, R> {
    fn default() -> Assembler<N, R> {
        Assembler::new(Limits::default())
    }
}

impl<N, R: Part> Assembler<N, R> {
    pub fn new(limits: Limits) -> Assembler<N, R> {
        Assembler {
            limits,
            open: VecDeque::new(),
            base: 0,
            index: Index::default(),
            hashing: KeyHashing::default(),
            newest: None,
            seen: 0,
            open_bytes: 0,
            spare: Vec::new(),
        }
    }

    /// Takes back the record list of an event that was dealt with, to hold
    /// the records of a new event without an allocation.
    pub fn recycle(&mut self, mut records: Vec<R>) {
        let cap = records.capacity();
        if cap > 0 && cap <= MAX_SPARE_RECORDS && self.spare.len() < MAX_SPARE {
            records.clear();
            self.spare.push(records);
        }
    }

    /// Number of events and notes not yet handed out.
    pub fn open_events(&self) -> usize {
        self.open.len()
    }

    /// The first record of the oldest open event: no record of any open
    /// event came in before it.
    pub fn oldest(&self) -> Option<&R> {
        self.open.iter().find_map(|slot| slot.records.first())
    }

    /// Adds one record with the id of its event (None makes it an event of
    /// one); appends what it finished to `out`.
    pub fn push_keyed(&mut self, key: Option<Key>, rec: R, out: &mut Vec<Done<N, R>>) {
        self.seen += 1;
        if let Some(secs) = rec.secs() {
            self.newest = Some(self.newest.map_or(secs, |n| n.max(secs)));
        }
        self.open_bytes += rec.size();
        // Records of one event mostly come one after the other: try the
        // newest open event before the index.
        let newest = self
            .open
            .back()
            .filter(|slot| slot.key.is_some() && slot.key == key)
            .map(|_| self.base + self.open.len() as u64 - 1);
        // The hash is needed only past the newest event.
        let mut hash = 0;
        let found = newest.or_else(|| {
            let k = key.as_ref()?;
            hash = self.hash(k);
            self.index.find(hash, |seq| {
                let slot = usize::try_from(seq - self.base)
                    .ok()
                    .and_then(|i| self.open.get(i));
                slot.is_some_and(|slot| slot.key.as_ref() == Some(k))
            })
        });
        match found {
            Some(seq) => self.grow(seq, rec),
            None => self.open_slot(key, hash, rec),
        }
        self.release(out);
    }

    /// Adds a note that comes out after everything pushed before it.
    pub fn push_note(&mut self, note: N, out: &mut Vec<Done<N, R>>) {
        self.open.push_back(Slot {
            key: None,
            hash: 0,
            records: Vec::new(),
            note: Some(Box::new(note)),
            secs: None,
            last_grew: self.seen,
            done: true,
        });
        self.release(out);
    }

    /// Hands out everything still open, in order.
    pub fn finish(&mut self, out: &mut Vec<Done<N, R>>) {
        while !self.open.is_empty() {
            self.emit_front(out);
        }
    }

    fn grow(&mut self, seq: u64, rec: R) {
        let Some(slot) = usize::try_from(seq - self.base)
            .ok()
            .and_then(|i| self.open.get_mut(i))
        else {
            return;
        };
        slot.done |= rec.ends_event();
        slot.last_grew = self.seen;
        slot.records.push(rec);
    }

    /// The hash of an event id, with this run's seed, its bits folded so
    /// that the low ones the index uses depend on all of them.
    fn hash(&self, key: &Key) -> u64 {
        let h = self.hashing.hash_one(key);
        h ^ (h >> 29) ^ (h >> 47)
    }

    fn open_slot(&mut self, key: Option<Key>, hash: u64, rec: R) {
        let seq = self.base + self.open.len() as u64;
        let done = key.is_none() || rec.ends_event();
        if key.is_some() {
            self.index.insert(hash, seq);
        }
        self.open.push_back(Slot {
            key,
            hash,
            secs: rec.secs(),
            records: {
                let mut records = self.spare.pop().unwrap_or_else(|| Vec::with_capacity(2));
                records.push(rec);
                records
            },
            note: None,
            last_grew: self.seen,
            done,
        });
    }

    /// True when the oldest open event should be finished now.
    fn front_is_finished(&self) -> bool {
        let Some(front) = self.open.front() else {
            return false;
        };
        if front.done
            || self.open.len() > self.limits.max_open
            || self.open_bytes > self.limits.max_open_bytes
        {
            return true;
        }
        let idle = self.seen - front.last_grew;
        if idle > self.limits.max_idle_records {
            return true;
        }
        let behind = match (self.newest, front.secs) {
            (Some(n), Some(s)) => n.saturating_sub(s),
            _ => 0,
        };
        idle > self.limits.grace_records && behind > self.limits.gap_secs
    }

    /// Hands out finished events from the front, keeping first-seen order.
    fn release(&mut self, out: &mut Vec<Done<N, R>>) {
        while self.front_is_finished() {
            self.emit_front(out);
        }
    }

    /// Hands out the oldest open event or note. Its records and note are
    /// taken out where the slot lies, so that the rest of the slot is not
    /// moved before it is dropped.
    fn emit_front(&mut self, out: &mut Vec<Done<N, R>>) {
        let Some(slot) = self.open.front_mut() else {
            return;
        };
        let seq = self.base;
        self.base += 1;
        let records = std::mem::take(&mut slot.records);
        let note = slot.note.take();
        let bytes: usize = records.iter().map(R::size).sum();
        self.open_bytes = self.open_bytes.saturating_sub(bytes);
        if slot.key.is_some() {
            self.index.remove(slot.hash, seq);
        }
        out.push(match note {
            Some(n) => Done::Note(*n),
            None => Done::Event(Event { records }),
        });
        self.open.pop_front();
    }
}

#[cfg(test)]
mod index_tests {
    use super::Index;

    /// Entries that collide, wrap around the end of the table and are
    /// removed in any order stay findable, as a plain list says they should.
    #[test]
    fn the_index_agrees_with_a_list() {
        let mut index = Index::default();
        let mut list: Vec<(u64, u64)> = Vec::new();
        let mut state = 0x1234_5678_u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            state >> 33
        };
        for seq in 0..5000u64 {
            // Few distinct hashes, some near the end of the table: long runs.
            let hash = match next() % 4 {
                0 => 63,
                1 => 62 + 64 * (next() % 3),
                _ => next() % 200,
            };
            index.insert(hash, seq);
            list.push((hash, seq));
            if next() % 3 != 0 && !list.is_empty() {
                let (h, s) = list.swap_remove((next() as usize) % list.len());
                index.remove(h, s);
            }
            if seq % 97 == 0 {
                for &(h, s) in &list {
                    assert_eq!(index.find(h, |x| x == s), Some(s));
                }
                assert_eq!(index.len, list.len());
            }
        }
        for (h, s) in list.drain(..) {
            index.remove(h, s);
            assert_eq!(index.find(h, |x| x == s), None);
        }
        assert_eq!(index.len, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::{Assembler, Done, Limits};
    use crate::event::Event;
    use crate::parse;
    use crate::record::Record;
    use crate::record::Source;
    use std::sync::Arc;

    fn records(text: &str) -> Vec<Record> {
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let src = Source {
                file: Arc::from("t"),
                line: i as u64 + 1,
            };
            parse::parse_line(line.as_bytes(), &src, &mut out);
        }
        out
    }

    fn events(done: Vec<Done<()>>) -> Vec<Event> {
        done.into_iter()
            .filter_map(|d| match d {
                Done::Event(e) => Some(e),
                Done::Note(()) => None,
            })
            .collect()
    }

    fn assemble(text: &str, limits: Limits) -> Vec<Vec<(u64, String)>> {
        let mut a = Assembler::new(limits);
        let mut out = Vec::new();
        for r in records(text) {
            a.push(r, &mut out);
        }
        a.finish(&mut out);
        events(out)
            .iter()
            .map(|e| {
                e.records
                    .iter()
                    .map(|r| (r.source.line, r.type_name().to_string()))
                    .collect()
            })
            .collect()
    }

    fn lines_of(events: &[Vec<(u64, String)>]) -> Vec<Vec<u64>> {
        events
            .iter()
            .map(|e| e.iter().map(|(l, _)| *l).collect())
            .collect()
    }

    const INTERLEAVED: &str = "\
type=SYSCALL msg=audit(100.000:1): syscall=2 success=yes
type=SYSCALL msg=audit(100.000:2): syscall=2 success=no
type=PATH msg=audit(100.000:1): item=0 name=\"/a\"
type=PATH msg=audit(100.000:2): item=0 name=\"/b\"
type=EOE msg=audit(100.000:2):
type=PROCTITLE msg=audit(100.000:1): proctitle=6C73";

    #[test]
    fn interleaved_records_group_by_id_in_first_seen_order() {
        let ev = assemble(INTERLEAVED, Limits::default());
        assert_eq!(lines_of(&ev), vec![vec![1, 3, 6], vec![2, 4, 5]]);
    }

    #[test]
    fn eoe_finishes_an_event_before_the_end() {
        let mut a: Assembler = Assembler::default();
        let mut out = Vec::new();
        for r in records(INTERLEAVED).into_iter().take(5) {
            a.push(r, &mut out);
        }
        // Event 2 is complete but waits behind event 1 to keep the order.
        assert!(out.is_empty());
        assert_eq!(a.open_events(), 2);
    }

    #[test]
    fn same_serial_different_node_or_time_are_different_events() {
        let ev = assemble(
            "node=a type=SYSCALL msg=audit(1.000:7): x=1\n\
             node=b type=SYSCALL msg=audit(1.000:7): x=1\n\
             type=SYSCALL msg=audit(2.000:7): x=1\n\
             node=a type=PATH msg=audit(1.000:7): x=1",
            Limits::default(),
        );
        assert_eq!(lines_of(&ev), vec![vec![1, 4], vec![2], vec![3]]);
    }

    #[test]
    fn records_without_an_id_stand_alone() {
        let ev = assemble(
            "USER_AUTH = fail username= anu ipaddress =127.0.0.1\n\
             USER_AUTH = fail username= anu ipaddress =127.0.0.1",
            Limits::default(),
        );
        assert_eq!(lines_of(&ev), vec![vec![1], vec![2]]);
    }

    #[test]
    fn a_gap_in_time_finishes_old_events() {
        let limits = Limits {
            gap_secs: 2,
            grace_records: 1,
            max_idle_records: 100,
            max_open: 100,
            max_open_bytes: 1 << 20,
        };
        let mut a: Assembler = Assembler::new(limits);
        let mut out = Vec::new();
        let recs = records(
            "type=USER_ACCT msg=audit(100.000:1): res=success\n\
             type=USER_ACCT msg=audit(101.000:2): res=success\n\
             type=USER_ACCT msg=audit(110.000:3): res=success\n\
             type=USER_ACCT msg=audit(110.000:4): res=success",
        );
        for r in recs {
            a.push(r, &mut out);
        }
        assert_eq!(out.len(), 2, "events 1 and 2 are 9 s behind and idle");
        assert_eq!(a.open_events(), 2);
    }

    #[test]
    fn time_going_backwards_does_not_split_events() {
        // Joined files: the clock jumps, but records of one id stay together
        // as long as they come within the grace window.
        let ev = assemble(
            "type=ANOM_ADD_ACCT msg=audit(1450770603.209:3300446): Text\n\
             type=AVC msg=audit(1226270358.848:238): x=1\n\
             type=ANOM_DEL_ACCT msg=audit(1450770603.209:3300446): Text",
            Limits::default(),
        );
        assert_eq!(lines_of(&ev), vec![vec![1, 3], vec![2]]);
    }

    #[test]
    fn the_cap_on_open_bytes_evicts_the_oldest() {
        let limits = Limits {
            gap_secs: 1000,
            grace_records: 1000,
            max_idle_records: 1000,
            max_open: 1000,
            max_open_bytes: 200,
        };
        // Two 120-byte records exceed 200 bytes: event 1 is finished before its
        // late PATH arrives, which then stands alone (no cap: [[1, 3], [2]]).
        let long = "x".repeat(80);
        let text = format!(
            "type=SYSCALL msg=audit(1.000:1): a={long}\n\
             type=SYSCALL msg=audit(1.000:2): a={long}\n\
             type=PATH msg=audit(1.000:1): item=0\n"
        );
        let ev = assemble(&text, limits);
        assert_eq!(lines_of(&ev), vec![vec![1], vec![2], vec![3]]);
    }

    #[test]
    fn the_cap_on_open_events_evicts_the_oldest() {
        let limits = Limits {
            gap_secs: 1000,
            grace_records: 1000,
            max_idle_records: 1000,
            max_open: 2,
            max_open_bytes: 1 << 20,
        };
        let ev = assemble(
            "type=SYSCALL msg=audit(1.000:1): x=1\n\
             type=SYSCALL msg=audit(1.000:2): x=1\n\
             type=SYSCALL msg=audit(1.000:3): x=1\n\
             type=PATH msg=audit(1.000:1): x=1",
            limits,
        );
        // Event 1 was evicted before its PATH came: the PATH is an event of its own.
        assert_eq!(lines_of(&ev), vec![vec![1], vec![2], vec![3], vec![4]]);
    }

    #[test]
    fn daemon_records_stand_alone() {
        let mut a: Assembler = Assembler::default();
        let mut out = Vec::new();
        for r in records("type=DAEMON_START msg=audit(1.000:9): op=start res=success") {
            a.push(r, &mut out);
        }
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn notes_keep_their_place_between_events() {
        let mut a: Assembler<&str> = Assembler::default();
        let mut out = Vec::new();
        let mut recs = records(INTERLEAVED).into_iter();
        if let Some(r) = recs.next() {
            a.push(r, &mut out);
        }
        a.push_note("between", &mut out);
        for r in recs {
            a.push(r, &mut out);
        }
        a.finish(&mut out);
        let order: Vec<String> = out
            .iter()
            .map(|d| match d {
                Done::Event(e) => format!("event {}", e.serial().unwrap_or(0)),
                Done::Note(n) => (*n).to_string(),
            })
            .collect();
        assert_eq!(order, ["event 1", "between", "event 2"]);
    }

    #[test]
    fn serial_rollover_keeps_events_apart() {
        let ev = assemble(
            "type=SYSCALL msg=audit(1.000:4294967295): x=1\n\
             type=SYSCALL msg=audit(1.001:0): x=1\n\
             type=PATH msg=audit(1.000:4294967295): x=1\n\
             type=PATH msg=audit(1.001:0): x=1",
            Limits::default(),
        );
        assert_eq!(lines_of(&ev), vec![vec![1, 3], vec![2, 4]]);
    }
}
