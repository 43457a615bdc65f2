//! Crypto wallet addresses: `chain:address`.
//!
//! Chains recognised from the address itself, with their checksum verified:
//! - `btc`: Base58Check P2PKH (version 0x00, `1...`) and P2SH (0x05, `3...`), kept as written
//!   (Base58 is case-sensitive); native segwit with HRP `bc` (BIP-173 bech32 for witness
//!   version 0, BIP-350 bech32m for versions 1 to 16), written in lower case.
//! - `btc-testnet`: the same on testnet (Base58 versions 0x6f/0xc4, HRP `tb`). Testnet coins
//!   have no value, but an address seen in a scam script is still an indicator, and keeping
//!   the network in the key stops it from ever matching a mainnet address. Regtest (`bcrt`) is
//!   refused (`wrong_network`): such addresses exist only on one machine.
//! - `eth`: `0x` + 40 hex digits, written with its EIP-55 checksum. A mixed-case input must
//!   carry a correct checksum (`bad_checksum`); an all-lower or all-upper input has none to
//!   verify and is accepted. Every EVM chain (Ethereum, BNB Smart Chain, Polygon, Arbitrum...)
//!   shares the address space, and one key controls the same address on all of them, so the
//!   key is `eth:` whatever network the report names; the network goes to `subtype`.
//! - `trx`: TRON, Base58Check with version 0x41 (`T...`, 34 characters), kept as written. A
//!   TRON address in hex (`41` + 40 hex digits) is accepted when labelled and re-encoded.
//! - `ltc` (Base58Check 0x30 `L...`, 0x32 `M...`, HRP `ltc`) and `doge` (0x1e `D...`,
//!   0x16 `9...`/`A...`). Litecoin's legacy P2SH version is Bitcoin's 0x05: a `3...` address
//!   is `btc` unless labelled Litecoin.
//!
//! Labels and token context, before or after the address, in any case, separated by spaces,
//! colons, dashes, parentheses: `USDT-TRC20 T...`, `usdt (erc20): 0x...`, `TRC20: T...`,
//! `BEP20 0x...`, `0x... (ERC20)`, `btc:bc1q...` (the canonical form reads back as itself),
//! and payment URIs (`bitcoin:bc1q...?amount=0.1`, `ethereum:0x...@56`: the query and chain id
//! are dropped).
//! The token context goes to `subtype` (`usdt-trc20`, `usdt-erc20`, `erc20`, `bep20`,
//! `polygon`...); the key stays chain + address, so the same wallet with or without context
//! gives the same key. A label naming a chain the address does not belong to is refused
//! (`wrong_network`).
//!
//! Chains without a checksum implemented here are accepted only with their label (`xmr:`,
//! `sol:`, `ton:`, `xrp:`, `bch:`, `ada:`, `dot:`, `atom:`, `xlm:`, `zec:`, `dash:`,
//! `near:`, `algo:`, `sui:`, `apt:`; also spelt out: `monero`, `solana`...), as an opaque
//! `label:address` with the address kept as written and `valid: false`. An unlabelled value
//! that no rule recognises is `unknown_chain`.

use crate::{NormalizeError, Normalized, text};
use bech32::primitives::decode::{ChecksumError, SegwitHrpstringError};
use sha3::{Digest, Keccak256};
use warroom_domain::IdentifierKind;

const KIND: IdentifierKind = IdentifierKind::CryptoWallet;

/// Longest address considered (Monero integrated addresses have 106 characters).
const MAX_ADDRESS_LEN: usize = 128;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chain {
    Btc,
    Evm,
    Tron,
    Ltc,
    Doge,
    /// A chain named by its label only; the canonical label.
    Opaque(&'static str),
}

/// What a label word says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Label {
    /// A chain, and the token standard or EVM network it implies, if any.
    Net(Chain, Option<&'static str>),
    /// The test network.
    Testnet,
    /// The main network (no effect).
    Mainnet,
    /// A token: `usdt`, `usdc`.
    Asset(&'static str),
    /// Words that say nothing about the chain: `wallet`, `address`...
    Noise,
}

fn label_of(word: &str) -> Option<Label> {
    use Chain::*;
    use Label::*;
    Some(match word {
        "btc" | "bitcoin" | "xbt" => Net(Btc, None),
        "testnet" | "testnet3" | "testnet4" | "signet" => Testnet,
        "mainnet" => Mainnet,
        "eth" | "ether" | "ethereum" | "evm" => Net(Evm, None),
        "erc20" | "erc" => Net(Evm, Some("erc20")),
        "bsc" | "bep20" | "bep" | "bnb" | "binance" => Net(Evm, Some("bep20")),
        "polygon" | "matic" | "pol" => Net(Evm, Some("polygon")),
        "arbitrum" | "arb" => Net(Evm, Some("arbitrum")),
        "trx" | "tron" => Net(Tron, None),
        "trc20" | "trc" => Net(Tron, Some("trc20")),
        "ltc" | "litecoin" => Net(Ltc, None),
        "doge" | "dogecoin" => Net(Doge, None),
        "xmr" | "monero" => Net(Opaque("xmr"), None),
        "sol" | "solana" | "spl" => Net(Opaque("sol"), None),
        "ton" | "toncoin" => Net(Opaque("ton"), None),
        "xrp" | "ripple" => Net(Opaque("xrp"), None),
        "bch" | "bitcoincash" => Net(Opaque("bch"), None),
        "ada" | "cardano" => Net(Opaque("ada"), None),
        "dot" | "polkadot" => Net(Opaque("dot"), None),
        "atom" | "cosmos" => Net(Opaque("atom"), None),
        "xlm" | "stellar" => Net(Opaque("xlm"), None),
        "zec" | "zcash" => Net(Opaque("zec"), None),
        "dash" => Net(Opaque("dash"), None),
        "near" => Net(Opaque("near"), None),
        "algo" | "algorand" => Net(Opaque("algo"), None),
        "sui" => Net(Opaque("sui"), None),
        "apt" | "aptos" => Net(Opaque("apt"), None),
        "usdt" | "tether" => Asset("usdt"),
        "usdc" => Asset("usdc"),
        "wallet" | "address" | "addr" | "network" | "chain" | "token" | "deposit" | "crypto"
        | "coin" | "on" | "via" | "20" => Noise,
        _ => return None,
    })
}

/// The labels a token stands for, or `None` when it is not made only of label words.
/// `USDT-TRC20` is `usdt` + `trc20`; `erc-20` is `erc20`; `btc-testnet` is `btc` + `testnet`.
fn labels_of(token: &str) -> Option<Vec<Label>> {
    let lower = token.to_ascii_lowercase();
    let joined: String = lower
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | '/' | '.'))
        .collect();
    if let Some(l) = label_of(&joined) {
        return Some(vec![l]);
    }
    let parts: Vec<&str> = lower
        .split(['-', '_', '/', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return None;
    }
    parts.into_iter().map(label_of).collect()
}

fn invalid(code: &'static str, message: impl Into<String>) -> NormalizeError {
    NormalizeError::invalid(KIND, code, message)
}

/// Splits the text into label tokens and value tokens.
fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for t in s.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']' | '|' | '{' | '}')
    }) {
        let mut t = t.trim_matches(|c: char| matches!(c, '"' | '\'' | '`' | '<' | '>'));
        // `label:rest`, repeatedly (`usdt:trc20:T...`); a colon inside a value (`0:83df...`,
        // a TON raw address) stays.
        while let Some((head, rest)) = t.split_once(':') {
            if labels_of(head).is_some() {
                out.push(head.to_owned());
                t = rest;
            } else {
                break;
            }
        }
        // Payment URIs: `bitcoin:bc1q...?amount=0.1` (BIP-21), `ethereum:0x...@56` (EIP-681).
        let t = t.split(['?', '@']).next().unwrap_or(t);
        let t = t.trim_end_matches(':');
        if t.chars().any(|c| c.is_alphanumeric()) {
            out.push(t.to_owned());
        }
    }
    out
}

pub(crate) fn normalize(raw: &str) -> Result<Normalized, NormalizeError> {
    let folded = text::fold(raw);
    let mut hint: Option<Chain> = None;
    let mut standard: Option<&'static str> = None;
    let mut asset: Option<&'static str> = None;
    let mut testnet = false;
    let mut value: Option<String> = None;
    for token in tokens(&folded) {
        match labels_of(&token) {
            Some(labels) => {
                for l in labels {
                    match l {
                        Label::Net(c, std) => {
                            if hint.is_some_and(|h| h != c) {
                                return Err(invalid(
                                    "wrong_network",
                                    "the labels name different chains",
                                ));
                            }
                            hint = Some(c);
                            standard = standard.or(std);
                        }
                        Label::Testnet => testnet = true,
                        Label::Asset(a) => asset = asset.or(Some(a)),
                        Label::Mainnet | Label::Noise => {}
                    }
                }
            }
            None => {
                if value.is_some() {
                    return Err(invalid("syntax", "more than one value"));
                }
                value = Some(token);
            }
        }
    }
    let Some(address) = value else {
        return Err(invalid("syntax", "no address"));
    };
    if address.len() > MAX_ADDRESS_LEN {
        return Err(invalid("syntax", "too long for a wallet address"));
    }

    let (chain, is_testnet, canonical_address) = match hint {
        Some(Chain::Opaque(label)) => (Chain::Opaque(label), false, opaque(&address)?),
        _ => recognise(&address, hint)?,
    };
    if let Some(h) = hint {
        // Litecoin's legacy P2SH shares Bitcoin's version byte: the label decides.
        let ltc_p2sh = h == Chain::Ltc && chain == Chain::Btc && address.starts_with('3');
        if h != chain && !ltc_p2sh {
            return Err(invalid(
                "wrong_network",
                "the label names another chain than the address's",
            ));
        }
    }
    let chain = if hint == Some(Chain::Ltc) {
        Chain::Ltc
    } else {
        chain
    };
    if testnet && !is_testnet {
        return Err(invalid(
            "wrong_network",
            "labelled testnet, but the address is a mainnet one",
        ));
    }
    let chain_name = match chain {
        Chain::Btc if is_testnet => "btc-testnet",
        Chain::Btc => "btc",
        Chain::Evm => "eth",
        Chain::Tron => "trx",
        Chain::Ltc => "ltc",
        Chain::Doge => "doge",
        Chain::Opaque(label) => label,
    };
    let subtype = match (asset, standard) {
        (Some(a), Some(s)) => Some(format!("{a}-{s}")),
        (Some(a), None) => Some(match chain {
            Chain::Tron => format!("{a}-trc20"),
            Chain::Evm if hint == Some(Chain::Evm) => format!("{a}-erc20"),
            _ => a.to_owned(),
        }),
        (None, Some(s)) => Some(s.to_owned()),
        (None, None) => None,
    };
    let mut n = Normalized::new(raw, KIND, format!("{chain_name}:{canonical_address}"))?;
    n.subtype = subtype;
    n.valid = !matches!(chain, Chain::Opaque(_));
    Ok(n)
}

/// An address of a chain without a checksum rule here: printable ASCII, kept as written.
fn opaque(address: &str) -> Result<String, NormalizeError> {
    let ok = address.len() >= 8
        && address
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '-' | '+' | '/' | '='));
    if ok {
        Ok(address.to_owned())
    } else {
        Err(invalid("syntax", "not a wallet address"))
    }
}

/// The chain, whether it is a test network, and the canonical address text.
fn recognise(address: &str, hint: Option<Chain>) -> Result<(Chain, bool, String), NormalizeError> {
    // EVM: 0x + 40 hex digits; without `0x` only when labelled.
    let hex40 = |s: &str| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(hex) = address
        .strip_prefix("0x")
        .or_else(|| address.strip_prefix("0X"))
    {
        if hex40(hex) {
            return Ok((Chain::Evm, false, eip55(hex)?));
        }
        return Err(invalid("syntax", "an EVM address is 0x and 40 hex digits"));
    }
    if hint == Some(Chain::Evm) && hex40(address) {
        return Ok((Chain::Evm, false, eip55(address)?));
    }
    // TRON in hex: 41 + 40 hex digits, when labelled.
    if hint == Some(Chain::Tron)
        && address.len() == 42
        && address.starts_with("41")
        && address.bytes().all(|b| b.is_ascii_hexdigit())
    {
        let bytes = hex_decode(address).ok_or_else(|| invalid("syntax", "not hex"))?;
        let b58 = bs58::encode(bytes).with_check().into_string();
        return Ok((Chain::Tron, false, b58));
    }
    let base58_shaped = (25..=35).contains(&address.len())
        && address
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() && !matches!(b, b'0' | b'O' | b'I' | b'l'));
    // Native segwit: a known HRP before the last `1`. A Base58 address can start the same way
    // (`Tb1...`): when it is a valid one, it wins over the failed segwit reading.
    if let Some((hrp, _)) = address.rsplit_once('1') {
        let hrp = hrp.to_ascii_lowercase();
        if matches!(hrp.as_str(), "bc" | "tb" | "bcrt" | "ltc" | "tltc" | "rltc") {
            let as_segwit = segwit(address, &hrp);
            if as_segwit.is_err()
                && base58_shaped
                && let Ok(found) = base58(address)
            {
                return Ok(found);
            }
            return as_segwit;
        }
    }
    if base58_shaped {
        return base58(address);
    }
    Err(invalid(
        "unknown_chain",
        "not an address of a known chain; write the chain before it (`xmr:...`)",
    ))
}

fn segwit(address: &str, hrp: &str) -> Result<(Chain, bool, String), NormalizeError> {
    if let Err(e) = bech32::segwit::decode(address) {
        if matches!(
            e.0,
            SegwitHrpstringError::Checksum(ChecksumError::InvalidResidue)
        ) {
            return Err(invalid(
                "bad_checksum",
                "the segwit address checksum does not match (bech32/bech32m)",
            ));
        }
        return Err(invalid(
            "syntax",
            format!("not a valid segwit address: {e}"),
        ));
    }
    let lower = address.to_ascii_lowercase();
    match hrp {
        "bc" => Ok((Chain::Btc, false, lower)),
        "tb" => Ok((Chain::Btc, true, lower)),
        "ltc" => Ok((Chain::Ltc, false, lower)),
        _ => Err(invalid(
            "wrong_network",
            "a regtest or litecoin-testnet address exists on no public network",
        )),
    }
}

fn base58(address: &str) -> Result<(Chain, bool, String), NormalizeError> {
    let payload = match bs58::decode(address).with_check(None).into_vec() {
        Ok(p) => p,
        Err(bs58::decode::Error::InvalidChecksum { .. }) => {
            return Err(invalid(
                "bad_checksum",
                "the Base58Check checksum does not match",
            ));
        }
        Err(_) => return Err(invalid("unknown_chain", "not a Base58Check address")),
    };
    if payload.len() != 21 {
        return Err(invalid(
            "unknown_chain",
            "a Base58Check value, but not a 20-byte address",
        ));
    }
    let (chain, testnet) = match payload.first() {
        Some(0x00 | 0x05) => (Chain::Btc, false),
        Some(0x6f | 0xc4) => (Chain::Btc, true),
        Some(0x41) => (Chain::Tron, false),
        Some(0x30 | 0x32) => (Chain::Ltc, false),
        Some(0x1e | 0x16) => (Chain::Doge, false),
        _ => {
            return Err(invalid(
                "unknown_chain",
                "a Base58Check address of an unknown chain",
            ));
        }
    };
    Ok((chain, testnet, address.to_owned()))
}

/// `0x` + the EIP-55 mixed-case checksum form of 40 hex digits. A mixed-case input must
/// already be in that form.
fn eip55(hex: &str) -> Result<String, NormalizeError> {
    let lower = hex.to_ascii_lowercase();
    let hash = Keccak256::digest(lower.as_bytes());
    let mut out = String::with_capacity(42);
    out.push_str("0x");
    for (i, c) in lower.chars().enumerate() {
        let byte = hash.get(i / 2).copied().unwrap_or(0);
        let nibble = if i % 2 == 0 { byte >> 4 } else { byte & 0x0f };
        out.push(if nibble >= 8 {
            c.to_ascii_uppercase()
        } else {
            c
        });
    }
    let has_upper = hex.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = hex.bytes().any(|b| b.is_ascii_lowercase());
    if has_upper && has_lower && out.get(2..) != Some(hex) {
        return Err(invalid(
            "bad_checksum",
            "the mixed-case address does not match its EIP-55 checksum",
        ));
    }
    Ok(out)
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    b.chunks(2)
        .map(|pair| {
            let hi = char::from(pair[0]).to_digit(16)?;
            let lo = char::from(pair[1]).to_digit(16)?;
            u8::try_from(hi * 16 + lo).ok()
        })
        .collect()
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

    fn subtype(s: &str) -> Option<String> {
        normalize(s).ok().and_then(|n| n.subtype)
    }

    #[test]
    fn bitcoin_base58_and_segwit() {
        assert_eq!(
            canon("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
            Ok("btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa".into())
        );
        assert_eq!(
            canon("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
            Ok("btc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy".into())
        );
        assert_eq!(
            canon("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"),
            Ok("btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4".into())
        );
        assert_eq!(
            canon("btc: bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
            Ok("btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4".into())
        );
        // One character changed: the checksum catches it.
        assert_eq!(
            canon("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"),
            Err("bad_checksum")
        );
        assert_eq!(
            canon("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"),
            Err("bad_checksum")
        );
    }

    #[test]
    fn testnet_is_its_own_chain() {
        assert_eq!(
            canon("mo9ncXisMeAoXwqcV5EWuyncbmCcQN4rVs"),
            Ok("btc-testnet:mo9ncXisMeAoXwqcV5EWuyncbmCcQN4rVs".into())
        );
        assert_eq!(
            canon("btc-testnet:2N2JD6wb56AfK4tfmM6PwdVmoYk2dCKf4Br"),
            Ok("btc-testnet:2N2JD6wb56AfK4tfmM6PwdVmoYk2dCKf4Br".into())
        );
        assert_eq!(
            canon("testnet 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
            Err("wrong_network")
        );
        let regtest = bech32::segwit::encode_v0(bech32::hrp::BCRT, &[7u8; 20]).unwrap();
        assert_eq!(canon(&regtest), Err("wrong_network"));
    }

    #[test]
    fn ethereum_eip55() {
        assert_eq!(
            canon("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
            Ok("eth:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed".into())
        );
        assert_eq!(
            canon("0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED"),
            Ok("eth:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed".into())
        );
        assert_eq!(
            canon("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"),
            Err("bad_checksum")
        );
        assert_eq!(canon("0x5aAeb6053F3E94C9b9A09f3366"), Err("syntax"));
        assert_eq!(
            canon("erc20 5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
            Ok("eth:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed".into())
        );
    }

    #[test]
    fn tron() {
        assert_eq!(
            canon("TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL"),
            Ok("trx:TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL".into())
        );
        // The TRON documentation's hex form of the same account.
        assert_eq!(
            canon("tron 418840E6C55B9ADA326D211D818C34A994AECED808"),
            Ok("trx:TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL".into())
        );
        assert_eq!(
            canon("TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeM"),
            Err("bad_checksum")
        );
    }

    #[test]
    fn token_context_goes_to_subtype_not_to_the_key() {
        let t = "trx:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
        for raw in [
            "USDT-TRC20 TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            "TRC20: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t (USDT)",
            "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            "usdt_trc20:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
        ] {
            assert_eq!(canon(raw), Ok(t.into()), "{raw}");
        }
        assert_eq!(
            subtype("USDT-TRC20 TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").as_deref(),
            Some("usdt-trc20")
        );
        assert_eq!(
            subtype("USDT TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").as_deref(),
            Some("usdt-trc20")
        );
        assert_eq!(
            subtype("TRC20: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").as_deref(),
            Some("trc20")
        );
        assert_eq!(subtype("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"), None);

        let e = "eth:0x52908400098527886E0F7030069857D2E4169EE7";
        for raw in [
            "usdt (erc20): 0x52908400098527886E0F7030069857D2E4169EE7",
            "BEP20 0x52908400098527886e0f7030069857d2e4169ee7",
            "0x52908400098527886E0F7030069857D2E4169EE7 (ERC-20)",
            "eth:0x52908400098527886E0F7030069857D2E4169EE7",
        ] {
            assert_eq!(canon(raw), Ok(e.into()), "{raw}");
        }
        assert_eq!(
            subtype("usdt (erc20): 0x52908400098527886E0F7030069857D2E4169EE7").as_deref(),
            Some("usdt-erc20")
        );
        assert_eq!(
            subtype("BEP20 0x52908400098527886E0F7030069857D2E4169EE7").as_deref(),
            Some("bep20")
        );
        assert_eq!(
            subtype("USDT BSC 0x52908400098527886E0F7030069857D2E4169EE7").as_deref(),
            Some("usdt-bep20")
        );
        assert_eq!(
            subtype("USDT 0x52908400098527886E0F7030069857D2E4169EE7").as_deref(),
            Some("usdt")
        );
    }

    #[test]
    fn labels_that_contradict_the_address_are_refused() {
        assert_eq!(
            canon("TRC20 0x52908400098527886E0F7030069857D2E4169EE7"),
            Err("wrong_network")
        );
        assert_eq!(
            canon("ERC20: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
            Err("wrong_network")
        );
        assert_eq!(
            canon("eth 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
            Err("wrong_network")
        );
        assert_eq!(canon("TRC20 ERC20 0x5290"), Err("wrong_network"));
    }

    #[test]
    fn litecoin_and_dogecoin() {
        // Litecoin's P2SH with Bitcoin's version byte: the label decides.
        assert_eq!(
            canon("ltc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
            Ok("ltc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy".into())
        );
        let l = bs58::encode([&[0x30u8][..], &[7u8; 20]].concat())
            .with_check()
            .into_string();
        assert!(l.starts_with('L'));
        assert_eq!(canon(&l), Ok(format!("ltc:{l}")));
        let d = bs58::encode([&[0x1eu8][..], &[7u8; 20]].concat())
            .with_check()
            .into_string();
        assert!(d.starts_with('D'));
        assert_eq!(canon(&d), Ok(format!("doge:{d}")));
        assert_eq!(canon(&format!("btc {d}")), Err("wrong_network"));
    }

    #[test]
    fn labelled_chains_without_a_checksum_are_opaque() {
        let n = normalize("xmr: 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A").unwrap();
        assert_eq!(
            n.identifier.canonical(),
            "xmr:44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"
        );
        assert!(!n.valid);
        assert_eq!(
            canon("Solana 7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV"),
            Ok("sol:7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV".into())
        );
        assert_eq!(
            canon("ton:0:83dfd552e63729b472fcbcc8c45ebcc6691702558b68ec7527e1ba403a0f31a8"),
            Ok("ton:0:83dfd552e63729b472fcbcc8c45ebcc6691702558b68ec7527e1ba403a0f31a8".into())
        );
        assert_eq!(
            canon("7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV"),
            Err("unknown_chain")
        );
        assert_eq!(canon("xmr: short"), Err("syntax"));
    }

    #[test]
    fn base58_addresses_that_start_like_a_segwit_hrp() {
        // `TB12WYc5nZY3CBtG43h5KDDC9PDZChcDHd`: a TRON address (version 0x41) whose `TB1`
        // start looks like the testnet HRP to a case-insensitive test.
        let body = [
            11u8, 80, 51, 35, 19, 8, 1, 141, 0, 35, 46, 13, 120, 2, 4, 0, 2, 2, 12, 0,
        ];
        let a = bs58::encode([&[0x41u8][..], &body[..]].concat())
            .with_check()
            .into_string();
        assert_eq!(canon(&a), Ok(format!("trx:{a}")));
    }

    #[test]
    fn payment_uris() {
        assert_eq!(
            canon("bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4?amount=0.5&label=x"),
            Ok("btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4".into())
        );
        assert_eq!(
            canon("ethereum:0x52908400098527886E0F7030069857D2E4169EE7@56"),
            Ok("eth:0x52908400098527886E0F7030069857D2E4169EE7".into())
        );
    }

    #[test]
    fn refusals() {
        assert_eq!(canon("USDT TRC20"), Err("syntax"));
        assert_eq!(canon("hello world"), Err("syntax"));
        assert_eq!(canon("hello"), Err("unknown_chain"));
        assert_eq!(
            canon("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
            Err("syntax")
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_is_idempotent(s in any::<String>()) {
            if let Ok(n) = normalize(&s) {
                let again = normalize(n.identifier.canonical()).unwrap();
                prop_assert_eq!(again.identifier.canonical(), n.identifier.canonical());
            }
        }

        #[test]
        fn address_shaped_input_is_idempotent(
            label in "(|usdt |TRC20: |btc:|eth |xmr:|ltc:|bep20 )",
            s in "(0x[0-9a-fA-F]{40}|[13TLDm][1-9A-HJ-NP-Za-km-z]{25,34}|(bc|tb|BC)1[02-9ac-hj-np-z]{8,60})",
        ) {
            let raw = format!("{label}{s}");
            if let Ok(n) = normalize(&raw) {
                let again = normalize(n.identifier.canonical()).unwrap();
                prop_assert_eq!(again.identifier.canonical(), n.identifier.canonical());
            }
        }

        #[test]
        fn generated_addresses_round_trip(version in prop::sample::select(vec![0x00u8, 0x05, 0x6f, 0xc4, 0x41, 0x30, 0x32, 0x1e, 0x16]), body in prop::array::uniform20(any::<u8>())) {
            let a = bs58::encode([&[version][..], &body[..]].concat()).with_check().into_string();
            let n = normalize(&a).unwrap();
            prop_assert!(n.identifier.canonical().ends_with(&a));
            let again = normalize(n.identifier.canonical()).unwrap();
            prop_assert_eq!(again.identifier.canonical(), n.identifier.canonical());
        }

        #[test]
        fn evm_case_forms_agree(body in "[0-9a-f]{40}") {
            let lower = normalize(&format!("0x{body}")).unwrap();
            let upper = normalize(&format!("0x{}", body.to_ascii_uppercase())).unwrap();
            prop_assert_eq!(&lower.identifier, &upper.identifier);
            let checksummed = lower.identifier.canonical().trim_start_matches("eth:").to_owned();
            let again = normalize(&checksummed).unwrap();
            prop_assert_eq!(&again.identifier, &lower.identifier);
        }
    }
}
