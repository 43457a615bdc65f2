//! The ground truth written beside the data (`truth.json`). See the crate documentation for
//! the file's layout; every type here is one of its records.

use crate::infra::Role;
use crate::noise::NoiseTruth;
use crate::people::PersonTruth;
use serde::Serialize;
use uuid::Uuid;

/// One identifier the reports carry, first seen in a valid writing (`identifiers`).
#[derive(Clone, Debug, Serialize)]
pub struct IdentifierTruth {
    /// `phone`, `messaging`, `bank_account`, `crypto_wallet`, `domain`, `url`, `email`, `imei`.
    pub kind: &'static str,
    /// The canonical form the node computes (in the reporting agency's region; every writing
    /// of the value gives this one).
    pub canonical: String,
    pub role: Role,
    /// Slugs of the syndicates that own it: one, several for shared infrastructure, none for
    /// victims' accounts and independent scammers.
    pub syndicates: Vec<&'static str>,
    /// `kind:canonical` of the identifiers the node derives from it (a URL's domains, a
    /// WhatsApp account's phone); these are sighted with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub implied: Vec<String>,
    /// The account holder (`people[].id`), for bank accounts of mules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    /// For a victim's own account or phone: the syndicate that defrauded them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub victim_of: Option<&'static str>,
}

/// One person record inside a report: the entity `ref` and the real person.
#[derive(Clone, Debug, Serialize)]
pub struct PersonRecord {
    #[serde(rename = "ref")]
    pub reference: String,
    /// `people[].id`.
    pub person: String,
}

/// What a travel record really is.
#[derive(Clone, Debug, Serialize)]
pub struct TravelTruth {
    /// `people[].id`.
    pub person: String,
    /// True when the journey is a trafficking route to a compound.
    pub trafficking: bool,
    /// For trafficking: the syndicate that recruited the traveller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub syndicate: Option<&'static str>,
    /// `arrival` (at an airport), `checkpoint` (on the road to or across the border),
    /// `return` (repatriation back across the border).
    pub leg: &'static str,
}

/// The truth of one report (`reports`), in submission order.
#[derive(Clone, Debug, Serialize)]
pub struct ReportTruth {
    /// The report's client id (`ReportIn.id`).
    pub id: Uuid,
    /// The agency slug (`reports/<slug>.ndjson`).
    pub agency: &'static str,
    pub kind: &'static str,
    /// The syndicate whose activity the report's identifiers come from; every report with a
    /// syndicate carries at least one identifier that an earlier report of the same syndicate
    /// carried (except the syndicate's first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub syndicate: Option<&'static str>,
    /// Method slug, for complaints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<&'static str>,
    /// Which real person each person entity is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<PersonRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub travel: Option<TravelTruth>,
    /// The report carries only noise values (a legitimate call reported as a scam).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub noise_only: bool,
    /// Identifier values deliberately written so they do not normalise (kept raw).
    #[serde(skip_serializing_if = "is_zero")]
    pub invalid: u32,
    /// Identifier entities plus person documents in the report.
    pub sightings: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A syndicate (`syndicates`).
#[derive(Clone, Debug, Serialize)]
pub struct SyndicateTruth {
    pub slug: &'static str,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// The compound: name, country, coordinates.
    pub compound: CompoundTruth,
    /// Target countries and the method slugs used on each.
    pub targets: Vec<TargetTruth>,
    /// Countries recruits come from.
    pub recruits_from: Vec<&'static str>,
    /// The front company named in fake job offers.
    pub front_company: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct CompoundTruth {
    pub name: &'static str,
    pub country: &'static str,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct TargetTruth {
    pub country: &'static str,
    pub methods: Vec<&'static str>,
}

/// Infrastructure several syndicates share (`shared_infrastructure`).
#[derive(Clone, Debug, Serialize)]
pub struct SharedTruth {
    pub label: &'static str,
    pub syndicates: Vec<&'static str>,
    pub role: Role,
    pub country: &'static str,
}

/// The small part of `truth.json` written before the streamed lists.
#[derive(Clone, Debug, Serialize)]
pub struct TruthHead {
    /// `warroom-worldgen-truth/1`.
    pub format: &'static str,
    pub seed: u64,
    pub scale: u64,
    pub epoch: &'static str,
    pub syndicates: Vec<SyndicateTruth>,
    pub shared_infrastructure: Vec<SharedTruth>,
    pub noise: Vec<NoiseTruth>,
}

/// The truth records one generated report adds: its own, and the people and identifiers it
/// shows for the first time.
#[derive(Clone, Debug)]
pub struct StepTruth {
    pub report: ReportTruth,
    pub people: Vec<PersonTruth>,
    pub identifiers: Vec<IdentifierTruth>,
}
