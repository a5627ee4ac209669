//! The raw format: original lines, byte for byte, so that a type filter plus
//! `--format raw` works as a record-type grep.

use std::io::{self, Write};

/// Writes one original line and its newline.
pub fn write_line<W: Write>(out: &mut W, line: &[u8]) -> io::Result<()> {
    out.write_all(line)?;
    out.write_all(b"\n")
}
