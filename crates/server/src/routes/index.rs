//! `GET /index`: the identifier and full-text indexes' rebuild progress and size.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::Caller;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use warroom_node::IndexState;
use warroom_wire::ErrorJson;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IndexStatusView {
    /// `off`, `building` or `ready`.
    pub state: String,
    /// The rest is for admins only: node-wide counts include reports other agencies may
    /// not know of. Report changes applied so far in the rebuild, and how many there are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// Change-log position reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reports: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entities: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sightings: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_documents: Option<u64>,
    /// Segments full-text searches read: a handful after a rebuild; many while tantivy has
    /// merges to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_segments: Option<u64>,
}

/// Whether the indexes are ready; with progress and sizes for admins.
#[utoipa::path(get, path = "/index", tag = "correlation", operation_id = "index_status",
    responses((status = 200, body = IndexStatusView), (status = 401, body = ErrorJson)))]
pub async fn status(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<IndexStatusView>> {
    let admin = actor
        .principal()
        .map_err(crate::error::ApiError::from)?
        .has(warroom_domain::Role::Admin);
    let s = state.node.index_status();
    let only_admin = |n: u64| admin.then_some(n);
    Ok(Json(IndexStatusView {
        state: match s.state {
            IndexState::Off => "off",
            IndexState::Building => "building",
            IndexState::Ready => "ready",
        }
        .into(),
        applied: only_admin(s.applied),
        total: only_admin(s.total),
        rev: only_admin(s.rev),
        reports: only_admin(s.reports),
        entities: only_admin(s.entities),
        sightings: only_admin(s.sightings),
        search_documents: only_admin(s.search_documents),
        search_segments: only_admin(s.search_segments),
    }))
}
