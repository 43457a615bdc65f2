//! Analysts' verdicts on identifiers: confirmed, or a false positive. They move the risk score
//! (`warroom-correlate`'s risk terms), one verdict per analyst per identifier.

use crate::{Actor, Node, NodeError, Result};
use jiff::Timestamp;
use warroom_domain::{EntityId, Role};
use warroom_store::MarkRecord;

/// Longest note kept with a verdict.
pub const MAX_NOTE: usize = 2_000;

impl Node {
    /// Records the actor's verdict on an entity they can see (replacing their earlier one).
    pub fn mark_entity(
        &self,
        actor: &Actor,
        id: EntityId,
        verdict: &str,
        note: &str,
    ) -> Result<MarkRecord> {
        let p = actor.principal()?;
        if !(p.has(Role::Analyst) || p.has(Role::Supervisor)) {
            return Err(NodeError::Forbidden(
                "only analysts and supervisors mark identifiers",
            ));
        }
        if !matches!(verdict, "confirmed" | "false_positive") {
            return Err(NodeError::invalid(
                "verdict",
                "invalid_verdict",
                "expected confirmed or false_positive",
            ));
        }
        if note.chars().count() > MAX_NOTE {
            return Err(NodeError::invalid(
                "note",
                "too_long",
                format!("at most {MAX_NOTE} characters"),
            ));
        }
        // Only what the actor can see can be marked; the same NotFound as a lookup otherwise.
        // Checking is not reading it out, so the view is dropped unaudited on purpose: the
        // mark's own event records the access.
        self.entity_visible(actor, id)?;
        let mark = MarkRecord {
            entity: id,
            agency: p.agency.id,
            user: p.user.id,
            verdict: verdict.to_owned(),
            note: note.trim().to_owned(),
            at: Timestamp::now(),
        };
        self.store_ref()
            .put_mark(&mark, &actor.audit("entity.mark", "entity", id))?;
        self.after_noise_write();
        Ok(mark)
    }
}
