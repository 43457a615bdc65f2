//! The report stream: one report per slot, in submission (`reported_at`) order. A slot either
//! carries a follow-up that has fallen due (a bank trace, a leg of a journey) or a fresh
//! report drawn from the mix. Slots are spread evenly over the world's period, so the stream's
//! times only grow, and the memory held is the state's pools and pending events.

use crate::Config;
use crate::agencies::{A, World};
use crate::clock::{DAY, DAYS, EPOCH};
use crate::draft::Draft;
use crate::ids;
use crate::infra::Item;
use crate::intel;
use crate::money;
use crate::rng::{between, chance, weighted};
use crate::state::{Event, Leg, State};
use crate::syndicates::SYNDICATES;
use crate::trafficking;
use crate::truth::{IdentifierTruth, PersonRecord, ReportTruth, StepTruth};
use crate::victim;
use uuid::Uuid;
use warroom_wire::ReportIn;

/// One generated report: the submitting agency, the report, and its ground truth.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The agency's id (`world.json`), whose user submits the report.
    pub agency: Uuid,
    /// The agency's slug.
    pub agency_slug: &'static str,
    pub report: ReportIn,
    pub truth: StepTruth,
}

/// The generator: an iterator of [`Generated`] reports in submission order.
#[derive(Debug)]
pub struct Steps {
    st: State,
    ns: Uuid,
    n: u64,
    total: u64,
}

#[derive(Clone, Copy)]
enum Fresh {
    Complaint,
    Lone,
    FalseAlarm,
    Intelligence,
    Telco,
    Arrest,
    Raid,
    Travel,
    Advisory,
}

const MIX: &[(Fresh, u32)] = &[
    (Fresh::Complaint, 660),
    (Fresh::Lone, 30),
    (Fresh::FalseAlarm, 30),
    (Fresh::Intelligence, 60),
    (Fresh::Telco, 12),
    (Fresh::Arrest, 20),
    (Fresh::Raid, 10),
    (Fresh::Travel, 35),
    (Fresh::Advisory, 4),
];

impl Steps {
    pub fn new(config: &Config) -> Self {
        Self {
            st: State::new(config.seed, config.scale),
            ns: ids::world_namespace(config.seed),
            n: 0,
            total: config.scale,
        }
    }

    pub fn world(&self) -> &World {
        &self.st.world
    }

    /// The time of slot `n`: evenly spread over the period, jittered within its share.
    fn slot_time(&mut self, n: u64) -> i64 {
        let span = (DAYS * DAY) as u128;
        let total = u128::from(self.total.max(1));
        let start = (u128::from(n) * span / total) as i64;
        let width = ((span / total) as u64).max(1);
        EPOCH + start + between(&mut self.st.rng, 0, width - 1) as i64
    }

    fn produce(&mut self, t: i64) -> Draft {
        let st = &mut self.st;
        let due = st
            .schedule
            .first_key_value()
            .is_some_and(|((at, _), _)| *at <= t);
        if due && let Some((_, event)) = st.schedule.pop_first() {
            return match event {
                Event::Trace(job) => money::trace(st, *job, t),
                Event::Journey(j, Leg::Referral) => trafficking::referral(st, &j, t),
                Event::Journey(j, leg) => trafficking::travel_leg(st, &j, leg, t),
            };
        }
        if chance(&mut st.rng, 0.04) {
            trafficking::recruit(st, t);
        }
        match *weighted(&mut st.rng, MIX) {
            Fresh::Complaint => victim::complaint(st, t),
            Fresh::Lone => victim::lone(st, t),
            Fresh::FalseAlarm => victim::false_alarm(st, t),
            Fresh::Intelligence => intel::intelligence(st, t),
            Fresh::Telco => intel::telco(st, t),
            Fresh::Arrest => intel::arrest(st, t),
            Fresh::Raid => intel::raid(st, t),
            Fresh::Travel => trafficking::ordinary(st, t),
            Fresh::Advisory => intel::advisory(st, t),
        }
    }

    fn item_truth(item: &Item, syndicate: Option<usize>) -> IdentifierTruth {
        IdentifierTruth {
            kind: item.kind.as_str(),
            canonical: item.canonical.clone(),
            role: item.role,
            syndicates: (0..SYNDICATES.len())
                .filter(|s| item.owners & (1 << s) != 0)
                .map(|s| SYNDICATES[s].slug)
                .collect(),
            implied: item.implied.clone(),
            holder: item.holder.as_ref().map(|h| h.truth_id()),
            victim_of: matches!(
                item.role,
                crate::infra::Role::VictimAccount | crate::infra::Role::VictimContact
            )
            .then(|| syndicate.map(|s| SYNDICATES[s].slug))
            .flatten(),
        }
    }

    fn finish(&mut self, mut d: Draft) -> Generated {
        let id = ids::report_id(&self.ns, self.n);
        let slug = |s: Option<usize>| s.and_then(|s| SYNDICATES.get(s)).map(|d| d.slug);
        let mut identifiers = Vec::new();
        let mut people = Vec::new();
        let mut touched: Vec<usize> = Vec::new();
        for (item, loc) in &d.items {
            if let (Some(s), Some(loc)) = (d.syndicate, loc) {
                self.st.infra.mark_used(*loc, s);
                touched.push(loc.pool);
            }
            if self.st.items_seen.insert(item.uid) {
                identifiers.push(Self::item_truth(item, d.syndicate));
                if let Some(h) = &item.holder
                    && self.st.people_seen.insert(h.pid)
                {
                    people.push(h.truth(slug(h.syndicate)));
                }
            }
        }
        for (_, p) in &d.persons {
            if self.st.people_seen.insert(p.pid) {
                people.push(p.truth(slug(p.syndicate)));
            }
        }
        touched.sort_unstable();
        touched.dedup();
        for p in touched {
            self.st.infra.rotate(p);
        }
        let report = d.report(&self.st.world, id);
        let agency: A = d.agency;
        let truth = ReportTruth {
            id,
            agency: agency.slug(),
            kind: d.kind,
            syndicate: slug(d.syndicate),
            method: (d.kind == "victim_complaint")
                .then(|| d.methods.first().copied())
                .flatten(),
            persons: d
                .persons
                .iter()
                .map(|(r, p)| PersonRecord {
                    reference: r.clone(),
                    person: p.truth_id(),
                })
                .collect(),
            travel: d.travel.take(),
            noise_only: d.noise_only,
            invalid: d.invalid,
            sightings: d.sightings,
        };
        Generated {
            agency: self.st.world.agency(agency).id,
            agency_slug: agency.slug(),
            report,
            truth: StepTruth {
                report: truth,
                people,
                identifiers,
            },
        }
    }
}

impl Iterator for Steps {
    type Item = Generated;

    fn next(&mut self) -> Option<Generated> {
        if self.n >= self.total {
            return None;
        }
        let t = self.slot_time(self.n);
        let d = self.produce(t);
        let g = self.finish(d);
        self.n += 1;
        Some(g)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.total - self.n) as usize;
        (left, Some(left))
    }
}
