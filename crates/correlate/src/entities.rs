//! The identifier index proper: entity id → entity record (kind, canonical value, postings).
//!
//! Entities live in a fixed number of shards chosen by a keyed hash of the id; a shard is one
//! tile of the persistent structure (see `tiles`), so a change copies one shard (tens of
//! kilobytes at ten million sightings) and never the index. Inside a shard, records sit in a
//! vector found through an open-addressing table of `u32` handles; values are kept once in a
//! byte arena; postings (report handles, ordered by the reports' `seq`) in a `u32` arena, or
//! inline in the record when there is one, or, for a long list, outside the shard in `Arc`ed
//! leaves (see `chunked`), so that the shard's copy does not carry a hub's million postings.
//! An entity's handle (`egid`) is its index in its shard shifted left by the shard bits, plus
//! its shard.

use crate::chunked::Chunked;
use crate::table::Table;
use crate::tiles::Tiles;
use std::collections::BTreeMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use warroom_domain::EntityId;

pub(crate) const SHARD_BITS: u32 = 13;
pub(crate) const SHARDS: usize = 1 << SHARD_BITS;
/// Postings at which an entity becomes "busy": its agencies are counted and its hit entries
/// are read from its postings instead of being kept key by key (see `entries`).
pub(crate) const BUSY_AT: u32 = 32;
/// Flag: the entity has been busy (sticky).
pub(crate) const FLAG_BUSY: u8 = 1;
/// Flag: the entity's postings are a long list (`Shard::long`), not in the arena (sticky).
pub(crate) const FLAG_LONG: u8 = 2;

/// When a posting list leaves the shard's arena for `Arc`ed leaves of its own.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct LongLists {
    /// A list longer than this (in postings) becomes long. An arena list is copied with its
    /// shard by every write to the shard after a publish; 4,096 postings are 16 KiB (and 8 KiB of owners), about a shard's own size at
    /// ten million sightings, and only a few hundred identifiers are that common there.
    pub at: u32,
    /// Postings per leaf: what a write to a long list copies (4 KiB, and 2 KiB of owners).
    pub leaf: u32,
}

impl Default for LongLists {
    fn default() -> Self {
        Self {
            at: 4096,
            leaf: 1024,
        }
    }
}

/// A long posting list and, when the entity is busy, its postings' owners beside it.
#[derive(Clone, Debug)]
pub(crate) struct LongList {
    pub posts: Chunked<u32>,
    /// Empty until the entity is busy; then as long as `posts`.
    pub owners: Chunked<u16>,
}

impl LongList {
    fn heap_bytes(&self) -> usize {
        2 * std::mem::size_of::<usize>()
            + std::mem::size_of::<Self>()
            + self.posts.heap_bytes()
            + self.owners.heap_bytes()
    }
}

#[derive(Clone, Debug)]
pub(crate) struct EntityRec {
    pub id: EntityId,
    /// Offset of the value (length-prefixed) in the shard's value arena.
    pub value: u32,
    /// The report handle itself when `len == 1`, else the offset of the postings in the
    /// shard's postings arena; with `FLAG_LONG`, the index of the list in `Shard::long`.
    pub post: u32,
    pub len: u32,
    pub kind: u8,
    pub flags: u8,
}

/// What a busy entity keeps beside its record.
#[derive(Clone, Debug, Default)]
pub(crate) struct Busy {
    /// Postings per agency handle (agencies with none are dropped).
    pub agencies: Vec<(u16, u32)>,
    /// The owner of each posting, beside the postings (so scans for an agency's postings read
    /// two bytes a posting, not a report record). Empty for a long list, which keeps its
    /// owners in its own leaves.
    pub owners: Vec<u16>,
    /// The co-occurrence measure of the hub rule, when computed.
    pub hub: Option<crate::noise::HubStat>,
}

impl Busy {
    pub(crate) fn add_agency(&mut self, agency: u16, delta: i64) {
        match self.agencies.iter().position(|(a, _)| *a == agency) {
            Some(i) => {
                let n = i64::from(self.agencies.get(i).map_or(0, |x| x.1)) + delta;
                if n <= 0 {
                    self.agencies.remove(i);
                } else if let Some(x) = self.agencies.get_mut(i) {
                    x.1 = n as u32;
                }
            }
            None if delta > 0 => self.agencies.push((agency, delta as u32)),
            None => {}
        }
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Shard {
    pub recs: Vec<EntityRec>,
    pub(crate) table: Table<u32>,
    values: Vec<u8>,
    pub(crate) post: Vec<u32>,
    pub(crate) post_garbage: usize,
    pub busy: BTreeMap<u32, Busy>,
    /// Long posting lists, each behind its own `Arc`: copying the shard copies a pointer.
    pub(crate) long: Vec<Arc<LongList>>,
}

impl Shard {
    pub(crate) fn value(&self, rec: &EntityRec) -> &str {
        let mut off = rec.value as usize;
        let mut len = 0usize;
        let mut shift = 0;
        while let Some(b) = self.values.get(off) {
            len |= usize::from(b & 0x7f) << shift;
            off += 1;
            shift += 7;
            if b & 0x80 == 0 || shift > 28 {
                break;
            }
        }
        self.values
            .get(off..off + len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }

    pub(crate) fn push_value(&mut self, v: &str) -> u32 {
        crate::tiles::reserve(&mut self.values, v.len() + 5);
        let off = self.values.len() as u32;
        let mut n = v.len();
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.values.push(b);
                break;
            }
            self.values.push(b | 0x80);
        }
        self.values.extend_from_slice(v.as_bytes());
        off
    }

    fn slack(&self) -> bool {
        self.recs.capacity() > self.recs.len() + 4
            || self.values.capacity() > self.values.len() + 64
            || self.post.capacity() > self.post.len() + 16
    }

    fn shrink(&mut self) {
        self.recs.shrink_to_fit();
        self.values.shrink_to_fit();
        self.post.shrink_to_fit();
    }

    fn heap_bytes(&self) -> usize {
        self.recs.capacity() * std::mem::size_of::<EntityRec>()
            + self.table.heap_bytes()
            + self.values.capacity()
            + self.post.capacity() * 4
            + self
                .busy
                .values()
                .map(|b| 96 + b.agencies.capacity() * 8 + b.owners.capacity() * 2)
                .sum::<usize>()
            + self.long.capacity() * std::mem::size_of::<usize>()
            + self.long.iter().map(|l| l.heap_bytes()).sum::<usize>()
    }
}

pub(crate) fn egid(shard: usize, local: u32) -> u32 {
    (local << SHARD_BITS) | shard as u32
}

pub(crate) fn split(egid: u32) -> (usize, u32) {
    ((egid as usize) & (SHARDS - 1), egid >> SHARD_BITS)
}

#[derive(Clone, Debug)]
pub(crate) struct Entities {
    pub(crate) shards: Tiles<Shard>,
    hasher: RandomState,
    pub(crate) long: LongLists,
}

impl Default for Entities {
    fn default() -> Self {
        let mut shards = Tiles::default();
        for _ in 0..SHARDS {
            shards.push(Shard::default());
        }
        Self {
            shards,
            hasher: RandomState::new(),
            long: LongLists::default(),
        }
    }
}

impl Entities {
    fn hash(&self, id: &EntityId) -> u64 {
        self.hasher.hash_one(id.0.as_bytes())
    }

    fn shard_of(hash: u64) -> usize {
        (hash >> (64 - SHARD_BITS)) as usize
    }

    pub(crate) fn find(&self, id: &EntityId) -> Option<u32> {
        let h = self.hash(id);
        let s = Self::shard_of(h);
        let shard = self.shards.get(s)?;
        let local = shard.table.find(h, |l| {
            shard.recs.get(l as usize).is_some_and(|r| r.id == *id)
        })?;
        Some(egid(s, local))
    }

    pub(crate) fn get(&self, egid: u32) -> Option<(&Shard, &EntityRec)> {
        let (s, l) = split(egid);
        let shard = self.shards.get(s)?;
        Some((shard, shard.recs.get(l as usize)?))
    }

    pub(crate) fn shard_mut(&mut self, egid: u32) -> Option<(&mut Shard, u32)> {
        let (s, l) = split(egid);
        Some((self.shards.get_mut(s)?, l))
    }

    /// The handle of `id`, adding the entity if new. `None` if its shard is full (2^19 − 1
    /// entities in one shard: some four billion in all).
    pub(crate) fn intern(&mut self, id: &EntityId, kind: u8, value: &str) -> Option<u32> {
        if let Some(e) = self.find(id) {
            return Some(e);
        }
        let h = self.hash(id);
        let s = Self::shard_of(h);
        let hasher = self.hasher.clone();
        let shard = self.shards.get_mut(s)?;
        let local = u32::try_from(shard.recs.len())
            .ok()
            .filter(|l| u64::from(*l) < <u32 as crate::table::Slot>::MAX_HANDLE)?;
        let value = shard.push_value(value);
        crate::tiles::reserve(&mut shard.recs, 1);
        shard.recs.push(EntityRec {
            id: *id,
            value,
            post: 0,
            len: 0,
            kind,
            flags: 0,
        });
        let Shard { table, recs, .. } = shard;
        table.insert(h, local, |l| {
            recs.get(l as usize)
                .map_or(0, |r| hasher.hash_one(r.id.0.as_bytes()))
        });
        Some(egid(s, local))
    }

    /// Frees spare capacity (after a bulk load).
    pub(crate) fn shrink(&mut self) {
        for i in 0..SHARDS {
            if self.shards.get(i).is_some_and(Shard::slack)
                && let Some(s) = self.shards.get_mut(i)
            {
                s.shrink();
            }
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.shards.pointer_bytes()
            + self
                .shards
                .iter()
                .map(|s| std::mem::size_of::<Shard>() + s.heap_bytes())
                .sum::<usize>()
    }
}
