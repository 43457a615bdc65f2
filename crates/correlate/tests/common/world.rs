//! A worldgen world read the way the node's ingest reads it: every identifier normalised in
//! the owner agency's region (or its own `region`), what it implies sighted with it, person
//! documents as `document` identifiers; and, beside each report, the ground truth needed to
//! score correlation: which syndicates own each identifier and which are noise.

use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet};
use warroom_domain::{
    AgencyId, CountryCode, Distribution, EntityId, GroupId, IdentifierKind, ReportId, ReportKind,
    Tlp, UserId,
};
use warroom_normalize::{Context, Detection, Normalized, detect, normalize};
use warroom_store::{ChangedReport, EntityRef, ReportRecord};
use warroom_wire::EntityIn;
use warroom_worldgen::{Config, steps};

/// Who owns an identifier, by the truth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    /// A noise value (hotline, bank or courier call centre, platform, official site).
    Noise(String),
    /// Infrastructure of these syndicates (one, or several for shared pools).
    Syndicates(BTreeSet<String>),
    /// A victim's own account or contact, or an independent scammer's.
    Nobody,
}

pub struct World {
    pub agencies: Vec<(AgencyId, CountryCode)>,
    pub changes: Vec<ChangedReport>,
    /// The syndicate each report's identifiers come from (by index into `changes`).
    pub syndicate: Vec<Option<String>>,
    pub owner: BTreeMap<EntityId, Owner>,
    /// The truth's role of each identifier (`calling_phone`, `mule_l1`, ...), by `kind:canonical`.
    pub role: BTreeMap<String, String>,
}

fn refs(n: &Normalized, out: &mut Vec<EntityRef>, seen: &mut BTreeSet<EntityId>) {
    for i in std::iter::once(&n.identifier).chain(n.implied.iter()) {
        let id = i.entity_id();
        if seen.insert(id) {
            out.push(EntityRef {
                id,
                kind: i.kind().as_str().to_owned(),
                value: i.canonical().to_owned(),
            });
        }
    }
}

fn key(kind: &str, canonical: &str) -> String {
    format!("{kind}:{canonical}")
}

pub fn load(config: Config) -> World {
    let head = warroom_worldgen::truth_head(&config);
    let world = warroom_worldgen::world(&config);
    let mut agencies = Vec::new();
    let mut country_of = BTreeMap::new();
    for a in &world.agencies {
        if let Ok(cc) = CountryCode::parse(&a.country) {
            agencies.push((AgencyId(a.id), cc));
            country_of.insert(a.id, cc);
        }
    }
    let mut by_key: BTreeMap<String, Owner> = BTreeMap::new();
    let mut role = BTreeMap::new();
    for n in &head.noise {
        if let Some(c) = &n.canonical {
            by_key.insert(key(n.kind, c), Owner::Noise(n.label.to_owned()));
        }
    }
    let mut changes = Vec::new();
    let mut syndicate = Vec::new();
    let mut owner = BTreeMap::new();
    let author = UserId::random();
    for (i, g) in steps(&config).enumerate() {
        for t in &g.truth.identifiers {
            let o = if t.syndicates.is_empty() {
                Owner::Nobody
            } else {
                Owner::Syndicates(t.syndicates.iter().map(|s| (*s).to_owned()).collect())
            };
            role.entry(key(t.kind, &t.canonical))
                .or_insert_with(|| format!("{:?}", t.role));
            for k in std::iter::once(key(t.kind, &t.canonical)).chain(t.implied.iter().cloned()) {
                by_key.entry(k).or_insert_with(|| o.clone());
            }
        }
        let Some(cc) = country_of.get(&g.agency).copied() else {
            continue;
        };
        let ctx = Context::with_region(cc);
        let mut entities = Vec::new();
        let mut seen = BTreeSet::new();
        for e in &g.report.entities {
            match e {
                EntityIn::Identifier(x) => {
                    let ctx = match x.region.as_deref().map(CountryCode::parse) {
                        Some(Ok(r)) => Context::with_region(r),
                        _ => ctx.clone(),
                    };
                    let n = match x.kind.as_deref().map(str::parse::<IdentifierKind>) {
                        Some(Ok(k)) => normalize(k, &x.value, &ctx).ok(),
                        Some(Err(_)) => None,
                        None => match detect(&x.value, &ctx) {
                            Detection::Found(n) => Some(n),
                            _ => None,
                        },
                    };
                    if let Some(n) = n {
                        refs(&n, &mut entities, &mut seen);
                    }
                }
                EntityIn::Person(p) => {
                    for d in &p.documents {
                        if let Ok(n) = normalize(IdentifierKind::Document, d, &ctx) {
                            refs(&n, &mut entities, &mut seen);
                        }
                    }
                }
                _ => {}
            }
        }
        for e in &entities {
            let o = by_key
                .get(&key(&e.kind, &e.value))
                .cloned()
                .unwrap_or(Owner::Nobody);
            owner.entry(e.id).or_insert(o);
        }
        let ts = |s: &Option<String>| s.as_deref().and_then(|t| t.parse::<Timestamp>().ok());
        let reported_at = ts(&g.report.reported_at).unwrap_or(Timestamp::UNIX_EPOCH);
        let distribution = Distribution {
            agencies: g
                .report
                .distribution
                .agencies
                .iter()
                .map(|u| AgencyId(*u))
                .collect(),
            groups: g
                .report
                .distribution
                .groups
                .iter()
                .map(|u| GroupId(*u))
                .collect(),
        };
        let record = ReportRecord {
            id: g.report.id.map(ReportId).unwrap_or_else(ReportId::random),
            owner: AgencyId(g.agency),
            author,
            kind: ReportKind::parse(&g.report.kind).unwrap_or(ReportKind::Intelligence),
            marking: g.report.marking.parse().unwrap_or(Tlp::Green),
            distribution,
            methods: g.report.methods.clone(),
            victim_country: None,
            occurred_at: ts(&g.report.occurred_at),
            reported_at,
            recorded_at: reported_at,
            version: 1,
            retracted_at: None,
            hit_notices: g.report.hit_notices.unwrap_or(true),
            fingerprint: [0; 32],
            entities,
            body: String::new(),
        };
        changes.push(ChangedReport {
            rev: i as u64 + 1,
            seq: i as u64 + 1,
            report: record,
        });
        syndicate.push(g.truth.report.syndicate.map(str::to_owned));
    }
    World {
        agencies,
        changes,
        syndicate,
        owner,
        role,
    }
}
