//! The neighbourhood of an entity: the entity's newest reports the actor reads in full and every
//! entity those reports name, as a bipartite graph (report – entity), for the entity page's
//! small interactive graph.
//!
//! Only reports the policy gives [`Access::Full`] take part. A report the actor may only hear of
//! (hit/no-hit) or not at all adds nothing: no node, no edge, and no count that would reveal it;
//! so neither does an entity named only in such reports.

use crate::policy::access_to_report;
use crate::{Actor, Audited, Node, NodeError, Result};
use jiff::Timestamp;
use std::collections::{BTreeMap, HashSet};
use warroom_domain::policy::Access;
use warroom_domain::{AgencyId, EntityId, ReportId, ReportKind, Tlp};
use warroom_store::ReportRecord;

/// Most reports one neighbourhood holds.
pub const MAX_NEIGHBOURHOOD_REPORTS: usize = 50;
/// Reports a neighbourhood holds when the caller does not say.
pub const DEFAULT_NEIGHBOURHOOD_REPORTS: usize = 20;
/// Most entities one neighbourhood holds (a report may name up to 1,000): past it, entities of
/// older reports are left out and the answer is marked truncated. The graph is drawn in a
/// browser with a quadratic layout; a few hundred nodes is its useful size.
pub const MAX_NEIGHBOURHOOD_ENTITIES: usize = 300;
/// Characters of a narrative a report's title is cut from.
const TITLE_CHARS: usize = 60;

/// What an actor may see around an entity.
#[derive(Clone, Debug, PartialEq)]
pub struct Neighbourhood {
    /// The entity asked about; always `entities[0]`.
    pub centre: EntityId,
    /// Readable reports naming the centre, newest first.
    pub reports: Vec<NeighbourReport>,
    /// The centre, then every entity the reports name, in order of first appearance.
    pub entities: Vec<NeighbourEntity>,
    /// (report, entity): the report names the entity. Each pair once.
    pub edges: Vec<(ReportId, EntityId)>,
    /// More readable reports name the centre than are shown, or entities were left out.
    pub truncated: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NeighbourReport {
    pub id: ReportId,
    /// The first words of the narrative (reports have no title of their own).
    pub title: String,
    pub kind: ReportKind,
    pub owner: AgencyId,
    pub owner_name: String,
    pub reported_at: Timestamp,
    pub marking: Tlp,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NeighbourEntity {
    pub id: EntityId,
    /// `phone`, `bank_account`, ..., `person`, `organisation` or `location`.
    pub kind: String,
    /// The canonical value of an identifier, the name of anything else. `None` only for the
    /// centre when the actor reads no report holding it (they may only know who holds it).
    pub value: Option<String>,
    /// Why the identifier never correlates, when it does not: the graph greys it.
    pub noise: Option<NoiseKind>,
}

/// Why an identifier never correlates, without the numbers: a hub's counts are measured over
/// every report, hidden ones included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoiseKind {
    Warninglisted,
    Hub,
}

impl NoiseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoiseKind::Warninglisted => "warninglisted",
            NoiseKind::Hub => "hub",
        }
    }

    fn of(n: &warroom_correlate::Noise) -> Self {
        match n {
            warroom_correlate::Noise::Warninglisted { .. } => NoiseKind::Warninglisted,
            warroom_correlate::Noise::Hub { .. } => NoiseKind::Hub,
        }
    }
}

impl Node {
    /// The entity's newest `limit` (1 to [`MAX_NEIGHBOURHOOD_REPORTS`]) reports the actor reads
    /// in full, and what they name. Unknown, and known only from reports the actor may learn
    /// nothing of, are both `NotFound`, as for [`Node::entity`]; an entity the actor may only
    /// hear of (hit/no-hit) is just its centre, without value. Released once its one
    /// `entity.neighbourhood` event is committed.
    pub fn neighbourhood(
        &self,
        actor: &Actor,
        id: EntityId,
        limit: usize,
    ) -> Result<Audited<Neighbourhood>> {
        let limit = limit.clamp(1, MAX_NEIGHBOURHOOD_REPORTS);
        // The entity read decides what exists for the actor and lists the readable reports,
        // newest first; its own event is replaced by this read's.
        let (lookup, _entity_read) = self.entity_view(actor, id, false)?.into_parts();
        let readable_total: u64 = lookup.sightings.iter().map(|s| s.reports).sum();
        let mut records: Vec<ReportRecord> = Vec::new();
        let mut truncated = false;
        for rid in &lookup.reports {
            // The index's answer may be a moment old: the stored report decides again (it may
            // have been retracted, re-marked, or updated to no longer name the entity).
            let Some(r) = self.store_ref().report(*rid)? else {
                continue;
            };
            if r.retracted_at.is_some()
                || access_to_report(actor, &r) != Access::Full
                || !r.entities.iter().any(|e| e.id == id)
            {
                continue;
            }
            if records.len() == limit {
                truncated = true;
                break;
            }
            records.push(r);
        }
        // The lookup lists at most `MAX_LOOKUP_REPORTS`; the sightings count all.
        truncated |= readable_total > lookup.reports.len() as u64;

        let names: BTreeMap<AgencyId, String> = if records.is_empty() {
            BTreeMap::new()
        } else {
            self.store_ref()
                .agencies()?
                .into_iter()
                .map(|a| (a.id, a.name))
                .collect()
        };
        let reader = self.inner.correlation.reader();
        let noise = |e: EntityId| reader.and_then(|r| r.noise(e)).map(|n| NoiseKind::of(&n));
        let mut entities = vec![NeighbourEntity {
            id,
            kind: lookup.kind.clone(),
            value: lookup.value.clone(),
            noise: lookup.noise.as_ref().map(NoiseKind::of),
        }];
        let mut present: HashSet<EntityId> = HashSet::from([id]);
        let mut edges = Vec::new();
        let mut reports = Vec::with_capacity(records.len());
        for r in &records {
            let mut named: HashSet<EntityId> = HashSet::new();
            for e in &r.entities {
                if !named.insert(e.id) {
                    continue;
                }
                if !present.contains(&e.id) {
                    if entities.len() == MAX_NEIGHBOURHOOD_ENTITIES {
                        truncated = true;
                        continue;
                    }
                    present.insert(e.id);
                    entities.push(NeighbourEntity {
                        id: e.id,
                        kind: e.kind.clone(),
                        value: Some(e.value.clone()),
                        noise: noise(e.id),
                    });
                }
                edges.push((r.id, e.id));
            }
            reports.push(NeighbourReport {
                id: r.id,
                title: first_words(r, TITLE_CHARS)?,
                kind: r.kind,
                owner: r.owner,
                owner_name: names.get(&r.owner).cloned().unwrap_or_default(),
                reported_at: r.reported_at,
                marking: r.marking,
            });
        }
        Ok(Audited::new(
            Neighbourhood {
                centre: id,
                reports,
                entities,
                edges,
                truncated,
            },
            vec![actor.audit("entity.neighbourhood", "entity", id)],
        ))
    }
}

/// The first words of a report's narrative, at most `max` characters, whitespace folded; cut
/// words end in an ellipsis. Narratives in Thai or Japanese have no spaces: they are cut by
/// characters.
fn first_words(r: &ReportRecord, max: usize) -> Result<String> {
    #[derive(serde::Deserialize)]
    struct Narrative {
        narrative: String,
    }
    let body: Narrative = serde_json::from_str(&r.body)
        .map_err(|e| NodeError::Corrupt(format!("report {}: {e}", r.id)))?;
    Ok(shorten(&body.narrative, max))
}

fn shorten(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        let sep = usize::from(!out.is_empty());
        if chars + sep + n > max {
            if out.is_empty() {
                // One long word (or a text without spaces): cut it.
                out.extend(word.chars().take(max));
            }
            out.push('…');
            return out;
        }
        if sep == 1 {
            out.push(' ');
        }
        out.push_str(word);
        chars += sep + n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn titles_are_cut_at_words_or_characters() {
        assert_eq!(shorten("  a  caller\nused\tit ", 60), "a caller used it");
        assert_eq!(shorten("one two three", 7), "one two…");
        assert_eq!(shorten("โทรมาอ้างว่าเป็นตำรวจ", 5), "โทรมา…");
        assert_eq!(shorten("", 5), "");
    }
}
