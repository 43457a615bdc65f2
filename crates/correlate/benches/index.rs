//! The index at ten million sightings: memory per sighting, rebuild time, the hit path of an
//! incoming report (apply + publish + shaping for its agencies) and lookups.
//!
//! `WARROOM_CORRELATE_BENCH_SIGHTINGS` (default 10,000,000) sets the size; reports carry eight
//! identifiers each, from fifteen agencies of very different sizes. Identifier popularity is
//! skewed like the demo world's: most identifiers are in one to three reports (fresh values
//! and values reused within a few thousand reports), some syndicate values in tens to hundreds,
//! a few platform-like values in thousands.
//!
//! `WARROOM_CORRELATE_BENCH_STORES` (default `plain,hubs`) picks the stores, built one after
//! the other in this process (run one at a time for a clean RSS figure):
//! - `plain`: as above; cases `incoming_report`, `lookup_*`, `hits_page_of_50`, `risk_typical`;
//! - `hubs`: as the real bench store, every report also names `example.com` and `example.net`
//!   (two of its eight identifiers), so each is held by every report (1.25 million at ten
//!   million sightings); case `incoming_report_hub`: an incoming report, which names both.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, black_box};
use jiff::Timestamp;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};
use warroom_correlate::{Config, IndexReader, IndexWriter, Posting, index};
use warroom_domain::policy::{Access, Subject, Viewer, report_access};
use warroom_domain::{AgencyId, Distribution, EntityId, ReportId, ReportKind, Role, Tlp, UserId};
use warroom_store::{ChangedReport, EntityRef, ReportRecord};

const PER_REPORT: usize = 8;
const AGENCY_WEIGHTS: [u32; 15] = [30, 20, 10, 8, 6, 5, 4, 3, 3, 3, 2, 2, 2, 1, 1];
const KINDS: [&str; 6] = [
    "phone",
    "messaging",
    "bank_account",
    "url",
    "domain",
    "email",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // SplitMix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn mix(k: u64) -> u128 {
    let mut r = Rng(k ^ 0x5EED);
    (u128::from(r.next()) << 64) | u128::from(r.next())
}

fn entity(k: u64) -> EntityRef {
    let kind = KINDS[(k % KINDS.len() as u64) as usize];
    let value = match kind {
        "phone" => format!("+66{:09}", k % 1_000_000_000),
        "messaging" => format!("telegram:user{k}"),
        "bank_account" => format!("TH:004:{:010}", k),
        "url" => format!("https://site{}.top/p/{k}", k % 9973),
        "domain" => format!("site{k}.top"),
        _ => format!("user{k}@mail{}.com", k % 97),
    };
    EntityRef {
        id: EntityId(uuid::Uuid::from_u128(mix(k))),
        kind: kind.to_owned(),
        value,
    }
}

/// The identifiers every report of the `hubs` store names.
const GIANTS: [&str; 2] = ["example.com", "example.net"];

fn giant(i: usize) -> EntityRef {
    EntityRef {
        id: EntityId(uuid::Uuid::from_u128(mix(1 << 45 | i as u64))),
        kind: "domain".to_owned(),
        value: GIANTS[i % GIANTS.len()].to_owned(),
    }
}

struct Gen {
    rng: Rng,
    /// How many of `GIANTS` every report names (of its `PER_REPORT` identifiers).
    giants: usize,
    agencies: Vec<AgencyId>,
    dists: Vec<(Tlp, Distribution)>,
    next_id: u64,
    seq: u64,
    author: UserId,
    epoch: Timestamp,
}

const HUBS: u64 = 40;
const POPULAR: u64 = 50_000;
const WINDOW: u64 = 20_000;
/// Identifier numbers: hubs, then popular ones, then the rest.
const FIRST_FRESH: u64 = HUBS + POPULAR;

impl Gen {
    fn new(giants: usize) -> Self {
        let agencies: Vec<AgencyId> = (0..15u128)
            .map(|i| AgencyId(uuid::Uuid::from_u128(mix(1 << 40 | i as u64))))
            .collect();
        let mut dists = vec![(Tlp::Green, Distribution::default()); 12];
        for i in 0..5 {
            dists.push((
                Tlp::Amber,
                Distribution {
                    agencies: [agencies[i], agencies[i + 3]].into(),
                    groups: BTreeSet::new(),
                },
            ));
        }
        dists.push((
            Tlp::AmberStrict,
            Distribution {
                agencies: [agencies[1]].into(),
                groups: BTreeSet::new(),
            },
        ));
        dists.push((Tlp::Red, Distribution::default()));
        Self {
            rng: Rng(42),
            giants: giants.min(GIANTS.len()),
            agencies,
            dists,
            next_id: FIRST_FRESH,
            seq: 0,
            author: UserId::random(),
            epoch: "2026-01-01T00:00:00Z".parse().unwrap(),
        }
    }

    fn agency(&mut self) -> usize {
        let total: u32 = AGENCY_WEIGHTS.iter().sum();
        let mut x = self.rng.below(u64::from(total)) as u32;
        for (i, w) in AGENCY_WEIGHTS.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        0
    }

    fn identifier(&mut self) -> u64 {
        let u = self.rng.unit();
        if u < 0.02 {
            (self.rng.unit().powi(2) * HUBS as f64) as u64
        } else if u < 0.13 {
            HUBS + (self.rng.unit().powi(3) * POPULAR as f64) as u64
        } else if u < 0.53 && self.next_id > FIRST_FRESH + 10 {
            let span = (self.next_id - FIRST_FRESH).min(WINDOW);
            self.next_id - 1 - self.rng.below(span)
        } else {
            self.next_id += 1;
            self.next_id - 1
        }
    }

    fn report(&mut self) -> ChangedReport {
        self.seq += 1;
        let a = self.agency();
        let owner = self.agencies[a];
        let (marking, distribution) =
            self.dists[self.rng.below(self.dists.len() as u64) as usize].clone();
        let mut ids = BTreeSet::new();
        while ids.len() + self.giants < PER_REPORT {
            ids.insert(self.identifier());
        }
        let at = self
            .epoch
            .checked_add(jiff::SignedDuration::from_secs(self.seq as i64 * 20))
            .unwrap();
        ChangedReport {
            rev: self.seq,
            seq: self.seq,
            report: ReportRecord {
                id: ReportId(uuid::Uuid::from_u128(mix(1 << 50 | self.seq))),
                owner,
                author: self.author,
                kind: ReportKind::VictimComplaint,
                marking,
                distribution,
                methods: vec![],
                victim_country: None,
                occurred_at: None,
                reported_at: at,
                recorded_at: at,
                version: 1,
                retracted_at: None,
                hit_notices: self.rng.below(20) != 0,
                fingerprint: [0; 32],
                entities: (0..self.giants)
                    .map(giant)
                    .chain(ids.into_iter().map(entity))
                    .collect(),
                body: String::new(),
            },
        }
    }
}

fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

/// CPU seconds used by this process (user + system), from /proc/self/stat.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            // After the command: state is field 3; utime and stime are fields 14 and 15.
            let ut: f64 = f.get(11)?.parse().ok()?;
            let st: f64 = f.get(12)?.parse().ok()?;
            Some((ut + st) / 100.0)
        })
        .unwrap_or(0.0)
}

fn access_of(agency: AgencyId) -> impl Fn(&Posting) -> Access {
    let viewer = Viewer {
        agency,
        groups: BTreeSet::new(),
        roles: [Role::Analyst].into(),
    };
    move |p: &Posting| {
        report_access(
            &viewer,
            Subject {
                owner: p.agency,
                marking: p.marking,
                distribution: &p.distribution,
                hit_notices: p.hit_notices,
            },
        )
    }
}

fn build(sightings: u64, giants: usize) -> (IndexWriter, IndexReader, Gen) {
    let reports = sightings / PER_REPORT as u64;
    // Generation alone, for the record.
    let mut g = Gen::new(giants);
    let t = Instant::now();
    for _ in 0..reports.min(200_000) {
        black_box(g.report());
    }
    let gen_per = t.elapsed().as_secs_f64() / reports.clamp(1, 200_000) as f64;

    let before = rss_bytes();
    let (mut w, r) = index(Config::default());
    w.set_quiet(true);
    let mut g = Gen::new(giants);
    let cpu0 = cpu_seconds();
    let t = Instant::now();
    for _ in 0..reports {
        w.apply(&g.report());
    }
    let applied = t.elapsed();
    w.publish();
    let total = t.elapsed();
    let cpu = cpu_seconds() - cpu0;
    w.set_quiet(false);
    let after = rss_bytes();
    let s = r.stats();
    println!(
        "build: {} reports, {} sightings, {} entities, {} hit keys, {} subscriptions",
        s.reports, s.sightings, s.entities, s.hit_entries, s.hit_subscriptions
    );
    println!(
        "build: apply {:.1} s + publish {:.1} s = {:.1} s wall, {cpu:.1} s CPU (of which generating the changes ≈ {:.1} s)",
        applied.as_secs_f64(),
        (total - applied).as_secs_f64(),
        total.as_secs_f64(),
        gen_per * reports as f64
    );
    println!(
        "memory: RSS growth {:.1} MiB = {:.1} bytes/sighting; estimated heap {:.1} MiB = {:.1} bytes/sighting",
        (after.saturating_sub(before)) as f64 / 1048576.0,
        after.saturating_sub(before) as f64 / s.sightings.max(1) as f64,
        s.heap_bytes as f64 / 1048576.0,
        s.heap_bytes as f64 / s.sightings.max(1) as f64
    );
    (w, r, g)
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// The hit path of an incoming report: apply, publish, and shape each new entry for each
/// agency it concerns; 2,000 timed reports, then the criterion case `name`.
///
/// Every write here happens while the snapshot published before it is alive (the `ArcSwap`
/// holds it, and so does any reader in the middle of a call): it shares every tile with the
/// writer, so the write copies what it touches, as in a serving node.
fn incoming(c: &mut Criterion, w: &mut IndexWriter, r: &IndexReader, g: &mut Gen, name: &str) {
    let mut samples = Vec::new();
    let (mut t_apply, mut t_publish, mut t_shape) = (Vec::new(), Vec::new(), Vec::new());
    let mut shaped = 0usize;
    for _ in 0..2000 {
        let change = g.report();
        let t = Instant::now();
        w.apply(&change);
        let t1 = t.elapsed();
        let new = w.publish();
        let t2 = t.elapsed();
        for h in &new {
            for a in &h.agencies {
                if r.hit(h.key, *a, &access_of(*a)).is_some() {
                    shaped += 1;
                }
            }
        }
        let t3 = t.elapsed();
        samples.push(t3);
        t_apply.push(t1);
        t_publish.push(t2 - t1);
        t_shape.push(t3 - t2);
    }
    let mut ap: Vec<Duration> = t_apply
        .iter()
        .zip(&t_publish)
        .map(|(a, p)| *a + *p)
        .collect();
    println!(
        "  of which p99: apply {:.0} µs, publish {:.0} µs, shaping {:.0} µs; apply + publish p50 {:.0} µs, p99 {:.0} µs",
        percentile(&mut t_apply, 0.99).as_secs_f64() * 1e6,
        percentile(&mut t_publish, 0.99).as_secs_f64() * 1e6,
        percentile(&mut t_shape, 0.99).as_secs_f64() * 1e6,
        percentile(&mut ap, 0.5).as_secs_f64() * 1e6,
        percentile(&mut ap, 0.99).as_secs_f64() * 1e6
    );
    let p50 = percentile(&mut samples, 0.5);
    let p99 = percentile(&mut samples, 0.99);
    let max = percentile(&mut samples, 1.0);
    println!(
        "{name} (apply + publish + hit for its agencies): p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs ({shaped} hits shaped over 2000 reports)",
        p50.as_secs_f64() * 1e6,
        p99.as_secs_f64() * 1e6,
        max.as_secs_f64() * 1e6
    );

    c.bench_function(name, |b| {
        b.iter(|| {
            let change = g.report();
            w.apply(&change);
            let new = w.publish();
            for h in &new {
                for a in &h.agencies {
                    black_box(r.hit(h.key, *a, &access_of(*a)));
                }
            }
        })
    });
}

/// The `plain` store: the incoming report, lookups, a page of hits, risk.
fn plain(c: &mut Criterion, sightings: u64) {
    println!("store plain: {sightings} sightings");
    let (mut w, r, mut g) = build(sightings, 0);
    incoming(c, &mut w, &r, &mut g, "incoming_report");

    // Lookups: a typical identifier (a recent fresh or local one), and a popular one.
    let mut lr = Rng(7);
    let fresh_max = g.next_id;
    c.bench_function("lookup_typical", |b| {
        b.iter(|| {
            let k = fresh_max - 1 - lr.below(100_000.min(fresh_max - FIRST_FRESH));
            black_box(r.entity(entity(k).id))
        })
    });
    c.bench_function("lookup_popular", |b| {
        b.iter(|| black_box(r.entity(entity(HUBS + lr.below(1000)).id)))
    });
    let viewer = g.agencies[0];
    let acc = access_of(viewer);
    c.bench_function("hits_page_of_50", |b| {
        b.iter(|| {
            black_box(r.hits(
                viewer,
                &acc,
                &warroom_correlate::HitFilter::default(),
                None,
                50,
            ))
        })
    });
    let now: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
    c.bench_function("risk_typical", |b| {
        b.iter(|| {
            let k = fresh_max - 1 - lr.below(100_000.min(fresh_max - FIRST_FRESH));
            black_box(r.risk(entity(k).id, viewer, &acc, now))
        })
    });
}

/// The `hubs` store: an incoming report naming both giant hubs.
fn hubs(c: &mut Criterion, sightings: u64) {
    println!("store hubs: {sightings} sightings, every report names {GIANTS:?}");
    let (mut w, r, mut g) = build(sightings, GIANTS.len());
    for (i, name) in GIANTS.iter().enumerate() {
        let id = giant(i).id;
        let held = r.entity(id).map_or(0, |e| e.postings.len());
        println!(
            "  {name} held by {held} reports, noise: {}",
            r.noise(id).is_some()
        );
    }
    incoming(c, &mut w, &r, &mut g, "incoming_report_hub");
}

fn main() {
    let sightings: u64 = std::env::var("WARROOM_CORRELATE_BENCH_SIGHTINGS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000_000);
    let stores =
        std::env::var("WARROOM_CORRELATE_BENCH_STORES").unwrap_or_else(|_| "plain,hubs".into());
    let mut c = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for store in stores.split(',').map(str::trim) {
        match store {
            "plain" => plain(&mut c, sightings),
            "hubs" => hubs(&mut c, sightings),
            other => eprintln!("unknown store {other:?} (plain, hubs)"),
        }
    }
    c.final_summary();
}
