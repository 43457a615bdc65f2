//! `warroom demo`: shows the product at work with no set-up.
//!
//! Today the product is its foundation: canonical identifiers. The demo takes what victims and
//! officers in four countries actually type (Thai digits, full-width Japanese digits, Indian
//! spacing, defanged links, wallets with token labels) and shows that each group of writings
//! becomes one key, and so one entity, wherever it was reported. Later issues replace this
//! with the synthetic world served over HTTP.

use std::io::{self, Write};
use warroom_domain::{CountryCode, IdentifierKind};
use warroom_normalize::{Context, extract, normalize};

/// Who reported it, their country, and what they typed.
type Sighting = (&'static str, &'static str, &'static str);

/// A title and the writings of one identifier.
const GROUPS: &[(&str, &[Sighting])] = &[
    (
        "One Thai mule-recruiter's phone, reported in three countries",
        &[
            (
                "Royal Thai Police, victim in Chiang Mai",
                "TH",
                "๐๘๑-๒๓๔-๕๖๗๘",
            ),
            (
                "Japan NPA, victim in Osaka",
                "JP",
                "＋６６ ８１ ２３４ ５６７８",
            ),
            (
                "US Secret Service, seized SIM list",
                "US",
                "011 66 81 234 5678",
            ),
        ],
    ),
    (
        "One phishing site, defanged by analysts and pasted by a victim",
        &[
            (
                "CCIB analyst",
                "TH",
                "hxxps://kbank-verify[.]com/login?utm_source=sms#top",
            ),
            (
                "I4C victim complaint",
                "IN",
                "https://KBANK-VERIFY.com:443/login?fbclid=abc123",
            ),
        ],
    ),
    (
        "One USDT wallet, with and without its token label",
        &[
            (
                "FBI financial trace",
                "US",
                "USDT-TRC20: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            ),
            (
                "Thai anti-scam command",
                "TH",
                "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            ),
        ],
    ),
];

const NARRATIVES: &[(&str, &str)] = &[
    (
        "TH",
        "มีคนโทรจากเบอร์ ๐๘๑-๒๓๔-๕๖๗๘ อ้างเป็นตำรวจ ให้โอนเงินและแอดไลน์ line.me/ti/p/~police_th99",
    ),
    (
        "JP",
        "警察を名乗る男から０９０－１２３４－５６７８に電話があり、hxxps://npa-check[.]jp を開くよう言われた。",
    ),
    (
        "IN",
        "मुझे +91 98765 43210 से 'डिजिटल अरेस्ट' कॉल आया और USDT TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t पर भेजने को कहा",
    ),
];

pub fn run() -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "warroom demo: the same identifier, written three ways in three countries, is one key.\n"
    )?;
    for (title, rows) in GROUPS {
        writeln!(out, "{title}")?;
        for (who, region, raw) in *rows {
            let ctx = Context {
                region: CountryCode::parse(region).ok(),
            };
            let kind = if raw.contains("://") {
                IdentifierKind::Url
            } else if raw.chars().any(|c| c.is_ascii_alphabetic()) {
                IdentifierKind::CryptoWallet
            } else {
                IdentifierKind::Phone
            };
            match normalize(kind, raw, &ctx) {
                Ok(n) => writeln!(
                    out,
                    "  {who:<42} typed {raw:<55} -> {} (entity {})",
                    n.identifier,
                    n.identifier.stix_id()
                )?,
                Err(e) => writeln!(out, "  {who:<42} typed {raw:<55} -> refused: {e}")?,
            }
        }
        writeln!(out)?;
    }
    writeln!(out, "Identifiers found inside victims' own words:")?;
    for (region, text) in NARRATIVES {
        let ctx = Context {
            region: CountryCode::parse(region).ok(),
        };
        writeln!(out, "  [{region}] {text}")?;
        for f in extract(text, &ctx) {
            writeln!(
                out,
                "      {:<40} -> {}",
                f.normalized.raw, f.normalized.identifier
            )?;
        }
    }
    writeln!(out, "\nTry it yourself:")?;
    writeln!(
        out,
        "  echo '081 234 5678' | warroom normalize --kind phone --region TH"
    )?;
    writeln!(
        out,
        "  echo 'Call 090-1234-5678 or see hxxp://evil[.]example' | warroom extract --region JP"
    )?;
    Ok(())
}
