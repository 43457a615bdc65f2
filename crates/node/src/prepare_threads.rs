//! How many threads validate a batch of reports.
//!
//! Validation and normalisation are pure CPU work and, besides the database, most of an
//! ingest's time, so a batch is split over the machine's cores. But the bulk paths pipeline:
//! batch N+1 is validated while batch N is written, and the write (one SQLite connection, one
//! thread) is the slower half. Validation on every core then preempts the writer: on 2 cores,
//! three runnable threads left the writer off-CPU a quarter of the time (a 1M-report ingest
//! went from 23,300 to 26,200 reports/s when validation kept to one core while a batch was
//! being written). So while any batch is being written, validation leaves one core to it (to
//! the writer thread here, or to the PostgreSQL backend process when the database runs beside
//! the node).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Below this many items per thread, splitting costs more than it saves.
const MIN_PER_THREAD: usize = 64;

/// Batches being written now, counted by [`BatchWrites::enter`].
#[derive(Debug, Default)]
pub(crate) struct BatchWrites(AtomicUsize);

/// One batch being written; dropping it (however the write ends) ends the count.
#[derive(Debug)]
pub(crate) struct Writing<'a>(&'a AtomicUsize);

impl Drop for Writing<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl BatchWrites {
    pub(crate) fn enter(&self) -> Writing<'_> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Writing(&self.0)
    }

    /// Threads for validating `items` items on a machine with `cores` cores.
    pub(crate) fn threads(&self, items: usize, cores: usize) -> usize {
        let writing = self.0.load(Ordering::Relaxed) > 0;
        let cores = if writing {
            cores.saturating_sub(1)
        } else {
            cores
        };
        cores.min(items / MIN_PER_THREAD).max(1)
    }
}

/// The machine's cores, as far as this process may use them; read once (on Linux the answer
/// comes from the affinity mask and cgroup files, not worth reading per batch).
pub(crate) fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Maps `items` through `f` on `threads` threads, keeping the order.
pub(crate) fn map_parallel<I: Send, O: Send>(
    items: Vec<I>,
    threads: usize,
    f: &(impl Fn(I) -> O + Sync),
) -> Vec<O> {
    if threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    let per = items.len().div_ceil(threads);
    let mut chunks: Vec<Vec<I>> = Vec::with_capacity(threads);
    let mut items = items.into_iter();
    for _ in 0..threads {
        chunks.push(items.by_ref().take(per).collect());
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.into_iter().map(f).collect::<Vec<O>>()))
            .collect();
        // A panic in a worker is a bug in validation; re-raise it on this thread.
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_leaves_the_writer_a_core_only_while_a_batch_is_written() {
        let writes = BatchWrites::default();
        assert_eq!(writes.threads(10_000, 2), 2);
        assert_eq!(writes.threads(10_000, 8), 8);
        {
            let _a = writes.enter();
            assert_eq!(writes.threads(10_000, 2), 1);
            assert_eq!(writes.threads(10_000, 8), 7);
            let _b = writes.enter();
            assert_eq!(writes.threads(10_000, 8), 7);
        }
        assert_eq!(writes.threads(10_000, 2), 2);
        // One core, or a small batch: one thread, never zero.
        assert_eq!(writes.threads(10_000, 1), 1);
        let _a = writes.enter();
        assert_eq!(writes.threads(10_000, 1), 1);
        assert_eq!(writes.threads(100, 8), 1);
        assert_eq!(writes.threads(0, 8), 1);
        assert_eq!(writes.threads(10_000, 0), 1);
    }

    fn failing_write(writes: &BatchWrites) -> Result<(), &'static str> {
        let _writing = writes.enter();
        Err("disk full")
    }

    #[test]
    fn a_write_that_fails_or_panics_still_ends_its_count() {
        let writes = BatchWrites::default();
        assert!(failing_write(&writes).is_err());
        assert_eq!(writes.threads(10_000, 4), 4);
        let panicked = std::panic::catch_unwind(|| {
            let _writing = writes.enter();
            panic!("a bug in the writer");
        });
        assert!(panicked.is_err());
        assert_eq!(writes.threads(10_000, 4), 4);
    }

    #[test]
    fn map_parallel_keeps_the_order_on_any_thread_count() {
        let items: Vec<u32> = (0..1000).collect();
        for threads in [1, 2, 3, 7] {
            let out = map_parallel(items.clone(), threads, &|x| x * 2);
            assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        }
        assert!(map_parallel(Vec::<u32>::new(), 4, &|x| x).is_empty());
    }
}
