//! Field interpretation: raw audit values (numbers, hex, bitmaps) turned into
//! words, in two styles: for people (`Style::Human`) and exactly as
//! `ausearch -i` prints them (`Style::Ausearch`).

use crate::record::{Quote, Record};

/// Which wording to produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// For people: `openat`, `EACCES "permission denied"`.
    Human,
    /// As `ausearch -i` prints it: `openat`, `EACCES(Permission denied)`.
    Ausearch,
}

/// What `interpret` produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Nothing to add: the value reads as written.
    AsIs,
    /// The value was decoded (hex, quoting); the raw form adds nothing.
    Decoded,
    /// The value was translated (a number into a name); show the raw form beside it.
    Translated,
}

/// Facts from the rest of the event that some fields need (the syscall for a0-a3).
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    pub arch: Option<&'a [u8]>,
    pub syscall: Option<&'a [u8]>,
}

/// Appends the interpretation of field `idx` of `rec` to `out`. The bytes are
/// not escaped: renderers for people pass them through `sanitize`, JSON escapes them.
pub fn interpret(
    rec: &Record,
    idx: usize,
    _ctx: &Context,
    _style: Style,
    out: &mut Vec<u8>,
) -> Shown {
    let f = &rec.fields[idx];
    let value = rec.value_of(f);
    if f.quote == Quote::None && is_encoded_field(rec.name_of(f)) && looks_hex(value) {
        if let Some(text) = decode_hex(value) {
            out.extend_from_slice(&text);
            return Shown::Decoded;
        }
    }
    Shown::AsIs
}

fn is_encoded_field(name: &[u8]) -> bool {
    matches!(
        name,
        b"proctitle"
            | b"name"
            | b"path"
            | b"cwd"
            | b"exe"
            | b"comm"
            | b"cmd"
            | b"acct"
            | b"key"
            | b"dir"
            | b"data"
    ) || (name.first() == Some(&b'a') && name[1..].first().is_some_and(u8::is_ascii_digit))
}

fn looks_hex(v: &[u8]) -> bool {
    v.len() >= 2
        && v.len() % 2 == 0
        && v.iter()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b))
}

/// Decodes uppercase or lowercase hex pairs.
pub fn decode_hex(v: &[u8]) -> Option<Vec<u8>> {
    if v.len() % 2 != 0 {
        return None;
    }
    let nib = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    };
    v.chunks_exact(2)
        .map(|p| Some(nib(p[0])? << 4 | nib(p[1])?))
        .collect()
}

/// The name of a system call, from the record's `arch=` (hex audit arch) and
/// `syscall=` (decimal number) values. Placeholder until the per-arch tables land.
pub fn syscall_name(_arch: Option<&[u8]>, _number: &[u8]) -> Option<&'static str> {
    None
}

/// The name and meaning of an errno value (positive or negative):
/// `(\"EACCES\", \"permission denied\")`. Placeholder until the errno table lands.
pub fn errno(_code: i64) -> Option<(&'static str, &'static str)> {
    None
}

/// The machine name of an `arch=` value (`c000003e` is `x86_64`).
pub fn arch_name(_arch: &[u8]) -> Option<&'static str> {
    None
}
