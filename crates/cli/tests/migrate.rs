//! `warroom admin migrate-store`: a node built through the real binary on SQLite (accounts,
//! an import, an update, a retraction, a login, reads) is copied into a fresh PostgreSQL
//! schema; the copy's audit chain verifies to the source's head, and a server on the copy
//! answers exactly as the source's did, to the same token and session cookie. Refusals: a
//! target that is not empty, a directory without a store. Needs `WARROOM_TEST_POSTGRES`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};
use warroom_store_postgres::testing;
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

fn report_id(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012}")
}

/// What the API answers a reader: the reads the copy must answer identically.
fn answers(server: &Server, token: &str, updated: &str) -> Vec<Value> {
    let http = reqwest::blocking::Client::new();
    let get = |path: &str| -> Value {
        let resp = http
            .get(server.url(path))
            .bearer_auth(token)
            .send()
            .unwrap();
        assert_eq!(resp.status(), 200, "GET {path}");
        resp.json().unwrap()
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
            && stdout.contains(&format!("{REPORTS} reports ({} versions)", REPORTS + 2)),
        "{stdout}"
    );

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
