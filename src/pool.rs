//! Rendering on several threads without changing a byte of the output.
//!
//! The reading thread parses and assembles; finished events go out in
//! numbered batches to rendering threads, each with its own settings and
//! buffers, and the rendered bytes are written back strictly in batch order.
//! At most `MAX_IN_FLIGHT` batches are out at once, so memory stays bounded.

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::Scope;

use crate::app::{Back, Skipped};
use crate::event::Done;
use crate::filter::Selector;
use crate::render::{Output, Settings};

/// Records per batch: large enough to amortise the hand-over, small enough
/// that output starts early.
const BATCH_RECORDS: usize = 256;
/// Bytes of input lines per batch: long records make batches smaller.
const BATCH_BYTES: usize = 128 << 10;
/// Batches rendered or being rendered but not yet written.
const MAX_IN_FLIGHT: u64 = 3;
/// Input bytes of the batches out at once. Normal batches stay far below
/// it; batches of megabyte lines then go out one at a time, so memory
/// does not grow with the number of threads.
const MAX_IN_FLIGHT_BYTES: usize = 1 << 20;

type Batch = Vec<Done<Skipped>>;
/// A rendered batch: its number, its bytes, and how many events matched.
type Rendered = (u64, io::Result<(Vec<u8>, u64)>);

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
    waiting: BTreeMap<u64, Vec<u8>>,
    /// Input bytes of each batch sent and not yet written, oldest first.
    out_bytes: VecDeque<usize>,
    matched: u64,
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
            out_bytes: VecDeque::new(),
            matched: 0,
        }
    }

    /// Takes finished items, in input order; sends a batch when one is full.
    pub(crate) fn take(&mut self, finished: &mut Vec<Done<Skipped>>) -> io::Result<()> {
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
        let batch = std::mem::take(&mut self.batch);
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
    fn store(&mut self, (n, result): Rendered) -> io::Result<()> {
        let (bytes, matched) = result?;
        self.matched += matched;
        self.waiting.insert(n, bytes);
        while let Some(bytes) = self.waiting.remove(&self.written) {
            self.out.write_all(&bytes)?;
            self.written += 1;
            self.out_bytes.pop_front();
        }
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
    let mut back = Back::new(
        Output::new(Vec::with_capacity(256 << 10), settings),
        record_grep,
        filter,
    );
    loop {
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((n, batch)) = job else {
            return;
        };
        let result = batch
            .into_iter()
            .try_for_each(|mut done| back.done(filter, &mut done))
            .map(|()| {
                let bytes = std::mem::replace(&mut back.output.out, Vec::with_capacity(256 << 10));
                (bytes, std::mem::take(&mut back.matched))
            });
        if results.send((n, result)).is_err() {
            return;
        }
    }
}
