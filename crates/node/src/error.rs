use warroom_store::StoreError;
use warroom_wire::FieldError;

/// What a node operation can fail with. The server maps each variant to one HTTP status.
///
/// Messages never carry the content of a report the caller may not read: a report that exists
/// but is hidden from the caller is `NotFound`, exactly like one that does not exist.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// The request is well-formed JSON but some fields are wrong; the first is the headline.
    #[error("{}", .0.first().map_or("invalid request", |e| e.message.as_str()))]
    Invalid(Vec<FieldError>),
    #[error("authentication required: {0}")]
    Unauthenticated(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Gone(&'static str),
    /// Not possible yet (an index still being built); try again shortly.
    #[error("{0}; try again shortly")]
    Unavailable(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored document this version cannot read.
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
}

impl NodeError {
    pub fn invalid(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        NodeError::Invalid(vec![FieldError::new(field, code, message)])
    }

    /// The stable code the API answers with.
    pub fn code(&self) -> &str {
        match self {
            NodeError::Invalid(errors) => errors.first().map_or("invalid", |e| e.code.as_str()),
            NodeError::Unauthenticated(_) => "unauthenticated",
            NodeError::Forbidden(_) => "forbidden",
            NodeError::NotFound(_) => "not_found",
            NodeError::Conflict(_) => "conflict",
            NodeError::Gone(_) => "gone",
            NodeError::Unavailable(_) => "unavailable",
            NodeError::Store(StoreError::Conflict(_)) => "conflict",
            NodeError::Store(StoreError::NotFound(_)) => "not_found",
            NodeError::Store(_) | NodeError::Corrupt(_) => "internal",
        }
    }
}

pub type Result<T, E = NodeError> = std::result::Result<T, E>;
