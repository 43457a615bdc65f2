use super::Party;
use crate::Chrome;
use askama::Template;
use std::ops::Range;

#[derive(Template)]
#[template(path = "search.html")]
pub struct Search {
    pub chrome: Chrome,
    pub q: String,
    /// How the query was read when it is an identifier: (kind, canonical).
    pub normalized: Option<(String, String)>,
    /// The identifier found, as the viewer may know it.
    pub entity: Option<EntityCard>,
    /// Warninglist entries the query is (short codes kept as written): their reasons.
    pub warnings: Vec<String>,
    pub reports: Vec<ReportResult>,
    /// Link to the next page, when there is one.
    pub next: Option<String>,
    /// A readable refusal of the query (too long, bad filter...).
    pub error: Option<String>,
    pub searched: bool,
}

/// An identifier with what the viewer may know of it.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityCard {
    pub id: String,
    pub kind: String,
    pub value: String,
    /// (agency, reports) the viewer may read.
    pub sightings: Vec<(String, u64)>,
    /// Agencies holding it in reports the viewer may not read (ask through an RFI).
    pub held_by: Vec<Party>,
    pub noise: Option<String>,
    pub risk: Option<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReportResult {
    pub id: String,
    pub owner: String,
    pub marking: String,
    pub methods: Vec<String>,
    pub country: String,
    pub at: String,
    pub snippets: Vec<Vec<Segment>>,
}

impl ReportResult {
    pub fn tlp_class(&self) -> String {
        crate::format::tlp_class(&self.marking)
    }
}

/// A piece of a highlighted fragment.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub text: String,
    pub mark: bool,
}

/// Cuts `fragment` at the matched byte `ranges` (ranges off a character boundary or out of
/// order are skipped, never a panic).
pub fn segments(fragment: &str, ranges: &[Range<usize>]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in ranges {
        if r.start < at
            || r.end <= r.start
            || !fragment.is_char_boundary(r.start)
            || !fragment.is_char_boundary(r.end)
            || r.end > fragment.len()
        {
            continue;
        }
        if r.start > at {
            out.push(Segment {
                text: fragment[at..r.start].to_owned(),
                mark: false,
            });
        }
        out.push(Segment {
            text: fragment[r.start..r.end].to_owned(),
            mark: true,
        });
        at = r.end;
    }
    if at < fragment.len() {
        out.push(Segment {
            text: fragment[at..].to_owned(),
            mark: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_cut_at_their_matches_and_bad_ranges_are_skipped() {
        let text = "โทร 0812345678 ด่วน";
        let at = text.find('0').unwrap_or_default();
        // A range off a character boundary, one overlapping the match, one past the end.
        let s = segments(text, &[at..at + 10, 1..2, at + 5..at + 12, at + 11..999]);
        let marked: Vec<_> = s
            .iter()
            .filter(|x| x.mark)
            .map(|x| x.text.as_str())
            .collect();
        assert_eq!(marked, vec!["0812345678"]);
        let whole: String = s.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(whole, text);
    }
}
