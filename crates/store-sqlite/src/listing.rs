//! Reading reports: one, its versions, and filtered pages.

use crate::codec::{get_u64, ts_bound};
use crate::entities::{REPORTS, counter};
use crate::error::Res;
use crate::reports::{report_cols, report_row};
use rusqlite::Connection;
use rusqlite::types::Value;
use warroom_domain::ReportId;
use warroom_store::{ListedReport, ReportFilter, ReportRecord};

pub(crate) fn report(conn: &Connection, id: ReportId) -> Res<Option<ReportRecord>> {
    let mut stmt = conn.prepare_cached(concat!(
        "SELECT ",
        report_cols!(),
        " FROM reports WHERE id = ?1"
    ))?;
    let mut rows = stmt.query([&id.0.as_bytes()[..]])?;
    rows.next()?.map(|row| report_row(row, 0)).transpose()
}

/// Superseded versions and the current one in one statement, so one snapshot.
pub(crate) fn versions(conn: &Connection, id: ReportId) -> Res<Vec<ReportRecord>> {
    let mut stmt = conn.prepare_cached(concat!(
        "SELECT ",
        report_cols!(),
        " FROM report_versions WHERE seq = (SELECT seq FROM reports WHERE id = ?1) \
         UNION ALL SELECT ",
        report_cols!(),
        " FROM reports WHERE id = ?1 ORDER BY version"
    ))?;
    let mut rows = stmt.query([&id.0.as_bytes()[..]])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(report_row(row, 0)?);
    }
    Ok(out)
}

/// The query text depends only on which filters are present, so the statement cache holds at
/// most one statement per combination.
pub(crate) fn list(
    conn: &Connection,
    filter: &ReportFilter,
    cursor: Option<u64>,
    limit: usize,
) -> Res<Vec<ListedReport>> {
    let mut sql = String::from(concat!(
        "SELECT seq, ",
        report_cols!(),
        " FROM reports WHERE 1"
    ));
    let mut args: Vec<Value> = Vec::new();
    let mut cond = |clause: &str, v: Value| {
        sql.push_str(" AND ");
        sql.push_str(clause);
        args.push(v);
    };
    if let Some(c) = cursor {
        cond(
            "seq < ?",
            Value::Integer(i64::try_from(c).unwrap_or(i64::MAX)),
        );
    }
    if let Some(k) = filter.kind {
        cond("kind = ?", Value::Text(k.as_str().to_owned()));
    }
    if let Some(m) = &filter.method {
        cond(
            "EXISTS (SELECT 1 FROM json_each(reports.methods) WHERE json_each.value = ?)",
            Value::Text(m.clone()),
        );
    }
    if let Some(c) = filter.victim_country {
        cond("victim_country = ?", Value::Text(c.as_str().to_owned()));
    }
    if let Some(o) = filter.owner {
        cond("owner = ?", Value::Blob(o.0.as_bytes().to_vec()));
    }
    if let Some(t) = filter.since {
        cond("reported_at >= ?", Value::Integer(ts_bound(t)));
    }
    if let Some(t) = filter.until {
        cond("reported_at < ?", Value::Integer(ts_bound(t)));
    }
    if !filter.include_retracted {
        sql.push_str(" AND retracted_at IS NULL");
    }
    sql.push_str(" ORDER BY seq DESC LIMIT ?");
    args.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));

    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
    let mut out = Vec::with_capacity(limit.min(256));
    while let Some(row) = rows.next()? {
        out.push(ListedReport {
            seq: get_u64(row, 0)?,
            report: report_row(row, 1)?,
        });
    }
    Ok(out)
}

pub(crate) fn count(conn: &Connection) -> Res<u64> {
    counter(conn, REPORTS)
}
