//! Shared fixed-window counters (`rate_windows`), for limits that hold across processes.

use crate::error::Res;
use rusqlite::{Connection, params};

/// Adds `n` to `key`'s counter in the window starting at `window_start` and returns the
/// window's total; first drops windows that started before `forget_before`.
pub(crate) fn bump(
    conn: &Connection,
    key: &[u8],
    window_start: i64,
    n: u64,
    forget_before: i64,
) -> Res<u64> {
    conn.prepare_cached("DELETE FROM rate_windows WHERE window_start < ?1")?
        .execute([forget_before])?;
    let n = i64::try_from(n).unwrap_or(i64::MAX);
    let total: i64 = conn
        .prepare_cached(
            "INSERT INTO rate_windows (key, window_start, count) VALUES (?1, ?2, ?3) \
             ON CONFLICT (key, window_start) DO UPDATE SET count = count + excluded.count \
             RETURNING count",
        )?
        .query_row(params![key, window_start, n], |r| r.get(0))?;
    Ok(u64::try_from(total).unwrap_or(0))
}
