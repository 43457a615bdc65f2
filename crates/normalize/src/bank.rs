//! PLACEHOLDER: being written.
use crate::{NormalizeError, Normalized};
use warroom_domain::IdentifierKind;
pub(crate) fn normalize(raw: &str, _ctx: &crate::Context) -> Result<Normalized, NormalizeError> {
    let _ = raw;
    Err(NormalizeError::invalid(
        IdentifierKind::BankAccount,
        "unsupported",
        "not written yet",
    ))
}
