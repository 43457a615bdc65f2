//! Cross-agency hits: `GET /hits` (filters, paging) and the live `GET /hits/stream` (SSE).

use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use crate::routes::{parse_id, parse_time};
use crate::{AppState, blocking};
use axum::Json;
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::str::FromStr;
use utoipa::{IntoParams, ToSchema};
use warroom_domain::{AgencyId, EntityId};
use warroom_node::{Actor, Hit, HitFilter, HitKey, Node, Shown, Side};
use warroom_wire::ErrorJson;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HitsQuery {
    /// Only hits on this entity.
    pub entity: Option<String>,
    /// Only identifiers of this kind (`phone`, `bank_account`, ...).
    pub kind: Option<String>,
    /// Only hits where this agency is the other side.
    pub counterpart: Option<String>,
    /// `submitted` (your report met earlier holdings) or `held` (another agency's new report
    /// holds what you hold).
    pub side: Option<String>,
    /// RFC 3339; the later report's `reported_at` at or after.
    pub since: Option<String>,
    /// RFC 3339; before.
    pub until: Option<String>,
    /// `next` of the previous page.
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<usize>,
}

/// One side of a hit as the caller may see it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ShownView {
    pub agency: uuid::Uuid,
    /// The report, when the caller may read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<uuid::Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seen_at: Option<String>,
    /// `full` (the report is readable) or `held_by` (only that the agency holds something:
    /// ask it through a request for information).
    pub access: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HitView {
    /// Stable id of the hit, also the paging cursor.
    pub id: String,
    /// When the later report was made.
    pub at: String,
    pub entity: HitEntityView,
    /// `submitted` or `held`.
    pub side: String,
    /// The later report (the one that made the hit).
    pub report: ShownView,
    /// For `submitted`: the other agencies' earlier holdings; for `held`: your own.
    pub counterparts: Vec<ShownView>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HitEntityView {
    pub id: uuid::Uuid,
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HitsPageView {
    pub hits: Vec<HitView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

fn shown(s: &Shown) -> ShownView {
    match s {
        Shown::Full {
            report,
            agency,
            seen_at,
        } => ShownView {
            agency: agency.0,
            report: Some(report.0),
            seen_at: Some(seen_at.to_string()),
            access: "full".into(),
        },
        Shown::HeldBy { agency } => ShownView {
            agency: agency.0,
            report: None,
            seen_at: None,
            access: "held_by".into(),
        },
    }
}

pub fn hit_view(h: &Hit) -> HitView {
    HitView {
        id: h.key.to_string(),
        at: h.at.to_string(),
        entity: HitEntityView {
            id: h.entity.0,
            kind: h.kind.clone(),
            value: h.value.clone(),
        },
        side: match h.side {
            Side::Submitted => "submitted",
            Side::Held => "held",
        }
        .into(),
        report: shown(&h.report),
        counterparts: h.counterparts.iter().map(shown).collect(),
    }
}

fn filter(q: &HitsQuery) -> Result<HitFilter, ApiError> {
    Ok(HitFilter {
        entity: q
            .entity
            .as_deref()
            .map(|e| parse_id("entity", e).map(EntityId))
            .transpose()?,
        kind: q.kind.clone(),
        counterpart: q
            .counterpart
            .as_deref()
            .map(|a| parse_id("counterpart", a).map(AgencyId))
            .transpose()?,
        side: match q.side.as_deref() {
            None => None,
            Some("submitted") => Some(Side::Submitted),
            Some("held") => Some(Side::Held),
            Some(_) => {
                return Err(
                    ApiError::bad_request("invalid_side", "expected submitted or held")
                        .field("side"),
                );
            }
        },
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
    })
}

/// The caller's agency's hits, newest first, shaped by the sharing rules.
#[utoipa::path(get, path = "/hits", tag = "correlation", operation_id = "list_hits", params(HitsQuery),
    responses((status = 200, body = HitsPageView), (status = 400, body = ErrorJson), (status = 401, body = ErrorJson),
        (status = 503, description = "The identifier index is being built", body = ErrorJson)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    query: Result<Query<HitsQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<HitsPageView>> {
    let Query(q) = query.map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))?;
    let filter = filter(&q)?;
    let cursor = q
        .cursor
        .as_deref()
        .map(|c| {
            HitKey::from_str(c).map_err(|_| {
                ApiError::bad_request("invalid_cursor", "not a hit cursor").field("cursor")
            })
        })
        .transpose()?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=warroom_node::MAX_HITS_PAGE).contains(&limit) {
        return Err(ApiError::bad_request("invalid_limit", "limit is 1 to 200").field("limit"));
    }
    let node = state.node.clone();
    let page = blocking(move || node.hits(&actor, &filter, cursor, limit)).await??;
    let page = page.commit_async(&state.node).await?;
    Ok(Json(HitsPageView {
        hits: page.hits.iter().map(hit_view).collect(),
        next: page.next.map(|k| k.to_string()),
    }))
}

/// New hits of the caller's agency as they happen (Server-Sent Events). Each `hit` event's
/// data is a hit as in `GET /hits`; a `lagged` event says notices were missed (list again).
#[utoipa::path(get, path = "/hits/stream", tag = "correlation", operation_id = "stream_hits",
    responses((status = 200, description = "text/event-stream of `hit` and `lagged` events", content_type = "text/event-stream", body = String),
        (status = 401, body = ErrorJson)))]
pub async fn stream(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    actor.principal().map_err(ApiError::from)?;
    let node = state.node.clone();
    let stream = super::sse::events(state.node.subscribe_hits(), move |batch| {
        let (node, actor) = (node.clone(), actor.clone());
        async move {
            let mut out = Vec::new();
            for notice in batch.iter() {
                out.extend(shaped(&node, &actor, notice).await);
            }
            out
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

async fn shaped(node: &Node, actor: &Actor, notice: &warroom_node::NewHit) -> Option<Event> {
    let audited = node.hit_for(actor, notice)?;
    // Released only once its audit event is durable, like every other read.
    let hit = audited.commit_async(node).await.ok()?;
    let data = serde_json::to_string(&hit_view(&hit)).ok()?;
    Some(
        Event::default()
            .event("hit")
            .id(hit.key.to_string())
            .data(data),
    )
}
