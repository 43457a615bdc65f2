//! The warninglist (values that must never correlate) and analysts' marks on entities.
//! Writes are upserts; a restore checks for stored keys first, so no unique violation is ever
//! provoked (PostgreSQL would log the key).

use crate::codec::{get, get_enum, get_opt_ts, get_ts, opt_ts, ts};
use crate::error::{Error, Res};
use crate::pool::Db;
use tokio_postgres::Row;
use uuid::Uuid;
use warroom_domain::{AgencyId, CountryCode, EntityId, UserId};
use warroom_store::restore::{check_marks, check_warnings, mark_stored, warning_stored};
use warroom_store::{MarkRecord, WarningRecord};

// ---- warninglist ----------------------------------------------------------------------------

/// The columns of `warninglist`, in the order [`warning_row`] reads and the inserts write.
macro_rules! warning_cols {
    () => {
        "key, kind, value, entity, region, reason, source, added_by, added_at, removed_at"
    };
}

pub(crate) async fn put_warning(db: &Db<'_>, w: &WarningRecord) -> Res<()> {
    db.execute(
        concat!(
            "INSERT INTO warninglist (",
            warning_cols!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, value = excluded.value, \
             entity = excluded.entity, region = excluded.region, reason = excluded.reason, \
             source = excluded.source, added_by = excluded.added_by, \
             added_at = excluded.added_at, removed_at = excluded.removed_at"
        ),
        &[
            &w.key,
            &w.kind,
            &w.value,
            &w.entity.map(|e| e.0),
            &w.region.as_ref().map(CountryCode::as_str),
            &w.reason,
            &w.source,
            &w.added_by.map(|u| u.0),
            &ts(w.added_at)?,
            &opt_ts(w.removed_at)?,
        ],
    )
    .await?;
    Ok(())
}

fn warning_row(row: &Row) -> Res<WarningRecord> {
    Ok(WarningRecord {
        key: get(row, 0)?,
        kind: get(row, 1)?,
        value: get(row, 2)?,
        entity: get::<Option<Uuid>>(row, 3)?.map(EntityId),
        region: match get::<Option<&str>>(row, 4)? {
            Some(_) => Some(get_enum(row, 4, |s| CountryCode::parse(s).ok())?),
            None => None,
        },
        reason: get(row, 5)?,
        source: get(row, 6)?,
        added_by: get::<Option<Uuid>>(row, 7)?.map(UserId),
        added_at: get_ts(row, 8)?,
        removed_at: get_opt_ts(row, 9)?,
    })
}

pub(crate) async fn warninglist(db: &Db<'_>) -> Res<Vec<WarningRecord>> {
    // `key` is COLLATE "C": byte order, as in SQLite.
    db.query(
        concat!("SELECT ", warning_cols!(), " FROM warninglist ORDER BY key"),
        &[],
    )
    .await?
    .iter()
    .map(warning_row)
    .collect()
}

/// Entries verbatim, in one statement; a key stored already or listed twice refuses the batch.
pub(crate) async fn restore_warnings(db: &Db<'_>, entries: &[WarningRecord]) -> Res<()> {
    check_warnings(entries)?;
    let key: Vec<&str> = entries.iter().map(|w| w.key.as_str()).collect();
    if let Some(row) = db
        .query_opt(
            "SELECT key FROM warninglist WHERE key = ANY($1::text[]) LIMIT 1",
            &[&key],
        )
        .await?
    {
        let stored: &str = get(&row, 0)?;
        return Err(Error::Store(warning_stored(stored)));
    }
    let kind: Vec<&str> = entries.iter().map(|w| w.kind.as_str()).collect();
    let value: Vec<&str> = entries.iter().map(|w| w.value.as_str()).collect();
    let entity: Vec<Option<Uuid>> = entries.iter().map(|w| w.entity.map(|e| e.0)).collect();
    let region: Vec<Option<&str>> = entries
        .iter()
        .map(|w| w.region.as_ref().map(CountryCode::as_str))
        .collect();
    let reason: Vec<&str> = entries.iter().map(|w| w.reason.as_str()).collect();
    let source: Vec<&str> = entries.iter().map(|w| w.source.as_str()).collect();
    let added_by: Vec<Option<Uuid>> = entries.iter().map(|w| w.added_by.map(|u| u.0)).collect();
    let added_at = entries
        .iter()
        .map(|w| ts(w.added_at))
        .collect::<Res<Vec<i64>>>()?;
    let removed_at = entries
        .iter()
        .map(|w| opt_ts(w.removed_at))
        .collect::<Res<Vec<Option<i64>>>>()?;
    db.execute(
        concat!(
            "INSERT INTO warninglist (",
            warning_cols!(),
            ") SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::uuid[], \
             $5::text[], $6::text[], $7::text[], $8::uuid[], $9::bigint[], $10::bigint[])"
        ),
        &[
            &key,
            &kind,
            &value,
            &entity,
            &region,
            &reason,
            &source,
            &added_by,
            &added_at,
            &removed_at,
        ],
    )
    .await?;
    Ok(())
}

// ---- marks ----------------------------------------------------------------------------------

pub(crate) async fn put_mark(db: &Db<'_>, m: &MarkRecord) -> Res<()> {
    db.execute(
        "INSERT INTO marks (entity, user_id, agency, verdict, note, at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (entity, user_id) DO UPDATE SET agency = excluded.agency, \
         verdict = excluded.verdict, note = excluded.note, at = excluded.at",
        &[
            &m.entity.0,
            &m.user.0,
            &m.agency.0,
            &m.verdict,
            &m.note,
            &ts(m.at)?,
        ],
    )
    .await?;
    Ok(())
}

pub(crate) async fn marks(db: &Db<'_>) -> Res<Vec<MarkRecord>> {
    db.query(
        "SELECT entity, user_id, agency, verdict, note, at FROM marks ORDER BY entity, user_id",
        &[],
    )
    .await?
    .iter()
    .map(|row| {
        Ok(MarkRecord {
            entity: EntityId(get(row, 0)?),
            user: UserId(get(row, 1)?),
            agency: AgencyId(get(row, 2)?),
            verdict: get(row, 3)?,
            note: get(row, 4)?,
            at: get_ts(row, 5)?,
        })
    })
    .collect()
}

/// Marks verbatim, in one statement; an (entity, user) stored already or listed twice refuses
/// the batch.
pub(crate) async fn restore_marks(db: &Db<'_>, marks: &[MarkRecord]) -> Res<()> {
    check_marks(marks)?;
    let entity: Vec<Uuid> = marks.iter().map(|m| m.entity.0).collect();
    let user: Vec<Uuid> = marks.iter().map(|m| m.user.0).collect();
    if let Some(row) = db
        .query_opt(
            "SELECT m.entity, m.user_id FROM marks m \
             JOIN UNNEST($1::uuid[], $2::uuid[]) AS t(e, u) ON m.entity = t.e AND m.user_id = t.u \
             LIMIT 1",
            &[&entity, &user],
        )
        .await?
    {
        let stored = mark_stored(EntityId(get(&row, 0)?), UserId(get(&row, 1)?));
        return Err(Error::Store(stored));
    }
    let agency: Vec<Uuid> = marks.iter().map(|m| m.agency.0).collect();
    let verdict: Vec<&str> = marks.iter().map(|m| m.verdict.as_str()).collect();
    let note: Vec<&str> = marks.iter().map(|m| m.note.as_str()).collect();
    let at = marks.iter().map(|m| ts(m.at)).collect::<Res<Vec<i64>>>()?;
    db.execute(
        "INSERT INTO marks (entity, user_id, agency, verdict, note, at) \
         SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], \
         $6::bigint[])",
        &[&entity, &user, &agency, &verdict, &note, &at],
    )
    .await?;
    Ok(())
}
