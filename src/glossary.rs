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

/// The glossary row for a field name, exact first, then by pattern. A `(`
/// that user-space text put in front of a name (`(hostname=?, ...`) is not
/// part of it.
pub fn lookup(name: &str) -> Option<&'static FieldInfo> {
    let name = name.trim_start_matches('(');
    if let Ok(i) = FIELDS.binary_search_by(|f| f.name.cmp(name)) {
        return Some(&FIELDS[i]);
    }
    FIELDS
        .iter()
        .filter(|f| is_pattern(f.name))
        .find(|f| pattern_matches(f.name, name))
}

/// The row for a field of a record of type `record_type`: in SYSCALL records
/// a0-a3 are the raw syscall arguments (`a[0-3]`), elsewhere `aN` applies.
pub fn lookup_in(name: &str, record_type: Option<u32>) -> Option<&'static FieldInfo> {
    const SYSCALL: u32 = 1300;
    if record_type == Some(SYSCALL) && matches!(name, "a0" | "a1" | "a2" | "a3") {
        return FIELDS.iter().find(|f| f.name == "a[0-3]");
    }
    lookup(name)
}

/// The dictionary's pattern spellings that `pattern_matches` understands.
const PATTERNS: [&str; 6] = [
    "a[0-3]",
    "aN",
    "a[[:digit:]+]\\[.*\\]",
    "aN[M]",
    "a[[:digit:]+]_len",
    "aN_len",
];

/// True for rows whose name describes a family of names.
fn is_pattern(name: &str) -> bool {
    PATTERNS.contains(&name)
}

/// Matches a pattern row against a concrete `aN`, `aN[M]` or `aN_len` name.
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
        "a[0-3]" => tail.is_empty() && num.len() == 1 && num <= "3",
        "aN" => tail.is_empty(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str) -> Option<&'static str> {
        lookup(name).map(|f| f.name)
    }

    #[test]
    fn pattern_rows() {
        assert_eq!(row("auid"), Some("auid"));
        assert_eq!(row("a0"), Some("aN"));
        assert_eq!(row("a12"), Some("aN"));
        assert_eq!(row("a1_len"), Some("aN_len"));
        assert_eq!(row("a1[0]"), Some("a[[:digit:]+]\\[.*\\]"));
        assert_eq!(row("a1[x]"), None);
        assert_eq!(row("a"), None);
        assert_eq!(row("ab"), None);
        assert_eq!(row("(hostname"), Some("hostname"));
        assert_eq!(lookup_in("a2", Some(1300)).map(|f| f.name), Some("a[0-3]"));
        assert_eq!(lookup_in("a2", Some(1309)).map(|f| f.name), Some("aN"));
        assert_eq!(lookup_in("a7", Some(1300)).map(|f| f.name), Some("aN"));
    }
}
