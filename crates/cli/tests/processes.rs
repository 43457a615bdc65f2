//! Two `warroom serve` processes on one store, as behind a load balancer: what one writes the
//! other serves at once, a token revoked through one stops working on the other, the login
//! limit counts attempts made through both, and the audit chain they append to together
//! verifies. Real processes on the backend under test (`warroom_testkit`); on PostgreSQL the
//! processes stay in step through LISTEN/NOTIFY.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::time::{Duration, Instant};
use warroom_testkit::process::{Server, analyst_with_token, run_ok};
use warroom_testkit::{Backend, backend};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

/// Polls `check` every 10 ms until it holds or `limit` passes; returns how long it took.
fn within(limit: Duration, what: &str, mut check: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    loop {
        if check() {
            return start.elapsed();
        }
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn two_processes_on_one_store_serve_the_same_node() {
    let location = warroom_testkit::Location::new();
    let store = location.args();
    let token = analyst_with_token(BIN, &store, "somchai");
    let a = Server::start(BIN, &store, &["--logins-per-minute", "10"]);
    let b = Server::start(BIN, &store, &["--logins-per-minute", "10"]);
    let http = reqwest::blocking::Client::new();

    // A report written through A is served by B within a second.
    let report = json!({
        "kind": "victim_complaint", "marking": "GREEN",
        "narrative": "Caller claimed to be from the police, asked for a transfer",
        "entities": [{"type": "identifier", "kind": "phone", "value": "081-234-5678"}]
    });
    let created: Value = http
        .post(a.url("/api/v1/reports"))
        .bearer_auth(&token)
        .json(&report)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let id = created["id"].as_str().expect("a report id").to_owned();
    let seen = within(Duration::from_secs(1), "report visible through B", || {
        http.get(b.url(&format!("/api/v1/reports/{id}")))
            .bearer_auth(&token)
            .send()
            .unwrap()
            .status()
            == 200
    });
    // Each process's identifier index follows the other's writes: through NOTIFY on
    // PostgreSQL, by polling the change log each second on SQLite.
    let follow = match backend() {
        Backend::Postgres => Duration::from_secs(2),
        Backend::Sqlite => Duration::from_secs(4),
    };
    let lookup = |server: &Server, token: &str| -> Value {
        http.get(server.url("/api/v1/entities/lookup?kind=phone&value=%2B66812345678"))
            .bearer_auth(token)
            .send()
            .unwrap()
            .json()
            .unwrap()
    };
    within(follow, "lookup through B", || {
        let found = lookup(&b, &token);
        found["value"] == "+66812345678" && found["reports"][0] == id.as_str()
    });

    // A second agency's report through B makes a hit that A lists for the first agency.
    let admin = |rest: &[&str]| run_ok(BIN, &["admin"], &store, rest);
    admin(&[
        "agency",
        "add",
        "--name",
        "FBI",
        "--country",
        "US",
        "--kind",
        "police",
    ]);
    admin(&[
        "user",
        "add",
        "--agency",
        "FBI",
        "--username",
        "alice",
        "--role",
        "analyst",
    ]);
    let us_token = warroom_testkit::process::token_secret(&admin(&[
        "token", "create", "--user", "alice", "--name", "test",
    ]));
    let us_report = json!({
        "kind": "victim_complaint", "marking": "GREEN", "narrative": "the same caller",
        "entities": [{"type": "identifier", "kind": "phone", "value": "+66 81 234 5678"}]
    });
    let posted = http
        .post(b.url("/api/v1/reports"))
        .bearer_auth(&us_token)
        .json(&us_report)
        .send()
        .unwrap();
    assert_eq!(posted.status(), 201);
    let hit_seen = within(follow, "the hit listed through A", || {
        let hits: Value = http
            .get(a.url("/api/v1/hits"))
            .bearer_auth(&token)
            .send()
            .unwrap()
            .json()
            .unwrap();
        hits["hits"][0]["entity"]["value"] == "+66812345678" && hits["hits"][0]["side"] == "held"
    });

    // The token works on B (and is cached there); revoked through A, B refuses it in time.
    let me = |server: &Server| {
        http.get(server.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .unwrap()
            .status()
    };
    assert_eq!(me(&b), 200);
    let tokens: Value = http
        .get(a.url("/api/v1/tokens"))
        .bearer_auth(&token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let token_id = tokens[0]["id"].as_str().unwrap().to_owned();
    let revoked = http
        .delete(a.url(&format!("/api/v1/tokens/{token_id}")))
        .bearer_auth(&token)
        .send()
        .unwrap();
    assert!(revoked.status().is_success(), "{}", revoked.status());
    assert_eq!(me(&a), 401, "A refuses the token it revoked at once");
    // On PostgreSQL B hears of it by NOTIFY; SQLite has no change feed between processes and
    // relies on the token cache's 2 s lifetime.
    let limit = match backend() {
        Backend::Postgres => Duration::from_secs(1),
        Backend::Sqlite => Duration::from_secs(3),
    };
    let refused = within(limit, "revoked token refused by B", || me(&b) == 401);

    // Login attempts count across both processes: 10 per minute from one client in all.
    let login = |server: &Server| {
        http.post(server.url("/api/v1/session"))
            .json(&json!({"username": "somchai", "password": "not the password at all"}))
            .send()
            .unwrap()
            .status()
    };
    for _ in 0..5 {
        assert_eq!(login(&a), 401);
        assert_eq!(login(&b), 401);
    }
    assert_eq!(login(&a), 429, "the 11th attempt, through A");
    assert_eq!(login(&b), 429, "and through B");

    a.kill();
    b.kill();
    let verified = run_ok(BIN, &["audit", "verify"], &store, &[]);
    assert!(verified.contains("intact"), "{verified}");
    println!(
        "{:?}: report visible through B after {seen:?}; a hit made through B listed by A after {hit_seen:?}; revoked token refused by B after {refused:?}; {}",
        backend(),
        verified.trim()
    );
}
