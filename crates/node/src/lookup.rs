//! Entity lookups: by id, or by any raw writing of an identifier.

use crate::policy::{access_to_posting, access_to_sighting};
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
    /// Why the identifier never correlates (warninglisted, or a hub), when it does not.
    pub noise: Option<warroom_correlate::Noise>,
    /// The risk score over what the actor may know, term by term; `None` while the index is
    /// being built.
    pub risk: Option<warroom_correlate::Risk>,
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
        self.lookup_value_with(actor, value, kind, region, true)
    }

    /// [`Node::lookup_value`], computing the risk score only when `with_risk` (a bulk checker
    /// asking "who holds this?" for every number it sees need not pay for it).
    pub fn lookup_value_with(
        &self,
        actor: &Actor,
        value: &str,
        kind: Option<&str>,
        region: Option<CountryCode>,
        with_risk: bool,
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
        self.entity_view_with(actor, normalized.identifier.entity_id(), true, with_risk)
    }

    /// An entity by id.
    pub fn entity(&self, actor: &Actor, id: EntityId) -> Result<Audited<Lookup>> {
        self.entity_view(actor, id, false)
    }

    /// `NotFound` unless the actor may learn something of the entity.
    pub(crate) fn entity_visible(&self, actor: &Actor, id: EntityId) -> Result<()> {
        // The view is only a check here; the caller audits what it does.
        let _unreleased = self.entity_view(actor, id, false)?;
        Ok(())
    }

    pub(crate) fn entity_view(
        &self,
        actor: &Actor,
        id: EntityId,
        caller_knows_value: bool,
    ) -> Result<Audited<Lookup>> {
        self.entity_view_with(actor, id, caller_knows_value, true)
    }

    fn entity_view_with(
        &self,
        actor: &Actor,
        id: EntityId,
        caller_knows_value: bool,
        with_risk: bool,
    ) -> Result<Audited<Lookup>> {
        let mut per_agency: BTreeMap<AgencyId, SightingSummary> = BTreeMap::new();
        let mut held_by: BTreeMap<AgencyId, HeldBy> = BTreeMap::new();
        let mut reports: Vec<(Timestamp, ReportId)> = Vec::new();
        let mut see =
            |access: Access, agency: AgencyId, report: ReportId, seen_at: Timestamp| match access {
                Access::Full => {
                    let e = per_agency.entry(agency).or_insert(SightingSummary {
                        agency,
                        reports: 0,
                        first_seen: seen_at,
                        last_seen: seen_at,
                    });
                    e.reports += 1;
                    e.first_seen = e.first_seen.min(seen_at);
                    e.last_seen = e.last_seen.max(seen_at);
                    reports.push((seen_at, report));
                }
                Access::HitOnly => {
                    held_by.insert(agency, HeldBy { agency });
                }
                Access::None => {}
            };
        let (kind, value, noise, risk) = match self.inner.correlation.reader() {
            // The identifier index answers without touching the store.
            Some(reader) => {
                let view = reader.entity(id).ok_or(NodeError::NotFound("entity"))?;
                for p in &view.postings {
                    see(access_to_posting(actor, p), p.agency, p.report, p.seen_at);
                }
                let access = |p: &warroom_correlate::Posting| access_to_posting(actor, p);
                let viewer = actor.agency_id();
                let risk = viewer
                    .filter(|_| with_risk)
                    .and_then(|v| reader.risk(id, v, &access, Timestamp::now()));
                (view.kind, view.value, reader.noise(id), risk)
            }
            None => {
                let store = self.store_ref();
                let record: EntityRecord =
                    store.entity(id)?.ok_or(NodeError::NotFound("entity"))?;
                for s in store.sightings(id)? {
                    see(access_to_sighting(actor, &s), s.agency, s.report, s.seen_at);
                }
                (record.kind, record.value, None, None)
            }
        };
        // An entity seen only where the actor may learn nothing does not exist for them.
        if per_agency.is_empty() && held_by.is_empty() {
            return Err(NodeError::NotFound("entity"));
        }
        for a in per_agency.keys() {
            held_by.remove(a);
        }
        // Hub status is decided over every report, but the numbers shown are the actor's
        // own view: a count must not include reports they may learn nothing of.
        let visible_reports: u64 = per_agency.values().map(|s| s.reports).sum();
        let visible_agencies = (per_agency.len() + held_by.len()) as u64;
        let own_view = |n: warroom_correlate::Noise| match n {
            warroom_correlate::Noise::Hub { threshold, .. } => warroom_correlate::Noise::Hub {
                reports: visible_reports,
                agencies: visible_agencies,
                threshold,
                // Measured over every report, hidden ones included: not shown.
                lift: 0.0,
            },
            other => other,
        };
        let noise = noise.map(own_view);
        let risk = risk.map(|mut r| {
            r.noise = r.noise.map(own_view);
            r
        });
        reports.sort_by(|a, b| b.cmp(a));
        reports.truncate(limits::MAX_LOOKUP_REPORTS);
        let value = (caller_knows_value || !per_agency.is_empty()).then_some(value);
        let lookup = Lookup {
            id,
            kind,
            value,
            sightings: per_agency.into_values().collect(),
            held_by: held_by.into_values().collect(),
            reports: reports.into_iter().map(|(_, r)| r).collect(),
            noise,
            risk,
        };
        Ok(Audited::new(
            lookup,
            vec![actor.audit("entity.read", "entity", id)],
        ))
    }
}
