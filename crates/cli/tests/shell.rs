//! The shell commands a node administrator uses, run as real processes: `admin`, `import` and
//! `audit verify`, including their errors (one line on stderr, non-zero exit).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

fn warroom(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = warroom(args);
    assert!(
        out.status.success(),
        "warroom {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(args: &[&str]) -> String {
    let out = warroom(args);
    assert!(!out.status.success(), "warroom {args:?} succeeded");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one line on stderr: {err}"
    );
    assert!(err.starts_with("warroom: "), "{err}");
    err
}

fn setup(data: &Path) -> String {
    let d = data.to_str().unwrap();
    ok(&[
        "admin",
        "--data",
        d,
        "agency",
        "add",
        "--name",
        "CCIB",
        "--country",
        "TH",
        "--kind",
        "police",
    ]);
    let out = ok(&[
        "admin",
        "--data",
        d,
        "user",
        "add",
        "--agency",
        "CCIB",
        "--username",
        "somchai",
        "--role",
        "analyst",
    ]);
    assert!(
        out.contains("password: "),
        "a generated password is shown once: {out}"
    );
    d.to_owned()
}

#[test]
fn admin_commands_refuse_bad_input_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = setup(&dir.path().join("data"));
    let err = fails(&[
        "admin",
        "--data",
        &d,
        "user",
        "add",
        "--agency",
        "Nobody",
        "--username",
        "x",
        "--role",
        "analyst",
    ]);
    assert!(err.contains("no agency \"Nobody\""), "{err}");
    let err = fails(&[
        "admin",
        "--data",
        &d,
        "user",
        "add",
        "--agency",
        "CCIB",
        "--username",
        "somchai",
        "--role",
        "analyst",
    ]);
    assert!(err.contains("taken"), "{err}");
    let err = fails(&["admin", "--data", &d, "token", "revoke", "not-a-uuid"]);
    assert!(err.contains("not a token id"), "{err}");
    // A data directory that is a file.
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    fails(&["admin", "--data", file.to_str().unwrap(), "agency", "list"]);
    // Tokens: the secret is printed once and never listed.
    let out = ok(&[
        "admin", "--data", &d, "token", "create", "--user", "somchai", "--name", "laptop",
        "--days", "30",
    ]);
    let secret = out
        .lines()
        .find_map(|l| l.strip_prefix("secret: "))
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    assert!(secret.starts_with("wrt_"));
    let listed = ok(&["admin", "--data", &d, "token", "list"]);
    assert!(
        listed.contains("laptop") && !listed.contains(&secret),
        "{listed}"
    );
}

#[test]
fn import_answers_per_line_and_the_audit_chain_detects_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let d = setup(&dir.path().join("data"));
    let file = dir.path().join("reports.ndjson");
    let good = |n: u32| {
        format!(
            r#"{{"id":"00000000-0000-4000-8000-00000000000{n}","kind":"victim_complaint","marking":"GREEN","entities":[{{"type":"identifier","kind":"phone","value":"081-234-567{n}"}}]}}"#
        )
    };
    let lines = [
        good(1),
        "{not json".to_owned(),
        good(2),
        r#"{"kind":"victim_complaint","marking":"GREEN","entities":[{"type":"identifier","kind":"phone","value":"081-234"}]}"#.to_owned(),
        good(1),
    ];
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let out = ok(&[
        "import",
        "--data",
        &d,
        "--as",
        "somchai",
        file.to_str().unwrap(),
    ]);
    let answers: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let statuses: Vec<&str> = answers
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["accepted", "rejected", "accepted", "rejected", "duplicate"]
    );
    assert_eq!(answers[1]["errors"][0]["code"], "malformed_json");
    assert_eq!(answers[3]["errors"][0]["field"], "entities[0].value");
    assert_eq!(answers[3]["errors"][0]["code"], "too_short");
    let lines_numbers: Vec<u64> = answers
        .iter()
        .map(|a| a["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines_numbers, [1, 2, 3, 4, 5]);
    // The command closed its store before exiting: nothing is left in the WAL (the audit
    // writer and the store are on threads that the process exit would have cut short).
    let wal = Path::new(&d).join("warroom.db-wal");
    assert_eq!(
        std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0),
        0,
        "import left its WAL behind"
    );

    let verified = ok(&["audit", "verify", "--data", &d]);
    assert!(verified.starts_with("audit chain intact: "), "{verified}");

    // Change one event behind the node's back: verify names it and fails.
    let db = rusqlite::Connection::open(Path::new(&d).join("warroom.db")).unwrap();
    db.execute("UPDATE audit SET action = 'report.read' WHERE seq = 3", [])
        .unwrap();
    drop(db);
    let err = fails(&["audit", "verify", "--data", &d]);
    assert!(err.contains("event 3 was changed"), "{err}");

    // An unknown user cannot import.
    let err = fails(&[
        "import",
        "--data",
        &d,
        "--as",
        "nobody",
        file.to_str().unwrap(),
    ]);
    assert!(err.contains("nobody"), "{err}");
}
