//! An open-addressing hash table of handles (linear probing, no deletions): the keys live in
//! the records the handles name, so a slot costs four (or eight) bytes instead of a copy of the
//! key. Each slot also keeps a few bits of the hash beside the handle, so a probe rarely has to
//! look at a record that does not match. Hashes are keyed (`RandomState`, SipHash), so values
//! chosen by a reporter cannot pile up in one probe run.

/// A slot layout: a handle and a tag packed in one integer; all ones is empty.
pub(crate) trait Slot: Copy + Eq + std::fmt::Debug {
    const EMPTY: Self;
    /// Handles must be below this.
    const MAX_HANDLE: u64;
    fn pack(handle: u32, hash: u64) -> Self;
    fn handle(self) -> u32;
    fn tag_matches(self, hash: u64) -> bool;
    fn bytes() -> usize {
        std::mem::size_of::<Self>()
    }
}

/// 19 bits of handle, 13 of tag (entity shards: at most 2^19 − 1 entities each).
impl Slot for u32 {
    const EMPTY: Self = u32::MAX;
    const MAX_HANDLE: u64 = (1 << 19) - 1;
    fn pack(handle: u32, hash: u64) -> Self {
        (handle & 0x7_FFFF) | (((hash >> 32) as u32 & 0x1FFF) << 19)
    }
    fn handle(self) -> u32 {
        self & 0x7_FFFF
    }
    fn tag_matches(self, hash: u64) -> bool {
        self >> 19 == (hash >> 32) as u32 & 0x1FFF
    }
}

/// 32 bits of handle, 32 of tag.
impl Slot for u64 {
    const EMPTY: Self = u64::MAX;
    const MAX_HANDLE: u64 = u32::MAX as u64;
    fn pack(handle: u32, hash: u64) -> Self {
        u64::from(handle) | ((hash >> 32) << 32)
    }
    fn handle(self) -> u32 {
        self as u32
    }
    fn tag_matches(self, hash: u64) -> bool {
        self >> 32 == hash >> 32
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Table<S: Slot> {
    slots: Vec<S>,
    len: usize,
}

impl<S: Slot> Default for Table<S> {
    fn default() -> Self {
        Self {
            slots: Vec::new(),
            len: 0,
        }
    }
}

impl<S: Slot> Table<S> {
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    fn mask(&self) -> usize {
        self.slots.len().wrapping_sub(1)
    }

    /// The handle whose key `is` says matches, probing from `hash`.
    pub(crate) fn find(&self, hash: u64, is: impl Fn(u32) -> bool) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.mask();
        let mut i = (hash as usize) & mask;
        loop {
            let s = *self.slots.get(i)?;
            if s == S::EMPTY {
                return None;
            }
            if s.tag_matches(hash) && is(s.handle()) {
                return Some(s.handle());
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `handle` (not present yet, below `S::MAX_HANDLE`) under `hash`; `rehash` gives the
    /// hash of any handle already in the table, for growing.
    pub(crate) fn insert(&mut self, hash: u64, handle: u32, rehash: impl Fn(u32) -> u64) {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow(&rehash);
        }
        self.place(S::pack(handle, hash), hash);
        self.len += 1;
    }

    fn place(&mut self, slot: S, hash: u64) {
        let mask = self.mask();
        let mut i = (hash as usize) & mask;
        while let Some(s) = self.slots.get_mut(i) {
            if *s == S::EMPTY {
                *s = slot;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self, rehash: &impl Fn(u32) -> u64) {
        let cap = (self.slots.len() * 2).max(8);
        let old = std::mem::replace(&mut self.slots, vec![S::EMPTY; cap]);
        for s in old {
            if s != S::EMPTY {
                let h = rehash(s.handle());
                self.place(S::pack(s.handle(), h), h);
            }
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.slots.capacity() * S::bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<S: Slot>() {
        let keys: Vec<u64> = (0..1000).map(|i| i * 7919).collect();
        // Many collisions on purpose (same probe start, same tag).
        let hash = |k: u64| (k % 13) | ((k % 3) << 40);
        let mut t: Table<S> = Table::default();
        for (h, k) in keys.iter().enumerate() {
            t.insert(hash(*k), h as u32, |x| hash(keys[x as usize]));
        }
        assert_eq!(t.len(), 1000);
        for (h, k) in keys.iter().enumerate() {
            assert_eq!(t.find(hash(*k), |x| keys[x as usize] == *k), Some(h as u32));
        }
        assert_eq!(t.find(hash(5), |x| keys[x as usize] == 5), None);
    }

    #[test]
    fn finds_what_it_holds_even_when_hashes_collide() {
        check::<u32>();
        check::<u64>();
    }
}
