//! Short cuts for the fields met most often, in the people's style:
//! syscall arguments that no rule decodes, user and group ids, `exit=`,
//! `syscall=`, `arch=`, `ses=`, `res=` and a `key=` the kernel did not encode.
//! Most SYSCALL records carry a dozen of them, and the general path reads
//! each value as a number, looks rules and tables up and builds the words in
//! a buffer that the renderer escapes again. Here the common values are
//! recognised from their bytes and the answer says what to write; anything
//! unusual (quotes, plus signs, leading `0x`, long values, enrichment, local
//! names) gets `None` and takes the general path, which stays the reference.

use super::Shown;
use super::argrules::{Rule, human_rule_reads_record, rule_for};
use super::{Context, Kind, Raw, Style, arch, encoded, errno, num, syscalls};
use crate::record::Quote;

/// What the people's style shows for a value, known without the general path.
/// All words are printable ASCII that needs no escaping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quick {
    /// The value as written: nothing to add.
    AsIs,
    /// `0x` and the value as written (`Shown::Decoded`).
    Hex,
    /// Words standing for the value (`Shown::Translated`).
    Words(&'static str),
    /// An errno's name and meaning, written `NAME "meaning"` (`Shown::Translated`).
    Errno(&'static str, &'static str),
}

#[cfg(test)]
impl Quick {
    /// Writes the answer as the general path would and says what it did.
    pub fn write(self, raw: Raw, out: &mut Vec<u8>) -> Shown {
        match self {
            Quick::AsIs => Shown::AsIs,
            Quick::Hex => {
                out.extend_from_slice(b"0x");
                out.extend_from_slice(raw.text);
                Shown::Decoded
            }
            Quick::Words(words) => {
                out.extend_from_slice(words.as_bytes());
                Shown::Translated
            }
            Quick::Errno(name, meaning) => {
                push_errno(name, meaning, out);
                Shown::Translated
            }
        }
    }
}

/// `NAME "meaning"`, as `errno::exit` words a failure for people.
#[cfg(test)]
fn push_errno(name: &str, meaning: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b" \"");
    out.extend_from_slice(meaning.as_bytes());
    out.push(b'"');
}

/// True for the kinds `for_people` may answer: a test cheap enough to make
/// before calling it.
#[inline]
pub fn may_answer(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Arg(_)
            | Kind::Uid
            | Kind::Gid
            | Kind::Exit
            | Kind::Syscall
            | Kind::Arch
            | Kind::Session
            | Kind::Success
            | Kind::EscapedKey
    )
}

/// The people's answer for a field of kind `kind` when the value is one of
/// the common shapes; `None` sends the caller to the general path.
#[inline(never)]
pub fn for_people(kind: Kind, raw: Raw, ctx: &Context) -> Option<Quick> {
    if raw.quote != Quote::None {
        return None;
    }
    match kind {
        Kind::Arg(n) => bare_argument(n, raw.text, ctx),
        Kind::Uid | Kind::Gid if ctx.no_enrichment && ctx.names.is_none() => id(raw.text),
        Kind::Exit => exit(raw.text),
        Kind::Syscall => syscall(raw.text, ctx),
        Kind::Arch => arch(raw.text),
        Kind::Session => Some(session(raw.text)),
        Kind::Success => success(raw.text),
        // A key the kernel did not hex-encode (`(null)`) reads as written.
        Kind::EscapedKey => (!encoded::is_encoded(raw)).then_some(Quick::AsIs),
        _ => None,
    }
}

/// `arch=` of one to sixteen hex digits: the machine's name, or the value
/// as written when no machine has that number.
fn arch(text: &[u8]) -> Option<Quick> {
    // Nearly every log comes from x86-64.
    if text == b"c000003e" {
        return Some(Quick::Words("x86_64"));
    }
    let name = u32::try_from(num::short_plain(text, 16)?)
        .ok()
        .and_then(arch::name_of);
    Some(name.map_or(Quick::AsIs, Quick::Words))
}

/// `ses=`: `unset` for the kernel's two ways of saying so, else as written.
fn session(text: &[u8]) -> Quick {
    match text {
        b"4294967295" | b"-1" => Quick::Words("unset"),
        _ => Quick::AsIs,
    }
}

/// `res=` and `result=`: `yes` or `no` for the words and numbers that say
/// so, else as written. Long numbers are left to the general path.
fn success(text: &[u8]) -> Option<Quick> {
    if text.first().is_some_and(u8::is_ascii_digit) {
        // Nine digits at most: the value fits an i32 as it is.
        return Some(match short_decimal(text)? {
            0 => Quick::Words("no"),
            1 => Quick::Words("yes"),
            _ => Quick::AsIs,
        });
    }
    Some(match text {
        b"success" => Quick::Words("yes"),
        b"failed" | b"fail" | b"failure" => Quick::Words("no"),
        _ => Quick::AsIs,
    })
}

/// `syscall=` of up to nine decimal digits without a leading zero: the
/// call's name, or the number as written when the machine has none by that
/// number. `socketcall` and `ipc`, which name another call in `a0`, are left
/// to the general path.
fn syscall(text: &[u8], ctx: &Context) -> Option<Quick> {
    let number = short_decimal(text)?;
    if text.len() > 1 && text.first() == Some(&b'0') {
        return None;
    }
    // The record's own syscall field has its name worked out already.
    let name = if ctx
        .syscall
        .is_some_and(|s| std::ptr::eq(s.as_ptr(), text.as_ptr()) && s.len() == text.len())
    {
        ctx.syscall_name(Style::Human)
    } else {
        let n = u32::try_from(number).ok()?;
        ctx.machine_for(Style::Human)
            .and_then(|m| syscalls::name_on(m, n, Style::Human))
    };
    match name {
        None => Some(Quick::AsIs),
        Some("socketcall" | "ipc") => None,
        Some(name) => Some(Quick::Words(name)),
    }
}

/// A syscall argument of one to sixteen hex digits that no rule decodes:
/// shown as `0x` and the digits.
fn bare_argument(n: u8, text: &[u8], ctx: &Context) -> Option<Quick> {
    if !Quick::hex_shaped(text) {
        return None;
    }
    let bare = match ctx.syscall_name(Style::Human) {
        None => true,
        Some(sys) => human_rule_of(sys, n, ctx).is_none(),
    };
    bare.then_some(Quick::Hex)
}

impl Quick {
    /// True for a value of one to sixteen hex digits, the shape of an
    /// argument that `for_people` may show as `0x` and its digits.
    pub fn hex_shaped(text: &[u8]) -> bool {
        !text.is_empty() && text.len() <= 16 && text.iter().all(u8::is_ascii_hexdigit)
    }
}

/// The people's rules for the arguments `a0` to `a3` of one record: what
/// decodes each, or nothing for one shown as `0x` and its digits. They
/// depend on the record alone, not on the argument's own value, so a
/// renderer looks them up once per record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArgRules([Option<Rule>; 4]);

impl ArgRules {
    /// The rules of the record with context `ctx`.
    pub fn of(ctx: &Context) -> ArgRules {
        ArgRules(match ctx.syscall_name(Style::Human) {
            None => [None; 4],
            Some(sys) => remembered_rules(sys, ctx)
                .unwrap_or_else(|| [0, 1, 2, 3].map(|n| rule_for(sys, n, ctx, Style::Human))),
        })
    }

    /// For each argument, true when no rule decodes it: `for_people` then
    /// answers `Hex` for every unquoted `Quick::hex_shaped` value of it.
    pub fn bare(self) -> [bool; 4] {
        self.0.map(|rule| rule.is_none())
    }

    /// What the people's style writes for argument `n` (0-3) of the record
    /// these rules are of, with context `ctx`, when a rule decodes it:
    /// exactly what interpreting the field writes. `None` when no rule does.
    pub fn decode(self, n: usize, raw: Raw, ctx: &Context, out: &mut Vec<u8>) -> Option<Shown> {
        let rule = (*self.0.get(n)?)?;
        Some(super::args::by_rule_for_people(rule, raw, ctx, out))
    }
}

/// How many syscalls `remembered_rules` remembers (a direct-mapped table).
const REMEMBERED: usize = 64;

/// What `remembered_rules` remembers of one syscall: its name's address and
/// length, and the rule of each argument 0-3, or `None` when they read the
/// record (`human_rule_reads_record`).
type Remembered = (usize, usize, Option<[Option<Rule>; 4]>);

thread_local! {
    static RULES: std::cell::RefCell<[Remembered; REMEMBERED]> =
        const { std::cell::RefCell::new([(0, 0, None); REMEMBERED]) };
}

/// The people's rules of the arguments 0-3 of `sys`, the same in every
/// record; `None` for a syscall whose rules read the record
/// (`human_rule_reads_record`). Names come from static tables, so each is
/// known by its address; what a name gives is worked out once and kept in
/// a small table.
fn remembered_rules(sys: &'static str, ctx: &Context) -> Option<[Option<Rule>; 4]> {
    let (at, len) = (sys.as_ptr() as usize, sys.len());
    let slot = (at >> 3 ^ at >> 9) % REMEMBERED;
    RULES.with_borrow_mut(|table| {
        let entry = &mut table[slot];
        if entry.0 != at || entry.1 != len {
            let rules = (!human_rule_reads_record(sys))
                .then(|| [0u8, 1, 2, 3].map(|a| rule_for(sys, a, ctx, Style::Human)));
            *entry = (at, len, rules);
        }
        entry.2
    })
}

/// The people's rule of argument `n` (0-3) of `sys` in the record with
/// context `ctx`: from the table when the rule reads nothing of the record.
pub(super) fn human_rule_of(sys: &'static str, n: u8, ctx: &Context) -> Option<Rule> {
    match remembered_rules(sys, ctx).and_then(|rules| rules.get(usize::from(n)).copied()) {
        Some(rule) => rule,
        None => rule_for(sys, n, ctx, Style::Human),
    }
}

/// An id of up to nine decimal digits, or 4294967295: `root`, `unset`, or
/// the number as written.
fn id(text: &[u8]) -> Option<Quick> {
    if text == b"4294967295" {
        return Some(Quick::Words("unset"));
    }
    if short_decimal(text)? == 0 {
        Some(Quick::Words("root"))
    } else {
        Some(Quick::AsIs)
    }
}

/// `exit=` of up to nine decimal digits, with or without a minus sign: a
/// negative value with an errno name is the errno, any other stays as written.
fn exit(text: &[u8]) -> Option<Quick> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let v = short_decimal(digits)?;
    if !negative || v == 0 {
        return Some(Quick::AsIs);
    }
    // Nine digits at most: the value fits an i64.
    Some(match errno::errno(-(v as i64)) {
        Some((name, meaning)) => Quick::Errno(name, meaning),
        None => Quick::AsIs,
    })
}

/// The value of one to nine decimal digits (`num::short_plain`): a value no
/// reading can overflow.
fn short_decimal(text: &[u8]) -> Option<u64> {
    if text.len() > 9 {
        return None;
    }
    num::short_plain(text, 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpret::ids::LocalNames;
    use crate::parse::first_record as parse;

    /// The general path's answer for a value of `kind` in the record of `line`.
    fn slow(line: &str, kind: Kind, name: &str, text: &str) -> (Shown, Vec<u8>) {
        let rec = parse(line);
        let ctx = Context::of(&rec);
        let raw = Raw {
            text: text.as_bytes(),
            quote: Quote::None,
        };
        let mut out = Vec::new();
        let shown = super::super::dispatch(
            &rec,
            kind,
            name.as_bytes(),
            raw,
            &ctx,
            Style::Human,
            &mut out,
        );
        (shown, out)
    }

    /// The short cut's answer, written; `None` when it leaves the value alone.
    fn fast(line: &str, kind: Kind, text: &str) -> Option<(Shown, Vec<u8>)> {
        let rec = parse(line);
        let ctx = Context::of(&rec);
        let raw = Raw {
            text: text.as_bytes(),
            quote: Quote::None,
        };
        let quick = for_people(kind, raw, &ctx)?;
        let mut out = Vec::new();
        Some((quick.write(raw, &mut out), out))
    }

    const OPENAT: &str = "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffd a2=241 a3=1b6 items=1";
    const READ: &str = "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=0 a0=3 a1=7ffd a2=40";
    const ODD_ARCH: &str = "type=SYSCALL msg=audit(1.0:1): arch=deadbeef syscall=257 a0=1";
    const NO_ARCH: &str = "type=SYSCALL msg=audit(1.0:1): syscall=2 a0=1 a1=41";
    const SETUID: &str = "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=105 a0=0";

    /// Values of every shape the short cuts take or refuse.
    const VALUES: &[&str] = &[
        "0",
        "00",
        "000000000",
        "1",
        "7ffd",
        "7FFD",
        "00ff",
        "ffffff9c",
        "ffffffffffffffff",
        "0000000000000001",
        "10000000000000000",
        "fffffffffffffffff",
        "0x10",
        "-1",
        "-0",
        "-13",
        "-2",
        "-4095",
        "-999999999",
        "-1000000000",
        "--1",
        "",
        "1000",
        "999999999",
        "1000000000",
        "4294967295",
        "04294967295",
        "4294967296",
        "18446744073709551615",
        "+5",
        " 1",
        "1 ",
        "g",
        "z1",
        "1.5",
        "\u{e9}",
        "c000003e",
        "C000003E",
        "40000003",
        "c00000b7",
        "80000016",
        "deadbeef",
        "success",
        "failed",
        "fail",
        "failure",
        "yes",
        "(null)",
        "6B6579",
        "6b65790161",
        "abc",
    ];

    #[test]
    fn short_cuts_write_what_the_general_path_writes() {
        let mut taken = 0;
        for line in [OPENAT, READ, ODD_ARCH, NO_ARCH, SETUID] {
            for (kind, name) in [
                (Kind::Arg(0), "a0"),
                (Kind::Arg(1), "a1"),
                (Kind::Arg(2), "a2"),
                (Kind::Arg(3), "a3"),
                (Kind::Uid, "uid"),
                (Kind::Gid, "gid"),
                (Kind::Exit, "exit"),
                (Kind::Syscall, "syscall"),
                (Kind::Arch, "arch"),
                (Kind::Session, "ses"),
                (Kind::Success, "res"),
                (Kind::EscapedKey, "key"),
            ] {
                for text in VALUES {
                    if let Some(answer) = fast(line, kind, text) {
                        assert_eq!(answer, slow(line, kind, name, text), "{line} {name}={text}");
                        let mut words = String::new();
                        crate::sanitize::push_escaped(&mut words, &answer.1);
                        assert_eq!(words.as_bytes(), answer.1.as_slice(), "{name}={text}");
                        taken += 1;
                    }
                }
            }
        }
        assert!(taken > 400, "{taken}");
    }

    #[test]
    fn bare_arguments_answer_as_for_people_does() {
        let clone = "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=56 a0=1200011 a1=0 a2=0";
        let mut hex = 0;
        for line in [OPENAT, READ, ODD_ARCH, NO_ARCH, SETUID, clone] {
            let rec = parse(line);
            let ctx = Context::of(&rec);
            let bare = ArgRules::of(&ctx).bare();
            for n in 0..4u8 {
                for text in VALUES {
                    let raw = Raw {
                        text: text.as_bytes(),
                        quote: Quote::None,
                    };
                    let quick = for_people(Kind::Arg(n), raw, &ctx);
                    let said = bare[usize::from(n)] && Quick::hex_shaped(raw.text);
                    assert_eq!(said, quick == Some(Quick::Hex), "{line} a{n}={text}");
                    hex += usize::from(said);
                }
            }
        }
        assert!(hex > 50, "{hex}");
        let rec = parse(OPENAT);
        assert_eq!(
            ArgRules::of(&Context::of(&rec)).bare(),
            [false, true, false, false]
        );
    }

    #[test]
    fn remembered_rules_are_the_same_in_every_record() {
        let records = [
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=1 a0=0 a1=0 a2=0",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=1 a0=17 a1=41 a2=40",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=1 a0=18 a1=ffff a2=ffff",
            "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=1 a0=1 a1=2 a2=3",
            "type=SYSCALL msg=audit(1.0:1): arch=80000016 syscall=1 a0=1 a1=40 a2=0",
            "type=SYSCALL msg=audit(1.0:1): syscall=1",
        ]
        .map(parse);
        let contexts: Vec<Context> = records.iter().map(Context::of).collect();
        let mut names = 0;
        for machine in ["x86_64", "i386", "aarch64", "s390x", "ppc64le", "arm"] {
            for number in 0..1100 {
                let Some(sys) = crate::interpret::syscalls::name_on(machine, number, Style::Human)
                else {
                    continue;
                };
                names += 1;
                for n in 0..4 {
                    let rules: Vec<_> = contexts
                        .iter()
                        .map(|c| rule_for(sys, n, c, Style::Human))
                        .collect();
                    if !human_rule_reads_record(sys) {
                        assert!(rules.iter().all(|r| *r == rules[0]), "{sys} a{n}");
                    }
                    // The table's rule is the one worked out for each record.
                    for (c, rule) in contexts.iter().zip(&rules) {
                        assert_eq!(human_rule_of(sys, n, c), *rule, "{sys} a{n}");
                    }
                }
            }
        }
        assert!(names > 1000, "{names}");
    }

    #[test]
    fn every_syscall_number_reads_alike() {
        let mut named = 0;
        for arch in ["c000003e", "40000003", "c00000b7", "80000016", "deadbeef"] {
            for line in [
                format!("type=SYSCALL msg=audit(1.0:1): arch={arch} syscall=1 a0=1"),
                format!("type=SYSCALL msg=audit(1.0:1): arch={arch} a0=1"),
            ] {
                for n in (0..1100).chain([4095, 99_999_999, 999_999_999]) {
                    let text = n.to_string();
                    let Some(answer) = fast(&line, Kind::Syscall, &text) else {
                        continue;
                    };
                    assert_eq!(
                        answer,
                        slow(&line, Kind::Syscall, "syscall", &text),
                        "{text}"
                    );
                    let mut words = String::new();
                    crate::sanitize::push_escaped(&mut words, &answer.1);
                    assert_eq!(words.as_bytes(), answer.1.as_slice(), "{text}");
                    named += usize::from(answer.0 == Shown::Translated);
                }
            }
        }
        assert!(named > 1000, "{named}");
        // The record's own field, whose name the context keeps.
        let rec = parse(OPENAT);
        let ctx = Context::of(&rec);
        let own = rec.value_of(&rec.fields[1]);
        let raw = Raw {
            text: own,
            quote: Quote::None,
        };
        assert_eq!(
            for_people(Kind::Syscall, raw, &ctx),
            Some(Quick::Words("openat"))
        );
        // socketcall (102 on i386) names its call in a0: the general path's.
        let i386 = "type=SYSCALL msg=audit(1.0:1): arch=40000003 syscall=102 a0=1";
        assert_eq!(fast(i386, Kind::Syscall, "102"), None);
    }

    #[test]
    fn every_errno_reads_alike() {
        for code in 0..=4200 {
            let text = format!("-{code}");
            let answer = fast(OPENAT, Kind::Exit, &text).expect("a short exit value");
            assert_eq!(answer, slow(OPENAT, Kind::Exit, "exit", &text), "{text}");
            let mut words = String::new();
            crate::sanitize::push_escaped(&mut words, &answer.1);
            assert_eq!(words.as_bytes(), answer.1.as_slice(), "{text}");
        }
    }

    #[test]
    fn rules_and_odd_values_take_the_general_path() {
        // openat's a2 holds open flags; a setuid's a0 is a user id.
        assert_eq!(fast(OPENAT, Kind::Arg(2), "241"), None);
        assert_eq!(fast(SETUID, Kind::Arg(0), "0"), None);
        assert_eq!(
            fast(READ, Kind::Arg(1), "7ffd"),
            Some((Shown::Decoded, b"0x7ffd".to_vec()))
        );
        for text in ["", "-1", "0x10", "04294967295", "1000000000", "+5"] {
            assert_eq!(fast(READ, Kind::Uid, text), None, "{text}");
        }
        // Quoted values, enrichment and local names are for the general path.
        let rec = parse(READ);
        let quoted = Raw {
            text: b"0",
            quote: Quote::Double,
        };
        assert_eq!(for_people(Kind::Uid, quoted, &Context::of(&rec)), None);
        let names = LocalNames::new();
        let local = Context::of(&rec).with_names(Some(&names));
        assert_eq!(
            for_people(Kind::Uid, crate::interpret::raw("0"), &local),
            None
        );
        let enriched =
            parse("type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=0 uid=0\u{1d}UID=\"root\"");
        let ctx = Context::of(&enriched);
        assert_eq!(
            for_people(Kind::Uid, crate::interpret::raw("0"), &ctx),
            None
        );
    }
}
