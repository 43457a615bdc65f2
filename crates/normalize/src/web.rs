//! URLs (WHATWG) and domain names (IDNA UTS-46, Public Suffix List).
//!
//! **URL.** The value is folded ([`text::fold`]) and refanged ([`text::refang`]), then parsed by
//! the WHATWG parser of the `url` crate, which lower-cases the scheme, turns the host into
//! lower-case punycode, resolves `.`/`..` path segments, drops default ports and
//! percent-encodes what must be. On top of that:
//! - only `http`, `https` and `ftp` are URLs here; any other scheme (`javascript:`, `data:`,
//!   `file:`, `mailto:`, `tg:`...) is refused with code `scheme`;
//! - a value without a scheme (`www.example.com/path`, `example.com/login`, `//example.com`)
//!   gets `http://`, but only when its host is a domain name with a known public suffix or an
//!   IP address (so that a bare word is not a URL); the subtype is then `http-assumed`;
//! - the fragment is dropped, trailing dots of the host are removed, and the tracking
//!   parameters of [`TRACKING_PARAMS`], [`TRACKING_PREFIXES`] and [`SITE_TRACKING_PARAMS`] are
//!   removed from the query; the other parameters keep their order and their exact encoding,
//!   and a query left empty loses its `?`;
//! - user information is kept (`https://paypal.com@evil.example/` is the phishing form), but the
//!   implied domain is the real host (`evil.example`).
//!
//! `subtype` is the scheme. `implied` is the host's Domain identifier and its registrable
//! domain when that differs (or the Ip identifier when the host is an address); a host that is
//! not a public domain name (`localhost`, an unknown suffix) implies nothing.
//!
//! Refanging applies to the whole value, path included (defanging tools escape every dot), so
//! a URL whose path literally contains `[.]`, `(at)`... is not stable under re-normalisation.
//!
//! **Domain.** Folded, refanged, a pasted URL reduced to its host (see [`normalize_domain`]),
//! a leading `*.` stripped, trailing dots removed, UTS-46 to lower-case punycode; labels of
//! letters, digits, `-` and `_` (underscores occur in real host names), at most 63 bytes each
//! and 253 in all; at least two labels, and a suffix the Public Suffix List knows. `subtype` is
//! `registrable` (the name is its own eTLD+1), `subdomain` (then the eTLD+1 is implied) or
//! `public_suffix` (the name is itself on the list: `co.th`, `github.io`). Suffixes of the
//! list's private section count, so `scam.github.io` is registrable: its owner controls it.
//! Mixed-script (homograph) names keep their punycode; nothing is flagged.

use crate::{MAX_VALUE_LEN, NormalizeError, Normalized, ip, text};
use url::{Host, Url};
use warroom_domain::{Identifier, IdentifierKind};

const URL: IdentifierKind = IdentifierKind::Url;
const DOMAIN: IdentifierKind = IdentifierKind::Domain;

/// Schemes accepted as URLs.
const WEB_SCHEMES: &[&str] = &["http", "https", "ftp"];

/// Query parameters removed from every URL: advertising click identifiers and mailing-list
/// trackers, each named by the platform that documents it (Meta `fbclid`; Google Ads `gclid`,
/// `dclid`, `gbraid`, `wbraid`; Microsoft Advertising `msclkid`; Mailchimp `mc_cid`, `mc_eid`;
/// Instagram share `igshid`; Yandex `yclid`; HubSpot `_hsenc`, `_hsmkt`; Marketo `mkt_tok`;
/// X/Twitter embeds `ref_src`; TikTok `ttclid`; X Ads `twclid`). Names are compared ASCII
/// case-insensitively after percent-decoding. The list is deliberately short: a parameter that
/// might select content stays.
pub(crate) const TRACKING_PARAMS: &[&str] = &[
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid",
    "yclid", "_hsenc", "_hsmkt", "mkt_tok", "ref_src", "ttclid", "twclid",
];

/// Prefixes of removed query parameters (Google Analytics campaign parameters `utm_source`,
/// `utm_medium`, `utm_campaign`, `utm_term`, `utm_content`, `utm_id`...).
pub(crate) const TRACKING_PREFIXES: &[&str] = &["utm_"];

/// Parameters removed only on one site, keyed by registrable domain: YouTube's share
/// identifier `si` (elsewhere `si` may be meaningful).
pub(crate) const SITE_TRACKING_PARAMS: &[(&str, &str)] =
    &[("youtube.com", "si"), ("youtu.be", "si")];

/// Why a host is not a public domain name: a stable code (`syntax`, `unknown_tld`, `scheme`)
/// and a message; turned into the error of whichever kind asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HostError {
    pub(crate) code: &'static str,
    pub(crate) message: &'static str,
}

impl HostError {
    const fn syntax(message: &'static str) -> Self {
        Self {
            code: "syntax",
            message,
        }
    }

    pub(crate) fn into_error(self, kind: IdentifierKind) -> NormalizeError {
        NormalizeError::invalid(kind, self.code, self.message)
    }
}

/// The canonical form of a host name (already folded and refanged): trailing dots removed,
/// UTS-46 lower-case punycode, LDH-or-underscore labels, a known public suffix.
pub(crate) fn canonical_domain(host: &str) -> Result<String, HostError> {
    let trimmed = host.trim().trim_end_matches('.');
    if trimmed.is_empty() {
        return Err(HostError::syntax("empty domain name"));
    }
    let bare = trimmed.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<std::net::IpAddr>().is_ok() {
        return Err(HostError::syntax("an IP address, not a domain name"));
    }
    let ascii = idna::domain_to_ascii(trimmed)
        .map_err(|_| HostError::syntax("not a valid (internationalised) domain name"))?;
    // UTS-46 maps ideographic full stops to '.', which may leave a trailing one.
    let ascii = ascii.trim_end_matches('.');
    if ascii.len() > 253 {
        return Err(HostError::syntax("domain name longer than 253 bytes"));
    }
    let mut labels = 0usize;
    for label in ascii.split('.') {
        labels += 1;
        if label.is_empty() {
            return Err(HostError::syntax("empty label in domain name"));
        }
        if label.len() > 63 {
            return Err(HostError::syntax("domain label longer than 63 bytes"));
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            return Err(HostError::syntax(
                "domain names hold letters, digits, '-' and '_' only",
            ));
        }
    }
    if labels < 2 {
        return Err(HostError::syntax(
            "a domain name has at least two labels (name and suffix)",
        ));
    }
    let tld = ascii.rsplit('.').next().unwrap_or_default();
    if tld.bytes().all(|b| b.is_ascii_digit()) {
        return Err(HostError::syntax("an IP address, not a domain name"));
    }
    match psl::suffix(ascii.as_bytes()) {
        Some(s) if s.is_known() => Ok(ascii.to_owned()),
        _ => Err(HostError {
            code: "unknown_tld",
            message: "the domain's suffix is not on the Public Suffix List",
        }),
    }
}

/// The registrable domain (eTLD+1, Public Suffix List with its private section) of a host in
/// any writing (`Login.Example.co.th.` -> `example.co.th`); `None` for an IP address, a name
/// with an unknown suffix, or a name that is itself a public suffix.
pub(crate) fn registrable_domain(host: &str) -> Option<String> {
    let ascii = canonical_domain(host).ok()?;
    psl::domain_str(&ascii).map(str::to_owned)
}

/// The Domain identifiers a canonical domain stands for: itself, then its registrable domain
/// when that is different.
pub(crate) fn domain_identifiers(ascii: &str) -> Vec<Identifier> {
    let mut out: Vec<Identifier> = Identifier::from_canonical(DOMAIN, ascii)
        .ok()
        .into_iter()
        .collect();
    if let Some(reg) = psl::domain_str(ascii)
        && reg != ascii
        && let Ok(id) = Identifier::from_canonical(DOMAIN, reg)
    {
        out.push(id);
    }
    out
}

/// A parsed, cleaned web URL.
#[derive(Debug)]
pub(crate) struct WebUrl {
    pub(crate) url: Url,
    /// No scheme was given: `http://` was assumed.
    pub(crate) assumed_scheme: bool,
}

/// The scheme of `s`, when it starts with one. `example.com:8080/x` and `localhost:8080` are a
/// host and a port, not a scheme.
fn split_scheme(s: &str) -> Option<&str> {
    let (scheme, rest) = s.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    if !first.is_ascii_alphabetic()
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    if rest.starts_with("//") {
        return Some(scheme);
    }
    if scheme.contains('.') {
        return None;
    }
    let port_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let port = &rest[..port_end];
    if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok() {
        return None;
    }
    Some(scheme)
}

/// Is the host of scheme-less `s` an IPv4 address in the usual four-decimal form?
fn written_as_dotted_quad(s: &str) -> bool {
    let s = s.strip_prefix("//").unwrap_or(s);
    let authority = &s[..s.find(['/', '?', '#', '\\']).unwrap_or(s.len())];
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default();
    host.trim_end_matches('.')
        .parse::<std::net::Ipv4Addr>()
        .is_ok()
}

fn is_tracking_param(pair: &str, site: Option<&str>) -> bool {
    let Some((name, _)) = url::form_urlencoded::parse(pair.as_bytes()).next() else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    TRACKING_PARAMS.contains(&name.as_str())
        || TRACKING_PREFIXES.iter().any(|p| name.starts_with(p))
        || site.is_some_and(|site| {
            SITE_TRACKING_PARAMS
                .iter()
                .any(|&(s, p)| s == site && p == name)
        })
}

fn strip_tracking(url: &mut Url) {
    let site = url.host_str().and_then(registrable_domain);
    let Some(query) = url.query() else {
        return;
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !is_tracking_param(pair, site.as_deref()))
        .collect();
    let joined = kept.join("&");
    if joined.is_empty() {
        url.set_query(None);
    } else if joined != query {
        url.set_query(Some(&joined));
    }
}

/// Parses a folded, refanged web URL and cleans it (see the module documentation).
pub(crate) fn parse_web_url(s: &str) -> Result<WebUrl, HostError> {
    let mut s = s.trim();
    // `<https://...>` as mail clients and chat apps write it.
    if let Some(inner) = s.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
        s = inner.trim();
    }
    let scheme_err = HostError {
        code: "scheme",
        message: "only http, https and ftp URLs are accepted",
    };
    let (text, assumed_scheme) = if let Some(rest) = s.strip_prefix("//") {
        (format!("http://{rest}"), true)
    } else {
        match split_scheme(s) {
            Some(scheme) => {
                if !WEB_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
                    return Err(scheme_err);
                }
                (s.to_owned(), false)
            }
            None => (format!("http://{s}"), true),
        }
    };
    let mut url = Url::parse(&text).map_err(|_| HostError::syntax("not a valid URL"))?;
    if !WEB_SCHEMES.contains(&url.scheme()) {
        return Err(scheme_err);
    }
    let domain = match url.host() {
        None => return Err(HostError::syntax("URL without a host")),
        Some(Host::Domain(d)) => Some(d.to_owned()),
        Some(Host::Ipv4(_)) if assumed_scheme && !written_as_dotted_quad(s) => {
            // The WHATWG parser reads `3.5` as 3.0.0.5: without a scheme, a rating or a
            // version number is not a URL.
            return Err(HostError::syntax(
                "not a URL: no scheme and the host is not a domain name or a dotted IPv4 address",
            ));
        }
        Some(_) => None,
    };
    if let Some(d) = domain {
        let trimmed = d.trim_end_matches('.');
        if trimmed.is_empty() {
            return Err(HostError::syntax("URL without a host"));
        }
        if trimmed.len() != d.len() {
            url.set_host(Some(trimmed))
                .map_err(|_| HostError::syntax("not a valid URL host"))?;
        }
        if assumed_scheme {
            // Without a scheme, only a real domain name makes the value a URL.
            canonical_domain(trimmed)?;
        }
    }
    url.set_fragment(None);
    strip_tracking(&mut url);
    Ok(WebUrl {
        url,
        assumed_scheme,
    })
}

/// What the host of a URL implies: its domain (and registrable domain) or its IP address.
pub(crate) fn host_identifiers(url: &Url) -> Vec<Identifier> {
    match url.host() {
        Some(Host::Domain(d)) => canonical_domain(d)
            .map(|ascii| domain_identifiers(&ascii))
            .unwrap_or_default(),
        Some(Host::Ipv4(_) | Host::Ipv6(_)) => url
            .host_str()
            .and_then(|h| ip::normalize(h).ok())
            .map(|n| vec![n.identifier])
            .unwrap_or_default(),
        None => Vec::new(),
    }
}

pub(crate) fn normalize_url(raw: &str) -> Result<Normalized, NormalizeError> {
    if raw.len() > MAX_VALUE_LEN {
        return Err(NormalizeError::TooLong { max: MAX_VALUE_LEN });
    }
    let cleaned = text::refang(&text::fold(raw));
    let parsed = parse_web_url(&cleaned).map_err(|e| e.into_error(URL))?;
    let mut n = Normalized::new(raw, URL, parsed.url.as_str().to_owned())?;
    n.subtype = Some(if parsed.assumed_scheme {
        "http-assumed".to_owned()
    } else {
        parsed.url.scheme().to_owned()
    });
    n.implied = host_identifiers(&parsed.url);
    Ok(n)
}

/// A domain name. Accepted writings besides the bare name:
/// - a full URL (`https://login.example.com/x`: it contains `://` or starts with `//`): parsed
///   as a URL (http, https, ftp only) and reduced to its host; an IP host is refused;
/// - a scheme-less URL (`example.com/login`, `example.com:8443`): everything from the first
///   `/`, `?` or `#` is dropped, then a `:port`;
/// - a leading `*.` (wildcard certificate or DNS notation) is stripped: the identifier is the
///   base name.
///
/// A value containing `@` outside a full URL is refused: it is an e-mail address or carries
/// credentials, and guessing which is not this function's job.
pub(crate) fn normalize_domain(raw: &str) -> Result<Normalized, NormalizeError> {
    if raw.len() > MAX_VALUE_LEN {
        return Err(NormalizeError::TooLong { max: MAX_VALUE_LEN });
    }
    let cleaned = text::refang(&text::fold(raw));
    let t = cleaned.trim();
    let host: String = if t.contains("://") || t.starts_with("//") {
        let parsed = parse_web_url(t).map_err(|e| e.into_error(DOMAIN))?;
        match parsed.url.host() {
            Some(Host::Domain(d)) => d.to_owned(),
            Some(_) => {
                return Err(NormalizeError::invalid(
                    DOMAIN,
                    "syntax",
                    "the URL's host is an IP address, not a domain name",
                ));
            }
            None => {
                return Err(NormalizeError::invalid(
                    DOMAIN,
                    "syntax",
                    "URL without a host",
                ));
            }
        }
    } else {
        let end = t.find(['/', '?', '#']).unwrap_or(t.len());
        let mut h = &t[..end];
        if h.contains('@') {
            return Err(NormalizeError::invalid(
                DOMAIN,
                "syntax",
                "contains '@': an e-mail address or credentials, not a domain name",
            ));
        }
        if let Some((name, port)) = h.rsplit_once(':')
            && !name.contains(':')
            && !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
        {
            h = name;
        }
        h.to_owned()
    };
    let host = host.strip_prefix("*.").unwrap_or(&host);
    let ascii = canonical_domain(host).map_err(|e| e.into_error(DOMAIN))?;
    let mut n = Normalized::new(raw, DOMAIN, ascii.clone())?;
    let subtype = match psl::domain_str(&ascii) {
        None => "public_suffix",
        Some(reg) if reg == ascii => "registrable",
        Some(_) => "subdomain",
    };
    n.subtype = Some(subtype.to_owned());
    n.implied = domain_identifiers(&ascii).into_iter().skip(1).collect();
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn url(s: &str) -> Result<String, &'static str> {
        normalize_url(s)
            .map(|n| n.identifier.canonical().to_owned())
            .map_err(|e| e.code())
    }

    fn domain(s: &str) -> Result<String, &'static str> {
        normalize_domain(s)
            .map(|n| n.identifier.canonical().to_owned())
            .map_err(|e| e.code())
    }

    fn implied(n: &Normalized) -> Vec<String> {
        n.implied.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn url_basic_canonical_forms() {
        assert_eq!(
            url("https://example.com"),
            Ok("https://example.com/".into())
        );
        assert_eq!(
            url("HTTPS://WWW.Example.COM:443/Path/To?q=1#section"),
            Ok("https://www.example.com/Path/To?q=1".into())
        );
        assert_eq!(
            url("http://example.com:80/a/./b/../c"),
            Ok("http://example.com/a/c".into())
        );
        assert_eq!(
            url("http://example.com:8080/"),
            Ok("http://example.com:8080/".into())
        );
        assert_eq!(
            url("ftp://files.example.org:21/pub/x.zip"),
            Ok("ftp://files.example.org/pub/x.zip".into())
        );
        assert_eq!(
            url("https://example.com./login"),
            Ok("https://example.com/login".into())
        );
        assert_eq!(
            url("https://example.com../login"),
            Ok("https://example.com/login".into())
        );
        assert_eq!(
            url("  <https://example.com/x>  "),
            Ok("https://example.com/x".into())
        );
        assert_eq!(
            url("https://example.com/a b"),
            Ok("https://example.com/a%20b".into())
        );
        // Full-width input typed with a CJK input method.
        assert_eq!(
            url("ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｃｏｍ／ｌｏｇｉｎ"),
            Ok("https://example.com/login".into())
        );
    }

    #[test]
    fn url_defanged() {
        assert_eq!(
            url("hxxps://evil[.]example[.]com/login[.]php"),
            Ok("https://evil.example.com/login.php".into())
        );
        assert_eq!(
            url("hxxp[:]//scam(.)example(.)org"),
            Ok("http://scam.example.org/".into())
        );
        assert_eq!(
            url("HXXPS://bank[dot]co[dot]th/"),
            Ok("https://bank.co.th/".into())
        );
        assert_eq!(
            url("fxp://files[.]example[.]com/a"),
            Ok("ftp://files.example.com/a".into())
        );
    }

    #[test]
    fn url_without_scheme() {
        let n = normalize_url("www.example.com/path").unwrap();
        assert_eq!(n.identifier.canonical(), "http://www.example.com/path");
        assert_eq!(n.subtype.as_deref(), Some("http-assumed"));
        assert_eq!(
            url("example.com/login?utm_source=sms"),
            Ok("http://example.com/login".into())
        );
        assert_eq!(url("example[.]com"), Ok("http://example.com/".into()));
        assert_eq!(
            url("//cdn.example.net/x.js"),
            Ok("http://cdn.example.net/x.js".into())
        );
        assert_eq!(
            url("example.com:8080/admin"),
            Ok("http://example.com:8080/admin".into())
        );
        assert_eq!(
            url("paypal.com@evil.example.com/login"),
            Ok("http://paypal.com@evil.example.com/login".into())
        );
        assert_eq!(url("192.0.2.7/panel"), Ok("http://192.0.2.7/panel".into()));
        assert_eq!(url("192.0.2.7:8080"), Ok("http://192.0.2.7:8080/".into()));
        assert_eq!(url("3.5/10"), Err("syntax"));
        assert_eq!(url("1.2"), Err("syntax"));
        // With a scheme, the WHATWG reading of shortened IPv4 stands.
        assert_eq!(url("http://0x7f.1/"), Ok("http://127.0.0.1/".into()));
        // A bare word or an unknown suffix is not a URL without a scheme.
        assert_eq!(url("hello"), Err("syntax"));
        assert_eq!(url("localhost:8080"), Err("syntax"));
        assert_eq!(url("readme.notatld/x"), Err("unknown_tld"));
        assert_eq!(url("not a url"), Err("syntax"));
    }

    #[test]
    fn url_idn_host_becomes_punycode() {
        // Expected values computed with Python's `idna` package (UTS-46, non-transitional).
        assert_eq!(
            url("https://ตัวอย่าง.ไทย/path?utm_source=x#frag"),
            Ok("https://xn--72c1a1bt4awk9o.xn--o3cw4h/path".into())
        );
        assert_eq!(
            url("http://例え.jp/ログイン"),
            Ok("http://xn--r8jz45g.jp/%E3%83%AD%E3%82%B0%E3%82%A4%E3%83%B3".into())
        );
        assert_eq!(
            url("https://bücher.de"),
            Ok("https://xn--bcher-kva.de/".into())
        );
        assert_eq!(
            url("https://пример.рф/"),
            Ok("https://xn--e1afmkfd.xn--p1ai/".into())
        );
        let n = normalize_url("https://ตัวอย่าง.ไทย/path").unwrap();
        assert_eq!(implied(&n), vec!["domain:xn--72c1a1bt4awk9o.xn--o3cw4h"]);
    }

    #[test]
    fn url_tracking_parameters_removed_order_kept() {
        assert_eq!(
            url(
                "https://shop.example.com/p?id=42&utm_source=fb&utm_medium=cpc&fbclid=IwAR0&ref=home"
            ),
            Ok("https://shop.example.com/p?id=42&ref=home".into())
        );
        assert_eq!(
            url("https://example.com/?gclid=a&msclkid=b&UTM_Campaign=c"),
            Ok("https://example.com/".into())
        );
        assert_eq!(
            url("https://example.com/x?z=1&a=2&m=3"),
            Ok("https://example.com/x?z=1&a=2&m=3".into())
        );
        assert_eq!(
            url("https://example.com/x?b=%20x&mc_eid=1&a=%2F"),
            Ok("https://example.com/x?b=%20x&a=%2F".into())
        );
        assert_eq!(
            url("https://example.com/x?utm%5Fsource=y&k=v"),
            Ok("https://example.com/x?k=v".into())
        );
        assert_eq!(
            url("https://example.com/?"),
            Ok("https://example.com/".into())
        );
        // `si` is YouTube's share tracker, but only there.
        assert_eq!(
            url("https://youtu.be/dQw4w9WgXcQ?si=abcDEF&t=42"),
            Ok("https://youtu.be/dQw4w9WgXcQ?t=42".into())
        );
        assert_eq!(
            url("https://www.youtube.com/watch?v=dQw4w9WgXcQ&si=x"),
            Ok("https://www.youtube.com/watch?v=dQw4w9WgXcQ".into())
        );
        assert_eq!(
            url("https://example.com/?si=1"),
            Ok("https://example.com/?si=1".into())
        );
    }

    #[test]
    fn url_userinfo_is_kept_and_real_host_implied() {
        let n = normalize_url("https://paypal.com@login.evil.example.com/verify").unwrap();
        assert_eq!(
            n.identifier.canonical(),
            "https://paypal.com@login.evil.example.com/verify"
        );
        assert_eq!(
            implied(&n),
            vec!["domain:login.evil.example.com", "domain:example.com"]
        );
        assert_eq!(n.subtype.as_deref(), Some("https"));
        assert_eq!(
            url("https://user:pw@example.com/"),
            Ok("https://user:pw@example.com/".into())
        );
    }

    #[test]
    fn url_implied_identifiers() {
        let n = normalize_url("https://example.co.th/").unwrap();
        assert_eq!(implied(&n), vec!["domain:example.co.th"]);
        let n = normalize_url("http://192.0.2.1:8080/x").unwrap();
        assert_eq!(implied(&n), vec!["ip:192.0.2.1"]);
        let n = normalize_url("http://[2001:DB8::1]/").unwrap();
        assert_eq!(n.identifier.canonical(), "http://[2001:db8::1]/");
        assert_eq!(implied(&n), vec!["ip:2001:db8::1"]);
        let n = normalize_url("http://localhost/admin").unwrap();
        assert_eq!(n.identifier.canonical(), "http://localhost/admin");
        assert!(n.implied.is_empty());
        let n = normalize_url("http://intranet.notatld/").unwrap();
        assert!(n.implied.is_empty());
    }

    #[test]
    fn url_rejections() {
        assert_eq!(url("javascript:alert(1)"), Err("scheme"));
        assert_eq!(url("JavaScript:alert(1)"), Err("scheme"));
        assert_eq!(url("data:text/html,<b>x</b>"), Err("scheme"));
        assert_eq!(url("file:///etc/passwd"), Err("scheme"));
        assert_eq!(url("mailto:bob@example.com"), Err("scheme"));
        assert_eq!(url("tel:0812345678"), Err("scheme"));
        assert_eq!(url("tg://resolve?domain=abc"), Err("scheme"));
        assert_eq!(url("ws://example.com/"), Err("scheme"));
        assert_eq!(url("http://"), Err("syntax"));
        assert_eq!(url("http://exa mple.com/"), Err("syntax"));
        assert_eq!(url("https://./"), Err("syntax"));
        assert_eq!(
            normalize_url(&"a".repeat(MAX_VALUE_LEN + 1)).map_err(|e| e.code()),
            Err("too_long")
        );
    }

    #[test]
    fn domain_canonical_forms() {
        let n = normalize_domain("Example.COM.").unwrap();
        assert_eq!(n.identifier.canonical(), "example.com");
        assert_eq!(n.subtype.as_deref(), Some("registrable"));
        assert!(n.implied.is_empty());
        assert_eq!(domain("example[.]com"), Ok("example.com".into()));
        assert_eq!(
            domain("evil(.)example(.)org"),
            Ok("evil.example.org".into())
        );
        assert_eq!(domain("ｅｘａｍｐｌｅ．ｃｏｍ"), Ok("example.com".into()));
        assert_eq!(domain("*.example.com"), Ok("example.com".into()));
        assert_eq!(
            domain("_dmarc.example.com"),
            Ok("_dmarc.example.com".into())
        );
        assert_eq!(
            domain("ตัวอย่าง.ไทย"),
            Ok("xn--72c1a1bt4awk9o.xn--o3cw4h".into())
        );
        assert_eq!(domain("例え。jp"), Ok("xn--r8jz45g.jp".into()));
        assert_eq!(
            domain("xn--72c1a1bt4awk9o.xn--o3cw4h"),
            Ok("xn--72c1a1bt4awk9o.xn--o3cw4h".into())
        );
        assert_eq!(domain("faß.de"), Ok("xn--fa-hia.de".into()));
    }

    #[test]
    fn domain_subdomain_implies_registrable() {
        let n = normalize_domain("Login.Secure.Example.co.th").unwrap();
        assert_eq!(n.identifier.canonical(), "login.secure.example.co.th");
        assert_eq!(n.subtype.as_deref(), Some("subdomain"));
        assert_eq!(implied(&n), vec!["domain:example.co.th"]);
        let n = normalize_domain("scam-shop.github.io").unwrap();
        assert_eq!(n.subtype.as_deref(), Some("registrable"));
        let n = normalize_domain("co.th").unwrap();
        assert_eq!(n.subtype.as_deref(), Some("public_suffix"));
        assert!(n.implied.is_empty());
        let n = normalize_domain("www.ราชการ.ไทย").unwrap();
        assert_eq!(n.identifier.canonical(), "www.xn--12cr8ec6ec.xn--o3cw4h");
        assert_eq!(implied(&n), vec!["domain:xn--12cr8ec6ec.xn--o3cw4h"]);
    }

    #[test]
    fn domain_from_pasted_url() {
        assert_eq!(
            domain("https://Login.Example.com/path?q=1"),
            Ok("login.example.com".into())
        );
        assert_eq!(
            domain("hxxps://evil[.]example[.]com/x"),
            Ok("evil.example.com".into())
        );
        assert_eq!(
            domain("https://paypal.com@evil.example.net/"),
            Ok("evil.example.net".into())
        );
        assert_eq!(domain("example.com/login"), Ok("example.com".into()));
        assert_eq!(domain("example.com:8443"), Ok("example.com".into()));
        assert_eq!(domain("//example.com/x"), Ok("example.com".into()));
        assert_eq!(domain("https://192.0.2.1/"), Err("syntax"));
        assert_eq!(domain("javascript://example.com"), Err("scheme"));
    }

    #[test]
    fn domain_rejections() {
        assert_eq!(domain("localhost"), Err("syntax"));
        assert_eq!(domain("com"), Err("syntax"));
        assert_eq!(domain("example.notatld"), Err("unknown_tld"));
        assert_eq!(domain("192.0.2.1"), Err("syntax"));
        assert_eq!(domain("1.2.3"), Err("syntax"));
        assert_eq!(domain("exa mple.com"), Err("syntax"));
        assert_eq!(domain("example..com"), Err("syntax"));
        assert_eq!(domain(".example.com"), Err("syntax"));
        assert_eq!(domain("ex!ample.com"), Err("syntax"));
        assert_eq!(domain("bob@example.com"), Err("syntax"));
        assert_eq!(domain(&format!("{}.com", "a".repeat(64))), Err("syntax"));
        let long = format!("{}com", "abcdefghi.".repeat(26));
        assert_eq!(domain(&long), Err("syntax"));
        assert_eq!(domain("xn--zz.com"), Err("syntax"));
        assert_eq!(domain("*.com"), Err("syntax"));
    }

    #[test]
    fn registrable_domain_helper() {
        assert_eq!(
            registrable_domain("Login.Example.co.th."),
            Some("example.co.th".into())
        );
        assert_eq!(
            registrable_domain("example.com"),
            Some("example.com".into())
        );
        assert_eq!(
            registrable_domain("www.ตัวอย่าง.ไทย"),
            Some("xn--72c1a1bt4awk9o.xn--o3cw4h".into())
        );
        assert_eq!(registrable_domain("co.th"), None);
        assert_eq!(registrable_domain("192.0.2.1"), None);
        assert_eq!(registrable_domain("localhost"), None);
        assert_eq!(registrable_domain("a.b.notatld"), None);
    }

    fn host_strategy() -> impl Strategy<Value = String> {
        (
            prop::collection::vec("[a-zA-Z0-9][a-zA-Z0-9-]{0,8}[a-zA-Z0-9]", 1..3),
            prop::sample::select(vec![
                "com",
                "co.th",
                "jp",
                "xn--o3cw4h",
                "ไทย",
                "org",
                "COM",
            ]),
            any::<bool>(),
        )
            .prop_map(|(labels, tld, dot)| {
                format!("{}.{tld}{}", labels.join("."), if dot { "." } else { "" })
            })
    }

    proptest! {
        #[test]
        fn url_never_panics(s in "\\PC{0,80}") {
            let _ = normalize_url(&s);
        }

        #[test]
        fn domain_never_panics(s in "\\PC{0,80}") {
            let _ = normalize_domain(&s);
            let _ = registrable_domain(&s);
        }

        #[test]
        fn url_never_panics_on_url_like(s in "(https?|hxxp|ftp|javascript)(:|://|\\[:\\]//)?[a-z.\\[\\]@:/?#&=%0-9]{0,40}") {
            let _ = normalize_url(&s);
            let _ = normalize_domain(&s);
        }

        #[test]
        fn domain_is_idempotent(host in host_strategy()) {
            let first = normalize_domain(&host).unwrap();
            let again = normalize_domain(first.identifier.canonical()).unwrap();
            prop_assert_eq!(first.identifier, again.identifier);
            prop_assert_eq!(first.subtype, again.subtype);
        }

        #[test]
        fn url_is_idempotent(
            scheme in prop::sample::select(vec!["http://", "https://", "HTTPS://", "ftp://", "", "hxxps://"]),
            host in host_strategy(),
            port in prop::option::of(1u16..),
            path in prop::collection::vec("[a-zA-Z0-9._~%-]{0,8}", 0..4),
            query in prop::collection::vec(
                ("(utm_[a-z]{1,6}|fbclid|gclid|si|[a-z]{1,6})", "[a-zA-Z0-9%+]{0,6}"),
                0..4,
            ),
            fragment in prop::option::of("[a-z0-9]{0,6}"),
        ) {
            let mut s = format!("{scheme}{host}");
            if let Some(p) = port {
                s.push_str(&format!(":{p}"));
            }
            for seg in &path {
                s.push('/');
                s.push_str(seg);
            }
            if !query.is_empty() {
                let q: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
                s.push('?');
                s.push_str(&q.join("&"));
            }
            if let Some(f) = fragment {
                s.push('#');
                s.push_str(&f);
            }
            let first = normalize_url(&s).unwrap();
            let again = normalize_url(first.identifier.canonical()).unwrap();
            prop_assert_eq!(&first.identifier, &again.identifier);
            prop_assert_eq!(first.implied, again.implied);
            prop_assert!(!first.identifier.canonical().contains('#'));
            prop_assert!(!first.identifier.canonical().contains("utm_"));
        }
    }
}
