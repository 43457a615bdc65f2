//! [`warroom_store::Store::restore`]: another store's records written verbatim, with no audit
//! event of their own. Runs inside one write transaction that holds the write lock (see
//! `PgStore::write`), so a refused batch leaves nothing behind and no other writer can take
//! report seqs or extend the chain in between.
//!
//! Accounts go through the normal inserts, which refuse taken keys and missing parents without
//! relying on a constraint error (so no row's values reach the server log). Reports do not
//! replay their history update by update, which would cost several round trips per version:
//! a batch writes its end state directly with the same bulk paths as `put_reports`, namely
//! current versions into `reports`, superseded ones into `report_versions` under the same seq,
//! the current versions' sightings, and entities upserted with the earliest sighting of every
//! version that was not retracted (what the updates would have left). Each restored report
//! gets the next rev, in the order given. Warninglist entries and marks are checked against
//! the stored keys first and inserted as given.

use crate::audit::{self, Chain};
use crate::bulk::{BulkInsert, NewReport, ReportTable, insert_audit, insert_report_rows};
use crate::changes::last_rev;
use crate::codec::get;
use crate::entities::{REPORTS, SIGHTINGS, add_sightings, bump_counter};
use crate::error::{Error, Res};
use crate::pool::Db;
use crate::{accounts, correlation, reports};
use std::collections::{BTreeMap, HashSet};
use uuid::Uuid;
use warroom_domain::SharingGroup;
use warroom_store::restore::{check_chain, check_history};
use warroom_store::{AuditEvent, ReportRecord, Restore, StoreError};

fn conflict(what: String) -> Error {
    Error::Store(StoreError::Conflict(what))
}

pub(crate) async fn restore(db: &Db<'_>, mode: BulkInsert, batch: &Restore<'_>) -> Res<()> {
    match *batch {
        Restore::Agencies(agencies) => {
            for a in agencies {
                accounts::create_agency(db, a).await?;
            }
        }
        Restore::Groups(groups) => restore_groups(db, groups).await?,
        Restore::Users(users) => {
            for u in users {
                accounts::create_user(db, u).await?;
            }
        }
        Restore::Tokens(tokens) => {
            for t in tokens {
                accounts::create_token(db, t).await?;
            }
        }
        Restore::Sessions(sessions) => {
            for s in sessions {
                accounts::create_session(db, s).await?;
            }
        }
        Restore::Reports(histories) => restore_reports(db, mode, histories).await?,
        Restore::Audit(events) => restore_audit(db, mode, events).await?,
        Restore::Warnings(entries) => correlation::restore_warnings(db, entries).await?,
        Restore::Marks(marks) => correlation::restore_marks(db, marks).await?,
    }
    Ok(())
}

/// `put_group` replaces a stored group; a restore must not, so a stored id is refused first.
async fn restore_groups(db: &Db<'_>, groups: &[SharingGroup]) -> Res<()> {
    for g in groups {
        if accounts::group_exists(db, g.id).await? {
            return Err(conflict("a group with this id exists".to_owned()));
        }
        accounts::put_group(db, g).await?;
    }
    Ok(())
}

async fn restore_reports(
    db: &Db<'_>,
    mode: BulkInsert,
    histories: &[Vec<ReportRecord>],
) -> Res<()> {
    let mut ids = Vec::with_capacity(histories.len());
    let mut seen = HashSet::with_capacity(histories.len());
    for h in histories {
        let current = check_history(h)?;
        if !seen.insert(current.id.0) {
            return Err(conflict(format!("report {} is listed twice", current.id.0)));
        }
        ids.push(current.id.0);
    }
    if let Some(row) = db
        .query_opt(
            "SELECT id FROM reports WHERE id = ANY($1::uuid[]) LIMIT 1",
            &[&ids],
        )
        .await?
    {
        let id: Uuid = get(&row, 0)?;
        return Err(conflict(format!("report {id} is already stored")));
    }

    // Seqs and revs in the order given, after every stored report's, as put_reports gives
    // them: one contiguous block of each, taken under the write lock.
    let mut seq = reports::last_seq(db).await?;
    let mut rev = last_rev(db).await?;
    let mut current = Vec::with_capacity(histories.len());
    let mut superseded = Vec::new();
    for h in histories {
        seq += 1;
        rev += 1;
        if let Some((last, earlier)) = h.split_last() {
            current.push(NewReport::new(last, seq, rev)?);
            for r in earlier {
                // report_versions keeps no rev.
                superseded.push(NewReport::new(r, seq, 0)?);
            }
        }
    }
    insert_report_rows(db, mode, ReportTable::Reports, &current).await?;
    // After the reports: report_versions.seq references reports.seq.
    insert_report_rows(db, mode, ReportTable::Versions, &superseded).await?;
    upsert_superseded_entities(db, &superseded).await?;
    let mut sightings: Vec<_> = current
        .iter()
        .filter(|n| n.r.retracted_at.is_none())
        .flat_map(NewReport::sightings)
        .collect();
    let added = add_sightings(db, mode, &mut sightings).await?;
    bump_counter(db, REPORTS, current.len() as i64).await?;
    bump_counter(db, SIGHTINGS, added).await?;
    Ok(())
}

/// The entities superseded versions saw, which the normal path created (or moved earlier)
/// when those versions were current: an update or retraction never removes an entity or
/// moves its first_seen_at later. Written before the current versions' sightings, so that an
/// entity keeps the label of the first version that named it, as when the history was made.
/// One row per entity (PostgreSQL refuses an upsert that touches a row twice), in id order
/// like `add_sightings`, so concurrent upserts lock entities in one order.
async fn upsert_superseded_entities(db: &Db<'_>, superseded: &[NewReport<'_>]) -> Res<()> {
    let mut first: BTreeMap<Uuid, (&str, &str, i64)> = BTreeMap::new();
    for n in superseded.iter().filter(|n| n.r.retracted_at.is_none()) {
        let seen_at = n.seen_at();
        for e in &n.r.entities {
            first
                .entry(e.id.0)
                .and_modify(|(_, _, t)| *t = (*t).min(seen_at))
                .or_insert((&e.kind, &e.value, seen_at));
        }
    }
    if first.is_empty() {
        return Ok(());
    }
    let id: Vec<Uuid> = first.keys().copied().collect();
    let kind: Vec<&str> = first.values().map(|v| v.0).collect();
    let value: Vec<&str> = first.values().map(|v| v.1).collect();
    let first_seen_at: Vec<i64> = first.values().map(|v| v.2).collect();
    db.execute(
        "INSERT INTO entities (id, kind, value, first_seen_at) \
         SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::bigint[]) \
         ON CONFLICT (id) DO UPDATE SET first_seen_at = excluded.first_seen_at \
         WHERE excluded.first_seen_at < entities.first_seen_at",
        &[&id, &kind, &value, &first_seen_at],
    )
    .await?;
    Ok(())
}

/// Checks the events against the head read under the write lock, then stores them as they are
/// (COPY for a large page, as `put_reports` writes its events).
async fn restore_audit(db: &Db<'_>, mode: BulkInsert, events: &[AuditEvent]) -> Res<()> {
    let head = audit::head(db).await?;
    check_chain(head.seq, &head.hash, events)?;
    let mut chain = Chain::with_capacity(events.len());
    for e in events {
        chain.push_event(e)?;
    }
    insert_audit(db, mode, &chain).await
}
