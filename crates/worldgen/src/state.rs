//! The generator's state between reports: the world, the randomness, every pool, the people
//! who recur, the events scheduled for later (a bank's trace after a complaint, the legs of a
//! trafficking journey), and which people and identifiers the truth has already recorded.
//! Everything here is bounded by the pool sizes and the number of pending events, not by the
//! number of reports.

use crate::agencies::World;
use crate::alloc::{Alloc, Theme};
use crate::country::Cc;
use crate::infra::{Infra, Item, Loc, Maker, Role};
use crate::noise::{self, Noise};
use crate::people::{DocumentNumbers, Identity, PersonRole};
use crate::places::Place;
use crate::rng::{STREAM_NUMBERS, STREAM_REPORTS, WRng, between, chance, rng_for};
use crate::syndicates::{SHARED, SYNDICATES, mask};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A follow-up report due at a later time.
#[derive(Clone, Debug)]
pub(crate) enum Event {
    /// A bank or financial-intelligence trace of a victim's payment.
    Trace(Box<TraceJob>),
    /// A leg of a trafficking journey.
    Journey(Arc<Journey>, Leg),
}

#[derive(Clone, Debug)]
pub(crate) struct TraceJob {
    pub syndicate: usize,
    pub country: Cc,
    pub method: &'static str,
    pub victim: Option<Identity>,
    pub victim_account: Option<Item>,
    pub victim_phone: Option<Item>,
    pub mule: (Item, Loc),
    /// Major units of the victim's currency.
    pub amount: u64,
    pub at: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Leg {
    Arrival,
    Checkpoint,
    Return,
    Referral,
}

#[derive(Clone, Debug)]
pub(crate) struct Journey {
    pub syndicate: usize,
    pub recruit: Identity,
    pub recruited_at: i64,
    pub arrival_at: i64,
    pub airport: Place,
    pub home: Place,
    pub recruiter: (Item, Loc),
    pub recruiter_phone: Option<(Item, Loc)>,
    pub job_link: Option<(Item, Loc)>,
}

/// A small independent scammer: one phone, one account, a few victims.
#[derive(Clone, Debug)]
pub(crate) struct Lone {
    pub country: Cc,
    pub phone: Item,
    pub account: Item,
    pub left: u32,
}

/// A set of small integers (uids, person ids), as bits.
#[derive(Debug, Default)]
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    /// Sets bit `i`; true when it was not set.
    pub(crate) fn insert(&mut self, i: u64) -> bool {
        let (w, b) = ((i / 64) as usize, i % 64);
        if self.0.len() <= w {
            self.0.resize(w + 1, 0);
        }
        let was = self.0[w] & (1 << b) != 0;
        self.0[w] |= 1 << b;
        !was
    }
}

#[derive(Debug)]
pub(crate) struct State {
    pub world: World,
    pub rng: WRng,
    pub alloc: Alloc,
    pub docs: DocumentNumbers,
    pub next_pid: u64,
    pub infra: Infra,
    /// Suspects of each syndicate.
    pub rosters: Vec<Vec<Identity>>,
    /// Recruits of each syndicate still held in the compound (the last few).
    pub held: Vec<Vec<Identity>>,
    pub lone: Vec<Lone>,
    /// Border traders and frequent visitors who cross often.
    pub frequent: Vec<Identity>,
    pub noise: Vec<Noise>,
    pub schedule: BTreeMap<(i64, u64), Event>,
    pub seq: u64,
    pub people_seen: Bits,
    pub items_seen: Bits,
}

/// Roles whose pools are kept per theme (a police-themed LINE ID is not a loan shark's).
fn themed(role: Role) -> bool {
    matches!(
        role,
        Role::Messaging | Role::PhishingDomain | Role::PhishingUrl | Role::Email
    )
}

impl State {
    pub(crate) fn new(seed: u64, scale: u64) -> Self {
        let mut numbers = rng_for(seed, STREAM_NUMBERS);
        let alloc = Alloc::new(&mut numbers);
        let docs = DocumentNumbers::new(&mut numbers);
        let mut st = Self {
            world: World::new(seed),
            rng: rng_for(seed, STREAM_REPORTS),
            alloc,
            docs,
            next_pid: 0,
            infra: Infra::new(SYNDICATES.len()),
            rosters: Vec::new(),
            held: vec![Vec::new(); SYNDICATES.len()],
            lone: Vec::new(),
            frequent: Vec::new(),
            noise: noise::table(),
            schedule: BTreeMap::new(),
            seq: 0,
            people_seen: Bits::default(),
            items_seen: Bits::default(),
        };
        // Rosters grow a little with the world, and stay bounded.
        let size = (8 + scale / 5_000).min(48) as usize;
        for (s, def) in SYNDICATES.iter().enumerate() {
            let mut roster = vec![st.person(PersonRole::Suspect, Some(s), Cc::Cn)];
            for i in 1..size {
                let nat = match i % 6 {
                    1 => Cc::Cn,
                    2 => Cc::Mm,
                    3 => def.targets[i % def.targets.len()].0,
                    4 => def.recruits[i % def.recruits.len()].0,
                    _ => Cc::Th,
                };
                let nat = if nat == Cc::Us { Cc::Cn } else { nat };
                roster.push(st.person(PersonRole::Suspect, Some(s), nat));
            }
            st.rosters.push(roster);
        }
        st
    }

    pub(crate) fn maker(&mut self) -> (Maker<'_>, &mut Infra) {
        (
            Maker {
                alloc: &mut self.alloc,
                docs: &mut self.docs,
                next_pid: &mut self.next_pid,
                rng: &mut self.rng,
            },
            &mut self.infra,
        )
    }

    pub(crate) fn person(
        &mut self,
        role: PersonRole,
        syndicate: Option<usize>,
        nat: Cc,
    ) -> Identity {
        self.maker().0.person(role, syndicate, nat)
    }

    /// Schedules `e` at time `t`.
    pub(crate) fn schedule(&mut self, t: i64, e: Event) {
        self.seq += 1;
        self.schedule.insert((t, self.seq), e);
    }

    /// An item of syndicate `s` for `role` aimed at `country`, sometimes from a provider it
    /// shares with other syndicates.
    pub(crate) fn pick(
        &mut self,
        s: usize,
        role: Role,
        country: Cc,
        theme: Option<Theme>,
    ) -> (Item, Loc) {
        let key_country = if matches!(role, Role::Wallet | Role::Device) {
            Cc::Th
        } else {
            country
        };
        let shared = SHARED
            .iter()
            .find(|(_, members, r, cc)| *r == role && *cc == key_country && members.contains(&s));
        let owners = match shared {
            Some((_, members, ..)) if chance(&mut self.rng, 0.2) => mask(members),
            _ => 1 << s,
        };
        let theme = if themed(role) { theme } else { None };
        let (mut m, infra) = self.maker();
        let p = match infra.find(role, key_country, theme, owners) {
            Some(p) => p,
            None => infra.add_pool(role, key_country, theme, owners, m.rng),
        };
        infra.pick(p, &mut m)
    }

    /// A fresh item outside the pools (a victim's account, a lone scammer's phone).
    pub(crate) fn make(&mut self, role: Role, country: Cc) -> Item {
        let (mut m, infra) = self.maker();
        infra.make(role, country, None, 0, &mut m)
    }

    /// Whether the item at `loc` is active and already used by syndicate `s`.
    pub(crate) fn is_used(&self, loc: Loc, s: usize) -> bool {
        self.infra
            .pools
            .get(loc.pool)
            .and_then(|p| p.items.iter().find(|i| i.uid == loc.uid))
            .is_some_and(|i| i.used_by & (1 << s) != 0)
    }

    /// Whether any of `picks` is an item syndicate `s` has used before.
    pub(crate) fn has_anchor(&self, s: usize, picks: &[&(Item, Loc)]) -> bool {
        picks.iter().any(|(_, loc)| self.is_used(*loc, s))
    }

    /// An active item syndicate `s` has used before (roles in `prefer` first; with `strict`,
    /// only those), or `None` when it has none.
    pub(crate) fn anchor_item(
        &mut self,
        s: usize,
        prefer: &[Role],
        country: Cc,
        strict: bool,
    ) -> Option<(Item, Loc)> {
        if !self.infra.has_used(s) {
            return None;
        }
        let (item, loc) = self.infra.anchor(s, prefer, country, &mut self.rng)?;
        (!strict || prefer.contains(&item.role)).then_some((item, loc))
    }

    /// Makes sure `picks` holds an item syndicate `s` has used before, adding one if needed
    /// (from `prefer` roles first; any role when `strict` is false). Returns the index of
    /// the anchor, or `None` for the syndicate's first report (or when `strict` found none).
    pub(crate) fn anchor(
        &mut self,
        s: usize,
        picks: &mut Vec<(Item, Loc)>,
        prefer: &[Role],
        country: Cc,
        strict: bool,
    ) -> Option<usize> {
        if let Some(i) = picks.iter().position(|(_, loc)| self.is_used(*loc, s)) {
            return Some(i);
        }
        let (item, loc) = self.anchor_item(s, prefer, country, strict)?;
        if let Some(i) = picks.iter().position(|(it, _)| it.uid == item.uid) {
            return Some(i);
        }
        // Replace a pick of the same role (the victim remembers this number, not that one),
        // or add it.
        match picks.iter().position(|(it, _)| it.role == item.role) {
            Some(i) if chance(&mut self.rng, 0.5) => {
                picks[i] = (item, loc);
                Some(i)
            }
            _ => {
                picks.push((item, loc));
                Some(picks.len() - 1)
            }
        }
    }

    /// A uniformly random time offset in `lo..=hi` seconds.
    pub(crate) fn span(&mut self, lo: i64, hi: i64) -> i64 {
        between(&mut self.rng, lo.max(0) as u64, hi.max(0) as u64) as i64
    }
}
