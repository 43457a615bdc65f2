//! Typed identifiers. Every object id is a UUID; a newtype per object keeps them apart.

use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random (v4) id.
            pub fn random() -> Self {
                Self(Uuid::new_v4())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// An agency (a police force, bank, telco...).
    AgencyId
);
id_type!(
    /// A user account; belongs to exactly one agency.
    UserId
);
id_type!(
    /// A named set of agencies.
    GroupId
);
id_type!(
    /// A report, the unit of contribution. Clients may choose it, which makes
    /// re-submission idempotent.
    ReportId
);
id_type!(
    /// An entity. For identifier entities it is derived from the canonical form
    /// (see [`crate::Identifier::entity_id`]), so two nodes that never talked agree on it.
    EntityId
);
id_type!(
    /// A joint investigation.
    CaseId
);
