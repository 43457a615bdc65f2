//! What can go wrong, with messages fit to show the person who searched.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The search text holds no word once punctuation and spaces are dropped.
    #[error("the search text has no words to search for")]
    EmptyQuery,
    /// The search text is longer than [`crate::MAX_QUERY_CHARS`] characters.
    #[error("the search text is too long: at most {max} characters")]
    QueryTooLong { max: usize },
    /// `offset` is past [`crate::MAX_OFFSET`]: refine the search instead of paging that deep.
    #[error("cannot page past result {max}: narrow the search instead")]
    OffsetTooLarge { max: usize },
    /// [`crate::SearchIndex::in_dir`] was given a directory that holds something other than
    /// a search index; it is not cleared.
    #[error("{0} is not empty and holds no search index; refusing to clear it")]
    NotAnIndexDir(PathBuf),
    /// A previous update panicked while holding the writer.
    #[error("the search index writer is unusable after an earlier failure")]
    WriterPoisoned,
    #[error("search index I/O: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}
