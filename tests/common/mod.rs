//! Helpers shared by the integration tests: finding ../shared, listing the
//! corpus, and running the real binary with a clean environment.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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
