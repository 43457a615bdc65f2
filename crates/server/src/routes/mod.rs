//! The API's handlers, one module per resource. Each handler parses, calls the node (which
//! applies the sharing rules), and shapes the answer; none reads the store or filters itself.

pub mod accounts;
pub mod audit;
pub mod bulk;
pub mod entities;
pub mod hits;
pub mod index;
pub mod report_stream;
pub mod reports;
pub mod search;
pub mod session;
pub mod sse;
pub mod warninglist;

use crate::error::ApiError;
use axum::http::StatusCode;

/// Parses a path or query id, with a 400 naming the parameter.
pub fn parse_id(field: &str, s: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(s).map_err(|_| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_id", "not a UUID").field(field)
    })
}

/// Parses an RFC 3339 time parameter, with a 400 naming it.
pub fn parse_time(field: &str, s: &str) -> Result<jiff::Timestamp, ApiError> {
    s.parse()
        .map_err(|_| ApiError::bad_request("invalid_time", "an RFC 3339 time").field(field))
}

/// Parses an ISO 3166-1 alpha-2 parameter, with a 400 naming it.
pub fn parse_country(field: &str, s: &str) -> Result<warroom_domain::CountryCode, ApiError> {
    warroom_domain::CountryCode::parse(s).map_err(|_| {
        ApiError::bad_request("invalid_country", "an ISO 3166-1 alpha-2 code").field(field)
    })
}

/// Parses a report kind parameter, with a 400 naming it.
pub fn parse_report_kind(field: &str, s: &str) -> Result<warroom_domain::ReportKind, ApiError> {
    warroom_domain::ReportKind::parse(s)
        .ok_or_else(|| ApiError::bad_request("invalid_kind", "unknown report kind").field(field))
}
