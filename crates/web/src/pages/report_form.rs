use crate::Chrome;
use askama::Template;

#[derive(Template)]
#[template(path = "report_form.html")]
pub struct ReportForm {
    pub chrome: Chrome,
    /// Chosen when the form is first shown: submitting twice stores one report.
    pub report_id: String,
    pub narrative: String,
    /// Region national writings are read in (the agency's country by default).
    pub region: String,
    pub kind: String,
    pub marking: String,
    pub victim_country: String,
    pub hit_notices: bool,
    pub methods: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub markings: Vec<Choice>,
    pub agencies: Vec<Choice>,
    pub groups: Vec<Choice>,
    pub identifier_kinds: Vec<String>,
    /// The identifiers found or typed, with how each normalises.
    pub rows: Vec<IdentifierRow>,
    /// Whether identifiers were extracted yet (the second step).
    pub extracted: bool,
    /// Errors of the last submission, each with the field it names.
    pub errors: Vec<(String, String)>,
}

/// An option of a select or a checkbox list.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IdentifierRow {
    pub keep: bool,
    pub kind: String,
    pub value: String,
    /// The canonical form, or the reason it does not normalise.
    pub canonical: Option<String>,
    pub problem: Option<String>,
}

impl ReportForm {
    pub fn kind_selected(&self, row: &IdentifierRow, kind: &str) -> bool {
        row.kind == kind
    }
}
