//! Published test vectors, run through the public API.
//!
//! Data files under `tests/vectors/` reproduce the vectors of the standards (each file names
//! its source): BIP-173 and BIP-350 segwit addresses, EIP-55 addresses, the SWIFT IBAN
//! registry's example IBANs, and Base58Check addresses of Bitcoin and TRON. Smaller sets (IMEI,
//! ICAO 9303 MRZ, ABA routing numbers, check digits computed with the Thai national ID and
//! Verhoeff rules) are written inline with their source.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use warroom_domain::{CountryCode, IdentifierKind};
use warroom_normalize::{Context, Normalized, normalize};

fn load(text: &str) -> Value {
    serde_json::from_str(text).expect("vector file is JSON")
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().expect("string").to_owned())
        .collect()
}

fn field<'a>(v: &'a Value, name: &str) -> &'a str {
    v[name]
        .as_str()
        .unwrap_or_else(|| panic!("missing {name} in {v}"))
}

fn none() -> Context {
    Context::default()
}

fn region(r: &str) -> Context {
    Context::with_region(CountryCode::parse(r).unwrap())
}

fn ok(kind: IdentifierKind, raw: &str, ctx: &Context) -> Normalized {
    normalize(kind, raw, ctx).unwrap_or_else(|e| panic!("{raw:?} refused: {e} ({})", e.code()))
}

fn code(kind: IdentifierKind, raw: &str, ctx: &Context) -> &'static str {
    match normalize(kind, raw, ctx) {
        Ok(n) => panic!(
            "{raw:?} accepted as {} but must be refused",
            n.identifier.canonical()
        ),
        Err(e) => e.code(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The scriptPubKey a segwit address stands for: OP_n, push length, witness program.
fn script_pubkey(address: &str) -> String {
    let (_, version, program) = bech32::segwit::decode(address).unwrap();
    let v = version.to_u8();
    let op = if v == 0 { 0 } else { 0x50 + v };
    let len = u8::try_from(program.len()).unwrap();
    format!("{}{}", hex(&[op, len]), hex(&program))
}

// ---------------------------------------------------------------------------------------------
// Segwit: BIP-173 and BIP-350

fn check_valid_segwit(v: &Value) {
    let address = field(v, "address");
    // The data file says what the address encodes; check the transcription first.
    assert_eq!(
        script_pubkey(address),
        field(v, "script_pubkey"),
        "{address}"
    );
    let n = ok(IdentifierKind::CryptoWallet, address, &none());
    let chain = if address.to_ascii_lowercase().starts_with("tb1") {
        "btc-testnet"
    } else {
        "btc"
    };
    assert_eq!(
        n.identifier.canonical(),
        format!("{chain}:{}", address.to_ascii_lowercase())
    );
    assert!(n.valid);
    // The canonical form reads back as itself.
    let again = ok(
        IdentifierKind::CryptoWallet,
        n.identifier.canonical(),
        &none(),
    );
    assert_eq!(again.identifier, n.identifier);
}

fn check_invalid_segwit(v: &Value) {
    let address = field(v, "address");
    let reason = field(v, "reason");
    let c = code(IdentifierKind::CryptoWallet, address, &none());
    if reason.starts_with("Invalid checksum") {
        assert_eq!(c, "bad_checksum", "{address}: {reason}");
    }
}

#[test]
fn bip173_segwit_addresses() {
    let data = load(include_str!("vectors/bip173.json"));
    let valid = data["valid"].as_array().unwrap();
    assert_eq!(valid.len(), 3);
    valid.iter().for_each(check_valid_segwit);

    // Valid when BIP-173 was written; bech32 for v1+ is refused since BIP-350.
    let superseded = data["superseded_by_bip350"]["examples"].as_array().unwrap();
    assert_eq!(superseded.len(), 3);
    for v in superseded {
        let address = field(v, "address");
        assert_eq!(
            code(IdentifierKind::CryptoWallet, address, &none()),
            "bad_checksum",
            "{address}"
        );
    }

    let invalid = data["invalid"].as_array().unwrap();
    assert_eq!(invalid.len(), 10);
    invalid.iter().for_each(check_invalid_segwit);
}

#[test]
fn bip350_segwit_addresses() {
    let data = load(include_str!("vectors/bip350.json"));
    let valid = data["valid"].as_array().unwrap();
    assert_eq!(valid.len(), 8);
    valid.iter().for_each(check_valid_segwit);
    let invalid = data["invalid"].as_array().unwrap();
    assert_eq!(invalid.len(), 15);
    invalid.iter().for_each(check_invalid_segwit);
}

// ---------------------------------------------------------------------------------------------
// EIP-55

/// The address with the case of its first letter after `0x` flipped.
fn flip_first_letter(address: &str) -> String {
    let mut done = false;
    address
        .char_indices()
        .map(|(i, c)| {
            if i >= 2 && !done && c.is_ascii_alphabetic() {
                done = true;
                if c.is_ascii_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            } else {
                c
            }
        })
        .collect()
}

#[test]
fn eip55_addresses() {
    let data = load(include_str!("vectors/eip55.json"));
    let mut count = 0;
    for group in ["all_caps", "all_lower", "normal"] {
        for address in strs(&data[group]) {
            count += 1;
            // Each test address is its own checksummed form.
            let n = ok(IdentifierKind::CryptoWallet, &address, &none());
            assert_eq!(n.identifier.canonical(), format!("eth:{address}"));
            assert!(n.valid);
            // Any casing of the same hex is the same wallet.
            let lower = format!("0x{}", address[2..].to_ascii_lowercase());
            let upper = format!("0x{}", address[2..].to_ascii_uppercase());
            for other in [&lower, &upper] {
                let m = ok(IdentifierKind::CryptoWallet, other, &none());
                assert_eq!(m.identifier, n.identifier, "{other}");
            }
            // One letter's case changed gives a mixed-case value whose checksum fails.
            let mutated = flip_first_letter(&address);
            assert_ne!(mutated, address);
            assert_eq!(
                code(IdentifierKind::CryptoWallet, &mutated, &none()),
                "bad_checksum",
                "{mutated}"
            );
        }
    }
    assert_eq!(count, 8);
}

// ---------------------------------------------------------------------------------------------
// Base58Check: Bitcoin and TRON

#[test]
fn base58check_addresses() {
    let data = load(include_str!("vectors/base58check.json"));
    let mut count = 0;
    for set in ["bitcoin", "tron"] {
        for v in data[set]["valid"].as_array().unwrap() {
            count += 1;
            let address = field(v, "address");
            let payload = bs58::decode(address).with_check(None).into_vec().unwrap();
            assert_eq!(hex(&payload), field(v, "payload"), "{address}");
            let n = ok(IdentifierKind::CryptoWallet, address, &none());
            assert_eq!(
                n.identifier.canonical(),
                format!("{}:{address}", field(v, "chain"))
            );
            assert!(n.valid);
            // Change one character: the checksum catches it.
            let last = address.chars().last().unwrap();
            let swapped = if last == 'a' { 'b' } else { 'a' };
            let mutated = format!("{}{swapped}", &address[..address.len() - 1]);
            assert_eq!(
                code(IdentifierKind::CryptoWallet, &mutated, &none()),
                "bad_checksum",
                "{mutated}"
            );
        }
    }
    assert_eq!(count, 8);
    // The TRON documentation's hex form of the same account.
    let n = ok(
        IdentifierKind::CryptoWallet,
        "TRON 418840E6C55B9ADA326D211D818C34A994AECED808",
        &none(),
    );
    assert_eq!(
        n.identifier.canonical(),
        "trx:TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL"
    );
    // With token context, the key does not change.
    let n = ok(
        IdentifierKind::CryptoWallet,
        "USDT-TRC20 TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
        &none(),
    );
    assert_eq!(
        n.identifier.canonical(),
        "trx:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
    );
    assert_eq!(n.subtype.as_deref(), Some("usdt-trc20"));
}

// ---------------------------------------------------------------------------------------------
// IBAN: the SWIFT registry examples

/// The IBAN with its last digit changed (a single substitution, which mod 97 always detects).
fn mutate_last_digit(iban: &str) -> String {
    let at = iban
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i)
        .unwrap();
    let d = iban.as_bytes()[at] - b'0';
    let mut out = iban.to_owned();
    out.replace_range(at..=at, &((d + 1) % 10).to_string());
    out
}

#[test]
fn iban_registry_examples() {
    let data = load(include_str!("vectors/iban_registry.json"));
    let valid = data["valid"].as_array().unwrap();
    assert_eq!(valid.len(), 85);
    for v in valid {
        let country = field(v, "country");
        let electronic = field(v, "electronic");
        let mut writings = vec![
            electronic.to_owned(),
            electronic.to_ascii_lowercase(),
            format!("IBAN {electronic}"),
        ];
        if let Some(print) = v["print"].as_str() {
            writings.push(print.to_owned());
        }
        for raw in &writings {
            let n = ok(IdentifierKind::BankAccount, raw, &region("TH"));
            assert_eq!(n.identifier.canonical(), electronic, "{raw}");
            // Kosovo's XK is a user-assigned code, not an ISO 3166-1 one: no region.
            let want = (country != "XK").then_some(country);
            assert_eq!(n.region.map(|r| r.to_string()).as_deref(), want, "{raw}");
            assert_eq!(n.subtype.as_deref(), Some("iban"));
            assert!(n.valid);
        }
        let mutated = mutate_last_digit(electronic);
        assert_eq!(
            code(IdentifierKind::BankAccount, &mutated, &none()),
            "bad_checksum",
            "{mutated}"
        );
    }
    let wrong = data["published_with_wrong_check_digits"]["examples"]
        .as_array()
        .unwrap();
    assert_eq!(wrong.len(), 3);
    for v in wrong {
        let electronic = field(v, "electronic");
        assert_eq!(
            code(IdentifierKind::BankAccount, electronic, &none()),
            "bad_checksum",
            "{electronic}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Smaller sets

#[test]
fn aba_routing_numbers() {
    // Federal Reserve routing numbers published by the banks: JPMorgan Chase (New York),
    // Federal Reserve Bank of Boston, Bank of America (California).
    for routing in ["021000021", "011000015", "121000358"] {
        let n = ok(
            IdentifierKind::BankAccount,
            &format!("routing {routing} account 123456789"),
            &none(),
        );
        assert_eq!(n.identifier.canonical(), format!("US:{routing}:123456789"));
        assert!(n.valid);
        let mutated = mutate_last_digit(routing);
        assert_eq!(
            code(
                IdentifierKind::BankAccount,
                &format!("routing {mutated} account 123456789"),
                &none()
            ),
            "bad_routing_checksum"
        );
    }
}

#[test]
fn imei_examples() {
    // The worked Luhn example of the IMEI (49015420323751 -> check digit 8) and the
    // AA-BBBBBB-CCCCCC-D presentation example 35-209900-176148-1 with its IMEISV
    // 35-209900-176148-23.
    let n = ok(IdentifierKind::Imei, "490154203237518", &none());
    assert_eq!(n.identifier.canonical(), "490154203237518");
    assert!(n.valid);
    assert_eq!(
        code(IdentifierKind::Imei, "490154203237519", &none()),
        "bad_checksum"
    );
    let n = ok(IdentifierKind::Imei, "49015420323751", &none());
    assert_eq!(n.identifier.canonical(), "490154203237518");
    let n = ok(IdentifierKind::Imei, "35-209900-176148-1", &none());
    assert_eq!(n.identifier.canonical(), "352099001761481");
    let n = ok(IdentifierKind::Imei, "IMEISV 35-209900-176148-23", &none());
    assert_eq!(n.identifier.canonical(), "352099001761481");
    assert_eq!(n.subtype.as_deref(), Some("imeisv"));
}

#[test]
fn icao_9303_mrz_specimen() {
    // ICAO Doc 9303 Part 4, TD3 specimen (issuing state and nationality UTO, "Utopia").
    let line1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
    let line2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    // Every check digit verifies; UTO is no ISO 3166 country.
    assert_eq!(
        code(
            IdentifierKind::Document,
            &format!("{line1}\n{line2}"),
            &none()
        ),
        "no_region"
    );
    // The state codes are outside every check digit: with a real state (a derived value, not
    // a published one) the document number comes out.
    let line2_de = line2.replace("UTO", "D<<");
    let n = ok(IdentifierKind::Document, &line2_de, &none());
    assert_eq!(n.identifier.canonical(), "DE:L898902C3");
    assert!(n.valid);
    let typo = line2_de.replacen("L898902C3", "L898902C8", 1);
    assert_eq!(
        code(IdentifierKind::Document, &typo, &none()),
        "bad_checksum"
    );
}

#[test]
fn national_id_check_digits() {
    // Thai national ID: check digits computed with the published rule
    // (11 - sum(d[i] * (13 - i)) mod 11) mod 10, not taken from real cards.
    for id in [
        "1101700230708",
        "3100400123456",
        "1234567890121",
        "5555555555551",
    ] {
        let n = ok(IdentifierKind::Document, id, &region("TH"));
        assert_eq!(n.identifier.canonical(), format!("TH:{id}"));
        assert_eq!(n.subtype.as_deref(), Some("th_national_id"));
        assert!(n.valid);
        let mutated = mutate_last_digit(id);
        assert_eq!(
            code(IdentifierKind::Document, &mutated, &region("TH")),
            "bad_checksum"
        );
    }
    // Aadhaar: Verhoeff check digits computed with the published tables, not taken from
    // real cards.
    for id in ["234123412346", "499112345677", "999900001119"] {
        let n = ok(IdentifierKind::Document, &format!("Aadhaar {id}"), &none());
        assert_eq!(n.identifier.canonical(), format!("IN:{id}"));
        assert_eq!(n.subtype.as_deref(), Some("in_aadhaar"));
        let mutated = mutate_last_digit(id);
        assert_eq!(
            code(IdentifierKind::Document, &mutated, &region("IN")),
            "bad_checksum"
        );
    }
}
