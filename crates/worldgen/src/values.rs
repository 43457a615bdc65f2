//! Identifier values of every kind the node knows, and the ways they are written: by victims
//! (national forms, bank names in Thai, `LINE ID: ...`, defanged links, token labels on
//! wallets) and by officers (canonical-looking `TH:004:...`, `+66...`), plus deliberately
//! broken writings for the reports submitted with `invalid_identifiers: "keep_raw"`.

use crate::country::Cc;
use crate::phones::{self, PhoneNum};
use crate::rng::{WRng, between, chance, pick};
use warroom_domain::IdentifierKind;
use warroom_normalize::{Context, Detection, Normalized, detect, normalize};

/// One identifier, in the parts needed to write it many ways.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    Phone(PhoneNum),
    Line(String),
    /// Display case (Telegram is case-insensitive).
    Telegram(String),
    WhatsApp(PhoneNum),
    WeChat(String),
    /// Display form, dots and capitals included.
    Facebook(String),
    Instagram(String),
    ThBank {
        code: &'static str,
        account: String,
    },
    JpBank {
        bank: &'static str,
        branch: String,
        account: String,
    },
    InBank {
        ifsc: String,
        account: String,
    },
    UsBank {
        routing: &'static str,
        account: String,
    },
    Tron(String),
    /// Lower-case hex with `0x`.
    Eth(String),
    Btc(String),
    Domain(String),
    /// An https URL: host and path (with query).
    Url {
        host: String,
        path: String,
    },
    Email {
        local: String,
        domain: String,
    },
    Imei(String),
}

/// A value as written into one report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Writing {
    pub value: String,
    pub kind: Option<&'static str>,
    pub region: Option<&'static str>,
}

/// Names Thai people write for a bank (the normaliser knows them all).
fn th_bank_names(code: &str) -> &'static [&'static str] {
    match code {
        "002" => &["Bangkok Bank", "BBL", "กรุงเทพ", "ธนาคารกรุงเทพ"],
        "004" => &[
            "KBank",
            "Kasikornbank",
            "กสิกรไทย",
            "ธนาคารกสิกรไทย",
            "K-Bank",
        ],
        "006" => &["Krungthai", "KTB", "กรุงไทย", "ธนาคารกรุงไทย"],
        "011" => &["ttb", "TMBThanachart", "ทหารไทยธนชาต"],
        "014" => &["SCB", "ไทยพาณิชย์", "ธนาคารไทยพาณิชย์", "Siam Commercial"],
        "025" => &["Krungsri", "BAY", "กรุงศรี"],
        _ => &["GSB", "ออมสิน", "ธนาคารออมสิน"],
    }
}

/// The bank's short English name, for narratives.
pub(crate) fn th_bank_label(code: &str) -> &'static str {
    th_bank_names(code)[0]
}

impl Value {
    pub(crate) fn kind(&self) -> IdentifierKind {
        match self {
            Value::Phone(_) => IdentifierKind::Phone,
            Value::Line(_)
            | Value::Telegram(_)
            | Value::WhatsApp(_)
            | Value::WeChat(_)
            | Value::Facebook(_)
            | Value::Instagram(_) => IdentifierKind::Messaging,
            Value::ThBank { .. }
            | Value::JpBank { .. }
            | Value::InBank { .. }
            | Value::UsBank { .. } => IdentifierKind::BankAccount,
            Value::Tron(_) | Value::Eth(_) | Value::Btc(_) => IdentifierKind::CryptoWallet,
            Value::Domain(_) => IdentifierKind::Domain,
            Value::Url { .. } => IdentifierKind::Url,
            Value::Email { .. } => IdentifierKind::Email,
            Value::Imei(_) => IdentifierKind::Imei,
        }
    }

    /// The country whose national writings the value uses, if any.
    pub(crate) fn home(&self) -> Option<Cc> {
        match self {
            Value::Phone(p) | Value::WhatsApp(p) => Some(p.cc),
            Value::ThBank { .. } => Some(Cc::Th),
            Value::JpBank { .. } => Some(Cc::Jp),
            Value::InBank { .. } => Some(Cc::In),
            Value::UsBank { .. } => Some(Cc::Us),
            _ => None,
        }
    }

    /// An unambiguous writing, normalised once to learn the canonical form.
    fn reference_writing(&self) -> String {
        match self {
            Value::Phone(p) => p.e164(),
            Value::Line(h) => format!("line:{h}"),
            Value::Telegram(h) => format!("telegram:{h}"),
            Value::WhatsApp(p) => format!("whatsapp:{}", p.e164()),
            Value::WeChat(h) => format!("wechat:{h}"),
            Value::Facebook(h) => format!("facebook:{h}"),
            Value::Instagram(h) => format!("instagram:{h}"),
            Value::ThBank { code, account } => format!("TH:{code}:{account}"),
            Value::JpBank {
                bank,
                branch,
                account,
            } => format!("JP:{bank}-{branch}:{account}"),
            Value::InBank { ifsc, account } => format!("IN:{ifsc}:{account}"),
            Value::UsBank { routing, account } => format!("US:{routing}:{account}"),
            Value::Tron(a) => format!("trx:{a}"),
            Value::Eth(a) => format!("eth:{a}"),
            Value::Btc(a) => format!("btc:{a}"),
            Value::Domain(d) => d.clone(),
            Value::Url { host, path } => format!("https://{host}/{path}"),
            Value::Email { local, domain } => format!("{local}@{domain}"),
            Value::Imei(i) => i.clone(),
        }
    }

    /// The canonical identifier and what it implies, as the node computes them.
    pub(crate) fn normalized(&self) -> Option<Normalized> {
        let ctx = Context {
            region: self.home().and_then(Cc::country_code),
        };
        normalize(self.kind(), &self.reference_writing(), &ctx).ok()
    }

    /// How an agency of `reporter` writes the value; `official` for officers and analysts,
    /// otherwise a victim filling in a complaint.
    /// `canonical` is the value's canonical form (see [`Value::normalized`]).
    pub(crate) fn write(
        &self,
        canonical: &str,
        reporter: Cc,
        official: bool,
        rng: &mut WRng,
    ) -> Writing {
        let kind = Some(self.kind().as_str());
        let mut w = Writing {
            value: String::new(),
            kind,
            region: None,
        };
        w.value = match self {
            Value::Phone(p) => {
                let (v, r) = phones::write(p, reporter, official, rng);
                w.region = r;
                v
            }
            Value::Line(h) => match between(rng, 0, 6) {
                0 | 1 => format!("LINE ID: {h}"),
                2 => format!("line.me/ti/p/~{h}"),
                3 => format!("https://line.me/ti/p/~{h}"),
                4 if reporter == Cc::Th => format!("ไลน์ {h}"),
                4 if reporter == Cc::Jp => format!("ライン: {h}"),
                5 => format!("Line {h}"),
                _ => format!("line:{h}"),
            },
            Value::Telegram(h) => {
                let shown = match between(rng, 0, 3) {
                    0 => h.to_lowercase(),
                    _ => h.clone(),
                };
                match between(rng, 0, 6) {
                    0 | 1 => format!("Telegram @{shown}"),
                    2 => format!("t.me/{shown}"),
                    3 => format!("https://t.me/{shown}"),
                    4 if reporter == Cc::Th => format!("เทเลแกรม @{shown}"),
                    5 => format!("TG: @{shown}"),
                    _ => format!("telegram:{}", h.to_lowercase()),
                }
            }
            Value::WhatsApp(p) => {
                let digits = format!("{}{}", p.cc.calling_code(), p.nsn);
                match between(rng, 0, 4) {
                    0 => format!("https://wa.me/{digits}"),
                    1 => format!("wa.me/{digits}"),
                    2 if p.cc == reporter => {
                        format!("WhatsApp {}", phones::national(p, rng))
                    }
                    3 => format!("WA: {}", phones::international(p, None, rng)),
                    _ => format!("WhatsApp {}", phones::international(p, None, rng)),
                }
            }
            Value::WeChat(h) => match between(rng, 0, 2) {
                0 => format!("WeChat: {h}"),
                1 => format!("微信 {h}"),
                _ => format!("wx: {h}"),
            },
            Value::Facebook(h) => match between(rng, 0, 3) {
                0 => format!("facebook.com/{h}"),
                1 => format!("https://www.facebook.com/{h}"),
                2 => format!("Facebook: {h}"),
                _ => format!("fb.me/{h}"),
            },
            Value::Instagram(h) => match between(rng, 0, 1) {
                0 => format!("instagram.com/{h}"),
                _ => format!("IG: @{h}"),
            },
            Value::ThBank { code, account } => {
                let name = *pick(rng, th_bank_names(code));
                let shown = if account.len() == 10 {
                    match between(rng, 0, 3) {
                        0 => format!(
                            "{}-{}-{}-{}",
                            &account[..3],
                            &account[3..4],
                            &account[4..9],
                            &account[9..]
                        ),
                        1 => format!("{}-{}-{}", &account[..3], &account[3..9], &account[9..]),
                        _ => account.clone(),
                    }
                } else {
                    account.clone()
                };
                if official && chance(rng, 0.6) {
                    format!("TH:{code}:{account}")
                } else {
                    match between(rng, 0, 3) {
                        0 if reporter == Cc::Th => format!("{name} เลขที่บัญชี {shown}"),
                        1 => format!("{name} a/c {shown}"),
                        _ => format!("{name} {shown}"),
                    }
                }
            }
            Value::JpBank {
                bank,
                branch,
                account,
            } => match between(rng, 0, 4) {
                0 if reporter == Cc::Jp => format!("銀行 {bank} 支店 {branch} 口座番号 {account}"),
                1 if reporter == Cc::Jp => format!("金融機関 {bank} 支店 {branch} 口座 {account}"),
                2 => format!("JP {bank}-{branch} {account}"),
                3 if reporter == Cc::Jp => format!("bank {bank} branch {branch} account {account}"),
                _ => format!("JP:{bank}-{branch}:{account}"),
            },
            Value::InBank { ifsc, account } => match between(rng, 0, 5) {
                0 => format!("A/C {account} IFSC {ifsc}"),
                1 => format!("A/c no. {account} IFSC: {ifsc}"),
                2 => format!("IFSC {ifsc} A/C {account}"),
                3 if reporter == Cc::In => format!("खाता {account} IFSC {ifsc}"),
                4 => format!("Account number {account}, IFSC {ifsc}"),
                _ => format!("IN:{ifsc}:{account}"),
            },
            Value::UsBank { routing, account } => match between(rng, 0, 4) {
                0 => format!("routing {routing} account {account}"),
                1 => format!("ABA {routing} acct {account}"),
                2 => format!("Routing No. {routing} Account No. {account}"),
                3 => format!("RTN {routing} acct no. {account}"),
                _ => format!("US:{routing}:{account}"),
            },
            Value::Tron(a) => match between(rng, 0, 4) {
                0 => format!("USDT-TRC20: {a}"),
                1 => format!("TRC20 {a}"),
                2 => format!("USDT (TRC20) {a}"),
                _ => a.clone(),
            },
            Value::Eth(a) => {
                let shown = match canonical.strip_prefix("eth:") {
                    Some(checksummed) if chance(rng, 0.5) => checksummed.to_owned(),
                    _ => a.clone(),
                };
                match between(rng, 0, 3) {
                    0 => format!("USDT ERC20 {shown}"),
                    1 => format!("{shown} (ERC20)"),
                    2 => format!("BEP20: {shown}"),
                    _ => shown,
                }
            }
            Value::Btc(a) => match between(rng, 0, 2) {
                0 => format!("BTC {a}"),
                1 => format!("bitcoin:{a}?amount=0.0{}", between(rng, 1, 9)),
                _ => a.clone(),
            },
            Value::Domain(d) => match between(rng, 0, 3) {
                0 | 1 => d.clone(),
                2 => d.replace('.', "[.]"),
                _ => capitalise_first(d),
            },
            Value::Url { host, path } => {
                let tracking = if !path.contains('?') && chance(rng, 0.2) {
                    "?utm_source=sms"
                } else {
                    ""
                };
                match between(rng, 0, 4) {
                    0 | 1 => format!("https://{host}/{path}{tracking}"),
                    2 => format!("hxxps://{}/{path}", host.replace('.', "[.]")),
                    3 => format!("hxxps[:]//{}/{path}", host.replace('.', "[.]")),
                    _ => format!("https://{}/{path}", host.to_uppercase()),
                }
            }
            Value::Email { local, domain } => {
                let l = if domain == "gmail.com" && chance(rng, 0.3) {
                    // Gmail ignores dots in the local part.
                    let mut c = local.chars();
                    let first = c.next().map(String::from).unwrap_or_default();
                    format!("{first}.{}", c.as_str())
                } else {
                    local.clone()
                };
                // Only providers whose local parts are case-insensitive get capitals.
                match between(rng, 0, 3) {
                    0 if domain == "gmail.com" => format!("{}@{domain}", l.to_uppercase()),
                    1 => format!("{l}@{}", domain.replace('.', "[.]")),
                    _ => format!("{l}@{domain}"),
                }
            }
            Value::Imei(i) => match between(rng, 0, 3) {
                0 => format!("IMEI {} {} {}", &i[..8], &i[8..14], &i[14..]),
                1 => format!("IMEI: {}-{}-{}-{}", &i[..2], &i[2..8], &i[8..14], &i[14..]),
                _ => i.clone(),
            },
        };
        // Web addresses, e-mails and wallets are sometimes submitted without a kind: the node
        // detects it. Only when detection finds the same identifier.
        if !official
            && matches!(
                self.kind(),
                IdentifierKind::Url | IdentifierKind::Email | IdentifierKind::CryptoWallet
            )
            && chance(rng, 0.2)
            && detects_as(self.kind(), canonical, &w.value, reporter)
        {
            w.kind = None;
        }
        w
    }

    /// A broken writing that does not normalise (a partial number, a handle without its
    /// platform, a truncated account or wallet), or `None` where no such writing is made.
    pub(crate) fn corrupt(&self, reporter: Cc, rng: &mut WRng) -> Option<String> {
        let raw = match self {
            Value::Phone(p) | Value::WhatsApp(p) => phones::partial(p, reporter, rng),
            Value::Line(h) | Value::WeChat(h) | Value::Instagram(h) => format!("@{h}"),
            Value::Telegram(h) => format!("@{h}"),
            Value::Facebook(h) => h.replace('.', " "),
            Value::ThBank { code, account } => {
                format!("{} {}", th_bank_label(code), &account[..account.len() - 3])
            }
            Value::JpBank {
                bank,
                branch,
                account,
            } => format!("JP {bank}-{branch} {}", &account[..5]),
            Value::InBank { ifsc, account } => format!("A/C {} IFSC {ifsc}", &account[..6]),
            Value::UsBank { routing, account } => {
                let mut r = routing.to_string();
                let last = r.pop().unwrap_or('0');
                let d = last.to_digit(10).unwrap_or(0);
                format!("routing {r}{} account {account}", (d + 1) % 10)
            }
            Value::Tron(a) | Value::Btc(a) | Value::Eth(a) => a[..a.len() - 1].to_owned(),
            Value::Email { local, .. } => format!("{local}@"),
            Value::Imei(i) => {
                let d = i[14..].parse::<u32>().unwrap_or(0);
                format!("{}{}", &i[..14], (d + 1) % 10)
            }
            Value::Domain(_) | Value::Url { .. } => return None,
        };
        let ctx = Context {
            region: reporter.country_code(),
        };
        normalize(self.kind(), &raw, &ctx).is_err().then_some(raw)
    }
}

/// Whether the node's detection, without a kind, finds exactly this value.
fn detects_as(kind: IdentifierKind, canonical: &str, written: &str, reporter: Cc) -> bool {
    let ctx = Context {
        region: reporter.country_code(),
    };
    match detect(written, &ctx) {
        Detection::Found(n) => n.identifier.kind() == kind && n.identifier.canonical() == canonical,
        _ => false,
    }
}

fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
