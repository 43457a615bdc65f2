//! The shared conformance stories, each on a fresh schema, with both bulk insert methods; plus
//! what only a server database can show: reconnecting, a schema from a newer build, tampering
//! with rows behind the store's back, and refused writes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{draft, fresh, fresh_url, fresh_with};
use warroom_store::audit::{Break, verify};
use warroom_store::conformance;
use warroom_store::{Store, StoreError};
use warroom_store_postgres::{BulkInsert, Options, PgStore, SCHEMA_VERSION, testing};

macro_rules! stories {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let (store, _) = fresh();
                conformance::$name(&store);
            }
        )*
    };
}

stories!(
    accounts,
    reports,
    report_listing,
    entities_and_sightings,
    audit,
    rate_windows,
    restore,
    change_log,
    correlation
);

/// `run_all` as another backend would call it, with the bulk method that is not the default,
/// so both insert paths pass every story.
#[test]
fn run_all_on_fresh_schemas_with_the_other_bulk_method() {
    let other = match BulkInsert::default() {
        BulkInsert::Copy => BulkInsert::Unnest,
        BulkInsert::Unnest => BulkInsert::Copy,
    };
    conformance::run_all(&|| {
        let (store, _) = fresh_with(Options {
            bulk: other,
            connections: 2,
        });
        Box::new(store) as Box<dyn Store>
    });
}

fn schema_version(url: &str) -> i64 {
    let rows = testing::simple_query(url, "SELECT max(version) FROM warroom_schema").unwrap();
    rows[0][0].as_deref().unwrap().parse().unwrap()
}

#[test]
fn reconnecting_keeps_data_and_does_not_migrate_again() {
    let url = fresh_url();
    {
        let store = PgStore::connect(&url).unwrap();
        store.append_audit(&[draft(1), draft(2)]).unwrap();
    }
    assert_eq!(schema_version(&url), i64::from(SCHEMA_VERSION));
    // The migrations create tables without IF NOT EXISTS: running them again would fail.
    let store = PgStore::connect(&url).unwrap();
    assert_eq!(schema_version(&url), i64::from(SCHEMA_VERSION));
    store.append_audit(&[draft(3)]).unwrap();
    let v = verify(&store, 10, |_| {}).unwrap();
    assert_eq!(
        (v.events, v.first_break),
        (3, None),
        "the chain continues across a reconnect"
    );
}

#[test]
fn two_stores_starting_together_migrate_once() {
    let url = fresh_url();
    let stores: Vec<PgStore> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| PgStore::connect(&url).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(schema_version(&url), i64::from(SCHEMA_VERSION));
    stores[0].append_audit(&[draft(1)]).unwrap();
    assert_eq!(verify(&stores[3], 10, |_| {}).unwrap().events, 1);
}

#[test]
fn a_schema_from_a_newer_build_is_refused() {
    let url = fresh_url();
    drop(PgStore::connect(&url).unwrap());
    testing::execute(
        &url,
        &format!(
            "INSERT INTO warroom_schema (version) VALUES ({})",
            SCHEMA_VERSION + 1
        ),
    )
    .unwrap();
    let err = PgStore::connect(&url).unwrap_err();
    assert!(
        matches!(&err, StoreError::Open(m) if m.contains("newer")),
        "got {err:?}"
    );
}

#[test]
fn a_search_path_without_a_schema_is_refused() {
    let base = testing::base_url().unwrap_or_else(|e| panic!("{e}"));
    let url = testing::with_search_path(&base, "t_does_not_exist");
    let err = PgStore::connect(&url).unwrap_err();
    assert!(
        matches!(&err, StoreError::Open(m) if m.contains("search_path")),
        "got {err:?}"
    );
}

#[test]
fn an_unreachable_server_is_an_open_error_without_the_password() {
    let err = PgStore::connect("postgres://warroom:s3cret@127.0.0.1:1/postgres").unwrap_err();
    let StoreError::Open(msg) = &err else {
        panic!("expected StoreError::Open, got {err:?}");
    };
    assert!(
        !msg.contains("s3cret"),
        "the message repeats the password: {msg}"
    );
    let err = PgStore::connect("postgres://[not a url").unwrap_err();
    assert!(matches!(err, StoreError::Open(_)), "got {err:?}");
}

/// A store with five events, and its URL to change them behind its back.
fn chain_of_five() -> (PgStore, String) {
    let (store, url) = fresh();
    store
        .append_audit(&(1..=5).map(draft).collect::<Vec<_>>())
        .unwrap();
    (store, url)
}

#[test]
fn a_changed_audit_row_breaks_the_chain_at_that_event() {
    let (store, url) = chain_of_five();
    assert_eq!(verify(&store, 2, |_| {}).unwrap().first_break, None);
    testing::execute(
        &url,
        "UPDATE audit SET object_id = 'someone-else' WHERE seq = 3",
    )
    .unwrap();
    let v = verify(&store, 2, |_| {}).unwrap();
    assert_eq!(v.first_break, Some(Break::Content { seq: 3 }));
    assert_eq!(v.events, 2, "events before the break still verify");
}

#[test]
fn a_deleted_audit_row_is_a_gap() {
    let (store, url) = chain_of_five();
    testing::execute(&url, "DELETE FROM audit WHERE seq = 4").unwrap();
    let v = verify(&store, 2, |_| {}).unwrap();
    assert_eq!(
        v.first_break,
        Some(Break::Gap {
            expected: 4,
            found: 5
        })
    );
}

#[test]
fn a_row_that_does_not_decode_is_corrupt() {
    let (store, url) = chain_of_five();
    testing::execute(&url, "UPDATE audit SET hash = '\\x00' WHERE seq = 2").unwrap();
    let err = verify(&store, 10, |_| {}).unwrap_err();
    assert!(
        matches!(&err, StoreError::Corrupt(m) if m.contains("hash")),
        "got {err:?}"
    );
}

#[test]
fn accounts_of_missing_owners_are_not_found() {
    use warroom_domain::{AgencyId, User, UserId};
    use warroom_store::{SessionRecord, TokenId, TokenRecord, UserRecord};
    let (store, _) = fresh();
    let at = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    let user = UserRecord {
        user: User {
            id: UserId::random(),
            agency: AgencyId::random(),
            username: "orphan".to_owned(),
            display_name: "Orphan".to_owned(),
            roles: Default::default(),
            disabled: false,
        },
        password_hash: None,
        created_at: at,
    };
    let err = store.create_user(&user, &draft(1)).unwrap_err();
    assert!(matches!(err, StoreError::NotFound("agency")), "got {err:?}");
    let token = TokenRecord {
        id: TokenId(uuid::Uuid::new_v4()),
        user: user.user.id,
        name: "t".to_owned(),
        hash: [1; 32],
        created_at: at,
        expires_at: None,
        revoked_at: None,
    };
    let err = store.create_token(&token, &draft(2)).unwrap_err();
    assert!(matches!(err, StoreError::NotFound("user")), "got {err:?}");
    let session = SessionRecord {
        hash: [2; 32],
        user: user.user.id,
        csrf: "c".to_owned(),
        created_at: at,
        expires_at: at,
    };
    let err = store.create_session(&session, &draft(3)).unwrap_err();
    assert!(matches!(err, StoreError::NotFound("user")), "got {err:?}");
    assert_eq!(
        verify(&store, 10, |_| {}).unwrap().events,
        0,
        "refused writes leave no event"
    );
    // The connections that ran the refused writes are fine for the next call.
    for i in 0..20 {
        store.append_audit(&[draft(10 + i)]).unwrap();
    }
    assert_eq!(verify(&store, 10, |_| {}).unwrap().events, 20);
}

fn report(n: u128) -> warroom_store::ReportRecord {
    use std::collections::BTreeSet;
    use warroom_domain::{AgencyId, Distribution, ReportId, ReportKind, Tlp, UserId};
    let t = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    warroom_store::ReportRecord {
        id: ReportId(uuid::Uuid::from_u128(n)),
        owner: AgencyId(uuid::Uuid::from_u128(1_000)),
        author: UserId(uuid::Uuid::from_u128(2_000)),
        kind: ReportKind::Intelligence,
        marking: Tlp::Green,
        distribution: Distribution {
            agencies: BTreeSet::new(),
            groups: BTreeSet::new(),
        },
        methods: vec![],
        victim_country: None,
        occurred_at: None,
        reported_at: t,
        recorded_at: t,
        version: 1,
        retracted_at: None,
        hit_notices: true,
        fingerprint: [u8::try_from(n).unwrap(); 32],
        entities: vec![],
        body: String::new(),
    }
}

/// A schema of version 1 (before the change log) with reports is migrated: existing reports
/// get revs in seq order, whatever order they changed in, and the log goes on.
#[test]
fn the_change_log_migration_numbers_existing_reports_in_seq_order() {
    let url = fresh_url();
    let (r1, r2, r3) = (report(1), report(2), report(3));
    {
        let store = PgStore::connect(&url).unwrap();
        store
            .put_reports(&[
                (r1.clone(), draft(1)),
                (r2.clone(), draft(2)),
                (r3.clone(), draft(3)),
            ])
            .unwrap();
        let mut v2 = r1.clone();
        v2.version = 2;
        store.update_report(&v2, &draft(4)).unwrap();
        let order: Vec<_> = store
            .report_changes(0, 10)
            .unwrap()
            .iter()
            .map(|c| (c.rev, c.report.id))
            .collect();
        assert_eq!(order, vec![(2, r2.id), (3, r3.id), (4, r1.id)]);
    }
    // Back to version 1, as a schema from the previous build would be.
    testing::execute(
        &url,
        "DROP INDEX reports_rev; ALTER TABLE reports DROP COLUMN rev; \
         DROP TABLE warninglist; DROP TABLE marks; DELETE FROM warroom_schema WHERE version > 1",
    )
    .unwrap();

    let store = PgStore::connect(&url).unwrap();
    assert_eq!(schema_version(&url), i64::from(SCHEMA_VERSION));
    let order: Vec<_> = store
        .report_changes(0, 10)
        .unwrap()
        .iter()
        .map(|c| (c.rev, c.seq, c.report.id))
        .collect();
    assert_eq!(
        order,
        vec![(1, 1, r1.id), (2, 2, r2.id), (3, 3, r3.id)],
        "existing reports are numbered in seq order"
    );
    assert_eq!(store.report_rev().unwrap(), 3);
    store
        .retract_report(r2.id, jiff::Timestamp::now(), &draft(5))
        .unwrap();
    let last = store.report_changes(3, 10).unwrap();
    assert_eq!(
        last.iter()
            .map(|c| (c.rev, c.report.id))
            .collect::<Vec<_>>(),
        vec![(4, r2.id)],
        "the next change takes the next rev"
    );
    assert!(store.warninglist().unwrap().is_empty());
    assert!(store.marks().unwrap().is_empty());
    assert_eq!(verify(&store, 10, |_| {}).unwrap().first_break, None);
}
