//! The index as one value: what a snapshot is, and what the writer changes. Cloning it is
//! cheap (pointers to shared tiles); see `tiles`.

use crate::agencies::{Agencies, Marks};
use crate::chunked::View;
use crate::config::HubRule;
use crate::entities::{Entities, EntityRec, Shard};
use crate::entries::{AgencyHits, SortKey, unpack};
use crate::model::Posting;
use crate::postings::Postings;
use crate::reports::{ReportRec, Reports};
use std::collections::HashMap;
use std::sync::Arc;
use warroom_domain::{EntityId, IdentifierKind};

/// An entity kind as stored: its name and whether it is an identifier (identifiers hit;
/// persons, organisations and locations never do).
#[derive(Clone, Debug)]
pub(crate) struct KindInfo {
    pub name: String,
    pub identifier: bool,
}

impl KindInfo {
    pub(crate) fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            identifier: name.parse::<IdentifierKind>().is_ok(),
        }
    }
}

/// A live warninglist entry.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Warning {
    pub reason: String,
    pub source: String,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct State {
    pub rev: u64,
    pub rule: HubRule,
    pub reports: Reports,
    pub entities: Entities,
    pub kinds: Arc<Vec<KindInfo>>,
    pub agencies: Arc<Agencies>,
    /// By agency handle.
    pub hits: Vec<Arc<AgencyHits>>,
    pub warninglist: Arc<HashMap<EntityId, Warning>>,
    pub marks: Arc<Marks>,
    pub live_reports: u64,
    pub live_entities: u64,
    pub sightings: u64,
}

impl State {
    pub(crate) fn report(&self, r: u32) -> Option<&ReportRec> {
        self.reports.get(r)
    }

    pub(crate) fn seq(&self, r: u32) -> u64 {
        self.reports.get(r).map_or(0, |x| x.seq)
    }

    pub(crate) fn entity(&self, egid: u32) -> Option<(&Shard, &EntityRec)> {
        self.entities.get(egid)
    }

    pub(crate) fn kind(&self, k: u8) -> Option<&KindInfo> {
        self.kinds.get(usize::from(k))
    }

    pub(crate) fn is_identifier(&self, rec: &EntityRec) -> bool {
        self.kind(rec.kind).is_some_and(|k| k.identifier)
    }

    pub(crate) fn postings(&self, egid: u32) -> Postings<'_> {
        match self.entities.get(egid) {
            Some((s, rec)) => s.postings(rec),
            None => Postings::default(),
        }
    }

    /// The owners of a busy entity's postings, in posting order.
    pub(crate) fn owners(&self, egid: u32) -> Option<View<'_, u16>> {
        let (s, l) = crate::entities::split(egid);
        self.entities.shards.get(s)?.owners(l)
    }

    pub(crate) fn sort_key(&self, key: u64) -> SortKey {
        let (r, e) = unpack(key);
        let id = self
            .entities
            .get(e)
            .map_or(EntityId(Default::default()), |(_, rec)| rec.id);
        (self.seq(r), id)
    }

    /// Where report `r` is among `postings` (ordered by seq), if it is there.
    pub(crate) fn position(&self, postings: Postings<'_>, r: u32) -> Option<usize> {
        let seq = self.seq(r);
        let pos = postings.partition_point(|p| self.seq(p) < seq);
        if postings.get(pos) == Some(r) {
            return Some(pos);
        }
        // Equal seqs (never given by the store) fall back to a scan.
        postings.iter().position(|p| p == r)
    }

    pub(crate) fn posting(&self, r: u32) -> Option<Posting> {
        let rec = self.reports.get(r)?;
        Some(Posting {
            report: rec.id,
            seq: rec.seq,
            agency: self.agencies.id(rec.owner)?,
            seen_at: rec.seen_at,
            marking: rec.marking,
            distribution: rec.distribution.clone(),
            hit_notices: rec.hit_notices,
        })
    }

    pub(crate) fn agency_hits(&self, h: u16) -> Option<&AgencyHits> {
        self.hits.get(usize::from(h)).map(|a| &**a)
    }
}
