//! Golden files of whole rendered output for the sample log: the default
//! grouped text, records with field meanings (`-v`), and the `ausearch -i`
//! layout. Each file was read line by line before it was accepted; to
//! regenerate after a deliberate change, run with `UPDATE_GOLDEN=1` and read
//! the diff.

mod common;

use std::path::PathBuf;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample.log");

fn check(name: &str, args: &[&str]) {
    let mut all = vec!["--utc", "--color", "never"];
    all.extend_from_slice(args);
    all.push(SAMPLE);
    let out = common::run(&all);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let got = common::stdout(&out).replace(SAMPLE, "data/sample.log");
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &got).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path).expect("golden file");
    if got != want {
        let first = got
            .lines()
            .zip(want.lines())
            .position(|(g, w)| g != w)
            .unwrap_or(got.lines().count().min(want.lines().count()));
        panic!(
            "{name} differs from line {}:\n  want: {:?}\n  got:  {:?}",
            first + 1,
            want.lines().nth(first),
            got.lines().nth(first)
        );
    }
}

#[test]
fn sample_grouped_text() {
    check("sample-text.txt", &[]);
}

#[test]
fn sample_records_with_meanings() {
    check(
        "sample-explained.txt",
        &["--records", "-v", "-m", "SYSCALL,SOCKADDR,AVC,USER_CMD"],
    );
}

#[test]
fn sample_interpreted() {
    check("sample-interpreted.txt", &["-i"]);
}
