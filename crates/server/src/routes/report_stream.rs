//! `GET /reports/stream`: new reports the caller may read, as they are stored.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use utoipa::ToSchema;
use warroom_node::{Actor, NewReport, Node, ReportNotices};
use warroom_wire::ErrorJson;

/// A new report (or a new version of one) the caller may read in full.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NewReportView {
    pub id: uuid::Uuid,
    pub owner: uuid::Uuid,
    pub kind: String,
    pub marking: String,
    pub methods: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub victim_country: Option<String>,
    pub reported_at: String,
    pub version: u32,
    /// Identifiers the report names.
    pub identifiers: usize,
}

fn view(r: &NewReport) -> NewReportView {
    NewReportView {
        id: r.id.0,
        owner: r.owner.0,
        kind: r.kind.as_str().to_owned(),
        marking: r.marking.as_str().to_owned(),
        methods: r.methods.clone(),
        victim_country: r.victim_country.map(|c| c.to_string()),
        reported_at: r.reported_at.to_string(),
        version: r.version,
        identifiers: r.identifiers,
    }
}

/// New reports the caller may read in full, as they are stored by any process of the node
/// (Server-Sent Events). Each `report` event's data is a summary; read the report itself at
/// `/reports/{id}`. A `lagged` event says notices were missed (list `/reports` again).
#[utoipa::path(get, path = "/reports/stream", tag = "reports", operation_id = "stream_reports",
    responses((status = 200, description = "text/event-stream of `report` and `lagged` events", content_type = "text/event-stream", body = String),
        (status = 401, body = ErrorJson)))]
pub async fn stream(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    actor.principal().map_err(ApiError::from)?;
    let node = state.node.clone();
    let stream = super::sse::events(state.node.subscribe_reports(), move |batch| {
        let (node, actor) = (node.clone(), actor.clone());
        async move { shaped(&node, &actor, &batch).await }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

async fn shaped(node: &Node, actor: &Actor, batch: &ReportNotices) -> Vec<Event> {
    // Released only once the audit events are durable, like every other read.
    let Ok(reports) = node.reports_for(actor, batch).commit_async(node).await else {
        return Vec::new();
    };
    reports
        .iter()
        .filter_map(|r| {
            let data = serde_json::to_string(&view(r)).ok()?;
            Some(
                Event::default()
                    .event("report")
                    .id(format!("{}.{}", r.id.0, r.version))
                    .data(data),
            )
        })
        .collect()
}
