//! Trafficking: recruitment through fake job offers, the journey (fly into Bangkok, road to the
//! border town, across the river to the compound), the travel records Thai immigration keeps
//! on the way, the referral when the victim's home country gets them back, and ordinary
//! travellers on the same roads who are not trafficked.

use crate::agencies::A;
use crate::alloc::Theme;
use crate::clock::{DAY, HOUR};
use crate::country::Cc;
use crate::draft::Draft;
use crate::infra::{Item, Loc, Role};
use crate::narrative;
use crate::officer;
use crate::people::PersonRole;
use crate::places::Place;
use crate::rng::{between, chance, index, pick, weighted};
use crate::state::{Event, Journey, Leg, State};
use crate::syndicates::SYNDICATES;
use crate::truth::TravelTruth;
use std::sync::Arc;

/// A syndicate recruits someone; the legs of the journey are scheduled.
pub(crate) fn recruit(st: &mut State, t: i64) {
    let w: Vec<(usize, u32)> = SYNDICATES
        .iter()
        .enumerate()
        .map(|(i, d)| (i, d.weight))
        .collect();
    let s = *weighted(&mut st.rng, &w);
    let def = &SYNDICATES[s];
    let nat = *weighted(&mut st.rng, def.recruits);
    let recruit = st.person(PersonRole::Recruit, Some(s), nat);
    let recruiter = st.pick(s, Role::RecruiterMessaging, nat, Some(Theme::Job));
    let recruiter_phone =
        chance(&mut st.rng, 0.6).then(|| st.pick(s, Role::RecruiterPhone, nat, None));
    let job_link = chance(&mut st.rng, 0.5).then(|| st.pick(s, Role::JobSite, nat, None));
    let airport = if def.compound == Place::GoldenTriangleSez && chance(&mut st.rng, 0.4) {
        Place::ChiangRaiAirport
    } else if chance(&mut st.rng, 0.6) {
        Place::Bkk
    } else {
        Place::Dmk
    };
    let home = *pick(&mut st.rng, Place::home_cities(nat));
    let arrival_at = t + st.span(3 * DAY, 25 * DAY);
    let j = Journey {
        syndicate: s,
        recruit,
        recruited_at: t,
        arrival_at,
        airport,
        home,
        recruiter,
        recruiter_phone,
        job_link,
    };
    let held = &mut st.held[s];
    held.push(j.recruit.clone());
    if held.len() > 24 {
        held.remove(0);
    }
    // One journey, shared by its legs.
    let shared = Arc::new(j);
    if nat != Cc::Th {
        st.schedule(
            arrival_at,
            Event::Journey(Arc::clone(&shared), Leg::Arrival),
        );
    }
    if chance(&mut st.rng, if nat == Cc::Th { 0.8 } else { 0.5 }) {
        let at = arrival_at + st.span(DAY, 3 * DAY);
        st.schedule(at, Event::Journey(Arc::clone(&shared), Leg::Checkpoint));
    }
    if chance(&mut st.rng, 0.25) {
        let at = t + st.span(60 * DAY, 200 * DAY);
        st.schedule(at, Event::Journey(Arc::clone(&shared), Leg::Return));
    }
    if matches!(nat, Cc::In | Cc::Jp | Cc::Us | Cc::Th) && chance(&mut st.rng, 0.75) {
        let at = t + st.span(30 * DAY, 150 * DAY);
        st.schedule(at, Event::Journey(shared, Leg::Referral));
    }
}

/// A recruiter's identifier for a travel record, only one the syndicate has used before.
fn contact(st: &mut State, j: &Journey) -> Option<(Item, Loc)> {
    let s = j.syndicate;
    let own = j
        .recruiter_phone
        .iter()
        .chain(std::iter::once(&j.recruiter))
        .find(|(_, loc)| st.is_used(*loc, s))
        .cloned();
    own.or_else(|| {
        st.anchor_item(
            s,
            &[Role::RecruiterPhone, Role::RecruiterMessaging],
            j.recruit.nat,
            true,
        )
    })
}

/// A leg recorded by Thai immigration.
pub(crate) fn travel_leg(st: &mut State, j: &Journey, leg: Leg, t: i64) -> Draft {
    let s = j.syndicate;
    let def = &SYNDICATES[s];
    let (town, crossing) = Place::route_to(def.compound);
    let mut d = Draft::new(A::ThImmigration, "travel_record", t);
    d.language = if chance(&mut st.rng, 0.6) { "en" } else { "th" };
    let p = d.person(&j.recruit, true, &mut st.rng);
    let (when, leg_name, target, via, place_name, purpose): (
        i64,
        &str,
        Place,
        Vec<Place>,
        Place,
        &str,
    ) = match leg {
        Leg::Arrival => (
            j.arrival_at,
            "arrival",
            j.airport,
            vec![j.home],
            j.airport,
            "employment",
        ),
        Leg::Checkpoint => (
            (j.arrival_at + st.span(DAY, 3 * DAY)).min(t),
            "checkpoint",
            town,
            if town == Place::MaeSot && chance(&mut st.rng, 0.4) {
                // The domestic flight from Don Mueang to Mae Sot.
                vec![Place::Dmk, Place::MaeSotAirport]
            } else if j.recruit.nat == Cc::Th {
                vec![Place::Bangkok]
            } else {
                vec![j.airport]
            },
            town,
            "visit",
        ),
        _ => (
            t - st.span(DAY, 5 * DAY),
            "return",
            Place::Bangkok,
            vec![def.compound, crossing, town],
            crossing,
            "repatriation",
        ),
    };
    d.occurred = Some(when);
    let target_ref = d.place(target);
    let via_refs: Vec<String> = via.iter().map(|v| d.place(*v)).collect();
    d.travelled(&p, &target_ref, via_refs, when);
    if leg != Leg::Return
        && chance(&mut st.rng, 0.55)
        && let Some((item, loc)) = contact(st, j)
    {
        // The contact in Thailand on the arrival card: the recruiter's.
        let (r, _) = d.item(&item, Some(loc), &mut st.rng);
        d.rel(&p, &r, "uses");
        d.syndicate = Some(s);
    }
    let flight = if leg == Leg::Arrival {
        narrative::flight(&mut st.rng)
    } else {
        String::new()
    };
    let lang = d.language;
    d.narrative = officer::travel(
        lang,
        &j.recruit.passport_name(),
        if lang == "th" {
            j.recruit.nat.code()
        } else {
            j.recruit.nat.demonym()
        },
        place_name.name_in(lang),
        &flight,
        purpose,
        &mut st.rng,
    );
    d.travel = Some(TravelTruth {
        person: j.recruit.truth_id(),
        trafficking: true,
        syndicate: Some(def.slug),
        leg: leg_name,
    });
    d.mark(&mut st.rng);
    d
}

/// The home country's referral once the recruit is back.
pub(crate) fn referral(st: &mut State, j: &Journey, t: i64) -> Draft {
    let s = j.syndicate;
    let def = &SYNDICATES[s];
    let nat = j.recruit.nat;
    let (agency, lang) = match nat {
        Cc::In => (A::InI4c, if chance(&mut st.rng, 0.5) { "hi" } else { "en" }),
        Cc::Jp => (A::JpNpa, "ja"),
        Cc::Us => (A::UsHsi, "en"),
        _ => (
            if chance(&mut st.rng, 0.5) {
                A::ThAoc
            } else {
                A::ThCcib
            },
            "th",
        ),
    };
    let mut d = Draft::new(agency, "trafficking_referral", t);
    d.language = lang;
    d.syndicate = Some(s);
    d.occurred = Some(j.recruited_at);
    d.methods = vec!["fake_job_task"];
    d.victim_country = Some(nat);
    let mut picks: Vec<(Item, Loc)> = vec![j.recruiter.clone()];
    picks.extend(j.recruiter_phone.clone());
    picks.extend(j.job_link.clone());
    // What the recruit saw inside: numbers and accounts the compound made them use.
    for _ in 0..between(&mut st.rng, 0, 2) {
        let c = def.targets[index(&mut st.rng, def.targets.len())].0;
        let role = *pick(
            &mut st.rng,
            &[Role::CallingPhone, Role::Messaging, Role::Wallet],
        );
        let p = st.pick(s, role, c, None);
        if !picks.iter().any(|(i, _)| i.uid == p.0.uid) {
            picks.push(p);
        }
    }
    st.anchor(
        s,
        &mut picks,
        &[
            Role::RecruiterMessaging,
            Role::RecruiterPhone,
            Role::JobSite,
        ],
        nat,
        false,
    );
    let p = d.person(&j.recruit, false, &mut st.rng);
    let front = d.org(def.front, &[], "front_company", &[Cc::Th]);
    d.rel(&front, &p, "recruited");
    let compound = d.place(def.compound);
    let (town, crossing) = Place::route_to(def.compound);
    let mut via = vec![d.place(j.home)];
    if nat != Cc::Th {
        via.push(d.place(j.airport));
    }
    via.push(d.place(town));
    via.push(d.place(crossing));
    d.travelled(&p, &compound, via, j.arrival_at);
    let mut handle = String::new();
    for (item, loc) in &picks {
        let (r, w) = d.item(item, Some(*loc), &mut st.rng);
        match item.role {
            Role::RecruiterMessaging | Role::RecruiterPhone | Role::JobSite => {
                d.rel_at(&r, &p, "contacted", j.recruited_at);
                d.rel(&front, &r, "uses");
                if handle.is_empty() {
                    handle = w;
                }
            }
            _ => d.rel(&compound, &r, "uses"),
        }
    }
    if handle.is_empty() {
        handle = def.front.to_owned();
    }
    let target = def.targets[0].0.people_in(lang);
    d.narrative = officer::referral(
        lang,
        &j.recruit.passport_name(),
        &handle,
        j.airport.name_in(lang),
        town.name_in(lang),
        def.compound.name_in(lang),
        def.front,
        target,
        &mut st.rng,
    );
    d.mark(&mut st.rng);
    d
}

/// An ordinary traveller: a tourist, or a trader crossing at Mae Sot. Not trafficking.
pub(crate) fn ordinary(st: &mut State, t: i64) -> Draft {
    let trader = chance(&mut st.rng, 0.3);
    let person = if trader && st.frequent.len() >= 12 {
        st.frequent[index(&mut st.rng, st.frequent.len())].clone()
    } else {
        let nat = *weighted(
            &mut st.rng,
            &[
                (Cc::Jp, 20),
                (Cc::In, 20),
                (Cc::Us, 15),
                (Cc::Cn, 15),
                (Cc::Mm, 10),
                (Cc::Ph, 10),
                (Cc::Th, 10),
            ],
        );
        let p = st.person(PersonRole::Traveller, None, nat);
        if trader {
            st.frequent.push(p.clone());
        }
        p
    };
    let mut d = Draft::new(A::ThImmigration, "travel_record", t);
    d.language = if chance(&mut st.rng, 0.6) { "en" } else { "th" };
    let when = t - st.span(HOUR, 2 * DAY);
    d.occurred = Some(when);
    let p = d.person(&person, true, &mut st.rng);
    let (target, via, place, purpose) = if trader {
        if chance(&mut st.rng, 0.7) {
            (
                Place::Myawaddy,
                vec![Place::MaeSot, Place::FriendshipBridge],
                Place::FriendshipBridge,
                "border trade",
            )
        } else {
            // Poipet's markets and casinos draw day-trippers: the same road as the recruits.
            (
                Place::Poipet,
                vec![Place::Aranyaprathet, Place::KhlongLuekCrossing],
                Place::KhlongLuekCrossing,
                "border trade",
            )
        }
    } else {
        let airport = *pick(
            &mut st.rng,
            &[Place::Bkk, Place::Bkk, Place::Dmk, Place::ChiangRaiAirport],
        );
        let dest = *pick(
            &mut st.rng,
            &[
                Place::Bangkok,
                Place::ChiangMai,
                Place::Phuket,
                Place::Pattaya,
                Place::MaeSot,
            ],
        );
        let home = *pick(&mut st.rng, Place::home_cities(person.nat));
        (dest, vec![home, airport], airport, "tourism")
    };
    let target_ref = d.place(target);
    let via_refs: Vec<String> = via.iter().map(|v| d.place(*v)).collect();
    d.travelled(&p, &target_ref, via_refs, when);
    let flight = if trader {
        String::new()
    } else {
        narrative::flight(&mut st.rng)
    };
    let lang = d.language;
    d.narrative = officer::travel(
        lang,
        &person.passport_name(),
        if lang == "th" {
            person.nat.code()
        } else {
            person.nat.demonym()
        },
        place.name_in(lang),
        &flight,
        purpose,
        &mut st.rng,
    );
    d.travel = Some(TravelTruth {
        person: person.truth_id(),
        trafficking: false,
        syndicate: None,
        leg: if trader { "checkpoint" } else { "arrival" },
    });
    d.mark(&mut st.rng);
    d
}
