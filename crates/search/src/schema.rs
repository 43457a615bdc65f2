//! The index's fields and how a stored report becomes an indexed document.
//!
//! The narrative is the only analysed text. The access facts (owner, marking, distribution)
//! and the filter facts are raw indexed terms, so that scope and filters are term queries;
//! `seq` is a fast field for the tie-break; `id` and the narrative are stored, for the result
//! and its highlight.

use crate::analyzer::ANALYZER_NAME;
use jiff::Timestamp;
use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use warroom_domain::Tlp;
use warroom_store::ChangedReport;
use warroom_wire::ReportBody;

pub(crate) const SEQ: &str = "seq";

/// Handles of every field.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    pub id: Field,
    pub seq: Field,
    pub narrative: Field,
    pub language: Field,
    pub owner: Field,
    pub marking: Field,
    pub dist_agency: Field,
    pub dist_group: Field,
    pub method: Field,
    pub victim_country: Field,
    pub kind: Field,
    pub reported_at: Field,
}

pub(crate) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let narrative = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        seq: b.add_u64_field(SEQ, FAST),
        narrative: b.add_text_field("narrative", narrative),
        language: b.add_text_field("language", STRING),
        owner: b.add_text_field("owner", STRING),
        marking: b.add_text_field("marking", STRING),
        dist_agency: b.add_text_field("dist_agency", STRING),
        dist_group: b.add_text_field("dist_group", STRING),
        method: b.add_text_field("method", STRING),
        victim_country: b.add_text_field("victim_country", STRING),
        kind: b.add_text_field("kind", STRING),
        reported_at: b.add_i64_field("reported_at", INDEXED | FAST),
    };
    (b.build(), fields)
}

/// The indexed form of a marking.
pub(crate) fn marking_term(tlp: Tlp) -> &'static str {
    tlp.as_str()
}

/// Nanoseconds since the epoch, as the stores keep `reported_at`; bounds outside the `i64`
/// range (years before 1677 or after 2262) saturate, which keeps "at or after" and "before"
/// right for every storable time.
pub(crate) fn nanos(t: Timestamp) -> i64 {
    let n = t.as_nanosecond();
    i64::try_from(n).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX })
}

/// The document for the current version of a report, or `None` when it is not searchable:
/// retracted, or a body that is not a report document (only the node writes bodies, so this
/// is a bug elsewhere; the report is then left out rather than failing the whole batch).
pub(crate) fn document(f: &Fields, change: &ChangedReport) -> Option<TantivyDocument> {
    let r = &change.report;
    if r.retracted_at.is_some() {
        return None;
    }
    let body: ReportBody = serde_json::from_str(&r.body).ok()?;
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, r.id.to_string());
    doc.add_u64(f.seq, change.seq);
    doc.add_text(f.narrative, &body.narrative);
    if let Some(language) = &body.language {
        doc.add_text(f.language, language.to_ascii_lowercase());
    }
    doc.add_text(f.owner, r.owner.to_string());
    doc.add_text(f.marking, marking_term(r.marking));
    for a in &r.distribution.agencies {
        doc.add_text(f.dist_agency, a.to_string());
    }
    for g in &r.distribution.groups {
        doc.add_text(f.dist_group, g.to_string());
    }
    for m in &r.methods {
        doc.add_text(f.method, m);
    }
    if let Some(c) = r.victim_country {
        doc.add_text(f.victim_country, c.as_str());
    }
    doc.add_text(f.kind, r.kind.as_str());
    doc.add_i64(f.reported_at, nanos(r.reported_at));
    Some(doc)
}
