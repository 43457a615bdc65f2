//! The documents each scope may read, one bit set per segment, kept between searches.
//!
//! The scope is a union of a dozen term clauses, several of them over a large share of all
//! reports (every GREEN one). Evaluated inside each search it cost more than the text itself
//! (p50 10.6 ms against 2.6 ms with these sets, over 300 000 reports). Segments never change
//! their documents (tantivy applies deletes on top), so a scope's set in a segment is computed
//! once, by the same scope query, and then tested bit by bit for the text's candidates only.
//! A new commit adds small segments, whose sets are computed on the next search of the scope;
//! sets of segments that merges removed are dropped then. The least recently used scope goes
//! when [`MAX_SCOPES`] are kept: a set costs one bit per report, so 128 scopes over a million
//! reports take 16 MB. The first search of a scope pays for its sets (about 25 ms over a
//! million reports).

use crate::query;
use crate::request::Scope;
use crate::schema::Fields;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tantivy::index::SegmentId;
use tantivy::query::doc_predicate_query::{
    ConstOrVariableSegmentPredicate, DocPredicate, DocPredicateQuery,
};
use tantivy::query::{AllScorer, EnableScoring, Query as _};
use tantivy::{BitSet, DocId, Searcher, SegmentReader};
use warroom_domain::{AgencyId, GroupId};

/// How many scopes' sets are kept: two per agency (with and without RED) for 64 agencies.
pub const MAX_SCOPES: usize = 128;

type Sets = HashMap<SegmentId, Arc<BitSet>>;

/// A scope as a cache key: groups sorted, without repeats.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    agency: AgencyId,
    groups: Vec<GroupId>,
    red: bool,
}

impl Key {
    fn of(scope: &Scope) -> Self {
        let mut groups = scope.groups.clone();
        groups.sort();
        groups.dedup();
        Self {
            agency: scope.agency,
            groups,
            red: scope.red,
        }
    }
}

#[derive(Default)]
pub(crate) struct ScopeCache {
    entries: Mutex<HashMap<Key, (u64, Arc<Sets>)>>,
    clock: std::sync::atomic::AtomicU64,
}

impl ScopeCache {
    /// A filter query matching exactly the documents of `searcher` that `scope` may read.
    pub(crate) fn filter(
        &self,
        fields: &Fields,
        searcher: &Searcher,
        scope: &Scope,
    ) -> tantivy::Result<DocPredicateQuery> {
        let key = Key::of(scope);
        let now = self
            .clock
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let cached = self
            .entries
            .lock()
            .ok()
            .and_then(|e| e.get(&key).map(|(_, sets)| Arc::clone(sets)));
        let live = searcher.segment_readers();
        let fresh = cached.as_ref().is_some_and(|sets| {
            sets.len() == live.len() && live.iter().all(|r| sets.contains_key(&r.segment_id()))
        });
        let sets = match cached {
            Some(sets) if fresh => sets,
            _ => {
                // Computed outside the lock: other searches go on meanwhile.
                let sets = Arc::new(compute(fields, searcher, scope, cached.as_deref())?);
                if let Ok(mut entries) = self.entries.lock() {
                    if entries.len() >= MAX_SCOPES && !entries.contains_key(&key) {
                        let oldest = entries
                            .iter()
                            .min_by_key(|(_, (used, _))| *used)
                            .map(|(k, _)| k.clone());
                        if let Some(oldest) = oldest {
                            entries.remove(&oldest);
                        }
                    }
                    entries.insert(key.clone(), (now, Arc::clone(&sets)));
                }
                sets
            }
        };
        if let Ok(mut entries) = self.entries.lock()
            && let Some(entry) = entries.get_mut(&key)
        {
            entry.0 = now;
        }
        Ok(DocPredicateQuery::from(InSets(sets)))
    }
}

/// The sets of every live segment: reused from `previous` where the segment is still there.
fn compute(
    fields: &Fields,
    searcher: &Searcher,
    scope: &Scope,
    previous: Option<&Sets>,
) -> tantivy::Result<Sets> {
    let weight =
        query::scope(fields, scope).weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut sets = Sets::new();
    for reader in searcher.segment_readers() {
        let id = reader.segment_id();
        if let Some(set) = previous.and_then(|p| p.get(&id)) {
            sets.insert(id, Arc::clone(set));
            continue;
        }
        let mut set = BitSet::with_max_value(reader.max_doc());
        weight.for_each_no_score(reader, &mut |docs| {
            for &doc in docs {
                set.insert(doc);
            }
        })?;
        sets.insert(id, Arc::new(set));
    }
    Ok(sets)
}

/// Matches the documents in the per-segment sets; a segment without a set matches nothing.
#[derive(Debug)]
struct InSets(Arc<Sets>);

impl DocPredicate for InSets {
    type SegmentDocPredicate = InSet;

    fn doc_predicate(
        &self,
        reader: &SegmentReader,
    ) -> tantivy::Result<ConstOrVariableSegmentPredicate<InSet>> {
        Ok(match self.0.get(&reader.segment_id()) {
            Some(set) if set.len() > 0 => ConstOrVariableSegmentPredicate::Variable {
                predicate: InSet(Arc::clone(set)),
                necessary_condition: Box::new(AllScorer::new(reader.max_doc())),
            },
            _ => ConstOrVariableSegmentPredicate::Const(false),
        })
    }
}

struct InSet(Arc<BitSet>);

impl tantivy::query::doc_predicate_query::SegmentDocPredicate for InSet {
    fn eval(&mut self, doc: DocId) -> bool {
        self.0.contains(doc)
    }

    fn cost(&self) -> u64 {
        2
    }
}
