//! PLACEHOLDER: being written.
use crate::{NormalizeError, Normalized};
use warroom_domain::IdentifierKind;
pub(crate) fn normalize_imei(raw: &str) -> Result<Normalized, NormalizeError> {
    let _ = raw;
    Err(NormalizeError::invalid(
        IdentifierKind::Imei,
        "unsupported",
        "not written yet",
    ))
}
