//! Reading a generated world back, and normalising its identifiers the way the node does.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use warroom_domain::{CountryCode, IdentifierKind};
use warroom_normalize::{Context, Detection, detect, normalize};
use warroom_wire::{EntityIn, ReportIn};

pub struct Loaded {
    pub world: Value,
    pub truth: Value,
    /// (agency slug, agency country, report), in file order per agency.
    pub reports: Vec<(String, String, ReportIn)>,
}

pub fn load(dir: &Path) -> Loaded {
    let world: Value =
        serde_json::from_slice(&std::fs::read(dir.join("world.json")).expect("world.json"))
            .expect("world json");
    let truth: Value =
        serde_json::from_slice(&std::fs::read(dir.join("truth.json")).expect("truth.json"))
            .expect("truth json");
    let mut reports = Vec::new();
    for a in world["agencies"].as_array().expect("agencies") {
        let slug = a["slug"].as_str().expect("slug").to_owned();
        let country = a["country"].as_str().expect("country").to_owned();
        let text = std::fs::read_to_string(dir.join("reports").join(format!("{slug}.ndjson")))
            .expect("reports file");
        for line in text.lines() {
            let r: ReportIn = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            reports.push((slug.clone(), country.clone(), r));
        }
    }
    Loaded {
        world,
        truth,
        reports,
    }
}

/// One identifier entity as the node reads it.
#[derive(Debug)]
pub enum Read {
    /// `kind:canonical`, and the `kind:canonical` of what it implies.
    Valid(String, Vec<String>),
    /// Did not normalise: the raw value and the error code.
    Raw(String, String),
}

/// Normalises every identifier entity and person document of `r` in `country` (the owner
/// agency's), honouring `region` and detecting absent kinds, like the node's ingest.
pub fn read(r: &ReportIn, country: &str) -> Vec<Read> {
    let owner = Context::with_region(CountryCode::parse(country).expect("country"));
    let mut out = Vec::new();
    for e in &r.entities {
        match e {
            EntityIn::Identifier(i) => {
                let ctx = match &i.region {
                    Some(reg) => Context::with_region(CountryCode::parse(reg).expect("region")),
                    None => owner.clone(),
                };
                let res = match &i.kind {
                    Some(k) => {
                        normalize(k.parse::<IdentifierKind>().expect("kind"), &i.value, &ctx)
                            .map_err(|e| e.code().to_owned())
                    }
                    None => match detect(&i.value, &ctx) {
                        Detection::Found(n) => Ok(n),
                        Detection::Ambiguous(_) => Err("ambiguous".to_owned()),
                        Detection::None(e) => Err(e.code().to_owned()),
                    },
                };
                out.push(match res {
                    Ok(n) => Read::Valid(
                        n.identifier.to_string(),
                        n.implied.iter().map(ToString::to_string).collect(),
                    ),
                    Err(code) => Read::Raw(i.value.clone(), code),
                });
            }
            EntityIn::Person(p) => {
                for d in &p.documents {
                    let n = normalize(IdentifierKind::Document, d, &owner)
                        .unwrap_or_else(|e| panic!("document {d}: {e}"));
                    out.push(Read::Valid(n.identifier.to_string(), vec![]));
                }
            }
            _ => {}
        }
    }
    out
}

/// `kind:canonical` of every noise value that has a canonical form.
pub fn noise_keys(truth: &Value) -> BTreeMap<String, String> {
    truth["noise"]
        .as_array()
        .expect("noise")
        .iter()
        .filter_map(|n| {
            Some((
                format!("{}:{}", n["kind"].as_str()?, n["canonical"].as_str()?),
                n["category"].as_str()?.to_owned(),
            ))
        })
        .collect()
}

/// The report truths by report id.
pub fn report_truths(truth: &Value) -> BTreeMap<String, Value> {
    truth["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| (r["id"].as_str().expect("id").to_owned(), r.clone()))
        .collect()
}
