//! Rendering on several threads must not change a byte of the output, in any
//! format, on the whole corpus and on a log long enough to need many batches.

mod common;

fn output(args: &[&str], threads: &str, files: &[String]) -> Vec<u8> {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--threads", threads, "--color", "never", "--utc"]);
    all.extend(files.iter().map(String::as_str));
    let out = common::run(&all);
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{}",
        common::stderr(&out)
    );
    out.stdout
}

#[test]
fn threads_do_not_change_the_output() {
    let Some(shared) = common::shared() else {
        return;
    };
    let mut files: Vec<String> = common::corpus_files(&shared)
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    files.push(concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample.log").to_string());
    for args in [
        &[][..],
        &["--format", "json", "--events"],
        &["-i"],
        &["-m", "SYSCALL", "--format", "raw"],
    ] {
        let one = output(args, "1", &files);
        assert!(one.len() > 10_000, "{args:?} printed too little");
        let many = output(args, "3", &files);
        assert!(one == many, "{args:?} differs with 3 threads");
    }
}

/// Events without a header are separate events that `ausearch -i`'s layout
/// does not separate (they share the same unknown time and serial). Batches
/// rendered on different threads must join without a `----` between them.
#[test]
fn interpreted_batches_join_like_one_run() {
    let line = b"type=SELINUX_ERR msg=audit: op=security_compute_av reason=bounds\n";
    let log: Vec<u8> = line.repeat(2_000);
    let run = |threads: &str| {
        let out = common::run_with_stdin(&["-i", "--threads", threads], &log);
        assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
        out.stdout
    };
    let one = run("1");
    let text = String::from_utf8_lossy(&one);
    assert_eq!(text.lines().filter(|l| *l == "----").count(), 1);
    assert_eq!(text.lines().count(), 2_001);
    assert!(
        one == run("2"),
        "two threads split the log's one run of records"
    );
    assert!(
        one == run("3"),
        "three threads split the log's one run of records"
    );
}
