//! Events in the text format: a header with the time, id and flags, the
//! sentence that says what happened, and the event's annotated records
//! indented below; or, for `--summary`, one line per event. Summaries are
//! escaped when they are built, so they are written as they are.

use crate::digits::push_decimal;
use crate::event::Event;
use crate::render::Settings;
use crate::render::palette::{Role, flag_role, paint};
use crate::render::text;
use crate::sanitize;
use crate::summary::Summary;

/// Indent of records under their event.
const INDENT: &str = "    ";

/// ` FAILED  ROOT_TRANSITION`: the result badge and the flags.
fn badges(out: &mut String, sum: &Summary, s: &Settings) {
    text::result_badge(out, sum.result, s);
    for f in &sum.flags {
        out.push_str("  ");
        paint(out, s.color, flag_role(f), f);
    }
}

/// Appends the time of the event, or `no time`.
fn push_time(out: &mut String, ev: &Event, s: &Settings) {
    match ev.time() {
        Some(time) => s.clock.human(time, out),
        None => out.push_str("no time"),
    }
}

/// Appends `text` in the dim colour; without colour, straight into `out`.
fn dim(out: &mut String, s: &Settings, text: impl Fn(&mut String)) {
    if s.color {
        let mut line = String::new();
        text(&mut line);
        paint(out, s.color, Role::Dim, &line);
    } else {
        text(out);
    }
}

/// `── 2024-04-28 16:41:07.657 +00:00  serial 987  node anulinux  2 records`.
fn header_text(line: &mut String, ev: &Event, s: &Settings) {
    line.push_str("── ");
    push_time(line, ev, s);
    if let Some(serial) = ev.serial() {
        line.push_str("  serial ");
        push_decimal(line, serial);
    }
    if let Some(node) = ev.node() {
        line.push_str("  node ");
        sanitize::push_escaped(line, node);
    }
    let n = ev.records.len();
    line.push_str("  ");
    push_decimal(line, n as u64);
    line.push_str(if n == 1 { " record" } else { " records" });
}

/// The header line with its badges, then the sentence.
fn header(out: &mut String, ev: &Event, sum: &Summary, s: &Settings) {
    dim(out, s, |line| header_text(line, ev, s));
    badges(out, sum, s);
    out.push('\n');
    paint(out, s.color, Role::Summary, &sum.text);
    out.push_str("\n\n");
}

/// An event with its records indented below the header.
pub fn grouped(out: &mut String, ev: &Event, sum: &Summary, s: &Settings) {
    header(out, ev, sum, s);
    for rec in &ev.records {
        text::record(out, rec, s, INDENT);
    }
}

/// `--summary`: the time and the sentence on one line, then the flags.
pub fn summary_line(out: &mut String, ev: &Event, sum: &Summary, s: &Settings) {
    dim(out, s, |line| push_time(line, ev, s));
    out.push_str("  ");
    out.push_str(&sum.text);
    for f in &sum.flags {
        out.push_str("  ");
        paint(out, s.color, flag_role(f), f);
    }
    out.push('\n');
}
