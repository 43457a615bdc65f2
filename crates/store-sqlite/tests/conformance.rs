//! The shared conformance stories on fresh SQLite stores, plus what only SQLite can show:
//! reopening, tampering with rows behind the store's back, and bad data directories.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use warroom_store::audit::{Break, verify};
use warroom_store::conformance;
use warroom_store::{AuditDraft, Store, StoreError};
use warroom_store_sqlite::{DB_FILE, SCHEMA_VERSION, SqliteStore};

/// A store in a temp dir that lives as long as the store.
struct Fresh {
    store: SqliteStore,
    _dir: tempfile::TempDir,
}

impl Fresh {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self {
            store: SqliteStore::open(dir.path()).unwrap(),
            _dir: dir,
        }
    }
}

macro_rules! stories {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let fresh = Fresh::new();
                conformance::$name(&fresh.store);
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

/// `run_all` as another backend would call it: each story on its own fresh store.
#[test]
fn run_all_on_fresh_stores() {
    let dirs = std::sync::Mutex::new(Vec::new());
    conformance::run_all(&|| {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        dirs.lock().unwrap().push(dir);
        Box::new(store) as Box<dyn Store>
    });
}

fn draft(i: u32) -> AuditDraft {
    AuditDraft {
        at: jiff::Timestamp::new(1_700_000_000 + i64::from(i), 7).unwrap(),
        actor_user: None,
        actor_agency: None,
        action: "report.read".to_owned(),
        object_kind: "report".to_owned(),
        object_id: format!("r{i}"),
        request_id: format!("req-{i}"),
        purpose: None,
    }
}

fn user_version(dir: &Path) -> u32 {
    let conn = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

#[test]
fn reopening_keeps_data_and_does_not_migrate_again() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SqliteStore::open(dir.path()).unwrap();
        store.append_audit(&[draft(1), draft(2)]).unwrap();
    }
    assert_eq!(user_version(dir.path()), SCHEMA_VERSION);
    // The migrations create tables without IF NOT EXISTS: running them again would fail.
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(user_version(dir.path()), SCHEMA_VERSION);
    store.append_audit(&[draft(3)]).unwrap();
    let v = verify(&store, 10, |_| {}).unwrap();
    assert_eq!(
        (v.events, v.first_break),
        (3, None),
        "the chain continues across a reopen"
    );
}

#[test]
fn a_database_from_a_newer_build_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(SqliteStore::open(dir.path()).unwrap());
    rusqlite::Connection::open(dir.path().join(DB_FILE))
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let err = SqliteStore::open(dir.path()).unwrap_err();
    assert!(
        matches!(&err, StoreError::Open(m) if m.contains("newer")),
        "got {err:?}"
    );
}

/// A store with five events and a raw connection to change them behind its back.
fn chain_of_five() -> (tempfile::TempDir, SqliteStore, rusqlite::Connection) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    store
        .append_audit(&(1..=5).map(draft).collect::<Vec<_>>())
        .unwrap();
    let raw = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    (dir, store, raw)
}

#[test]
fn a_changed_audit_row_breaks_the_chain_at_that_event() {
    let (_dir, store, raw) = chain_of_five();
    assert_eq!(verify(&store, 2, |_| {}).unwrap().first_break, None);
    raw.execute(
        "UPDATE audit SET object_id = 'someone-else' WHERE seq = 3",
        [],
    )
    .unwrap();
    let v = verify(&store, 2, |_| {}).unwrap();
    assert_eq!(v.first_break, Some(Break::Content { seq: 3 }));
    assert_eq!(v.events, 2, "events before the break still verify");
}

#[test]
fn a_deleted_audit_row_is_a_gap() {
    let (_dir, store, raw) = chain_of_five();
    raw.execute("DELETE FROM audit WHERE seq = 4", []).unwrap();
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
fn a_data_directory_that_is_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let err = SqliteStore::open(&file).unwrap_err();
    let StoreError::Open(msg) = &err else {
        panic!("expected StoreError::Open, got {err:?}");
    };
    assert!(
        msg.contains("not-a-dir"),
        "the message names the path: {msg}"
    );
    assert!(
        err.to_string().starts_with("cannot open the store"),
        "{err}"
    );
}

#[test]
fn an_unreadable_database_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(DB_FILE), vec![0x42; 8192]).unwrap();
    let err = SqliteStore::open(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::Open(_)), "got {err:?}");
}

#[test]
fn accounts_of_missing_owners_are_not_found() {
    use warroom_domain::{AgencyId, User, UserId};
    use warroom_store::{SessionRecord, TokenId, TokenRecord, UserRecord};
    let fresh = Fresh::new();
    let store = &fresh.store;
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
        verify(store, 10, |_| {}).unwrap().events,
        0,
        "refused writes leave no event"
    );
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

/// A store of schema version 2 (before the change log) with reports is migrated: existing
/// reports get revs in seq order, whatever order they changed in, and the log goes on.
#[test]
fn the_change_log_migration_numbers_existing_reports_in_seq_order() {
    let dir = tempfile::tempdir().unwrap();
    let (r1, r2, r3) = (report(1), report(2), report(3));
    {
        let store = SqliteStore::open(dir.path()).unwrap();
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
    // Back to version 2, as a database from the previous build would be.
    let raw = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    raw.execute_batch(
        "DROP INDEX reports_rev; ALTER TABLE reports DROP COLUMN rev; \
         DROP TABLE warninglist; DROP TABLE marks; \
         DROP TABLE sightings; DROP TABLE entities; \
         CREATE TABLE entities (entity_id BLOB NOT NULL, seen_at INTEGER NOT NULL, \
           report_seq INTEGER NOT NULL, kind TEXT, value TEXT, first_seen_at INTEGER, \
           report_id BLOB, owner BLOB, marking TEXT, dist_agencies BLOB, dist_groups BLOB, \
           PRIMARY KEY (entity_id, seen_at, report_seq)) WITHOUT ROWID; \
         PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(raw);

    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(user_version(dir.path()), SCHEMA_VERSION);
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
