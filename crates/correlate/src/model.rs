//! The shapes readers get back: postings, entity views, hits, noise, risk, statistics.

use crate::key::HitKey;
use jiff::Timestamp;
use std::sync::Arc;
use warroom_domain::{AgencyId, Distribution, EntityId, ReportId, Tlp};

/// One sighting: a report that currently holds the entity, with the facts the policy needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Posting {
    pub report: ReportId,
    /// The report's listing position (arrival order).
    pub seq: u64,
    /// The report's owner.
    pub agency: AgencyId,
    /// When the sighting counts: the report's `occurred_at`, else its `reported_at`.
    pub seen_at: Timestamp,
    pub marking: Tlp,
    pub distribution: Arc<Distribution>,
    /// Whether the owner lets other agencies learn of this report through hits.
    pub hit_notices: bool,
}

/// An entity and every non-retracted report that holds it, oldest `seen_at` first. Nothing here
/// is filtered: the caller asks the policy about each posting.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityView {
    pub id: EntityId,
    pub kind: String,
    pub value: String,
    pub postings: Vec<Posting>,
}

/// Why an identifier must not correlate.
#[derive(Clone, Debug, PartialEq)]
pub enum Noise {
    /// A live warninglist entry names it.
    Warninglisted { reason: String, source: String },
    /// Sighted across far more unrelated reports than a syndicate's identifier would be (see
    /// [`crate::HubRule`]): `reports` distinct reports of `agencies` agencies, at or above
    /// `threshold` reports, and their other identifiers recur together only `lift` times as
    /// often as chance would have them.
    Hub {
        reports: u64,
        agencies: u64,
        threshold: u64,
        lift: f64,
    },
}

/// Which side of a hit the viewer is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The viewer's agency owns the later report: someone already held the identifier.
    Submitted,
    /// The viewer's agency held the identifier earlier: someone else has now submitted it.
    Held,
}

/// What a viewer is shown of one report of a hit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    /// The viewer may read the report.
    Full {
        report: ReportId,
        agency: AgencyId,
        seen_at: Timestamp,
    },
    /// The viewer may learn only that this agency holds something (ask it with an RFI).
    HeldBy { agency: AgencyId },
}

impl Shown {
    pub fn agency(&self) -> AgencyId {
        match self {
            Shown::Full { agency, .. } | Shown::HeldBy { agency } => *agency,
        }
    }
}

/// One hit entry shaped for one viewer.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub key: HitKey,
    /// The later report's `reported_at`.
    pub at: Timestamp,
    pub entity: EntityId,
    pub kind: String,
    pub value: String,
    pub side: Side,
    /// The later report.
    pub report: Shown,
    /// Submitted side: the earlier reports of other agencies; held side: the viewer's own
    /// earlier reports.
    pub counterparts: Vec<Shown>,
}

/// Which hits to list; every present filter must hold (after shaping).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HitFilter {
    pub entity: Option<EntityId>,
    /// An entity kind (`phone`, `bank_account`, ...).
    pub kind: Option<String>,
    /// An agency shown in the hit other than the viewer's own.
    pub counterpart: Option<AgencyId>,
    pub side: Option<Side>,
    /// `at` at or after.
    pub since: Option<Timestamp>,
    /// `at` before.
    pub until: Option<Timestamp>,
}

/// A hit entry the applied changes created, with the agencies it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewHit {
    pub key: HitKey,
    pub agencies: Vec<AgencyId>,
}

/// The risk of one identifier as one viewer may know it.
#[derive(Clone, Debug, PartialEq)]
pub struct Risk {
    /// 0 to 100.
    pub score: f64,
    pub terms: Vec<RiskTerm>,
    /// Set (and the score 0) when the identifier is noise.
    pub noise: Option<Noise>,
}

/// One term of a risk score.
#[derive(Clone, Debug, PartialEq)]
pub struct RiskTerm {
    pub name: &'static str,
    /// What was counted or measured (agencies, days...).
    pub input: f64,
    /// What it adds (negative for false-positive marks).
    pub points: f64,
    /// The most it can add (or, for a penalty, take away).
    pub max_points: f64,
    /// A sentence with the numbers.
    pub explanation: String,
}

/// Sizes of the published index.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Non-retracted reports.
    pub reports: u64,
    /// Entities held by at least one non-retracted report.
    pub entities: u64,
    /// Postings (sightings) of non-retracted reports.
    pub sightings: u64,
    /// Hit entry keys kept in the agencies' lists (validated on read; entries of identifiers
    /// with many postings are not kept one by one but read from their postings).
    pub hit_entries: u64,
    /// (agency, identifier) subscriptions through which those busy identifiers' entries are read.
    pub hit_subscriptions: u64,
    /// Estimated heap bytes of the published index (shared parts counted once).
    pub heap_bytes: u64,
}
