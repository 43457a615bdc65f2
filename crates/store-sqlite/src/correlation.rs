//! The warninglist (values that must never correlate) and analysts' marks on entities.

use crate::codec::{get_opt_str, get_opt_ts, get_opt_uuid, get_str, get_ts, get_uuid, opt_ts, ts};
use crate::error::{Res, corrupt};
use rusqlite::{Connection, Row, params};
use warroom_domain::{AgencyId, CountryCode, EntityId, UserId};
use warroom_store::restore::{check_marks, check_warnings, mark_stored, warning_stored};
use warroom_store::{MarkRecord, WarningRecord};

// ---- warninglist ----------------------------------------------------------------------------

/// The columns of `warninglist`, in the order [`warning_row`] reads and the inserts bind.
macro_rules! warning_cols {
    () => {
        "key, kind, value, entity, region, reason, source, added_by, added_at, removed_at"
    };
}

/// Inserts the entry, or with `replace` overwrites the one with its key; without `replace` a
/// stored key inserts nothing and answers `false`.
fn insert_warning(conn: &Connection, w: &WarningRecord, replace: bool) -> Res<bool> {
    let sql = if replace {
        concat!(
            "INSERT INTO warninglist (",
            warning_cols!(),
            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
             ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, value = excluded.value, \
             entity = excluded.entity, region = excluded.region, reason = excluded.reason, \
             source = excluded.source, added_by = excluded.added_by, \
             added_at = excluded.added_at, removed_at = excluded.removed_at"
        )
    } else {
        concat!(
            "INSERT INTO warninglist (",
            warning_cols!(),
            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (key) DO NOTHING"
        )
    };
    let n = conn.prepare_cached(sql)?.execute(params![
        w.key,
        w.kind,
        w.value,
        w.entity.as_ref().map(|e| &e.0.as_bytes()[..]),
        w.region.as_ref().map(CountryCode::as_str),
        w.reason,
        w.source,
        w.added_by.as_ref().map(|u| &u.0.as_bytes()[..]),
        ts(w.added_at)?,
        opt_ts(w.removed_at)?,
    ])?;
    Ok(n == 1)
}

pub(crate) fn put_warning(conn: &Connection, w: &WarningRecord) -> Res<()> {
    insert_warning(conn, w, true).map(|_| ())
}

fn warning_row(row: &Row<'_>) -> Res<WarningRecord> {
    Ok(WarningRecord {
        key: get_str(row, 0)?.to_owned(),
        kind: get_str(row, 1)?.to_owned(),
        value: get_str(row, 2)?.to_owned(),
        entity: get_opt_uuid(row, 3)?.map(EntityId),
        region: get_opt_str(row, 4)?
            .map(|s| {
                CountryCode::parse(s)
                    .map_err(|_| corrupt("warninglist.region holds an unknown value"))
            })
            .transpose()?,
        reason: get_str(row, 5)?.to_owned(),
        source: get_str(row, 6)?.to_owned(),
        added_by: get_opt_uuid(row, 7)?.map(UserId),
        added_at: get_ts(row, 8)?,
        removed_at: get_opt_ts(row, 9)?,
    })
}

pub(crate) fn warninglist(conn: &Connection) -> Res<Vec<WarningRecord>> {
    let mut stmt = conn.prepare_cached(concat!(
        "SELECT ",
        warning_cols!(),
        " FROM warninglist ORDER BY key"
    ))?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(warning_row(row)?);
    }
    Ok(out)
}

/// Entries verbatim; a key stored already or listed twice refuses the batch (the caller's
/// transaction rolls back whatever went in before).
pub(crate) fn restore_warnings(conn: &Connection, entries: &[WarningRecord]) -> Res<()> {
    check_warnings(entries)?;
    for w in entries {
        if !insert_warning(conn, w, false)? {
            return Err(warning_stored(&w.key).into());
        }
    }
    Ok(())
}

// ---- marks ----------------------------------------------------------------------------------

fn insert_mark(conn: &Connection, m: &MarkRecord, replace: bool) -> Res<bool> {
    let sql = if replace {
        "INSERT INTO marks (entity, user_id, agency, verdict, note, at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (entity, user_id) DO UPDATE SET agency = excluded.agency, \
         verdict = excluded.verdict, note = excluded.note, at = excluded.at"
    } else {
        "INSERT INTO marks (entity, user_id, agency, verdict, note, at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (entity, user_id) DO NOTHING"
    };
    let n = conn.prepare_cached(sql)?.execute(params![
        &m.entity.0.as_bytes()[..],
        &m.user.0.as_bytes()[..],
        &m.agency.0.as_bytes()[..],
        m.verdict,
        m.note,
        ts(m.at)?,
    ])?;
    Ok(n == 1)
}

pub(crate) fn put_mark(conn: &Connection, m: &MarkRecord) -> Res<()> {
    insert_mark(conn, m, true).map(|_| ())
}

pub(crate) fn marks(conn: &Connection) -> Res<Vec<MarkRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT entity, user_id, agency, verdict, note, at FROM marks ORDER BY entity, user_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(MarkRecord {
            entity: EntityId(get_uuid(row, 0)?),
            user: UserId(get_uuid(row, 1)?),
            agency: AgencyId(get_uuid(row, 2)?),
            verdict: get_str(row, 3)?.to_owned(),
            note: get_str(row, 4)?.to_owned(),
            at: get_ts(row, 5)?,
        });
    }
    Ok(out)
}

/// Marks verbatim; an (entity, user) stored already or listed twice refuses the batch.
pub(crate) fn restore_marks(conn: &Connection, marks: &[MarkRecord]) -> Res<()> {
    check_marks(marks)?;
    for m in marks {
        if !insert_mark(conn, m, false)? {
            return Err(mark_stored(m.entity, m.user).into());
        }
    }
    Ok(())
}
