//! Password login with a server-side session, for the web pages.

use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, SESSION_COOKIE, client_addr, cookie, request_id};
use crate::routes::accounts::{AgencyView, UserView};
use crate::{AppState, blocking};
use axum::Json;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use warroom_node::Actor;
use warroom_wire::ErrorJson;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SessionView {
    pub user: UserView,
    pub agency: AgencyView,
    /// Send this in `X-CSRF-Token` on every unsafe request made with the session cookie.
    pub csrf: String,
    pub expires_at: String,
}

/// Log in; sets the session cookie (HttpOnly, SameSite=Strict).
#[utoipa::path(post, path = "/session", tag = "session", request_body = Login,
    responses((status = 200, body = SessionView), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson), (status = 429, body = ErrorJson)))]
pub async fn login(State(state): State<AppState>, req: Request) -> ApiResult<Response> {
    let (mut parts, body) = req.into_parts();
    let client = client_addr(&parts).map(|a| a.ip());
    let (limits, node) = (state.limits.clone(), state.node.clone());
    blocking(move || limits.check_login(&node, client)).await??;
    let rid = request_id(&parts);
    let ApiJson(login) =
        ApiJson::<Login>::from_request(Request::from_parts(parts.clone(), body), &state).await?;
    let _ = &mut parts;
    let node = state.node.clone();
    let (secret, session, principal) =
        blocking(move || node.login(&Actor::system(rid), &login.username, &login.password))
            .await??;
    let cookie = format!(
        "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        (session.expires_at - session.created_at).as_secs(),
        if state.secure_cookies { "; Secure" } else { "" }
    );
    let view = SessionView {
        user: principal.user.into(),
        agency: principal.agency.into(),
        csrf: session.csrf,
        expires_at: session.expires_at.to_string(),
    };
    Ok(([(header::SET_COOKIE, cookie)], Json(view)).into_response())
}

use axum::extract::FromRequest;

/// Log out: ends the session and clears the cookie.
#[utoipa::path(delete, path = "/session", tag = "session",
    responses((status = 204, description = "Logged out"), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson)))]
pub async fn logout(State(state): State<AppState>, req: Request) -> ApiResult<Response> {
    let (mut parts, _) = req.into_parts();
    let Caller(actor) = Caller::from_request_parts(&mut parts, &state).await?;
    if let Some(secret) = cookie(&parts, SESSION_COOKIE) {
        let node = state.node.clone();
        blocking(move || node.logout(&actor, &secret)).await??;
    }
    let clear = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Me {
    pub user: UserView,
    pub agency: AgencyView,
    pub groups: Vec<uuid::Uuid>,
}

/// Who the caller is.
#[utoipa::path(get, path = "/me", tag = "session", responses((status = 200, body = Me), (status = 401, body = ErrorJson)))]
pub async fn me(Caller(actor): Caller) -> ApiResult<Json<Me>> {
    let p = actor
        .principal
        .ok_or_else(crate::error::ApiError::internal)?;
    Ok(Json(Me {
        groups: p.viewer.groups.iter().map(|g| g.0).collect(),
        user: p.user.into(),
        agency: p.agency.into(),
    }))
}
impl crate::extract::RequestBody for Login {}
