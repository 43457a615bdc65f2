//! What the store keeps, in the shapes the node reads and writes.

use jiff::Timestamp;
use std::fmt;
use warroom_domain::{
    AgencyId, CountryCode, Distribution, EntityId, ReportId, ReportKind, Tlp, User, UserId,
};

/// A user with their password hash (a PHC string: argon2id), if they may log in with one.
#[derive(Clone, Debug, PartialEq)]
pub struct UserRecord {
    pub user: User,
    pub password_hash: Option<String>,
    pub created_at: Timestamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TokenId(pub uuid::Uuid);

impl fmt::Display for TokenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for TokenId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        uuid::Uuid::parse_str(s).map(Self)
    }
}

/// An API token. Only the SHA-256 of its secret is kept: the secret is shown once.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenRecord {
    pub id: TokenId,
    pub user: UserId,
    pub name: String,
    pub hash: [u8; 32],
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

/// A web session. Only the SHA-256 of the cookie value is kept.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionRecord {
    pub hash: [u8; 32],
    pub user: UserId,
    /// The CSRF token the session's forms must echo.
    pub csrf: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// An entity a report asserts, as far as the store needs to know it: its id, its kind
/// (`phone`, `bank_account`, ... or `person`, `organisation`, `location`), and for identifiers
/// the canonical value (a label otherwise).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityRef {
    pub id: EntityId,
    pub kind: String,
    pub value: String,
}

/// One version of a report. `body` is the report's document (the node's JSON); the store keeps
/// it as it is and indexes the other fields.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportRecord {
    pub id: ReportId,
    pub owner: AgencyId,
    pub author: UserId,
    pub kind: ReportKind,
    pub marking: Tlp,
    pub distribution: Distribution,
    /// Scam method slugs.
    pub methods: Vec<String>,
    pub victim_country: Option<CountryCode>,
    pub occurred_at: Option<Timestamp>,
    pub reported_at: Timestamp,
    /// When this version was stored.
    pub recorded_at: Timestamp,
    pub version: u32,
    pub retracted_at: Option<Timestamp>,
    pub hit_notices: bool,
    /// SHA-256 of what the client submitted; decides duplicate against conflict on re-submission.
    pub fingerprint: [u8; 32],
    pub entities: Vec<EntityRef>,
    pub body: String,
}

impl ReportRecord {
    /// The time a sighting of this report's entities counts at.
    pub fn seen_at(&self) -> Timestamp {
        self.occurred_at.unwrap_or(self.reported_at)
    }
}

/// A report in a listing, with its position for the next page's cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct ListedReport {
    pub seq: u64,
    pub report: ReportRecord,
}

/// Filters of [`crate::Store::list_reports`]; all present ones must hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportFilter {
    pub kind: Option<ReportKind>,
    pub method: Option<String>,
    pub victim_country: Option<CountryCode>,
    pub owner: Option<AgencyId>,
    /// `reported_at` at or after.
    pub since: Option<Timestamp>,
    /// `reported_at` before.
    pub until: Option<Timestamp>,
    pub include_retracted: bool,
}

/// The outcome of one report of [`crate::Store::put_reports`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PutOutcome {
    Inserted,
    /// The same id with the same fingerprint is already stored.
    Duplicate,
    /// The id is taken by a report with other content (or another owner).
    Conflict,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityRecord {
    pub id: EntityId,
    pub kind: String,
    pub value: String,
    pub first_seen_at: Timestamp,
}

/// Agency `agency` saw the entity in `report` at `seen_at`, with the report's access facts.
#[derive(Clone, Debug, PartialEq)]
pub struct SightingRecord {
    pub entity: EntityId,
    pub report: ReportId,
    pub agency: AgencyId,
    pub seen_at: Timestamp,
    pub marking: Tlp,
    pub distribution: Distribution,
    /// The report's `hit_notices`: whether agencies that may not read it learn that it holds
    /// the entity.
    pub hit_notices: bool,
}

/// A report as the change log hands it to derived indexes (the identifier index, full-text
/// search): its current version after a change (insert, update or retraction) numbered `rev`.
/// `rev` grows by one per change, node-wide and in commit order, whichever process commits;
/// `seq` is the report's listing position, given once at insert.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangedReport {
    pub rev: u64,
    pub seq: u64,
    pub report: ReportRecord,
}

/// A value that must never correlate: an entry of the warninglist. Entries are never deleted,
/// only marked removed, so that a shipped entry an admin removed is not shipped again.
#[derive(Clone, Debug, PartialEq)]
pub struct WarningRecord {
    /// What identifies the entry: `kind:canonical` for a value that normalises, else
    /// `kind:raw:REGION:value` (short codes such as `1441`, which never become entities).
    pub key: String,
    /// An identifier kind (`phone`, `domain`, ...).
    pub kind: String,
    /// The canonical value, or the value as written when it does not normalise.
    pub value: String,
    /// The entity the value is, when it normalises.
    pub entity: Option<EntityId>,
    /// The region the value was read in (national writings).
    pub region: Option<CountryCode>,
    /// Why it must not correlate ("Royal Thai Police anti-scam hotline").
    pub reason: String,
    /// `shipped` (the list built into warroom) or `admin`.
    pub source: String,
    pub added_by: Option<UserId>,
    pub added_at: Timestamp,
    pub removed_at: Option<Timestamp>,
}

/// An analyst's verdict on an identifier: it is what the reports say it is (`confirmed`), or it
/// is not (`false_positive`). One verdict per (entity, user): a later one replaces it.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkRecord {
    pub entity: EntityId,
    pub agency: AgencyId,
    pub user: UserId,
    /// `confirmed` or `false_positive`.
    pub verdict: String,
    pub note: String,
    pub at: Timestamp,
}
