use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use crate::{AppState, blocking};
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use warroom_wire::ErrorJson;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Events after this sequence number.
    pub after: Option<u64>,
    /// At most this many (1 to 500, default 100).
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEventView {
    pub seq: u64,
    pub at: String,
    pub actor_user: Option<uuid::Uuid>,
    pub actor_agency: Option<uuid::Uuid>,
    pub action: String,
    pub object_kind: String,
    pub object_id: String,
    pub request_id: String,
    pub purpose: Option<String>,
    /// Hex SHA-256 chain hash of this event.
    pub hash: String,
}

/// The audit log of the caller's agency (supervisors and admins).
#[utoipa::path(get, path = "/audit", tag = "audit", operation_id = "list_audit_events", params(AuditQuery),
    responses((status = 200, body = Vec<AuditEventView>), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Vec<AuditEventView>>> {
    let Query(q) = query.map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=warroom_node::limits::MAX_PAGE).contains(&limit) {
        return Err(ApiError::bad_request("invalid_limit", "limit is 1 to 500").field("limit"));
    }
    let node = state.node.clone();
    let events = blocking(move || node.audit_events(&actor, q.after.unwrap_or(0), limit)).await??;
    Ok(Json(
        events
            .into_iter()
            .map(|e| AuditEventView {
                seq: e.seq,
                at: e.draft.at.to_string(),
                actor_user: e.draft.actor_user.map(|u| u.0),
                actor_agency: e.draft.actor_agency.map(|a| a.0),
                action: e.draft.action,
                object_kind: e.draft.object_kind,
                object_id: e.draft.object_id,
                request_id: e.draft.request_id,
                purpose: e.draft.purpose,
                hash: hex_encode(&e.hash),
            })
            .collect(),
    ))
}

fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
