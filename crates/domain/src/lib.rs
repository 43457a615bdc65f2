//! The warroom domain model (SPEC section 3): plain Rust types with their invariants.
//!
//! Architecture invariant: this crate does no I/O and knows no wire format. Types carry no
//! serde derives; the server, store and CLI convert explicitly at their edges.

pub mod agency;
pub mod case;
pub mod country;
pub mod entity;
pub mod identifier;
pub mod ids;
pub mod marking;
pub mod policy;
pub mod relationship;
pub mod report;
pub mod scam_method;
pub mod sighting;

pub use agency::{Agency, AgencyKind, Role, SharingGroup, User};
pub use case::{Case, Evidence, RequestForInformation, Task};
pub use country::{CountryCode, CountryError};
pub use entity::{
    Coordinates, Entity, Location, LocationKind, Organisation, OrganisationKind, PartialDate,
    Person, PersonName, Sex,
};
pub use identifier::{Identifier, IdentifierError, IdentifierKind};
pub use ids::{AgencyId, CaseId, EntityId, GroupId, ReportId, UserId};
pub use marking::{Distribution, Tlp, TlpError};
pub use relationship::{Relationship, RelationshipKind};
pub use report::{Advisory, Language, Money, Report, ReportKind};
pub use scam_method::ScamMethod;
pub use sighting::{Hit, Sighting};
