//! Golden files of event summaries: the seed article's four cases and real
//! corpus events (logins, sudo, failed opens, connects, module loads, SELinux
//! and AppArmor denials, account changes, ...). Each case runs the binary with
//! `--summary --utc` and compares with `tests/golden/NAME.txt`; one case pins
//! the `--events` JSON object as well.
//!
//! Every golden line was read before it was accepted. To regenerate after a
//! deliberate wording change, run with `UPDATE_GOLDEN=1` and read the diff.

mod common;

use std::path::PathBuf;

const SEED_ACCT_LOCK: &str = "Time= 4/28/24 16:41:07:000 PM node= anulinux type=ACCT_LOCK msg=audit(65432.657.987): pid=2341 uid=0 auid=3424567 ses=753456326 subj=system_u:system_r:passwd_t:s0 msg=`op=locked-password id=2000 exe=\\\u{201d}/usr/bin/passwd\\\u{201d} hostname=anulinux addr=? terminal=? res=success UID=\\\u{201d}root\\\u{201d} AUID=\u{201d}anu\u{201d}";
const SEED_CHAUTHTOK: &str = "Time= 4/28/24 16:50:07:000 PM node= anulinux type=USER_CHAUTHTOK msg=audit(4353566765.645.7545): pid=1806 uid=0 auid=3424567 ses=7648 msg=`op=updating-password id=2001 exe=\\\u{201d}/usr/sbin/usermod\\\u{201d} hostname=anulinux addr=? terminal=? res=success UID=\\\u{201d}root\\\u{201d} AUID=\u{201d}anu\u{201d}";
const SEED_NETFILTER: &str = "Time= 4/28/24 17:00:34:000 PM node= anulinux type= NETFILTER_CFG  msg=audit(4353566765.645.7545): table=filter:54234 familiy=4 entries=3 op=nft_register_rule pid=1807 comm=\\\u{201d}iptables\u{201d}\\";
const SEED_USER_AUTH: &str = "USER_AUTH = fail username= anu ipaddress =127.0.0.1";

/// (golden file name, arguments after `--utc`).
fn cases() -> Vec<(&'static str, Vec<&'static str>)> {
    let s = "--summary";
    vec![
        ("seed-1-acct-lock", vec![s, "--line", SEED_ACCT_LOCK]),
        ("seed-2-password-change", vec![s, "--line", SEED_CHAUTHTOK]),
        ("seed-3-netfilter", vec![s, "--line", SEED_NETFILTER]),
        ("seed-4-failed-auth", vec![s, "--line", SEED_USER_AUTH]),
        (
            "seed-1-acct-lock-json",
            vec!["--format", "json", "--events", "--line", SEED_ACCT_LOCK],
        ),
        (
            "login-ssh",
            vec![s, "-a", "421", "go-libaudit/auparse-audit-rhel7.log"],
        ),
        (
            "login-ssh-enriched",
            vec![s, "linux-audit-parser/line-user-login.log"],
        ),
        (
            "login-failed",
            vec![
                s,
                "-a",
                "42120",
                "go-libaudit/aucoalesce-rhel-7-linux-3.10.0.log",
            ],
        ),
        (
            "auth-ssh-session",
            vec![
                s,
                "-a",
                "408,410,413,414,416,421,423,424,427",
                "go-libaudit/auparse-audit-rhel7.log",
            ],
        ),
        (
            "sudo-command",
            vec![s, "-a", "19469538", "go-libaudit/auparse-audit-rhel6.log"],
        ),
        (
            "sudo-accounting",
            vec![s, "linux-audit-parser/line-user-acct.log"],
        ),
        (
            "sudo-session",
            vec![s, "-a", "719,720,721", "selinux/sepolgen-audit.log"],
        ),
        (
            "open-failed",
            vec![s, "-a", "1302599", "aecid-parsergenerator/audit.log"],
        ),
        (
            "delete-audit-config",
            vec![
                s,
                "-a",
                "624",
                "go-libaudit/aucoalesce-ubuntu-17.04-linux-4.10.0.log",
            ],
        ),
        (
            "connect",
            vec![s, "-a", "49,61", "go-libaudit/lost_messages.log"],
        ),
        (
            "exec",
            vec![s, "-a", "59,60", "go-libaudit/out_of_order.log"],
        ),
        (
            "module-load",
            vec![s, "-a", "17", "go-libaudit/auparse-audit-rhel7.log"],
        ),
        (
            "selinux-denial",
            vec![s, "-a", "293", "audit-userspace/auparse-test.log"],
        ),
        (
            "apparmor-denial",
            vec![s, "apparmor/logprof-ping.auditlog.log"],
        ),
        (
            "account-add-user",
            vec![
                s,
                "-a",
                "385,386,389,393",
                "go-libaudit/auparse-audit-rhel7.log",
            ],
        ),
        (
            "account-lock-enriched",
            vec![s, "linux-audit-parser/line-acct-lock.log"],
        ),
        (
            "password-change-failed",
            vec![
                s,
                "-a",
                "21878",
                "go-libaudit/aucoalesce-ubuntu-17.04-linux-4.10.0.log",
            ],
        ),
        ("service-start", vec![s, "laurel/record-service-start.log"]),
        (
            "audit-rule-added",
            vec![
                s,
                "-a",
                "1209",
                "go-libaudit/aucoalesce-rhel-7-linux-3.10.0.log",
            ],
        ),
        (
            "promiscuous",
            vec![
                s,
                "-a",
                "753",
                "go-libaudit/aucoalesce-ubuntu-16.10-linux-4.8.0.log",
            ],
        ),
        (
            "clock",
            vec![
                s,
                "-a",
                "20246",
                "go-libaudit/aucoalesce-rhel-7-linux-3.10.0.log",
            ],
        ),
        (
            "seccomp",
            vec![s, "-a", "10262", "go-libaudit/auparse-test3.log"],
        ),
        (
            "sample-log",
            vec![s, concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample.log")],
        ),
    ]
}

fn golden_path(name: &str) -> PathBuf {
    let ext = if name.ends_with("-json") {
        "json"
    } else {
        "txt"
    };
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{name}.{ext}"))
}

/// A readable expected/got listing of the lines that differ.
fn diff(expected: &str, got: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let mut out = String::new();
    for i in 0..e.len().max(g.len()) {
        let (a, b) = (e.get(i).copied(), g.get(i).copied());
        if a != b {
            out.push_str(&format!(
                "line {}:\n  expected: {}\n  got:      {}\n",
                i + 1,
                a.unwrap_or("<none>"),
                b.unwrap_or("<none>")
            ));
        }
    }
    out
}

#[test]
fn summaries_match_golden_files() {
    if common::shared().is_none() {
        return;
    }
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for (name, args) in cases() {
        let mut full = vec!["--utc"];
        full.extend(args);
        let out = common::run_in_corpus(&full);
        let got = common::stdout(&out);
        assert!(
            !got.trim().is_empty(),
            "{name}: no output (stderr: {})",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = golden_path(name);
        if update {
            std::fs::write(&path, &got).expect("golden file is writable");
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != got {
            failures.push(format!(
                "{name} ({}):\n{}",
                path.display(),
                diff(&expected, &got)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "summaries changed:\n{}",
        failures.join("\n")
    );
}
