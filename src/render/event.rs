//! Events in the text format: a header with the time, id and flags, the
//! sentence that says what happened, and the event's annotated records
//! indented below; or, for `--summary`, one line per event. Summaries are
//! escaped when they are built, so they are written as they are.

use crate::digits::push_decimal;
use crate::event::Event;
use crate::render::Settings;
use crate::render::memo::{self, Part};
use crate::render::palette::{Role, flag_role, paint};
use crate::render::text;
use crate::sanitize;
use crate::summary::{self, Summary};

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
    header_rest(out, sum, s);
}

/// The header line's badges, then the sentence.
fn header_rest(out: &mut String, sum: &Summary, s: &Settings) {
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

/// `grouped` for an event of one record whose body decides its text, with
/// what the body decides remembered: the summary is only worked out when it
/// is not. Returns false, having written nothing, for other events.
pub fn grouped_alone(out: &mut String, ev: &Event, s: &Settings) -> bool {
    let Some((rec, body)) = memo::alone(ev) else {
        return false;
    };
    let tag = memo::tag(text::whole_variant(s), rec);
    dim(out, s, |line| header_text(line, ev, s));
    memo::TEXT_EVENTS.with_borrow_mut(|table| {
        table.write_around(
            Part::EventOpening,
            tag,
            body,
            out,
            (
                |out: &mut String| {
                    header_rest(out, &summary::summarize(ev), s);
                    text::record_type(out, rec, s, INDENT);
                },
                |out: &mut String| text::record_where(out, rec, s, INDENT),
                |out: &mut String| text::record_rest(out, rec, s, INDENT),
            ),
        );
    });
    true
}

/// `summary_line` for an event of one record whose body decides its
/// sentence and flags, remembered the same way. False for other events.
pub fn summary_line_alone(out: &mut String, ev: &Event, s: &Settings) -> bool {
    let Some((rec, body)) = memo::alone(ev) else {
        return false;
    };
    let tag = memo::tag(text::whole_variant(s), rec);
    dim(out, s, |line| push_time(line, ev, s));
    memo::TEXT_EVENTS.with_borrow_mut(|table| {
        table.write(Part::SummaryLine, tag, body, out, |out| {
            summary_rest(out, &summary::summarize(ev), s);
        });
    });
    true
}

/// `--summary`: the time and the sentence on one line, then the flags.
pub fn summary_line(out: &mut String, ev: &Event, sum: &Summary, s: &Settings) {
    dim(out, s, |line| push_time(line, ev, s));
    summary_rest(out, sum, s);
}

/// The summary line after its time.
fn summary_rest(out: &mut String, sum: &Summary, s: &Settings) {
    out.push_str("  ");
    out.push_str(&sum.text);
    for f in &sum.flags {
        out.push_str("  ");
        paint(out, s.color, flag_role(f), f);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::first_record;
    use crate::render::{Format, View};
    use crate::timefmt::Clock;

    fn settings(color: bool, explain_fields: bool) -> Settings {
        Settings {
            format: Format::Text,
            color,
            clock: Clock::new(true),
            explain_fields,
            view: View::Grouped,
            names: None,
            short_year: true,
        }
    }

    /// The grouped and summary views of `line`'s event, as rendered without
    /// the table, and through it.
    fn both_ways(line: &str, s: &Settings) -> [String; 4] {
        let ev = Event::single(first_record(line));
        let sum = summary::summarize(&ev);
        let mut plain = [String::new(), String::new()];
        grouped(&mut plain[0], &ev, &sum, s);
        summary_line(&mut plain[1], &ev, &sum, s);
        let mut kept = [String::new(), String::new()];
        assert!(grouped_alone(&mut kept[0], &ev, s), "{line}");
        assert!(summary_line_alone(&mut kept[1], &ev, s), "{line}");
        let [a, b] = plain;
        let [c, d] = kept;
        [a, b, c, d]
    }

    const DBUS: &str = "type=USER_AVC msg=audit(1700000135.360:1013536): user pid=6659 uid=81 auid=500 subj=staff_u:staff_r:staff_dbusd_t:s0 msg='avc:  denied  { send_msg } for msgtype=signal interface=org.freedesktop.NetworkManager member=DeviceActivationStage dest=org.freedesktop.DBus spid=6687 tpid=3866 scontext=staff_u:staff_r:staff_t:s0 tcontext=staff_u:staff_r:staff_t:s0 tclass=dbus : exe=\"/bin/dbus-daemon\" (sauid=81, hostname=?, addr=?, terminal=?)'";

    #[test]
    fn a_remembered_event_reads_as_a_fresh_one() {
        for (color, explain) in [(false, false), (true, false), (false, true)] {
            let s = settings(color, explain);
            // Kept the second time it misses; the third and fourth times are hits,
            // the fourth with another time, serial and line.
            for line in [
                DBUS,
                DBUS,
                DBUS,
                &DBUS.replace("135.360:1013536", "136.000:7"),
            ] {
                let [grouped, summary, grouped_kept, summary_kept] = both_ways(line, &s);
                assert_eq!(grouped_kept, grouped);
                assert_eq!(summary_kept, summary);
            }
            let ev = Event::single(first_record(DBUS));
            let rec = &ev.records[0];
            let tag = memo::tag(text::whole_variant(&s), rec);
            let body = memo::whole_body(rec).expect("a body alone");
            let hit = memo::TEXT_EVENTS.with_borrow(|t| t.probe(Part::EventOpening, tag, body).hit);
            assert!(hit, "the event was kept");
        }
    }

    /// A record of a larger event, with and without the pad of the grouped view.
    fn record_both_ways(line: &str) -> [String; 2] {
        let rec = first_record(line);
        let s = settings(false, false);
        [INDENT, ""].map(|pad| {
            let mut out = String::new();
            text::record(&mut out, &rec, &s, pad);
            out
        })
    }

    #[test]
    fn a_remembered_record_reads_as_a_fresh_one() {
        const TITLE: &str = "type=PROCTITLE msg=audit(1.000:1): proctitle=2F7573722F7362696E2F61706163686532002D6B007374617274";
        let fresh = std::thread::spawn(|| record_both_ways(TITLE))
            .join()
            .expect("rendering thread");
        for _ in 0..3 {
            assert_eq!(record_both_ways(TITLE), fresh);
        }
        let later = TITLE.replace("1.000:1", "2.500:9");
        let [grouped, alone] = record_both_ways(&later);
        assert_eq!(
            grouped,
            fresh[0]
                .replace("00:00:01.000", "00:00:02.500")
                .replace("serial 1", "serial 9")
        );
        assert_ne!(grouped, alone);
    }

    #[test]
    fn only_bodies_alone_on_plain_auditd_lines_decide_an_event() {
        let body = |line: &str| memo::whole_body(&first_record(line)).map(<[u8]>::to_vec);
        assert_eq!(
            body("type=USER_CMD msg=audit(1.000:1): pid=1 uid=0 msg='cmd=6C73'").as_deref(),
            Some(&b" pid=1 uid=0 msg='cmd=6C73'"[..])
        );
        for other in [
            // A node, a syslog prefix, a type by number, a second record, no header.
            "node=web1 type=USER_CMD msg=audit(1.000:1): pid=1 uid=0",
            "Nov 14 22:15:35 web1 audispd: type=USER_CMD msg=audit(1.000:1): pid=1 uid=0",
            "type=1123 msg=audit(1.000:1): pid=1 uid=0",
            "type=CWD msg=audit(1.000:1): cwd=\"/\" type=PATH msg=audit(1.000:1): item=0",
            "type=USER_CMD pid=1 uid=0",
            "type=USER_CMD msg=audit(11/14/23 22:15:35.360:5) : pid=1 uid=root",
        ] {
            assert_eq!(body(other), None, "{other}");
        }
    }
}
