//! Every identifier inside free text, with its byte span in the original text.
//!
//! The text is folded first (NFKC, digits of every script to ASCII, invisible characters out,
//! defanged writings kept as written) with a map from folded to original offsets, so that a
//! Thai victim's `๐๘๑-๒๓๔-๕๖๗๘` is found and its span points at the Thai digits. Candidates
//! come from patterns in precedence order (links before the domains inside them, e-mails
//! before their domains); a candidate is kept only if its normaliser accepts it, and a later
//! candidate overlapping a kept one is dropped. In free text a phone number must be *valid*
//! (an assigned range), not merely possible, or amounts and dates would be taken for numbers.

use crate::{Context, Normalized, normalize, text};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;
use warroom_domain::IdentifierKind as K;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// Byte range of the identifier in the original text.
    pub span: Range<usize>,
    pub normalized: Normalized,
}

/// Texts longer than this are read up to this many bytes only (1 MiB).
pub const MAX_TEXT_LEN: usize = 1 << 20;

struct Pattern {
    kind: K,
    re: Regex,
    /// Whether the match must be valid (not merely well-formed) to count.
    require_valid: bool,
}

fn pat(kind: K, re: &str, require_valid: bool) -> Option<Pattern> {
    // The patterns are constants checked by the tests; a bad one is dropped, not a panic.
    Regex::new(re).ok().map(|re| Pattern {
        kind,
        re,
        require_valid,
    })
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    const DOT: &str = r"(?:\.|\[\.\]|\(\.\)|\{\.\}|\[dot\])";
    let host = format!(
        r"(?:[\p{{L}}\p{{N}}](?:[\p{{L}}\p{{N}}-]{{0,62}}[\p{{L}}\p{{N}}])?{DOT})+\p{{L}}{{2,24}}"
    );
    [
        // Messaging links and labelled handles.
        pat(
            K::Messaging,
            r"(?i)(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me|line\.me|wa\.me|api\.whatsapp\.com|m\.me|fb\.me|signal\.me)/[^\s<>]+",
            false,
        ),
        pat(
            K::Messaging,
            r"(?i)\b(?:line|telegram|whatsapp|wechat|signal|viber|instagram|facebook|twitter)(?:\s*id)?\s*[:：]?\s*@?[A-Za-z0-9][A-Za-z0-9._\-]{2,31}",
            false,
        ),
        // Links, defanged or not, with or without scheme.
        pat(K::Url, r#"(?i)\b(?:h(?:tt|xx)ps?|ftp)(?:://|\[://\]|\[:\]//)[^\s<>"'）」】]+"#, false),
        pat(K::Url, &format!(r#"(?i)\bwww{DOT}[^\s<>"'）」】]+"#), false),
        // E-mail addresses, defanged or not.
        pat(K::Email, &format!(r"(?i)[A-Za-z0-9._%+\-]+(?:@|\[@\]|\(at\)|\[at\]){host}"), false),
        // Wallets.
        pat(K::CryptoWallet, r"\b(?:bc1|tb1|BC1|TB1)[A-Za-z0-9]{8,87}\b", true),
        pat(K::CryptoWallet, r"\b0x[0-9A-Fa-f]{40}\b", false),
        pat(K::CryptoWallet, r"\b[13T][1-9A-HJ-NP-Za-km-z]{25,34}\b", true),
        // IBANs, in electronic or print form.
        pat(K::BankAccount, r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b", true),
        // Labelled domestic bank accounts ("IFSC HDFC0001234 A/C 50100012345678").
        pat(K::BankAccount, r"(?i)\bIFSC\s*[:：]?\s*[A-Z]{4}0[A-Z0-9]{6}\W{1,5}(?:a/?c|account)(?:\s*no\.?)?\s*[:：]?\s*[0-9][0-9 \-]{5,20}[0-9]", false),
        // IMEIs need their label in free text: bare 15-digit strings are too often other things.
        pat(K::Imei, r"(?i)\bIMEI\s*(?:no\.?|number)?\s*[:：]?\s*[0-9][0-9 \-/]{13,20}[0-9]", true),
        // IP addresses.
        pat(K::Ip, &format!(r"\b(?:[0-9]{{1,3}}{DOT}){{3}}[0-9]{{1,3}}\b"), false),
        // Phone numbers: digits with the separators people write.
        pat(K::Phone, r"\+?\(?[0-9][0-9 \-.()/]{5,22}[0-9]", true),
        // Bare host names last: the most false positives.
        pat(K::Domain, &format!(r"(?i)\b{host}\b"), false),
    ]
    .into_iter()
    .flatten()
    .collect()
});

/// Folded text and, for every folded byte offset, the original byte offset it came from.
struct Folded {
    text: String,
    origin: Vec<usize>,
    original_len: usize,
}

impl Folded {
    fn new(s: &str) -> Self {
        let mut text = String::with_capacity(s.len());
        let mut origin = Vec::with_capacity(s.len() + 1);
        let mut one = [0u8; 4];
        for (at, c) in s.char_indices() {
            // Character by character, so every output byte maps back to one input character.
            for f in c.encode_utf8(&mut one).nfkc() {
                if matches!(f, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}')
                {
                    continue;
                }
                let f = text::ascii_digit(f).unwrap_or(f);
                for _ in 0..f.len_utf8() {
                    origin.push(at);
                }
                text.push(f);
            }
        }
        origin.push(s.len());
        Self {
            text,
            origin,
            original_len: s.len(),
        }
    }

    /// The original byte range of folded range `r`.
    fn original(&self, r: &Range<usize>, original: &str) -> Range<usize> {
        let start = self
            .origin
            .get(r.start)
            .copied()
            .unwrap_or(self.original_len);
        // The end is the end of the original character that produced the last folded byte.
        let last = r
            .end
            .checked_sub(1)
            .and_then(|i| self.origin.get(i))
            .copied()
            .unwrap_or(start);
        let end = original[last..]
            .chars()
            .next()
            .map(|c| last + c.len_utf8())
            .unwrap_or(last);
        start..end.max(start)
    }
}

/// Every identifier in `text`, in order of position.
pub fn extract(text: &str, ctx: &Context) -> Vec<Extracted> {
    let mut cut = text.len().min(MAX_TEXT_LEN);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let text = &text[..cut];
    let folded = Folded::new(text);
    let f = folded.text.as_str();
    let mut taken: Vec<Range<usize>> = Vec::new();
    let mut out = Vec::new();
    for p in PATTERNS.iter() {
        for m in p.re.find_iter(f) {
            let mut r = m.range();
            // Links and hosts end before trailing punctuation of the sentence.
            while r.end > r.start
                && f[..r.end].ends_with(['.', ',', ';', ':', '!', '?', ')', ']', '」', '。', '、'])
            {
                let last = f[..r.end]
                    .chars()
                    .next_back()
                    .map(char::len_utf8)
                    .unwrap_or(1);
                r.end -= last;
            }
            // Phone numbers must not be cut out of a longer run of letters or digits.
            if p.kind == K::Phone && (!standalone(f, &r) || looks_like_date(&f[r.clone()])) {
                continue;
            }
            if r.is_empty() || taken.iter().any(|t| t.start < r.end && r.start < t.end) {
                continue;
            }
            let candidate = strip_label(p.kind, &f[r.clone()]);
            let Ok(mut n) = normalize(p.kind, candidate, ctx) else {
                continue;
            };
            if p.require_valid && !n.valid {
                continue;
            }
            let span = folded.original(&r, text);
            n.raw = text[span.clone()].to_owned();
            taken.push(r);
            out.push(Extracted {
                span,
                normalized: n,
            });
        }
    }
    out.sort_by_key(|e| e.span.start);
    out
}

/// A phone candidate must not be cut out of a longer run of Latin letters or digits. Thai,
/// Japanese and Hindi text puts words right against numbers (`090-1234-5678に電話`), so only
/// ASCII neighbours count.
fn standalone(f: &str, r: &Range<usize>) -> bool {
    let before = f[..r.start].chars().next_back();
    let after = f[r.end..].chars().next();
    !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/')
        && !after.is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Dates written as numbers (`2024-01-15`, `15/01/2024`, `20240115`) parse as valid fixed-line
/// numbers in several countries; in free text they are dates.
fn looks_like_date(s: &str) -> bool {
    let groups: Vec<&str> = s
        .split(['-', '/', '.', ' '])
        .filter(|g| !g.is_empty())
        .collect();
    let all_digits = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    if !all_digits {
        return false;
    }
    let num = |g: &str| g.parse::<u32>().unwrap_or(0);
    let ymd = |y: u32, m: u32, d: u32| {
        (1900..=2099).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
    };
    match groups.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => ymd(num(y), num(m), num(d)),
        [d, m, y] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => {
            ymd(num(y), num(m), num(d)) || ymd(num(y), num(d), num(m))
        }
        [one] if one.len() == 8 => {
            ymd(num(&one[..4]), num(&one[4..6]), num(&one[6..]))
                || ymd(num(&one[4..]), num(&one[2..4]), num(&one[..2]))
        }
        _ => false,
    }
}

/// Drops the leading label (`IMEI:`) that made the match, for kinds whose normaliser does not
/// take labels.
fn strip_label(kind: K, s: &str) -> &str {
    match kind {
        K::Imei => s.trim_start_matches(|c: char| !c.is_ascii_digit()),
        _ => s,
    }
}
