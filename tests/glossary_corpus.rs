//! Every field name that occurs in ../shared/corpus has a glossary entry.
//!
//! In CI (`CI=true`) the tests fail when ../shared is missing; elsewhere they
//! print a notice and pass.

mod common;

use std::collections::BTreeMap;
use std::fs;

use std::sync::Arc;

use auexplain::glossary;
use auexplain::parse::{self, LineKind};
use auexplain::record::Source;

/// A field name: letters, digits, `_` and `-` (after any `(` that free text
/// left in front), optionally with an `[N]` chunk index. Anything else comes
/// from a value whose inner quotes a forwarder failed to escape.
fn looks_like_a_name(name: &str) -> bool {
    let name = name.trim_start_matches('(');
    let (base, index) = match name.split_once('[') {
        Some((b, rest)) => (b, Some(rest)),
        None => (name, None),
    };
    let base_ok = base
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && base
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let index_ok = index.is_none_or(|i| {
        i.strip_suffix(']')
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    });
    base_ok && index_ok
}

#[test]
fn every_corpus_field_name_has_a_meaning() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = shared.join("corpus");
    let files = common::corpus_files(&shared);
    // name -> (occurrences, first place seen)
    let mut missing: BTreeMap<String, (u64, String)> = BTreeMap::new();
    let mut debris: BTreeMap<String, String> = BTreeMap::new();
    let mut names = 0u64;
    let mut records = Vec::new();
    for path in &files {
        let data = fs::read(path).expect("corpus file reads");
        let file: Arc<str> = Arc::from(
            path.strip_prefix(&dir)
                .unwrap_or(path)
                .display()
                .to_string(),
        );
        for (n, line) in common::lines_of(&data).into_iter().enumerate() {
            let source = Source {
                file: file.clone(),
                line: n as u64 + 1,
            };
            records.clear();
            if !matches!(
                parse::parse_line(parse::trim_line_end(line), &source, &mut records),
                LineKind::Records(_)
            ) {
                continue;
            }
            for rec in &records {
                for f in &rec.fields {
                    names += 1;
                    let name = String::from_utf8_lossy(rec.name_of(f)).into_owned();
                    if !looks_like_a_name(&name) {
                        let place = format!("{}:{}", source.file, source.line);
                        debris.entry(name).or_insert(place);
                        continue;
                    }
                    if glossary::lookup(&name).is_none() {
                        let e = missing
                            .entry(name)
                            .or_insert_with(|| (0, format!("{}:{}", source.file, source.line)));
                        e.0 += 1;
                    }
                }
            }
        }
    }
    for (name, first) in &debris {
        println!("not a field name (quotes nested in a value), skipped: {name:?} at {first}");
    }
    for (name, (count, first)) in &missing {
        println!("no glossary entry: {name:?} ({count}x, first at {first})");
    }
    assert!(names > 0, "no field was read from the corpus");
    assert!(
        missing.is_empty(),
        "{} field names have no glossary entry",
        missing.len()
    );
}

#[test]
fn every_dictionary_name_has_a_row() {
    let Some(shared) = common::shared() else {
        return;
    };
    let path = shared.join("reference/fields.tsv");
    let text = fs::read_to_string(&path).expect("../shared/reference/fields.tsv reads");
    let missing: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|n| !glossary::FIELDS.iter().any(|f| f.name == *n))
        .collect();
    assert!(missing.is_empty(), "no row for {missing:?}");
}
