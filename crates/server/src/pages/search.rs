//! `/search?q=`: one box for any identifier or text.

use super::context::{Page, render};
use super::names::Names;
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use warroom_node::{Lookup, NodeError, SearchRequest};
use warroom_web::pages::Party;
use warroom_web::pages::search::{EntityCard, ReportResult, Search, segments};
use warroom_web::{chrome::percent_encode, format};

/// Results per page.
const PAGE: usize = 20;

#[derive(Deserialize)]
pub struct Params {
    #[serde(default)]
    q: String,
    #[serde(default)]
    offset: usize,
}

pub fn noise_text(n: &warroom_node::Noise) -> String {
    match n {
        warroom_node::Noise::Warninglisted { reason, .. } => reason.clone(),
        warroom_node::Noise::Hub {
            reports, agencies, ..
        } => format!("hub: in {reports} reports of {agencies} agencies"),
    }
}

pub fn entity_card(l: &Lookup, names: &Names) -> EntityCard {
    EntityCard {
        id: l.id.0.to_string(),
        kind: l.kind.clone(),
        value: l.value.clone().unwrap_or_default(),
        sightings: l
            .sightings
            .iter()
            .map(|s| (names.agency(s.agency), s.reports))
            .collect(),
        held_by: l
            .held_by
            .iter()
            .map(|h| Party {
                agency: names.agency(h.agency),
                report: None,
            })
            .collect(),
        noise: l.noise.as_ref().map(noise_text),
        risk: l.risk.as_ref().map(|r| r.score.round() as u32),
    }
}

/// The page before (or instead of) a search: the box, and why the query was refused if it was.
fn unsearched(chrome: warroom_web::Chrome, q: String, error: Option<String>) -> Search {
    Search {
        chrome,
        q,
        normalized: None,
        entity: None,
        warnings: Vec::new(),
        reports: Vec::new(),
        next: None,
        error,
        searched: false,
    }
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let mut chrome = page.chrome("search");
    let Ok(Query(params)) = query else {
        return render(&unsearched(
            chrome,
            String::new(),
            Some("offset must be a whole number".into()),
        ));
    };
    let q = params.q.trim().to_owned();
    chrome.q = q.clone();
    if q.is_empty() {
        return render(&unsearched(chrome, q, None));
    }
    let node = state.node.clone();
    let actor = page.actor.clone();
    let request = SearchRequest {
        q: q.clone(),
        offset: params.offset,
        limit: PAGE,
        ..SearchRequest::default()
    };
    let answer = crate::blocking(move || {
        let names = Names::load(&node, &actor)?;
        let answer = node.search(&actor, &request)?.commit(&node)?;
        Ok::<_, NodeError>((names, answer))
    })
    .await;
    let (names, answer) = match answer {
        Ok(Ok(x)) => x,
        Ok(Err(e @ NodeError::Invalid(_))) => {
            return render(&unsearched(chrome, q, Some(e.to_string())));
        }
        Ok(Err(e)) => return page.error(&e),
        Err(_) => return page.error(&NodeError::Unavailable("the node")),
    };
    let next = answer
        .next_offset
        .map(|o| format!("/search?q={}&offset={o}", percent_encode(&q)));
    render(&Search {
        chrome,
        normalized: answer.normalized.clone(),
        entity: answer.identifier.as_ref().map(|l| entity_card(l, &names)),
        warnings: answer.warnings.iter().map(|w| w.reason.clone()).collect(),
        reports: answer
            .reports
            .iter()
            .map(|r| ReportResult {
                id: r.report.0.to_string(),
                owner: names.agency(r.owner),
                marking: r.marking.as_str().to_owned(),
                methods: r.methods.clone(),
                country: r.victim_country.map(|c| c.to_string()).unwrap_or_default(),
                at: format::when(r.reported_at),
                snippets: r
                    .highlights
                    .iter()
                    .map(|h| segments(&h.fragment, &h.ranges))
                    .collect(),
            })
            .collect(),
        next,
        error: None,
        searched: true,
        q,
    })
}
