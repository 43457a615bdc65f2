//! One module per page: the data it shows and its template. The server fills them.

pub mod admin;
pub mod dashboard;
pub mod entity;
pub mod error;
pub mod login;
pub mod report;
pub mod report_form;
pub mod search;

pub use askama::Template;

/// JSON for a `<script type="application/json">` block: `<` escaped so no text can close it.
pub fn script_json(value: &str) -> String {
    value
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A link to another agency's report, or the way to ask for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Party {
    pub agency: String,
    /// The report's id when the viewer may read it.
    pub report: Option<String>,
}
