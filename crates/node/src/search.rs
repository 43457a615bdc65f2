//! `search`: one box for any identifier in any writing, or free text over report narratives.
//!
//! A query that normalises to an identifier is looked up exactly (the same path as
//! `entities/lookup`); anything else goes to the full-text index. Every result passes the
//! policy module: the full-text index narrows candidates to what the actor could read, and
//! each report is checked again here before anything of it leaves.

use crate::policy::access_to_report;
use crate::{Actor, Audited, Lookup, Node, NodeError, Result};
use jiff::Timestamp;
use warroom_domain::policy::Access;
use warroom_domain::{AgencyId, CountryCode, ReportId, ReportKind, Role, Tlp};
use warroom_normalize::{Context, Detection, detect};
use warroom_store::WarningRecord;

/// Most results per page.
pub const MAX_SEARCH_LIMIT: usize = 100;
/// Deepest page offset.
pub const MAX_SEARCH_OFFSET: usize = 10_000;
/// Longest query.
pub const MAX_QUERY_LEN: usize = 512;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchRequest {
    pub q: String,
    pub method: Option<String>,
    pub victim_country: Option<CountryCode>,
    /// Owner agency.
    pub agency: Option<AgencyId>,
    pub kind: Option<ReportKind>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub offset: usize,
    pub limit: usize,
}

/// A report found by a search, as much as the actor may read of it.
#[derive(Clone, Debug, PartialEq)]
pub struct TextResult {
    pub report: ReportId,
    pub owner: AgencyId,
    pub kind: ReportKind,
    pub marking: Tlp,
    pub methods: Vec<String>,
    pub victim_country: Option<CountryCode>,
    pub reported_at: Timestamp,
    /// BM25 for text matches; 0 for reports found through an identifier.
    pub score: f32,
    pub highlights: Vec<warroom_search::Highlight>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SearchAnswer {
    /// The identifier the query normalised to, when it did and the actor may see it.
    pub identifier: Option<Lookup>,
    /// The canonical form the query normalised to (so a caller sees how it was read).
    pub normalized: Option<(String, String)>,
    /// Warninglist entries kept as written (short codes) that the query is.
    pub warnings: Vec<WarningRecord>,
    pub reports: Vec<TextResult>,
    pub next_offset: Option<usize>,
}

fn matches(r: &warroom_store::ReportRecord, q: &SearchRequest) -> bool {
    q.method.as_ref().is_none_or(|m| r.methods.contains(m))
        && q.victim_country.is_none_or(|c| r.victim_country == Some(c))
        && q.agency.is_none_or(|a| r.owner == a)
        && q.kind.is_none_or(|k| r.kind == k)
        && q.since.is_none_or(|t| r.reported_at >= t)
        && q.until.is_none_or(|t| r.reported_at < t)
}

fn result(
    r: &warroom_store::ReportRecord,
    score: f32,
    highlights: Vec<warroom_search::Highlight>,
) -> TextResult {
    TextResult {
        report: r.id,
        owner: r.owner,
        kind: r.kind,
        marking: r.marking,
        methods: r.methods.clone(),
        victim_country: r.victim_country,
        reported_at: r.reported_at,
        score,
        highlights,
    }
}

impl Node {
    pub fn search(&self, actor: &Actor, q: &SearchRequest) -> Result<Audited<SearchAnswer>> {
        let p = actor.principal()?;
        let text = q.q.trim();
        if text.is_empty() {
            return Err(NodeError::invalid(
                "q",
                "required",
                "give an identifier or words to search for",
            ));
        }
        if text.chars().count() > MAX_QUERY_LEN {
            return Err(NodeError::invalid(
                "q",
                "too_long",
                format!("at most {MAX_QUERY_LEN} characters"),
            ));
        }
        let limit = q.limit.clamp(1, MAX_SEARCH_LIMIT);
        if q.offset > MAX_SEARCH_OFFSET {
            return Err(NodeError::invalid(
                "offset",
                "too_large",
                format!("at most {MAX_SEARCH_OFFSET}"),
            ));
        }
        let mut events = Vec::new();
        let ctx = Context {
            region: Some(p.agency.country),
        };
        if let Detection::Found(n) = detect(text, &ctx) {
            let id = n.identifier.entity_id();
            let normalized = Some((
                n.identifier.kind().as_str().to_owned(),
                n.identifier.canonical().to_owned(),
            ));
            let identifier = match self.entity_view(actor, id, true) {
                Ok(view) => Some(view),
                Err(NodeError::NotFound(_)) => None,
                Err(e) => return Err(e),
            };
            let (identifier, mut reports) = match identifier {
                None => (None, Vec::new()),
                Some(audited) => {
                    let (lookup, mut ev) = audited.into_parts();
                    events.append(&mut ev);
                    let mut found = Vec::new();
                    for rid in &lookup.reports {
                        if let Some(r) = self.store_ref().report(*rid)?
                            && access_to_report(actor, &r) == Access::Full
                            && r.retracted_at.is_none()
                            && matches(&r, q)
                        {
                            found.push(result(&r, 0.0, Vec::new()));
                        }
                    }
                    (Some(lookup), found)
                }
            };
            let next_offset = (reports.len() > q.offset + limit).then_some(q.offset + limit);
            reports = reports.into_iter().skip(q.offset).take(limit).collect();
            for r in &reports {
                events.push(actor.audit("search.result", "report", r.report));
            }
            return Ok(Audited::new(
                SearchAnswer {
                    identifier,
                    normalized,
                    warnings: Vec::new(),
                    reports,
                    next_offset,
                },
                events,
            ));
        }
        let warnings = self.raw_warnings_matching(text)?;
        let c = &self.inner.correlation;
        if !self.index_ready() {
            // The follower is rebuilding the index: a request must not do it in its place.
            return Err(NodeError::Unavailable("the full-text index is being built"));
        }
        c.catch_up_search(self.store_ref(), false)?;
        let index = c
            .search_index()
            .ok_or(NodeError::Unavailable("the full-text index is being built"))?;
        let query = warroom_search::Query {
            text: text.to_owned(),
            scope: warroom_search::Scope {
                agency: p.agency.id,
                groups: p.viewer.groups.iter().copied().collect(),
                red: p.has(Role::Analyst) || p.has(Role::Supervisor),
            },
            filter: warroom_search::Filter {
                method: q.method.clone(),
                victim_country: q.victim_country,
                owner: q.agency,
                kind: q.kind,
                since: q.since,
                until: q.until,
            },
            offset: q.offset,
            limit,
        };
        let run = |query: &warroom_search::Query| match index.search(query) {
            Ok(found) => Ok(found),
            Err(warroom_search::SearchError::EmptyQuery) if !warnings.is_empty() => Ok(Vec::new()),
            Err(e @ warroom_search::SearchError::EmptyQuery) => {
                Err(NodeError::invalid("q", "no_words", e.to_string()))
            }
            Err(e @ warroom_search::SearchError::QueryTooLong { .. }) => {
                Err(NodeError::invalid("q", "too_long", e.to_string()))
            }
            Err(e @ warroom_search::SearchError::OffsetTooLarge { .. }) => {
                Err(NodeError::invalid("offset", "too_large", e.to_string()))
            }
            Err(e) => Err(NodeError::Corrupt(format!("full-text index: {e}"))),
        };
        let found = run(&query)?;
        // Is there a next page? One more result past this one says so.
        let more = found.len() == limit
            && q.offset + limit <= MAX_SEARCH_OFFSET
            && !run(&warroom_search::Query {
                offset: q.offset + limit,
                limit: 1,
                ..query.clone()
            })?
            .is_empty();
        let mut reports = Vec::new();
        for f in found {
            // The index's scope is a narrowing; the policy module decides.
            if let Some(r) = self.store_ref().report(f.report)?
                && access_to_report(actor, &r) == Access::Full
                && r.retracted_at.is_none()
            {
                events.push(actor.audit("search.result", "report", r.id));
                reports.push(result(&r, f.score, f.highlights));
            }
        }
        Ok(Audited::new(
            SearchAnswer {
                identifier: None,
                normalized: None,
                warnings,
                reports,
                next_offset: more.then_some(q.offset + limit),
            },
            events,
        ))
    }
}
