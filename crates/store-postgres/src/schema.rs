//! Bringing the schema up to date, and the advisory lock keys.
//!
//! Everything lives in the connection's current schema (the first existing schema of its
//! search_path), the version table `warroom_schema` included, so a search_path given in the
//! URL's `options` selects the store. Lock keys are (class, schema OID) pairs: stores in
//! different schemas of one database never wait for each other.

use crate::error::describe;
use crate::pool::Db;
use warroom_store::StoreError;

/// Every migration in order; migration `n` (1-based) adds row `n` to `warroom_schema`.
/// Append only: a shipped migration is never edited, since databases already carry it.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_correlation.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// First key of the session lock held while migrating ("WRM" + 1).
const MIGRATE_LOCK: i32 = 0x5752_4d01;
/// First key of the transaction lock every write transaction takes ("WRM" + 2).
pub(crate) const WRITE_LOCK: i32 = 0x5752_4d02;

#[derive(Debug, thiserror::Error)]
pub(crate) enum MigrateError {
    #[error("{}", describe(.0))]
    Sql(#[from] tokio_postgres::Error),
    #[error(
        "the search_path names no existing schema, so there is nowhere to create tables \
         (create the schema first, or fix `options=-csearch_path=...` in the URL)"
    )]
    NoSchema,
    #[error(
        "the database has schema version {found}, newer than this build's {SCHEMA_VERSION}: \
         it was written by a newer warroom"
    )]
    TooNew { found: u32 },
    #[error("warroom_schema holds a version out of range: {0}")]
    BadVersion(i64),
}

impl From<MigrateError> for StoreError {
    fn from(e: MigrateError) -> Self {
        StoreError::Open(e.to_string())
    }
}

/// The second key of the store's advisory locks: the current schema's OID (as the bits of an
/// int4, which is what the two-key `pg_advisory_lock` takes).
pub(crate) async fn schema_key(db: &Db<'_>) -> Result<i32, MigrateError> {
    let row = db
        .client()
        .query_opt(
            "SELECT oid FROM pg_namespace WHERE nspname = current_schema()",
            &[],
        )
        .await?;
    let oid: u32 = match row {
        Some(row) => row.try_get(0)?,
        None => return Err(MigrateError::NoSchema),
    };
    Ok(i32::from_ne_bytes(oid.to_ne_bytes()))
}

/// Applies the migrations this schema lacks, under a session advisory lock, so two processes
/// starting together apply each migration once: the second waits, then finds nothing to do.
pub(crate) async fn migrate(db: &Db<'_>, key: i32) -> Result<(), MigrateError> {
    let client = db.client();
    client
        .execute("SELECT pg_advisory_lock($1, $2)", &[&MIGRATE_LOCK, &key])
        .await?;
    let out = apply(db).await;
    // On failure the caller drops this connection, which releases the lock anyway.
    client
        .execute("SELECT pg_advisory_unlock($1, $2)", &[&MIGRATE_LOCK, &key])
        .await?;
    out
}

async fn apply(db: &Db<'_>) -> Result<(), MigrateError> {
    let client = db.client();
    client
        .batch_execute(
            "SET client_min_messages = warning; \
             CREATE TABLE IF NOT EXISTS warroom_schema (\
                 version    integer PRIMARY KEY, \
                 applied_at timestamptz NOT NULL DEFAULT now()); \
             RESET client_min_messages",
        )
        .await?;
    let row = client
        .query_one(
            "SELECT coalesce(max(version), 0)::bigint FROM warroom_schema",
            &[],
        )
        .await?;
    let current: i64 = row.try_get(0)?;
    let current = u32::try_from(current).map_err(|_| MigrateError::BadVersion(current))?;
    if current > SCHEMA_VERSION {
        return Err(MigrateError::TooNew { found: current });
    }
    for (done, sql) in (current..).zip(MIGRATIONS.iter().skip(current as usize)) {
        let version = i32::try_from(done + 1).unwrap_or(i32::MAX);
        client.batch_execute("BEGIN").await?;
        let step = async {
            client.batch_execute(sql).await?;
            client
                .execute(
                    "INSERT INTO warroom_schema (version) VALUES ($1)",
                    &[&version],
                )
                .await?;
            client.batch_execute("COMMIT").await
        };
        if let Err(e) = step.await {
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(e.into());
        }
    }
    Ok(())
}
