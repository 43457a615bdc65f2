//! `GET /search`: any identifier in any writing, or free text in th, ja, hi, en.

use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use crate::routes::entities::EntityView;
use crate::routes::warninglist::WarningView;
use crate::routes::{parse_country, parse_id, parse_report_kind, parse_time};
use crate::{AppState, blocking};
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use warroom_domain::AgencyId;
use warroom_node::{SearchRequest, TextResult};
use warroom_wire::ErrorJson;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// An identifier in any writing (`081-234-5678`, `hxxps://example[.]com`), or words.
    pub q: String,
    /// Scam method slug.
    pub method: Option<String>,
    /// Victim country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// Owner agency id.
    pub agency: Option<String>,
    /// Report kind.
    pub kind: Option<String>,
    /// Reported at or after (RFC 3339).
    pub since: Option<String>,
    /// Reported before (RFC 3339).
    pub until: Option<String>,
    /// Results to skip (0 to 10000).
    pub offset: Option<usize>,
    /// 1 to 100, default 20.
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HighlightView {
    /// A piece of the narrative around the match.
    pub fragment: String,
    /// Byte ranges of the matched words inside `fragment`.
    pub ranges: Vec<[usize; 2]>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SearchResultView {
    pub report: uuid::Uuid,
    pub owner: uuid::Uuid,
    pub kind: String,
    pub marking: String,
    pub methods: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub victim_country: Option<String>,
    pub reported_at: String,
    pub score: f32,
    pub highlights: Vec<HighlightView>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SearchView {
    /// `identifier` when the query normalised to one, else `text`.
    pub mode: String,
    /// How the query was read as an identifier: `{kind, value}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub normalized: Option<NormalizedView>,
    /// The identifier, when the caller may learn of it; absent if nobody they may hear from
    /// holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<EntityView>,
    /// Warninglist entries the query is (short codes that never become identifiers).
    pub warnings: Vec<WarningView>,
    pub reports: Vec<SearchResultView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_offset: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NormalizedView {
    pub kind: String,
    pub value: String,
}

fn result_view(r: TextResult) -> SearchResultView {
    SearchResultView {
        report: r.report.0,
        owner: r.owner.0,
        kind: r.kind.as_str().to_owned(),
        marking: r.marking.to_string(),
        methods: r.methods,
        victim_country: r.victim_country.map(|c| c.to_string()),
        reported_at: r.reported_at.to_string(),
        score: r.score,
        highlights: r
            .highlights
            .into_iter()
            .map(|h| HighlightView {
                fragment: h.fragment,
                ranges: h.ranges.into_iter().map(|r| [r.start, r.end]).collect(),
            })
            .collect(),
    }
}

/// Search identifiers and report narratives; every result passes the sharing rules.
#[utoipa::path(get, path = "/search", tag = "correlation", operation_id = "search", params(SearchQuery),
    responses((status = 200, body = SearchView), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson),
        (status = 422, description = "Empty or too long query", body = ErrorJson),
        (status = 503, description = "The full-text index is being built", body = ErrorJson)))]
pub async fn search(
    State(state): State<AppState>,
    Caller(actor): Caller,
    query: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<SearchView>> {
    let Query(q) = query.map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))?;
    let limit = q.limit.unwrap_or(20);
    if !(1..=warroom_node::MAX_SEARCH_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request("invalid_limit", "limit is 1 to 100").field("limit"));
    }
    let request = SearchRequest {
        q: q.q,
        method: q.method,
        victim_country: q
            .country
            .as_deref()
            .map(|c| parse_country("country", c))
            .transpose()?,
        agency: q
            .agency
            .as_deref()
            .map(|a| parse_id("agency", a).map(AgencyId))
            .transpose()?,
        kind: q
            .kind
            .as_deref()
            .map(|k| parse_report_kind("kind", k))
            .transpose()?,
        since: q
            .since
            .as_deref()
            .map(|t| parse_time("since", t))
            .transpose()?,
        until: q
            .until
            .as_deref()
            .map(|t| parse_time("until", t))
            .transpose()?,
        offset: q.offset.unwrap_or(0),
        limit,
    };
    let node = state.node.clone();
    let answer = blocking(move || node.search(&actor, &request)).await??;
    let answer = answer.commit_async(&state.node).await?;
    Ok(Json(SearchView {
        mode: if answer.normalized.is_some() {
            "identifier"
        } else {
            "text"
        }
        .into(),
        normalized: answer
            .normalized
            .map(|(kind, value)| NormalizedView { kind, value }),
        entity: answer.identifier.map(EntityView::from),
        warnings: answer.warnings.into_iter().map(WarningView::from).collect(),
        reports: answer.reports.into_iter().map(result_view).collect(),
        next_offset: answer.next_offset,
    }))
}
