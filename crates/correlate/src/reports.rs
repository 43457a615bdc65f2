//! Per-report facts, kept once however many identifiers the report holds: owner, marking,
//! distribution (interned), times, and the report's current entity list (entity handles).
//! Reports are numbered densely (`u32`) in the order the index first sees them; postings and
//! hit keys name reports by that number.

use crate::tiles::Tiles;
use jiff::Timestamp;
use std::sync::Arc;
use warroom_domain::{Distribution, ReportId, Tlp};

/// Reports per tile.
pub(crate) const CHUNK: usize = 256;

#[derive(Clone, Debug)]
pub(crate) struct ReportRec {
    pub id: ReportId,
    pub seq: u64,
    pub rev: u64,
    pub reported_at: Timestamp,
    pub seen_at: Timestamp,
    pub distribution: Arc<Distribution>,
    /// Offset and length of the entity handles in the chunk's arena.
    pub ents_off: u32,
    pub ents_len: u32,
    /// Agency handle of the owner.
    pub owner: u16,
    pub marking: Tlp,
    pub hit_notices: bool,
    pub retracted: bool,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct ReportChunk {
    pub recs: Vec<ReportRec>,
    ents: Vec<u32>,
    garbage: usize,
}

impl ReportChunk {
    fn entities(&self, r: &ReportRec) -> &[u32] {
        let off = r.ents_off as usize;
        self.ents
            .get(off..off + r.ents_len as usize)
            .unwrap_or_default()
    }

    /// Replaces the entity list of report `i` (of this chunk).
    fn set_entities(&mut self, i: usize, list: &[u32]) {
        let Some(old) = self.recs.get(i).map(|r| r.ents_len as usize) else {
            return;
        };
        self.garbage += old;
        if self.garbage > 64 && self.garbage * 2 > self.ents.len() {
            self.compact();
        }
        let off = self.ents.len() as u32;
        crate::tiles::reserve(&mut self.ents, list.len());
        self.ents.extend_from_slice(list);
        if let Some(r) = self.recs.get_mut(i) {
            r.ents_off = off;
            r.ents_len = list.len() as u32;
        }
    }

    fn compact(&mut self) {
        let mut ents = Vec::with_capacity(self.ents.len().saturating_sub(self.garbage));
        for r in &mut self.recs {
            let off = r.ents_off as usize;
            let list = self
                .ents
                .get(off..off + r.ents_len as usize)
                .unwrap_or_default();
            r.ents_off = ents.len() as u32;
            ents.extend_from_slice(list);
        }
        self.ents = ents;
        self.garbage = 0;
    }

    fn shrink(&mut self) {
        if self.garbage > 0 {
            self.compact();
        }
        self.recs.shrink_to_fit();
        self.ents.shrink_to_fit();
    }

    fn heap_bytes(&self) -> usize {
        self.recs.capacity() * std::mem::size_of::<ReportRec>()
            + self.ents.capacity() * std::mem::size_of::<u32>()
    }
}

/// Every report the index has seen, retracted ones included (their revision still orders later
/// changes), by dense handle.
#[derive(Clone, Debug, Default)]
pub(crate) struct Reports {
    tiles: Tiles<ReportChunk>,
    len: usize,
}

impl Reports {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn get(&self, r: u32) -> Option<&ReportRec> {
        let r = r as usize;
        self.tiles
            .get(r / CHUNK)
            .and_then(|c| c.recs.get(r % CHUNK))
    }

    pub(crate) fn entities(&self, r: u32) -> &[u32] {
        let i = r as usize;
        match self.tiles.get(i / CHUNK) {
            Some(c) => c
                .recs
                .get(i % CHUNK)
                .map(|rec| c.entities(rec))
                .unwrap_or_default(),
            None => &[],
        }
    }

    pub(crate) fn get_mut(&mut self, r: u32) -> Option<&mut ReportRec> {
        let r = r as usize;
        self.tiles
            .get_mut(r / CHUNK)
            .and_then(|c| c.recs.get_mut(r % CHUNK))
    }

    pub(crate) fn set_entities(&mut self, r: u32, list: &[u32]) {
        let r = r as usize;
        if let Some(c) = self.tiles.get_mut(r / CHUNK) {
            c.set_entities(r % CHUNK, list);
        }
    }

    /// Adds a report; its handle is returned. `None` past `u32::MAX` reports.
    pub(crate) fn push(&mut self, rec: ReportRec) -> Option<u32> {
        let handle = u32::try_from(self.len).ok().filter(|h| *h < u32::MAX)?;
        if self.len.is_multiple_of(CHUNK) {
            self.tiles.push(ReportChunk {
                recs: Vec::with_capacity(CHUNK),
                ..ReportChunk::default()
            });
        }
        let c = self.tiles.get_mut(self.len / CHUNK)?;
        c.recs.push(ReportRec {
            ents_off: 0,
            ents_len: 0,
            ..rec
        });
        self.len += 1;
        Some(handle)
    }

    /// Frees spare capacity of every full chunk (after a bulk load).
    pub(crate) fn shrink(&mut self) {
        let full = self.len / CHUNK;
        for i in 0..full {
            let slack = self.tiles.get(i).is_some_and(|c| {
                c.recs.capacity() > c.recs.len() || c.ents.capacity() > c.ents.len() + 64
            });
            if slack && let Some(c) = self.tiles.get_mut(i) {
                c.shrink();
            }
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.tiles.pointer_bytes()
            + self
                .tiles
                .iter()
                .map(ReportChunk::heap_bytes)
                .sum::<usize>()
    }
}
