//! Bank accounts: an IBAN, or `CC:bank:account` where the country has no IBAN.
//!
//! # IBAN
//!
//! Canonical form: the electronic format in upper case (`GB82WEST12345698765432`); `region`
//! is the IBAN's country, `subtype` `iban`. Accepted writings: electronic or print format,
//! upper or lower case, with spaces, dashes or dots, after an optional `IBAN` / `IBAN:` label.
//! The ISO 7064 mod-97 check digits and the country's BBAN format from the SWIFT IBAN registry
//! are verified by `iban_validate` (`bad_checksum`, `bad_iban_format`). Pakistan, whose IBAN
//! format the registry's text edition (and so `iban_validate`) no longer lists although the
//! PDF edition does, is checked here: 24 characters, BBAN of 4 letters and 16 alphanumerics.
//!
//! # Domestic accounts
//!
//! Canonical form `CC:bank:account`, `subtype` `domestic`, `region` the country:
//!
//! | country | bank part | account part | rule checked |
//! |---|---|---|---|
//! | TH | 3-digit Bank of Thailand code (`004`) | digits | length by bank: 10 digits for the commercial banks listed in [`TH_BANKS`], 12 for GSB (030), GHB (033) and BAAC (034) |
//! | IN | IFSC (`HDFC0001234`) | 9 to 18 digits | IFSC format: 4 letters, `0`, 6 letters or digits |
//! | US | 9-digit ABA routing number | 4 to 17 digits | routing checksum, weights 3-7-1 |
//! | JP | 4-digit bank code `-` 3-digit branch code (`0005-123`) | 7 digits | lengths (Zengin: shorter codes are zero-filled) |
//! | other | letters and digits (1 to 15) | letters and digits (4 to 34) | none |
//!
//! `valid` is `true` only where the country has a published rule and it was checked and
//! passed (for TH with a bank code not in [`TH_BANKS`], 10 to 15 digits are accepted with
//! `valid: false`); a well-formed value that no rule could check is kept with
//! `valid: false`. Bank and account numbers are kept with their leading zeros.
//!
//! Accepted writings (digits of any script, separators ` `, `-`, `.`, `/` inside numbers):
//! - `TH:004:123-4-56789-0` (the canonical form reads back as itself), `TH 004 1234567890`,
//!   `JP 0005-123 1234567`, `JP 0005 123 1234567`: country, bank (and for JP branch), account;
//! - labelled, in any order: `IFSC HDFC0001234 A/C 50100012345678`,
//!   `routing 021000021 account 123456789` (`ABA`, `RTN`), `bank 0005 branch 123 account
//!   1234567`, with `no.`, `number`, `code`, `:` and `#` allowed after the labels;
//! - for Thailand, a bank name instead of its code: `KBank 123-4-56789-0`,
//!   `ธนาคารกสิกรไทย 1234567890` (see [`TH_BANKS`]);
//! - without a country: IFSC implies India, a routing number the United States, a Thai bank
//!   name Thailand; otherwise the country is [`crate::Context::region`], and with none the value
//!   is refused (`no_region`).
//!
//! Domestic writings of accounts in IBAN countries are kept as domestic: they are not
//! converted to the IBAN, so they do not correlate with it.

use crate::{Context, NormalizeError, Normalized, text};
use iban::{BaseIban, Iban, IbanLike, ParseBaseIbanError, ParseIbanError};
use warroom_domain::{CountryCode, IdentifierKind};

const KIND: IdentifierKind = IdentifierKind::BankAccount;

fn invalid(code: &'static str, message: impl Into<String>) -> NormalizeError {
    NormalizeError::invalid(KIND, code, message)
}

/// Thai banks: Bank of Thailand code, account lengths, and the names people write instead of
/// the code (lower case; Thai names as written after `ธนาคาร`). Lengths: the commercial banks
/// use 10-digit account numbers; the specialised state banks GSB, GHB and BAAC use 12.
pub(crate) const TH_BANKS: &[(&str, &[usize], &[&str])] = &[
    ("002", &[10], &["bangkok bank", "bbl", "กรุงเทพ"]),
    (
        "004",
        &[10],
        &[
            "kasikornbank",
            "kasikorn",
            "kbank",
            "k-bank",
            "กสิกรไทย",
            "กสิกร",
        ],
    ),
    ("006", &[10], &["krungthai", "krung thai", "ktb", "กรุงไทย"]),
    (
        "011",
        &[10],
        &["tmbthanachart", "ttb", "tmb", "ทหารไทยธนชาต"],
    ),
    ("014", &[10], &["siam commercial", "scb", "ไทยพาณิชย์"]),
    ("022", &[10], &["cimb thai", "cimb"]),
    ("024", &[10], &["uob"]),
    (
        "025",
        &[10],
        &["bank of ayudhya", "krungsri", "bay", "กรุงศรีอยุธยา", "กรุงศรี"],
    ),
    ("030", &[12], &["government savings bank", "gsb", "ออมสิน"]),
    (
        "033",
        &[12],
        &["government housing bank", "ghb", "อาคารสงเคราะห์"],
    ),
    ("034", &[12], &["baac", "ธ.ก.ส.", "ธกส"]),
    ("067", &[10], &["tisco", "ทิสโก้"]),
    ("069", &[10], &["kiatnakin", "kkp", "เกียรตินาคิน"]),
    (
        "073",
        &[10],
        &["land and houses", "lh bank", "แลนด์ แอนด์ เฮ้าส์"],
    ),
];

pub(crate) fn normalize(raw: &str, ctx: &Context) -> Result<Normalized, NormalizeError> {
    let folded = text::fold(raw);
    let (labelled, body) = strip_iban_label(&folded);
    let compact: String = body
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.'))
        .collect::<String>()
        .to_ascii_uppercase();
    if labelled || (looks_like_iban(&compact) && is_iban_country(&compact[..2])) {
        let result = iban(raw, &compact);
        // `GB 123456 12345678`: a country, then a domestic number that failed as an IBAN.
        let first_word = folded.split_whitespace().next().unwrap_or("");
        let country_word =
            first_word.len() == 2 && first_word.bytes().all(|b| b.is_ascii_alphabetic());
        if result.is_ok() || labelled || !country_word {
            return result;
        }
        return domestic(raw, &folded, ctx).or(result);
    }
    domestic(raw, &folded, ctx)
}

// ---------------------------------------------------------------------------------------------
// IBAN

fn strip_iban_label(s: &str) -> (bool, &str) {
    match s.get(..4) {
        Some(head) if head.eq_ignore_ascii_case("iban") => {
            let rest = s.get(4..).unwrap_or("");
            if rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                // `IBANK...`: not the label.
                return (false, s);
            }
            (
                true,
                rest.trim_start_matches(|c: char| {
                    c.is_whitespace() || matches!(c, ':' | '：' | '#' | '.')
                }),
            )
        }
        _ => (false, s),
    }
}

fn looks_like_iban(c: &str) -> bool {
    let b = c.as_bytes();
    (5..=34).contains(&b.len())
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b.iter().all(u8::is_ascii_alphanumeric)
}

/// ISO 7064 MOD 97-10 remainder of an upper-case alphanumeric string (letters count as
/// 10..35).
fn mod97(s: &str) -> u32 {
    s.bytes().fold(0u32, |acc, b| match b {
        b'0'..=b'9' => (acc * 10 + u32::from(b - b'0')) % 97,
        b'A'..=b'Z' => (acc * 100 + u32::from(b - b'A') + 10) % 97,
        _ => acc,
    })
}

/// Whether the country has IBANs: known to `iban_validate`'s registry, or Pakistan. Asked of
/// `iban_validate` itself with a checksum-correct probe, so that the answer follows its
/// registry version.
fn is_iban_country(cc: &str) -> bool {
    if cc == "PK" {
        return true;
    }
    if cc.len() != 2 || !cc.bytes().all(|b| b.is_ascii_uppercase()) {
        return false;
    }
    let bban = "0000000000";
    let check = 98 - mod97(&format!("{bban}{cc}00"));
    let probe = format!("{cc}{check:02}{bban}");
    match probe.parse::<BaseIban>() {
        Ok(base) => !matches!(Iban::try_from(base), Err(ParseIbanError::UnknownCountry(_))),
        Err(_) => false,
    }
}

fn iban(raw: &str, compact: &str) -> Result<Normalized, NormalizeError> {
    if !looks_like_iban(compact) {
        return Err(invalid(
            "bad_iban_format",
            "an IBAN is 2 letters, 2 check digits and up to 30 letters and digits",
        ));
    }
    if !compact.get(..2).is_some_and(is_iban_country) {
        return Err(invalid(
            "bad_iban_format",
            "the country has no IBAN format in the registry",
        ));
    }
    let electronic = match compact.parse::<Iban>() {
        Ok(i) => i.electronic_str().to_owned(),
        Err(ParseIbanError::InvalidBaseIban {
            source: ParseBaseIbanError::InvalidChecksum,
        }) => {
            return Err(invalid(
                "bad_checksum",
                "the IBAN check digits do not match (mod 97)",
            ));
        }
        Err(ParseIbanError::InvalidBaseIban { .. }) => {
            return Err(invalid(
                "bad_iban_format",
                "an IBAN is 2 letters, 2 check digits and up to 30 letters and digits",
            ));
        }
        Err(ParseIbanError::InvalidBban(_)) => {
            return Err(invalid(
                "bad_iban_format",
                "the IBAN does not follow its country's format (length or character types)",
            ));
        }
        Err(ParseIbanError::UnknownCountry(base)) => {
            let e = base.electronic_str();
            let bban = e.get(4..).unwrap_or("");
            let pk_ok = e.starts_with("PK")
                && e.len() == 24
                && bban.bytes().take(4).all(|b| b.is_ascii_uppercase())
                && bban.bytes().all(|b| b.is_ascii_alphanumeric());
            if !pk_ok {
                return Err(invalid(
                    "bad_iban_format",
                    "the country has no IBAN format in the registry",
                ));
            }
            e.to_owned()
        }
    };
    let mut n = Normalized::new(raw, KIND, electronic.clone())?;
    n.region = electronic
        .get(..2)
        .and_then(|cc| CountryCode::parse(cc).ok());
    n.subtype = Some("iban".to_owned());
    Ok(n)
}

// ---------------------------------------------------------------------------------------------
// Domestic accounts

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Label {
    Ifsc,
    Routing,
    Bank,
    Branch,
    Account,
    /// `no`, `number`, `code`...: keeps the current expectation.
    Filler,
}

fn label(word: &str) -> Option<Label> {
    let w = word.trim_end_matches(['.', '#']).to_lowercase();
    Some(match w.as_str() {
        "ifsc" => Label::Ifsc,
        "routing" | "aba" | "rtn" => Label::Routing,
        "bank" | "銀行" | "金融機関" => Label::Bank,
        "branch" | "支店" => Label::Branch,
        "account"
        | "acct"
        | "acc"
        | "a/c"
        | "ac"
        | "บัญชี"
        | "เลขที่บัญชี"
        | "เลขบัญชี"
        | "口座"
        | "口座番号"
        | "खाता" => Label::Account,
        "no" | "number" | "num" | "nr" | "code" | "#" | "transit" | "of" | "เลขที่" | "番号" => {
            Label::Filler
        }
        _ => return None,
    })
}

/// Where `name` occurs in `lower` as a name: for Latin names, not inside a longer word
/// (`bay` is not in `ebay`); Thai is written without spaces, so Thai names match anywhere.
fn name_at(lower: &str, name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(pos) = lower.get(from..).and_then(|t| t.find(name)) {
        let start = from + pos;
        let end = start + name.len();
        let bounded = !name.is_ascii()
            || (lower[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
                && lower[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric()));
        if bounded {
            return Some((start, end));
        }
        from = end;
    }
    None
}

/// The Thai bank named in `s` (the longest name found wins), and `s` with every name of that
/// bank and the word ธนาคาร ("bank") blanked, so that `Krungsri (BAY) 123...` leaves only
/// the number.
fn thai_bank_name(s: &str) -> (Option<&'static str>, String) {
    let mut out = s.replace("ธนาคาร", " ");
    // Without a letter after an `XX:` country prefix no bank is named: skip the search, which
    // is most of the cost of a structured `TH:004:...` value.
    let after_country = match out.get(..3) {
        Some(p) if p.ends_with(':') && p[..2].chars().all(|c| c.is_ascii_alphabetic()) => &out[3..],
        _ => out.as_str(),
    };
    if !after_country.chars().any(char::is_alphabetic) {
        return (None, out);
    }
    let lower = out.to_ascii_lowercase();
    let mut best: Option<(usize, &'static str)> = None;
    for (code, _, names) in TH_BANKS {
        for name in *names {
            if name_at(&lower, name).is_some() && best.is_none_or(|(len, _)| name.len() > len) {
                best = Some((name.len(), code));
            }
        }
    }
    let Some((_, code)) = best else {
        return (None, out);
    };
    let names = TH_BANKS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, _, names)| *names)
        .unwrap_or_default();
    // Longest names first, so that `กสิกรไทย` goes before `กสิกร` eats half of it.
    let mut names: Vec<&str> = names.to_vec();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for name in names {
        // Blanking keeps the length, so positions in the lower-case copy stay valid.
        while let Some((start, end)) = name_at(&out.to_ascii_lowercase(), name) {
            out.replace_range(start..end, &" ".repeat(end - start));
        }
    }
    (Some(code), out)
}

struct Piece {
    text: String,
    /// Joined to the next piece by a colon inside one word (`TH:004:...`).
    inner_colon: bool,
}

fn pieces(s: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    for word in s.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']' | '|' | '=' | '{' | '}')
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
        let rest = rest.trim_end_matches([':', '：']);
        if !rest.is_empty() {
            out.push(Piece {
                text: rest.to_owned(),
                inner_colon: false,
            });
        }
    }
    out
}

/// A number part: separators removed, upper case, ASCII letters and digits only.
fn clean(part: &str) -> Result<String, NormalizeError> {
    let cleaned: String = part
        .chars()
        .filter(|c| !matches!(c, '-' | '.' | '/' | '\u{2010}'..='\u{2015}' | '\u{2212}'))
        .collect::<String>()
        .to_ascii_uppercase();
    if cleaned.is_empty() || !cleaned.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(invalid(
            "syntax",
            "bank and account numbers are letters and digits",
        ));
    }
    Ok(cleaned)
}

#[derive(Default)]
struct Fields {
    country: Option<CountryCode>,
    implied: Option<&'static str>,
    bank: Option<String>,
    branch: Option<String>,
    account: String,
}

fn domestic(raw: &str, folded: &str, ctx: &Context) -> Result<Normalized, NormalizeError> {
    let (named, rest) = thai_bank_name(folded);
    let pieces = pieces(&rest);
    let mut f = Fields::default();
    if let Some(code) = named {
        f.bank = Some(code.to_owned());
        f.implied = Some("TH");
    }
    // Labels that imply a country, known before the bank part is read.
    for p in &pieces {
        match label(&p.text) {
            Some(Label::Ifsc) => f.implied = Some("IN"),
            Some(Label::Routing) => f.implied = Some("US"),
            _ => {}
        }
    }
    let mut expect: Option<Label> = None;
    for (i, p) in pieces.iter().enumerate() {
        // A country first: `TH 004 ...`, `th:004:...`.
        if i == 0
            && (p.inner_colon || label(&p.text).is_none())
            && let Some(c) = two_letter_country(&p.text)
        {
            f.country = Some(c);
            continue;
        }
        if let Some(l) = label(&p.text) {
            expect = match l {
                Label::Filler => expect,
                Label::Ifsc | Label::Routing | Label::Bank => Some(Label::Bank),
                other => Some(other),
            };
            continue;
        }
        let v = clean(&p.text)?;
        let country = f
            .country
            .map(|c| c.to_string())
            .or(f.implied.map(str::to_owned))
            .or(ctx.region.map(|c| c.to_string()));
        let is_jp = country.as_deref() == Some("JP");
        match expect {
            Some(Label::Bank) if f.bank.is_none() => {
                set_bank(&mut f, &p.text, v, is_jp)?;
                expect = None;
            }
            Some(Label::Branch) => {
                f.branch = Some(v);
                expect = None;
            }
            Some(Label::Account) => f.account.push_str(&v),
            _ => {
                if f.bank.is_none() {
                    set_bank(&mut f, &p.text, v, is_jp)?;
                } else if is_jp && f.branch.is_none() && f.account.is_empty() {
                    f.branch = Some(v);
                } else if named.is_some_and(|code| code == v) && f.account.is_empty() {
                    // `KBank 004 ...`: the code of the bank just named.
                } else {
                    f.account.push_str(&v);
                }
            }
        }
    }

    let cc = match f
        .country
        .or_else(|| f.implied.and_then(|c| CountryCode::parse(c).ok()))
        .or(ctx.region)
    {
        Some(cc) => cc,
        None => {
            return Err(invalid(
                "no_region",
                "no country: write it first (`TH:004:1234567890`) or use an IBAN",
            ));
        }
    };
    let Some(bank) = f.bank.filter(|b| !b.is_empty()) else {
        return Err(invalid(
            "syntax",
            "a bank code and an account number are needed (`TH:004:1234567890`)",
        ));
    };
    if f.account.is_empty() {
        return Err(invalid(
            "syntax",
            "a bank code and an account number are needed (`TH:004:1234567890`)",
        ));
    }
    let (bank_part, valid) = match cc.as_str() {
        "TH" => thai(&bank, &f.account)?,
        "IN" => india(&bank, &f.account)?,
        "US" => united_states(&bank, &f.account)?,
        "JP" => japan(&bank, f.branch.as_deref(), &mut f.account)?,
        _ => other(&bank, &f.account)?,
    };
    let mut n = Normalized::new(raw, KIND, format!("{cc}:{bank_part}:{}", f.account))?;
    n.region = Some(cc);
    n.subtype = Some("domestic".to_owned());
    n.valid = valid;
    Ok(n)
}

fn two_letter_country(word: &str) -> Option<CountryCode> {
    if word.len() == 2 {
        CountryCode::parse(word).ok()
    } else {
        None
    }
}

/// Records the bank part; a JP `bank-branch` (`0005-123`) also gives the branch.
fn set_bank(
    f: &mut Fields,
    original: &str,
    cleaned: String,
    is_jp: bool,
) -> Result<(), NormalizeError> {
    if is_jp && let Some((bank, branch)) = original.split_once('-') {
        f.bank = Some(clean(bank)?);
        f.branch = Some(clean(branch)?);
        return Ok(());
    }
    f.bank = Some(cleaned);
    Ok(())
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn digits_or_syntax(s: &str, what: &str) -> Result<(), NormalizeError> {
    if all_digits(s) {
        Ok(())
    } else {
        Err(invalid("syntax", format!("{what} has digits only")))
    }
}

fn thai(bank: &str, account: &str) -> Result<(String, bool), NormalizeError> {
    if !all_digits(bank) || bank.len() > 3 {
        return Err(invalid(
            "syntax",
            "a Thai bank code is 3 digits (004 KBANK, 014 SCB...) or a bank name",
        ));
    }
    let bank = format!("{bank:0>3}");
    digits_or_syntax(account, "a Thai account number")?;
    let known = TH_BANKS.iter().find(|(code, _, _)| *code == bank);
    match known {
        Some((_, lengths, _)) => {
            if !lengths.contains(&account.len()) {
                return Err(invalid(
                    "bad_length",
                    format!(
                        "accounts of Thai bank {bank} have {} digits",
                        lengths
                            .iter()
                            .map(usize::to_string)
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                ));
            }
            Ok((bank, true))
        }
        None => {
            if !(10..=15).contains(&account.len()) {
                return Err(invalid(
                    "bad_length",
                    "a Thai account number has 10 to 15 digits",
                ));
            }
            Ok((bank, false))
        }
    }
}

fn is_ifsc(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && b[..4].iter().all(u8::is_ascii_uppercase)
        && b[4] == b'0'
        && b[5..].iter().all(u8::is_ascii_alphanumeric)
}

fn india(bank: &str, account: &str) -> Result<(String, bool), NormalizeError> {
    if !is_ifsc(bank) {
        return Err(invalid(
            "bad_ifsc",
            "an IFSC is 4 letters, 0, then 6 letters or digits (HDFC0001234)",
        ));
    }
    digits_or_syntax(account, "an Indian account number")?;
    if !(9..=18).contains(&account.len()) {
        return Err(invalid(
            "bad_length",
            "an Indian account number has 9 to 18 digits",
        ));
    }
    Ok((bank.to_owned(), true))
}

/// ABA routing number checksum: 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) is a multiple of 10.
fn aba_ok(routing: &str) -> bool {
    let d: Vec<u32> = routing.chars().filter_map(|c| c.to_digit(10)).collect();
    d.len() == 9
        && d.iter()
            .zip([3, 7, 1].iter().cycle())
            .map(|(x, w)| x * w)
            .sum::<u32>()
            % 10
            == 0
}

fn united_states(bank: &str, account: &str) -> Result<(String, bool), NormalizeError> {
    digits_or_syntax(bank, "a routing number")?;
    if bank.len() != 9 {
        return Err(invalid("bad_length", "an ABA routing number has 9 digits"));
    }
    if !aba_ok(bank) {
        return Err(invalid(
            "bad_routing_checksum",
            "the routing number check digit does not match (weights 3-7-1)",
        ));
    }
    digits_or_syntax(account, "a US account number")?;
    if !(4..=17).contains(&account.len()) {
        return Err(invalid(
            "bad_length",
            "a US account number has 4 to 17 digits",
        ));
    }
    Ok((bank.to_owned(), true))
}

fn japan(
    bank: &str,
    branch: Option<&str>,
    account: &mut String,
) -> Result<(String, bool), NormalizeError> {
    let Some(branch) = branch else {
        return Err(invalid(
            "syntax",
            "a Japanese account needs a bank code, a branch code and an account number",
        ));
    };
    digits_or_syntax(bank, "a Japanese bank code")?;
    digits_or_syntax(branch, "a Japanese branch code")?;
    digits_or_syntax(account, "a Japanese account number")?;
    if bank.len() > 4 || branch.len() > 3 || account.len() > 7 {
        return Err(invalid(
            "bad_length",
            "Japanese bank, branch and account numbers have 4, 3 and 7 digits",
        ));
    }
    *account = format!("{account:0>7}");
    Ok((format!("{bank:0>4}-{branch:0>3}"), true))
}

fn other(bank: &str, account: &str) -> Result<(String, bool), NormalizeError> {
    if bank.len() > 15 {
        return Err(invalid(
            "bad_length",
            "a bank code has at most 15 characters",
        ));
    }
    if !(4..=34).contains(&account.len()) {
        return Err(invalid(
            "bad_length",
            "an account number has 4 to 34 characters",
        ));
    }
    if !account.bytes().any(|b| b.is_ascii_digit()) {
        return Err(invalid("syntax", "an account number has digits"));
    }
    Ok((bank.to_owned(), false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
    fn iban_writings() {
        let want = Ok("GB82WEST12345698765432".to_owned());
        for raw in [
            "GB82WEST12345698765432",
            "GB82 WEST 1234 5698 7654 32",
            "gb82 west 1234 5698 7654 32",
            "IBAN GB82 WEST 1234 5698 7654 32",
            "IBAN: GB82-WEST-1234-5698-7654-32",
            "iban:gb82west12345698765432",
        ] {
            assert_eq!(canon(raw, Some("TH")), want, "{raw}");
        }
        let n = normalize("GB82 WEST 1234 5698 7654 32", &ctx(None)).unwrap();
        assert_eq!(n.region.map(|c| c.to_string()), Some("GB".into()));
        assert_eq!(n.subtype.as_deref(), Some("iban"));
        assert!(n.valid);
    }

    #[test]
    fn iban_refusals() {
        assert_eq!(canon("GB82WEST12345698765433", None), Err("bad_checksum"));
        assert_eq!(
            canon("GB83 WEST 1234 5698 7654 32", None),
            Err("bad_checksum")
        );
        // Right checksum, wrong BBAN format (GB has 4 letters then 14 digits).
        assert_eq!(
            canon("IBAN GB73BARC1020153008", None),
            Err("bad_iban_format")
        );
        assert_eq!(canon("IBAN TH12345", None), Err("bad_iban_format"));
        assert_eq!(canon("IBAN", None), Err("bad_iban_format"));
    }

    #[test]
    fn pakistan_iban_is_known_although_the_crate_lacks_it() {
        assert!(is_iban_country("PK"));
        assert!(is_iban_country("GB"));
        assert!(is_iban_country("DE"));
        assert!(!is_iban_country("TH"));
        assert!(!is_iban_country("US"));
        assert_eq!(
            canon("PK36 SCBL 0000 0011 2345 6702", None),
            Ok("PK36SCBL0000001123456702".into())
        );
        assert_eq!(canon("PK36SCBL0000001123456703", None), Err("bad_checksum"));
    }

    #[test]
    fn thai_accounts() {
        let want = Ok("TH:004:1234567890".to_owned());
        for (raw, region) in [
            ("TH:004:123-4-56789-0", None),
            ("TH 004 1234567890", None),
            ("th 004 123 4 56789 0", None),
            ("004 1234567890", Some("TH")),
            ("KBank 123-4-56789-0", None),
            ("Kasikorn Bank account 1234567890", Some("JP")),
            ("ธนาคารกสิกรไทย ๑๒๓-๔-๕๖๗๘๙-๐", None),
            ("KBank 004 1234567890", None),
            ("bank 004 account no. 1234567890", Some("TH")),
            ("TH:4:1234567890", None),
        ] {
            assert_eq!(canon(raw, region), want, "{raw}");
        }
        let n = normalize("TH 004 1234567890", &ctx(None)).unwrap();
        assert_eq!(n.subtype.as_deref(), Some("domestic"));
        assert_eq!(n.region.map(|c| c.to_string()), Some("TH".into()));
        assert!(n.valid);
        assert_eq!(
            canon("GSB 020012345678", None),
            Ok("TH:030:020012345678".into())
        );
        assert_eq!(canon("TH 004 123456789012", None), Err("bad_length"));
        assert_eq!(canon("TH 030 1234567890", None), Err("bad_length"));
        // A code outside the table: 10 to 15 digits, unverified.
        let n = normalize("TH 071 1234567890", &ctx(None)).unwrap();
        assert_eq!(n.identifier.canonical(), "TH:071:1234567890");
        assert!(!n.valid);
        assert_eq!(canon("TH ABC 1234567890", None), Err("syntax"));
        assert_eq!(canon("1234567890", Some("TH")), Err("syntax"));
    }

    #[test]
    fn thai_bank_names_and_labels() {
        for (raw, want) in [
            ("KBank: 123-4-56789-0", "TH:004:1234567890"),
            ("SCB 111-2-33333-4", "TH:014:1112333334"),
            ("Bangkok Bank 123-4-56789-0", "TH:002:1234567890"),
            ("ธนาคารไทยพาณิชย์ เลขที่บัญชี 111-2-33333-4", "TH:014:1112333334"),
            ("ออมสิน 0200 1234 5678", "TH:030:020012345678"),
            ("Krungsri a/c 1234567890", "TH:025:1234567890"),
            ("Krungsri (BAY) 1234567890", "TH:025:1234567890"),
            ("กสิกรไทย KBank 123-4-56789-0", "TH:004:1234567890"),
        ] {
            assert_eq!(canon(raw, None), Ok(want.to_owned()), "{raw}");
        }
        // A name inside another word is not a bank (`ebay`).
        assert_eq!(canon("ebay 1234567890", None), Err("no_region"));
    }

    #[test]
    fn domestic_writings_in_iban_countries_stay_domestic() {
        assert_eq!(
            canon("DE 37040044 0532013000", None),
            Ok("DE:37040044:0532013000".into())
        );
        assert_eq!(
            canon("601613 31926819", Some("GB")),
            Ok("GB:601613:31926819".into())
        );
        // A mistyped IBAN is not silently read as a domestic account.
        assert_eq!(
            canon("DE89 3704 0044 0532 0130 01", None),
            Err("bad_checksum")
        );
    }

    #[test]
    fn indian_accounts() {
        let want = Ok("IN:HDFC0001234:50100012345678".to_owned());
        for (raw, region) in [
            ("IFSC HDFC0001234 A/C 50100012345678", None),
            ("IFSC: hdfc0001234, A/C No. 50100012345678", Some("TH")),
            ("A/C 50100012345678 IFSC HDFC0001234", None),
            ("IN:HDFC0001234:50100012345678", None),
            ("HDFC0001234 50100012345678", Some("IN")),
        ] {
            assert_eq!(canon(raw, region), want, "{raw}");
        }
        assert_eq!(
            canon("IFSC HDFC1001234 A/C 50100012345678", None),
            Err("bad_ifsc")
        );
        assert_eq!(canon("IFSC HDFC0001234 A/C 50100", None), Err("bad_length"));
    }

    #[test]
    fn us_accounts() {
        let want = Ok("US:021000021:123456789".to_owned());
        for (raw, region) in [
            ("routing 021000021 account 123456789", None),
            ("ABA# 021000021 acct# 123456789", Some("TH")),
            ("US:021000021:123456789", None),
            ("021000021 123456789", Some("US")),
        ] {
            assert_eq!(canon(raw, region), want, "{raw}");
        }
        assert!(aba_ok("011000015"));
        assert!(aba_ok("121000358"));
        assert_eq!(
            canon("routing 021000022 account 123456789", None),
            Err("bad_routing_checksum")
        );
        assert_eq!(
            canon("routing 02100002 account 123456789", None),
            Err("bad_length")
        );
    }

    #[test]
    fn japanese_accounts() {
        let want = Ok("JP:0005-123:1234567".to_owned());
        for (raw, region) in [
            ("JP:0005-123:1234567", None),
            ("JP 0005-123 1234567", None),
            ("JP 0005 123 1234567", None),
            ("bank 0005 branch 123 account 1234567", Some("JP")),
            ("5 123 1234567", Some("JP")),
        ] {
            assert_eq!(canon(raw, region), want, "{raw}");
        }
        assert_eq!(
            canon("JP 0005 123 123456", None),
            Ok("JP:0005-123:0123456".into())
        );
        assert_eq!(canon("JP 0005 123 12345678", None), Err("bad_length"));
        assert_eq!(canon("JP 0005 1234567", None), Err("syntax"));
    }

    #[test]
    fn other_countries_keep_the_digits_unverified() {
        let n = normalize("SG 7171 123-456789-0", &ctx(None)).unwrap();
        assert_eq!(n.identifier.canonical(), "SG:7171:1234567890");
        assert!(!n.valid);
        assert_eq!(
            canon("7171 1234567890", Some("MY")),
            Ok("MY:7171:1234567890".into())
        );
        // A domestic writing in an IBAN country stays domestic.
        assert_eq!(
            canon("GB 601613 31926819", None),
            Ok("GB:601613:31926819".into())
        );
        assert_eq!(canon("1234567890 004", None), Err("no_region"));
        assert_eq!(canon("KH 001 12", None), Err("bad_length"));
    }

    proptest! {
        #[test]
        fn never_panics_and_is_idempotent(s in any::<String>(), region in prop::option::of("(TH|JP|IN|US|GB|NO|SG)")) {
            let c = ctx(region.as_deref());
            if let Ok(n) = normalize(&s, &c) {
                let again = normalize(n.identifier.canonical(), &c).unwrap();
                prop_assert_eq!(again.identifier.canonical(), n.identifier.canonical());
            }
        }

        #[test]
        fn account_shaped_input_is_idempotent(
            head in "(|TH |JP |IN |US |GB |no |IBAN |KBank |IFSC HDFC0001234 |routing 021000021 |bank |th:|jp:)",
            s in "[0-9A-Z :/-]{0,40}",
            region in prop::option::of("(TH|JP|IN|US|NO)"),
        ) {
            let c = ctx(region.as_deref());
            if let Ok(n) = normalize(&format!("{head}{s}"), &c) {
                let again = normalize(n.identifier.canonical(), &c).unwrap();
                prop_assert_eq!(again.identifier.canonical(), n.identifier.canonical());
            }
        }
    }
}
