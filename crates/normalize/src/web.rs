//! PLACEHOLDER: being written.
use crate::{NormalizeError, Normalized};
use warroom_domain::IdentifierKind;
pub(crate) fn normalize_url(raw: &str) -> Result<Normalized, NormalizeError> {
    let _ = raw;
    Err(NormalizeError::invalid(
        IdentifierKind::Url,
        "unsupported",
        "not written yet",
    ))
}
pub(crate) fn normalize_domain(raw: &str) -> Result<Normalized, NormalizeError> {
    let _ = raw;
    Err(NormalizeError::invalid(
        IdentifierKind::Domain,
        "unsupported",
        "not written yet",
    ))
}
