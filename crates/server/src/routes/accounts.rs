//! Agencies, users, sharing groups and API tokens.

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller};
use crate::routes::parse_id;
use crate::{AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::ToSchema;
use warroom_domain::{
    Agency, AgencyId, AgencyKind, CountryCode, GroupId, Role, SharingGroup, User, UserId,
};
use warroom_node::NewUser;
use warroom_store::{TokenId, TokenRecord};
use warroom_wire::ErrorJson;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AgencyView {
    pub id: uuid::Uuid,
    pub name: String,
    pub country: String,
    /// `police`, `immigration`, `financial_intelligence`, `bank`, `telco` or `ngo`.
    pub kind: String,
}

impl From<Agency> for AgencyView {
    fn from(a: Agency) -> Self {
        Self {
            id: a.id.0,
            name: a.name,
            country: a.country.as_str().to_owned(),
            kind: a.kind.as_str().to_owned(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgency {
    pub name: String,
    pub country: String,
    pub kind: String,
}

/// Every member agency.
#[utoipa::path(get, path = "/agencies", tag = "accounts", responses((status = 200, body = Vec<AgencyView>), (status = 401, body = ErrorJson)))]
pub async fn agencies(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<Vec<AgencyView>>> {
    let node = state.node.clone();
    Ok(Json(
        blocking(move || node.agencies(&actor))
            .await??
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Create an agency (admins).
#[utoipa::path(post, path = "/agencies", tag = "accounts", request_body = NewAgency,
    responses((status = 201, body = AgencyView), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson)))]
pub async fn create_agency(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(new): ApiJson<NewAgency>,
) -> ApiResult<(StatusCode, Json<AgencyView>)> {
    let country = CountryCode::parse(&new.country).map_err(|_| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_country",
            "an ISO 3166-1 alpha-2 code",
        )
        .field("country")
    })?;
    let kind = AgencyKind::parse(&new.kind).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_kind",
            "police, immigration, financial_intelligence, bank, telco or ngo",
        )
        .field("kind")
    })?;
    let node = state.node.clone();
    let agency = blocking(move || node.create_agency(&actor, &new.name, country, kind)).await??;
    Ok((StatusCode::CREATED, Json(agency.into())))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserView {
    pub id: uuid::Uuid,
    pub agency: uuid::Uuid,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub disabled: bool,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        Self {
            id: u.id.0,
            agency: u.agency.0,
            username: u.username,
            display_name: u.display_name,
            roles: u.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            disabled: u.disabled,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserJson {
    pub agency: uuid::Uuid,
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    /// `analyst`, `supervisor`, `admin`, `liaison`.
    pub roles: Vec<String>,
    /// Generated and returned once when absent.
    pub password: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreatedUser {
    pub user: UserView,
    /// The generated password, shown this once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// Users (admins).
#[utoipa::path(get, path = "/users", tag = "accounts", responses((status = 200, body = Vec<UserView>), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson)))]
pub async fn users(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<Vec<UserView>>> {
    let node = state.node.clone();
    Ok(Json(
        blocking(move || node.users(&actor, None))
            .await??
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

pub fn parse_roles(roles: &[String]) -> Result<BTreeSet<Role>, ApiError> {
    roles
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Role::parse(r).ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_role",
                    "analyst, supervisor, admin or liaison",
                )
                .field(format!("roles[{i}]"))
            })
        })
        .collect()
}

/// Create a user (admins).
#[utoipa::path(post, path = "/users", tag = "accounts", request_body = NewUserJson,
    responses((status = 201, body = CreatedUser), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson)))]
pub async fn create_user(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(new): ApiJson<NewUserJson>,
) -> ApiResult<(StatusCode, Json<CreatedUser>)> {
    let roles = parse_roles(&new.roles)?;
    let node = state.node.clone();
    let (user, password) = blocking(move || {
        node.create_user(
            &actor,
            NewUser {
                agency: AgencyId(new.agency),
                display_name: if new.display_name.is_empty() {
                    new.username.clone()
                } else {
                    new.display_name
                },
                username: new.username,
                roles,
                password: new.password,
            },
        )
    })
    .await??;
    Ok((
        StatusCode::CREATED,
        Json(CreatedUser {
            user: user.into(),
            password,
        }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub disabled: Option<bool>,
    /// Sets this password; `reset_password: true` generates one instead.
    pub password: Option<String>,
    #[serde(default)]
    pub reset_password: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PatchedUser {
    /// The generated password, shown this once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// Disable or enable a user, or set their password (admins).
#[utoipa::path(patch, path = "/users/{id}", tag = "accounts", request_body = UserPatch,
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = PatchedUser), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)))]
pub async fn patch_user(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<UserPatch>,
) -> ApiResult<Json<PatchedUser>> {
    let id = UserId(parse_id("id", &id)?);
    let node = state.node.clone();
    let password = blocking(move || {
        if let Some(d) = patch.disabled {
            node.set_disabled(&actor, id, d)?;
        }
        if patch.password.is_some() || patch.reset_password {
            return node.set_password(&actor, id, patch.password);
        }
        Ok(None)
    })
    .await??;
    Ok(Json(PatchedUser { password }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupView {
    pub id: uuid::Uuid,
    pub name: String,
    pub members: Vec<uuid::Uuid>,
}

impl From<SharingGroup> for GroupView {
    fn from(g: SharingGroup) -> Self {
        Self {
            id: g.id.0,
            name: g.name,
            members: g.members.iter().map(|m| m.0).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupJson {
    pub name: String,
    pub members: Vec<uuid::Uuid>,
}

/// Sharing groups.
#[utoipa::path(get, path = "/groups", tag = "accounts", responses((status = 200, body = Vec<GroupView>), (status = 401, body = ErrorJson)))]
pub async fn groups(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<Vec<GroupView>>> {
    let node = state.node.clone();
    Ok(Json(
        blocking(move || node.groups(&actor))
            .await??
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Create a sharing group (admins).
#[utoipa::path(post, path = "/groups", tag = "accounts", request_body = GroupJson,
    responses((status = 201, body = GroupView), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 422, body = ErrorJson)))]
pub async fn create_group(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(g): ApiJson<GroupJson>,
) -> ApiResult<(StatusCode, Json<GroupView>)> {
    let node = state.node.clone();
    let group = blocking(move || {
        node.put_group(
            &actor,
            None,
            &g.name,
            g.members.into_iter().map(AgencyId).collect(),
        )
    })
    .await??;
    Ok((StatusCode::CREATED, Json(group.into())))
}

/// Replace a sharing group's name and members (admins).
#[utoipa::path(put, path = "/groups/{id}", tag = "accounts", request_body = GroupJson,
    params(("id" = String, Path, description = "Group id")),
    responses((status = 200, body = GroupView), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 422, body = ErrorJson)))]
pub async fn put_group(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(g): ApiJson<GroupJson>,
) -> ApiResult<Json<GroupView>> {
    let id = GroupId(parse_id("id", &id)?);
    let node = state.node.clone();
    let group = blocking(move || {
        node.put_group(
            &actor,
            Some(id),
            &g.name,
            g.members.into_iter().map(AgencyId).collect(),
        )
    })
    .await??;
    Ok(Json(group.into()))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenView {
    pub id: uuid::Uuid,
    pub user: uuid::Uuid,
    pub name: String,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
}

impl From<TokenRecord> for TokenView {
    fn from(t: TokenRecord) -> Self {
        Self {
            id: t.id.0,
            user: t.user.0,
            name: t.name,
            created_at: t.created_at.to_string(),
            expires_at: t.expires_at.map(|e| e.to_string()),
            revoked_at: t.revoked_at.map(|e| e.to_string()),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub name: String,
    /// The user the token acts as; the caller by default (admins may name another).
    pub user: Option<uuid::Uuid>,
    /// RFC 3339; no expiry when absent.
    pub expires_at: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreatedToken {
    pub token: TokenView,
    /// The bearer secret, shown this once: only its hash is stored.
    pub secret: String,
}

/// The caller's tokens (admins: everyone's).
#[utoipa::path(get, path = "/tokens", tag = "accounts", responses((status = 200, body = Vec<TokenView>), (status = 401, body = ErrorJson)))]
pub async fn tokens(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<Vec<TokenView>>> {
    let node = state.node.clone();
    let all = actor.principal.as_ref().is_some_and(|p| p.has(Role::Admin));
    let me = actor.principal.as_ref().map(|p| p.user.id);
    let tokens = blocking(move || node.tokens(&actor, if all { None } else { me })).await??;
    Ok(Json(tokens.into_iter().map(Into::into).collect()))
}

/// Create an API token.
#[utoipa::path(post, path = "/tokens", tag = "accounts", request_body = NewToken,
    responses((status = 201, body = CreatedToken), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)))]
pub async fn create_token(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(new): ApiJson<NewToken>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    let expires = new
        .expires_at
        .as_deref()
        .map(|s| {
            s.parse::<jiff::Timestamp>().map_err(|_| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_time",
                    "an RFC 3339 time",
                )
                .field("expires_at")
            })
        })
        .transpose()?;
    let user = match (new.user, &actor.principal) {
        (Some(u), _) => UserId(u),
        (None, Some(p)) => p.user.id,
        (None, None) => {
            return Err(ApiError::bad_request("missing_field", "name the user").field("user"));
        }
    };
    let node = state.node.clone();
    let (token, secret) =
        blocking(move || node.create_token(&actor, user, &new.name, expires)).await??;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            token: token.into(),
            secret,
        }),
    ))
}

/// Revoke a token (its owner or an admin).
#[utoipa::path(delete, path = "/tokens/{id}", tag = "accounts", params(("id" = String, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = TokenId(parse_id("id", &id)?);
    let node = state.node.clone();
    blocking(move || node.revoke_token(&actor, id)).await??;
    Ok(StatusCode::NO_CONTENT)
}

impl crate::extract::RequestBody for NewAgency {}
impl crate::extract::RequestBody for NewUserJson {}
impl crate::extract::RequestBody for UserPatch {}
impl crate::extract::RequestBody for GroupJson {}
impl crate::extract::RequestBody for NewToken {}
