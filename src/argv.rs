//! ausearch's option spellings on our command line. ausearch has short
//! options of two letters (`-ts`, `-ua`) that clap cannot declare, and takes
//! `-ts DATE TIME` as two words; this rewrites both into long options before
//! clap sees them, so analysts can keep their habits.

use std::ffi::{OsStr, OsString};

use crate::filter::when::looks_like_time;

/// ausearch's two-letter short options and our long names for them.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("-ts", "--start"),
    ("-te", "--end"),
    ("-ua", "--user"),
    ("-pp", "--ppid"),
    ("-sc", "--syscall"),
];

/// The command line with ausearch's forms rewritten. Words after `--` are
/// left alone.
pub fn rewrite<I: IntoIterator<Item = OsString>>(args: I) -> Vec<OsString> {
    let mut out: Vec<OsString> = Vec::new();
    let mut words = args.into_iter().peekable();
    let mut plain = false;
    while let Some(word) = words.next() {
        if plain {
            out.push(word);
            continue;
        }
        if word == "--" {
            plain = true;
            out.push(word);
            continue;
        }
        let long = long_form(&word);
        let is_time = matches!(long.to_str(), Some("--start" | "--end"));
        out.push(long);
        if !is_time {
            continue;
        }
        // `-ts 06/01/2024 14:00:00`: one value in two words.
        let Some(value) = words.next() else { break };
        let joined = match words.peek().and_then(|w| w.to_str()) {
            Some(time) if looks_like_time(time) && !is_time_word(&value) => {
                let mut v = value.clone();
                v.push(" ");
                v.push(time);
                words.next();
                v
            }
            _ => value,
        };
        out.push(joined);
    }
    out
}

/// `-ts` → `--start` and so on; every other word unchanged.
fn long_form(word: &OsStr) -> OsString {
    SHORT_FORMS
        .iter()
        .find(|(short, _)| word == *short)
        .map_or_else(|| word.to_os_string(), |(_, long)| OsString::from(long))
}

/// A value that is already a time of day (so the next word is not its time).
fn is_time_word(value: &OsStr) -> bool {
    value.to_str().is_some_and(looks_like_time)
}

#[cfg(test)]
mod tests {
    use super::rewrite;
    use std::ffi::OsString;

    fn rw(args: &[&str]) -> Vec<String> {
        rewrite(args.iter().map(OsString::from))
            .into_iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn two_letter_short_options_become_long_ones() {
        assert_eq!(
            rw(&[
                "auexplain",
                "-ts",
                "today",
                "-ua",
                "root",
                "-pp",
                "1",
                "-sc",
                "open",
                "f.log"
            ]),
            [
                "auexplain",
                "--start",
                "today",
                "--user",
                "root",
                "--ppid",
                "1",
                "--syscall",
                "open",
                "f.log"
            ]
        );
        assert_eq!(rw(&["a", "-te", "-1h"]), ["a", "--end", "-1h"]);
    }

    #[test]
    fn a_date_and_a_time_are_joined() {
        assert_eq!(
            rw(&["a", "-ts", "06/01/2024", "14:00:00", "x.log"]),
            ["a", "--start", "06/01/2024 14:00:00", "x.log"]
        );
        assert_eq!(
            rw(&["a", "--end", "2024-06-01", "9:30", "x.log"]),
            ["a", "--end", "2024-06-01 9:30", "x.log"]
        );
        // A time alone is not joined with a following word.
        assert_eq!(
            rw(&["a", "-ts", "14:00", "x.log"]),
            ["a", "--start", "14:00", "x.log"]
        );
    }

    #[test]
    fn other_words_and_words_after_double_dash_stay() {
        assert_eq!(
            rw(&["a", "-m", "SYSCALL", "-k", "x"]),
            ["a", "-m", "SYSCALL", "-k", "x"]
        );
        assert_eq!(rw(&["a", "--", "-ts"]), ["a", "--", "-ts"]);
        assert_eq!(rw(&["a", "-ts"]), ["a", "--start"]);
    }
}
