//! The JSON shapes of reports, shared by everything that reads or writes them: the HTTP API,
//! `warroom import` (NDJSON, one [`ReportIn`] per line), the demo generator, and the store, which
//! keeps a report's [`ReportBody`] as its document.
//!
//! Architecture invariant: these types only describe shapes. Values stay strings here (kinds,
//! markings, times, countries); the node validates them into domain types and answers with the
//! exact field that is wrong, so that a client sees `entities[2].value`, not a serde message.
//! Unknown fields are refused everywhere: a misspelt `marking` must not silently become a
//! default.

mod entity;
mod error;
mod report;

pub use entity::{
    ENTITY_TYPES, EntityDoc, EntityIn, IdentifierDoc, IdentifierIn, LocationJson, NameJson,
    OrganisationJson, PersonJson,
};
pub use error::{ErrorBody, ErrorJson, FieldError};
pub use report::{
    DistributionJson, MoneyJson, RelationshipJson, ReportBody, ReportIn, ReportOut,
    report_shape_error,
};
