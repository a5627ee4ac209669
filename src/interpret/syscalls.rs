//! Syscall numbers to names, per machine, from the `syscalls` crate's kernel
//! tables. audit-userspace spells a few names its own way (`pread` for
//! `pread64`) and knows some old 31/32-bit numbers the crate lacks; those
//! spellings come from `data/interp/syscall_spellings.csv`.

use super::arch;
use super::num::{self, Num};
use super::tables;
use super::{Raw, Shown, Style};

/// The kernel's name for syscall `n` on `machine` (a name from `arch`).
fn kernel_name(machine: &str, n: u32) -> Option<&'static str> {
    let id = n as usize;
    match machine {
        "x86_64" => syscalls::x86_64::Sysno::new(id).map(|s| s.name()),
        "i386" => syscalls::x86::Sysno::new(id).map(|s| s.name()),
        "aarch64" => syscalls::aarch64::Sysno::new(id).map(|s| s.name()),
        "arm" | "armeb" => syscalls::arm::Sysno::new(id).map(|s| s.name()),
        "ppc" => syscalls::powerpc::Sysno::new(id).map(|s| s.name()),
        "ppc64" | "ppc64le" => syscalls::powerpc64::Sysno::new(id).map(|s| s.name()),
        "s390x" | "s390" => syscalls::s390x::Sysno::new(id).map(|s| s.name()),
        "riscv32" => syscalls::riscv32::Sysno::new(id).map(|s| s.name()),
        "riscv64" => syscalls::riscv64::Sysno::new(id).map(|s| s.name()),
        "mips" | "mipsel" => syscalls::mips::Sysno::new(id).map(|s| s.name()),
        "mips64" | "mipsel64" => syscalls::mips64::Sysno::new(id).map(|s| s.name()),
        "loongarch64" => syscalls::loongarch64::Sysno::new(id).map(|s| s.name()),
        "sparc" => syscalls::sparc::Sysno::new(id).map(|s| s.name()),
        "sparc64" => syscalls::sparc64::Sysno::new(id).map(|s| s.name()),
        _ => None,
    }
}

/// The name of syscall `n` on `machine` in the given style: the kernel's
/// name for people, audit-userspace's spelling for `ausearch`.
pub fn name_on(machine: &str, n: u32, style: Style) -> Option<&'static str> {
    match style {
        Style::Ausearch => tables::spelling(machine, n).or_else(|| kernel_name(machine, n)),
        // 31-bit s390 has numbers of its own; the spelling table holds them.
        Style::Human if machine == "s390" => {
            tables::spelling(machine, n).or_else(|| kernel_name(machine, n))
        }
        Style::Human => kernel_name(machine, n).or_else(|| tables::spelling(machine, n)),
    }
}

/// The name of a system call, from the record's `arch=` (hex audit arch) and
/// `syscall=` (decimal number) values. Without an arch, the machine this
/// program runs on is assumed, as `ausearch` does.
pub fn syscall_name(arch: Option<&[u8]>, number: &[u8]) -> Option<&'static str> {
    let machine = arch::machine_of(arch)?;
    let n = match num::strict(number, 10) {
        Num::Val(v) => u32::try_from(v).ok()?,
        _ => return None,
    };
    name_on(machine, n, Style::Human)
}

/// The syscall number of a record as `ausearch` reads it (C `strtoul`, as `int`).
pub fn number(raw: Raw, style: Style) -> Option<u32> {
    match num::unsigned(raw, 10, style) {
        Num::Val(v) => Some(v as u32),
        _ => None,
    }
}

/// How many names `recalled_name` remembers (a direct-mapped table).
const RECALLED: usize = 64;

/// The key of one remembered name: the record's `arch=` and `syscall=`
/// values as written (each up to eight bytes, as a little-endian word) with
/// their lengths and the style. `arch_len` is `NO_ARCH` for a record without
/// an arch; `tag` 0 marks an empty slot.
#[derive(Clone, Copy, PartialEq, Eq)]
struct NameKey {
    arch: u64,
    number: u64,
    tag: u32,
}

/// `NameKey::tag`'s arch length for a record without an `arch=` field.
const NO_ARCH: u32 = 0xff;

impl NameKey {
    /// The key of these values, or `None` when one is too long to fit.
    fn of(arch: Option<&[u8]>, number: &[u8], style: Style) -> Option<NameKey> {
        let (arch_word, arch_len) = match arch {
            Some(a) if a.len() <= 8 => (super::kind::key_now(a), a.len() as u32),
            Some(_) => return None,
            None => (0, NO_ARCH),
        };
        if number.len() > 8 {
            return None;
        }
        let style_bit = match style {
            Style::Human => 0,
            Style::Ausearch => 1,
        };
        Some(NameKey {
            arch: arch_word,
            number: super::kind::key_now(number),
            tag: 1 << 24 | style_bit << 16 | (number.len() as u32) << 8 | arch_len,
        })
    }

    fn slot(self) -> usize {
        let mixed = self.arch ^ self.number.rotate_left(29) ^ u64::from(self.tag);
        (mixed.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58) as usize % RECALLED
    }
}

type Recalled = (NameKey, Option<&'static str>);

const EMPTY: Recalled = (
    NameKey {
        arch: 0,
        number: 0,
        tag: 0,
    },
    None,
);

thread_local! {
    static NAMES: std::cell::RefCell<[Recalled; RECALLED]> =
        const { std::cell::RefCell::new([EMPTY; RECALLED]) };
}

/// The syscall name for the record values `arch` and `number` in `style`,
/// from a small table of the names met lately; `work_out` gives it when
/// the table does not hold it. The name depends on those values and the
/// style alone, and a log mostly repeats a few calls from one machine.
pub fn recalled_name(
    arch: Option<&[u8]>,
    number: &[u8],
    style: Style,
    work_out: impl FnOnce() -> Option<&'static str>,
) -> Option<&'static str> {
    let Some(key) = NameKey::of(arch, number, style) else {
        return work_out();
    };
    let slot = key.slot();
    let kept = NAMES.with_borrow(|table| table[slot]);
    if kept.0 == key {
        return kept.1;
    }
    let name = work_out();
    NAMES.with_borrow_mut(|table| table[slot] = (key, name));
    name
}

/// `syscall=` in words. `socketcall` and `ipc` carry the real call in a0.
/// `name_of` gives the name of a number on the record's machine.
pub fn interpret(
    raw: Raw,
    name_of: impl FnOnce(u32) -> Option<&'static str>,
    a0: impl Fn() -> Option<u64>,
    style: Style,
    out: &mut Vec<u8>,
) -> Shown {
    // A name written in place of the number (auoms does) stays as written.
    if num::strict(raw.text, 10) == Num::NotNumber && !raw.text.starts_with(b"-") {
        return Shown::AsIs;
    }
    let n = match num::unsigned(raw, 10, style) {
        Num::Val(v) => v as u32,
        Num::Overflow if style == Style::Ausearch => return super::conversion_error(raw, out),
        _ => return Shown::AsIs,
    };
    let Some(name) = name_of(n) else {
        if style == Style::Human {
            return Shown::AsIs;
        }
        out.extend_from_slice(b"unknown-syscall(");
        num::push_signed(out, i64::from(n as i32));
        out.push(b')');
        return Shown::Translated;
    };
    out.extend_from_slice(name.as_bytes());
    let table = match name {
        "socketcall" => &tables::SOCKETCALLS,
        "ipc" => &tables::IPC_CALLS,
        _ => return Shown::Translated,
    };
    // Read only for the two calls that carry another in it.
    let sub = a0()
        .and_then(|a| i32::try_from(a).ok())
        .and_then(|a| table.name(a as u64));
    if let Some(sub) = sub {
        out.push(b'(');
        out.extend_from_slice(sub.as_bytes());
        out.push(b')');
    }
    Shown::Translated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_machine() {
        assert_eq!(syscall_name(Some(b"c000003e"), b"257"), Some("openat"));
        assert_eq!(syscall_name(Some(b"c000003e"), b"59"), Some("execve"));
        assert_eq!(syscall_name(Some(b"40000003"), b"11"), Some("execve"));
        assert_eq!(syscall_name(Some(b"c00000b7"), b"221"), Some("execve"));
        assert_eq!(syscall_name(Some(b"40000028"), b"11"), Some("execve"));
        assert_eq!(syscall_name(Some(b"80000015"), b"11"), Some("execve"));
        assert_eq!(syscall_name(Some(b"80000016"), b"11"), Some("execve"));
        assert_eq!(syscall_name(Some(b"c00000f3"), b"221"), Some("execve"));
        assert_eq!(syscall_name(Some(b"c000003e"), b"99999"), None);
        assert_eq!(syscall_name(Some(b"c000003e"), b"x"), None);
        assert_eq!(name_on("x86_64", 17, Style::Human), Some("pread64"));
        assert_eq!(name_on("x86_64", 17, Style::Ausearch), Some("pread"));
    }

    /// What `Context` worked out before the table: the name from the tables.
    fn slow_name(arch: Option<&[u8]>, text: &[u8], style: Style) -> Option<&'static str> {
        let raw = Raw {
            text,
            quote: crate::record::Quote::None,
        };
        let machine = match (arch::machine_of(arch), style) {
            (None, Style::Ausearch) => Some(arch::host_machine()),
            (m, _) => m,
        };
        name_on(machine?, number(raw, style)?, style)
    }

    #[test]
    fn recalled_names_match_the_tables() {
        let arches: [Option<&[u8]>; 7] = [
            Some(b"c000003e"),
            Some(b"40000003"),
            Some(b"c00000b7"),
            Some(b"0"),
            Some(b"zz"),
            Some(b"c000003e0"),
            None,
        ];
        let numbers: [&[u8]; 9] = [
            b"0",
            b"2",
            b"59",
            b"257",
            b"017",
            b"-1",
            b"99999",
            b"123456789",
            b"",
        ];
        // Twice over, so that the second round is answered from the table;
        // the arches differ by one byte, so a key that lost one would show.
        for _ in 0..2 {
            for arch in arches {
                for number in numbers {
                    for style in [Style::Human, Style::Ausearch] {
                        let slow = slow_name(arch, number, style);
                        let recalled = recalled_name(arch, number, style, || slow);
                        assert_eq!(recalled, slow, "{arch:?} {number:?} {style:?}");
                    }
                }
            }
        }
        // A value the table has seen is answered without working it out.
        let first = recalled_name(Some(b"c000003e"), b"59", Style::Human, || Some("execve"));
        let again = recalled_name(Some(b"c000003e"), b"59", Style::Human, || None);
        assert_eq!((first, again), (Some("execve"), Some("execve")));
    }
}
