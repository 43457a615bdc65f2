//! Opening connections and bringing the schema up to date.

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::Path;
use std::time::Duration;
use warroom_store::StoreError;

/// Every migration in order; migration `n` (1-based) leaves `PRAGMA user_version = n`.
/// Append only: a shipped migration is never edited, since databases already carry it.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_rate_windows.sql"),
    include_str!("../migrations/0003_correlation.sql"),
    include_str!("../migrations/0004_entity_numbers.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// How long a statement waits for a lock another connection (or process) holds.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Page cache per read connection, in KiB (SQLite's negative `cache_size`).
const CACHE_KIB: i64 = 64 * 1024;

/// The writer's page cache holds every page a transaction dirties (a batch of 1000 reports
/// touches over 5000 random entity pages); a smaller one spills to the WAL mid-transaction.
const WRITER_CACHE_KIB: i64 = 256 * 1024;

/// What the WAL file is truncated back to after a checkpoint: above what it holds at the
/// checkpointer's RESTART bound plus a large batch (`checkpoint.rs`), so that in steady state
/// it is rewound and overwritten in place. Truncating it at every rewind made each cycle
/// allocate its blocks again, and that allocation (zeroing the partial blocks that WAL frames
/// straddle) cost a fifth of an ingest.
const WAL_LIMIT_BYTES: i64 = 1024 * 1024 * 1024;

/// The page size a new database gets (fixed when the file is created; an existing database
/// keeps its own). Since sightings are appended under sequential entity numbers (migration
/// 0004), a batch writes mostly whole new pages, and bigger pages mean fewer WAL frames and
/// B-tree splits per report, and less space lost around 1.6 KB report rows: `warroom bench
/// ingest --reports 1000000`, same session, 4 / 8 / 16 KiB: 14,671 / 17,037 / 16,847 reports/s
/// at 50,000-report batches, 11,384 / 12,663 / 13,434 at 10,000. 8 KiB: a read (or a group
/// commit of read events) copies half what 16 KiB would for the same speed of ingest.
pub(crate) const PAGE_SIZE: i64 = 8 * 1024;

/// Bounds the prepared statements each connection keeps; the listing query has one text per
/// combination of filters, the rest are fixed.
const STATEMENT_CACHE: usize = 128;

fn open_error(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Open(format!("{}: {e}", path.display()))
}

/// Opens the one read-write connection, switches the file to WAL and migrates it.
pub(crate) fn open_writer(path: &Path, synchronous_full: bool) -> Result<Connection, StoreError> {
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| open_error(path, e))?;
    configure(&conn).map_err(|e| open_error(path, e))?;
    // Before WAL mode and the first table; a no-op on an existing database.
    conn.pragma_update(None, "page_size", PAGE_SIZE)
        .map_err(|e| open_error(path, e))?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
        .map_err(|e| open_error(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(open_error(
            path,
            format!("the file system does not support WAL (journal mode is {mode})"),
        ));
    }
    // In WAL mode NORMAL syncs at checkpoints, not at each commit: a committed transaction
    // survives the process being killed (kill -9, a panic, an OOM kill) because the WAL is in
    // the OS page cache, but the last commits can be lost if the machine loses power or the
    // kernel crashes. FULL syncs the WAL at every commit and survives that too, at the cost of
    // one fsync per write transaction.
    conn.pragma_update(None, "synchronous", synchronous(synchronous_full))
        .map_err(|e| open_error(path, e))?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(|e| open_error(path, e))?;
    // Checkpoints run on a thread of their own (see `checkpoint.rs`), not inside a commit.
    conn.pragma_update(None, "wal_autocheckpoint", 0)
        .map_err(|e| open_error(path, e))?;
    // The WAL file keeps its largest size after a rewind unless told otherwise.
    conn.pragma_update(None, "journal_size_limit", WAL_LIMIT_BYTES)
        .map_err(|e| open_error(path, e))?;
    conn.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)
        .map_err(|e| open_error(path, e))?;
    migrate(&mut conn).map_err(|e| open_error(path, e))?;
    Ok(conn)
}

/// Opens the connection the checkpoint thread uses; call after [`open_writer`]. It syncs
/// like the writer, since a checkpoint's fsyncs are the ones `NORMAL` keeps.
pub(crate) fn open_checkpointer(
    path: &Path,
    synchronous_full: bool,
) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| open_error(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| open_error(path, e))?;
    conn.pragma_update(None, "synchronous", synchronous(synchronous_full))
        .map_err(|e| open_error(path, e))?;
    Ok(conn)
}

fn synchronous(full: bool) -> &'static str {
    if full { "FULL" } else { "NORMAL" }
}

/// Opens a read-only connection; call after [`open_writer`] so the WAL files exist.
pub(crate) fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| open_error(path, e))?;
    configure(&conn).map_err(|e| open_error(path, e))?;
    Ok(conn)
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Without the query planner stability guarantee, a statement whose plan looked at a bound
    // value (an ORDER BY next to `col = ?`, a `LIMIT ?`) is marked to re-plan on rebinding, and
    // the statement cache's clear_bindings then forces a full re-prepare on every reuse: most
    // of the cost of a `sightings` lookup. Our plans never depend on parameter values.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // No mmap: every append (the audit log grows with every read) made each reader remap the
    // growing file, and the munmap/TLB shootdowns halved lookup throughput (measured with
    // `cargo xtask bench-http`).
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}

#[derive(Debug, thiserror::Error)]
enum MigrateError {
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
    #[error(
        "the database has schema version {found}, newer than this build's {SCHEMA_VERSION}: \
         it was written by a newer warroom"
    )]
    TooNew { found: u32 },
}

fn migrate(conn: &mut Connection) -> Result<(), MigrateError> {
    let current: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(MigrateError::TooNew { found: current });
    }
    for (done, sql) in (current..).zip(MIGRATIONS.iter().skip(current as usize)) {
        // IMMEDIATE: a second process opening the same directory waits here instead of
        // applying the same migration twice.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: u32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > done {
            // Another opener migrated while we waited for the lock.
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", done + 1)?;
        tx.commit()?;
    }
    Ok(())
}
