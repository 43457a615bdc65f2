//! Login, logout and the language switch.

use super::context::{LANG_COOKIE, Page, lang, render, render_status};
use super::form::{FormData, MAX_FORM, same_origin};
use crate::AppState;
use crate::extract::{SESSION_COOKIE, client_addr, cookie, request_id};
use axum::body::to_bytes;
use axum::extract::{Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use warroom_node::Actor;
use warroom_web::Chrome;
use warroom_web::pages::login::Login;

/// Only a local path may be a redirect target (no `//host`, no scheme); anything outside
/// visible ASCII is percent-encoded so that it fits a `Location` header.
pub fn local(next: &str) -> String {
    if !next.starts_with('/') || next.starts_with("//") || next.starts_with("/\\") {
        return "/".into();
    }
    let mut out = String::with_capacity(next.len());
    for b in next.bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

pub async fn form(req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let Ok(Query(q)) = Query::<Next>::try_from_uri(&parts.uri) else {
        return Redirect::to("/login").into_response();
    };
    let chrome = Chrome::new(lang(&parts), parts.uri.path());
    render(&Login {
        chrome,
        next: local(q.next.as_deref().unwrap_or("/")),
        username: String::new(),
        error: None,
    })
}

pub async fn submit(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    if let Err(r) = same_origin(&parts.headers) {
        return *r;
    }
    let chrome = Chrome::new(lang(&parts), "/login");
    let tr = chrome.tr;
    let Ok(bytes) = to_bytes(body, MAX_FORM).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response();
    };
    let f = FormData::parse(&bytes);
    let (username, password) = (
        f.text("username"),
        f.get("password").unwrap_or("").to_owned(),
    );
    let next = local(&f.text("next"));
    let again = |error: String, status: StatusCode| {
        render_status(
            status,
            &Login {
                chrome: chrome.clone(),
                next: next.clone(),
                username: username.clone(),
                error: Some(error),
            },
        )
    };
    let client = client_addr(&parts).map(|a| a.ip());
    let (limits, node) = (state.limits.clone(), state.node.clone());
    match crate::blocking(move || limits.check_login(&node, client)).await {
        Ok(Ok(())) => {}
        _ => return again(tr.t("login-throttled"), StatusCode::TOO_MANY_REQUESTS),
    }
    let node = state.node.clone();
    let rid = request_id(&parts);
    let user = username.clone();
    let outcome = crate::blocking(move || node.login(&Actor::system(rid), &user, &password)).await;
    let Ok(Ok((secret, session, _))) = outcome else {
        return again(tr.t("login-failed"), StatusCode::UNAUTHORIZED);
    };
    let cookie = format!(
        "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        (session.expires_at - session.created_at).as_secs(),
        if state.secure_cookies { "; Secure" } else { "" }
    );
    (
        StatusCode::SEE_OTHER,
        [(header::SET_COOKIE, cookie), (header::LOCATION, next)],
    )
        .into_response()
}

pub async fn logout(State(state): State<AppState>, page: Page, req: Request) -> Response {
    let parts = match super::form::read(&page, req).await {
        Ok((parts, _)) => parts,
        Err(r) => return *r,
    };
    if let Some(secret) = cookie(&parts, SESSION_COOKIE) {
        let node = state.node.clone();
        let actor = page.actor.clone();
        if let Ok(Err(e)) = crate::blocking(move || node.logout(&actor, &secret)).await {
            return page.error(&e);
        }
    }
    let clear = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, clear),
            (header::LOCATION, "/login".to_owned()),
        ],
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct LangSwitch {
    to: String,
    back: Option<String>,
}

/// Sets the language cookie and goes back where the user was.
pub async fn language(State(state): State<AppState>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let Ok(Query(q)) = Query::<LangSwitch>::try_from_uri(&parts.uri) else {
        return Redirect::to("/").into_response();
    };
    let Some(lang) = warroom_web::Lang::from_tag(&q.to) else {
        return Redirect::to("/").into_response();
    };
    let back = local(q.back.as_deref().unwrap_or("/"));
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{}",
        lang.tag(),
        if state.secure_cookies { "; Secure" } else { "" }
    );
    (
        StatusCode::SEE_OTHER,
        [(header::SET_COOKIE, cookie), (header::LOCATION, back)],
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::local;

    #[test]
    fn redirects_stay_on_this_node() {
        assert_eq!(local("/search?q=1"), "/search?q=1");
        assert_eq!(local("//evil.example/x"), "/");
        assert_eq!(local("/\\evil.example"), "/");
        assert_eq!(local("https://evil.example"), "/");
        assert_eq!(local("/search?q=ไ b"), "/search?q=%E0%B9%84%20b");
        assert_eq!(local(""), "/");
    }
}
