//! Large batches take the bulk paths (COPY of new entities, reports, sightings and events) that
//! the conformance stories' small batches do not reach: both methods must store exactly what
//! the small-batch path would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use jiff::Timestamp;
use std::collections::BTreeSet;
use uuid::Uuid;
use warroom_domain::{
    AgencyId, Distribution, EntityId, GroupId, ReportId, ReportKind, Tlp, UserId,
};
use warroom_store::audit::verify;
use warroom_store::{
    AuditDraft, EntityRecord, EntityRef, PutOutcome, ReportFilter, ReportRecord, Store,
};
use warroom_store_postgres::{BulkInsert, Options};

const N: u64 = 150;

fn at(s: i64) -> Timestamp {
    Timestamp::new(1_700_000_000 + s, 123_456_789).unwrap()
}

fn id(kind: u128, k: u64) -> Uuid {
    Uuid::from_u128(kind << 64 | u128::from(k))
}

fn entity(kind: u128, k: u64, label: &str) -> EntityRef {
    EntityRef {
        id: EntityId(id(kind, k)),
        kind: "phone".to_owned(),
        value: label.to_owned(),
    }
}

fn report(n: u128, k: u64, seen: i64, entities: Vec<EntityRef>) -> (ReportRecord, AuditDraft) {
    let owner = AgencyId(Uuid::from_u128(1 + u128::from(k % 3)));
    let r = ReportRecord {
        id: ReportId(id(n, k)),
        owner,
        author: UserId(Uuid::from_u128(9)),
        kind: ReportKind::VictimComplaint,
        marking: if k.is_multiple_of(2) {
            Tlp::Amber
        } else {
            Tlp::Red
        },
        distribution: Distribution {
            agencies: BTreeSet::from([owner, AgencyId(Uuid::from_u128(77))]),
            groups: BTreeSet::from([GroupId(Uuid::from_u128(88))]),
        },
        methods: vec![
            "a \"quoted\" slug".to_owned(),
            "back\\slash,comma".to_owned(),
        ],
        victim_country: None,
        occurred_at: Some(at(seen)),
        reported_at: at(seen + 1),
        recorded_at: at(seen + 2),
        version: 1,
        retracted_at: None,
        hit_notices: !k.is_multiple_of(5),
        fingerprint: [u8::try_from(k % 251).unwrap(); 32],
        entities,
        body: format!(r#"{{"n":{k},"text":"ถูกหลอก"}}"#),
    };
    let d = AuditDraft {
        at: at(seen),
        actor_user: Some(r.author),
        actor_agency: (!k.is_multiple_of(4)).then_some(owner),
        action: "report.create".to_owned(),
        object_kind: "report".to_owned(),
        object_id: r.id.to_string(),
        request_id: format!("req-{n}-{k}"),
        purpose: k.is_multiple_of(3).then(|| format!("case {k}")),
    };
    (r, d)
}

/// Runs the scenario and returns what a reader sees.
fn scenario(bulk: BulkInsert) -> (Vec<Option<EntityRecord>>, u64, Vec<ReportRecord>) {
    let (store, _) = common::fresh_with(Options {
        bulk,
        connections: 2,
    });
    let shared = entity(3, 0, "shared");
    // Batch 1: entity E_k first seen at 10k.
    let first: Vec<_> = (0..N)
        .map(|k| {
            let t = 10 * i64::try_from(k).unwrap();
            report(
                1,
                k,
                t,
                vec![entity(1, k, &format!("a{k}")), shared.clone()],
            )
        })
        .collect();
    let out = store.put_reports(&first).unwrap();
    assert!(out.iter().all(|o| *o == PutOutcome::Inserted));
    // Batch 2: E_k again (earlier for even k, later for odd k, with another label), a new
    // entity listed twice, one new entity shared by two reports (the later-stored one seen
    // first), and one report of batch 1 again.
    let mut second: Vec<_> = (0..N)
        .map(|k| {
            let t = 10 * i64::try_from(k).unwrap() + if k % 2 == 0 { -5 } else { 5 };
            let mut es = vec![
                entity(1, k, &format!("b{k}")),
                entity(2, k, &format!("n{k}")),
                entity(2, k, &format!("n{k}")),
                shared.clone(),
            ];
            if k < 2 {
                es.push(entity(4, 0, &format!("m{k}")));
            }
            report(2, k, if k == 1 { -100 } else { t }, es)
        })
        .collect();
    second.push(first[7].clone());
    let out = store.put_reports(&second).unwrap();
    assert_eq!(out.last(), Some(&PutOutcome::Duplicate));
    assert_eq!(
        out.iter().filter(|o| **o == PutOutcome::Inserted).count() as u64,
        N
    );

    let v = verify(&store, 97, |_| {}).unwrap();
    assert_eq!((v.events, v.first_break), (2 * N, None));
    assert_eq!(store.report_count().unwrap(), 2 * N);
    assert_eq!(store.sightings(shared.id).unwrap().len() as u64, 2 * N);

    let mut entities = Vec::new();
    for k in 0..N {
        entities.push(store.entity(EntityId(id(1, k))).unwrap());
        entities.push(store.entity(EntityId(id(2, k))).unwrap());
    }
    entities.push(store.entity(EntityId(id(4, 0))).unwrap());
    let reports: Vec<ReportRecord> = store
        .list_reports(&ReportFilter::default(), None, 10_000)
        .unwrap()
        .into_iter()
        .map(|l| l.report)
        .collect();
    // Reports come back exactly as given.
    let given: Vec<&ReportRecord> = first
        .iter()
        .chain(&second[..N as usize])
        .map(|(r, _)| r)
        .rev()
        .collect();
    assert_eq!(reports.iter().collect::<Vec<_>>(), given);
    // And the change log holds them in the order stored, at revs 1..=2N, the duplicate
    // taking none.
    let mut changes = Vec::new();
    loop {
        let page = store.report_changes(changes.len() as u64, 1_000).unwrap();
        if page.is_empty() {
            break;
        }
        changes.extend(page);
    }
    assert_eq!(
        changes
            .iter()
            .map(|c| (c.rev, &c.report))
            .collect::<Vec<_>>(),
        given
            .iter()
            .rev()
            .enumerate()
            .map(|(i, r)| (i as u64 + 1, *r))
            .collect::<Vec<_>>(),
        "one rev per inserted report, in the order stored"
    );
    (entities, store.sighting_count().unwrap(), reports)
}

#[test]
fn large_batches_store_the_same_with_copy_and_unnest() {
    let copy = scenario(BulkInsert::Copy);
    let unnest = scenario(BulkInsert::Unnest);
    assert_eq!(copy, unnest, "both bulk methods store the same");

    let (entities, sightings, _) = copy;
    // 2N in batch 1; in batch 2 per report E_k, N_k once, the shared one; and M twice.
    assert_eq!(sightings, 2 * N + 3 * N + 2);
    for k in 0..N {
        let t = 10 * i64::try_from(k).unwrap();
        let e = entities[2 * k as usize].as_ref().unwrap();
        assert_eq!(e.value, format!("a{k}"), "a stored entity keeps its label");
        let earliest = if k == 1 {
            -100
        } else if k % 2 == 0 {
            t - 5
        } else {
            t
        };
        assert_eq!(e.first_seen_at, at(earliest), "first_seen_at of E_{k}");
        let n = entities[2 * k as usize + 1].as_ref().unwrap();
        assert_eq!(n.value, format!("n{k}"));
    }
    let m = entities.last().unwrap().as_ref().unwrap();
    assert_eq!(
        (m.value.as_str(), m.first_seen_at),
        ("m1", at(-100)),
        "a new entity takes the label of its earliest sighting in the batch"
    );
}
