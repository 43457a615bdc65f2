//! What the integration suites share: a fresh, empty store on the backend under test.
//!
//! The backend comes from `WARROOM_TEST_BACKEND`: `sqlite` (the default) or `postgres`, which
//! needs a server at `WARROOM_TEST_POSTGRES` (`cargo xtask test` starts one and runs the
//! suites once per backend). Each fresh store is a new data directory, or a new schema on the
//! server. A suite that asks for PostgreSQL without a server fails; it never skips.

#![allow(clippy::expect_used, clippy::panic)]

pub mod process;

use std::sync::Arc;
use warroom_store::Store;
use warroom_store_postgres::{Options, PgStore, testing};
use warroom_store_sqlite::SqliteStore;

/// The environment variable that picks the backend.
pub const BACKEND_ENV: &str = "WARROOM_TEST_BACKEND";

/// The store backends a suite can run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The backend under test, from [`BACKEND_ENV`]; panics on a value it does not know.
pub fn backend() -> Backend {
    match std::env::var(BACKEND_ENV).as_deref() {
        Err(_) | Ok("") | Ok("sqlite") => Backend::Sqlite,
        Ok("postgres") => Backend::Postgres,
        Ok(other) => panic!("{BACKEND_ENV}={other}: expected `sqlite` or `postgres`"),
    }
}

/// Where a fresh store lives, before anything opens it: a new data directory, or a new
/// schema on the test server. Dropping it removes the directory (schemas are left to the
/// throwaway server).
#[derive(Debug)]
pub struct Location {
    dir: tempfile::TempDir,
    database: Option<String>,
}

impl Location {
    /// A fresh location on the backend under test.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let database = match backend() {
            Backend::Sqlite => None,
            Backend::Postgres => {
                let base = testing::base_url().unwrap_or_else(|e| panic!("{e}"));
                Some(
                    testing::fresh_schema_url(&base)
                        .unwrap_or_else(|e| panic!("cannot make a test schema: {e}")),
                )
            }
        };
        Self { dir, database }
    }

    /// A scratch directory that lives as long as the location (the data directory itself
    /// on SQLite).
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// The PostgreSQL URL of the schema, on that backend.
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The `warroom` command-line arguments that select this store.
    pub fn args(&self) -> Vec<String> {
        match &self.database {
            Some(url) => vec!["--database".into(), url.clone()],
            None => vec![
                "--data".into(),
                self.dir.path().join("data").display().to_string(),
            ],
        }
    }

    /// Everything stored at the location as raw bytes, for tests that search it for what
    /// must never be stored (secrets in clear): every file of the data directory, or every
    /// row of every table in the schema as PostgreSQL's text form.
    pub fn raw_bytes(&self) -> Vec<u8> {
        match &self.database {
            None => {
                let mut out = Vec::new();
                let mut dirs = vec![self.dir.path().to_path_buf()];
                while let Some(d) = dirs.pop() {
                    for entry in std::fs::read_dir(&d).expect("a readable data directory") {
                        let path = entry.expect("a directory entry").path();
                        if path.is_dir() {
                            dirs.push(path);
                        } else {
                            out.extend(std::fs::read(&path).expect("a readable data file"));
                        }
                    }
                }
                out
            }
            Some(url) => {
                let tables = testing::simple_query(
                    url,
                    "SELECT quote_ident(table_name) FROM information_schema.tables \
                     WHERE table_schema = current_schema()",
                )
                .unwrap_or_else(|e| panic!("{e}"));
                let mut out = Vec::new();
                for row in tables {
                    let Some(Some(table)) = row.into_iter().next() else {
                        continue;
                    };
                    let rows =
                        testing::simple_query(url, &format!("SELECT t::text FROM {table} t"))
                            .unwrap_or_else(|e| panic!("{e}"));
                    for cell in rows.into_iter().flatten().flatten() {
                        out.extend(cell.into_bytes());
                        out.push(b'\n');
                    }
                }
                out
            }
        }
    }

    /// Opens the store (another handle on the same data each time it is called).
    pub fn open(&self) -> Arc<dyn Store> {
        match &self.database {
            // Fewer connections than a server's 8: suites open many stores side by side.
            Some(url) => Arc::new(
                PgStore::connect_with(
                    url,
                    Options {
                        connections: 3,
                        ..Options::default()
                    },
                )
                .unwrap_or_else(|e| panic!("{e}")),
            ),
            None => Arc::new(
                SqliteStore::open(&self.dir.path().join("data")).unwrap_or_else(|e| panic!("{e}")),
            ),
        }
    }
}

impl Default for Location {
    fn default() -> Self {
        Self::new()
    }
}

/// A fresh store on the backend under test, with the location that keeps it alive.
pub fn fresh_store() -> (Arc<dyn Store>, Location) {
    let location = Location::new();
    (location.open(), location)
}
