//! Deciding which kind of identifier a bare string is.
//!
//! The shape of the value picks the kinds worth trying, in a fixed precedence; each candidate
//! must then pass its own normaliser. Where several kinds validate fully (a 15-digit string
//! that is both a valid IMEI and a valid phone number somewhere), the answer is `Ambiguous`
//! with every candidate, and the caller must say which.

use crate::{Context, MAX_VALUE_LEN, NormalizeError, Normalized, normalize, text};
use warroom_domain::IdentifierKind as K;

#[derive(Debug)]
pub enum Detection {
    Found(Normalized),
    /// Several kinds fit; each candidate is fully normalised.
    Ambiguous(Vec<Normalized>),
    /// No kind fits. The error is the most specific refusal seen (a bad checksum on what looked
    /// like a wallet says more than "unrecognised").
    None(NormalizeError),
}

/// Hosts whose links name a messaging account rather than a web page.
const MESSAGING_HOSTS: &[&str] = &[
    "t.me",
    "telegram.me",
    "telegram.dog",
    "line.me",
    "wa.me",
    "api.whatsapp.com",
    "m.me",
    "fb.me",
    "signal.me",
    "instagram.com",
    "x.com",
    "twitter.com",
    "facebook.com",
    "viber.com",
];

/// Words that, written before a value, say what it is.
const LABELS: &[(&str, K)] = &[
    ("imei", K::Imei),
    ("passport", K::Document),
    ("iban", K::BankAccount),
    ("ifsc", K::BankAccount),
    ("routing", K::BankAccount),
    ("account", K::BankAccount),
    ("a/c", K::BankAccount),
    ("acct", K::BankAccount),
    ("line", K::Messaging),
    ("telegram", K::Messaging),
    ("whatsapp", K::Messaging),
    ("wechat", K::Messaging),
    ("signal", K::Messaging),
    ("viber", K::Messaging),
    ("instagram", K::Messaging),
    ("facebook", K::Messaging),
    ("twitter", K::Messaging),
    ("tel:", K::Phone),
    ("mailto:", K::Email),
];

pub fn detect(raw: &str, ctx: &Context) -> Detection {
    if raw.len() > MAX_VALUE_LEN {
        return Detection::None(NormalizeError::TooLong { max: MAX_VALUE_LEN });
    }
    let t = text::refang(&text::fold(raw));
    if t.is_empty() {
        return Detection::None(NormalizeError::Empty);
    }
    let lower = t.to_lowercase();

    // 1. An explicit label decides.
    if let Some((_, kind)) = LABELS.iter().find(|(label, _)| {
        lower.starts_with(label)
            && lower[label.len()..]
                .starts_with(|c: char| !c.is_alphanumeric() || label.ends_with(':'))
    }) {
        return single(normalize(*kind, raw, ctx));
    }

    // 2. Links: to a messaging platform, or to anything else.
    if lower.contains("://") || lower.starts_with("www.") || has_path_after_host(&lower) {
        let host = host_of(&lower);
        if MESSAGING_HOSTS
            .iter()
            .any(|h| host == *h || host.ends_with(&format!(".{h}")))
            && let Ok(n) = normalize(K::Messaging, raw, ctx)
        {
            return Detection::Found(n);
        }
        return single(normalize(K::Url, raw, ctx));
    }

    // 3. E-mail addresses; a bare @handle names no platform.
    if let Some(at) = lower.find('@') {
        if at == 0 {
            return single(normalize(K::Messaging, raw, ctx));
        }
        return single(normalize(K::Email, raw, ctx));
    }

    // 4. `label:value` forms: a wallet's chain (`eth:0x...`, `usdt-trc20: T...`) or a messaging
    //    platform (`telegram:name`). The wallet reading is tried first: chain labels are few and
    //    the checksum decides; anything else with a word label is a platform handle.
    if let Some((head, _)) = lower.split_once(':')
        && head.len() > 2
        && head
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ')
    {
        if let Ok(n) = normalize(K::CryptoWallet, raw, ctx) {
            return Detection::Found(n);
        }
        return single(normalize(K::Messaging, raw, ctx));
    }

    // 5. Addresses.
    if let Ok(n) = normalize(K::Ip, raw, ctx) {
        return Detection::Found(n);
    }

    // 6. Values with their own checksums: wallets and IBANs.
    let compact: String = t.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let mut refusals = Vec::new();
    if looks_like_wallet(&compact) {
        match normalize(K::CryptoWallet, raw, ctx) {
            Ok(n) => return Detection::Found(n),
            Err(e) => refusals.push(e),
        }
    }
    if looks_like_iban(&compact) {
        match normalize(K::BankAccount, raw, ctx) {
            Ok(n) => return Detection::Found(n),
            Err(e) => refusals.push(e),
        }
    }

    // 7. Numbers: a phone, an IMEI or a national ID document. Fully valid candidates compete.
    if is_numberish(&t) {
        let mut valid = Vec::new();
        let mut plausible = None;
        for kind in [K::Phone, K::Imei, K::Document] {
            match normalize(kind, raw, ctx) {
                Ok(n) if n.valid && (kind != K::Document || n.subtype.is_some()) => valid.push(n),
                Ok(n) if kind == K::Phone => plausible = Some(n),
                Ok(_) => {}
                Err(e) if kind == K::Phone => refusals.insert(0, e),
                Err(_) => {}
            }
        }
        return match valid.len() {
            0 => match plausible {
                Some(n) => Detection::Found(n),
                None => Detection::None(
                    refusals
                        .into_iter()
                        .next()
                        .unwrap_or(NormalizeError::Unrecognised),
                ),
            },
            1 => valid
                .pop()
                .map(Detection::Found)
                .unwrap_or(Detection::None(NormalizeError::Unrecognised)),
            _ => Detection::Ambiguous(valid),
        };
    }

    // 8. Host names.
    if lower.contains('.') && !lower.contains(char::is_whitespace) {
        match normalize(K::Domain, raw, ctx) {
            Ok(n) => return Detection::Found(n),
            Err(e) => refusals.push(e),
        }
    }
    Detection::None(
        refusals
            .into_iter()
            .next()
            .unwrap_or(NormalizeError::Unrecognised),
    )
}

fn single(r: Result<Normalized, NormalizeError>) -> Detection {
    match r {
        Ok(n) => Detection::Found(n),
        Err(e) => Detection::None(e),
    }
}

fn host_of(lower: &str) -> &str {
    let rest = lower.split_once("://").map(|(_, r)| r).unwrap_or(lower);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    host.split(':')
        .next()
        .unwrap_or(host)
        .trim_start_matches("www.")
}

/// `example.com/login`: a dotted host followed by a path, without a scheme.
fn has_path_after_host(lower: &str) -> bool {
    match lower.split_once('/') {
        Some((host, _)) => {
            host.contains('.')
                && !host.contains(char::is_whitespace)
                && host.chars().any(|c| c.is_alphabetic())
                && !host.contains('@')
        }
        None => false,
    }
}

fn looks_like_wallet(c: &str) -> bool {
    let l = c.to_ascii_lowercase();
    (l.starts_with("0x") && c.len() == 42)
        || l.starts_with("bc1")
        || l.starts_with("tb1")
        || ((c.starts_with('1') || c.starts_with('3') || c.starts_with('T'))
            && (25..=35).contains(&c.len())
            && c.chars().all(|ch| ch.is_ascii_alphanumeric())
            && c.chars().any(|ch| ch.is_ascii_alphabetic()))
}

fn looks_like_iban(c: &str) -> bool {
    let b = c.as_bytes();
    b.len() >= 15
        && b.len() <= 34
        && b[..2].iter().all(u8::is_ascii_alphabetic)
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b.iter().all(u8::is_ascii_alphanumeric)
}

fn is_numberish(t: &str) -> bool {
    let digits = t.chars().filter(char::is_ascii_digit).count();
    digits >= 3
        && t.chars()
            .all(|c| c.is_ascii_digit() || " +-.()/".contains(c))
}
