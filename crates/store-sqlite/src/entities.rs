//! Entities, their sightings, and the row counters kept beside them. `entities` holds one
//! header per entity under a node-local number given in order of first sight, `sightings`
//! one row per sighting keyed by that number (see migration 0004 for why).

use crate::codec::{get_distribution, get_enum, get_i64, get_str, get_ts, get_u64, get_uuid};
use crate::error::Res;
use rusqlite::{CachedStatement, Connection, params};
use std::str::FromStr;
use std::sync::OnceLock;
use warroom_domain::{AgencyId, EntityId, ReportId, Tlp};
use warroom_store::{EntityRecord, EntityRef, SightingRecord};

/// A sighting to write: `entity` seen in the report with rowid `report_seq` at `seen_at`.
#[derive(Debug)]
pub(crate) struct NewSighting<'r> {
    pub(crate) entity: &'r EntityRef,
    pub(crate) seen_at: i64,
    pub(crate) report_seq: i64,
}

impl<'r> NewSighting<'r> {
    pub(crate) fn of(
        entities: &'r [EntityRef],
        seen_at: i64,
        report_seq: i64,
    ) -> impl Iterator<Item = Self> {
        entities.iter().map(move |entity| Self {
            entity,
            seen_at,
            report_seq,
        })
    }
}

impl NewSighting<'_> {
    fn key(&self) -> (EntityId, i64, i64) {
        (self.entity.id, self.seen_at, self.report_seq)
    }
}

/// Sighting rows per execution of the multi-row insert.
const CHUNK: usize = 32;
/// Parameters bound per sighting row in the multi-row insert.
const PARAMS: usize = 3;

/// Inserts `n` sighting rows; row `i` binds entity number, seen_at and report_seq at
/// `1 + PARAMS * i` onwards.
fn insert_sql(n: usize) -> String {
    let mut sql = String::from("INSERT INTO sightings (entity_no, seen_at, report_seq) VALUES ");
    for i in 0..n {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for k in 0..PARAMS {
            if k > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("?{}", 1 + PARAMS * i + k));
        }
        sql.push(')');
    }
    sql
}

fn insert_many_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| insert_sql(CHUNK))
}

fn insert_one_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| insert_sql(1))
}

/// The statements that add and remove sightings, prepared once per transaction.
pub(crate) struct SightingWriter<'c> {
    find: CachedStatement<'c>,
    create: CachedStatement<'c>,
    earlier: CachedStatement<'c>,
    insert_many: CachedStatement<'c>,
    insert_one: CachedStatement<'c>,
    delete: CachedStatement<'c>,
    conn: &'c Connection,
    /// Net sightings added, for the counter.
    pub(crate) delta: i64,
}

impl<'c> SightingWriter<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Res<Self> {
        Ok(Self {
            find: conn.prepare_cached("SELECT no, first_seen_at FROM entities WHERE id = ?1")?,
            create: conn.prepare_cached(
                "INSERT INTO entities (id, kind, value, first_seen_at) VALUES (?1, ?2, ?3, ?4)",
            )?,
            earlier: conn.prepare_cached("UPDATE entities SET first_seen_at = ?2 WHERE no = ?1")?,
            insert_many: conn.prepare_cached(insert_many_sql())?,
            insert_one: conn.prepare_cached(insert_one_sql())?,
            delete: conn.prepare_cached(
                "DELETE FROM sightings WHERE entity_no = \
                 (SELECT no FROM entities WHERE id = ?1) AND seen_at = ?2 AND report_seq = ?3",
            )?,
            conn,
            delta: 0,
        })
    }

    /// The entity's number, after creating its header if it is new, or moving its
    /// `first_seen_at` back to `seen_at` if that is earlier (it never moves later).
    fn number(&mut self, entity: &EntityRef, seen_at: i64) -> Res<i64> {
        let found = {
            let mut rows = self.find.query([&entity.id.0.as_bytes()[..]])?;
            match rows.next()? {
                Some(row) => Some((get_i64(row, 0)?, get_i64(row, 1)?)),
                None => None,
            }
        };
        match found {
            Some((no, first)) => {
                if seen_at < first {
                    self.earlier.execute(params![no, seen_at])?;
                }
                Ok(no)
            }
            None => {
                self.create.execute(params![
                    &entity.id.0.as_bytes()[..],
                    entity.kind.as_str(),
                    entity.value.as_str(),
                    seen_at
                ])?;
                Ok(self.conn.last_insert_rowid())
            }
        }
    }

    /// Finds or creates each entity once (in id order, so that new entities are numbered in
    /// a stable order), then inserts the sightings in key order: those of new entities are
    /// appended at the end of the tree, the others land in their entity's range, and many go
    /// per statement. The reports are new, or had their sightings removed just before, so
    /// after dropping an entity listed twice in one report every row is a new sighting.
    pub(crate) fn add(&mut self, rows: &mut Vec<NewSighting<'_>>) -> Res<()> {
        rows.sort_unstable_by_key(NewSighting::key);
        rows.dedup_by_key(|r| r.key());
        let mut numbered: Vec<(i64, &NewSighting<'_>)> = Vec::with_capacity(rows.len());
        let mut current: Option<(EntityId, i64)> = None;
        for r in rows.iter() {
            let no = match current {
                Some((id, no)) if id == r.entity.id => no,
                // Rows of one entity are sorted by time: the first is its earliest here.
                _ => {
                    let no = self.number(r.entity, r.seen_at)?;
                    current = Some((r.entity.id, no));
                    no
                }
            };
            numbered.push((no, r));
        }
        numbered.sort_unstable_by_key(|(no, r)| (*no, r.seen_at, r.report_seq));
        let mut chunks = numbered.chunks_exact(CHUNK);
        for chunk in &mut chunks {
            bind(&mut self.insert_many, chunk)?;
            self.insert_many.raw_execute()?;
        }
        for one in chunks.remainder() {
            bind(&mut self.insert_one, std::slice::from_ref(one))?;
            self.insert_one.raw_execute()?;
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

fn bind(stmt: &mut CachedStatement<'_>, rows: &[(i64, &NewSighting<'_>)]) -> Res<()> {
    for (i, (no, r)) in rows.iter().enumerate() {
        let p = 1 + PARAMS * i;
        stmt.raw_bind_parameter(p, *no)?;
        stmt.raw_bind_parameter(p + 1, r.seen_at)?;
        stmt.raw_bind_parameter(p + 2, r.report_seq)?;
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
    let mut stmt =
        conn.prepare_cached("SELECT kind, value, first_seen_at FROM entities WHERE id = ?1")?;
    let mut rows = stmt.query([&id.0.as_bytes()[..]])?;
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

/// One range scan of the entity's sightings under its number, each joined to its report by
/// rowid for the facts the policy needs. Retracted reports have no sighting rows.
pub(crate) fn sightings(conn: &Connection, entity: EntityId) -> Res<Vec<SightingRecord>> {
    let mut stmt = conn.prepare_cached(
        // Retracting a report deletes its sighting rows, so every row here is live.
        "SELECT s.seen_at, r.id, r.owner, r.marking, r.dist_agencies, r.dist_groups, \
         r.hit_notices \
         FROM sightings AS s JOIN reports AS r ON r.seq = s.report_seq \
         WHERE s.entity_no = (SELECT no FROM entities WHERE id = ?1) \
         ORDER BY s.seen_at, s.report_seq",
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
            hit_notices: get_i64(row, 6)? != 0,
        });
    }
    Ok(out)
}
