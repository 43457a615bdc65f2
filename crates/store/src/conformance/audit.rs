//! The audit chain: appends link correctly, `verify` passes, filters and paging hold.
//! (That every write appends its one event is checked by every story through its `Ctx`.)

use super::fixture::{Ctx, events};
use crate::audit::{chain_hash, verify};
use crate::{AuditFilter, GENESIS_HASH, PutOutcome, Store};
use warroom_domain::Role;

pub fn story(store: &dyn Store) {
    let mut cx = Ctx::new(store);
    let v = verify(store, 3, |_| {}).unwrap();
    assert_eq!(
        (v.events, v.head, v.first_break),
        (0, GENESIS_HASH, None),
        "verify on an empty log"
    );

    let th = cx.agency("Royal Thai Police CCIB", "TH");
    let jp = cx.agency("National Police Agency", "JP");
    for a in [&th, &jp] {
        let d = cx.draft("agency.create", "agency", a.id);
        cx.write("create_agency", d, |d| store.create_agency(a, d));
    }

    // Events that go with no other write, some by each agency, some by nobody.
    let mut reads = Vec::new();
    for (i, agency) in [
        Some(th.id),
        Some(jp.id),
        None,
        Some(th.id),
        Some(th.id),
        None,
        Some(jp.id),
    ]
    .into_iter()
    .enumerate()
    {
        cx.actor_agency = agency;
        reads.push(cx.draft("report.read", "report", format!("r{i}")));
    }
    cx.write_many("append_audit of several events", reads.clone(), || {
        store.append_audit(&reads)
    });
    cx.write_many("append_audit of no events", vec![], || {
        store.append_audit(&[])
    });

    // A batch with a duplicate appends one event per inserted report only.
    cx.actor_agency = Some(jp.id);
    let author = cx.user(jp.id, "kenji", &[Role::Analyst]);
    let d = cx.draft("user.create", "user", author.user.id);
    cx.write("create_user", d, |d| store.create_user(&author, d));
    let r = cx.report(jp.id, author.user.id, vec![]);
    let (d1, d2) = (
        cx.draft("report.create", "report", r.id),
        cx.draft("report.create", "report", r.id),
    );
    let out = cx.write_many("put_reports with a duplicate", vec![d1.clone()], || {
        store.put_reports(&[(r.clone(), d1.clone()), (r.clone(), d2.clone())])
    });
    assert_eq!(
        out,
        vec![PutOutcome::Inserted, PutOutcome::Duplicate],
        "outcomes"
    );

    // The chain links, event by event.
    let all = events(store, None, 0);
    let total = cx.expected_events().len() as u64;
    assert_eq!(all.len() as u64, total, "one event per audited write");
    let mut prev = GENESIS_HASH;
    for (i, e) in all.iter().enumerate() {
        assert_eq!(e.seq, i as u64 + 1, "seq runs from 1 without gaps");
        assert_eq!(
            e.prev_hash, prev,
            "event {} links to its predecessor",
            e.seq
        );
        assert_eq!(
            e.hash,
            chain_hash(&prev, e.seq, &e.draft),
            "event {} hash",
            e.seq
        );
        prev = e.hash;
    }
    let mut seen = Vec::new();
    let v = verify(store, 2, |n| seen.push(n)).unwrap();
    assert_eq!(
        v.first_break, None,
        "verify finds no break in a fresh chain"
    );
    assert_eq!(v.events, total, "verify counts every event");
    assert_eq!(v.head, prev, "verify ends at the last hash");
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "verify progress only grows"
    );

    // Filters.
    for agency in [th.id, jp.id] {
        let want: Vec<_> = all
            .iter()
            .filter(|e| e.draft.actor_agency == Some(agency))
            .cloned()
            .collect();
        assert!(!want.is_empty());
        assert_eq!(
            events(store, Some(agency), 0),
            want,
            "audit_events filtered by agency"
        );
        let after = want[1].seq;
        assert_eq!(
            events(store, Some(agency), after),
            want[2..].to_vec(),
            "audit_events by agency after a seq"
        );
    }
    let page = store
        .audit_events(&AuditFilter {
            agency: None,
            after: 3,
            limit: 2,
        })
        .unwrap();
    assert_eq!(page, all[3..5].to_vec(), "after and limit");
    let none = store
        .audit_events(&AuditFilter {
            agency: None,
            after: total,
            limit: 10,
        })
        .unwrap();
    assert!(none.is_empty(), "nothing after the head");
    let zero = store
        .audit_events(&AuditFilter {
            agency: None,
            after: 0,
            limit: 0,
        })
        .unwrap();
    assert!(zero.is_empty(), "limit 0 returns nothing");
}
