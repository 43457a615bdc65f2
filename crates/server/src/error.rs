//! Every error the API answers with: `{"error": {"code", "message", "field"?}}` and a fitting
//! status. No handler builds an error response by hand.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use warroom_node::NodeError;
use warroom_store::StoreError;
use warroom_wire::{ErrorBody, ErrorJson, FieldError};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    pub details: Vec<FieldError>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
            field: None,
            details: Vec::new(),
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the node failed to answer; the error is in its log under this request's id",
        )
    }

    pub fn body(&self) -> ErrorJson {
        ErrorJson {
            error: ErrorBody {
                code: self.code.clone(),
                message: self.message.clone(),
                field: self.field.clone(),
                details: self.details.clone(),
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body())).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"warroom\""),
            );
        }
        response
    }
}

/// The HTTP status of a node error.
pub fn node_status(e: &NodeError) -> StatusCode {
    match e {
        NodeError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        NodeError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        NodeError::Forbidden(_) => StatusCode::FORBIDDEN,
        NodeError::NotFound(_) | NodeError::Store(StoreError::NotFound(_)) => StatusCode::NOT_FOUND,
        NodeError::Conflict(_) | NodeError::Store(StoreError::Conflict(_)) => StatusCode::CONFLICT,
        NodeError::Gone(_) => StatusCode::GONE,
        NodeError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        NodeError::Store(_) | NodeError::Corrupt(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<NodeError> for ApiError {
    fn from(e: NodeError) -> Self {
        let status = node_status(&e);
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %e, "node failure");
            return ApiError::internal();
        }
        let (field, details) = match &e {
            NodeError::Invalid(errors) => (
                errors
                    .first()
                    .and_then(|f| f.field.clone())
                    .filter(|f| !f.is_empty()),
                if errors.len() > 1 {
                    errors.clone()
                } else {
                    Vec::new()
                },
            ),
            _ => (None, Vec::new()),
        };
        ApiError {
            status,
            code: e.code().to_owned(),
            message: e.to_string(),
            field,
            details,
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
