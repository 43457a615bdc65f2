use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller};
use crate::routes::parse_id;
use crate::{AppState, blocking};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use warroom_domain::{AgencyId, CountryCode, ReportId, ReportKind};
use warroom_node::Submitted;
use warroom_store::ReportFilter;
use warroom_wire::{ErrorJson, ReportIn, ReportOut};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SubmitAnswer {
    pub id: uuid::Uuid,
    /// `accepted` or `duplicate` (the same report was accepted before).
    pub status: String,
    pub version: u32,
}

/// Submit a report.
///
/// Identifiers are normalised in the owner agency's region. Re-sending a report with the same
/// `id` and content answers `duplicate` (200); the same `id` with other content is a conflict.
#[utoipa::path(post, path = "/reports", tag = "reports", request_body = ReportIn,
    responses(
        (status = 201, description = "Stored", body = SubmitAnswer),
        (status = 200, description = "Already stored", body = SubmitAnswer),
        (status = 400, description = "Malformed JSON, wrong type or unknown field", body = ErrorJson),
        (status = 401, description = "Not authenticated", body = ErrorJson),
        (status = 403, description = "The caller may not submit", body = ErrorJson),
        (status = 409, description = "The id belongs to another report", body = ErrorJson),
        (status = 422, description = "A field is invalid (its path is in `field`)", body = ErrorJson),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(input): ApiJson<ReportIn>,
) -> ApiResult<impl IntoResponse> {
    let node = state.node.clone();
    let outcome = blocking(move || node.submit(&actor, &input)).await??;
    Ok(match outcome {
        Submitted::Accepted { id, version } => (
            StatusCode::CREATED,
            [(header::LOCATION, format!("/api/v1/reports/{id}"))],
            Json(SubmitAnswer {
                id: id.0,
                status: "accepted".into(),
                version,
            }),
        )
            .into_response(),
        Submitted::Duplicate { id, version } => (
            StatusCode::OK,
            Json(SubmitAnswer {
                id: id.0,
                status: "duplicate".into(),
                version,
            }),
        )
            .into_response(),
    })
}

/// Read a report.
///
/// A report the caller may not read answers 404, exactly as one that does not exist.
#[utoipa::path(get, path = "/reports/{id}", tag = "reports", operation_id = "get_report",
    params(("id" = String, Path, description = "Report id")),
    responses(
        (status = 200, body = ReportOut),
        (status = 400, body = ErrorJson),
        (status = 401, body = ErrorJson),
        (status = 404, description = "No such report, or not readable by the caller", body = ErrorJson),
    ))]
pub async fn get(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let id = ReportId(parse_id("id", &id)?);
    let node = state.node.clone();
    let report = blocking(move || node.report(&actor, id)).await??;
    let etag = format!("\"{}\"", report.version);
    Ok(([(header::ETAG, etag)], Json(report)))
}

/// Every version of a report, oldest first.
#[utoipa::path(get, path = "/reports/{id}/versions", tag = "reports",
    params(("id" = String, Path, description = "Report id")),
    responses((status = 200, body = Vec<ReportOut>), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub async fn versions(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ReportOut>>> {
    let id = ReportId(parse_id("id", &id)?);
    let node = state.node.clone();
    Ok(Json(
        blocking(move || node.report_versions(&actor, id)).await??,
    ))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UpdateAnswer {
    pub id: uuid::Uuid,
    pub version: u32,
}

/// Replace a report with a new version (owner agency: its author or a supervisor).
///
/// Send `If-Match: "<version>"` to refuse the update when someone else changed it first.
#[utoipa::path(put, path = "/reports/{id}", tag = "reports", request_body = ReportIn,
    params(("id" = String, Path, description = "Report id"), ("If-Match" = Option<String>, Header, description = "The version the change is based on")),
    responses((status = 200, body = UpdateAnswer), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson),
        (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson),
        (status = 410, description = "Retracted", body = ErrorJson), (status = 422, body = ErrorJson)))]
pub async fn update(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ReportIn>,
) -> ApiResult<Json<UpdateAnswer>> {
    let id = ReportId(parse_id("id", &id)?);
    let expected = match headers.get(header::IF_MATCH) {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .map(|s| s.trim().trim_matches('"'))
                .and_then(|s| s.parse::<u32>().ok())
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "invalid_if_match",
                        "If-Match takes the version number, such as \"3\"",
                    )
                    .field("If-Match")
                })?,
        ),
    };
    let node = state.node.clone();
    let version = blocking(move || node.update_report(&actor, id, &input, expected)).await??;
    Ok(Json(UpdateAnswer { id: id.0, version }))
}

/// Retract a report: a tombstone that keeps its id, withholds its content and stops its
/// sightings from counting. Federation carries the retraction.
#[utoipa::path(delete, path = "/reports/{id}", tag = "reports",
    params(("id" = String, Path, description = "Report id")),
    responses((status = 204, description = "Retracted"), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub async fn retract(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = ReportId(parse_id("id", &id)?);
    let node = state.node.clone();
    blocking(move || node.retract_report(&actor, id)).await??;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Report kind.
    pub kind: Option<String>,
    /// Scam method slug.
    pub method: Option<String>,
    /// Victim country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// Owner agency id.
    pub agency: Option<String>,
    /// Reported at or after (RFC 3339).
    pub since: Option<String>,
    /// Reported before (RFC 3339).
    pub until: Option<String>,
    /// Include retracted reports (as tombstones).
    pub include_retracted: Option<bool>,
    /// `next` of the previous page.
    pub cursor: Option<u64>,
    /// At most this many reports (1 to 500, default 50).
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReportPage {
    pub reports: Vec<ReportOut>,
    /// Pass as `cursor` for the next page; absent on the last page. A page may hold fewer
    /// reports than `limit` when the caller may not read many in a row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<u64>,
}

/// List the reports the caller may read, newest first.
#[utoipa::path(get, path = "/reports", tag = "reports", operation_id = "list_reports", params(ListQuery),
    responses((status = 200, body = ReportPage), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<ReportPage>> {
    let Query(q) = query.map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))?;
    let time = |field: &str, v: &Option<String>| -> ApiResult<Option<jiff::Timestamp>> {
        v.as_deref()
            .map(|s| {
                s.parse().map_err(|_| {
                    ApiError::bad_request("invalid_time", "an RFC 3339 time").field(field)
                })
            })
            .transpose()
    };
    let filter = ReportFilter {
        kind: q
            .kind
            .as_deref()
            .map(|k| {
                ReportKind::parse(k).ok_or_else(|| {
                    ApiError::bad_request("invalid_kind", "unknown report kind").field("kind")
                })
            })
            .transpose()?,
        method: q.method.clone(),
        victim_country: q
            .country
            .as_deref()
            .map(|c| {
                CountryCode::parse(c).map_err(|_| {
                    ApiError::bad_request("invalid_country", "an ISO 3166-1 alpha-2 code")
                        .field("country")
                })
            })
            .transpose()?,
        owner: q
            .agency
            .as_deref()
            .map(|a| parse_id("agency", a).map(AgencyId))
            .transpose()?,
        since: time("since", &q.since)?,
        until: time("until", &q.until)?,
        include_retracted: q.include_retracted.unwrap_or(false),
    };
    let limit = q.limit.unwrap_or(50);
    if !(1..=warroom_node::limits::MAX_PAGE).contains(&limit) {
        return Err(ApiError::bad_request("invalid_limit", "limit is 1 to 500").field("limit"));
    }
    let node = state.node.clone();
    let page = blocking(move || node.list_reports(&actor, &filter, q.cursor, limit)).await??;
    Ok(Json(ReportPage {
        reports: page.items,
        next: page.next,
    }))
}
