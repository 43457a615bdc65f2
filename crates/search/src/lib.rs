//! Full-text search over report narratives in Thai, Japanese, Hindi and English.
//!
//! [`SearchIndex`] is a derived index: the node feeds it the store's change log
//! ([`SearchIndex::apply`]) and rebuilds it from the store at start. A search
//! ([`SearchIndex::search`]) returns report ids, scores and highlights, only among the reports
//! its [`Scope`] may read in full (SPEC section 4); the node still passes every result through
//! the policy before showing it.
//!
//! Modules: [`analyzer`] (the one tokenizer for narratives and search text), `schema` (fields,
//! report to document), `text` (search text to phrases), `query` (phrases, scope and filters
//! as a tantivy query), `scope_cache` (each scope's readable documents per segment, kept
//! between searches), `highlight`, `index`.

pub mod analyzer;
mod error;
mod highlight;
mod index;
mod query;
mod request;
mod schema;
mod scope_cache;
mod text;

pub use error::SearchError;
pub use index::{SearchIndex, WRITER_HEAP_BYTES};
pub use request::{
    FRAGMENT_CHARS, Filter, Found, Highlight, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS, Query, Scope,
};
