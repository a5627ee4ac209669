//! The field glossary: what each audit field name means, from `data/fields.csv`
//! (generated into a static table by `build.rs`).
//!
//! Some dictionary names are patterns (`a[0-3]`, `a[[:digit:]+]\[.*\]`); a name
//! that has no exact row is matched against those by shape.

/// One glossary row.
#[derive(Debug)]
pub struct FieldInfo {
    pub name: &'static str,
    pub format: &'static str,
    pub meaning: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/fields.rs"));

/// The glossary row for a field name, exact first, then by pattern.
pub fn lookup(name: &str) -> Option<&'static FieldInfo> {
    if let Ok(i) = FIELDS.binary_search_by(|f| f.name.cmp(name)) {
        return Some(&FIELDS[i]);
    }
    FIELDS
        .iter()
        .filter(|f| is_pattern(f.name))
        .find(|f| pattern_matches(f.name, name))
}

/// True for rows whose name describes a family of names.
fn is_pattern(name: &str) -> bool {
    name.contains('[')
        || name.contains("N")
            && name.chars().any(|c| c.is_ascii_lowercase())
            && name
                .split(['_', '['])
                .any(|p| p.ends_with('N') && p.len() <= 2)
}

/// Matches the dictionary's few pattern spellings against a concrete name:
/// `a[0-3]`, `a[[:digit:]+]\[.*\]`, `a[[:digit:]+]_len`, and `aN`-style rows.
fn pattern_matches(pattern: &str, name: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let Some(rest) = name.strip_prefix('a') else {
        return false;
    };
    let num_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if num_len == 0 {
        return false;
    }
    let (num, tail) = rest.split_at(num_len);
    match pattern {
        "a[0-3]" | "aN" => {
            tail.is_empty() && num.len() == 1 && num <= "3" || pattern == "aN" && tail.is_empty()
        }
        "a[[:digit:]+]\\[.*\\]" | "aN[M]" => {
            tail.starts_with('[') && tail.ends_with(']') && digits(&tail[1..tail.len() - 1])
        }
        "a[[:digit:]+]_len" | "aN_len" => tail == "_len",
        _ => false,
    }
}

/// Rows whose name matches a glob, in name order.
pub fn matching(pattern: &str) -> impl Iterator<Item = &'static FieldInfo> + '_ {
    FIELDS
        .iter()
        .filter(move |f| crate::glob::matches(pattern, f.name))
}
