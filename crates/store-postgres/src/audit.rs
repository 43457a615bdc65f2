//! Appending to and reading the audit hash chain.
//!
//! Appends happen only inside a write transaction that holds the store's write lock
//! (`pg_advisory_xact_lock`, taken first thing by `PgStore::write`): the head is read after the
//! lock was granted, in READ COMMITTED, so it is the head every earlier writer committed, and no
//! other process can append until this transaction ends. One chain, no fork, no gap.

use crate::codec::{get, get_hash, get_ts, get_u64, ts};
use crate::error::{Res, corrupt};
use crate::pool::Db;
use tokio_postgres::Row;
use uuid::Uuid;
use warroom_domain::{AgencyId, UserId};
use warroom_store::audit::chain_hash;
use warroom_store::{AuditDraft, AuditEvent, AuditFilter, GENESIS_HASH};

/// The last event of the chain, as read inside the writing transaction.
#[derive(Debug)]
pub(crate) struct Head {
    pub(crate) seq: u64,
    pub(crate) hash: [u8; 32],
}

/// Reads the head; call only under the write lock.
pub(crate) async fn head(db: &Db<'_>) -> Res<Head> {
    match db
        .query_opt("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &[])
        .await?
    {
        Some(row) => Ok(Head {
            seq: get_u64(&row, 0)?,
            hash: get_hash(&row, 1)?,
        }),
        None => Ok(Head {
            seq: 0,
            hash: GENESIS_HASH,
        }),
    }
}

/// Events chained after a head, as the columns of one multi-row insert.
#[derive(Debug, Default)]
pub(crate) struct Chain<'d> {
    pub(crate) seq: Vec<i64>,
    pub(crate) at: Vec<i64>,
    pub(crate) actor_user: Vec<Option<Uuid>>,
    pub(crate) actor_agency: Vec<Option<Uuid>>,
    pub(crate) action: Vec<&'d str>,
    pub(crate) object_kind: Vec<&'d str>,
    pub(crate) object_id: Vec<&'d str>,
    pub(crate) request_id: Vec<&'d str>,
    pub(crate) purpose: Vec<Option<&'d str>>,
    pub(crate) prev_hash: Vec<[u8; 32]>,
    pub(crate) hash: Vec<[u8; 32]>,
}

impl<'d> Chain<'d> {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self {
            seq: Vec::with_capacity(n),
            at: Vec::with_capacity(n),
            actor_user: Vec::with_capacity(n),
            actor_agency: Vec::with_capacity(n),
            action: Vec::with_capacity(n),
            object_kind: Vec::with_capacity(n),
            object_id: Vec::with_capacity(n),
            request_id: Vec::with_capacity(n),
            purpose: Vec::with_capacity(n),
            prev_hash: Vec::with_capacity(n),
            hash: Vec::with_capacity(n),
        }
    }

    /// Chains `draft` after `head` and moves `head` to it.
    pub(crate) fn push(&mut self, head: &mut Head, draft: &'d AuditDraft) -> Res<()> {
        let seq = head.seq + 1;
        let hash = chain_hash(&head.hash, seq, draft);
        self.push_linked(seq, draft, head.hash, hash)?;
        head.seq = seq;
        head.hash = hash;
        Ok(())
    }

    /// Adds an event with the place in the chain it already has: a restored event, checked
    /// by the caller against the head (`warroom_store::restore::check_chain`).
    pub(crate) fn push_event(&mut self, e: &'d AuditEvent) -> Res<()> {
        self.push_linked(e.seq, &e.draft, e.prev_hash, e.hash)
    }

    fn push_linked(
        &mut self,
        seq: u64,
        draft: &'d AuditDraft,
        prev_hash: [u8; 32],
        hash: [u8; 32],
    ) -> Res<()> {
        self.seq
            .push(i64::try_from(seq).map_err(|_| corrupt("the audit sequence overflowed"))?);
        self.at.push(ts(draft.at)?);
        self.actor_user.push(draft.actor_user.map(|u| u.0));
        self.actor_agency.push(draft.actor_agency.map(|a| a.0));
        self.action.push(&draft.action);
        self.object_kind.push(&draft.object_kind);
        self.object_id.push(&draft.object_id);
        self.request_id.push(&draft.request_id);
        self.purpose.push(draft.purpose.as_deref());
        self.prev_hash.push(prev_hash);
        self.hash.push(hash);
        Ok(())
    }

    pub(crate) fn len(&self) -> usize {
        self.seq.len()
    }

    /// Inserts the events in one statement.
    pub(crate) async fn insert(&self, db: &Db<'_>) -> Res<()> {
        if self.seq.is_empty() {
            return Ok(());
        }
        let prev: Vec<&[u8]> = self.prev_hash.iter().map(|h| &h[..]).collect();
        let hash: Vec<&[u8]> = self.hash.iter().map(|h| &h[..]).collect();
        db.execute(
            "INSERT INTO audit (seq, at, actor_user, actor_agency, action, object_kind, \
             object_id, request_id, purpose, prev_hash, hash) \
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::uuid[], $4::uuid[], \
             $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bytea[], \
             $11::bytea[])",
            &[
                &self.seq,
                &self.at,
                &self.actor_user,
                &self.actor_agency,
                &self.action,
                &self.object_kind,
                &self.object_id,
                &self.request_id,
                &self.purpose,
                &prev,
                &hash,
            ],
        )
        .await?;
        Ok(())
    }
}

/// Appends events after the current head, in one statement; call only under the write lock.
pub(crate) async fn append(db: &Db<'_>, drafts: &[AuditDraft]) -> Res<()> {
    if drafts.is_empty() {
        return Ok(());
    }
    let mut head = head(db).await?;
    let mut chain = Chain::with_capacity(drafts.len());
    for d in drafts {
        chain.push(&mut head, d)?;
    }
    chain.insert(db).await
}

macro_rules! select_events {
    () => {
        "SELECT seq, at, actor_user, actor_agency, action, object_kind, object_id, request_id, \
         purpose, prev_hash, hash FROM audit"
    };
}

fn event_row(row: &Row) -> Res<AuditEvent> {
    Ok(AuditEvent {
        seq: get_u64(row, 0)?,
        draft: AuditDraft {
            at: get_ts(row, 1)?,
            actor_user: get::<Option<Uuid>>(row, 2)?.map(UserId),
            actor_agency: get::<Option<Uuid>>(row, 3)?.map(AgencyId),
            action: get(row, 4)?,
            object_kind: get(row, 5)?,
            object_id: get(row, 6)?,
            request_id: get(row, 7)?,
            purpose: get(row, 8)?,
        },
        prev_hash: get_hash(row, 9)?,
        hash: get_hash(row, 10)?,
    })
}

pub(crate) async fn events(db: &Db<'_>, filter: &AuditFilter) -> Res<Vec<AuditEvent>> {
    let after = i64::try_from(filter.after).unwrap_or(i64::MAX);
    let limit = i64::try_from(filter.limit).unwrap_or(i64::MAX);
    let rows = match filter.agency {
        Some(agency) => {
            db.query(
                concat!(
                    select_events!(),
                    " WHERE actor_agency = $1 AND seq > $2 ORDER BY seq LIMIT $3"
                ),
                &[&agency.0, &after, &limit],
            )
            .await?
        }
        None => {
            db.query(
                concat!(select_events!(), " WHERE seq > $1 ORDER BY seq LIMIT $2"),
                &[&after, &limit],
            )
            .await?
        }
    };
    rows.iter().map(event_row).collect()
}
