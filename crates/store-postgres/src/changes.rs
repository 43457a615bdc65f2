//! The change log of reports: every insert, update, retraction and restore sets the report's
//! `rev` to the largest so far + 1 under the store's write lock (see `reports.rs`, and
//! `restore.rs`, which gives a batch one contiguous block), so revs follow commit order
//! whichever process commits; derived indexes read the reports above the last rev they saw,
//! in rev order, through the unique index on `rev`.

use crate::bulk::{report_cols, report_cols_without_body};
use crate::codec::{get, get_u64};
use crate::error::{Res, corrupt};
use crate::pool::Db;
use crate::reports::report_row;
use warroom_store::ChangedReport;

/// The highest rev given so far (0 before the first report). Under the write lock it is the
/// one the next change builds on: no other transaction gives revs until this one commits.
pub(crate) async fn last_rev(db: &Db<'_>) -> Res<i64> {
    let row = db
        .query_opt("SELECT coalesce(max(rev), 0)::bigint FROM reports", &[])
        .await?;
    match row {
        Some(row) => get(&row, 0),
        None => Ok(0),
    }
}

pub(crate) async fn report_rev(db: &Db<'_>) -> Res<u64> {
    u64::try_from(last_rev(db).await?).map_err(|_| corrupt("reports.rev holds a negative value"))
}

/// Reports whose rev is above `after`, in rev order, at most `limit` (one statement, so one
/// snapshot).
pub(crate) async fn report_changes(
    db: &Db<'_>,
    after: u64,
    limit: usize,
    bodies: bool,
) -> Res<Vec<ChangedReport>> {
    let after = i64::try_from(after).unwrap_or(i64::MAX);
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let sql = if bodies {
        concat!(
            "SELECT rev, seq, ",
            report_cols!(),
            " FROM reports WHERE rev > $1 ORDER BY rev LIMIT $2"
        )
    } else {
        concat!(
            "SELECT rev, seq, ",
            report_cols_without_body!(),
            " FROM reports WHERE rev > $1 ORDER BY rev LIMIT $2"
        )
    };
    db.query(sql, &[&after, &limit])
        .await?
        .iter()
        .map(|row| {
            Ok(ChangedReport {
                rev: get_u64(row, 0)?,
                seq: get_u64(row, 1)?,
                report: report_row(row, 2)?,
            })
        })
        .collect()
}
