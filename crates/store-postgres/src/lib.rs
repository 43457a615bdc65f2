//! The PostgreSQL backend of the warroom store: one database (schema) that several warroom
//! processes can share, with one audit hash chain and a change feed between them.
//!
//! # Design
//!
//! **Synchronous calls over an async driver.** [`Store`] is synchronous and is called from plain
//! threads, from the server's `spawn_blocking` threads, and (in tests) straight from inside
//! tokio tasks, where the sync `postgres` crate panics. The store therefore owns a small tokio
//! runtime of its own (two worker threads) on which every connection's socket task runs, and a
//! fixed pool of connections (8 by default, opened by [`PgStore::connect`]). A call leases a
//! connection and polls the `tokio-postgres` client futures with `futures_executor::block_on`
//! on the calling thread: those futures only talk to the socket task over channels, so they
//! need no reactor and no tokio context where they are polled (see `pool.rs`). Each connection
//! caches its prepared statements. A connection found closed is opened again at its next lease;
//! one left mid-way by a panic is closed rather than reused.
//!
//! **One writer at a time, across processes.** Every write transaction (READ COMMITTED) starts
//! with `pg_advisory_xact_lock(WRITE_LOCK, <schema oid>)`, held until it commits. Under it the
//! transaction reads the audit head and appends its events (seq = head + 1, contiguous, hash
//! chained), and a new report takes seq = last seq + 1, so report seqs follow commit order and
//! a listing cursor never skips a report committed later. Likewise every changed report takes
//! rev = last rev + 1 (`changes.rs`), so the change log follows commit order too. Reads take
//! no lock: each is one statement, so one snapshot.
//!
//! **Migrations** (`migrations/*.sql`, recorded in `warroom_schema`) run at connect under a
//! session advisory lock, so processes starting together apply each once; a schema from a
//! newer build is refused. Every name is unqualified: the URL's search_path (for example
//! `?options=-csearch_path%3Dwarroom`) decides where the store lives.
//!
//! **Change feed.** Account writes `NOTIFY warroom_<schema oid>, 'accounts'`, report writes
//! `'reports'`, warninglist and mark writes `'correlation'` inside their transaction (the channel is per schema, like the locks: channels
//! are per database). [`Store::subscribe`] starts a `LISTEN` connection on the store's runtime
//! that calls the sinks, reconnecting with backoff (and then calling every sink with every
//! kind, since notifications may have been missed). Sinks run on the runtime's blocking
//! pool; they should be quick (empty a cache), and may call the store.
//!
//! **Bulk ingest.** `put_reports` checks every id of the batch in one query (duplicate and
//! conflict are decided per item, as in SQLite), then writes reports, sightings and audit events
//! with one `COPY ... FROM STDIN (FORMAT binary)` each, and entities with one query for the
//! stored ones plus one COPY of the new ones; [`BulkInsert::Unnest`] does the same with
//! `INSERT ... SELECT FROM UNNEST($1::bigint[], ...)` statements (slower; kept for comparison,
//! see `examples/throughput.rs`). Nothing relies on a unique or foreign-key error, so the
//! server log never records a refused row's values.

mod accounts;
mod audit;
mod bulk;
mod changes;
mod codec;
mod correlation;
mod entities;
mod error;
mod listing;
mod notify;
mod pool;
mod reports;
mod restore;
mod schema;
pub mod testing;
mod windows;

use error::{Error, Res, describe};
use futures_executor::block_on;
use pool::{Conn, Db, Pool, Runtime};
use std::time::Duration;
use tokio_postgres::Config;
use warroom_domain::{Agency, AgencyId, EntityId, GroupId, ReportId, SharingGroup, UserId};
use warroom_store::{
    AuditDraft, AuditEvent, AuditFilter, Change, ChangedReport, EntityRecord, ListedReport,
    MarkRecord, PutOutcome, ReportFilter, ReportRecord, Restore, Result, SessionRecord,
    SightingRecord, Store, StoreError, TokenId, TokenRecord, UserRecord, WarningRecord,
};

pub use bulk::BulkInsert;
pub use schema::SCHEMA_VERSION;

/// How a store connects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Connections in the pool, all opened at connect (at least 1).
    pub connections: usize,
    /// How `put_reports` sends its rows.
    pub bulk: BulkInsert,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            connections: 8,
            bulk: BulkInsert::default(),
        }
    }
}

/// A warroom store in a PostgreSQL schema; see the crate docs for its connections and locks.
pub struct PgStore {
    // Dropped in this order: the feed stops its listener, the pool closes its connections,
    // then the runtime lets their tasks finish and shuts down.
    feed: notify::Feed,
    pool: Pool,
    rt: Runtime,
    bulk: BulkInsert,
    /// Starts a write transaction and takes the write lock, in one round trip.
    begin: String,
    /// The change feed's channel, and the statements that end a write that notifies on it.
    channel: String,
    commit_accounts: String,
    commit_reports: String,
    commit_correlation: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("pool", &self.pool)
            .field("bulk", &self.bulk)
            .field("feed", &self.feed)
            .finish_non_exhaustive()
    }
}

/// An error while connecting is the store failing to open.
fn open_error(context: &str, e: Error) -> StoreError {
    match e {
        Error::Pg(e) => StoreError::Open(format!("{context}: {}", describe(&e))),
        Error::Store(StoreError::Backend(m)) => StoreError::Open(format!("{context}: {m}")),
        Error::Store(other) => other,
    }
}

impl PgStore {
    /// Connects to the database at `url` (a `postgres://` URL or a `key=value` string), opens
    /// the pool and brings the schema up to date. Fails with [`StoreError::Open`] when the
    /// server cannot be reached, the search_path names no schema, or the schema was written
    /// by a newer build.
    pub fn connect(url: &str) -> Result<Self> {
        Self::connect_with(url, Options::default())
    }

    /// [`PgStore::connect`] with a choice of pool size and bulk insert method.
    pub fn connect_with(url: &str, options: Options) -> Result<Self> {
        // The URL may carry a password: messages never repeat it.
        let mut config: Config = url.parse().map_err(|e: tokio_postgres::Error| {
            StoreError::Open(format!("the PostgreSQL URL is not valid: {}", describe(&e)))
        })?;
        if config.get_application_name().is_none() {
            config.application_name("warroom");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        let rt = Runtime::new()?;
        let connect = || {
            rt.connect(&config)
                .map(Conn::new)
                .map_err(|e| open_error("cannot connect to PostgreSQL", e))
        };
        let first = connect()?;
        let key = block_on(async {
            let db = first.db();
            let key = schema::schema_key(&db).await?;
            schema::migrate(&db, key).await?;
            Ok::<_, schema::MigrateError>(key)
        })?;
        let mut conns = vec![first];
        for _ in 1..options.connections.max(1) {
            conns.push(connect()?);
        }
        let channel = notify::channel(key);
        Ok(Self {
            commit_accounts: notify::commit_sql(&channel, Change::Accounts),
            commit_reports: notify::commit_sql(&channel, Change::Reports),
            commit_correlation: notify::commit_sql(&channel, Change::Correlation),
            channel,
            feed: notify::Feed::new(),
            pool: Pool::new(config, conns),
            rt,
            bulk: options.bulk,
            begin: format!(
                "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock({}, {key})",
                schema::WRITE_LOCK
            ),
        })
    }

    /// Runs `f` on a leased connection (one statement, so one snapshot).
    fn read<T>(&self, f: impl AsyncFnOnce(&Db<'_>) -> Res<T>) -> Result<T> {
        let mut lease = self.pool.lease(&self.rt)?;
        let out = block_on(f(&lease.conn()?.db()));
        // Success or not, the statement has finished: the connection is idle again.
        lease.settle();
        Ok(out?)
    }

    /// Runs `f` in one transaction that holds the write lock, notifying `change` at commit; an
    /// error rolls everything back, the audit append included.
    fn write<T>(
        &self,
        change: Option<Change>,
        f: impl AsyncFnOnce(&Db<'_>) -> Res<T>,
    ) -> Result<T> {
        let mut lease = self.pool.lease(&self.rt)?;
        let (out, idle) = {
            let db = lease.conn()?.db();
            let out = block_on(async {
                db.batch(&self.begin).await?;
                let v = f(&db).await?;
                db.batch(match change {
                    Some(Change::Accounts) => &self.commit_accounts,
                    Some(Change::Reports) => &self.commit_reports,
                    Some(Change::Correlation) => &self.commit_correlation,
                    None => "COMMIT",
                })
                .await?;
                Ok::<_, Error>(v)
            });
            // After a failure, end whatever transaction is open; if even that fails the
            // connection is not reused.
            let idle = out.is_ok() || block_on(db.batch("ROLLBACK")).is_ok();
            (out, idle)
        };
        if idle {
            lease.settle();
        }
        Ok(out?)
    }

    /// A write of one object with its one audit event.
    fn write_audited(
        &self,
        change: Change,
        draft: &AuditDraft,
        f: impl AsyncFnOnce(&Db<'_>) -> Res<()>,
    ) -> Result<()> {
        self.write(Some(change), async |db| {
            f(db).await?;
            audit::append(db, std::slice::from_ref(draft)).await
        })
    }
}

impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn create_agency(&self, agency: &Agency, audit: &AuditDraft) -> Result<()> {
        self.write_audited(Change::Accounts, audit, async |db| {
            accounts::create_agency(db, agency).await
        })
    }

    fn agency(&self, id: AgencyId) -> Result<Option<Agency>> {
        self.read(async |db| accounts::agency(db, id).await)
    }

    fn agencies(&self) -> Result<Vec<Agency>> {
        self.read(async |db| accounts::agencies(db).await)
    }

    fn create_user(&self, user: &UserRecord, audit: &AuditDraft) -> Result<()> {
        self.write_audited(Change::Accounts, audit, async |db| {
            accounts::create_user(db, user).await
        })
    }

    fn update_user(&self, user: &UserRecord, audit: &AuditDraft) -> Result<()> {
        self.write_audited(Change::Accounts, audit, async |db| {
            accounts::update_user(db, user).await
        })
    }

    fn user(&self, id: UserId) -> Result<Option<UserRecord>> {
        self.read(async |db| accounts::user(db, id).await)
    }

    fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>> {
        self.read(async |db| accounts::user_by_username(db, username).await)
    }

    fn users(&self, agency: Option<AgencyId>) -> Result<Vec<UserRecord>> {
        self.read(async |db| accounts::users(db, agency).await)
    }

    fn user_count(&self) -> Result<u64> {
        self.read(async |db| accounts::user_count(db).await)
    }

    fn put_group(&self, group: &SharingGroup, audit: &AuditDraft) -> Result<()> {
        self.write_audited(Change::Accounts, audit, async |db| {
            accounts::put_group(db, group).await
        })
    }

    fn group(&self, id: GroupId) -> Result<Option<SharingGroup>> {
        self.read(async |db| accounts::group(db, id).await)
    }

    fn groups(&self) -> Result<Vec<SharingGroup>> {
        self.read(async |db| accounts::groups(db).await)
    }

    fn groups_of(&self, agency: AgencyId) -> Result<Vec<GroupId>> {
        self.read(async |db| accounts::groups_of(db, agency).await)
    }

    fn create_token(&self, token: &TokenRecord, audit: &AuditDraft) -> Result<()> {
        self.write_audited(Change::Accounts, audit, async |db| {
            accounts::create_token(db, token).await
        })
    }

    fn token_by_hash(&self, hash: &[u8; 32]) -> Result<Option<TokenRecord>> {
        self.read(async |db| accounts::token_by_hash(db, hash).await)
    }

    fn token(&self, id: TokenId) -> Result<Option<TokenRecord>> {
        self.read(async |db| accounts::token(db, id).await)
    }

    fn tokens(&self, user: Option<UserId>) -> Result<Vec<TokenRecord>> {
        self.read(async |db| accounts::tokens(db, user).await)
    }

    fn revoke_token(&self, id: TokenId, at: jiff::Timestamp, audit: &AuditDraft) -> Result<()> {
        self.write_audited(Change::Accounts, audit, async |db| {
            accounts::revoke_token(db, id, at).await
        })
    }

    fn create_session(&self, session: &SessionRecord, audit: &AuditDraft) -> Result<()> {
        self.write_audited(Change::Accounts, audit, async |db| {
            accounts::create_session(db, session).await
        })
    }

    fn session_by_hash(&self, hash: &[u8; 32]) -> Result<Option<SessionRecord>> {
        self.read(async |db| accounts::session_by_hash(db, hash).await)
    }

    fn delete_session(&self, hash: &[u8; 32], audit: &AuditDraft) -> Result<()> {
        self.write_audited(Change::Accounts, audit, async |db| {
            accounts::delete_session(db, hash).await
        })
    }

    fn put_reports(&self, reports: &[(ReportRecord, AuditDraft)]) -> Result<Vec<PutOutcome>> {
        if reports.is_empty() {
            return Ok(Vec::new());
        }
        self.write(Some(Change::Reports), async |db| {
            reports::put(db, self.bulk, reports).await
        })
    }

    fn update_report(&self, report: &ReportRecord, audit: &AuditDraft) -> Result<()> {
        self.write(Some(Change::Reports), async |db| {
            reports::update(db, report, audit).await
        })
    }

    fn retract_report(&self, id: ReportId, at: jiff::Timestamp, audit: &AuditDraft) -> Result<()> {
        self.write(Some(Change::Reports), async |db| {
            reports::retract(db, id, at, audit).await
        })
    }

    fn report(&self, id: ReportId) -> Result<Option<ReportRecord>> {
        self.read(async |db| listing::report(db, id).await)
    }

    fn report_versions(&self, id: ReportId) -> Result<Vec<ReportRecord>> {
        self.read(async |db| listing::versions(db, id).await)
    }

    fn list_reports(
        &self,
        filter: &ReportFilter,
        cursor: Option<u64>,
        limit: usize,
    ) -> Result<Vec<ListedReport>> {
        self.read(async |db| listing::list(db, filter, cursor, limit).await)
    }

    fn report_count(&self) -> Result<u64> {
        self.read(async |db| listing::count(db).await)
    }

    fn entity(&self, id: EntityId) -> Result<Option<EntityRecord>> {
        self.read(async |db| entities::entity(db, id).await)
    }

    fn sightings(&self, entity: EntityId) -> Result<Vec<SightingRecord>> {
        self.read(async |db| entities::sightings(db, entity).await)
    }

    fn sighting_count(&self) -> Result<u64> {
        self.read(async |db| entities::counter(db, entities::SIGHTINGS).await)
    }

    fn report_changes(&self, after_rev: u64, limit: usize) -> Result<Vec<ChangedReport>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        self.read(async |db| changes::report_changes(db, after_rev, limit, true).await)
    }

    fn report_changes_without_bodies(
        &self,
        after_rev: u64,
        limit: usize,
    ) -> Result<Vec<ChangedReport>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        self.read(async |db| changes::report_changes(db, after_rev, limit, false).await)
    }

    fn report_rev(&self) -> Result<u64> {
        self.read(async |db| changes::report_rev(db).await)
    }

    fn warninglist(&self) -> Result<Vec<WarningRecord>> {
        self.read(async |db| correlation::warninglist(db).await)
    }

    fn put_warning(&self, entry: &WarningRecord, audit: &AuditDraft) -> Result<()> {
        self.write_audited(Change::Correlation, audit, async |db| {
            correlation::put_warning(db, entry).await
        })
    }

    fn put_mark(&self, mark: &MarkRecord, audit: &AuditDraft) -> Result<()> {
        self.write_audited(Change::Correlation, audit, async |db| {
            correlation::put_mark(db, mark).await
        })
    }

    fn marks(&self) -> Result<Vec<MarkRecord>> {
        self.read(async |db| correlation::marks(db).await)
    }

    fn append_audit(&self, events: &[AuditDraft]) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        self.write(None, async |db| audit::append(db, events).await)
    }

    fn audit_events(&self, filter: &AuditFilter) -> Result<Vec<AuditEvent>> {
        if filter.limit == 0 {
            return Ok(Vec::new());
        }
        self.read(async |db| audit::events(db, filter).await)
    }

    fn sessions(&self) -> Result<Vec<SessionRecord>> {
        self.read(async |db| accounts::sessions(db).await)
    }

    fn restore(&self, batch: &Restore<'_>) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        // Other processes on the database learn of restored accounts, reports, warninglist
        // entries and marks like of written ones; restored audit events change nothing they cache.
        let change = match batch {
            Restore::Agencies(_)
            | Restore::Groups(_)
            | Restore::Users(_)
            | Restore::Tokens(_)
            | Restore::Sessions(_) => Some(Change::Accounts),
            Restore::Reports(_) => Some(Change::Reports),
            Restore::Warnings(_) | Restore::Marks(_) => Some(Change::Correlation),
            Restore::Audit(_) => None,
        };
        self.write(change, async |db| {
            restore::restore(db, self.bulk, batch).await
        })
    }

    fn bump_window(
        &self,
        key: &[u8],
        window_start: i64,
        n: u64,
        forget_before: i64,
    ) -> Result<u64> {
        self.read(async |db| windows::bump(db, key, window_start, n, forget_before).await)
    }

    fn subscribe(&self, sink: Box<dyn Fn(Change) + Send + Sync>) -> Result<()> {
        self.feed
            .subscribe(&self.rt, self.pool.config(), &self.channel, sink)
    }
}
