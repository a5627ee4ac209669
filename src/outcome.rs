//! Did it work? Every record family says so differently (`res=`, `success=`,
//! `result=`, AVC's `denied`, AppArmor's `DENIED`); this module reads them all.

use crate::record::Record;

/// The result a record reports, if it reports one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
}

/// Reads the result of one record.
pub fn of(rec: &Record) -> Option<Outcome> {
    for name in ["success", "res", "result"] {
        if let Some(v) = rec.get(name) {
            return word(v);
        }
    }
    if let Some(v) = rec.get("seresult") {
        return match v {
            b"denied" => Some(Outcome::Failure),
            b"granted" => Some(Outcome::Success),
            _ => None,
        };
    }
    if let Some(v) = rec.get("apparmor") {
        return match v {
            b"DENIED" => Some(Outcome::Failure),
            b"ALLOWED" | b"AUDIT" => Some(Outcome::Success),
            _ => None,
        };
    }
    None
}

/// Reads a yes/no word as written in `res=`, `success=` or `result=`.
pub fn word(v: &[u8]) -> Option<Outcome> {
    match v {
        b"yes" | b"success" | b"1" | b"ok" | b"pass" | b"passed" => Some(Outcome::Success),
        b"no" | b"failed" | b"fail" | b"failure" | b"0" | b"denied" => Some(Outcome::Failure),
        _ => None,
    }
}
