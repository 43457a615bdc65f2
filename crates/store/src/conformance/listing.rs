//! `list_reports`: newest first by insertion, every filter, and cursor paging, checked against
//! a model of what was stored.

use super::fixture::{Ctx, at, country};
use crate::{ListedReport, ReportFilter, ReportRecord, Store};
use warroom_domain::{ReportKind, Role};

/// The filter semantics the trait documents, over one record.
fn matches(f: &ReportFilter, r: &ReportRecord) -> bool {
    f.kind.is_none_or(|k| r.kind == k)
        && f.method.as_ref().is_none_or(|m| r.methods.contains(m))
        && f.victim_country.is_none_or(|c| r.victim_country == Some(c))
        && f.owner.is_none_or(|o| r.owner == o)
        && f.since.is_none_or(|t| r.reported_at >= t)
        && f.until.is_none_or(|t| r.reported_at < t)
        && (f.include_retracted || r.retracted_at.is_none())
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

    // Fields vary independently of insertion order, so no filter lines up with it.
    let kinds = [
        ReportKind::VictimComplaint,
        ReportKind::Intelligence,
        ReportKind::FinancialTrace,
    ];
    let methods: [&[&str]; 4] = [
        &["investment"],
        &["romance", "investment"],
        &[],
        &["loan_app"],
    ];
    let countries = [Some(country("TH")), Some(country("JP")), None];
    let mut model: Vec<ReportRecord> = Vec::new();
    for i in 0..17i64 {
        let owner = if i % 2 == 0 { th.id } else { jp.id };
        let mut r = cx.report(owner, author.user.id, vec![]);
        r.kind = kinds[(i % 3) as usize];
        r.methods = methods[(i % 4) as usize]
            .iter()
            .map(|m| (*m).to_owned())
            .collect();
        r.victim_country = countries[(i % 5 % 3) as usize];
        r.reported_at = at((i * 7 % 17) * 86_400);
        model.push(r);
    }
    // Batches of different sizes, and single puts.
    let mut start = 0;
    for size in [5, 1, 1, 7, 3] {
        let batch: Vec<_> = model[start..start + size]
            .iter()
            .map(|r| (r.clone(), cx.draft("report.create", "report", r.id)))
            .collect();
        let drafts = batch.iter().map(|(_, d)| d.clone()).collect();
        cx.write_many("put_reports", drafts, || store.put_reports(&batch));
        start += size;
    }
    // Retract two; update an old one, which must keep its place in the listing.
    for i in [3, 12] {
        let d = cx.draft("report.retract", "report", model[i].id);
        cx.write("retract_report", d, |d| {
            store.retract_report(model[i].id, at(9_000), d)
        });
        model[i] = store.report(model[i].id).unwrap().unwrap();
    }
    let mut v2 = model[1].clone();
    v2.version = 2;
    v2.kind = ReportKind::Arrest;
    v2.methods = vec!["romance".to_owned()];
    let d = cx.draft("report.update", "report", v2.id);
    cx.write("update_report", d, |d| store.update_report(&v2, d));
    model[1] = v2;

    let mid = at(6 * 86_400);
    let late = at(12 * 86_400);
    let filters = [
        ReportFilter::default(),
        ReportFilter {
            include_retracted: true,
            ..Default::default()
        },
        ReportFilter {
            kind: Some(ReportKind::Intelligence),
            ..Default::default()
        },
        ReportFilter {
            kind: Some(ReportKind::Arrest),
            ..Default::default()
        },
        ReportFilter {
            method: Some("investment".to_owned()),
            ..Default::default()
        },
        ReportFilter {
            method: Some("romance".to_owned()),
            include_retracted: true,
            ..Default::default()
        },
        // A prefix of a slug is not the slug.
        ReportFilter {
            method: Some("invest".to_owned()),
            ..Default::default()
        },
        ReportFilter {
            victim_country: Some(country("JP")),
            ..Default::default()
        },
        ReportFilter {
            owner: Some(th.id),
            ..Default::default()
        },
        ReportFilter {
            owner: Some(jp.id),
            include_retracted: true,
            ..Default::default()
        },
        ReportFilter {
            since: Some(mid),
            ..Default::default()
        },
        ReportFilter {
            until: Some(mid),
            ..Default::default()
        },
        // Bounds are inclusive below and exclusive above: a report at exactly `since` is in.
        ReportFilter {
            since: Some(model[5].reported_at),
            until: Some(late),
            ..Default::default()
        },
        ReportFilter {
            kind: Some(ReportKind::VictimComplaint),
            owner: Some(th.id),
            since: Some(at(0)),
            include_retracted: true,
            ..Default::default()
        },
    ];
    for f in &filters {
        let want: Vec<&ReportRecord> = model.iter().rev().filter(|r| matches(f, r)).collect();
        let got = store.list_reports(f, None, 1_000).unwrap();
        check_page(f, &got);
        let got_reports: Vec<&ReportRecord> = got.iter().map(|l| &l.report).collect();
        assert_eq!(
            got_reports, want,
            "list_reports({f:?}) must return the matching reports, newest first"
        );
        for limit in [1, 2, 5] {
            let paged = all_pages(store, f, limit);
            assert_eq!(
                paged.iter().map(|l| &l.report).collect::<Vec<_>>(),
                want,
                "paging list_reports({f:?}) by {limit} must visit every match exactly once"
            );
        }
    }
    assert!(
        store
            .list_reports(&ReportFilter::default(), None, 0)
            .unwrap()
            .is_empty(),
        "limit 0 returns nothing"
    );
    let all = store
        .list_reports(&ReportFilter::default(), None, 1_000)
        .unwrap();
    let after_first = store
        .list_reports(&ReportFilter::default(), Some(all[0].seq), 1_000)
        .unwrap();
    assert_eq!(
        after_first,
        all[1..].to_vec(),
        "the cursor excludes the report it names"
    );
    let after_last = store
        .list_reports(
            &ReportFilter::default(),
            Some(all[all.len() - 1].seq),
            1_000,
        )
        .unwrap();
    assert!(
        after_last.is_empty(),
        "nothing comes after the oldest report"
    );
}

fn check_page(f: &ReportFilter, page: &[ListedReport]) {
    for w in page.windows(2) {
        assert!(
            w[0].seq > w[1].seq,
            "list_reports({f:?}): seq must strictly decrease down a page"
        );
    }
}

fn all_pages(store: &dyn Store, f: &ReportFilter, limit: usize) -> Vec<ListedReport> {
    let mut out: Vec<ListedReport> = Vec::new();
    let mut cursor = None;
    for _ in 0..100 {
        let page = store.list_reports(f, cursor, limit).unwrap();
        assert!(
            page.len() <= limit,
            "list_reports returned more than `limit` reports"
        );
        check_page(f, &page);
        if let (Some(prev), Some(first)) = (out.last(), page.first()) {
            assert!(
                prev.seq > first.seq,
                "list_reports({f:?}): a page must start after the cursor"
            );
        }
        let Some(last) = page.last() else {
            return out;
        };
        cursor = Some(last.seq);
        out.extend(page);
    }
    panic!("list_reports({f:?}) by {limit} did not end within 100 pages");
}
