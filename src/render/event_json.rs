//! `--events` JSON: one `"kind": "event"` object per event, with the summary
//! as a sentence and as parts, the flags, and the event's record objects
//! exactly as the record contract writes them. Fields are only ever added.

use crate::event::Event;
use crate::outcome::Outcome;
use crate::render::json;
use crate::render::jsonstr::{push_str, push_u64};
use crate::summary::Summary;
use crate::timefmt;

fn push_opt_str(out: &mut Vec<u8>, v: Option<&str>) {
    match v {
        Some(s) => push_str(out, s.as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
}

/// `"time":...,"serial":...,"node":...` of the event.
fn push_id(out: &mut Vec<u8>, ev: &Event) {
    out.extend_from_slice(b"\"time\":");
    match ev.time() {
        Some(t) => {
            out.push(b'"');
            timefmt::push_rfc3339(out, t);
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"serial\":");
    match ev.serial() {
        Some(n) => push_u64(out, n),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"node\":");
    match ev.node() {
        Some(n) => push_str(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

/// The summary as a sentence and as parts, the result and the flags.
fn push_summary(out: &mut Vec<u8>, sum: &Summary) {
    out.extend_from_slice(b",\"summary\":");
    push_str(out, sum.text.as_bytes());
    out.extend_from_slice(b",\"subject\":");
    push_opt_str(out, sum.subject.as_deref());
    out.extend_from_slice(b",\"action\":");
    push_str(out, sum.action.as_bytes());
    out.extend_from_slice(b",\"object\":");
    push_opt_str(out, sum.object.as_deref());
    out.extend_from_slice(b",\"how\":");
    push_opt_str(out, sum.how.as_deref());
    out.extend_from_slice(b",\"result\":");
    push_opt_str(
        out,
        sum.result.map(|r| match r {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
        }),
    );
    out.extend_from_slice(b",\"reason\":");
    push_opt_str(out, sum.reason.as_deref());
    out.extend_from_slice(b",\"flags\":[");
    for (i, f) in sum.flags.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_str(out, f.as_bytes());
    }
    out.push(b']');
}

/// One event object (no trailing newline); `with_records` adds `"records"`.
pub fn event(out: &mut Vec<u8>, ev: &Event, sum: &Summary, with_records: bool) {
    out.extend_from_slice(b"{\"kind\":\"event\",");
    push_id(out, ev);
    push_summary(out, sum);
    if with_records {
        out.extend_from_slice(b",\"records\":[");
        for (i, rec) in ev.records.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            json::record(out, rec);
        }
        out.push(b']');
    }
    out.push(b'}');
}
