//! Every line of the shared corpus is accounted for: parsed into records of the
//! right type, skipped as blank/comment/separator, or reported as unparsed with
//! its file and line. None is lost.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use auexplain::parse::{self, LineKind};
use auexplain::record::{Record, Source};
use auexplain::types;

/// The total the corpus PROVENANCE.md gives.
const CORPUS_LINES: usize = 37_752;

/// An independent reading of the type a line names: the first `type=TOKEN`
/// (spaces allowed around `=`), or a leading record-type name (journald form).
fn expected_type(line: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(line);
    let mut rest: &str = &text;
    while let Some(p) = rest.find("type") {
        let before_ok = p == 0 || {
            let b = rest.as_bytes()[p - 1];
            b == b' ' || b == b':' || b == b']' || b == b'\t'
        };
        let after = rest[p + 4..].trim_start_matches(' ');
        if before_ok && let Some(v) = after.strip_prefix('=') {
            let v = v.trim_start_matches(' ');
            let tok: String = v
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "_[]".contains(*c))
                .collect();
            if !tok.is_empty() {
                return Some(canonical(&tok));
            }
        }
        rest = &rest[p + 4..];
    }
    let first = text.split_whitespace().next()?;
    types::by_name(first.as_bytes()).map(|t| t.name.to_string())
}

fn canonical(tok: &str) -> String {
    match types::resolve(tok.as_bytes()).0 {
        Some(t) => t.name.to_string(),
        None => tok.to_string(),
    }
}

#[derive(Default, Debug)]
struct Tally {
    lines: usize,
    record_lines: usize,
    records: usize,
    skipped: usize,
    unparsed: Vec<String>,
    typed_lines: usize,
    right_type: usize,
    wrong: Vec<String>,
}

#[test]
fn every_corpus_line_is_accounted_for() {
    let Some(shared) = common::shared() else {
        return;
    };
    let mut t = Tally::default();
    let mut out: Vec<Record> = Vec::new();
    for path in common::corpus_files(&shared) {
        let bytes = std::fs::read(&path).expect("read corpus file");
        let file: Arc<str> = Arc::from(path.display().to_string());
        for (i, raw) in common::lines_of(&bytes).into_iter().enumerate() {
            t.lines += 1;
            let line = parse::trim_line_end(raw);
            let src = Source {
                file: file.clone(),
                line: i as u64 + 1,
            };
            out.clear();
            let kind = parse::parse_line(line, &src, &mut out);
            let expected = expected_type(line);
            if expected.is_some() {
                t.typed_lines += 1;
            }
            match kind {
                LineKind::Records(n) => {
                    assert_eq!(n, out.len());
                    assert!(n > 0, "{}:{}: zero records", src.file, src.line);
                    t.record_lines += 1;
                    t.records += n;
                    if let Some(want) = expected {
                        if out[0].type_name() == want {
                            t.right_type += 1;
                        } else {
                            t.wrong.push(format!(
                                "{}:{}: want {want}, got {}",
                                src.file,
                                src.line,
                                out[0].type_name()
                            ));
                        }
                    }
                }
                LineKind::Blank | LineKind::Comment | LineKind::Separator => t.skipped += 1,
                LineKind::Unparsed(p) => t.unparsed.push(format!("{}:{}: {p}", src.file, src.line)),
            }
        }
    }
    println!(
        "corpus: {} lines = {} with records ({} records) + {} skipped + {} unparsed",
        t.lines,
        t.record_lines,
        t.records,
        t.skipped,
        t.unparsed.len()
    );
    for u in &t.unparsed {
        println!("  unparsed {u}");
    }
    for w in &t.wrong {
        println!("  wrong type {w}");
    }
    assert_eq!(t.lines, CORPUS_LINES, "corpus line count");
    assert_eq!(t.record_lines + t.skipped + t.unparsed.len(), t.lines);
    let ratio = t.right_type as f64 / t.typed_lines as f64;
    println!(
        "right type: {} of {} lines that name a type ({:.3}%)",
        t.right_type,
        t.typed_lines,
        ratio * 100.0
    );
    assert!(
        ratio >= 0.995,
        "only {:.3}% parsed as the right type",
        ratio * 100.0
    );
}

#[test]
fn multi_record_lines_give_every_record() {
    let Some(shared) = common::shared() else {
        return;
    };
    let cases = [
        ("corpus/wazuh/ruleset-auditd.log", 29, 5),
        ("corpus/selinux/audit2allow-test.log", 3, 2),
    ];
    for (file, line_no, want) in cases {
        let bytes = std::fs::read(shared.join(file)).expect("read");
        let lines = common::lines_of(&bytes);
        let src = Source {
            file: Arc::from(file),
            line: line_no as u64,
        };
        let mut out = Vec::new();
        let kind = parse::parse_line(parse::trim_line_end(lines[line_no - 1]), &src, &mut out);
        assert_eq!(kind, LineKind::Records(want), "{file}:{line_no}");
        let serials: HashSet<Option<u64>> = out.iter().map(|r| r.serial).collect();
        assert_eq!(serials.len(), 1, "one event per line in {file}:{line_no}");
    }
}

/// Through the real binary: every line that is not blank or a comment shows up
/// in JSON output as a record or as an unparsed report, with its file and line.
#[test]
fn json_output_reports_every_line() {
    let Some(shared) = common::shared() else {
        return;
    };
    let files = common::corpus_files(&shared);
    let args: Vec<String> = std::iter::once("--format=json".to_string())
        .chain(files.iter().map(|f| f.display().to_string()))
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = common::run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let mut seen: BTreeMap<(String, u64), usize> = BTreeMap::new();
    for line in out.stdout.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let v: serde_json::Value = serde_json::from_slice(line).expect("valid JSON line");
        let kind = v["kind"].as_str().expect("kind");
        assert!(kind == "record" || kind == "unparsed", "kind {kind}");
        let file = v["source"]["file"].as_str().expect("file").to_string();
        let n = v["source"]["line"].as_u64().expect("line");
        *seen.entry((file, n)).or_default() += 1;
    }
    let mut missing = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).expect("read");
        let name = path.display().to_string();
        for (i, l) in common::lines_of(&bytes).into_iter().enumerate() {
            let l = parse::trim_line_end(l);
            let trimmed = l
                .iter()
                .skip_while(|b| b.is_ascii_whitespace())
                .copied()
                .collect::<Vec<u8>>();
            let skipped = trimmed.is_empty()
                || trimmed.starts_with(b"#")
                || trimmed.starts_with(b"----")
                || trimmed.starts_with(b"time->");
            if !skipped && !seen.contains_key(&(name.clone(), i as u64 + 1)) {
                missing.push(format!("{name}:{}", i + 1));
            }
        }
    }
    assert!(missing.is_empty(), "lines lost: {missing:?}");
    let stderr = common::stderr(&out);
    assert!(
        stderr.contains("lines held no audit record"),
        "closing count on stderr: {stderr}"
    );
}
