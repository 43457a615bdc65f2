//! The embedded SQLite backend of the warroom store: one database file per node directory.
//!
//! One writer connection behind a mutex serialises writes (SQLite allows one writer at a time
//! anyway, and the audit chain needs its appends in one order); a few read-only connections
//! serve reads beside it, which WAL lets proceed while a write is in progress. Every write
//! method is one IMMEDIATE transaction that includes its audit append. WAL checkpoints run
//! on a thread of their own (`checkpoint.rs`).
//!
//! The schema lives in `migrations/` (see `0001_init.sql` for the column conventions).

mod accounts;
mod audit;
pub mod baseline;
mod changes;
mod checkpoint;
mod codec;
mod correlation;
mod entities;
mod error;
mod listing;
mod reports;
mod restore;
mod schema;
mod windows;

use error::Res;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};
use warroom_domain::{Agency, AgencyId, EntityId, GroupId, ReportId, SharingGroup, UserId};
use warroom_store::{
    AuditDraft, AuditEvent, AuditFilter, ChangedReport, EntityRecord, ListedReport, MarkRecord,
    PutOutcome, ReportFilter, ReportRecord, Restore, Result, SessionRecord, SightingRecord, Store,
    StoreError, TokenId, TokenRecord, UserRecord, WarningRecord,
};

pub use schema::SCHEMA_VERSION;

/// The database file inside a node's data directory.
pub const DB_FILE: &str = "warroom.db";

/// Read connections beside the writer; enough for the server's blocking pool on a small node.
const READERS: usize = 4;

/// How a store is opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `synchronous=FULL`: every commit also survives power loss, at one fsync per write
    /// transaction. The default (`NORMAL`) survives the process being killed.
    pub synchronous_full: bool,
}

/// A warroom store in one SQLite file; see the crate docs for its connections.
pub struct SqliteStore {
    /// First, so it stops before the connections close.
    _checkpointer: checkpoint::Checkpointer,
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("readers", &self.readers.len())
            .finish_non_exhaustive()
    }
}

/// Closing: the read-only connections go first, so that the writer is this process's last
/// connection and SQLite's close-time checkpoint copies the whole WAL into the database file
/// and removes it. Closed last, read-only connections cannot checkpoint: a bulk import left
/// gigabytes of WAL behind, and every later reader paid for them (BENCHMARKS.md). The
/// checkpoint thread stops before the writer closes (field order). With another process still
/// on the file, that process's last close does it instead.
impl Drop for SqliteStore {
    fn drop(&mut self) {
        drop(std::mem::take(&mut self.readers));
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the store in `dir`, migrating it to this build's schema.
    pub fn open(dir: &Path) -> Result<Self> {
        Self::open_with(dir, Options::default())
    }

    /// [`SqliteStore::open`] with a choice of durability. Fails with [`StoreError::Open`]
    /// when the directory cannot be created or is a file, or the database cannot be opened or
    /// migrated (corrupt, or written by a newer build).
    pub fn open_with(dir: &Path, options: Options) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Open(format!(
                "cannot create the data directory {}: {e}",
                dir.display()
            ))
        })?;
        if !dir.is_dir() {
            return Err(StoreError::Open(format!(
                "the data directory {} is not a directory",
                dir.display()
            )));
        }
        let path = dir.join(DB_FILE);
        let mut writer = schema::open_writer(&path, options.synchronous_full)?;
        let checkpointer =
            checkpoint::Checkpointer::start(&path, &mut writer, options.synchronous_full)?;
        let readers = (0..READERS)
            .map(|_| schema::open_reader(&path).map(Mutex::new))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            _checkpointer: checkpointer,
            path,
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A free read connection if there is one, else waits for the next in turn. A panic while
    /// a connection was held leaves nothing half-done (reads; writes roll back on drop), so a
    /// poisoned lock is taken over rather than propagated.
    fn reader(&self) -> MutexGuard<'_, Connection> {
        let n = self.readers.len();
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        for i in 0..n {
            match self.readers[(start + i) % n].try_lock() {
                Ok(g) => return g,
                Err(TryLockError::Poisoned(p)) => return p.into_inner(),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        self.readers[start % n]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on a read connection (one statement, so one snapshot).
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Res<T>) -> Result<T> {
        Ok(f(&self.reader())?)
    }

    /// Runs `f` in one IMMEDIATE transaction on the writer; an error rolls everything back,
    /// the audit append included.
    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Res<T>) -> Result<T> {
        let mut conn = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(error::Error::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(error::Error::from)?;
        Ok(out)
    }

    /// A write of one object with its one audit event.
    fn write_audited(
        &self,
        draft: &AuditDraft,
        f: impl FnOnce(&Connection) -> Res<()>,
    ) -> Result<()> {
        self.write(|tx| {
            f(tx)?;
            audit::append_one(tx, draft)
        })
    }
}

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn create_agency(&self, agency: &Agency, audit: &AuditDraft) -> Result<()> {
        self.write_audited(audit, |c| accounts::create_agency(c, agency))
    }

    fn agency(&self, id: AgencyId) -> Result<Option<Agency>> {
        self.read(|c| accounts::agency(c, id))
    }

    fn agencies(&self) -> Result<Vec<Agency>> {
        self.read(accounts::agencies)
    }

    fn create_user(&self, user: &UserRecord, audit: &AuditDraft) -> Result<()> {
        self.write_audited(audit, |c| accounts::create_user(c, user))
    }

    fn update_user(&self, user: &UserRecord, audit: &AuditDraft) -> Result<()> {
        self.write_audited(audit, |c| accounts::update_user(c, user))
    }

    fn user(&self, id: UserId) -> Result<Option<UserRecord>> {
        self.read(|c| accounts::user(c, id))
    }

    fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>> {
        self.read(|c| accounts::user_by_username(c, username))
    }

    fn users(&self, agency: Option<AgencyId>) -> Result<Vec<UserRecord>> {
        self.read(|c| accounts::users(c, agency))
    }

    fn user_count(&self) -> Result<u64> {
        self.read(accounts::user_count)
    }

    fn put_group(&self, group: &SharingGroup, audit: &AuditDraft) -> Result<()> {
        self.write_audited(audit, |c| accounts::put_group(c, group))
    }

    fn group(&self, id: GroupId) -> Result<Option<SharingGroup>> {
        self.read(|c| accounts::group(c, id))
    }

    fn groups(&self) -> Result<Vec<SharingGroup>> {
        self.read(accounts::groups)
    }

    fn groups_of(&self, agency: AgencyId) -> Result<Vec<GroupId>> {
        self.read(|c| accounts::groups_of(c, agency))
    }

    fn create_token(&self, token: &TokenRecord, audit: &AuditDraft) -> Result<()> {
        self.write_audited(audit, |c| accounts::create_token(c, token))
    }

    fn token_by_hash(&self, hash: &[u8; 32]) -> Result<Option<TokenRecord>> {
        self.read(|c| accounts::token_by_hash(c, hash))
    }

    fn token(&self, id: TokenId) -> Result<Option<TokenRecord>> {
        self.read(|c| accounts::token(c, id))
    }

    fn tokens(&self, user: Option<UserId>) -> Result<Vec<TokenRecord>> {
        self.read(|c| accounts::tokens(c, user))
    }

    fn revoke_token(&self, id: TokenId, at: jiff::Timestamp, audit: &AuditDraft) -> Result<()> {
        self.write_audited(audit, |c| accounts::revoke_token(c, id, at))
    }

    fn create_session(&self, session: &SessionRecord, audit: &AuditDraft) -> Result<()> {
        self.write_audited(audit, |c| accounts::create_session(c, session))
    }

    fn session_by_hash(&self, hash: &[u8; 32]) -> Result<Option<SessionRecord>> {
        self.read(|c| accounts::session_by_hash(c, hash))
    }

    fn delete_session(&self, hash: &[u8; 32], audit: &AuditDraft) -> Result<()> {
        self.write_audited(audit, |c| accounts::delete_session(c, hash))
    }

    fn put_reports(&self, reports: &[(ReportRecord, AuditDraft)]) -> Result<Vec<PutOutcome>> {
        self.write(|tx| reports::put(tx, reports))
    }

    fn update_report(&self, report: &ReportRecord, audit: &AuditDraft) -> Result<()> {
        self.write(|tx| reports::update(tx, report, audit))
    }

    fn retract_report(&self, id: ReportId, at: jiff::Timestamp, audit: &AuditDraft) -> Result<()> {
        self.write(|tx| reports::retract(tx, id, at, audit))
    }

    fn report(&self, id: ReportId) -> Result<Option<ReportRecord>> {
        self.read(|c| listing::report(c, id))
    }

    fn report_versions(&self, id: ReportId) -> Result<Vec<ReportRecord>> {
        self.read(|c| listing::versions(c, id))
    }

    fn list_reports(
        &self,
        filter: &ReportFilter,
        cursor: Option<u64>,
        limit: usize,
    ) -> Result<Vec<ListedReport>> {
        self.read(|c| listing::list(c, filter, cursor, limit))
    }

    fn report_count(&self) -> Result<u64> {
        self.read(listing::count)
    }

    fn entity(&self, id: EntityId) -> Result<Option<EntityRecord>> {
        self.read(|c| entities::entity(c, id))
    }

    fn sightings(&self, entity: EntityId) -> Result<Vec<SightingRecord>> {
        self.read(|c| entities::sightings(c, entity))
    }

    fn sighting_count(&self) -> Result<u64> {
        self.read(|c| entities::counter(c, entities::SIGHTINGS))
    }

    fn report_changes(&self, after_rev: u64, limit: usize) -> Result<Vec<ChangedReport>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        self.read(|c| changes::report_changes(c, after_rev, limit, true))
    }

    fn report_changes_without_bodies(
        &self,
        after_rev: u64,
        limit: usize,
    ) -> Result<Vec<ChangedReport>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        self.read(|c| changes::report_changes(c, after_rev, limit, false))
    }

    fn report_rev(&self) -> Result<u64> {
        self.read(changes::report_rev)
    }

    fn warninglist(&self) -> Result<Vec<WarningRecord>> {
        self.read(correlation::warninglist)
    }

    fn put_warning(&self, entry: &WarningRecord, audit: &AuditDraft) -> Result<()> {
        self.write_audited(audit, |c| correlation::put_warning(c, entry))
    }

    fn put_mark(&self, mark: &MarkRecord, audit: &AuditDraft) -> Result<()> {
        self.write_audited(audit, |c| correlation::put_mark(c, mark))
    }

    fn marks(&self) -> Result<Vec<MarkRecord>> {
        self.read(correlation::marks)
    }

    fn append_audit(&self, events: &[AuditDraft]) -> Result<()> {
        self.write(|tx| {
            let mut head = audit::head(tx)?;
            for e in events {
                audit::append(tx, &mut head, e)?;
            }
            Ok(())
        })
    }

    fn audit_events(&self, filter: &AuditFilter) -> Result<Vec<AuditEvent>> {
        self.read(|c| audit::events(c, filter))
    }

    fn sessions(&self) -> Result<Vec<SessionRecord>> {
        self.read(accounts::sessions)
    }

    fn restore(&self, batch: &Restore<'_>) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        self.write(|tx| restore::restore(tx, batch))
    }

    fn bump_window(
        &self,
        key: &[u8],
        window_start: i64,
        n: u64,
        forget_before: i64,
    ) -> Result<u64> {
        self.write(|tx| windows::bump(tx, key, window_start, n, forget_before))
    }
}
