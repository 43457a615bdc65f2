//! Stored records to the API's shapes.

use crate::{NodeError, Result};
use warroom_store::ReportRecord;
use warroom_wire::{DistributionJson, ReportBody, ReportOut};

pub(crate) fn report_out(r: &ReportRecord) -> Result<ReportOut> {
    let body = if r.retracted_at.is_some() {
        None
    } else {
        Some(
            serde_json::from_str::<ReportBody>(&r.body)
                .map_err(|e| NodeError::Corrupt(format!("report {}: {e}", r.id)))?,
        )
    };
    Ok(ReportOut {
        id: r.id.0,
        owner: r.owner.0,
        author: r.author.0,
        kind: r.kind.as_str().to_owned(),
        marking: r.marking.as_str().to_owned(),
        distribution: DistributionJson {
            agencies: r.distribution.agencies.iter().map(|a| a.0).collect(),
            groups: r.distribution.groups.iter().map(|g| g.0).collect(),
        },
        methods: r.methods.clone(),
        victim_country: r.victim_country.as_ref().map(|c| c.as_str().to_owned()),
        occurred_at: r.occurred_at.map(|t| t.to_string()),
        reported_at: r.reported_at.to_string(),
        recorded_at: r.recorded_at.to_string(),
        version: r.version,
        retracted_at: r.retracted_at.map(|t| t.to_string()),
        hit_notices: r.hit_notices,
        body,
    })
}
