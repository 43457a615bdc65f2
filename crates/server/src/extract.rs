//! Request extractors: JSON bodies with field-exact errors, and who is calling.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use serde::de::DeserializeOwned;
use std::net::SocketAddr;
use warroom_node::Actor;
use warroom_wire::ReportIn;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "warroom_session";
/// The header that carries the session's CSRF token on unsafe requests.
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const PURPOSE_HEADER: &str = "x-warroom-purpose";

/// A JSON body. Refuses other content types (415), malformed JSON and wrong or unknown fields
/// (400, naming the field).
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: RequestBody, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                let mime = v
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            });
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as Content-Type: application/json",
            ));
        }
        let bytes = bytes::Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    format!(
                        "the body is larger than the limit of {} bytes",
                        crate::limits::MAX_JSON_BODY
                    ),
                )
            } else {
                ApiError::bad_request("unreadable_body", "the request body could not be read")
            }
        })?;
        T::parse(&bytes).map(ApiJson)
    }
}

/// Parses JSON and names the field where it fails. The body is one JSON value: anything but
/// whitespace after it is malformed, not ignored.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(serde_error)?;
    de.end().map_err(|e| {
        ApiError::bad_request(
            "malformed_json",
            format!("{} after the JSON value", serde_message(&e)),
        )
    })?;
    Ok(value)
}

/// Parses a report: JSON first, then the positions that must hold objects, then the fields.
pub fn parse_report(bytes: &[u8]) -> Result<ReportIn, ApiError> {
    let value: serde_json::Value = parse_json(bytes)?;
    if let Some((field, message)) = warroom_wire::report_shape_error(&value) {
        let err = ApiError::bad_request("wrong_type", message);
        return Err(if field.is_empty() {
            err
        } else {
            err.field(field)
        });
    }
    serde_path_to_error::deserialize(value).map_err(serde_error)
}

/// A request body type, and how it is parsed.
pub trait RequestBody: DeserializeOwned {
    fn parse(bytes: &[u8]) -> Result<Self, ApiError> {
        parse_json(bytes)
    }
}

impl RequestBody for ReportIn {
    fn parse(bytes: &[u8]) -> Result<Self, ApiError> {
        parse_report(bytes)
    }
}

fn serde_error(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let mut path = e.path().to_string();
    let inner = e.into_inner();
    let mut message = serde_message(&inner);
    // An error inside an entity carries its inner path as `at <path>: ` (see
    // `warroom_wire::EntityIn`).
    if let Some(rest) = message.strip_prefix("at ")
        && let Some((inner_path, msg)) = rest.split_once(": ")
    {
        if inner_path != "." {
            path = format!("{path}.{inner_path}");
        }
        message = msg.to_owned();
    }
    let code = match inner.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "malformed_json",
        serde_json::error::Category::Io => "unreadable_body",
        serde_json::error::Category::Data => {
            if message.starts_with("unknown field") {
                "unknown_field"
            } else if message.starts_with("missing field") {
                "missing_field"
            } else {
                "wrong_type"
            }
        }
    };
    // A path with unknown segments (`?`) names nothing a client can find.
    let mut field = (!path.is_empty() && path != "." && !path.contains('?')).then_some(path);
    // serde names a missing or unknown field in its message only; the path stops at the
    // enclosing object.
    if matches!(code, "missing_field" | "unknown_field")
        && let Some(name) = message.split('`').nth(1).filter(|n| !n.is_empty())
    {
        field = Some(match field {
            None => name.to_owned(),
            Some(p) if p == name || p.ends_with(&format!(".{name}")) => p,
            Some(p) => format!("{p}.{name}"),
        });
    }
    let err = ApiError::bad_request(code, message);
    match field {
        Some(f) => err.field(f),
        None => err,
    }
}

/// serde's message without its "at line 1 column 12" suffix, which says nothing to a client
/// that built the JSON from an object.
fn serde_message(e: &serde_json::Error) -> String {
    let message = e.to_string();
    message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned()
}

/// The caller, authenticated by `Authorization: Bearer <token>` or by the session cookie (and
/// then, on unsafe methods, the CSRF header).
#[derive(Debug, Clone)]
pub struct Caller(pub Actor);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let request_id = request_id(parts);
        // Purposes are written in any language: read the header as UTF-8, not only as the
        // visible ASCII that `HeaderValue::to_str` accepts.
        let purpose = parts
            .headers
            .get(PURPOSE_HEADER)
            .and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
            .map(|s| s.chars().take(500).collect::<String>());
        let node = state.node.clone();
        let auth = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let principal = if let Some(auth) = auth {
            // The scheme is case-insensitive (RFC 9110 section 11.1); the secret is not.
            let Some(secret) = auth
                .split_once(' ')
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, secret)| secret.trim().to_owned())
            else {
                return Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthenticated",
                    "use Authorization: Bearer <token>",
                ));
            };
            state.limits.check_token(&secret)?;
            // Most requests hit the node's short-lived token cache: no thread hop.
            match node.cached_token(&secret) {
                Some(p) => p,
                None => crate::blocking(move || node.authenticate_token(&secret)).await??,
            }
        } else if let Some(secret) = cookie(parts, SESSION_COOKIE) {
            let (session, principal) = crate::blocking(move || node.session(&secret)).await??;
            if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
                let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
                if sent != Some(session.csrf.as_str()) {
                    return Err(ApiError::new(
                        StatusCode::FORBIDDEN,
                        "csrf",
                        "send the session's CSRF token in the X-CSRF-Token header",
                    ));
                }
            }
            principal
        } else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "authentication required: send Authorization: Bearer <token>, or log in",
            ));
        };
        let mut actor = Actor::user(principal, request_id);
        actor.purpose = purpose;
        Ok(Caller(actor))
    }
}

/// The request id the request-id middleware put in place.
pub fn request_id(parts: &Parts) -> String {
    parts
        .extensions
        .get::<crate::middleware::RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default()
}

pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The client's address, for the login rate limit.
pub fn client_addr(parts: &Parts) -> Option<SocketAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
}
