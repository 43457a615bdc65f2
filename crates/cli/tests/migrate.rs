//! `warroom admin migrate-store`: a node built through the real binary on SQLite (accounts,
//! an import, an update, a retraction, a login, reads, and warninglist entries and marks put
//! through the store) is copied into a fresh PostgreSQL schema; the copy's audit chain
//! verifies to the source's head, the warninglist and marks arrive as they were, and a server
//! on the copy answers exactly as the source's did, to the same token and session cookie.
//! Refusals: a target that is not empty, a directory without a store. Needs
//! `WARROOM_TEST_POSTGRES`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use warroom_domain::{AgencyId, CountryCode, EntityId, UserId};
use warroom_store::{AuditDraft, MarkRecord, Store, WarningRecord};
use warroom_store_postgres::{PgStore, testing};
use warroom_store_sqlite::SqliteStore;
use warroom_testkit::process::{Server, run_ok, token_secret};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");
const REPORTS: usize = 300;
/// In every report: the entity lookup of a hub identifier.
const HUB: &str = "081-234-5678";

fn migrate(from: &Path, to: &str) -> Output {
    Command::new(BIN)
        .args(["admin", "migrate-store", "--from"])
        .arg(from)
        .args(["--to", to])
        .output()
        .unwrap()
}

/// `warroom audit verify <store>`'s answer (the store arguments go after the subcommand).
fn audit_verify(store: &[String]) -> String {
    let out = Command::new(BIN)
        .args(["audit", "verify"])
        .args(store)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "audit verify: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// One line on stderr, a non-zero exit; returns the line.
fn one_line_failure(out: &Output) -> String {
    assert!(!out.status.success(), "expected a failure");
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one line on stderr: {err}"
    );
    assert!(err.starts_with("warroom: "), "{err}");
    err
}

/// A fresh schema's URL, with a password in it (the test server trusts local connections and
/// ignores it) so the test can see it never reaches the output.
fn fresh_target(base: &str) -> (String, String) {
    let url = testing::fresh_schema_url(base).unwrap();
    let parsed = url::Url::parse(&url).unwrap();
    match parsed.password() {
        Some(p) => (url.clone(), p.to_owned()),
        None => {
            let mut u = parsed.clone();
            u.set_password(Some("never-printed-4711")).unwrap();
            (u.to_string(), "never-printed-4711".to_owned())
        }
    }
}

fn draft(action: &str, object_id: &str) -> AuditDraft {
    AuditDraft {
        at: jiff::Timestamp::now(),
        actor_user: None,
        actor_agency: None,
        action: action.to_owned(),
        object_kind: "test".to_owned(),
        object_id: object_id.to_owned(),
        request_id: "migrate-test".to_owned(),
        purpose: None,
    }
}

/// Puts warninglist entries (one removed) and marks (one replaced) into the stopped source
/// through the store, on values no answer of [`answers`] involves; returns everything the
/// source's warninglist and marks then hold (the server may have stored shipped entries).
fn put_correlation(data: &Path) -> (Vec<WarningRecord>, Vec<MarkRecord>) {
    let store = SqliteStore::open(data).unwrap();
    let t = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    let user = UserId(uuid::Uuid::from_u128(0x5E));
    let agency = AgencyId(uuid::Uuid::from_u128(0xA6));
    let entity = EntityId(uuid::Uuid::from_u128(0xE1));
    let warnings = [
        WarningRecord {
            key: "phone:raw:TH:91191".to_owned(),
            kind: "phone".to_owned(),
            value: "91191".to_owned(),
            entity: None,
            region: Some(CountryCode::parse("TH").unwrap()),
            reason: "test short code".to_owned(),
            source: "admin".to_owned(),
            added_by: Some(user),
            added_at: t,
            removed_at: None,
        },
        WarningRecord {
            key: "domain:migrate-test.example".to_owned(),
            kind: "domain".to_owned(),
            value: "migrate-test.example".to_owned(),
            entity: Some(EntityId(uuid::Uuid::from_u128(0xD0))),
            region: None,
            reason: "removed test entry".to_owned(),
            source: "admin".to_owned(),
            added_by: None,
            added_at: t,
            removed_at: Some(t),
        },
    ];
    for w in &warnings {
        store
            .put_warning(w, &draft("warninglist.add", &w.key))
            .unwrap();
    }
    let mark = |verdict: &str, user: UserId| MarkRecord {
        entity,
        agency,
        user,
        verdict: verdict.to_owned(),
        note: format!("{verdict} in the migrate test"),
        at: t,
    };
    for m in [
        mark("confirmed", user),
        mark("false_positive", user),
        mark("confirmed", UserId(uuid::Uuid::from_u128(0x5F))),
    ] {
        store.put_mark(&m, &draft("entity.mark", "e1")).unwrap();
    }
    let all_warnings = store.warninglist().unwrap();
    for w in &warnings {
        assert!(all_warnings.contains(w), "the source holds {}", w.key);
    }
    let all_marks = store.marks().unwrap();
    assert_eq!(all_marks.len(), 2, "a later mark replaced the earlier one");
    (all_warnings, all_marks)
}

fn report_id(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012}")
}

/// Waits until the server's identifier index is no longer building: lookups carry what it
/// derives (noise) only once it is ready. A server without the index route is settled.
fn wait_for_index(server: &Server, token: &str) {
    let http = reqwest::blocking::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let resp = http
            .get(server.url("/api/v1/index"))
            .bearer_auth(token)
            .send()
            .unwrap();
        if resp.status() != 200 {
            return;
        }
        let v: Value = resp.json().unwrap();
        if v["state"] != "building" {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the index is still building after a minute"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Drops every `risk` member: its recency term depends on when it is asked, so two servers
/// never answer it identically.
fn without_risk(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("risk");
            m.values_mut().for_each(without_risk);
        }
        Value::Array(a) => a.iter_mut().for_each(without_risk),
        _ => {}
    }
}

/// What the API answers a reader: the reads the copy must answer identically, once its
/// index is ready, and apart from risk scores.
fn answers(server: &Server, token: &str, updated: &str) -> Vec<Value> {
    wait_for_index(server, token);
    let http = reqwest::blocking::Client::new();
    let get = |path: &str| -> Value {
        let resp = http
            .get(server.url(path))
            .bearer_auth(token)
            .send()
            .unwrap();
        assert_eq!(resp.status(), 200, "GET {path}");
        let mut v: Value = resp.json().unwrap();
        without_risk(&mut v);
        v
    };
    vec![
        get(&format!("/api/v1/reports/{updated}")),
        get(&format!("/api/v1/reports/{updated}/versions")),
        get(&format!("/api/v1/entities/lookup?value={HUB}")),
        get("/api/v1/entities/lookup?value=089-000-0007"),
        get("/api/v1/reports?include_retracted=true&limit=500"),
        get("/api/v1/reports?limit=100"),
    ]
}

#[test]
fn a_node_moves_from_sqlite_to_postgres_with_nothing_lost() {
    let base = testing::base_url().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let source = vec!["--data".to_owned(), data.display().to_string()];

    // ---- the source node, built as an operator would ----
    for (name, country) in [("CCIB", "TH"), ("NPA", "JP")] {
        run_ok(
            BIN,
            &["admin"],
            &source,
            &[
                "agency",
                "add",
                "--name",
                name,
                "--country",
                country,
                "--kind",
                "police",
            ],
        );
    }
    let created = run_ok(
        BIN,
        &["admin"],
        &source,
        &[
            "user",
            "add",
            "--agency",
            "CCIB",
            "--username",
            "somchai",
            "--role",
            "analyst",
            "--role",
            "supervisor",
        ],
    );
    let password = created
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .and_then(|l| l.split_whitespace().next())
        .expect("a generated password")
        .to_owned();
    run_ok(
        BIN,
        &["admin"],
        &source,
        &[
            "user",
            "add",
            "--agency",
            "NPA",
            "--username",
            "kenji",
            "--role",
            "analyst",
        ],
    );
    run_ok(
        BIN,
        &["admin"],
        &source,
        &[
            "group", "add", "--name", "Mekong", "--member", "CCIB", "--member", "NPA",
        ],
    );
    let token = token_secret(&run_ok(
        BIN,
        &["admin"],
        &source,
        &["token", "create", "--user", "somchai", "--name", "laptop"],
    ));
    let old = run_ok(
        BIN,
        &["admin"],
        &source,
        &["token", "create", "--user", "kenji", "--name", "old"],
    );
    let old_secret = token_secret(&old);
    let old_id = old.split_whitespace().next().unwrap().to_owned();
    run_ok(BIN, &["admin"], &source, &["token", "revoke", &old_id]);

    let file = dir.path().join("reports.ndjson");
    let mut lines = String::new();
    for i in 0..REPORTS {
        let marking = ["GREEN", "AMBER", "CLEAR"][i % 3];
        let line = json!({
            "id": report_id(i),
            "kind": "victim_complaint",
            "marking": marking,
            "narrative": format!("Caller {i} claimed to be from the police"),
            "entities": [
                {"type": "identifier", "kind": "phone", "value": HUB},
                {"type": "identifier", "kind": "phone", "value": format!("089-000-{:04}", i % 50)},
            ],
        });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    std::fs::write(&file, lines).unwrap();
    run_ok(
        BIN,
        &["import"],
        &source,
        &["--as", "somchai", file.to_str().unwrap()],
    );

    // An update, a retraction, a login and reads, through the source's server.
    let server = Server::start(BIN, &source, &[]);
    // Once the index is ready, each write through the server is in it before the write
    // returns; a write while it builds would be picked up only at a later poll.
    wait_for_index(&server, &token);
    let http = reqwest::blocking::Client::new();
    let updated = report_id(7);
    let resp = http
        .put(server.url(&format!("/api/v1/reports/{updated}")))
        .bearer_auth(&token)
        .json(&json!({
            "kind": "victim_complaint",
            "marking": "GREEN",
            "narrative": "Corrected: the caller used two numbers",
            "entities": [
                {"type": "identifier", "kind": "phone", "value": HUB},
                {"type": "identifier", "kind": "phone", "value": "089-999-0001"},
            ],
        }))
        .send()
        .unwrap();
    assert_eq!(resp.status(), 200, "update: {}", resp.text().unwrap());
    let resp = http
        .delete(server.url(&format!("/api/v1/reports/{}", report_id(11))))
        .bearer_auth(&token)
        .send()
        .unwrap();
    assert_eq!(resp.status(), 204, "retraction");
    let resp = http
        .post(server.url("/api/v1/session"))
        .json(&json!({"username": "somchai", "password": password}))
        .send()
        .unwrap();
    assert_eq!(resp.status(), 200, "login");
    let cookie = resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let before = answers(&server, &token, &updated);
    server.kill();
    let (warnings, marks) = put_correlation(&data);

    // ---- the migration ----
    let (target, secret) = fresh_target(&base);
    let out = migrate(&data, &target);
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(out.status.success(), "migrate-store: {stderr}");
    assert!(
        !stdout.contains(&secret) && !stderr.contains(&secret),
        "the URL's password is never printed: {stdout}{stderr}"
    );
    assert_eq!(stdout.lines().count(), 1, "one summary line: {stdout}");
    assert!(
        stdout.contains("2 agencies")
            && stdout.contains("2 users")
            && stdout.contains("2 tokens")
            && stdout.contains("1 sessions")
            && stdout.contains(&format!("{REPORTS} reports ({} versions)", REPORTS + 2))
            && stdout.contains(&format!(
                "{} warninglist entries, {} marks",
                warnings.len(),
                marks.len()
            )),
        "{stdout}"
    );
    {
        let copy = PgStore::connect(&target).unwrap();
        assert_eq!(
            copy.warninglist().unwrap(),
            warnings,
            "the warninglist arrives verbatim, removed entries included"
        );
        assert_eq!(copy.marks().unwrap(), marks, "the marks arrive verbatim");
        assert_eq!(
            copy.report_rev().unwrap(),
            REPORTS as u64,
            "the copy's change log numbers each report once"
        );
    }

    let source_chain = audit_verify(&source);
    let target_args = vec!["--database".to_owned(), target.clone()];
    let target_chain = audit_verify(&target_args);
    assert!(
        source_chain.starts_with("audit chain intact: "),
        "{source_chain}"
    );
    assert_eq!(
        target_chain, source_chain,
        "the copy verifies, with the source's event count and head"
    );
    let head = source_chain.trim_end().rsplit(' ').next().unwrap();
    assert!(
        stdout.contains(head),
        "the summary names the head: {stdout}"
    );

    // ---- a server on the copy answers as the source did ----
    let server = Server::start(BIN, &target_args, &[]);
    assert_eq!(
        answers(&server, &token, &updated),
        before,
        "reports, versions, lookups and listings on the copy"
    );
    let me = http
        .get(server.url("/api/v1/me"))
        .header("cookie", &cookie)
        .send()
        .unwrap();
    assert_eq!(me.status(), 200, "the session carried over");
    let revoked = http
        .get(server.url("/api/v1/me"))
        .bearer_auth(&old_secret)
        .send()
        .unwrap();
    assert_eq!(revoked.status(), 401, "a revoked token stays revoked");
    server.kill();

    // ---- refusals ----
    let err = one_line_failure(&migrate(&data, &target));
    assert!(err.contains("not empty"), "{err}");
    assert!(!err.contains(&secret), "{err}");

    let (fresh, _) = fresh_target(&base);
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let err = one_line_failure(&migrate(&empty, &fresh));
    assert!(err.contains("no warroom store"), "{err}");
    assert!(
        !empty.join("warroom.db").exists(),
        "a directory without a store is left as it was"
    );
    let err = one_line_failure(&migrate(&dir.path().join("missing"), &fresh));
    assert!(err.contains("no warroom store"), "{err}");
    assert!(!dir.path().join("missing").exists());
}
