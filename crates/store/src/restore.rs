//! What [`crate::Store::restore`] takes: records copied verbatim from another store, for
//! moving a node between backends (`warroom admin migrate-store`).
//!
//! Normal writes cannot copy a node: each one appends a new audit event, so replaying them
//! would grow a second, different chain. A restore writes the records as they are (ids,
//! hashes, timestamps, versions) and the source's audit events with their own `seq`,
//! `prev_hash` and `hash`, so the copied chain verifies to the same head as the original.
//!
//! The checks every backend makes before writing live here, so that both refuse the same
//! batches with the same messages.

use crate::audit::chain_hash;
use crate::{
    AuditEvent, MarkRecord, ReportRecord, SessionRecord, StoreError, TokenRecord, UserRecord,
    WarningRecord,
};
use warroom_domain::{Agency, EntityId, SharingGroup, UserId};

/// One batch of records to write verbatim, of one kind. Each [`crate::Store::restore`] call is
/// one transaction, so a batch is the unit that is all written or not at all.
#[derive(Clone, Copy, Debug)]
pub enum Restore<'a> {
    Agencies(&'a [Agency]),
    /// Groups with their members; members need not be agencies of this node.
    Groups(&'a [SharingGroup]),
    /// Their agencies must be stored already.
    Users(&'a [UserRecord]),
    /// Their users must be stored already.
    Tokens(&'a [TokenRecord]),
    /// Their users must be stored already.
    Sessions(&'a [SessionRecord]),
    /// Per report, every version oldest first and the current one last, as
    /// [`crate::Store::report_versions`] returns them; reports in the order they were listed
    /// in the source, oldest first.
    Reports(&'a [Vec<ReportRecord>]),
    /// A run of consecutive events that continues the stored chain.
    Audit(&'a [AuditEvent]),
    /// Warninglist entries, removed ones included; a key already stored is a conflict.
    Warnings(&'a [WarningRecord]),
    /// Analysts' marks; an (entity, user) already stored is a conflict.
    Marks(&'a [MarkRecord]),
}

impl Restore<'_> {
    /// How many records (reports, not versions) the batch holds.
    pub fn len(&self) -> usize {
        match self {
            Restore::Agencies(v) => v.len(),
            Restore::Groups(v) => v.len(),
            Restore::Users(v) => v.len(),
            Restore::Tokens(v) => v.len(),
            Restore::Sessions(v) => v.len(),
            Restore::Reports(v) => v.len(),
            Restore::Audit(v) => v.len(),
            Restore::Warnings(v) => v.len(),
            Restore::Marks(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn conflict(what: String) -> StoreError {
    StoreError::Conflict(what)
}

/// Checks that `versions` is one report's history: not empty, one id, and versions that
/// follow each other by one (the only histories `put_reports`, `update_report` and
/// `retract_report` can leave). Returns the current version.
pub fn check_history(versions: &[ReportRecord]) -> Result<&ReportRecord, StoreError> {
    let Some((current, _)) = versions.split_last() else {
        return Err(conflict("a report to restore has no versions".to_owned()));
    };
    for pair in versions.windows(2) {
        if pair[1].id != pair[0].id {
            return Err(conflict(format!(
                "the versions of report {} include report {}",
                pair[0].id.0, pair[1].id.0
            )));
        }
        if u64::from(pair[1].version) != u64::from(pair[0].version) + 1 {
            return Err(conflict(format!(
                "report {}: version {} does not follow version {}",
                pair[0].id.0, pair[1].version, pair[0].version
            )));
        }
    }
    Ok(current)
}

/// Checks that `events` continue a chain whose last event is `head_seq` with hash `head_hash`
/// (0 and [`crate::GENESIS_HASH`] for an empty log): consecutive seqs from `head_seq + 1`, each
/// `prev_hash` the hash before it, and each hash the one its fields give. A restored chain
/// therefore always verifies; a broken source is refused here rather than copied.
pub fn check_chain(
    head_seq: u64,
    head_hash: &[u8; 32],
    events: &[AuditEvent],
) -> Result<(), StoreError> {
    let mut seq = head_seq;
    let mut prev = *head_hash;
    for e in events {
        let expected = seq
            .checked_add(1)
            .ok_or_else(|| conflict("the audit sequence would overflow".to_owned()))?;
        if e.seq != expected {
            return Err(conflict(format!(
                "audit event {} does not continue the chain: the next event is {expected}",
                e.seq
            )));
        }
        if e.prev_hash != prev {
            return Err(conflict(format!(
                "audit event {} does not link to the event before it",
                e.seq
            )));
        }
        if chain_hash(&prev, e.seq, &e.draft) != e.hash {
            return Err(conflict(format!(
                "audit event {}'s hash does not match its fields",
                e.seq
            )));
        }
        seq = e.seq;
        prev = e.hash;
    }
    Ok(())
}

/// Checks that no key is listed twice in a batch of warninglist entries.
pub fn check_warnings(entries: &[WarningRecord]) -> Result<(), StoreError> {
    let mut seen = std::collections::HashSet::with_capacity(entries.len());
    match entries.iter().find(|w| !seen.insert(w.key.as_str())) {
        Some(w) => Err(conflict(format!(
            "warninglist entry {:?} is listed twice",
            w.key
        ))),
        None => Ok(()),
    }
}

/// The conflict of a warninglist entry whose key is already stored.
pub fn warning_stored(key: &str) -> StoreError {
    conflict(format!("warninglist entry {key:?} is already stored"))
}

/// Checks that no (entity, user) is listed twice in a batch of marks.
pub fn check_marks(marks: &[MarkRecord]) -> Result<(), StoreError> {
    let mut seen = std::collections::HashSet::with_capacity(marks.len());
    match marks.iter().find(|m| !seen.insert((m.entity, m.user))) {
        Some(m) => Err(conflict(format!(
            "the mark of entity {} by user {} is listed twice",
            m.entity.0, m.user.0
        ))),
        None => Ok(()),
    }
}

/// The conflict of a mark whose (entity, user) is already stored.
pub fn mark_stored(entity: EntityId, user: UserId) -> StoreError {
    conflict(format!(
        "the mark of entity {} by user {} is already stored",
        entity.0, user.0
    ))
}
