//! Why a value is not a valid identifier.

use warroom_domain::IdentifierKind;

/// A typed refusal. `code` values are stable (API clients match on them); `message` is for
/// people and never repeats more of the input than the caller gave.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NormalizeError {
    #[error("empty value")]
    Empty,
    #[error("value longer than {max} bytes")]
    TooLong { max: usize },
    #[error("not a valid {kind}: {message}")]
    Invalid {
        kind: IdentifierKind,
        code: &'static str,
        message: String,
    },
    #[error("not recognised as any kind of identifier")]
    Unrecognised,
}

impl NormalizeError {
    pub(crate) fn invalid(
        kind: IdentifierKind,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self::Invalid {
            kind,
            code,
            message: message.into(),
        }
    }

    /// A stable machine-readable code: `empty`, `too_long`, `unrecognised`, or the kind's own
    /// (`bad_checksum`, `too_short`, `unknown_region`...).
    pub fn code(&self) -> &'static str {
        match self {
            NormalizeError::Empty => "empty",
            NormalizeError::TooLong { .. } => "too_long",
            NormalizeError::Invalid { code, .. } => code,
            NormalizeError::Unrecognised => "unrecognised",
        }
    }
}
