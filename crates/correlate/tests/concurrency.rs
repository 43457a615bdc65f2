//! Readers never wait on the writer: a reader completes while the writer is in the middle of a
//! batch, and sees only what was published.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture::{Fx, Spec, phone};
use std::sync::mpsc;
use std::time::Duration;
use warroom_correlate::{Config, HubRule};
use warroom_domain::AgencyId;

#[test]
fn a_reader_completes_while_the_writer_is_mid_batch() {
    let (a, b) = (AgencyId::random(), AgencyId::random());
    // A number in every report beside nothing that recurs would be a hub: no hub rule here.
    let mut fx = Fx::with(Config {
        hub: HubRule {
            min_reports: u64::MAX,
            ..HubRule::default()
        },
    });
    let x = phone("+66813000000");
    fx.submit(a, Spec::default(), vec![x.clone()]);
    fx.publish();
    let reader = fx.r.clone();
    let (mid_tx, mid_rx) = mpsc::channel::<()>();
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let writer = std::thread::spawn(move || {
        for i in 0..5000 {
            fx.submit(
                b,
                Spec::default(),
                vec![x.clone(), phone(&format!("+6682{i:07}"))],
            );
            if i == 2500 {
                // Mid-batch: let the reader run, and wait for it.
                mid_tx.send(()).unwrap();
                go_rx.recv_timeout(Duration::from_secs(30)).unwrap();
            }
        }
        fx.publish();
        fx
    });
    mid_rx.recv_timeout(Duration::from_secs(60)).unwrap();
    // The writer holds its batch; reads complete and see the last published state.
    let (done_tx, done_rx) = mpsc::channel();
    let r2 = reader.clone();
    let x_id = phone("+66813000000").id;
    std::thread::spawn(move || {
        let e = r2.entity(x_id).map(|e| e.postings.len());
        let s = r2.stats();
        done_tx.send((e, s.reports)).unwrap();
    });
    let (postings, reports) = done_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("a reader blocked while the writer was mid-batch");
    assert_eq!(postings, Some(1));
    assert_eq!(reports, 1);
    go_tx.send(()).unwrap();
    let fx = writer.join().unwrap();
    assert_eq!(reader.entity(x_id).unwrap().postings.len(), 5001);
    let all = fx.r.hits(
        a,
        &common::fixture::access_of(a),
        &warroom_correlate::HitFilter::default(),
        None,
        usize::MAX,
    );
    assert_eq!(all.len(), 5000);
}

#[test]
fn readers_on_many_threads_see_whole_publishes_only() {
    let a = AgencyId::random();
    let mut fx = Fx::new();
    let x = phone("+66814000000");
    let y = phone("+66814000001");
    let reader = fx.r.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let r = reader.clone();
            let stop = stop.clone();
            let (x, y) = (x.id, y.id);
            std::thread::spawn(move || {
                let mut last = 0;
                let mut reads = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    // Every publish adds one report holding both: they always agree.
                    let nx = r.entity(x).map_or(0, |e| e.postings.len());
                    let rev = r.rev();
                    let ny = r.entity(y).map_or(0, |e| e.postings.len());
                    assert!(nx >= last, "went back in time");
                    assert!(ny >= nx);
                    assert!(rev as usize >= nx);
                    last = nx;
                    reads += 1;
                }
                reads
            })
        })
        .collect();
    for _ in 0..300 {
        fx.submit(a, Spec::default(), vec![x.clone(), y.clone()]);
        fx.publish();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in threads {
        assert!(t.join().unwrap() > 0);
    }
    assert_eq!(reader.entity(x.id).unwrap().postings.len(), 300);
}
