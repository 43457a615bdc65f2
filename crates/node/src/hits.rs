//! Cross-agency hits: listed with filters and paging, and followed live.
//!
//! Hits are computed on read from the identifier index (`warroom-correlate`): nothing per pair
//! is stored. What each side sees is shaped by the policy module through the `access`
//! function handed to the index; an agency that may learn nothing of a report never learns
//! that a hit with it exists.

use crate::policy::access_to_posting;
use crate::{Actor, Audited, Node, NodeError, Result};
use std::sync::Arc;
use warroom_correlate::{Hit, HitFilter, HitKey, NewHit};

/// Most hits per page.
pub const MAX_HITS_PAGE: usize = 200;

/// A page of hits, newest first.
#[derive(Clone, Debug, PartialEq)]
pub struct HitsPage {
    pub hits: Vec<Hit>,
    /// Pass as `cursor` for the next page; `None` at the end.
    pub next: Option<HitKey>,
}

/// What a live stream yields for one subscriber.
#[derive(Clone, Debug, PartialEq)]
pub enum HitEvent {
    Hit(Hit),
    /// The subscriber fell this many notices behind; it should list `GET /hits` again.
    Lagged(u64),
}

impl Node {
    fn hit_reader(&self) -> Result<&warroom_correlate::IndexReader> {
        self.inner
            .correlation
            .reader()
            .ok_or(NodeError::Unavailable(
                "the identifier index is being built",
            ))
    }

    /// Hits of the actor's agency, newest first, strictly before `cursor`.
    pub fn hits(
        &self,
        actor: &Actor,
        filter: &HitFilter,
        cursor: Option<HitKey>,
        limit: usize,
    ) -> Result<Audited<HitsPage>> {
        let p = actor.principal()?;
        let reader = self.hit_reader()?;
        let limit = limit.clamp(1, MAX_HITS_PAGE);
        let access = |posting: &warroom_correlate::Posting| access_to_posting(actor, posting);
        let mut hits = reader.hits(p.agency.id, &access, filter, cursor, limit + 1);
        let next = if hits.len() > limit {
            hits.truncate(limit);
            hits.last().map(|h| h.key)
        } else {
            None
        };
        let events = hits
            .iter()
            .map(|h| actor.audit("hit.read", "entity", h.entity))
            .collect();
        Ok(Audited::new(HitsPage { hits, next }, events))
    }

    /// Live notices of new hits for every agency; shape each one with [`Node::hit_for`].
    pub fn subscribe_hits(&self) -> tokio::sync::broadcast::Receiver<Arc<Vec<NewHit>>> {
        self.inner.correlation.subscribe()
    }

    /// One new hit as the actor may see it, if it concerns the actor's agency at all.
    pub fn hit_for(&self, actor: &Actor, notice: &NewHit) -> Option<Audited<Hit>> {
        let p = actor.principal.as_ref()?;
        if !notice.agencies.contains(&p.agency.id) {
            return None;
        }
        let reader = self.inner.correlation.reader()?;
        let access = |posting: &warroom_correlate::Posting| access_to_posting(actor, posting);
        let hit = reader.hit(notice.key, p.agency.id, &access)?;
        let event = actor.audit("hit.read", "entity", hit.entity);
        Some(Audited::new(hit, vec![event]))
    }
}
