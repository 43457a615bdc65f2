//! Posting lists: the report handles that hold an entity, in the reports' `seq` order (arrival
//! order, which is what "earlier" means for hits). One posting is kept inline in the entity
//! record; longer lists live in the shard's `u32` arena in segments of a power-of-two capacity
//! (derived from the length, so it costs no field), moved to the arena's end when they grow,
//! and the arena is compacted when more than half of it is garbage. A list longer than
//! `LongLists::at` leaves the arena for a chunked list of its own (`chunked`, `Shard::long`):
//! a shard is copied whole by the first write to it after a publish, and a hub's postings (a
//! million at ten million sightings) must not be part of that copy.
//!
//! A busy entity also keeps the owner of each posting beside it (`Busy::owners`, or the long
//! list's `owners`); inserting and removing postings here keeps those in step.

use crate::chunked::{Chunked, View};
use crate::entities::{EntityRec, FLAG_BUSY, FLAG_LONG, LongList, LongLists, Shard};
use std::sync::Arc;

/// A posting list, wherever it is kept.
pub(crate) type Postings<'a> = View<'a, u32>;

fn cap(len: u32) -> usize {
    if len <= 1 {
        0
    } else {
        len.next_power_of_two() as usize
    }
}

impl Shard {
    pub(crate) fn postings<'a>(&'a self, rec: &'a EntityRec) -> Postings<'a> {
        if rec.flags & FLAG_LONG != 0 {
            return self
                .long
                .get(rec.post as usize)
                .map(|l| l.posts.view())
                .unwrap_or_default();
        }
        match rec.len {
            0 => View::Flat(&[]),
            1 => View::Flat(std::slice::from_ref(&rec.post)),
            n => {
                let off = rec.post as usize;
                View::Flat(self.post.get(off..off + n as usize).unwrap_or_default())
            }
        }
    }

    /// The owners of a busy entity's postings, in posting order (`None` if it is not busy, or
    /// if they are not in step with the postings).
    pub(crate) fn owners(&self, local: u32) -> Option<View<'_, u16>> {
        let rec = self.recs.get(local as usize)?;
        let owners = if rec.flags & FLAG_LONG != 0 {
            self.busy.get(&local)?;
            self.long.get(rec.post as usize)?.owners.view()
        } else {
            View::Flat(self.busy.get(&local)?.owners.as_slice())
        };
        (owners.len() == rec.len as usize).then_some(owners)
    }

    /// Replaces the owners of entity `local`'s postings (when it becomes busy).
    pub(crate) fn set_owners(&mut self, local: u32, owners: Vec<u16>) {
        let Some(rec) = self.recs.get(local as usize) else {
            return;
        };
        if rec.flags & FLAG_LONG != 0 {
            if let Some(l) = self.long.get_mut(rec.post as usize) {
                let l = Arc::make_mut(l);
                l.owners = Chunked::from_slice(&owners, l.posts.leaf());
            }
            if let Some(b) = self.busy.get_mut(&local) {
                b.owners = Vec::new();
            }
        } else if let Some(b) = self.busy.get_mut(&local) {
            b.owners = owners;
        }
    }

    /// Inserts report handle `r`, owned by agency `owner`, at position `pos` of entity
    /// `local`'s postings; if the entity is busy, also the owner beside it and the agency's
    /// count.
    pub(crate) fn insert_posting(
        &mut self,
        local: u32,
        pos: usize,
        r: u32,
        owner: u16,
        long: LongLists,
    ) {
        let Some(rec) = self.recs.get(local as usize) else {
            return;
        };
        let (len, post, flags) = (rec.len, rec.post, rec.flags);
        let pos = pos.min(len as usize);
        let busy = flags & FLAG_BUSY != 0;
        if flags & FLAG_LONG != 0 {
            if let Some(l) = self.long.get_mut(post as usize) {
                let l = Arc::make_mut(l);
                let in_step = l.owners.len() == l.posts.len();
                l.posts.insert(pos, r);
                if busy && in_step {
                    l.owners.insert(pos, owner);
                }
            }
            if let Some(rec) = self.recs.get_mut(local as usize) {
                rec.len = len + 1;
            }
            if busy {
                self.busy.entry(local).or_default().add_agency(owner, 1);
            }
            return;
        }
        let new_post = match len {
            0 => r,
            1 => {
                crate::tiles::reserve(&mut self.post, 2);
                let off = self.post.len() as u32;
                if pos == 0 {
                    self.post.extend_from_slice(&[r, post]);
                } else {
                    self.post.extend_from_slice(&[post, r]);
                }
                off
            }
            n if (n as usize) < cap(n) => {
                let off = post as usize;
                if let Some(seg) = self.post.get_mut(off..=off + n as usize) {
                    seg.copy_within(pos..n as usize, pos + 1);
                    if let Some(x) = seg.get_mut(pos) {
                        *x = r;
                    }
                }
                post
            }
            n => {
                let off = post as usize;
                let new_off = self.post.len();
                let new_cap = cap(n + 1);
                crate::tiles::reserve(&mut self.post, new_cap);
                for i in 0..n as usize {
                    if i == pos {
                        self.post.push(r);
                    }
                    let v = self.post.get(off + i).copied().unwrap_or_default();
                    self.post.push(v);
                }
                if pos >= n as usize {
                    self.post.push(r);
                }
                self.post.resize(new_off + new_cap, 0);
                self.post_garbage += cap(n);
                new_off as u32
            }
        };
        if let Some(rec) = self.recs.get_mut(local as usize) {
            rec.post = new_post;
            rec.len = len + 1;
        }
        if busy {
            let b = self.busy.entry(local).or_default();
            b.add_agency(owner, 1);
            if pos <= b.owners.len() {
                b.owners.insert(pos, owner);
            }
        }
        if len + 1 > long.at {
            self.make_long(local, long.leaf as usize);
        }
        self.maybe_compact();
    }

    /// Moves entity `local`'s postings (and owners, if in step) out of the arena into a long
    /// list.
    fn make_long(&mut self, local: u32, leaf: usize) {
        let Some(rec) = self.recs.get(local as usize) else {
            return;
        };
        if rec.flags & FLAG_LONG != 0 {
            return;
        }
        let len = rec.len;
        let posts = Chunked::from_slice(&self.postings(rec).to_vec(), leaf);
        let owners = match self.busy.get_mut(&local) {
            Some(b) if b.owners.len() == len as usize => {
                Chunked::from_slice(&std::mem::take(&mut b.owners), leaf)
            }
            _ => Chunked::new(leaf),
        };
        let Ok(i) = u32::try_from(self.long.len()) else {
            return;
        };
        self.long.push(Arc::new(LongList { posts, owners }));
        self.post_garbage += cap(len);
        if let Some(rec) = self.recs.get_mut(local as usize) {
            rec.post = i;
            rec.flags |= FLAG_LONG;
        }
    }

    /// Removes the posting at `pos` of entity `local`, owned by agency `owner`; if the entity
    /// is busy, also the owner beside it and from the agency's count.
    pub(crate) fn remove_posting(&mut self, local: u32, pos: usize, owner: u16) {
        let Some(rec) = self.recs.get(local as usize) else {
            return;
        };
        let (len, post, flags) = (rec.len, rec.post, rec.flags);
        if pos >= len as usize {
            return;
        }
        let busy = flags & FLAG_BUSY != 0;
        if flags & FLAG_LONG != 0 {
            if let Some(l) = self.long.get_mut(post as usize) {
                let l = Arc::make_mut(l);
                let in_step = l.owners.len() == l.posts.len();
                l.posts.remove(pos);
                if in_step {
                    l.owners.remove(pos);
                }
            }
            if let Some(rec) = self.recs.get_mut(local as usize) {
                rec.len = len - 1;
            }
            if busy {
                self.busy.entry(local).or_default().add_agency(owner, -1);
            }
            return;
        }
        let new_post = match len {
            1 => 0,
            2 => {
                self.post_garbage += 2;
                let keep = if pos == 0 { 1 } else { 0 };
                self.post
                    .get(post as usize + keep)
                    .copied()
                    .unwrap_or_default()
            }
            n => {
                let off = post as usize;
                if let Some(seg) = self.post.get_mut(off..off + n as usize) {
                    seg.copy_within(pos + 1.., pos);
                }
                self.post_garbage += cap(n) - cap(n - 1);
                post
            }
        };
        if let Some(rec) = self.recs.get_mut(local as usize) {
            rec.post = new_post;
            rec.len = len - 1;
        }
        if busy {
            let b = self.busy.entry(local).or_default();
            b.add_agency(owner, -1);
            if pos < b.owners.len() {
                b.owners.remove(pos);
            }
        }
        self.maybe_compact();
    }

    fn maybe_compact(&mut self) {
        if self.post_garbage < 256 || self.post_garbage * 2 < self.post.len() {
            return;
        }
        let mut arena = Vec::with_capacity(self.post.len().saturating_sub(self.post_garbage));
        for rec in &mut self.recs {
            if rec.len >= 2 && rec.flags & FLAG_LONG == 0 {
                let off = rec.post as usize;
                let list = self
                    .post
                    .get(off..off + rec.len as usize)
                    .unwrap_or_default();
                rec.post = arena.len() as u32;
                arena.extend_from_slice(list);
                arena.resize(rec.post as usize + cap(rec.len), 0);
            }
        }
        self.post = arena;
        self.post_garbage = 0;
    }
}

#[cfg(test)]
mod tests {
    use crate::entities::{Busy, EntityRec, FLAG_BUSY, FLAG_LONG, LongLists, Shard};
    use warroom_domain::EntityId;

    fn shard(n: usize) -> Shard {
        let mut s = Shard::default();
        for _ in 0..n {
            s.recs.push(EntityRec {
                id: EntityId::random(),
                value: 0,
                post: 0,
                len: 0,
                kind: 0,
                flags: 0,
            });
        }
        s
    }

    fn list(s: &Shard, l: u32) -> Vec<u32> {
        s.recs
            .get(l as usize)
            .map(|r| s.postings(r).to_vec())
            .unwrap_or_default()
    }

    fn owner_of(r: u32) -> u16 {
        (r % 7) as u16
    }

    /// Random inserts and removals on three lists against `Vec`s; entity 1 keeps owners.
    fn like_a_vec(long: LongLists) -> Shard {
        let mut s = shard(3);
        s.busy.insert(1, Busy::default());
        s.recs[1].flags |= FLAG_BUSY;
        let mut model: Vec<Vec<u32>> = vec![vec![]; 3];
        let mut x: u64 = 7;
        for step in 0..20_000u32 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let l = (x >> 33) as usize % 3;
            let m = &mut model[l];
            if m.is_empty() || !(x >> 40).is_multiple_of(3) {
                let pos = (x >> 20) as usize % (m.len() + 1);
                m.insert(pos, step);
                s.insert_posting(l as u32, pos, step, owner_of(step), long);
            } else {
                let pos = (x >> 20) as usize % m.len();
                let r = m.remove(pos);
                s.remove_posting(l as u32, pos, owner_of(r));
            }
            assert_eq!(list(&s, l as u32), *m, "step {step}");
        }
        for l in 0..3 {
            assert_eq!(list(&s, l), model[l as usize]);
        }
        let owners: Vec<u16> = model[1].iter().map(|r| owner_of(*r)).collect();
        assert_eq!(s.owners(1).map(|o| o.to_vec()), Some(owners));
        assert!(s.owners(0).is_none());
        assert!(s.post.len() <= 4 * (model.iter().map(Vec::len).sum::<usize>() + 64));
        s
    }

    #[test]
    fn inserts_and_removes_anywhere_like_a_vec() {
        let s = like_a_vec(LongLists::default());
        assert!(s.long.is_empty());
    }

    #[test]
    fn long_lists_leave_the_arena_and_behave_the_same() {
        let s = like_a_vec(LongLists { at: 40, leaf: 8 });
        assert_eq!(s.long.len(), 3);
        assert!(s.recs.iter().all(|r| r.flags & FLAG_LONG != 0));
        // Nothing of theirs is left in the arena once it is compacted.
        assert!(s.post.len() < 256 + 2 * 40, "arena of {}", s.post.len());
        assert!(s.busy.get(&1).is_some_and(|b| b.owners.is_empty()));
    }

    #[test]
    fn a_copy_of_the_shard_shares_its_long_lists_and_keeps_its_postings() {
        let long = LongLists { at: 16, leaf: 4 };
        let mut s = shard(1);
        s.busy.insert(0, Busy::default());
        s.recs[0].flags |= FLAG_BUSY;
        for r in 0..1000u32 {
            s.insert_posting(0, r as usize, r * 2, owner_of(r), long);
        }
        let snap = s.clone();
        assert!(std::sync::Arc::ptr_eq(&s.long[0], &snap.long[0]));
        s.insert_posting(0, 1000, 5000, 3, long);
        s.insert_posting(0, 10, 19, 4, long);
        s.remove_posting(0, 500, 0);
        let before: Vec<u32> = (0..1000).map(|r| r * 2).collect();
        assert_eq!(list(&snap, 0), before);
        let mut after = before.clone();
        after.push(5000);
        after.insert(10, 19);
        after.remove(500);
        assert_eq!(list(&s, 0), after);
        let owners = s.owners(0).map(|o| o.to_vec()).unwrap_or_default();
        assert_eq!(owners.len(), after.len());
        assert_eq!(owners.get(10), Some(&4));
        assert_eq!(owners.last(), Some(&3));
        assert_eq!(
            snap.owners(0).map(|o| o.len()),
            Some(1000),
            "the copy's owners are unchanged"
        );
    }
}
