//! Did it work? Every record family says so differently (`res=`, `success=`,
//! `result=`, AVC's `denied`, AppArmor's `DENIED`); this module reads them all.

use crate::record::{Origin, Record};

/// The result a record reports, if it reports one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
}

/// Reads the result of one record. `success=` wins over `res=`, which wins
/// over `result=`, then `seresult=` and `apparmor=`; the first field of each
/// name counts. One pass over the fields finds them all.
pub fn of(rec: &Record) -> Option<Outcome> {
    // The first value of each name, in order of precedence.
    let mut found: [Option<&[u8]>; 5] = [None; 5];
    for f in &rec.fields {
        if f.origin == Origin::Enriched {
            continue;
        }
        let slot = match rec.name_of(f) {
            b"success" => 0,
            b"res" => 1,
            b"result" => 2,
            b"seresult" => 3,
            b"apparmor" => 4,
            _ => continue,
        };
        if found[slot].is_none() {
            found[slot] = Some(rec.value_of(f));
            if slot == 0 {
                break;
            }
        }
    }
    match found {
        [Some(v), ..] | [None, Some(v), ..] | [None, None, Some(v), ..] => word(v),
        [None, None, None, Some(v), _] => match v {
            b"denied" => Some(Outcome::Failure),
            b"granted" => Some(Outcome::Success),
            _ => None,
        },
        [None, None, None, None, Some(v)] => match v {
            b"DENIED" => Some(Outcome::Failure),
            b"ALLOWED" | b"AUDIT" => Some(Outcome::Success),
            _ => None,
        },
        [None, None, None, None, None] => None,
    }
}

/// Reads a yes/no word as written in `res=`, `success=` or `result=`.
pub fn word(v: &[u8]) -> Option<Outcome> {
    match v {
        b"yes" | b"success" | b"1" | b"ok" | b"pass" | b"passed" => Some(Outcome::Success),
        b"no" | b"failed" | b"fail" | b"failure" | b"0" | b"denied" => Some(Outcome::Failure),
        _ => None,
    }
}
