//! The command line as a user meets it: inputs, filters, formats, colour,
//! exit codes, diagnostics and a closed pipe, run against the real binary.

mod common;

use std::io::{Read, Write};
use std::process::Stdio;

use common::{auexplain, run, run_with_stdin, stderr, stdout};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample.log");

#[test]
fn explains_the_sample_log() {
    let out = run(&[SAMPLE, "--color=never"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("USER_AUTH"), "{text}");
    assert!(text.contains("ANOM_PROMISCUOUS"));
    assert!(text.contains(" ANOM "), "ANOM badge shown");
    assert!(text.contains("FAILED"), "failures stand out");
    assert!(!text.contains('\x1b'), "no colour when not asked");
    assert!(
        stderr(&out).is_empty(),
        "no diagnostics for a clean log: {}",
        stderr(&out)
    );
}

#[test]
fn explains_a_pasted_line() {
    let out = run(&[
        "--color=never",
        "--line",
        "type=ACCT_LOCK msg=audit(1725000411.409:1065): pid=2352 uid=0 auid=4294967295 ses=4294967295 msg='op=locked-password id=1000 exe=\"/usr/bin/passwd\" hostname=? addr=? terminal=? res=success'",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("ACCT_LOCK (1135)"), "{text}");
    assert!(text.contains("--line 1:1"), "source named: {text}");
}

#[test]
fn raw_format_with_type_filter_is_a_type_grep() {
    let out = run(&["--records", "-m", "USER_AUTH", "--format", "raw", SAMPLE]);
    assert_eq!(out.status.code(), Some(0));
    let sample = std::fs::read_to_string(SAMPLE).expect("sample");
    let want: String = sample
        .lines()
        .filter(|l| l.starts_with("type=USER_AUTH "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(stdout(&out), want);
}

#[test]
fn type_lists_take_names_numbers_and_globs() {
    let out = run(&["--records", "-m", "ANOM_*,1135", "--format", "raw", SAMPLE]);
    let text = stdout(&out);
    let types: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(
        types,
        [
            "type=ANOM_LOGIN_FAILURES",
            "type=ACCT_LOCK",
            "type=ANOM_PROMISCUOUS",
            "type=ANOM_ABEND"
        ]
    );
}

#[test]
fn category_filter_selects_flags_and_families() {
    let out = run(&["--category", "resp,integrity", "--format", "raw", SAMPLE]);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("RESP_ACCT_LOCK_TIMED") && text.contains("INTEGRITY_DATA"));
    let bad = run(&["--category", "nonsense", SAMPLE]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unknown category"));
}

#[test]
fn exit_one_when_nothing_matches() {
    let out = run(&["-m", "DAEMON_ROTATE", SAMPLE]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
}

#[test]
fn missing_file_is_an_error_but_the_run_goes_on() {
    let out = run(&["--color=never", "/nonexistent/audit.log", SAMPLE]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("auexplain: /nonexistent/audit.log:"),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("USER_AUTH"),
        "the other file was still read"
    );
}

#[test]
fn reads_stdin_when_piped_and_with_dash() {
    let data = std::fs::read(SAMPLE).expect("sample");
    for args in [vec!["--format=raw"], vec!["--format=raw", "-"]] {
        let out = run_with_stdin(&args, &data);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(out.stdout, data);
    }
}

#[test]
fn json_records_follow_the_contract() {
    let out = run(&[
        "--records",
        "--format=json",
        "-m",
        "SOCKADDR,USER_CMD",
        SAMPLE,
    ]);
    let lines: Vec<serde_json::Value> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 2);
    let cmd = &lines[0];
    assert_eq!(cmd["kind"], "record");
    assert_eq!(cmd["type"], "USER_CMD");
    assert_eq!(cmd["type_number"], 1123);
    assert_eq!(cmd["family"], "session");
    assert_eq!(cmd["time"], "2025-11-21T10:00:42.070Z");
    assert_eq!(cmd["serial"], 2110);
    assert_eq!(cmd["node"], serde_json::Value::Null);
    assert_eq!(cmd["fields"]["cwd"]["raw"], "/home/alice");
    assert_eq!(cmd["fields"]["cwd"]["inner"], true);
    assert_eq!(cmd["source"]["line"], 8);
    assert!(
        cmd["raw"]
            .as_str()
            .expect("raw")
            .starts_with("type=USER_CMD msg=audit(")
    );
    assert!(cmd["flags"].as_array().expect("flags").is_empty());
}

#[test]
fn repeated_field_names_stay_distinct_in_json() {
    let out = run(&[
        "--format=json",
        "--line",
        "type=PATH msg=audit(1.000:1): item=0 name=\"/a\" name=\"/b\"",
    ]);
    let v: serde_json::Value = serde_json::from_slice(out.stdout.trim_ascii()).expect("JSON");
    assert_eq!(v["fields"]["name"]["raw"], "/a");
    assert_eq!(v["fields"]["name#2"]["raw"], "/b");
}

#[test]
fn unparsed_lines_are_reported_everywhere() {
    let input = b"type=USER_AUTH msg=audit(1.000:1): res=failed\nthis is not audit\n\n# comment\n";
    let text = run_with_stdin(&["--color=never"], input);
    assert_eq!(text.status.code(), Some(0));
    assert!(stdout(&text).contains("UNPARSED"), "{}", stdout(&text));
    assert!(
        stderr(&text).contains("<stdin>:2: no audit record"),
        "{}",
        stderr(&text)
    );
    let json = run_with_stdin(&["--format=json"], input);
    let kinds: Vec<String> = stdout(&json)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON")["kind"].to_string())
        .collect();
    assert_eq!(kinds, ["\"record\"", "\"unparsed\""]);
}

#[test]
fn hostile_bytes_never_reach_the_terminal_raw() {
    let mut input = Vec::new();
    input.extend_from_slice(b"type=SYSCALL msg=audit(1.000:1): comm=\"a\x1b]0;pwned\x07\" exe=\"/x\xff\" key=\"\xe2\x80\xae\"\r\n");
    input.extend_from_slice(b"\x00\x01garbage\x1b[2J\n");
    input.extend_from_slice(b"type=AVC msg=audit(1.0");
    let out = run_with_stdin(&["--color=never"], &input);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        !text.contains('\x1b') && !text.contains('\x07') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(!text.contains('\0'));
    assert!(text.contains("\\e]0;pwned\\x07"), "{text}");
    assert!(
        stderr(&out).contains("<stdin>:3: col 10: malformed or truncated"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn megabyte_lines_are_handled() {
    let mut input = b"type=EXECVE msg=audit(1.000:1): argc=1 a0=".to_vec();
    input.extend(std::iter::repeat_n(b'A', 3 << 20));
    input.push(b'\n');
    input.extend(std::iter::repeat_n(b'x', 5 << 20));
    input.extend_from_slice(b"\ntype=EOE msg=audit(1.000:1): \n");
    let out = run_with_stdin(&["--format=json"], &input);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("<stdin>:2: line of 5242880 bytes is longer than"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out).lines().count(), 3);
}

#[test]
fn colour_follows_flag_and_no_color() {
    let always = run(&["--color=always", SAMPLE]);
    assert!(stdout(&always).contains('\x1b'));
    let never = run(&["--color=never", SAMPLE]);
    assert!(!stdout(&never).contains('\x1b'));
    let auto_pipe = run(&[SAMPLE]);
    assert!(
        !stdout(&auto_pipe).contains('\x1b'),
        "auto is off on a pipe"
    );
    let no_color = auexplain()
        .env("NO_COLOR", "1")
        .arg(SAMPLE)
        .output()
        .expect("run");
    assert!(!stdout(&no_color).contains('\x1b'));
}

#[test]
fn closed_pipe_ends_quietly() {
    let sample = std::fs::read(SAMPLE).expect("sample");
    let big: Vec<u8> = sample.repeat(3000);
    let mut child = auexplain()
        .arg("--color=never")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&big);
    });
    let mut first = [0u8; 64];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("some output");
    // stdout is dropped here: the pipe closes while auexplain is still writing.
    let out = child.wait_with_output().expect("wait");
    let _ = feeder.join();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert!(stderr(&out).is_empty(), "quiet: {}", stderr(&out));
}

#[test]
fn types_subcommand_lists_and_describes() {
    let all = run(&["types", "--format", "json"]);
    assert_eq!(stdout(&all).lines().count(), 226);
    let one = run(&["types", "1135"]);
    assert!(
        stdout(&one).starts_with("ACCT_LOCK (1135)"),
        "{}",
        stdout(&one)
    );
    let bpf = run(&["types", "UNKNOWN[1334]"]);
    assert!(stdout(&bpf).starts_with("BPF (1334)"));
    let anom = run(&["types", "anom_*", "--format", "json"]);
    for line in stdout(&anom).lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON");
        assert_eq!(v["flags"], serde_json::json!(["ANOM"]), "{line}");
    }
    assert_eq!(run(&["types", "NOT_A_TYPE"]).status.code(), Some(1));
}

#[test]
fn fields_subcommand_explains_names() {
    let out = run(&["fields", "auid"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("auid"));
    let pattern = run(&["fields", "a7_len"]);
    assert_eq!(pattern.status.code(), Some(0), "aN_len pattern row");
}

#[test]
fn help_shows_examples() {
    let out = run(&["--help"]);
    assert!(stdout(&out).contains("Examples:"));
    assert!(stdout(&out).contains("--format raw"));
}
