//! Random worlds (a few agencies, every marking, hit notices on and off, updates and
//! retractions, identifiers in one report and in dozens) against an oracle written from the
//! rules in a few lines: every viewer's hit list must be exactly the oracle's.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture::{Fx, Spec, access_of, phone};
use std::collections::BTreeSet;
use warroom_correlate::{Config, Hit, HitFilter, HubRule, Shown, Side};
use warroom_domain::policy::Access;
use warroom_domain::{AgencyId, Tlp};
use warroom_store::ChangedReport;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The hits of `viewer` by the rules, from the live reports (in seq order).
fn oracle(live: &[ChangedReport], viewer: AgencyId) -> Vec<Hit> {
    let access = access_of(viewer);
    let posting = |c: &ChangedReport| warroom_correlate::Posting {
        report: c.report.id,
        seq: c.seq,
        agency: c.report.owner,
        seen_at: c.report.seen_at(),
        marking: c.report.marking,
        distribution: std::sync::Arc::new(c.report.distribution.clone()),
        hit_notices: c.report.hit_notices,
    };
    let full = |c: &ChangedReport| Shown::Full {
        report: c.report.id,
        agency: c.report.owner,
        seen_at: c.report.seen_at(),
    };
    let mut out = Vec::new();
    for (i, r) in live.iter().enumerate() {
        for e in &r.report.entities {
            let earlier: Vec<&ChangedReport> = live[..i]
                .iter()
                .filter(|x| x.report.entities.iter().any(|y| y.id == e.id))
                .collect();
            if !earlier.iter().any(|x| x.report.owner != r.report.owner) {
                continue;
            }
            let (side, report, counterparts) = if r.report.owner == viewer {
                if access(&posting(r)) != Access::Full {
                    continue;
                }
                let mut shown = Vec::new();
                let mut held = Vec::new();
                for x in &earlier {
                    if x.report.owner == viewer || !x.report.hit_notices {
                        continue;
                    }
                    match access(&posting(x)) {
                        Access::Full => shown.push(full(x)),
                        Access::HitOnly if !held.contains(&x.report.owner) => {
                            held.push(x.report.owner)
                        }
                        _ => {}
                    }
                }
                for a in held {
                    if !shown.iter().any(|s: &Shown| s.agency() == a) {
                        shown.push(Shown::HeldBy { agency: a });
                    }
                }
                (Side::Submitted, full(r), shown)
            } else if earlier.iter().any(|x| x.report.owner == viewer) && r.report.hit_notices {
                let report = match access(&posting(r)) {
                    Access::Full => full(r),
                    Access::HitOnly => Shown::HeldBy {
                        agency: r.report.owner,
                    },
                    Access::None => continue,
                };
                let own = earlier
                    .iter()
                    .filter(|x| x.report.owner == viewer && access(&posting(x)) == Access::Full)
                    .map(|x| full(x))
                    .collect();
                (Side::Held, report, own)
            } else {
                continue;
            };
            if counterparts.is_empty() {
                continue;
            }
            out.push(Hit {
                key: warroom_correlate::HitKey {
                    seq: r.seq,
                    entity: e.id,
                },
                at: r.report.reported_at,
                entity: e.id,
                kind: e.kind.clone(),
                value: e.value.clone(),
                side,
                report,
                counterparts,
            });
        }
    }
    out.sort_by_key(|h| std::cmp::Reverse(h.key));
    out
}

/// `long`: posting lists longer than `.0` go to leaves of `.1` postings (else the defaults).
fn run(seed: u64, reports: usize, long: Option<(u32, u32)>) {
    let mut rng = Rng(seed);
    let agencies: Vec<AgencyId> = (0..4).map(|_| AgencyId::random()).collect();
    // No hub detection here: the oracle knows no noise.
    let mut fx = Fx::with(Config {
        hub: HubRule {
            min_reports: u64::MAX,
            ..HubRule::default()
        },
    });
    if let Some((at, leaf)) = long {
        fx.w.set_long_lists(at, leaf);
    }
    let pool: Vec<String> = (0..12).map(|i| format!("+6689000{i:04}")).collect();
    for step in 0..reports {
        let roll = rng.below(10);
        if roll < 7 || fx.last.is_empty() {
            let owner = agencies[rng.below(4) as usize];
            let marking = Tlp::ALL[rng.below(5) as usize];
            let to: Vec<AgencyId> = agencies
                .iter()
                .copied()
                .filter(|_| rng.below(3) == 0)
                .collect();
            let n = 1 + rng.below(3);
            // Popular numbers (the first two) end up in dozens of reports: busy identifiers.
            let mut ids = BTreeSet::new();
            for _ in 0..n {
                let k = if rng.below(2) == 0 {
                    rng.below(2)
                } else {
                    rng.below(12)
                };
                ids.insert(k as usize);
            }
            fx.submit(
                owner,
                Spec {
                    marking,
                    to,
                    hit_notices: rng.below(5) != 0,
                    ..Spec::default()
                },
                ids.into_iter().map(|k| phone(&pool[k])).collect(),
            );
        } else {
            let i = rng.below(fx.last.len() as u64) as usize;
            let id = fx.last[i].report.id;
            match roll {
                7 => {
                    let k = rng.below(12) as usize;
                    fx.update(id, |r| {
                        if !r.entities.iter().any(|e| e.value == pool[k]) {
                            r.entities.push(phone(&pool[k]));
                        }
                    });
                }
                8 => {
                    fx.update(id, |r| {
                        if r.entities.len() > 1 {
                            r.entities.pop();
                        }
                        r.hit_notices = !r.hit_notices;
                    });
                }
                _ => {
                    fx.update(id, |r| r.retracted_at = Some(r.reported_at));
                }
            }
        }
        if step % 7 == 0 {
            fx.publish();
        }
    }
    fx.publish();
    let mut live: Vec<ChangedReport> = fx
        .last
        .iter()
        .filter(|c| c.report.retracted_at.is_none())
        .cloned()
        .collect();
    live.sort_by_key(|c| c.seq);
    for v in &agencies {
        let got =
            fx.r.hits(*v, &access_of(*v), &HitFilter::default(), None, usize::MAX);
        let want = oracle(&live, *v);
        assert_eq!(got.len(), want.len(), "seed {seed}: count for a viewer");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g, w, "seed {seed}");
        }
        // Each entry, one by one, as the live stream reads it.
        for w in &want {
            assert_eq!(fx.r.hit(w.key, *v, &access_of(*v)).as_ref(), Some(w));
        }
    }
}

#[test]
fn every_viewer_sees_exactly_what_the_rules_say() {
    for seed in 1..=12 {
        run(seed, 160, None);
    }
}

#[test]
fn every_viewer_sees_exactly_what_the_rules_say_over_long_lists() {
    for seed in 1..=12 {
        // Long before the popular numbers are busy (32 postings), and after.
        run(seed, 160, Some((4, 2)));
        run(seed, 160, Some((40, 3)));
    }
}
