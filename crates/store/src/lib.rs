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
mod error;
mod records;

pub use audit::{AuditDraft, AuditEvent, AuditFilter, GENESIS_HASH};
pub use error::StoreError;
pub use records::{
    EntityRecord, EntityRef, ListedReport, PutOutcome, ReportFilter, ReportRecord, SessionRecord,
    SightingRecord, TokenId, TokenRecord, UserRecord,
};

use warroom_domain::{Agency, AgencyId, EntityId, GroupId, ReportId, SharingGroup, UserId};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

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

    // ---- audit ----------------------------------------------------------------------------

    /// Appends events that go with no other write (reads, failed logins), in one transaction,
    /// chained after the current head.
    fn append_audit(&self, events: &[AuditDraft]) -> Result<()>;
    /// Events in sequence order after `filter.after`, at most `filter.limit`.
    fn audit_events(&self, filter: &AuditFilter) -> Result<Vec<AuditEvent>>;
}
