//! Two stores on one schema (as two processes would be) writing at once: one audit chain with
//! contiguous seqs, report seqs and revs in commit order, every report listed exactly once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fresh_url;
use jiff::Timestamp;
use std::collections::{BTreeSet, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use uuid::Uuid;
use warroom_domain::{AgencyId, Distribution, EntityId, ReportId, ReportKind, Tlp, UserId};
use warroom_store::audit::verify;
use warroom_store::{AuditDraft, EntityRef, PutOutcome, ReportFilter, ReportRecord, Store};
use warroom_store_postgres::{Options, PgStore};

const WRITERS_PER_STORE: u64 = 3;
const BATCHES: u64 = 8;
const PER_BATCH: u64 = 25;

fn shared_entity() -> EntityId {
    EntityId(Uuid::from_u128(0xE))
}

fn report(writer: u64, i: u64) -> (ReportRecord, AuditDraft) {
    let n = writer * 1_000_000 + i;
    let owner = AgencyId(Uuid::from_u128(1 + u128::from(writer)));
    let t = Timestamp::from_second(1_700_000_000 + i64::try_from(i).unwrap()).unwrap();
    let record = ReportRecord {
        id: ReportId(Uuid::new_v5(&Uuid::NAMESPACE_DNS, &n.to_be_bytes())),
        owner,
        author: UserId(Uuid::from_u128(9)),
        kind: ReportKind::VictimComplaint,
        marking: Tlp::Green,
        distribution: Distribution {
            agencies: BTreeSet::from([owner]),
            groups: BTreeSet::new(),
        },
        methods: vec!["investment".to_owned()],
        victim_country: None,
        occurred_at: None,
        reported_at: t,
        recorded_at: t,
        version: 1,
        retracted_at: None,
        hit_notices: true,
        fingerprint: [7; 32],
        // Every report shares one entity, so concurrent batches upsert the same row.
        entities: vec![
            EntityRef {
                id: shared_entity(),
                kind: "phone".to_owned(),
                value: "+66810000000".to_owned(),
            },
            EntityRef {
                id: EntityId(Uuid::new_v5(&Uuid::NAMESPACE_OID, &n.to_be_bytes())),
                kind: "phone".to_owned(),
                value: format!("+6681{n:07}"),
            },
        ],
        body: "x".repeat(100),
    };
    let draft = AuditDraft {
        at: t,
        actor_user: Some(record.author),
        actor_agency: Some(owner),
        action: "report.create".to_owned(),
        object_kind: "report".to_owned(),
        object_id: record.id.to_string(),
        request_id: format!("req-{n}"),
        purpose: None,
    };
    (record, draft)
}

#[test]
fn two_stores_on_one_schema_keep_one_chain_and_commit_ordered_seqs() {
    let url = fresh_url();
    let options = Options {
        connections: 4,
        ..Options::default()
    };
    let a = PgStore::connect_with(&url, options).unwrap();
    let b = PgStore::connect_with(&url, options).unwrap();
    let stores = [&a, &b];
    let done = AtomicBool::new(false);
    let writers = 2 * WRITERS_PER_STORE;
    std::thread::scope(|s| {
        // A reader that checks, while writes run, that the reports it sees in one snapshot
        // always have seqs 1..=n: a report never becomes visible before one with a smaller seq.
        let reader = s.spawn(|| {
            let mut checks = 0u64;
            while !done.load(Ordering::Acquire) {
                let all = a
                    .list_reports(&ReportFilter::default(), None, 1_000_000)
                    .unwrap();
                let n = all.len() as u64;
                let seqs: Vec<u64> = all.iter().map(|l| l.seq).collect();
                let want: Vec<u64> = (1..=n).rev().collect();
                assert_eq!(seqs, want, "visible report seqs must be exactly 1..={n}");
                // The change log likewise: revs 1..=m, with no gap a later commit could fill.
                let changes = b.report_changes(0, 1_000_000).unwrap();
                let m = changes.len() as u64;
                let revs: Vec<u64> = changes.iter().map(|c| c.rev).collect();
                assert_eq!(
                    revs,
                    (1..=m).collect::<Vec<_>>(),
                    "visible revs must be exactly 1..={m}"
                );
                assert!(
                    changes.iter().all(|c| c.rev == c.seq),
                    "inserts only: each report's rev is its seq"
                );
                checks += 1;
            }
            checks
        });
        let handles: Vec<_> = (0..writers)
            .map(|w| {
                let store = stores[(w % 2) as usize];
                s.spawn(move || {
                    for batch in 0..BATCHES {
                        let reports: Vec<_> = (batch * PER_BATCH..(batch + 1) * PER_BATCH)
                            .map(|i| report(w, i))
                            .collect();
                        let out = store.put_reports(&reports).unwrap();
                        assert!(out.iter().all(|o| *o == PutOutcome::Inserted));
                        // Interleave single-event appends with the batches.
                        store
                            .append_audit(&[common::draft(u32::try_from(w).unwrap())])
                            .unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        done.store(true, Ordering::Release);
        assert!(reader.join().unwrap() > 0, "the reader got to read");
    });

    let total = writers * BATCHES * PER_BATCH;
    for store in stores {
        assert_eq!(store.report_count().unwrap(), total);
        assert_eq!(store.report_rev().unwrap(), total, "one rev per insert");
        assert_eq!(store.sighting_count().unwrap(), total * 2);
        assert_eq!(
            store.sightings(shared_entity()).unwrap().len() as u64,
            total
        );
        let v = verify(store, 500, |_| {}).unwrap();
        assert_eq!(
            (v.events, v.first_break),
            (total + writers * BATCHES, None),
            "one chain, every event, no fork and no gap"
        );
    }

    // Paging by cursor visits every report exactly once.
    let mut seen = HashSet::new();
    let mut cursor = None;
    loop {
        let page = b
            .list_reports(&ReportFilter::default(), cursor, 37)
            .unwrap();
        let Some(last) = page.last() else { break };
        cursor = Some(last.seq);
        for l in &page {
            assert!(seen.insert(l.report.id), "a report was listed twice");
        }
    }
    assert_eq!(seen.len() as u64, total, "every report is listed");
}

#[test]
fn a_report_sent_by_both_stores_at_once_is_inserted_once() {
    let url = fresh_url();
    let a = PgStore::connect(&url).unwrap();
    let b = PgStore::connect(&url).unwrap();
    for round in 0..20 {
        let r = report(99, round);
        let (x, y) = std::thread::scope(|s| {
            let x = s.spawn(|| a.put_reports(std::slice::from_ref(&r)).unwrap());
            let y = s.spawn(|| b.put_reports(std::slice::from_ref(&r)).unwrap());
            (x.join().unwrap(), y.join().unwrap())
        });
        let mut outcomes = vec![x[0], y[0]];
        outcomes.sort_by_key(|o| *o as u8);
        assert_eq!(
            outcomes,
            vec![PutOutcome::Inserted, PutOutcome::Duplicate],
            "round {round}"
        );
    }
    let v = verify(&a, 100, |_| {}).unwrap();
    assert_eq!((v.events, v.first_break), (20, None));
}
