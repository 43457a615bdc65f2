//! Fresh identifier values, unique in the world by construction: every handle, account, domain,
//! URL and IMEI carries a number drawn from a bijection of a counter, so two infrastructure
//! items never share a canonical form unless the world says they do.

use crate::country::Cc;
use crate::phones::{PhoneAlloc, PhoneKind};
use crate::rng::{Permutation, WRng, between, bytes, chance, index, pick};
use crate::values::Value;

/// What an identifier is dressed up as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Theme {
    Police,
    Bank,
    Invest,
    Romance,
    Job,
    Loan,
    Courier,
    Tech,
}

fn words(theme: Theme, cc: Cc) -> &'static [&'static str] {
    match (theme, cc) {
        (Theme::Police, Cc::Th) => &["police", "officer", "polcyber", "dsi", "aoc", "inspector"],
        (Theme::Police, Cc::Jp) => &["keisatsu", "npa", "kensatsu", "police", "sousa"],
        (Theme::Police, Cc::In) => &["cbi", "police", "officer", "cyber", "ncb", "trai"],
        (Theme::Police, _) => &["fbi", "agent", "officer", "ssa", "federal"],
        (Theme::Bank, Cc::Th) => &["kbank", "scb", "ktb", "krungsri", "ttb"],
        (Theme::Bank, Cc::Jp) => &["mufg", "smbc", "yucho", "mizuho"],
        (Theme::Bank, Cc::In) => &["sbi", "hdfc", "icici", "kyc"],
        (Theme::Bank, _) => &["chase", "wells", "boa", "zelle"],
        (Theme::Invest, _) => &[
            "crypto", "invest", "trade", "vip", "profit", "mentor", "signal", "gold", "fx", "quant",
        ],
        (Theme::Romance, _) => &["sweet", "angel", "honey", "love", "rose", "lily", "sunny"],
        (Theme::Job, _) => &["hr", "job", "work", "task", "recruit", "career", "hiring"],
        (Theme::Loan, _) => &["loan", "cash", "money", "quick", "easy", "credit", "fast"],
        (Theme::Courier, Cc::Th) => &["kerry", "flash", "thpost", "jnt", "parcel"],
        (Theme::Courier, Cc::Jp) => &["yamato", "sagawa", "jppost", "takuhai"],
        (Theme::Courier, Cc::In) => &["indiapost", "bluedart", "dtdc", "fedex", "customs"],
        (Theme::Courier, _) => &["usps", "fedex", "ups", "parcel"],
        (Theme::Tech, _) => &[
            "support",
            "microsoft",
            "windows",
            "apple",
            "secure",
            "helpdesk",
        ],
    }
}

const SECOND: &[&str] = &[
    "support", "verify", "secure", "help", "center", "service", "team", "desk", "online", "th",
    "asia", "global", "pro", "official", "care", "info",
];

const TLDS: &[&str] = &[
    "top", "xyz", "cc", "shop", "vip", "online", "site", "info", "live", "com", "net",
];

fn paths(theme: Theme) -> &'static [&'static str] {
    match theme {
        Theme::Police => &["case/", "notice/", "verify/"],
        Theme::Bank => &["login/", "verify?id=", "kyc/"],
        Theme::Invest => &["register?invite=", "m/deposit/", "trade/"],
        Theme::Romance => &["chat/", "gift/"],
        Theme::Job => &["apply/", "task?code=", "offer/"],
        Theme::Loan => &["app/", "download/", "loan?uid="],
        Theme::Courier => &["track/", "redelivery/", "pay?parcel="],
        Theme::Tech => &["alert/", "support/", "fix?session="],
    }
}

/// Thai banks (Bank of Thailand code, account digits).
const TH_BANKS: &[(&str, usize)] = &[
    ("002", 10),
    ("004", 10),
    ("006", 10),
    ("011", 10),
    ("014", 10),
    ("025", 10),
    ("030", 12),
];
/// Japanese banks (Zengin codes).
const JP_BANKS: &[&str] = &["0001", "0005", "0009", "0010", "0036", "9900"];
/// Indian banks: IFSC prefix, account digits.
const IN_BANKS: &[(&str, usize)] = &[
    ("SBIN", 11),
    ("HDFC", 14),
    ("ICIC", 12),
    ("UTIB", 15),
    ("PUNB", 16),
    ("KKBK", 10),
    ("BARB", 14),
    ("CNRB", 13),
    ("YESB", 15),
];
/// US routing numbers (valid ABA checksums; prepaid-card banks are the mules' favourites).
const US_ROUTING: &[&str] = &[
    "021000021",
    "026009593",
    "121000248",
    "111000025",
    "322271627",
    "031101279",
    "124303120",
    "073972181",
];
/// Type allocation codes of common handsets.
const TACS: &[&str] = &[
    "35209900", "35332711", "86753103", "35693803", "86891204", "35875611",
];

#[derive(Debug)]
pub(crate) struct Alloc {
    pub phones: PhoneAlloc,
    handle: (Permutation, u64),
    account: (Permutation, u64),
    account7: (Permutation, u64),
    domain: (Permutation, u64),
    url: (Permutation, u64),
    imei: (Permutation, u64),
}

fn next(c: &mut (Permutation, u64)) -> u64 {
    let k = c.1;
    c.1 += 1;
    c.0.apply(k)
}

/// Lower-case base-36 text of `n`.
fn base36(mut n: u64) -> String {
    let mut out = Vec::new();
    loop {
        let d = (n % 36) as u8;
        out.push(if d < 10 { b'0' + d } else { b'a' + d - 10 });
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl Alloc {
    pub(crate) fn new(rng: &mut WRng) -> Self {
        Self {
            phones: PhoneAlloc::new(),
            handle: (Permutation::new(rng, 10_000_000), 0),
            account: (Permutation::new(rng, 10_000_000_000), 0),
            account7: (Permutation::new(rng, 10_000_000), 0),
            domain: (Permutation::new(rng, 1_000_000), 0),
            url: (Permutation::new(rng, 1_000_000_000), 0),
            imei: (Permutation::new(rng, 1_000_000), 0),
        }
    }

    pub(crate) fn phone(&mut self, cc: Cc, kind: PhoneKind, rng: &mut WRng) -> Value {
        Value::Phone(self.phones.fresh(cc, kind, rng))
    }

    pub(crate) fn whatsapp(&mut self, cc: Cc, rng: &mut WRng) -> Value {
        Value::WhatsApp(self.phones.fresh(cc, PhoneKind::Mobile, rng))
    }

    /// Two theme words and a unique number, joined with `sep`, at most `max` characters.
    fn handle(&mut self, theme: Theme, cc: Cc, sep: &str, max: usize, rng: &mut WRng) -> String {
        let a = *pick(rng, words(theme, cc));
        let b = *pick(rng, SECOND);
        let n = next(&mut self.handle);
        let mut h = format!("{a}{sep}{b}{n}");
        if h.len() > max {
            h = format!("{a}{sep}{n}");
        }
        h
    }

    pub(crate) fn line(&mut self, theme: Theme, cc: Cc, rng: &mut WRng) -> Value {
        let sep = *pick(rng, &[".", "_", "-", ""]);
        Value::Line(self.handle(theme, cc, sep, 20, rng))
    }

    pub(crate) fn telegram(&mut self, theme: Theme, cc: Cc, rng: &mut WRng) -> Value {
        let h = self.handle(theme, cc, "_", 32, rng);
        // Telegram shows the capitals the owner chose.
        let shown: String = h
            .split('_')
            .map(|w| {
                if chance(rng, 0.5) {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                } else {
                    w.to_owned()
                }
            })
            .collect::<Vec<String>>()
            .join("_");
        Value::Telegram(shown)
    }

    pub(crate) fn facebook(&mut self, theme: Theme, cc: Cc, rng: &mut WRng) -> Value {
        Value::Facebook(self.handle(theme, cc, ".", 40, rng))
    }

    pub(crate) fn instagram(&mut self, theme: Theme, cc: Cc, rng: &mut WRng) -> Value {
        Value::Instagram(self.handle(theme, cc, ".", 30, rng))
    }

    pub(crate) fn wechat(&mut self, rng: &mut WRng) -> Value {
        let n = next(&mut self.handle);
        let a = *pick(rng, &["wxid", "boss", "laoban", "kefu", "ming"]);
        Value::WeChat(format!("{a}_{n:06}"))
    }

    pub(crate) fn bank(&mut self, cc: Cc, rng: &mut WRng) -> Value {
        if cc == Cc::Jp {
            return Value::JpBank {
                bank: JP_BANKS[index(rng, JP_BANKS.len())],
                branch: format!("{:03}", between(rng, 1, 899)),
                account: format!("{:07}", next(&mut self.account7)),
            };
        }
        let n = next(&mut self.account);
        match cc {
            Cc::In => {
                let (prefix, len) = *pick(rng, IN_BANKS);
                let digits = format!("{n:010}{:06}", between(rng, 0, 999_999));
                Value::InBank {
                    ifsc: format!("{prefix}0{:06}", between(rng, 1, 999_999)),
                    account: digits[..len].to_owned(),
                }
            }
            Cc::Us => Value::UsBank {
                routing: US_ROUTING[index(rng, US_ROUTING.len())],
                account: if chance(rng, 0.5) {
                    format!("{n:010}")
                } else {
                    format!("{}{n:010}", between(rng, 1, 9))
                },
            },
            _ => {
                let (code, len) = *pick(rng, TH_BANKS);
                let digits = format!("{n:010}{:02}", between(rng, 0, 99));
                Value::ThBank {
                    code,
                    account: digits[..len].to_owned(),
                }
            }
        }
    }

    pub(crate) fn tron(&mut self, rng: &mut WRng) -> Value {
        let mut payload = vec![0x41u8];
        payload.extend_from_slice(&bytes::<20>(rng));
        Value::Tron(bs58::encode(payload).with_check().into_string())
    }

    pub(crate) fn eth(&mut self, rng: &mut WRng) -> Value {
        let b = bytes::<20>(rng);
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        Value::Eth(format!("0x{hex}"))
    }

    pub(crate) fn btc(&mut self, rng: &mut WRng) -> Value {
        let program = bytes::<20>(rng);
        match bech32::segwit::encode_v0(bech32::hrp::BC, &program) {
            Ok(a) => Value::Btc(a),
            Err(_) => self.tron(rng),
        }
    }

    pub(crate) fn domain(&mut self, theme: Theme, cc: Cc, rng: &mut WRng) -> Value {
        let a = *pick(rng, words(theme, cc));
        let b = *pick(rng, SECOND);
        let n = next(&mut self.domain);
        let tld = *pick(rng, TLDS);
        Value::Domain(match between(rng, 0, 2) {
            0 => format!("{a}-{b}{n}.{tld}"),
            1 => format!("{a}{b}{n}.{tld}"),
            _ => format!("{b}-{a}{n}.{tld}"),
        })
    }

    /// A URL on `host` with a unique token in its path.
    pub(crate) fn url(&mut self, host: &str, theme: Theme, rng: &mut WRng) -> Value {
        let token = base36(next(&mut self.url) + 1_679_616);
        let p = *pick(rng, paths(theme));
        let path = if theme == Theme::Loan && p == "app/" {
            format!("{p}{token}.apk")
        } else {
            format!("{p}{token}")
        };
        Value::Url {
            host: host.to_owned(),
            path,
        }
    }

    /// A shortened link (`bit.ly`) or a store listing (`play.google.com`) with a unique id.
    pub(crate) fn platform_url(&mut self, theme: Theme, rng: &mut WRng) -> Value {
        let token = base36(next(&mut self.url) + 1_679_616);
        if theme == Theme::Loan && chance(rng, 0.6) {
            let w = *pick(rng, words(theme, Cc::Th));
            Value::Url {
                host: "play.google.com".into(),
                path: format!("store/apps/details?id=com.{w}.app{token}"),
            }
        } else {
            Value::Url {
                host: "bit.ly".into(),
                path: token,
            }
        }
    }

    pub(crate) fn email(&mut self, theme: Theme, cc: Cc, domain: &str, rng: &mut WRng) -> Value {
        Value::Email {
            local: self.handle(theme, cc, "_", 40, rng),
            domain: domain.to_owned(),
        }
    }

    pub(crate) fn imei(&mut self, rng: &mut WRng) -> Value {
        let body = format!("{}{:06}", pick(rng, TACS), next(&mut self.imei));
        Value::Imei(format!("{body}{}", luhn(&body)))
    }
}

/// The Luhn check digit of `body`.
pub(crate) fn luhn(body: &str) -> u32 {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_for;
    use std::collections::BTreeSet;

    #[test]
    fn routing_numbers_pass_the_aba_checksum() {
        for r in US_ROUTING {
            let d: Vec<u32> = r.bytes().map(|b| u32::from(b - b'0')).collect();
            let s = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
            assert_eq!(s % 10, 0, "{r}");
        }
    }

    /// Every fresh value normalises, is unique, and every writing of it by every reporter gives
    /// the same canonical form; broken writings never normalise.
    #[test]
    fn values_normalise_uniquely_and_every_writing_agrees() {
        use warroom_normalize::{Context, detect, normalize};
        let mut rng = rng_for(21, 4);
        let mut a = Alloc::new(&mut rng);
        let mut seen = BTreeSet::new();
        let themes = [
            Theme::Police,
            Theme::Bank,
            Theme::Invest,
            Theme::Romance,
            Theme::Job,
            Theme::Loan,
            Theme::Courier,
            Theme::Tech,
        ];
        for i in 0..120 {
            let t = themes[i % themes.len()];
            let cc = [Cc::Th, Cc::Jp, Cc::In, Cc::Us][i % 4];
            let d = a.domain(t, cc, &mut rng);
            let Value::Domain(host) = &d else { panic!() };
            let host = host.clone();
            let values = vec![
                a.line(t, cc, &mut rng),
                a.telegram(t, cc, &mut rng),
                a.facebook(t, cc, &mut rng),
                a.instagram(t, cc, &mut rng),
                a.wechat(&mut rng),
                a.whatsapp(cc, &mut rng),
                a.bank(Cc::Th, &mut rng),
                a.bank(Cc::Jp, &mut rng),
                a.bank(Cc::In, &mut rng),
                a.bank(Cc::Us, &mut rng),
                a.tron(&mut rng),
                a.eth(&mut rng),
                a.btc(&mut rng),
                a.url(&host, t, &mut rng),
                a.platform_url(t, &mut rng),
                a.email(t, cc, &host, &mut rng),
                a.email(t, cc, "gmail.com", &mut rng),
                a.imei(&mut rng),
                d,
            ];
            for v in values {
                let n = v.normalized().unwrap_or_else(|| panic!("{v:?}"));
                let canonical = n.identifier.canonical().to_owned();
                assert!(seen.insert(n.identifier.clone()), "duplicate {canonical}");
                for reporter in [Cc::Th, Cc::Jp, Cc::In, Cc::Us] {
                    let ctx = Context {
                        region: reporter.country_code(),
                    };
                    for official in [false, true] {
                        for _ in 0..4 {
                            let w = v.write(&canonical, reporter, official, &mut rng);
                            let ctx = match w.region {
                                Some(r) => Context {
                                    region: warroom_domain::CountryCode::parse(r).ok(),
                                },
                                None => ctx.clone(),
                            };
                            let got = match w.kind {
                                Some(k) => normalize(k.parse().expect("kind"), &w.value, &ctx)
                                    .unwrap_or_else(|e| panic!("{w:?} by {reporter:?}: {e}")),
                                None => match detect(&w.value, &ctx) {
                                    warroom_normalize::Detection::Found(n) => n,
                                    other => panic!("{w:?}: {other:?}"),
                                },
                            };
                            assert_eq!(got.identifier, n.identifier, "{w:?} by {reporter:?}");
                        }
                    }
                    if let Some(bad) = v.corrupt(reporter, &mut rng) {
                        assert!(normalize(v.kind(), &bad, &ctx).is_err(), "{bad}");
                    }
                }
            }
        }
    }

    #[test]
    fn imeis_pass_luhn() {
        assert_eq!(luhn("35209900176148"), 1);
    }
}
