//! Properties across kinds: every writing of one identifier gives one key (equivalence), and a
//! canonical value normalises to itself (idempotence).

use proptest::prelude::*;
use warroom_domain::{CountryCode, IdentifierKind as K};
use warroom_normalize::{Context, normalize};

fn ctx(region: &str) -> Context {
    Context {
        region: CountryCode::parse(region).ok(),
    }
}

fn key(kind: K, raw: &str, region: &str) -> Option<String> {
    normalize(kind, raw, &ctx(region))
        .ok()
        .map(|n| n.identifier.canonical().to_owned())
}

/// Thai digits for ASCII ones.
fn thai_digits(s: &str) -> String {
    s.chars()
        .map(|c| {
            c.to_digit(10)
                .and_then(|d| char::from_u32(0x0E50 + d))
                .unwrap_or(c)
        })
        .collect()
}

/// Full-width forms of ASCII digits and `+`, `-`.
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | '+' | '-' => char::from_u32(c as u32 - 0x20 + 0xFF00).unwrap_or(c),
            _ => c,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// A Thai mobile number (06, 08, 09 + 8 digits) written nationally, internationally, with
    /// separators, in Thai or full-width digits, reported from Thailand or from Japan/US in
    /// international form: one key.
    #[test]
    fn thai_mobile_writings_are_one_key(prefix in prop::sample::select(vec!["81", "82", "86", "89", "91", "95", "61", "62"]), rest in "[0-9]{7}") {
        let national = format!("0{prefix}{rest}");
        let Some(expected) = key(K::Phone, &national, "TH") else { return Ok(()) };
        prop_assert_eq!(&expected, &format!("+66{prefix}{rest}"));
        let spaced = format!("0{prefix} {} {}", &rest[..3], &rest[3..]);
        let dashed = format!("0{prefix}-{}-{}", &rest[..3], &rest[3..]);
        let writings = [
            (spaced.clone(), "TH"),
            (dashed.clone(), "TH"),
            (thai_digits(&dashed), "TH"),
            (full_width(&spaced), "TH"),
            (format!("+66 {prefix} {rest}"), "JP"),
            (format!("+66-{prefix}-{rest}"), "US"),
            (format!("011 66 {prefix} {rest}"), "US"),
            (format!("(+66) {prefix}{rest}"), "IN"),
            // 00 is the international prefix in India; in Thailand it is 00[1-9] (001, 009...),
            // so libphonenumber reads a Thai "0066..." as +68... and so do we.
            (format!("0066{prefix}{rest}"), "IN"),
            (expected.clone(), "TH"),
        ];
        for (w, region) in writings {
            prop_assert_eq!(key(K::Phone, &w, region), Some(expected.clone()), "writing {:?} from {}", w, region);
        }
    }

    /// Domains: case, trailing dot, defanging and a `www.`-less URL around them do not change
    /// the key; the canonical is a fixed point.
    #[test]
    fn domain_writings_are_one_key(labels in prop::collection::vec("[a-z][a-z0-9]{0,10}", 1..4), tld in prop::sample::select(vec!["com", "co.th", "jp", "in", "net", "org"])) {
        let d = format!("{}.{tld}", labels.join("."));
        let Some(expected) = key(K::Domain, &d, "TH") else { return Ok(()) };
        for w in [d.to_uppercase(), format!("{d}."), d.replace('.', "[.]"), format!("  {d}  ")] {
            prop_assert_eq!(key(K::Domain, &w, "TH"), Some(expected.clone()), "writing {:?}", w);
        }
        prop_assert_eq!(key(K::Domain, &expected, "TH"), Some(expected.clone()));
    }

    /// Ethereum addresses: lower, upper and checksummed writings are one key.
    #[test]
    fn ethereum_case_writings_are_one_key(hex in "[0-9a-f]{40}") {
        let lower = format!("0x{hex}");
        let expected = key(K::CryptoWallet, &lower, "TH");
        prop_assert!(expected.is_some());
        let upper = format!("0x{}", hex.to_uppercase());
        prop_assert_eq!(key(K::CryptoWallet, &upper, "TH"), expected.clone());
        let canonical = expected.clone().unwrap_or_default();
        prop_assert_eq!(key(K::CryptoWallet, &canonical, "TH"), expected.clone());
        let checksummed = canonical.trim_start_matches("eth:").to_owned();
        prop_assert_eq!(key(K::CryptoWallet, &checksummed, "TH"), expected.clone());
        prop_assert_eq!(key(K::CryptoWallet, &format!("USDT-ERC20 {checksummed}"), "TH"), expected);
    }

    /// URLs: tracking parameters, fragments, default ports and host case do not change the key.
    #[test]
    fn url_writings_are_one_key(host in "[a-z]{3,12}", path in "[a-z0-9]{0,12}", q in "[a-z]{1,6}") {
        let base = format!("https://{host}.com/{path}?id={q}");
        let Some(expected) = key(K::Url, &base, "TH") else { return Ok(()) };
        for w in [
            format!("https://{}.COM:443/{path}?id={q}#section", host.to_uppercase()),
            format!("hxxps://{host}[.]com/{path}?utm_source=sms&id={q}&fbclid=XYZ"),
            format!("https://{host}.com./{path}?id={q}&gclid=1"),
        ] {
            prop_assert_eq!(key(K::Url, &w, "TH"), Some(expected.clone()), "writing {:?}", w);
        }
        prop_assert_eq!(key(K::Url, &expected, "TH"), Some(expected.clone()));
    }

    /// Any string at all: every kind either refuses it or returns a canonical value that is a
    /// fixed point.
    #[test]
    fn any_input_is_refused_or_idempotent(s in any::<String>(), region in prop::sample::select(vec!["TH", "JP", "IN", "US"])) {
        for kind in K::ALL {
            if let Some(k) = key(kind, &s, region) {
                prop_assert_eq!(key(kind, &k, region), Some(k.clone()), "{} of {:?}", kind, s);
            }
        }
    }
}
