//! Victims' complaints to their own country's agency: the syndicate's phones, chat accounts,
//! mule accounts, wallets and links as the victim wrote them, the victim's own account and the
//! money they sent, hotlines and spoofed caller IDs, and sometimes a number typed half-way.
//! Also complaints about small independent scammers, and false alarms about legitimate numbers.

use crate::agencies::A;
use crate::clock::{DAY, HOUR, MINUTE};
use crate::country::Cc;
use crate::draft::Draft;
use crate::infra::{Item, Loc, Role};
use crate::narrative;
use crate::noise::NoiseCategory;
use crate::people::PersonRole;
use crate::rng::{between, chance, index, log_uniform, pick, weighted};
use crate::state::{Event, Lone, State, TraceJob};
use crate::stories::{self, Story};
use crate::syndicates::{Method, SYNDICATES};

/// Roles a complaint about `method` carries: role, probability, how many.
fn needs(method: Method) -> &'static [(Role, f64, (u64, u64))] {
    use Role::*;
    match method {
        Method::Official => &[
            (CallingPhone, 1.0, (1, 3)),
            (Messaging, 0.7, (1, 1)),
            (MuleL1, 0.85, (1, 2)),
            (PhishingUrl, 0.15, (1, 1)),
            (Email, 0.1, (1, 1)),
        ],
        Method::Family => &[
            (CallingPhone, 1.0, (1, 3)),
            (MuleL1, 0.5, (1, 1)),
            (Messaging, 0.1, (1, 1)),
        ],
        Method::PhishingSms => &[
            (SmsSender, 1.0, (1, 2)),
            (PhishingUrl, 1.0, (1, 2)),
            (MuleL1, 0.4, (1, 1)),
            (CallingPhone, 0.2, (1, 1)),
        ],
        Method::Parcel => &[
            (CallingPhone, 0.9, (1, 2)),
            (PhishingUrl, 0.5, (1, 1)),
            (Messaging, 0.5, (1, 1)),
            (MuleL1, 0.8, (1, 2)),
        ],
        Method::DigitalArrest => &[
            (CallingPhone, 1.0, (1, 3)),
            (Messaging, 0.85, (1, 2)),
            (MuleL1, 0.95, (1, 3)),
            (Email, 0.3, (1, 1)),
        ],
        Method::Invest => &[
            (Messaging, 1.0, (1, 2)),
            (PhishingDomain, 0.5, (1, 1)),
            (PhishingUrl, 0.4, (1, 1)),
            (Wallet, 0.75, (1, 2)),
            (MuleL1, 0.35, (1, 2)),
            (CallingPhone, 0.2, (1, 1)),
        ],
        Method::Romance => &[
            (Messaging, 1.0, (1, 2)),
            (Wallet, 0.45, (1, 1)),
            (MuleL1, 0.5, (1, 2)),
            (CallingPhone, 0.2, (1, 1)),
        ],
        Method::Tech => &[
            (CallingPhone, 1.0, (1, 2)),
            (PhishingUrl, 0.6, (1, 1)),
            (Wallet, 0.5, (1, 1)),
            (MuleL1, 0.35, (1, 1)),
            (Email, 0.3, (1, 1)),
        ],
        Method::Loan => &[
            (PhishingUrl, 0.9, (1, 1)),
            (Messaging, 0.6, (1, 1)),
            (CallingPhone, 0.5, (1, 1)),
            (MuleL1, 0.9, (1, 2)),
        ],
        Method::FakeJob => &[
            (Messaging, 1.0, (1, 2)),
            (PhishingUrl, 0.5, (1, 1)),
            (MuleL1, 0.9, (1, 3)),
            (Wallet, 0.2, (1, 1)),
        ],
    }
}

/// Loss range in major units of the victim's currency, and the rounding.
fn loss_range(c: Cc, method: Method) -> (u64, u64, u64) {
    let big = matches!(
        method,
        Method::Invest | Method::DigitalArrest | Method::Romance
    );
    match (c, big) {
        (Cc::Th, false) => (2_000, 400_000, 100),
        (Cc::Th, true) => (20_000, 6_000_000, 1_000),
        (Cc::Jp, false) => (50_000, 5_000_000, 10_000),
        (Cc::Jp, true) => (300_000, 80_000_000, 10_000),
        (Cc::In, false) => (5_000, 800_000, 500),
        (Cc::In, true) => (50_000, 30_000_000, 1_000),
        (_, false) => (200, 40_000, 10),
        (_, true) => (5_000, 900_000, 100),
    }
}

/// The agency a victim in `c` reports to, the language, and the victim's own country.
fn victim_agency(c: Cc, st: &mut State) -> (A, &'static str, Cc) {
    let rng = &mut st.rng;
    match c {
        Cc::Th => match between(rng, 0, 9) {
            0..=6 => (A::ThAoc, "th", Cc::Th),
            7 | 8 => (A::ThCcib, "th", Cc::Th),
            _ => (A::ThTourist, "en", *pick(rng, &[Cc::Us, Cc::Jp, Cc::In])),
        },
        Cc::Jp => (A::JpNpa, "ja", Cc::Jp),
        Cc::In => (
            A::InI4c,
            if chance(rng, 0.55) { "hi" } else { "en" },
            Cc::In,
        ),
        _ => (
            if chance(rng, 0.75) {
                A::UsFbi
            } else {
                A::UsUsss
            },
            "en",
            Cc::Us,
        ),
    }
}

/// A complaint about syndicate `s`'s scam.
pub(crate) fn complaint(st: &mut State, t: i64) -> Draft {
    let s = *weighted(
        &mut st.rng,
        &SYNDICATES
            .iter()
            .enumerate()
            .map(|(i, d)| (i, d.weight))
            .collect::<Vec<_>>(),
    );
    let def = &SYNDICATES[s];
    let targets: Vec<(usize, u32)> = def
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| (i, t.1))
        .collect();
    let (c, _, methods) = def.targets[*weighted(&mut st.rng, &targets)];
    let method = *weighted(&mut st.rng, methods);
    let (agency, lang, home) = victim_agency(c, st);
    let mut d = Draft::new(agency, "victim_complaint", t);
    d.language = lang;
    d.syndicate = Some(s);
    let occurred = t - st.span(HOUR, 12 * DAY);
    d.occurred = Some(occurred);
    d.methods = vec![method.slug()];
    d.victim_country = Some(home);
    let theme = Some(method.theme());

    let mut picks: Vec<(Item, Loc)> = Vec::new();
    for (role, p, (lo, hi)) in needs(method) {
        if !chance(&mut st.rng, *p) {
            continue;
        }
        for _ in 0..between(&mut st.rng, *lo, *hi) {
            let (item, loc) = st.pick(s, *role, c, theme);
            if !picks.iter().any(|(i, _)| i.uid == item.uid) {
                picks.push((item, loc));
            }
        }
    }
    use Role::*;
    let anchor = st.anchor(
        s,
        &mut picks,
        &[
            CallingPhone,
            Messaging,
            MuleL1,
            SmsSender,
            PhishingUrl,
            Wallet,
            PhishingDomain,
            Email,
        ],
        c,
        false,
    );
    // Now and then one value is typed half-way (never the anchor).
    let broken = (picks.len() > 1 && chance(&mut st.rng, 0.06)).then(|| {
        let i = index(&mut st.rng, picks.len());
        if Some(i) == anchor {
            (i + 1) % picks.len()
        } else {
            i
        }
    });

    let victim = chance(&mut st.rng, 0.7).then(|| st.person(PersonRole::Victim, Some(s), home));
    let victim_ref = victim.as_ref().map(|v| d.person(v, false, &mut st.rng));
    // Contact details: the victim's own number.
    let victim_phone =
        (victim.is_some() && chance(&mut st.rng, 0.6)).then(|| st.make(VictimContact, home));
    if let (Some(v), Some(phone)) = (&victim_ref, &victim_phone) {
        let (r, _) = d.item(phone, None, &mut st.rng);
        d.rel(v, &r, "owns");
    }
    let (lo, hi, round) = loss_range(c, method);
    let loss = log_uniform(&mut st.rng, lo, hi, round);
    let currency = c.currency();

    let mut story = Story {
        lang,
        method: Some(method),
        date: narrative::date(occurred, c.offset_min(), lang, c == Cc::Us, &mut st.rng),
        claimed: stories::claimed(method, lang, c, &mut st.rng),
        ..Story::default()
    };
    let mut mules: Vec<(String, Item, Loc)> = Vec::new();
    let mut wallets: Vec<String> = Vec::new();
    for (i, (item, loc)) in picks.iter().enumerate() {
        let written = if Some(i) == broken {
            match item.value.corrupt(d.reporter(), &mut st.rng) {
                Some(raw) => {
                    d.raw(item.kind.as_str(), raw.clone());
                    raw
                }
                None => d.item(item, Some(*loc), &mut st.rng).1,
            }
        } else {
            let (r, w) = d.item(item, Some(*loc), &mut st.rng);
            match item.role {
                CallingPhone | SmsSender => {
                    if let Some(v) = &victim_ref {
                        d.rel_at(&r, v, "contacted", occurred);
                    }
                }
                Messaging => {
                    if let Some(v) = &victim_ref {
                        d.rel_at(&r, v, "contacted", occurred + 20 * MINUTE);
                    }
                }
                MuleL1 => mules.push((r, item.clone(), *loc)),
                Wallet => wallets.push(r),
                _ => {}
            }
            w
        };
        let slot = match item.role {
            CallingPhone | SmsSender => &mut story.caller,
            Messaging => &mut story.handle,
            MuleL1 => &mut story.account,
            PhishingUrl | PhishingDomain => &mut story.link,
            Wallet => &mut story.wallet,
            Email => &mut story.email,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(written);
        }
    }

    // The money: from the victim's own account (when given) to each mule, then wallets.
    let victim_account =
        (!mules.is_empty() && chance(&mut st.rng, 0.5)).then(|| st.make(VictimAccount, c));
    let source = match &victim_account {
        Some(acct) => Some(d.item(acct, None, &mut st.rng).0),
        None => victim_ref.clone(),
    };
    let payments = mules.len() + wallets.len();
    story.payments = payments.max(1);
    let mut paid_at = occurred + st.span(10 * MINUTE, 3 * HOUR);
    let mut first_mule: Option<(Item, Loc, u64, i64)> = None;
    if let Some(src) = &source {
        let n = payments.max(1) as u64;
        for (r, item, loc) in &mules {
            let part = (loss / n).max(1);
            d.transfer(src, r, part.to_string(), currency, paid_at);
            if first_mule.is_none() {
                first_mule = Some((item.clone(), *loc, part, paid_at));
            }
            paid_at += st.span(HOUR, 3 * DAY);
        }
        for r in &wallets {
            d.transfer(src, r, (loss / n).max(1).to_string(), currency, paid_at);
            paid_at += st.span(HOUR, 5 * DAY);
        }
    }
    story.amount = Some(narrative::amount(loss, currency, lang, &mut st.rng));
    story.cash = mules.is_empty() && wallets.is_empty() && method == Method::Family;
    d.loss = Some((loss, currency));

    add_noise(st, &mut d, &mut story, c, method);
    d.narrative = stories::victim(&story, &mut st.rng);
    d.mark(&mut st.rng);

    // Some payments are traced later by the victim's bank or the financial-intelligence unit.
    if let Some((mule, loc, amount, at)) = first_mule
        && chance(&mut st.rng, 0.3)
    {
        let due = at + st.span(DAY, 12 * DAY);
        st.schedule(
            due,
            Event::Trace(Box::new(TraceJob {
                syndicate: s,
                country: c,
                method: method.slug(),
                victim,
                victim_account,
                victim_phone,
                mule: (mule, loc),
                amount,
                at,
            })),
        );
    }
    d
}

/// Hotlines called afterwards, spoofed caller IDs, platforms where the scam started.
fn add_noise(st: &mut State, d: &mut Draft, story: &mut Story, c: Cc, method: Method) {
    let local: Vec<usize> = (0..st.noise.len())
        .filter(|i| st.noise[*i].country == c)
        .collect();
    if local.is_empty() {
        return;
    }
    let phones: Vec<usize> = local
        .iter()
        .copied()
        .filter(|i| {
            st.noise[*i].canonical.is_some()
                && st.noise[*i].kind == warroom_domain::IdentifierKind::Phone
        })
        .collect();
    let spoofable = matches!(
        method,
        Method::Official
            | Method::Tech
            | Method::PhishingSms
            | Method::Parcel
            | Method::DigitalArrest
    );
    if spoofable && !phones.is_empty() && chance(&mut st.rng, 0.12) {
        let n = st.noise[*pick(&mut st.rng, &phones)].clone();
        story.spoofed = Some(d.noise(&n, &mut st.rng));
    }
    if chance(&mut st.rng, 0.3) {
        let calls: Vec<usize> = local
            .iter()
            .copied()
            .filter(|i| {
                matches!(
                    st.noise[*i].category,
                    NoiseCategory::Hotline | NoiseCategory::BankCallCentre
                )
            })
            .collect();
        if !calls.is_empty() {
            let n = st.noise[*pick(&mut st.rng, &calls)].clone();
            story.hotline_bank = n.category == NoiseCategory::BankCallCentre;
            let w = if chance(&mut st.rng, 0.5) {
                d.noise(&n, &mut st.rng)
            } else {
                n.write(d.reporter(), &mut st.rng)
            };
            story.hotline = Some(w);
        }
    }
    if chance(&mut st.rng, 0.12) {
        let platforms: Vec<usize> = (0..st.noise.len())
            .filter(|i| {
                matches!(
                    st.noise[*i].category,
                    NoiseCategory::Platform | NoiseCategory::OfficialSite
                )
            })
            .collect();
        let n = st.noise[*pick(&mut st.rng, &platforms)].clone();
        d.noise(&n, &mut st.rng);
    }
}

/// A complaint about a small independent scammer.
pub(crate) fn lone(st: &mut State, t: i64) -> Draft {
    if st.lone.len() < 12 || chance(&mut st.rng, 0.1) {
        let c = *pick(&mut st.rng, &[Cc::Th, Cc::Th, Cc::Jp, Cc::In, Cc::Us]);
        let phone = st.make(Role::LoneScammer, c);
        let mut account = st.make(Role::LoneScammer, c);
        account.value = st.alloc.bank(c, &mut st.rng);
        if let Some(n) = account.value.normalized() {
            account.kind = n.identifier.kind();
            account.canonical = n.identifier.canonical().to_owned();
        }
        let left = between(&mut st.rng, 1, 5) as u32;
        st.lone.push(Lone {
            country: c,
            phone,
            account,
            left,
        });
    }
    let i = index(&mut st.rng, st.lone.len());
    st.lone[i].left = st.lone[i].left.saturating_sub(1);
    let l = if st.lone[i].left == 0 {
        st.lone.swap_remove(i)
    } else {
        st.lone[i].clone()
    };
    let method = *pick(
        &mut st.rng,
        &[
            Method::Loan,
            Method::Romance,
            Method::FakeJob,
            Method::Parcel,
        ],
    );
    let (agency, lang, home) = victim_agency(l.country, st);
    let mut d = Draft::new(agency, "victim_complaint", t);
    d.language = lang;
    let occurred = t - st.span(HOUR, 6 * DAY);
    d.occurred = Some(occurred);
    d.methods = vec![method.slug()];
    d.victim_country = Some(home);
    let (_, caller) = d.item(&l.phone, None, &mut st.rng);
    let (acct_ref, account) = d.item(&l.account, None, &mut st.rng);
    let (lo, hi, round) = loss_range(l.country, method);
    let loss = log_uniform(&mut st.rng, lo, hi / 10, round);
    let currency = l.country.currency();
    let victim = st.person(PersonRole::Victim, None, home);
    let v = d.person(&victim, false, &mut st.rng);
    d.transfer(&v, &acct_ref, loss.to_string(), currency, occurred + HOUR);
    d.loss = Some((loss, currency));
    let story = Story {
        lang,
        method: Some(method),
        date: narrative::date(
            occurred,
            l.country.offset_min(),
            lang,
            l.country == Cc::Us,
            &mut st.rng,
        ),
        caller: Some(caller),
        account: Some(account),
        amount: Some(narrative::amount(loss, currency, lang, &mut st.rng)),
        payments: 1,
        claimed: stories::claimed(method, lang, l.country, &mut st.rng),
        ..Story::default()
    };
    d.narrative = stories::victim(&story, &mut st.rng);
    d.mark(&mut st.rng);
    d
}

/// A legitimate call reported as a scam: only noise values.
pub(crate) fn false_alarm(st: &mut State, t: i64) -> Draft {
    let c = *pick(&mut st.rng, &[Cc::Th, Cc::Jp, Cc::In, Cc::Us]);
    let phones: Vec<usize> = (0..st.noise.len())
        .filter(|i| {
            st.noise[*i].country == c
                && st.noise[*i].canonical.is_some()
                && st.noise[*i].kind == warroom_domain::IdentifierKind::Phone
        })
        .collect();
    let (agency, lang, home) = victim_agency(c, st);
    let mut d = Draft::new(agency, "victim_complaint", t);
    d.language = lang;
    d.noise_only = true;
    let occurred = t - st.span(HOUR, 3 * DAY);
    d.occurred = Some(occurred);
    d.victim_country = Some(home);
    let mut story = Story {
        lang,
        date: narrative::date(occurred, c.offset_min(), lang, c == Cc::Us, &mut st.rng),
        ..Story::default()
    };
    if !phones.is_empty() {
        let n = st.noise[*pick(&mut st.rng, &phones)].clone();
        story.caller = Some(d.noise(&n, &mut st.rng));
    }
    d.narrative = stories::victim(&story, &mut st.rng);
    d.mark(&mut st.rng);
    d
}
