//! Noise: warninglisted and hub identifiers make no hits (noise can change, so this is decided
//! on read) but stay searchable.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture::{Fx, Spec, phone};
use jiff::Timestamp;
use warroom_correlate::Noise;
use warroom_domain::{AgencyId, EntityId};
use warroom_store::WarningRecord;

fn warning(entity: Option<EntityId>, removed: bool) -> WarningRecord {
    let at: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    WarningRecord {
        key: "phone:+6621111111".into(),
        kind: "phone".into(),
        value: "+6621111111".into(),
        entity,
        region: None,
        reason: "Krungthai call centre".into(),
        source: "shipped".into(),
        added_by: None,
        added_at: at,
        removed_at: removed.then_some(at),
    }
}

#[test]
fn a_warninglisted_identifier_makes_no_hits_but_can_be_looked_up() {
    let (a, b) = (AgencyId::random(), AgencyId::random());
    let mut fx = Fx::new();
    let bank = phone("+6621111111");
    fx.submit(
        a,
        Spec::default(),
        vec![bank.clone(), phone("+66811110000")],
    );
    fx.w.set_warninglist(&[warning(Some(bank.id), false), warning(None, false)]);
    fx.publish();
    fx.submit(
        b,
        Spec::default(),
        vec![bank.clone(), phone("+66811110000")],
    );
    let new = fx.publish();
    assert_eq!(new.len(), 1, "only the other number is news: {new:?}");
    let hb = fx.hits(b);
    assert_eq!(hb.len(), 1);
    assert_eq!(hb[0].value, "+66811110000");
    assert_eq!(
        fx.r.noise(bank.id),
        Some(Noise::Warninglisted {
            reason: "Krungthai call centre".into(),
            source: "shipped".into()
        })
    );
    assert_eq!(fx.r.entity(bank.id).unwrap().postings.len(), 2);

    // The entry removed from the list: the hit is there again.
    fx.w.set_warninglist(&[warning(Some(bank.id), true)]);
    assert_eq!(fx.hits(b).len(), 1, "not before publishing");
    fx.publish();
    assert_eq!(fx.hits(b).len(), 2);
    assert_eq!(fx.r.noise(bank.id), None);
}

#[test]
fn a_hub_is_found_from_the_data_and_a_syndicate_number_is_not() {
    let agencies: Vec<AgencyId> = (0..3).map(|_| AgencyId::random()).collect();
    let mut fx = Fx::new();
    let hub = phone("+6620000000");
    let gang = phone("+66899999999");
    // The hub sits beside other numbers that recur, but never with it again: 40 reports.
    for i in 0..40 {
        let other = phone(&format!("+6681{i:07}"));
        fx.submit(
            agencies[i % 3],
            Spec::default(),
            vec![hub.clone(), other.clone()],
        );
        for k in 0..3 {
            fx.submit(
                agencies[(i + k + 1) % 3],
                Spec::default(),
                vec![other.clone(), phone(&format!("+6682{i:05}{k:02}"))],
            );
        }
    }
    // The syndicate's number travels with the rest of its pool: 40 reports, five pool numbers.
    for i in 0..40 {
        let mate = phone(&format!("+6683000000{}", i % 5));
        fx.submit(agencies[i % 3], Spec::default(), vec![gang.clone(), mate]);
    }
    let new = fx.publish();
    assert!(
        new.iter().all(|h| h.key.entity != hub.id),
        "no news about the hub"
    );
    match fx.r.noise(hub.id) {
        Some(Noise::Hub {
            reports,
            agencies: n,
            threshold,
            lift,
        }) => {
            assert_eq!((reports, n, threshold), (40, 3, 30));
            assert!(lift < 0.5, "{lift}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fx.r.noise(gang.id), None);
    for a in &agencies {
        let hits = fx.hits(*a);
        assert!(hits.iter().all(|h| h.entity != hub.id));
        assert!(hits.iter().any(|h| h.entity == gang.id));
    }
    assert_eq!(fx.r.entity(hub.id).unwrap().postings.len(), 40);
}

/// The follower reloads agencies, the warninglist and the marks every few seconds and
/// publishes a snapshot only when one of them changed.
#[test]
fn reloading_the_same_warninglist_marks_and_agencies_reports_no_change() {
    let a = AgencyId::random();
    let mut fx = Fx::new();
    let bank = phone("+6621111111");
    fx.submit(a, Spec::default(), vec![bank.clone()]);
    fx.publish();
    let list = [warning(Some(bank.id), false)];
    assert!(fx.w.set_warninglist(&list));
    assert!(!fx.w.set_warninglist(&list));
    // A removed entry is a change; the removal again is not.
    let removed = [warning(Some(bank.id), true)];
    assert!(fx.w.set_warninglist(&removed));
    assert!(!fx.w.set_warninglist(&removed));

    let mark = warroom_store::MarkRecord {
        entity: bank.id,
        agency: a,
        user: warroom_domain::UserId::random(),
        verdict: "confirmed".into(),
        note: String::new(),
        at: "2026-03-01T00:00:00Z".parse().unwrap(),
    };
    assert!(fx.w.set_marks(std::slice::from_ref(&mark)));
    assert!(!fx.w.set_marks(std::slice::from_ref(&mark)));
    let disputed = warroom_store::MarkRecord {
        verdict: "false_positive".into(),
        ..mark
    };
    assert!(fx.w.set_marks(&[disputed]));

    let th = warroom_domain::CountryCode::parse("TH").unwrap();
    let us = warroom_domain::CountryCode::parse("US").unwrap();
    assert!(fx.w.set_agencies(&[(a, th)]));
    assert!(!fx.w.set_agencies(&[(a, th)]));
    assert!(fx.w.set_agencies(&[(a, us)]));
}
