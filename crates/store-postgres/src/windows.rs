//! Shared fixed-window counters (`rate_windows`), for limits that hold across processes.
//! One autocommit statement each: they take no write lock and append no audit event.

use crate::error::Res;
use crate::pool::Db;

/// Adds `n` to `key`'s counter in the window starting at `window_start` and returns the
/// window's total; first drops windows that started before `forget_before`.
pub(crate) async fn bump(
    db: &Db<'_>,
    key: &[u8],
    window_start: i64,
    n: u64,
    forget_before: i64,
) -> Res<u64> {
    db.execute(
        "DELETE FROM rate_windows WHERE window_start < $1",
        &[&forget_before],
    )
    .await?;
    let n = i64::try_from(n).unwrap_or(i64::MAX);
    let row = db
        .query_opt(
            "INSERT INTO rate_windows (key, window_start, count) VALUES ($1, $2, $3) \
             ON CONFLICT (key, window_start) DO UPDATE \
             SET count = rate_windows.count + excluded.count \
             RETURNING count",
            &[&key, &window_start, &n],
        )
        .await?;
    let total: i64 = match row {
        Some(r) => r.try_get(0)?,
        None => 0,
    };
    Ok(u64::try_from(total).unwrap_or(0))
}
