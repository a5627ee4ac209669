//! The result of a whole event: the system call's `success=` when there is one
//! (it is what actually happened), else what the main record says, and for a
//! failed call the errno in words.

use std::cell::RefCell;
use std::rc::Rc;

use crate::event::Event;
use crate::interpret;
use crate::outcome::{self, Outcome};
use crate::record::{Origin, Record};
use crate::summary::scan::{Scan, Slot};
use crate::summary::values;

/// Did it work, and if not, why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub outcome: Option<Outcome>,
    /// `permission denied (EACCES)`, for failed system calls; shared.
    pub reason: Option<Rc<str>>,
}

/// The verdict of an event whose main record is `main`.
pub fn of(ev: &Event, main: &Record) -> Verdict {
    let call = ev.record("SYSCALL").map(|sc| CallResult {
        success: sc.get("success"),
        exit: sc.get("exit"),
    });
    verdict(ev, main, call)
}

/// `of`, with the event's SYSCALL record already scanned.
pub fn of_scanned(ev: &Event, main: &Record, scan: Option<&Scan>) -> Verdict {
    let call = scan.map(|s| CallResult {
        success: s.get(Slot::Success),
        exit: s.get(Slot::Exit),
    });
    verdict(ev, main, call)
}

/// A SYSCALL record's `success=` and `exit=` as written.
struct CallResult<'r> {
    success: Option<&'r [u8]>,
    exit: Option<&'r [u8]>,
}

/// The verdict from the SYSCALL record's `success=` and `exit=` when it has
/// them, else from the main record.
fn verdict(ev: &Event, main: &Record, call: Option<CallResult>) -> Verdict {
    if let Some(CallResult { success, exit }) = call {
        if let Some(o) = success.and_then(outcome::word) {
            let reason = match o {
                Outcome::Failure => exit.and_then(values::decimal).map(shared_errno_text),
                Outcome::Success => None,
            };
            return Verdict {
                outcome: Some(o),
                reason,
            };
        }
    }
    if main.type_name() == "SECCOMP" {
        return Verdict {
            outcome: seccomp_outcome(main),
            reason: None,
        };
    }
    // The main record is not read twice.
    let outcome = record_outcome(main).or_else(|| {
        ev.records
            .iter()
            .filter(|r| !std::ptr::eq(*r, main))
            .find_map(record_outcome)
    });
    Verdict {
        outcome,
        reason: None,
    }
}

/// A record's result, also read from old user-space records whose values
/// carry a trailing `,` or `)` (`res=success)`).
fn record_outcome(rec: &Record) -> Option<Outcome> {
    outcome::of(rec).or_else(|| {
        // The first own `res`, `success` and `result`, found in one pass and
        // read in that order.
        let mut at: [Option<usize>; 3] = [None; 3];
        for (i, f) in rec.fields.iter().enumerate() {
            if f.origin == Origin::Enriched {
                continue;
            }
            let slot = match rec.name_of(f) {
                b"res" => &mut at[0],
                b"success" => &mut at[1],
                b"result" => &mut at[2],
                _ => continue,
            };
            slot.get_or_insert(i);
        }
        at.into_iter()
            .flatten()
            .find_map(|i| values::raw_text_at(rec, i))
            .and_then(|v| outcome::word(&v))
    })
}

/// A seccomp verdict: the call went through only when the filter allowed or
/// merely logged it.
fn seccomp_outcome(rec: &Record) -> Option<Outcome> {
    let code = rec.get("code")?.strip_prefix(b"0x").and_then(values::hex)?;
    Some(match code & 0xffff_0000 {
        0x7ffc_0000 | 0x7fff_0000 => Outcome::Success,
        _ => Outcome::Failure,
    })
}

thread_local! {
    /// The last exit code put in words, and the words: failures come in
    /// runs of the same few codes.
    static LAST_ERRNO: RefCell<Option<(i64, Rc<str>)>> = const { RefCell::new(None) };
}

/// `errno_text`, shared: the same code gives the same text as last time.
fn shared_errno_text(code: i64) -> Rc<str> {
    LAST_ERRNO.with_borrow_mut(|last| {
        if let Some((c, text)) = last.as_ref()
            && *c == code
        {
            return Rc::clone(text);
        }
        let text: Rc<str> = Rc::from(errno_text(code));
        *last = Some((code, Rc::clone(&text)));
        text
    })
}

/// `permission denied (EACCES)` for an exit code such as -13.
pub fn errno_text(code: i64) -> String {
    match interpret::errno(code).or_else(|| fallback_errno(code.unsigned_abs())) {
        Some((name, meaning)) => crate::summary::concat(&[meaning, " (", name, ")"]),
        None => format!("error {code}"),
    }
}

/// FALLBACK, to be replaced by `interpret::errno` when the interp branch is
/// merged: the errno values summaries meet most often (Linux generic numbers).
fn fallback_errno(code: u64) -> Option<(&'static str, &'static str)> {
    const TABLE: &[(u64, &str, &str)] = &[
        (1, "EPERM", "operation not permitted"),
        (2, "ENOENT", "no such file or directory"),
        (3, "ESRCH", "no such process"),
        (4, "EINTR", "interrupted system call"),
        (5, "EIO", "input/output error"),
        (9, "EBADF", "bad file descriptor"),
        (11, "EAGAIN", "resource temporarily unavailable"),
        (12, "ENOMEM", "out of memory"),
        (13, "EACCES", "permission denied"),
        (14, "EFAULT", "bad address"),
        (16, "EBUSY", "device or resource busy"),
        (17, "EEXIST", "file exists"),
        (19, "ENODEV", "no such device"),
        (20, "ENOTDIR", "not a directory"),
        (21, "EISDIR", "is a directory"),
        (22, "EINVAL", "invalid argument"),
        (25, "ENOTTY", "inappropriate ioctl for device"),
        (28, "ENOSPC", "no space left on device"),
        (30, "EROFS", "read-only file system"),
        (32, "EPIPE", "broken pipe"),
        (38, "ENOSYS", "function not implemented"),
        (39, "ENOTEMPTY", "directory not empty"),
        (61, "ENODATA", "no data available"),
        (95, "EOPNOTSUPP", "operation not supported"),
        (97, "EAFNOSUPPORT", "address family not supported"),
        (98, "EADDRINUSE", "address already in use"),
        (101, "ENETUNREACH", "network is unreachable"),
        (104, "ECONNRESET", "connection reset by peer"),
        (110, "ETIMEDOUT", "connection timed out"),
        (111, "ECONNREFUSED", "connection refused"),
        (113, "EHOSTUNREACH", "no route to host"),
        (115, "EINPROGRESS", "operation now in progress"),
    ];
    TABLE
        .iter()
        .find(|(n, _, _)| *n == code)
        .map(|&(_, name, meaning)| (name, meaning))
}

#[cfg(test)]
mod tests {
    use super::{errno_text, shared_errno_text};

    #[test]
    fn errno_in_words() {
        assert_eq!(errno_text(-13), "permission denied (EACCES)");
        assert_eq!(errno_text(-4095), "error -4095");
    }

    /// The shared words follow the code, whether it repeats or not.
    #[test]
    fn shared_errno_words_follow_the_code() {
        for code in [-13, -13, -2, -13, -4095, -4095, -2] {
            assert_eq!(&*shared_errno_text(code), errno_text(code), "{code}");
        }
    }
}
