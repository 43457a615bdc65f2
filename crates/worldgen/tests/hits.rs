//! Correlation scored on the demo world's ground truth (issue: Correlation).
//!
//! The world is loaded through the real node with its identifier index running, report by
//! report in submission order, as each agency's own analyst. Then:
//! - every cross-agency identifier overlap inside a syndicate (a later report of agency B
//!   holding an identifier an earlier report of agency A holds) produces a hit, seen by B or
//!   by A as far as the sharing rules let either learn of the other's report;
//! - no hit comes from a warninglisted value or a hub;
//! - a second node rebuilt from the same store lists exactly the same hits as the one that
//!   followed the writes live.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;
use std::sync::Arc;
use warroom_domain::policy::{Access, Subject, report_access};
use warroom_domain::{AgencyId, GroupId, IdentifierKind, ReportId};
use warroom_node::{
    Actor, CorrelationOptions, HitFilter, HitKey, LineOutcome, NewUser, Node, Side,
};
use warroom_store::Store;
use warroom_store_sqlite::SqliteStore;
use warroom_worldgen::Config;

struct Loaded {
    node: Node,
    store: Arc<dyn Store>,
    actors: BTreeMap<AgencyId, Actor>,
    /// (report id, syndicate) in submission order.
    reports: Vec<(ReportId, Option<String>)>,
}

fn load(config: &Config, dir: &std::path::Path) -> Loaded {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir).expect("store"));
    let node = Node::new(store.clone());
    node.seed_warninglist().expect("warninglist");
    node.start_correlation_and_wait(CorrelationOptions::default())
        .expect("index");
    let system = Actor::system("hits-test");
    let world = warroom_worldgen::world(config);
    for a in &world.agencies {
        node.adopt_agency(&system, a.to_domain().expect("agency"))
            .expect("agency");
    }
    for g in &world.groups {
        node.put_group(&system, Some(GroupId(g.id)), &g.name, g.to_domain().members)
            .expect("group");
    }
    let mut actors = BTreeMap::new();
    for u in &world.users {
        node.create_user(
            &system,
            NewUser {
                agency: AgencyId(u.agency),
                username: u.username.clone(),
                display_name: u.display_name.clone(),
                roles: u.role_set(),
                password: Some("correct horse battery staple".into()),
            },
        )
        .expect("user");
        actors
            .entry(AgencyId(u.agency))
            .or_insert_with(|| node.shell_actor(&u.username, "hits-test").expect("actor"));
    }
    // Runs of consecutive reports of one agency go in one batch: submission order is kept.
    let mut reports = Vec::new();
    let mut run: Vec<warroom_wire::ReportIn> = Vec::new();
    let mut run_agency = None;
    let flush = |agency: Option<AgencyId>, run: &mut Vec<warroom_wire::ReportIn>| {
        let Some(agency) = agency else { return };
        let outcomes = node
            .submit_batch(&actors[&agency], run.drain(..).map(Ok).collect())
            .expect("batch");
        for o in outcomes {
            assert!(matches!(o, LineOutcome::Accepted { .. }), "{o:?}");
        }
    };
    for step in warroom_worldgen::steps(config) {
        let agency = AgencyId(step.agency);
        if run_agency != Some(agency) {
            flush(run_agency, &mut run);
            run_agency = Some(agency);
        }
        reports.push((
            ReportId(step.report.id.expect("generated ids")),
            step.truth.report.syndicate.map(str::to_owned),
        ));
        run.push(step.report);
    }
    flush(run_agency, &mut run);
    Loaded {
        node,
        store,
        actors,
        reports,
    }
}

fn all_hits(node: &Node, actor: &Actor) -> Vec<warroom_node::Hit> {
    let mut out = Vec::new();
    let mut cursor: Option<HitKey> = None;
    loop {
        let page = node
            .hits(actor, &HitFilter::default(), cursor, 200)
            .expect("hits")
            .commit(node)
            .expect("audit");
        out.extend(page.hits);
        match page.next {
            Some(next) => cursor = Some(next),
            None => return out,
        }
    }
}

#[test]
fn every_overlap_inside_a_syndicate_is_a_hit_and_noise_never_is() {
    let config = Config {
        seed: 7,
        scale: 1200,
    };
    let dir = tempfile::tempdir().expect("tmp");
    let w = load(&config, dir.path());

    // Every report's seq, owner, access facts and identifiers, from the store.
    let mut seq_of = BTreeMap::new();
    let mut after = 0;
    loop {
        let page = w.store.report_changes(after, 1000).expect("changes");
        let Some(last) = page.last() else { break };
        after = last.rev;
        for c in page {
            seq_of.insert(c.report.id, (c.seq, c.report));
        }
    }
    let noise: BTreeSet<String> = warroom_worldgen::truth_head(&config)
        .noise
        .iter()
        .filter_map(|n| n.canonical.as_ref().map(|c| format!("{}:{c}", n.kind)))
        .collect();

    // Hits per agency, as each agency's analyst lists them.
    let mut seen: BTreeSet<(AgencyId, u64, String)> = BTreeSet::new();
    let mut total_hits = 0;
    for (agency, actor) in &w.actors {
        for h in all_hits(&w.node, actor) {
            total_hits += 1;
            let key = format!("{}:{}", h.kind, h.value);
            assert!(!noise.contains(&key), "a hit on the noise value {key}");
            let lookup = w
                .node
                .entity(actor, h.entity)
                .expect("a hit's entity is visible")
                .commit(&w.node)
                .expect("audit");
            assert_eq!(lookup.noise, None, "a hit on {key}, which is noise");
            assert!(IdentifierKind::from_str(&h.kind).is_ok(), "{key}");
            seen.insert((*agency, h.key.seq, key));
        }
    }

    // The overlaps the truth implies, and whether either side may learn of the other.
    let viewer = |a: AgencyId| w.actors[&a].principal.clone().expect("user").viewer;
    let (mut overlaps, mut found, mut hidden) = (0, 0, 0);
    let mut by_syndicate: BTreeMap<&str, Vec<ReportId>> = BTreeMap::new();
    for (id, syndicate) in &w.reports {
        if let Some(s) = syndicate {
            by_syndicate.entry(s.as_str()).or_default().push(*id);
        }
    }
    for (syndicate, ids) in &by_syndicate {
        let mut holders: BTreeMap<String, Vec<(u64, &warroom_store::ReportRecord)>> =
            BTreeMap::new();
        for id in ids {
            let (seq, r) = &seq_of[id];
            if r.retracted_at.is_some() {
                continue;
            }
            for e in &r.entities {
                if IdentifierKind::from_str(&e.kind).is_err() {
                    continue;
                }
                let key = format!("{}:{}", e.kind, e.value);
                if !noise.contains(&key) {
                    holders.entry(key).or_default().push((*seq, r));
                }
            }
        }
        for (key, mut list) in holders {
            list.sort_by_key(|(seq, _)| *seq);
            for (i, (seq, later)) in list.iter().enumerate() {
                let earlier: Vec<_> = list[..i]
                    .iter()
                    .filter(|(_, r)| r.owner != later.owner)
                    .collect();
                if earlier.is_empty() {
                    continue;
                }
                overlaps += 1;
                let subject =
                    |r: &warroom_store::ReportRecord| (r.owner, r.marking, r.distribution.clone());
                // The later side learns of an earlier holding it may at least hear of, whose
                // owner did not turn hit notices off; the earlier side learns of the later
                // report likewise.
                let later_learns = earlier.iter().any(|(_, r)| {
                    let (owner, marking, dist) = subject(r);
                    r.hit_notices
                        && report_access(
                            &viewer(later.owner),
                            Subject {
                                owner,
                                marking,
                                distribution: &dist,
                                hit_notices: r.hit_notices,
                            },
                        ) != Access::None
                });
                let earlier_learns = later.hit_notices
                    && earlier.iter().any(|(_, r)| {
                        let (owner, marking, dist) = subject(later);
                        report_access(
                            &viewer(r.owner),
                            Subject {
                                owner,
                                marking,
                                distribution: &dist,
                                hit_notices: later.hit_notices,
                            },
                        ) != Access::None
                    });
                if !later_learns && !earlier_learns {
                    hidden += 1;
                    continue;
                }
                let by_later = seen.contains(&(later.owner, *seq, key.clone()));
                let by_earlier = earlier
                    .iter()
                    .any(|(_, r)| seen.contains(&(r.owner, *seq, key.clone())));
                assert!(
                    (!later_learns || by_later) && (!earlier_learns || by_earlier),
                    "{syndicate}: {key} in report seq {seq} overlaps earlier reports of other \
                     agencies, but the hit is missing (later side expected {later_learns}, \
                     found {by_later}; earlier side expected {earlier_learns}, found {by_earlier})"
                );
                found += 1;
            }
        }
    }
    eprintln!(
        "ground truth (seed {}, {} reports): {overlaps} cross-agency overlaps inside \
         syndicates, {found} produced their hits, {hidden} hidden from both sides by the \
         sharing rules; {total_hits} hits listed over {} agencies, none on noise",
        config.seed,
        w.reports.len(),
        w.actors.len()
    );
    assert!(found > 50, "too few overlaps to mean anything: {found}");

    // A node rebuilt from the same store lists the same hits.
    let rebuilt = Node::new(w.store.clone());
    rebuilt
        .start_correlation_and_wait(CorrelationOptions::default())
        .expect("rebuild");
    for (agency, actor) in &w.actors {
        let live: Vec<_> = all_hits(&w.node, actor);
        let again: Vec<_> = all_hits(&rebuilt, actor);
        assert_eq!(
            live, again,
            "agency {agency}: rebuilt hits differ from live ones"
        );
    }
    // Both sides are represented.
    let sides: BTreeSet<bool> = w
        .actors
        .values()
        .flat_map(|a| all_hits(&w.node, a))
        .map(|h| h.side == Side::Submitted)
        .collect();
    assert_eq!(sides.len(), 2, "hits of only one side");
}
