//! Words are found inside sentences of every language, and highlighted exactly.

mod common;

use common::{Rep, find, index_of, query, scope_of, search};
use warroom_domain::AgencyId;
use warroom_search::{Found, MAX_QUERY_CHARS, SearchError, SearchIndex};

const TH: &str = "มิจฉาชีพโทรมาอ้างว่าเป็นเจ้าหน้าที่ตำรวจ";
const JA: &str = "警察官を名乗る男から電話があり、口座が犯罪に使われたと言われた";
const HI: &str = "एक व्यक्ति ने पुलिस अधिकारी बनकर फोन किया";
const EN: &str = "A man claiming to be a Police officer called the victim about her Bank Account.";

fn world() -> (SearchIndex, [Rep; 4]) {
    let owner = AgencyId::random();
    let reps = [
        Rep::new(owner, TH).lang("th"),
        Rep::new(owner, JA).lang("ja"),
        Rep::new(owner, HI).lang("hi"),
        Rep::new(owner, EN).lang("en"),
    ];
    (index_of(&reps), reps)
}

/// The one result's highlighted words, as text.
fn highlighted(index: &SearchIndex, text: &str) -> Vec<String> {
    let found: Vec<Found> =
        search(index, &query(text, scope_of(AgencyId::random()))).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.len(), 1, "{text}: {found:?}");
    let mut out = Vec::new();
    for h in &found[0].highlights {
        for r in &h.ranges {
            out.push(
                h.fragment
                    .get(r.clone())
                    .unwrap_or_else(|| panic!("range {r:?} not in {:?}", h.fragment))
                    .to_owned(),
            );
        }
    }
    out
}

#[test]
fn a_thai_word_inside_a_thai_sentence_is_found() {
    let (index, [th, ..]) = world();
    assert_eq!(find(&index, "ตำรวจ"), [th.id()]);
    assert_eq!(find(&index, "มิจฉาชีพ"), [th.id()]);
    // Words that are not in the text, including one that shares letters with it.
    assert!(find(&index, "ธนาคาร").is_empty());
    assert!(find(&index, "ทหาร").is_empty());
}

#[test]
fn a_japanese_word_inside_a_japanese_sentence_is_found() {
    let (index, [_, ja, ..]) = world();
    assert_eq!(find(&index, "口座"), [ja.id()]);
    assert_eq!(find(&index, "警察官"), [ja.id()]);
    assert_eq!(find(&index, "犯罪"), [ja.id()]);
    assert!(find(&index, "銀行").is_empty());
}

#[test]
fn a_hindi_word_is_found_with_its_marks() {
    let (index, [_, _, hi, _]) = world();
    assert_eq!(find(&index, "पुलिस"), [hi.id()]);
    // Words ending in a combining vowel sign are words too.
    assert_eq!(find(&index, "व्यक्ति"), [hi.id()]);
    assert_eq!(find(&index, "ने"), [hi.id()]);
    // Without its vowel sign it is another word.
    assert!(find(&index, "पलिस").is_empty());
}

#[test]
fn english_is_case_insensitive() {
    let (index, [.., en]) = world();
    assert_eq!(find(&index, "police"), [en.id()]);
    assert_eq!(find(&index, "POLICE"), [en.id()]);
    assert_eq!(find(&index, "ＰＯＬＩＣＥ"), [en.id()]);
    assert!(find(&index, "polic").is_empty());
}

#[test]
fn highlights_cover_exactly_the_matched_words() {
    let (index, _) = world();
    assert_eq!(highlighted(&index, "ตำรวจ"), ["ตำรวจ"]);
    assert_eq!(highlighted(&index, "口座"), ["口座"]);
    assert_eq!(highlighted(&index, "警察官 口座"), ["警察官", "口座"]);
    assert_eq!(highlighted(&index, "पुलिस"), ["पुलिस"]);
    assert_eq!(highlighted(&index, "ने"), ["ने"]);
    // As written in the narrative, not as searched.
    assert_eq!(highlighted(&index, "police"), ["Police"]);
    assert_eq!(highlighted(&index, "\"bank account\""), ["Bank", "Account"]);
}

#[test]
fn highlights_map_back_through_normalisation() {
    let owner = AgencyId::random();
    // Full-width Latin, half-width katakana, SARA AM typed as two characters.
    let index = index_of(&[Rep::new(owner, "ＬＩＮＥで連絡 ｶﾞｽ代 พบตํารวจปลอม")]);
    let hl = |q: &str| {
        let found = search(&index, &query(q, scope_of(owner))).unwrap_or_else(|e| panic!("{e}"));
        let h = &found[0].highlights[0];
        h.ranges
            .iter()
            .map(|r| h.fragment[r.clone()].to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(hl("line"), ["ＬＩＮＥ"]);
    assert_eq!(hl("ガス"), ["ｶﾞｽ"]);
    assert_eq!(hl("ตำรวจ"), ["ตํารวจ"]);
}

#[test]
fn long_narratives_get_a_short_fragment_around_the_match() {
    let owner = AgencyId::random();
    let long = format!("{} ตำรวจ {}", "ข้อความ ".repeat(300), "ข้อความ ".repeat(300));
    let index = index_of(&[Rep::new(owner, &long)]);
    let found = search(&index, &query("ตำรวจ", scope_of(owner))).unwrap_or_else(|e| panic!("{e}"));
    let h = &found[0].highlights[0];
    let chars = h.fragment.chars().count();
    assert!(chars <= 210, "{chars} characters");
    assert_eq!(h.ranges.len(), 1);
    assert_eq!(&h.fragment[h.ranges[0].clone()], "ตำรวจ");
}

#[test]
fn every_part_is_required() {
    let owner = AgencyId::random();
    let both = Rep::new(owner, "the bank called; the police came");
    let bank = Rep::new(owner, "the bank called");
    let index = index_of(&[both.clone(), bank.clone()]);
    assert_eq!(find(&index, "bank police"), [both.id()]);
    let mut got = find(&index, "bank");
    got.sort();
    let mut want = vec![both.id(), bank.id()];
    want.sort();
    assert_eq!(got, want);
    // Across languages too.
    let mixed = Rep::new(owner, "LINE ID ของมิจฉาชีพ และ ตำรวจ");
    let index = index_of(&[mixed.clone(), Rep::new(owner, "ตำรวจ")]);
    assert_eq!(find(&index, "line ตำรวจ"), [mixed.id()]);
}

#[test]
fn quoted_words_are_a_phrase() {
    let owner = AgencyId::random();
    let phrase = Rep::new(owner, "money sent to a bank account in Bangkok");
    let apart = Rep::new(owner, "the account at the bank was closed");
    let index = index_of(&[phrase.clone(), apart.clone()]);
    assert_eq!(find(&index, "\"bank account\""), [phrase.id()]);
    assert_eq!(find(&index, "“bank account”"), [phrase.id()]);
    assert_eq!(find(&index, "bank account").len(), 2);
    assert!(find(&index, "\"account bank\"").is_empty());
}

#[test]
fn a_thai_or_japanese_part_is_a_phrase_of_its_words() {
    let (index, [th, ja, ..]) = world();
    // Several words without spaces: found in order, not in another order.
    assert_eq!(find(&index, "เจ้าหน้าที่ตำรวจ"), [th.id()]);
    assert_eq!(find(&index, "口座が犯罪"), [ja.id()]);
    assert!(find(&index, "犯罪が口座").is_empty());
}

#[test]
fn empty_and_overlong_searches_are_refused() {
    let (index, _) = world();
    let scope = scope_of(AgencyId::random());
    for text in ["", "   ", "!!! ... ,,,", "\"\""] {
        assert!(
            matches!(
                search(&index, &query(text, scope.clone())),
                Err(SearchError::EmptyQuery)
            ),
            "{text:?}"
        );
    }
    let long = "ab ".repeat(MAX_QUERY_CHARS);
    let err = search(&index, &query(&long, scope.clone()));
    assert!(matches!(err, Err(SearchError::QueryTooLong { .. })));
    assert!(
        err.err()
            .map(|e| e.to_string())
            .unwrap_or_default()
            .contains("512")
    );
    // Query syntax is not interpreted: field names are just words.
    assert!(find(&index, "owner:* OR marking:RED").is_empty());
}
