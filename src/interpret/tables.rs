//! The name tables interpretation reads: flag bits, commands, families, errno
//! names, terminal keys. They are facts kept as CSV in `data/interp/` and
//! turned into sorted static slices by `build.rs`, so a lookup is a binary
//! search and costs no allocation.

/// One value-to-name table.
pub struct Table {
    /// Rows in file order: the order flag names are printed in.
    pub listed: &'static [(u64, &'static str)],
    /// Rows sorted by value, one per value (the first one listed wins).
    pub sorted: &'static [(u64, &'static str)],
}

impl Table {
    /// The name of a value.
    pub fn name(&self, value: u64) -> Option<&'static str> {
        self.sorted
            .binary_search_by_key(&value, |e| e.0)
            .ok()
            .map(|i| self.sorted[i].1)
    }

    /// Appends the names of every row whose bits are set in `value`, in file
    /// order, separated by `sep`; returns how many were written.
    pub fn push_flags(&self, value: u64, sep: &[u8], out: &mut Vec<u8>) -> usize {
        let mut n = 0;
        for &(bits, name) in self.listed {
            if bits & value != 0 {
                if n > 0 {
                    out.extend_from_slice(sep);
                }
                out.extend_from_slice(name.as_bytes());
                n += 1;
            }
        }
        n
    }
}

use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/interp_tables.rs"));

/// The errno row for a positive errno number.
pub fn errno_row(code: u64) -> Option<&'static (u64, &'static str, &'static str, &'static str)> {
    ERRNOS
        .binary_search_by_key(&code, |e| e.0)
        .ok()
        .map(|i| &ERRNOS[i])
}

/// One row of the spelling table: arch, number, name.
type Spelling = (&'static str, u32, &'static str);

/// How audit-userspace spells a syscall where the kernel's table differs.
pub fn spelling(arch: &str, number: u32) -> Option<&'static str> {
    // The rows of each arch, found once: then a lookup compares a few arch
    // names and searches numbers only.
    static BY_ARCH: OnceLock<Vec<(&'static str, &'static [Spelling])>> = OnceLock::new();
    let by_arch = BY_ARCH.get_or_init(|| {
        SYSCALL_SPELLINGS
            .chunk_by(|a, b| a.0 == b.0)
            .map(|rows| (rows[0].0, rows))
            .collect()
    });
    let rows = by_arch.iter().find(|(a, _)| *a == arch)?.1;
    rows.binary_search_by_key(&number, |e| e.1)
        .ok()
        .map(|i| rows[i].2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_and_flags() {
        assert_eq!(SIGNALS.name(9), Some("SIGKILL"));
        assert!(ERRNOS.len() > 100);
        assert_eq!(errno_row(11).map(|e| e.1), Some("EAGAIN"));
        assert_eq!(errno_row(13).map(|e| e.3), Some("permission denied"));
        let mut out = Vec::new();
        assert_eq!(OPEN_FLAGS.push_flags(0o100 | 0o1000, b"|", &mut out), 2);
        assert_eq!(out, b"O_CREAT|O_TRUNC");
        assert_eq!(spelling("x86_64", 17), Some("pread"));
        assert_eq!(spelling("x86_64", 257), None);
        assert_eq!(spelling("nowhere", 17), None);
        for &(arch, n, name) in SYSCALL_SPELLINGS {
            assert_eq!(spelling(arch, n), Some(name));
        }
        assert_eq!(PROTOCOLS.name(6), Some("tcp"));
        assert_eq!(PROTOCOLS.name(0), Some("ip"));
    }

    #[test]
    fn tables_are_sorted_and_unique() {
        for t in [&OPEN_FLAGS, &CAPABILITIES, &SOCKET_FAMILIES, &PRCTL_OPTIONS] {
            assert!(t.sorted.windows(2).all(|w| w[0].0 < w[1].0));
        }
        assert!(ERRNOS.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
