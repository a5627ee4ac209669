//! Record filters from the command line: by type (`-m`) and by category
//! (`--category`). A record passes when it matches every filter given, and a
//! filter matches when any item of its list does.

use anyhow::{Result, bail};

use crate::glob;
use crate::record::Record;
use crate::types::{self, Flags, TypeInfo};

/// One item of a `-m` list.
#[derive(Debug)]
enum TypeItem {
    Number(u32),
    Name(String),
    Glob(String),
}

/// One item of a `--category` list.
#[derive(Debug)]
enum Category {
    Flag(Flags),
    Family(String),
}

/// The record filters.
#[derive(Debug, Default)]
pub struct RecordFilter {
    types: Vec<TypeItem>,
    categories: Vec<Category>,
}

impl RecordFilter {
    pub fn new(types: &[String], categories: &[String]) -> Result<RecordFilter> {
        let mut f = RecordFilter::default();
        for t in types.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            f.types.push(if let Ok(n) = t.parse::<u32>() {
                TypeItem::Number(n)
            } else if glob::is_glob(t) {
                TypeItem::Glob(t.to_string())
            } else {
                let (info, number) = types::resolve(t.to_ascii_uppercase().as_bytes());
                match (info, number) {
                    (_, Some(n)) => TypeItem::Number(n),
                    _ => TypeItem::Name(t.to_ascii_uppercase()),
                }
            });
        }
        for c in categories
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
        {
            let lower = c.to_ascii_lowercase();
            f.categories.push(match lower.as_str() {
                "anom" | "anomaly" => Category::Flag(Flags::ANOM),
                "resp" | "response" => Category::Flag(Flags::RESP),
                "integrity" => Category::Flag(Flags::INTEGRITY),
                _ if types::RECORD_TYPES.iter().any(|t| t.family == lower) => {
                    Category::Family(lower)
                }
                _ => {
                    let mut families: Vec<&str> =
                        types::RECORD_TYPES.iter().map(|t| t.family).collect();
                    families.sort_unstable();
                    families.dedup();
                    bail!(
                        "unknown category `{c}`: use anom, resp, integrity, or one of: {}",
                        families.join(", ")
                    )
                }
            });
        }
        Ok(f)
    }

    pub fn is_empty(&self) -> bool {
        self.types.is_empty() && self.categories.is_empty()
    }

    /// True when the record passes every filter.
    pub fn matches(&self, rec: &Record) -> bool {
        self.matches_type(rec.type_number, rec.info, || rec.type_name())
    }

    /// True when a record of this type passes every filter: its number, its
    /// table entry, and its name (`Record::type_name`), asked for only when needed.
    pub fn matches_type<'a>(
        &self,
        number: Option<u32>,
        info: Option<&'static TypeInfo>,
        name: impl Fn() -> &'a str,
    ) -> bool {
        if self.categories.is_empty()
            && let [TypeItem::Number(n)] = self.types.as_slice()
        {
            // The usual `-m NAME`: one number to compare.
            return number == Some(*n);
        }
        let flags = info.map(|i| i.flags).unwrap_or_default();
        let family = info.map_or("unknown", |i| i.family);
        (self.types.is_empty()
            || self.types.iter().any(|t| match t {
                TypeItem::Number(n) => number == Some(*n),
                TypeItem::Name(want) => name().eq_ignore_ascii_case(want),
                TypeItem::Glob(g) => glob::matches(g, name()),
            }))
            && (self.categories.is_empty()
                || self.categories.iter().any(|c| match c {
                    Category::Flag(f) => flags.contains(*f),
                    Category::Family(fam) => family == fam,
                }))
    }

    /// The type numbers this filter asks for, when it is a plain list of known numbers
    /// (lets a fast path skip lines without parsing them).
    pub fn type_numbers(&self) -> Option<Vec<u32>> {
        if !self.categories.is_empty() || self.types.is_empty() {
            return None;
        }
        self.types
            .iter()
            .map(|t| match t {
                TypeItem::Number(n) => Some(*n),
                _ => None,
            })
            .collect()
    }
}
