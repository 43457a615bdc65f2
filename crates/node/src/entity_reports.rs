//! `entity_reports`: the reports behind an entity page: for each report the actor may read in
//! full that names the entity (the newest [`crate::limits::MAX_LOOKUP_REPORTS`]), when it was
//! seen, by whom, and how the reporter wrote the identifier.
//!
//! The reports come from [`Node::entity`]'s own list, which the policy already narrowed; each
//! is checked again when read, and each read is audited as `report.read`, as a listing is.

use crate::policy::access_to_report;
use crate::{Actor, Audited, Node, Result};
use jiff::Timestamp;
use warroom_domain::policy::Access;
use warroom_domain::{AgencyId, EntityId, ReportId, Tlp};
use warroom_wire::{EntityDoc, ReportBody};

/// One readable report naming the entity.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityReport {
    pub id: ReportId,
    pub owner: AgencyId,
    pub seen_at: Timestamp,
    pub reported_at: Timestamp,
    pub marking: Tlp,
    pub methods: Vec<String>,
    pub victim_country: Option<warroom_domain::CountryCode>,
    /// The writings of the entity in this report, as the reporter typed them.
    pub raw: Vec<String>,
}

impl Node {
    /// The readable reports among `reports` (a [`crate::Lookup::reports`] list) that name
    /// `entity`, newest first.
    pub fn entity_reports(
        &self,
        actor: &Actor,
        entity: EntityId,
        reports: &[ReportId],
    ) -> Result<Audited<Vec<EntityReport>>> {
        let mut out = Vec::new();
        let mut events = Vec::new();
        for id in reports.iter().take(crate::limits::MAX_LOOKUP_REPORTS) {
            let Some(r) = self.store_ref().report(*id)? else {
                continue;
            };
            if access_to_report(actor, &r) != Access::Full || r.retracted_at.is_some() {
                continue;
            }
            let mut raw = Vec::new();
            if let Ok(body) = serde_json::from_str::<ReportBody>(&r.body) {
                for e in body.entities {
                    if let EntityDoc::Identifier(i) = e
                        && i.id == Some(entity.0)
                        && !raw.contains(&i.raw)
                    {
                        raw.push(i.raw);
                    }
                }
            }
            events.push(actor.audit("report.read", "report", r.id));
            out.push(EntityReport {
                id: r.id,
                owner: r.owner,
                seen_at: r.seen_at(),
                reported_at: r.reported_at,
                marking: r.marking,
                methods: r.methods.clone(),
                victim_country: r.victim_country,
                raw,
            });
        }
        out.sort_by(|a, b| b.seen_at.cmp(&a.seen_at).then(b.id.cmp(&a.id)));
        Ok(Audited::new(out, events))
    }
}
