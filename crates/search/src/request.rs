//! What a search asks and what it answers.

use jiff::Timestamp;
use std::ops::Range;
use warroom_domain::{AgencyId, CountryCode, GroupId, ReportId, ReportKind};

/// At most this many results per page; a larger `limit` is clamped to it.
pub const MAX_LIMIT: usize = 100;
/// Results past this position are not served: an `offset` beyond it is
/// [`crate::SearchError::OffsetTooLarge`] (clamping would silently show another page).
pub const MAX_OFFSET: usize = 10_000;
/// The longest search text, in characters; longer is [`crate::SearchError::QueryTooLong`].
pub const MAX_QUERY_CHARS: usize = 512;
/// The longest highlight fragment, in characters (about; it ends on a word boundary).
pub const FRAGMENT_CHARS: usize = 200;

/// One search: words to find, who is asking, and filters.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// Words separated by spaces, all required; `"..."` keeps a phrase together. Words in Thai
    /// or Japanese need no spaces between them: each space-separated part is matched as a
    /// phrase of the words it splits into.
    pub text: String,
    pub scope: Scope,
    pub filter: Filter,
    pub offset: usize,
    /// Clamped to [`MAX_LIMIT`]; 0 returns nothing.
    pub limit: usize,
}

/// Who is searching: only reports this viewer may read in full are candidates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub agency: AgencyId,
    /// The sharing groups the agency is in.
    pub groups: Vec<GroupId>,
    /// Whether the viewer reads RED (analysts and supervisors of a named agency).
    pub red: bool,
}

/// Narrowing filters; every present one must hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// A scam method slug the report lists.
    pub method: Option<String>,
    pub victim_country: Option<CountryCode>,
    pub owner: Option<AgencyId>,
    pub kind: Option<ReportKind>,
    /// `reported_at` at or after.
    pub since: Option<Timestamp>,
    /// `reported_at` before.
    pub until: Option<Timestamp>,
}

/// One matching report, best first (BM25; equal scores newest first).
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub report: ReportId,
    pub score: f32,
    pub highlights: Vec<Highlight>,
}

/// A piece of the narrative around the matches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlight {
    pub fragment: String,
    /// Byte ranges inside `fragment` of the matched words.
    pub ranges: Vec<Range<usize>>,
}
