//! Decoded values never reach a terminal raw: hex-encoded ESC, BEL, bidi and
//! zero-width characters in proctitle, comm, paths and TTY data come out
//! escaped in every format meant for people (text and interpreted), and JSON
//! carries them as JSON escapes.

mod common;

/// `ESC ] 0 ; pwned BEL` (a window-title sequence), RLO (U+202E), ZWSP (U+200B).
const PAYLOAD_HEX: &str = "1B5D303B70776E656407E280AEE2808B";

fn lines() -> Vec<String> {
    vec![
        format!("type=PROCTITLE msg=audit(1700000000.001:1): proctitle=6C73002D6C00{PAYLOAD_HEX}"),
        format!(
            "type=SYSCALL msg=audit(1700000000.002:2): arch=c000003e syscall=59 success=yes exit=0 comm={PAYLOAD_HEX} exe=2F746D702F{PAYLOAD_HEX} key=(null)"
        ),
        format!(
            "type=PATH msg=audit(1700000000.003:3): item=0 name=2F746D702F{PAYLOAD_HEX} mode=0100644"
        ),
        format!("type=CWD msg=audit(1700000000.004:4): cwd=2F{PAYLOAD_HEX}"),
        format!("type=TTY msg=audit(1700000000.005:5): tty pid=1 data=6C73{PAYLOAD_HEX}0D"),
        format!(
            "type=USER_CMD msg=audit(1700000000.006:6): pid=1 uid=0 msg='cwd=\"/\" cmd={PAYLOAD_HEX} res=success'"
        ),
    ]
}

fn run(format: &str) -> String {
    let mut cmd = common::auexplain();
    cmd.args(["--format", format, "--utc", "--color", "never"])
        .env("LC_ALL", "C");
    for l in lines() {
        cmd.arg("--line").arg(l);
    }
    let out = cmd.output().expect("auexplain runs");
    String::from_utf8(out.stdout).expect("output is UTF-8")
}

/// No byte or character that could act on a terminal.
fn assert_safe(out: &str, format: &str) {
    for c in out.chars() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}');
        assert!(!bad, "{format} output has a raw {:?}:\n{out}", c);
    }
}

#[test]
fn text_format_escapes_decoded_values() {
    let out = run("text");
    assert_safe(&out, "text");
    assert!(out.contains("\\e]0;pwned\\x07\\u{202e}\\u{200b}"), "{out}");
    assert!(out.contains("name=/tmp/\\e]0;pwned"), "{out}");
    assert!(out.contains("<ret>"), "{out}");
}

#[test]
fn interpreted_format_escapes_decoded_values() {
    let out = run("interpreted");
    assert_safe(&out, "interpreted");
    assert!(
        out.contains("comm=\\033]0;pwned\\007\\u{202e}\\u{200b} "),
        "{out}"
    );
    assert!(out.contains("proctitle=ls -l \\033]0;pwned"), "{out}");
    assert!(
        out.contains(
            "data=\"ls\",<esc>,\"]0;pwned\",<^G>,\"\\342\\200\\256\\342\\200\\213\",<ret>"
        ),
        "{out}"
    );
    assert!(out.contains("cwd=/\\033]0;pwned"), "{out}");
}

#[test]
fn json_keeps_values_as_json_escapes() {
    let out = run("json");
    assert_safe(&out, "json");
    assert!(
        out.contains("\\u001b]0;pwned\\u0007\\u202e\\u200b"),
        "{out}"
    );
    for line in out.lines() {
        assert!(line.starts_with('{') && line.ends_with('}'), "{line}");
    }
}
