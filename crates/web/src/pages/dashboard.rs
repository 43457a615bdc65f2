use super::Party;
use crate::Chrome;
use askama::Template;

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct Dashboard {
    pub chrome: Chrome,
    /// Newest hits of the viewer's agency (the live stream prepends to these).
    pub hits: Vec<HitItem>,
    pub recent: Vec<ReportItem>,
    /// Charts as SVG markup from [`crate::chart`] (escaped there).
    pub charts: Vec<String>,
    /// The map as SVG markup from [`crate::map`].
    pub map: String,
    /// `{agency id: name}` for the live feed, ready for a JSON script block.
    pub agencies_json: String,
    /// Reports counted in the charts.
    pub counted: u64,
    pub truncated: bool,
    /// The hit index is still being built.
    pub index_building: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HitItem {
    pub id: String,
    pub at: String,
    pub entity_id: String,
    pub kind: String,
    pub value: String,
    /// The viewer's agency made the later report (`submitted`) or held the earlier (`held`).
    pub submitted: bool,
    pub report: Party,
    pub counterparts: Vec<Party>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReportItem {
    pub id: String,
    pub at: String,
    pub owner: String,
    pub methods: Vec<String>,
    pub marking: String,
    pub identifiers: u64,
}

impl ReportItem {
    pub fn tlp_class(&self) -> String {
        crate::format::tlp_class(&self.marking)
    }
}
