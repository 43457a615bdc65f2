//! Helpers for test suites that run against a real PostgreSQL server: this crate's, and any
//! other crate's that wants a [`crate::PgStore`] of its own (the server's integration suite).
//!
//! The server comes from [`URL_ENV`]; `cargo xtask pg` starts a throwaway one and prints the
//! line to export, and `cargo xtask test` starts one for the whole suite. Each test then makes
//! its own empty schema with [`fresh_schema_url`] and connects to the URL that returns.

use crate::error::describe;
use tokio_postgres::{Config, NoTls, SimpleQueryMessage};
use warroom_store::StoreError;

/// The environment variable that holds the test server's URL.
pub const URL_ENV: &str = "WARROOM_TEST_POSTGRES";

/// The test server's URL from [`URL_ENV`], or an error that says how to get one. Tests that
/// need PostgreSQL fail with it: they never skip silently.
pub fn base_url() -> Result<String, StoreError> {
    match std::env::var(URL_ENV) {
        Ok(url) if !url.trim().is_empty() => Ok(url),
        _ => Err(StoreError::Open(format!(
            "{URL_ENV} is not set, and these tests need a PostgreSQL server: run \
             `cargo xtask test` (which starts one for the suite), or start one with \
             `cargo xtask pg` and export the `{URL_ENV}=...` line it prints"
        ))),
    }
}

/// Creates a new, empty schema `t_<random>` on the server at `base` and returns `base` with
/// its search_path set to that schema (in `options`), so a store connected to it lives there.
pub fn fresh_schema_url(base: &str) -> Result<String, StoreError> {
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    execute(base, &format!("CREATE SCHEMA {schema}"))?;
    Ok(with_search_path(base, &schema))
}

/// `url` with `options=-csearch_path=<schema>` added: a query parameter for a URL, a
/// `key=value` pair otherwise. `schema` must be a plain identifier.
pub fn with_search_path(url: &str, schema: &str) -> String {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}options=-csearch_path%3D{schema}")
    } else {
        format!("{url} options='-csearch_path={schema}'")
    }
}

/// Runs `sql` (one or more statements, no parameters) on a connection of its own, for what a
/// test does behind a store's back: tampering with rows, dropping a schema.
pub fn execute(url: &str, sql: &str) -> Result<(), StoreError> {
    simple_query(url, sql).map(drop)
}

/// Runs `sql` like [`execute`] and returns the rows of its results as text (NULL as `None`).
pub fn simple_query(url: &str, sql: &str) -> Result<Vec<Vec<Option<String>>>, StoreError> {
    let config: Config = url.parse().map_err(|e: tokio_postgres::Error| {
        StoreError::Open(format!("the PostgreSQL URL is not valid: {}", describe(&e)))
    })?;
    let sql = sql.to_owned();
    // A thread of its own, so that its runtime never nests in the caller's.
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Backend(format!("cannot start a runtime: {e}")))?;
        rt.block_on(async {
            let (client, connection) = config
                .connect(NoTls)
                .await
                .map_err(|e| StoreError::Open(describe(&e)))?;
            let conn = tokio::spawn(connection);
            let out = client
                .simple_query(&sql)
                .await
                .map_err(|e| StoreError::Backend(describe(&e)));
            drop(client);
            let _ = conn.await;
            Ok(out?
                .iter()
                .filter_map(|m| match m {
                    SimpleQueryMessage::Row(row) => Some(
                        (0..row.len())
                            .map(|i| row.get(i).map(str::to_owned))
                            .collect(),
                    ),
                    _ => None,
                })
                .collect())
        })
    })
    .join()
    .map_err(|_| StoreError::Backend("the SQL thread panicked".to_owned()))?
}
