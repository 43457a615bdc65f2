//! The access-control property test: random worlds (agencies, groups, reports with random
//! markings and distributions), every user of every agency as a reader, every read endpoint
//! called, each answer compared with an oracle written from SPEC section 4 (not from the
//! policy module), and every answer searched for anything of a report the reader may not read.
//!
//! `WARROOM_POLICY_CASES` (readers checked; default 10,000) and `WARROOM_POLICY_SEED` choose
//! the run; a failure names the seed and world that reproduce it.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;
use warroom_domain::{Agency, AgencyId, AgencyKind, CountryCode, Role, User, UserId};
use warroom_node::{Actor, Node};
use warroom_server::{RateConfig, ServeConfig};
use warroom_store::{AuditDraft, Store, UserRecord};

const MARKINGS: [&str; 5] = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"];
const ROLES: [Role; 4] = [Role::Analyst, Role::Supervisor, Role::Admin, Role::Liaison];
const COUNTRIES: [&str; 4] = ["TH", "US", "JP", "IN"];
/// Identifiers the reports draw from, so that reports share them.
const POOL: usize = 6;

fn pool_number(i: usize) -> String {
    format!("+66 81 000 000{i}")
}

/// Two international writings, so that reports of agencies in any country meet on one key.
fn pool_writing(i: usize, rng: &mut StdRng) -> String {
    if rng.random_bool(0.5) {
        format!("+6681000000{i}")
    } else {
        format!("+66 81-000-000{i}")
    }
}

#[derive(Debug, Clone)]
struct WorldReport {
    id: uuid::Uuid,
    owner: usize,
    marking: &'static str,
    agencies: BTreeSet<usize>,
    groups: BTreeSet<usize>,
    identifiers: BTreeSet<usize>,
    retracted: bool,
}

#[derive(Debug)]
struct World {
    agencies: Vec<Agency>,
    groups: Vec<BTreeSet<usize>>,
    group_ids: Vec<uuid::Uuid>,
    reports: Vec<WorldReport>,
    /// (agency index, role, token)
    readers: Vec<(usize, Role, String)>,
}

/// The oracle, from SPEC section 4 and the documented role rule: RED is for analysts and
/// supervisors of the named agencies (and the owner); AMBER+STRICT and RED name agencies only;
/// AMBER reaches the named agencies and the members of the named groups.
fn oracle_reads(w: &World, agency: usize, role: Role, r: &WorldReport) -> bool {
    if r.marking == "RED" && !matches!(role, Role::Analyst | Role::Supervisor) {
        return false;
    }
    if r.owner == agency {
        return true;
    }
    match r.marking {
        "CLEAR" | "GREEN" => true,
        "AMBER" => {
            r.agencies.contains(&agency) || r.groups.iter().any(|g| w.groups[*g].contains(&agency))
        }
        _ => r.agencies.contains(&agency),
    }
}

/// Hit/no-hit: an AMBER report the reader may not read tells that its owner holds the entity.
fn oracle_hit_only(w: &World, agency: usize, role: Role, r: &WorldReport) -> bool {
    r.marking == "AMBER" && !oracle_reads(w, agency, role, r)
}

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| warroom_node::secret::hash_password("policy test password").unwrap())
}

fn build_world(rng: &mut StdRng, location: &warroom_testkit::Location) -> (Node, World) {
    let store: Arc<dyn Store> = location.open();
    let node = Node::new(store.clone());
    let shell = Actor::system("policy-test");
    let n_agencies = rng.random_range(2..=5);
    let mut agencies = Vec::new();
    let mut readers = Vec::new();
    let mut analysts = Vec::new();
    for i in 0..n_agencies {
        let country = CountryCode::parse(COUNTRIES.choose(rng).unwrap()).unwrap();
        let agency = node
            .create_agency(&shell, &format!("agency {i}"), country, AgencyKind::Police)
            .unwrap();
        for role in ROLES {
            // Users straight into the store with a precomputed argon2id hash: hashing one
            // password per user would dominate the run.
            let user = User {
                id: UserId::random(),
                agency: agency.id,
                username: format!("a{i}-{}", role.as_str()),
                display_name: String::new(),
                roles: [role].into(),
                disabled: false,
            };
            let audit = AuditDraft {
                at: jiff::Timestamp::now(),
                actor_user: None,
                actor_agency: None,
                action: "user.create".into(),
                object_kind: "user".into(),
                object_id: user.id.to_string(),
                request_id: "policy-test".into(),
                purpose: None,
            };
            store
                .create_user(
                    &UserRecord {
                        user: user.clone(),
                        password_hash: Some(password_hash().to_owned()),
                        created_at: jiff::Timestamp::now(),
                    },
                    &audit,
                )
                .unwrap();
            let (_, secret) = node.create_token(&shell, user.id, "policy", None).unwrap();
            if role == Role::Analyst {
                analysts.push(user.username.clone());
            }
            readers.push((i, role, secret));
        }
        agencies.push(agency);
    }
    let n_groups = rng.random_range(0..=3);
    let mut groups = Vec::new();
    let mut group_ids = Vec::new();
    for g in 0..n_groups {
        let members: BTreeSet<usize> = (0..n_agencies).filter(|_| rng.random_bool(0.5)).collect();
        let ids: BTreeSet<AgencyId> = members.iter().map(|m| agencies[*m].id).collect();
        let group = node
            .put_group(&shell, None, &format!("group {g}"), ids)
            .unwrap();
        groups.push(members);
        group_ids.push(group.id.0);
    }
    let n_reports = rng.random_range(1..=10);
    let mut reports = Vec::new();
    for _ in 0..n_reports {
        let owner = rng.random_range(0..n_agencies);
        let marking = *MARKINGS.choose(rng).unwrap();
        let strict = matches!(marking, "AMBER+STRICT" | "RED");
        let r_agencies: BTreeSet<usize> =
            (0..n_agencies).filter(|_| rng.random_bool(0.35)).collect();
        let r_groups: BTreeSet<usize> = if strict {
            BTreeSet::new()
        } else {
            (0..n_groups).filter(|_| rng.random_bool(0.4)).collect()
        };
        let n_ids = rng.random_range(1..=3);
        let identifiers: BTreeSet<usize> = (0..n_ids).map(|_| rng.random_range(0..POOL)).collect();
        let id = uuid::Uuid::new_v4();
        let input = json!({
            "id": id,
            "kind": "intelligence",
            "marking": marking,
            "narrative": format!("SECRET-{id}"),
            "distribution": {
                "agencies": r_agencies.iter().map(|a| agencies[*a].id.0).collect::<Vec<_>>(),
                "groups": r_groups.iter().map(|g| group_ids[*g]).collect::<Vec<_>>(),
            },
            "entities": identifiers.iter().map(|i| json!({"type": "identifier", "kind": "phone", "value": pool_writing(*i, rng)})).collect::<Vec<_>>(),
        });
        let author = node.shell_actor(&analysts[owner], "policy-test").unwrap();
        node.submit(&author, &serde_json::from_value(input).unwrap())
            .unwrap();
        let retracted = rng.random_bool(0.1);
        if retracted {
            node.retract_report(&author, warroom_domain::ReportId(id))
                .unwrap();
        }
        reports.push(WorldReport {
            id,
            owner,
            marking,
            agencies: r_agencies,
            groups: r_groups,
            identifiers,
            retracted,
        });
    }
    readers.shuffle(rng);
    (
        node,
        World {
            agencies,
            groups,
            group_ids,
            reports,
            readers,
        },
    )
}

async fn get(app: &axum::Router, token: &str, uri: &str) -> (StatusCode, Value, String) {
    let req = Request::get(uri)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let value = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, value, text)
}

/// Checks one reader against the oracle; returns the number of read calls made.
async fn check_reader(app: &axum::Router, w: &World, reader: usize, ctx: &str) -> usize {
    let (agency, role, token) = (
        &w.readers[reader].0,
        w.readers[reader].1,
        &w.readers[reader].2,
    );
    let agency = *agency;
    let who = format!("{ctx} reader=agency {agency} {}", role.as_str());
    let hidden: Vec<&WorldReport> = w
        .reports
        .iter()
        .filter(|r| !oracle_reads(w, agency, role, r))
        .collect();
    let mut calls = 0;
    let mut bodies: Vec<(String, String)> = Vec::new();

    let (_, not_found_body, _) = get(
        app,
        token,
        &format!("/api/v1/reports/{}", uuid::Uuid::new_v4()),
    )
    .await;
    for r in &w.reports {
        let readable = oracle_reads(w, agency, role, r);
        for suffix in ["", "/versions"] {
            let uri = format!("/api/v1/reports/{}{suffix}", r.id);
            let (status, body, text) = get(app, token, &uri).await;
            calls += 1;
            if readable {
                assert_eq!(
                    status,
                    StatusCode::OK,
                    "{who}: {uri} of a readable {} report: {text}",
                    r.marking
                );
                if suffix.is_empty() {
                    assert_eq!(body["id"], json!(r.id), "{who}");
                    assert_eq!(
                        body["retracted_at"].is_string(),
                        r.retracted,
                        "{who}: tombstone"
                    );
                    if !r.retracted {
                        assert_eq!(
                            body["body"]["narrative"],
                            json!(format!("SECRET-{}", r.id)),
                            "{who}"
                        );
                    }
                }
            } else {
                assert_eq!(
                    status,
                    StatusCode::NOT_FOUND,
                    "{who}: {uri} of a hidden {} report: {text}",
                    r.marking
                );
                assert_eq!(
                    body, not_found_body,
                    "{who}: a hidden report answers exactly like a missing one"
                );
            }
            bodies.push((uri, text));
        }
    }

    // Listing, across pages of a random size.
    let expected: BTreeSet<String> = w
        .reports
        .iter()
        .filter(|r| !r.retracted && oracle_reads(w, agency, role, r))
        .map(|r| r.id.to_string())
        .collect();
    let limit = 1 + (reader % 4);
    let mut seen = BTreeSet::new();
    let mut cursor: Option<u64> = None;
    loop {
        let uri = match cursor {
            Some(c) => format!("/api/v1/reports?limit={limit}&cursor={c}"),
            None => format!("/api/v1/reports?limit={limit}"),
        };
        let (status, body, text) = get(app, token, &uri).await;
        calls += 1;
        assert_eq!(status, StatusCode::OK, "{who}: {uri}: {text}");
        for r in body["reports"].as_array().unwrap() {
            let id = r["id"].as_str().unwrap().to_owned();
            assert!(seen.insert(id.clone()), "{who}: {id} listed twice");
        }
        bodies.push((uri, text));
        match body["next"].as_u64() {
            Some(c) => cursor = Some(c),
            None => break,
        }
        assert!(calls < 1000, "{who}: listing does not end");
    }
    assert_eq!(seen, expected, "{who}: listing");

    // Entity lookups and entity reads, for every identifier of the pool.
    for i in 0..POOL {
        let live: Vec<&WorldReport> = w
            .reports
            .iter()
            .filter(|r| !r.retracted && r.identifiers.contains(&i))
            .collect();
        let mut sightings: BTreeMap<String, u64> = BTreeMap::new();
        let mut reports: BTreeSet<String> = BTreeSet::new();
        let mut held: BTreeSet<String> = BTreeSet::new();
        for r in &live {
            let owner = w.agencies[r.owner].id.to_string();
            if oracle_reads(w, agency, role, r) {
                *sightings.entry(owner).or_default() += 1;
                reports.insert(r.id.to_string());
            } else if oracle_hit_only(w, agency, role, r) {
                held.insert(owner);
            }
        }
        for a in sightings.keys() {
            held.remove(a);
        }
        let value = pool_number(i).replace(' ', "%20").replace('+', "%2B");
        let lookup = format!("/api/v1/entities/lookup?value={value}&kind=phone");
        let (status, body, text) = get(app, token, &lookup).await;
        calls += 1;
        let entity_id = body["id"].as_str().map(str::to_owned);
        if sightings.is_empty() && held.is_empty() {
            assert_eq!(status, StatusCode::NOT_FOUND, "{who}: lookup {i}: {text}");
        } else {
            assert_eq!(status, StatusCode::OK, "{who}: lookup {i}: {text}");
            let got: BTreeMap<String, u64> = body["sightings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["agency"].as_str().unwrap().to_owned(),
                        s["reports"].as_u64().unwrap(),
                    )
                })
                .collect();
            assert_eq!(got, sightings, "{who}: lookup {i} sightings");
            let got_held: BTreeSet<String> = body["held_by"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["agency"].as_str().unwrap().to_owned())
                .collect();
            assert_eq!(got_held, held, "{who}: lookup {i} held_by");
            let got_reports: BTreeSet<String> = body["reports"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_owned())
                .collect();
            assert_eq!(got_reports, reports, "{who}: lookup {i} reports");
            let id = entity_id.clone().unwrap();
            let (status, by_id, text) = get(app, token, &format!("/api/v1/entities/{id}")).await;
            calls += 1;
            assert_eq!(status, StatusCode::OK, "{who}: entity {i}: {text}");
            assert_eq!(by_id["sightings"], body["sightings"], "{who}");
            assert_eq!(by_id["held_by"], body["held_by"], "{who}");
            assert_eq!(
                by_id["value"].is_string(),
                !sightings.is_empty(),
                "{who}: the value is shown only with a readable report"
            );
            bodies.push((format!("entity {id}"), text));
        }
        bodies.push((lookup, text));
    }

    // Nothing of a hidden report anywhere: not its id, not its narrative.
    for r in hidden {
        let id = r.id.to_string();
        for (uri, text) in &bodies {
            if uri.contains(&id) {
                // Its own URL: the answer must still not echo it.
                assert!(
                    !text.contains(&id),
                    "{who}: {uri} echoes the hidden report's id"
                );
                continue;
            }
            assert!(
                !text.contains(&id),
                "{who}: {uri} leaks the hidden {} report {id}: {text}",
                r.marking
            );
        }
    }
    calls
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_read_path_leaks_anything_the_rules_forbid() {
    let cases: usize = std::env::var("WARROOM_POLICY_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let seed: u64 = std::env::var("WARROOM_POLICY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_129);
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut checked, mut calls, mut worlds) = (0usize, 0usize, 0usize);
    let mut markings: BTreeMap<&str, usize> = BTreeMap::new();
    let start = std::time::Instant::now();
    while checked < cases {
        let location = warroom_testkit::Location::new();
        let world_seed: u64 = rng.random();
        let mut wrng = StdRng::seed_from_u64(world_seed);
        let node = tokio::task::block_in_place(|| build_world(&mut wrng, &location));
        let (node, world) = node;
        for r in &world.reports {
            *markings.entry(r.marking).or_default() += 1;
        }
        let config = ServeConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            metrics_listen: None,
            rates: RateConfig {
                per_token: 0,
                logins_per_minute: 0,
            },
            secure_cookies: false,
        };
        let app = warroom_server::app(warroom_server::state(node.clone(), &config));
        let ctx = format!("seed {seed} world {worlds} (world seed {world_seed})");
        // The world's readers read side by side, as an agency's analysts do: their reads'
        // audit events share group commits, and store round trips overlap.
        let per_reader = futures_util::future::join_all(
            (0..world.readers.len()).map(|reader| check_reader(&app, &world, reader, &ctx)),
        )
        .await;
        calls += per_reader.iter().sum::<usize>();
        checked += per_reader.len();
        // The audit chain of every world verifies after all those reads.
        let v = warroom_store::audit::verify(node.store().as_ref(), 10_000, |_| {}).unwrap();
        assert_eq!(v.first_break, None, "{ctx}: audit chain");
        worlds += 1;
        let _ = &world.group_ids;
    }
    println!(
        "policy property test: {checked} readers in {worlds} worlds, {calls} read calls, reports by marking {markings:?}, zero leaks, {:.1} s",
        start.elapsed().as_secs_f64()
    );
}
