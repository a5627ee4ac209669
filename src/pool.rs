//! Rendering on several threads without changing a byte of the output.
//!
//! The reading thread parses and assembles; finished events go out in
//! numbered batches to rendering threads, each with its own settings and
//! buffers, and the rendered bytes are written back strictly in batch order.
//! At most `MAX_IN_FLIGHT` batches are out at once, so memory stays bounded.
//!
//! A rendered batch comes back with its records, whose line buffers and
//! field lists the reading thread takes for new lines: fresh ones would cost
//! an allocation and a free on another thread's heap for every record.
//! Output buffers are not kept: they are large, and a freed one goes back to
//! the system, which keeps the peak memory down.

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::Scope;

use crate::app::{Back, Skipped};
use crate::event::Done;
use crate::filter::Selector;
use crate::render::interpreted::Seam;
use crate::render::{self, Settings};

/// Records per batch: large enough to amortise the hand-over, small enough
/// that output starts early.
const BATCH_RECORDS: usize = 128;
/// Bytes of input lines per batch: long records make batches smaller.
const BATCH_BYTES: usize = 64 << 10;
/// Batches rendered or being rendered but not yet written.
const MAX_IN_FLIGHT: u64 = 3;
/// Input bytes of the batches out at once. Normal batches stay far below
/// it; batches of megabyte lines then go out one at a time, so memory
/// does not grow with the number of threads.
const MAX_IN_FLIGHT_BYTES: usize = 1 << 20;

/// The capacity of a new output buffer.
const OUTPUT_CAPACITY: usize = 128 << 10;

type Batch = Vec<Done<Skipped>>;
/// A rendered batch: its number, its bytes, how many events matched and where
/// it meets the batch before (`Seam`), and the batch itself, whose buffers go
/// back to the reading thread.
type Rendered = (u64, io::Result<Output>, Batch);

/// What a renderer made of a batch.
struct Output {
    bytes: Vec<u8>,
    matched: u64,
    seam: Option<Seam>,
}

/// The hand-over point between the reading thread and the renderers.
pub(crate) struct Pool<W: Write> {
    jobs: Option<SyncSender<(u64, Batch)>>,
    results: Receiver<Rendered>,
    out: W,
    batch: Batch,
    batch_records: usize,
    batch_bytes: usize,
    sent: u64,
    written: u64,
    waiting: BTreeMap<u64, Output>,
    /// The seam of the last batch written that had one.
    last_seam: Option<Seam>,
    /// Input bytes of each batch sent and not yet written, oldest first.
    out_bytes: VecDeque<usize>,
    matched: u64,
    /// Batches back from the renderers, whose records the reader recycles.
    returned: Vec<Batch>,
    /// An emptied batch to fill next.
    empty: Batch,
}

impl<W: Write> Pool<W> {
    /// Starts `threads` renderers inside `scope`.
    pub(crate) fn start<'scope, 'env>(
        scope: &'scope Scope<'scope, 'env>,
        threads: usize,
        filter: &'env Selector,
        settings: &'env Settings,
        record_grep: bool,
        out: W,
    ) -> Pool<W> {
        let (jobs, job_rx) = mpsc::sync_channel::<(u64, Batch)>(threads);
        let job_rx = Arc::new(Mutex::new(job_rx));
        let (result_tx, results) = mpsc::channel();
        for _ in 0..threads {
            let job_rx = Arc::clone(&job_rx);
            let result_tx = result_tx.clone();
            let settings = settings.for_thread();
            scope.spawn(move || render_batches(&job_rx, &result_tx, filter, settings, record_grep));
        }
        Pool {
            jobs: Some(jobs),
            results,
            out,
            batch: Vec::new(),
            batch_records: 0,
            batch_bytes: 0,
            sent: 0,
            written: 0,
            waiting: BTreeMap::new(),
            last_seam: None,
            out_bytes: VecDeque::new(),
            matched: 0,
            returned: Vec::new(),
            empty: Vec::new(),
        }
    }

    /// Takes finished items, in input order; sends a batch when one is full.
    /// The items of batches rendered meanwhile go to `recycle`.
    pub(crate) fn take(
        &mut self,
        finished: &mut Vec<Done<Skipped>>,
        mut recycle: impl FnMut(Done<Skipped>),
    ) -> io::Result<()> {
        for done in finished.drain(..) {
            match &done {
                Done::Event(ev) => {
                    self.batch_records += ev.records.len();
                    self.batch_bytes += ev.records.iter().map(|r| r.line.len()).sum::<usize>();
                }
                Done::Note(n) => {
                    self.batch_records += 1;
                    self.batch_bytes += n.raw.len();
                }
            }
            self.batch.push(done);
            if self.batch_records >= BATCH_RECORDS || self.batch_bytes >= BATCH_BYTES {
                self.dispatch()?;
            }
        }
        for mut batch in self.returned.drain(..) {
            batch.drain(..).for_each(&mut recycle);
            self.empty = batch;
        }
        Ok(())
    }

    fn dispatch(&mut self) -> io::Result<()> {
        let size = self.batch_bytes;
        while self.sent > self.written
            && (self.sent - self.written >= MAX_IN_FLIGHT
                || self.out_bytes.iter().sum::<usize>() + size > MAX_IN_FLIGHT_BYTES)
        {
            self.receive()?;
        }
        self.out_bytes.push_back(size);
        let batch = std::mem::replace(&mut self.batch, std::mem::take(&mut self.empty));
        self.batch_records = 0;
        self.batch_bytes = 0;
        let jobs = self.jobs.as_ref().ok_or_else(stopped)?;
        jobs.send((self.sent, batch)).map_err(|_| stopped())?;
        self.sent += 1;
        while let Ok(rendered) = self.results.try_recv() {
            self.store(rendered)?;
        }
        Ok(())
    }

    /// Waits for one rendered batch.
    fn receive(&mut self) -> io::Result<()> {
        let rendered = self.results.recv().map_err(|_| stopped())?;
        self.store(rendered)
    }

    /// Keeps a rendered batch and writes every batch whose turn has come.
    fn store(&mut self, (n, result, batch): Rendered) -> io::Result<()> {
        let rendered = result?;
        self.matched += rendered.matched;
        self.waiting.insert(n, rendered);
        // Bounded: at most the batches in flight come back between two takes.
        self.returned.push(batch);
        while let Some(Output { bytes, seam, .. }) = self.waiting.remove(&self.written) {
            self.write_joined(&bytes, seam)?;
            self.written += 1;
            self.out_bytes.pop_front();
        }
        Ok(())
    }

    /// Writes a batch's bytes as one run would have: without its first
    /// `----` when the record before it belongs to the same event.
    fn write_joined(&mut self, bytes: &[u8], seam: Option<Seam>) -> io::Result<()> {
        let Some(seam) = seam else {
            return self.out.write_all(bytes);
        };
        let cut = seam.at..seam.at + Seam::LINE.len();
        if seam.joins(self.last_seam.as_ref()) && bytes.get(cut.clone()) == Some(Seam::LINE) {
            self.out.write_all(&bytes[..cut.start])?;
            self.out.write_all(&bytes[cut.end..])?;
        } else {
            self.out.write_all(bytes)?;
        }
        self.last_seam = Some(seam);
        Ok(())
    }

    /// Sends the last batch, waits for everything, flushes; returns the matches.
    pub(crate) fn finish(mut self) -> io::Result<u64> {
        if !self.batch.is_empty() {
            self.dispatch()?;
        }
        self.jobs = None;
        while self.written < self.sent {
            self.receive()?;
        }
        self.out.flush()?;
        Ok(self.matched)
    }
}

fn stopped() -> io::Error {
    io::Error::other("a rendering thread stopped")
}

/// One renderer: takes batches until the reading thread is done.
fn render_batches(
    jobs: &Mutex<Receiver<(u64, Batch)>>,
    results: &Sender<Rendered>,
    filter: &Selector,
    settings: Settings,
    record_grep: bool,
) {
    let output = || Vec::with_capacity(OUTPUT_CAPACITY);
    let mut back = Back::new(render::Output::new(output(), settings), record_grep, filter);
    loop {
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((n, mut batch)) = job else {
            return;
        };
        back.output.begin_batch();
        let result = batch
            .iter_mut()
            .try_for_each(|done| back.done(filter, done))
            .map(|()| Output {
                bytes: std::mem::replace(&mut back.output.out, output()),
                matched: std::mem::take(&mut back.matched),
                seam: back.output.end_batch(),
            });
        if results.send((n, result, batch)).is_err() {
            return;
        }
    }
}
