//! Events: the records one action wrote, held together. People think in
//! actions (a login, a file opened), the kernel writes records (SYSCALL, CWD,
//! PATH, PROCTITLE); an `Event` is the bridge, and `assemble` builds them from
//! a stream of records in bounded memory.

pub mod assemble;
pub mod grep;

use crate::record::{AuditTime, Field, Origin, Record};

pub use assemble::{Assembler, Done};

/// The records of one action, in the order they were read. `R` is the kind
/// of record: full ones, or the header facts a type grep assembles.
#[derive(Debug)]
pub struct Event<R = Record> {
    /// Never empty.
    pub records: Vec<R>,
}

impl Event {
    /// An event of one record.
    pub fn single(rec: Record) -> Event {
        Event { records: vec![rec] }
    }

    /// The first record (events are never empty).
    pub fn first(&self) -> Option<&Record> {
        self.records.first()
    }

    pub fn time(&self) -> Option<AuditTime> {
        self.records.iter().find_map(|r| r.time)
    }

    pub fn serial(&self) -> Option<u64> {
        self.records.iter().find_map(|r| r.serial)
    }

    pub fn node(&self) -> Option<&[u8]> {
        self.records.iter().find_map(|r| r.node())
    }

    /// The first record of a type, by canonical name.
    pub fn record(&self, type_name: &str) -> Option<&Record> {
        self.records.iter().find(|r| r.type_name() == type_name)
    }

    /// All records of a type, by canonical name.
    pub fn records_of<'a>(&'a self, type_name: &'a str) -> impl Iterator<Item = &'a Record> + 'a {
        self.records
            .iter()
            .filter(move |r| r.type_name() == type_name)
    }

    /// The first value of a field in any record (own and inner fields, as written).
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.records.iter().find_map(|r| r.get(name))
    }

    /// The first value of an enrichment field (`AUID`, `UID`, `SYSCALL`) in any record.
    pub fn enriched(&self, name: &str) -> Option<&[u8]> {
        self.records.iter().find_map(|r| r.enriched(name))
    }

    /// Every (record, field) pair of the event, enrichment included.
    pub fn fields(&self) -> impl Iterator<Item = (&Record, &Field)> {
        self.records
            .iter()
            .flat_map(|r| r.fields.iter().map(move |f| (r, f)))
    }

    /// Every value of fields with one of these names, enrichment excluded.
    pub fn values<'a>(&'a self, names: &'a [&'a str]) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.fields()
            .filter(move |(r, f)| {
                f.origin != Origin::Enriched && names.iter().any(|n| r.name_of(f) == n.as_bytes())
            })
            .map(|(r, f)| r.value_of(f))
    }
}
