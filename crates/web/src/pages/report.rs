use super::Party;
use crate::Chrome;
use askama::Template;

#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage {
    pub chrome: Chrome,
    pub id: String,
    pub owner: String,
    pub kind: String,
    pub marking: String,
    /// Agencies and groups the report is distributed to, by name.
    pub distribution: Vec<String>,
    pub methods: Vec<String>,
    pub victim_country: String,
    pub occurred_at: String,
    pub reported_at: String,
    pub version: u32,
    pub retracted: bool,
    pub hit_notices: bool,
    pub narrative: String,
    pub language: String,
    pub identifiers: Vec<IdentifierRow>,
    /// People, organisations and places, as `(kind, name)`.
    pub others: Vec<(String, String)>,
    pub just_submitted: bool,
}

impl ReportPage {
    pub fn tlp_class(&self) -> String {
        crate::format::tlp_class(&self.marking)
    }
}

/// An identifier of the report and where else it is known.
#[derive(Clone, Debug, PartialEq)]
pub struct IdentifierRow {
    pub entity: Option<String>,
    pub kind: String,
    pub raw: String,
    pub canonical: String,
    /// Other agencies that hold it: readable reports link, others are "ask through an RFI".
    pub elsewhere: Vec<Party>,
    pub noise: Option<String>,
}
