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
    /// Why the identifier never correlates, when it does not: warninglisted (with the
    /// reason) or a hub. It stays searchable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noise: Option<NoiseView>,
    /// The risk score over what the caller may know, explained term by term; absent while
    /// the index is being built.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Option<RiskView>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NoiseView {
    /// `warninglisted` or `hub`.
    pub kind: String,
    /// A readable sentence: the warninglist entry's reason, or the hub's numbers.
    pub reason: String,
    /// `shipped`/`admin` for warninglist entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RiskView {
    /// 0 to 100.
    pub score: f64,
    pub terms: Vec<RiskTermView>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RiskTermView {
    pub name: String,
    /// What the term measured (agencies, days, marks...).
    pub input: f64,
    pub points: f64,
    pub max_points: f64,
    pub explanation: String,
}

pub fn noise_view(n: &warroom_node::Noise) -> NoiseView {
    match n {
        warroom_node::Noise::Warninglisted { reason, source } => NoiseView {
            kind: "warninglisted".into(),
            reason: reason.clone(),
            source: Some(source.clone()),
        },
        warroom_node::Noise::Hub {
            reports,
            agencies,
            threshold,
            ..
        } => NoiseView {
            kind: "hub".into(),
            reason: format!(
                "a hub: sighted in far more unrelated reports than any syndicate's (the \
                 threshold is {threshold} reports); you can see {reports} of its reports \
                 across {agencies} agencies"
            ),
            source: None,
        },
    }
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
            noise: l.noise.as_ref().map(noise_view),
            risk: l.risk.map(|r| RiskView {
                score: r.score,
                terms: r
                    .terms
                    .into_iter()
                    .map(|t| RiskTermView {
                        name: t.name.to_owned(),
                        input: t.input,
                        points: t.points,
                        max_points: t.max_points,
                        explanation: t.explanation,
                    })
                    .collect(),
            }),
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
    let answer = if state.node.index_ready() {
        // From memory in microseconds: no hop to the blocking pool.
        state.node.entity(&actor, id)?
    } else {
        let node = state.node.clone();
        blocking(move || node.entity(&actor, id)).await??
    };
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
    /// `explained` (default: the score and its terms), `score` (the score alone) or `none`
    /// (no risk computed: the leanest answer, for checking many numbers).
    pub risk: Option<String>,
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
    let (with_risk, terms) = match q.risk.as_deref() {
        None | Some("explained") => (true, true),
        Some("score") => (true, false),
        Some("none") => (false, false),
        Some(_) => {
            return Err(
                ApiError::bad_request("invalid_risk", "risk is explained, score or none")
                    .field("risk"),
            );
        }
    };
    let answer = if state.node.index_ready() {
        // Normalising and reading the index take microseconds: no hop to the blocking pool.
        state
            .node
            .lookup_value_with(&actor, &q.value, q.kind.as_deref(), region, with_risk)?
    } else {
        let node = state.node.clone();
        blocking(move || {
            node.lookup_value_with(&actor, &q.value, q.kind.as_deref(), region, with_risk)
        })
        .await??
    };
    let mut view: EntityView = answer.commit_async(&state.node).await?.into();
    if !terms && let Some(r) = view.risk.as_mut() {
        r.terms.clear();
    }
    Ok(Json(view))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NeighbourhoodQuery {
    /// Reports at most (1 to 50, default 20), the newest.
    pub limit: Option<usize>,
}

/// An entity's neighbourhood: the reports naming it that the caller reads in full, the entities
/// those reports name, and which report names which entity.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NeighbourhoodView {
    /// The entity asked about; also `entities[0]`.
    pub entity: uuid::Uuid,
    /// Newest first.
    pub reports: Vec<NeighbourReportView>,
    /// The entity asked about first, then in order of first appearance.
    pub entities: Vec<NeighbourEntityView>,
    pub edges: Vec<NeighbourEdgeView>,
    /// More readable reports name the entity than are listed (or, past 300 entities, some
    /// entities were left out).
    pub truncated: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NeighbourReportView {
    pub id: uuid::Uuid,
    /// The first words of the narrative.
    pub title: String,
    pub kind: String,
    /// The owner agency.
    pub owner: uuid::Uuid,
    pub owner_name: String,
    pub reported_at: String,
    pub marking: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NeighbourEntityView {
    pub id: uuid::Uuid,
    /// `phone`, `bank_account`, ..., `person`, `organisation` or `location`.
    pub kind: String,
    /// The canonical value of an identifier, the name of anything else; absent only for the
    /// entity asked about when the caller reads no report holding it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `warninglisted` or `hub` when the identifier never correlates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noise: Option<String>,
}

/// The report names the entity.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NeighbourEdgeView {
    pub report: uuid::Uuid,
    pub entity: uuid::Uuid,
}

impl From<warroom_node::Neighbourhood> for NeighbourhoodView {
    fn from(n: warroom_node::Neighbourhood) -> Self {
        Self {
            entity: n.centre.0,
            reports: n
                .reports
                .into_iter()
                .map(|r| NeighbourReportView {
                    id: r.id.0,
                    title: r.title,
                    kind: r.kind.as_str().to_owned(),
                    owner: r.owner.0,
                    owner_name: r.owner_name,
                    reported_at: r.reported_at.to_string(),
                    marking: r.marking.as_str().to_owned(),
                })
                .collect(),
            entities: n
                .entities
                .into_iter()
                .map(|e| NeighbourEntityView {
                    id: e.id.0,
                    kind: e.kind,
                    value: e.value,
                    noise: e.noise.map(|k| k.as_str().to_owned()),
                })
                .collect(),
            edges: n
                .edges
                .into_iter()
                .map(|(report, entity)| NeighbourEdgeView {
                    report: report.0,
                    entity: entity.0,
                })
                .collect(),
            truncated: n.truncated,
        }
    }
}

/// The entity's neighbourhood for the entity page's graph: its newest reports the caller reads
/// in full and every entity they name. Reports the caller may only hear of, or not at all, add
/// nothing.
#[utoipa::path(get, path = "/entities/{id}/neighbourhood", tag = "entities", operation_id = "get_entity_neighbourhood",
    params(("id" = String, Path, description = "Entity id"), NeighbourhoodQuery),
    responses((status = 200, body = NeighbourhoodView), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson),
        (status = 404, description = "Nobody the caller may hear from holds it", body = ErrorJson)))]
pub async fn neighbourhood(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    query: Result<Query<NeighbourhoodQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<NeighbourhoodView>> {
    let id = EntityId(parse_id("id", &id)?);
    let Query(q) = query.map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))?;
    let limit = q
        .limit
        .unwrap_or(warroom_node::DEFAULT_NEIGHBOURHOOD_REPORTS);
    if !(1..=warroom_node::MAX_NEIGHBOURHOOD_REPORTS).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_limit",
            format!("limit is 1 to {}", warroom_node::MAX_NEIGHBOURHOOD_REPORTS),
        )
        .field("limit"));
    }
    // The reports are read from the store: on the blocking pool.
    let node = state.node.clone();
    let answer = blocking(move || node.neighbourhood(&actor, id, limit)).await??;
    Ok(Json(answer.commit_async(&state.node).await?.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkJson {
    /// `confirmed` or `false_positive`.
    pub verdict: String,
    /// Why (at most 2,000 characters).
    #[serde(default)]
    pub note: String,
}

impl crate::extract::RequestBody for MarkJson {}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MarkView {
    pub entity: uuid::Uuid,
    pub agency: uuid::Uuid,
    pub user: uuid::Uuid,
    pub verdict: String,
    pub note: String,
    pub at: String,
}

/// Record your verdict on an identifier (analysts and supervisors); it moves the risk score.
#[utoipa::path(post, path = "/entities/{id}/marks", tag = "entities", operation_id = "mark_entity",
    params(("id" = String, Path, description = "Entity id")), request_body = MarkJson,
    responses((status = 201, body = MarkView), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson),
        (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)))]
pub async fn mark(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    crate::extract::ApiJson(body): crate::extract::ApiJson<MarkJson>,
) -> ApiResult<(axum::http::StatusCode, Json<MarkView>)> {
    let id = EntityId(parse_id("id", &id)?);
    let node = state.node.clone();
    let m = blocking(move || node.mark_entity(&actor, id, &body.verdict, &body.note)).await??;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(MarkView {
            entity: m.entity.0,
            agency: m.agency.0,
            user: m.user.0,
            verdict: m.verdict,
            note: m.note,
            at: m.at.to_string(),
        }),
    ))
}
