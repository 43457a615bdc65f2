//! A warroom node without HTTP: the operations the API, the CLI and later the web pages call.
//!
//! Architecture invariant: every read of report content goes through [`policy`], i.e.
//! `warroom_domain::policy::report_access`, inside this crate; callers (the server, the CLI)
//! receive only what the caller may see and never touch the store for reads themselves.
//!
//! Architecture invariant: every write carries its audit event into the same store transaction;
//! every read of a report or entity is audited before its answer is returned.

mod accounts;
mod activity;
mod audit_writer;
mod audited;
mod auth_cache;
mod correlation;
mod entity_reports;
mod error;
mod hits;
mod ingest;
pub mod limits;
mod lookup;
mod marks;
mod neighbourhood;
mod pipeline;
mod policy;
mod prepare_threads;
mod report_feed;
mod reports;
mod search;
pub mod secret;
mod shared_counts;
mod views;
mod warninglist;

pub use accounts::{Bootstrap, NewUser, Principal};
pub use activity::{ACTIVITY_WEEKS, Activity, MAX_ACTIVITY_SCAN, Place, RecentReport};
pub use audited::Audited;
pub use correlation::{CatchUpTiming, CorrelationOptions, IndexState, IndexStatus};
pub use entity_reports::EntityReport;
pub use error::{NodeError, Result};
pub use hits::{HitEvent, HitsPage, MAX_HITS_PAGE};
pub use lookup::{HeldBy, Lookup, SightingSummary};
pub use neighbourhood::{
    DEFAULT_NEIGHBOURHOOD_REPORTS, MAX_NEIGHBOURHOOD_ENTITIES, MAX_NEIGHBOURHOOD_REPORTS,
    NeighbourEntity, NeighbourReport, Neighbourhood, NoiseKind,
};
pub use pipeline::Ingest;
pub use report_feed::{NewReport, ReportNotices};
pub use reports::{LineOutcome, Page, PreparedBatch, Submitted};
pub use search::{MAX_SEARCH_LIMIT, SearchAnswer, SearchRequest, TextResult};
pub use shared_counts::Window;
pub use warninglist::NewWarning;
pub use warroom_correlate::{
    Hit, HitFilter, HitKey, NewHit, Noise, Posting, Risk, RiskTerm, Shown, Side,
};

use audit_writer::AuditWriter;
use jiff::Timestamp;
use std::sync::Arc;
use warroom_domain::{AgencyId, UserId};
use warroom_store::{AuditDraft, Change, Store};

/// Who is acting, and the request it is part of.
#[derive(Clone, Debug)]
pub struct Actor {
    /// `None` for the node itself (`warroom admin` on the shell, first start).
    pub principal: Option<Principal>,
    pub request_id: String,
    /// Why, when the caller said so (`X-Warroom-Purpose`); kept in the audit log.
    pub purpose: Option<String>,
}

impl Actor {
    /// The node acting on its own behalf, for the shell and for first start.
    pub fn system(request_id: impl Into<String>) -> Self {
        Self {
            principal: None,
            request_id: request_id.into(),
            purpose: None,
        }
    }

    pub fn user(principal: Principal, request_id: impl Into<String>) -> Self {
        Self {
            principal: Some(principal),
            request_id: request_id.into(),
            purpose: None,
        }
    }

    pub(crate) fn user_id(&self) -> Option<UserId> {
        self.principal.as_ref().map(|p| p.user.id)
    }

    pub(crate) fn agency_id(&self) -> Option<AgencyId> {
        self.principal.as_ref().map(|p| p.user.agency)
    }

    pub(crate) fn audit(
        &self,
        action: &str,
        object_kind: &str,
        object_id: impl ToString,
    ) -> AuditDraft {
        AuditDraft {
            at: Timestamp::now(),
            actor_user: self.user_id(),
            actor_agency: self.agency_id(),
            action: action.to_owned(),
            object_kind: object_kind.to_owned(),
            object_id: object_id.to_string(),
            request_id: self.request_id.clone(),
            purpose: self.purpose.clone(),
        }
    }

    /// The signed-in user acting, or `Unauthenticated` for the node itself.
    pub fn principal(&self) -> Result<&Principal> {
        self.principal
            .as_ref()
            .ok_or(NodeError::Unauthenticated("this operation needs a user"))
    }
}

/// A running node over a store.
#[derive(Debug, Clone)]
pub struct Node {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    audit: AuditWriter,
    auth_cache: Arc<auth_cache::AuthCache>,
    correlation: Arc<correlation::Correlation>,
    /// Sessions last this long after login.
    session_ttl: jiff::SignedDuration,
    /// Report batches being written, so that validating the next leaves the writer a core.
    batch_writes: prepare_threads::BatchWrites,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node")
            .field("store", &self.store.backend())
            .finish()
    }
}

impl Node {
    pub fn new(store: Arc<dyn Store>) -> Self {
        let auth_cache = Arc::new(auth_cache::AuthCache::default());
        let correlation = Arc::new(correlation::Correlation::new());
        // Other processes on the same database change accounts too: their commits empty the
        // token cache here as our own do. Without a feed, entries still expire by time.
        // Every change also wakes the indexes' follower.
        let cache = Arc::downgrade(&auth_cache);
        let follower = Arc::downgrade(&correlation);
        let subscribed = store.subscribe(Box::new(move |change| {
            if change == Change::Accounts
                && let Some(cache) = cache.upgrade()
            {
                cache.clear();
            }
            if let Some(c) = follower.upgrade() {
                c.notify(change);
            }
        }));
        if let Err(e) = subscribed {
            tracing::warn!(error = %e, "no change feed from the store; cached tokens expire by time");
        }
        Self {
            inner: Arc::new(Inner {
                audit: AuditWriter::start(store.clone()),
                store,
                auth_cache,
                correlation,
                session_ttl: jiff::SignedDuration::from_hours(12),
                batch_writes: Default::default(),
            }),
        }
    }

    /// The store, for what has no policy question in it: health checks, `audit verify`,
    /// benchmarks and counts.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.inner.store
    }

    fn store_ref(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }
}
