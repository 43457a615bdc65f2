//! The store alone, without the node's validation: `put_reports` and `sightings` timed on a
//! fresh store in a temporary directory. A measurement to run by hand, not a test.
//!
//! `REPORTS=100000 BATCH=1000 cargo run -p warroom-store-sqlite --release --example throughput`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::Timestamp;
use std::collections::BTreeSet;
use std::time::Instant;
use uuid::Uuid;
use warroom_domain::{
    AgencyId, CountryCode, Distribution, EntityId, ReportId, ReportKind, Tlp, UserId,
};
use warroom_store::{AuditDraft, EntityRef, ReportRecord, Store};
use warroom_store_sqlite::SqliteStore;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn report(i: u64, entities_pool: u64, agencies: &[AgencyId]) -> (ReportRecord, AuditDraft) {
    let id = ReportId(Uuid::from_u128(u128::from(i) << 64 | 0xfeed));
    let owner = agencies[(i % agencies.len() as u64) as usize];
    let t = Timestamp::from_second(1_700_000_000 + i as i64).unwrap();
    let entities = (0..5u64)
        .map(|k| {
            // A mix of new entities and ones shared with earlier reports.
            let n = (i * 5 + k).wrapping_mul(0x9e37_79b9_7f4a_7c15) % entities_pool;
            EntityRef {
                id: EntityId(Uuid::new_v5(&Uuid::NAMESPACE_URL, &n.to_be_bytes())),
                kind: "phone".to_owned(),
                value: format!("+6681{n:07}"),
            }
        })
        .collect();
    let r = ReportRecord {
        id,
        owner,
        author: UserId(Uuid::from_u128(7)),
        kind: ReportKind::VictimComplaint,
        marking: Tlp::Amber,
        distribution: Distribution {
            agencies: BTreeSet::from([owner]),
            groups: BTreeSet::new(),
        },
        methods: vec!["investment".to_owned()],
        victim_country: CountryCode::parse("TH").ok(),
        occurred_at: Some(t),
        reported_at: t,
        recorded_at: t,
        version: 1,
        retracted_at: None,
        hit_notices: true,
        fingerprint: [(i % 251) as u8; 32],
        entities,
        body: format!(
            r#"{{"narrative":"victim was called by someone claiming to be police, transferred money {i}","language":"en","loss":{{"minor_units":1500000,"currency":"THB"}}}}"#
        ),
    };
    let d = AuditDraft {
        at: t,
        actor_user: Some(r.author),
        actor_agency: Some(owner),
        action: "report.create".to_owned(),
        object_kind: "report".to_owned(),
        object_id: id.to_string(),
        request_id: format!("bench-{i}"),
        purpose: None,
    };
    (r, d)
}

fn main() {
    let n = env("REPORTS", 10_000) as u64;
    let per_batch = env("BATCH", 1_000) as u64;
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let agencies: Vec<AgencyId> = (0..20).map(|a| AgencyId(Uuid::from_u128(a + 1))).collect();
    let pool = n * 4;
    // Only the store's time counts, not making the reports.
    let mut took = std::time::Duration::ZERO;
    let mut window = std::time::Duration::ZERO;
    let mut i = 0;
    while i < n {
        let batch: Vec<_> = (i..(i + per_batch).min(n))
            .map(|j| report(j, pool, &agencies))
            .collect();
        let start = Instant::now();
        store.put_reports(&batch).unwrap();
        window += start.elapsed();
        i += batch.len() as u64;
        if i % 100_000 == 0 {
            println!(
                "  reports {}..{i}: {:.0} reports/s",
                i - 100_000,
                100_000.0 / window.as_secs_f64()
            );
            took += window;
            window = std::time::Duration::ZERO;
        }
    }
    took += window;
    println!(
        "put_reports: {n} reports x 5 entities in {:.3} s = {:.0} reports/s ({} sightings)",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64(),
        store.sighting_count().unwrap()
    );

    // Twice: the first round also warms each read connection's page cache.
    for round in ["cold", "warm"] {
        let lookups = 10_000u64;
        let ids: Vec<EntityId> = (0..lookups)
            .map(|k| {
                EntityId(Uuid::new_v5(
                    &Uuid::NAMESPACE_URL,
                    &(k * 7919 % pool).to_be_bytes(),
                ))
            })
            .collect();
        let start = Instant::now();
        let mut found = 0;
        for e in &ids {
            found += store.sightings(*e).unwrap().len();
        }
        let took = start.elapsed();
        println!(
            "sightings ({round}): {lookups} lookups ({found} rows) in {:.3} s = {:.1} µs each",
            took.as_secs_f64(),
            took.as_secs_f64() * 1e6 / lookups as f64
        );
    }
}
