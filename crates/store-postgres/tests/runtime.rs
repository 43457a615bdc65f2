//! The store is synchronous but must work wherever it is called from: plain threads, tokio's
//! blocking pool, and straight from inside a tokio task (multi-thread or current-thread), where
//! a driver that starts its own runtime would panic. It may also be dropped inside a task.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{draft, fresh};
use std::sync::Arc;
use warroom_store::audit::verify;
use warroom_store::conformance;
use warroom_store::{AuditFilter, Store};

/// Many calls in a row (more than tokio's cooperative budget of 128 per task poll).
fn exercise(store: &dyn Store) {
    for i in 0..200 {
        store.append_audit(&[draft(i)]).unwrap();
        // At least this call's event follows the `i` events this caller wrote before.
        let events = store
            .audit_events(&AuditFilter {
                agency: None,
                after: u64::from(i),
                limit: 10,
            })
            .unwrap();
        assert!(!events.is_empty());
    }
    assert_eq!(verify(store, 64, |_| {}).unwrap().first_break, None);
}

#[tokio::test]
async fn works_inside_a_current_thread_runtime() {
    let (store, _) = fresh();
    exercise(&store);
    conformance::accounts(&fresh().0);
    // Dropped here, inside the task.
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_inside_a_multi_thread_runtime() {
    let (store, _) = fresh();
    exercise(&store);
    conformance::reports(&fresh().0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_from_spawn_blocking_and_tasks_at_once() {
    let (store, _) = fresh();
    let store: Arc<dyn Store> = Arc::new(store);
    let mut handles = Vec::new();
    for t in 0..4u32 {
        let s = Arc::clone(&store);
        handles.push(tokio::task::spawn_blocking(move || {
            for i in 0..50 {
                s.append_audit(&[draft(t * 1000 + i)]).unwrap();
            }
        }));
        let s = Arc::clone(&store);
        handles.push(tokio::spawn(async move {
            for i in 0..50 {
                s.append_audit(&[draft(t * 1000 + 500 + i)]).unwrap();
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let v = verify(&*store, 100, |_| {}).unwrap();
    assert_eq!((v.events, v.first_break), (400, None));
}

#[test]
fn works_from_plain_threads_and_a_runtime_built_on_one() {
    let (store, _) = fresh();
    std::thread::scope(|s| {
        s.spawn(|| exercise(&store));
        s.spawn(|| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                for i in 0..100 {
                    store.append_audit(&[draft(10_000 + i)]).unwrap();
                }
            });
        });
    });
    let v = verify(&store, 100, |_| {}).unwrap();
    assert_eq!((v.events, v.first_break), (300, None));
}

#[test]
fn a_killed_connection_is_replaced_at_its_next_use() {
    // A name of its own, so that only this store's connections are killed.
    let app = format!("kill_{}", uuid::Uuid::new_v4().simple());
    let url = format!("{}&application_name={app}", common::fresh_url());
    let store = warroom_store_postgres::PgStore::connect(&url).unwrap();
    store.append_audit(&[draft(1)]).unwrap();
    let rows = warroom_store_postgres::testing::simple_query(
        &url,
        &format!(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE application_name = '{app}' AND pid <> pg_backend_pid()"
        ),
    )
    .unwrap();
    let killed: u64 = rows[0][0].as_deref().unwrap().parse().unwrap();
    assert_eq!(killed, 8, "every pooled connection was killed");
    // A call may fail if it leases a connection before its end has been noticed; then it is
    // replaced, and every later call works.
    let mut failures = 0;
    for i in 0..30 {
        if store.append_audit(&[draft(100 + i)]).is_err() {
            failures += 1;
        }
    }
    assert!(failures <= 8, "{failures} calls failed");
    for i in 0..20 {
        store.append_audit(&[draft(200 + i)]).unwrap();
    }
    assert_eq!(verify(&store, 100, |_| {}).unwrap().first_break, None);
}
