//! The four worked cases of the seed article, as pasted from a SIEM: each must
//! come out as a record of the right type with its account, host, address and
//! result readable.

mod common;

use serde_json::Value;

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seed_cases.log");

fn records() -> Vec<Value> {
    let out = common::run(&["--format=json", SEEDS]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(common::stderr(&out).is_empty(), "{}", common::stderr(&out));
    common::stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect()
}

fn raw<'a>(rec: &'a Value, field: &str) -> &'a str {
    rec["fields"][field]["raw"]
        .as_str()
        .unwrap_or_else(|| panic!("no field {field} in {rec}"))
}

#[test]
fn case_1_account_lock() {
    let r = &records()[0];
    assert_eq!(r["type"], "ACCT_LOCK");
    assert_eq!(r["node"], "anulinux");
    assert_eq!(r["serial"], 987);
    assert_eq!(raw(r, "op"), "locked-password");
    assert_eq!(raw(r, "id"), "2000");
    assert_eq!(raw(r, "exe"), "/usr/bin/passwd");
    assert_eq!(raw(r, "res"), "success");
    assert_eq!(raw(r, "AUID"), "anu");
    assert_eq!(r["fields"]["AUID"]["enriched"], true);
    assert_eq!(raw(r, "UID"), "root");
}

#[test]
fn case_2_password_change() {
    let r = &records()[1];
    assert_eq!(r["type"], "USER_CHAUTHTOK");
    assert_eq!(r["node"], "anulinux");
    assert_eq!(raw(r, "op"), "updating-password");
    assert_eq!(raw(r, "exe"), "/usr/sbin/usermod");
    assert_eq!(raw(r, "hostname"), "anulinux");
    assert_eq!(raw(r, "res"), "success");
    assert_eq!(raw(r, "AUID"), "anu");
}

#[test]
fn case_3_firewall_change_with_spaced_type_and_nbsp() {
    let r = &records()[2];
    assert_eq!(r["type"], "NETFILTER_CFG");
    assert_eq!(r["family"], "netfilter");
    assert_eq!(r["node"], "anulinux");
    assert_eq!(raw(r, "op"), "nft_register_rule");
    assert_eq!(raw(r, "table"), "filter:54234");
    assert_eq!(raw(r, "comm"), "iptables");
}

#[test]
fn case_4_failed_authentication_shorthand() {
    let r = &records()[3];
    assert_eq!(r["type"], "USER_AUTH");
    assert_eq!(r["form"], "journald");
    assert_eq!(raw(r, "res"), "fail");
    assert_eq!(raw(r, "username"), "anu");
    assert_eq!(raw(r, "ipaddress"), "127.0.0.1");
}

#[test]
fn text_output_marks_the_failed_authentication() {
    let out = common::run(&["--color=never", SEEDS]);
    let text = common::stdout(&out);
    let auth = text
        .split("\n\n")
        .find(|b| b.contains("USER_AUTH"))
        .expect("USER_AUTH block");
    assert!(auth.contains("FAILED"), "{auth}");
}
