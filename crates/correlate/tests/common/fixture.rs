//! A small index to test against: agencies, reports written in a line, and the real sharing
//! policy as the access function.

use jiff::Timestamp;
use std::collections::BTreeSet;
use warroom_correlate::{Config, HitFilter, IndexReader, IndexWriter, NewHit, Posting, index};
use warroom_domain::policy::{Access, Subject, Viewer, report_access};
use warroom_domain::{
    AgencyId, CountryCode, Distribution, EntityId, Identifier, IdentifierKind, ReportId,
    ReportKind, Role, Tlp, UserId,
};
use warroom_store::{ChangedReport, EntityRef, ReportRecord};

pub fn ent(kind: &str, value: &str) -> EntityRef {
    let id = match kind.parse::<IdentifierKind>() {
        Ok(k) => Identifier::from_canonical(k, value).unwrap().entity_id(),
        Err(_) => EntityId::random(),
    };
    EntityRef {
        id,
        kind: kind.to_owned(),
        value: value.to_owned(),
    }
}

pub fn phone(v: &str) -> EntityRef {
    ent("phone", v)
}

/// The policy's answer for an analyst of `agency`.
pub fn access_of(agency: AgencyId) -> impl Fn(&Posting) -> Access {
    move |p: &Posting| {
        let viewer = Viewer {
            agency,
            groups: BTreeSet::new(),
            roles: [Role::Analyst].into(),
        };
        report_access(
            &viewer,
            Subject {
                owner: p.agency,
                marking: p.marking,
                distribution: &p.distribution,
                hit_notices: p.hit_notices,
            },
        )
    }
}

pub struct Spec {
    pub marking: Tlp,
    pub to: Vec<AgencyId>,
    pub hit_notices: bool,
    pub at: Timestamp,
}

impl Default for Spec {
    fn default() -> Self {
        Self {
            marking: Tlp::Green,
            to: vec![],
            hit_notices: true,
            at: "2026-03-01T00:00:00Z".parse().unwrap(),
        }
    }
}

pub struct Fx {
    pub w: IndexWriter,
    pub r: IndexReader,
    pub rev: u64,
    pub seq: u64,
    /// The latest version of each report given, by id.
    pub last: Vec<ChangedReport>,
}

impl Fx {
    pub fn new() -> Self {
        Self::with(Config::default())
    }

    pub fn with(config: Config) -> Self {
        let (w, r) = index(config);
        Self {
            w,
            r,
            rev: 0,
            seq: 0,
            last: Vec::new(),
        }
    }

    pub fn agencies(&mut self, list: &[(AgencyId, &str)]) {
        let l: Vec<(AgencyId, CountryCode)> = list
            .iter()
            .map(|(a, c)| (*a, CountryCode::parse(c).unwrap()))
            .collect();
        self.w.set_agencies(&l);
    }

    pub fn record(owner: AgencyId, spec: &Spec, entities: Vec<EntityRef>) -> ReportRecord {
        ReportRecord {
            id: ReportId::random(),
            owner,
            author: UserId::random(),
            kind: ReportKind::VictimComplaint,
            marking: spec.marking,
            distribution: Distribution {
                agencies: spec.to.iter().copied().collect(),
                groups: BTreeSet::new(),
            },
            methods: vec![],
            victim_country: None,
            occurred_at: None,
            reported_at: spec.at,
            recorded_at: spec.at,
            version: 1,
            retracted_at: None,
            hit_notices: spec.hit_notices,
            fingerprint: [0; 32],
            entities,
            body: String::new(),
        }
    }

    /// Submits a new report (next seq and rev); returns its id.
    pub fn submit(&mut self, owner: AgencyId, spec: Spec, entities: Vec<EntityRef>) -> ReportId {
        let rec = Self::record(owner, &spec, entities);
        self.seq += 1;
        self.rev += 1;
        let c = ChangedReport {
            rev: self.rev,
            seq: self.seq,
            report: rec,
        };
        self.w.apply(&c);
        let id = c.report.id;
        self.last.push(c);
        id
    }

    /// A new version of report `id` (next rev), changed by `f`.
    pub fn update(&mut self, id: ReportId, f: impl FnOnce(&mut ReportRecord)) -> ChangedReport {
        let i = self.last.iter().position(|c| c.report.id == id).unwrap();
        let mut c = self.last[i].clone();
        self.rev += 1;
        c.rev = self.rev;
        c.report.version += 1;
        f(&mut c.report);
        self.w.apply(&c);
        self.last[i] = c.clone();
        c
    }

    pub fn publish(&mut self) -> Vec<NewHit> {
        self.w.publish()
    }

    pub fn hits(&self, viewer: AgencyId) -> Vec<warroom_correlate::Hit> {
        self.r.hits(
            viewer,
            &access_of(viewer),
            &HitFilter::default(),
            None,
            1000,
        )
    }
}

pub fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}
