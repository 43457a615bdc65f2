//! A persistent vector of tiles: two levels of `Arc`s, so that a snapshot is a clone of a few
//! dozen pointers and a writer that changes one tile copies that tile and one group of 64
//! pointers, never the rest (`Arc::make_mut` copies only what a published snapshot still
//! shares; a tile the writer already copied since the last publish is changed in place).

use std::sync::Arc;

const GROUP: usize = 64;

/// Makes room for `extra` more elements, growing by half rather than doubling: the big vectors
/// of a shard or chunk grow in place over a long load, and what doubling leaves unused (and
/// the allocator keeps after moving them) is most of the index's overhead.
pub(crate) fn reserve<T>(v: &mut Vec<T>, extra: usize) {
    if v.len() + extra > v.capacity() {
        v.reserve_exact(extra.max(v.capacity() / 2).max(4));
    }
}

#[derive(Debug)]
pub(crate) struct Tiles<T> {
    groups: Vec<Arc<Vec<Arc<T>>>>,
    len: usize,
}

impl<T> Clone for Tiles<T> {
    fn clone(&self) -> Self {
        Self {
            groups: self.groups.clone(),
            len: self.len,
        }
    }
}

impl<T> Default for Tiles<T> {
    fn default() -> Self {
        Self {
            groups: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Clone> Tiles<T> {
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        self.groups
            .get(i / GROUP)
            .and_then(|g| g.get(i % GROUP))
            .map(|t| &**t)
    }

    /// The tile for writing: copied first if a snapshot still shares it.
    pub(crate) fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        let g = self.groups.get_mut(i / GROUP)?;
        let g = Arc::make_mut(g);
        g.get_mut(i % GROUP).map(Arc::make_mut)
    }

    pub(crate) fn push(&mut self, tile: T) {
        if self.len.is_multiple_of(GROUP) {
            self.groups.push(Arc::new(Vec::with_capacity(GROUP)));
        }
        if let Some(g) = self.groups.last_mut() {
            Arc::make_mut(g).push(Arc::new(tile));
            self.len += 1;
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.groups.iter().flat_map(|g| g.iter().map(|t| &**t))
    }

    /// Each tile with the number of `Arc`s that point at it (for the heap estimate: a tile a
    /// snapshot shares with the writer is counted by whoever is asked, once).
    pub(crate) fn pointer_bytes(&self) -> usize {
        self.groups.len() * std::mem::size_of::<usize>() * (GROUP + 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_after_a_snapshot_do_not_show_in_it() {
        let mut t: Tiles<Vec<u32>> = Tiles::default();
        for i in 0..200 {
            t.push(vec![i]);
        }
        let snap = t.clone();
        if let Some(x) = t.get_mut(130) {
            x.push(7);
        }
        assert_eq!(snap.get(130), Some(&vec![130]));
        assert_eq!(t.get(130), Some(&vec![130, 7]));
        assert_eq!(t.len(), 200);
        assert!(t.get(200).is_none());
        // Untouched tiles are still shared.
        assert!(std::ptr::eq(
            snap.get(3).unwrap_or(&vec![]),
            t.get(3).unwrap_or(&vec![])
        ));
    }
}
