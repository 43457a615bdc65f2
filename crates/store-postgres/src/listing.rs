//! Reading reports: one, its versions, and filtered pages.

use crate::bulk::report_cols;
use crate::codec::{get_u64, ts_bound};
use crate::entities::{REPORTS, counter};
use crate::error::Res;
use crate::pool::Db;
use crate::reports::report_row;
use tokio_postgres::types::ToSql;
use warroom_domain::ReportId;
use warroom_store::{ListedReport, ReportFilter, ReportRecord};

pub(crate) async fn report(db: &Db<'_>, id: ReportId) -> Res<Option<ReportRecord>> {
    db.query_opt(
        concat!("SELECT ", report_cols!(), " FROM reports WHERE id = $1"),
        &[&id.0],
    )
    .await?
    .map(|row| report_row(&row, 0))
    .transpose()
}

/// Superseded versions and the current one in one statement, so one snapshot.
pub(crate) async fn versions(db: &Db<'_>, id: ReportId) -> Res<Vec<ReportRecord>> {
    db.query(
        concat!(
            "SELECT ",
            report_cols!(),
            " FROM report_versions WHERE seq = (SELECT seq FROM reports WHERE id = $1) \
             UNION ALL SELECT ",
            report_cols!(),
            " FROM reports WHERE id = $1 ORDER BY version"
        ),
        &[&id.0],
    )
    .await?
    .iter()
    .map(|row| report_row(row, 0))
    .collect()
}

/// The query text depends only on which filters are present, so each connection prepares at
/// most one statement per combination.
pub(crate) async fn list(
    db: &Db<'_>,
    filter: &ReportFilter,
    cursor: Option<u64>,
    limit: usize,
) -> Res<Vec<ListedReport>> {
    let mut sql = String::from(concat!(
        "SELECT seq, ",
        report_cols!(),
        " FROM reports WHERE true"
    ));
    let mut args: Vec<Box<dyn ToSql + Sync + Send>> = Vec::new();
    let mut cond = |clause: &str, v: Box<dyn ToSql + Sync + Send>| {
        args.push(v);
        sql.push_str(" AND ");
        sql.push_str(&clause.replace('?', &format!("${}", args.len())));
    };
    if let Some(c) = cursor {
        cond(
            "seq < ?::bigint",
            Box::new(i64::try_from(c).unwrap_or(i64::MAX)),
        );
    }
    if let Some(k) = filter.kind {
        cond("kind = ?::text", Box::new(k.as_str()));
    }
    if let Some(m) = &filter.method {
        cond("?::text = ANY(methods)", Box::new(m.clone()));
    }
    if let Some(c) = filter.victim_country {
        cond("victim_country = ?::text", Box::new(c.as_str().to_owned()));
    }
    if let Some(o) = filter.owner {
        cond("owner = ?::uuid", Box::new(o.0));
    }
    if let Some(t) = filter.since {
        cond("reported_at >= ?::bigint", Box::new(ts_bound(t)));
    }
    if let Some(t) = filter.until {
        cond("reported_at < ?::bigint", Box::new(ts_bound(t)));
    }
    if !filter.include_retracted {
        sql.push_str(" AND retracted_at IS NULL");
    }
    args.push(Box::new(i64::try_from(limit).unwrap_or(i64::MAX)));
    sql.push_str(&format!(" ORDER BY seq DESC LIMIT ${}", args.len()));

    let params: Vec<&(dyn ToSql + Sync)> =
        args.iter().map(|a| &**a as &(dyn ToSql + Sync)).collect();
    db.query(&sql, &params)
        .await?
        .iter()
        .map(|row| {
            Ok(ListedReport {
                seq: get_u64(row, 0)?,
                report: report_row(row, 1)?,
            })
        })
        .collect()
}

pub(crate) async fn count(db: &Db<'_>) -> Res<u64> {
    counter(db, REPORTS).await
}
