//! Record types the sentences look for, told apart by number.
//!
//! Finding an event's SYSCALL or PATH records by name compares strings for
//! every record; a record whose type the table knows carries its number, and
//! one integer comparison says the same. A type the table lacks is still
//! matched by its name as written, as `Event::record` would.

use crate::event::Event;
use crate::record::Record;

/// A record type: its number in the type table and its canonical name.
#[derive(Clone, Copy)]
pub struct Type {
    number: u32,
    name: &'static str,
}

pub const SYSCALL: Type = Type {
    number: 1300,
    name: "SYSCALL",
};
pub const PATH: Type = Type {
    number: 1302,
    name: "PATH",
};
pub const CWD: Type = Type {
    number: 1307,
    name: "CWD",
};
pub const EXECVE: Type = Type {
    number: 1309,
    name: "EXECVE",
};
pub const PROCTITLE: Type = Type {
    number: 1327,
    name: "PROCTITLE",
};
pub const URINGOP: Type = Type {
    number: 1336,
    name: "URINGOP",
};
pub const AVC: Type = Type {
    number: 1400,
    name: "AVC",
};

impl Type {
    /// True when `rec` is of this type.
    pub fn is(self, rec: &Record) -> bool {
        match rec.info {
            Some(info) => info.number == self.number,
            None => rec.type_name() == self.name,
        }
    }
}

/// The first record of the event of this type, like `Event::record`.
pub fn first(ev: &Event, t: Type) -> Option<&Record> {
    ev.records.iter().find(|r| t.is(r))
}

/// Every record of the event of this type, like `Event::records_of`.
pub fn all(ev: &Event, t: Type) -> impl Iterator<Item = &Record> {
    ev.records.iter().filter(move |r| t.is(r))
}

#[cfg(test)]
mod tests {
    use super::{AVC, CWD, EXECVE, PATH, PROCTITLE, SYSCALL, URINGOP};

    #[test]
    fn numbers_match_the_type_table() {
        for t in [SYSCALL, PATH, CWD, EXECVE, PROCTITLE, URINGOP, AVC] {
            let info = crate::types::by_number(t.number).map(|i| i.name);
            assert_eq!(info, Some(t.name));
        }
    }
}
