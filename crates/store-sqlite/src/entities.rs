//! Entities, their sightings, and the row counters kept beside them. Both live in the
//! `entities` table: a header row per entity, then its sightings (see the migration).

use crate::codec::{get_distribution, get_enum, get_str, get_ts, get_u64, get_uuid};
use crate::error::Res;
use rusqlite::{CachedStatement, Connection, params};
use std::str::FromStr;
use std::sync::OnceLock;
use warroom_domain::{AgencyId, EntityId, ReportId, Tlp};
use warroom_store::{EntityRecord, EntityRef, ReportRecord, SightingRecord};

/// The `seen_at` of an entity's header row, whose `report_seq` is 0 (no report's): it sorts
/// before every sighting of the entity.
const HEADER_SEEN_AT: i64 = i64::MIN;

/// A sighting to write: `entity` seen in the report with rowid `report_seq` at `seen_at`,
/// with the report's access facts.
#[derive(Debug)]
pub(crate) struct NewSighting<'r> {
    pub(crate) entity: &'r EntityRef,
    pub(crate) seen_at: i64,
    pub(crate) report_seq: i64,
    pub(crate) access: &'r Access,
}

/// A report's id and access facts, encoded once for all its sighting rows.
#[derive(Debug)]
pub(crate) struct Access {
    id: [u8; 16],
    owner: [u8; 16],
    marking: &'static str,
    dist: crate::codec::DistributionBlobs,
}

impl Access {
    pub(crate) fn of(r: &ReportRecord) -> Self {
        Self {
            id: r.id.0.into_bytes(),
            owner: r.owner.0.into_bytes(),
            marking: r.marking.as_str(),
            dist: crate::codec::distribution_blobs(&r.distribution),
        }
    }
}

impl<'r> NewSighting<'r> {
    pub(crate) fn of(
        entities: &'r [EntityRef],
        seen_at: i64,
        report_seq: i64,
        access: &'r Access,
    ) -> impl Iterator<Item = Self> {
        entities.iter().map(move |entity| Self {
            entity,
            seen_at,
            report_seq,
            access,
        })
    }
}

impl NewSighting<'_> {
    fn key(&self) -> (EntityId, i64, i64) {
        (self.entity.id, self.seen_at, self.report_seq)
    }
}

/// Entities per execution of the multi-row insert.
const CHUNK: usize = 32;
/// Parameters bound per entity in the multi-row insert.
const PARAMS: usize = 10;

/// Inserts `n` entities' header rows and one sighting row each. Parameter 1 is the header
/// `seen_at`; entity `i` binds id, kind, value, seen_at, report_seq, report id, owner, marking
/// and the two distribution blobs at `2 + PARAMS * i` onwards.
/// The upsert moves an existing header's `first_seen_at` earlier only (the WHERE also keeps
/// a header that is already old enough from being rewritten); SQLite applies it row by row,
/// so an entity twice in one statement is fine.
fn upsert_sql(n: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO entities (entity_id, seen_at, report_seq, kind, value, first_seen_at, \
         report_id, owner, marking, dist_agencies, dist_groups) VALUES ",
    );
    for i in 0..n {
        let p = 2 + PARAMS * i;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(?{p}, ?1, 0, ?{k}, ?{v}, ?{t}, NULL, NULL, NULL, NULL, NULL), \
             (?{p}, ?{t}, ?{q}, NULL, NULL, NULL, ?{id}, ?{o}, ?{m}, ?{da}, ?{dg})",
            k = p + 1,
            v = p + 2,
            t = p + 3,
            q = p + 4,
            id = p + 5,
            o = p + 6,
            m = p + 7,
            da = p + 8,
            dg = p + 9,
        ));
    }
    sql.push_str(
        " ON CONFLICT (entity_id, seen_at, report_seq) \
         DO UPDATE SET first_seen_at = excluded.first_seen_at \
         WHERE excluded.first_seen_at < first_seen_at",
    );
    sql
}

fn upsert_many_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| upsert_sql(CHUNK))
}

fn upsert_one_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| upsert_sql(1))
}

/// The statements that add and remove sightings, prepared once per transaction.
pub(crate) struct SightingWriter<'c> {
    upsert_many: CachedStatement<'c>,
    upsert_one: CachedStatement<'c>,
    delete: CachedStatement<'c>,
    /// Net sightings added, for the counter.
    pub(crate) delta: i64,
}

impl<'c> SightingWriter<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Res<Self> {
        Ok(Self {
            upsert_many: conn.prepare_cached(upsert_many_sql())?,
            upsert_one: conn.prepare_cached(upsert_one_sql())?,
            delete: conn.prepare_cached(
                "DELETE FROM entities WHERE entity_id = ?1 AND seen_at = ?2 AND report_seq = ?3",
            )?,
            delta: 0,
        })
    }

    /// Upserts the entities and inserts the sightings, in key order, so that a batch's rows
    /// land on neighbouring pages one after another instead of hopping around the tree, and
    /// many per statement. The reports are new, or had their sightings removed just before,
    /// so after dropping an entity listed twice in one report every row is a new sighting.
    pub(crate) fn add(&mut self, rows: &mut Vec<NewSighting<'_>>) -> Res<()> {
        rows.sort_unstable_by_key(NewSighting::key);
        rows.dedup_by_key(|r| r.key());
        let mut chunks = rows.chunks_exact(CHUNK);
        for chunk in &mut chunks {
            bind(&mut self.upsert_many, chunk)?;
            self.upsert_many.raw_execute()?;
        }
        for one in chunks.remainder() {
            bind(&mut self.upsert_one, std::slice::from_ref(one))?;
            self.upsert_one.raw_execute()?;
        }
        self.delta += rows.len() as i64;
        Ok(())
    }

    pub(crate) fn remove(
        &mut self,
        report_seq: i64,
        seen_at: i64,
        entities: &[EntityId],
    ) -> Res<()> {
        for id in entities {
            self.delta -= self
                .delete
                .execute(params![&id.0.as_bytes()[..], seen_at, report_seq])?
                as i64;
        }
        Ok(())
    }
}

fn bind(stmt: &mut CachedStatement<'_>, rows: &[NewSighting<'_>]) -> Res<()> {
    stmt.raw_bind_parameter(1, HEADER_SEEN_AT)?;
    for (i, r) in rows.iter().enumerate() {
        let p = 2 + PARAMS * i;
        stmt.raw_bind_parameter(p, &r.entity.id.0.as_bytes()[..])?;
        stmt.raw_bind_parameter(p + 1, r.entity.kind.as_str())?;
        stmt.raw_bind_parameter(p + 2, r.entity.value.as_str())?;
        stmt.raw_bind_parameter(p + 3, r.seen_at)?;
        stmt.raw_bind_parameter(p + 4, r.report_seq)?;
        stmt.raw_bind_parameter(p + 5, &r.access.id[..])?;
        stmt.raw_bind_parameter(p + 6, &r.access.owner[..])?;
        stmt.raw_bind_parameter(p + 7, r.access.marking)?;
        stmt.raw_bind_parameter(p + 8, &r.access.dist.agencies[..])?;
        stmt.raw_bind_parameter(p + 9, &r.access.dist.groups[..])?;
    }
    Ok(())
}

pub(crate) const REPORTS: &str = "reports";
pub(crate) const SIGHTINGS: &str = "sightings";

pub(crate) fn bump_counter(conn: &Connection, name: &str, delta: i64) -> Res<()> {
    if delta != 0 {
        conn.prepare_cached("UPDATE counters SET value = value + ?2 WHERE name = ?1")?
            .execute(params![name, delta])?;
    }
    Ok(())
}

pub(crate) fn counter(conn: &Connection, name: &str) -> Res<u64> {
    let mut stmt = conn.prepare_cached("SELECT value FROM counters WHERE name = ?1")?;
    let mut rows = stmt.query([name])?;
    match rows.next()? {
        Some(row) => get_u64(row, 0),
        None => Ok(0),
    }
}

pub(crate) fn entity(conn: &Connection, id: EntityId) -> Res<Option<EntityRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, value, first_seen_at FROM entities \
         WHERE entity_id = ?1 AND seen_at = ?2 AND report_seq = 0",
    )?;
    let mut rows = stmt.query(params![&id.0.as_bytes()[..], HEADER_SEEN_AT])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    Ok(Some(EntityRecord {
        id,
        kind: get_str(row, 0)?.to_owned(),
        value: get_str(row, 1)?.to_owned(),
        first_seen_at: get_ts(row, 2)?,
    }))
}

/// One range scan of the entity's rows after its header, each joined to its report by rowid.
/// Retracted reports have no sighting rows; the `retracted_at` test states the contract in the
/// query too.
pub(crate) fn sightings(conn: &Connection, entity: EntityId) -> Res<Vec<SightingRecord>> {
    let mut stmt = conn.prepare_cached(
        // Retracting a report deletes its sighting rows, so every row here is live.
        "SELECT seen_at, report_id, owner, marking, dist_agencies, dist_groups \
         FROM entities WHERE entity_id = ?1 AND report_seq > 0 \
         ORDER BY seen_at, report_seq",
    )?;
    let mut rows = stmt.query([&entity.0.as_bytes()[..]])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(SightingRecord {
            entity,
            seen_at: get_ts(row, 0)?,
            report: ReportId(get_uuid(row, 1)?),
            agency: AgencyId(get_uuid(row, 2)?),
            marking: get_enum(row, 3, |s| Tlp::from_str(s).ok())?,
            distribution: get_distribution(row, 4)?,
        });
    }
    Ok(out)
}
