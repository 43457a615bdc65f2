//! Answers that may leave the node only once their audit events are committed.

use crate::{Node, Result};
use warroom_store::AuditDraft;

/// A read's answer together with the audit events that must be durable before the caller
/// sees it. The answer is private: the only ways to it are [`Audited::commit`] and
/// [`Audited::commit_async`], so no path can hand out a read that was not audited.
#[must_use = "an audited answer is released only by committing its audit events"]
#[derive(Debug)]
pub struct Audited<T> {
    answer: T,
    events: Vec<AuditDraft>,
}

impl<T> Audited<T> {
    pub(crate) fn new(answer: T, events: Vec<AuditDraft>) -> Self {
        Self { answer, events }
    }

    /// Commits the events (grouped with other readers' in one transaction), blocking the
    /// thread until they are durable, then gives the answer.
    pub fn commit(self, node: &Node) -> Result<T> {
        node.inner.audit.append(self.events)?;
        Ok(self.answer)
    }

    /// [`Audited::commit`] without holding a thread while the events are written.
    pub async fn commit_async(self, node: &Node) -> Result<T> {
        node.inner.audit.append_async(self.events).await?;
        Ok(self.answer)
    }
}

impl<T> Audited<T> {
    /// The answer and its events, for a node operation that folds one audited read into a
    /// larger answer (whose own `Audited` carries the events on).
    pub(crate) fn into_parts(self) -> (T, Vec<AuditDraft>) {
        (self.answer, self.events)
    }
}
