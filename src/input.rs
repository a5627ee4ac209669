//! Streaming line reader: hands out lines as slices of one reusable buffer, so
//! memory stays flat whatever the file size, and caps line length so a hostile
//! megabyte-long line costs a bounded amount of memory.

use std::io::{self, Read};

/// Longest line kept; longer ones are reported and skipped.
pub const MAX_LINE: usize = 4 << 20;
const CHUNK: usize = 256 << 10;

/// What the reader found.
pub enum Line<'a> {
    /// One line, without its `\n`.
    Text(&'a [u8]),
    /// A line longer than `MAX_LINE`, skipped; its length in bytes.
    TooLong(u64),
}

pub struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    filled: usize,
    eof: bool,
    /// Number of the line most recently returned (1-based).
    pub line_no: u64,
}

impl<R: Read> LineReader<R> {
    pub fn new(inner: R) -> LineReader<R> {
        LineReader {
            inner,
            buf: vec![0; CHUNK],
            pos: 0,
            filled: 0,
            eof: false,
            line_no: 0,
        }
    }

    /// Reads more input after the unread part; false at end of input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.pos = 0;
        }
        if self.filled == self.buf.len() {
            let grown = (self.buf.len() * 2).min(MAX_LINE + CHUNK);
            self.buf.resize(grown, 0);
        }
        loop {
            match self.inner.read(&mut self.buf[self.filled..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.filled += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The next line and its number (1-based), or None at end of input.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, Line<'_>)>> {
        let mut searched = 0;
        loop {
            let window = &self.buf[self.pos + searched..self.filled];
            if let Some(nl) = memchr::memchr(b'\n', window) {
                let start = self.pos;
                let end = self.pos + searched + nl;
                self.pos = end + 1;
                self.line_no += 1;
                if end - start > MAX_LINE {
                    return Ok(Some((self.line_no, Line::TooLong((end - start) as u64))));
                }
                return Ok(Some((self.line_no, Line::Text(&self.buf[start..end]))));
            }
            searched = self.filled - self.pos;
            if searched > MAX_LINE {
                let len = self.skip_long_line(searched as u64)?;
                return Ok(Some((self.line_no, Line::TooLong(len))));
            }
            if self.eof || !self.fill()? {
                if self.pos < self.filled {
                    let start = self.pos;
                    self.pos = self.filled;
                    self.line_no += 1;
                    return Ok(Some((
                        self.line_no,
                        Line::Text(&self.buf[start..self.filled]),
                    )));
                }
                return Ok(None);
            }
        }
    }

    /// Discards the rest of an over-long line.
    fn skip_long_line(&mut self, mut len: u64) -> io::Result<u64> {
        self.pos = self.filled;
        loop {
            if !self.fill()? {
                break;
            }
            let window = &self.buf[self.pos..self.filled];
            if let Some(nl) = memchr::memchr(b'\n', window) {
                len += nl as u64;
                self.pos += nl + 1;
                break;
            }
            len += window.len() as u64;
            self.pos = self.filled;
        }
        self.line_no += 1;
        Ok(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(data: &[u8]) -> Vec<Result<Vec<u8>, u64>> {
        let mut r = LineReader::new(data);
        let mut v = Vec::new();
        while let Some((_, l)) = r.next_line().expect("read") {
            v.push(match l {
                Line::Text(t) => Ok(t.to_vec()),
                Line::TooLong(n) => Err(n),
            });
        }
        v
    }

    #[test]
    fn splits_on_newline_only() {
        let got = lines(b"a\r\nb\x1dc\n\nlast");
        assert_eq!(
            got,
            vec![
                Ok(b"a\r".to_vec()),
                Ok(b"b\x1dc".to_vec()),
                Ok(vec![]),
                Ok(b"last".to_vec())
            ]
        );
    }

    #[test]
    fn long_lines_are_skipped_with_bounded_memory() {
        let mut data = vec![b'x'; MAX_LINE + 10];
        data.extend_from_slice(b"\nok\n");
        let got = lines(&data);
        assert_eq!(got, vec![Err((MAX_LINE + 10) as u64), Ok(b"ok".to_vec())]);
    }

    #[test]
    fn lines_across_chunk_boundaries() {
        let line = vec![b'y'; CHUNK - 3];
        let mut data = Vec::new();
        for _ in 0..5 {
            data.extend_from_slice(&line);
            data.push(b'\n');
        }
        let got = lines(&data);
        assert_eq!(got.len(), 5);
        assert!(
            got.iter()
                .all(|l| l.as_ref().map(|v| v.len()) == Ok(CHUNK - 3))
        );
    }
}
