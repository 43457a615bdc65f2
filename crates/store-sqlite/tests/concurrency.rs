//! Reads run beside writes (WAL plus the read pool) and see whole transactions only, while the
//! checkpoint thread copies the WAL behind both.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::Timestamp;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use uuid::Uuid;
use warroom_domain::{AgencyId, Distribution, EntityId, ReportId, ReportKind, Tlp, UserId};
use warroom_store::audit::verify;
use warroom_store::{AuditDraft, EntityRef, ReportFilter, ReportRecord, Store};
use warroom_store_sqlite::SqliteStore;

const BATCHES: u64 = 30;
const PER_BATCH: u64 = 300;
/// Every report names the shared entity and four of its own.
const ENTITIES: u64 = 5;

fn shared_entity() -> EntityId {
    EntityId(Uuid::from_u128(0xE))
}

fn entity(n: u64) -> EntityRef {
    EntityRef {
        id: if n == 0 {
            shared_entity()
        } else {
            EntityId(Uuid::new_v5(&Uuid::NAMESPACE_OID, &n.to_be_bytes()))
        },
        kind: "phone".to_owned(),
        value: format!("+6681{n:07}"),
    }
}

fn report(i: u64) -> (ReportRecord, AuditDraft) {
    let owner = AgencyId(Uuid::from_u128(1 + u128::from(i % 3)));
    let t = Timestamp::from_second(1_700_000_000 + i64::try_from(i).unwrap()).unwrap();
    let record = ReportRecord {
        id: ReportId(Uuid::new_v5(&Uuid::NAMESPACE_DNS, &i.to_be_bytes())),
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
        entities: std::iter::once(0)
            .chain((1..ENTITIES).map(|k| i * ENTITIES + k))
            .map(entity)
            .collect(),
        body: "x".repeat(400),
    };
    let draft = AuditDraft {
        at: t,
        actor_user: Some(record.author),
        actor_agency: Some(owner),
        action: "report.create".to_owned(),
        object_kind: "report".to_owned(),
        object_id: record.id.to_string(),
        request_id: format!("req-{i}"),
        purpose: None,
    };
    (record, draft)
}

#[test]
fn readers_see_whole_batches_while_a_writer_runs() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        let readers: Vec<_> = (0..3)
            .map(|_| {
                s.spawn(|| {
                    let mut seen = 0;
                    let mut reads = 0u64;
                    while !done.load(Ordering::Acquire) {
                        // Each count is read in its own snapshot, after a whole batch or none.
                        let sightings = store.sightings(shared_entity()).unwrap().len() as u64;
                        assert_eq!(sightings % PER_BATCH, 0, "a reader saw part of a batch");
                        assert!(sightings >= seen, "a later read saw fewer sightings");
                        seen = sightings;
                        let page = store
                            .list_reports(&ReportFilter::default(), None, 10)
                            .unwrap();
                        assert!(page.windows(2).all(|w| w[0].seq > w[1].seq));
                        reads += 1;
                    }
                    reads
                })
            })
            .collect();
        for b in 0..BATCHES {
            let batch: Vec<_> = (b * PER_BATCH..(b + 1) * PER_BATCH).map(report).collect();
            store.put_reports(&batch).unwrap();
        }
        done.store(true, Ordering::Release);
        for r in readers {
            assert!(r.join().unwrap() > 0, "every reader got to read");
        }
    });
    let total = BATCHES * PER_BATCH;
    assert_eq!(store.report_count().unwrap(), total);
    assert_eq!(store.sighting_count().unwrap(), total * ENTITIES);
    assert_eq!(
        store.sightings(shared_entity()).unwrap().len() as u64,
        total
    );
    let v = verify(&store, 1000, |_| {}).unwrap();
    assert_eq!((v.events, v.first_break), (total, None));

    // Everything survives closing (which checkpoints) and opening again.
    drop(store);
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.sighting_count().unwrap(), total * ENTITIES);
    assert_eq!(
        store.entity(entity(7).id).unwrap().map(|e| e.value),
        Some(entity(7).value)
    );
}

/// Closing the store leaves no WAL behind: the writer closes last and checkpoints it all.
#[test]
fn closing_the_store_checkpoints_the_wal_away() {
    let dir = tempfile::tempdir().unwrap();
    let wal = dir
        .path()
        .join(format!("{}-wal", warroom_store_sqlite::DB_FILE));
    {
        let store = SqliteStore::open(dir.path()).unwrap();
        let batch: Vec<_> = (0..PER_BATCH).map(report).collect();
        store.put_reports(&batch).unwrap();
        // Readers used, so each has the WAL open.
        for i in 0..8 {
            assert!(store.report(report(i).0.id).unwrap().is_some());
        }
        assert!(
            std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > 0,
            "the batch is in the WAL while the store is open"
        );
    }
    assert!(
        std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) == 0,
        "WAL left behind after close"
    );
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.report_count().unwrap(), PER_BATCH);
}
