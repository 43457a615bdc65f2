//! The ceiling for ingest benchmarks: the same number of rows as warroom writes for a report
//! (one parent row and its children), inserted by a bare loop with prepared statements in
//! transactions of the same size, with the store's pragmas. No normalisation, no audit, no
//! indexes beyond the primary keys: what this machine's SQLite can do at best.

use rusqlite::{Connection, params};
use std::path::Path;
use std::time::Instant;
use warroom_store::{Result, StoreError};

/// Inserts `parents` rows and `children` rows per parent; returns the seconds it took.
pub fn insert_loop(dir: &Path, parents: usize, children: usize, batch: usize) -> Result<f64> {
    let e = |e: rusqlite::Error| StoreError::Backend(e.to_string());
    std::fs::create_dir_all(dir).map_err(|err| StoreError::Open(err.to_string()))?;
    let mut conn = Connection::open(dir.join("baseline.db")).map_err(e)?;
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
         CREATE TABLE IF NOT EXISTS parent (id BLOB PRIMARY KEY, body TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS child (parent BLOB NOT NULL, k INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (parent, k));",
    )
    .map_err(e)?;
    let start = Instant::now();
    let mut i = 0usize;
    while i < parents {
        let n = batch.min(parents - i);
        let tx = conn.transaction().map_err(e)?;
        {
            let mut p = tx
                .prepare_cached("INSERT INTO parent (id, body) VALUES (?1, ?2)")
                .map_err(e)?;
            let mut c = tx
                .prepare_cached("INSERT INTO child (parent, k, value) VALUES (?1, ?2, ?3)")
                .map_err(e)?;
            for k in i..i + n {
                let id = uuid::Uuid::from_u128(k as u128).into_bytes();
                p.execute(params![&id[..], format!("report {k}")])
                    .map_err(e)?;
                for j in 0..children {
                    c.execute(params![&id[..], j as i64, format!("+6681{k:07}{j}")])
                        .map_err(e)?;
                }
            }
        }
        tx.commit().map_err(e)?;
        i += n;
    }
    Ok(start.elapsed().as_secs_f64())
}
