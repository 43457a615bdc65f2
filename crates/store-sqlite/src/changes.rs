//! The change log of reports: every insert, update, retraction and restore sets the report's
//! `rev` to the largest so far + 1 (see `reports.rs`), inside the one writer's IMMEDIATE
//! transaction, so revs follow commit order; derived indexes read the reports above the last
//! rev they saw, in rev order, through the unique index on `rev`.

use crate::codec::{get_i64, get_u64};
use crate::error::{Res, corrupt};
use crate::reports::{report_cols, report_cols_without_body, report_row};
use rusqlite::Connection;
use warroom_store::ChangedReport;

/// The highest rev given so far (0 before the first report). Inside a write transaction it is
/// the one the next change builds on: nothing else writes until the commit.
pub(crate) fn last_rev(conn: &Connection) -> Res<i64> {
    let mut stmt = conn.prepare_cached("SELECT coalesce(max(rev), 0) FROM reports")?;
    let mut rows = stmt.query([])?;
    match rows.next()? {
        Some(row) => get_i64(row, 0),
        None => Ok(0),
    }
}

pub(crate) fn report_rev(conn: &Connection) -> Res<u64> {
    u64::try_from(last_rev(conn)?).map_err(|_| corrupt("reports.rev holds a negative value"))
}

/// Reports whose rev is above `after`, in rev order, at most `limit` (one statement, so one
/// snapshot).
pub(crate) fn report_changes(
    conn: &Connection,
    after: u64,
    limit: usize,
    bodies: bool,
) -> Res<Vec<ChangedReport>> {
    let mut stmt = if bodies {
        conn.prepare_cached(concat!(
            "SELECT rev, seq, ",
            report_cols!(),
            " FROM reports WHERE rev > ?1 ORDER BY rev LIMIT ?2"
        ))?
    } else {
        conn.prepare_cached(concat!(
            "SELECT rev, seq, ",
            report_cols_without_body!(),
            " FROM reports WHERE rev > ?1 ORDER BY rev LIMIT ?2"
        ))?
    };
    let after = i64::try_from(after).unwrap_or(i64::MAX);
    let limit_i = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut rows = stmt.query(rusqlite::params![after, limit_i])?;
    let mut out = Vec::with_capacity(limit.min(1024));
    while let Some(row) = rows.next()? {
        out.push(ChangedReport {
            rev: get_u64(row, 0)?,
            seq: get_u64(row, 1)?,
            report: report_row(row, 2)?,
        });
    }
    Ok(out)
}
