//! Entities are upserted with the earliest sighting; sightings carry their report's access
//! facts, come oldest first, follow updates and disappear with retraction.

use super::fixture::{Ctx, at};
use crate::{EntityRecord, ReportRecord, SightingRecord, Store};
use std::collections::BTreeSet;
use warroom_domain::{EntityId, Role, Tlp};

fn sighting(entity: EntityId, r: &ReportRecord) -> SightingRecord {
    SightingRecord {
        entity,
        report: r.id,
        agency: r.owner,
        seen_at: r.seen_at(),
        marking: r.marking,
        distribution: r.distribution.clone(),
        hit_notices: r.hit_notices,
    }
}

pub fn story(store: &dyn Store) {
    let mut cx = Ctx::new(store);
    let th = cx.agency("Royal Thai Police CCIB", "TH");
    let jp = cx.agency("National Police Agency", "JP");
    for a in [&th, &jp] {
        let d = cx.draft("agency.create", "agency", a.id);
        cx.write("create_agency", d, |d| store.create_agency(a, d));
    }
    let author = cx.user(th.id, "somchai", &[Role::Analyst]);
    let d = cx.draft("user.create", "user", author.user.id);
    cx.write("create_user", d, |d| store.create_user(&author, d));

    let phone = cx.entity("phone", "+66812345678");
    let line = cx.entity("messaging", "line:scammer01");

    // Stored out of time order: b is seen first though stored second.
    let mut a = cx.report(th.id, author.user.id, vec![phone.clone(), line.clone()]);
    a.occurred_at = Some(at(5_000));
    let mut b = cx.report(jp.id, author.user.id, vec![phone.clone(), phone.clone()]);
    b.occurred_at = None;
    b.reported_at = at(2_000);
    b.marking = Tlp::Green;
    b.distribution = Default::default();
    let mut c = cx.report(th.id, author.user.id, vec![phone.clone()]);
    c.occurred_at = Some(at(9_000));
    c.marking = Tlp::Red;
    c.distribution.agencies = BTreeSet::from([th.id]);
    for r in [&a, &b, &c] {
        let d = cx.draft("report.create", "report", r.id);
        cx.write_many("put_reports", vec![d.clone()], || {
            store.put_reports(&[(r.clone(), d.clone())])
        });
    }

    assert_eq!(
        store.entity(phone.id).unwrap(),
        Some(EntityRecord {
            id: phone.id,
            kind: phone.kind.clone(),
            value: phone.value.clone(),
            first_seen_at: at(2_000),
        }),
        "an entity's first_seen_at is its earliest sighting, whatever the insert order"
    );
    assert_eq!(
        store.entity(line.id).unwrap().map(|e| e.first_seen_at),
        Some(at(5_000)),
        "entity of one report"
    );
    assert_eq!(
        store.entity(EntityId(cx.uuid())).unwrap(),
        None,
        "unknown entity"
    );
    assert_eq!(
        store.sightings(phone.id).unwrap(),
        vec![
            sighting(phone.id, &b),
            sighting(phone.id, &a),
            sighting(phone.id, &c)
        ],
        "sightings carry the report's owner, marking and distribution, oldest first; \
         an entity listed twice in one report is one sighting"
    );
    assert_eq!(
        store.sightings(EntityId(cx.uuid())).unwrap(),
        vec![],
        "sightings of an unknown entity"
    );
    assert_eq!(store.sighting_count().unwrap(), 4, "sighting_count");
    assert_eq!(
        store.report(b.id).unwrap().unwrap().entities,
        b.entities,
        "the report keeps its entity list as given"
    );

    // An update replaces the report's sightings and their access facts.
    let mut a2 = a.clone();
    a2.version = 2;
    a2.entities = vec![line.clone()];
    a2.marking = Tlp::AmberStrict;
    a2.occurred_at = Some(at(6_000));
    let d = cx.draft("report.update", "report", a.id);
    cx.write("update_report", d, |d| store.update_report(&a2, d));
    assert_eq!(
        store.sightings(phone.id).unwrap(),
        vec![sighting(phone.id, &b), sighting(phone.id, &c)],
        "an entity dropped by an update loses that report's sighting"
    );
    assert_eq!(
        store.sightings(line.id).unwrap(),
        vec![sighting(line.id, &a2)],
        "sightings follow the new version"
    );
    assert_eq!(
        store.entity(line.id).unwrap().map(|e| e.first_seen_at),
        Some(at(5_000)),
        "first_seen_at never moves later"
    );
    assert_eq!(
        store.sighting_count().unwrap(),
        3,
        "sighting_count after an update"
    );

    // A retracted report's sightings stop counting; the entity itself stays.
    let d = cx.draft("report.retract", "report", b.id);
    cx.write("retract_report", d, |d| {
        store.retract_report(b.id, at(9_500), d)
    });
    assert_eq!(
        store.sightings(phone.id).unwrap(),
        vec![sighting(phone.id, &c)],
        "retraction hides sightings"
    );
    assert_eq!(
        store.sighting_count().unwrap(),
        2,
        "sighting_count after a retraction"
    );
    assert!(
        store.entity(phone.id).unwrap().is_some(),
        "retraction keeps the entity"
    );

    let d = cx.draft("report.retract", "report", a.id);
    cx.write("retract_report", d, |d| {
        store.retract_report(a.id, at(9_600), d)
    });
    assert_eq!(
        store.sightings(line.id).unwrap(),
        vec![],
        "no sightings once every report is retracted"
    );
    assert_eq!(store.sighting_count().unwrap(), 1, "sighting_count");

    // One batch: two reports share a new entity (the later-stored one seen first), and one
    // report lists another entity twice.
    let wallet = cx.entity(
        "crypto_wallet",
        "bitcoin:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    );
    let email = cx.entity("email", "mule@example.com");
    let mut d1 = cx.report(
        th.id,
        author.user.id,
        vec![wallet.clone(), email.clone(), email.clone()],
    );
    d1.occurred_at = Some(at(7_000));
    let mut d2 = cx.report(jp.id, author.user.id, vec![wallet.clone()]);
    d2.occurred_at = Some(at(3_000));
    let drafts = vec![
        cx.draft("report.create", "report", d1.id),
        cx.draft("report.create", "report", d2.id),
    ];
    let batch = [
        (d1.clone(), drafts[0].clone()),
        (d2.clone(), drafts[1].clone()),
    ];
    cx.write_many("put_reports of reports sharing an entity", drafts, || {
        store.put_reports(&batch)
    });
    assert_eq!(
        store.sightings(wallet.id).unwrap(),
        vec![sighting(wallet.id, &d2), sighting(wallet.id, &d1)],
        "sightings of an entity shared within one batch"
    );
    assert_eq!(
        store.entity(wallet.id).unwrap().map(|e| e.first_seen_at),
        Some(at(3_000)),
        "first_seen_at within one batch"
    );
    assert_eq!(
        store.sightings(email.id).unwrap(),
        vec![sighting(email.id, &d1)],
        "an entity listed twice is one sighting"
    );
    assert_eq!(
        store.sighting_count().unwrap(),
        4,
        "sighting_count after a batch"
    );
}
