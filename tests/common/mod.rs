//! Helpers shared by the integration tests: finding ../shared, listing the
//! corpus, and running the real binary with a clean environment.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use auexplain::event::{Assembler, Done, Event};
use auexplain::parse::{self, LineKind};
use auexplain::record::{Form, Record, Source};

/// `../shared` beside the repository. In CI it must exist; elsewhere a test
/// that needs it prints a notice and is skipped.
pub fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.join("corpus").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some_and(|v| v == "true") {
        panic!("../shared/corpus is missing, and CI must run the corpus tests");
    }
    eprintln!("notice: ../shared/corpus not found; skipping this test");
    None
}

/// Every `*.log` file under the corpus, sorted.
pub fn corpus_files(shared: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![shared.join("corpus")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read corpus dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "log") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Lines of a file as the corpus README defines them: split on `\n` only; a
/// last line without `\n` counts.
pub fn lines_of(bytes: &[u8]) -> Vec<&[u8]> {
    let mut v: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if bytes.ends_with(b"\n") || bytes.is_empty() {
        v.pop();
    }
    v
}

/// The binary under test, with colour and locale variables cleared.
pub fn auexplain() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_auexplain"));
    for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM", "COLUMNS"] {
        cmd.env_remove(var);
    }
    cmd.env("TZ", "UTC");
    cmd.env("LC_ALL", "C");
    cmd.stdin(Stdio::null());
    cmd
}

/// Runs the binary with `args` and `stdin` as input.
pub fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = auexplain()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn auexplain");
    let mut pipe = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    out
}

/// Runs the binary with `args`.
pub fn run(args: &[&str]) -> Output {
    auexplain().args(args).output().expect("run auexplain")
}

/// Stdout as text, for assertions.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Stderr as text, for assertions.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The shared corpus, next to the worktree.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// Every `*.log` file of the corpus, sorted (none when it is missing).
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

/// Runs the built binary with `args` from inside the corpus directory, so
/// corpus files can be named by their relative paths.
pub fn run_in_corpus(args: &[&str]) -> Output {
    auexplain()
        .args(args)
        .current_dir(corpus())
        .output()
        .expect("the binary runs")
}
