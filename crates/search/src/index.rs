//! The index: one writer behind a mutex, one reader reloaded after every commit.

use crate::analyzer::{ANALYZER_NAME, MultilingualTokenizer};
use crate::error::SearchError;
use crate::highlight::highlights;
use crate::request::{Found, MAX_LIMIT, MAX_OFFSET, Query};
use crate::schema::{Fields, SEQ, document, schema};
use crate::scope_cache::ScopeCache;
use crate::{query, text};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tantivy::collector::TopDocs;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term,
    directory::MmapDirectory,
};
use warroom_domain::ReportId;
use warroom_store::ChangedReport;

/// Memory the writer buffers before it writes a segment, over all its threads.
pub const WRITER_HEAP_BYTES: usize = 80_000_000;
/// Indexing threads (each tokenises and builds its own segments).
const WRITER_THREADS: usize = 2;

/// Full-text search over the current versions of the reports. Cheap to clone: clones share
/// one index. Fed by [`SearchIndex::apply`] in change-log order (`rev`); a change never
/// overtakes a later one of the same report within a call, but callers must not hand an
/// older change after a newer one in a later call.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

struct Inner {
    index: Index,
    fields: Fields,
    analyzer: MultilingualTokenizer,
    writer: Mutex<Writing>,
    reader: IndexReader,
    scopes: ScopeCache,
}

/// The writer and what it holds uncommitted.
struct Writing {
    /// `None` only while [`SearchIndex::wait_for_merges`] swaps the writer for a new one.
    writer: Option<IndexWriter>,
    /// Reports added since the last commit, kept only while no committed document is alive
    /// (a rebuild into an empty index): then a report needs its earlier document deleted
    /// only if it is in here. tantivy keeps each delete as a query until the commit, about
    /// 1.3 KB apiece, so deleting blindly cost a 1.25M-report rebuild 1.6 GB.
    staged: HashSet<ReportId>,
    /// Deletes queued since the last commit: what a long catch-up must bound by committing.
    deletes: usize,
}

impl Writing {
    fn writer(&mut self) -> Result<&mut IndexWriter, SearchError> {
        self.writer.as_mut().ok_or(SearchError::WriterPoisoned)
    }
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchIndex")
            .field("docs", &self.doc_count())
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// An empty index in memory.
    pub fn in_ram() -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        Self::open(Index::create_in_ram(schema), fields)
    }

    /// An empty index in `dir` (created if missing). What an earlier run left there is
    /// removed: the index is rebuilt from the store at start. A directory that is neither
    /// empty nor a search index is refused, not cleared.
    pub fn in_dir(dir: &Path) -> Result<Self, SearchError> {
        clear_dir(dir)?;
        let (schema, fields) = schema();
        let index = Index::create(
            MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?,
            schema,
            tantivy::IndexSettings::default(),
        )?;
        Self::open(index, fields)
    }

    fn open(index: Index, fields: Fields) -> Result<Self, SearchError> {
        let analyzer = MultilingualTokenizer::default();
        index
            .tokenizers()
            .register(ANALYZER_NAME, TextAnalyzer::from(analyzer.clone()));
        let writer = new_writer(&index)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            inner: Arc::new(Inner {
                index,
                fields,
                analyzer,
                writer: Mutex::new(Writing {
                    writer: Some(writer),
                    staged: HashSet::new(),
                    deletes: 0,
                }),
                reader,
                scopes: ScopeCache::default(),
            }),
        })
    }

    /// Makes the index hold the current version of each changed report: its old version is
    /// removed and the new one added unless it is retracted. One commit per call; later
    /// searches see the changes when it returns. On error nothing of the call is kept.
    pub fn apply(&self, changes: &[ChangedReport]) -> Result<(), SearchError> {
        if changes.is_empty() {
            return Ok(());
        }
        self.stage(changes)?;
        self.commit()
    }

    /// [`SearchIndex::apply`] without the commit: searches see nothing of it until
    /// [`SearchIndex::commit`], and [`SearchIndex::discard`] drops it. A rebuild stages every
    /// page of the change log and commits once: a commit per page would write a few small
    /// segments each time, and tantivy would spend minutes merging them after the rebuild,
    /// on the cores that serve requests. Later calls override earlier ones (a delete applies
    /// to every document added before it, committed or not). On error, what was staged
    /// since the last commit is dropped.
    pub fn stage(&self, changes: &[ChangedReport]) -> Result<(), SearchError> {
        let f = &self.inner.fields;
        // Within a call only the latest change of each report counts.
        let mut latest: HashMap<ReportId, u64> = HashMap::with_capacity(changes.len());
        for c in changes {
            let rev = latest.entry(c.report.id).or_insert(c.rev);
            *rev = (*rev).max(c.rev);
        }
        let mut guard = self.writing()?;
        // The reader shows what is committed (a commit reloads it before letting the writer
        // go): with nothing alive there, only what this writer staged can be replaced.
        let committed_empty = self.inner.reader.searcher().num_docs() == 0;
        let Writing {
            writer,
            staged,
            deletes,
        } = &mut *guard;
        let writer = writer.as_mut().ok_or(SearchError::WriterPoisoned)?;
        let mut write = || -> Result<(), SearchError> {
            for c in changes {
                if latest.get(&c.report.id) != Some(&c.rev) {
                    continue;
                }
                let id = c.report.id;
                if !committed_empty || staged.contains(&id) {
                    writer.delete_term(Term::from_field_text(f.id, &id.to_string()));
                    *deletes += 1;
                }
                if committed_empty {
                    staged.insert(id);
                }
                if let Some(doc) = document(f, c) {
                    writer.add_document(doc)?;
                }
                // Two changes with the same rev: add only the first.
                latest.remove(&c.report.id);
            }
            Ok(())
        };
        if let Err(e) = write() {
            // Drop what was staged, so the next commit does not publish half of it.
            let _ = writer.rollback();
            staged.clear();
            *deletes = 0;
            return Err(e);
        }
        Ok(())
    }

    /// Publishes what was staged; searches see it when this returns. On error it is dropped.
    pub fn commit(&self) -> Result<(), SearchError> {
        let mut guard = self.writing()?;
        guard.staged = HashSet::new();
        guard.deletes = 0;
        let writer = guard.writer()?;
        if let Err(e) = writer.commit() {
            let _ = writer.rollback();
            return Err(e.into());
        }
        // Reloaded before the writer is let go: the next `stage` reads from the reader
        // whether anything committed is alive.
        self.inner.reader.reload()?;
        Ok(())
    }

    /// Drops what was staged since the last commit.
    pub fn discard(&self) -> Result<(), SearchError> {
        let mut guard = self.writing()?;
        guard.staged = HashSet::new();
        guard.deletes = 0;
        guard.writer()?.rollback()?;
        Ok(())
    }

    /// Blocks until the segment merges that the last commits started are done (a bulk load
    /// then stops competing for the cores before the node says it is ready). Writes wait
    /// meanwhile. Anything staged and not committed is dropped.
    pub fn wait_for_merges(&self) -> Result<(), SearchError> {
        let mut guard = self.writing()?;
        guard.staged = HashSet::new();
        guard.deletes = 0;
        if let Some(writer) = guard.writer.take() {
            writer.wait_merging_threads()?;
        }
        guard.writer = Some(new_writer(&self.inner.index)?);
        drop(guard);
        // Searches read the merged segments from now on.
        self.inner.reader.reload()?;
        Ok(())
    }

    /// Deletes staged since the last commit. tantivy holds each until the commit (about
    /// 1.3 KB apiece), so a caller staging a long run of changes to an index that already
    /// holds documents commits when this grows large.
    pub fn pending_deletes(&self) -> Result<usize, SearchError> {
        Ok(self.writing()?.deletes)
    }

    /// How many segments searches read (a test's and an operator's view of merging).
    pub fn segment_count(&self) -> usize {
        self.inner.reader.searcher().segment_readers().len()
    }

    fn writing(&self) -> Result<std::sync::MutexGuard<'_, Writing>, SearchError> {
        self.inner
            .writer
            .lock()
            .map_err(|_| SearchError::WriterPoisoned)
    }

    /// The reports the scope may read whose narrative holds every phrase of the text and
    /// that pass the filters, best first; see [`Query`] for paging limits.
    pub fn search(&self, q: &Query) -> Result<Vec<Found>, SearchError> {
        let inner = &self.inner;
        let f = &inner.fields;
        let phrases = text::phrases(&inner.analyzer, &q.text)?;
        if q.offset > MAX_OFFSET {
            return Err(SearchError::OffsetTooLarge { max: MAX_OFFSET });
        }
        let limit = q.limit.min(MAX_LIMIT);
        if limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = inner.reader.searcher();
        let scope = inner.scopes.filter(f, &searcher, &q.scope)?;
        let tantivy_query = query::build(f, &phrases, Box::new(scope), &q.filter);
        let by_score_then_newest = (
            (SortBySimilarityScore, Order::Desc),
            (SortByStaticFastValue::<u64>::for_field(SEQ), Order::Desc),
        );
        let top = TopDocs::with_limit(limit)
            .and_offset(q.offset)
            .order_by(by_score_then_newest);
        let hits = searcher.search(&*tantivy_query, &top)?;
        let mut generator = SnippetGenerator::create(&searcher, &*tantivy_query, f.narrative)?;
        let mut out = Vec::with_capacity(hits.len());
        for ((score, _seq), address) in hits {
            let doc: TantivyDocument = searcher.doc(address)?;
            let Some(report) = doc
                .get_first(f.id)
                .and_then(|v| v.as_str())
                .and_then(|s| s.parse().ok())
                .map(ReportId)
            else {
                continue;
            };
            let narrative = doc
                .get_first(f.narrative)
                .and_then(|v| v.as_str())
                .unwrap_or("");
            out.push(Found {
                report,
                score,
                highlights: highlights(&mut generator, narrative),
            });
        }
        Ok(out)
    }

    /// How many reports the index holds (as of the last `apply`).
    pub fn doc_count(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }
}

fn new_writer(index: &Index) -> Result<IndexWriter, SearchError> {
    Ok(index.writer_with_num_threads(WRITER_THREADS, WRITER_HEAP_BYTES)?)
}

/// Makes `dir` an empty directory, if it is missing, empty or a search index.
fn clear_dir(dir: &Path) -> Result<(), SearchError> {
    if !dir.exists() {
        std::fs::create_dir_all(dir)?;
        return Ok(());
    }
    let entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    if entries.is_empty() {
        return Ok(());
    }
    let is_index = entries
        .iter()
        .any(|e| e.file_name() == "meta.json" || e.file_name() == ".managed.json");
    if !is_index {
        return Err(SearchError::NotAnIndexDir(dir.to_owned()));
    }
    for e in entries {
        let path = e.path();
        if e.file_type()?.is_dir() {
            std::fs::remove_dir_all(path)?;
        } else {
            std::fs::remove_file(path)?;
        }
    }
    Ok(())
}
