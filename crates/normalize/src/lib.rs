//! Canonical identifiers from raw text.
//!
//! Every function here is pure and total: any input yields either a [`Normalized`] value or a
//! [`NormalizeError`] that says why, never a panic. The reporting agency's country is the
//! default region ([`Context::region`]) for values written in national form.
//!
//! Entry points: [`normalize`] (the kind is known), [`detect`] (guess the kind of a bare
//! string) and [`extract`] (every identifier inside free text, with its span).

mod bank;
mod crypto;
mod detect;
mod device;
mod document;
mod email;
mod error;
mod extract;
pub mod invariants;
mod ip;
mod messaging;
mod phone;
mod text;
mod web;

pub use detect::{Detection, detect};
pub use error::NormalizeError;
pub use extract::{Extracted, extract};

use warroom_domain::{CountryCode, Identifier, IdentifierKind};

/// The longest single value accepted, in bytes. Longer input is refused, not truncated.
pub const MAX_VALUE_LEN: usize = 4096;

/// What the normaliser knows about where a value came from.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// Default region for national writings: the reporting agency's country.
    pub region: Option<CountryCode>,
}

impl Context {
    pub fn with_region(region: CountryCode) -> Self {
        Self {
            region: Some(region),
        }
    }
}

/// A canonical identifier together with what was learnt while normalising it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normalized {
    /// The value as given, kept beside the canonical form.
    pub raw: String,
    pub identifier: Identifier,
    /// The region the identifier belongs to, where it has one (a phone's country, an IBAN's
    /// country, a bank account's country).
    pub region: Option<CountryCode>,
    /// Kind-specific type: phone number type (`mobile`, `fixed_line`, `voip`...), wallet
    /// chain/token context (`usdt-trc20`), bank form (`iban`, `domestic`), platform...
    pub subtype: Option<String>,
    /// `false` when the value has the right shape but could not be fully validated (a phone
    /// number that is possible but not in an assigned range; an opaque wallet on a chain
    /// without a checksum rule).
    pub valid: bool,
    /// Identifiers the value implies: a URL's domain, an e-mail's domain, the phone behind a
    /// `wa.me` link.
    pub implied: Vec<Identifier>,
}

impl Normalized {
    pub(crate) fn new(
        raw: &str,
        kind: IdentifierKind,
        canonical: String,
    ) -> Result<Self, NormalizeError> {
        let identifier = Identifier::from_canonical(kind, canonical)
            .map_err(|_| NormalizeError::invalid(kind, "empty", "nothing left after cleaning"))?;
        Ok(Self {
            raw: raw.to_owned(),
            identifier,
            region: None,
            subtype: None,
            valid: true,
            implied: Vec::new(),
        })
    }
}

/// Normalises `raw` as an identifier of `kind`.
pub fn normalize(
    kind: IdentifierKind,
    raw: &str,
    ctx: &Context,
) -> Result<Normalized, NormalizeError> {
    if raw.len() > MAX_VALUE_LEN {
        return Err(NormalizeError::TooLong { max: MAX_VALUE_LEN });
    }
    if raw.trim().is_empty() {
        return Err(NormalizeError::Empty);
    }
    match kind {
        IdentifierKind::Phone => phone::normalize(raw, ctx),
        IdentifierKind::Messaging => messaging::normalize(raw, ctx),
        IdentifierKind::Email => email::normalize(raw),
        IdentifierKind::Url => web::normalize_url(raw),
        IdentifierKind::Domain => web::normalize_domain(raw),
        IdentifierKind::Ip => ip::normalize(raw),
        IdentifierKind::BankAccount => bank::normalize(raw, ctx),
        IdentifierKind::CryptoWallet => crypto::normalize(raw),
        IdentifierKind::Imei => device::normalize_imei(raw),
        IdentifierKind::Document => document::normalize(raw, ctx),
    }
}
