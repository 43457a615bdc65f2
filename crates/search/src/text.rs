//! Search text to required phrases.
//!
//! Hand-written on purpose: tantivy's `QueryParser` reads `field:value`, ranges, boolean
//! operators and boosts from user text, which would let a search name the access fields
//! (`owner:...`) or build expensive queries. Here the only syntax is spaces and double quotes.

use crate::analyzer::MultilingualTokenizer;
use crate::error::SearchError;
use crate::request::MAX_QUERY_CHARS;
use unicode_normalization::UnicodeNormalization;

/// The phrases a search text requires, each as the analysed words of one space-separated part
/// (or one quoted part). Parts that analyse to nothing (punctuation) are dropped.
pub(crate) fn phrases(
    analyzer: &MultilingualTokenizer,
    text: &str,
) -> Result<Vec<Vec<String>>, SearchError> {
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(SearchError::QueryTooLong {
            max: MAX_QUERY_CHARS,
        });
    }
    // NFKC first so that full-width spaces and quotes split like ASCII ones.
    let text: String = text.nfkc().collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut tokens = Vec::new();
    for part in parts(&text) {
        analyzer.analyze(part, &mut tokens);
        let words: Vec<String> = tokens.drain(..).map(|t| t.text).collect();
        if !words.is_empty() && !out.contains(&words) {
            out.push(words);
        }
    }
    if out.is_empty() {
        return Err(SearchError::EmptyQuery);
    }
    Ok(out)
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}')
}

/// Splits on whitespace outside quotes; a quoted part runs to the next quote (or the end).
fn parts(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let boundary = is_quote(c) || (!quoted && c.is_whitespace());
        if boundary {
            if start < i {
                out.push(&text[start..i]);
            }
            start = i + c.len_utf8();
            if is_quote(c) {
                quoted = !quoted;
            }
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Vec<Vec<String>>, SearchError> {
        phrases(&MultilingualTokenizer::default(), text)
    }

    #[test]
    fn parts_split_on_spaces_outside_quotes() {
        assert_eq!(parts(r#"  a  "b c"d "e  "#), ["a", "b c", "d", "e  "]);
        assert_eq!(parts("x\u{3000}y"), ["x", "y"]);
    }

    #[test]
    fn phrases_are_analysed_like_documents() {
        let got = p(r#"Police "Bank Account" ตำรวจ"#).unwrap_or_default();
        assert_eq!(got[0], ["police"]);
        assert_eq!(got[1], ["bank", "account"]);
        assert_eq!(got[2], ["ตำรวจ"]);
        // Field syntax is just text (UAX #29 keeps a colon between letters inside a word).
        assert_eq!(
            p("owner:abc").unwrap_or_default(),
            [vec!["owner:abc".to_owned()]]
        );
        assert_eq!(
            p("owner: abc").unwrap_or_default(),
            [vec!["owner".to_owned()], vec!["abc".to_owned()]]
        );
    }

    #[test]
    fn empty_and_long_texts_are_refused() {
        assert!(matches!(p(""), Err(SearchError::EmptyQuery)));
        assert!(matches!(p(r#" "" ... ,,, "#), Err(SearchError::EmptyQuery)));
        assert!(matches!(
            p(&"a".repeat(MAX_QUERY_CHARS + 1)),
            Err(SearchError::QueryTooLong { .. })
        ));
        assert!(p(&"ab ".repeat(MAX_QUERY_CHARS / 3)).is_ok());
    }
}
