//! Joint investigations: cases, tasks, requests for information and evidence.

use crate::ids::{AgencyId, CaseId, EntityId, ReportId, UserId};
use jiff::Timestamp;

#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub id: CaseId,
    pub title: String,
    pub lead: AgencyId,
    pub participants: Vec<AgencyId>,
    pub reports: Vec<ReportId>,
    pub entities: Vec<EntityId>,
    pub tasks: Vec<Task>,
    pub rfis: Vec<RequestForInformation>,
    pub evidence: Vec<Evidence>,
    pub opened_at: Timestamp,
    pub closed_at: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub title: String,
    pub assignee: Option<UserId>,
    pub due: Option<Timestamp>,
    pub done: bool,
}

/// A request for information: how an agency that got a hit/no-hit asks the owner.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestForInformation {
    pub from: AgencyId,
    pub to: AgencyId,
    pub question: String,
    pub due: Option<Timestamp>,
    pub answer: Option<String>,
}

/// An evidence file; its content lives in the store, addressed by SHA-256.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    pub file_name: String,
    pub sha256: [u8; 32],
    pub size: u64,
    pub added_by: UserId,
    pub added_at: Timestamp,
}
