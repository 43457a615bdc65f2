use crate::Chrome;
use askama::Template;

#[derive(Template)]
#[template(path = "entity.html")]
pub struct EntityPage {
    pub chrome: Chrome,
    pub id: String,
    pub kind: String,
    /// The canonical value; `None` when the viewer reads no report that holds it.
    pub value: Option<String>,
    /// Writings of the value in readable reports, with how many reports used each.
    pub raw_forms: Vec<(String, u64)>,
    pub sightings: Vec<SightingRow>,
    /// Sightings over time by agency (SVG from [`crate::chart`]).
    pub timeline: String,
    /// Agencies holding it in reports the viewer may not read.
    pub held_by: Vec<String>,
    pub noise: Option<String>,
    pub risk: Option<RiskBox>,
    pub reports: Vec<EntityReportRow>,
    /// The viewer may mark the identifier (confirmed / false positive).
    pub may_mark: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SightingRow {
    pub agency: String,
    pub country: String,
    pub reports: u64,
    pub first: String,
    pub last: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RiskBox {
    pub score: u32,
    pub terms: Vec<RiskTermRow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RiskTermRow {
    /// The term's message id (`risk-term-agencies`...).
    pub label_id: String,
    pub points: String,
    pub max_points: String,
    pub explanation: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EntityReportRow {
    pub id: String,
    pub owner: String,
    pub at: String,
    pub marking: String,
    pub methods: Vec<String>,
    pub raw: Vec<String>,
}

impl EntityReportRow {
    pub fn tlp_class(&self) -> String {
        crate::format::tlp_class(&self.marking)
    }
}
