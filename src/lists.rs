//! The `types` and `fields` subcommands: the record-type table and the field
//! glossary, listed or looked up, as text or JSON.

use std::io::{self, Write};

use anyhow::Result;

use crate::cli::ListFormat;
use crate::glob;
use crate::glossary::{self, FieldInfo};
use crate::render::jsonstr::push_str;
use crate::types::{self, TypeInfo};

/// Types matching a pattern: a number, a name, or a glob; all when none.
fn select_types(pattern: Option<&str>) -> Vec<&'static TypeInfo> {
    let Some(p) = pattern else {
        return types::RECORD_TYPES.iter().collect();
    };
    if let Ok(n) = p.parse::<u32>() {
        return types::by_number(n).into_iter().collect();
    }
    if glob::is_glob(p) {
        return types::matching(p).collect();
    }
    let (info, _) = types::resolve(p.to_ascii_uppercase().as_bytes());
    info.into_iter().collect()
}

/// Prints record types; returns whether any matched.
pub fn types_cmd(pattern: Option<&str>, format: ListFormat) -> Result<bool> {
    let found = select_types(pattern);
    let mut out = io::BufWriter::new(io::stdout().lock());
    for t in &found {
        match format {
            ListFormat::Json => {
                let mut s = b"{\"name\":".to_vec();
                push_str(&mut s, t.name.as_bytes());
                s.extend_from_slice(format!(",\"number\":{},\"flags\":[", t.number).as_bytes());
                let flags: Vec<String> = t.flags.names().map(|f| format!("\"{f}\"")).collect();
                s.extend_from_slice(flags.join(",").as_bytes());
                s.extend_from_slice(b"],\"family\":");
                push_str(&mut s, t.family.as_bytes());
                s.extend_from_slice(b",\"explanation\":");
                push_str(&mut s, t.explanation.as_bytes());
                s.extend_from_slice(b"}\n");
                out.write_all(&s)?;
            }
            ListFormat::Text => {
                let flags: Vec<&str> = t.flags.names().collect();
                let flags = if flags.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", flags.join(","))
                };
                writeln!(out, "{} ({}){}  {}", t.name, t.number, flags, t.family)?;
                writeln!(out, "    {}", t.explanation)?;
            }
        }
    }
    out.flush()?;
    Ok(!found.is_empty())
}

fn select_fields(pattern: Option<&str>) -> Vec<&'static FieldInfo> {
    match pattern {
        None => glossary::FIELDS.iter().collect(),
        Some(p) if glob::is_glob(p) => glossary::matching(p).collect(),
        Some(p) => glossary::lookup(p).into_iter().collect(),
    }
}

/// Prints glossary entries; returns whether any matched.
pub fn fields_cmd(pattern: Option<&str>, format: ListFormat) -> Result<bool> {
    let found = select_fields(pattern);
    let mut out = io::BufWriter::new(io::stdout().lock());
    for f in &found {
        match format {
            ListFormat::Json => {
                let mut s = b"{\"name\":".to_vec();
                push_str(&mut s, f.name.as_bytes());
                s.extend_from_slice(b",\"format\":");
                push_str(&mut s, f.format.as_bytes());
                s.extend_from_slice(b",\"meaning\":");
                push_str(&mut s, f.meaning.as_bytes());
                s.extend_from_slice(b"}\n");
                out.write_all(&s)?;
            }
            ListFormat::Text => {
                writeln!(out, "{}  ({})", f.name, f.format)?;
                writeln!(out, "    {}", f.meaning)?;
            }
        }
    }
    out.flush()?;
    Ok(!found.is_empty())
}
