//! E-mail addresses: `local@domain`.
//!
//! The value is folded and refanged (`bob[@]example[.]com`, `bob(at)example(dot)com`); a
//! `mailto:` prefix (and its `?subject=...`) and a `Display Name <addr>` wrapper are removed.
//! The domain is canonicalised like a Domain identifier (UTS-46 lower-case punycode, known
//! public suffix); address literals (`bob@[192.0.2.1]`) are refused.
//!
//! The local part keeps its case (RFC 5321 section 2.4: it may be case-sensitive) except for
//! the providers of [`PROVIDERS`], whose own documentation says how their addresses fold.
//! Quoted local parts (`"john doe"@example.com`) are refused. Dots are not checked for RFC 5322
//! dot-atom placement (`taro..yamada.@docomo.ne.jp`): Japanese mobile carriers issued such
//! addresses for years and they still receive mail.
//!
//! Lengths (RFC 5321 section 4.5.3.1): at most 64 bytes of local part and 254 bytes in all,
//! measured on the address as given (after folding), before provider folding.
//!
//! `implied`: the Domain identifier of the canonical domain, and its registrable domain when
//! that differs.

use crate::web::{canonical_domain, domain_identifiers};
use crate::{MAX_VALUE_LEN, NormalizeError, Normalized, text};
use warroom_domain::IdentifierKind;

const KIND: IdentifierKind = IdentifierKind::Email;

/// How one provider's addresses fold to the mailbox they deliver to.
#[derive(Clone, Copy, Debug)]
struct Folding {
    /// Domains served (the first canonical domain given to the others, below).
    domains: &'static [&'static str],
    /// The domain written in the canonical form.
    canonical_domain: &'static str,
    /// The local part is case-insensitive: lower-cased.
    lowercase: bool,
    /// Dots in the local part are ignored: removed.
    ignore_dots: bool,
    /// `name+tag` delivers to `name`: the `+tag` is removed.
    plus_tags: bool,
}

/// Provider-specific folding, only where the provider documents it (conservative: a provider
/// not listed keeps its local part exactly as written).
/// - Google: Gmail Help "Dots don't matter in Gmail addresses"; Official Gmail Blog
///   "2 hidden ways to get more from your Gmail address" (dots ignored, `+anything`
///   delivered to the base address); Gmail addresses are not case-sensitive; googlemail.com
///   is the same service as gmail.com (the domain used in Germany and the UK), so it folds to
///   gmail.com.
/// - Microsoft consumer mail (Outlook.com, formerly Hotmail, Windows Live, MSN): Microsoft
///   Learn "Plus addressing in Exchange Online" documents `local+tag@domain`; Outlook.com has
///   delivered plus addresses since 2013. Local parts are case-insensitive. Dots are
///   significant and kept.
/// - Yahoo: account names are case-insensitive, so the local part is lower-cased. Yahoo's
///   "disposable addresses" (`base-keyword@yahoo.com`) use a separately chosen base name, not
///   the account name, so no `-suffix` is removed. Dots are significant and kept.
const PROVIDERS: &[Folding] = &[
    Folding {
        domains: &["gmail.com", "googlemail.com"],
        canonical_domain: "gmail.com",
        lowercase: true,
        ignore_dots: true,
        plus_tags: true,
    },
    Folding {
        domains: &[
            "outlook.com",
            "hotmail.com",
            "live.com",
            "msn.com",
            "outlook.jp",
            "outlook.co.th",
            "hotmail.co.th",
            "hotmail.co.jp",
            "live.jp",
            "hotmail.co.uk",
            "live.co.uk",
        ],
        canonical_domain: "",
        lowercase: true,
        ignore_dots: false,
        plus_tags: true,
    },
    Folding {
        domains: &["yahoo.com", "ymail.com", "rocketmail.com"],
        canonical_domain: "",
        lowercase: true,
        ignore_dots: false,
        plus_tags: false,
    },
];

fn syntax(message: &'static str) -> NormalizeError {
    NormalizeError::invalid(KIND, "syntax", message)
}

fn too_long(message: &'static str) -> NormalizeError {
    NormalizeError::invalid(KIND, "too_long", message)
}

/// The address part of a value: `mailto:` and `Name <...>` wrappers removed.
fn address_part(t: &str) -> &str {
    let mut t = t.trim();
    if let Some(inner) = t.strip_suffix('>')
        && let Some(i) = inner.rfind('<')
    {
        t = inner[i + 1..].trim();
    }
    if t.get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
    {
        t = &t[7..];
        t = t.split('?').next().unwrap_or_default();
    }
    t.trim()
}

fn local_char_ok(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)
    } else {
        // RFC 6531 (SMTPUTF8) local parts: any non-ASCII character but controls and spaces.
        !c.is_control() && !c.is_whitespace()
    }
}

pub(crate) fn normalize(raw: &str) -> Result<Normalized, NormalizeError> {
    if raw.len() > MAX_VALUE_LEN {
        return Err(NormalizeError::TooLong { max: MAX_VALUE_LEN });
    }
    let cleaned = text::refang(&text::fold(raw));
    let addr = address_part(&cleaned);
    let Some((local, domain)) = addr.rsplit_once('@') else {
        return Err(syntax("no '@' between local part and domain"));
    };
    if local.is_empty() {
        return Err(syntax("empty local part"));
    }
    if domain.is_empty() {
        return Err(syntax("empty domain"));
    }
    if local.starts_with('"') || local.contains('@') {
        return Err(syntax("quoted local parts are not accepted"));
    }
    if !local.chars().all(local_char_ok) {
        return Err(syntax(
            "the local part holds a space or a character addresses cannot contain",
        ));
    }
    if local.len() > 64 {
        return Err(too_long("local part longer than 64 bytes"));
    }
    if domain.starts_with('[') {
        return Err(syntax(
            "address literals are not accepted; give a domain name",
        ));
    }
    let ascii_domain = canonical_domain(domain).map_err(|e| e.into_error(KIND))?;
    if local.len() + 1 + ascii_domain.len() > 254 {
        return Err(too_long("address longer than 254 bytes"));
    }
    let (local, domain) = fold_provider(local, ascii_domain);
    if local.is_empty() {
        return Err(syntax(
            "nothing left of the local part once the provider's folding is applied",
        ));
    }
    let mut n = Normalized::new(raw, KIND, format!("{local}@{domain}"))?;
    n.implied = domain_identifiers(&domain);
    Ok(n)
}

/// Applies [`PROVIDERS`] folding to a local part and canonical domain.
fn fold_provider(local: &str, domain: String) -> (String, String) {
    let Some(p) = PROVIDERS
        .iter()
        .find(|p| p.domains.contains(&domain.as_str()))
    else {
        return (local.to_owned(), domain);
    };
    let mut l = local;
    if p.plus_tags
        && let Some((base, _tag)) = l.split_once('+')
    {
        l = base;
    }
    let mut l = if p.ignore_dots {
        l.replace('.', "")
    } else {
        l.to_owned()
    };
    if p.lowercase {
        l = l.to_lowercase();
    }
    let d = if p.canonical_domain.is_empty() {
        domain
    } else {
        p.canonical_domain.to_owned()
    };
    (l, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn canon(s: &str) -> Result<String, &'static str> {
        normalize(s)
            .map(|n| n.identifier.canonical().to_owned())
            .map_err(|e| e.code())
    }

    #[test]
    fn local_part_case_kept_domain_lowered() {
        assert_eq!(
            canon("Bob.Smith@Example.COM"),
            Ok("Bob.Smith@example.com".into())
        );
        assert_eq!(
            canon("  bob@example.co.th. "),
            Ok("bob@example.co.th".into())
        );
        assert_eq!(
            canon("o'brien+news@example.ie"),
            Ok("o'brien+news@example.ie".into())
        );
        assert_eq!(
            canon("ｂｏｂ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
            Ok("bob@example.com".into())
        );
        assert_eq!(
            canon("user@ตัวอย่าง.ไทย"),
            Ok("user@xn--72c1a1bt4awk9o.xn--o3cw4h".into())
        );
        assert_eq!(canon("สมชาย@example.com"), Ok("สมชาย@example.com".into()));
        assert_eq!(
            canon("taro..yamada.@docomo.ne.jp"),
            Ok("taro..yamada.@docomo.ne.jp".into())
        );
    }

    #[test]
    fn defanged_and_wrapped() {
        assert_eq!(canon("bob[@]example[.]com"), Ok("bob@example.com".into()));
        assert_eq!(
            canon("bob(at)example(dot)com"),
            Ok("bob@example.com".into())
        );
        assert_eq!(canon("bob[at]example[.]org"), Ok("bob@example.org".into()));
        assert_eq!(
            canon("mailto:Bob@Example.com"),
            Ok("Bob@example.com".into())
        );
        assert_eq!(
            canon("MAILTO:bob@example.com?subject=Refund"),
            Ok("bob@example.com".into())
        );
        assert_eq!(
            canon("Support Team <Help@Bank-Secure.example.com>"),
            Ok("Help@bank-secure.example.com".into())
        );
    }

    #[test]
    fn gmail_folding() {
        assert_eq!(
            canon("John.Smith+bank@gmail.com"),
            Ok("johnsmith@gmail.com".into())
        );
        assert_eq!(
            canon("j.o.h.n.smith@GoogleMail.com"),
            Ok("johnsmith@gmail.com".into())
        );
        assert_eq!(
            canon("JOHNSMITH@gmail.com"),
            Ok("johnsmith@gmail.com".into())
        );
        assert_eq!(
            canon("johnsmith@gmail.com."),
            Ok("johnsmith@gmail.com".into())
        );
        assert_eq!(canon("+tag@gmail.com"), Err("syntax"));
        assert_eq!(canon("...@gmail.com"), Err("syntax"));
        let n = normalize("a.b@googlemail.com").unwrap();
        let implied: Vec<String> = n.implied.iter().map(ToString::to_string).collect();
        assert_eq!(implied, vec!["domain:gmail.com"]);
    }

    #[test]
    fn microsoft_and_yahoo_folding() {
        assert_eq!(
            canon("John.Smith+shop@Outlook.com"),
            Ok("john.smith@outlook.com".into())
        );
        assert_eq!(
            canon("Somchai+x@hotmail.co.th"),
            Ok("somchai@hotmail.co.th".into())
        );
        assert_eq!(canon("A.B@live.com"), Ok("a.b@live.com".into()));
        assert_eq!(
            canon("John.Smith-shop@Yahoo.com"),
            Ok("john.smith-shop@yahoo.com".into())
        );
        assert_eq!(canon("a+b@yahoo.com"), Ok("a+b@yahoo.com".into()));
        // Not listed: kept as written.
        assert_eq!(
            canon("John.Smith+x@yahoo.co.jp"),
            Ok("John.Smith+x@yahoo.co.jp".into())
        );
        assert_eq!(canon("Li.Wei+1@qq.com"), Ok("Li.Wei+1@qq.com".into()));
    }

    #[test]
    fn implied_domain() {
        let n = normalize("agent@mail.scam-loans.co.th").unwrap();
        let implied: Vec<String> = n.implied.iter().map(ToString::to_string).collect();
        assert_eq!(
            implied,
            vec!["domain:mail.scam-loans.co.th", "domain:scam-loans.co.th"]
        );
        assert_eq!(n.subtype, None);
    }

    #[test]
    fn rejections() {
        assert_eq!(canon("bob.example.com"), Err("syntax"));
        assert_eq!(canon("@example.com"), Err("syntax"));
        assert_eq!(canon("bob@"), Err("syntax"));
        assert_eq!(canon("bob smith@example.com"), Err("syntax"));
        assert_eq!(canon("bob@exa mple.com"), Err("syntax"));
        assert_eq!(canon("\"bob smith\"@example.com"), Err("syntax"));
        assert_eq!(canon("a@b@example.com"), Err("syntax"));
        assert_eq!(canon("bob<x>@example.com"), Err("syntax"));
        assert_eq!(canon("bob@[192.0.2.1]"), Err("syntax"));
        assert_eq!(canon("bob@localhost"), Err("syntax"));
        assert_eq!(canon("bob@example.notatld"), Err("unknown_tld"));
        assert_eq!(
            canon(&format!("{}@example.com", "a".repeat(65))),
            Err("too_long")
        );
        assert_eq!(
            canon(&format!("{}@example.com", "a".repeat(64))).map(|s| s.len()),
            Ok(76)
        );
        let long_domain = format!("{}.com", ["abcdefghij"; 19].join("."));
        assert_eq!(
            canon(&format!("{}@{long_domain}", "a".repeat(42))),
            Err("too_long")
        );
        assert_eq!(
            canon(&format!("{}@{long_domain}", "a".repeat(41))).map(|s| s.len()),
            Ok(254)
        );
        assert_eq!(
            normalize(&"a".repeat(MAX_VALUE_LEN + 1)).map_err(|e| e.code()),
            Err("too_long")
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,80}") {
            let _ = normalize(&s);
        }

        #[test]
        fn never_panics_on_address_like(s in "[a-zA-Z0-9.+\"<> ]{0,12}(@|\\[@\\]|\\(at\\)){0,2}[a-z.\\[\\]]{0,20}") {
            let _ = normalize(&s);
        }

        #[test]
        fn idempotent(
            local in "[A-Za-z0-9][A-Za-z0-9._+-]{0,20}",
            domain in prop::sample::select(vec![
                "example.com", "Example.co.th", "gmail.com", "googlemail.com", "outlook.com",
                "yahoo.com", "ตัวอย่าง.ไทย", "mail.example.jp.",
            ]),
        ) {
            let first = normalize(&format!("{local}@{domain}"));
            if let Ok(first) = first {
                let again = normalize(first.identifier.canonical()).unwrap();
                prop_assert_eq!(&first.identifier, &again.identifier);
                prop_assert_eq!(first.implied, again.implied);
            }
        }
    }
}
