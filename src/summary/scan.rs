//! The fields of a record that sentences read, found in one pass.
//!
//! Sentences read a dozen fields of the records an event is built around:
//! the call, result, ids and program of its SYSCALL record, the permissions,
//! contexts and object of an AVC. Looking each one up by name walks the
//! record's fields again every time; `Scan` walks them once and remembers
//! where the first field of each name is, as `Record::position` would find
//! it. `Scans` holds the scans of one event (its main and SYSCALL records),
//! so every part of the summary reads the same table.

use std::borrow::Cow;

use crate::record::{Origin, Record};
use crate::summary::values;

/// A field name the scan looks for.
#[derive(Clone, Copy, Debug)]
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
    Pid,
    Src,
    Dest,
    Mask,
    Peer,
    Tclass,
    Member,
    Seperms,
    Profile,
    Capname,
    Scontext,
    Tcontext,
    Interface,
    Operation,
    Requested,
    Permissive,
    RequestedMask,
}

/// How many slots there are.
const SLOTS: usize = Slot::RequestedMask as usize + 1;

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

/// Up to eight name bytes in one number, so a name is told apart with a few
/// integer comparisons instead of one string comparison per wanted name.
const fn word<const N: usize>(name: &[u8; N]) -> u64 {
    let mut w = 0u64;
    let mut i = 0;
    while i < N {
        w |= (name[i] as u64) << (8 * i);
        i += 1;
    }
    w
}

/// The slot of an own field's name, if a sentence reads it. The length
/// picks the few names to compare with, each as one number.
fn slot_of(name: &[u8]) -> Option<Slot> {
    Some(match *name {
        [b'a', b'0'] => Slot::A0,
        [b'a', b'1'] => Slot::A1,
        [b'a', b'2'] => Slot::A2,
        [b'a', b'3'] => Slot::A3,
        [a, b, c] => match word(&[a, b, c]) {
            UID => Slot::Uid,
            EXE => Slot::Exe,
            KEY => Slot::Key,
            PID => Slot::Pid,
            SRC => Slot::Src,
            _ => return None,
        },
        [a, b, c, d] => match word(&[a, b, c, d]) {
            ARCH => Slot::Arch,
            EXIT => Slot::Exit,
            AUID => Slot::Auid,
            EUID => Slot::Euid,
            COMM => Slot::Comm,
            PATH => Slot::Path,
            NAME => Slot::Name,
            DEST => Slot::Dest,
            MASK => Slot::Mask,
            PEER => Slot::Peer,
            _ => return None,
        },
        [a, b, c, d, e, f] => match word(&[a, b, c, d, e, f]) {
            TCLASS => Slot::Tclass,
            MEMBER => Slot::Member,
            _ => return None,
        },
        [a, b, c, d, e, f, g] => match word(&[a, b, c, d, e, f, g]) {
            SYSCALL => Slot::Syscall,
            SUCCESS => Slot::Success,
            SEPERMS => Slot::Seperms,
            PROFILE => Slot::Profile,
            CAPNAME => Slot::Capname,
            _ => return None,
        },
        [a, b, c, d, e, f, g, h] => match word(&[a, b, c, d, e, f, g, h]) {
            APPARMOR => Slot::Apparmor,
            SERESULT => Slot::Seresult,
            SCONTEXT => Slot::Scontext,
            TCONTEXT => Slot::Tcontext,
            _ => return None,
        },
        [_, _, _, _, _, _, _, _, _] => match name {
            b"interface" => Slot::Interface,
            b"operation" => Slot::Operation,
            b"requested" => Slot::Requested,
            _ => return None,
        },
        _ if name == b"permissive" => Slot::Permissive,
        _ if name == b"requested_mask" => Slot::RequestedMask,
        _ => return None,
    })
}

/// The wanted names as numbers; each is compared only with names of its
/// own length, so the zero bytes that pad the shorter ones are no matter.
const UID: u64 = word(b"uid");
const EXE: u64 = word(b"exe");
const KEY: u64 = word(b"key");
const PID: u64 = word(b"pid");
const SRC: u64 = word(b"src");
const ARCH: u64 = word(b"arch");
const EXIT: u64 = word(b"exit");
const AUID: u64 = word(b"auid");
const EUID: u64 = word(b"euid");
const COMM: u64 = word(b"comm");
const PATH: u64 = word(b"path");
const NAME: u64 = word(b"name");
const DEST: u64 = word(b"dest");
const MASK: u64 = word(b"mask");
const PEER: u64 = word(b"peer");
const TCLASS: u64 = word(b"tclass");
const MEMBER: u64 = word(b"member");
const SYSCALL: u64 = word(b"syscall");
const SUCCESS: u64 = word(b"success");
const SEPERMS: u64 = word(b"seperms");
const PROFILE: u64 = word(b"profile");
const CAPNAME: u64 = word(b"capname");
const APPARMOR: u64 = word(b"apparmor");
const SERESULT: u64 = word(b"seresult");
const SCONTEXT: u64 = word(b"scontext");
const TCONTEXT: u64 = word(b"tcontext");

impl<'r> Scan<'r> {
    /// Walks the fields of `rec` once.
    pub fn of(rec: &'r Record) -> Scan<'r> {
        let mut scan = Scan::unread(rec);
        scan.read();
        scan
    }

    /// A scan of `rec` that has found nothing yet.
    fn unread(rec: &'r Record) -> Scan<'r> {
        Scan {
            rec,
            at: [0; SLOTS],
            enriched_call: None,
            enriched: false,
        }
    }

    /// Walks the fields once, in place (a scan is big enough that moving
    /// it shows).
    fn read(&mut self) {
        let rec = self.rec;
        let from = self.take_syscall_head();
        for (i, f) in rec.fields.iter().enumerate().skip(from) {
            if f.origin == Origin::Enriched {
                self.enriched = true;
                if self.enriched_call.is_none() && rec.name_is(f, b"SYSCALL") {
                    self.enriched_call = Some(i);
                }
                continue;
            }
            if let Some(slot) = slot_of(rec.name_of(f)) {
                let at = &mut self.at[slot as usize];
                if *at == 0 {
                    // A record past u32::MAX fields cannot be: spans are u32.
                    *at = u32::try_from(i + 1).unwrap_or(0);
                }
            }
        }
    }

    /// When the parser found the usual SYSCALL head (`arch syscall success
    /// exit a0 a1 a2 a3`, the record's first eight fields, all its own),
    /// notes their places without reading their names; returns how many
    /// fields that covers (0 when the head is not known).
    fn take_syscall_head(&mut self) -> usize {
        const HEAD: [Slot; 8] = [
            Slot::Arch,
            Slot::Syscall,
            Slot::Success,
            Slot::Exit,
            Slot::A0,
            Slot::A1,
            Slot::A2,
            Slot::A3,
        ];
        if !self.rec.quiet_tail.syscall_head || self.rec.fields.len() < HEAD.len() {
            return 0;
        }
        for (i, slot) in (1..).zip(HEAD) {
            self.at[slot as usize] = i;
        }
        HEAD.len()
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

    /// Its decoded and escaped value, like `values::text`.
    pub fn text(&self, slot: Slot) -> Option<Cow<'r, str>> {
        values::text_ref(self.rec, self.position(slot)?)
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

/// The scanned records of one event: its main record and its SYSCALL record
/// (scanned once when they are the same record).
pub struct Scans<'r> {
    main: Scan<'r>,
    /// The SYSCALL record, when `has_other`; else an unread scan of the
    /// main record. (Kept in place rather than in an `Option`, so that the
    /// table is built where it stays instead of being moved there.)
    other: Scan<'r>,
    /// There is a SYSCALL record and it is not the main record.
    has_other: bool,
    /// The main record is the SYSCALL record.
    main_is_syscall: bool,
}

impl<'r> Scans<'r> {
    /// Scans `main` and, when it is another record, `syscall`.
    #[cfg(test)]
    pub fn of(main: &'r Record, syscall: Option<&'r Record>) -> Scans<'r> {
        let mut scans = Scans::unread(main, syscall);
        scans.read();
        scans
    }

    /// The scans of `main` and `syscall` before they have read anything:
    /// `read` fills them where they are, as the tables are too big to move
    /// cheaply.
    pub fn unread(main: &'r Record, syscall: Option<&'r Record>) -> Scans<'r> {
        let main_is_syscall = syscall.is_some_and(|sc| std::ptr::eq(sc, main));
        let other = syscall.filter(|_| !main_is_syscall);
        Scans {
            main: Scan::unread(main),
            other: Scan::unread(other.unwrap_or(main)),
            has_other: other.is_some(),
            main_is_syscall,
        }
    }

    /// Reads both records.
    pub fn read(&mut self) {
        self.main.read();
        if self.has_other {
            self.other.read();
        }
    }

    /// The main record's scan.
    pub fn main(&self) -> &Scan<'r> {
        &self.main
    }

    /// The SYSCALL record's scan, when the event has one.
    pub fn syscall(&self) -> Option<&Scan<'r>> {
        match self.main_is_syscall {
            true => Some(&self.main),
            false => self.has_other.then_some(&self.other),
        }
    }

    /// The scan of `rec`, if it is one of the scanned records.
    pub fn find(&self, rec: &Record) -> Option<&Scan<'r>> {
        if self.main.is(rec) {
            return Some(&self.main);
        }
        (self.has_other && self.other.is(rec)).then_some(&self.other)
    }
}

/// The scan of `rec` among `scans`, when there are scans and it is scanned.
pub fn scanned<'a, 'r>(scans: Option<&'a Scans<'r>>, rec: &Record) -> Option<&'a Scan<'r>> {
    scans.and_then(|s| s.find(rec))
}

#[cfg(test)]
mod tests {
    use super::{SLOTS, Scan, Scans, Slot, slot_of};

    use crate::parse::first_record as rec;
    use crate::summary::values;

    /// Every slot with the name it stands for.
    const NAMES: [(Slot, &str); SLOTS] = [
        (Slot::Syscall, "syscall"),
        (Slot::Arch, "arch"),
        (Slot::Success, "success"),
        (Slot::Exit, "exit"),
        (Slot::A0, "a0"),
        (Slot::A1, "a1"),
        (Slot::A2, "a2"),
        (Slot::A3, "a3"),
        (Slot::Auid, "auid"),
        (Slot::Uid, "uid"),
        (Slot::Euid, "euid"),
        (Slot::Exe, "exe"),
        (Slot::Comm, "comm"),
        (Slot::Key, "key"),
        (Slot::Apparmor, "apparmor"),
        (Slot::Seresult, "seresult"),
        (Slot::Path, "path"),
        (Slot::Name, "name"),
        (Slot::Pid, "pid"),
        (Slot::Src, "src"),
        (Slot::Dest, "dest"),
        (Slot::Mask, "mask"),
        (Slot::Peer, "peer"),
        (Slot::Tclass, "tclass"),
        (Slot::Member, "member"),
        (Slot::Seperms, "seperms"),
        (Slot::Profile, "profile"),
        (Slot::Capname, "capname"),
        (Slot::Scontext, "scontext"),
        (Slot::Tcontext, "tcontext"),
        (Slot::Interface, "interface"),
        (Slot::Operation, "operation"),
        (Slot::Requested, "requested"),
        (Slot::Permissive, "permissive"),
        (Slot::RequestedMask, "requested_mask"),
    ];

    /// Every name finds its slot, and names that only look alike do not.
    #[test]
    fn names_find_their_slots() {
        for (i, (slot, name)) in NAMES.iter().enumerate() {
            assert_eq!(*slot as usize, i, "{name}");
            assert_eq!(slot_of(name.as_bytes()).map(|s| s as usize), Some(i));
            let mut padded = name.as_bytes().to_vec();
            padded.push(0);
            assert!(slot_of(&padded).is_none(), "{name}\\0");
            assert!(slot_of(&padded[1..]).is_none(), "{name} less its first");
            assert!(slot_of(name.to_uppercase().as_bytes()).is_none());
        }
        for n in [
            "",
            "a",
            "a4",
            "b0",
            "ui",
            "names",
            "requested_mask_",
            "uid\0",
        ] {
            assert!(slot_of(n.as_bytes()).is_none(), "{n:?}");
        }
    }

    /// Every slot reads the field `Record::get` and `values::text` read:
    /// the first own field of its name, whether it comes from the line,
    /// from inside `msg='...'` or from the parser (AVC's `seperms`), never
    /// an enrichment field.
    fn agrees_with_lookups(line: &str) {
        let r = rec(line);
        let scan = Scan::of(&r);
        for (slot, name) in NAMES {
            assert_eq!(scan.position(slot), r.position(name), "{name} in {line}");
            assert_eq!(scan.get(slot), r.get(name), "{name} in {line}");
            let text = scan.text(slot).map(|t| t.into_owned());
            assert_eq!(text, values::text(&r, name), "{name} in {line}");
        }
    }

    #[test]
    fn finds_what_get_finds() {
        agrees_with_lookups(
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=2 success=no exit=-13 a0=1 a1=2 a2=3 a3=4 auid=1 uid=2 euid=3 uid=9 comm=\"x\" exe=\"/bin/x\" key=\"k\" syscalls=5 a=1\x1dARCH=x86_64 SYSCALL=open AUID=\"alice\" UID=\"root\"",
        );
        agrees_with_lookups(
            "type=AVC msg=audit(1.0:2): avc:  denied  { read write } for  pid=7 \
             comm=\"a b\" name=6E616D65 name=second path=? \
             scontext=u:r:x_t:s0 tcontext=u:object_r:y_t:s0 tclass=file permissive=0",
        );
        agrees_with_lookups(
            "type=USER_AVC msg=audit(1.0:3): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='avc:  denied  { send_msg } for msgtype=method_call interface=org.x.Y member=Z dest=org.x src=1 exe=\"/usr/bin/dbus-daemon\" sauid=81 scontext=a:b:c_t:s0 tcontext=d:e:f_t:s0 tclass=dbus permissive=1 uid=5 exe=/x'",
        );
        agrees_with_lookups(
            "type=AVC msg=audit(1.0:4): apparmor=\"DENIED\" operation=\"open\" profile=\"/usr/sbin/x\" name=\"/etc/y\" pid=3 comm=\"x\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0 peer=\"p\" capname=\"net\" mask=\"w\" requested=\"q\"",
        );
    }

    /// A record whose parser knew its SYSCALL head is scanned as one read
    /// name by name: the same places, for usual heads and odd ones.
    #[test]
    fn known_syscall_head_reads_as_a_full_walk() {
        let mut heads = 0;
        for line in [
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=2 success=no exit=-13 a0=1 a1=2 a2=3 a3=4 items=0 ppid=1 pid=2 auid=1 uid=2 euid=3 comm=\"x\" exe=\"/bin/x\" key=(null)",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 arch=0 syscall=9 a0=7 pid=5 uid=0",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3",
            "type=SYSCALL msg=audit(1.0:1): syscall=59 arch=c000003e success=yes exit=0 a0=1 a1=2 a2=3 a3=4 pid=1",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=2 success=no exit=-13 a0=1 a1=2 a2=3 a3=4 uid=0 comm=\"x\"\x1dARCH=x86_64 SYSCALL=open UID=\"root\"",
        ] {
            let r = rec(line);
            heads += usize::from(r.quiet_tail.syscall_head);
            let mut walked = r.clone();
            walked.quiet_tail = Default::default();
            let (fast, slow) = (Scan::of(&r), Scan::of(&walked));
            for (slot, name) in NAMES {
                assert_eq!(fast.position(slot), slow.position(slot), "{name} in {line}");
            }
            assert_eq!(fast.enriched, slow.enriched, "{line}");
            assert_eq!(fast.enriched_call(), slow.enriched_call(), "{line}");
            agrees_with_lookups(line);
        }
        assert!(heads > 0, "no record took the head's fast path");
    }

    /// The two scans of an event answer for their own records only.
    #[test]
    fn scans_answer_for_their_records() {
        let avc = rec("type=AVC msg=audit(1.0:2): avc:  denied  { read } for pid=7 comm=\"a\"");
        let sc = rec("type=SYSCALL msg=audit(1.0:2): arch=c000003e syscall=2 comm=\"b\"");
        let other = rec("type=PROCTITLE msg=audit(1.0:2): proctitle=6C73");
        let scans = Scans::of(&avc, Some(&sc));
        assert!(scans.main().is(&avc));
        let comm = scans.find(&sc).and_then(|s| s.get(Slot::Comm));
        assert_eq!(comm, sc.get("comm"));
        assert_eq!(
            scans.find(&avc).and_then(|s| s.get(Slot::Pid)),
            Some(&b"7"[..])
        );
        assert!(scans.find(&other).is_none());
        let alone = Scans::of(&sc, Some(&sc));
        assert!(alone.main().is(&sc) && alone.syscall().is_some_and(|s| s.is(&sc)));
        assert_eq!(
            alone.syscall().and_then(|s| s.get(Slot::Syscall)),
            Some(&b"2"[..])
        );
    }
}
