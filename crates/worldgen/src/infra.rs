//! Syndicate infrastructure: pools of identifiers that rotate (phones are dropped after some
//! calls, mule accounts after a few deposits, domains when they are blocked) and are replaced
//! by fresh ones. Some pools are shared between syndicates (a SIM-box vendor, a mule broker, a
//! USDT launderer).
//!
//! Solvability is built in, not hoped for: an item counts as *used* by a syndicate once one of
//! its reports carries it in a valid writing, and
//! - every report a syndicate produces carries at least one item it has already used (the
//!   *anchor*), so by induction all its reports fall into one connected component of the
//!   report-identifier graph;
//! - the last used item of a syndicate is never retired, so an anchor is always available.
//!
//! Because items rotate, no single identifier stays in all of a syndicate's reports.

use crate::alloc::{Alloc, Theme};
use crate::country::Cc;
use crate::people::{DocumentNumbers, Identity, PersonRole};
use crate::phones::PhoneKind;
use crate::rng::{WRng, between, chance, index, pick, weighted};
use crate::values::Value;
use serde::Serialize;
use warroom_domain::IdentifierKind;

/// What an identifier is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A number victims are called from.
    CallingPhone,
    /// A number phishing SMS come from.
    SmsSender,
    /// A chat account victims are moved to (LINE, Telegram, WhatsApp...).
    Messaging,
    /// A mule account victims pay into.
    MuleL1,
    /// A mule account first-layer mules forward to.
    MuleL2,
    /// The last bank layer before crypto: an OTC desk or exchange account.
    MuleL3,
    /// A crypto wallet (deposit address of a fake platform, or a launderer's).
    Wallet,
    /// A phishing or fake-platform domain.
    PhishingDomain,
    /// A phishing link.
    PhishingUrl,
    /// An e-mail address scammers write from.
    Email,
    /// A recruiter's phone.
    RecruiterPhone,
    /// A recruiter's chat account.
    RecruiterMessaging,
    /// A fake job site or job advertisement link.
    JobSite,
    /// A handset or SIM-box IMEI.
    Device,
    /// A victim's own bank account.
    VictimAccount,
    /// A victim's own phone number, given as contact details.
    VictimContact,
    /// An identifier of a small independent scammer, not of any syndicate.
    LoneScammer,
}

/// One identifier of the world.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    /// Unique in the world, in order of creation.
    pub uid: u64,
    pub role: Role,
    pub value: Value,
    pub kind: IdentifierKind,
    pub canonical: String,
    /// `kind:canonical` of the identifiers the value implies (a URL's domains).
    pub implied: Vec<String>,
    /// Bit `s` set: syndicate `s` owns the item (several for shared infrastructure).
    pub owners: u32,
    /// Bit `s` set: a report of syndicate `s` carried it in a valid writing.
    pub used_by: u32,
    pub uses: u32,
    pub life: u32,
    /// The account holder, for bank accounts.
    pub holder: Option<Box<Identity>>,
}

/// Where an item lives, to find it again after a report used it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Loc {
    pub pool: usize,
    pub uid: u64,
}

/// A pool: the active items of one role for one target country (and theme).
#[derive(Debug)]
pub(crate) struct Pool {
    pub role: Role,
    pub country: Cc,
    pub theme: Option<Theme>,
    pub owners: u32,
    pub items: Vec<Item>,
    pub size: usize,
}

/// Every pool, with per-syndicate counts of active used items.
#[derive(Debug)]
pub(crate) struct Infra {
    pub pools: Vec<Pool>,
    used_active: Vec<u32>,
    next_uid: u64,
}

/// How many uses an item of `role` lasts, and how many are active at once.
fn life_and_size(role: Role) -> ((u64, u64), (u64, u64)) {
    match role {
        Role::CallingPhone => ((4, 30), (3, 6)),
        Role::SmsSender => ((3, 15), (2, 4)),
        Role::Messaging => ((6, 50), (2, 5)),
        Role::MuleL1 => ((2, 10), (3, 6)),
        Role::MuleL2 => ((6, 30), (2, 3)),
        Role::MuleL3 => ((15, 80), (1, 2)),
        Role::Wallet => ((8, 50), (3, 5)),
        Role::PhishingDomain => ((8, 40), (1, 3)),
        Role::PhishingUrl => ((2, 8), (2, 5)),
        Role::Email => ((5, 25), (1, 2)),
        Role::RecruiterPhone => ((4, 20), (1, 3)),
        Role::RecruiterMessaging => ((4, 25), (1, 3)),
        Role::JobSite => ((4, 20), (1, 2)),
        Role::Device => ((5, 40), (3, 8)),
        Role::VictimAccount | Role::VictimContact | Role::LoneScammer => ((1, 1), (1, 1)),
    }
}

/// What a fresh item needs to be made.
pub(crate) struct Maker<'a> {
    pub alloc: &'a mut Alloc,
    pub docs: &'a mut DocumentNumbers,
    pub next_pid: &'a mut u64,
    pub rng: &'a mut WRng,
}

impl Maker<'_> {
    pub(crate) fn person(
        &mut self,
        role: PersonRole,
        syndicate: Option<usize>,
        nat: Cc,
    ) -> Identity {
        let pid = *self.next_pid;
        *self.next_pid += 1;
        Identity::new(pid, role, syndicate, nat, self.docs, self.rng)
    }
}

/// A fresh value for `role` aimed at `country`.
pub(crate) fn fresh_value(
    role: Role,
    country: Cc,
    theme: Option<Theme>,
    m: &mut Maker<'_>,
) -> Value {
    let theme = match role {
        Role::RecruiterMessaging => Theme::Job,
        _ => theme.unwrap_or(Theme::Police),
    };
    let a = &mut *m.alloc;
    let rng = &mut *m.rng;
    match role {
        Role::CallingPhone | Role::SmsSender => {
            let origin = match country {
                Cc::Th => *weighted(
                    rng,
                    &[
                        ((Cc::Th, PhoneKind::Mobile), 80),
                        ((Cc::Kh, PhoneKind::Mobile), 12),
                        ((Cc::Mm, PhoneKind::Mobile), 8),
                    ],
                ),
                Cc::Jp => *weighted(
                    rng,
                    &[
                        ((Cc::Jp, PhoneKind::Mobile), 45),
                        ((Cc::Jp, PhoneKind::Voip), 30),
                        ((Cc::Kh, PhoneKind::Mobile), 10),
                        ((Cc::Us, PhoneKind::Mobile), 15),
                    ],
                ),
                Cc::In => *weighted(
                    rng,
                    &[
                        ((Cc::In, PhoneKind::Mobile), 70),
                        ((Cc::Kh, PhoneKind::Mobile), 10),
                        ((Cc::La, PhoneKind::Mobile), 10),
                        ((Cc::Mm, PhoneKind::Mobile), 10),
                    ],
                ),
                _ => *weighted(
                    rng,
                    &[
                        ((Cc::Us, PhoneKind::Mobile), 45),
                        ((Cc::Us, PhoneKind::TollFree), 35),
                        ((Cc::Ph, PhoneKind::Mobile), 20),
                    ],
                ),
            };
            a.phone(origin.0, origin.1, rng)
        }
        Role::Messaging | Role::RecruiterMessaging => {
            let platform = match (role, country) {
                (Role::RecruiterMessaging, Cc::Th) => {
                    *weighted(rng, &[("line", 40), ("telegram", 30), ("facebook", 30)])
                }
                (Role::RecruiterMessaging, _) => {
                    *weighted(rng, &[("telegram", 50), ("facebook", 25), ("whatsapp", 25)])
                }
                (_, Cc::Th) => *weighted(rng, &[("line", 60), ("facebook", 20), ("telegram", 20)]),
                (_, Cc::Jp) => *weighted(rng, &[("line", 70), ("telegram", 20), ("instagram", 10)]),
                (_, Cc::In) => *weighted(rng, &[("whatsapp", 70), ("telegram", 30)]),
                _ => *weighted(
                    rng,
                    &[
                        ("whatsapp", 40),
                        ("telegram", 30),
                        ("facebook", 15),
                        ("instagram", 10),
                        ("wechat", 5),
                    ],
                ),
            };
            match platform {
                "line" => a.line(theme, country, rng),
                "telegram" => a.telegram(theme, country, rng),
                "facebook" => a.facebook(theme, country, rng),
                "instagram" => a.instagram(theme, country, rng),
                "wechat" => a.wechat(rng),
                _ => {
                    let cc = if chance(rng, 0.7) {
                        country
                    } else {
                        *pick(rng, &[Cc::Kh, Cc::Th, Cc::Ph])
                    };
                    a.whatsapp(cc, rng)
                }
            }
        }
        Role::MuleL1 | Role::MuleL2 | Role::MuleL3 | Role::VictimAccount => a.bank(country, rng),
        Role::Wallet => match between(rng, 0, 19) {
            0..=12 => a.tron(rng),
            13..=17 => a.eth(rng),
            _ => a.btc(rng),
        },
        Role::PhishingDomain | Role::JobSite => a.domain(
            if role == Role::JobSite {
                Theme::Job
            } else {
                theme
            },
            country,
            rng,
        ),
        Role::PhishingUrl => a.platform_url(theme, rng),
        Role::Email => {
            let free = *pick(rng, &["gmail.com", "gmail.com", "outlook.com", "proton.me"]);
            a.email(theme, country, free, rng)
        }
        Role::RecruiterPhone => {
            let cc = if chance(rng, 0.6) { Cc::Th } else { country };
            a.phone(cc, PhoneKind::Mobile, rng)
        }
        Role::Device => a.imei(rng),
        Role::LoneScammer | Role::VictimContact => a.phone(country, PhoneKind::Mobile, rng),
    }
}

impl Infra {
    pub(crate) fn new(syndicates: usize) -> Self {
        Self {
            pools: Vec::new(),
            used_active: vec![0; syndicates],
            next_uid: 0,
        }
    }

    /// A new pool; its items are made on first use.
    pub(crate) fn add_pool(
        &mut self,
        role: Role,
        country: Cc,
        theme: Option<Theme>,
        owners: u32,
        rng: &mut WRng,
    ) -> usize {
        let (_, (lo, hi)) = life_and_size(role);
        self.pools.push(Pool {
            role,
            country,
            theme,
            owners,
            items: Vec::new(),
            size: between(rng, lo, hi) as usize,
        });
        self.pools.len() - 1
    }

    /// The pool of `role` for `country` and `theme` owned by exactly `owners`, if made.
    pub(crate) fn find(
        &self,
        role: Role,
        country: Cc,
        theme: Option<Theme>,
        owners: u32,
    ) -> Option<usize> {
        self.pools.iter().position(|p| {
            p.role == role && p.country == country && p.theme == theme && p.owners == owners
        })
    }

    /// A fresh item (not in any pool: victims' accounts, lone scammers, holders' extra
    /// accounts are made this way too).
    pub(crate) fn make(
        &mut self,
        role: Role,
        country: Cc,
        theme: Option<Theme>,
        owners: u32,
        m: &mut Maker<'_>,
    ) -> Item {
        for _ in 0..8 {
            let value = fresh_value(role, country, theme, m);
            if let Some(n) = value.normalized() {
                let (lo, hi) = life_and_size(role).0;
                let uid = self.next_uid;
                self.next_uid += 1;
                return Item {
                    uid,
                    role,
                    kind: n.identifier.kind(),
                    canonical: n.identifier.canonical().to_owned(),
                    implied: n.implied.iter().map(ToString::to_string).collect(),
                    value,
                    owners,
                    used_by: 0,
                    uses: 0,
                    life: between(m.rng, lo, hi) as u32,
                    holder: None,
                };
            }
        }
        // Unreachable in practice: every allocator is tested to produce normalisable values.
        let value = m.alloc.tron(m.rng);
        let canonical = match &value {
            Value::Tron(a) => format!("trx:{a}"),
            _ => String::new(),
        };
        let uid = self.next_uid;
        self.next_uid += 1;
        Item {
            uid,
            role,
            kind: IdentifierKind::CryptoWallet,
            canonical,
            implied: vec![],
            value,
            owners,
            used_by: 0,
            uses: 0,
            life: 1,
            holder: None,
        }
    }

    /// Fills pool `p` up to its size.
    fn fill(&mut self, p: usize, m: &mut Maker<'_>) {
        while self.pools[p].items.len() < self.pools[p].size {
            let (role, country, theme, owners) = {
                let pool = &self.pools[p];
                (pool.role, pool.country, pool.theme, pool.owners)
            };
            let mut item = if role == Role::PhishingUrl && theme.is_some() && chance(m.rng, 0.75) {
                // A link on one of the syndicate's own domains of the same theme.
                let dom = self.domain_for(country, theme, owners, m);
                let value = m.alloc.url(&dom, theme.unwrap_or(Theme::Police), m.rng);
                let mut it = self.make(role, country, theme, owners, m);
                if let Some(n) = value.normalized() {
                    it.kind = n.identifier.kind();
                    it.canonical = n.identifier.canonical().to_owned();
                    it.implied = n.implied.iter().map(ToString::to_string).collect();
                    it.value = value;
                }
                it
            } else {
                self.make(role, country, theme, owners, m)
            };
            if matches!(role, Role::MuleL1 | Role::MuleL2 | Role::MuleL3) {
                // Mules often hold accounts at several banks.
                let reuse = self.pools[p]
                    .items
                    .iter()
                    .filter_map(|i| i.holder.as_ref())
                    .next()
                    .cloned();
                item.holder = Some(match reuse {
                    Some(h) if chance(m.rng, 0.3) => h,
                    _ => {
                        let nat = if country == Cc::Us && chance(m.rng, 0.2) {
                            Cc::Ph
                        } else {
                            country
                        };
                        let syn =
                            (owners.count_ones() == 1).then(|| owners.trailing_zeros() as usize);
                        Box::new(m.person(PersonRole::MuleHolder, syn, nat))
                    }
                });
            }
            self.pools[p].items.push(item);
        }
    }

    /// A domain of the owners' phishing-domain pool for `country` and `theme`.
    fn domain_for(
        &mut self,
        country: Cc,
        theme: Option<Theme>,
        owners: u32,
        m: &mut Maker<'_>,
    ) -> String {
        let p = match self.find(Role::PhishingDomain, country, theme, owners) {
            Some(p) => p,
            None => self.add_pool(Role::PhishingDomain, country, theme, owners, m.rng),
        };
        self.fill(p, m);
        let items = &self.pools[p].items;
        match &items[index(m.rng, items.len())].value {
            Value::Domain(d) => d.clone(),
            _ => "example.com".into(),
        }
    }

    /// An active item of pool `p` (made if needed); counts one use.
    pub(crate) fn pick(&mut self, p: usize, m: &mut Maker<'_>) -> (Item, Loc) {
        self.fill(p, m);
        let pool = &mut self.pools[p];
        let i = index(m.rng, pool.items.len());
        pool.items[i].uses += 1;
        let item = pool.items[i].clone();
        let loc = Loc {
            pool: p,
            uid: item.uid,
        };
        (item, loc)
    }

    /// An active item syndicate `s` has already used, preferring the roles in `prefer` (in
    /// order) and `country`; any used item when none of those is.
    pub(crate) fn anchor(
        &mut self,
        s: usize,
        prefer: &[Role],
        country: Cc,
        rng: &mut WRng,
    ) -> Option<(Item, Loc)> {
        let bit = 1u32 << s;
        let mut best: Option<(usize, usize, usize)> = None; // (rank, pool, index)
        let mut ties = 0u64;
        for (pi, pool) in self.pools.iter().enumerate() {
            if pool.owners & bit == 0 {
                continue;
            }
            let role_rank = prefer
                .iter()
                .position(|r| *r == pool.role)
                .unwrap_or(prefer.len());
            let rank = role_rank * 2 + usize::from(pool.country != country);
            for (ii, item) in pool.items.iter().enumerate() {
                if item.used_by & bit == 0 {
                    continue;
                }
                match best {
                    Some((r, ..)) if r < rank => {}
                    Some((r, ..)) if r == rank => {
                        ties += 1;
                        if between(rng, 0, ties) == 0 {
                            best = Some((rank, pi, ii));
                        }
                    }
                    _ => {
                        ties = 0;
                        best = Some((rank, pi, ii));
                    }
                }
            }
        }
        let (_, pi, ii) = best?;
        let item = &mut self.pools[pi].items[ii];
        item.uses += 1;
        Some((
            item.clone(),
            Loc {
                pool: pi,
                uid: item.uid,
            },
        ))
    }

    /// Records that a report of syndicate `s` carried the item at `loc` in a valid writing.
    pub(crate) fn mark_used(&mut self, loc: Loc, s: usize) {
        let bit = 1u32 << s;
        if let Some(item) = self
            .pools
            .get_mut(loc.pool)
            .and_then(|p| p.items.iter_mut().find(|i| i.uid == loc.uid))
            && item.used_by & bit == 0
        {
            item.used_by |= bit;
            if let Some(c) = self.used_active.get_mut(s) {
                *c += 1;
            }
        }
    }

    /// Whether syndicate `s` has used any active item.
    pub(crate) fn has_used(&self, s: usize) -> bool {
        self.used_active.get(s).is_some_and(|c| *c > 0)
    }

    /// Retires worn-out items of pool `p`, except the last used item of any of their users.
    pub(crate) fn rotate(&mut self, p: usize) {
        let mut i = 0;
        while i < self.pools[p].items.len() {
            let item = &self.pools[p].items[i];
            if item.uses < item.life {
                i += 1;
                continue;
            }
            let users = item.used_by;
            let last_of_someone = (0..32).any(|s| {
                users & (1 << s) != 0 && self.used_active.get(s).copied().unwrap_or(0) <= 1
            });
            if last_of_someone {
                self.pools[p].items[i].life += 8;
                i += 1;
                continue;
            }
            for s in 0..32 {
                if users & (1 << s) != 0
                    && let Some(c) = self.used_active.get_mut(s)
                {
                    *c -= 1;
                }
            }
            self.pools[p].items.swap_remove(i);
        }
    }
}
