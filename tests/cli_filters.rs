//! Every event filter and view, run through the real binary on real corpus
//! lines. Raw output shows which events matched (their lines, complete);
//! `--summary` shows how many.

mod common;

/// The file most tests use: five events, out of order, with a failed connect,
/// two program runs, a connect to a local socket and an accept.
const OOO: &str = "go-libaudit/out_of_order.log";
const RHEL7: &str = "go-libaudit/auparse-audit-rhel7.log";

/// Serials of the events printed by `--format json --events`.
fn serials(args: &[&str]) -> Vec<u64> {
    let mut full = vec!["--format", "json", "--events"];
    full.extend_from_slice(args);
    let out = common::run_in_corpus(&full);
    common::stdout(&out)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["kind"] == "event")
        .filter_map(|v| v["serial"].as_u64())
        .collect()
}

fn code(args: &[&str]) -> i32 {
    common::run_in_corpus(args).status.code().unwrap_or(-1)
}

#[test]
fn no_filter_gives_every_event() {
    if common::shared().is_none() {
        return;
    }
    assert_eq!(serials(&[OOO]), vec![58, 59, 60, 61, 62]);
}

#[test]
fn type_filter_matches_events_by_any_record() {
    if common::shared().is_none() {
        return;
    }
    assert_eq!(serials(&["-m", "EXECVE", OOO]), vec![59, 60]);
    assert_eq!(
        serials(&["--type", "SOCKADDR,EXECVE", OOO]),
        vec![58, 59, 60, 61]
    );
}

#[test]
fn category_filter() {
    if common::shared().is_none() {
        return;
    }
    let f = "go-libaudit/aucoalesce-ubuntu-16.10-linux-4.8.0.log";
    assert_eq!(serials(&["--category", "anom", f]), vec![753]);
}

#[test]
fn time_filters_in_ausearch_and_iso_forms() {
    if common::shared().is_none() {
        return;
    }
    assert_eq!(
        serials(&[
            "-ts",
            "04/12/2017",
            "22:48:10",
            "-te",
            "2017-04-12T22:48:12",
            OOO
        ]),
        vec![59, 60]
    );
    assert_eq!(serials(&["--start", "@1492037298", OOO]), vec![61, 62]);
    assert_eq!(
        serials(&["-te", "-1h", OOO]).len(),
        5,
        "everything is older than an hour"
    );
    assert_eq!(
        code(&["-ts", "recent", OOO]),
        1,
        "nothing in the last 10 minutes"
    );
    assert_eq!(code(&["-ts", "someday", OOO]), 2, "a bad time is an error");
}

#[test]
fn user_filter_by_number_name_and_enrichment() {
    if common::shared().is_none() {
        return;
    }
    assert_eq!(serials(&["-ua", "1000", OOO]), vec![59, 60]);
    assert_eq!(serials(&["--user", "89", OOO]), vec![62]);
    // acct= names the account in PAM records.
    assert_eq!(
        serials(&["-ua", "andrew_kroh", "-m", "USER_AUTH", RHEL7]),
        vec![408]
    );
    // ENRICHED ID="ec2-user" on a record whose id= is a number.
    assert_eq!(
        serials(&["-ua", "ec2-user", "linux-audit-parser/line-acct-lock.log"]),
        vec![1065]
    );
}

#[test]
fn key_filter() {
    if common::shared().is_none() {
        return;
    }
    assert_eq!(serials(&["-k", "user_commands", OOO]), vec![59, 60]);
    assert_eq!(code(&["-k", "user_command", OOO]), 1, "keys match whole");
}

#[test]
fn success_filter() {
    if common::shared().is_none() {
        return;
    }
    assert_eq!(serials(&["--success", "no", OOO]), vec![58]);
    assert_eq!(serials(&["--success", "yes", OOO]), vec![59, 60, 61, 62]);
}

#[test]
fn pid_and_ppid_filters() {
    if common::shared().is_none() {
        return;
    }
    assert_eq!(serials(&["-p", "13393", OOO]), vec![59]);
    assert_eq!(serials(&["-pp", "12041", OOO]), vec![59, 60]);
    assert_eq!(serials(&["--ppid", "1229", OOO]), vec![62]);
}

#[test]
fn exe_filter_by_path_or_name() {
    if common::shared().is_none() {
        return;
    }
    assert_eq!(serials(&["-x", "/usr/bin/grep", OOO]), vec![59]);
    assert_eq!(serials(&["--exe", "cat", OOO]), vec![60]);
}

#[test]
fn syscall_filter_by_name_or_number() {
    if common::shared().is_none() {
        return;
    }
    assert_eq!(serials(&["-sc", "connect", OOO]), vec![58, 61]);
    assert_eq!(serials(&["--syscall", "43", OOO]), vec![62]);
    assert_eq!(serials(&["-sc", "execve,accept", OOO]), vec![59, 60, 62]);
}

#[test]
fn file_filter_by_path_and_name() {
    if common::shared().is_none() {
        return;
    }
    assert_eq!(serials(&["-f", "/usr/bin/cat", OOO]), vec![60]);
    assert_eq!(serials(&["-f", "grep", OOO]), vec![59]);
    assert_eq!(
        serials(&["--file", "/home/andrew_kroh", OOO]),
        vec![59, 60],
        "a CWD matches"
    );
}

#[test]
fn addr_filter_by_login_address_and_socket_address() {
    if common::shared().is_none() {
        return;
    }
    assert_eq!(serials(&["--addr", "169.254.169.254", OOO]), vec![58]);
    assert_eq!(
        serials(&["--addr", "96.241.146.97", "-m", "USER_LOGIN", RHEL7]),
        vec![421]
    );
}

#[test]
fn node_filter() {
    if common::shared().is_none() {
        return;
    }
    let f = "audit-userspace/auparse-test3.log";
    assert_eq!(serials(&["-n", "auditdtest.a1959.org", f]).len(), 8);
    assert_eq!(code(&["--node", "elsewhere", f]), 1);
}

#[test]
fn event_filter_by_serial() {
    if common::shared().is_none() {
        return;
    }
    assert_eq!(serials(&["-a", "61", OOO]), vec![61]);
    assert_eq!(serials(&["--event", "58,62", OOO]), vec![58, 62]);
}

#[test]
fn filters_and_together() {
    if common::shared().is_none() {
        return;
    }
    assert_eq!(
        serials(&["-sc", "connect", "--success", "yes", OOO]),
        vec![61]
    );
    assert_eq!(code(&["-sc", "connect", "-ua", "1000", OOO]), 1);
}

#[test]
fn raw_output_prints_matching_events_complete() {
    if common::shared().is_none() {
        return;
    }
    let out = common::run_in_corpus(&["-a", "60", "--format", "raw", OOO]);
    let text = common::stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        5,
        "SYSCALL, EXECVE, CWD and two PATHs:\n{text}"
    );
    assert!(
        lines
            .iter()
            .all(|l| l.contains("msg=audit(1492037291.038:60)"))
    );
    let file = std::fs::read_to_string(common::corpus().join(OOO)).expect("readable");
    for l in &lines {
        assert!(file.lines().any(|f| f == *l), "not an original line: {l}");
    }
}

#[test]
fn text_groups_records_under_a_summary_by_default() {
    if common::shared().is_none() {
        return;
    }
    let text = common::stdout(&common::run_in_corpus(&["-a", "59", OOO]));
    let first = text.lines().next().unwrap_or_default();
    assert!(first.starts_with("── 2017-04-12 22:48:11.036"), "{first}");
    assert!(
        first.contains("serial 59") && first.contains("5 records"),
        "{first}"
    );
    assert!(text.contains("uid 1000 executed /usr/bin/grep"), "{text}");
    assert!(
        text.contains("\n    SYSCALL (1300)"),
        "records are indented:\n{text}"
    );
}

#[test]
fn records_view_has_no_event_header() {
    if common::shared().is_none() {
        return;
    }
    let text = common::stdout(&common::run_in_corpus(&["--records", "-a", "59", OOO]));
    assert!(!text.contains("──"), "{text}");
    assert!(text.starts_with("SYSCALL (1300)"), "{text}");
}

#[test]
fn records_view_with_a_type_filter_is_a_type_grep() {
    if common::shared().is_none() {
        return;
    }
    let out = common::run_in_corpus(&["--records", "-m", "EXECVE", "--format", "raw", OOO]);
    let text = common::stdout(&out);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.lines().all(|l| l.starts_with("type=EXECVE ")),
        "{text}"
    );
    // Other filters still choose whole events.
    let out = common::run_in_corpus(&["--records", "-k", "user_commands", "--format", "raw", OOO]);
    assert_eq!(
        common::stdout(&out).lines().count(),
        10,
        "two events of five records"
    );
}

#[test]
fn summary_view_is_one_line_per_event() {
    if common::shared().is_none() {
        return;
    }
    let text = common::stdout(&common::run_in_corpus(&["--summary", OOO]));
    assert_eq!(text.lines().count(), 5, "{text}");
}

#[test]
fn json_events_carry_parts_and_records() {
    if common::shared().is_none() {
        return;
    }
    let out = common::run_in_corpus(&["--format", "json", "--events", "-a", "58", OOO]);
    let v: serde_json::Value =
        serde_json::from_str(common::stdout(&out).trim()).expect("one JSON object");
    assert_eq!(v["kind"], "event");
    assert_eq!(v["serial"], 58);
    assert_eq!(v["time"], "2017-04-12T22:48:09.295Z");
    assert_eq!(v["result"], "failure");
    assert_eq!(v["action"], "connected to");
    assert_eq!(v["object"], "169.254.169.254 port 80");
    assert_eq!(v["reason"], "operation now in progress (EINPROGRESS)");
    assert_eq!(v["records"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["records"][0]["kind"], "record");
    assert_eq!(v["records"][1]["type"], "SOCKADDR");
}

#[test]
fn json_without_events_keeps_record_objects() {
    if common::shared().is_none() {
        return;
    }
    let out = common::run_in_corpus(&["--format", "json", "-a", "58", OOO]);
    let kinds: Vec<String> = common::stdout(&out)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| v["kind"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(kinds, ["record", "record"]);
}

#[test]
fn unparsed_lines_are_still_reported() {
    if common::shared().is_none() {
        return;
    }
    let f = "apparmor/test_multi/syslog_other_01.log";
    let out = common::run_in_corpus(&[f]);
    assert!(
        common::stdout(&out).contains("UNPARSED"),
        "{}",
        common::stdout(&out)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("syslog_other_01.log:1:"), "{err}");
    let json = common::stdout(&common::run_in_corpus(&["--format", "json", f]));
    assert!(json.contains("\"kind\":\"unparsed\""), "{json}");
}

#[test]
fn nothing_matched_exits_1() {
    if common::shared().is_none() {
        return;
    }
    assert_eq!(code(&["-a", "9999", OOO]), 1);
    assert_eq!(code(&["-a", "58", OOO]), 0);
}
