//! Event assembly over the real corpus: on every plain auditd file, one event
//! per distinct (node, msg id), and every record in exactly one event.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use auexplain::record::Record;

/// (node, seconds, milliseconds, serial): what `msg=audit(...)` and `node=` say.
type Id = (Option<Vec<u8>>, i64, u16, u64);

fn id(r: &Record) -> Id {
    let t = r.time.expect("plain records have a time");
    (
        r.node().map(<[u8]>::to_vec),
        t.secs,
        t.millis,
        r.serial.expect("plain records have a serial"),
    )
}

/// Where a record came from: its line and its place on the line.
fn place(r: &Record) -> (u64, u16) {
    (r.source.line, r.part.0)
}

#[test]
fn one_event_per_msg_id_and_every_record_once() {
    if common::shared().is_none() {
        return;
    }
    let files = common::plain_files();
    assert!(
        files.len() > 100,
        "expected the shared corpus at {} (found {} plain files)",
        common::corpus().display(),
        files.len()
    );
    let mut total_records = 0;
    let mut total_events = 0;
    let file_count = files.len();
    for (path, recs) in files {
        let name = common::short(&path);
        let ids: BTreeSet<Id> = recs.iter().map(id).collect();
        let places: Vec<(u64, u16)> = recs.iter().map(place).collect();
        let n = recs.len();
        let events = common::events(recs);
        assert_eq!(
            events.len(),
            ids.len(),
            "{name}: events vs distinct msg ids"
        );
        let mut seen: BTreeMap<(u64, u16), usize> = BTreeMap::new();
        for ev in &events {
            let first = id(&ev.records[0]);
            for r in &ev.records {
                assert_eq!(id(r), first, "{name}: an event mixes msg ids");
                *seen.entry(place(r)).or_default() += 1;
            }
        }
        assert_eq!(
            seen.values().sum::<usize>(),
            n,
            "{name}: records lost or doubled"
        );
        for p in &places {
            assert_eq!(
                seen.get(p),
                Some(&1),
                "{name}: record at {p:?} not in exactly one event"
            );
        }
        total_records += n;
        total_events += events.len();
    }
    println!("{file_count} plain files: {total_records} records in {total_events} events");
}
