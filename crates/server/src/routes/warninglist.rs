//! The warninglist: `GET /warninglist` (any user), `POST` and `DELETE` (admins).

use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller};
use crate::routes::parse_country;
use crate::{AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use warroom_node::NewWarning;
use warroom_store::WarningRecord;
use warroom_wire::ErrorJson;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WarningView {
    /// `kind:canonical`, or `kind:raw:REGION:value` for short codes.
    pub key: String,
    pub kind: String,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<uuid::Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub reason: String,
    /// `shipped` or `admin`.
    pub source: String,
    pub added_at: String,
}

impl From<WarningRecord> for WarningView {
    fn from(w: WarningRecord) -> Self {
        Self {
            key: w.key,
            kind: w.kind,
            value: w.value,
            entity: w.entity.map(|e| e.0),
            region: w.region.map(|r| r.to_string()),
            reason: w.reason,
            source: w.source,
            added_at: w.added_at.to_string(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWarningJson {
    pub kind: String,
    /// Any writing of the value.
    pub value: String,
    /// Region for national writings; the caller's agency's country by default.
    pub region: Option<String>,
    /// Why it must never correlate.
    pub reason: String,
}

impl crate::extract::RequestBody for NewWarningJson {}

/// Values that never correlate, with their reasons.
#[utoipa::path(get, path = "/warninglist", tag = "correlation", operation_id = "list_warninglist",
    responses((status = 200, body = Vec<WarningView>), (status = 401, body = ErrorJson)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<Vec<WarningView>>> {
    let node = state.node.clone();
    let list = blocking(move || node.warninglist(&actor)).await??;
    Ok(Json(list.into_iter().map(WarningView::from).collect()))
}

/// Add a value to the warninglist (admins).
#[utoipa::path(post, path = "/warninglist", tag = "correlation", operation_id = "add_warning",
    request_body = NewWarningJson,
    responses((status = 201, body = WarningView), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson),
        (status = 403, body = ErrorJson), (status = 422, body = ErrorJson)))]
pub async fn add(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<NewWarningJson>,
) -> ApiResult<(StatusCode, Json<WarningView>)> {
    let region = body
        .region
        .as_deref()
        .map(|r| parse_country("region", r))
        .transpose()?;
    let w = NewWarning {
        kind: body.kind,
        value: body.value,
        region,
        reason: body.reason,
    };
    let node = state.node.clone();
    let record = blocking(move || node.add_warning(&actor, &w)).await??;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// Remove a value from the warninglist (admins): it correlates again from now on.
#[utoipa::path(delete, path = "/warninglist/{key}", tag = "correlation", operation_id = "remove_warning",
    params(("key" = String, Path, description = "The entry's key (URL-encoded)")),
    responses((status = 204), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub async fn remove(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(key): Path<String>,
) -> ApiResult<StatusCode> {
    let node = state.node.clone();
    blocking(move || node.remove_warning(&actor, &key)).await??;
    Ok(StatusCode::NO_CONTENT)
}
