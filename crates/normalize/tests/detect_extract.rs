//! Kind detection and extraction from free text, across kinds and the four languages.

use warroom_domain::{CountryCode, IdentifierKind as K};
use warroom_normalize::{Context, Detection, detect, extract};

fn ctx(region: &str) -> Context {
    Context {
        region: CountryCode::parse(region).ok(),
    }
}

fn found(raw: &str, region: &str) -> (K, String) {
    match detect(raw, &ctx(region)) {
        Detection::Found(n) => (n.identifier.kind(), n.identifier.canonical().to_owned()),
        other => panic!("{raw:?}: expected one kind, got {other:?}"),
    }
}

#[test]
fn detects_each_kind_from_its_shape() {
    assert_eq!(
        found("081 234 5678", "TH"),
        (K::Phone, "+66812345678".into())
    );
    assert_eq!(
        found("๐๘๑-๒๓๔-๕๖๗๘", "TH"),
        (K::Phone, "+66812345678".into())
    );
    assert_eq!(
        found("t.me/Scam_Boss", "TH"),
        (K::Messaging, "telegram:scam_boss".into())
    );
    assert_eq!(
        found("bob[@]example[.]com", "TH"),
        (K::Email, "bob@example.com".into())
    );
    assert_eq!(found("hxxps://evil[.]example/login", "TH").0, K::Url);
    assert_eq!(
        found("Evil.Example.COM", "TH"),
        (K::Domain, "evil.example.com".into())
    );
    assert_eq!(found("192.0.2.1", "TH"), (K::Ip, "192.0.2.1".into()));
    assert_eq!(
        found("GB82 WEST 1234 5698 7654 32", "TH"),
        (K::BankAccount, "GB82WEST12345698765432".into())
    );
    assert_eq!(
        found("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "TH").0,
        K::CryptoWallet
    );
    assert_eq!(
        found("IMEI 490154203237518", "TH"),
        (K::Imei, "490154203237518".into())
    );
}

#[test]
fn a_bare_handle_names_no_platform_and_garbage_is_unrecognised() {
    assert!(
        matches!(detect("@somebody", &ctx("TH")), Detection::None(e) if e.code() == "no_platform")
    );
    assert!(matches!(
        detect("hello there", &ctx("TH")),
        Detection::None(_)
    ));
    assert!(matches!(detect("", &ctx("TH")), Detection::None(e) if e.code() == "empty"));
}

fn kinds_and_spans(text: &str, region: &str) -> Vec<(K, String, String)> {
    extract(text, &ctx(region))
        .into_iter()
        .map(|e| {
            (
                e.normalized.identifier.kind(),
                text[e.span].to_owned(),
                e.normalized.identifier.canonical().to_owned(),
            )
        })
        .collect()
}

#[test]
fn extracts_from_a_thai_narrative_with_thai_digits() {
    let text = "มีคนโทรจากเบอร์ ๐๘๑-๒๓๔-๕๖๗๘ อ้างเป็นตำรวจ ให้แอดไลน์ line.me/ti/p/~police_th99 ด่วน";
    let got = kinds_and_spans(text, "TH");
    assert!(
        got.contains(&(K::Phone, "๐๘๑-๒๓๔-๕๖๗๘".into(), "+66812345678".into())),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(k, span, _)| *k == K::Messaging && span.contains("police_th99")),
        "{got:?}"
    );
}

#[test]
fn extracts_from_a_japanese_narrative_with_full_width_digits() {
    let text = "警察を名乗る男から０９０－１２３４－５６７８に電話があり、hxxps://npa-check[.]jp を開くよう言われた。";
    let got = kinds_and_spans(text, "JP");
    assert!(
        got.contains(&(
            K::Phone,
            "０９０－１２３４－５６７８".into(),
            "+819012345678".into()
        )),
        "{got:?}"
    );
    assert!(
        got.iter().any(|(k, span, c)| *k == K::Url
            && span == "hxxps://npa-check[.]jp"
            && c == "https://npa-check.jp/"),
        "{got:?}"
    );
}

#[test]
fn extracts_from_hindi_and_english_narratives() {
    let hi = "मुझे +91 98765 43210 से 'डिजिटल अरेस्ट' कॉल आया";
    assert!(kinds_and_spans(hi, "IN").contains(&(
        K::Phone,
        "+91 98765 43210".into(),
        "+919876543210".into()
    )));
    let en = "They said call (202) 555-0143, send USDT to TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t, mail bob[@]scam-mail[.]com.";
    let got = kinds_and_spans(en, "US");
    assert!(got.iter().any(|(k, _, c)| *k == K::CryptoWallet && c == "trx:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"), "{got:?}");
    assert!(
        got.iter()
            .any(|(k, _, c)| *k == K::Email && c == "bob@scam-mail.com"),
        "{got:?}"
    );
    // The e-mail's domain is not reported again on its own.
    assert!(!got.iter().any(|(k, _, _)| *k == K::Domain), "{got:?}");
}

#[test]
fn amounts_and_dates_are_not_phone_numbers() {
    let text = "Lost 150,000 baht on 2024-01-15 at 14:30, ref 20240115.";
    let got = kinds_and_spans(text, "TH");
    assert!(!got.iter().any(|(k, _, _)| *k == K::Phone), "{got:?}");
}
