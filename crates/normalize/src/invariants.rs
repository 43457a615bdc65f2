//! Properties every input must satisfy, shared by the cargo-fuzz targets (`fuzz/`) and the
//! ordinary test that replays their corpus. A violated property panics, which is what a
//! fuzzer reports; nothing here runs in production paths.

use crate::{Context, Detection, detect, extract, normalize};
use warroom_domain::{CountryCode, IdentifierKind};

/// Regions the first input byte chooses from, so that region-dependent paths are explored.
const REGIONS: &[Option<&str>] = &[
    None,
    Some("TH"),
    Some("JP"),
    Some("IN"),
    Some("US"),
    Some("GB"),
    Some("MM"),
    Some("CN"),
];

fn split(data: &[u8]) -> Option<(Context, &str)> {
    let (&first, rest) = data.split_first()?;
    let region =
        REGIONS[usize::from(first) % REGIONS.len()].and_then(|r| CountryCode::parse(r).ok());
    let text = std::str::from_utf8(rest).ok()?;
    Some((Context { region }, text))
}

/// The normaliser for `kind` never panics, and its canonical output is a fixed point: the
/// canonical value normalises to itself.
pub fn check_kind(kind: &str, data: &[u8]) {
    let Ok(kind) = kind.parse::<IdentifierKind>() else {
        panic!("unknown kind {kind}");
    };
    let Some((ctx, text)) = split(data) else {
        return;
    };
    if let Ok(n) = normalize(kind, text, &ctx) {
        let canonical = n.identifier.canonical();
        assert!(!canonical.is_empty(), "empty canonical for {text:?}");
        assert_eq!(n.identifier.kind(), kind, "kind changed for {text:?}");
        match normalize(kind, canonical, &ctx) {
            Ok(again) => assert_eq!(
                again.identifier.canonical(),
                canonical,
                "not idempotent for {text:?}"
            ),
            Err(e) => panic!("canonical {canonical:?} of {text:?} is refused: {e}"),
        }
    }
}

/// Detection never panics, and what it finds normalises to the same value when the kind is
/// given.
pub fn check_detect(data: &[u8]) {
    let Some((ctx, text)) = split(data) else {
        return;
    };
    if let Detection::Found(n) = detect(text, &ctx) {
        let again = normalize(n.identifier.kind(), text, &ctx);
        assert_eq!(
            again.as_ref().ok().map(|a| &a.identifier),
            Some(&n.identifier),
            "detect and normalize disagree on {text:?}"
        );
    }
}

/// Extraction never panics; spans are sorted, disjoint, inside the text and on character
/// boundaries.
pub fn check_extract(data: &[u8]) {
    let Some((ctx, text)) = split(data) else {
        return;
    };
    let found = extract(text, &ctx);
    let mut end = 0;
    for f in &found {
        assert!(
            f.span.start >= end,
            "overlapping or unsorted spans in {text:?}"
        );
        assert!(
            f.span.end <= text.len() && f.span.start < f.span.end,
            "span out of range in {text:?}"
        );
        assert!(
            text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end),
            "span not on a char boundary in {text:?}"
        );
        end = f.span.end;
    }
}
