//! A [`crate::Query`] as a tantivy query: the required phrases, scored by BM25, intersected
//! with the viewer's scope and the filters, which score nothing.

use crate::request::{Filter, Scope};
use crate::schema::{Fields, marking_term, nanos};
use std::ops::Bound;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query as TantivyQuery,
    RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use warroom_domain::Tlp;

type Boxed = Box<dyn TantivyQuery>;

fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

fn is(field: Field, text: &str) -> Boxed {
    Box::new(TermQuery::new(term(field, text), IndexRecordOption::Basic))
}

fn marked(f: &Fields, tlp: Tlp) -> Boxed {
    is(f.marking, marking_term(tlp))
}

fn all(clauses: Vec<Boxed>) -> Boxed {
    Box::new(BooleanQuery::intersection(clauses))
}

fn any(clauses: Vec<Boxed>) -> Boxed {
    Box::new(BooleanQuery::union(clauses))
}

/// The whole query: every phrase required, then the scope (the documents [`scope`] matches,
/// in any form: see `scope_cache`) and the filters, as a zero-score filter.
pub(crate) fn build(f: &Fields, phrases: &[Vec<String>], scope: Boxed, filter: &Filter) -> Boxed {
    let mut clauses: Vec<(Occur, Boxed)> = phrases
        .iter()
        .map(|words| (Occur::Must, phrase(f.narrative, words)))
        .collect();
    let mut restrictions = vec![scope];
    restrictions.extend(filters(f, filter));
    clauses.push((
        Occur::Must,
        Box::new(ConstScoreQuery::new(all(restrictions), 0.0)),
    ));
    Box::new(BooleanQuery::new(clauses))
}

/// One word is a term query; several are a phrase (positions adjacent, in order).
fn phrase(field: Field, words: &[String]) -> Boxed {
    match words {
        [] => Box::new(EmptyQuery),
        [one] => Box::new(TermQuery::new(
            term(field, one),
            IndexRecordOption::WithFreqs,
        )),
        _ => Box::new(PhraseQuery::new(
            words.iter().map(|w| term(field, w)).collect(),
        )),
    }
}

/// The reports `scope` may read in full, as SPEC section 4 and `warroom_domain::policy` say:
/// - its own agency's, except RED without `scope.red`;
/// - CLEAR and GREEN;
/// - AMBER naming the agency or one of its groups;
/// - AMBER+STRICT naming the agency (groups do not count);
/// - RED naming the agency (or its own), only with `scope.red`.
pub(crate) fn scope(f: &Fields, scope: &Scope) -> Boxed {
    let agency = scope.agency.to_string();
    let owner = is(f.owner, &agency);
    let named = || is(f.dist_agency, &agency);
    let mut readable = vec![
        marked(f, Tlp::Clear),
        marked(f, Tlp::Green),
        all(vec![marked(f, Tlp::AmberStrict), named()]),
    ];
    let mut amber_via = vec![named()];
    if !scope.groups.is_empty() {
        amber_via.push(Box::new(TermSetQuery::new(
            scope
                .groups
                .iter()
                .map(|g| term(f.dist_group, &g.to_string())),
        )));
    }
    readable.push(all(vec![marked(f, Tlp::Amber), any(amber_via)]));
    if scope.red {
        readable.push(owner);
        readable.push(all(vec![marked(f, Tlp::Red), named()]));
    } else {
        readable.push(Box::new(BooleanQuery::new(vec![
            (Occur::Must, owner),
            (Occur::MustNot, marked(f, Tlp::Red)),
        ])));
    }
    any(readable)
}

fn filters(f: &Fields, filter: &Filter) -> Vec<Boxed> {
    let mut out = Vec::new();
    if let Some(m) = &filter.method {
        out.push(is(f.method, m));
    }
    if let Some(c) = filter.victim_country {
        out.push(is(f.victim_country, c.as_str()));
    }
    if let Some(o) = filter.owner {
        out.push(is(f.owner, &o.to_string()));
    }
    if let Some(k) = filter.kind {
        out.push(is(f.kind, k.as_str()));
    }
    if filter.since.is_some() || filter.until.is_some() {
        let bound = |t: Option<jiff::Timestamp>, b: fn(Term) -> Bound<Term>| {
            t.map_or(Bound::Unbounded, |t| {
                b(Term::from_field_i64(f.reported_at, nanos(t)))
            })
        };
        out.push(Box::new(RangeQuery::new(
            bound(filter.since, Bound::Included),
            bound(filter.until, Bound::Excluded),
        )));
    }
    out
}
