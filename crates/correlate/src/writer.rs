//! The one writer: applies changes to its own copy of the index and publishes it.

use crate::agencies::{Mark, Verdict};
use crate::entities::{Busy, FLAG_BUSY, split};
use crate::entries::{AgencyHits, SortKey, pack, unpack};
use crate::hits::valid_entry;
use crate::key::HitKey;
use crate::model::NewHit;
use crate::noise::{measure, noise_of};
use crate::reports::ReportRec;
use crate::state::{KindInfo, State, Warning};
use crate::table::Table;
use arc_swap::ArcSwap;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use warroom_domain::{AgencyId, CountryCode, Distribution, EntityId, ReportId};
use warroom_store::{ChangedReport, MarkRecord, WarningRecord};

/// Changes applied between two publishes after which the publish frees spare capacity.
const SHRINK_AFTER: u64 = 50_000;

/// Applies changes and publishes them to the readers. `Send`; there is one.
#[derive(Debug)]
pub struct IndexWriter {
    state: State,
    shared: Arc<ArcSwap<State>>,
    report_table: Table<u64>,
    report_hasher: RandomState,
    kind_ids: HashMap<String, u8>,
    /// Interned distributions by a hash of their content.
    dists: HashMap<u64, Vec<Arc<Distribution>>>,
    /// Changes applied since the last publish.
    applied: u64,
    /// Entries created since the last publish, with the agencies they newly concern.
    pending: BTreeMap<u64, BTreeSet<u16>>,
    /// Busy identifiers whose postings changed since the last publish.
    dirty: BTreeSet<u32>,
    busy_at: u32,
    quiet: bool,
    max_rev: u64,
}

impl IndexWriter {
    pub(crate) fn new(state: State, shared: Arc<ArcSwap<State>>) -> Self {
        let busy_at = state
            .rule
            .min_reports
            .clamp(2, u64::from(crate::entities::BUSY_AT)) as u32;
        Self {
            state,
            shared,
            report_table: Table::default(),
            report_hasher: RandomState::new(),
            kind_ids: HashMap::new(),
            dists: HashMap::new(),
            applied: 0,
            pending: BTreeMap::new(),
            dirty: BTreeSet::new(),
            busy_at,
            quiet: false,
            max_rev: 0,
        }
    }

    /// The highest revision applied.
    pub fn rev(&self) -> u64 {
        self.max_rev
    }

    /// For tests: posting lists longer than `at` leave their shard's arena for leaves of `leaf`
    /// postings (defaults: 4,096 and 1,024), so small worlds exercise long lists. Lists already
    /// long stay as they are.
    #[doc(hidden)]
    pub fn set_long_lists(&mut self, at: u32, leaf: u32) {
        self.state.entities.long = crate::entities::LongLists {
            at: at.max(1),
            leaf: leaf.max(2),
        };
    }

    /// While quiet, applied changes create no [`NewHit`]s: for a rebuild from the change log,
    /// whose hits are history, not news (and would be held in memory until the publish).
    pub fn set_quiet(&mut self, quiet: bool) {
        self.quiet = quiet;
    }

    fn report_handle(&self, id: &ReportId) -> Option<u32> {
        let h = self.report_hasher.hash_one(id.0.as_bytes());
        let reports = &self.state.reports;
        self.report_table
            .find(h, |r| reports.get(r).is_some_and(|x| x.id == *id))
    }

    fn kind_id(&mut self, kind: &str) -> u8 {
        if let Some(k) = self.kind_ids.get(kind) {
            return *k;
        }
        let kinds = Arc::make_mut(&mut self.state.kinds);
        match u8::try_from(kinds.len()) {
            Ok(k) if k < u8::MAX => {
                kinds.push(KindInfo::new(kind));
                self.kind_ids.insert(kind.to_owned(), k);
                k
            }
            // More than 254 kinds: the rest share one entry that never hits.
            _ => {
                if kinds.len() == usize::from(u8::MAX) {
                    kinds.push(KindInfo {
                        name: "other".into(),
                        identifier: false,
                    });
                }
                u8::MAX
            }
        }
    }

    fn agency(&mut self, id: AgencyId) -> Option<u16> {
        if let Some(h) = self.state.agencies.handle(&id) {
            return Some(h);
        }
        let h = Arc::make_mut(&mut self.state.agencies).intern(id)?;
        while self.state.hits.len() <= usize::from(h) {
            self.state.hits.push(Arc::new(AgencyHits::default()));
        }
        Some(h)
    }

    fn distribution(&mut self, d: &Distribution) -> Arc<Distribution> {
        let h = self.report_hasher.hash_one((&d.agencies, &d.groups));
        let list = self.dists.entry(h).or_default();
        if let Some(x) = list.iter().find(|x| ***x == *d) {
            return x.clone();
        }
        let x = Arc::new(d.clone());
        list.push(x.clone());
        x
    }

    /// Inserts or replaces a report by id (its current version). A retracted report's
    /// postings are removed. A change whose `rev` is not above the one already applied for its
    /// report is ignored.
    pub fn apply(&mut self, change: &ChangedReport) {
        self.max_rev = self.max_rev.max(change.rev);
        let rec = &change.report;
        let Some(owner) = self.agency(rec.owner) else {
            return;
        };
        let distribution = self.distribution(&rec.distribution);
        let retracted = rec.retracted_at.is_some();
        let facts = ReportRec {
            id: rec.id,
            seq: change.seq,
            rev: change.rev,
            reported_at: rec.reported_at,
            seen_at: rec.seen_at(),
            distribution,
            ents_off: 0,
            ents_len: 0,
            owner,
            marking: rec.marking,
            hit_notices: rec.hit_notices,
            retracted,
        };
        let r = match self.report_handle(&rec.id) {
            Some(r) => {
                if self
                    .state
                    .reports
                    .get(r)
                    .is_some_and(|x| change.rev <= x.rev)
                {
                    return;
                }
                r
            }
            None => {
                let Some(r) = self.state.reports.push(ReportRec {
                    retracted: true,
                    ..facts.clone()
                }) else {
                    return;
                };
                let h = self.report_hasher.hash_one(rec.id.0.as_bytes());
                let (reports, hasher) = (&self.state.reports, &self.report_hasher);
                self.report_table.insert(h, r, |x| {
                    reports
                        .get(x)
                        .map_or(0, |x| hasher.hash_one(x.id.0.as_bytes()))
                });
                r
            }
        };
        // The new entity list.
        let mut new: Vec<u32> = Vec::with_capacity(rec.entities.len());
        if !retracted {
            for e in &rec.entities {
                let kind = self.kind_id(&e.kind);
                let Some(g) = self.state.entities.intern(&e.id, kind, &e.value) else {
                    continue;
                };
                self.refresh_value(g, &e.value);
                new.push(g);
            }
            new.sort_unstable();
            new.dedup();
        }
        let mut old: Vec<u32> = self.state.reports.entities(r).to_vec();
        old.sort_unstable();
        let (was_live, old_owner, old_seq) = match self.state.reports.get(r) {
            Some(x) => (!x.retracted, x.owner, x.seq),
            None => return,
        };
        self.applied += 1;
        let owner_changed = old_owner != owner;
        for e in &old {
            if owner_changed || new.binary_search(e).is_err() {
                self.remove_posting(r, *e);
            }
        }
        if let Some(x) = self.state.reports.get_mut(r) {
            // The seq is given once, at insert; postings are ordered by it.
            *x = ReportRec {
                seq: old_seq,
                ents_off: x.ents_off,
                ents_len: x.ents_len,
                ..facts
            };
        }
        self.state.reports.set_entities(r, &new);
        match (was_live, retracted) {
            (false, false) => self.state.live_reports += 1,
            (true, true) => self.state.live_reports = self.state.live_reports.saturating_sub(1),
            _ => {}
        }
        for e in &new {
            if owner_changed || old.binary_search(e).is_err() {
                self.add_posting(r, *e);
            }
        }
    }

    fn refresh_value(&mut self, egid: u32, value: &str) {
        let differs = self
            .state
            .entity(egid)
            .is_some_and(|(s, rec)| s.value(rec) != value);
        if differs && let Some((shard, local)) = self.state.entities.shard_mut(egid) {
            let off = shard.push_value(value);
            if let Some(rec) = shard.recs.get_mut(local as usize) {
                rec.value = off;
            }
        }
    }

    fn insert_key(&mut self, agency: u16, key: u64, sort: SortKey) {
        let State {
            hits,
            reports,
            entities,
            ..
        } = &mut self.state;
        let res = |k: u64| {
            let (r, e) = unpack(k);
            let id = entities
                .get(e)
                .map_or(EntityId(Default::default()), |(_, rec)| rec.id);
            (reports.get(r).map_or(0, |x| x.seq), id)
        };
        if let Some(h) = hits.get_mut(usize::from(agency)) {
            Arc::make_mut(h).keys.insert(key, sort, &res);
        }
    }

    fn remove_key(&mut self, agency: u16, key: u64) {
        let State {
            hits,
            reports,
            entities,
            ..
        } = &mut self.state;
        let res = |k: u64| {
            let (r, e) = unpack(k);
            let id = entities
                .get(e)
                .map_or(EntityId(Default::default()), |(_, rec)| rec.id);
            (reports.get(r).map_or(0, |x| x.seq), id)
        };
        if let Some(h) = hits.get_mut(usize::from(agency)) {
            Arc::make_mut(h).keys.remove(key, &res);
        }
    }

    fn subscribe(&mut self, agency: u16, egid: u32) {
        if let Some(h) = self.state.hits.get_mut(usize::from(agency))
            && h.busy.binary_search(&egid).is_err()
        {
            Arc::make_mut(h).subscribe(egid);
        }
    }

    fn note(&mut self, key: u64, agencies: impl IntoIterator<Item = u16>) {
        if !self.quiet {
            self.pending.entry(key).or_default().extend(agencies);
        }
    }

    fn owner(&self, r: u32) -> Option<u16> {
        self.state.reports.get(r).map(|x| x.owner)
    }

    fn add_posting(&mut self, r: u32, egid: u32) {
        let Some((seq, owner)) = self.state.reports.get(r).map(|x| (x.seq, x.owner)) else {
            return;
        };
        let State {
            entities, reports, ..
        } = &mut self.state;
        let long = entities.long;
        let Some((shard, local)) = entities.shard_mut(egid) else {
            return;
        };
        let Some(rec) = shard.recs.get(local as usize) else {
            return;
        };
        let pos = {
            let list = shard.postings(rec);
            let seq_of = |p: u32| reports.get(p).map_or(0, |x| x.seq);
            if list.last().is_none_or(|p| seq_of(p) < seq) {
                list.len()
            } else {
                list.partition_point(|p| seq_of(p) < seq)
            }
        };
        shard.insert_posting(local, pos, r, owner, long);
        let Some(rec) = shard.recs.get(local as usize) else {
            return;
        };
        let (len, id, mut busy) = (rec.len, rec.id, rec.flags & FLAG_BUSY != 0);
        if len == 1 {
            self.state.live_entities += 1;
        }
        self.state.sightings += 1;
        if busy {
            self.subscribe(owner, egid);
            self.dirty.insert(egid);
        } else if len >= self.busy_at {
            self.become_busy(egid);
            busy = true;
        }
        let identifier = self
            .state
            .entity(egid)
            .is_some_and(|(_, rec)| self.state.is_identifier(rec));
        if !identifier {
            return;
        }
        let append = pos + 1 == len as usize;
        // Agencies other than the owner that held the identifier earlier, and whether the
        // owner did.
        let mut others: Vec<u16> = Vec::new();
        let mut owner_earlier = false;
        if busy && append {
            let (s, l) = split(egid);
            if let Some(b) = self
                .state
                .entities
                .shards
                .get(s)
                .and_then(|sh| sh.busy.get(&l))
            {
                for (a, n) in &b.agencies {
                    if *a != owner {
                        others.push(*a);
                    } else if *n > 1 {
                        owner_earlier = true;
                    }
                }
            }
        } else {
            for p in self
                .state
                .postings(egid)
                .prefix(pos)
                .unwrap_or_default()
                .iter()
            {
                match self.owner(p) {
                    Some(o) if o == owner => owner_earlier = true,
                    Some(o) if !others.contains(&o) => others.push(o),
                    _ => {}
                }
            }
        }
        let key = pack(r, egid);
        if !others.is_empty() {
            if !busy {
                self.insert_key(owner, key, (seq, id));
                for a in &others {
                    self.insert_key(*a, key, (seq, id));
                }
            }
            self.note(key, std::iter::once(owner).chain(others.iter().copied()));
        }
        if append || owner_earlier {
            return;
        }
        // An old report gained the identifier: the owner now held it before every later
        // report of it (up to the owner's own next one).
        let mut later: Vec<(u32, u16, u64)> = Vec::new();
        for p in self
            .state
            .postings(egid)
            .suffix(pos + 1)
            .unwrap_or_default()
            .iter()
        {
            let Some(x) = self.state.reports.get(p) else {
                continue;
            };
            if x.owner == owner {
                break;
            }
            later.push((p, x.owner, x.seq));
        }
        for (p, b, pseq) in later {
            let k = pack(p, egid);
            if !busy {
                self.insert_key(owner, k, (pseq, id));
                self.insert_key(b, k, (pseq, id));
            }
            self.note(k, [owner, b]);
        }
    }

    fn become_busy(&mut self, egid: u32) {
        let mut b = Busy::default();
        let mut owners = Vec::new();
        for p in self.state.postings(egid).iter() {
            let o = self.owner(p).unwrap_or(u16::MAX);
            b.add_agency(o, 1);
            owners.push(o);
        }
        let agencies: Vec<u16> = b.agencies.iter().map(|(a, _)| *a).collect();
        if let Some((shard, local)) = self.state.entities.shard_mut(egid) {
            if let Some(rec) = shard.recs.get_mut(local as usize) {
                rec.flags |= FLAG_BUSY;
            }
            shard.busy.insert(local, b);
            shard.set_owners(local, owners);
        }
        for a in agencies {
            self.subscribe(a, egid);
        }
        self.dirty.insert(egid);
    }

    fn remove_posting(&mut self, r: u32, egid: u32) {
        let Some(owner) = self.owner(r) else {
            return;
        };
        let list = self.state.postings(egid);
        let Some(pos) = self.state.position(list, r) else {
            return;
        };
        let (busy, identifier) = match self.state.entity(egid) {
            Some((_, rec)) => (rec.flags & FLAG_BUSY != 0, self.state.is_identifier(rec)),
            None => return,
        };
        if identifier && !busy {
            let earlier: BTreeSet<u16> = list
                .prefix(pos)
                .unwrap_or_default()
                .iter()
                .filter_map(|p| self.owner(p))
                .filter(|a| *a != owner)
                .collect();
            let key = pack(r, egid);
            self.remove_key(owner, key);
            for a in earlier {
                self.remove_key(a, key);
            }
        }
        if let Some((shard, local)) = self.state.entities.shard_mut(egid) {
            shard.remove_posting(local, pos, owner);
            if shard.recs.get(local as usize).is_some_and(|x| x.len == 0) {
                self.state.live_entities = self.state.live_entities.saturating_sub(1);
            }
        }
        self.state.sightings = self.state.sightings.saturating_sub(1);
        if busy {
            self.dirty.insert(egid);
        }
    }

    /// The agencies' countries (for risk). Agencies not named keep their handles, without a
    /// country. Whether anything changed: a caller publishes only then (the follower reloads
    /// these every few seconds, and a snapshot shared with readers is copied on write).
    pub fn set_agencies(&mut self, agencies: &[(AgencyId, CountryCode)]) -> bool {
        let mut changed = false;
        for (id, cc) in agencies {
            if let Some(h) = self.agency(*id) {
                let known = self.state.agencies.list.get(usize::from(h)).map(|x| x.1);
                if known == Some(Some(*cc)) {
                    continue;
                }
                let a = Arc::make_mut(&mut self.state.agencies);
                if let Some(x) = a.list.get_mut(usize::from(h)) {
                    x.1 = Some(*cc);
                    changed = true;
                }
            }
        }
        changed
    }

    /// Replaces the warninglist; live entries are those not removed that name an entity.
    pub fn set_warninglist(&mut self, entries: &[WarningRecord]) -> bool {
        let list = entries
            .iter()
            .filter(|w| w.removed_at.is_none())
            .filter_map(|w| {
                Some((
                    w.entity?,
                    Warning {
                        reason: w.reason.clone(),
                        source: w.source.clone(),
                    },
                ))
            })
            .collect();
        if *self.state.warninglist == list {
            return false;
        }
        self.state.warninglist = Arc::new(list);
        true
    }

    /// Replaces the analysts' marks. Verdicts other than `confirmed` and `false_positive` are
    /// ignored.
    pub fn set_marks(&mut self, marks: &[MarkRecord]) -> bool {
        let mut by: HashMap<EntityId, Vec<Mark>> = HashMap::new();
        for m in marks {
            let verdict = match m.verdict.as_str() {
                "confirmed" => Verdict::Confirmed,
                "false_positive" => Verdict::FalsePositive,
                _ => continue,
            };
            by.entry(m.entity).or_default().push(Mark {
                agency: m.agency,
                verdict,
            });
        }
        if *self.state.marks == by {
            return false;
        }
        self.state.marks = Arc::new(by);
        true
    }

    /// After a bulk load, vectors grown by doubling hold up to twice what they need.
    fn shrink(&mut self) {
        self.state.reports.shrink();
        self.state.entities.shrink();
        for h in &mut self.state.hits {
            Arc::make_mut(h).keys.shrink();
        }
    }

    /// Makes everything applied since the last publish visible to readers, and returns the
    /// hit entries the applied changes created, each with the agencies it newly concerns (for a
    /// live stream: shape each with `IndexReader::hit` for each agency). Entries that are no
    /// longer valid (retracted or changed again in the same batch) or whose identifier is noise
    /// are left out.
    pub fn publish(&mut self) -> Vec<NewHit> {
        let sample = self.state.rule.sample;
        let min = self.state.rule.min_reports;
        for egid in std::mem::take(&mut self.dirty) {
            let Some((shard, rec)) = self.state.entity(egid) else {
                continue;
            };
            if u64::from(rec.len) < min {
                continue;
            }
            let (_, local) = split(egid);
            let stale = shard
                .busy
                .get(&local)
                .and_then(|b| b.hub)
                .is_none_or(|h| h.stale(rec.len));
            if !stale {
                continue;
            }
            let stat = measure(&self.state, egid, sample);
            if let Some((shard, local)) = self.state.entities.shard_mut(egid) {
                shard.busy.entry(local).or_default().hub = stat;
            }
        }
        let mut out = Vec::new();
        for (key, agencies) in std::mem::take(&mut self.pending) {
            let (r, egid) = unpack(key);
            // Noise first: it is two lookups, and it drops a hub's entries (a long list to
            // search) without resolving them.
            if noise_of(&self.state, egid).is_some() {
                continue;
            }
            let Some(entry) = valid_entry(&self.state, r, egid) else {
                continue;
            };
            let owner_in = agencies.contains(&entry.owner);
            let wanted: Vec<u16> = agencies.into_iter().filter(|a| *a != entry.owner).collect();
            let found = entry.earlier_holders(&self.state, wanted);
            let agencies: Vec<AgencyId> = owner_in
                .then_some(entry.owner)
                .into_iter()
                .chain(found)
                .filter_map(|a| self.state.agencies.id(a))
                .collect();
            if !agencies.is_empty() {
                out.push(NewHit {
                    key: HitKey {
                        seq: entry.seq,
                        entity: entry.entity,
                    },
                    agencies,
                });
            }
        }
        out.sort_by_key(|h| h.key);
        if self.applied >= SHRINK_AFTER {
            self.shrink();
        }
        self.applied = 0;
        self.state.rev = self.max_rev;
        self.shared.store(Arc::new(self.state.clone()));
        out
    }
}
