//! Every generated report passes the node's own ingest (validation, normalisation in the owner
//! agency's region, distribution checks) and is stored; loading again is idempotent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use warroom_domain::{AgencyId, GroupId};
use warroom_node::{Actor, LineOutcome, NewUser, Node};
use warroom_store::Store;
use warroom_store_sqlite::SqliteStore;
use warroom_worldgen::{Config, generate};

#[test]
fn the_node_accepts_every_report_and_a_second_load_changes_nothing() {
    let config = Config {
        seed: 3,
        scale: 1500,
    };
    let out = tempfile::tempdir().expect("tmp");
    generate(&config, out.path(), &|_| {}).expect("generate");
    let w = common::load(out.path());

    let data = tempfile::tempdir().expect("tmp");
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(data.path()).expect("store"));
    let node = Node::new(store.clone());
    let system = Actor::system("worldgen-test");
    let world = warroom_worldgen::world(&config);
    for a in &world.agencies {
        let agency = a.to_domain().expect("domain agency");
        node.adopt_agency(&system, agency).expect("agency");
    }
    for g in &world.groups {
        let d = g.to_domain();
        node.put_group(&system, Some(GroupId(g.id)), &g.name, d.members)
            .expect("group");
    }
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
    }

    let mut accepted = 0;
    for a in &world.agencies {
        let user = world
            .users
            .iter()
            .find(|u| u.agency == a.id)
            .expect("one user per agency");
        let actor = node
            .shell_actor(&user.username, "worldgen-test")
            .expect("actor");
        let mine: Vec<_> = w
            .reports
            .iter()
            .filter(|(slug, ..)| *slug == a.slug)
            .map(|(_, _, r)| r.clone())
            .collect();
        for chunk in mine.chunks(250) {
            let outcomes = node
                .submit_batch(&actor, chunk.iter().cloned().map(Ok).collect())
                .expect("batch");
            for (r, o) in chunk.iter().zip(outcomes) {
                match o {
                    LineOutcome::Accepted { id } => {
                        assert_eq!(Some(id.0), r.id);
                        accepted += 1;
                    }
                    other => panic!(
                        "{}: {other:?}\n{}",
                        a.slug,
                        serde_json::to_string(r).expect("json")
                    ),
                }
            }
        }
        // Loading the same file again: every report is a duplicate.
        let again = node
            .submit_batch(&actor, mine.iter().take(30).cloned().map(Ok).collect())
            .expect("batch");
        assert!(
            again
                .iter()
                .all(|o| matches!(o, LineOutcome::Duplicate { .. })),
            "{}: {again:?}",
            a.slug
        );
    }
    assert_eq!(accepted, w.reports.len());
}

#[test]
fn every_line_has_the_api_shape() {
    let config = Config {
        seed: 4,
        scale: 300,
    };
    let out = tempfile::tempdir().expect("tmp");
    generate(&config, out.path(), &|_| {}).expect("generate");
    for entry in std::fs::read_dir(out.path().join("reports")).expect("dir") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("json");
            assert_eq!(warroom_wire::report_shape_error(&v), None, "{line}");
            let _: warroom_wire::ReportIn = serde_json::from_value(v).expect("ReportIn");
        }
    }
}
