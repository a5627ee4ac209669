//! The record-type table: what each audit record type is called, its number, its
//! flags (ANOM/RESP/INTEGRITY), its family, and an explanation in plain words.
//!
//! The table itself is generated from `data/record_types.csv` by `build.rs`; this
//! module only looks things up in it.

use std::fmt;

/// Category flags a record type can carry.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Flags(pub u8);

impl Flags {
    pub const ANOM: Flags = Flags(1);
    pub const RESP: Flags = Flags(2);
    pub const INTEGRITY: Flags = Flags(4);

    /// True when every flag of `other` is set here.
    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The flag names, in a fixed order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        [
            (Flags::ANOM, "ANOM"),
            (Flags::RESP, "RESP"),
            (Flags::INTEGRITY, "INTEGRITY"),
        ]
        .into_iter()
        .filter(move |(f, _)| self.contains(*f))
        .map(|(_, n)| n)
    }
}

impl fmt::Debug for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

/// One row of the record-type table.
#[derive(Debug)]
pub struct TypeInfo {
    pub name: &'static str,
    pub number: u32,
    pub flags: Flags,
    pub family: &'static str,
    pub explanation: &'static str,
}

impl TypeInfo {
    /// Netlink control commands (1000-1099 that never appear in a log).
    pub fn is_control(&self) -> bool {
        self.family == "control"
    }
}

include!(concat!(env!("OUT_DIR"), "/record_types.rs"));

/// Finds a type by its number.
pub fn by_number(number: u32) -> Option<&'static TypeInfo> {
    RECORD_TYPES
        .binary_search_by_key(&number, |t| t.number)
        .ok()
        .map(|i| &RECORD_TYPES[i])
}

/// Slots of the name hash table: a power of two, well above 226 names.
const NAME_SLOTS: usize = 1024;

/// The first and the last eight bytes of a name (zero-padded when shorter):
/// with the length, they tell two names of up to 16 bytes apart.
fn name_words(name: &[u8]) -> (u64, u64) {
    let word = |bytes: &[u8]| {
        let mut w = [0u8; 8];
        w[..bytes.len()].copy_from_slice(bytes);
        u64::from_le_bytes(w)
    };
    let n = name.len();
    if n >= 8 {
        (word(&name[..8]), word(&name[n - 8..]))
    } else {
        (word(name), 0)
    }
}

/// A hash of a type name from its length and words: a few instructions
/// instead of a step per byte. The table is checked to spread the names.
fn name_hash(n: usize, (head, tail): (u64, u64)) -> usize {
    let h = (head ^ tail.rotate_left(23) ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 40) as usize
}

/// One slot of the name table: the index in `RECORD_TYPES` (`u16::MAX`: empty)
/// and the name's words and length, compared before any byte.
#[derive(Clone, Copy)]
struct NameSlot {
    words: (u64, u64),
    len: u16,
    index: u16,
}

/// Open-addressing table from name to index in `RECORD_TYPES`.
/// Names are looked up once per record, so this beats a binary search.
static NAME_TABLE: std::sync::LazyLock<Box<[NameSlot; NAME_SLOTS]>> =
    std::sync::LazyLock::new(|| {
        let empty = NameSlot {
            words: (0, 0),
            len: 0,
            index: u16::MAX,
        };
        let mut table = Box::new([empty; NAME_SLOTS]);
        for (i, t) in RECORD_TYPES.iter().enumerate() {
            let name = t.name.as_bytes();
            let words = name_words(name);
            let mut slot = name_hash(name.len(), words) % NAME_SLOTS;
            while table[slot].index != u16::MAX {
                slot = (slot + 1) % NAME_SLOTS;
            }
            table[slot] = NameSlot {
                words,
                len: name.len() as u16,
                index: i as u16,
            };
        }
        table
    });

/// Finds a type by its canonical name (case-sensitive, as logged).
pub fn by_name(name: &[u8]) -> Option<&'static TypeInfo> {
    if name.is_empty() || name.len() > 32 {
        return None;
    }
    let table = &**NAME_TABLE;
    let words = name_words(name);
    let mut slot = name_hash(name.len(), words) % NAME_SLOTS;
    loop {
        let entry = table[slot];
        let info = RECORD_TYPES.get(usize::from(entry.index))?;
        if usize::from(entry.len) == name.len()
            && entry.words == words
            && (name.len() <= 16 || info.name.as_bytes() == name)
        {
            return Some(info);
        }
        slot = (slot + 1) % NAME_SLOTS;
    }
}

/// Resolves the text of a `type=` value: a name, a number, or `UNKNOWN[n]`.
/// Returns the table entry and the number when one is known.
pub fn resolve(text: &[u8]) -> (Option<&'static TypeInfo>, Option<u32>) {
    if let Some(info) = by_name(text) {
        return (Some(info), Some(info.number));
    }
    let digits = text
        .strip_prefix(b"UNKNOWN[")
        .and_then(|t| t.strip_suffix(b"]"))
        .unwrap_or(text);
    match parse_u32(digits) {
        Some(n) => (by_number(n), Some(n)),
        None => (None, None),
    }
}

/// Parses a plain decimal number of at most nine digits.
fn parse_u32(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 9 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0')),
    )
}

/// All types whose name matches a glob (`*`, `?`), case-insensitively.
pub fn matching(pattern: &str) -> impl Iterator<Item = &'static TypeInfo> + '_ {
    RECORD_TYPES
        .iter()
        .filter(move |t| crate::glob::matches(pattern, t.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_names_numbers_and_unknown_brackets() {
        assert_eq!(resolve(b"USER_AUTH").0.map(|t| t.number), Some(1100));
        assert_eq!(resolve(b"1400").0.map(|t| t.name), Some("AVC"));
        assert_eq!(resolve(b"UNKNOWN[1334]").0.map(|t| t.name), Some("BPF"));
        let (info, n) = resolve(b"UNKNOWN[9999]");
        assert!(info.is_none());
        assert_eq!(n, Some(9999));
        assert_eq!(resolve(b"AUOMS_EXECVE").1, None);
    }

    #[test]
    fn tables_are_sorted_and_consistent() {
        assert!(RECORD_TYPES.windows(2).all(|w| w[0].number < w[1].number));
        for t in RECORD_TYPES {
            assert_eq!(by_name(t.name.as_bytes()).map(|x| x.number), Some(t.number));
            assert_eq!(by_number(t.number).map(|x| x.name), Some(t.name));
            assert!(
                !t.explanation.trim().is_empty(),
                "{} has no explanation",
                t.name
            );
        }
    }

    #[test]
    fn name_table_probes_are_short() {
        let table = &**NAME_TABLE;
        for t in RECORD_TYPES {
            let name = t.name.as_bytes();
            let mut slot = name_hash(name.len(), name_words(name)) % NAME_SLOTS;
            let mut probes = 1;
            while RECORD_TYPES[usize::from(table[slot].index)].name != t.name {
                slot = (slot + 1) % NAME_SLOTS;
                probes += 1;
            }
            assert!(probes <= 4, "{} needs {probes} probes", t.name);
        }
    }

    #[test]
    fn unknown_names_miss() {
        for name in [
            &b""[..],
            b"SYSCAL",
            b"SYSCALLX",
            b"syscall",
            b"AUOMS_EXECVE",
            &[b'A'; 40],
        ] {
            assert!(by_name(name).is_none(), "{name:?}");
        }
    }

    #[test]
    fn flags_follow_number_ranges() {
        for t in RECORD_TYPES {
            let want = match t.number {
                1700..=1799 | 2100..=2199 => Flags::ANOM,
                2200..=2299 => Flags::RESP,
                1800..=1899 => Flags::INTEGRITY,
                _ => Flags(0),
            };
            assert_eq!(t.flags, want, "{}", t.name);
        }
    }
}
