//! Risk: terms count only what the viewer may know; marks only from agencies it may know hold
//! the identifier (or its own).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture::{Fx, Spec, access_of, phone, ts};
use warroom_correlate::Noise;
use warroom_domain::{AgencyId, Tlp, UserId};
use warroom_store::MarkRecord;

fn mark(entity: warroom_domain::EntityId, agency: AgencyId, verdict: &str) -> MarkRecord {
    MarkRecord {
        entity,
        agency,
        user: UserId::random(),
        verdict: verdict.into(),
        note: String::new(),
        at: ts("2026-03-01T00:00:00Z"),
    }
}

fn term<'a>(r: &'a warroom_correlate::Risk, name: &str) -> &'a warroom_correlate::RiskTerm {
    r.terms.iter().find(|t| t.name == name).unwrap()
}

#[test]
fn terms_count_only_what_the_viewer_may_know() {
    let (a, b, c, d) = (
        AgencyId::random(),
        AgencyId::random(),
        AgencyId::random(),
        AgencyId::random(),
    );
    let mut fx = Fx::new();
    fx.agencies(&[(a, "TH"), (b, "JP"), (c, "US"), (d, "IN")]);
    let x = phone("+66812340000");
    fx.submit(
        a,
        Spec {
            at: ts("2026-03-01T00:00:00Z"),
            ..Spec::default()
        },
        vec![x.clone()],
    );
    fx.submit(
        b,
        Spec {
            marking: Tlp::Amber,
            ..Spec::default()
        },
        vec![x.clone()],
    );
    fx.submit(
        c,
        Spec {
            marking: Tlp::Red,
            ..Spec::default()
        },
        vec![x.clone()],
    );
    fx.w.set_marks(&[
        mark(x.id, b, "confirmed"),      // B is known to A (held by): counts
        mark(x.id, c, "confirmed"),      // C holds it only under RED: must not count
        mark(x.id, a, "false_positive"), // A's own: counts
        mark(x.id, d, "confirmed"),      // D holds nothing: does not count
        mark(x.id, b, "something_else"), // not a verdict
    ]);
    fx.publish();
    let now = ts("2026-03-31T00:00:00Z");
    let r = fx.r.risk(x.id, a, &access_of(a), now).unwrap();
    assert_eq!(r.noise, None);
    assert_eq!(term(&r, "agencies").input, 2.0);
    assert_eq!(term(&r, "countries").input, 2.0);
    assert!(
        term(&r, "countries").explanation.contains("JP, TH"),
        "{}",
        term(&r, "countries").explanation
    );
    assert_eq!(
        term(&r, "reports").input,
        1.0,
        "B's AMBER report is only 'held by'"
    );
    assert_eq!(term(&r, "recency").input.round(), 30.0);
    assert_eq!(term(&r, "confirmations").input, 1.0);
    assert_eq!(term(&r, "false_positives").input, 1.0);
    assert_eq!(term(&r, "false_positives").points, -40.0);
    let sum: f64 = r.terms.iter().map(|t| t.points).sum();
    assert!((r.score - sum.clamp(0.0, 100.0)).abs() < 1e-9);
    for t in &r.terms {
        assert!(!t.explanation.is_empty());
        assert!(t.points.abs() <= t.max_points.abs() + 1e-9, "{t:?}");
        assert!(
            !t.explanation.contains("3 agencies"),
            "C must not be counted: {}",
            t.explanation
        );
    }
    // Recency follows MISP's polynomial decay: 30 days into 180 at speed 2.3.
    let want = 20.0 * (1.0 - (30.0f64 / 180.0).powf(1.0 / 2.3));
    assert!((term(&r, "recency").points - want).abs() < 0.01);

    // Without the false-positive mark the score is higher.
    fx.w.set_marks(&[mark(x.id, b, "confirmed")]);
    fx.publish();
    let r2 = fx.r.risk(x.id, a, &access_of(a), now).unwrap();
    assert!(r2.score > r.score + 30.0, "{} vs {}", r2.score, r.score);

    // D may know of A's GREEN report and B's "held by": it sees the identifier, reads one
    // report, and no mark of C.
    let rd = fx.r.risk(x.id, d, &access_of(d), now).unwrap();
    assert_eq!(term(&rd, "agencies").input, 2.0);
}

#[test]
fn nothing_for_a_viewer_that_may_know_of_no_report_and_zero_for_noise() {
    let (a, b) = (AgencyId::random(), AgencyId::random());
    let mut fx = Fx::new();
    let x = phone("+66812350000");
    fx.submit(
        a,
        Spec {
            marking: Tlp::Red,
            ..Spec::default()
        },
        vec![x.clone()],
    );
    fx.publish();
    let now = ts("2026-03-31T00:00:00Z");
    assert!(fx.r.risk(x.id, b, &access_of(b), now).is_none());
    assert!(fx.r.risk(x.id, a, &access_of(a), now).is_some());

    let at = ts("2026-01-01T00:00:00Z");
    fx.w.set_warninglist(&[warroom_store::WarningRecord {
        key: "phone:+66812350000".into(),
        kind: "phone".into(),
        value: "+66812350000".into(),
        entity: Some(x.id),
        region: None,
        reason: "test line".into(),
        source: "admin".into(),
        added_by: None,
        added_at: at,
        removed_at: None,
    }]);
    fx.publish();
    let r = fx.r.risk(x.id, a, &access_of(a), now).unwrap();
    assert_eq!(r.score, 0.0);
    assert!(matches!(r.noise, Some(Noise::Warninglisted { .. })));
    assert!(r.terms[0].explanation.contains("test line"));
    assert!(
        fx.r.risk(x.id, b, &access_of(b), now).is_none(),
        "noise reveals nothing either"
    );
}
