//! Sightings (what correlation counts) and hits (what agencies are told).

use crate::identifier::Identifier;
use crate::ids::{AgencyId, EntityId, ReportId};
use jiff::Timestamp;

/// Agency `agency` saw `entity` in report `report` at `at`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sighting {
    pub entity: EntityId,
    pub report: ReportId,
    pub agency: AgencyId,
    pub at: Timestamp,
}

/// An identifier one agency contributed is already held by another agency. What each side is
/// shown of the other's report is decided by the policy module, not here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub identifier: Identifier,
    pub new_report: ReportId,
    pub new_agency: AgencyId,
    pub held_report: ReportId,
    pub held_agency: AgencyId,
    pub at: Timestamp,
}
