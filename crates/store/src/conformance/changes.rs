//! The change log: every report insert, update and retraction takes the next rev (one more
//! than the store's highest), in commit order; duplicates, conflicts, refused writes and
//! writes of other things take none; `report_changes` pages in rev order and lists each report
//! once, in its current version, at its latest rev.

use super::fixture::{Ctx, assert_report, at, fingerprint};
use crate::{ChangedReport, MarkRecord, PutOutcome, ReportRecord, Store, WarningRecord};
use std::collections::BTreeMap;
use warroom_domain::{EntityId, ReportId, Role};

/// The whole log after `after`, in pages of `page`, checking each page's shape.
fn changes(store: &dyn Store, after: u64, page: usize) -> Vec<ChangedReport> {
    let mut out: Vec<ChangedReport> = Vec::new();
    let mut after = after;
    loop {
        let got = store
            .report_changes(after, page)
            .unwrap_or_else(|e| panic!("report_changes failed: {e}"));
        assert!(
            got.len() <= page,
            "report_changes returned more than `limit` reports"
        );
        let Some(last) = got.last() else {
            return out;
        };
        assert!(
            got.windows(2).all(|w| w[0].rev < w[1].rev),
            "report_changes is in rev order"
        );
        assert!(
            got[0].rev > after,
            "report_changes starts after `after_rev`"
        );
        after = last.rev;
        out.extend(got);
    }
}

/// What the log must hold: per report, its latest rev and current version.
struct Model {
    rev: u64,
    latest: BTreeMap<ReportId, (u64, ReportRecord)>,
    seqs: BTreeMap<ReportId, u64>,
}

impl Model {
    fn changed(&mut self, r: &ReportRecord) {
        self.rev += 1;
        self.latest.insert(r.id, (self.rev, r.clone()));
    }

    /// Checks `report_rev` and the whole log (in pages of 1, 2 and 100) against the model.
    fn check(&self, store: &dyn Store, what: &str) {
        assert_eq!(
            store.report_rev().unwrap(),
            self.rev,
            "{what}: report_rev is the highest rev given"
        );
        let mut want: Vec<(u64, &ReportRecord)> =
            self.latest.values().map(|(rev, r)| (*rev, r)).collect();
        want.sort_by_key(|(rev, _)| *rev);
        for page in [1, 2, 100] {
            let got = changes(store, 0, page);
            assert_eq!(
                got.iter().map(|c| (c.rev, c.report.id)).collect::<Vec<_>>(),
                want.iter().map(|(rev, r)| (*rev, r.id)).collect::<Vec<_>>(),
                "{what}: report_changes(0) in pages of {page}: each report once, at its \
                 latest rev, in rev order"
            );
            for (c, (_, r)) in got.iter().zip(&want) {
                assert_report(&format!("{what}: a changed report"), &c.report, r);
                if let Some(seq) = self.seqs.get(&r.id) {
                    assert_eq!(
                        c.seq, *seq,
                        "{what}: a changed report keeps the seq it was listed under"
                    );
                }
            }
        }
    }

    /// Records each report's listing seq, which `report_changes` must repeat.
    fn learn_seqs(&mut self, store: &dyn Store) {
        let filter = crate::ReportFilter {
            include_retracted: true,
            ..crate::ReportFilter::default()
        };
        for l in store.list_reports(&filter, None, 1_000).unwrap() {
            self.seqs.insert(l.report.id, l.seq);
        }
    }
}

pub fn story(store: &dyn Store) {
    let mut cx = Ctx::new(store);
    let mut m = Model {
        rev: 0,
        latest: BTreeMap::new(),
        seqs: BTreeMap::new(),
    };
    m.check(store, "an empty store");
    assert!(
        store.report_changes(0, 0).unwrap().is_empty(),
        "limit 0 returns nothing"
    );

    let th = cx.agency("Royal Thai Police CCIB", "TH");
    let d = cx.draft("agency.create", "agency", th.id);
    cx.write("create_agency", d, |d| store.create_agency(&th, d));
    let author = cx.user(th.id, "somchai", &[Role::Analyst]);
    let d = cx.draft("user.create", "user", author.user.id);
    cx.write("create_user", d, |d| store.create_user(&author, d));
    cx.actor_agency = Some(th.id);
    cx.actor_user = Some(author.user.id);
    m.check(store, "after account writes, which are no report changes");

    // ---- inserts: one rev each, in batch order ----
    let phone = cx.entity("phone", "+66812345678");
    let r1 = cx.report(th.id, author.user.id, vec![phone.clone()]);
    let r2 = cx.report(th.id, author.user.id, vec![]);
    let (d1, d2) = (
        cx.draft("report.create", "report", r1.id),
        cx.draft("report.create", "report", r2.id),
    );
    let out = cx.write_many("put_reports of two", vec![d1.clone(), d2.clone()], || {
        store.put_reports(&[(r1.clone(), d1.clone()), (r2.clone(), d2.clone())])
    });
    assert_eq!(out, vec![PutOutcome::Inserted; 2]);
    m.changed(&r1);
    m.changed(&r2);
    m.learn_seqs(store);
    m.check(store, "after inserting two reports");

    // ---- a duplicate and a conflict take no rev; the new report in their batch does ----
    let r3 = cx.report(th.id, author.user.id, vec![phone.clone()]);
    let mut other = r2.clone();
    other.fingerprint = fingerprint(r2.id.0, 9);
    let (dd, dc, d3) = (
        cx.draft("report.create", "report", r1.id),
        cx.draft("report.create", "report", r2.id),
        cx.draft("report.create", "report", r3.id),
    );
    let out = cx.write_many("put_reports with a duplicate", vec![d3.clone()], || {
        store.put_reports(&[
            (r1.clone(), dd.clone()),
            (other.clone(), dc.clone()),
            (r3.clone(), d3.clone()),
        ])
    });
    assert_eq!(
        out,
        vec![
            PutOutcome::Duplicate,
            PutOutcome::Conflict,
            PutOutcome::Inserted
        ]
    );
    m.changed(&r3);
    m.learn_seqs(store);
    m.check(store, "after a duplicate, a conflict and an insert");
    let dd = cx.draft("report.create", "report", r3.id);
    cx.write_many("put_reports of a duplicate only", vec![], || {
        store.put_reports(&[(r3.clone(), dd.clone())])
    });
    m.check(store, "after a duplicate alone");

    // ---- an update moves the report to the end of the log, at the next rev ----
    let mut r1v2 = r1.clone();
    r1v2.version = 2;
    r1v2.recorded_at = at(400);
    r1v2.fingerprint = fingerprint(r1.id.0, 2);
    r1v2.entities = vec![];
    r1v2.body = r#"{"narrative":"amended"}"#.to_owned();
    let d = cx.draft("report.update", "report", r1.id);
    cx.write("update_report", d, |d| store.update_report(&r1v2, d));
    m.changed(&r1v2);
    m.check(store, "after an update");
    let stale = ReportRecord {
        version: 2,
        ..r1v2.clone()
    };
    cx.refused("update_report of a stale version", |d| {
        store.update_report(&stale, d)
    });
    m.check(store, "after a refused update");

    // ---- a retraction is a change too, and the retracted report stays in the log ----
    let d = cx.draft("report.retract", "report", r2.id);
    cx.write("retract_report", d, |d| {
        store.retract_report(r2.id, at(500), d)
    });
    let r2v2 = ReportRecord {
        version: 2,
        retracted_at: Some(at(500)),
        recorded_at: at(500),
        ..r2.clone()
    };
    m.changed(&r2v2);
    m.check(store, "after a retraction");
    cx.refused("retract_report of a retracted report", |d| {
        store.retract_report(r2.id, at(501), d)
    });
    let missing = ReportId(cx.uuid());
    cx.refused("retract_report of an unknown report", |d| {
        store.retract_report(missing, at(501), d)
    });
    m.check(store, "after refused retractions");

    // Updating it again after others moved: r3 goes last.
    let mut r3v2 = r3.clone();
    r3v2.version = 2;
    r3v2.recorded_at = at(600);
    r3v2.fingerprint = fingerprint(r3.id.0, 2);
    let d = cx.draft("report.update", "report", r3.id);
    cx.write("update_report", d, |d| store.update_report(&r3v2, d));
    m.changed(&r3v2);
    m.check(store, "after a second update");

    // ---- writes of other things take no rev ----
    let d = cx.draft("report.read", "report", r1.id);
    cx.write_many("append_audit", vec![d.clone()], || {
        store.append_audit(std::slice::from_ref(&d))
    });
    let warning = WarningRecord {
        key: "phone:+661441".to_owned(),
        kind: "phone".to_owned(),
        value: "+661441".to_owned(),
        entity: Some(EntityId(cx.uuid())),
        region: None,
        reason: "hotline".to_owned(),
        source: "shipped".to_owned(),
        added_by: None,
        added_at: at(700),
        removed_at: None,
    };
    let d = cx.draft("warninglist.add", "warninglist", &warning.key);
    cx.write("put_warning", d, |d| store.put_warning(&warning, d));
    let mark = MarkRecord {
        entity: phone.id,
        agency: th.id,
        user: author.user.id,
        verdict: "confirmed".to_owned(),
        note: String::new(),
        at: at(701),
    };
    let d = cx.draft("mark.put", "entity", phone.id);
    cx.write("put_mark", d, |d| store.put_mark(&mark, d));
    m.check(store, "after an audit append, a warning and a mark");

    // ---- reading from a point ----
    let all = changes(store, 0, 100);
    assert_eq!(all.len(), 3, "three reports, each once");
    let mid = all[0].rev;
    assert_eq!(
        changes(store, mid, 100),
        all[1..].to_vec(),
        "report_changes after a rev returns only later changes"
    );
    assert_eq!(
        store.report_changes(mid, 1).unwrap(),
        all[1..2].to_vec(),
        "report_changes honours limit"
    );
    let without: Vec<ChangedReport> = all
        .iter()
        .map(|c| {
            let mut c = c.clone();
            c.report.body.clear();
            c
        })
        .collect();
    assert!(
        all.iter().all(|c| !c.report.body.is_empty()),
        "bodies are read"
    );
    assert_eq!(
        store.report_changes_without_bodies(0, 100).unwrap(),
        without,
        "report_changes_without_bodies is report_changes with every body empty"
    );
    assert_eq!(
        store.report_changes_without_bodies(mid, 1).unwrap(),
        without[1..2].to_vec(),
        "report_changes_without_bodies honours after and limit"
    );
    assert!(
        store
            .report_changes_without_bodies(0, 0)
            .unwrap()
            .is_empty()
    );
    let head = store.report_rev().unwrap();
    assert!(
        store.report_changes(head, 10).unwrap().is_empty(),
        "nothing after report_rev"
    );
    assert!(
        store.report_changes(u64::MAX, 10).unwrap().is_empty(),
        "nothing after the largest rev there can be"
    );
    // A reader that kept its place sees exactly the reports changed since.
    let before = store.report_rev().unwrap();
    let r4 = cx.report(th.id, author.user.id, vec![phone]);
    let d = cx.draft("report.create", "report", r4.id);
    cx.write_many("put_reports", vec![d.clone()], || {
        store.put_reports(&[(r4.clone(), d.clone())])
    });
    m.changed(&r4);
    m.learn_seqs(store);
    let since = store.report_changes(before, 10).unwrap();
    assert_eq!(
        since
            .iter()
            .map(|c| (c.rev, c.report.id))
            .collect::<Vec<_>>(),
        vec![(before + 1, r4.id)],
        "a reader at the previous report_rev sees the one new report at the next rev"
    );
    m.check(store, "at the end");
}
