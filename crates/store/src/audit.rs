//! The audit log: one hash chain per node.
//!
//! Each event's hash is SHA-256 over the previous event's hash and the event's fields in a fixed,
//! length-prefixed encoding, so changing, removing or reordering any event breaks every later
//! link. Backends store `prev_hash` and `hash` with each event and append under their write
//! lock, so the chain never forks; [`verify`] walks it through any [`crate::Store`].

use crate::{Result, Store};
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use warroom_domain::{AgencyId, UserId};

/// The `prev_hash` of the first event.
pub const GENESIS_HASH: [u8; 32] = [0; 32];

/// An event before the store gives it its place in the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditDraft {
    pub at: Timestamp,
    pub actor_user: Option<UserId>,
    pub actor_agency: Option<AgencyId>,
    /// `report.create`, `report.read`, `entity.lookup`, `user.login`, ...
    pub action: String,
    /// `report`, `entity`, `user`, `token`, ...
    pub object_kind: String,
    pub object_id: String,
    pub request_id: String,
    /// Why, when the caller said (`X-Warroom-Purpose`).
    pub purpose: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    /// 1 for the first event, then +1 per event.
    pub seq: u64,
    pub draft: AuditDraft,
    pub prev_hash: [u8; 32],
    pub hash: [u8; 32],
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only events whose actor belongs to this agency.
    pub agency: Option<AgencyId>,
    /// Only events with `seq` greater than this.
    pub after: u64,
    pub limit: usize,
}

/// The hash of event number `seq` with these fields after `prev`.
pub fn chain_hash(prev: &[u8; 32], seq: u64, draft: &AuditDraft) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"warroom-audit-v1");
    h.update(prev);
    h.update(seq.to_be_bytes());
    h.update(draft.at.as_nanosecond().to_be_bytes());
    let opt = |h: &mut Sha256, s: Option<String>| match s {
        Some(s) => {
            h.update([1]);
            field(h, &s);
        }
        None => h.update([0]),
    };
    opt(&mut h, draft.actor_user.map(|u| u.to_string()));
    opt(&mut h, draft.actor_agency.map(|a| a.to_string()));
    field(&mut h, &draft.action);
    field(&mut h, &draft.object_kind);
    field(&mut h, &draft.object_id);
    field(&mut h, &draft.request_id);
    opt(&mut h, draft.purpose.clone());
    h.finalize().into()
}

fn field(h: &mut Sha256, s: &str) {
    h.update((s.len() as u64).to_be_bytes());
    h.update(s.as_bytes());
}

/// Where a chain first breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// The event's sequence number is not the one after its predecessor's.
    Gap { expected: u64, found: u64 },
    /// The event's `prev_hash` is not its predecessor's hash.
    Link { seq: u64 },
    /// The event's own hash does not match its fields.
    Content { seq: u64 },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Gap { expected, found } => {
                write!(f, "event {expected} is missing (the next event is {found})")
            }
            Break::Link { seq } => write!(
                f,
                "event {seq} does not link to event {}: an event before it was changed or removed",
                seq.saturating_sub(1)
            ),
            Break::Content { seq } => {
                write!(f, "event {seq} was changed after it was written")
            }
        }
    }
}

/// The result of walking a chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    pub events: u64,
    pub head: [u8; 32],
    pub first_break: Option<Break>,
}

/// Walks the whole chain from the first event, `page` events per store call, calling
/// `progress` with the number checked so far.
pub fn verify(
    store: &dyn Store,
    page: usize,
    mut progress: impl FnMut(u64),
) -> Result<Verification> {
    let mut prev = GENESIS_HASH;
    let mut expected = 1u64;
    loop {
        let events = store.audit_events(&AuditFilter {
            agency: None,
            after: expected - 1,
            limit: page.max(1),
        })?;
        if events.is_empty() {
            return Ok(Verification {
                events: expected - 1,
                head: prev,
                first_break: None,
            });
        }
        for e in events {
            let broken = if e.seq != expected {
                Some(Break::Gap {
                    expected,
                    found: e.seq,
                })
            } else if e.prev_hash != prev {
                Some(Break::Link { seq: e.seq })
            } else if chain_hash(&prev, e.seq, &e.draft) != e.hash {
                Some(Break::Content { seq: e.seq })
            } else {
                None
            };
            if let Some(b) = broken {
                return Ok(Verification {
                    events: expected - 1,
                    head: prev,
                    first_break: Some(b),
                });
            }
            prev = e.hash;
            expected += 1;
        }
        progress(expected - 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(action: &str) -> AuditDraft {
        AuditDraft {
            at: Timestamp::from_second(1_700_000_000).unwrap(),
            actor_user: None,
            actor_agency: None,
            action: action.to_owned(),
            object_kind: "report".to_owned(),
            object_id: "x".to_owned(),
            request_id: "r".to_owned(),
            purpose: None,
        }
    }

    #[test]
    fn every_field_and_the_position_change_the_hash() {
        let base = chain_hash(&GENESIS_HASH, 1, &draft("a"));
        assert_ne!(base, chain_hash(&GENESIS_HASH, 2, &draft("a")));
        assert_ne!(base, chain_hash(&[1; 32], 1, &draft("a")));
        assert_ne!(base, chain_hash(&GENESIS_HASH, 1, &draft("b")));
        let mut d = draft("a");
        d.purpose = Some(String::new());
        assert_ne!(base, chain_hash(&GENESIS_HASH, 1, &d));
        // Length prefixes keep field boundaries: moving a character between fields changes it.
        let mut e = draft("a");
        e.object_kind = "repor".to_owned();
        e.object_id = "tx".to_owned();
        assert_ne!(base, chain_hash(&GENESIS_HASH, 1, &e));
    }
}
