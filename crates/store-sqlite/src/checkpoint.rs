//! WAL checkpoints off the write path.
//!
//! SQLite's automatic checkpoint runs inside the commit that crosses its threshold: that writer
//! copies the WAL's pages into the database file and fsyncs it (under `synchronous=NORMAL` the
//! only fsyncs there are) while every other write waits. Entity ids are random, so a batch of
//! reports dirties thousands of scattered pages and those checkpoints were a third of the time
//! of `put_reports`. Here a thread of its own runs them on its own connection, woken by the
//! writer's WAL hook: PASSIVE ones, which block neither readers nor the writer, and a RESTART
//! (which waits for a gap between write transactions) when the WAL has grown past a bound,
//! because a WAL that is never fully copied while writes keep coming is never rewound.

use crate::schema;
use rusqlite::Connection;
use rusqlite::wal::CheckpointMode;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use warroom_store::StoreError;

/// WAL bytes after a commit that wake the checkpointer.
const WAKE_BYTES: i64 = 64 * 1024 * 1024;

/// WAL bytes left after a passive checkpoint that make the thread force a rewind.
const RESTART_BYTES: i64 = 4 * WAKE_BYTES;

/// [`WAKE_BYTES`] and [`RESTART_BYTES`] in frames of the database's page size.
fn frames(bytes: i64, page_size: i64) -> i32 {
    i32::try_from(bytes / page_size.max(512)).unwrap_or(i32::MAX)
}

#[derive(Debug, Default)]
struct Signal {
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Debug, Default)]
struct State {
    requested: bool,
    stop: bool,
}

impl Signal {
    fn request(&self) {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .requested = true;
        self.wake.notify_one();
    }

    /// Waits for a request; false once asked to stop.
    fn next(&self) -> bool {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while !s.requested && !s.stop {
            s = self.wake.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
        s.requested = false;
        !s.stop
    }
}

/// The checkpoint thread; stopping it is part of dropping the store.
#[derive(Debug)]
pub(crate) struct Checkpointer {
    signal: Arc<Signal>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread and hands the writer's commits to it.
    pub(crate) fn start(
        path: &Path,
        writer: &mut Connection,
        synchronous_full: bool,
    ) -> Result<Self, StoreError> {
        let open_error = |e: &dyn std::fmt::Display| {
            StoreError::Open(format!("{}: checkpointer: {e}", path.display()))
        };
        let conn = schema::open_checkpointer(path, synchronous_full)?;
        let page_size: i64 = writer
            .pragma_query_value(None, "page_size", |r| r.get(0))
            .map_err(|e| open_error(&e))?;
        let (wake_frames, restart_frames) = (
            frames(WAKE_BYTES, page_size),
            frames(RESTART_BYTES, page_size),
        );
        let signal = Arc::new(Signal::default());
        let thread = std::thread::Builder::new()
            .name("warroom-sqlite-checkpoint".to_owned())
            .spawn({
                let signal = Arc::clone(&signal);
                move || run(&conn, &signal, restart_frames)
            })
            .map_err(|e| open_error(&e))?;
        let hook = Arc::clone(&signal);
        // Errors from a WAL hook would fail a commit that already happened: this one has none.
        writer
            .wal_hook(Some(move |_: &mut rusqlite::hooks::Wal, frames: i32| {
                if frames >= wake_frames {
                    hook.request();
                }
                Ok(())
            }))
            .map_err(|e| open_error(&e))?;
        Ok(Self {
            signal,
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.signal
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .stop = true;
        self.signal.wake.notify_one();
        if let Some(t) = self.thread.take() {
            // A panic there has nothing to report here; the WAL is still correct.
            let _ = t.join();
        }
    }
}

fn run(conn: &Connection, signal: &Signal, restart_frames: i32) {
    while signal.next() {
        // Failures (SQLITE_BUSY while a reader or the RESTART wait is in the way, an I/O error)
        // leave the frames in the WAL, where readers still find them; the next commit over the
        // threshold asks again.
        if let Ok((log, _)) = conn.wal_checkpoint_v2(None::<&str>, CheckpointMode::PASSIVE)
            && log >= restart_frames
        {
            let _ = conn.wal_checkpoint_v2(None::<&str>, CheckpointMode::RESTART);
        }
    }
}
