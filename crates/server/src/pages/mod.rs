//! The web pages: HTML for people, beside the JSON API for programs.
//!
//! Every page is rendered on the server from what the node answers for the logged-in user
//! (the node applies the sharing rules; nothing here filters). Pages authenticate with the
//! session cookie only; every form that changes something carries the session's CSRF token
//! and must come from this origin. Responses forbid inline scripts and any other host
//! (Content-Security-Policy), so a page cannot reach outside the node even if a template
//! were wrong.

mod admin;
mod assets;
mod context;
mod dashboard;
mod entity;
mod form;
mod login;
mod names;
mod report;
mod report_form;
mod search;

pub use context::Page;

use crate::AppState;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};

/// The page routes, with their security headers.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::show))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/lang", get(login::language))
        .route("/search", get(search::show))
        .route("/entities/{id}", get(entity::show))
        .route("/entities/{id}/marks", post(entity::mark))
        .route(
            "/reports/new",
            get(report_form::show).post(report_form::submit),
        )
        .route("/reports/{id}", get(report::show))
        .route("/admin", get(admin::show))
        .route("/admin/agencies", post(admin::create_agency))
        .route("/admin/users", post(admin::create_user))
        .route("/admin/users/{id}/disabled", post(admin::set_disabled))
        .route("/admin/groups", post(admin::create_group))
        .route("/admin/tokens", post(admin::create_token))
        .route("/admin/tokens/{id}/revoke", post(admin::revoke_token))
        .route("/admin/warninglist", post(admin::add_warning))
        .route("/admin/warninglist/remove", post(admin::remove_warning))
        .route("/assets/{hash}/{name}", get(assets::serve))
        .layer(axum::middleware::map_response(security_headers))
}

/// No inline script or style, nothing from another host, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
