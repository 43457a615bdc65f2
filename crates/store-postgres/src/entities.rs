//! Entities, their sightings, and the row counters kept beside them.

use crate::bulk::{BulkInsert, NewSighting, insert_sightings};
use crate::codec::{get, get_distribution, get_enum, get_ts, get_u64};
use crate::error::Res;
use crate::pool::Db;
use std::str::FromStr;
use uuid::Uuid;
use warroom_domain::{AgencyId, EntityId, ReportId, Tlp};
use warroom_store::{EntityRecord, SightingRecord};

pub(crate) const REPORTS: &str = "reports";
pub(crate) const SIGHTINGS: &str = "sightings";

/// Upserts the entities and inserts the sightings. The reports are new, or had their sightings
/// removed just before, so after dropping an entity listed twice in one report every row is a
/// new sighting. Rows go in key order, so that concurrent upserts of shared entities lock them
/// in one order. Returns the number of sightings added.
pub(crate) async fn add_sightings(
    db: &Db<'_>,
    mode: BulkInsert,
    rows: &mut Vec<NewSighting<'_>>,
) -> Res<i64> {
    if rows.is_empty() {
        return Ok(0);
    }
    rows.sort_unstable_by_key(NewSighting::key);
    rows.dedup_by_key(|r| r.key());
    upsert_entities(db, mode, rows).await?;
    insert_sightings(db, mode, rows).await?;
    Ok(rows.len() as i64)
}

/// One row per entity with its earliest sighting in `rows` (sorted by entity, then time): the
/// first row of each entity gives kind, value and first_seen_at, as the first header written
/// does in the SQLite backend. An existing entity keeps its label and only moves its
/// first_seen_at earlier.
async fn upsert_entities(db: &Db<'_>, mode: BulkInsert, rows: &[NewSighting<'_>]) -> Res<()> {
    let mut id: Vec<Uuid> = Vec::with_capacity(rows.len());
    let mut kind: Vec<&str> = Vec::with_capacity(rows.len());
    let mut value: Vec<&str> = Vec::with_capacity(rows.len());
    let mut first: Vec<i64> = Vec::with_capacity(rows.len());
    for r in rows {
        if id.last() == Some(&r.entity.id.0) {
            continue;
        }
        id.push(r.entity.id.0);
        kind.push(&r.entity.kind);
        value.push(&r.entity.value);
        first.push(r.seen_at);
    }
    if mode == BulkInsert::Copy && id.len() > 64 {
        return copy_entities(db, &id, &kind, &value, &first).await;
    }
    // (PostgreSQL refuses an upsert that touches one row twice, hence one row per entity.)
    db.execute(
        "INSERT INTO entities (id, kind, value, first_seen_at) \
         SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::bigint[]) \
         ON CONFLICT (id) DO UPDATE SET first_seen_at = excluded.first_seen_at \
         WHERE excluded.first_seen_at < entities.first_seen_at",
        &[&id, &kind, &value, &first],
    )
    .await?;
    Ok(())
}

/// The upsert in three plain steps, cheaper than ON CONFLICT's speculative insertion for a
/// large batch: find the stored ones (moving first_seen_at earlier where it must), then COPY
/// the new ones. Safe because every writer holds the write lock.
async fn copy_entities(
    db: &Db<'_>,
    id: &[Uuid],
    kind: &[&str],
    value: &[&str],
    first: &[i64],
) -> Res<()> {
    let stored: std::collections::HashSet<Uuid> = db
        .query(
            "WITH b AS (SELECT * FROM UNNEST($1::uuid[], $2::bigint[]) AS b(id, first)), \
             moved AS (UPDATE entities e SET first_seen_at = b.first FROM b \
                       WHERE e.id = b.id AND b.first < e.first_seen_at) \
             SELECT e.id FROM entities e JOIN b ON e.id = b.id",
            &[&id, &first],
        )
        .await?
        .iter()
        .map(|row| get(row, 0))
        .collect::<Res<_>>()?;
    if stored.len() == id.len() {
        return Ok(());
    }
    let stmt = db
        .statement("COPY entities (id, kind, value, first_seen_at) FROM STDIN (FORMAT binary)")
        .await?;
    let sink = db.client().copy_in(&stmt).await?;
    let writer = tokio_postgres::binary_copy::BinaryCopyInWriter::new(
        sink,
        &[
            tokio_postgres::types::Type::UUID,
            tokio_postgres::types::Type::TEXT,
            tokio_postgres::types::Type::TEXT,
            tokio_postgres::types::Type::INT8,
        ],
    );
    futures_util::pin_mut!(writer);
    for i in 0..id.len() {
        if !stored.contains(&id[i]) {
            writer
                .as_mut()
                .write(&[&id[i], &kind[i], &value[i], &first[i]])
                .await?;
        }
    }
    writer.finish().await?;
    Ok(())
}

/// Deletes a report's sighting rows by key; returns how many there were.
pub(crate) async fn remove_sightings(
    db: &Db<'_>,
    report_seq: i64,
    seen_at: i64,
    entities: &[EntityId],
) -> Res<i64> {
    if entities.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = entities.iter().map(|e| e.0).collect();
    let n = db
        .execute(
            "DELETE FROM sightings WHERE entity_id = ANY($1::uuid[]) AND seen_at = $2 \
             AND report_seq = $3",
            &[&ids, &seen_at, &report_seq],
        )
        .await?;
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

pub(crate) async fn bump_counter(db: &Db<'_>, name: &str, delta: i64) -> Res<()> {
    if delta != 0 {
        db.execute(
            "UPDATE counters SET value = value + $2 WHERE name = $1",
            &[&name, &delta],
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn counter(db: &Db<'_>, name: &str) -> Res<u64> {
    match db
        .query_opt("SELECT value FROM counters WHERE name = $1", &[&name])
        .await?
    {
        Some(row) => get_u64(&row, 0),
        None => Ok(0),
    }
}

pub(crate) async fn entity(db: &Db<'_>, id: EntityId) -> Res<Option<EntityRecord>> {
    let Some(row) = db
        .query_opt(
            "SELECT kind, value, first_seen_at FROM entities WHERE id = $1",
            &[&id.0],
        )
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(EntityRecord {
        id,
        kind: get(&row, 0)?,
        value: get(&row, 1)?,
        first_seen_at: get_ts(&row, 2)?,
    }))
}

/// One index range scan in key order. Retracting a report deletes its sighting rows, so every
/// row here is live.
pub(crate) async fn sightings(db: &Db<'_>, entity: EntityId) -> Res<Vec<SightingRecord>> {
    db.query(
        // hit_notices is read from the report (by its primary key): sighting rows carry only
        // the facts the index rebuild needs.
        "SELECT s.seen_at, s.report_id, s.owner, s.marking, s.dist_agencies, s.dist_groups, \
         r.hit_notices FROM sightings AS s JOIN reports AS r ON r.seq = s.report_seq \
         WHERE s.entity_id = $1 ORDER BY s.seen_at, s.report_seq",
        &[&entity.0],
    )
    .await?
    .iter()
    .map(|row| {
        Ok(SightingRecord {
            entity,
            seen_at: get_ts(row, 0)?,
            report: ReportId(get(row, 1)?),
            agency: AgencyId(get(row, 2)?),
            marking: get_enum(row, 3, |s| Tlp::from_str(s).ok())?,
            distribution: get_distribution(row, 4)?,
            hit_notices: get(row, 6)?,
        })
    })
    .collect()
}
