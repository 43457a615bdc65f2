//! The crate's internal error, so `?` works on tokio-postgres and store errors alike; the orphan
//! rule forbids `From<tokio_postgres::Error> for StoreError` here, and the store crate must not
//! name PostgreSQL.

use std::error::Error as _;
use warroom_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{}", describe(.0))]
    Pg(#[from] tokio_postgres::Error),
}

pub(crate) type Res<T> = std::result::Result<T, Error>;

impl From<Error> for StoreError {
    fn from(e: Error) -> Self {
        match e {
            Error::Store(e) => e,
            Error::Pg(e) => StoreError::Backend(describe(&e)),
        }
    }
}

/// A PostgreSQL error in one line: the server's message and SQLSTATE for a database error (not
/// its DETAIL, which can quote the row's values), else the client's error and its causes.
pub(crate) fn describe(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{} (SQLSTATE {})", db.message(), db.code().code());
    }
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}

pub(crate) fn corrupt(what: impl Into<String>) -> Error {
    Error::Store(StoreError::Corrupt(what.into()))
}

pub(crate) fn backend(what: impl Into<String>) -> Error {
    Error::Store(StoreError::Backend(what.into()))
}
