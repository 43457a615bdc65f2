//! What every page handler starts from: the language, and the logged-in user with the
//! session's CSRF token. A page without a valid session redirects to the login form.

use crate::AppState;
use crate::extract::{SESSION_COOKIE, cookie, request_id};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use warroom_domain::Role;
use warroom_node::{Actor, NodeError, Principal};
use warroom_web::pages::Template;
use warroom_web::pages::error::ErrorPage;
use warroom_web::{Chrome, Lang, UserChrome};

/// The cookie that keeps the chosen language.
pub const LANG_COOKIE: &str = "warroom_lang";

/// The language of a request: the cookie, else `Accept-Language`.
pub fn lang(parts: &Parts) -> Lang {
    cookie(parts, LANG_COOKIE)
        .and_then(|c| Lang::from_tag(&c))
        .unwrap_or_else(|| {
            Lang::negotiate(
                parts
                    .headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            )
        })
}

fn path_and_query(parts: &Parts) -> String {
    parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into())
}

/// A logged-in user's page request.
#[derive(Debug)]
pub struct Page {
    pub actor: Actor,
    pub principal: Principal,
    pub chrome: Chrome,
    pub csrf: String,
}

impl Page {
    pub fn tr(&self) -> warroom_web::Tr {
        self.chrome.tr
    }

    /// The chrome, marked with the current navigation entry.
    pub fn chrome(&self, nav: &'static str) -> Chrome {
        let mut c = self.chrome.clone();
        c.nav = nav;
        c
    }

    /// An error page in the user's language.
    pub fn error(&self, e: &NodeError) -> Response {
        error_page(self.chrome.clone(), status_of(e), e)
    }

    /// Checks a form's CSRF token against the session's.
    pub fn check_csrf(&self, sent: Option<&str>) -> Result<(), Box<Response>> {
        if sent.is_some_and(|s| constant_time_eq(s.as_bytes(), self.csrf.as_bytes())) {
            Ok(())
        } else {
            let mut chrome = self.chrome.clone();
            chrome.flash = None;
            let tr = chrome.tr;
            Err(Box::new(render_status(
                StatusCode::FORBIDDEN,
                &ErrorPage {
                    chrome,
                    status: 403,
                    title: tr.t("error-forbidden-title"),
                    message: tr.t("error-csrf"),
                },
            )))
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn status_of(e: &NodeError) -> StatusCode {
    crate::error::node_status(e)
}

/// The error page for a node error: the message never says more than the API would.
pub fn error_page(chrome: Chrome, status: StatusCode, e: &NodeError) -> Response {
    let tr = chrome.tr;
    let (title, message) = match status {
        StatusCode::NOT_FOUND => (tr.t("error-not-found-title"), tr.t("error-not-found")),
        StatusCode::FORBIDDEN => (tr.t("error-forbidden-title"), tr.t("error-forbidden")),
        StatusCode::SERVICE_UNAVAILABLE => {
            (tr.t("error-unavailable-title"), tr.t("error-unavailable"))
        }
        s if s.is_client_error() => (tr.t("error-bad-request-title"), e.to_string()),
        _ => {
            tracing::error!(error = %e, "page failed");
            (tr.t("error-internal-title"), tr.t("error-internal"))
        }
    };
    render_status(
        status,
        &ErrorPage {
            chrome,
            status: status.as_u16(),
            title,
            message,
        },
    )
}

/// Renders a page (200).
pub fn render(t: &impl Template) -> Response {
    render_status(StatusCode::OK, t)
}

pub fn render_status(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page failed to render",
            )
                .into_response()
        }
    }
}

impl FromRequestParts<AppState> for Page {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let here = path_and_query(parts);
        let lang = lang(parts);
        let login = Redirect::to(&format!(
            "/login?next={}",
            warroom_web::chrome::percent_encode(&here)
        ))
        .into_response();
        let Some(secret) = cookie(parts, SESSION_COOKIE) else {
            return Err(login);
        };
        let node = state.node.clone();
        let (session, principal) = match crate::blocking(move || node.session(&secret)).await {
            Ok(Ok(s)) => s,
            Ok(Err(_)) => return Err(login),
            Err(_) => return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        };
        let mut chrome = Chrome::new(lang, &here);
        chrome.csrf = session.csrf.clone();
        let agency_short = short_name(&principal.agency.name);
        chrome.user = Some(UserChrome {
            name: if principal.user.display_name.is_empty() {
                principal.user.username.clone()
            } else {
                principal.user.display_name.clone()
            },
            agency: principal.agency.name.clone(),
            agency_short,
            is_admin: principal.has(Role::Admin),
            may_submit: principal.has(Role::Analyst) || principal.has(Role::Supervisor),
        });
        let actor = Actor::user(principal.clone(), request_id(parts));
        Ok(Page {
            actor,
            principal,
            chrome,
            csrf: session.csrf,
        })
    }
}

/// An agency's short form for the header: the text in its last parentheses, or the name.
pub fn short_name(name: &str) -> String {
    name.rsplit_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(short, _)| short.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| name.to_owned())
}
