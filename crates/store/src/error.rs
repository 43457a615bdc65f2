use thiserror::Error;

/// What a store call can fail with. Messages name the object, never its content.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("conflict: {0}")]
    Conflict(String),
    /// The data directory or database could not be opened, created or migrated.
    #[error("cannot open the store: {0}")]
    Open(String),
    /// The database holds something this version cannot read.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// Any other backend failure (I/O, lock, constraint), with the backend's message.
    #[error("storage backend failed: {0}")]
    Backend(String),
}
