//! PLACEHOLDER: being written.
use crate::{NormalizeError, Normalized};
use warroom_domain::IdentifierKind;
pub(crate) fn normalize(raw: &str) -> Result<Normalized, NormalizeError> {
    let _ = raw;
    Err(NormalizeError::invalid(
        IdentifierKind::Email,
        "unsupported",
        "not written yet",
    ))
}
