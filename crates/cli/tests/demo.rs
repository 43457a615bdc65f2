//! `warroom demo` as a newcomer runs it: the real binary generates the world, loads it through
//! the node and serves it; every login it prints works, and the three things it suggests to
//! try answer as it says they do.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use warroom_testkit::process::free_port;

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

/// Runs a `curl` line the demo printed, with reqwest: (status, body).
fn follow(line: &str) -> (u16, serde_json::Value) {
    let token = line
        .split("Bearer ")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("a bearer token in the line");
    let url = line
        .split_whitespace()
        .last()
        .expect("a URL at the end")
        .trim_matches('\'');
    let resp = reqwest::blocking::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().unwrap())
}

#[test]
fn the_demo_serves_a_world_whose_suggestions_work() {
    let port = free_port();
    let started = Instant::now();
    let mut child = Command::new(BIN)
        .args(["demo", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line.starts_with("Ctrl-C stops the demo");
        out.push(line);
        if done {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the demo did not get ready"
        );
    }
    let ready = started.elapsed();
    std::thread::spawn(move || for _ in lines {});
    let text = out.join("\n");
    assert!(
        text.contains(&format!("listening on http://127.0.0.1:{port}")),
        "{text}"
    );

    // One login per agency plus the node admin; they work (the first ten: the login rate
    // limit, 10 a minute per address, holds for the demo too).
    let logins: Vec<(&str, &str)> = out
        .iter()
        .skip_while(|l| !l.starts_with("Logins"))
        .skip(2)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| {
            let mut f = l.split_whitespace();
            (f.next().unwrap(), f.next().unwrap())
        })
        .collect();
    assert!(logins.len() >= 12, "{text}");
    let http = reqwest::blocking::Client::new();
    for (username, password) in logins.iter().take(10) {
        let r = http
            .post(format!("http://127.0.0.1:{port}/api/v1/session"))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .unwrap();
        assert_eq!(r.status(), 200, "login of {username}");
    }

    let curls: Vec<&String> = out.iter().filter(|l| l.contains("curl -s")).collect();
    assert_eq!(curls.len(), 4, "{text}");
    // 1: a number held by several agencies, looked up in the writing the victim used.
    let (status, lookup) = follow(curls[0]);
    assert_eq!(status, 200, "{lookup}");
    let holders =
        lookup["sightings"].as_array().unwrap().len() + lookup["held_by"].as_array().unwrap().len();
    assert!(holders >= 2, "{lookup}");
    assert!(
        lookup["value"].as_str().unwrap().starts_with('+'),
        "{lookup}"
    );
    // 2: a listing by method.
    let (status, listing) = follow(curls[1]);
    assert_eq!(status, 200, "{listing}");
    assert!(
        !listing["reports"].as_array().unwrap().is_empty(),
        "{listing}"
    );
    // 3: a RED report: its owner reads it, another agency gets the 404 of a missing report.
    let (status, red) = follow(curls[2]);
    assert_eq!(
        (status, red["marking"].as_str()),
        (200, Some("RED")),
        "{red}"
    );
    let (status, hidden) = follow(curls[3]);
    assert_eq!(status, 404, "{hidden}");
    assert_eq!(hidden["error"]["code"], "not_found", "{hidden}");

    let _ = child.kill();
    let _ = child.wait();
    println!(
        "demo ready in {ready:?} (debug build), {} logins",
        logins.len()
    );
}

#[test]
fn generate_writes_the_same_world_twice_and_refuses_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let run = |out: &std::path::Path| {
        let o = Command::new(BIN)
            .args(["generate", "--seed", "7", "--scale", "400", "--out"])
            .arg(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run(&a);
    run(&b);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["reports"], 400, "{manifest}");
    for file in ["world.json", "truth.json", "manifest.json"] {
        assert_eq!(
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
            "{file} differs between two runs of one seed"
        );
    }
    let reports = std::fs::read_dir(a.join("reports")).unwrap().count();
    assert!(
        reports >= 10,
        "one NDJSON file per reporting agency: {reports}"
    );

    for bad in [
        vec!["generate", "--scale", "0", "--out", "x"],
        vec!["generate", "--seed", "minus-one", "--out", "x"],
    ] {
        let o = Command::new(BIN).args(&bad).output().unwrap();
        assert!(!o.status.success(), "{bad:?} succeeded");
    }
    // An output path under a regular file: one line on stderr, naming it.
    let file = dir.path().join("file");
    std::fs::write(&file, b"x").unwrap();
    let o = Command::new(BIN)
        .args(["generate", "--scale", "5", "--out"])
        .arg(file.join("out"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("file/out"), "{err}");
}

/// The generated files load into a node from the shell alone: agencies and groups added with
/// the ids world.json gives them, one user per agency, each agency's NDJSON imported as it.
#[test]
fn a_generated_world_loads_through_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let (out, data) = (dir.path().join("world"), dir.path().join("data"));
    let ok = |args: &[&str]| {
        let o = Command::new(BIN).args(args).output().unwrap();
        assert!(
            o.status.success(),
            "warroom {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    let (o, d) = (out.to_str().unwrap(), data.to_str().unwrap());
    ok(&["generate", "--seed", "3", "--scale", "300", "--out", o]);
    let world: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("world.json")).unwrap()).unwrap();
    for a in world["agencies"].as_array().unwrap() {
        let s = |k: &str| a[k].as_str().unwrap().to_owned();
        ok(&[
            "admin",
            "--data",
            d,
            "agency",
            "add",
            "--id",
            &s("id"),
            "--name",
            &s("name"),
            "--country",
            &s("country"),
            "--kind",
            &s("kind"),
        ]);
    }
    for g in world["groups"].as_array().unwrap() {
        let mut args = vec![
            "admin".to_owned(),
            "--data".into(),
            d.into(),
            "group".into(),
            "add".into(),
            "--id".into(),
            g["id"].as_str().unwrap().into(),
            "--name".into(),
            g["name"].as_str().unwrap().into(),
        ];
        for m in g["members"].as_array().unwrap() {
            args.extend(["--member".to_owned(), m.as_str().unwrap().to_owned()]);
        }
        ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    }
    // An id already taken is refused.
    let first = &world["agencies"][0];
    let o = Command::new(BIN)
        .args(["admin", "--data", d, "agency", "add", "--id"])
        .arg(first["id"].as_str().unwrap())
        .args(["--name", "Another", "--country", "TH", "--kind", "police"])
        .output()
        .unwrap();
    assert!(!o.status.success());

    let mut accepted = 0;
    for a in world["agencies"].as_array().unwrap() {
        let user = format!("{}.loader", a["slug"].as_str().unwrap());
        ok(&[
            "admin",
            "--data",
            d,
            "user",
            "add",
            "--agency",
            a["id"].as_str().unwrap(),
            "--username",
            &user,
            "--role",
            "analyst",
        ]);
        let file = out.join(format!("reports/{}.ndjson", a["slug"].as_str().unwrap()));
        if !file.exists() {
            continue;
        }
        let answers = ok(&["import", "--data", d, "--as", &user, file.to_str().unwrap()]);
        for line in answers.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["status"], "accepted", "{line}");
            accepted += 1;
        }
    }
    assert_eq!(accepted, 300);
}
