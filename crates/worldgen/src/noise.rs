//! Values that appear in many reports but belong to no scammer: police and government hotlines,
//! banks' and couriers' call centres (victims list the number they called, or the one a
//! spoofed caller ID showed), the big platforms' domains, free e-mail providers and the
//! official reporting sites. Correlating on these would merge every syndicate into one.

use crate::country::Cc;
use crate::phones::{self, PhoneNum};
use crate::rng::WRng;
use serde::Serialize;
use warroom_domain::IdentifierKind;
use warroom_normalize::{Context, normalize};

/// What kind of noise a value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoiseCategory {
    /// A police or government hotline (mostly short codes: they cannot be E.164 and are kept
    /// raw).
    Hotline,
    /// A bank's call centre.
    BankCallCentre,
    /// A courier's call centre.
    Delivery,
    /// A platform everyone uses (social networks, app stores, link shorteners, free mail,
    /// remote-desktop tools).
    Platform,
    /// An official reporting site.
    OfficialSite,
}

/// Category, label, country, kind, the value as written in its country.
const TABLE: &[(NoiseCategory, &str, Cc, IdentifierKind, &str)] = &[
    (
        NoiseCategory::Hotline,
        "Royal Thai Police anti-scam hotline (AOC)",
        Cc::Th,
        IdentifierKind::Phone,
        "1441",
    ),
    (
        NoiseCategory::Hotline,
        "Royal Thai Police call centre",
        Cc::Th,
        IdentifierKind::Phone,
        "1599",
    ),
    (
        NoiseCategory::Hotline,
        "Thai government contact centre",
        Cc::Th,
        IdentifierKind::Phone,
        "1111",
    ),
    (
        NoiseCategory::Hotline,
        "Thai police emergency",
        Cc::Th,
        IdentifierKind::Phone,
        "191",
    ),
    (
        NoiseCategory::Hotline,
        "Indian cybercrime helpline",
        Cc::In,
        IdentifierKind::Phone,
        "1930",
    ),
    (
        NoiseCategory::Hotline,
        "Japanese police consultation line",
        Cc::Jp,
        IdentifierKind::Phone,
        "#9110",
    ),
    (
        NoiseCategory::Hotline,
        "Japanese police emergency",
        Cc::Jp,
        IdentifierKind::Phone,
        "110",
    ),
    (
        NoiseCategory::BankCallCentre,
        "Kasikornbank contact centre",
        Cc::Th,
        IdentifierKind::Phone,
        "02-888-8888",
    ),
    (
        NoiseCategory::BankCallCentre,
        "Siam Commercial Bank call centre",
        Cc::Th,
        IdentifierKind::Phone,
        "02-777-7777",
    ),
    (
        NoiseCategory::BankCallCentre,
        "Krungthai call centre",
        Cc::Th,
        IdentifierKind::Phone,
        "02-111-1111",
    ),
    (
        NoiseCategory::BankCallCentre,
        "Bangkok Bank call centre",
        Cc::Th,
        IdentifierKind::Phone,
        "1333",
    ),
    (
        NoiseCategory::BankCallCentre,
        "Japan Post Bank call centre",
        Cc::Jp,
        IdentifierKind::Phone,
        "0120-108-420",
    ),
    (
        NoiseCategory::BankCallCentre,
        "State Bank of India toll-free line",
        Cc::In,
        IdentifierKind::Phone,
        "1800 11 2211",
    ),
    (
        NoiseCategory::BankCallCentre,
        "HDFC Bank toll-free line",
        Cc::In,
        IdentifierKind::Phone,
        "1800 202 6161",
    ),
    (
        NoiseCategory::BankCallCentre,
        "Chase customer service",
        Cc::Us,
        IdentifierKind::Phone,
        "1-800-935-9935",
    ),
    (
        NoiseCategory::BankCallCentre,
        "Bank of America customer service",
        Cc::Us,
        IdentifierKind::Phone,
        "1-800-432-1000",
    ),
    (
        NoiseCategory::Delivery,
        "Kerry Express hotline",
        Cc::Th,
        IdentifierKind::Phone,
        "1217",
    ),
    (
        NoiseCategory::Delivery,
        "Thailand Post call centre",
        Cc::Th,
        IdentifierKind::Phone,
        "1545",
    ),
    (
        NoiseCategory::Delivery,
        "Yamato Transport customer service",
        Cc::Jp,
        IdentifierKind::Phone,
        "0120-01-9625",
    ),
    (
        NoiseCategory::Delivery,
        "India Post toll-free line",
        Cc::In,
        IdentifierKind::Phone,
        "1800 266 6868",
    ),
    (
        NoiseCategory::Delivery,
        "USPS customer service",
        Cc::Us,
        IdentifierKind::Phone,
        "1-800-275-8777",
    ),
    (
        NoiseCategory::Delivery,
        "FedEx customer service",
        Cc::Us,
        IdentifierKind::Phone,
        "1-800-463-3339",
    ),
    (
        NoiseCategory::Platform,
        "Facebook",
        Cc::Us,
        IdentifierKind::Domain,
        "facebook.com",
    ),
    (
        NoiseCategory::Platform,
        "LINE",
        Cc::Jp,
        IdentifierKind::Domain,
        "line.me",
    ),
    (
        NoiseCategory::Platform,
        "Google",
        Cc::Us,
        IdentifierKind::Domain,
        "google.com",
    ),
    (
        NoiseCategory::Platform,
        "Google Play",
        Cc::Us,
        IdentifierKind::Domain,
        "play.google.com",
    ),
    (
        NoiseCategory::Platform,
        "YouTube",
        Cc::Us,
        IdentifierKind::Domain,
        "youtube.com",
    ),
    (
        NoiseCategory::Platform,
        "WhatsApp",
        Cc::Us,
        IdentifierKind::Domain,
        "whatsapp.com",
    ),
    (
        NoiseCategory::Platform,
        "Telegram links",
        Cc::Us,
        IdentifierKind::Domain,
        "t.me",
    ),
    (
        NoiseCategory::Platform,
        "Bitly link shortener",
        Cc::Us,
        IdentifierKind::Domain,
        "bit.ly",
    ),
    (
        NoiseCategory::Platform,
        "Gmail",
        Cc::Us,
        IdentifierKind::Domain,
        "gmail.com",
    ),
    (
        NoiseCategory::Platform,
        "Outlook",
        Cc::Us,
        IdentifierKind::Domain,
        "outlook.com",
    ),
    (
        NoiseCategory::Platform,
        "Proton Mail",
        Cc::Us,
        IdentifierKind::Domain,
        "proton.me",
    ),
    (
        NoiseCategory::Platform,
        "Yahoo! Japan",
        Cc::Jp,
        IdentifierKind::Domain,
        "yahoo.co.jp",
    ),
    (
        NoiseCategory::Platform,
        "AnyDesk remote desktop",
        Cc::Us,
        IdentifierKind::Domain,
        "anydesk.com",
    ),
    (
        NoiseCategory::OfficialSite,
        "FBI Internet Crime Complaint Center",
        Cc::Us,
        IdentifierKind::Domain,
        "ic3.gov",
    ),
    (
        NoiseCategory::OfficialSite,
        "Indian national cybercrime reporting portal",
        Cc::In,
        IdentifierKind::Domain,
        "cybercrime.gov.in",
    ),
    (
        NoiseCategory::OfficialSite,
        "Thai police online reporting",
        Cc::Th,
        IdentifierKind::Domain,
        "thaipoliceonline.go.th",
    ),
];

/// One noise value (`truth.json`, `noise`).
#[derive(Clone, Debug, Serialize)]
pub struct NoiseTruth {
    pub category: NoiseCategory,
    pub label: &'static str,
    /// ISO 3166-1 alpha-2 of the value's country.
    pub country: &'static str,
    /// The identifier kind it is submitted as.
    pub kind: &'static str,
    /// As written in its country (short codes are submitted raw, like this).
    pub raw: &'static str,
    /// The canonical form; absent for short codes, which do not normalise (kept raw).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
}

/// A noise value ready to write.
#[derive(Clone, Debug)]
pub(crate) struct Noise {
    pub category: NoiseCategory,
    pub country: Cc,
    pub kind: IdentifierKind,
    pub raw: &'static str,
    pub canonical: Option<String>,
    pub label: &'static str,
    phone: Option<PhoneNum>,
}

impl Noise {
    /// How a reporter of `reporter` writes it; short codes as dialled.
    pub(crate) fn write(&self, reporter: Cc, rng: &mut WRng) -> String {
        match &self.phone {
            Some(p) => phones::write(p, reporter, false, rng).0,
            None => self.raw.to_owned(),
        }
    }

    pub(crate) fn truth(&self) -> NoiseTruth {
        NoiseTruth {
            category: self.category,
            label: self.label,
            country: self.country.code(),
            kind: self.kind.as_str(),
            raw: self.raw,
            canonical: self.canonical.clone(),
        }
    }
}

/// Every noise value, normalised in its own country.
pub(crate) fn table() -> Vec<Noise> {
    TABLE
        .iter()
        .map(|(category, label, country, kind, raw)| {
            let ctx = Context {
                region: country.country_code(),
            };
            let canonical = normalize(*kind, raw, &ctx)
                .ok()
                .map(|n| n.identifier.canonical().to_owned());
            let phone = match (kind, &canonical) {
                (IdentifierKind::Phone, Some(c)) => {
                    let cc = country.calling_code();
                    c.strip_prefix('+')
                        .and_then(|d| d.strip_prefix(cc))
                        .map(|nsn| PhoneNum {
                            cc: *country,
                            nsn: nsn.to_owned(),
                        })
                }
                _ => None,
            };
            Noise {
                category: *category,
                country: *country,
                kind: *kind,
                raw,
                canonical,
                label,
                phone,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_for;

    #[test]
    fn numbers_normalise_except_short_codes_and_writings_agree() {
        let mut rng = rng_for(2, 2);
        for n in table() {
            let short = n.kind == IdentifierKind::Phone && !n.raw.contains(['-', ' ']);
            assert_eq!(n.canonical.is_none(), short, "{}", n.raw);
            for reporter in [Cc::Th, Cc::Jp, Cc::In, Cc::Us] {
                let w = n.write(reporter, &mut rng);
                let ctx = Context {
                    region: reporter.country_code(),
                };
                let got = normalize(n.kind, &w, &ctx)
                    .ok()
                    .map(|x| x.identifier.canonical().to_owned());
                if n.canonical.is_some() {
                    assert_eq!(got, n.canonical, "{w}");
                }
            }
        }
    }
}
