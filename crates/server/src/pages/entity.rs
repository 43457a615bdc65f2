//! `/entities/{id}`: an identifier's forms, sightings over time, risk, reports and its
//! neighbourhood graph; and the confirm / false-positive marks.

use super::context::{Page, render};
use super::form;
use super::names::Names;
use super::search::noise_text;
use crate::AppState;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use warroom_domain::{EntityId, Role};
use warroom_node::{EntityReport, Lookup, NodeError};
use warroom_web::chart::{Series, TimeChart, stacked_bars};
use warroom_web::format;
use warroom_web::pages::entity::{EntityPage, EntityReportRow, RiskBox, RiskTermRow, SightingRow};

fn parse(id: &str) -> Result<EntityId, NodeError> {
    uuid::Uuid::parse_str(id)
        .map(EntityId)
        .map_err(|_| NodeError::NotFound("entity"))
}

pub async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Response {
    let id = match parse(&id) {
        Ok(id) => id,
        Err(e) => return page.error(&e),
    };
    let node = state.node.clone();
    let actor = page.actor.clone();
    let loaded = crate::blocking(move || {
        let names = Names::load(&node, &actor)?;
        let lookup = node.entity(&actor, id)?.commit(&node)?;
        let reports = node
            .entity_reports(&actor, id, &lookup.reports)?
            .commit(&node)?;
        Ok::<_, NodeError>((names, lookup, reports))
    })
    .await;
    let (names, lookup, reports) = match loaded {
        Ok(Ok(x)) => x,
        Ok(Err(e)) => return page.error(&e),
        Err(_) => return page.error(&NodeError::Unavailable("the node")),
    };
    let tr = page.tr();
    let may_mark = page.principal.has(Role::Analyst) || page.principal.has(Role::Supervisor);
    render(&EntityPage {
        chrome: page.chrome(""),
        id: id.0.to_string(),
        kind: lookup.kind.clone(),
        value: lookup.value.clone(),
        raw_forms: raw_forms(&reports),
        sightings: sightings(&lookup, &names),
        timeline: timeline(
            &reports,
            &names,
            &tr.t("chart-sightings"),
            &tr.t("chart-empty"),
        ),
        held_by: lookup
            .held_by
            .iter()
            .map(|h| names.agency(h.agency))
            .collect(),
        noise: lookup.noise.as_ref().map(noise_text),
        risk: lookup.risk.as_ref().map(|r| RiskBox {
            score: r.score.round() as u32,
            terms: r
                .terms
                .iter()
                .map(|t| RiskTermRow {
                    label_id: format!("risk-term-{}", t.name),
                    points: format!("{:.1}", t.points),
                    max_points: format!("{:.0}", t.max_points),
                    explanation: t.explanation.clone(),
                })
                .collect(),
        }),
        reports: reports
            .iter()
            .map(|r| EntityReportRow {
                id: r.id.0.to_string(),
                owner: names.agency(r.owner),
                at: format::day(r.seen_at),
                marking: r.marking.as_str().to_owned(),
                methods: r.methods.clone(),
                raw: r.raw.clone(),
            })
            .collect(),
        may_mark,
    })
}

fn raw_forms(reports: &[EntityReport]) -> Vec<(String, u64)> {
    let mut forms: BTreeMap<&str, u64> = BTreeMap::new();
    for r in reports {
        for raw in &r.raw {
            *forms.entry(raw).or_default() += 1;
        }
    }
    let mut v: Vec<(String, u64)> = forms.into_iter().map(|(k, n)| (k.to_owned(), n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

fn sightings(l: &Lookup, names: &Names) -> Vec<SightingRow> {
    let mut rows: Vec<SightingRow> = l
        .sightings
        .iter()
        .map(|s| SightingRow {
            agency: names.agency(s.agency),
            country: names.country(s.agency),
            reports: s.reports,
            first: format::day(s.first_seen),
            last: format::day(s.last_seen),
        })
        .collect();
    rows.sort_by(|a, b| b.reports.cmp(&a.reports).then(a.agency.cmp(&b.agency)));
    rows
}

/// Sightings per month over the months they span (at most 24, the newest), by agency.
fn timeline(reports: &[EntityReport], names: &Names, title: &str, empty: &str) -> String {
    let month = |t: jiff::Timestamp| {
        let ym = t.strftime("%Y %m").to_string();
        let mut it = ym.split(' ').map(|x| x.parse::<i32>().unwrap_or(0));
        let (y, m) = (it.next().unwrap_or(0), it.next().unwrap_or(1));
        y * 12 + m - 1
    };
    let (Some(first), Some(last)) = (
        reports.iter().map(|r| month(r.seen_at)).min(),
        reports.iter().map(|r| month(r.seen_at)).max(),
    ) else {
        return stacked_bars(
            &TimeChart {
                title: title.to_owned(),
                buckets: Vec::new(),
                series: Vec::new(),
            },
            empty,
        );
    };
    let first = first.max(last - 23);
    let n = (last - first + 1) as usize;
    let mut by_agency: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for r in reports {
        let m = month(r.seen_at);
        if m < first {
            continue;
        }
        let label = format!(
            "{} ({})",
            super::context::short_name(&names.agency(r.owner)),
            names.country(r.owner)
        );
        by_agency.entry(label).or_insert_with(|| vec![0; n])[(m - first) as usize] += 1;
    }
    let buckets = (first..=last)
        .map(|m| format!("{}-{:02}", m / 12, m % 12 + 1))
        .collect();
    stacked_bars(
        &TimeChart {
            title: title.to_owned(),
            buckets,
            series: by_agency
                .into_iter()
                .map(|(label, values)| Series { label, values })
                .collect(),
        },
        empty,
    )
}

/// `POST /entities/{id}/marks`: the viewer's agency confirms the identifier or calls it a
/// false positive; back to the page.
pub async fn mark(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match form::read(&page, req).await {
        Ok((_, f)) => f,
        Err(r) => return *r,
    };
    let id = match parse(&id) {
        Ok(id) => id,
        Err(e) => return page.error(&e),
    };
    let verdict = f.text("mark");
    let node = state.node.clone();
    let actor = page.actor.clone();
    match crate::blocking(move || node.mark_entity(&actor, id, &verdict, "")).await {
        Ok(Ok(_)) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("/entities/{}", id.0))],
        )
            .into_response(),
        Ok(Err(e)) => page.error(&e),
        Err(_) => page.error(&NodeError::Unavailable("the node")),
    }
}
