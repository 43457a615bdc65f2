//! Passports and identity documents: `CC:NUMBER`.
//!
//! `CC` is the issuing country (ISO 3166-1 alpha-2) and `NUMBER` the document number in upper
//! case, letters and digits only (spaces, dashes, dots and slashes removed).
//!
//! Accepted writings:
//! - the canonical form `CC:NUMBER` (`TH:AA1234567`), always read as country + number, even
//!   where the country code is also a word (`ID:A1234567` is Indonesia);
//! - a country then the number: `JP TK1234567`, `th:aa1234567`, `JPN TK1234567` (alpha-3);
//! - labels before either: `passport IN K1234567`, `Passport No.: AA1234567`, `ID card`,
//!   `national ID`, `Aadhaar 2341 2341 2346`, `Thai ID 1-1017-00230-70-8`, and their Thai,
//!   Japanese and Hindi equivalents. `id` and `no` are read as labels, never as Indonesia or
//!   Norway, unless written in the `CC:NUMBER` form;
//! - a bare number: the issuing country is then [`crate::Context::region`] (the reporting
//!   agency's country), or the country a label implies (Aadhaar: India; Thai ID: Thailand);
//!   with neither, `no_region`;
//! - an ICAO 9303 TD3 machine-readable zone (passport booklets): both lines (88 characters,
//!   joined or on two lines), or line 2 alone (44 characters). Every check digit of line 2 is
//!   verified (7-3-1 weights; `bad_checksum`). The issuing country is the issuing state of
//!   line 1; with line 2 alone it is the holder's nationality from line 2, which is the issuer
//!   for national passports but not for every travel document. ICAO codes that are not ISO
//!   alpha-3 are mapped where they denote one country (`D` Germany, `GBD`/`GBN`/`GBO`/`GBP`/
//!   `GBS` United Kingdom); others (`UTO` of the specimens, `XXA` stateless, `UNO`...) have no
//!   ISO country and are refused with `no_region`.
//!
//! Rules by document:
//! - Thai national ID card (country TH, 13 digits): mod-11 check digit verified; `subtype`
//!   `th_national_id`.
//! - Indian Aadhaar (country IN, 12 digits): first digit 2-9 and Verhoeff check digit
//!   verified; `subtype` `in_aadhaar`.
//! - Any other number: 5 to 20 letters and digits, at least one digit. Such numbers have no
//!   published check digit outside the MRZ, so `valid` is `false`; `subtype` is `passport`
//!   when a passport label or MRZ said so, else unset.
//!
//! `valid` is `true` only when a check digit was verified (national ID, Aadhaar, MRZ).

use crate::{Context, NormalizeError, Normalized, text};
use warroom_domain::{CountryCode, IdentifierKind};

const KIND: IdentifierKind = IdentifierKind::Document;

const MIN_LEN: usize = 5;
const MAX_LEN: usize = 20;

fn invalid(code: &'static str, message: impl Into<String>) -> NormalizeError {
    NormalizeError::invalid(KIND, code, message)
}

/// What a label word says about the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hint {
    Passport,
    ThaiId,
    Aadhaar,
    Plain,
}

fn keyword(word: &str) -> Option<Hint> {
    let w = word.trim_end_matches(['.', ':', '#', '：']).to_lowercase();
    Some(match w.as_str() {
        "passport"
        | "pp"
        | "ppt"
        | "หนังสือเดินทาง"
        | "パスポート"
        | "旅券"
        | "पासपोर्ट"
        | "护照"
        | "護照"
        | "여권" => Hint::Passport,
        "aadhaar" | "aadhar" | "uidai" | "आधार" => Hint::Aadhaar,
        "thai" | "บัตรประชาชน" | "เลขบัตรประชาชน" | "เลขประจำตัวประชาชน" => {
            Hint::ThaiId
        }
        "no" | "number" | "num" | "nr" | "doc" | "document" | "id" | "card" | "national"
        | "citizen" | "identity" | "identification" | "nid" | "#" | "เลขที่" | "番号" => {
            Hint::Plain
        }
        _ => return None,
    })
}

/// A country written as an ISO 3166-1 alpha-2 or alpha-3 code, any case.
fn country(word: &str) -> Option<CountryCode> {
    match word.len() {
        2 => CountryCode::parse(word).ok(),
        3 => alpha3(&word.to_ascii_uppercase()),
        _ => None,
    }
}

fn alpha3(code: &str) -> Option<CountryCode> {
    let a2 = isocountry::CountryCode::for_alpha3(code).ok()?.alpha2();
    CountryCode::parse(a2).ok()
}

/// The ISO country of an ICAO 9303 three-letter state code (fillers `<` included).
fn icao_state(code: &str) -> Option<CountryCode> {
    match code.trim_end_matches('<') {
        "D" => CountryCode::parse("DE").ok(),
        "GBD" | "GBN" | "GBO" | "GBP" | "GBS" => CountryCode::parse("GB").ok(),
        other if other.len() == 3 => alpha3(other),
        _ => None,
    }
}

/// One piece of the input: its text, and whether a colon joined it to the next piece inside
/// one word (`TH:AA1234567`).
struct Piece {
    text: String,
    inner_colon: bool,
}

fn pieces(s: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    for word in s.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']' | '|' | '=')
    }) {
        let mut rest = word;
        while let Some((head, tail)) = rest.split_once([':', '：']) {
            if tail.is_empty() {
                break;
            }
            if !head.is_empty() {
                out.push(Piece {
                    text: head.to_owned(),
                    inner_colon: true,
                });
            }
            rest = tail;
        }
        if !rest.is_empty() && rest.chars().any(|c| c != ':' && c != '：') {
            out.push(Piece {
                text: rest.to_owned(),
                inner_colon: false,
            });
        }
    }
    out
}

pub(crate) fn normalize(raw: &str, ctx: &Context) -> Result<Normalized, NormalizeError> {
    let folded = text::fold(raw);
    let compact: String = folded
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if compact.contains("<<")
        && compact
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'<')
    {
        return mrz(raw, &compact);
    }

    let mut explicit: Option<CountryCode> = None;
    let mut hint = Hint::Plain;
    let mut parts: Vec<String> = Vec::new();
    for piece in pieces(&folded) {
        // `CC:` inside a word is a country even where it is also a label word (`ID:`).
        if piece.inner_colon
            && parts.is_empty()
            && explicit.is_none()
            && let Some(c) = country(&piece.text)
        {
            explicit = Some(c);
            continue;
        }
        if let Some(h) = keyword(&piece.text) {
            if h != Hint::Plain {
                hint = h;
            }
            continue;
        }
        if parts.is_empty()
            && explicit.is_none()
            && let Some(c) = country(&piece.text)
        {
            explicit = Some(c);
            continue;
        }
        parts.push(piece.text);
    }
    // A country code alone names no document.
    if parts.is_empty() {
        return Err(invalid("syntax", "no document number"));
    }

    let mut number = String::new();
    for part in &parts {
        let cleaned: String = part
            .chars()
            .filter(|c| !matches!(c, '-' | '.' | '/' | '\u{2010}'..='\u{2015}' | '\u{2212}'))
            .collect();
        if !cleaned.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(invalid(
                "syntax",
                "a document number has Latin letters and digits only",
            ));
        }
        if cleaned.len() > 3 && cleaned.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(invalid(
                "syntax",
                "a word where a document number was expected",
            ));
        }
        number.push_str(&cleaned.to_ascii_uppercase());
    }
    if number.is_empty() {
        return Err(invalid("syntax", "no document number"));
    }

    let implied = match hint {
        Hint::Aadhaar => CountryCode::parse("IN").ok(),
        Hint::ThaiId => CountryCode::parse("TH").ok(),
        Hint::Passport | Hint::Plain => None,
    };
    let Some(cc) = explicit.or(implied).or(ctx.region) else {
        return Err(invalid(
            "no_region",
            "no issuing country: write it before the number (`TH:AA1234567`)",
        ));
    };
    build(raw, cc, &number, hint)
}

fn build(
    raw: &str,
    cc: CountryCode,
    number: &str,
    hint: Hint,
) -> Result<Normalized, NormalizeError> {
    let all_digits = number.bytes().all(|b| b.is_ascii_digit());
    let (subtype, valid) = match (cc.as_str(), number.len(), hint) {
        ("TH", 13, _) if all_digits => {
            if !thai_id_ok(number) {
                return Err(invalid(
                    "bad_checksum",
                    "the Thai national ID check digit does not match",
                ));
            }
            (Some("th_national_id"), true)
        }
        ("IN", 12, _) if all_digits => {
            if number.starts_with(['0', '1']) {
                return Err(invalid(
                    "syntax",
                    "an Aadhaar number never starts with 0 or 1",
                ));
            }
            if !verhoeff_ok(number) {
                return Err(invalid(
                    "bad_checksum",
                    "the Aadhaar check digit does not match (Verhoeff)",
                ));
            }
            (Some("in_aadhaar"), true)
        }
        (_, _, Hint::ThaiId) => {
            return Err(invalid("bad_length", "a Thai national ID has 13 digits"));
        }
        (_, _, Hint::Aadhaar) => {
            return Err(invalid("bad_length", "an Aadhaar number has 12 digits"));
        }
        (_, len, _) => {
            if !(MIN_LEN..=MAX_LEN).contains(&len) {
                return Err(invalid(
                    "bad_length",
                    format!("a document number has {MIN_LEN} to {MAX_LEN} characters"),
                ));
            }
            if !number.bytes().any(|b| b.is_ascii_digit()) {
                return Err(invalid("syntax", "a document number has digits"));
            }
            ((hint == Hint::Passport).then_some("passport"), false)
        }
    };
    let mut n = Normalized::new(raw, KIND, format!("{cc}:{number}"))?;
    n.region = Some(cc);
    n.subtype = subtype.map(str::to_owned);
    n.valid = valid;
    Ok(n)
}

/// Thai national ID: the 13th digit is (11 - sum(d[i] * (13 - i)) mod 11) mod 10 over the
/// first 12 digits.
fn thai_id_ok(number: &str) -> bool {
    let d: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 13 {
        return false;
    }
    let sum: u32 = d[..12]
        .iter()
        .zip((2..=13).rev())
        .map(|(&x, w)| x * w)
        .sum();
    (11 - sum % 11) % 10 == d[12]
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Verhoeff: a digit string (check digit last) is valid when the running value ends at 0.
fn verhoeff_ok(number: &str) -> bool {
    let mut c = 0u8;
    for (i, ch) in number.chars().rev().enumerate() {
        let Some(digit) = ch.to_digit(10) else {
            return false;
        };
        let p = VERHOEFF_P[i % 8][digit as usize];
        c = VERHOEFF_D[usize::from(c)][usize::from(p)];
    }
    c == 0
}

/// ICAO 9303 check digit: character values (digits as themselves, A-Z 10-35, `<` 0) times
/// the weights 7, 3, 1 repeated, modulo 10.
fn mrz_check_digit(s: &str) -> u32 {
    s.bytes()
        .zip([7u32, 3, 1].into_iter().cycle())
        .map(|(b, w)| {
            let v = match b {
                b'0'..=b'9' => u32::from(b - b'0'),
                b'A'..=b'Z' => u32::from(b - b'A') + 10,
                _ => 0,
            };
            v * w
        })
        .sum::<u32>()
        % 10
}

/// A TD3 MRZ: line 2 alone (44 characters) or lines 1 and 2 (88). `mrz` is upper case,
/// white space removed, made of `A-Z`, `0-9` and `<` only (checked by the caller).
fn mrz(raw: &str, mrz: &str) -> Result<Normalized, NormalizeError> {
    let (line1, line2) = match mrz.len() {
        88 => (Some(&mrz[..44]), &mrz[44..]),
        44 => (None, mrz),
        n => {
            return Err(invalid(
                "bad_length",
                format!("a passport (TD3) MRZ line has 44 characters, not {n}"),
            ));
        }
    };
    if line1.is_none() && line2.starts_with("P<") {
        return Err(invalid(
            "syntax",
            "MRZ line 1 holds no document number; give line 2 as well",
        ));
    }
    if line1.is_some_and(|l1| !l1.starts_with('P')) {
        return Err(invalid("syntax", "not a passport (TD3) MRZ"));
    }
    let field = |from: usize, to: usize| line2.get(from..to).unwrap_or("");
    let digit = |at: usize| line2.as_bytes().get(at).copied().unwrap_or(b'?');
    let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let shape_ok = is_digits(field(13, 19))
        && is_digits(field(21, 27))
        && [9, 19, 27, 43].iter().all(|&i| digit(i).is_ascii_digit())
        && (digit(42).is_ascii_digit() || digit(42) == b'<')
        && matches!(digit(20), b'M' | b'F' | b'X' | b'<');
    if !shape_ok {
        return Err(invalid("syntax", "not a passport (TD3) MRZ line 2"));
    }
    let check = |data: &str, at: usize| {
        let expected = match digit(at) {
            b'<' => 0,
            d => u32::from(d.wrapping_sub(b'0')),
        };
        mrz_check_digit(data) == expected
    };
    let composite = format!("{}{}{}", field(0, 10), field(13, 20), field(21, 43));
    if !(check(field(0, 9), 9)
        && check(field(13, 19), 19)
        && check(field(21, 27), 27)
        && check(field(28, 42), 42)
        && check(&composite, 43))
    {
        return Err(invalid(
            "bad_checksum",
            "an MRZ check digit does not match (ICAO 9303, 7-3-1)",
        ));
    }
    let number = field(0, 9).trim_end_matches('<');
    if number.contains('<') || number.is_empty() {
        return Err(invalid("syntax", "malformed MRZ document number"));
    }
    let state = line1.and_then(|l| l.get(2..5)).unwrap_or(field(10, 13));
    let Some(cc) = icao_state(state) else {
        return Err(invalid(
            "no_region",
            format!("the MRZ state code {state} is not an ISO 3166 country"),
        ));
    };
    let mut n = build(raw, cc, number, Hint::Passport)?;
    // The MRZ check digit was verified, whatever the number looks like.
    n.valid = true;
    n.subtype = Some("passport".to_owned());
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SPECIMEN_1: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
    const SPECIMEN_2: &str = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

    fn ctx(r: Option<&str>) -> Context {
        Context {
            region: r.and_then(|r| CountryCode::parse(r).ok()),
        }
    }

    fn canon(s: &str, region: Option<&str>) -> Result<String, &'static str> {
        normalize(s, &ctx(region))
            .map(|n| n.identifier.canonical().to_owned())
            .map_err(|e| e.code())
    }

    #[test]
    fn country_and_number() {
        assert_eq!(canon("TH:AA1234567", None), Ok("TH:AA1234567".into()));
        assert_eq!(canon("th:aa1234567", None), Ok("TH:AA1234567".into()));
        assert_eq!(canon("JP TK1234567", None), Ok("JP:TK1234567".into()));
        assert_eq!(canon("JPN TK1234567", None), Ok("JP:TK1234567".into()));
        assert_eq!(
            canon("passport IN K1234567", None),
            Ok("IN:K1234567".into())
        );
        assert_eq!(
            canon("Passport No.: AA 123-4567", Some("TH")),
            Ok("TH:AA1234567".into())
        );
        assert_eq!(canon("TK1234567", Some("JP")), Ok("JP:TK1234567".into()));
        assert_eq!(canon("ID:A1234567", Some("TH")), Ok("ID:A1234567".into()));
        assert_eq!(canon("ID: A1234567", Some("TH")), Ok("TH:A1234567".into()));
        assert_eq!(
            canon("หนังสือเดินทาง AA1234567", Some("TH")),
            Ok("TH:AA1234567".into())
        );
        let n = normalize("passport JP TK1234567", &ctx(None)).unwrap();
        assert_eq!(n.subtype.as_deref(), Some("passport"));
        assert!(!n.valid);
        assert_eq!(n.region.map(|r| r.to_string()), Some("JP".into()));
        assert_eq!(normalize("JP TK1234567", &ctx(None)).unwrap().subtype, None);
    }

    #[test]
    fn refusals() {
        assert_eq!(canon("TK1234567", None), Err("no_region"));
        assert_eq!(canon("TH:1234", None), Err("bad_length"));
        assert_eq!(canon("TH:123456789012345678901", None), Err("bad_length"));
        assert_eq!(canon("TH:ABCDEFG", None), Err("syntax"));
        assert_eq!(canon("passport AA1234567 Thailand", None), Err("syntax"));
        assert_eq!(canon("TH:АА1234567", None), Err("syntax"));
        assert_eq!(canon("passport", Some("TH")), Err("syntax"));
        assert_eq!(canon("TH", Some("TH")), Err("syntax"));
    }

    #[test]
    fn thai_national_id() {
        // Check digits computed with the published mod-11 rule.
        for ok in ["1101700230708", "3100400123456", "1234567890121"] {
            let n = normalize(ok, &ctx(Some("TH"))).unwrap();
            assert_eq!(n.identifier.canonical(), format!("TH:{ok}"));
            assert_eq!(n.subtype.as_deref(), Some("th_national_id"));
            assert!(n.valid);
        }
        assert_eq!(
            canon("1-1017-00230-70-8", Some("TH")),
            Ok("TH:1101700230708".into())
        );
        assert_eq!(
            canon("Thai ID 1 1017 00230 70 8", None),
            Ok("TH:1101700230708".into())
        );
        assert_eq!(canon("1101700230709", Some("TH")), Err("bad_checksum"));
        assert_eq!(
            canon("บัตรประชาชน 110170023070", Some("JP")),
            Err("bad_length")
        );
        // 13 digits issued elsewhere are just a number.
        assert_eq!(
            canon("JP:1101700230709", None),
            Ok("JP:1101700230709".into())
        );
    }

    #[test]
    fn aadhaar() {
        assert!(verhoeff_ok("2363"));
        assert!(!verhoeff_ok("2364"));
        let n = normalize("Aadhaar 2341 2341 2346", &ctx(None)).unwrap();
        assert_eq!(n.identifier.canonical(), "IN:234123412346");
        assert_eq!(n.subtype.as_deref(), Some("in_aadhaar"));
        assert!(n.valid);
        assert_eq!(
            canon("499112345677", Some("IN")),
            Ok("IN:499112345677".into())
        );
        assert_eq!(canon("499112345678", Some("IN")), Err("bad_checksum"));
        assert_eq!(canon("123412341234", Some("IN")), Err("syntax"));
        assert_eq!(canon("aadhaar 1234", Some("IN")), Err("bad_length"));
    }

    #[test]
    fn icao_specimen_mrz() {
        // ICAO Doc 9303 Part 4 specimen: every check digit verifies, but UTO (Utopia) is no
        // ISO country.
        assert_eq!(SPECIMEN_1.len(), 44);
        assert_eq!(SPECIMEN_2.len(), 44);
        assert_eq!(mrz_check_digit("L898902C3"), 6);
        assert_eq!(canon(SPECIMEN_2, None), Err("no_region"));
        assert_eq!(
            canon(&format!("{SPECIMEN_1}\n{SPECIMEN_2}"), None),
            Err("no_region")
        );
        // The state codes are outside every check digit: a real issuer in their place.
        let l1 = SPECIMEN_1.replace("UTO", "D<<");
        let l2 = SPECIMEN_2.replace("UTO", "THA");
        let n = normalize(&format!("{l1}\n{l2}"), &ctx(None)).unwrap();
        assert_eq!(n.identifier.canonical(), "DE:L898902C3");
        assert!(n.valid);
        assert_eq!(n.subtype.as_deref(), Some("passport"));
        assert_eq!(canon(&l2, None), Ok("TH:L898902C3".into()));
        assert_eq!(canon(&l2.to_lowercase(), None), Ok("TH:L898902C3".into()));
        // Any changed character is caught.
        assert_eq!(
            canon(&l2.replacen("L898", "L899", 1), None),
            Err("bad_checksum")
        );
        assert_eq!(
            canon(&l2.replacen("740812", "740813", 1), None),
            Err("bad_checksum")
        );
        assert_eq!(
            canon(&l2.replacen("ZE18", "ZE19", 1), None),
            Err("bad_checksum")
        );
        assert_eq!(canon(&l2[..40], None), Err("bad_length"));
        assert_eq!(canon(SPECIMEN_1, None), Err("syntax"));
    }

    proptest! {
        #[test]
        fn never_panics_and_is_idempotent(s in any::<String>(), region in prop::option::of("(TH|JP|IN|US|ID)")) {
            let c = ctx(region.as_deref());
            if let Ok(n) = normalize(&s, &c) {
                let again = normalize(n.identifier.canonical(), &c).unwrap();
                prop_assert_eq!(again.identifier.canonical(), n.identifier.canonical());
            }
        }

        #[test]
        fn document_shaped_input_is_idempotent(
            label in "(|passport |ID: |TH:|jp |IND |Aadhaar |no. )",
            s in "[A-Z0-9 <-]{0,50}",
            region in prop::option::of("(TH|JP|IN|ID|NO)"),
        ) {
            let c = ctx(region.as_deref());
            if let Ok(n) = normalize(&format!("{label}{s}"), &c) {
                let again = normalize(n.identifier.canonical(), &c).unwrap();
                prop_assert_eq!(again.identifier.canonical(), n.identifier.canonical());
            }
        }
    }
}
