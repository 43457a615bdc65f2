//! Hits and their shaping: every rule of SPEC section 4 as the index applies it (Full, HitOnly
//! and None, on both sides, with hit notices on and off).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture::{Fx, Spec, access_of, ent, phone, ts};
use warroom_correlate::{HitFilter, HitKey, Shown, Side};
use warroom_domain::{AgencyId, Tlp};

fn three() -> (AgencyId, AgencyId, AgencyId) {
    (AgencyId::random(), AgencyId::random(), AgencyId::random())
}

#[test]
fn both_sides_are_told_when_both_may_read() {
    let (a, b, c) = three();
    let mut fx = Fx::new();
    let ra = fx.submit(a, Spec::default(), vec![phone("+66811111111")]);
    let rb = fx.submit(b, Spec::default(), vec![phone("+66811111111")]);
    let new = fx.publish();
    assert_eq!(new.len(), 1);
    let mut involved = new[0].agencies.clone();
    involved.sort();
    let mut want = vec![a, b];
    want.sort();
    assert_eq!(involved, want);

    let hb = fx.hits(b);
    assert_eq!(hb.len(), 1);
    assert_eq!(hb[0].side, Side::Submitted);
    assert!(
        matches!(hb[0].report, Shown::Full { report, agency, .. } if report == rb && agency == b)
    );
    assert!(
        matches!(hb[0].counterparts[..], [Shown::Full { report, agency, .. }] if report == ra && agency == a)
    );
    assert_eq!(hb[0].kind, "phone");
    assert_eq!(hb[0].value, "+66811111111");

    let ha = fx.hits(a);
    assert_eq!(ha.len(), 1);
    assert_eq!(ha[0].side, Side::Held);
    assert_eq!(ha[0].key, hb[0].key);
    assert!(matches!(ha[0].report, Shown::Full { report, .. } if report == rb));
    assert!(matches!(ha[0].counterparts[..], [Shown::Full { report, .. }] if report == ra));

    assert!(fx.hits(c).is_empty(), "a third agency learns nothing");
    // The live stream's view of the entry is the listing's.
    assert_eq!(fx.r.hit(hb[0].key, b, &access_of(b)), Some(hb[0].clone()));
    assert_eq!(fx.r.hit(hb[0].key, a, &access_of(a)), Some(ha[0].clone()));
    assert_eq!(fx.r.hit(hb[0].key, c, &access_of(c)), None);
}

#[test]
fn amber_outside_the_distribution_is_shown_as_held_by_once_per_agency() {
    let (a, b, _) = three();
    let mut fx = Fx::new();
    let amber = || Spec {
        marking: Tlp::Amber,
        ..Spec::default()
    };
    fx.submit(a, amber(), vec![phone("+66822222222")]);
    fx.submit(a, amber(), vec![phone("+66822222222")]);
    fx.submit(b, Spec::default(), vec![phone("+66822222222")]);
    fx.publish();
    let hb = fx.hits(b);
    assert_eq!(hb.len(), 1);
    assert_eq!(hb[0].counterparts, vec![Shown::HeldBy { agency: a }]);

    // A readable report of the same agency: shown in full, and no "held by" beside it.
    let (a2, b2, _) = three();
    let mut fx = Fx::new();
    fx.submit(a2, amber(), vec![phone("+66822222222")]);
    let green = fx.submit(a2, Spec::default(), vec![phone("+66822222222")]);
    fx.submit(b2, Spec::default(), vec![phone("+66822222222")]);
    fx.publish();
    let hb = fx.hits(b2);
    assert_eq!(hb.len(), 1);
    assert!(matches!(hb[0].counterparts[..], [Shown::Full { report, .. }] if report == green));

    // Named in the distribution: full.
    let (a3, b3, _) = three();
    let mut fx = Fx::new();
    let ra = fx.submit(
        a3,
        Spec {
            marking: Tlp::Amber,
            to: vec![b3],
            ..Spec::default()
        },
        vec![phone("+66822222222")],
    );
    fx.submit(b3, Spec::default(), vec![phone("+66822222222")]);
    fx.publish();
    assert!(
        matches!(fx.hits(b3)[0].counterparts[..], [Shown::Full { report, .. }] if report == ra)
    );
}

#[test]
fn strict_and_red_reports_give_nothing_away() {
    for marking in [Tlp::AmberStrict, Tlp::Red] {
        let (a, b, _) = three();
        let mut fx = Fx::new();
        fx.submit(
            a,
            Spec {
                marking,
                ..Spec::default()
            },
            vec![phone("+66833333333")],
        );
        fx.submit(b, Spec::default(), vec![phone("+66833333333")]);
        fx.publish();
        assert!(
            fx.hits(b).is_empty(),
            "{marking}: the submitter learns nothing"
        );
        // The holder is told (it reads the submitter's GREEN report).
        let ha = fx.hits(a);
        assert_eq!(ha.len(), 1, "{marking}");
        assert_eq!(ha[0].side, Side::Held);

        // The other way round: the later report is strict; its owner is told who held it,
        // the earlier holder learns nothing.
        let (a, b, _) = three();
        let mut fx = Fx::new();
        fx.submit(a, Spec::default(), vec![phone("+66833333333")]);
        fx.submit(
            b,
            Spec {
                marking,
                ..Spec::default()
            },
            vec![phone("+66833333333")],
        );
        fx.publish();
        assert!(
            fx.hits(a).is_empty(),
            "{marking}: the holder learns nothing"
        );
        assert_eq!(fx.hits(b).len(), 1, "{marking}");
        // Named agencies read it.
        let (a, b, _) = three();
        let mut fx = Fx::new();
        fx.submit(a, Spec::default(), vec![phone("+66833333333")]);
        let rb = fx.submit(
            b,
            Spec {
                marking,
                to: vec![a],
                ..Spec::default()
            },
            vec![phone("+66833333333")],
        );
        fx.publish();
        assert!(matches!(fx.hits(a)[0].report, Shown::Full { report, .. } if report == rb));
    }
}

#[test]
fn the_held_side_sees_an_amber_submission_as_held_by() {
    let (a, b, _) = three();
    let mut fx = Fx::new();
    let ra = fx.submit(a, Spec::default(), vec![phone("+66844444444")]);
    fx.submit(
        b,
        Spec {
            marking: Tlp::Amber,
            ..Spec::default()
        },
        vec![phone("+66844444444")],
    );
    fx.publish();
    let ha = fx.hits(a);
    assert_eq!(ha.len(), 1);
    assert_eq!(ha[0].report, Shown::HeldBy { agency: b });
    assert!(matches!(ha[0].counterparts[..], [Shown::Full { report, .. }] if report == ra));
}

#[test]
fn hit_notices_off_hides_a_report_from_others_but_its_owner_still_learns() {
    // The earlier report has notices off: the submitter is not told of it...
    let (a, b, _) = three();
    let mut fx = Fx::new();
    fx.submit(
        a,
        Spec {
            hit_notices: false,
            ..Spec::default()
        },
        vec![phone("+66855555555")],
    );
    fx.submit(b, Spec::default(), vec![phone("+66855555555")]);
    fx.publish();
    assert!(fx.hits(b).is_empty());
    // ...while its owner learns who matched.
    let ha = fx.hits(a);
    assert_eq!(ha.len(), 1);
    assert_eq!(ha[0].side, Side::Held);

    // The later report has notices off: the earlier holder is not told; its owner is.
    let (a, b, _) = three();
    let mut fx = Fx::new();
    fx.submit(a, Spec::default(), vec![phone("+66855555555")]);
    fx.submit(
        b,
        Spec {
            hit_notices: false,
            ..Spec::default()
        },
        vec![phone("+66855555555")],
    );
    fx.publish();
    assert!(fx.hits(a).is_empty());
    assert_eq!(fx.hits(b).len(), 1);
    assert_eq!(fx.hits(b)[0].side, Side::Submitted);
}

#[test]
fn own_agency_persons_and_single_agencies_never_hit() {
    let (a, b, _) = three();
    let mut fx = Fx::new();
    let person = ent("person", "Somchai");
    fx.submit(
        a,
        Spec::default(),
        vec![phone("+66866666666"), person.clone()],
    );
    fx.submit(a, Spec::default(), vec![phone("+66866666666")]);
    fx.submit(b, Spec::default(), vec![person]);
    assert!(fx.publish().is_empty());
    assert!(fx.hits(a).is_empty());
    assert!(fx.hits(b).is_empty());
}

#[test]
fn listing_pages_newest_first_and_filters_after_shaping() {
    let (a, b, c) = three();
    let mut fx = Fx::new();
    fx.submit(
        a,
        Spec::default(),
        vec![phone("+66870000000"), ent("domain", "evil.top")],
    );
    fx.submit(
        c,
        Spec {
            marking: Tlp::Amber,
            ..Spec::default()
        },
        vec![phone("+66870000001")],
    );
    for i in 0..5 {
        fx.submit(
            b,
            Spec {
                at: ts(&format!("2026-03-0{}T00:00:00Z", i + 1)),
                ..Spec::default()
            },
            vec![phone("+66870000000"), phone("+66870000001")],
        );
    }
    fx.submit(b, Spec::default(), vec![ent("domain", "evil.top")]);
    fx.publish();
    let acc = access_of(b);
    let all = fx.r.hits(b, &acc, &HitFilter::default(), None, 100);
    assert_eq!(all.len(), 11);
    let keys: Vec<HitKey> = all.iter().map(|h| h.key).collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|x, y| y.cmp(x));
    assert_eq!(keys, sorted, "newest first");
    // Pages of 3 through the cursor give the same list.
    let mut paged = Vec::new();
    let mut before = None;
    loop {
        let page = fx.r.hits(b, &acc, &HitFilter::default(), before, 3);
        if page.is_empty() {
            break;
        }
        before = page.last().map(|h| h.key);
        paged.extend(page);
    }
    assert_eq!(paged, all);
    // The cursor survives its text form.
    let cursor: HitKey = all[4].key.to_string().parse().unwrap();
    assert_eq!(
        fx.r.hits(b, &acc, &HitFilter::default(), Some(cursor), 100),
        all[5..].to_vec()
    );

    let f = |filter: HitFilter| fx.r.hits(b, &acc, &filter, None, 100).len();
    assert_eq!(
        f(HitFilter {
            kind: Some("domain".into()),
            ..HitFilter::default()
        }),
        1
    );
    assert_eq!(
        f(HitFilter {
            counterpart: Some(c),
            ..HitFilter::default()
        }),
        5,
        "C is shown as 'held by' and matches"
    );
    assert_eq!(
        f(HitFilter {
            counterpart: Some(a),
            ..HitFilter::default()
        }),
        6
    );
    assert_eq!(
        f(HitFilter {
            side: Some(Side::Held),
            ..HitFilter::default()
        }),
        0
    );
    assert_eq!(
        f(HitFilter {
            since: Some(ts("2026-03-02T00:00:00Z")),
            until: Some(ts("2026-03-04T00:00:00Z")),
            ..HitFilter::default()
        }),
        4
    );
    let id = common::fixture::phone("+66870000001").id;
    let only = fx.r.hits(
        b,
        &acc,
        &HitFilter {
            entity: Some(id),
            ..HitFilter::default()
        },
        None,
        100,
    );
    assert_eq!(only.len(), 5);
    assert!(only.iter().all(|h| h.entity == id));
    // The earlier holders see theirs.
    assert_eq!(fx.hits(a).len(), 6);
    assert_eq!(
        fx.hits(c).len(),
        5,
        "C held one number earlier and reads B's GREEN reports"
    );
}
