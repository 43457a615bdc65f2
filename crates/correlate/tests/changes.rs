//! Changes: updates that add or remove identifiers, retractions, revisions out of order, and
//! publishing (readers see nothing unpublished).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture::{Fx, Spec, phone};
use warroom_correlate::Side;
use warroom_domain::AgencyId;

#[test]
fn an_update_adding_an_identifier_to_an_old_report_creates_the_later_entries() {
    let (a, b, c) = (AgencyId::random(), AgencyId::random(), AgencyId::random());
    let mut fx = Fx::new();
    let old = fx.submit(a, Spec::default(), vec![phone("+66810000001")]);
    fx.submit(b, Spec::default(), vec![phone("+66810000002")]);
    fx.submit(c, Spec::default(), vec![phone("+66810000002")]);
    let first = fx.publish();
    assert_eq!(first.len(), 1, "C's report hits B's");
    assert!(fx.hits(a).is_empty());

    // A's old report now also names the number B and C reported later.
    fx.update(old, |r| r.entities.push(phone("+66810000002")));
    let new = fx.publish();
    // Entries (B's report) and (C's report) now involve A; nothing for A's own report (it is
    // the earliest).
    assert_eq!(new.len(), 2, "{new:?}");
    for h in &new {
        assert!(h.agencies.contains(&a), "{h:?}");
    }
    let ha = fx.hits(a);
    assert_eq!(ha.len(), 2);
    assert!(ha.iter().all(|h| h.side == Side::Held));
    // B's report now has a submitted-side hit (A held it earlier), with A as counterpart,
    // beside the held-side hit it had (C's report).
    let hb = fx.hits(b);
    assert_eq!(hb.len(), 2);
    let sub: Vec<_> = hb.iter().filter(|h| h.side == Side::Submitted).collect();
    assert_eq!(sub.len(), 1);
    assert_eq!(sub[0].counterparts.len(), 1);
    assert_eq!(sub[0].counterparts[0].agency(), a);
    // C's hit lists both earlier holders.
    let hc = fx.hits(c);
    assert_eq!(hc.len(), 1);
    assert_eq!(hc[0].counterparts.len(), 2);
}

#[test]
fn an_update_removing_an_identifier_and_a_retraction_make_hits_vanish() {
    let (a, b) = (AgencyId::random(), AgencyId::random());
    let mut fx = Fx::new();
    let ra = fx.submit(
        a,
        Spec::default(),
        vec![phone("+66820000001"), phone("+66820000002")],
    );
    let rb = fx.submit(
        b,
        Spec::default(),
        vec![phone("+66820000001"), phone("+66820000002")],
    );
    fx.publish();
    assert_eq!(fx.hits(b).len(), 2);

    fx.update(rb, |r| r.entities.retain(|e| e.value != "+66820000001"));
    assert!(fx.publish().is_empty());
    let hb = fx.hits(b);
    assert_eq!(hb.len(), 1);
    assert_eq!(hb[0].value, "+66820000002");
    assert_eq!(fx.hits(a).len(), 1);

    // Retracting the earlier report: no earlier holder is left.
    fx.update(ra, |r| r.retracted_at = Some(r.reported_at));
    fx.publish();
    assert!(fx.hits(a).is_empty());
    assert!(fx.hits(b).is_empty());
    let e = fx.r.entity(phone("+66820000002").id).unwrap();
    assert_eq!(e.postings.len(), 1);
    assert_eq!(e.postings[0].report, rb);
    assert!(
        fx.r.entity(phone("+66820000001").id).is_none(),
        "only the retracted report held it"
    );
    let s = fx.r.stats();
    assert_eq!((s.reports, s.entities, s.sightings), (1, 1, 1));
}

#[test]
fn changes_applied_out_of_order_are_ignored() {
    let a = AgencyId::random();
    let mut fx = Fx::new();
    let id = fx.submit(a, Spec::default(), vec![phone("+66830000001")]);
    let v2 = fx.update(id, |r| r.entities = vec![phone("+66830000002")]);
    let v3 = fx.update(id, |r| r.entities = vec![phone("+66830000003")]);
    // Replaying older versions changes nothing.
    let mut stale = v2.clone();
    fx.w.apply(&stale);
    stale.rev = v3.rev; // same rev as applied: ignored too
    stale.report.entities = vec![phone("+66830000009")];
    fx.w.apply(&stale);
    fx.publish();
    assert!(fx.r.entity(phone("+66830000003").id).is_some());
    assert!(fx.r.entity(phone("+66830000002").id).is_none());
    assert!(fx.r.entity(phone("+66830000009").id).is_none());
    assert_eq!(fx.r.rev(), v3.rev);
    assert_eq!(fx.w.rev(), v3.rev);
}

#[test]
fn readers_see_nothing_until_published() {
    let (a, b) = (AgencyId::random(), AgencyId::random());
    let mut fx = Fx::new();
    fx.submit(a, Spec::default(), vec![phone("+66840000001")]);
    fx.submit(b, Spec::default(), vec![phone("+66840000001")]);
    assert!(fx.r.entity(phone("+66840000001").id).is_none());
    assert!(fx.hits(b).is_empty());
    assert_eq!(fx.r.rev(), 0);
    assert_eq!(fx.r.stats().reports, 0);
    fx.publish();
    assert_eq!(
        fx.r.entity(phone("+66840000001").id)
            .unwrap()
            .postings
            .len(),
        2
    );
    assert_eq!(fx.hits(b).len(), 1);
    assert_eq!(fx.r.rev(), 2);
    // A clone reads the same index.
    let other = fx.r.clone();
    fx.submit(a, Spec::default(), vec![phone("+66840000002")]);
    assert!(other.entity(phone("+66840000002").id).is_none());
    fx.publish();
    assert!(other.entity(phone("+66840000002").id).is_some());
}

#[test]
fn a_quiet_writer_makes_no_new_hits_but_the_same_index() {
    let (a, b) = (AgencyId::random(), AgencyId::random());
    let mut fx = Fx::new();
    fx.w.set_quiet(true);
    fx.submit(a, Spec::default(), vec![phone("+66850000001")]);
    fx.submit(b, Spec::default(), vec![phone("+66850000001")]);
    assert!(fx.publish().is_empty());
    assert_eq!(fx.hits(b).len(), 1);
    fx.w.set_quiet(false);
    fx.submit(a, Spec::default(), vec![phone("+66850000001")]);
    assert_eq!(fx.publish().len(), 1);
}

#[test]
fn entity_lists_postings_oldest_first_with_their_facts() {
    let (a, b) = (AgencyId::random(), AgencyId::random());
    let mut fx = Fx::new();
    let late = fx.submit(
        a,
        Spec {
            at: common::fixture::ts("2026-05-01T00:00:00Z"),
            ..Spec::default()
        },
        vec![phone("+66860000001")],
    );
    let early = fx.submit(
        b,
        Spec {
            at: common::fixture::ts("2026-02-01T00:00:00Z"),
            hit_notices: false,
            ..Spec::default()
        },
        vec![phone("+66860000001")],
    );
    fx.publish();
    let e = fx.r.entity(phone("+66860000001").id).unwrap();
    assert_eq!(e.kind, "phone");
    assert_eq!(e.value, "+66860000001");
    let order: Vec<_> = e.postings.iter().map(|p| p.report).collect();
    assert_eq!(order, vec![early, late]);
    assert_eq!(e.postings[0].agency, b);
    assert!(!e.postings[0].hit_notices);
    assert_eq!(e.postings[1].seq, 1);
}
