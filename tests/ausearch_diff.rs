//! Differential test against `ausearch --format text` (audit-userspace 3.0.9):
//! on every plain auditd file of the corpus, our event result must agree with
//! ausearch's "successfully"/"unsuccessfully" for at least 99% of the events
//! where ausearch states one. The figure is printed.
//!
//! The text format carries no event id, so ausearch is also run with
//! `--format csv --extra-time`, whose lines come in the same order and name
//! node, time and serial. In CI (`CI=true`) a missing ausearch fails the test;
//! elsewhere the test is skipped with a notice.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use auexplain::outcome::Outcome;
use auexplain::summary;

/// node, seconds, milliseconds, serial.
type Key = (String, i64, u16, u64);

const AUSEARCH: &str = "/usr/sbin/ausearch";

fn ausearch(args: &[&str], file: &Path) -> Option<String> {
    let out = Command::new(AUSEARCH)
        .args(args)
        .arg("--input")
        .arg(file)
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// ausearch's verdict in one text line.
fn text_result(line: &str) -> Option<Outcome> {
    let failed = line.find(" unsuccessfully ");
    let ok = line.find(" successfully ");
    match (failed, ok) {
        (Some(f), Some(s)) if f < s => Some(Outcome::Failure),
        (Some(_), None) => Some(Outcome::Failure),
        (_, Some(_)) => Some(Outcome::Success),
        (None, None) => None,
    }
}

/// The event key of one `--format csv --extra-time` line: NODE, EVENT, DATE,
/// TIME, YEAR, MONTH, DAY, WEEKDAY, HOUR, MILLI, GMT_OFFSET, SERIAL_NUM, ...
fn csv_key(line: &str) -> Option<Key> {
    let cols: Vec<&str> = line.splitn(13, ',').collect();
    let [
        node,
        _,
        _,
        time,
        year,
        month,
        day,
        _,
        _,
        milli,
        _,
        serial,
        ..,
    ] = cols[..]
    else {
        return None;
    };
    let mut hms = time.split(':').map(|p| p.parse::<i8>().ok());
    let date = jiff::civil::date(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    let dt = date.at(hms.next()??, hms.next()??, hms.next()??, 0);
    let secs = dt
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()?
        .timestamp()
        .as_second();
    Some((
        node.to_string(),
        secs,
        milli.parse().ok()?,
        serial.parse().ok()?,
    ))
}

/// Our result for every event of a file, by key.
fn our_results(recs: Vec<auexplain::record::Record>) -> HashMap<Key, (Option<Outcome>, bool)> {
    common::events(recs)
        .iter()
        .filter_map(|ev| {
            let t = ev.time()?;
            let node = ev.node().map(|n| String::from_utf8_lossy(n).into_owned());
            let quoted = ev
                .record("SYSCALL")
                .and_then(|r| r.field("success"))
                .is_some_and(|f| f.quote != auexplain::record::Quote::None);
            let key = (node.unwrap_or_default(), t.secs, t.millis, ev.serial()?);
            Some((key, (summary::outcome(ev), quoted)))
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    compared: usize,
    agreed: usize,
    /// ausearch states no result.
    silent: usize,
    /// ausearch names an event we do not have (its own misreadings).
    unmatched: usize,
    /// Disagreements on `success="yes"`, which auditd never writes and ausearch misreads.
    quoted: usize,
    examples: Vec<String>,
}

fn compare_file(path: &Path, recs: Vec<auexplain::record::Record>, t: &mut Tally) {
    let ours = our_results(recs);
    let (Some(text), Some(csv)) = (
        ausearch(&["--format", "text"], path),
        ausearch(&["--format", "csv", "--extra-time"], path),
    ) else {
        return;
    };
    let csv: Vec<&str> = csv.lines().skip(1).collect();
    let text: Vec<&str> = text.lines().collect();
    assert_eq!(
        text.len(),
        csv.len(),
        "{}: text and csv disagree in length",
        common::short(path)
    );
    for (line, row) in text.iter().zip(&csv) {
        let Some(theirs) = text_result(line) else {
            t.silent += 1;
            continue;
        };
        let Some((mine, quoted)) = csv_key(row).and_then(|k| ours.get(&k)) else {
            t.unmatched += 1;
            continue;
        };
        t.compared += 1;
        if *mine == Some(theirs) {
            t.agreed += 1;
        } else {
            t.quoted += usize::from(*quoted);
            if !quoted && t.examples.len() < 10 {
                t.examples
                    .push(format!("{}: {line} -- ours: {mine:?}", common::short(path)));
            }
        }
    }
}

#[test]
fn results_agree_with_ausearch() {
    if common::shared().is_none() {
        return;
    }
    if !Path::new(AUSEARCH).exists() {
        let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(
            !in_ci,
            "ausearch is required in CI but {AUSEARCH} is missing"
        );
        println!("NOTICE: {AUSEARCH} not found; differential test skipped");
        return;
    }
    let mut t = Tally::default();
    for (path, recs) in common::plain_files() {
        compare_file(&path, recs, &mut t);
    }
    let share = t.agreed as f64 / t.compared.max(1) as f64;
    println!(
        "ausearch agreement: {}/{} events ({:.2}%); ausearch gave no result for {}, \
         named {} events we do not have; {} of the {} disagreements are success=\"yes\" \
         written in quotes (laurel's rewrite), which ausearch reads as a failure",
        t.agreed,
        t.compared,
        share * 100.0,
        t.silent,
        t.unmatched,
        t.quoted,
        t.compared - t.agreed
    );
    for e in &t.examples {
        println!("  differs: {e}");
    }
    assert!(
        t.compared > 10_000,
        "too few events compared: {}",
        t.compared
    );
    assert!(
        share >= 0.99,
        "agreement {:.2}% is below 99%",
        share * 100.0
    );
}
