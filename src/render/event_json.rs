//! `--events` JSON: one `"kind": "event"` object per event, with the summary
//! as a sentence and as parts, the flags, and the event's record objects
//! exactly as the record contract writes them. Fields are only ever added.

use std::cell::RefCell;
use std::rc::Rc;

use crate::event::Event;
use crate::outcome::Outcome;
use crate::render::jsonstr::{push_serial, push_str};
use crate::render::{json, memo};
use crate::summary::{self, Summary};
use crate::timefmt;

fn push_opt_str(out: &mut Vec<u8>, v: Option<&str>) {
    match v {
        Some(s) => push_str(out, s.as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
}

/// A shared string and its JSON form.
type LastJson = Option<(Rc<str>, Vec<u8>)>;

/// Longer JSON forms are not kept, so the memo stays small.
const MAX_KEPT_JSON: usize = 4096;

thread_local! {
    /// The last subject and program written: events in a row share them
    /// (the very same strings), so their escaping is done once.
    static LAST_SHARED: RefCell<[LastJson; 2]> = const { RefCell::new([None, None]) };
    /// The summary members of events of one record (`event_alone`).
    static SUMMARIES: RefCell<memo::Memo<Vec<u8>>> = RefCell::new(memo::Memo::default());
}

/// `push_opt_str` for a shared part of the summary; `slot` picks its memo.
fn push_shared(out: &mut Vec<u8>, v: Option<&Rc<str>>, slot: usize) {
    let Some(v) = v else {
        out.extend_from_slice(b"null");
        return;
    };
    LAST_SHARED.with_borrow_mut(|last| {
        let Some(last) = last.get_mut(slot) else {
            return push_str(out, v.as_bytes());
        };
        if let Some((kept, json)) = last.as_ref()
            && Rc::ptr_eq(kept, v)
        {
            return out.extend_from_slice(json);
        }
        let start = out.len();
        push_str(out, v.as_bytes());
        let json = out.get(start..).unwrap_or_default();
        *last = (json.len() <= MAX_KEPT_JSON).then(|| (Rc::clone(v), json.to_vec()));
    });
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
        Some(n) => push_serial(out, n),
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
    push_shared(out, sum.subject.as_ref(), 0);
    out.extend_from_slice(b",\"action\":");
    push_str(out, sum.action.as_bytes());
    out.extend_from_slice(b",\"object\":");
    push_opt_str(out, sum.object());
    out.extend_from_slice(b",\"how\":");
    push_shared(out, sum.how.as_ref(), 1);
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
    push_records(out, ev, with_records);
}

/// `event` for an event of one record whose body decides its summary
/// (`memo::alone`), with the summary's members remembered: the summary is
/// only worked out when they are not kept. Returns false, having written
/// nothing, for other events.
pub fn event_alone(out: &mut Vec<u8>, ev: &Event, with_records: bool) -> bool {
    let Some((rec, body)) = memo::alone(ev) else {
        return false;
    };
    out.extend_from_slice(b"{\"kind\":\"event\",");
    push_id(out, ev);
    SUMMARIES.with_borrow_mut(|table| {
        // The summary reads no settings: one variant.
        table.write(
            memo::Part::EventSummary,
            memo::tag(1, rec),
            body,
            out,
            |out| {
                push_summary(out, &summary::summarize(ev));
            },
        );
    });
    push_records(out, ev, with_records);
    true
}

/// `,"records":[...]}` when asked for, and the event's closing brace.
fn push_records(out: &mut Vec<u8>, ev: &Event, with_records: bool) {
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

#[cfg(test)]
mod tests {
    use super::{Event, event, event_alone, push_shared, summary};
    use crate::parse::first_record;
    use crate::render::memo;
    use std::rc::Rc;

    const DBUS: &str = "type=USER_AVC msg=audit(1700000135.360:1013536): user pid=6659 uid=81 auid=500 subj=staff_u:staff_r:staff_dbusd_t:s0 msg='avc:  denied  { send_msg } for msgtype=signal interface=org.freedesktop.NetworkManager member=DeviceActivationStage dest=org.freedesktop.DBus spid=6687 tpid=3866 scontext=staff_u:staff_r:staff_t:s0 tcontext=staff_u:staff_r:staff_t:s0 tclass=dbus : exe=\"/bin/dbus-daemon\" (sauid=81, hostname=?, addr=?, terminal=?)'";

    #[test]
    fn a_remembered_event_reads_as_a_fresh_one() {
        let later = DBUS.replace("135.360:1013536", "136.000:7");
        // Kept the second time it misses; then hits, the last with another header.
        for line in [DBUS, DBUS, DBUS, later.as_str()] {
            let ev = Event::single(first_record(line));
            for with_records in [false, true] {
                let mut fresh = Vec::new();
                event(&mut fresh, &ev, &summary::summarize(&ev), with_records);
                let mut kept = Vec::new();
                assert!(event_alone(&mut kept, &ev, with_records));
                assert_eq!(
                    String::from_utf8_lossy(&kept),
                    String::from_utf8_lossy(&fresh)
                );
            }
        }
        let rec = first_record(DBUS);
        let body = memo::whole_body(&rec).expect("a body alone");
        let tag = memo::tag(1, &rec);
        let hit =
            super::SUMMARIES.with_borrow(|t| t.probe(memo::Part::EventSummary, tag, body).hit);
        assert!(hit, "the summary was kept");
    }

    fn json(v: Option<&Rc<str>>) -> String {
        let mut out = Vec::new();
        push_shared(&mut out, v, 1);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn shared_parts_escape_as_themselves() {
        let quoted: Rc<str> = Rc::from("/bin/x (\"x -k\")");
        assert_eq!(json(Some(&quoted)), r#""/bin/x (\"x -k\")""#);
        assert_eq!(json(Some(&quoted)), r#""/bin/x (\"x -k\")""#);
        // Another string right after: not the remembered form.
        assert_eq!(json(Some(&Rc::from("/bin/y"))), r#""/bin/y""#);
        assert_eq!(json(None), "null");
        assert_eq!(json(Some(&quoted)), r#""/bin/x (\"x -k\")""#);
    }
}
