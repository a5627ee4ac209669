//! Rendering on several threads without changing a byte of the output.
//!
//! The reading thread parses and assembles; finished events go out in
//! numbered batches to rendering threads, each with its own settings and
//! buffers, and the rendered bytes are written back strictly in batch order.
//! When the renderers' queue is full, the reading thread renders the batch
//! itself instead of waiting: `--threads N` is N threads rendering, this one
//! included. Waiting is what costs on a busy machine: every sleep and wake-up
//! of a thread is a trip through the kernel, and on a virtual machine, often
//! through the host. A bounded number of batches is out at once, in count
//! and in input bytes, so memory stays bounded.
//!
//! A rendered batch comes back with its records, whose line buffers and
//! field lists the reading thread takes for new lines: fresh ones would cost
//! an allocation and a free on another thread's heap for every record.
//! Output buffers come back too, once written, up to a size; a buffer that
//! a huge record grew goes back to the system.

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::Scope;

use crate::app::{Back, Skipped};
use crate::event::Done;
use crate::filter::Selector;
use crate::render::interpreted::Seam;
use crate::render::{self, Settings};

/// Records per batch: large enough to amortise the hand-over, small enough
/// that output starts early and a batch stays in the caches.
const BATCH_RECORDS: usize = 128;
/// Bytes of input lines per batch: long records make batches smaller.
const BATCH_BYTES: usize = 64 << 10;

/// Batches queued for each rendering thread besides the reading one. A
/// thread that finds none waiting sleeps, and waking it costs more than
/// rendering a few records.
const QUEUED_PER_THREAD: usize = 2;
/// Input bytes of the batches out at once. Normal batches stay far below
/// it; batches of megabyte lines then go out one at a time, so memory
/// does not grow with the number of threads.
const MAX_IN_FLIGHT_BYTES: usize = 1 << 20;

/// The capacity of a new output buffer.
const OUTPUT_CAPACITY: usize = 128 << 10;
/// Written output buffers up to this size go back to the renderers, which
/// saves growing a fresh one for every batch. A larger one is freed.
const KEEP_OUTPUT: usize = 1 << 20;

/// Output buffers written and emptied, for the renderers' next batches.
type Spares = Arc<Mutex<Vec<Vec<u8>>>>;
/// A numbered batch for a renderer.
type Job = (u64, Batch);

/// How full a batch of finished items is, in records and in bytes of their
/// lines. Batches go to the rendering threads here; a single-threaded run
/// renders its own by the same measure (`Back::batch`).
#[derive(Default)]
pub(crate) struct Fill {
    records: usize,
    bytes: usize,
}

impl Fill {
    /// Counts one more item in; true once the batch is full.
    pub(crate) fn add(&mut self, done: &Done<Skipped>) -> bool {
        match done {
            Done::Event(ev) => {
                self.records += ev.records.len();
                self.bytes += ev.records.iter().map(|r| r.line.len()).sum::<usize>();
            }
            Done::Note(n) => {
                self.records += 1;
                self.bytes += n.raw.len();
            }
        }
        self.records >= BATCH_RECORDS || self.bytes >= BATCH_BYTES
    }
}

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
pub(crate) struct Pool<'env, W: Write> {
    jobs: Option<SyncSender<Job>>,
    /// The queue's receiving end, which keeps it open with no renderer
    /// besides this thread.
    _queue: Arc<Mutex<Receiver<Job>>>,
    results: Receiver<Rendered>,
    out: W,
    batch: Batch,
    fill: Fill,
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
    /// Written output buffers, back to the renderers.
    spares: Spares,
    /// The reading thread's own renderer, for batches that find every
    /// other one busy.
    here: Renderer<'env>,
    /// Batches out at most: queued, being rendered, or waiting their turn.
    max_in_flight: u64,
}

impl<'env, W: Write> Pool<'env, W> {
    /// Starts `threads - 1` renderers inside `scope`; the reading thread is
    /// the last one.
    pub(crate) fn start<'scope>(
        scope: &'scope Scope<'scope, 'env>,
        threads: usize,
        filter: &'env Selector,
        settings: &'env Settings,
        record_grep: bool,
        out: W,
    ) -> Pool<'env, W> {
        let others = threads.saturating_sub(1).max(1);
        let queue = others * QUEUED_PER_THREAD;
        Pool::with_queue(scope, others, queue, filter, settings, record_grep, out)
    }

    /// Starts `others` renderers, whose queue holds `queue` batches.
    pub(crate) fn with_queue<'scope>(
        scope: &'scope Scope<'scope, 'env>,
        others: usize,
        queue: usize,
        filter: &'env Selector,
        settings: &'env Settings,
        record_grep: bool,
        out: W,
    ) -> Pool<'env, W> {
        let (jobs, job_rx) = mpsc::sync_channel::<Job>(queue);
        let job_rx = Arc::new(Mutex::new(job_rx));
        let (result_tx, results) = mpsc::channel();
        let spares = Spares::default();
        for _ in 0..others {
            let job_rx = Arc::clone(&job_rx);
            let result_tx = result_tx.clone();
            let settings = settings.for_thread();
            let spares = Arc::clone(&spares);
            scope.spawn(move || {
                Renderer::new(filter, settings, record_grep, spares).run(&job_rx, &result_tx);
            });
        }
        let here = Renderer::new(
            filter,
            settings.for_thread(),
            record_grep,
            Arc::clone(&spares),
        );
        Pool {
            jobs: Some(jobs),
            _queue: job_rx,
            results,
            out,
            batch: Vec::new(),
            fill: Fill::default(),
            sent: 0,
            written: 0,
            waiting: BTreeMap::new(),
            last_seam: None,
            out_bytes: VecDeque::new(),
            matched: 0,
            returned: Vec::new(),
            empty: Vec::new(),
            spares,
            here,
            // The queue full, each thread busy with one, and one waiting.
            max_in_flight: (queue + others + 2) as u64,
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
            let full = self.fill.add(&done);
            self.batch.push(done);
            if full {
                self.dispatch()?;
            }
        }
        for mut batch in self.returned.drain(..) {
            batch.drain(..).for_each(&mut recycle);
            self.empty = batch;
        }
        Ok(())
    }

    /// Sends the batch to the renderers, or renders it here when their
    /// queue is full, so that the reading thread works instead of waiting.
    fn dispatch(&mut self) -> io::Result<()> {
        let size = std::mem::take(&mut self.fill).bytes;
        while self.sent > self.written
            && (self.sent - self.written >= self.max_in_flight
                || self.out_bytes.iter().sum::<usize>() + size > MAX_IN_FLIGHT_BYTES)
        {
            self.receive()?;
        }
        self.out_bytes.push_back(size);
        let batch = std::mem::replace(&mut self.batch, std::mem::take(&mut self.empty));
        let jobs = self.jobs.as_ref().ok_or_else(stopped)?;
        let job = (self.sent, batch);
        self.sent += 1;
        match jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(job)) => {
                let rendered = self.here.render(job);
                self.store(rendered)?;
            }
            Err(TrySendError::Disconnected(_)) => return Err(stopped()),
        }
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
        while let Some(Output {
            mut bytes, seam, ..
        }) = self.waiting.remove(&self.written)
        {
            self.write_joined(&bytes, seam)?;
            self.written += 1;
            self.out_bytes.pop_front();
            if bytes.capacity() <= KEEP_OUTPUT {
                bytes.clear();
                if let Ok(mut spares) = self.spares.lock() {
                    // Bounded: no more buffers than batches in flight.
                    if spares.len() < self.max_in_flight as usize {
                        spares.push(bytes);
                    }
                }
            }
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

/// One renderer, with its own settings, buffers and remembered tables.
struct Renderer<'env> {
    back: Back<Vec<u8>>,
    filter: &'env Selector,
    spares: Spares,
}

impl<'env> Renderer<'env> {
    fn new(
        filter: &'env Selector,
        settings: Settings,
        record_grep: bool,
        spares: Spares,
    ) -> Renderer<'env> {
        let output = render::Output::new(Vec::new(), settings);
        Renderer {
            back: Back::new(output, record_grep, filter),
            filter,
            spares,
        }
    }

    /// Takes batches until the reading thread is done.
    fn run(&mut self, jobs: &Mutex<Receiver<Job>>, results: &Sender<Rendered>) {
        loop {
            let job = match jobs.lock() {
                Ok(rx) => rx.recv(),
                Err(_) => return,
            };
            let Ok(job) = job else {
                return;
            };
            if results.send(self.render(job)).is_err() {
                return;
            }
        }
    }

    /// Renders one batch into an output buffer of its own.
    fn render(&mut self, (n, mut batch): Job) -> Rendered {
        let spare = self.spares.lock().ok().and_then(|mut spares| spares.pop());
        self.back.output.out = spare.unwrap_or_else(|| Vec::with_capacity(OUTPUT_CAPACITY));
        self.back.output.begin_batch();
        let rendered = self.back.batch(self.filter, &mut batch);
        let result = rendered
            .and_then(|()| self.back.output.take_rendered())
            .map(|bytes| Output {
                bytes,
                matched: std::mem::take(&mut self.back.matched),
                seam: self.back.output.end_batch(),
            });
        (n, result, batch)
    }
}
