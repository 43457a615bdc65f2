//! Appending to and reading the audit hash chain.

use crate::codec::{get_hash, get_opt_str, get_opt_uuid, get_str, get_ts, get_u64, ts};
use crate::error::{Res, corrupt};
use rusqlite::Connection;
use warroom_domain::{AgencyId, UserId};
use warroom_store::audit::chain_hash;
use warroom_store::{AuditDraft, AuditEvent, AuditFilter, GENESIS_HASH};

/// The last event of the chain, as read inside the writing transaction.
#[derive(Debug)]
pub(crate) struct Head {
    pub(crate) seq: u64,
    pub(crate) hash: [u8; 32],
}

/// Reads the head inside the caller's write transaction: the writer lock plus the IMMEDIATE
/// transaction mean no other append can slip in between this read and the commit.
pub(crate) fn head(conn: &Connection) -> Res<Head> {
    let mut stmt = conn.prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")?;
    let mut rows = stmt.query([])?;
    match rows.next()? {
        Some(row) => Ok(Head {
            seq: get_u64(row, 0)?,
            hash: get_hash(row, 1)?,
        }),
        None => Ok(Head {
            seq: 0,
            hash: GENESIS_HASH,
        }),
    }
}

/// Appends one event after `head` and moves `head` to it.
pub(crate) fn append(conn: &Connection, head: &mut Head, draft: &AuditDraft) -> Res<()> {
    let seq = head.seq + 1;
    let hash = chain_hash(&head.hash, seq, draft);
    insert(conn, seq, draft, &head.hash, &hash)?;
    head.seq = seq;
    head.hash = hash;
    Ok(())
}

/// Stores one event with the place in the chain it is given: [`append`]'s computed one, or a
/// restored event's own (checked by the caller against the head).
pub(crate) fn insert(
    conn: &Connection,
    seq: u64,
    draft: &AuditDraft,
    prev_hash: &[u8; 32],
    hash: &[u8; 32],
) -> Res<()> {
    let seq_i = i64::try_from(seq).map_err(|_| corrupt("the audit sequence overflowed"))?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO audit (seq, at, actor_user, actor_agency, action, object_kind, object_id, \
         request_id, purpose, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    stmt.execute(rusqlite::params![
        seq_i,
        ts(draft.at)?,
        draft.actor_user.as_ref().map(|u| &u.0.as_bytes()[..]),
        draft.actor_agency.as_ref().map(|a| &a.0.as_bytes()[..]),
        draft.action,
        draft.object_kind,
        draft.object_id,
        draft.request_id,
        draft.purpose,
        &prev_hash[..],
        &hash[..],
    ])?;
    Ok(())
}

/// One write transaction's worth of appends.
pub(crate) fn append_one(conn: &Connection, draft: &AuditDraft) -> Res<()> {
    let mut h = head(conn)?;
    append(conn, &mut h, draft)
}

macro_rules! select_events {
    () => {
        "SELECT seq, at, actor_user, actor_agency, action, object_kind, object_id, request_id, \
         purpose, prev_hash, hash FROM audit"
    };
}

pub(crate) fn events(conn: &Connection, filter: &AuditFilter) -> Res<Vec<AuditEvent>> {
    let after = i64::try_from(filter.after).unwrap_or(i64::MAX);
    let limit = i64::try_from(filter.limit).unwrap_or(i64::MAX);
    let mut out = Vec::with_capacity(filter.limit.min(1024));
    let mut stmt;
    let mut rows = match filter.agency {
        Some(agency) => {
            stmt = conn.prepare_cached(concat!(
                select_events!(),
                " WHERE actor_agency = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"
            ))?;
            stmt.query(rusqlite::params![&agency.0.as_bytes()[..], after, limit])?
        }
        None => {
            stmt = conn.prepare_cached(concat!(
                select_events!(),
                " WHERE seq > ?1 ORDER BY seq LIMIT ?2"
            ))?;
            stmt.query(rusqlite::params![after, limit])?
        }
    };
    while let Some(row) = rows.next()? {
        out.push(AuditEvent {
            seq: get_u64(row, 0)?,
            draft: AuditDraft {
                at: get_ts(row, 1)?,
                actor_user: get_opt_uuid(row, 2)?.map(UserId),
                actor_agency: get_opt_uuid(row, 3)?.map(AgencyId),
                action: get_str(row, 4)?.to_owned(),
                object_kind: get_str(row, 5)?.to_owned(),
                object_id: get_str(row, 6)?.to_owned(),
                request_id: get_str(row, 7)?.to_owned(),
                purpose: get_opt_str(row, 8)?.map(str::to_owned),
            },
            prev_hash: get_hash(row, 9)?,
            hash: get_hash(row, 10)?,
        });
    }
    Ok(out)
}
