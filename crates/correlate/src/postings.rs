//! Posting lists: the report handles that hold an entity, in the reports' `seq` order (arrival
//! order, which is what "earlier" means for hits). One posting is kept inline in the entity
//! record; longer lists live in the shard's `u32` arena in segments of a power-of-two capacity
//! (derived from the length, so it costs no field), moved to the arena's end when they grow,
//! and the arena is compacted when more than half of it is garbage.

use crate::entities::{EntityRec, Shard};

fn cap(len: u32) -> usize {
    if len <= 1 {
        0
    } else {
        len.next_power_of_two() as usize
    }
}

impl Shard {
    pub(crate) fn postings<'a>(&'a self, rec: &'a EntityRec) -> &'a [u32] {
        match rec.len {
            0 => &[],
            1 => std::slice::from_ref(&rec.post),
            n => {
                let off = rec.post as usize;
                self.post.get(off..off + n as usize).unwrap_or_default()
            }
        }
    }

    /// Inserts report handle `r` at position `pos` of entity `local`'s postings.
    pub(crate) fn insert_posting(&mut self, local: u32, pos: usize, r: u32) {
        let Some(rec) = self.recs.get(local as usize) else {
            return;
        };
        let (len, post) = (rec.len, rec.post);
        let pos = pos.min(len as usize);
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
        self.maybe_compact();
    }

    /// Removes the posting at `pos` of entity `local`.
    pub(crate) fn remove_posting(&mut self, local: u32, pos: usize) {
        let Some(rec) = self.recs.get(local as usize) else {
            return;
        };
        let (len, post) = (rec.len, rec.post);
        if pos >= len as usize {
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
        self.maybe_compact();
    }

    fn maybe_compact(&mut self) {
        if self.post_garbage < 256 || self.post_garbage * 2 < self.post.len() {
            return;
        }
        let mut arena = Vec::with_capacity(self.post.len().saturating_sub(self.post_garbage));
        for rec in &mut self.recs {
            if rec.len >= 2 {
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
    use crate::entities::{EntityRec, Shard};
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

    #[test]
    fn inserts_and_removes_anywhere_like_a_vec() {
        let mut s = shard(3);
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
                s.insert_posting(l as u32, pos, step);
            } else {
                let pos = (x >> 20) as usize % m.len();
                m.remove(pos);
                s.remove_posting(l as u32, pos);
            }
            assert_eq!(list(&s, l as u32), *m, "step {step}");
        }
        for l in 0..3 {
            assert_eq!(list(&s, l), model[l as usize]);
        }
        assert!(s.post.len() <= 4 * (model.iter().map(Vec::len).sum::<usize>() + 64));
    }
}
