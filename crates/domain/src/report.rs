//! Reports, the unit of contribution, and public advisories.

use crate::country::CountryCode;
use crate::entity::Entity;
use crate::ids::{AgencyId, ReportId, UserId};
use crate::marking::{Distribution, Tlp};
use crate::relationship::Relationship;
use crate::scam_method::ScamMethod;
use jiff::Timestamp;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportKind {
    VictimComplaint,
    Intelligence,
    Arrest,
    Raid,
    Seizure,
    TravelRecord,
    TraffickingReferral,
    FinancialTrace,
    Advisory,
}

impl ReportKind {
    pub const ALL: [ReportKind; 9] = [
        ReportKind::VictimComplaint,
        ReportKind::Intelligence,
        ReportKind::Arrest,
        ReportKind::Raid,
        ReportKind::Seizure,
        ReportKind::TravelRecord,
        ReportKind::TraffickingReferral,
        ReportKind::FinancialTrace,
        ReportKind::Advisory,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::VictimComplaint => "victim_complaint",
            ReportKind::Intelligence => "intelligence",
            ReportKind::Arrest => "arrest",
            ReportKind::Raid => "raid",
            ReportKind::Seizure => "seizure",
            ReportKind::TravelRecord => "travel_record",
            ReportKind::TraffickingReferral => "trafficking_referral",
            ReportKind::FinancialTrace => "financial_trace",
            ReportKind::Advisory => "advisory",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The languages warroom serves the public in (BCP 47 primary tags); narratives in other
/// languages are kept as `Other`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    Th,
    En,
    Ja,
    Hi,
    Other(String),
}

impl Language {
    pub fn parse(tag: &str) -> Self {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "th" => Language::Th,
            "en" => Language::En,
            "ja" => Language::Ja,
            "hi" => Language::Hi,
            _ => Language::Other(primary),
        }
    }
    pub fn as_str(&self) -> &str {
        match self {
            Language::Th => "th",
            Language::En => "en",
            Language::Ja => "ja",
            Language::Hi => "hi",
            Language::Other(s) => s,
        }
    }
}

/// An amount in minor units (satang, cents, yen, paise) of an ISO 4217 currency, so that sums
/// are exact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Money {
    pub minor_units: i64,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub id: ReportId,
    pub owner: AgencyId,
    pub author: UserId,
    pub kind: ReportKind,
    pub occurred_at: Option<Timestamp>,
    pub reported_at: Timestamp,
    pub methods: Vec<ScamMethod>,
    pub narrative: String,
    pub language: Language,
    pub loss: Option<Money>,
    pub victim_country: Option<CountryCode>,
    pub marking: Tlp,
    pub distribution: Distribution,
    pub entities: Vec<Entity>,
    pub relationships: Vec<Relationship>,
    /// The owner can turn hit notices off per report (SPEC section 4).
    pub hit_notices: bool,
    pub version: u32,
    pub retracted: bool,
}

/// A public warning a supervisor publishes, in one or more languages.
#[derive(Clone, Debug, PartialEq)]
pub struct Advisory {
    pub id: ReportId,
    pub agency: AgencyId,
    pub methods: Vec<ScamMethod>,
    /// (language, title, body) per language.
    pub texts: Vec<(Language, String, String)>,
    pub published_at: Option<Timestamp>,
}
