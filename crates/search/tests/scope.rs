//! Only reports the viewer may read in full are found; the index follows updates and
//! retractions.

mod common;

use common::{Rep, apply, find, ids, index_of, query, scope_of};
use std::collections::BTreeSet;
use warroom_domain::policy::{Access, Subject, Viewer, report_access};
use warroom_domain::{AgencyId, GroupId, ReportId, Role, Tlp};
use warroom_search::{Scope, SearchIndex};

struct World {
    owner: AgencyId,
    named: AgencyId,
    grouped: AgencyId,
    outsider: AgencyId,
    group: GroupId,
    /// One report per marking, addressed to `named` and to `group`.
    reports: Vec<(Tlp, Rep)>,
    index: SearchIndex,
}

fn world() -> World {
    let (owner, named, grouped, outsider) = (
        AgencyId::random(),
        AgencyId::random(),
        AgencyId::random(),
        AgencyId::random(),
    );
    let group = GroupId::random();
    let reports: Vec<(Tlp, Rep)> = Tlp::ALL
        .iter()
        .map(|&tlp| {
            let rep = Rep::new(owner, &format!("courier parcel scam marked {tlp}"))
                .marking(tlp)
                .for_agencies(&[named]);
            // The node refuses groups on AMBER+STRICT and RED; if one were stored anyway, the
            // group must still not open it.
            (tlp, rep.for_groups(&[group]))
        })
        .collect();
    let all: Vec<Rep> = reports.iter().map(|(_, r)| r.clone()).collect();
    let index = index_of(&all);
    World {
        owner,
        named,
        grouped,
        outsider,
        group,
        reports,
        index,
    }
}

fn markings_found(w: &World, scope: Scope) -> BTreeSet<Tlp> {
    let found = ids(&w.index, &query("courier parcel", scope));
    w.reports
        .iter()
        .filter(|(_, r)| found.contains(&r.id()))
        .map(|(tlp, _)| *tlp)
        .collect()
}

#[test]
fn every_marking_for_owner_named_grouped_and_outsider_with_and_without_red() {
    use Tlp::*;
    let w = world();
    let viewers = [
        ("owner", w.owner),
        ("named", w.named),
        ("grouped", w.grouped),
        ("outsider", w.outsider),
    ];
    // Written out from SPEC section 4, independently of the policy module.
    let expected = |who: &str, red: bool| -> BTreeSet<Tlp> {
        let mut s: BTreeSet<Tlp> = [Clear, Green].into();
        match who {
            "owner" => s.extend([Amber, AmberStrict]),
            "named" => s.extend([Amber, AmberStrict]),
            "grouped" => s.extend([Amber]),
            _ => {}
        }
        if red && (who == "owner" || who == "named") {
            s.insert(Red);
        }
        s
    };
    for (who, agency) in viewers {
        for red in [false, true] {
            let groups = if who == "grouped" {
                vec![w.group]
            } else {
                vec![]
            };
            let scope = Scope {
                agency,
                groups: groups.clone(),
                red,
            };
            let got = markings_found(&w, scope);
            assert_eq!(got, expected(who, red), "{who}, red={red}");
            // And the same as the policy module says, for an analyst (red) or a liaison.
            let viewer = Viewer {
                agency,
                groups: groups.into_iter().collect(),
                roles: [if red { Role::Analyst } else { Role::Liaison }].into(),
            };
            let by_policy: BTreeSet<Tlp> = w
                .reports
                .iter()
                .filter(|(_, r)| {
                    let subject = Subject {
                        owner: r.record.owner,
                        marking: r.record.marking,
                        distribution: &r.record.distribution,
                        hit_notices: r.record.hit_notices,
                    };
                    report_access(&viewer, subject) == Access::Full
                })
                .map(|(tlp, _)| *tlp)
                .collect();
            assert_eq!(got, by_policy, "{who}, red={red} against the policy");
        }
    }
}

#[test]
fn groups_the_viewer_is_not_in_open_nothing() {
    let w = world();
    let scope = Scope {
        agency: w.grouped,
        groups: vec![GroupId::random(), GroupId::random()],
        red: true,
    };
    assert_eq!(markings_found(&w, scope), [Tlp::Clear, Tlp::Green].into());
}

#[test]
fn a_page_is_full_of_readable_reports() {
    // Many unreadable reports rank above the readable ones; the page still fills.
    let owner = AgencyId::random();
    let viewer = AgencyId::random();
    let mut reps = Vec::new();
    for i in 0..30 {
        reps.push(
            Rep::new(owner, "scam scam scam scam")
                .marking(Tlp::Red)
                .for_agencies(&[owner])
                .seq(100 + i),
        );
    }
    let readable: Vec<Rep> = (0..10)
        .map(|i| {
            Rep::new(
                owner,
                &format!("scam reported with many other words number {i}"),
            )
            .marking(Tlp::Amber)
            .for_agencies(&[viewer])
            .seq(i)
        })
        .collect();
    reps.extend(readable.iter().cloned());
    let index = index_of(&reps);
    let mut q = query("scam", scope_of(viewer));
    q.limit = 5;
    let page: Vec<ReportId> = ids(&index, &q);
    assert_eq!(page.len(), 5);
    let readable_ids: Vec<ReportId> = readable.iter().map(Rep::id).collect();
    assert!(page.iter().all(|id| readable_ids.contains(id)));
}

#[test]
fn a_retracted_report_disappears() {
    let owner = AgencyId::random();
    let keep = Rep::new(owner, "telegram investment group").rev(1);
    let gone = Rep::new(owner, "telegram investment channel").rev(2);
    let index = index_of(&[keep.clone(), gone.clone()]);
    assert_eq!(index.doc_count(), 2);
    assert_eq!(find(&index, "telegram").len(), 2);
    apply(&index, &[gone.retracted(3)]);
    assert_eq!(find(&index, "telegram"), [keep.id()]);
    assert!(find(&index, "channel").is_empty());
    assert_eq!(index.doc_count(), 1);
    // Retracting again, or a report never indexed, changes nothing.
    apply(
        &index,
        &[gone.retracted(4), Rep::new(owner, "x").retracted(5)],
    );
    assert_eq!(index.doc_count(), 1);
}

#[test]
fn an_update_replaces_the_old_text() {
    let owner = AgencyId::random();
    let v1 = Rep::new(owner, "the caller used WhatsApp").rev(1);
    let index = index_of(std::slice::from_ref(&v1));
    assert_eq!(find(&index, "whatsapp"), [v1.id()]);
    apply(&index, &[v1.updated("the caller used Signal", 2)]);
    assert!(find(&index, "whatsapp").is_empty());
    assert_eq!(find(&index, "signal"), [v1.id()]);
    assert_eq!(index.doc_count(), 1);
}

#[test]
fn within_one_batch_the_latest_change_of_a_report_wins() {
    let owner = AgencyId::random();
    let v1 = Rep::new(owner, "first version alpha").rev(1);
    let v2 = v1.updated("second version beta", 2);
    let v3 = v1.updated("third version gamma", 3);
    let index = SearchIndex::in_ram().unwrap_or_else(|e| panic!("{e}"));
    // Out of order in the slice: rev decides.
    apply(&index, &[v1.clone(), v3.clone(), v2.clone()]);
    assert_eq!(index.doc_count(), 1);
    assert_eq!(find(&index, "gamma"), [v1.id()]);
    assert!(find(&index, "alpha").is_empty());
    assert!(find(&index, "beta").is_empty());
    // A retraction in the same batch as an update.
    apply(&index, &[v1.updated("fourth delta", 4), v1.retracted(5)]);
    assert_eq!(index.doc_count(), 0);
}

#[test]
fn a_marking_change_moves_the_report_out_of_scope() {
    let owner = AgencyId::random();
    let reader = AgencyId::random();
    let v1 = Rep::new(owner, "romance scam on dating app").marking(Tlp::Green);
    let index = index_of(std::slice::from_ref(&v1));
    assert_eq!(ids(&index, &query("romance", scope_of(reader))), [v1.id()]);
    let mut v2 = v1.updated("romance scam on dating app", 2);
    v2.record.marking = Tlp::Amber;
    apply(&index, &[v2]);
    assert!(ids(&index, &query("romance", scope_of(reader))).is_empty());
    assert_eq!(ids(&index, &query("romance", scope_of(owner))), [v1.id()]);
}

#[test]
fn scopes_stay_exact_across_commits_merges_and_many_viewers() {
    // Each viewer is named on its own AMBER report; everyone reads the GREEN ones.
    let owner = AgencyId::random();
    let viewers: Vec<AgencyId> = (0..80).map(|_| AgencyId::random()).collect();
    let index = SearchIndex::in_ram().unwrap_or_else(|e| panic!("{e}"));
    let mut green = Vec::new();
    let mut amber = Vec::new();
    for (i, v) in viewers.iter().enumerate() {
        let g = Rep::new(owner, "harbour smuggling").seq(2 * i as u64);
        let a = Rep::new(owner, "harbour smuggling")
            .marking(Tlp::Amber)
            .for_agencies(&[*v])
            .seq(2 * i as u64 + 1);
        // One commit per pair: many segments, merged in the background meanwhile.
        apply(&index, &[g.clone(), a.clone()]);
        green.push(g.id());
        amber.push(a.id());
        // Search as an earlier viewer after each commit: its cached sets must follow.
        let earlier = i / 2;
        let found: BTreeSet<ReportId> = ids(&index, &query("harbour", scope_of(viewers[earlier])))
            .into_iter()
            .collect();
        let mut want: BTreeSet<ReportId> = green.iter().copied().collect();
        want.insert(amber[earlier]);
        assert_eq!(found.len(), want.len().min(100), "after commit {i}");
        assert!(found.contains(&amber[earlier]), "after commit {i}");
    }
    // Every viewer (more than the cache keeps), twice, in a different order.
    for v in viewers.iter().chain(viewers.iter().rev()) {
        let mut q = query("harbour", scope_of(*v));
        q.filter.owner = Some(owner);
        let found = ids(&index, &q);
        assert_eq!(found.len(), 81);
        let mine: Vec<&ReportId> = amber.iter().filter(|id| found.contains(id)).collect();
        assert_eq!(mine.len(), 1);
        assert_eq!(
            *mine[0],
            amber[viewers.iter().position(|x| x == v).unwrap_or(0)]
        );
    }
    // A retraction is seen by a scope whose sets are cached.
    let v0 = viewers[0];
    let mut gone = Rep::new(owner, "x").marking(Tlp::Amber).for_agencies(&[v0]);
    gone.record.id = amber[0];
    apply(&index, &[gone.retracted(10_000)]);
    assert!(!ids(&index, &query("harbour", scope_of(v0))).contains(&amber[0]));
}
