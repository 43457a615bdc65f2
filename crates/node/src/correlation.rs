//! The node's derived indexes: the in-memory identifier index (`warroom-correlate`) and the
//! full-text index (`warroom-search`), both rebuilt from the store's change log at start and
//! kept current from it afterwards.
//!
//! One follower thread per node owns the rebuild and the catching up. Writes made through this
//! node catch the identifier index up before they return, so a caller reads its own writes in
//! lookups and hits; writes of other processes on the same database arrive through the store's
//! change feed (PostgreSQL) or by polling the change log every [`POLL`] (SQLite, where the only
//! other writers are short shell commands). Full-text search catches up before each query, so
//! it also reads its own writes, and in the background otherwise.
//!
//! Readers never wait on the writer: the identifier index publishes snapshots
//! (`IndexReader`), and tantivy serves searches from committed segments.

use crate::{Node, Result};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};
use warroom_correlate::{IndexReader, IndexWriter, NewHit};
use warroom_search::SearchIndex;
use warroom_store::{Change, ChangedReport, ReportRecord, Store};

/// How often the follower looks for changes nobody announced (other processes on SQLite, the
/// warninglist edited from the shell).
const POLL: Duration = Duration::from_secs(1);
/// Changes read from the store per step of a rebuild or catch-up.
const PAGE: usize = 2_000;
/// Full-text deletes a catch-up may queue before it commits (see `catch_up_search`).
const MAX_PENDING_DELETES: usize = 100_000;
/// How often, and how long apart, the follower looks again for a writer another catch-up holds.
const FOLLOWER_TRIES: u32 = 20;
const FOLLOWER_BACKOFF: Duration = Duration::from_millis(5);
/// Live hit notices kept for slow stream readers before they are told they lagged.
const STREAM_BUFFER: usize = 4_096;

/// How one live catch-up of the identifier index spent its time (see
/// [`Node::index_timings`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CatchUpTiming {
    /// From the call to its return.
    pub total: Duration,
    /// Waiting for the index writer (held by the follower thread catching up on the same
    /// change, or by another write's catch-up).
    pub wait: Duration,
    /// Reading the changes from the store.
    pub read: Duration,
    /// Applying them to the writer's copy.
    pub apply: Duration,
    /// Publishing the new snapshot and computing the hits the changes created.
    pub publish: Duration,
}

/// Where the derived indexes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexState {
    /// Not started: this node (a shell command) serves lookups from the store alone.
    Off,
    /// Rebuilding from the store; lookups are served from the store meanwhile.
    Building,
    Ready,
}

/// Progress of the rebuild and size of the identifier index, for `GET /api/v1/index`.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexStatus {
    pub state: IndexState,
    /// Changes applied so far / to apply in the rebuild (both 0 before it starts).
    pub applied: u64,
    pub total: u64,
    /// The change-log position the identifier index has reached.
    pub rev: u64,
    pub reports: u64,
    pub entities: u64,
    pub sightings: u64,
    pub search_documents: u64,
    /// Segments the full-text index's searches read (few after a rebuild: it commits once
    /// and waits for its merges).
    pub search_segments: u64,
    /// The identifier index's estimate of its own heap use.
    pub index_bytes: u64,
    /// How long the rebuild took: identifier index, then full-text index (seconds).
    pub index_seconds: Option<f64>,
    pub search_seconds: Option<f64>,
}

/// Options for [`Node::start_correlation`].
#[derive(Clone, Debug, Default)]
pub struct CorrelationOptions {
    /// Where tantivy keeps the full-text index (rebuilt at each start); in memory when `None`.
    pub search_dir: Option<PathBuf>,
    /// Build no full-text index (search answers "unavailable"): for measuring the identifier
    /// index alone.
    pub without_full_text: bool,
}

pub(crate) struct Correlation {
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
    search: Mutex<Option<SearchState>>,
    state: AtomicU8,
    applied: AtomicU64,
    /// The change-log position the identifier index has published, readable without its
    /// writer's lock.
    published_rev: AtomicU64,
    total: AtomicU64,
    hits: tokio::sync::broadcast::Sender<Arc<Vec<NewHit>>>,
    /// New report versions as the index takes them in (any process's), without their bodies,
    /// for the live report feed; each subscriber's reads pass the policy.
    reports: tokio::sync::broadcast::Sender<crate::report_feed::ReportNotices>,
    wake: (Mutex<Wake>, Condvar),
    /// How long the last live catch-ups took (the hit computation of incoming reports), phase
    /// by phase, for `warroom bench correlate`; the newest [`TIMINGS`].
    timings: Mutex<std::collections::VecDeque<CatchUpTiming>>,
    /// Seconds the rebuild took: identifier index, then full-text index.
    built: Mutex<(Option<f64>, Option<f64>)>,
    /// Set by [`Node::close`]: the follower ends at its next step, a rebuild at its next page.
    stopping: AtomicBool,
    follower: Mutex<Option<std::thread::JoinHandle<()>>>,
}

/// Catch-up durations kept.
const TIMINGS: usize = 100_000;

struct SearchState {
    index: SearchIndex,
    rev: u64,
}

#[derive(Default)]
struct Wake {
    reports: bool,
    correlation: bool,
    accounts: bool,
}

impl std::fmt::Debug for Correlation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Correlation")
            .field("state", &self.state())
            .finish()
    }
}

impl Correlation {
    pub(crate) fn new() -> Self {
        let (writer, reader) = warroom_correlate::index(warroom_correlate::Config::default());
        Self {
            writer: Mutex::new(writer),
            reader,
            search: Mutex::new(None),
            state: AtomicU8::new(IndexState::Off as u8),
            applied: AtomicU64::new(0),
            published_rev: AtomicU64::new(0),
            total: AtomicU64::new(0),
            hits: tokio::sync::broadcast::channel(STREAM_BUFFER).0,
            reports: tokio::sync::broadcast::channel(STREAM_BUFFER).0,
            wake: (Mutex::new(Wake::default()), Condvar::new()),
            timings: Mutex::new(std::collections::VecDeque::new()),
            built: Mutex::new((None, None)),
            stopping: AtomicBool::new(false),
            follower: Mutex::new(None),
        }
    }

    pub(crate) fn state(&self) -> IndexState {
        match self.state.load(Ordering::Acquire) {
            1 => IndexState::Building,
            2 => IndexState::Ready,
            _ => IndexState::Off,
        }
    }

    pub(crate) fn reader(&self) -> Option<&IndexReader> {
        (self.state() == IndexState::Ready).then_some(&self.reader)
    }

    pub(crate) fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Arc<Vec<NewHit>>> {
        self.hits.subscribe()
    }

    pub(crate) fn subscribe_reports(
        &self,
    ) -> tokio::sync::broadcast::Receiver<crate::report_feed::ReportNotices> {
        self.reports.subscribe()
    }

    /// Asks the follower to end and waits for it (not from the follower itself).
    fn stop(&self) {
        self.stopping.store(true, Ordering::Release);
        {
            let (lock, cvar) = &self.wake;
            let _guard = lock.lock().unwrap_or_else(|e| e.into_inner());
            cvar.notify_all();
        }
        let thread = self
            .follower
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(thread) = thread
            && thread.thread().id() != std::thread::current().id()
            && thread.join().is_err()
        {
            tracing::error!("the index follower panicked");
        }
    }

    /// Called by the store's change feed (any process's commit).
    pub(crate) fn notify(&self, change: Change) {
        let (lock, cvar) = &self.wake;
        let mut w = lock.lock().unwrap_or_else(|e| e.into_inner());
        match change {
            Change::Reports => w.reports = true,
            Change::Correlation => w.correlation = true,
            Change::Accounts => w.accounts = true,
        }
        cvar.notify_one();
    }

    /// Applies every change after the index's rev; `live` broadcasts the hits they create.
    fn catch_up(&self, store: &dyn Store, live: bool) -> Result<()> {
        self.catch_up_timed(store, live, &mut CatchUpTiming::default())
    }

    /// [`Self::catch_up`], adding the time of each phase to `timing`.
    fn catch_up_timed(
        &self,
        store: &dyn Store,
        live: bool,
        timing: &mut CatchUpTiming,
    ) -> Result<()> {
        let t = Instant::now();
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        timing.wait += t.elapsed();
        self.catch_up_locked(&mut writer, store, live, timing)
    }

    fn catch_up_locked(
        &self,
        writer: &mut IndexWriter,
        store: &dyn Store,
        live: bool,
        timing: &mut CatchUpTiming,
    ) -> Result<()> {
        let mut logged = Instant::now();
        loop {
            if !live && self.stopping.load(Ordering::Acquire) {
                // A rebuild left half done; the follower ends without publishing it.
                return Ok(());
            }
            // The identifier index needs every fact of a report but its document.
            let t = Instant::now();
            let page = store.report_changes_without_bodies(writer.rev(), PAGE)?;
            timing.read += t.elapsed();
            let t = Instant::now();
            for change in &page {
                writer.apply(change);
            }
            timing.apply += t.elapsed();
            if live && self.reports.receiver_count() > 0 {
                let fresh: Vec<ReportRecord> = page
                    .iter()
                    .filter(|c| c.report.retracted_at.is_none())
                    .map(|c| ReportRecord {
                        body: String::new(),
                        ..c.report.clone()
                    })
                    .collect();
                if !fresh.is_empty() {
                    let _ = self
                        .reports
                        .send(crate::report_feed::ReportNotices(Arc::new(fresh)));
                }
            }
            let applied = self.applied.fetch_add(page.len() as u64, Ordering::Relaxed);
            if !live && logged.elapsed() >= Duration::from_secs(5) {
                logged = Instant::now();
                tracing::info!(
                    applied = applied + page.len() as u64,
                    total = self.total.load(Ordering::Relaxed),
                    "rebuilding the identifier index"
                );
            }
            let done = page.len() < PAGE;
            if live || done {
                let t = Instant::now();
                let new = writer.publish();
                timing.publish += t.elapsed();
                self.published_rev.store(writer.rev(), Ordering::Release);
                if live && !new.is_empty() {
                    // No receiver is not an error: nobody is watching the stream.
                    let _ = self.hits.send(Arc::new(new));
                }
            }
            if done {
                return Ok(());
            }
        }
    }

    /// The follower's catch-up: only when the change log has moved past what the index
    /// published. A write through this node has usually been taken in by its own
    /// [`Node::after_report_write`] already; locking the writer to find nothing would make the
    /// next write's catch-up wait.
    ///
    /// Nor does it queue behind a catch-up in progress (the store's change feed wakes it for
    /// the very commit that write's catch-up is taking in): it looks again shortly, and stops
    /// once the index has published the store's position.
    fn catch_up_if_behind(&self, store: &dyn Store) -> Result<()> {
        for _ in 0..FOLLOWER_TRIES {
            if store.report_rev()? <= self.published_rev.load(Ordering::Acquire) {
                return Ok(());
            }
            let mut writer = match self.writer.try_lock() {
                Ok(writer) => writer,
                Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner(),
                Err(std::sync::TryLockError::WouldBlock) => {
                    std::thread::sleep(FOLLOWER_BACKOFF);
                    continue;
                }
            };
            return self.catch_up_locked(&mut writer, store, true, &mut CatchUpTiming::default());
        }
        // Still behind and still contended: wait in line after all.
        self.catch_up(store, true)
    }

    fn reload_agencies(&self, store: &dyn Store) -> Result<()> {
        let agencies: Vec<_> = store
            .agencies()?
            .into_iter()
            .map(|a| (a.id, a.country))
            .collect();
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        if writer.set_agencies(&agencies) {
            // Published now, not with the next report change (the follower may find none).
            writer.publish();
        }
        Ok(())
    }

    fn reload_noise(&self, store: &dyn Store) -> Result<()> {
        let warnings = store.warninglist()?;
        let marks = store.marks()?;
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let warnings_changed = writer.set_warninglist(&warnings);
        if writer.set_marks(&marks) || warnings_changed {
            writer.publish();
        }
        Ok(())
    }

    /// Brings full-text search up to the store's change log. Searches call this first, so a
    /// caller finds what it just wrote. Every page of one call is committed at once. With
    /// `settle` (the follower thread), a call that read more than one page (the rebuild at
    /// start, a long catch-up) then waits for the segment merges it started, so that they are
    /// not left running beside requests; a search request does not wait for them.
    pub(crate) fn catch_up_search(&self, store: &dyn Store, settle: bool) -> Result<()> {
        let mut guard = self.search.lock().unwrap_or_else(|e| e.into_inner());
        let Some(search) = guard.as_mut() else {
            return Ok(());
        };
        // The identifier index is caught up inside every write of this process and follows
        // the others; while search has reached its rev there is nothing to read.
        if self.state() == IndexState::Ready && search.rev >= self.reader.rev() {
            return Ok(());
        }
        let corrupt = |e: warroom_search::SearchError| {
            crate::NodeError::Corrupt(format!("full-text index: {e}"))
        };
        let mut rev = search.rev;
        let mut pages = 0usize;
        let staged = loop {
            if self.stopping.load(Ordering::Acquire) {
                // The node is closing: leave the rest to the next start's rebuild.
                break Ok(false);
            }
            let page: Vec<ChangedReport> = match store.report_changes(rev, PAGE) {
                Ok(page) => page,
                Err(e) => break Err(e.into()),
            };
            let Some(last) = page.last() else {
                break Ok(true);
            };
            let last = last.rev;
            if let Err(e) = search.index.stage(&page) {
                break Err(corrupt(e));
            }
            rev = last;
            pages += 1;
            // A long catch-up into an index that holds documents queues a delete per change:
            // commit before they take more than ~130 MB.
            match search.index.pending_deletes() {
                Ok(n) if n >= MAX_PENDING_DELETES => {
                    if let Err(e) = search.index.commit() {
                        break Err(corrupt(e));
                    }
                    search.rev = rev;
                }
                Ok(_) => {}
                Err(e) => break Err(corrupt(e)),
            }
            if page.len() < PAGE {
                break Ok(true);
            }
        };
        match staged {
            Ok(true) if pages > 0 => {
                search.index.commit().map_err(corrupt)?;
                search.rev = rev;
                if settle && pages > 1 {
                    search.index.wait_for_merges().map_err(corrupt)?;
                }
                Ok(())
            }
            Ok(_) if pages == 0 => Ok(()),
            Ok(_) => {
                search.index.discard().map_err(corrupt)?;
                Ok(())
            }
            Err(e) => {
                // Nothing of this call is kept; the next one reads the same pages again.
                let _ = search.index.discard();
                Err(e)
            }
        }
    }

    pub(crate) fn search_index(&self) -> Option<SearchIndex> {
        self.search
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|s| s.index.clone())
    }

    pub(crate) fn status(&self) -> IndexStatus {
        let stats = self.reader.stats();
        let search = self.search_index();
        let search_documents = search.as_ref().map_or(0, SearchIndex::doc_count);
        let search_segments = search.as_ref().map_or(0, |s| s.segment_count() as u64);
        let (index_seconds, search_seconds) = *self.built.lock().unwrap_or_else(|e| e.into_inner());
        IndexStatus {
            index_bytes: stats.heap_bytes,
            index_seconds,
            search_seconds,
            state: self.state(),
            applied: self.applied.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
            rev: self.reader.rev(),
            reports: stats.reports,
            entities: stats.entities,
            sightings: stats.sightings,
            search_documents,
            search_segments,
        }
    }
}

impl Node {
    /// Rebuilds the identifier and full-text indexes from the store on a thread of their own,
    /// then keeps them current. Until the rebuild is done, lookups are served from the store
    /// and hits and search answer "index building" ([`Node::index_status`] shows progress).
    /// Calling it twice does nothing the second time.
    pub fn start_correlation(&self, options: CorrelationOptions) -> Result<()> {
        let c = &self.inner.correlation;
        if c.state
            .compare_exchange(
                IndexState::Off as u8,
                IndexState::Building as u8,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_err()
        {
            return Ok(());
        }
        if !options.without_full_text {
            let search = match &options.search_dir {
                Some(dir) => SearchIndex::in_dir(dir),
                None => SearchIndex::in_ram(),
            }
            .map_err(|e| {
                c.state.store(IndexState::Off as u8, Ordering::Release);
                crate::NodeError::Corrupt(format!("full-text index: {e}"))
            })?;
            *c.search.lock().unwrap_or_else(|e| e.into_inner()) = Some(SearchState {
                index: search,
                rev: 0,
            });
        }
        let node = self.clone();
        let thread = std::thread::Builder::new()
            .name("correlation".into())
            .spawn(move || node.follow())
            .map_err(|e| {
                c.state.store(IndexState::Off as u8, Ordering::Release);
                crate::NodeError::Corrupt(format!("cannot start the indexer: {e}"))
            })?;
        *c.follower.lock().unwrap_or_else(|e| e.into_inner()) = Some(thread);
        Ok(())
    }

    /// Rebuilds the indexes and blocks until they are ready (tests, `warroom bench`).
    pub fn start_correlation_and_wait(&self, options: CorrelationOptions) -> Result<()> {
        self.start_correlation(options)?;
        while self.inner.correlation.state() != IndexState::Ready {
            std::thread::sleep(Duration::from_millis(5));
        }
        Ok(())
    }

    /// Whether lookups, hits and search are answered from the indexes (in memory, without
    /// touching the store): a caller on an async runtime may then call them inline.
    pub fn index_ready(&self) -> bool {
        self.inner.correlation.state() == IndexState::Ready
    }

    pub fn index_status(&self) -> IndexStatus {
        self.inner.correlation.status()
    }

    /// How long each of the last live catch-ups of the identifier index took (each is the hit
    /// computation of the reports one write brought), oldest first.
    pub fn index_timings(&self) -> Vec<CatchUpTiming> {
        let t = self
            .inner
            .correlation
            .timings
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        t.iter().copied().collect()
    }

    /// After a write through this node: the identifier index takes it in before the write
    /// returns, and the full-text indexer is woken.
    pub(crate) fn after_report_write(&self) {
        let c = &self.inner.correlation;
        if c.state() != IndexState::Ready {
            // The follower takes it in as soon as the rebuild is done.
            c.notify(Change::Reports);
            return;
        }
        let started = Instant::now();
        let mut timing = CatchUpTiming::default();
        if let Err(e) = c.catch_up_timed(self.store_ref(), true, &mut timing) {
            tracing::warn!(error = %e, "identifier index could not catch up; the follower retries");
        }
        timing.total = started.elapsed();
        metrics::histogram!("warroom_index_catch_up_seconds").record(timing.total.as_secs_f64());
        let mut timings = c.timings.lock().unwrap_or_else(|e| e.into_inner());
        if timings.len() == TIMINGS {
            timings.pop_front();
        }
        timings.push_back(timing);
        c.notify(Change::Reports);
    }

    /// The follower thread: rebuild, then wait for changes (or a poll tick) and catch up.
    fn follow(self) {
        let c = &self.inner.correlation;
        let store = self.store_ref();
        let started = Instant::now();
        loop {
            let rebuilt = (|| -> Result<()> {
                c.total.store(store.report_count()?, Ordering::Relaxed);
                c.reload_agencies(store)?;
                c.reload_noise(store)?;
                let t = Instant::now();
                // A rebuild's hits are history, not news: make no notices for them.
                c.writer
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .set_quiet(true);
                let rebuilt = c.catch_up(store, false);
                c.writer
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .set_quiet(false);
                rebuilt?;
                let index = t.elapsed().as_secs_f64();
                let t = Instant::now();
                c.catch_up_search(store, true)?;
                *c.built.lock().unwrap_or_else(|e| e.into_inner()) =
                    (Some(index), Some(t.elapsed().as_secs_f64()));
                Ok(())
            })();
            if c.stopping.load(Ordering::Acquire) {
                return;
            }
            match rebuilt {
                Ok(()) => break,
                Err(e) => {
                    tracing::error!(error = %e, "index rebuild failed; retrying");
                    std::thread::sleep(POLL);
                }
            }
        }
        c.state.store(IndexState::Ready as u8, Ordering::Release);
        // Writes that committed after the rebuild's last page and before `Ready` found the
        // index building: take them in now.
        if let Err(e) = c.catch_up(store, true) {
            tracing::warn!(error = %e, "index catch-up failed; retrying");
        }
        let status = c.status();
        tracing::info!(
            reports = status.reports,
            sightings = status.sightings,
            seconds = started.elapsed().as_secs_f64(),
            "identifier and full-text indexes ready"
        );
        let mut ticks: u32 = 0;
        loop {
            let wake = {
                let (lock, cvar) = &c.wake;
                let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
                let (mut guard, _) = cvar
                    .wait_timeout_while(guard, POLL, |w| {
                        !(w.reports
                            || w.correlation
                            || w.accounts
                            || c.stopping.load(Ordering::Acquire))
                    })
                    .unwrap_or_else(|e| e.into_inner());
                std::mem::take(&mut *guard)
            };
            if c.stopping.load(Ordering::Acquire) {
                return;
            }
            ticks = ticks.wrapping_add(1);
            // Without a feed (SQLite) the shell's edits are found by polling; every fifth
            // tick is cheap enough for tables of this size.
            let poll_small = ticks.is_multiple_of(5);
            let step = (|| -> Result<()> {
                if wake.accounts || poll_small {
                    c.reload_agencies(store)?;
                }
                if wake.correlation || poll_small {
                    c.reload_noise(store)?;
                }
                c.catch_up_if_behind(store)?;
                c.catch_up_search(store, true)
            })();
            if let Err(e) = step {
                tracing::warn!(error = %e, "index catch-up failed; retrying");
            }
            if Arc::strong_count(&self.inner) == 1 {
                // Every other handle to the node is gone: stop following.
                return;
            }
        }
    }
}

impl Node {
    /// Ends the process's use of the node: stops the indexes' follower (which holds a handle
    /// of its own) and waits for it, then drops this handle. The indexes stop following the
    /// store for every handle, so this is for when the process is done with the node. When no other handle remains, the
    /// audit writer commits what it holds and the store closes (SQLite: the WAL is
    /// checkpointed away) before this returns, so a shell command calls it last rather than
    /// leaving that to threads the process exit would cut short.
    pub fn close(self) {
        self.inner.correlation.stop();
        drop(self);
    }

    /// After a warninglist or mark change through this node: the index takes it in before
    /// the change returns.
    pub(crate) fn after_noise_write(&self) {
        let c = &self.inner.correlation;
        if c.state() != IndexState::Ready {
            return;
        }
        if let Err(e) = c.reload_noise(self.store_ref()) {
            tracing::warn!(error = %e, "warninglist reload failed; the follower retries");
        }
    }
}
