//! Hit entries, kept per agency as compact keys: `(report handle << 32) | entity handle`, eight
//! bytes, in `(seq, entity id)` order (resolved through the index, so a key need not carry
//! them). A key says only "this agency was involved when the entry was made": every read
//! validates it against the current postings, so retractions, updates and noise changes make
//! entries vanish without touching the lists.
//!
//! Busy identifiers (see `entities::BUSY_AT`) would cost a key per later posting for every
//! agency that held them earlier (a platform domain in thousands of reports of fifteen
//! agencies: tens of thousands of keys). Their entries are read from their postings instead:
//! an agency keeps one subscription per busy identifier it holds, and a listing merges the
//! agency's keys with those postings.

use std::sync::Arc;
use warroom_domain::EntityId;

/// Keys per leaf.
const LEAF: usize = 512;

pub(crate) fn pack(report: u32, egid: u32) -> u64 {
    (u64::from(report) << 32) | u64::from(egid)
}

pub(crate) fn unpack(key: u64) -> (u32, u32) {
    ((key >> 32) as u32, key as u32)
}

/// The sort key of a packed key: the report's seq and the entity's id.
pub(crate) type SortKey = (u64, EntityId);

/// Leaves per group before a group is split in two.
const GROUP: usize = 64;

type Leaf = Arc<Vec<u64>>;
type Group = Arc<Vec<Leaf>>;

/// A sorted set of packed keys: a two-level tree of `Arc`ed groups of `Arc`ed leaves of at most
/// [`LEAF`] keys, so a snapshot shares everything and an insertion copies one leaf, one group
/// of leaf pointers and the group pointers (about a hundred at ten million keys). Keys mostly
/// arrive in order (new reports have the highest seq): those are appended to the last leaf,
/// and a full last leaf is followed by a new one rather than split, so leaves stay full.
#[derive(Clone, Debug, Default)]
pub(crate) struct KeyList {
    groups: Vec<Group>,
    len: usize,
    /// The sort key of the last key.
    last: Option<SortKey>,
}

fn first_of(g: &Group) -> Option<u64> {
    g.first().and_then(|l| l.first()).copied()
}

impl KeyList {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The group and leaf `key` belongs in: the last whose first key is not after it.
    fn locate(&self, key: &SortKey, res: &dyn Fn(u64) -> SortKey) -> (usize, usize) {
        let gi = self
            .groups
            .partition_point(|g| first_of(g).is_some_and(|f| res(f) <= *key))
            .saturating_sub(1);
        let li = self.groups.get(gi).map_or(0, |g| {
            g.partition_point(|l| l.first().is_some_and(|f| res(*f) <= *key))
                .saturating_sub(1)
        });
        (gi, li)
    }

    /// Adds `k`, whose sort key is `key`; false if it was there.
    pub(crate) fn insert(&mut self, k: u64, key: SortKey, res: &dyn Fn(u64) -> SortKey) -> bool {
        match self.last {
            Some(l) if l == key => return false,
            Some(l) if l > key => return self.insert_inside(k, key, res),
            _ => {}
        }
        let room = self
            .groups
            .last()
            .map(|g| (g.len(), g.last().map_or(LEAF, |l| l.len())));
        match room {
            Some((_, n)) if n < LEAF => {
                if let Some(g) = self.groups.last_mut()
                    && let Some(l) = Arc::make_mut(g).last_mut()
                {
                    Arc::make_mut(l).push(k);
                }
            }
            Some((leaves, _)) if leaves < GROUP => {
                if let Some(g) = self.groups.last_mut() {
                    Arc::make_mut(g).push(new_leaf(k));
                }
            }
            _ => self.groups.push(Arc::new(vec![new_leaf(k)])),
        }
        self.last = Some(key);
        self.len += 1;
        true
    }

    fn insert_inside(&mut self, k: u64, key: SortKey, res: &dyn Fn(u64) -> SortKey) -> bool {
        let (gi, li) = self.locate(&key, res);
        let Some(group) = self.groups.get_mut(gi) else {
            return false;
        };
        let Some(leaf) = group.get(li) else {
            return false;
        };
        let pos = leaf.partition_point(|x| res(*x) < key);
        if leaf.get(pos).is_some_and(|x| res(*x) == key) {
            return false;
        }
        let group = Arc::make_mut(group);
        let Some(leaf) = group.get_mut(li) else {
            return false;
        };
        let leaf = Arc::make_mut(leaf);
        leaf.insert(pos, k);
        self.len += 1;
        if leaf.len() > LEAF {
            let tail = leaf.split_off(LEAF / 2);
            leaf.shrink_to_fit();
            group.insert(li + 1, Arc::new(tail));
            if group.len() > 2 * GROUP {
                let rest = group.split_off(GROUP);
                self.groups.insert(gi + 1, Arc::new(rest));
            }
        }
        true
    }

    /// Removes `k`; false if it was not there.
    pub(crate) fn remove(&mut self, k: u64, res: &dyn Fn(u64) -> SortKey) -> bool {
        let key = res(k);
        let (gi, li) = self.locate(&key, res);
        let Some(group) = self.groups.get_mut(gi) else {
            return false;
        };
        let Some(leaf) = group.get(li) else {
            return false;
        };
        let pos = leaf.partition_point(|x| res(*x) < key);
        if leaf.get(pos).is_none_or(|x| *x != k) {
            return false;
        }
        let g = Arc::make_mut(group);
        if let Some(leaf) = g.get_mut(li) {
            Arc::make_mut(leaf).remove(pos);
            if leaf.is_empty() {
                g.remove(li);
            }
        }
        if g.is_empty() {
            self.groups.remove(gi);
        }
        self.len -= 1;
        self.last = self
            .groups
            .last()
            .and_then(|g| g.last())
            .and_then(|l| l.last())
            .map(|x| res(*x));
        true
    }

    /// Frees spare capacity (after a bulk load).
    pub(crate) fn shrink(&mut self) {
        for g in &mut self.groups {
            let slack = g.iter().any(|l| l.capacity() > l.len());
            if slack {
                for l in Arc::make_mut(g) {
                    if l.capacity() > l.len() {
                        Arc::make_mut(l).shrink_to_fit();
                    }
                }
            }
        }
    }

    /// Keys strictly before `before` (all when `None`), newest first.
    pub(crate) fn before<'a>(
        &'a self,
        before: Option<SortKey>,
        res: &dyn Fn(u64) -> SortKey,
    ) -> impl Iterator<Item = u64> + use<'a> {
        let (gi, li, pos) = match before {
            None => (self.groups.len(), 0, 0),
            Some(b) => {
                let (gi, li) = self.locate(&b, res);
                let pos = self
                    .groups
                    .get(gi)
                    .and_then(|g| g.get(li))
                    .map_or(0, |l| l.partition_point(|x| res(*x) < b));
                (gi, li, pos)
            }
        };
        let group = self.groups.get(gi);
        let partial = group
            .and_then(|g| g.get(li))
            .map(|l| l.get(..pos).unwrap_or_default())
            .unwrap_or_default();
        let leaves_before = group
            .map(|g| g.get(..li).unwrap_or_default())
            .unwrap_or_default();
        let groups_before = self.groups.get(..gi).unwrap_or_default();
        partial
            .iter()
            .rev()
            .chain(leaves_before.iter().rev().flat_map(|l| l.iter().rev()))
            .chain(
                groups_before
                    .iter()
                    .rev()
                    .flat_map(|g| g.iter().rev().flat_map(|l| l.iter().rev())),
            )
            .copied()
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.groups.capacity() * 8
            + self
                .groups
                .iter()
                .map(|g| {
                    32 + g.capacity() * 8 + g.iter().map(|l| 32 + l.capacity() * 8).sum::<usize>()
                })
                .sum::<usize>()
    }
}

fn new_leaf(k: u64) -> Leaf {
    let mut leaf = Vec::with_capacity(LEAF);
    leaf.push(k);
    Arc::new(leaf)
}

/// One agency's hit entries: keys of ordinary identifiers, and the busy identifiers it holds.
#[derive(Clone, Debug, Default)]
pub(crate) struct AgencyHits {
    pub keys: KeyList,
    /// Entity handles, sorted (behind its own `Arc`: it changes rarely, keys often).
    pub busy: Arc<Vec<u32>>,
}

impl AgencyHits {
    pub(crate) fn subscribe(&mut self, egid: u32) {
        if let Err(i) = self.busy.binary_search(&egid) {
            Arc::make_mut(&mut self.busy).insert(i, egid);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn behaves_like_a_sorted_set_in_any_insertion_order() {
        let ids: Vec<EntityId> = (0..5).map(|_| EntityId::random()).collect();
        // key = seq * 8 + entity index; sort key = (seq, id)
        let res = |k: u64| (k / 8, ids[(k % 8) as usize % 5]);
        let mut list = KeyList::default();
        let mut model = BTreeSet::new();
        let mut x: u64 = 1;
        for _ in 0..60_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let k = ((x >> 33) % 90_000) * 8 + (x >> 50) % 5;
            if (x >> 20).is_multiple_of(4) {
                assert_eq!(
                    list.remove(k, &res),
                    model.remove(&res(k)).then_some(()).is_some()
                );
            } else {
                assert_eq!(list.insert(k, res(k), &res), model.insert(res(k)));
            }
        }
        assert_eq!(list.len(), model.len());
        let all: Vec<SortKey> = list.before(None, &res).map(res).collect();
        let want: Vec<SortKey> = model.iter().rev().copied().collect();
        assert_eq!(all, want);
        let bound = (45_000, ids[2]);
        let got: Vec<SortKey> = list.before(Some(bound), &res).map(res).collect();
        let want: Vec<SortKey> = model.range(..bound).rev().copied().collect();
        assert_eq!(got, want);
    }
}
