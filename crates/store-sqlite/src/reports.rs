//! Writing reports: insert, new versions, retraction, each with its sightings, its rev (see
//! `changes.rs`) and its audit event.

use crate::codec::{
    DistributionBlobs, distribution_blobs, entities_blob, entity_ids, get_blob, get_distribution,
    get_entities, get_enum, get_hash, get_i64, get_methods, get_opt_i64, get_opt_str, get_opt_ts,
    get_str, get_ts, get_u64, get_uuid, methods_json, opt_ts, ts,
};
use crate::entities::{NewSighting, REPORTS, SIGHTINGS, SightingWriter, bump_counter};
use crate::error::{Error, Res, corrupt};
use crate::{audit, changes};
use rusqlite::{CachedStatement, Connection, Row, params};
use std::str::FromStr;
use warroom_domain::{AgencyId, CountryCode, ReportId, ReportKind, Tlp, UserId};
use warroom_store::{AuditDraft, PutOutcome, ReportRecord, StoreError};

/// The record columns of `reports` and `report_versions`, in the order [`report_row`] reads.
macro_rules! report_cols {
    () => {
        "id, owner, author, kind, marking, dist_agencies, dist_groups, methods, victim_country, \
         occurred_at, reported_at, recorded_at, version, retracted_at, hit_notices, fingerprint, \
         entities, body"
    };
}
pub(crate) use report_cols;

/// [`report_cols`] with an empty `body`: for readers that need every fact but the document
/// (the identifier index), which spares reading and copying the largest column.
macro_rules! report_cols_without_body {
    () => {
        "id, owner, author, kind, marking, dist_agencies, dist_groups, methods, victim_country, \
         occurred_at, reported_at, recorded_at, version, retracted_at, hit_notices, fingerprint, \
         entities, '' AS body"
    };
}
pub(crate) use report_cols_without_body;

/// Reads a record from the [`report_cols`] starting at column `o`.
pub(crate) fn report_row(row: &Row<'_>, o: usize) -> Res<ReportRecord> {
    let version = get_u64(row, o + 12)?;
    Ok(ReportRecord {
        id: ReportId(get_uuid(row, o)?),
        owner: AgencyId(get_uuid(row, o + 1)?),
        author: UserId(get_uuid(row, o + 2)?),
        kind: get_enum(row, o + 3, ReportKind::parse)?,
        marking: get_enum(row, o + 4, |s| Tlp::from_str(s).ok())?,
        distribution: get_distribution(row, o + 5)?,
        methods: get_methods(row, o + 7)?,
        victim_country: get_opt_str(row, o + 8)?
            .map(|s| {
                CountryCode::parse(s)
                    .map_err(|_| corrupt("reports.victim_country holds an unknown value"))
            })
            .transpose()?,
        occurred_at: get_opt_ts(row, o + 9)?,
        reported_at: get_ts(row, o + 10)?,
        recorded_at: get_ts(row, o + 11)?,
        version: u32::try_from(version).map_err(|_| corrupt("reports.version is out of range"))?,
        retracted_at: get_opt_ts(row, o + 13)?,
        hit_notices: get_i64(row, o + 14)? != 0,
        fingerprint: get_hash(row, o + 15)?,
        entities: get_entities(row, o + 16)?,
        body: get_str(row, o + 17)?.to_owned(),
    })
}

/// A record's column values, encoded once and bound by the insert and the update alike
/// (both number the [`report_cols`] `?1` to `?18`, and the rev `?19`).
struct Encoded<'a> {
    r: &'a ReportRecord,
    dist: DistributionBlobs,
    methods: String,
    entities: Vec<u8>,
    occurred_at: Option<i64>,
    reported_at: i64,
    recorded_at: i64,
    retracted_at: Option<i64>,
}

impl<'a> Encoded<'a> {
    fn new(r: &'a ReportRecord) -> Res<Self> {
        Ok(Self {
            r,
            dist: distribution_blobs(&r.distribution),
            methods: methods_json(&r.methods)?,
            entities: entities_blob(&r.entities),
            occurred_at: opt_ts(r.occurred_at)?,
            reported_at: ts(r.reported_at)?,
            recorded_at: ts(r.recorded_at)?,
            retracted_at: opt_ts(r.retracted_at)?,
        })
    }

    /// When the report's sightings count: `occurred_at`, else `reported_at`.
    fn seen_at(&self) -> i64 {
        self.occurred_at.unwrap_or(self.reported_at)
    }

    /// Runs the insert or the update; `rev` is the report's new rev, or `None` to keep the
    /// stored one (an update only: a restore replaying a history).
    fn execute(&self, stmt: &mut CachedStatement<'_>, rev: Option<i64>) -> Res<usize> {
        let r = self.r;
        Ok(stmt.execute(params![
            &r.id.0.as_bytes()[..],
            &r.owner.0.as_bytes()[..],
            &r.author.0.as_bytes()[..],
            r.kind.as_str(),
            r.marking.as_str(),
            self.dist.agencies,
            self.dist.groups,
            self.methods,
            r.victim_country.as_ref().map(CountryCode::as_str),
            self.occurred_at,
            self.reported_at,
            self.recorded_at,
            i64::from(r.version),
            self.retracted_at,
            r.hit_notices,
            &r.fingerprint[..],
            self.entities,
            r.body,
            rev,
        ])?)
    }
}

const INSERT: &str = concat!(
    "INSERT INTO reports (",
    report_cols!(),
    ", rev) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, \
     ?18, ?19) ON CONFLICT (id) DO NOTHING"
);

const UPDATE: &str = "UPDATE reports SET owner = ?2, author = ?3, kind = ?4, marking = ?5, \
     dist_agencies = ?6, dist_groups = ?7, methods = ?8, victim_country = ?9, occurred_at = ?10, \
     reported_at = ?11, recorded_at = ?12, version = ?13, retracted_at = ?14, hit_notices = ?15, \
     fingerprint = ?16, entities = ?17, body = ?18, rev = coalesce(?19, rev) WHERE id = ?1";

/// Copies the current version into `report_versions` before it is replaced.
const ARCHIVE: &str = concat!(
    "INSERT INTO report_versions (seq, ",
    report_cols!(),
    ") SELECT seq, ",
    report_cols!(),
    " FROM reports WHERE seq = ?1"
);

pub(crate) fn put(
    conn: &Connection,
    reports: &[(ReportRecord, AuditDraft)],
) -> Res<Vec<PutOutcome>> {
    let items: Vec<_> = reports.iter().map(|(r, d)| (r, Some(d))).collect();
    insert(conn, &items)
}

/// Inserts reports in order, each with its sightings, the next rev and, when it has a draft,
/// its audit event; answers per item like [`put`]. A restore passes no drafts: it copies the
/// source's events separately, verbatim. A duplicate takes no rev.
pub(crate) fn insert(
    conn: &Connection,
    reports: &[(&ReportRecord, Option<&AuditDraft>)],
) -> Res<Vec<PutOutcome>> {
    let mut head = if reports.iter().any(|(_, d)| d.is_some()) {
        Some(audit::head(conn)?)
    } else {
        None
    };
    let mut rev = changes::last_rev(conn)?;
    let mut insert = conn.prepare_cached(INSERT)?;
    let mut sightings = SightingWriter::new(conn)?;
    let mut inserted = 0i64;
    let mut new_sightings = Vec::with_capacity(reports.len() * 5);
    let mut out = Vec::with_capacity(reports.len());
    for (r, draft) in reports {
        let enc = Encoded::new(r)?;
        if enc.execute(&mut insert, Some(rev + 1))? == 0 {
            out.push(existing(conn, r)?);
            continue;
        }
        rev += 1;
        if r.retracted_at.is_none() {
            new_sightings.extend(NewSighting::of(
                &r.entities,
                enc.seen_at(),
                conn.last_insert_rowid(),
            ));
        }
        if let (Some(draft), Some(head)) = (draft, head.as_mut()) {
            audit::append(conn, head, draft)?;
        }
        inserted += 1;
        out.push(PutOutcome::Inserted);
    }
    sightings.add(&mut new_sightings)?;
    bump_counter(conn, REPORTS, inserted)?;
    bump_counter(conn, SIGHTINGS, sightings.delta)?;
    Ok(out)
}

/// Duplicate or conflict, for a report whose id is already stored.
fn existing(conn: &Connection, r: &ReportRecord) -> Res<PutOutcome> {
    let mut stmt = conn.prepare_cached("SELECT fingerprint, owner FROM reports WHERE id = ?1")?;
    let mut rows = stmt.query([&r.id.0.as_bytes()[..]])?;
    let row = rows.next()?.ok_or_else(|| {
        Error(StoreError::Backend(
            "a report vanished during insert".to_owned(),
        ))
    })?;
    let same = get_blob(row, 0)? == r.fingerprint && get_blob(row, 1)? == r.owner.0.as_bytes();
    Ok(if same {
        PutOutcome::Duplicate
    } else {
        PutOutcome::Conflict
    })
}

/// What a new version needs to know of the one it replaces.
struct Current {
    seq: i64,
    version: u64,
    retracted: bool,
    seen_at: i64,
    entities: Vec<warroom_domain::EntityId>,
}

fn current(conn: &Connection, id: ReportId) -> Res<Current> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, version, retracted_at, occurred_at, reported_at, entities \
         FROM reports WHERE id = ?1",
    )?;
    let mut rows = stmt.query([&id.0.as_bytes()[..]])?;
    let row = rows.next()?.ok_or(Error(StoreError::NotFound("report")))?;
    Ok(Current {
        seq: get_i64(row, 0)?,
        version: get_u64(row, 1)?,
        retracted: get_opt_i64(row, 2)?.is_some(),
        seen_at: match get_opt_i64(row, 3)? {
            Some(t) => t,
            None => get_i64(row, 4)?,
        },
        entities: entity_ids(get_blob(row, 5)?)
            .ok_or_else(|| corrupt("reports.entities does not decode"))?,
    })
}

/// Archives the current version and takes its sightings away.
fn supersede(conn: &Connection, cur: &Current, sightings: &mut SightingWriter<'_>) -> Res<()> {
    conn.prepare_cached(ARCHIVE)?.execute([cur.seq])?;
    if !cur.retracted {
        sightings.remove(cur.seq, cur.seen_at, &cur.entities)?;
    }
    Ok(())
}

pub(crate) fn update(conn: &Connection, r: &ReportRecord, draft: &AuditDraft) -> Res<()> {
    let rev = changes::last_rev(conn)? + 1;
    new_version(conn, r, Some(rev))?;
    audit::append_one(conn, draft)
}

/// Stores `r` as the report's next version, exactly as given, and moves its sightings to it;
/// no audit event (the caller appends one, or restores the source's). `rev` is the report's
/// new rev, or `None` to keep the one it has (a restore, which gave it at the insert).
pub(crate) fn new_version(conn: &Connection, r: &ReportRecord, rev: Option<i64>) -> Res<()> {
    let cur = current(conn, r.id)?;
    if u64::from(r.version) != cur.version + 1 {
        return Err(Error(StoreError::Conflict(format!(
            "report version {} does not follow the stored version {}",
            r.version, cur.version
        ))));
    }
    let enc = Encoded::new(r)?;
    let mut sightings = SightingWriter::new(conn)?;
    supersede(conn, &cur, &mut sightings)?;
    enc.execute(&mut conn.prepare_cached(UPDATE)?, rev)?;
    if r.retracted_at.is_none() {
        let mut new: Vec<_> = NewSighting::of(&r.entities, enc.seen_at(), cur.seq).collect();
        sightings.add(&mut new)?;
    }
    bump_counter(conn, SIGHTINGS, sightings.delta)
}

pub(crate) fn retract(
    conn: &Connection,
    id: ReportId,
    at: jiff::Timestamp,
    draft: &AuditDraft,
) -> Res<()> {
    let cur = current(conn, id)?;
    if cur.retracted {
        return Err(Error(StoreError::Conflict(
            "the report is already retracted".to_owned(),
        )));
    }
    if cur.version >= u64::from(u32::MAX) {
        return Err(Error(StoreError::Conflict(
            "the report has no version number left".to_owned(),
        )));
    }
    let rev = changes::last_rev(conn)? + 1;
    let mut sightings = SightingWriter::new(conn)?;
    supersede(conn, &cur, &mut sightings)?;
    conn.prepare_cached(
        "UPDATE reports SET retracted_at = ?2, recorded_at = ?2, version = version + 1, \
         rev = ?3 WHERE seq = ?1",
    )?
    .execute(params![cur.seq, ts(at)?, rev])?;
    bump_counter(conn, SIGHTINGS, sightings.delta)?;
    audit::append_one(conn, draft)
}
