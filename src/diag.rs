//! Diagnostics on stderr: lines that held no record, unreadable files, and the
//! closing count. The first few problems are shown in full, the rest counted,
//! so a noisy file cannot flood the terminal.

use std::io::Write;

use crate::sanitize;

/// How many unparsed lines are reported one by one.
const SHOWN: u64 = 10;

#[derive(Default)]
pub struct Diagnostics {
    pub unparsed: u64,
    pub errors: u64,
}

impl Diagnostics {
    /// Reports a line that held no record: `file:line: reason`.
    pub fn unparsed(&mut self, file: &str, line: u64, reason: &str) {
        self.unparsed += 1;
        if self.unparsed <= SHOWN {
            let file = sanitize::escaped(file.as_bytes());
            let _ = writeln!(std::io::stderr(), "auexplain: {file}:{line}: {reason}");
        }
    }

    /// Reports an error that stops one input, not the run.
    pub fn error(&mut self, msg: &str) {
        self.errors += 1;
        let _ = writeln!(std::io::stderr(), "auexplain: {msg}");
    }

    /// The closing summary, when something was reported.
    pub fn finish(&self) {
        if self.unparsed > SHOWN {
            let _ = writeln!(
                std::io::stderr(),
                "auexplain: {} lines held no audit record ({} shown above)",
                self.unparsed,
                SHOWN
            );
        } else if self.unparsed > 1 {
            let _ = writeln!(
                std::io::stderr(),
                "auexplain: {} lines held no audit record",
                self.unparsed
            );
        }
    }
}
