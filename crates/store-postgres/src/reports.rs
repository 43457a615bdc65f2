//! Writing reports: insert, new versions, retraction, each with its sightings, its rev (see
//! `changes.rs`) and its audit event.
//! Every function here runs inside a write transaction that holds the store's write lock.

use crate::audit::{self, Chain};
use crate::bulk::{BulkInsert, NewReport, insert_audit, insert_reports, report_cols};
use crate::changes::last_rev;
use crate::codec::{
    entity_ids, get, get_distribution, get_entities, get_enum, get_hash, get_opt_ts, get_ts,
    get_u64, ts,
};
use crate::entities::{REPORTS, SIGHTINGS, add_sightings, bump_counter, remove_sightings};
use crate::error::{Error, Res, corrupt};
use crate::pool::Db;
use std::collections::HashMap;
use std::str::FromStr;
use tokio_postgres::Row;
use uuid::Uuid;
use warroom_domain::{AgencyId, CountryCode, EntityId, ReportId, ReportKind, Tlp, UserId};
use warroom_store::{AuditDraft, PutOutcome, ReportRecord, StoreError};

/// Reads a record from the [`report_cols`] starting at column `o`.
pub(crate) fn report_row(row: &Row, o: usize) -> Res<ReportRecord> {
    let version = get_u64(row, o + 12)?;
    Ok(ReportRecord {
        id: ReportId(get(row, o)?),
        owner: AgencyId(get(row, o + 1)?),
        author: UserId(get(row, o + 2)?),
        kind: get_enum(row, o + 3, ReportKind::parse)?,
        marking: get_enum(row, o + 4, |s| Tlp::from_str(s).ok())?,
        distribution: get_distribution(row, o + 5)?,
        methods: get(row, o + 7)?,
        victim_country: get::<Option<&str>>(row, o + 8)?
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
        hit_notices: get(row, o + 14)?,
        fingerprint: get_hash(row, o + 15)?,
        entities: get_entities(row, o + 16)?,
        body: get(row, o + 17)?,
    })
}

/// The seq the next report gets: under the write lock, so seqs follow commit order.
pub(crate) async fn last_seq(db: &Db<'_>) -> Res<i64> {
    let row = db
        .query_opt("SELECT coalesce(max(seq), 0) FROM reports", &[])
        .await?;
    match row {
        Some(row) => get(&row, 0),
        None => Ok(0),
    }
}

/// Per item, in order: a report whose id is stored (or came earlier in this batch) is a
/// duplicate when fingerprint and owner match, else a conflict; the others are inserted with
/// the next seqs and revs, their sightings and their audit events in batch order.
pub(crate) async fn put(
    db: &Db<'_>,
    mode: BulkInsert,
    reports: &[(ReportRecord, AuditDraft)],
) -> Res<Vec<PutOutcome>> {
    if reports.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = reports.iter().map(|(r, _)| r.id.0).collect();
    let mut known: HashMap<Uuid, ([u8; 32], Uuid)> = HashMap::new();
    for row in db
        .query(
            "SELECT id, fingerprint, owner FROM reports WHERE id = ANY($1::uuid[])",
            &[&ids],
        )
        .await?
    {
        known.insert(get(&row, 0)?, (get_hash(&row, 1)?, get(&row, 2)?));
    }

    let mut seq = last_seq(db).await?;
    let mut rev = last_rev(db).await?;
    let mut out = Vec::with_capacity(reports.len());
    let mut new = Vec::with_capacity(reports.len());
    let mut drafts = Vec::with_capacity(reports.len());
    for (r, draft) in reports {
        if let Some((fingerprint, owner)) = known.get(&r.id.0) {
            out.push(if *fingerprint == r.fingerprint && *owner == r.owner.0 {
                PutOutcome::Duplicate
            } else {
                PutOutcome::Conflict
            });
            continue;
        }
        known.insert(r.id.0, (r.fingerprint, r.owner.0));
        seq += 1;
        rev += 1;
        new.push(NewReport::new(r, seq, rev)?);
        drafts.push(draft);
        out.push(PutOutcome::Inserted);
    }
    if new.is_empty() {
        return Ok(out);
    }

    insert_reports(db, mode, &new).await?;
    let mut sightings: Vec<_> = new
        .iter()
        .filter(|n| n.r.retracted_at.is_none())
        .flat_map(NewReport::sightings)
        .collect();
    let added = add_sightings(db, mode, &mut sightings).await?;

    let mut head = audit::head(db).await?;
    let mut chain = Chain::with_capacity(drafts.len());
    for d in drafts {
        chain.push(&mut head, d)?;
    }
    insert_audit(db, mode, &chain).await?;

    bump_counter(db, REPORTS, new.len() as i64).await?;
    bump_counter(db, SIGHTINGS, added).await?;
    Ok(out)
}

/// What a new version needs to know of the one it replaces.
struct Current {
    seq: i64,
    version: u64,
    retracted: bool,
    seen_at: i64,
    entities: Vec<EntityId>,
}

async fn current(db: &Db<'_>, id: ReportId) -> Res<Current> {
    let row = db
        .query_opt(
            "SELECT seq, version, retracted_at, occurred_at, reported_at, entities \
             FROM reports WHERE id = $1",
            &[&id.0],
        )
        .await?
        .ok_or(Error::Store(StoreError::NotFound("report")))?;
    Ok(Current {
        seq: get(&row, 0)?,
        version: get_u64(&row, 1)?,
        retracted: get::<Option<i64>>(&row, 2)?.is_some(),
        seen_at: match get::<Option<i64>>(&row, 3)? {
            Some(t) => t,
            None => get(&row, 4)?,
        },
        entities: entity_ids(&row, 5)?,
    })
}

/// Archives the current version and takes its sightings away; returns the sightings removed.
async fn supersede(db: &Db<'_>, cur: &Current) -> Res<i64> {
    db.execute(
        concat!(
            "INSERT INTO report_versions (seq, ",
            report_cols!(),
            ") SELECT seq, ",
            report_cols!(),
            " FROM reports WHERE seq = $1"
        ),
        &[&cur.seq],
    )
    .await?;
    if cur.retracted {
        return Ok(0);
    }
    remove_sightings(db, cur.seq, cur.seen_at, &cur.entities).await
}

pub(crate) async fn update(db: &Db<'_>, r: &ReportRecord, draft: &AuditDraft) -> Res<()> {
    let cur = current(db, r.id).await?;
    if u64::from(r.version) != cur.version + 1 {
        return Err(Error::Store(StoreError::Conflict(format!(
            "report version {} does not follow the stored version {}",
            r.version, cur.version
        ))));
    }
    let n = NewReport::new(r, cur.seq, last_rev(db).await? + 1)?;
    let removed = supersede(db, &cur).await?;
    db.execute(
        "UPDATE reports SET owner = $2, author = $3, kind = $4, marking = $5, \
         dist_agencies = $6, dist_groups = $7, methods = $8, victim_country = $9, \
         occurred_at = $10, reported_at = $11, recorded_at = $12, version = $13, \
         retracted_at = $14, hit_notices = $15, fingerprint = $16, entities = $17, body = $18, \
         rev = $19 WHERE seq = $1",
        &[
            &n.seq,
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
            &i64::from(r.version),
            &n.retracted_at,
            &r.hit_notices,
            &&r.fingerprint[..],
            &n.entities,
            &r.body,
            &n.rev,
        ],
    )
    .await?;
    let added = if r.retracted_at.is_none() {
        let mut new: Vec<_> = n.sightings().collect();
        add_sightings(db, BulkInsert::Unnest, &mut new).await?
    } else {
        0
    };
    bump_counter(db, SIGHTINGS, added - removed).await?;
    audit::append(db, std::slice::from_ref(draft)).await
}

pub(crate) async fn retract(
    db: &Db<'_>,
    id: ReportId,
    at: jiff::Timestamp,
    draft: &AuditDraft,
) -> Res<()> {
    let cur = current(db, id).await?;
    if cur.retracted {
        return Err(Error::Store(StoreError::Conflict(
            "the report is already retracted".to_owned(),
        )));
    }
    if cur.version >= u64::from(u32::MAX) {
        return Err(Error::Store(StoreError::Conflict(
            "the report has no version number left".to_owned(),
        )));
    }
    let rev = last_rev(db).await? + 1;
    let removed = supersede(db, &cur).await?;
    db.execute(
        "UPDATE reports SET retracted_at = $2, recorded_at = $2, version = version + 1, \
         rev = $3 WHERE seq = $1",
        &[&cur.seq, &ts(at)?, &rev],
    )
    .await?;
    bump_counter(db, SIGHTINGS, -removed).await?;
    audit::append(db, std::slice::from_ref(draft)).await
}
