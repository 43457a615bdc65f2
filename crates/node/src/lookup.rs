//! Entity lookups: by id, or by any raw writing of an identifier.

use crate::policy::access_to_sighting;
use crate::{Actor, Audited, Node, NodeError, Result, limits};
use jiff::Timestamp;
use std::collections::BTreeMap;
use std::str::FromStr;
use warroom_domain::policy::Access;
use warroom_domain::{AgencyId, CountryCode, EntityId, IdentifierKind, ReportId};
use warroom_normalize::{Context, Detection, detect, normalize};
use warroom_store::EntityRecord;

/// What an actor may know about an entity.
#[derive(Clone, Debug, PartialEq)]
pub struct Lookup {
    pub id: EntityId,
    pub kind: String,
    /// The canonical value; `None` when the caller asked by id and may not read any report
    /// that holds the entity (they learn only who holds it).
    pub value: Option<String>,
    /// Sightings in reports the actor may read, per agency.
    pub sightings: Vec<SightingSummary>,
    /// Agencies that hold the entity in reports the actor may not read, where the rules allow
    /// telling (AMBER): ask them through a request for information.
    pub held_by: Vec<HeldBy>,
    /// Readable reports that name the entity, newest first, at most
    /// [`limits::MAX_LOOKUP_REPORTS`].
    pub reports: Vec<ReportId>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SightingSummary {
    pub agency: AgencyId,
    pub reports: u64,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HeldBy {
    pub agency: AgencyId,
}

impl Node {
    /// Normalises `value` (as `kind`, or detected) in `region` (the actor's agency's country by
    /// default) and looks the identifier up. The answer is released once its `entity.read`
    /// event is committed.
    pub fn lookup_value(
        &self,
        actor: &Actor,
        value: &str,
        kind: Option<&str>,
        region: Option<CountryCode>,
    ) -> Result<Audited<Lookup>> {
        let region = region.or_else(|| actor.principal.as_ref().map(|p| p.agency.country));
        let ctx = Context { region };
        let normalized = match kind {
            Some(k) => {
                let kind = IdentifierKind::from_str(k)
                    .map_err(|e| NodeError::invalid("kind", "invalid_kind", e.to_string()))?;
                normalize(kind, value, &ctx)
                    .map_err(|e| NodeError::invalid("value", e.code(), e.to_string()))?
            }
            None => match detect(value, &ctx) {
                Detection::Found(n) => n,
                Detection::Ambiguous(c) => {
                    return Err(NodeError::invalid(
                        "value",
                        "ambiguous",
                        format!(
                            "the value could be a {}: give its kind",
                            c.iter()
                                .map(|n| n.identifier.kind().as_str())
                                .collect::<Vec<_>>()
                                .join(" or ")
                        ),
                    ));
                }
                Detection::None(e) => {
                    return Err(NodeError::invalid("value", e.code(), e.to_string()));
                }
            },
        };
        self.entity_view(actor, normalized.identifier.entity_id(), true)
    }

    /// An entity by id.
    pub fn entity(&self, actor: &Actor, id: EntityId) -> Result<Audited<Lookup>> {
        self.entity_view(actor, id, false)
    }

    fn entity_view(
        &self,
        actor: &Actor,
        id: EntityId,
        caller_knows_value: bool,
    ) -> Result<Audited<Lookup>> {
        let store = self.store_ref();
        let record: EntityRecord = store.entity(id)?.ok_or(NodeError::NotFound("entity"))?;
        let mut per_agency: BTreeMap<AgencyId, SightingSummary> = BTreeMap::new();
        let mut held_by: BTreeMap<AgencyId, HeldBy> = BTreeMap::new();
        let mut reports: Vec<(Timestamp, ReportId)> = Vec::new();
        for s in store.sightings(id)? {
            match access_to_sighting(actor, &s) {
                Access::Full => {
                    let e = per_agency.entry(s.agency).or_insert(SightingSummary {
                        agency: s.agency,
                        reports: 0,
                        first_seen: s.seen_at,
                        last_seen: s.seen_at,
                    });
                    e.reports += 1;
                    e.first_seen = e.first_seen.min(s.seen_at);
                    e.last_seen = e.last_seen.max(s.seen_at);
                    reports.push((s.seen_at, s.report));
                }
                Access::HitOnly => {
                    held_by.insert(s.agency, HeldBy { agency: s.agency });
                }
                Access::None => {}
            }
        }
        // An entity seen only where the actor may learn nothing does not exist for them.
        if per_agency.is_empty() && held_by.is_empty() {
            return Err(NodeError::NotFound("entity"));
        }
        for a in per_agency.keys() {
            held_by.remove(a);
        }
        reports.sort_by(|a, b| b.cmp(a));
        reports.truncate(limits::MAX_LOOKUP_REPORTS);
        let value = (caller_knows_value || !per_agency.is_empty()).then(|| record.value.clone());
        let lookup = Lookup {
            id,
            kind: record.kind,
            value,
            sightings: per_agency.into_values().collect(),
            held_by: held_by.into_values().collect(),
            reports: reports.into_iter().map(|(_, r)| r).collect(),
        };
        Ok(Audited::new(
            lookup,
            vec![actor.audit("entity.read", "entity", id)],
        ))
    }
}
