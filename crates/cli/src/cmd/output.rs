//! The NDJSON records `normalize` and `extract` write. The wire shape lives here, not in the
//! normaliser (wire formats stay at the edge).

use serde::Serialize;
use warroom_normalize::{NormalizeError, Normalized};

#[derive(Debug, Serialize)]
pub struct ErrorOut {
    pub code: &'static str,
    pub message: String,
}

impl From<&NormalizeError> for ErrorOut {
    fn from(e: &NormalizeError) -> Self {
        Self {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// One value: `{input, kind, canonical, region, type, valid, error}`.
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    pub input: &'a str,
    pub kind: Option<&'static str>,
    pub canonical: Option<&'a str>,
    pub region: Option<String>,
    #[serde(rename = "type")]
    pub subtype: Option<&'a str>,
    pub valid: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub implied: Vec<String>,
    pub error: Option<ErrorOut>,
    /// Set only when the kind could not be decided: the kinds the value could be.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<&'static str>,
}

impl<'a> Record<'a> {
    pub fn ok(input: &'a str, n: &'a Normalized) -> Self {
        Self {
            input,
            kind: Some(n.identifier.kind().as_str()),
            canonical: Some(n.identifier.canonical()),
            region: n.region.map(|r| r.to_string()),
            subtype: n.subtype.as_deref(),
            valid: n.valid,
            implied: n.implied.iter().map(|i| i.to_string()).collect(),
            error: None,
            candidates: Vec::new(),
        }
    }

    pub fn err(input: &'a str, kind: Option<&'static str>, error: ErrorOut) -> Self {
        Self {
            input,
            kind,
            canonical: None,
            region: None,
            subtype: None,
            valid: false,
            implied: Vec::new(),
            error: Some(error),
            candidates: Vec::new(),
        }
    }
}
