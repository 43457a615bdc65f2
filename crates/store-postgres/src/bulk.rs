//! How many rows get in at once: reports, sightings and audit events of a `put_reports` batch,
//! either as one `INSERT ... SELECT FROM UNNEST($1::bigint[], ...)` per table (every column
//! one array parameter) or as `COPY ... FROM STDIN (FORMAT binary)`. Both are one statement per
//! table whatever the batch size; [`BulkInsert`] picks one. On a 100k-report ingest (batches of
//! 10,000, five entities each; `examples/throughput.rs`) COPY did 15.8k-20.5k reports/s and
//! UNNEST 12.0k-12.8k on the same server.

use crate::audit::Chain;
use crate::codec::{DistributionIds, array_literal, entities_blob, opt_ts, ts, uuid_array_literal};
use crate::error::Res;
use crate::pool::Db;
use futures_util::pin_mut;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};
use warroom_domain::CountryCode;
use warroom_store::{EntityRef, ReportRecord};

/// How `put_reports` sends its rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BulkInsert {
    /// `COPY ... FROM STDIN (FORMAT binary)`: rows stream in the binary format, no planner,
    /// no per-row parameter arrays. The faster of the two on a 100k-report ingest.
    #[default]
    Copy,
    /// `INSERT ... SELECT FROM UNNEST(...)` with one array parameter per column.
    Unnest,
}

/// A report about to be inserted or stored as a new version, its columns encoded once.
#[derive(Debug)]
pub(crate) struct NewReport<'a> {
    pub(crate) r: &'a ReportRecord,
    pub(crate) seq: i64,
    /// Its rev in `reports` (see `changes.rs`); `report_versions` keeps none.
    pub(crate) rev: i64,
    pub(crate) dist: DistributionIds,
    pub(crate) entities: Vec<u8>,
    pub(crate) occurred_at: Option<i64>,
    pub(crate) reported_at: i64,
    pub(crate) recorded_at: i64,
    pub(crate) retracted_at: Option<i64>,
}

impl<'a> NewReport<'a> {
    pub(crate) fn new(r: &'a ReportRecord, seq: i64, rev: i64) -> Res<Self> {
        Ok(Self {
            r,
            seq,
            rev,
            dist: DistributionIds::of(&r.distribution),
            entities: entities_blob(&r.entities),
            occurred_at: opt_ts(r.occurred_at)?,
            reported_at: ts(r.reported_at)?,
            recorded_at: ts(r.recorded_at)?,
            retracted_at: opt_ts(r.retracted_at)?,
        })
    }

    /// When the report's sightings count: `occurred_at`, else `reported_at`.
    pub(crate) fn seen_at(&self) -> i64 {
        self.occurred_at.unwrap_or(self.reported_at)
    }

    pub(crate) fn victim_country(&self) -> Option<&str> {
        self.r.victim_country.as_ref().map(CountryCode::as_str)
    }

    /// Its sightings: one per entity, as listed (duplicates are dropped by the writer).
    pub(crate) fn sightings(&self) -> impl Iterator<Item = NewSighting<'_>> {
        self.r.entities.iter().map(move |entity| NewSighting {
            entity,
            seen_at: self.seen_at(),
            report: self,
        })
    }
}

/// A sighting to write: `entity` seen in `report` at `seen_at`.
#[derive(Debug)]
pub(crate) struct NewSighting<'r> {
    pub(crate) entity: &'r EntityRef,
    pub(crate) seen_at: i64,
    pub(crate) report: &'r NewReport<'r>,
}

impl NewSighting<'_> {
    pub(crate) fn key(&self) -> (uuid::Uuid, i64, i64) {
        (self.entity.id.0, self.seen_at, self.report.seq)
    }
}

/// The columns of `reports`, in the order both insert paths write them.
macro_rules! report_cols {
    () => {
        "id, owner, author, kind, marking, dist_agencies, dist_groups, methods, victim_country, \
         occurred_at, reported_at, recorded_at, version, retracted_at, hit_notices, fingerprint, \
         entities, body"
    };
}
pub(crate) use report_cols;

/// [`report_cols`] with an empty `body`: for readers that need every fact but the document
/// (the identifier index), which spares reading, detoasting and sending the largest column.
macro_rules! report_cols_without_body {
    () => {
        "id, owner, author, kind, marking, dist_agencies, dist_groups, methods, victim_country, \
         occurred_at, reported_at, recorded_at, version, retracted_at, hit_notices, fingerprint, \
         entities, ''::text AS body"
    };
}
pub(crate) use report_cols_without_body;

/// The two tables that hold report versions, with the same columns: `reports` (the current
/// version of each report) and `report_versions` (the superseded ones, under their report's
/// seq).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReportTable {
    Reports,
    Versions,
}

impl ReportTable {
    fn copy_sql(self) -> &'static str {
        match self {
            ReportTable::Reports => concat!(
                "COPY reports (seq, ",
                report_cols!(),
                ", rev) FROM STDIN (FORMAT binary)"
            ),
            ReportTable::Versions => concat!(
                "COPY report_versions (seq, ",
                report_cols!(),
                ") FROM STDIN (FORMAT binary)"
            ),
        }
    }

    /// `reports` takes one more array, `$20`, the revs.
    fn unnest_sql(self) -> &'static str {
        macro_rules! unnest_into {
            ($table:literal, $rev_col:literal, $rev_param:literal, $rev_alias:literal) => {
                concat!(
                    "INSERT INTO ",
                    $table,
                    " (seq, ",
                    report_cols!(),
                    $rev_col,
                    ") SELECT seq, id, owner, author, kind, marking, da::uuid[], dg::uuid[], \
                     m::text[], vc, oa, ra, rec, v, ret, hn, fp, ent, body",
                    $rev_col,
                    " FROM UNNEST($1::bigint[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], \
                     $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[], \
                     $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bool[], \
                     $17::bytea[], $18::bytea[], $19::text[]",
                    $rev_param,
                    ") AS t(seq, id, owner, author, kind, marking, da, dg, m, vc, oa, ra, rec, v, \
                     ret, hn, fp, ent, body",
                    $rev_alias,
                    ")"
                )
            };
        }
        match self {
            ReportTable::Reports => unnest_into!("reports", ", rev", ", $20::bigint[]", ", rev"),
            ReportTable::Versions => unnest_into!("report_versions", "", "", ""),
        }
    }
}

pub(crate) async fn insert_reports(db: &Db<'_>, mode: BulkInsert, rs: &[NewReport<'_>]) -> Res<()> {
    insert_report_rows(db, mode, ReportTable::Reports, rs).await
}

/// Writes report rows, each under its `seq`, into `table`: new reports into `reports`, and
/// (for a restore) superseded versions into `report_versions`.
pub(crate) async fn insert_report_rows(
    db: &Db<'_>,
    mode: BulkInsert,
    table: ReportTable,
    rs: &[NewReport<'_>],
) -> Res<()> {
    if rs.is_empty() {
        return Ok(());
    }
    match mode {
        BulkInsert::Copy => copy_reports(db, table, rs).await,
        BulkInsert::Unnest => unnest_reports(db, table, rs).await,
    }
}

pub(crate) async fn insert_sightings(
    db: &Db<'_>,
    mode: BulkInsert,
    rows: &[NewSighting<'_>],
) -> Res<()> {
    if rows.is_empty() {
        return Ok(());
    }
    match mode {
        BulkInsert::Copy => copy_sightings(db, rows).await,
        BulkInsert::Unnest => unnest_sightings(db, rows).await,
    }
}

pub(crate) async fn insert_audit(db: &Db<'_>, mode: BulkInsert, chain: &Chain<'_>) -> Res<()> {
    match mode {
        // A few events do not pay for a COPY's extra round trips.
        BulkInsert::Copy if chain.len() > 16 => copy_audit(db, chain).await,
        _ => chain.insert(db).await,
    }
}

async fn unnest_reports(db: &Db<'_>, table: ReportTable, rs: &[NewReport<'_>]) -> Res<()> {
    let col = |f: &dyn Fn(&NewReport<'_>) -> i64| rs.iter().map(f).collect::<Vec<i64>>();
    let seq = col(&|n| n.seq);
    let rev = col(&|n| n.rev);
    let reported_at = col(&|n| n.reported_at);
    let recorded_at = col(&|n| n.recorded_at);
    let version = col(&|n| i64::from(n.r.version));
    let id: Vec<_> = rs.iter().map(|n| n.r.id.0).collect();
    let owner: Vec<_> = rs.iter().map(|n| n.r.owner.0).collect();
    let author: Vec<_> = rs.iter().map(|n| n.r.author.0).collect();
    let kind: Vec<_> = rs.iter().map(|n| n.r.kind.as_str()).collect();
    let marking: Vec<_> = rs.iter().map(|n| n.r.marking.as_str()).collect();
    let dist_agencies: Vec<_> = rs
        .iter()
        .map(|n| uuid_array_literal(&n.dist.agencies))
        .collect();
    let dist_groups: Vec<_> = rs
        .iter()
        .map(|n| uuid_array_literal(&n.dist.groups))
        .collect();
    let methods: Vec<_> = rs
        .iter()
        .map(|n| array_literal(n.r.methods.iter().map(String::as_str)))
        .collect();
    let victim_country: Vec<_> = rs.iter().map(NewReport::victim_country).collect();
    let occurred_at: Vec<_> = rs.iter().map(|n| n.occurred_at).collect();
    let retracted_at: Vec<_> = rs.iter().map(|n| n.retracted_at).collect();
    let hit_notices: Vec<_> = rs.iter().map(|n| n.r.hit_notices).collect();
    let fingerprint: Vec<&[u8]> = rs.iter().map(|n| &n.r.fingerprint[..]).collect();
    let entities: Vec<&[u8]> = rs.iter().map(|n| &n.entities[..]).collect();
    let body: Vec<_> = rs.iter().map(|n| n.r.body.as_str()).collect();
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![
        &seq,
        &id,
        &owner,
        &author,
        &kind,
        &marking,
        &dist_agencies,
        &dist_groups,
        &methods,
        &victim_country,
        &occurred_at,
        &reported_at,
        &recorded_at,
        &version,
        &retracted_at,
        &hit_notices,
        &fingerprint,
        &entities,
        &body,
    ];
    if table == ReportTable::Reports {
        params.push(&rev);
    }
    db.execute(table.unnest_sql(), &params).await?;
    Ok(())
}

/// The access facts come from the report rows just written (joined by seq), so they are not
/// sent once per sighting.
async fn unnest_sightings(db: &Db<'_>, rows: &[NewSighting<'_>]) -> Res<()> {
    let entity: Vec<_> = rows.iter().map(|s| s.entity.id.0).collect();
    let seen_at: Vec<_> = rows.iter().map(|s| s.seen_at).collect();
    let report_seq: Vec<_> = rows.iter().map(|s| s.report.seq).collect();
    db.execute(
        "INSERT INTO sightings (entity_id, seen_at, report_seq, report_id, owner, marking, \
         dist_agencies, dist_groups) \
         SELECT t.e, t.s, t.q, r.id, r.owner, r.marking, r.dist_agencies, r.dist_groups \
         FROM UNNEST($1::uuid[], $2::bigint[], $3::bigint[]) AS t(e, s, q) \
         JOIN reports r ON r.seq = t.q",
        &[&entity, &seen_at, &report_seq],
    )
    .await?;
    Ok(())
}

async fn copy_reports(db: &Db<'_>, table: ReportTable, rs: &[NewReport<'_>]) -> Res<()> {
    let stmt = db.statement(table.copy_sql()).await?;
    let sink = db.client().copy_in(&stmt).await?;
    let with_rev = table == ReportTable::Reports;
    let mut types = vec![
        Type::INT8,
        Type::UUID,
        Type::UUID,
        Type::UUID,
        Type::TEXT,
        Type::TEXT,
        Type::UUID_ARRAY,
        Type::UUID_ARRAY,
        Type::TEXT_ARRAY,
        Type::TEXT,
        Type::INT8,
        Type::INT8,
        Type::INT8,
        Type::INT8,
        Type::INT8,
        Type::BOOL,
        Type::BYTEA,
        Type::BYTEA,
        Type::TEXT,
    ];
    if with_rev {
        types.push(Type::INT8);
    }
    let writer = BinaryCopyInWriter::new(sink, &types);
    pin_mut!(writer);
    for n in rs {
        let r = n.r;
        let version = i64::from(r.version);
        let row: [&(dyn ToSql + Sync); 20] = [
            &n.seq,
            &r.id.0,
            &r.owner.0,
            &r.author.0,
            &r.kind.as_str(),
            &r.marking.as_str(),
            &n.dist.agencies,
            &n.dist.groups,
            &r.methods,
            &n.victim_country(),
            &n.occurred_at,
            &n.reported_at,
            &n.recorded_at,
            &version,
            &n.retracted_at,
            &r.hit_notices,
            &&r.fingerprint[..],
            &n.entities,
            &r.body,
            &n.rev,
        ];
        let row = if with_rev { &row[..] } else { &row[..19] };
        writer.as_mut().write(row).await?;
    }
    writer.finish().await?;
    Ok(())
}

async fn copy_sightings(db: &Db<'_>, rows: &[NewSighting<'_>]) -> Res<()> {
    let stmt = db
        .statement(
            "COPY sightings (entity_id, seen_at, report_seq, report_id, owner, marking, \
             dist_agencies, dist_groups) FROM STDIN (FORMAT binary)",
        )
        .await?;
    let sink = db.client().copy_in(&stmt).await?;
    let writer = BinaryCopyInWriter::new(
        sink,
        &[
            Type::UUID,
            Type::INT8,
            Type::INT8,
            Type::UUID,
            Type::UUID,
            Type::TEXT,
            Type::UUID_ARRAY,
            Type::UUID_ARRAY,
        ],
    );
    pin_mut!(writer);
    for s in rows {
        let n = s.report;
        let row: [&(dyn ToSql + Sync); 8] = [
            &s.entity.id.0,
            &s.seen_at,
            &n.seq,
            &n.r.id.0,
            &n.r.owner.0,
            &n.r.marking.as_str(),
            &n.dist.agencies,
            &n.dist.groups,
        ];
        writer.as_mut().write(&row).await?;
    }
    writer.finish().await?;
    Ok(())
}

async fn copy_audit(db: &Db<'_>, c: &Chain<'_>) -> Res<()> {
    let stmt = db
        .statement(
            "COPY audit (seq, at, actor_user, actor_agency, action, object_kind, object_id, \
             request_id, purpose, prev_hash, hash) FROM STDIN (FORMAT binary)",
        )
        .await?;
    let sink = db.client().copy_in(&stmt).await?;
    let writer = BinaryCopyInWriter::new(
        sink,
        &[
            Type::INT8,
            Type::INT8,
            Type::UUID,
            Type::UUID,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::BYTEA,
            Type::BYTEA,
        ],
    );
    pin_mut!(writer);
    for i in 0..c.len() {
        let row: [&(dyn ToSql + Sync); 11] = [
            &c.seq[i],
            &c.at[i],
            &c.actor_user[i],
            &c.actor_agency[i],
            &c.action[i],
            &c.object_kind[i],
            &c.object_id[i],
            &c.request_id[i],
            &c.purpose[i],
            &&c.prev_hash[i][..],
            &&c.hash[i][..],
        ];
        writer.as_mut().write(&row).await?;
    }
    writer.finish().await?;
    Ok(())
}
