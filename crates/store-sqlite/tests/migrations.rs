//! Migrations that move data: a database written by an earlier build is opened by this one
//! and reads back the same.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::Timestamp;
use std::collections::BTreeSet;
use warroom_domain::{AgencyId, Distribution, EntityId, ReportId, ReportKind, Tlp, UserId};
use warroom_store::{AuditDraft, EntityRef, ReportRecord, SightingRecord, Store};
use warroom_store_sqlite::{DB_FILE, SCHEMA_VERSION, SqliteStore};

fn at(s: i64) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + s).unwrap()
}

fn nanos(s: i64) -> i64 {
    i64::try_from(at(s).as_nanosecond()).unwrap()
}

fn id(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

/// A schema-3 database (one tree keyed by entity id: header rows, then sighting rows) with
/// two entities: a phone seen in two reports and a wallet whose only report was retracted
/// (a header and no sightings).
fn schema_3_database(path: &std::path::Path) {
    let raw = rusqlite::Connection::open(path).unwrap();
    for sql in [
        include_str!("../migrations/0001_init.sql"),
        include_str!("../migrations/0002_rate_windows.sql"),
        include_str!("../migrations/0003_correlation.sql"),
    ] {
        raw.execute_batch(sql).unwrap();
    }
    let header = "INSERT INTO entities (entity_id, seen_at, report_seq, kind, value, \
                  first_seen_at) VALUES (?1, -9223372036854775808, 0, ?2, ?3, ?4)";
    let sighting = "INSERT INTO entities (entity_id, seen_at, report_seq, report_id, owner, \
                    marking, dist_agencies, dist_groups) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    let phone = id(10).into_bytes().to_vec();
    let wallet = id(20).into_bytes().to_vec();
    raw.execute(
        header,
        rusqlite::params![phone, "phone", "+66811111111", nanos(100)],
    )
    .unwrap();
    raw.execute(
        header,
        rusqlite::params![wallet, "wallet", "bc1qexample", nanos(50)],
    )
    .unwrap();
    let owner = id(1_000).into_bytes().to_vec();
    let group = id(3_000).into_bytes().to_vec();
    // The reports the sightings are of (seq 1 GREEN, seq 2 AMBER to a group); the wallet's
    // report (seq 3) is retracted, so it has no sighting row.
    let phone_ref = warroom_store::entity_list::encode(&[EntityRef {
        id: EntityId(id(10)),
        kind: "phone".into(),
        value: "+66811111111".into(),
    }]);
    let report = "INSERT INTO reports (seq, id, owner, author, kind, marking, dist_agencies, \
                  dist_groups, methods, occurred_at, reported_at, recorded_at, version, \
                  retracted_at, hit_notices, fingerprint, entities, body, rev) VALUES \
                  (?1, ?2, ?3, ?3, 'intelligence', ?4, X'', ?5, '[]', ?6, ?6, ?6, 1, ?7, 1, \
                  zeroblob(32), ?8, '{}', ?1)";
    for (seq, marking, groups, seen, retracted) in [
        (1, "GREEN", Vec::new(), 200, None),
        (2, "AMBER", group.clone(), 300, None),
        (3, "GREEN", Vec::new(), 50, Some(nanos(60))),
    ] {
        raw.execute(
            report,
            rusqlite::params![
                seq,
                id(seq as u128).into_bytes().to_vec(),
                owner,
                marking,
                groups,
                nanos(seen),
                retracted,
                phone_ref
            ],
        )
        .unwrap();
    }
    // Inserted out of time order: the migration must keep the key order.
    for (seq, seen, marking, groups) in
        [(2, 300, "AMBER", group.clone()), (1, 200, "GREEN", vec![])]
    {
        raw.execute(
            sighting,
            rusqlite::params![
                phone,
                nanos(seen),
                seq as i64,
                id(seq).into_bytes().to_vec(),
                owner,
                marking,
                Vec::<u8>::new(),
                groups
            ],
        )
        .unwrap();
    }
    raw.execute_batch(
        "UPDATE counters SET value = 2 WHERE name = 'sightings'; \
         UPDATE counters SET value = 3 WHERE name = 'reports'; PRAGMA user_version = 3;",
    )
    .unwrap();
}

fn draft() -> AuditDraft {
    AuditDraft {
        at: Timestamp::now(),
        actor_user: None,
        actor_agency: None,
        action: "report.create".into(),
        object_kind: "report".into(),
        object_id: "r".into(),
        request_id: "migration-test".into(),
        purpose: None,
    }
}

fn report_with(n: u128, seen: i64, entities: Vec<EntityRef>) -> ReportRecord {
    ReportRecord {
        id: ReportId(id(n)),
        owner: AgencyId(id(1_000)),
        author: UserId(id(2_000)),
        kind: ReportKind::Intelligence,
        marking: Tlp::Green,
        distribution: Distribution {
            agencies: BTreeSet::new(),
            groups: BTreeSet::new(),
        },
        methods: vec![],
        victim_country: None,
        occurred_at: Some(at(seen)),
        reported_at: at(seen),
        recorded_at: at(seen),
        version: 1,
        retracted_at: None,
        hit_notices: true,
        fingerprint: [7; 32],
        entities,
        body: String::new(),
    }
}

#[test]
fn entity_numbers_migration_keeps_headers_and_sightings() {
    let dir = tempfile::tempdir().unwrap();
    schema_3_database(&dir.path().join(DB_FILE));
    let store = SqliteStore::open(dir.path()).unwrap();
    let version: u32 = rusqlite::Connection::open(dir.path().join(DB_FILE))
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);

    let phone = EntityId(id(10));
    let wallet = EntityId(id(20));
    let e = store.entity(phone).unwrap().unwrap();
    assert_eq!(
        (e.kind.as_str(), e.value.as_str(), e.first_seen_at),
        ("phone", "+66811111111", at(100))
    );
    let w = store.entity(wallet).unwrap().unwrap();
    assert_eq!(
        w.first_seen_at,
        at(50),
        "a header without sightings survives"
    );
    assert!(store.sightings(wallet).unwrap().is_empty());
    let seen: Vec<(Timestamp, ReportId, Tlp, usize)> = store
        .sightings(phone)
        .unwrap()
        .iter()
        .map(|s: &SightingRecord| (s.seen_at, s.report, s.marking, s.distribution.groups.len()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (at(200), ReportId(id(1)), Tlp::Green, 0),
            (at(300), ReportId(id(2)), Tlp::Amber, 1)
        ],
        "sightings keep their facts and come back in time order"
    );
    assert_eq!(store.sighting_count().unwrap(), 2);

    // The migrated entities take new sightings: an earlier one moves first_seen_at back.
    let wallet_ref = EntityRef {
        id: wallet,
        kind: "wallet".into(),
        value: "bc1qexample".into(),
    };
    let phone_ref = EntityRef {
        id: phone,
        kind: "phone".into(),
        value: "+66811111111".into(),
    };
    store
        .put_reports(&[(report_with(4, 40, vec![wallet_ref, phone_ref]), draft())])
        .unwrap();
    assert_eq!(store.entity(wallet).unwrap().unwrap().first_seen_at, at(40));
    assert_eq!(store.entity(phone).unwrap().unwrap().first_seen_at, at(40));
    assert_eq!(store.sightings(wallet).unwrap().len(), 1);
    assert_eq!(
        store
            .sightings(phone)
            .unwrap()
            .iter()
            .map(|s| s.seen_at)
            .collect::<Vec<_>>(),
        vec![at(40), at(200), at(300)]
    );
    assert_eq!(store.sighting_count().unwrap(), 4);
}
