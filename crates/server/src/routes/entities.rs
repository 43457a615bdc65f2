use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use crate::routes::parse_id;
use crate::{AppState, blocking};
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use warroom_domain::{CountryCode, EntityId};
use warroom_node::Lookup;
use warroom_wire::ErrorJson;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EntityView {
    pub id: uuid::Uuid,
    /// `phone`, `bank_account`, ..., `person`, `organisation` or `location`.
    pub kind: String,
    /// Canonical value; absent when asked by id and only held in reports the caller may not
    /// read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Sightings in reports the caller may read, per agency.
    pub sightings: Vec<SightingView>,
    /// Agencies holding the entity in reports the caller may not read: ask them through a
    /// request for information. Never includes AMBER+STRICT or RED holders.
    pub held_by: Vec<HeldByView>,
    /// Readable reports naming the entity, newest first (at most 100).
    pub reports: Vec<uuid::Uuid>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SightingView {
    pub agency: uuid::Uuid,
    pub reports: u64,
    pub first_seen: String,
    pub last_seen: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HeldByView {
    pub agency: uuid::Uuid,
    /// How to ask: `request_for_information`.
    pub ask: String,
}

impl From<Lookup> for EntityView {
    fn from(l: Lookup) -> Self {
        Self {
            id: l.id.0,
            kind: l.kind,
            value: l.value,
            sightings: l
                .sightings
                .into_iter()
                .map(|s| SightingView {
                    agency: s.agency.0,
                    reports: s.reports,
                    first_seen: s.first_seen.to_string(),
                    last_seen: s.last_seen.to_string(),
                })
                .collect(),
            held_by: l
                .held_by
                .into_iter()
                .map(|h| HeldByView {
                    agency: h.agency.0,
                    ask: "request_for_information".into(),
                })
                .collect(),
            reports: l.reports.into_iter().map(|r| r.0).collect(),
        }
    }
}

/// An entity by id, as far as the caller may know it.
#[utoipa::path(get, path = "/entities/{id}", tag = "entities", operation_id = "get_entity",
    params(("id" = String, Path, description = "Entity id")),
    responses((status = 200, body = EntityView), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub async fn get(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<EntityView>> {
    let id = EntityId(parse_id("id", &id)?);
    let node = state.node.clone();
    let answer = blocking(move || node.entity(&actor, id)).await??;
    Ok(Json(answer.commit_async(&state.node).await?.into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LookupQuery {
    /// Any writing of an identifier: `081-234-5678`, `hxxps://example[.]com`, an IBAN...
    pub value: String,
    /// The identifier kind; detected when absent.
    pub kind: Option<String>,
    /// The region national writings are read in; the caller's agency's country by default.
    pub region: Option<String>,
}

/// Look an identifier up in any writing: it is normalised, then found exactly.
#[utoipa::path(get, path = "/entities/lookup", tag = "entities", params(LookupQuery),
    responses((status = 200, body = EntityView), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson),
        (status = 404, description = "Nobody the caller may hear from holds it", body = ErrorJson),
        (status = 422, description = "The value is not a valid identifier", body = ErrorJson)))]
pub async fn lookup(
    State(state): State<AppState>,
    Caller(actor): Caller,
    query: Result<Query<LookupQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<EntityView>> {
    let Query(q) = query.map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))?;
    let region = q
        .region
        .as_deref()
        .map(|r| {
            CountryCode::parse(r).map_err(|_| {
                ApiError::bad_request("invalid_country", "an ISO 3166-1 alpha-2 code")
                    .field("region")
            })
        })
        .transpose()?;
    let node = state.node.clone();
    let answer =
        blocking(move || node.lookup_value(&actor, &q.value, q.kind.as_deref(), region)).await??;
    Ok(Json(answer.commit_async(&state.node).await?.into()))
}
