//! The `arch=` field: the kernel's AUDIT_ARCH_* value (an ELF machine number
//! with 64-bit and little-endian bits), in hex. It names the machine and
//! chooses the syscall table.

use super::num::{self, Num};
use super::{Raw, Shown, Style};

/// Every AUDIT_ARCH_* value of `linux/audit.h`, sorted by value.
const ARCHES: &[(u32, &str)] = &[
    (0x2, "sparc"),
    (0x4, "m68k"),
    (0x8, "mips"),
    (0xf, "parisc"),
    (0x14, "ppc"),
    (0x16, "s390"),
    (0x28, "armeb"),
    (0x2a, "sh"),
    (0x2e, "h8300"),
    (0x58, "m32r"),
    (0x5c, "openrisc"),
    (0x5d, "arcompactbe"),
    (0x5e, "xtensa"),
    (0x8c, "c6xbe"),
    (0xa4, "hexagon"),
    (0xa7, "nds32be"),
    (0xbd, "microblaze"),
    (0xc3, "arcv2be"),
    (0x5441, "frv"),
    (0x4000_0003, "i386"),
    (0x4000_0008, "mipsel"),
    (0x4000_0028, "arm"),
    (0x4000_002a, "shel"),
    (0x4000_004c, "cris"),
    (0x4000_005d, "arcompact"),
    (0x4000_006e, "unicore"),
    (0x4000_0071, "nios2"),
    (0x4000_008c, "c6x"),
    (0x4000_00a7, "nds32"),
    (0x4000_00bc, "tilepro"),
    (0x4000_00bf, "tilegx32"),
    (0x4000_00c3, "arcv2"),
    (0x4000_00f3, "riscv32"),
    (0x4000_00fc, "csky"),
    (0x4000_0102, "loongarch32"),
    (0x8000_0008, "mips64"),
    (0x8000_000f, "parisc64"),
    (0x8000_0015, "ppc64"),
    (0x8000_0016, "s390x"),
    (0x8000_002a, "sh64"),
    (0x8000_002b, "sparc64"),
    (0xa000_0008, "mips64n32"),
    (0xc000_0008, "mipsel64"),
    (0xc000_0015, "ppc64le"),
    (0xc000_002a, "shel64"),
    (0xc000_0032, "ia64"),
    (0xc000_003e, "x86_64"),
    (0xc000_00b7, "aarch64"),
    (0xc000_00bf, "tilegx"),
    (0xc000_00f3, "riscv64"),
    (0xc000_0102, "loongarch64"),
    (0xc000_9026, "alpha"),
    (0xe000_0008, "mipsel64n32"),
];

/// The machine name of an AUDIT_ARCH_* value.
pub fn name_of(value: u32) -> Option<&'static str> {
    ARCHES
        .binary_search_by_key(&value, |a| a.0)
        .ok()
        .map(|i| ARCHES[i].1)
}

/// The machine name of an `arch=` value (`c000003e` is `x86_64`).
pub fn arch_name(arch: &[u8]) -> Option<&'static str> {
    match num::strict(arch, 16) {
        Num::Val(v) => u32::try_from(v).ok().and_then(name_of),
        _ => None,
    }
}

/// The name `ausearch` 3.0.9 prints: it knows fewer machines, and prints the
/// little-endian ARM value under the name `armeb`. Machines it does not know
/// get our name, as newer audit releases print them.
pub fn ausearch_name(value: u32) -> Option<&'static str> {
    match value {
        0x4000_0028 => Some("armeb"),
        _ => name_of(value),
    }
}

/// The machine of the record, for syscall tables: the `arch=` value, or the
/// machine this program runs on, as `ausearch` assumes when there is none.
pub fn machine_of(arch: Option<&[u8]>) -> Option<&'static str> {
    match arch {
        // Nearly every log comes from x86-64: its value is known at a glance.
        Some(b"c000003e") => Some("x86_64"),
        Some(a) => match num::c_strtoul(a, 16) {
            Num::Val(v) => u32::try_from(v).ok().and_then(name_of),
            _ => None,
        },
        None => Some(host_machine()),
    }
}

/// The machine this program was built for.
pub fn host_machine() -> &'static str {
    match std::env::consts::ARCH {
        "x86" => "i386",
        "powerpc64" if cfg!(target_endian = "little") => "ppc64le",
        "powerpc64" => "ppc64",
        "powerpc" => "ppc",
        "loongarch64" => "loongarch64",
        other => name_for_rust_arch(other),
    }
}

fn name_for_rust_arch(arch: &str) -> &'static str {
    ARCHES
        .iter()
        .find(|a| a.1 == arch)
        .map_or("x86_64", |a| a.1)
}

/// `arch=` in words.
pub fn interpret(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    match (style, num::unsigned(raw, 16, style)) {
        (Style::Ausearch, Num::Overflow) => {
            out.extend_from_slice(b"conversion error(");
            out.extend_from_slice(raw.text);
            out.extend_from_slice(b") ");
            Shown::Translated
        }
        (Style::Ausearch, Num::Val(v)) => {
            match u32::try_from(v).ok().and_then(ausearch_name) {
                Some(n) => out.extend_from_slice(n.as_bytes()),
                None => {
                    out.extend_from_slice(b"unknown-elf-type(");
                    out.extend_from_slice(raw.text);
                    out.push(b')');
                }
            }
            Shown::Translated
        }
        (Style::Human, Num::Val(v)) => match u32::try_from(v).ok().and_then(name_of) {
            Some(n) => {
                out.extend_from_slice(n.as_bytes());
                Shown::Translated
            }
            None => Shown::AsIs,
        },
        _ => Shown::AsIs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(arch_name(b"c000003e"), Some("x86_64"));
        assert_eq!(arch_name(b"40000003"), Some("i386"));
        assert_eq!(arch_name(b"c00000b7"), Some("aarch64"));
        assert_eq!(arch_name(b"40000028"), Some("arm"));
        assert_eq!(arch_name(b"80000015"), Some("ppc64"));
        assert_eq!(arch_name(b"c0000015"), Some("ppc64le"));
        assert_eq!(arch_name(b"80000016"), Some("s390x"));
        assert_eq!(arch_name(b"c00000f3"), Some("riscv64"));
        assert_eq!(arch_name(b"zz"), None);
        assert_eq!(ausearch_name(0x4000_0028), Some("armeb"));
        assert!(ARCHES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn the_x86_64_shortcut_agrees_with_the_table() {
        assert_eq!(machine_of(Some(b"c000003e")), name_of(0xc000_003e));
        assert_eq!(machine_of(Some(b"C000003E")), Some("x86_64"));
        assert_eq!(machine_of(Some(b"c000003e ")), Some("x86_64"));
        assert_eq!(machine_of(Some(b"c00000b7")), Some("aarch64"));
        assert_eq!(machine_of(Some(b"c000003")), None);
    }

    #[test]
    fn styles() {
        let raw = Raw {
            text: b"x86_64",
            quote: crate::record::Quote::None,
        };
        let mut out = Vec::new();
        assert_eq!(interpret(raw, Style::Human, &mut out), Shown::AsIs);
        interpret(raw, Style::Ausearch, &mut out);
        assert_eq!(out, b"unknown-elf-type(x86_64)");
    }
}
