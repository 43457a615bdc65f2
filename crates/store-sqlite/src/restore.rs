//! [`warroom_store::Store::restore`]: another store's records written verbatim, with no audit
//! event of their own. Runs inside one write transaction (see `SqliteStore::write`), so a
//! refused batch leaves nothing behind.
//!
//! Accounts go through the same inserts as the normal writes (which refuse taken keys and
//! missing parents the same way), reports through the same insert and new-version code as
//! `put_reports` and `update_report`: a history is replayed version by version, so sightings,
//! entity headers, archived versions and counters come out as the normal path leaves them.
//! Warninglist entries and marks are inserted as given, refusing a stored or repeated key.

use crate::error::{Error, Res};
use crate::{accounts, audit, correlation, reports};
use rusqlite::Connection;
use warroom_domain::SharingGroup;
use warroom_store::restore::{check_chain, check_history};
use warroom_store::{AuditEvent, PutOutcome, ReportRecord, Restore, StoreError};

pub(crate) fn restore(conn: &Connection, batch: &Restore<'_>) -> Res<()> {
    match *batch {
        Restore::Agencies(agencies) => {
            for a in agencies {
                accounts::create_agency(conn, a)?;
            }
        }
        Restore::Groups(groups) => restore_groups(conn, groups)?,
        Restore::Users(users) => {
            for u in users {
                accounts::create_user(conn, u)?;
            }
        }
        Restore::Tokens(tokens) => {
            for t in tokens {
                accounts::create_token(conn, t)?;
            }
        }
        Restore::Sessions(sessions) => {
            for s in sessions {
                accounts::create_session(conn, s)?;
            }
        }
        Restore::Reports(histories) => restore_reports(conn, histories)?,
        Restore::Audit(events) => restore_audit(conn, events)?,
        Restore::Warnings(entries) => correlation::restore_warnings(conn, entries)?,
        Restore::Marks(marks) => correlation::restore_marks(conn, marks)?,
    }
    Ok(())
}

/// `put_group` replaces a stored group; a restore must not, so a stored id is refused first.
fn restore_groups(conn: &Connection, groups: &[SharingGroup]) -> Res<()> {
    let mut exists = conn.prepare_cached("SELECT 1 FROM groups WHERE id = ?1")?;
    for g in groups {
        if exists.exists([&g.id.0.as_bytes()[..]])? {
            return Err(Error(StoreError::Conflict(
                "a group with this id exists".to_owned(),
            )));
        }
        accounts::put_group(conn, g)?;
    }
    Ok(())
}

/// First versions in one insert (seqs and revs in the order given), then each later version
/// as an update would store it, keeping the rev its report got at the insert.
fn restore_reports(conn: &Connection, histories: &[Vec<ReportRecord>]) -> Res<()> {
    let mut firsts = Vec::with_capacity(histories.len());
    for h in histories {
        check_history(h)?;
        if let Some(first) = h.first() {
            firsts.push((first, None));
        }
    }
    let outcomes = reports::insert(conn, &firsts)?;
    if let Some(((r, _), _)) = firsts
        .iter()
        .zip(&outcomes)
        .find(|(_, o)| **o != PutOutcome::Inserted)
    {
        return Err(Error(StoreError::Conflict(format!(
            "report {} is already stored",
            r.id.0
        ))));
    }
    for h in histories {
        for r in h.iter().skip(1) {
            reports::new_version(conn, r, None)?;
        }
    }
    Ok(())
}

/// Checks the events against the head read inside this transaction (the writer lock keeps it
/// the head until commit), then stores them as they are.
fn restore_audit(conn: &Connection, events: &[AuditEvent]) -> Res<()> {
    let head = audit::head(conn)?;
    check_chain(head.seq, &head.hash, events)?;
    for e in events {
        audit::insert(conn, e.seq, &e.draft, &e.prev_hash, &e.hash)?;
    }
    Ok(())
}
