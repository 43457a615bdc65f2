//! Hits, computed on read. An entry (later report R, identifier I) exists while R holds I, I is
//! an identifier, and a report of another agency held I earlier (smaller seq). Shaping for a
//! viewer asks the policy (`access`) about every report it would show; nothing here decides who
//! may read what.

use crate::chunked::View;
use crate::entities::FLAG_BUSY;
use crate::entries::{SortKey, unpack};
use crate::key::HitKey;
use crate::model::{Hit, HitFilter, Posting, Shown, Side};
use crate::noise::noise_of;
use crate::postings::Postings;
use crate::reports::ReportRec;
use crate::state::State;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use warroom_domain::policy::Access;
use warroom_domain::{AgencyId, EntityId};

pub(crate) type AccessFn<'a> = &'a dyn Fn(&Posting) -> Access;

/// A valid entry, resolved.
pub(crate) struct Entry<'a> {
    pub r: u32,
    pub seq: u64,
    pub entity: EntityId,
    pub owner: u16,
    pub report: &'a ReportRec,
    pub kind: &'a str,
    pub value: &'a str,
    /// I's postings before R.
    pub earlier: Postings<'a>,
    /// Their owners, when I is busy (kept beside its postings).
    pub owners: Option<View<'a, u16>>,
}

impl<'a> Entry<'a> {
    /// The owners of the earlier postings, in posting order (`None` for a report not found).
    fn earlier_owners<'s>(
        &self,
        state: &'s State,
    ) -> impl Iterator<Item = Option<u16>> + use<'a, 's> {
        let (kept, looked_up) = match self.owners {
            Some(o) => (Some(o.iter().map(Some)), None),
            None => (
                None,
                Some(
                    self.earlier
                        .iter()
                        .map(move |p| state.report(p).map(|x| x.owner)),
                ),
            ),
        };
        kept.into_iter()
            .flatten()
            .chain(looked_up.into_iter().flatten())
    }

    /// Which of `wanted` hold an earlier posting, in the order of their first one.
    pub(crate) fn earlier_holders(&self, state: &State, mut wanted: Vec<u16>) -> Vec<u16> {
        let mut found = Vec::new();
        for o in self.earlier_owners(state) {
            if wanted.is_empty() {
                break;
            }
            if let Some(o) = o
                && let Some(i) = wanted.iter().position(|a| *a == o)
            {
                found.push(wanted.swap_remove(i));
            }
        }
        found
    }

    pub(crate) fn earlier_owner(&self, state: &State, agency: u16) -> bool {
        match self.owners {
            Some(o) => o.contains(agency),
            None => self
                .earlier
                .iter()
                .any(|p| state.report(p).is_some_and(|x| x.owner == agency)),
        }
    }

    /// The earlier postings of `agency`.
    fn earlier_of(&self, state: &State, agency: u16) -> Vec<u32> {
        let slices = self
            .owners
            .and_then(|o| o.as_slice())
            .zip(self.earlier.as_slice());
        if let Some((owners, earlier)) = slices {
            // Two slices side by side (an arena list): the common case, kept a tight loop.
            return owners
                .iter()
                .zip(earlier)
                .filter(|(a, _)| **a == agency)
                .map(|(_, p)| *p)
                .collect();
        }
        self.earlier
            .iter()
            .zip(self.earlier_owners(state))
            .filter(|(_, o)| *o == Some(agency))
            .map(|(p, _)| p)
            .collect()
    }
}

/// The entry (report `r`, identifier `egid`) if it exists now (noise aside).
pub(crate) fn valid_entry(state: &State, r: u32, egid: u32) -> Option<Entry<'_>> {
    let (shard, rec) = state.entity(egid)?;
    let kind = state.kind(rec.kind).filter(|k| k.identifier)?;
    let report = state.report(r).filter(|x| !x.retracted)?;
    let postings = shard.postings(rec);
    let pos = state.position(postings, r)?;
    let earlier = postings.prefix(pos)?;
    let owners = state.owners(egid).and_then(|o| o.prefix(pos));
    let other = match owners {
        Some(o) => o.iter().any(|a| a != report.owner),
        None => earlier
            .iter()
            .any(|p| state.report(p).is_some_and(|x| x.owner != report.owner)),
    };
    other.then(|| Entry {
        r,
        seq: report.seq,
        entity: rec.id,
        owner: report.owner,
        report,
        kind: &kind.name,
        value: shard.value(rec),
        earlier,
        owners,
    })
}

fn full(p: &Posting) -> Shown {
    Shown::Full {
        report: p.report,
        agency: p.agency,
        seen_at: p.seen_at,
    }
}

/// The entry as viewer `v` (agency handle) may see it, if at all.
pub(crate) fn shape(state: &State, e: &Entry<'_>, v: u16, access: AccessFn<'_>) -> Option<Hit> {
    let r_posting = state.posting(e.r)?;
    let (side, report, counterparts) = if e.owner == v {
        if access(&r_posting) != Access::Full {
            return None;
        }
        let mut shown = Vec::new();
        let mut held_by: Vec<AgencyId> = Vec::new();
        let mut owners = e.owners.map(|o| o.iter());
        for p in e.earlier.iter() {
            if owners.as_mut().and_then(|o| o.next()) == Some(v) {
                continue;
            }
            let Some(x) = state.report(p) else { continue };
            if x.owner == v || !x.hit_notices {
                continue;
            }
            let Some(p) = state.posting(p) else { continue };
            match access(&p) {
                Access::Full => shown.push(full(&p)),
                Access::HitOnly => {
                    if !held_by.contains(&p.agency) {
                        held_by.push(p.agency);
                    }
                }
                Access::None => {}
            }
        }
        for a in held_by {
            if !shown.iter().any(|s| s.agency() == a) {
                shown.push(Shown::HeldBy { agency: a });
            }
        }
        (Side::Submitted, full(&r_posting), shown)
    } else {
        if !e.report.hit_notices || !e.earlier_owner(state, v) {
            return None;
        }
        let report = match access(&r_posting) {
            Access::Full => full(&r_posting),
            Access::HitOnly => Shown::HeldBy {
                agency: r_posting.agency,
            },
            Access::None => return None,
        };
        let own: Vec<Shown> = e
            .earlier_of(state, v)
            .into_iter()
            .filter_map(|p| state.posting(p))
            .filter(|p| access(p) == Access::Full)
            .map(|p| full(&p))
            .collect();
        (Side::Held, report, own)
    };
    if counterparts.is_empty() {
        return None;
    }
    Some(Hit {
        key: HitKey {
            seq: e.seq,
            entity: e.entity,
        },
        at: e.report.reported_at,
        entity: e.entity,
        kind: e.kind.to_owned(),
        value: e.value.to_owned(),
        side,
        report,
        counterparts,
    })
}

fn passes(h: &Hit, f: &HitFilter, viewer: AgencyId) -> bool {
    f.side.is_none_or(|s| s == h.side)
        && f.since.is_none_or(|t| h.at >= t)
        && f.until.is_none_or(|t| h.at < t)
        && f.counterpart.is_none_or(|c| {
            c != viewer
                && (h.report.agency() == c || h.counterparts.iter().any(|s| s.agency() == c))
        })
}

/// One entry for one viewer, noise excluded.
pub(crate) fn one(
    state: &State,
    key: HitKey,
    viewer: AgencyId,
    access: AccessFn<'_>,
) -> Option<Hit> {
    let v = state.agencies.handle(&viewer)?;
    let egid = state.entities.find(&key.entity)?;
    let postings = state.postings(egid);
    let pos = postings.partition_point(|p| state.seq(p) < key.seq);
    let r = postings.get(pos).filter(|p| state.seq(*p) == key.seq)?;
    let e = valid_entry(state, r, egid)?;
    if noise_of(state, egid).is_some() {
        return None;
    }
    shape(state, &e, v, access)
}

/// A source of candidate keys, newest first.
enum Stream<'a> {
    Keys(Box<dyn Iterator<Item = u64> + 'a>),
    /// A busy identifier's postings, newest first.
    Postings {
        egid: u32,
        list: std::iter::Rev<crate::chunked::Iter<'a, u32>>,
    },
}

impl Stream<'_> {
    /// The next candidate as (report, identifier).
    fn next(&mut self) -> Option<(u32, u32)> {
        match self {
            Stream::Keys(it) => it.next().map(unpack),
            Stream::Postings { egid, list } => list.next().map(|r| (r, *egid)),
        }
    }
}

/// The viewer's hits, newest first, strictly before `before`.
pub(crate) fn list(
    state: &State,
    viewer: AgencyId,
    access: AccessFn<'_>,
    filter: &HitFilter,
    before: Option<HitKey>,
    limit: usize,
) -> Vec<Hit> {
    let mut out = Vec::new();
    let Some(v) = state.agencies.handle(&viewer) else {
        return out;
    };
    if limit == 0 {
        return out;
    }
    let bound: Option<SortKey> = before.map(|k| (k.seq, k.entity));
    let below = |key: SortKey| bound.is_none_or(|b| key < b);
    let kind_ok = |egid: u32| {
        filter.kind.as_deref().is_none_or(|k| {
            state
                .entity(egid)
                .and_then(|(_, rec)| state.kind(rec.kind))
                .is_some_and(|x| x.name == k)
        })
    };
    let postings_stream = |egid: u32| -> Option<Stream<'_>> {
        if !kind_ok(egid) || noise_of(state, egid).is_some() {
            return None;
        }
        let list = state.postings(egid);
        let floor = match state.owners(egid) {
            Some(o) => o.iter().position(|a| a == v)?,
            None => list
                .iter()
                .position(|p| state.report(p).is_some_and(|x| x.owner == v))?,
        };
        let next = match bound {
            None => list.len(),
            Some(b) => list.partition_point(|p| {
                let seq = state.seq(p);
                state.entity(egid).is_some_and(|(_, rec)| (seq, rec.id) < b)
            }),
        };
        // Down to the viewer's first posting.
        let list = list.slice(floor, next.max(floor)).unwrap_or_default();
        Some(Stream::Postings {
            egid,
            list: list.iter().rev(),
        })
    };
    let mut streams: Vec<Stream<'_>> = Vec::new();
    if let Some(id) = filter.entity {
        let Some(egid) = state.entities.find(&id) else {
            return out;
        };
        streams.extend(postings_stream(egid));
    } else {
        let Some(hits) = state.agency_hits(v) else {
            return out;
        };
        let res = |k: u64| state.sort_key(k);
        streams.push(Stream::Keys(Box::new(
            hits.keys.before(bound, &res).filter(move |k| {
                let (_, egid) = unpack(*k);
                state
                    .entity(egid)
                    .is_some_and(|(_, rec)| rec.flags & FLAG_BUSY == 0)
            }),
        )));
        for egid in hits.busy.iter() {
            streams.extend(postings_stream(*egid));
        }
    }
    let mut heap: BinaryHeap<(SortKey, Reverse<usize>, u32, u32)> = BinaryHeap::new();
    let push = |heap: &mut BinaryHeap<_>, i: usize, s: &mut Stream<'_>| {
        if let Some((r, egid)) = s.next() {
            let key = state.sort_key(crate::entries::pack(r, egid));
            if below(key) {
                heap.push((key, Reverse(i), r, egid));
            }
        }
    };
    for (i, s) in streams.iter_mut().enumerate() {
        push(&mut heap, i, s);
    }
    while let Some((_, Reverse(i), r, egid)) = heap.pop() {
        if let Some(s) = streams.get_mut(i) {
            push(&mut heap, i, s);
        }
        if !kind_ok(egid) {
            continue;
        }
        let Some(e) = valid_entry(state, r, egid) else {
            continue;
        };
        if noise_of(state, egid).is_some() {
            continue;
        }
        if let Some(h) = shape(state, &e, v, access)
            && passes(&h, filter, viewer)
        {
            out.push(h);
            if out.len() >= limit {
                break;
            }
        }
    }
    out
}
