//! The one analyzer for narratives and search text, in every language.
//!
//! NFKC (keeping Thai and Lao AM whole), then ICU4X word segmentation: UAX #29 rules, with
//! dictionaries for the scripts written without spaces (Thai, Lao, Khmer, Burmese, Chinese and
//! Japanese), all compiled into the binary. Segments holding a letter or a digit are words
//! (spaces and punctuation are dropped); words are lower-cased.
//!
//! Dictionaries, not ICU4X's LSTM models for Thai and the other South-East Asian scripts: the
//! LSTM splits Thai a little better (`โทร|มา` where the dictionary says `โทรม|า`) but took
//! 2.5 ms for 400 Thai characters against 19 µs (release build), and the analyzer runs again
//! on every result's narrative for its highlight. Both sides of a search go through the same
//! segmentation, so a word is found wherever the narrative's segmentation agrees with the
//! search text's, which is the usual case for whole words; a part of a compound (`หน้าที่`
//! inside `เจ้าหน้าที่`, `警察` inside `警察官`) is not found by itself.
//!
//! No stemming: a Snowball stemmer is for one language, and a narrative's language tag is not a
//! promise about every word in it (English names and brands sit inside Thai sentences), while
//! the search text has no language at all. Stemming only ASCII words would make `running` find
//! `run` but would also conflate names (`Banks` and `bank`); exact words are the predictable
//! choice for investigators, who search names, places and code words more than inflections.
//!
//! Offsets are byte offsets in the text as given (not the NFKC text), so that highlights land
//! on the words the reader sees. When the text is not already normal it is normalised one
//! grapheme cluster at a time and a map from normalised to original offsets is kept; a word
//! boundary inside a cluster (which the word rules never make) would widen to the cluster.

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::{GraphemeClusterSegmenter, WordSegmenter, WordSegmenterBorrowed};
use std::borrow::Cow;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// The name the narrative field's analyzer is registered under.
pub const ANALYZER_NAME: &str = "warroom_multilingual";

/// Words longer than this (in bytes, after normalisation) are dropped: no one searches a
/// 256-byte "word", and tantivy refuses terms past 64 KiB.
pub const MAX_WORD_BYTES: usize = 255;

/// The analyzer as a tantivy tokenizer (register it under [`ANALYZER_NAME`]).
#[derive(Clone, Debug)]
pub struct MultilingualTokenizer {
    segmenter: WordSegmenterBorrowed<'static>,
    tokens: Vec<Token>,
}

impl Default for MultilingualTokenizer {
    fn default() -> Self {
        Self {
            segmenter: WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()),
            tokens: Vec::new(),
        }
    }
}

impl MultilingualTokenizer {
    /// The words of `text`, in order, with byte offsets into `text`.
    pub fn analyze(&self, text: &str, out: &mut Vec<Token>) {
        out.clear();
        let normalized = Normalized::new(text);
        let norm = normalized.text();
        let mut start = 0;
        let mut position = 0;
        for end in self.segmenter.segment_str(norm) {
            if end == 0 {
                continue;
            }
            let segment = norm.get(start..end).unwrap_or("");
            let from = start;
            start = end;
            if !is_word(segment) || segment.len() > MAX_WORD_BYTES {
                continue;
            }
            let (offset_from, offset_to) = normalized.original_range(from, end);
            out.push(Token {
                offset_from,
                offset_to,
                position,
                text: lowercase(segment),
                position_length: 1,
            });
            position += 1;
        }
    }
}

/// Whether a segment is a word: it holds a letter or a digit of any script.
///
/// ICU4X's own word type is not used: for a segment that ends in a combining mark and is
/// followed by a space (Devanagari `ने `, `व्यक्ति `) it reports the status of the space, so half of
/// a Hindi sentence would be dropped as "not word-like".
fn is_word(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

fn lowercase(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

impl Tokenizer for MultilingualTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let mut tokens = std::mem::take(&mut self.tokens);
        self.analyze(text, &mut tokens);
        self.tokens = tokens;
        VecTokenStream {
            tokens: &mut self.tokens,
            next: 0,
            none: Token::default(),
        }
    }
}

/// The tokens of one text, handed out one by one.
#[derive(Debug)]
pub struct VecTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
    /// What `token` shows before the first `advance` (tantivy never asks then).
    none: Token,
}

impl TokenStream for VecTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        match self.next.checked_sub(1) {
            Some(i) => self.tokens.get(i).unwrap_or(&self.none),
            None => &self.none,
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(i) if i < self.tokens.len() => &mut self.tokens[i],
            _ => &mut self.none,
        }
    }
}

const NIKHAHIT: char = '\u{0E4D}';
const SARA_AA: char = '\u{0E32}';
const SARA_AM: char = '\u{0E33}';
const LAO_NIGGAHITA: char = '\u{0ECD}';
const LAO_AA: char = '\u{0EB2}';
const LAO_AM: char = '\u{0EB3}';

/// Whether `text` is already what [`Normalized`] makes of it: NFKC, except that Thai SARA AM
/// and Lao AM stay whole. NFKC splits them (`ำ` into `ํ` + `า`), and the Thai dictionary knows
/// `ตำรวจ`, not `ตํารวจ`: kept split, half the Thai vocabulary would segment into junk.
fn is_normal(text: &str) -> bool {
    !text.contains([NIKHAHIT, LAO_NIGGAHITA])
        && is_nfkc_quick(text.chars().filter(|&c| c != SARA_AM && c != LAO_AM)) == IsNormalized::Yes
}

/// Appends `c`, joining a NIKHAHIT + SARA AA pair (Lao too) back into AM.
fn push_recomposing(text: &mut String, c: char) {
    let am = match (text.chars().next_back(), c) {
        (Some(NIKHAHIT), SARA_AA) => SARA_AM,
        (Some(LAO_NIGGAHITA), LAO_AA) => LAO_AM,
        _ => {
            text.push(c);
            return;
        }
    };
    text.pop();
    text.push(am);
}

/// NFKC text (with Thai and Lao AM kept whole) and a way back to the original offsets.
struct Normalized<'a> {
    text: Cow<'a, str>,
    /// One entry per grapheme cluster when the text had to change: (start in the normalised
    /// text, start in the original). Empty when the text was already NFKC.
    map: Vec<(usize, usize)>,
    /// Lengths of the normalised and original texts (the end of the last cluster).
    ends: (usize, usize),
}

impl<'a> Normalized<'a> {
    fn new(original: &'a str) -> Self {
        if is_normal(original) {
            return Self {
                text: Cow::Borrowed(original),
                map: Vec::new(),
                ends: (original.len(), original.len()),
            };
        }
        let mut text = String::with_capacity(original.len() + 8);
        let mut map = Vec::new();
        let mut start = 0;
        for end in GraphemeClusterSegmenter::new().segment_str(original) {
            if end == 0 {
                continue;
            }
            let cluster = original.get(start..end).unwrap_or("");
            let mut chars = cluster.nfkc().peekable();
            // SARA AM split over two clusters (typed as NIKHAHIT, SARA AA): one cluster.
            let joined = match (text.chars().next_back(), chars.peek()) {
                (Some(NIKHAHIT), Some(&SARA_AA)) => Some(SARA_AM),
                (Some(LAO_NIGGAHITA), Some(&LAO_AA)) => Some(LAO_AM),
                _ => None,
            };
            if let Some(am) = joined {
                text.pop();
                text.push(am);
                chars.next();
            } else {
                map.push((text.len(), start));
            }
            for c in chars {
                push_recomposing(&mut text, c);
            }
            start = end;
        }
        let ends = (text.len(), original.len());
        Self {
            text: Cow::Owned(text),
            map,
            ends,
        }
    }

    fn text(&self) -> &str {
        &self.text
    }

    /// The original byte range of the normalised range `from..to` (a word: `from < to`).
    fn original_range(&self, from: usize, to: usize) -> (usize, usize) {
        if self.map.is_empty() {
            return (from, to);
        }
        // The cluster holding `from` starts at or before it.
        let i = self
            .map
            .partition_point(|&(n, _)| n <= from)
            .saturating_sub(1);
        let start = self.map.get(i).map_or(0, |&(_, o)| o);
        // The cluster holding `to - 1` ends at the next cluster's start (or the text's end).
        let j = self.map.partition_point(|&(n, _)| n < to);
        let end = self.map.get(j).map_or(self.ends.1, |&(_, o)| o);
        (start, end.max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        MultilingualTokenizer::default().analyze(text, &mut out);
        out.into_iter()
            .map(|t| (t.text, text[t.offset_from..t.offset_to].to_owned()))
            .collect()
    }

    #[test]
    fn english_words_are_lowercased_and_punctuation_dropped() {
        assert_eq!(
            words("Caller said: \"POLICE\", pay 5,000 now!"),
            [
                ("caller", "Caller"),
                ("said", "said"),
                ("police", "POLICE"),
                ("pay", "pay"),
                ("5,000", "5,000"),
                ("now", "now"),
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
    }

    #[test]
    fn nfkc_maps_offsets_back_to_the_original() {
        // Full-width Latin and half-width katakana are common in Japanese input.
        let text = "ＰＯＬＩＣＥ ｶﾞｽ 口座";
        let got = words(text);
        assert_eq!(got[0], ("police".to_owned(), "ＰＯＬＩＣＥ".to_owned()));
        assert_eq!(got[1], ("ガス".to_owned(), "ｶﾞｽ".to_owned()));
        assert_eq!(got[2], ("口座".to_owned(), "口座".to_owned()));
    }

    #[test]
    fn devanagari_marks_stay_in_their_word() {
        let got = words("एक व्यक्ति ने पुलिस अधिकारी");
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["एक", "व्यक्ति", "ने", "पुलिस", "अधिकारी"]);
        // Each word's original text is the word itself, marks included.
        assert!(got.iter().all(|(t, original)| t == original));
    }

    #[test]
    fn thai_sentences_split_into_words_and_keep_sara_am() {
        let got = words("มิจฉาชีพโทรมาอ้างว่าเป็นเจ้าหน้าที่ตำรวจ");
        assert!(got.iter().all(|(t, original)| t == original));
        assert_eq!(got.last().map(|(t, _)| t.as_str()), Some("ตำรวจ"));
        assert!(got.len() > 4, "{got:?}");
        // SARA AM typed as NIKHAHIT + SARA AA is the same word, highlighted as typed.
        let typed = "ตํารวจ";
        assert_eq!(words(typed), [("ตำรวจ".to_owned(), typed.to_owned())]);
        let got = words("พบ ตํารวจ ปลอม");
        assert_eq!(got[1], ("ตำรวจ".to_owned(), typed.to_owned()));
        assert_eq!(got[2].0, "ปลอม");
    }

    #[test]
    fn japanese_sentences_split_into_words() {
        let got = words("警察官を名乗る男から電話があり、口座が犯罪に使われたと言われた");
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert!(texts.contains(&"警察官"), "{texts:?}");
        assert!(texts.contains(&"口座"), "{texts:?}");
        assert!(!texts.contains(&"、"));
    }

    #[test]
    fn offsets_fall_on_character_boundaries_whatever_the_text() {
        let mut out = Vec::new();
        let analyzer = MultilingualTokenizer::default();
        for text in [
            "ｶﾞｽ代 ①② Ａ﹐Ｂ ตํา ﬁne ㍻ 한국어 e\u{301}te\u{301} ",
            "\u{301}\u{301}x",
            "",
            " \t\n ",
            "ໍາ ລາວ",
        ] {
            analyzer.analyze(text, &mut out);
            for t in &out {
                assert!(t.offset_from < t.offset_to, "{text:?} {t:?}");
                assert!(
                    text.get(t.offset_from..t.offset_to).is_some(),
                    "{text:?} {t:?}"
                );
            }
            let positions: Vec<usize> = out.iter().map(|t| t.position).collect();
            assert_eq!(positions, (0..out.len()).collect::<Vec<_>>());
        }
    }
}
