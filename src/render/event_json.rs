//! `--events` JSON: one `"kind": "event"` object per event, with the summary
//! as a sentence and as parts, the flags, and the event's record objects
//! exactly as the record contract writes them. Fields are only ever added.

use std::fmt::Write as _;

use crate::event::Event;
use crate::outcome::Outcome;
use crate::render::json::{self, push_str};
use crate::summary::Summary;
use crate::timefmt;

fn push_opt_str(out: &mut String, v: Option<&str>) {
    match v {
        Some(s) => push_str(out, s.as_bytes()),
        None => out.push_str("null"),
    }
}

/// One event object (no trailing newline); `with_records` adds `"records"`.
pub fn event(out: &mut String, ev: &Event, sum: &Summary, with_records: bool) {
    out.push_str("{\"kind\":\"event\",\"time\":");
    let time = ev.time().and_then(timefmt::rfc3339);
    push_opt_str(out, time.as_deref());
    out.push_str(",\"serial\":");
    match ev.serial() {
        Some(n) => {
            let _ = write!(out, "{n}");
        }
        None => out.push_str("null"),
    }
    out.push_str(",\"node\":");
    match ev.node() {
        Some(n) => push_str(out, n),
        None => out.push_str("null"),
    }
    out.push_str(",\"summary\":");
    push_str(out, sum.text.as_bytes());
    out.push_str(",\"subject\":");
    push_opt_str(out, sum.subject.as_deref());
    out.push_str(",\"action\":");
    push_str(out, sum.action.as_bytes());
    out.push_str(",\"object\":");
    push_opt_str(out, sum.object.as_deref());
    out.push_str(",\"how\":");
    push_opt_str(out, sum.how.as_deref());
    out.push_str(",\"result\":");
    push_opt_str(
        out,
        sum.result.map(|r| match r {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
        }),
    );
    out.push_str(",\"reason\":");
    push_opt_str(out, sum.reason.as_deref());
    out.push_str(",\"flags\":[");
    for (i, f) in sum.flags.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_str(out, f.as_bytes());
    }
    out.push(']');
    if with_records {
        out.push_str(",\"records\":[");
        for (i, rec) in ev.records.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json::record(out, rec);
        }
        out.push(']');
    }
    out.push('}');
}
