//! `/`: the live hits, the newest reports, the map and the counts over time.

use super::context::{Page, render};
use super::names::Names;
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use std::collections::BTreeMap;
use warroom_node::{Activity, Hit, HitFilter, Shown, Side};
use warroom_web::chart::{Series, TimeChart, stacked_bars};
use warroom_web::map::{MapLabels, MapPoint, PointKind};
use warroom_web::pages::Party;
use warroom_web::pages::dashboard::{Dashboard, HitItem, ReportItem};
use warroom_web::{Tr, format};

/// Hits shown before the live stream adds more.
const HITS: usize = 25;

pub async fn show(State(state): State<AppState>, page: Page) -> Response {
    let node = state.node.clone();
    let actor = page.actor.clone();
    let loaded = crate::blocking(move || {
        let names = Names::load(&node, &actor)?;
        let activity = node.activity(&actor)?.commit(&node)?;
        let hits = if node.index_ready() {
            Some(
                node.hits(&actor, &HitFilter::default(), None, HITS)?
                    .commit(&node)?
                    .hits,
            )
        } else {
            None
        };
        Ok::<_, warroom_node::NodeError>((names, activity, hits))
    })
    .await;
    let (names, activity, hits) = match loaded {
        Ok(Ok(x)) => x,
        Ok(Err(e)) => return page.error(&e),
        Err(_) => return page.error(&warroom_node::NodeError::Unavailable("the node")),
    };
    let tr = page.tr();
    let agencies_json = serde_json::to_string(
        &names
            .agencies
            .iter()
            .map(|(id, n)| (id.0.to_string(), n.clone()))
            .collect::<BTreeMap<_, _>>(),
    )
    .unwrap_or_else(|_| "{}".into());
    render(&Dashboard {
        chrome: page.chrome("dashboard"),
        index_building: hits.is_none(),
        hits: hits
            .unwrap_or_default()
            .iter()
            .map(|h| hit_item(h, &names))
            .collect(),
        recent: activity
            .recent
            .iter()
            .map(|r| ReportItem {
                id: r.id.0.to_string(),
                at: format::when(r.reported_at),
                owner: names.agency(r.owner),
                methods: r.methods.clone(),
                marking: r.marking.as_str().to_owned(),
                identifiers: r.identifiers as u64,
            })
            .collect(),
        charts: charts(&activity, &names, tr),
        map: map(&activity, tr),
        agencies_json: warroom_web::pages::script_json(&agencies_json),
        counted: activity.counted,
        truncated: activity.truncated,
    })
}

pub fn party(s: &Shown, names: &Names) -> Party {
    match s {
        Shown::Full { report, agency, .. } => Party {
            agency: names.agency(*agency),
            report: Some(report.0.to_string()),
        },
        Shown::HeldBy { agency } => Party {
            agency: names.agency(*agency),
            report: None,
        },
    }
}

pub fn hit_item(h: &Hit, names: &Names) -> HitItem {
    HitItem {
        id: h.key.to_string(),
        at: format::when(h.at),
        entity_id: h.entity.0.to_string(),
        kind: h.kind.clone(),
        value: h.value.clone(),
        submitted: h.side == Side::Submitted,
        report: party(&h.report, names),
        counterparts: h.counterparts.iter().map(|c| party(c, names)).collect(),
    }
}

fn charts(a: &Activity, names: &Names, tr: Tr) -> Vec<String> {
    let buckets: Vec<String> = a
        .weeks
        .iter()
        .map(|w| w.strftime("%m-%d").to_string())
        .collect();
    let chart = |title: &str, series: Vec<Series>| {
        stacked_bars(
            &TimeChart {
                title: tr.t(title),
                buckets: buckets.clone(),
                series,
            },
            &tr.t("chart-empty"),
        )
    };
    let series = |label: String, values: &Vec<u64>| Series {
        label,
        values: values.clone(),
    };
    vec![
        chart(
            "chart-by-method",
            a.by_method
                .iter()
                .map(|(m, v)| series(m.clone(), v))
                .collect(),
        ),
        chart(
            "chart-by-country",
            a.by_country
                .iter()
                .map(|(c, v)| series(c.to_string(), v))
                .collect(),
        ),
        chart(
            "chart-by-agency",
            a.by_agency
                .iter()
                .map(|(id, v)| series(super::context::short_name(&names.agency(*id)), v))
                .collect(),
        ),
    ]
}

fn map(a: &Activity, tr: Tr) -> String {
    let points: Vec<MapPoint> = a
        .places
        .iter()
        .map(|p| MapPoint {
            lat: p.lat,
            lon: p.lon,
            kind: match p.kind.as_str() {
                "compound" => PointKind::Compound,
                "border_crossing" => PointKind::BorderCrossing,
                _ => PointKind::Place,
            },
            label: match &p.country {
                Some(c) => format!("{} ({c})", p.name),
                None => p.name.clone(),
            },
            href: Some(format!(
                "/search?q={}",
                warroom_web::chrome::percent_encode(&p.name)
            )),
            count: p.reports,
        })
        .collect();
    let (title, compound, border, place, empty) = (
        tr.t("map-title"),
        tr.t("map-compound"),
        tr.t("map-border-crossing"),
        tr.t("map-place"),
        tr.t("map-empty"),
    );
    warroom_web::map::render(
        &points,
        &MapLabels {
            title: &title,
            compound: &compound,
            border_crossing: &border,
            place: &place,
            empty: &empty,
        },
    )
}
