//! The SYSCALL record's fields that a sentence reads, found in one pass.
//!
//! Most events are built around a SYSCALL record, and its sentence reads a
//! dozen of that record's fields: the call and arch, the result, the ids, the
//! program, the rule key. Looking each one up by name walks the record's two
//! dozen fields again every time; `Scan` walks them once and remembers where
//! the first field of each name is, as `Record::position` would find it.

use std::borrow::Cow;

use crate::record::{Origin, Record};
use crate::summary::values;

/// A field name the scan looks for.
#[derive(Clone, Copy)]
pub enum Slot {
    Syscall,
    Arch,
    Success,
    Exit,
    A0,
    A1,
    A2,
    A3,
    Auid,
    Uid,
    Euid,
    Exe,
    Comm,
    Key,
    Apparmor,
    Seresult,
    Path,
    Name,
}

/// How many slots there are.
const SLOTS: usize = Slot::Name as usize + 1;

/// Where the wanted fields of one record are.
pub struct Scan<'r> {
    pub rec: &'r Record,
    /// One more than the index in `rec.fields` of the first own field of
    /// each slot's name; 0 when there is none. (Small, so the scan is cheap
    /// to hand around.)
    at: [u32; SLOTS],
    /// Index of the first ENRICHED `SYSCALL=` field.
    enriched_call: Option<usize>,
    /// True when the record has any ENRICHED field.
    pub enriched: bool,
}

/// Four name bytes in one number, so a name is told apart with a few
/// integer comparisons instead of one string comparison per wanted name.
const fn four(name: &[u8; 4]) -> u32 {
    u32::from_le_bytes(*name)
}

const ARCH: u32 = four(b"arch");
const EXIT: u32 = four(b"exit");
const AUID: u32 = four(b"auid");
const EUID: u32 = four(b"euid");
const COMM: u32 = four(b"comm");
const PATH: u32 = four(b"path");
const NAME: u32 = four(b"name");

/// The slot of an own field's name, if the scan wants it. The length picks
/// the few names to compare with.
fn slot_of(name: &[u8]) -> Option<Slot> {
    Some(match *name {
        [b'a', b'0'] => Slot::A0,
        [b'a', b'1'] => Slot::A1,
        [b'a', b'2'] => Slot::A2,
        [b'a', b'3'] => Slot::A3,
        [b'u', b'i', b'd'] => Slot::Uid,
        [b'e', b'x', b'e'] => Slot::Exe,
        [b'k', b'e', b'y'] => Slot::Key,
        [a, b, c, d] => match u32::from_le_bytes([a, b, c, d]) {
            ARCH => Slot::Arch,
            EXIT => Slot::Exit,
            AUID => Slot::Auid,
            EUID => Slot::Euid,
            COMM => Slot::Comm,
            PATH => Slot::Path,
            NAME => Slot::Name,
            _ => return None,
        },
        [_, _, _, _, _, _, _] if name == b"syscall" => Slot::Syscall,
        [_, _, _, _, _, _, _] if name == b"success" => Slot::Success,
        [_, _, _, _, _, _, _, _] if name == b"apparmor" => Slot::Apparmor,
        [_, _, _, _, _, _, _, _] if name == b"seresult" => Slot::Seresult,
        _ => return None,
    })
}

impl<'r> Scan<'r> {
    /// Walks the fields of `rec` once.
    pub fn of(rec: &'r Record) -> Scan<'r> {
        let mut scan = Scan {
            rec,
            at: [0; SLOTS],
            enriched_call: None,
            enriched: false,
        };
        for (i, f) in rec.fields.iter().enumerate() {
            if f.origin == Origin::Enriched {
                scan.enriched = true;
                if scan.enriched_call.is_none() && rec.name_is(f, b"SYSCALL") {
                    scan.enriched_call = Some(i);
                }
                continue;
            }
            if let Some(slot) = slot_of(rec.name_of(f)) {
                let at = &mut scan.at[slot as usize];
                if *at == 0 {
                    // A record past u32::MAX fields cannot be: spans are u32.
                    *at = u32::try_from(i + 1).unwrap_or(0);
                }
            }
        }
        scan
    }

    /// Index of the first own field of this slot's name.
    pub fn position(&self, slot: Slot) -> Option<usize> {
        match self.at[slot as usize] {
            0 => None,
            n => Some(n as usize - 1),
        }
    }

    /// The value of that field as written, like `Record::get`.
    pub fn get(&self, slot: Slot) -> Option<&'r [u8]> {
        let f = self.rec.fields.get(self.position(slot)?)?;
        Some(self.rec.value_of(f))
    }

    /// Its decoded value when it says something, like `values::raw_text`.
    pub fn raw_text(&self, slot: Slot) -> Option<Cow<'r, [u8]>> {
        values::raw_text_at(self.rec, self.position(slot)?)
    }

    /// The value of the ENRICHED `SYSCALL=` field.
    pub fn enriched_call(&self) -> Option<&'r [u8]> {
        let f = self.rec.fields.get(self.enriched_call?)?;
        Some(self.rec.value_of(f))
    }

    /// A system call argument (`a0`..`a3`), read as hex, like `values::arg`.
    pub fn arg(&self, n: usize) -> Option<u64> {
        let slot = [Slot::A0, Slot::A1, Slot::A2, Slot::A3].get(n)?;
        self.get(*slot).and_then(values::hex)
    }

    /// True when `rec` is the scanned record.
    pub fn is(&self, rec: &Record) -> bool {
        std::ptr::eq(self.rec, rec)
    }
}

#[cfg(test)]
mod tests {
    use super::{Scan, Slot};

    use crate::parse::first_record as rec;

    #[test]
    fn finds_what_get_finds() {
        let r = rec(
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=2 success=no exit=-13 a0=1 a1=2 a2=3 a3=4 auid=1 uid=2 euid=3 uid=9 comm=\"x\" exe=\"/bin/x\" key=\"k\" syscalls=5 a=1",
        );
        let scan = Scan::of(&r);
        for (slot, name) in [
            (Slot::Syscall, "syscall"),
            (Slot::Arch, "arch"),
            (Slot::Success, "success"),
            (Slot::Exit, "exit"),
            (Slot::A2, "a2"),
            (Slot::Auid, "auid"),
            (Slot::Uid, "uid"),
            (Slot::Euid, "euid"),
            (Slot::Exe, "exe"),
            (Slot::Comm, "comm"),
            (Slot::Key, "key"),
            (Slot::Apparmor, "apparmor"),
            (Slot::Seresult, "seresult"),
            (Slot::Path, "path"),
        ] {
            assert_eq!(scan.get(slot), r.get(name), "{name}");
        }
        assert_eq!(scan.arg(3), Some(4));
    }
}
