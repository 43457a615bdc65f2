//! Highlights: tantivy's snippet generator over the stored narrative.

use crate::request::{FRAGMENT_CHARS, Highlight};
use tantivy::snippet::SnippetGenerator;

/// The best fragment of `narrative` (about [`FRAGMENT_CHARS`] characters) with the byte ranges
/// of the searched words in it; none when no searched word is in the text.
pub(crate) fn highlights(generator: &mut SnippetGenerator, narrative: &str) -> Vec<Highlight> {
    // The generator measures fragments in bytes; a Thai or Hindi character takes three.
    let chars = narrative.chars().count().max(1);
    let max_bytes = (FRAGMENT_CHARS.saturating_mul(narrative.len()) / chars).max(FRAGMENT_CHARS);
    generator.set_max_num_chars(max_bytes);
    let snippet = generator.snippet(narrative);
    if snippet.fragment().is_empty() {
        return Vec::new();
    }
    vec![Highlight {
        fragment: snippet.fragment().to_owned(),
        ranges: snippet.highlighted().to_vec(),
    }]
}
