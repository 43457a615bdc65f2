//! Reports and searches for the tests, with only what each test cares about spelled out.
#![allow(dead_code)]

use jiff::Timestamp;
use warroom_domain::{
    AgencyId, CountryCode, Distribution, GroupId, ReportId, ReportKind, Tlp, UserId,
};
use warroom_search::{Filter, Found, Query, Scope, SearchError, SearchIndex};
use warroom_store::{ChangedReport, ReportRecord};
use warroom_wire::ReportBody;

/// A report to index; `change()` makes it a change-log entry.
#[derive(Clone, Debug)]
pub struct Rep {
    pub record: ReportRecord,
    pub narrative: String,
    pub language: Option<String>,
    pub rev: u64,
    pub seq: u64,
}

pub fn ts(s: &str) -> Timestamp {
    s.parse().unwrap_or(Timestamp::UNIX_EPOCH)
}

impl Rep {
    pub fn new(owner: AgencyId, narrative: &str) -> Self {
        Self {
            record: ReportRecord {
                id: ReportId::random(),
                owner,
                author: UserId::random(),
                kind: ReportKind::VictimComplaint,
                marking: Tlp::Green,
                distribution: Distribution::default(),
                methods: Vec::new(),
                victim_country: None,
                occurred_at: None,
                reported_at: ts("2025-01-01T00:00:00Z"),
                recorded_at: ts("2025-01-01T00:00:00Z"),
                version: 1,
                retracted_at: None,
                hit_notices: true,
                fingerprint: [0; 32],
                entities: Vec::new(),
                body: String::new(),
            },
            narrative: narrative.to_owned(),
            language: None,
            rev: 1,
            seq: 1,
        }
    }
    pub fn id(&self) -> ReportId {
        self.record.id
    }
    pub fn lang(mut self, l: &str) -> Self {
        self.language = Some(l.to_owned());
        self
    }
    pub fn marking(mut self, m: Tlp) -> Self {
        self.record.marking = m;
        self
    }
    pub fn for_agencies(mut self, a: &[AgencyId]) -> Self {
        self.record.distribution.agencies.extend(a.iter().copied());
        self
    }
    pub fn for_groups(mut self, g: &[GroupId]) -> Self {
        self.record.distribution.groups.extend(g.iter().copied());
        self
    }
    pub fn method(mut self, m: &str) -> Self {
        self.record.methods.push(m.to_owned());
        self
    }
    pub fn country(mut self, c: &str) -> Self {
        self.record.victim_country = CountryCode::parse(c).ok();
        self
    }
    pub fn kind(mut self, k: ReportKind) -> Self {
        self.record.kind = k;
        self
    }
    pub fn reported(mut self, t: &str) -> Self {
        self.record.reported_at = ts(t);
        self
    }
    pub fn seq(mut self, seq: u64) -> Self {
        self.seq = seq;
        self
    }
    pub fn rev(mut self, rev: u64) -> Self {
        self.rev = rev;
        self
    }
    /// The next version of the same report with another narrative.
    pub fn updated(&self, narrative: &str, rev: u64) -> Self {
        let mut next = self.clone();
        next.narrative = narrative.to_owned();
        next.record.version += 1;
        next.rev = rev;
        next
    }
    pub fn retracted(&self, rev: u64) -> Self {
        let mut next = self.clone();
        next.record.retracted_at = Some(ts("2025-06-01T00:00:00Z"));
        next.record.version += 1;
        next.rev = rev;
        next
    }
    pub fn change(&self) -> ChangedReport {
        let body = ReportBody {
            narrative: self.narrative.clone(),
            language: self.language.clone(),
            loss: None,
            entities: Vec::new(),
            relationships: Vec::new(),
        };
        let mut report = self.record.clone();
        report.body = serde_json::to_string(&body).unwrap_or_default();
        ChangedReport {
            rev: self.rev,
            seq: self.seq,
            report,
        }
    }
}

pub fn index_of(reps: &[Rep]) -> SearchIndex {
    let index = SearchIndex::in_ram().unwrap_or_else(|e| panic!("in_ram: {e}"));
    apply(&index, reps);
    index
}

pub fn apply(index: &SearchIndex, reps: &[Rep]) {
    let changes: Vec<ChangedReport> = reps.iter().map(Rep::change).collect();
    index
        .apply(&changes)
        .unwrap_or_else(|e| panic!("apply: {e}"));
}

/// A scope that reads every GREEN report and its own agency's (no groups, no RED).
pub fn scope_of(agency: AgencyId) -> Scope {
    Scope {
        agency,
        groups: Vec::new(),
        red: false,
    }
}

pub fn query(text: &str, scope: Scope) -> Query {
    Query {
        text: text.to_owned(),
        scope,
        filter: Filter::default(),
        offset: 0,
        limit: 100,
    }
}

pub fn search(index: &SearchIndex, q: &Query) -> Result<Vec<Found>, SearchError> {
    index.search(q)
}

/// The ids found, best first (panics on an error).
pub fn ids(index: &SearchIndex, q: &Query) -> Vec<ReportId> {
    index
        .search(q)
        .unwrap_or_else(|e| panic!("search {:?}: {e}", q.text))
        .into_iter()
        .map(|f| f.report)
        .collect()
}

/// The ids found for `text` by an agency that reads everything GREEN.
pub fn find(index: &SearchIndex, text: &str) -> Vec<ReportId> {
    ids(index, &query(text, scope_of(AgencyId::random())))
}
