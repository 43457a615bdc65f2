//! The crate's internal error, so `?` works on rusqlite and store errors alike; the orphan rule
//! forbids `From<rusqlite::Error> for StoreError` here, and the store crate must not name SQLite.

use rusqlite::ErrorCode;
use warroom_store::StoreError;

#[derive(Debug)]
pub(crate) struct Error(pub(crate) StoreError);

pub(crate) type Res<T> = std::result::Result<T, Error>;

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        Self(e)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Self(StoreError::Backend(e.to_string()))
    }
}

impl From<Error> for StoreError {
    fn from(e: Error) -> Self {
        e.0
    }
}

pub(crate) fn corrupt(what: impl Into<String>) -> Error {
    Error(StoreError::Corrupt(what.into()))
}

/// The constraint a statement failed on, for the ones the store answers in its own terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Violation {
    /// UNIQUE or PRIMARY KEY: the key is taken.
    Unique,
    /// FOREIGN KEY: the row it belongs to is missing.
    Parent,
}

pub(crate) fn violation(e: &rusqlite::Error) -> Option<Violation> {
    let f = e.sqlite_error()?;
    if f.code != ErrorCode::ConstraintViolation {
        return None;
    }
    match f.extended_code {
        rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
            Some(Violation::Unique)
        }
        rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY => Some(Violation::Parent),
        _ => None,
    }
}

/// Answers an insert's taken key with [`StoreError::Conflict`] saying `taken`, and a missing
/// parent row with [`StoreError::NotFound`] naming `parent`.
pub(crate) fn insert_result<T>(
    r: rusqlite::Result<T>,
    taken: &str,
    parent: &'static str,
) -> Res<T> {
    r.map_err(|e| match violation(&e) {
        Some(Violation::Unique) => Error(StoreError::Conflict(taken.to_owned())),
        Some(Violation::Parent) => Error(StoreError::NotFound(parent)),
        None => e.into(),
    })
}
