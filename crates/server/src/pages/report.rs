//! `/reports/{id}`: a report the viewer may read, and where else its identifiers are held
//! (the hits of the viewer's agency on them, as the rules let the viewer see them).

use super::context::{Page, render};
use super::dashboard::party;
use super::names::Names;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use std::collections::HashMap;
use warroom_domain::{EntityId, GroupId, ReportId};
use warroom_node::{HitFilter, NodeError};
use warroom_web::format;
use warroom_web::pages::Party;
use warroom_web::pages::report::{IdentifierRow, ReportPage};
use warroom_wire::EntityDoc;

/// Hits read per identifier for the "also held by" column.
const HITS_PER_IDENTIFIER: usize = 50;

#[derive(Deserialize)]
pub struct Params {
    #[serde(default)]
    submitted: Option<String>,
}

fn when(s: &str) -> String {
    s.parse::<jiff::Timestamp>()
        .map(format::when)
        .unwrap_or_else(|_| s.to_owned())
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    let Ok(id) = uuid::Uuid::parse_str(&id).map(ReportId) else {
        return page.error(&NodeError::NotFound("report"));
    };
    let node = state.node.clone();
    let actor = page.actor.clone();
    let loaded = crate::blocking(move || {
        let names = Names::load(&node, &actor)?;
        let report = node.report(&actor, id)?;
        let mut elsewhere: HashMap<EntityId, Vec<Party>> = HashMap::new();
        if node.index_ready()
            && let Some(body) = &report.body
        {
            let own = actor.principal()?.agency.id;
            for e in &body.entities {
                let EntityDoc::Identifier(i) = e else {
                    continue;
                };
                let Some(entity) = i.id.map(EntityId) else {
                    continue;
                };
                if elsewhere.contains_key(&entity) {
                    continue;
                }
                let filter = HitFilter {
                    entity: Some(entity),
                    ..HitFilter::default()
                };
                let hits = node
                    .hits(&actor, &filter, None, HITS_PER_IDENTIFIER)?
                    .commit(&node)?;
                let mut parties: Vec<Party> = Vec::new();
                for h in &hits.hits {
                    for s in h.counterparts.iter().chain(std::iter::once(&h.report)) {
                        let agency = match s {
                            warroom_node::Shown::Full { agency, .. }
                            | warroom_node::Shown::HeldBy { agency } => *agency,
                        };
                        let p = party(s, &names);
                        if agency != own && !parties.contains(&p) {
                            parties.push(p);
                        }
                    }
                }
                elsewhere.insert(entity, parties);
            }
        }
        Ok::<_, NodeError>((names, report, elsewhere))
    })
    .await;
    let (names, r, mut elsewhere) = match loaded {
        Ok(Ok(x)) => x,
        Ok(Err(e)) => return page.error(&e),
        Err(_) => return page.error(&NodeError::Unavailable("the node")),
    };
    let mut identifiers = Vec::new();
    let mut others = Vec::new();
    let (narrative, language) = match &r.body {
        Some(b) => {
            for e in &b.entities {
                match e {
                    EntityDoc::Identifier(i) => identifiers.push(IdentifierRow {
                        entity: i.id.map(|u| u.to_string()),
                        kind: i.kind.clone().unwrap_or_default(),
                        raw: i.raw.clone(),
                        canonical: i.canonical.clone().unwrap_or_default(),
                        elsewhere: i
                            .id
                            .and_then(|u| elsewhere.remove(&EntityId(u)))
                            .unwrap_or_default(),
                        noise: None,
                    }),
                    EntityDoc::Person(p) => others.push((
                        "person".into(),
                        p.names
                            .iter()
                            .map(|n| n.full.as_str())
                            .collect::<Vec<_>>()
                            .join(" / "),
                    )),
                    EntityDoc::Organisation(o) => {
                        others.push(("organisation".into(), o.name.clone()))
                    }
                    EntityDoc::Location(l) => others.push((l.kind.clone(), l.name.clone())),
                }
            }
            (b.narrative.clone(), b.language.clone().unwrap_or_default())
        }
        None => (String::new(), String::new()),
    };
    let mut distribution: Vec<String> = r
        .distribution
        .agencies
        .iter()
        .map(|a| names.agency(warroom_domain::AgencyId(*a)))
        .collect();
    distribution.extend(
        r.distribution
            .groups
            .iter()
            .map(|g| names.group(GroupId(*g))),
    );
    render(&ReportPage {
        chrome: page.chrome(""),
        id: r.id.to_string(),
        owner: names.agency(warroom_domain::AgencyId(r.owner)),
        kind: r.kind.clone(),
        marking: r.marking.clone(),
        distribution,
        methods: r.methods.clone(),
        victim_country: r.victim_country.clone().unwrap_or_default(),
        occurred_at: r.occurred_at.as_deref().map(when).unwrap_or_default(),
        reported_at: when(&r.reported_at),
        version: r.version,
        retracted: r.retracted_at.is_some(),
        hit_notices: r.hit_notices,
        narrative,
        language,
        identifiers,
        others,
        just_submitted: params.submitted.is_some(),
    })
}
