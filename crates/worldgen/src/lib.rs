//! The synthetic demo world: a seeded, reproducible set of agencies, syndicates, victims'
//! reports, money trails and trafficking journeys, with the ground truth beside it so that
//! whatever the analysis finds can be scored. `warroom generate` writes it to a directory;
//! the demo loader streams it into a node without files.
//!
//! # The world
//!
//! - **Agencies** ([`World`]): Thailand hosts the war room (the Royal Thai Police's Anti Online
//!   Scam Operation Center "AOC 1441", the Cyber Crime Investigation Bureau, the Tourist
//!   Police, the Immigration Bureau; AMLO; a bank and a telco as reporting members), with the
//!   US Secret Service, FBI and HSI and a US bank, Japan's National Police Agency and a
//!   Japanese bank, India's I4C and an Indian bank. Sharing groups mirror the real bilateral
//!   arrangements (TH-US, TH-JP, TH-IN), a Mekong trafficking task force, a banks' group, a
//!   telecom group and the war room itself. One user per agency (`<slug>.analyst`). Ids are
//!   UUIDv5 in a namespace derived from the seed.
//! - **Syndicates** run call centres in compounds (KK Park and Shwe Kokko near Myawaddy,
//!   Poipet, the Golden Triangle SEZ; real coordinates) and target countries with methods that
//!   fit them (Japan: fake police, "ore ore" family emergency, phishing SMS; India: "digital
//!   arrest", courier parcels; the US: "pig butchering" investment, romance, tech support;
//!   Thailand: police impersonation, loan apps, fake jobs). Their infrastructure (phones,
//!   chat accounts, mule accounts in three layers, wallets, phishing domains and links,
//!   e-mail addresses, SIM-box IMEIs, recruiters' accounts and job sites) lives in pools that
//!   rotate; some pools are shared between syndicates (a SIM-box vendor, a mule broker, a
//!   collectors' ring, a USDT launderer, a VoIP reseller). The sharing makes two families
//!   (Golden Lotus, Jade Tiger, Silver Tide; Dragon Bay, Red Crane, Black Orchid) that only
//!   noise connects.
//! - **Victims** report to their own country's agency in their own language (th, ja, hi, en),
//!   writing identifiers the way people do: Thai `081-234-5678` and Thai digits, Japanese
//!   `090-1234-5678` and full-width digits, Indian `98765 43210`, US `(415) 555-0134`,
//!   international forms, bank names instead of codes, `LINE ID: ...`, defanged links
//!   (`hxxps://evil[.]top/...`), wallets with token labels, amounts in local formats (Thai
//!   Buddhist-era dates, 万円, Indian lakh grouping), typos. Every number is in a range
//!   libphonenumber holds valid, and every writing normalises, in the reporting agency's
//!   region, to its item's canonical form (the tests check each one).
//! - **Money** goes victim → first-layer mule → second layer → third layer → wallet, as
//!   `transferred_to` relationships with amounts and times, in victims' complaints and in
//!   `financial_trace` reports of banks, AMLO and the Secret Service.
//! - **Trafficking**: recruits answer fake job offers (recruiters' Telegram, Facebook, LINE
//!   or WhatsApp accounts, phones, job sites), fly into BKK or DMK (or Chiang Rai), travel to
//!   the border town and cross to the compound. Thai immigration records the legs
//!   (`travel_record` with `travelled` relationships and `via` places); home countries file
//!   `trafficking_referral`s. Ordinary tourists and border traders use the same airports and
//!   crossings (some to Poipet itself) and are not trafficked.
//! - **People** (suspects, mule account holders, recruits, victims, travellers) are recorded
//!   by several agencies under variants: Thai script, Japanese kanji (and old forms) or
//!   katakana, Devanagari, Chinese, Latin; romanisations (Sato / Satou / Satō / Satoh,
//!   Somchai / Somchay, Srinivasan / Shrinivasan), typos, swapped name order, missing or
//!   day-month-swapped birth dates, passports and Thai national IDs.
//! - **Noise**: police and government hotlines (TH 1441, 1599, 1111, 191; IN 1930; JP
//!   #9110, 110: short codes, submitted raw with `invalid_identifiers: "keep_raw"`), bank and
//!   courier call centres (also shown by spoofed caller IDs), platforms' domains (facebook.com,
//!   line.me, google.com, bit.ly, gmail.com...), official reporting sites. Some reports carry
//!   deliberately broken identifiers (a number typed half-way, a handle without its platform),
//!   also kept raw. Some complaints are about small independent scammers, and some are false
//!   alarms about legitimate numbers.
//!
//! Solvability is built in (see the `infra` module): every report of a syndicate carries at
//! least one identifier an earlier report of that syndicate carried, so each syndicate's
//! reports form one connected component of the report-identifier graph without the noise;
//! rotation keeps any single identifier out of most of them (no identifier is in a fifth of a
//! syndicate's reports); the noise values appear in every syndicate's reports and merge all
//! of them into one component.
//!
//! Determinism: everything comes from ChaCha8 streams seeded with the seed and from the fixed
//! epoch 2026-01-01T00:00:00Z (reports are made over the 300 days after it; what they
//! describe may have happened days before); integer arithmetic only (no platform `ln`/`exp`);
//! no hash-map order, no clock. The same seed and scale give the same bytes.
//!
//! # Output layout
//!
//! [`generate`] writes into a directory:
//! - `world.json`: [`World`]: `seed`, `agencies` (`id`, `slug`, `name`, `country`, `kind`),
//!   `groups` (`id`, `slug`, `name`, `members`: agency ids), `users` (`id`, `agency`,
//!   `username`, `display_name`, `roles`).
//! - `reports/<agency slug>.ndjson`: one [`warroom_wire::ReportIn`] a line, the reports that
//!   agency submits, in submission order, each with its client `id` (UUIDv5 of the report's
//!   number), so loading twice is idempotent.
//! - `truth.json`: the ground truth (below).
//! - `manifest.json`: [`Manifest`]: seed, scale, counts (reports, identifier sightings,
//!   distinct identifiers, people, per agency) and the size of every file.
//!
//! # `truth.json`
//!
//! One JSON object. Its small fields come first ([`TruthHead`]); its three long lists are
//! written one record a line:
//! - `format`: `warroom-worldgen-truth/1`; `seed`, `scale`; `epoch`.
//! - `syndicates` ([`SyndicateTruth`]): `slug`, `name`, `aliases`, `compound` (`name`,
//!   `country`, `lat`, `lon`), `targets` (`country`, `methods`: method slugs),
//!   `recruits_from` (countries), `front_company`.
//! - `shared_infrastructure` ([`SharedTruth`]): `label`, `syndicates` (slugs), `role`,
//!   `country`: pools several syndicates draw from.
//! - `noise` ([`NoiseTruth`]): `category` (`hotline`, `bank_call_centre`, `delivery`,
//!   `platform`, `official_site`), `label`, `country`, `kind`, `raw` (as written in its
//!   country), `canonical` (absent for short codes, which never normalise). Analysis must not
//!   correlate on these.
//! - `people` ([`PersonTruth`]): every real person who appears: `id` (`P` + 7 digits), `role`
//!   (`suspect`, `mule_holder`, `recruit`, `traveller`, `victim`), `syndicate` (for suspects,
//!   mule holders and recruits, the syndicate they belong to or were trafficked by; for victims,
//!   the syndicate that defrauded them), `nationality`, `sex`, the true `birth_date`, `name`
//!   (passport spelling, given name first), `native_name` (own script), `documents`
//!   (canonical `CC:NUMBER`).
//! - `identifiers` ([`IdentifierTruth`]): every identifier the reports carry in a valid
//!   writing, once, in order of first appearance: `kind`, `canonical` (as the node computes
//!   it in the reporting agency's region: every writing of the value gives this form),
//!   `role` (`calling_phone`, `sms_sender`, `messaging`, `mule_l1`, `mule_l2`, `mule_l3`,
//!   `wallet`, `phishing_domain`, `phishing_url`, `email`, `recruiter_phone`,
//!   `recruiter_messaging`, `job_site`, `device`, `victim_account`, `victim_contact`,
//!   `lone_scammer`),
//!   `syndicates` (owners' slugs: one, several for shared infrastructure, none for victims'
//!   accounts and independent scammers), `implied` (`kind:canonical` of identifiers the node
//!   derives from it, such as a URL's domains or a WhatsApp account's phone; these are sighted
//!   with it), `holder` (the mule's person id), `victim_of` (for a victim's account or
//!   phone: the syndicate that defrauded them).
//!   Identifiers not listed here or in `noise` do not occur in valid writings.
//! - `reports` ([`ReportTruth`]): every report in submission order: `id` (the client id),
//!   `agency` (slug), `kind`, `syndicate` (whose identifiers it carries, if any), `method`
//!   (for complaints), `persons` (`ref` of the person entity in the report and the `person`
//!   id: which records are the same person), `travel` (`person`, `trafficking`,
//!   `syndicate`, `leg`: whether a travel record is trafficking), `noise_only` (a false
//!   alarm), `invalid` (values kept raw because they were written broken), `sightings`.
//!
//! Organisations carry no ground-truth id: a syndicate entity is named by its name or one of
//! its aliases, a front company by the syndicate's `front_company`.
//!
//! # Memory
//!
//! Reports stream out as they are made. What the generator holds is bounded by pool sizes,
//! suspects per syndicate (at most 48), pending follow-ups (a few percent of a month of
//! reports) and two bit sets over people and identifiers (one bit each). `truth.json`'s lists
//! go through temporary files.

mod agencies;
mod alloc;
mod clock;
mod country;
mod draft;
mod ids;
mod infra;
mod intel;
mod money;
mod names;
mod narrative;
mod noise;
mod officer;
mod output;
mod people;
mod phones;
mod places;
mod rng;
mod state;
mod stories;
mod stream;
mod syndicates;
mod trafficking;
mod truth;
mod values;
mod victim;

use std::path::PathBuf;
use uuid::Uuid;
use warroom_domain::AgencyId;
use warroom_wire::ReportIn;

pub use agencies::{World, WorldAgency, WorldGroup, WorldUser};
pub use clock::{DAYS, EPOCH, EPOCH_TEXT};
pub use infra::Role;
pub use noise::{NoiseCategory, NoiseTruth};
pub use output::{AgencyCounts, Manifest, generate};
pub use people::{PersonRole, PersonTruth};
pub use stream::{Generated, Steps};
pub use truth::{
    CompoundTruth, IdentifierTruth, PersonRecord, ReportTruth, SharedTruth, StepTruth,
    SyndicateTruth, TargetTruth, TravelTruth, TruthHead,
};

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    pub seed: u64,
    /// The number of reports (each carries about five identifier sightings on average, so
    /// 10M sightings is a scale of about two million).
    pub scale: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            seed: 1,
            scale: 3000,
        }
    }
}

/// Why a world could not be written. The message names the file and the reason.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: cannot encode JSON: {error}", path.display())]
    Json {
        path: PathBuf,
        error: serde_json::Error,
    },
}

/// The agencies, groups and users of the world of `config.seed` (independent of the scale).
pub fn world(config: &Config) -> World {
    World::new(config.seed)
}

/// The reports in submission order, each with the id of the agency whose user submits it.
pub fn reports(config: &Config) -> impl Iterator<Item = (AgencyId, ReportIn)> + use<> {
    Steps::new(config).map(|g| (AgencyId(g.agency), g.report))
}

/// The reports with their ground truth, in submission order.
pub fn steps(config: &Config) -> Steps {
    Steps::new(config)
}

/// The small part of `truth.json`: syndicates, shared infrastructure, noise.
pub fn truth_head(config: &Config) -> TruthHead {
    use syndicates::{SHARED, SYNDICATES};
    TruthHead {
        format: "warroom-worldgen-truth/1",
        seed: config.seed,
        scale: config.scale,
        epoch: EPOCH_TEXT,
        syndicates: SYNDICATES
            .iter()
            .map(|s| {
                let c = s.compound.info();
                SyndicateTruth {
                    slug: s.slug,
                    name: s.name,
                    aliases: s.aliases,
                    compound: CompoundTruth {
                        name: c.name,
                        country: c.country.code(),
                        lat: c.lat,
                        lon: c.lon,
                    },
                    targets: s
                        .targets
                        .iter()
                        .map(|(cc, _, methods)| TargetTruth {
                            country: cc.code(),
                            methods: methods.iter().map(|(m, _)| m.slug()).collect(),
                        })
                        .collect(),
                    recruits_from: s.recruits.iter().map(|(c, _)| c.code()).collect(),
                    front_company: s.front,
                }
            })
            .collect(),
        shared_infrastructure: SHARED
            .iter()
            .map(|(label, members, role, cc)| SharedTruth {
                label,
                syndicates: members.iter().map(|m| SYNDICATES[*m].slug).collect(),
                role: *role,
                country: cc.code(),
            })
            .collect(),
        noise: noise::table().iter().map(noise::Noise::truth).collect(),
    }
}

/// The id of an agency by slug, for callers that address agencies by name.
pub fn agency_id(world: &World, slug: &str) -> Option<Uuid> {
    world.agencies.iter().find(|a| a.slug == slug).map(|a| a.id)
}
