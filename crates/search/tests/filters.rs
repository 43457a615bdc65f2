//! Filters, paging and ranking.

mod common;

use common::{Rep, apply, ids, index_of, query, scope_of, ts};
use warroom_domain::{AgencyId, CountryCode, ReportId, ReportKind, Tlp};
use warroom_search::{Filter, MAX_LIMIT, MAX_OFFSET, Query, SearchError};

fn sorted(mut v: Vec<ReportId>) -> Vec<ReportId> {
    v.sort();
    v
}

fn filtered(
    index: &warroom_search::SearchIndex,
    viewer: AgencyId,
    filter: Filter,
) -> Vec<ReportId> {
    let mut q = query("fraud", scope_of(viewer));
    q.filter = filter;
    sorted(ids(index, &q))
}

#[test]
fn each_filter_narrows_and_they_combine() {
    let (a, b) = (AgencyId::random(), AgencyId::random());
    let viewer = AgencyId::random();
    let r1 = Rep::new(a, "fraud one")
        .method("fake_police")
        .country("TH")
        .kind(ReportKind::VictimComplaint)
        .reported("2025-01-10T00:00:00Z");
    let r2 = Rep::new(a, "fraud two")
        .method("pig_butchering")
        .method("romance")
        .country("JP")
        .kind(ReportKind::Intelligence)
        .reported("2025-02-10T00:00:00Z");
    let r3 = Rep::new(b, "fraud three")
        .method("fake_police")
        .country("JP")
        .kind(ReportKind::Arrest)
        .reported("2025-03-10T00:00:00Z");
    let r4 = Rep::new(b, "fraud four").reported("2025-04-10T00:00:00Z");
    let index = index_of(&[r1.clone(), r2.clone(), r3.clone(), r4.clone()]);
    let f = |filter: Filter| filtered(&index, viewer, filter);

    assert_eq!(f(Filter::default()).len(), 4);
    let method = |m: &str| Filter {
        method: Some(m.to_owned()),
        ..Filter::default()
    };
    assert_eq!(f(method("fake_police")), sorted(vec![r1.id(), r3.id()]));
    assert_eq!(f(method("romance")), [r2.id()]);
    assert!(f(method("fake")).is_empty());

    let country = |c: &str| Filter {
        victim_country: CountryCode::parse(c).ok(),
        ..Filter::default()
    };
    assert_eq!(f(country("JP")), sorted(vec![r2.id(), r3.id()]));
    assert_eq!(f(country("TH")), [r1.id()]);
    assert!(f(country("IN")).is_empty());

    let owner = |o: AgencyId| Filter {
        owner: Some(o),
        ..Filter::default()
    };
    assert_eq!(f(owner(a)), sorted(vec![r1.id(), r2.id()]));
    assert_eq!(f(owner(b)), sorted(vec![r3.id(), r4.id()]));
    assert!(f(owner(viewer)).is_empty());

    let kind = |k: ReportKind| Filter {
        kind: Some(k),
        ..Filter::default()
    };
    assert_eq!(f(kind(ReportKind::Arrest)), [r3.id()]);
    assert_eq!(
        f(kind(ReportKind::VictimComplaint)),
        sorted(vec![r1.id(), r4.id()])
    );
    assert!(f(kind(ReportKind::Raid)).is_empty());

    // All at once.
    assert_eq!(
        f(Filter {
            method: Some("fake_police".to_owned()),
            victim_country: CountryCode::parse("JP").ok(),
            owner: Some(b),
            kind: Some(ReportKind::Arrest),
            since: Some(ts("2025-03-01T00:00:00Z")),
            until: Some(ts("2025-04-01T00:00:00Z")),
        }),
        [r3.id()]
    );
    assert!(
        f(Filter {
            method: Some("fake_police".to_owned()),
            owner: Some(a),
            kind: Some(ReportKind::Arrest),
            ..Filter::default()
        })
        .is_empty()
    );
}

#[test]
fn since_is_inclusive_and_until_exclusive() {
    let owner = AgencyId::random();
    let at = |t: &str| Rep::new(owner, "fraud").reported(t);
    let (jan, feb, mar) = (
        at("2025-01-01T00:00:00Z"),
        at("2025-02-01T00:00:00.000000001Z"),
        at("2025-03-01T00:00:00Z"),
    );
    let index = index_of(&[jan.clone(), feb.clone(), mar.clone()]);
    let range = |since: Option<&str>, until: Option<&str>| {
        filtered(
            &index,
            owner,
            Filter {
                since: since.map(ts),
                until: until.map(ts),
                ..Filter::default()
            },
        )
    };
    assert_eq!(
        range(Some("2025-01-01T00:00:00Z"), None),
        sorted(vec![jan.id(), feb.id(), mar.id()])
    );
    assert_eq!(
        range(Some("2025-01-01T00:00:00.000000001Z"), None),
        sorted(vec![feb.id(), mar.id()])
    );
    assert_eq!(
        range(None, Some("2025-03-01T00:00:00Z")),
        sorted(vec![jan.id(), feb.id()])
    );
    assert_eq!(
        range(None, Some("2025-02-01T00:00:00.000000001Z")),
        [jan.id()]
    );
    assert_eq!(
        range(Some("2025-02-01T00:00:00Z"), Some("2025-03-01T00:00:00Z")),
        [feb.id()]
    );
    assert!(range(Some("2025-03-01T00:00:00Z"), Some("2025-03-01T00:00:00Z")).is_empty());
    // Bounds far outside what a store keeps still work.
    assert_eq!(
        range(Some("1000-01-01T00:00:00Z"), Some("9000-01-01T00:00:00Z")).len(),
        3
    );
}

#[test]
fn best_match_first_and_equal_scores_newest_first() {
    let owner = AgencyId::random();
    let strong = Rep::new(owner, "sextortion sextortion sextortion").seq(1);
    let weak = Rep::new(
        owner,
        "a long narrative that mentions sextortion once among many other words about the case",
    )
    .seq(2);
    let same: Vec<Rep> = (10..15)
        .map(|seq| Rep::new(owner, "loan app harassment").seq(seq))
        .collect();
    let index = index_of(&[strong.clone(), weak.clone()]);
    // Each in its own commit (so its own segment), out of order.
    for i in [2, 0, 4, 1, 3] {
        apply(&index, std::slice::from_ref(&same[i]));
    }
    assert_eq!(
        ids(&index, &query("sextortion", scope_of(owner))),
        [strong.id(), weak.id()]
    );
    let newest_first: Vec<ReportId> = same.iter().rev().map(Rep::id).collect();
    let found = index
        .search(&query("harassment", scope_of(owner)))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(found.windows(2).all(|w| w[0].score == w[1].score));
    assert!(found.iter().all(|f| f.score > 0.0));
    assert_eq!(
        found.into_iter().map(|f| f.report).collect::<Vec<_>>(),
        newest_first
    );
}

#[test]
fn pages_follow_each_other_and_sizes_are_capped() {
    let owner = AgencyId::random();
    let reps: Vec<Rep> = (0..(MAX_LIMIT as u64 + 30))
        .map(|seq| Rep::new(owner, "phishing sms").seq(seq).marking(Tlp::Clear))
        .collect();
    let index = index_of(&reps);
    let page = |offset: usize, limit: usize| -> Result<Vec<ReportId>, SearchError> {
        let q = Query {
            offset,
            limit,
            ..query("phishing", scope_of(AgencyId::random()))
        };
        index
            .search(&q)
            .map(|v| v.into_iter().map(|f| f.report).collect())
    };
    let all: Vec<ReportId> = reps.iter().rev().map(Rep::id).collect();
    assert_eq!(page(0, 10).ok(), Some(all[0..10].to_vec()));
    assert_eq!(page(10, 10).ok(), Some(all[10..20].to_vec()));
    assert_eq!(page(125, 10).ok(), Some(all[125..].to_vec()));
    assert_eq!(page(0, 1000).ok().map(|v| v.len()), Some(MAX_LIMIT));
    assert_eq!(page(0, 0).ok(), Some(vec![]));
    assert_eq!(page(MAX_OFFSET, 10).ok(), Some(vec![]));
    assert!(matches!(
        page(MAX_OFFSET + 1, 10),
        Err(SearchError::OffsetTooLarge { .. })
    ));
}
