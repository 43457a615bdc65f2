//! `/reports/new`: paste a narrative, see the identifiers found and how they normalise,
//! correct them, choose marking and distribution, submit, and land on the report with its
//! hits.
//!
//! Two steps without any script: "find identifiers" renders the form again with a row per
//! identifier (keep, kind, value as written, canonical form or the reason it does not
//! normalise) and empty rows for what was missed; "submit" stores the report through the
//! node's one submission path. The form carries a report id chosen when it was first shown,
//! so submitting twice stores one report.

use super::context::{Page, render, render_status};
use super::form::{self, FormData};
use super::names::Names;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::str::FromStr;
use warroom_domain::{CountryCode, IdentifierKind, ReportKind, ScamMethod, Tlp};
use warroom_node::{NodeError, Submitted};
use warroom_normalize::{Context, Detection, detect, extract, normalize};
use warroom_web::Tr;
use warroom_web::pages::report_form::{Choice, IdentifierRow, ReportForm};
use warroom_wire::{DistributionJson, EntityIn, IdentifierIn, ReportIn};

/// Empty rows offered for identifiers the extraction missed.
const BLANK_ROWS: usize = 2;
/// Most identifier rows a form may carry.
const MAX_ROWS: usize = 500;

/// What the form holds, read from a submission (or empty).
#[derive(Default)]
struct Draft {
    report_id: String,
    narrative: String,
    region: String,
    kind: String,
    marking: String,
    victim_country: String,
    hit_notices: bool,
    methods: Vec<String>,
    agencies: Vec<String>,
    groups: Vec<String>,
    rows: Vec<IdentifierRow>,
    extracted: bool,
}

impl Draft {
    fn read(f: &FormData) -> Self {
        let n = f
            .get("rows")
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(0)
            .min(MAX_ROWS);
        let rows = (0..n)
            .map(|i| IdentifierRow {
                keep: f.get(&format!("keep_{i}")).is_some(),
                kind: f.text(&format!("kind_{i}")),
                value: f.text(&format!("value_{i}")),
                canonical: None,
                problem: None,
            })
            .collect();
        Draft {
            report_id: f.text("report_id"),
            narrative: f.get("narrative").unwrap_or("").to_owned(),
            region: f.text("region").to_uppercase(),
            kind: f.text("kind"),
            marking: f.text("marking"),
            victim_country: f.text("victim_country").to_uppercase(),
            hit_notices: f.get("hit_notices").is_some(),
            methods: f.all("method"),
            agencies: f.all("agency"),
            groups: f.all("group"),
            rows,
            extracted: n > 0,
        }
    }

    fn context(&self) -> Context {
        Context {
            region: CountryCode::from_str(&self.region).ok(),
        }
    }

    /// Normalises every row, then adds what the narrative holds that no row has yet, then
    /// blank rows.
    fn check(&mut self) {
        let ctx = self.context();
        let mut seen: Vec<String> = Vec::new();
        for row in &mut self.rows {
            if row.value.is_empty() {
                continue;
            }
            let read = match IdentifierKind::from_str(&row.kind) {
                Ok(kind) => normalize(kind, &row.value, &ctx).map_err(|e| e.to_string()),
                Err(_) => match detect(&row.value, &ctx) {
                    Detection::Found(n) => Ok(n),
                    Detection::Ambiguous(c) => Err(format!(
                        "ambiguous: choose a kind ({})",
                        c.iter()
                            .map(|n| n.identifier.kind().as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                    Detection::None(e) => Err(e.to_string()),
                },
            };
            match read {
                Ok(n) => {
                    row.kind = n.identifier.kind().as_str().to_owned();
                    row.canonical = Some(n.identifier.canonical().to_owned());
                    seen.push(n.identifier.canonical().to_owned());
                    row.problem = None;
                }
                Err(e) => {
                    row.canonical = None;
                    row.problem = Some(e);
                }
            }
        }
        self.rows.retain(|r| !r.value.is_empty());
        for found in extract(&self.narrative, &ctx) {
            let canonical = found.normalized.identifier.canonical().to_owned();
            if seen.contains(&canonical) || self.rows.len() >= MAX_ROWS - BLANK_ROWS {
                continue;
            }
            seen.push(canonical.clone());
            self.rows.push(IdentifierRow {
                keep: true,
                kind: found.normalized.identifier.kind().as_str().to_owned(),
                value: self
                    .narrative
                    .get(found.span.clone())
                    .unwrap_or(&found.normalized.raw)
                    .to_owned(),
                canonical: Some(canonical),
                problem: None,
            });
        }
        for _ in 0..BLANK_ROWS {
            self.rows.push(IdentifierRow {
                keep: true,
                kind: String::new(),
                value: String::new(),
                canonical: None,
                problem: None,
            });
        }
        self.extracted = true;
    }

    fn report_in(&self) -> ReportIn {
        let region = (!self.region.is_empty()).then(|| self.region.clone());
        ReportIn {
            id: uuid::Uuid::parse_str(&self.report_id).ok(),
            kind: self.kind.clone(),
            methods: self.methods.clone(),
            narrative: self.narrative.clone(),
            victim_country: (!self.victim_country.is_empty()).then(|| self.victim_country.clone()),
            marking: self.marking.clone(),
            distribution: DistributionJson {
                agencies: self
                    .agencies
                    .iter()
                    .filter_map(|a| uuid::Uuid::parse_str(a).ok())
                    .collect(),
                groups: self
                    .groups
                    .iter()
                    .filter_map(|g| uuid::Uuid::parse_str(g).ok())
                    .collect(),
            },
            hit_notices: Some(self.hit_notices),
            entities: self
                .rows
                .iter()
                .filter(|r| r.keep && !r.value.is_empty())
                .map(|r| {
                    EntityIn::Identifier(IdentifierIn {
                        reference: None,
                        kind: (!r.kind.is_empty()).then(|| r.kind.clone()),
                        value: r.value.clone(),
                        region: region.clone(),
                    })
                })
                .collect(),
            // What does not normalise is kept as written, not refused: the reporter saw it.
            invalid_identifiers: Some("keep_raw".into()),
            ..ReportIn::default()
        }
    }
}

fn choices<T>(
    all: impl IntoIterator<Item = T>,
    value: impl Fn(&T) -> String,
    label: impl Fn(&T) -> String,
    selected: impl Fn(&str) -> bool,
) -> Vec<Choice> {
    all.into_iter()
        .map(|x| {
            let v = value(&x);
            Choice {
                selected: selected(&v),
                label: label(&x),
                value: v,
            }
        })
        .collect()
}

fn form(page: &Page, names: &Names, d: Draft, errors: Vec<(String, String)>) -> ReportForm {
    let tr: Tr = page.tr();
    let mut agencies: Vec<(String, String)> = names
        .agencies
        .iter()
        .filter(|(id, _)| **id != page.principal.agency.id)
        .map(|(id, n)| (id.0.to_string(), n.clone()))
        .collect();
    agencies.sort_by(|a, b| a.1.cmp(&b.1));
    let mut groups: Vec<(String, String)> = names
        .groups
        .iter()
        .map(|(id, n)| (id.0.to_string(), n.clone()))
        .collect();
    groups.sort_by(|a, b| a.1.cmp(&b.1));
    let lang = tr.lang.tag();
    let mut chrome = page.chrome("report-new");
    chrome.csrf = page.csrf.clone();
    ReportForm {
        methods: choices(
            ScamMethod::KNOWN,
            |m| m.slug().to_owned(),
            |m| {
                m.text(lang)
                    .map_or_else(|| m.slug().to_owned(), |t| t.name.to_owned())
            },
            |v| d.methods.iter().any(|m| m == v),
        ),
        kinds: choices(
            ReportKind::ALL,
            |k| k.as_str().to_owned(),
            |k| k.as_str().replace('_', " "),
            |v| v == d.kind || (d.kind.is_empty() && v == "victim_complaint"),
        ),
        markings: choices(
            Tlp::ALL,
            |t| t.as_str().to_owned(),
            |t| format!("TLP:{}", t.as_str()),
            |v| v == d.marking || (d.marking.is_empty() && v == "AMBER"),
        ),
        agencies: choices(
            agencies,
            |a| a.0.clone(),
            |a| a.1.clone(),
            |v| d.agencies.iter().any(|a| a == v),
        ),
        groups: choices(
            groups,
            |g| g.0.clone(),
            |g| g.1.clone(),
            |v| d.groups.iter().any(|g| g == v),
        ),
        identifier_kinds: IdentifierKind::ALL
            .iter()
            .map(|k| k.as_str().to_owned())
            .collect(),
        chrome,
        report_id: if d.report_id.is_empty() {
            uuid::Uuid::new_v4().to_string()
        } else {
            d.report_id.clone()
        },
        narrative: d.narrative,
        region: if d.region.is_empty() {
            page.principal.agency.country.to_string()
        } else {
            d.region
        },
        kind: d.kind,
        marking: d.marking,
        victim_country: d.victim_country,
        hit_notices: d.hit_notices || !d.extracted,
        rows: d.rows,
        extracted: d.extracted,
        errors,
    }
}

async fn names(state: &AppState, page: &Page) -> Result<Names, Response> {
    let node = state.node.clone();
    let actor = page.actor.clone();
    match crate::blocking(move || {
        node.check_may_submit(&actor)?;
        Names::load(&node, &actor)
    })
    .await
    {
        Ok(Ok(n)) => Ok(n),
        Ok(Err(e)) => Err(page.error(&e)),
        Err(_) => Err(page.error(&NodeError::Unavailable("the node"))),
    }
}

pub async fn show(State(state): State<AppState>, page: Page) -> Response {
    let names = match names(&state, &page).await {
        Ok(n) => n,
        Err(r) => return r,
    };
    render(&form(&page, &names, Draft::default(), Vec::new()))
}

pub async fn submit(State(state): State<AppState>, page: Page, req: Request) -> Response {
    let f = match form::read(&page, req).await {
        Ok((_, f)) => f,
        Err(r) => return *r,
    };
    let names = match names(&state, &page).await {
        Ok(n) => n,
        Err(r) => return r,
    };
    let mut draft = Draft::read(&f);
    if f.get("action") != Some("submit") {
        draft.check();
        return render(&form(&page, &names, draft, Vec::new()));
    }
    let input = draft.report_in();
    let node = state.node.clone();
    let actor = page.actor.clone();
    match crate::blocking(move || node.submit(&actor, &input)).await {
        Ok(Ok(Submitted::Accepted { id, .. } | Submitted::Duplicate { id, .. })) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("/reports/{}?submitted=1", id.0))],
        )
            .into_response(),
        Ok(Err(NodeError::Invalid(errors))) => {
            let errors = errors
                .iter()
                .map(|e| (e.field.clone().unwrap_or_default(), e.message.clone()))
                .collect();
            draft.check();
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form(&page, &names, draft, errors),
            )
        }
        Ok(Err(e)) => page.error(&e),
        Err(_) => page.error(&NodeError::Unavailable("the node")),
    }
}
