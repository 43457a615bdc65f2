//! The API's handlers, one module per resource. Each handler parses, calls the node (which
//! applies the sharing rules), and shapes the answer; none reads the store or filters itself.

pub mod accounts;
pub mod audit;
pub mod bulk;
pub mod entities;
pub mod reports;
pub mod session;

use crate::error::ApiError;
use axum::http::StatusCode;

/// Parses a path or query id, with a 400 naming the parameter.
pub fn parse_id(field: &str, s: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(s).map_err(|_| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_id", "not a UUID").field(field)
    })
}
