//! Reports: insert outcomes, exact round trips, versions, retraction.

use super::fixture::{Ctx, assert_conflict, assert_not_found, assert_report, at, fingerprint};
use crate::{PutOutcome, ReportRecord, Store};
use std::collections::BTreeSet;
use warroom_domain::{GroupId, ReportId, ReportKind, Role, Tlp};

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
    cx.actor_agency = Some(th.id);
    cx.actor_user = Some(author.user.id);

    // ---- insert, duplicate, conflict ----
    let phone = cx.entity("phone", "+66812345678");
    let wallet = cx.entity(
        "crypto_wallet",
        "ethereum:0x52908400098527886E0F7030069857D2E4169EE7",
    );
    let person = cx.entity("person", "Somsak K. / สมศักดิ์");
    let mut r1 = cx.report(
        th.id,
        author.user.id,
        vec![phone.clone(), wallet.clone(), person],
    );
    r1.distribution.agencies.insert(jp.id);
    r1.distribution.groups.insert(GroupId(cx.uuid()));
    r1.hit_notices = false;
    let d1 = cx.draft("report.create", "report", r1.id);
    let out = cx.write_many("put_reports of one report", vec![d1.clone()], || {
        store.put_reports(&[(r1.clone(), d1.clone())])
    });
    assert_eq!(
        out,
        vec![PutOutcome::Inserted],
        "put_reports of a new report"
    );
    assert_report(
        "report round trip",
        &store.report(r1.id).unwrap().expect("the report was stored"),
        &r1,
    );
    assert_eq!(
        store.report(ReportId(cx.uuid())).unwrap(),
        None,
        "unknown report"
    );

    let again = cx.draft("report.create", "report", r1.id);
    let out = cx.write_many("put_reports of the same report again", vec![], || {
        store.put_reports(&[(r1.clone(), again.clone())])
    });
    assert_eq!(
        out,
        vec![PutOutcome::Duplicate],
        "same id, same fingerprint"
    );

    let mut changed = r1.clone();
    changed.fingerprint = fingerprint(r1.id.0, 2);
    changed.body = r#"{"narrative":"something else"}"#.to_owned();
    let d = cx.draft("report.create", "report", r1.id);
    let out = cx.write_many("put_reports with another fingerprint", vec![], || {
        store.put_reports(&[(changed.clone(), d.clone())])
    });
    assert_eq!(
        out,
        vec![PutOutcome::Conflict],
        "same id, other fingerprint"
    );

    let mut stolen = r1.clone();
    stolen.owner = jp.id;
    let d = cx.draft("report.create", "report", r1.id);
    let out = cx.write_many("put_reports with another owner", vec![], || {
        store.put_reports(&[(stolen.clone(), d.clone())])
    });
    assert_eq!(
        out,
        vec![PutOutcome::Conflict],
        "same id and fingerprint, other owner"
    );
    assert_report(
        "a refused re-submission changes nothing",
        &store.report(r1.id).unwrap().unwrap(),
        &r1,
    );

    // A bare report: every optional field empty.
    let mut bare = cx.report(jp.id, author.user.id, vec![]);
    bare.kind = ReportKind::Intelligence;
    bare.marking = Tlp::Clear;
    bare.distribution = Default::default();
    bare.methods = vec![];
    bare.victim_country = None;
    bare.occurred_at = None;
    bare.body = String::new();
    // One batch: a new report, the same one again, another new one, and the stored r1.
    let mut r3 = cx.report(th.id, author.user.id, vec![phone.clone()]);
    r3.kind = ReportKind::FinancialTrace;
    r3.marking = Tlp::AmberStrict;
    let (db, dbare2, d3, dr1) = (
        cx.draft("report.create", "report", bare.id),
        cx.draft("report.create", "report", bare.id),
        cx.draft("report.create", "report", r3.id),
        cx.draft("report.create", "report", r1.id),
    );
    let batch = [
        (bare.clone(), db.clone()),
        (bare.clone(), dbare2),
        (r3.clone(), d3.clone()),
        (r1.clone(), dr1),
    ];
    let out = cx.write_many("put_reports of a mixed batch", vec![db, d3], || {
        store.put_reports(&batch)
    });
    assert_eq!(
        out,
        vec![
            PutOutcome::Inserted,
            PutOutcome::Duplicate,
            PutOutcome::Inserted,
            PutOutcome::Duplicate
        ],
        "outcomes of a batch, in order; a report repeated within the batch is a duplicate"
    );
    assert_report(
        "bare report round trip",
        &store.report(bare.id).unwrap().unwrap(),
        &bare,
    );
    assert_report(
        "report from a batch",
        &store.report(r3.id).unwrap().unwrap(),
        &r3,
    );
    assert_eq!(store.report_count().unwrap(), 3, "report_count");

    // ---- versions ----
    let mut v2 = r1.clone();
    v2.version = 2;
    v2.marking = Tlp::Red;
    v2.distribution.groups = BTreeSet::new();
    v2.methods = vec!["investment".to_owned()];
    v2.entities = vec![
        phone.clone(),
        cx.entity("bank_account", "TH:004:1234567890"),
    ];
    v2.recorded_at = at(400);
    v2.fingerprint = fingerprint(r1.id.0, 3);
    v2.body = r#"{"narrative":"amended"}"#.to_owned();

    for wrong in [1, 3] {
        let stale = ReportRecord {
            version: wrong,
            ..v2.clone()
        };
        let e = cx.refused("update_report with a version that is not stored + 1", |d| {
            store.update_report(&stale, d)
        });
        assert_conflict(
            &format!("update_report to version {wrong} over version 1"),
            &e,
        );
    }
    let d = cx.draft("report.update", "report", v2.id);
    cx.write("update_report", d, |d| store.update_report(&v2, d));
    assert_report(
        "the current version after an update",
        &store.report(r1.id).unwrap().unwrap(),
        &v2,
    );
    let unknown = ReportRecord {
        id: ReportId(cx.uuid()),
        ..v2.clone()
    };
    let e = cx.refused("update_report of an unknown report", |d| {
        store.update_report(&unknown, d)
    });
    assert_not_found("update_report of an unknown report", &e);

    // ---- retraction ----
    let d = cx.draft("report.retract", "report", r1.id);
    cx.write("retract_report", d, |d| {
        store.retract_report(r1.id, at(500), d)
    });
    let v3 = ReportRecord {
        version: 3,
        retracted_at: Some(at(500)),
        recorded_at: at(500),
        ..v2.clone()
    };
    assert_report(
        "retraction is a new version with retracted_at and recorded_at set",
        &store.report(r1.id).unwrap().unwrap(),
        &v3,
    );
    let e = cx.refused("retract_report of a retracted report", |d| {
        store.retract_report(r1.id, at(501), d)
    });
    assert_conflict("retract_report of a retracted report", &e);
    let missing = ReportId(cx.uuid());
    let e = cx.refused("retract_report of an unknown report", |d| {
        store.retract_report(missing, at(501), d)
    });
    assert_not_found("retract_report of an unknown report", &e);

    let versions = store.report_versions(r1.id).unwrap();
    assert_eq!(versions.len(), 3, "report_versions keeps every version");
    for (i, (got, want)) in versions.iter().zip([&r1, &v2, &v3]).enumerate() {
        assert_report(&format!("report_versions[{i}]"), got, want);
    }
    assert_eq!(
        store.report_versions(bare.id).unwrap(),
        vec![bare.clone()],
        "a report never updated has one version"
    );
    assert_eq!(
        store.report_versions(missing).unwrap(),
        vec![],
        "versions of an unknown report"
    );

    // A retracted report still answers re-submission of its id.
    let d = cx.draft("report.create", "report", r1.id);
    let out = cx.write_many("put_reports over a retracted report", vec![], || {
        store.put_reports(&[(r1.clone(), d.clone())])
    });
    assert_eq!(
        out,
        vec![PutOutcome::Conflict],
        "re-submitting version 1 over a later version"
    );
    assert_eq!(
        store.report_count().unwrap(),
        3,
        "report_count counts retracted reports too"
    );
}
