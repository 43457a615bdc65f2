//! The node's door to report content: every read path asks here, and here only.

use crate::Actor;
use warroom_domain::policy::{Access, Subject, report_access};
use warroom_store::{ReportRecord, SightingRecord};

/// What the actor may learn about a stored report. The node itself (the shell) reads all.
pub(crate) fn access_to_report(actor: &Actor, r: &ReportRecord) -> Access {
    match &actor.principal {
        None => Access::Full,
        Some(p) => report_access(
            &p.viewer,
            Subject {
                owner: r.owner,
                marking: r.marking,
                distribution: &r.distribution,
                hit_notices: r.hit_notices,
            },
        ),
    }
}

pub(crate) fn access_to_sighting(actor: &Actor, s: &SightingRecord) -> Access {
    match &actor.principal {
        None => Access::Full,
        Some(p) => report_access(
            &p.viewer,
            Subject {
                owner: s.agency,
                marking: s.marking,
                distribution: &s.distribution,
                hit_notices: s.hit_notices,
            },
        ),
    }
}

/// What the actor may learn about the report behind a posting of the identifier index.
pub(crate) fn access_to_posting(actor: &Actor, p: &warroom_correlate::Posting) -> Access {
    match &actor.principal {
        None => Access::Full,
        Some(principal) => report_access(
            &principal.viewer,
            Subject {
                owner: p.agency,
                marking: p.marking,
                distribution: &p.distribution,
                hit_notices: p.hit_notices,
            },
        ),
    }
}
