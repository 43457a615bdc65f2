//! Money trails: a bank or financial-intelligence unit traces a victim's payment from the
//! first-layer mule through further mule layers to a crypto off-ramp, with amounts shrinking by
//! the mules' cuts and times minutes to days apart (`transferred_to` with `amount` and `at`).

use crate::agencies::A;
use crate::clock::{HOUR, MINUTE};
use crate::country::Cc;
use crate::draft::Draft;
use crate::infra::{Item, Loc, Role};
use crate::narrative::{self, clock_time};
use crate::officer::{self, Hop};
use crate::rng::{between, chance};
use crate::state::{State, TraceJob};

/// Units of the currency per US dollar (fixed for the world).
fn per_usd(currency: &str) -> u64 {
    match currency {
        "THB" => 36,
        "JPY" => 150,
        "INR" => 84,
        _ => 1,
    }
}

/// The agency that traces payments in `c`, and its language.
fn tracer(c: Cc, st: &mut State) -> (A, &'static str) {
    let rng = &mut st.rng;
    match c {
        Cc::Th => {
            let a = if chance(rng, 0.5) {
                A::ThBank
            } else {
                A::ThAmlo
            };
            (a, if chance(rng, 0.6) { "th" } else { "en" })
        }
        Cc::Jp => (A::JpBank, "ja"),
        Cc::In => (A::InBank, "en"),
        _ => (
            if chance(rng, 0.6) {
                A::UsBank
            } else {
                A::UsUsss
            },
            "en",
        ),
    }
}

pub(crate) fn trace(st: &mut State, job: TraceJob, t: i64) -> Draft {
    let s = job.syndicate;
    let c = job.country;
    let (agency, lang) = tracer(c, st);
    let mut d = Draft::new(agency, "financial_trace", t);
    d.language = lang;
    d.syndicate = Some(s);
    d.occurred = Some(job.at);
    d.victim_country = Some(c);
    d.methods = vec![job.method];
    let currency = c.currency();

    // The layers: 1-2 second-layer mules, often a third layer, then a wallet.
    let mut layers: Vec<Vec<(Item, Loc)>> = vec![vec![job.mule.clone()]];
    let n2 = between(&mut st.rng, 1, 2);
    let mut l2 = Vec::new();
    for _ in 0..n2 {
        let p = st.pick(s, Role::MuleL2, c, None);
        if !l2.iter().any(|(i, _): &(Item, Loc)| i.uid == p.0.uid) {
            l2.push(p);
        }
    }
    layers.push(l2);
    if chance(&mut st.rng, 0.7) {
        layers.push(vec![st.pick(s, Role::MuleL3, c, None)]);
    }
    let wallet = chance(&mut st.rng, 0.8).then(|| st.pick(s, Role::Wallet, c, None));
    let mut wallet = wallet;
    let mut extra: Option<(Item, Loc)> = None;
    let carried: Vec<&(Item, Loc)> = layers.iter().flatten().chain(wallet.iter()).collect();
    if !st.has_anchor(s, &carried)
        && let Some((item, loc)) = st.anchor_item(
            s,
            &[Role::MuleL2, Role::Wallet, Role::MuleL3, Role::MuleL1],
            c,
            false,
        )
        && !carried.iter().any(|(i, _)| i.uid == item.uid)
    {
        // Put the known account or wallet into its place in the chain, or list it beside it.
        match item.role {
            Role::MuleL2 => layers[1][0] = (item, loc),
            Role::MuleL3 if layers.len() > 2 => layers[2][0] = (item, loc),
            Role::MuleL3 => layers.push(vec![(item, loc)]),
            Role::Wallet => wallet = Some((item, loc)),
            _ => extra = Some((item, loc)),
        }
    }

    // The victim and their account, as the bank knows them.
    let victim_ref = job.victim.as_ref().map(|v| d.person(v, true, &mut st.rng));
    let victim_acct = job
        .victim_account
        .as_ref()
        .map(|a| d.item(a, None, &mut st.rng));
    if let (Some(v), Some((a, _))) = (&victim_ref, &victim_acct) {
        d.rel(v, a, "owns");
    }
    // The victim's registered mobile, as the bank has it.
    if let (Some(v), Some(phone)) = (&victim_ref, &job.victim_phone)
        && chance(&mut st.rng, 0.4)
    {
        let (r, _) = d.item(phone, None, &mut st.rng);
        d.rel(v, &r, "owns");
    }
    let victim_name = job
        .victim
        .as_ref()
        .map(|v| v.passport_name())
        .unwrap_or_else(|| {
            match lang {
                "th" => "ผู้เสียหาย (ไม่ระบุชื่อ)",
                "ja" => "氏名不詳",
                _ => "an unnamed complainant",
            }
            .into()
        });

    let mut hops: Vec<Hop> = Vec::new();
    let mut prev: Vec<(String, String)> = match (&victim_acct, &victim_ref) {
        (Some((r, w)), _) => vec![(r.clone(), w.clone())],
        (None, Some(r)) => vec![(r.clone(), victim_name.clone())],
        _ => vec![],
    };
    let mut amount = job.amount;
    let mut at = job.at;
    for (li, layer) in layers.iter().enumerate() {
        let mut here = Vec::new();
        for (item, loc) in layer {
            let (r, w) = d.item(item, Some(*loc), &mut st.rng);
            if let Some(h) = &item.holder
                && chance(&mut st.rng, 0.7)
            {
                let p = d.person(h, true, &mut st.rng);
                d.rel(&p, &r, "owns");
            }
            here.push((r, w));
        }
        if li > 0 {
            at += st.span(10 * MINUTE, if li == 1 { 90 * MINUTE } else { 6 * HOUR });
            amount = amount * between(&mut st.rng, 95, 99) / 100;
        }
        let share = (amount / here.len().max(1) as u64).max(1);
        for (from_r, from_w) in &prev {
            for (to_r, to_w) in &here {
                d.transfer(from_r, to_r, share.to_string(), currency, at);
                hops.push(Hop {
                    from: from_w.clone(),
                    to: to_w.clone(),
                    amount: narrative::amount(share, currency, lang, &mut st.rng),
                    time: clock_time(at, agency.country().offset_min()),
                });
            }
        }
        prev = here;
    }
    if let Some((item, loc)) = &wallet {
        let (r, w) = d.item(item, Some(*loc), &mut st.rng);
        at += st.span(6 * HOUR, 48 * HOUR);
        let usd = amount * 100 / per_usd(currency) * between(&mut st.rng, 96, 99) / 100;
        let usd_text = format!("{}.{:02}", usd / 100, usd % 100);
        for (from_r, from_w) in &prev {
            d.transfer(from_r, &r, usd_text.clone(), "USD", at);
            hops.push(Hop {
                from: from_w.clone(),
                to: w.clone(),
                amount: format!("USDT {usd_text}"),
                time: clock_time(at, agency.country().offset_min()),
            });
        }
    }
    if let Some((item, loc)) = extra {
        // An identifier the bank links to the chain (the mule's registered mobile, a wallet
        // seen in an earlier case).
        d.item(&item, Some(loc), &mut st.rng);
    }
    d.narrative = officer::trace(lang, &victim_name, &hops, &mut st.rng);
    d.mark(&mut st.rng);
    d
}
