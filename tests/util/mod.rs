//! Helpers shared by the integration tests: where the shared corpus is, how
//! to read a log into records and events with the library, and how to run the
//! real binary with a clean environment.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use auexplain::event::{Assembler, Done, Event};
use auexplain::parse::{self, LineKind};
use auexplain::record::{Form, Record, Source};

/// The shared corpus, next to the worktree.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// Every `*.log` file of the corpus, sorted.
pub fn corpus_logs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![corpus()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "log") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The corpus path relative to the corpus root, for messages.
pub fn short(p: &Path) -> String {
    p.strip_prefix(corpus())
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned()
}

/// The records of a file, and whether the file is plain auditd: every line
/// that is not blank or a comment gives records in auditd's own form, each
/// with a time and a serial.
pub fn records(path: &Path) -> (Vec<Record>, bool) {
    let data = std::fs::read(path).expect("corpus file is readable");
    let name: Arc<str> = Arc::from(short(path).as_str());
    let mut out = Vec::new();
    let mut plain = true;
    for (i, line) in data.split(|&b| b == b'\n').enumerate() {
        let src = Source {
            file: name.clone(),
            line: i as u64 + 1,
        };
        let before = out.len();
        match parse::parse_line(parse::trim_line_end(line), &src, &mut out) {
            LineKind::Records(_) => {
                plain &= out[before..]
                    .iter()
                    .all(|r| r.form == Form::Auditd && r.time.is_some() && r.serial.is_some());
            }
            LineKind::Blank | LineKind::Comment => {}
            LineKind::Separator | LineKind::Unparsed(_) => plain = false,
        }
    }
    (out, plain && !data.is_empty())
}

/// Assembles records into events with the default limits.
pub fn events(records: Vec<Record>) -> Vec<Event> {
    let mut a: Assembler = Assembler::default();
    let mut out = Vec::new();
    for r in records {
        a.push(r, &mut out);
    }
    a.finish(&mut out);
    out.into_iter()
        .filter_map(|d| match d {
            Done::Event(e) => Some(e),
            Done::Note(()) => None,
        })
        .collect()
}

/// The plain auditd files of the corpus with their records.
pub fn plain_files() -> Vec<(PathBuf, Vec<Record>)> {
    corpus_logs()
        .into_iter()
        .filter_map(|p| {
            let (recs, plain) = records(&p);
            plain.then_some((p, recs))
        })
        .collect()
}

/// Runs the built binary with `args`, colour and locale settings cleared.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_auexplain"))
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("TERM")
        .env("TZ", "UTC")
        .current_dir(corpus())
        .output()
        .expect("the binary runs")
}

/// Stdout of a run as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
