//! What police, telcos and immigration learn about the syndicates: intelligence notes naming
//! suspects (under each agency's spelling of their names) with the identifiers they use,
//! SIM-box findings, arrests of mules and collectors, raids on compounds, and public advisories.

use crate::agencies::A;
use crate::clock::{DAY, HOUR};
use crate::country::Cc;
use crate::draft::Draft;
use crate::infra::{Item, Loc, Role};
use crate::officer;
use crate::places::Place;
use crate::rng::{between, chance, index, pick, weighted};
use crate::state::State;
use crate::syndicates::{Method, SYNDICATES};
use warroom_domain::ScamMethod;

fn syndicate(st: &mut State) -> usize {
    let w: Vec<(usize, u32)> = SYNDICATES
        .iter()
        .enumerate()
        .map(|(i, d)| (i, d.weight))
        .collect();
    *weighted(&mut st.rng, &w)
}

/// A desk (target country) of syndicate `s`, preferring the agency's own country.
fn desk(s: usize, agency: A, st: &mut State) -> (Cc, Method) {
    let def = &SYNDICATES[s];
    let t = def
        .targets
        .iter()
        .find(|t| t.0 == agency.country())
        .unwrap_or_else(|| &def.targets[index(&mut st.rng, def.targets.len())]);
    (t.0, *weighted(&mut st.rng, t.2))
}

/// Suspects of syndicate `s`, written by this agency.
fn suspects(st: &mut State, d: &mut Draft, s: usize, n: usize) -> Vec<String> {
    let mut refs = Vec::new();
    let mut chosen: Vec<usize> = Vec::new();
    for _ in 0..n {
        let i = index(&mut st.rng, st.rosters[s].len());
        if !chosen.contains(&i) {
            chosen.push(i);
        }
    }
    for i in chosen {
        let p = st.rosters[s][i].clone();
        refs.push(d.person(&p, false, &mut st.rng));
    }
    refs
}

/// The syndicate as an organisation entity, named one way or another.
fn syndicate_org(st: &mut State, d: &mut Draft, s: usize) -> (String, &'static str) {
    let def = &SYNDICATES[s];
    let name = if chance(&mut st.rng, 0.6) {
        def.name
    } else {
        *pick(&mut st.rng, def.aliases)
    };
    let aliases: Vec<&str> = if chance(&mut st.rng, 0.5) {
        def.aliases.to_vec()
    } else {
        vec![]
    };
    let r = d.org(name, &aliases, "syndicate", &[def.compound.info().country]);
    (r, name)
}

pub(crate) fn intelligence(st: &mut State, t: i64) -> Draft {
    let s = syndicate(st);
    let agency = *weighted(
        &mut st.rng,
        &[
            (A::ThCcib, 25),
            (A::ThAoc, 20),
            (A::JpNpa, 12),
            (A::InI4c, 12),
            (A::UsFbi, 12),
            (A::UsUsss, 8),
            (A::UsHsi, 6),
            (A::ThTourist, 5),
        ],
    );
    let (c, method) = desk(s, agency, st);
    let mut d = Draft::new(agency, "intelligence", t);
    d.language = if agency.country() == Cc::In || chance(&mut st.rng, 0.3) {
        "en"
    } else {
        agency.country().language()
    };
    d.syndicate = Some(s);
    d.occurred = Some(t - st.span(DAY, 20 * DAY));
    d.methods = vec![method.slug()];
    d.victim_country = Some(c);
    let theme = Some(method.theme());
    let roles: &[(Role, u32)] = &[
        (Role::CallingPhone, 30),
        (Role::Messaging, 20),
        (Role::MuleL1, 15),
        (Role::MuleL2, 8),
        (Role::Wallet, 10),
        (Role::PhishingDomain, 7),
        (Role::Device, 6),
        (Role::Email, 4),
    ];
    let mut picks: Vec<(Item, Loc)> = Vec::new();
    for _ in 0..between(&mut st.rng, 4, 12) {
        let role = *weighted(&mut st.rng, roles);
        let p = st.pick(s, role, c, theme);
        if !picks.iter().any(|(i, _)| i.uid == p.0.uid) {
            picks.push(p);
        }
    }
    st.anchor(s, &mut picks, &[], c, false);
    let (org, name) = syndicate_org(st, &mut d, s);
    let compound = SYNDICATES[s].compound;
    let place = d.place(compound);
    d.rel(&org, &place, "located_at");
    let n = between(&mut st.rng, 1, 3) as usize;
    let people = suspects(st, &mut d, s, n);
    for p in &people {
        d.rel(p, &org, "member_of");
    }
    for (item, loc) in &picks {
        let (r, _) = d.item(item, Some(*loc), &mut st.rng);
        if let Some(p) = people.first().filter(|_| chance(&mut st.rng, 0.5)) {
            let kind = if matches!(item.role, Role::Wallet | Role::MuleL1 | Role::MuleL2) {
                "controls"
            } else {
                "uses"
            };
            d.rel(p, &r, kind);
        } else {
            d.rel(&org, &r, "uses");
        }
    }
    let lang = d.language;
    d.narrative = officer::intel(
        lang,
        name,
        compound.name_in(lang),
        c.people_in(lang),
        &mut st.rng,
    );
    d.mark(&mut st.rng);
    d
}

/// A telco's SIM-box finding: devices and the numbers cycled through them.
pub(crate) fn telco(st: &mut State, t: i64) -> Draft {
    let with_th: Vec<(usize, u32)> = SYNDICATES
        .iter()
        .enumerate()
        .filter(|(_, d)| d.targets.iter().any(|t| t.0 == Cc::Th))
        .map(|(i, d)| (i, d.weight))
        .collect();
    let s = *weighted(&mut st.rng, &with_th);
    let mut d = Draft::new(A::ThTelco, "intelligence", t);
    d.language = if chance(&mut st.rng, 0.5) { "th" } else { "en" };
    d.syndicate = Some(s);
    d.occurred = Some(t - st.span(DAY, 10 * DAY));
    let mut picks: Vec<(Item, Loc)> = Vec::new();
    for _ in 0..between(&mut st.rng, 1, 2) {
        let p = st.pick(s, Role::Device, Cc::Th, None);
        if !picks.iter().any(|(i, _)| i.uid == p.0.uid) {
            picks.push(p);
        }
    }
    for _ in 0..between(&mut st.rng, 4, 10) {
        let p = st.pick(s, Role::CallingPhone, Cc::Th, None);
        if !picks.iter().any(|(i, _)| i.uid == p.0.uid) {
            picks.push(p);
        }
    }
    st.anchor(
        s,
        &mut picks,
        &[Role::CallingPhone, Role::Device],
        Cc::Th,
        false,
    );
    let place = match SYNDICATES[s].compound {
        Place::Poipet => Place::Aranyaprathet,
        Place::GoldenTriangleSez => Place::ChiangSaen,
        _ => Place::MaeSot,
    };
    let l = d.place(place);
    let mut devices = Vec::new();
    let mut sims = 0;
    for (item, loc) in &picks {
        let (r, _) = d.item(item, Some(*loc), &mut st.rng);
        if item.role == Role::Device {
            d.rel(&r, &l, "located_at");
            devices.push(r);
        } else {
            sims += 1;
            if let Some(dev) = devices.first() {
                d.rel(dev, &r, "uses");
            }
        }
    }
    let lang = d.language;
    d.narrative = officer::telco(lang, place.name_in(lang), sims, &mut st.rng);
    d.mark(&mut st.rng);
    d
}

/// An arrest of a mule account holder or a money collector in a target country.
pub(crate) fn arrest(st: &mut State, t: i64) -> Draft {
    let s = syndicate(st);
    let def = &SYNDICATES[s];
    let c = def.targets[index(&mut st.rng, def.targets.len())].0;
    let agency = match c {
        Cc::Th => *pick(&mut st.rng, &[A::ThCcib, A::ThAoc]),
        Cc::Jp => A::JpNpa,
        Cc::In => A::InI4c,
        _ => *pick(&mut st.rng, &[A::UsFbi, A::UsUsss]),
    };
    let mut d = Draft::new(agency, "arrest", t);
    d.syndicate = Some(s);
    d.occurred = Some(t - st.span(HOUR, 3 * DAY));
    d.victim_country = Some(c);
    let account = st.pick(s, Role::MuleL1, c, None);
    let mut picks = vec![account.clone()];
    for _ in 0..between(&mut st.rng, 1, 3) {
        let role = *pick(
            &mut st.rng,
            &[Role::CallingPhone, Role::Device, Role::MuleL1],
        );
        let p = st.pick(s, role, c, None);
        if !picks.iter().any(|(i, _)| i.uid == p.0.uid) {
            picks.push(p);
        }
    }
    st.anchor(s, &mut picks, &[Role::MuleL1, Role::CallingPhone], c, false);
    let holder = account.0.holder.as_deref().cloned();
    let person = holder.as_ref().map(|h| d.person(h, false, &mut st.rng));
    let city = *pick(&mut st.rng, Place::home_cities(c));
    let city = if c == Cc::Th {
        *pick(
            &mut st.rng,
            &[
                Place::Bangkok,
                Place::ChiangMai,
                Place::Pattaya,
                Place::MaeSot,
            ],
        )
    } else {
        city
    };
    let l = d.place(city);
    if let Some(p) = &person {
        d.rel(p, &l, "located_at");
    }
    for (item, loc) in &picks {
        let (r, _) = d.item(item, Some(*loc), &mut st.rng);
        if let Some(p) = &person {
            d.rel(
                p,
                &r,
                if item.role == Role::MuleL1 {
                    "owns"
                } else {
                    "uses"
                },
            );
        }
    }
    let name = holder
        .map(|h| h.passport_name())
        .unwrap_or_else(|| "the suspect".into());
    let lang = d.language;
    d.narrative = officer::arrest(lang, &name, city.name_in(lang), def.name, &mut st.rng);
    d.mark(&mut st.rng);
    d
}

/// A raid on a compound: suspects detained, recruits rescued, devices seized.
pub(crate) fn raid(st: &mut State, t: i64) -> Draft {
    let s = syndicate(st);
    let agency = *pick(&mut st.rng, &[A::ThCcib, A::ThTourist, A::ThImmigration]);
    let kind = if chance(&mut st.rng, 0.5) {
        "raid"
    } else {
        "seizure"
    };
    let mut d = Draft::new(agency, kind, t);
    d.language = if chance(&mut st.rng, 0.5) { "th" } else { "en" };
    d.syndicate = Some(s);
    d.occurred = Some(t - st.span(HOUR, 2 * DAY));
    let mut picks: Vec<(Item, Loc)> = Vec::new();
    for _ in 0..between(&mut st.rng, 3, 8) {
        let role = *pick(
            &mut st.rng,
            &[Role::Device, Role::Device, Role::CallingPhone, Role::Wallet],
        );
        let c = SYNDICATES[s].targets[0].0;
        let p = st.pick(s, role, c, None);
        if !picks.iter().any(|(i, _)| i.uid == p.0.uid) {
            picks.push(p);
        }
    }
    st.anchor(
        s,
        &mut picks,
        &[Role::Device, Role::CallingPhone, Role::Wallet],
        Cc::Th,
        false,
    );
    let compound = SYNDICATES[s].compound;
    let l = d.place(compound);
    let (org, name) = syndicate_org(st, &mut d, s);
    d.rel(&org, &l, "located_at");
    let n = between(&mut st.rng, 2, 5) as usize;
    let detained = suspects(st, &mut d, s, n);
    for p in &detained {
        d.rel(p, &org, "member_of");
    }
    let mut rescued = 0;
    for _ in 0..between(&mut st.rng, 0, 3) {
        if st.held[s].is_empty() {
            break;
        }
        let i = index(&mut st.rng, st.held[s].len());
        let r = st.held[s].swap_remove(i);
        let p = d.person(&r, false, &mut st.rng);
        d.rel(&p, &l, "located_at");
        rescued += 1;
    }
    for (item, loc) in &picks {
        let (r, _) = d.item(item, Some(*loc), &mut st.rng);
        d.rel(&org, &r, "uses");
    }
    let lang = d.language;
    d.narrative = officer::raid(
        lang,
        compound.name_in(lang),
        name,
        detained.len(),
        rescued,
        &mut st.rng,
    );
    d.mark(&mut st.rng);
    d
}

/// A public advisory about a method, in the agency's language, with the hotline.
pub(crate) fn advisory(st: &mut State, t: i64) -> Draft {
    let (agency, method, hotline) = *pick(
        &mut st.rng,
        &[
            (A::ThAoc, Method::Official, "1441"),
            (A::ThAoc, Method::Loan, "1441"),
            (A::ThAoc, Method::FakeJob, "1441"),
            (A::JpNpa, Method::Family, "#9110"),
            (A::JpNpa, Method::PhishingSms, "#9110"),
            (A::InI4c, Method::DigitalArrest, "1930"),
            (A::InI4c, Method::Parcel, "1930"),
            (A::UsFbi, Method::Tech, "ic3.gov"),
            (A::UsFbi, Method::Invest, "ic3.gov"),
        ],
    );
    let mut d = Draft::new(agency, "advisory", t);
    d.methods = vec![method.slug()];
    let lang = agency.country().language();
    let text = ScamMethod::parse(method.slug()).and_then(|m| m.text(lang));
    d.narrative = match text {
        Some(x) => format!("{}\n{}\n{hotline}", x.name, x.advice),
        None => hotline.to_owned(),
    };
    d.mark(&mut st.rng);
    d
}
