//! Long posting lists: a persistent list of `Arc`ed leaves of at most `leaf` elements, in `Arc`ed
//! groups of leaves (the same two levels as `entries::KeyList`, but by position instead of by
//! key), and a tail: the last, partly filled leaf, kept inline. Appends (new reports have the
//! highest `seq`) go to the tail, which becomes a leaf when full, so leaves stay full and an
//! append touches no `Arc` below the list's own.
//!
//! A write copies only what a snapshot still shares: the list itself (the group pointers, a few
//! dozen at a million postings, and the tail) and, for an insert or removal in the middle, one
//! group of leaf pointers and one leaf; never the postings. So an append to an identifier held
//! by a million reports costs microseconds with a published snapshot alive, where a list kept
//! in the shard's arena would copy megabytes with the shard. An insert that overflows a leaf
//! splits it into halves; a removal drops a leaf that empties and merges one that gets small
//! with its neighbour.
//!
//! [`View`] reads a slice of either kind of list (a `&[T]` or a range of a chunked list), so
//! readers do not care where a posting list lives.

use std::iter::{Copied, FlatMap};
use std::slice;
use std::sync::Arc;

/// Leaves per group; a group that reaches twice this (by inserts in the middle) is split.
const GROUP: usize = 64;

type Leaf<T> = Arc<Vec<T>>;

#[derive(Debug)]
struct Group<T> {
    leaves: Vec<Leaf<T>>,
    /// Elements in all its leaves.
    len: usize,
}

impl<T> Clone for Group<T> {
    fn clone(&self) -> Self {
        Self {
            leaves: self.leaves.clone(),
            len: self.len,
        }
    }
}

/// A list of `Copy` elements in leaves of at most `leaf` elements, then the tail. Every leaf
/// and group holds at least one element; the tail at most `leaf`. A position `(g, l, o)` with
/// `g` the number of groups is offset `o` of the tail.
#[derive(Debug)]
pub(crate) struct Chunked<T> {
    groups: Vec<Arc<Group<T>>>,
    tail: Vec<T>,
    /// Elements, the tail's included.
    len: usize,
    leaf: usize,
}

impl<T: Copy> Clone for Chunked<T> {
    fn clone(&self) -> Self {
        // Room for the append that follows a copy (a clone of a `Vec` is exactly full).
        let mut tail = Vec::with_capacity((self.tail.len() + 1).min(self.leaf));
        tail.extend_from_slice(&self.tail);
        Self {
            groups: self.groups.clone(),
            tail,
            len: self.len,
            leaf: self.leaf,
        }
    }
}

/// The leaf for writing: copied first if a snapshot still shares it, with room for `extra` more.
fn leaf_mut<T: Copy>(leaf: &mut Leaf<T>, extra: usize) -> &mut Vec<T> {
    if Arc::get_mut(leaf).is_none() {
        // Not `make_mut`: a clone would be exactly full and the insert after it would copy
        // again.
        let mut v = Vec::with_capacity(leaf.len() + extra);
        v.extend_from_slice(leaf);
        *leaf = Arc::new(v);
    }
    // Unique now: `make_mut` does not copy.
    Arc::make_mut(leaf)
}

impl<T: Copy> Chunked<T> {
    /// An empty list whose leaves hold at most `leaf` elements (at least 2).
    pub(crate) fn new(leaf: usize) -> Self {
        Self {
            groups: Vec::new(),
            tail: Vec::new(),
            len: 0,
            leaf: leaf.max(2),
        }
    }

    /// A list of `items`, in full leaves.
    pub(crate) fn from_slice(items: &[T], leaf: usize) -> Self {
        let mut list = Self::new(leaf);
        let full = items.len() / list.leaf * list.leaf;
        let (leaves, tail) = items.split_at(full);
        for leaves in leaves.chunks(list.leaf * GROUP) {
            let group = Group {
                leaves: leaves
                    .chunks(list.leaf)
                    .map(|l| Arc::new(l.to_vec()))
                    .collect(),
                len: leaves.len(),
            };
            list.groups.push(Arc::new(group));
        }
        list.tail = tail.to_vec();
        list.len = items.len();
        list
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Elements per full leaf.
    pub(crate) fn leaf(&self) -> usize {
        self.leaf
    }

    /// Elements before the tail.
    fn base(&self) -> usize {
        self.len - self.tail.len()
    }

    /// Group, leaf and offset of element `i`.
    fn locate(&self, i: usize) -> Option<(usize, usize, usize)> {
        if i >= self.len {
            return None;
        }
        let base = self.base();
        if i >= base {
            return Some((self.groups.len(), 0, i - base));
        }
        // From whichever end is nearer (recent postings are at the end).
        let (gi, mut off) = if i < base / 2 {
            let mut off = i;
            let mut gi = 0;
            for g in &self.groups {
                if off < g.len {
                    break;
                }
                off -= g.len;
                gi += 1;
            }
            (gi, off)
        } else {
            let mut from_end = base - i;
            let mut gi = self.groups.len();
            for g in self.groups.iter().rev() {
                gi -= 1;
                if from_end <= g.len {
                    break;
                }
                from_end -= g.len;
            }
            (gi, self.groups.get(gi)?.len.checked_sub(from_end)?)
        };
        let g = self.groups.get(gi)?;
        for (li, l) in g.leaves.iter().enumerate() {
            if off < l.len() {
                return Some((gi, li, off));
            }
            off -= l.len();
        }
        None
    }

    /// The leaf (or the tail) at a position.
    fn slice_at(&self, g: usize, l: usize) -> &[T] {
        if g == self.groups.len() {
            return &self.tail;
        }
        self.groups
            .get(g)
            .and_then(|g| g.leaves.get(l))
            .map(|l| l.as_slice())
            .unwrap_or_default()
    }

    pub(crate) fn get(&self, i: usize) -> Option<T> {
        let (g, l, o) = self.locate(i)?;
        self.slice_at(g, l).get(o).copied()
    }

    pub(crate) fn last(&self) -> Option<T> {
        match self.tail.last() {
            Some(x) => Some(*x),
            None => self.groups.last()?.leaves.last()?.last().copied(),
        }
    }

    /// Moves a full tail into the last group (or a new one).
    fn flush_tail(&mut self) {
        let full = std::mem::take(&mut self.tail);
        let n = full.len();
        if n == 0 {
            return;
        }
        match self.groups.last_mut() {
            Some(g) if g.leaves.len() < GROUP => {
                let g = Arc::make_mut(g);
                g.leaves.push(Arc::new(full));
                g.len += n;
            }
            _ => self.groups.push(Arc::new(Group {
                leaves: vec![Arc::new(full)],
                len: n,
            })),
        }
    }

    pub(crate) fn push(&mut self, x: T) {
        if self.tail.len() >= self.leaf {
            self.flush_tail();
        }
        if self.tail.len() == self.tail.capacity() {
            // Grow by half, not doubling, and never past a full leaf.
            let room = (self.tail.capacity() / 2)
                .max(4)
                .min(self.leaf - self.tail.len())
                .max(1);
            self.tail.reserve_exact(room);
        }
        self.tail.push(x);
        self.len += 1;
    }

    /// Inserts `x` before element `i` (at the end when `i` is the length or more).
    pub(crate) fn insert(&mut self, i: usize, x: T) {
        if i >= self.len {
            return self.push(x);
        }
        if i >= self.base() {
            if self.tail.len() >= self.leaf {
                // The tail becomes a leaf, and `i` is in it (split below).
                self.flush_tail();
            } else {
                let at = i - self.base();
                self.tail.insert(at, x);
                self.len += 1;
                return;
            }
        }
        let Some((gi, li, off)) = self.locate(i) else {
            return self.push(x);
        };
        let leaf = self.leaf;
        let Some(g) = self.groups.get_mut(gi) else {
            return;
        };
        let g = Arc::make_mut(g);
        let Some(l) = g.leaves.get_mut(li) else {
            return;
        };
        let tail = {
            let v = leaf_mut(l, 1);
            v.insert(off, x);
            (v.len() > leaf).then(|| {
                let tail = v.split_off(v.len() / 2);
                v.shrink_to_fit();
                tail
            })
        };
        g.len += 1;
        self.len += 1;
        let Some(tail) = tail else {
            return;
        };
        g.leaves.insert(li + 1, Arc::new(tail));
        if g.leaves.len() < 2 * GROUP {
            return;
        }
        let leaves = g.leaves.split_off(GROUP);
        let len: usize = leaves.iter().map(|l| l.len()).sum();
        g.len -= len;
        self.groups.insert(gi + 1, Arc::new(Group { leaves, len }));
    }

    /// Removes element `i`, if there is one.
    pub(crate) fn remove(&mut self, i: usize) -> Option<T> {
        let (gi, li, off) = self.locate(i)?;
        if gi == self.groups.len() {
            let x = self.tail.remove(off);
            self.len -= 1;
            return Some(x);
        }
        let leaf = self.leaf;
        let g = Arc::make_mut(self.groups.get_mut(gi)?);
        let v = leaf_mut(g.leaves.get_mut(li)?, 0);
        let x = v.remove(off);
        let n = v.len();
        g.len -= 1;
        self.len -= 1;
        if n == 0 {
            g.leaves.remove(li);
        } else if n < leaf / 4 {
            // Merge with a neighbour in the group when both fit in half a leaf, so that
            // retractions do not leave a list of nearly empty leaves.
            let (a, b) = if li + 1 < g.leaves.len() {
                (li, li + 1)
            } else {
                (li.saturating_sub(1), li)
            };
            let fits = a != b
                && g.leaves.get(a).map_or(0, |l| l.len()) + g.leaves.get(b).map_or(0, |l| l.len())
                    <= leaf / 2;
            if fits && let Some(second) = g.leaves.get(b).cloned() {
                if let Some(first) = g.leaves.get_mut(a) {
                    leaf_mut(first, second.len()).extend_from_slice(&second);
                }
                g.leaves.remove(b);
            }
        }
        if g.leaves.is_empty() {
            self.groups.remove(gi);
        }
        Some(x)
    }

    /// The whole list.
    pub(crate) fn view(&self) -> View<'_, T> {
        View::Chunked {
            list: self,
            start: 0,
            end: self.len,
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        let arc = 2 * std::mem::size_of::<usize>();
        self.groups.capacity() * std::mem::size_of::<usize>()
            + self.tail.capacity() * std::mem::size_of::<T>()
            + self
                .groups
                .iter()
                .map(|g| {
                    arc + std::mem::size_of::<Group<T>>()
                        + g.leaves.capacity() * std::mem::size_of::<usize>()
                        + g.leaves
                            .iter()
                            .map(|l| {
                                arc + std::mem::size_of::<Vec<T>>()
                                    + l.capacity() * std::mem::size_of::<T>()
                            })
                            .sum::<usize>()
                })
                .sum::<usize>()
    }

    #[cfg(test)]
    fn check(&self) {
        let mut total = 0;
        for g in &self.groups {
            assert!(!g.leaves.is_empty(), "empty group");
            let n: usize = g.leaves.iter().map(|l| l.len()).sum();
            assert_eq!(n, g.len, "group length");
            assert!(
                g.leaves
                    .iter()
                    .all(|l| !l.is_empty() && l.len() <= self.leaf)
            );
            total += n;
        }
        assert!(self.tail.len() <= self.leaf, "tail of {}", self.tail.len());
        assert_eq!(total + self.tail.len(), self.len, "list length");
    }
}

/// A read-only slice of a list kept either way: a plain slice, or a range of a chunked list.
#[derive(Debug)]
pub(crate) enum View<'a, T> {
    Flat(&'a [T]),
    Chunked {
        list: &'a Chunked<T>,
        start: usize,
        end: usize,
    },
}

impl<T> Clone for View<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for View<'_, T> {}

impl<T> Default for View<'_, T> {
    fn default() -> Self {
        View::Flat(&[])
    }
}

impl<'a, T: Copy + PartialEq> View<'a, T> {
    pub(crate) fn len(&self) -> usize {
        match self {
            View::Flat(s) => s.len(),
            View::Chunked { start, end, .. } => end - start,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn get(&self, i: usize) -> Option<T> {
        match self {
            View::Flat(s) => s.get(i).copied(),
            View::Chunked { list, start, end } => {
                let j = start.checked_add(i).filter(|j| j < end)?;
                list.get(j)
            }
        }
    }

    pub(crate) fn last(&self) -> Option<T> {
        match self {
            View::Flat(s) => s.last().copied(),
            View::Chunked { list, end, .. } if *end == list.len() && !self.is_empty() => {
                list.last()
            }
            _ => self.get(self.len().checked_sub(1)?),
        }
    }

    /// Elements `from..to`, as `<[T]>::get(from..to)`.
    pub(crate) fn slice(&self, from: usize, to: usize) -> Option<Self> {
        if from > to || to > self.len() {
            return None;
        }
        Some(match self {
            View::Flat(s) => View::Flat(s.get(from..to)?),
            View::Chunked { list, start, .. } => View::Chunked {
                list,
                start: start + from,
                end: start + to,
            },
        })
    }

    /// The elements before `to`.
    pub(crate) fn prefix(&self, to: usize) -> Option<Self> {
        self.slice(0, to)
    }

    /// The elements from `from` on.
    pub(crate) fn suffix(&self, from: usize) -> Option<Self> {
        self.slice(from, self.len())
    }

    /// The elements as slices, in order (one for a plain slice, one per leaf otherwise).
    pub(crate) fn chunks(&self) -> Chunks<'a, T> {
        match *self {
            View::Flat(s) => Chunks::One(Some(s)),
            View::Chunked { list, start, end } => {
                let ends = (start < end)
                    .then(|| Some((list.locate(start)?, list.locate(end - 1)?)))
                    .flatten();
                match ends {
                    Some(((fg, fl, fo), (bg, bl, bo))) => Chunks::Leaves {
                        list,
                        front: (fg, fl, fo),
                        back: (bg, bl, bo + 1),
                        done: false,
                    },
                    None => Chunks::One(None),
                }
            }
        }
    }

    pub(crate) fn iter(&self) -> Iter<'a, T> {
        match *self {
            View::Flat(s) => Iter::Flat(s.iter().copied()),
            View::Chunked { .. } => {
                let elements: fn(&'a [T]) -> Copied<slice::Iter<'a, T>> = |c| c.iter().copied();
                Iter::Chunked(self.chunks().flat_map(elements))
            }
        }
    }

    /// The elements as one slice, if they are one (an arena list).
    pub(crate) fn as_slice(&self) -> Option<&'a [T]> {
        match *self {
            View::Flat(s) => Some(s),
            View::Chunked { .. } => None,
        }
    }

    /// The first index whose element fails `pred`, for a `pred` true on a prefix of the view
    /// (as `<[T]>::partition_point`).
    pub(crate) fn partition_point(&self, mut pred: impl FnMut(T) -> bool) -> usize {
        match self {
            View::Flat(s) => s.partition_point(|x| pred(*x)),
            View::Chunked { .. } => {
                let (mut lo, mut hi) = (0, self.len());
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    if self.get(mid).is_some_and(&mut pred) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                lo
            }
        }
    }

    pub(crate) fn contains(&self, x: T) -> bool {
        self.chunks().any(|c| c.contains(&x))
    }

    pub(crate) fn to_vec(self) -> Vec<T> {
        let mut v = Vec::with_capacity(self.len());
        for c in self.chunks() {
            v.extend_from_slice(c);
        }
        v
    }
}

type Elements<'a, T> = Copied<slice::Iter<'a, T>>;
type LeafElements<'a, T> = FlatMap<Chunks<'a, T>, Elements<'a, T>, fn(&'a [T]) -> Elements<'a, T>>;

/// The elements of a [`View`], from either end. An arena list's is a plain slice iterator, so
/// the short lists (nearly all of them) pay nothing for the long ones.
#[derive(Debug)]
pub(crate) enum Iter<'a, T: Copy> {
    Flat(Elements<'a, T>),
    Chunked(LeafElements<'a, T>),
}

impl<T: Copy> Iterator for Iter<'_, T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        match self {
            Iter::Flat(i) => i.next(),
            Iter::Chunked(i) => i.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::Flat(i) => i.size_hint(),
            Iter::Chunked(i) => i.size_hint(),
        }
    }

    fn fold<B, F: FnMut(B, T) -> B>(self, init: B, f: F) -> B {
        match self {
            Iter::Flat(i) => i.fold(init, f),
            Iter::Chunked(i) => i.fold(init, f),
        }
    }
}

impl<T: Copy> DoubleEndedIterator for Iter<'_, T> {
    #[inline]
    fn next_back(&mut self) -> Option<T> {
        match self {
            Iter::Flat(i) => i.next_back(),
            Iter::Chunked(i) => i.next_back(),
        }
    }

    fn rfold<B, F: FnMut(B, T) -> B>(self, init: B, f: F) -> B {
        match self {
            Iter::Flat(i) => i.rfold(init, f),
            Iter::Chunked(i) => i.rfold(init, f),
        }
    }
}

/// The slices of a [`View`], from either end.
#[derive(Debug)]
pub(crate) enum Chunks<'a, T> {
    One(Option<&'a [T]>),
    Leaves {
        list: &'a Chunked<T>,
        /// Group, leaf and first offset of the next slice from the front.
        front: (usize, usize, usize),
        /// Group, leaf and end offset of the next slice from the back.
        back: (usize, usize, usize),
        done: bool,
    },
}

impl<'a, T: Copy> Iterator for Chunks<'a, T> {
    type Item = &'a [T];

    fn next(&mut self) -> Option<&'a [T]> {
        match self {
            Chunks::One(s) => s.take(),
            Chunks::Leaves {
                list,
                front,
                back,
                done,
            } => {
                if *done {
                    return None;
                }
                let list: &'a Chunked<T> = list;
                let (g, l, from) = *front;
                let leaf = list.slice_at(g, l);
                let last = (g, l) == (back.0, back.1);
                let to = if last { back.2 } else { leaf.len() };
                if last {
                    *done = true;
                } else if l + 1 < list.groups.get(g).map_or(0, |g| g.leaves.len()) {
                    *front = (g, l + 1, 0);
                } else {
                    *front = (g + 1, 0, 0);
                }
                leaf.get(from..to)
            }
        }
    }
}

impl<'a, T: Copy> DoubleEndedIterator for Chunks<'a, T> {
    fn next_back(&mut self) -> Option<&'a [T]> {
        match self {
            Chunks::One(s) => s.take(),
            Chunks::Leaves {
                list,
                front,
                back,
                done,
            } => {
                if *done {
                    return None;
                }
                let list: &'a Chunked<T> = list;
                let (g, l, to) = *back;
                let leaf = list.slice_at(g, l);
                let first = (g, l) == (front.0, front.1);
                let from = if first { front.2 } else { 0 };
                if first {
                    *done = true;
                } else if l > 0 {
                    *back = (g, l - 1, list.slice_at(g, l - 1).len());
                } else {
                    let pg = g.saturating_sub(1);
                    let pl = list
                        .groups
                        .get(pg)
                        .map_or(0, |g| g.leaves.len().saturating_sub(1));
                    *back = (pg, pl, list.slice_at(pg, pl).len());
                }
                leaf.get(from..to)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) as usize
        }
    }

    fn same(list: &Chunked<u32>, model: &[u32]) {
        list.check();
        assert_eq!(list.len(), model.len());
        let v = list.view();
        assert_eq!(v.to_vec(), model);
        assert_eq!(v.iter().collect::<Vec<_>>(), model);
        let back: Vec<u32> = v.iter().rev().collect();
        assert!(back.iter().eq(model.iter().rev()));
        assert_eq!(v.last(), model.last().copied());
    }

    #[test]
    fn appends_fill_leaves_and_cross_groups() {
        let mut list = Chunked::new(4);
        let mut model = Vec::new();
        // Past one group (64 leaves of 4).
        for i in 0..700u32 {
            list.push(i);
            model.push(i);
            assert_eq!(list.last(), Some(i));
        }
        same(&list, &model);
        assert_eq!(list.groups.len(), 3);
        assert!(
            list.groups
                .iter()
                .flat_map(|g| g.leaves.iter())
                .rev()
                .skip(1)
                .all(|l| l.len() == 4),
            "appended leaves are full"
        );
        for i in [0usize, 3, 4, 255, 256, 257, 511, 699] {
            assert_eq!(list.get(i), Some(i as u32));
        }
        assert_eq!(list.get(700), None);
        let from = Chunked::from_slice(&model, 4);
        same(&from, &model);
        assert_eq!(from.groups.len(), 3);
    }

    #[test]
    fn inserts_and_removes_anywhere_like_a_vec() {
        for leaf in [2usize, 3, 8, 64] {
            let mut list = Chunked::new(leaf);
            let mut model: Vec<u32> = Vec::new();
            let mut rng = Rng(leaf as u64);
            for step in 0..6000u32 {
                let roll = rng.next() % 10;
                if roll < 4 {
                    list.push(step);
                    model.push(step);
                } else if roll < 7 || model.is_empty() {
                    let i = rng.next() % (model.len() + 1);
                    list.insert(i, step);
                    model.insert(i, step);
                } else {
                    let i = rng.next() % model.len();
                    assert_eq!(list.remove(i), Some(model.remove(i)));
                }
                if step.is_multiple_of(97) {
                    same(&list, &model);
                }
            }
            same(&list, &model);
            // Drain from the middle: leaves empty out and merge, groups go away.
            while !model.is_empty() {
                let i = rng.next() % model.len();
                assert_eq!(list.remove(i), Some(model.remove(i)));
                if model.len().is_multiple_of(101) {
                    same(&list, &model);
                }
            }
            same(&list, &model);
            assert!(list.groups.is_empty());
            assert_eq!(list.remove(0), None);
        }
    }

    #[test]
    fn views_slice_iterate_and_search_across_leaf_boundaries() {
        let model: Vec<u32> = (0..1000).map(|i| i * 2).collect();
        let list = Chunked::from_slice(&model, 7);
        let flat = View::Flat(model.as_slice());
        let chunked = list.view();
        for (a, b) in [
            (0, 0),
            (0, 1),
            (6, 7),
            (6, 8),
            (7, 14),
            (13, 500),
            (0, 1000),
        ] {
            for v in [flat, chunked] {
                let s = v.slice(a, b).unwrap_or_default();
                let want = &model[a..b];
                assert_eq!(s.len(), want.len());
                assert_eq!(s.to_vec(), want);
                assert!(s.iter().rev().eq(want.iter().rev().copied()));
                assert_eq!(s.last(), want.last().copied());
                assert_eq!(s.get(0), want.first().copied());
                for x in [0u32, 1, 13, 14, 15, 998, 2001] {
                    assert_eq!(
                        s.partition_point(|y| y < x),
                        want.partition_point(|y| *y < x)
                    );
                    assert_eq!(s.contains(x), want.contains(&x));
                }
                // A mixed walk: front and back meet in the middle.
                let mut it = s.iter();
                let mut got = Vec::new();
                let mut tail = Vec::new();
                loop {
                    match (it.next(), it.next_back()) {
                        (Some(x), Some(y)) => {
                            got.push(x);
                            tail.push(y);
                        }
                        (Some(x), None) => {
                            got.push(x);
                            break;
                        }
                        _ => break,
                    }
                }
                got.extend(tail.into_iter().rev());
                assert_eq!(got, want);
            }
        }
        assert!(chunked.slice(5, 4).is_none());
        assert!(chunked.slice(0, 1001).is_none());
        assert_eq!(chunked.prefix(10).map(|v| v.len()), Some(10));
        assert_eq!(
            chunked.suffix(990).map(|v| v.to_vec()),
            Some(model[990..].to_vec())
        );
    }

    #[test]
    fn a_snapshot_is_unaffected_by_later_writes_which_copy_one_leaf() {
        let model: Vec<u32> = (0..10_000).collect();
        let mut list = Chunked::from_slice(&model, 100);
        let snap = list.clone();
        list.push(10_000);
        list.insert(5_050, 7);
        list.remove(20);
        // The snapshot reads what it read before.
        same(&snap, &model);
        let mut want = model.clone();
        want.push(10_000);
        want.insert(5_050, 7);
        want.remove(20);
        same(&list, &want);
        // Only the touched leaves were copied: the others are still shared.
        let leaves = |l: &Chunked<u32>| -> Vec<*const Vec<u32>> {
            l.groups
                .iter()
                .flat_map(|g| g.leaves.iter().map(Arc::as_ptr))
                .collect()
        };
        let (a, b) = (leaves(&snap), leaves(&list));
        let shared = b.iter().filter(|p| a.contains(p)).count();
        // 100 leaves before; three were written (and one of them split in two).
        assert_eq!(a.len(), 100);
        assert!(shared >= 97, "only {shared} leaves still shared");
    }
}
