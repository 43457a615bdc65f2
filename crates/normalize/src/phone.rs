//! Phone numbers in any writing to E.164 (`+66812345678`).
//!
//! # How
//!
//! The data is libphonenumber's `PhoneNumberMetadata.xml` (9.0.33) as embedded by the
//! `phonenumber` crate. The algorithm is a port of libphonenumber's `PhoneNumberUtil`
//! (`parse`, `isValidNumber`, `getNumberType`, `isPossibleNumberWithReason`), written here over
//! that metadata rather than calling the crate's own parser and validator, which depart from
//! libphonenumber in ways that change answers:
//! - its type patterns are matched as prefixes, not against the whole number;
//! - it neither derives the general description's possible lengths (the XML leaves them to the
//!   build step) nor falls back to `nationalPrefix` where `nationalPrefixForParsing` is absent
//!   (so `0812345678` in Thailand keeps its trunk `0`);
//! - its possible-length check reads the wrong list;
//! - every regex match locks one global mutex around an LRU cache of 100 compiled patterns, which
//!   thrashes (recompiles) as soon as numbers of several regions are mixed.
//!
//! `tests/phone_differential.rs` checks the port against Python `phonenumbers` (the maintained
//! port of libphonenumber) on more than 100,000 generated writings.
//!
//! # Decisions
//! - **Input.** [`text::fold`] first (NFKC, digits of every script to ASCII, invisible
//!   characters removed). At most [`MAX_FOLDED_CHARS`] characters after folding (`too_long`);
//!   control characters other than tab are refused (`syntax`). Everything else is left to the
//!   libphonenumber algorithm, which skips leading labels (`Tel:`, `โทร`), reads `tel:` URIs
//!   (`phone-context`, `isub`), drops extensions (`ext. 12`, `x12`, `;ext=12`, `#`) and, like
//!   libphonenumber, reads a number carrying three or more Latin letters as a vanity number
//!   (`1-800-FLOWERS`).
//! - **Default region** = [`crate::Context::region`]. National writings use its national prefix
//!   (`0`), its international prefixes (`00`, `001`, `010`, `011`, `0011`...) are recognised, and
//!   a number that starts with the region's own country code without `+` is read as libphonenumber
//!   reads it.
//! - **No region** (or a region without a numbering plan): only `+` (and `tel:+`) writings and,
//!   beyond libphonenumber, `00` (the ITU-recommended international prefix) are read; anything else
//!   is `no_region`.
//! - **Output.** Canonical `+<country code><national significant number>`; `region` is the
//!   number's region where libphonenumber can tell (none for non-geographic codes such as +800);
//!   `subtype` the number type in snake case (`mobile`, `fixed_line`, `fixed_line_or_mobile`,
//!   `toll_free`, `premium_rate`, `shared_cost`, `voip`, `personal_number`, `pager`, `uan`,
//!   `voicemail`, `unknown`); `valid` is libphonenumber's `isValidNumber`.
//! - **Possible but not valid** (a length the country uses, digits outside every allocated range):
//!   `Ok` with `valid: false` and its E.164 canonical. Ranges are opened before the metadata knows
//!   them, and scam operations like fresh ranges, so such numbers must still correlate.
//! - **Not even a possible length** (libphonenumber's `isPossibleNumberWithReason` is not
//!   `IS_POSSIBLE`) and not valid either: `Err`. A canonical for a length the country never uses
//!   would only correlate identical typos and truncations. Codes: `too_short` (also for a number
//!   only diallable locally, without its area code, e.g. US `555-0143`), `too_long`,
//!   `invalid_length` (between the shortest and the longest length, but not one in use). A valid
//!   number is always kept: libphonenumber checks lengths against the main region of a shared
//!   calling code only, so Canada's valid 7-digit `+1 310-XXXX` numbers are "possible local
//!   only" by the US lengths (libphonenumber issue 335892662).
//! - **Short codes and hotlines** (Thai `1441`, Indian `1930`, US `911`, `+66 1441`): E.164
//!   cannot represent them, and `+661441` would be a number that does not exist. A number too
//!   short for its country, or of a length only local numbers have (Korea's `1332` and China's
//!   `96110` anti-fraud hotlines), with at most [`MAX_SHORT_CODE_DIGITS`] digits, fewer than the
//!   country's shortest number, and not a trunk prefix followed by digits (`081234` is a
//!   truncated mobile; three digits may, as Australia's `000`), is refused with code
//!   `short_code`. Its message starts with the stable key `<region>:<digits>` (`TH:1441`), so that
//!   a warning list can hold hotlines keyed that way; the region is the default region for a
//!   national writing, else the main region of the calling code. Without libphonenumber's
//!   short-number metadata (the crate does not embed it) a short code cannot be told from a
//!   5-6 digit local number, hence the one code for both.
//! - **Other errors**: `syntax` (not a phone number at all), `invalid_country_code` (a `+` or an
//!   international prefix followed by no known country code), `too_short`/`too_long` also when
//!   libphonenumber's parser refuses the number for its length.
//! - **libphonenumber's readings are kept even where surprising**: `00` is only an international
//!   prefix where the region dials out with it, so `0066 81 234 5678` is a US national number in
//!   the US (`too_long`), and in Thailand, whose prefixes are `00[1-9]` (carriers' 001, 006,
//!   007...), it is 006 + Wallis and Futuna (`invalid_length`).

use crate::{NormalizeError, Normalized, text};
use phonenumber::metadata::{DATABASE, Descriptor as PnDescriptor, Metadata as PnMetadata};
use regex::{Regex, RegexBuilder};
use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, OnceLock};
use warroom_domain::{CountryCode, IdentifierKind};

const KIND: IdentifierKind = IdentifierKind::Phone;

/// The longest input accepted, in characters after folding. The longest sensible writing
/// (`tel:+66-81-234-5678;ext=1234;phone-context=+66`) is well below.
pub(crate) const MAX_FOLDED_CHARS: usize = 64;

/// The longest number refused as a short code rather than as too short. Short codes in the
/// short-number metadata of libphonenumber are 3 to 6 digits long, with a few 2-digit ones.
pub(crate) const MAX_SHORT_CODE_DIGITS: usize = 6;

/// libphonenumber's bounds on the national significant number and the country code.
const MIN_LENGTH_FOR_NSN: usize = 2;
const MAX_LENGTH_FOR_NSN: usize = 17;
const MAX_LENGTH_COUNTRY_CODE: usize = 3;
/// libphonenumber's own limit on the input string.
const MAX_INPUT_STRING_LENGTH: usize = 250;

const NON_GEO_REGION: &str = "001";

// ---------------------------------------------------------------------------------------------
// Public entry point
// ---------------------------------------------------------------------------------------------

pub(crate) fn normalize(raw: &str, ctx: &crate::Context) -> Result<Normalized, NormalizeError> {
    let folded = text::fold(raw);
    if folded.chars().count() > MAX_FOLDED_CHARS {
        return Err(NormalizeError::invalid(
            KIND,
            "too_long",
            format!("longer than {MAX_FOLDED_CHARS} characters"),
        ));
    }
    // A tab is left to libphonenumber, which allows it before an extension label.
    if folded.chars().any(|c| c.is_control() && c != '\t') {
        return Err(NormalizeError::invalid(
            KIND,
            "syntax",
            "control characters in a phone number",
        ));
    }
    let index = index();
    let default = ctx.region.and_then(|r| index.region(r.as_str()));
    let parsed = parse(&folded, default).map_err(|e| e.into_error(ctx.region))?;

    let nsn = parsed.nsn.as_str();
    let number_region = region_for_number(parsed.country_code, nsn);
    let number_type = number_region
        .and_then(|r| index.metadata_for(parsed.country_code, r))
        .map(|m| number_type(nsn, m))
        .unwrap_or(NumberType::Unknown);
    let valid = number_type != NumberType::Unknown;
    // A valid number is kept whatever the length check says: libphonenumber checks lengths
    // against the main region of a shared calling code only, so Canada's valid 7-digit
    // 310-XXXX numbers are "possible local only" by the US lengths.
    match possible_reason(parsed.country_code, nsn) {
        Reason::IsPossible => {}
        _ if valid => {}
        reason => {
            // For a number written nationally the region is the one it was read in (CA for 911
            // dialled in Canada), else the main region of its country code.
            let meta = match (parsed.from_default, default) {
                (true, Some(d)) => Some(d),
                _ => index.main_metadata_for_code(parsed.country_code),
            };
            return Err(length_error(reason, meta, nsn));
        }
    }

    let canonical = format!("+{}{}", parsed.country_code, nsn);
    // libphonenumber keeps the leading zeros of an invalid national number (its "Italian leading
    // zero"), and reading that E.164 back strips the first zero as a trunk prefix: `00078 560078`
    // in GB gives `+440078560078`, which reads as `+44078560078`. A key that does not read back
    // as itself would split one number in two, so such a number is refused. Valid numbers always
    // read back (the property tests check it); this only ever refuses invalid ones.
    if !valid && !reads_back(&canonical, parsed.country_code, nsn) {
        return Err(NormalizeError::invalid(
            KIND,
            "unstable",
            "not a valid number, and its digits after the country code start with a trunk \
             prefix, so no international writing of it reads back the same: check the digits",
        ));
    }
    let mut n = Normalized::new(raw, KIND, canonical)?;
    n.region = number_region
        .filter(|r| *r != NON_GEO_REGION)
        .and_then(|r| CountryCode::parse(r).ok());
    n.subtype = Some(number_type.as_str().to_owned());
    n.valid = valid;
    Ok(n)
}

/// Whether `canonical` (`+<country_code><nsn>`) parses back to the same country code and
/// national number.
fn reads_back(canonical: &str, country_code: u16, nsn: &str) -> bool {
    match parse(canonical, None) {
        Ok(again) => again.country_code == country_code && again.nsn == nsn,
        Err(_) => false,
    }
}

/// Whether a number too short for its region looks like one of its short codes rather than a
/// truncated number: at most [`MAX_SHORT_CODE_DIGITS`] digits, fewer than the region's shortest
/// number, and not a trunk prefix followed by a few digits (`081234`); three digits may start
/// with it (Australia's `000`).
fn is_short_code(nsn: &str, meta: &Region) -> bool {
    let shortest = meta.general.lengths.first().map_or(0, |&l| usize::from(l));
    let trunk = meta
        .national_prefix
        .as_deref()
        .is_some_and(|p| nsn.len() > 3 && nsn.starts_with(p));
    nsn.len() <= MAX_SHORT_CODE_DIGITS && nsn.len() < shortest && !trunk
}

fn length_error(reason: Reason, meta: Option<&Region>, nsn: &str) -> NormalizeError {
    let region = meta.map_or(NON_GEO_REGION, |m| m.id);
    match reason {
        Reason::TooShort if meta.is_some_and(|m| is_short_code(nsn, m)) => NormalizeError::invalid(
            KIND,
            "short_code",
            format!(
                "{region}:{nsn} is a short code of {region}: E.164 cannot represent it, it is \
                 diallable only inside {region}"
            ),
        ),
        // Korea's 1332, China's 96110 and Britain's 4-6 digit local numbers share lengths: short
        // codes and local numbers dialled without their area code alike have no E.164 form.
        Reason::IsPossibleLocalOnly if meta.is_some_and(|m| is_short_code(nsn, m)) => {
            NormalizeError::invalid(
                KIND,
                "short_code",
                format!(
                    "{region}:{nsn} is a short code of {region}, or a local number without its \
                     area code: E.164 cannot represent it, it is diallable only inside {region}"
                ),
            )
        }
        Reason::TooShort => NormalizeError::invalid(
            KIND,
            "too_short",
            format!("too few digits for a number of {region}"),
        ),
        Reason::IsPossibleLocalOnly => NormalizeError::invalid(
            KIND,
            "too_short",
            format!("a local number of {region} without its area code"),
        ),
        Reason::TooLong => NormalizeError::invalid(
            KIND,
            "too_long",
            format!("too many digits for a number of {region}"),
        ),
        Reason::InvalidLength => NormalizeError::invalid(
            KIND,
            "invalid_length",
            format!("no number of {region} has this many digits"),
        ),
        Reason::InvalidCountryCode | Reason::IsPossible => {
            NormalizeError::invalid(KIND, "invalid_country_code", "unknown country calling code")
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Compiled metadata
// ---------------------------------------------------------------------------------------------

/// One number description (fixed line, mobile...): the whole-number pattern and lengths.
#[derive(Debug)]
struct Desc {
    /// `^(?:pattern)$`; `None` when the pattern is empty or does not compile (never matches).
    full: Option<Regex>,
    source: String,
    lengths: Vec<u16>,
    local_lengths: Vec<u16>,
}

impl Desc {
    fn new(d: &PnDescriptor) -> Self {
        let source = strip_whitespace(d.national_number().as_str());
        Self {
            full: compile_full(&source),
            source,
            lengths: d.possible_length().to_vec(),
            local_lengths: d.possible_local_length().to_vec(),
        }
    }

    /// libphonenumber's `isNumberMatchingDesc`: a listed length and a whole-number match.
    fn matches(&self, nsn: &str) -> bool {
        if !self.lengths.is_empty() && !self.lengths.iter().any(|&l| usize::from(l) == nsn.len()) {
            return false;
        }
        self.matches_pattern(nsn)
    }

    fn matches_pattern(&self, nsn: &str) -> bool {
        self.full.as_ref().is_some_and(|re| re.is_match(nsn))
    }
}

/// The metadata of one region (or non-geographic entity), compiled for matching.
#[derive(Debug)]
struct Region {
    id: &'static str,
    country_code: u16,
    /// International prefix, anchored at the start (`^(?:00[1-9])`).
    idd: Option<Regex>,
    /// National prefix for parsing, anchored at the start; the national prefix where the
    /// metadata gives none (as libphonenumber's build step does).
    national_prefix_for_parsing: Option<Regex>,
    national_prefix_transform_rule: Option<String>,
    /// The trunk prefix (`0`), for telling short codes from truncated numbers.
    national_prefix: Option<String>,
    leading_digits: Option<Regex>,
    general: Desc,
    /// In the order libphonenumber tests them.
    premium_rate: Option<Desc>,
    toll_free: Option<Desc>,
    shared_cost: Option<Desc>,
    voip: Option<Desc>,
    personal_number: Option<Desc>,
    pager: Option<Desc>,
    uan: Option<Desc>,
    voicemail: Option<Desc>,
    fixed_line: Option<Desc>,
    mobile: Option<Desc>,
}

impl Region {
    fn compile(meta: &'static PnMetadata) -> Self {
        let d = meta.descriptors();
        let desc = |x: Option<&PnDescriptor>| x.map(Desc::new);
        let mut general = Desc::new(d.general());
        // The XML gives no possible lengths for the general description: libphonenumber's build
        // step takes the union of every type's (except noInternationalDialling), and keeps as
        // local-only lengths those that are not also full lengths.
        let typed = [
            d.fixed_line(),
            d.mobile(),
            d.toll_free(),
            d.premium_rate(),
            d.shared_cost(),
            d.personal_number(),
            d.voip(),
            d.pager(),
            d.uan(),
            d.emergency(),
            d.voicemail(),
            d.short_code(),
            d.standard_rate(),
            d.carrier(),
        ];
        if general.lengths.is_empty() {
            let mut lengths: Vec<u16> = typed
                .iter()
                .flatten()
                .flat_map(|t| t.possible_length().iter().copied())
                .collect();
            lengths.sort_unstable();
            lengths.dedup();
            let mut local: Vec<u16> = typed
                .iter()
                .flatten()
                .flat_map(|t| t.possible_local_length().iter().copied())
                .filter(|l| !lengths.contains(l))
                .collect();
            local.sort_unstable();
            local.dedup();
            general.lengths = lengths;
            general.local_lengths = local;
        }
        let npfp = meta
            .national_prefix_for_parsing()
            .map(|r| strip_whitespace(r.as_str()))
            .or_else(|| meta.national_prefix().map(strip_whitespace))
            .filter(|s| !s.is_empty());
        Self {
            id: static_id(meta.id()),
            country_code: meta.country_code(),
            idd: meta
                .international_prefix()
                .and_then(|r| compile_prefix(&strip_whitespace(r.as_str()))),
            national_prefix_for_parsing: npfp.as_deref().and_then(compile_prefix),
            national_prefix: meta
                .national_prefix()
                .map(strip_whitespace)
                .filter(|s| !s.is_empty()),
            national_prefix_transform_rule: meta
                .national_prefix_transform_rule()
                .map(strip_whitespace)
                .filter(|s| !s.is_empty()),
            leading_digits: meta
                .leading_digits()
                .and_then(|r| compile_prefix(&strip_whitespace(r.as_str()))),
            general,
            premium_rate: desc(d.premium_rate()),
            toll_free: desc(d.toll_free()),
            shared_cost: desc(d.shared_cost()),
            voip: desc(d.voip()),
            personal_number: desc(d.personal_number()),
            pager: desc(d.pager()),
            uan: desc(d.uan()),
            voicemail: desc(d.voicemail()),
            fixed_line: desc(d.fixed_line()),
            mobile: desc(d.mobile()),
        }
    }

    /// libphonenumber's `sameMobileAndFixedLinePattern`.
    fn same_mobile_and_fixed_line_pattern(&self) -> bool {
        match (&self.mobile, &self.fixed_line) {
            (None, None) => true,
            (Some(m), Some(f)) => m.source == f.source,
            _ => false,
        }
    }
}

/// The region id as a `&'static str` borrowed from a table built once from the metadata, so
/// that compiled regions and lookups carry no allocation. Non-geographic entities are all `001`.
fn static_id(id: &str) -> &'static str {
    static IDS: LazyLock<HashSet<String>> =
        LazyLock::new(|| DATABASE.iter().map(|m| m.id().to_owned()).collect());
    IDS.get(id).map(String::as_str).unwrap_or(NON_GEO_REGION)
}

#[derive(Debug)]
struct Entry {
    meta: &'static PnMetadata,
    compiled: OnceLock<Region>,
}

impl Entry {
    fn new(meta: &'static PnMetadata) -> Self {
        Self {
            meta,
            compiled: OnceLock::new(),
        }
    }

    fn get(&self) -> &Region {
        self.compiled.get_or_init(|| Region::compile(self.meta))
    }
}

/// Every region, compiled on first use.
#[derive(Debug)]
struct Index {
    by_region: HashMap<&'static str, Entry>,
    non_geo: HashMap<u16, Entry>,
    /// Regions sharing a country code, the main one first (`1` → US, AG, AI...); `001` for
    /// non-geographic codes.
    regions_for_code: HashMap<u16, Vec<&'static str>>,
}

impl Index {
    fn region(&self, id: &str) -> Option<&Region> {
        self.by_region.get(id).map(Entry::get)
    }

    /// libphonenumber's `getMetadataForRegionOrCallingCode`.
    fn metadata_for(&self, country_code: u16, region: &str) -> Option<&Region> {
        if region == NON_GEO_REGION {
            self.non_geo.get(&country_code).map(Entry::get)
        } else {
            self.region(region)
        }
    }

    /// libphonenumber's `getRegionCodeForCountryCode` (main region) and its metadata.
    fn main_metadata_for_code(&self, country_code: u16) -> Option<&Region> {
        let main = self.regions_for_code.get(&country_code)?.first()?;
        self.metadata_for(country_code, main)
    }
}

fn index() -> &'static Index {
    static INDEX: LazyLock<Index> = LazyLock::new(|| {
        let db: &'static phonenumber::metadata::Database = &DATABASE;
        let mut by_region = HashMap::new();
        let mut non_geo = HashMap::new();
        let mut regions_for_code: HashMap<u16, Vec<&'static str>> = HashMap::new();
        // `Database::iter` yields one entry per region id, so only one of the non-geographic
        // entities (all `001`); walking the country codes reaches every one of them.
        for code in 1..1000u16 {
            let Some(metas) = db.by_code(&code) else {
                continue;
            };
            for meta in metas {
                if meta.id() == NON_GEO_REGION {
                    non_geo.insert(code, Entry::new(meta));
                } else {
                    by_region.insert(static_id(meta.id()), Entry::new(meta));
                }
            }
            let ids = db
                .region(&code)
                .unwrap_or_default()
                .into_iter()
                .map(static_id)
                .collect();
            regions_for_code.insert(code, ids);
        }
        Index {
            by_region,
            non_geo,
            regions_for_code,
        }
    });
    &INDEX
}

fn strip_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn compile_full(source: &str) -> Option<Regex> {
    compile_metadata(&format!("^(?:{source})$"), source)
}

fn compile_prefix(source: &str) -> Option<Regex> {
    compile_metadata(&format!("^(?:{source})"), source)
}

/// Metadata patterns only ever see ASCII digits (and Java's `\d` is ASCII): compiled without
/// Unicode classes they are a fraction of the size (a Unicode `\d` is some 60 ranges) and the
/// whole table of ~250 regions stays small.
fn compile_metadata(pattern: &str, source: &str) -> Option<Regex> {
    if source.is_empty() {
        return None;
    }
    RegexBuilder::new(pattern).unicode(false).build().ok()
}

// ---------------------------------------------------------------------------------------------
// Fixed patterns of libphonenumber
// ---------------------------------------------------------------------------------------------

/// libphonenumber's `VALID_PUNCTUATION`, as the inside of a character class.
const VALID_PUNCTUATION: &str = r"\-x\x{2010}-\x{2015}\x{2212}\x{30FC}\x{FF0D}-\x{FF0F} \x{00A0}\x{00AD}\x{200B}\x{2060}\x{3000}()\x{FF08}\x{FF09}\x{FF3B}\x{FF3D}.\[\]/~\x{2053}\x{223C}\x{FF5E}";
const VALID_ALPHA: &str = "A-Za-z";
const PLUS_CHARS: [char; 2] = ['+', '\u{FF0B}'];

#[derive(Debug)]
struct Patterns {
    valid_start_char: Regex,
    second_number_start: Regex,
    valid_phone_number: Regex,
    extn: Regex,
    global_number_digits: Regex,
    domain_name: Regex,
    decimal_digit: Regex,
}

fn extn_patterns_for_parsing() -> String {
    let digits = |max: u32| format!(r"(\d{{1,{max}}})");
    let sep = r"[ \x{00A0}\t,]*";
    let after_label = r"[:\.\x{FF0E}]?[ \x{00A0}\t,\-]*";
    let suffix = "#?";
    let explicit_labels = r"(?:e?xt(?:ensi(?:o\x{0301}?|\x{00F3}))?n?|\x{FF45}?\x{FF58}\x{FF54}\x{FF4E}?|\x{0434}\x{043E}\x{0431}|anexo)";
    let ambiguous_labels = r"(?:[x\x{FF58}#\x{FF03}~\x{FF5E}]|int|\x{FF49}\x{FF4E}\x{FF54})";
    let rfc = format!(";ext={}", digits(20));
    let explicit = format!("{sep}{explicit_labels}{after_label}{}{suffix}", digits(20));
    let ambiguous = format!("{sep}{ambiguous_labels}{after_label}{}{suffix}", digits(9));
    let american = format!(r"[\- ]+{}#", digits(6));
    let sep_no_comma = r"[ \x{00A0}\t]*";
    let auto_dialling = format!(
        r"{sep_no_comma}(?:,{{2}}|;){after_label}{}{suffix}",
        digits(15)
    );
    let only_commas = format!("{sep_no_comma}(?:,)+{after_label}{}{suffix}", digits(9));
    format!("{rfc}|{explicit}|{ambiguous}|{american}|{auto_dialling}|{only_commas}")
}

fn patterns() -> Option<&'static Patterns> {
    static PATTERNS: LazyLock<Option<Patterns>> = LazyLock::new(|| {
        let extn = extn_patterns_for_parsing();
        let punct_star = format!("{VALID_PUNCTUATION}*");
        let valid_phone_number = format!(
            r"\d{{{MIN_LENGTH_FOR_NSN}}}|[+\x{{FF0B}}]*(?:[{punct_star}]*\d){{3,}}[{punct_star}{VALID_ALPHA}\d]*"
        );
        let insensitive = |p: &str| RegexBuilder::new(p).case_insensitive(true).build().ok();
        let alnum = r"[A-Za-z\d]";
        let domain_label = format!(r"{alnum}+((\-)*{alnum})*");
        let top_label = format!(r"[A-Za-z]+((\-)*{alnum})*");
        Some(Patterns {
            valid_start_char: Regex::new(r"[+\x{FF0B}\d]").ok()?,
            second_number_start: Regex::new(r"[\\/] *x").ok()?,
            valid_phone_number: insensitive(&format!("^(?:{valid_phone_number}(?:{extn})?)$"))?,
            extn: insensitive(&format!("(?:{extn})$"))?,
            global_number_digits: Regex::new(r"^\+[\d\-.()]*\d[\d\-.()]*$").ok()?,
            domain_name: Regex::new(&format!(r"^({domain_label}\.)*{top_label}\.?$")).ok()?,
            decimal_digit: Regex::new(r"^\d$").ok()?,
        })
    });
    PATTERNS.as_ref()
}

// ---------------------------------------------------------------------------------------------
// Parsing (libphonenumber's PhoneNumberUtil.parse)
// ---------------------------------------------------------------------------------------------

/// libphonenumber's `NumberParseException` error types, plus a missing region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ParseError {
    NotANumber,
    InvalidCountryCode,
    MissingRegion,
    TooShortAfterIdd,
    TooShortNsn,
    TooLong,
}

impl ParseError {
    fn into_error(self, region: Option<CountryCode>) -> NormalizeError {
        match self {
            ParseError::NotANumber => NormalizeError::invalid(KIND, "syntax", "not a phone number"),
            ParseError::InvalidCountryCode => NormalizeError::invalid(
                KIND,
                "invalid_country_code",
                "no known country calling code after the + or international prefix",
            ),
            ParseError::MissingRegion => NormalizeError::invalid(
                KIND,
                "no_region",
                match region {
                    Some(r) => format!(
                        "a national writing, and {r} has no numbering plan to read it with: \
                         write the number with + and its country code"
                    ),
                    None => "a national writing and no default region: write the number with + \
                             and its country code"
                        .to_owned(),
                },
            ),
            ParseError::TooShortAfterIdd | ParseError::TooShortNsn => {
                NormalizeError::invalid(KIND, "too_short", "too few digits for a phone number")
            }
            ParseError::TooLong => {
                NormalizeError::invalid(KIND, "too_long", "too many digits for a phone number")
            }
        }
    }
}

#[derive(Debug)]
struct Parsed {
    country_code: u16,
    /// National significant number, ASCII digits, leading zeros kept.
    nsn: String,
    /// The country code is the default region's, not written in the number.
    from_default: bool,
}

fn parse(input: &str, default: Option<&Region>) -> Result<Parsed, ParseError> {
    let p = patterns().ok_or(ParseError::NotANumber)?;
    if input.chars().count() > MAX_INPUT_STRING_LENGTH {
        return Err(ParseError::TooLong);
    }
    let national = build_national_number_for_parsing(p, input)?;
    if !is_viable(p, &national) {
        return Err(ParseError::NotANumber);
    }
    // Without a default region only + writings can be read, and (beyond libphonenumber) 00.
    let mut fallback_idd = false;
    if default.is_none() && strip_plus(&national).is_none() {
        let digits = normalize_number(p, &national);
        if digits.starts_with("00") && !digits[2..].starts_with('0') {
            fallback_idd = true;
        } else {
            return Err(ParseError::MissingRegion);
        }
    }
    let national = strip_extension(p, &national);

    let extracted = match maybe_extract_country_code(p, national, default, fallback_idd) {
        Err(ParseError::InvalidCountryCode) if strip_plus(national).is_some() => {
            let rest = strip_plus(national).unwrap_or(national);
            let (code, nsn) = maybe_extract_country_code(p, rest, default, fallback_idd)?;
            if code == 0 {
                return Err(ParseError::InvalidCountryCode);
            }
            (code, nsn)
        }
        other => other?,
    };
    let index = index();
    let (country_code, mut nsn, meta, from_default) = match extracted {
        (0, _) => {
            let Some(region) = default else {
                return Err(ParseError::MissingRegion);
            };
            (
                region.country_code,
                normalize_number(p, national),
                Some(region),
                true,
            )
        }
        (code, nsn) => {
            let number_region = index
                .regions_for_code
                .get(&code)
                .and_then(|r| r.first().copied())
                .unwrap_or("ZZ");
            let meta = match default {
                Some(d) if d.id == number_region => Some(d),
                _ => index.metadata_for(code, number_region),
            };
            (code, nsn, meta, false)
        }
    };

    if nsn.len() < MIN_LENGTH_FOR_NSN {
        return Err(ParseError::TooShortNsn);
    }
    if let Some(meta) = meta {
        let (potential, _) = strip_national_prefix(&nsn, meta);
        if !matches!(
            test_number_length(&potential, meta),
            Reason::TooShort | Reason::IsPossibleLocalOnly | Reason::InvalidLength
        ) {
            nsn = potential;
        }
    }
    if nsn.len() < MIN_LENGTH_FOR_NSN {
        return Err(ParseError::TooShortNsn);
    }
    if nsn.len() > MAX_LENGTH_FOR_NSN {
        return Err(ParseError::TooLong);
    }
    Ok(Parsed {
        country_code,
        nsn,
        from_default,
    })
}

/// The rest after any leading plus signs, if there are any.
fn strip_plus(s: &str) -> Option<&str> {
    let rest = s.trim_start_matches(PLUS_CHARS);
    (rest.len() < s.len()).then_some(rest)
}

/// libphonenumber's `buildNationalNumberForParsing`: RFC 3966 `tel:` URIs, else the possible
/// number inside the text.
fn build_national_number_for_parsing(p: &Patterns, number: &str) -> Result<String, ParseError> {
    const PHONE_CONTEXT: &str = ";phone-context=";
    let context_index = number.find(PHONE_CONTEXT);
    let phone_context = context_index.map(|i| {
        let start = i + PHONE_CONTEXT.len();
        let rest = number.get(start..).unwrap_or("");
        match rest.find(';') {
            Some(end) => &rest[..end],
            None => rest,
        }
    });
    let mut national = match (context_index, phone_context) {
        (Some(context_index), Some(context)) => {
            if context.is_empty()
                || !(p.global_number_digits.is_match(context) || p.domain_name.is_match(context))
            {
                return Err(ParseError::NotANumber);
            }
            let mut national = String::new();
            if context.starts_with('+') {
                national.push_str(context);
            }
            let start = number.find("tel:").map(|i| i + "tel:".len()).unwrap_or(0);
            national.push_str(number.get(start..context_index).unwrap_or(""));
            national
        }
        _ => extract_possible_number(p, number).to_owned(),
    };
    if let Some(i) = national.find(";isub=")
        && i > 0
    {
        national.truncate(i);
    }
    Ok(national)
}

/// libphonenumber's `extractPossibleNumber`: from the first `+` or digit, without trailing
/// punctuation or a second number (`/x2303`).
fn extract_possible_number<'a>(p: &Patterns, number: &'a str) -> &'a str {
    let Some(start) = p.valid_start_char.find(number) else {
        return "";
    };
    let mut s = &number[start.start()..];
    // Trailing characters that are neither letters nor numbers (nor `#`), as the Python port
    // reads Java's `[[\P{N}&&\P{L}]&&[^#]]+$`.
    let keep = s
        .char_indices()
        .rev()
        .find(|&(_, c)| c != '_' && (c == '#' || c.is_alphanumeric()))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    s = &s[..keep];
    if let Some(m) = p.second_number_start.find(s) {
        s = &s[..m.start()];
    }
    s
}

/// libphonenumber's `isViablePhoneNumber`.
fn is_viable(p: &Patterns, number: &str) -> bool {
    number.chars().count() >= MIN_LENGTH_FOR_NSN && p.valid_phone_number.is_match(number)
}

/// libphonenumber's `maybeStripExtension`; the extension itself is dropped.
fn strip_extension<'a>(p: &Patterns, number: &'a str) -> &'a str {
    match p.extn.find(number) {
        Some(m) if is_viable(p, &number[..m.start()]) => &number[..m.start()],
        _ => number,
    }
}

/// The value of a decimal digit (Unicode Nd) of any script.
fn digit_value(p: &Patterns, c: char) -> Option<char> {
    if let Some(d) = text::ascii_digit(c) {
        return Some(d);
    }
    let is_nd = |c: char| {
        let mut buf = [0u8; 4];
        p.decimal_digit.is_match(c.encode_utf8(&mut buf))
    };
    if c.is_ascii() || !is_nd(c) {
        return None;
    }
    // Decimal digits come in contiguous runs of whole 0-9 sets (a Unicode stability policy).
    let mut cp = u32::from(c);
    let mut offset = 0u32;
    while offset < 100 {
        match cp.checked_sub(1).and_then(char::from_u32) {
            Some(prev) if is_nd(prev) => {
                offset += 1;
                cp -= 1;
            }
            _ => break,
        }
    }
    char::from_digit(offset % 10, 10)
}

/// libphonenumber's `normalize`: digits only, or, with three or more Latin letters, a vanity
/// number read off the keypad (ITU E.161).
fn normalize_number(p: &Patterns, number: &str) -> String {
    let letters = number.chars().filter(char::is_ascii_alphabetic).count();
    if letters >= 3 {
        number
            .chars()
            .filter_map(|c| {
                let mut upper = c.to_uppercase();
                let u = upper.next()?;
                if upper.next().is_some() {
                    return None;
                }
                match u {
                    '0'..='9' => Some(u),
                    'A'..='C' => Some('2'),
                    'D'..='F' => Some('3'),
                    'G'..='I' => Some('4'),
                    'J'..='L' => Some('5'),
                    'M'..='O' => Some('6'),
                    'P'..='S' => Some('7'),
                    'T'..='V' => Some('8'),
                    'W'..='Z' => Some('9'),
                    _ => None,
                }
            })
            .collect()
    } else {
        number.chars().filter_map(|c| digit_value(p, c)).collect()
    }
}

/// libphonenumber's `maybeExtractCountryCode`: `(0, "")` when the number carries no country
/// code, else the code and the rest of the number.
fn maybe_extract_country_code(
    p: &Patterns,
    number: &str,
    meta: Option<&Region>,
    fallback_idd: bool,
) -> Result<(u16, String), ParseError> {
    if number.is_empty() {
        return Ok((0, String::new()));
    }
    let (international, full) = match strip_plus(number) {
        Some(rest) => (true, normalize_number(p, rest)),
        None => {
            let full = normalize_number(p, number);
            let idd_end = match meta.and_then(|m| m.idd.as_ref()) {
                Some(idd) => idd.find(&full).map(|m| m.end()),
                None if fallback_idd => full.starts_with("00").then_some(2),
                None => None,
            };
            match idd_end {
                // A country code never starts with 0.
                Some(end) if !full[end..].starts_with('0') => (true, full[end..].to_owned()),
                _ => (false, full),
            }
        }
    };
    if international {
        if full.len() <= MIN_LENGTH_FOR_NSN {
            return Err(ParseError::TooShortAfterIdd);
        }
        return match extract_country_code(&full) {
            Some((code, rest)) => Ok((code, rest.to_owned())),
            None => Err(ParseError::InvalidCountryCode),
        };
    }
    if let Some(meta) = meta {
        // The default region's country code written without + or international prefix.
        let code = meta.country_code.to_string();
        if let Some(rest) = full.strip_prefix(code.as_str()) {
            let (potential, _) = strip_national_prefix(rest, meta);
            if (!meta.general.matches_pattern(&full) && meta.general.matches_pattern(&potential))
                || test_number_length(&full, meta) == Reason::TooLong
            {
                return Ok((meta.country_code, potential));
            }
        }
    }
    Ok((0, String::new()))
}

/// libphonenumber's `extractCountryCode`: the shortest known code at the start.
fn extract_country_code(full: &str) -> Option<(u16, &str)> {
    if full.starts_with('0') {
        return None;
    }
    let codes = &index().regions_for_code;
    (1..=MAX_LENGTH_COUNTRY_CODE.min(full.len())).find_map(|len| {
        let code: u16 = full.get(..len)?.parse().ok()?;
        codes.contains_key(&code).then(|| (code, &full[len..]))
    })
}

/// libphonenumber's `maybeStripNationalPrefixAndCarrierCode` (the carrier code is not kept).
fn strip_national_prefix(number: &str, meta: &Region) -> (String, bool) {
    let unchanged = || (number.to_owned(), false);
    let Some(prefix) = meta.national_prefix_for_parsing.as_ref() else {
        return unchanged();
    };
    if number.is_empty() {
        return unchanged();
    }
    let Some(caps) = prefix.captures(number) else {
        return unchanged();
    };
    let Some(whole) = caps.get(0) else {
        return unchanged();
    };
    let viable_original = meta.general.matches_pattern(number);
    let groups = caps.len() - 1;
    let last_group_missing = groups == 0 || caps.get(groups).is_none();
    let rest = &number[whole.end()..];
    match meta.national_prefix_transform_rule.as_deref() {
        Some(rule) if !last_group_missing => {
            let mut transformed = expand_rule(rule, &caps);
            transformed.push_str(rest);
            if viable_original && !meta.general.matches_pattern(&transformed) {
                return unchanged();
            }
            (transformed, true)
        }
        _ => {
            if viable_original && !meta.general.matches_pattern(rest) {
                return unchanged();
            }
            (rest.to_owned(), true)
        }
    }
}

/// Expands `$1`-style group references of a transform rule; a group that did not take part in
/// the match expands to nothing.
fn expand_rule(rule: &str, caps: &regex::Captures<'_>) -> String {
    let mut out = String::new();
    let mut chars = rule.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$'
            && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
        {
            chars.next();
            if let Some(m) = usize::try_from(d).ok().and_then(|g| caps.get(g)) {
                out.push_str(m.as_str());
            }
            continue;
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Validation (isPossibleNumberWithReason, isValidNumber, getNumberType)
// ---------------------------------------------------------------------------------------------

/// libphonenumber's `ValidationResult`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reason {
    IsPossible,
    IsPossibleLocalOnly,
    InvalidCountryCode,
    TooShort,
    InvalidLength,
    TooLong,
}

/// libphonenumber's `testNumberLength` for an unknown type (the general description).
fn test_number_length(nsn: &str, meta: &Region) -> Reason {
    let len = nsn.len();
    let lengths = &meta.general.lengths;
    if meta
        .general
        .local_lengths
        .iter()
        .any(|&l| usize::from(l) == len)
    {
        return Reason::IsPossibleLocalOnly;
    }
    let (Some(&min), Some(&max)) = (lengths.first(), lengths.last()) else {
        return Reason::InvalidLength;
    };
    if usize::from(min) == len {
        Reason::IsPossible
    } else if usize::from(min) > len {
        Reason::TooShort
    } else if usize::from(max) < len {
        Reason::TooLong
    } else if lengths.iter().any(|&l| usize::from(l) == len) {
        Reason::IsPossible
    } else {
        Reason::InvalidLength
    }
}

/// libphonenumber's `isPossibleNumberWithReason`: lengths of the main region of the code.
fn possible_reason(country_code: u16, nsn: &str) -> Reason {
    match index().main_metadata_for_code(country_code) {
        Some(meta) => test_number_length(nsn, meta),
        None => Reason::InvalidCountryCode,
    }
}

/// libphonenumber's `getRegionCodeForNumber`.
fn region_for_number(country_code: u16, nsn: &str) -> Option<&'static str> {
    let index = index();
    let regions = index.regions_for_code.get(&country_code)?;
    if let [only] = regions.as_slice() {
        return Some(only);
    }
    regions.iter().copied().find(|id| {
        index
            .region(id)
            .is_some_and(|meta| match &meta.leading_digits {
                Some(leading) => leading.is_match(nsn),
                None => number_type(nsn, meta) != NumberType::Unknown,
            })
    })
}

/// libphonenumber's `PhoneNumberType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NumberType {
    FixedLine,
    Mobile,
    FixedLineOrMobile,
    TollFree,
    PremiumRate,
    SharedCost,
    Voip,
    PersonalNumber,
    Pager,
    Uan,
    Voicemail,
    Unknown,
}

impl NumberType {
    fn as_str(self) -> &'static str {
        match self {
            NumberType::FixedLine => "fixed_line",
            NumberType::Mobile => "mobile",
            NumberType::FixedLineOrMobile => "fixed_line_or_mobile",
            NumberType::TollFree => "toll_free",
            NumberType::PremiumRate => "premium_rate",
            NumberType::SharedCost => "shared_cost",
            NumberType::Voip => "voip",
            NumberType::PersonalNumber => "personal_number",
            NumberType::Pager => "pager",
            NumberType::Uan => "uan",
            NumberType::Voicemail => "voicemail",
            NumberType::Unknown => "unknown",
        }
    }
}

/// libphonenumber's `getNumberTypeHelper`.
fn number_type(nsn: &str, meta: &Region) -> NumberType {
    if !meta.general.matches(nsn) {
        return NumberType::Unknown;
    }
    let is = |d: &Option<Desc>| d.as_ref().is_some_and(|d| d.matches(nsn));
    for (desc, t) in [
        (&meta.premium_rate, NumberType::PremiumRate),
        (&meta.toll_free, NumberType::TollFree),
        (&meta.shared_cost, NumberType::SharedCost),
        (&meta.voip, NumberType::Voip),
        (&meta.personal_number, NumberType::PersonalNumber),
        (&meta.pager, NumberType::Pager),
        (&meta.uan, NumberType::Uan),
        (&meta.voicemail, NumberType::Voicemail),
    ] {
        if is(desc) {
            return t;
        }
    }
    let same = meta.same_mobile_and_fixed_line_pattern();
    if is(&meta.fixed_line) {
        return if same || is(&meta.mobile) {
            NumberType::FixedLineOrMobile
        } else {
            NumberType::FixedLine
        };
    }
    if !same && is(&meta.mobile) {
        return NumberType::Mobile;
    }
    NumberType::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Context;
    use proptest::prelude::*;

    fn ctx(region: &str) -> Context {
        Context::with_region(CountryCode::parse(region).unwrap())
    }

    fn norm(raw: &str, region: Option<&str>) -> Result<Normalized, NormalizeError> {
        let c = region.map(ctx).unwrap_or_default();
        normalize(raw, &c)
    }

    fn canon(raw: &str, region: &str) -> Result<String, &'static str> {
        norm(raw, Some(region))
            .map(|n| n.identifier.canonical().to_owned())
            .map_err(|e| e.code())
    }

    fn full(raw: &str, region: Option<&str>) -> (String, Option<String>, String, bool) {
        let n = norm(raw, region).unwrap();
        (
            n.identifier.canonical().to_owned(),
            n.region.map(|r| r.to_string()),
            n.subtype.unwrap(),
            n.valid,
        )
    }

    fn th_mobile() -> (String, Option<String>, String, bool) {
        (
            "+66812345678".into(),
            Some("TH".into()),
            "mobile".into(),
            true,
        )
    }

    #[test]
    fn thai_mobile_in_national_and_international_writings() {
        assert_eq!(full("081 234 5678", Some("TH")), th_mobile());
        assert_eq!(full("+66 81-234-5678", Some("JP")), th_mobile());
        assert_eq!(full("+66 81-234-5678", None), th_mobile());
        assert_eq!(full("๐๘๑๒๓๔๕๖๗๘", Some("TH")), th_mobile());
        assert_eq!(full("๐๘๑-๒๓๔-๕๖๗๘", Some("TH")), th_mobile());
        assert_eq!(full("０８１２３４５６７８", Some("TH")), th_mobile());
        assert_eq!(full("＋６６ ８１２３４５６７８", Some("US")), th_mobile());
        assert_eq!(full("(081) 234.5678", Some("TH")), th_mobile());
        assert_eq!(full("001 66 81 234 5678", Some("TH")), th_mobile());
        assert_eq!(full("00 66 81 234 5678", None), th_mobile());
        assert_eq!(full("Tel: 081-234-5678", Some("TH")), th_mobile());
        assert_eq!(full("โทร 081-234-5678", Some("TH")), th_mobile());
        assert_eq!(full("tel:+66-81-234-5678", None), th_mobile());
        assert_eq!(full("081 234 5678 ext. 12", Some("TH")), th_mobile());
        assert_eq!(full("081-234-5678 x12", Some("TH")), th_mobile());
        assert_eq!(
            full("\u{200B}081\u{200B}2345678\u{FEFF}", Some("TH")),
            th_mobile()
        );
    }

    #[test]
    fn international_prefixes_of_the_default_region() {
        // Japan dials out with 010, Korea with 001/002/00700..., the US with 011, Australia 0011.
        assert_eq!(canon("010 66 81 234 5678", "JP"), Ok("+66812345678".into()));
        assert_eq!(canon("001 66 81 234 5678", "KR"), Ok("+66812345678".into()));
        assert_eq!(canon("011 66 81 234 5678", "US"), Ok("+66812345678".into()));
        assert_eq!(
            canon("0011 66 81 234 5678", "AU"),
            Ok("+66812345678".into())
        );
        assert_eq!(canon("001 66 81 234 5678", "TH"), Ok("+66812345678".into()));
    }

    #[test]
    fn double_zero_where_it_is_not_the_international_prefix() {
        // 00 is not the US international prefix (011): libphonenumber reads the digits as a
        // US national number, 13 digits long, which no US number is.
        assert_eq!(canon("0066812345678", "US"), Err("too_long"));
        // In Korea 00 is followed by a carrier digit (001, 002, 005, 006...): 0066 is not
        // an international prefix and 0066812345678 is no Korean number.
        assert!(norm("0066812345678", Some("KR")).is_err());
    }

    #[test]
    fn thai_carrier_prefix_006_wins_over_00_as_in_libphonenumber() {
        // Thailand's international prefixes are 00[1-9] (001, 006, 007, 008, 009 are carriers'),
        // so 0066 81... dialled in Thailand is 006 + 681 (Wallis and Futuna) + 234 5678: a
        // length no Wallis number has. libphonenumber reads it so; so does this port.
        assert_eq!(canon("0066 81 234 5678", "TH"), Err("invalid_length"));
        assert_eq!(canon("+66 81 234 5678", "TH"), Ok("+66812345678".into()));
    }

    #[test]
    fn other_countries() {
        assert_eq!(
            full("tel:+1-202-555-0143", None),
            (
                "+12025550143".into(),
                Some("US".into()),
                "fixed_line_or_mobile".into(),
                true
            )
        );
        assert_eq!(
            full("tel:+1-202-555-0143", Some("TH")).0,
            "+12025550143".to_owned()
        );
        assert_eq!(
            full("(202) 555-0143", Some("US")),
            (
                "+12025550143".into(),
                Some("US".into()),
                "fixed_line_or_mobile".into(),
                true
            )
        );
        assert_eq!(
            full("03-1234-5678", Some("JP")),
            (
                "+81312345678".into(),
                Some("JP".into()),
                "fixed_line".into(),
                true
            )
        );
        assert_eq!(
            full("090-1234-5678", Some("JP")),
            (
                "+819012345678".into(),
                Some("JP".into()),
                "mobile".into(),
                true
            )
        );
        assert_eq!(
            full("98765 43210", Some("IN")),
            (
                "+919876543210".into(),
                Some("IN".into()),
                "mobile".into(),
                true
            )
        );
        assert_eq!(
            full("९८७६५ ४३२१०", Some("IN")).0,
            "+919876543210".to_owned()
        );
        assert_eq!(
            full("020 7946 0018", Some("GB")).0,
            "+442079460018".to_owned()
        );
        assert_eq!(
            full("1-800-FLOWERS", Some("US")).0,
            "+18003569377".to_owned()
        );
    }

    #[test]
    fn possible_but_unassigned_numbers_keep_a_canonical() {
        // Thai numbers starting 5x with 9 digits after the trunk prefix: a possible length (9)
        // but no allocated range.
        let n = norm("051 234 5678", Some("TH")).unwrap();
        assert_eq!(n.identifier.canonical(), "+66512345678");
        assert!(!n.valid);
        assert_eq!(n.subtype.as_deref(), Some("unknown"));
        assert_eq!(n.region.map(|r| r.to_string()).as_deref(), Some("TH"));
    }

    #[test]
    fn valid_numbers_are_kept_whatever_the_length_check_says() {
        // Canadian 310-XXXX: valid (UAN), but by the US lengths only "possible local only".
        let n = norm("+1 310 2646", Some("TH")).unwrap();
        assert_eq!(n.identifier.canonical(), "+13102646");
        assert!(n.valid);
        assert_eq!(n.region.map(|r| r.to_string()).as_deref(), Some("CA"));
    }

    #[test]
    fn invalid_numbers_whose_e164_would_read_back_differently_are_refused() {
        // Found by the fuzzer: libphonenumber gives +440078560078, which reads as +44078560078.
        for (raw, region) in [("S00078 560078", "GB"), ("00 61 1631 287", "AU")] {
            let err = norm(raw, Some(region)).expect_err(raw);
            assert_eq!(err.code(), "unstable", "{raw} {region}");
        }
        // A valid number with leading zeros in its national number (Italy) reads back.
        assert_eq!(canon("06 6982 0000", "IT").as_deref(), Ok("+390669820000"));
    }

    #[test]
    fn short_codes_are_refused_with_their_region() {
        for (raw, region, key) in [
            ("1441", "TH", "TH:1441"),
            ("๑๔๔๑", "TH", "TH:1441"),
            ("+66 1441", "US", "TH:1441"),
            ("1930", "IN", "IN:1930"),
            ("911", "US", "US:911"),
            ("110", "JP", "JP:110"),
            ("191", "TH", "TH:191"),
            ("000", "AU", "AU:000"),
            ("1332", "KR", "KR:1332"),
            ("96110", "CN", "CN:96110"),
        ] {
            let err = norm(raw, Some(region)).unwrap_err();
            assert_eq!(err.code(), "short_code", "{raw} {region}");
            assert!(err.to_string().contains(key), "{err}");
        }
        // Truncated numbers are not short codes.
        for (raw, region) in [("081234", "TH"), ("0812 345", "TH"), ("555-0143", "US")] {
            let err = norm(raw, Some(region)).unwrap_err();
            assert_eq!(err.code(), "too_short", "{raw} {region}");
        }
    }

    #[test]
    fn errors_have_stable_codes() {
        assert_eq!(canon("hello", "TH"), Err("syntax"));
        assert_eq!(canon("12. March", "TH"), Err("syntax"));
        assert_eq!(
            norm("081 234 5678", None).map_err(|e| e.code()),
            Err("no_region")
        );
        assert_eq!(canon("+999 1234 5678", "TH"), Err("invalid_country_code"));
        assert_eq!(canon("555-0143", "US"), Err("too_short"));
        assert_eq!(canon("081 234 5678 9012 3456 78", "TH"), Err("too_long"));
        assert_eq!(canon("+66 81 234 567", "TH"), Ok("+6681234567".into()));
        assert_eq!(canon(&"1".repeat(65), "TH"), Err("too_long"));
        assert_eq!(canon("081\n2345678", "TH"), Err("syntax"));
        assert_eq!(
            canon("081 234 5678\text. 5", "TH"),
            Ok("+66812345678".into())
        );
    }

    #[test]
    fn all_metadata_patterns_compile() {
        let index = index();
        let mut broken = Vec::new();
        for (id, entry) in index.by_region.iter().chain(
            index
                .non_geo
                .values()
                .map(|e| (&NON_GEO_REGION, e))
                .collect::<Vec<_>>(),
        ) {
            let meta = entry.meta;
            let r = entry.get();
            let descs = [
                Some(&r.general),
                r.fixed_line.as_ref(),
                r.mobile.as_ref(),
                r.toll_free.as_ref(),
                r.premium_rate.as_ref(),
                r.shared_cost.as_ref(),
                r.voip.as_ref(),
                r.personal_number.as_ref(),
                r.pager.as_ref(),
                r.uan.as_ref(),
                r.voicemail.as_ref(),
            ];
            if descs.iter().flatten().any(|d| d.full.is_none()) {
                broken.push(format!("{id}: number pattern"));
            }
            if meta.international_prefix().is_some() && r.idd.is_none() {
                broken.push(format!("{id}: international prefix"));
            }
            if meta.leading_digits().is_some() && r.leading_digits.is_none() {
                broken.push(format!("{id}: leading digits"));
            }
            if (meta.national_prefix_for_parsing().is_some() || meta.national_prefix().is_some())
                && r.national_prefix_for_parsing.is_none()
            {
                broken.push(format!("{id}: national prefix"));
            }
            if r.general.lengths.is_empty() {
                broken.push(format!("{id}: no possible lengths"));
            }
        }
        assert!(broken.is_empty(), "{broken:?}");
        assert!(patterns().is_some());
        assert_eq!(
            index.regions_for_code.get(&1).and_then(|r| r.first()),
            Some(&"US")
        );
        assert_eq!(
            index.regions_for_code.get(&44).and_then(|r| r.first()),
            Some(&"GB")
        );
    }

    const REGIONS: [&str; 15] = [
        "TH", "MM", "KH", "LA", "VN", "PH", "MY", "CN", "JP", "KR", "IN", "US", "GB", "AU", "SG",
    ];

    /// Example numbers of the 15 regions: (region, national significant number).
    fn examples() -> Vec<(&'static str, u16, String)> {
        let mut out = Vec::new();
        for region in REGIONS {
            let Some(meta) = DATABASE.by_id(region) else {
                continue;
            };
            let d = meta.descriptors();
            for desc in [
                d.fixed_line(),
                d.mobile(),
                d.toll_free(),
                d.premium_rate(),
                d.shared_cost(),
                d.voip(),
                d.personal_number(),
                d.pager(),
                d.uan(),
                d.voicemail(),
            ]
            .into_iter()
            .flatten()
            {
                if let Some(ex) = desc.example() {
                    out.push((region, meta.country_code(), ex.to_owned()));
                }
            }
        }
        out
    }

    #[test]
    fn every_example_number_is_valid_in_every_writing() {
        let examples = examples();
        assert!(examples.len() > 60, "{}", examples.len());
        for (region, code, nsn) in examples {
            let e164 = format!("+{code}{nsn}");
            let n = norm(&e164, None).unwrap();
            assert_eq!(n.identifier.canonical(), e164);
            assert!(n.valid, "{e164}");
            assert_ne!(n.subtype.as_deref(), Some("unknown"), "{e164}");
            assert_eq!(
                norm(&format!("00{code}{nsn}"), None).map(|n| n.identifier.canonical().to_owned()),
                Ok(e164.clone())
            );
            for writing in [
                format!("+{code} {nsn}"),
                format!("tel:+{code}-{nsn}"),
                format!("+{code} ({nsn}) ext. 99"),
            ] {
                assert_eq!(
                    canon(&writing, region),
                    Ok(e164.clone()),
                    "{writing} {region}"
                );
            }
        }
    }

    fn arb_example() -> impl Strategy<Value = (&'static str, u16, String)> {
        proptest::sample::select(examples())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn never_panics_on_any_string(s in "\\PC{0,80}", region in proptest::sample::select(REGIONS.to_vec())) {
            let _ = norm(&s, Some(region));
            let _ = norm(&s, None);
        }

        #[test]
        fn never_panics_on_phone_like_strings(
            s in "[+＋0-9๐-๙０-９ ()\\-.x#*;=a-z:/\\[\\]~,]{0,40}",
            region in proptest::sample::select(REGIONS.to_vec()),
        ) {
            let _ = norm(&s, Some(region));
            let _ = norm(&s, None);
            let _ = norm(&format!("tel:{s};phone-context={s}"), Some(region));
        }

        #[test]
        fn canonical_is_idempotent(
            (region, code, nsn) in arb_example(),
            tail in proptest::collection::vec(0u8..10, 0..3),
            from in proptest::sample::select(REGIONS.to_vec()),
        ) {
            // Mutate the last digits so that invalid-but-possible numbers are covered too.
            let mut digits: Vec<u8> = nsn.bytes().collect();
            let len = digits.len();
            for (i, d) in tail.iter().enumerate() {
                if i < len.saturating_sub(2) {
                    digits[len - 1 - i] = b'0' + d;
                }
            }
            let nsn = String::from_utf8(digits).unwrap();
            let first = norm(&format!("+{code}{nsn}"), Some(region));
            if let Ok(first) = first {
                let c = first.identifier.canonical().to_owned();
                for ctx_region in [Some(from), None] {
                    let again = norm(&c, ctx_region).unwrap();
                    prop_assert_eq!(again.identifier.canonical(), c.as_str());
                    prop_assert_eq!(again.valid, first.valid);
                    prop_assert_eq!(&again.subtype, &first.subtype);
                }
            }
        }

        #[test]
        fn all_writings_of_one_number_give_one_key(
            (region, code, nsn) in arb_example(),
            sep in proptest::sample::select(vec![" ", "-", ".", "", "  "]),
        ) {
            let e164 = format!("+{code}{nsn}");
            let spaced: String = nsn
                .chars()
                .enumerate()
                .map(|(i, c)| if i > 0 && i % 3 == 0 { format!("{sep}{c}") } else { c.to_string() })
                .collect();
            let full_width: String = nsn
                .chars()
                .map(|c| char::from_u32(u32::from(c) - u32::from('0') + 0xFF10).unwrap_or(c))
                .collect();
            let thai: String = nsn
                .chars()
                .map(|c| char::from_u32(u32::from(c) - u32::from('0') + 0x0E50).unwrap_or(c))
                .collect();
            for writing in [
                e164.clone(),
                format!("+{code}{sep}{spaced}"),
                format!("+{code} {full_width}"),
                format!("+{code} {thai}"),
                format!("tel:+{code}-{nsn}"),
            ] {
                prop_assert_eq!(canon(&writing, region), Ok(e164.clone()), "{}", writing);
            }
            let idd = norm(&format!("00{code}{sep}{spaced}"), None)
                .map(|n| n.identifier.canonical().to_owned())
                .map_err(|e| e.code());
            prop_assert_eq!(idd, Ok(e164.clone()));
        }
    }
}
