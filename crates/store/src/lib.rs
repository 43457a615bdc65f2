//! The storage trait: what a warroom node needs from a database, and nothing about which one.
//!
//! Architecture invariant: nothing above this crate names a backend. Leaf crates
//! (`warroom-store-sqlite`, later PostgreSQL) implement [`Store`], own their SQL and their
//! migrations, and run the shared [`conformance`] story in their tests.
//!
//! Architecture invariant: the store does not decide who may read what. It returns records with
//! the facts the policy needs (owner, marking, distribution) and the node's policy module
//! filters them; the store never answers a reader directly.
//!
//! The trait is synchronous: SQLite is, and the server calls the store from blocking threads.
//! Every write method takes the audit event(s) it must append and commits both in one
//! transaction, so an acknowledged write always has its audit event and the other way round.

pub mod audit;
pub mod conformance;
pub mod entity_list;
mod error;
mod records;
pub mod restore;
pub mod role_list;

pub use audit::{AuditDraft, AuditEvent, AuditFilter, GENESIS_HASH};
pub use error::StoreError;
pub use records::{
    ChangedReport, EntityRecord, EntityRef, ListedReport, MarkRecord, PutOutcome, ReportFilter,
    ReportRecord, SessionRecord, SightingRecord, TokenId, TokenRecord, UserRecord, WarningRecord,
};
pub use restore::Restore;

use warroom_domain::{Agency, AgencyId, EntityId, GroupId, ReportId, SharingGroup, UserId};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What kind of data a committed change touched, for [`Store::subscribe`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Agencies, users, groups, tokens or sessions.
    Accounts,
    /// Reports (and with them entities and sightings).
    Reports,
    /// The warninglist or analysts' marks on identifiers.
    Correlation,
}

/// A warroom database. Implementations are shared between threads; each call is atomic.
pub trait Store: Send + Sync + 'static {
    /// A short name for logs and `warroom bench` output ("sqlite", "postgres").
    fn backend(&self) -> &'static str;

    // ---- accounts -------------------------------------------------------------------------

    fn create_agency(&self, agency: &Agency, audit: &AuditDraft) -> Result<()>;
    fn agency(&self, id: AgencyId) -> Result<Option<Agency>>;
    fn agencies(&self) -> Result<Vec<Agency>>;

    /// Fails with [`StoreError::Conflict`] when the username (or the id) is taken.
    fn create_user(&self, user: &UserRecord, audit: &AuditDraft) -> Result<()>;
    /// Replaces roles, display name, disabled flag and password hash of an existing user
    /// (username and agency stay); [`StoreError::NotFound`] if there is no such user.
    fn update_user(&self, user: &UserRecord, audit: &AuditDraft) -> Result<()>;
    fn user(&self, id: UserId) -> Result<Option<UserRecord>>;
    fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>>;
    fn users(&self, agency: Option<AgencyId>) -> Result<Vec<UserRecord>>;
    fn user_count(&self) -> Result<u64>;

    /// Creates the group or replaces its name and members.
    fn put_group(&self, group: &SharingGroup, audit: &AuditDraft) -> Result<()>;
    fn group(&self, id: GroupId) -> Result<Option<SharingGroup>>;
    fn groups(&self) -> Result<Vec<SharingGroup>>;
    /// The groups an agency belongs to.
    fn groups_of(&self, agency: AgencyId) -> Result<Vec<GroupId>>;

    /// [`StoreError::Conflict`] if the id or the secret's hash is already stored.
    fn create_token(&self, token: &TokenRecord, audit: &AuditDraft) -> Result<()>;
    /// Looks a token up by the SHA-256 of its secret.
    fn token_by_hash(&self, hash: &[u8; 32]) -> Result<Option<TokenRecord>>;
    fn token(&self, id: TokenId) -> Result<Option<TokenRecord>>;
    fn tokens(&self, user: Option<UserId>) -> Result<Vec<TokenRecord>>;
    /// Sets `revoked_at`; [`StoreError::NotFound`] if there is no such token.
    fn revoke_token(&self, id: TokenId, at: jiff::Timestamp, audit: &AuditDraft) -> Result<()>;

    fn create_session(&self, session: &SessionRecord, audit: &AuditDraft) -> Result<()>;
    fn session_by_hash(&self, hash: &[u8; 32]) -> Result<Option<SessionRecord>>;
    /// [`StoreError::NotFound`] if there is no such session (and no audit event is written).
    fn delete_session(&self, hash: &[u8; 32], audit: &AuditDraft) -> Result<()>;

    // ---- reports --------------------------------------------------------------------------

    /// Inserts reports in one transaction, each with its audit event, and answers per item:
    /// a report whose id exists with the same fingerprint is a [`PutOutcome::Duplicate`] (no
    /// audit event is written for it), with another fingerprint a [`PutOutcome::Conflict`].
    fn put_reports(&self, reports: &[(ReportRecord, AuditDraft)]) -> Result<Vec<PutOutcome>>;
    /// Stores a new version: `report.version` must be the stored version + 1, else
    /// [`StoreError::Conflict`]; [`StoreError::NotFound`] if there is no such report. The
    /// previous version is kept, and the report's sightings become those of the new version.
    fn update_report(&self, report: &ReportRecord, audit: &AuditDraft) -> Result<()>;
    /// Marks the report retracted (a tombstone; its sightings stop counting) as a new version:
    /// the current one with `version` + 1 and `retracted_at` and `recorded_at` set to `at`.
    /// [`StoreError::Conflict`] if it is already retracted, [`StoreError::NotFound`] if missing.
    fn retract_report(&self, id: ReportId, at: jiff::Timestamp, audit: &AuditDraft) -> Result<()>;
    fn report(&self, id: ReportId) -> Result<Option<ReportRecord>>;
    /// Every version, oldest first, the current one last; empty for an unknown id.
    fn report_versions(&self, id: ReportId) -> Result<Vec<ReportRecord>>;
    /// Reports matching the filter, newest first, strictly after `cursor` (a
    /// [`ListedReport::seq`] from an earlier page), at most `limit`.
    fn list_reports(
        &self,
        filter: &ReportFilter,
        cursor: Option<u64>,
        limit: usize,
    ) -> Result<Vec<ListedReport>>;
    /// Every stored report, retracted ones included.
    fn report_count(&self) -> Result<u64>;

    // ---- entities -------------------------------------------------------------------------

    fn entity(&self, id: EntityId) -> Result<Option<EntityRecord>>;
    /// Every sighting of the entity in a report that is not retracted, with the report's
    /// access facts, oldest first.
    fn sightings(&self, entity: EntityId) -> Result<Vec<SightingRecord>>;
    /// All sightings [`Store::sightings`] would return, over every entity.
    fn sighting_count(&self) -> Result<u64>;

    // ---- change log -----------------------------------------------------------------------

    /// Reports changed (inserted, updated, retracted; restored ones too) after `after_rev`, in
    /// rev order, at most `limit`, each in its current version (retracted ones included). A
    /// report changed twice appears once, at its latest rev. `report_changes(0, ..)` paged to
    /// the end is every stored report: what derived indexes are rebuilt from.
    fn report_changes(&self, after_rev: u64, limit: usize) -> Result<Vec<ChangedReport>>;
    /// [`Store::report_changes`] with every `body` empty: what the identifier index reads,
    /// sparing the documents. Backends override it to skip the column.
    fn report_changes_without_bodies(
        &self,
        after_rev: u64,
        limit: usize,
    ) -> Result<Vec<ChangedReport>> {
        let mut changes = self.report_changes(after_rev, limit)?;
        for c in &mut changes {
            c.report.body.clear();
        }
        Ok(changes)
    }
    /// The highest rev given so far (0 on an empty store).
    fn report_rev(&self) -> Result<u64>;

    // ---- correlation ----------------------------------------------------------------------

    /// Every warninglist entry, removed ones included, ordered by key.
    fn warninglist(&self) -> Result<Vec<WarningRecord>>;
    /// Inserts the entry or replaces the one with its key.
    fn put_warning(&self, entry: &WarningRecord, audit: &AuditDraft) -> Result<()>;
    /// Inserts the verdict or replaces the one of the same (entity, user).
    fn put_mark(&self, mark: &MarkRecord, audit: &AuditDraft) -> Result<()>;
    /// Every mark, ordered by (entity, user).
    fn marks(&self) -> Result<Vec<MarkRecord>>;

    // ---- audit ----------------------------------------------------------------------------

    /// Appends events that go with no other write (reads, failed logins), in one transaction,
    /// chained after the current head.
    fn append_audit(&self, events: &[AuditDraft]) -> Result<()>;
    /// Events in sequence order after `filter.after`, at most `filter.limit`.
    fn audit_events(&self, filter: &AuditFilter) -> Result<Vec<AuditEvent>>;

    // ---- migration ------------------------------------------------------------------------

    /// Every stored session, expired ones included, in no particular order: what moving a
    /// node to another backend copies so that its users stay logged in.
    fn sessions(&self) -> Result<Vec<SessionRecord>>;

    /// Writes records exactly as given (ids, hashes, timestamps, versions) and appends NO
    /// audit event: a copy of another store, not a change (`warroom admin migrate-store`).
    /// Normal writes cannot do this, since each appends an event of its own and the copied
    /// chain would differ from the source's.
    ///
    /// Each call is one transaction: on any error nothing of the batch is written. A record
    /// whose id (or username, token secret, session hash) is already stored, or listed twice,
    /// is a [`StoreError::Conflict`]; a user, token or session whose agency or user is
    /// missing is [`StoreError::NotFound`], so batches go in the order of [`Restore`]'s
    /// variants.
    ///
    /// [`Restore::Reports`]: each item is every version of one report, oldest first and the
    /// current one last (as [`Store::report_versions`] returns them; anything else is a
    /// [`StoreError::Conflict`], see [`restore::check_history`]). Reports are inserted in the order given, so listing order
    /// (seq) follows the order of the items and of earlier batches. Sightings come from the
    /// current version exactly as `put_reports`/`update_report` would make them (none if it
    /// is retracted), and each entity's `first_seen_at` is the earliest sighting of any
    /// version that was not retracted, as the normal path leaves it (an update never moves it
    /// later). Batches of about a thousand reports are what backends are tuned for.
    ///
    /// [`Restore::Audit`]: events are stored with their seq, prev_hash and hash as given and
    /// must continue the stored chain: the first event's seq is the head's + 1 and its
    /// prev_hash the head's hash, each later event links to the one before it, and each hash
    /// matches its event's fields (see [`restore::check_chain`]); else
    /// [`StoreError::Conflict`]. So the copied chain verifies, with the source's head hash.
    fn restore(&self, batch: &Restore<'_>) -> Result<()>;

    // ---- shared limits --------------------------------------------------------------------

    /// Adds `n` to the counter `key` for the fixed window that starts at `window_start` and
    /// returns the window's total so far, as counted by every process sharing the database
    /// (`n` = 0 only reads it). Windows that started before `forget_before` may be dropped.
    /// Limits, not records: no audit event, and not part of a store's data to migrate.
    fn bump_window(&self, key: &[u8], window_start: i64, n: u64, forget_before: i64)
    -> Result<u64>;

    // ---- change feed ----------------------------------------------------------------------

    /// Registers `sink` to be called after any process sharing this database commits a change
    /// of the given kind, this process included. SQLite keeps the default, which never calls
    /// it: one server process owns a data directory, and the shell's short-lived commands
    /// beside it are seen by caches that expire by time.
    fn subscribe(&self, sink: Box<dyn Fn(Change) + Send + Sync>) -> Result<()> {
        let _ = sink;
        Ok(())
    }
}
