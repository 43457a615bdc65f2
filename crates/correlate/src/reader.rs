//! Readers: each call loads the published snapshot (lock-free) and reads it; a writer
//! publishing meanwhile never blocks or changes what the call sees.

use crate::hits::{self, AccessFn};
use crate::key::HitKey;
use crate::model::{EntityView, Hit, HitFilter, Noise, Risk, Stats};
use crate::noise::noise_of;
use crate::risk;
use crate::state::State;
use arc_swap::ArcSwap;
use jiff::Timestamp;
use std::sync::Arc;
use warroom_domain::{AgencyId, EntityId};

/// Reads the published index. `Clone + Send + Sync`; clones share the same index.
#[derive(Clone, Debug)]
pub struct IndexReader {
    pub(crate) shared: Arc<ArcSwap<State>>,
}

impl IndexReader {
    fn load(&self) -> arc_swap::Guard<Arc<State>> {
        self.shared.load()
    }

    /// The highest revision published.
    pub fn rev(&self) -> u64 {
        self.load().rev
    }

    /// The entity and every non-retracted report holding it, oldest `seen_at` first; `None`
    /// when no such report exists. Unfiltered: the caller asks the policy about each posting.
    pub fn entity(&self, id: EntityId) -> Option<EntityView> {
        let st = self.load();
        let egid = st.entities.find(&id)?;
        let (shard, rec) = st.entity(egid)?;
        if rec.len == 0 {
            return None;
        }
        let mut postings: Vec<_> = shard
            .postings(rec)
            .iter()
            .filter_map(|p| st.posting(p))
            .collect();
        postings.sort_by_key(|p| (p.seen_at, p.seq));
        Some(EntityView {
            id,
            kind: st
                .kind(rec.kind)
                .map(|k| k.name.clone())
                .unwrap_or_default(),
            value: shard.value(rec).to_owned(),
            postings,
        })
    }

    /// Why the identifier must not correlate, if it must not.
    pub fn noise(&self, id: EntityId) -> Option<Noise> {
        let st = self.load();
        noise_of(&st, st.entities.find(&id)?)
    }

    /// The viewer's hits, newest first, strictly before `before`, at most `limit`.
    pub fn hits(
        &self,
        viewer: AgencyId,
        access: AccessFn<'_>,
        filter: &HitFilter,
        before: Option<HitKey>,
        limit: usize,
    ) -> Vec<Hit> {
        hits::list(&self.load(), viewer, access, filter, before, limit)
    }

    /// One entry as one viewer may see it (for a live stream of [`crate::NewHit`]s).
    pub fn hit(&self, key: HitKey, viewer: AgencyId, access: AccessFn<'_>) -> Option<Hit> {
        hits::one(&self.load(), key, viewer, access)
    }

    /// The identifier's risk as the viewer may know it; `None` when the viewer may know of no
    /// report holding it (or it is not an identifier).
    pub fn risk(
        &self,
        id: EntityId,
        viewer: AgencyId,
        access: AccessFn<'_>,
        now: Timestamp,
    ) -> Option<Risk> {
        risk::risk(&self.load(), id, viewer, access, now)
    }

    /// Sizes of the published index.
    pub fn stats(&self) -> Stats {
        let st = self.load();
        let hit_entries: usize = st.hits.iter().map(|h| h.keys.len()).sum();
        let subs: usize = st.hits.iter().map(|h| h.busy.len()).sum();
        let hits_heap: usize = st
            .hits
            .iter()
            .map(|h| 64 + h.keys.heap_bytes() + h.busy.capacity() * 4)
            .sum();
        // The writer's report-id table (four bytes a slot, at most 7/8 full).
        let id_table = (st.reports.len() * 8 / 7 + 1).next_power_of_two() * 4;
        let heap = st.reports.heap_bytes()
            + st.entities.heap_bytes()
            + hits_heap
            + id_table
            + st.warninglist.len() * 96
            + st.marks.len() * 64;
        Stats {
            reports: st.live_reports,
            entities: st.live_entities,
            sightings: st.sightings,
            hit_entries: hit_entries as u64,
            hit_subscriptions: subs as u64,
            heap_bytes: heap as u64,
        }
    }
}
