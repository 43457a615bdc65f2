//! The change feed: a commit through one store reaches sinks registered on another store of
//! the same schema (as another process would be), and the feed survives losing its connection.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{draft, fresh_url};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use uuid::Uuid;
use warroom_domain::{Agency, AgencyId, AgencyKind, CountryCode};
use warroom_store::{Change, Store};
use warroom_store_postgres::{PgStore, testing};

const WITHIN: Duration = Duration::from_secs(1);

fn agency(name: &str) -> Agency {
    Agency {
        id: AgencyId(Uuid::new_v4()),
        name: name.to_owned(),
        country: CountryCode::parse("TH").unwrap(),
        kind: AgencyKind::Police,
        home_node: "node-th".to_owned(),
    }
}

fn sink(store: &PgStore) -> mpsc::Receiver<Change> {
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    store
        .subscribe(Box::new(move |c| {
            let _ = tx.lock().unwrap().send(c);
        }))
        .unwrap();
    rx
}

/// Drains what arrives within `WITHIN` of the first change.
fn next(rx: &mpsc::Receiver<Change>) -> Change {
    rx.recv_timeout(WITHIN)
        .unwrap_or_else(|e| panic!("no change arrived within {WITHIN:?}: {e}"))
}

#[test]
fn a_change_committed_through_one_store_reaches_the_other_within_a_second() {
    let url = fresh_url();
    let a = PgStore::connect(&url).unwrap();
    let b = PgStore::connect(&url).unwrap();
    let on_b = sink(&b);
    let on_a = sink(&a);

    let start = Instant::now();
    a.create_agency(&agency("Royal Thai Police"), &draft(1))
        .unwrap();
    assert_eq!(next(&on_b), Change::Accounts);
    assert!(start.elapsed() < WITHIN);
    assert_eq!(next(&on_a), Change::Accounts, "this process is told too");

    // Writes that touch no account, report, warning or mark notify nothing.
    a.append_audit(&[draft(2)]).unwrap();
    assert!(on_b.recv_timeout(Duration::from_millis(300)).is_err());
    assert!(on_a.try_recv().is_err());

    // A refused write notifies nothing either (it never commits).
    let dup = agency("dup");
    a.create_agency(&dup, &draft(4)).unwrap();
    assert_eq!(next(&on_b), Change::Accounts);
    assert_eq!(next(&on_a), Change::Accounts);
    assert!(a.create_agency(&dup, &draft(5)).is_err());
    assert!(on_b.recv_timeout(Duration::from_millis(300)).is_err());
    assert!(on_a.try_recv().is_err());

    let (record, d) = {
        use std::collections::BTreeSet;
        use warroom_domain::{Distribution, ReportId, ReportKind, Tlp, UserId};
        let t = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        let r = warroom_store::ReportRecord {
            id: ReportId(Uuid::new_v4()),
            owner: dup.id,
            author: UserId(Uuid::new_v4()),
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
            fingerprint: [1; 32],
            entities: vec![],
            body: String::new(),
        };
        (r, draft(6))
    };
    b.put_reports(&[(record, d)]).unwrap();
    assert_eq!(next(&on_a), Change::Reports);
    assert_eq!(next(&on_b), Change::Reports);

    // The warninglist and marks, written or restored.
    let t = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    let warning = warroom_store::WarningRecord {
        key: "phone:raw:TH:1441".to_owned(),
        kind: "phone".to_owned(),
        value: "1441".to_owned(),
        entity: None,
        region: None,
        reason: "hotline".to_owned(),
        source: "shipped".to_owned(),
        added_by: None,
        added_at: t,
        removed_at: None,
    };
    a.put_warning(&warning, &draft(7)).unwrap();
    assert_eq!(next(&on_b), Change::Correlation);
    assert_eq!(next(&on_a), Change::Correlation);
    let mark = warroom_store::MarkRecord {
        entity: warroom_domain::EntityId(Uuid::new_v4()),
        agency: dup.id,
        user: warroom_domain::UserId(Uuid::new_v4()),
        verdict: "confirmed".to_owned(),
        note: String::new(),
        at: t,
    };
    b.put_mark(&mark, &draft(8)).unwrap();
    assert_eq!(next(&on_a), Change::Correlation);
    assert_eq!(next(&on_b), Change::Correlation);
    let copied = warroom_store::WarningRecord {
        key: "phone:raw:TH:1599".to_owned(),
        ..warning
    };
    a.restore(&warroom_store::Restore::Warnings(&[copied]))
        .unwrap();
    assert_eq!(next(&on_b), Change::Correlation);
    assert_eq!(next(&on_a), Change::Correlation);
}

#[tokio::test]
async fn subscribe_works_inside_a_runtime_and_every_sink_is_called() {
    let url = fresh_url();
    let a = PgStore::connect(&url).unwrap();
    let first = sink(&a);
    let second = sink(&a);
    a.create_agency(&agency("Royal Thai Police"), &draft(1))
        .unwrap();
    assert_eq!(next(&first), Change::Accounts);
    assert_eq!(next(&second), Change::Accounts);
}

#[test]
fn the_feed_reconnects_and_says_what_may_have_been_missed() {
    let app = format!("feed_{}", Uuid::new_v4().simple());
    let url = format!("{}&application_name={app}", fresh_url());
    let a = PgStore::connect(&url).unwrap();
    let on_a = sink(&a);
    let rows = testing::simple_query(
        &url,
        &format!(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE application_name = '{app}' AND query LIKE 'LISTEN warroom%'"
        ),
    )
    .unwrap();
    assert_eq!(rows[0][0].as_deref(), Some("1"), "the listener was killed");
    // After the reconnect (backoff starts at 50 ms) every sink hears that anything may have
    // changed.
    let mut heard = vec![next(&on_a), next(&on_a), next(&on_a)];
    heard.sort_by_key(|c| *c as u8);
    assert_eq!(
        heard,
        vec![Change::Accounts, Change::Reports, Change::Correlation]
    );
    // And the feed works again.
    a.create_agency(&agency("after"), &draft(1)).unwrap();
    assert_eq!(next(&on_a), Change::Accounts);
}
