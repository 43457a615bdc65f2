//! Typed edges asserted by a report.

use crate::ids::EntityId;
use crate::report::Money;
use jiff::Timestamp;

#[derive(Clone, Debug, PartialEq)]
pub enum RelationshipKind {
    Uses,
    Owns,
    MemberOf,
    LocatedAt,
    Controls,
    Recruited,
    /// Money moved from source to target.
    TransferredTo {
        amount: Option<Money>,
        at: Option<Timestamp>,
    },
    /// A person travelled from the source location to the target, optionally via others.
    Travelled {
        via: Vec<EntityId>,
        at: Option<Timestamp>,
    },
    /// A victim was contacted by the source identifier.
    Contacted {
        at: Option<Timestamp>,
    },
}

impl RelationshipKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            RelationshipKind::Uses => "uses",
            RelationshipKind::Owns => "owns",
            RelationshipKind::MemberOf => "member_of",
            RelationshipKind::LocatedAt => "located_at",
            RelationshipKind::Controls => "controls",
            RelationshipKind::Recruited => "recruited",
            RelationshipKind::TransferredTo { .. } => "transferred_to",
            RelationshipKind::Travelled { .. } => "travelled",
            RelationshipKind::Contacted { .. } => "contacted",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Relationship {
    pub source: EntityId,
    pub target: EntityId,
    pub kind: RelationshipKind,
}
