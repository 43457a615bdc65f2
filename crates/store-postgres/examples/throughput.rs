//! The store alone, without the node's validation: `put_reports` and `sightings` timed on a
//! fresh schema of the PostgreSQL server at `WARROOM_TEST_POSTGRES`, with either bulk insert
//! method. A measurement to run by hand, not a test. The same reports as the SQLite example.
//!
//! `WARROOM_TEST_POSTGRES=postgres://... REPORTS=100000 BATCH=10000 BULK=copy|unnest \
//!  cargo run -p warroom-store-postgres --release --example throughput`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::Timestamp;
use std::collections::BTreeSet;
use std::time::Instant;
use uuid::Uuid;
use warroom_domain::{
    AgencyId, CountryCode, Distribution, EntityId, ReportId, ReportKind, Tlp, UserId,
};
use warroom_store::{AuditDraft, EntityRef, ReportRecord, Store};
use warroom_store_postgres::{BulkInsert, Options, PgStore, testing};

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
    let n = env("REPORTS", 100_000) as u64;
    let per_batch = env("BATCH", 10_000) as u64;
    let bulk = match std::env::var("BULK").as_deref() {
        Ok("unnest") => BulkInsert::Unnest,
        Ok("copy") | Err(_) => BulkInsert::Copy,
        Ok(other) => panic!("BULK is copy or unnest, not {other}"),
    };
    let base = testing::base_url().unwrap_or_else(|e| panic!("{e}"));
    let url = testing::fresh_schema_url(&base).unwrap();
    let store = PgStore::connect_with(
        &url,
        Options {
            bulk,
            ..Options::default()
        },
    )
    .unwrap();
    println!("{bulk:?} into a fresh schema, batches of {per_batch}");
    let agencies: Vec<AgencyId> = (0..20).map(|a| AgencyId(Uuid::from_u128(a + 1))).collect();
    let pool = n * 4;
    // Only the store's time counts, not making the reports.
    let mut took = std::time::Duration::ZERO;
    let mut i = 0;
    while i < n {
        let batch: Vec<_> = (i..(i + per_batch).min(n))
            .map(|j| report(j, pool, &agencies))
            .collect();
        let start = Instant::now();
        store.put_reports(&batch).unwrap();
        took += start.elapsed();
        i += batch.len() as u64;
    }
    println!(
        "put_reports: {n} reports x 5 entities in {:.3} s = {:.0} reports/s ({} sightings)",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64(),
        store.sighting_count().unwrap()
    );

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
    drop(store);
    let schema = url.rsplit("search_path%3D").next().unwrap_or_default();
    testing::execute(&base, &format!("DROP SCHEMA {schema} CASCADE")).unwrap();
}
