//! The crash test: `kill -9` the server at random moments during a bulk import, restart it on
//! the same data directory, and check that every report it acknowledged is there and that the
//! audit chain verifies. Real processes, real sockets, the real binary.
//!
//! `WARROOM_CRASH_KILLS` sets the number of kills (default 20).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

fn warroom(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).output().expect("run warroom");
    assert!(
        out.status.success(),
        "warroom {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(data: &Path, port: u16) -> Child {
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--data",
            data.to_str().unwrap(),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--rate-per-token",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start warroom serve");
    // Ready when it says where it listens.
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let line = lines
            .next()
            .expect("server exited before listening")
            .unwrap();
        if line.contains("listening on") {
            break;
        }
        assert!(Instant::now() < deadline, "server did not start");
    }
    std::thread::spawn(move || for _ in lines {});
    child
}

fn report_line(id: &str, n: usize) -> String {
    format!(
        r#"{{"id":"{id}","kind":"victim_complaint","marking":"AMBER","narrative":"crash test report {n}","entities":[{{"type":"identifier","kind":"phone","value":"08{:08}"}},{{"type":"identifier","kind":"email","value":"mule{n}@example.com"}},{{"type":"identifier","kind":"url","value":"hxxps://pay-{n}[.]example[.]com/login"}}]}}"#,
        10_000_000 + n % 80_000_000
    ) + "\n"
}

#[test]
fn every_acknowledged_report_survives_kill_9_and_the_audit_chain_verifies() {
    let kills: usize = std::env::var("WARROOM_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    warroom(&[
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
    warroom(&[
        "admin",
        "--data",
        d,
        "user",
        "add",
        "--agency",
        "CCIB",
        "--username",
        "loader",
        "--role",
        "analyst",
    ]);
    let out = warroom(&[
        "admin", "--data", d, "token", "create", "--user", "loader", "--name", "crash",
    ]);
    let token = out
        .lines()
        .find_map(|l| l.strip_prefix("secret: "))
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();

    let mut rng = StdRng::seed_from_u64(9);
    let mut acknowledged: Vec<String> = Vec::new();
    let mut next = 0usize;
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    for round in 0..kills {
        let port = free_port();
        let mut server = start(&data, port);
        // Each round sends new reports and some already acknowledged ones again.
        let mut body = String::new();
        for _ in 0..4_000 {
            let id = uuid::Uuid::new_v4().to_string();
            body.push_str(&report_line(&id, next));
            next += 1;
        }
        for id in acknowledged.iter().rev().take(50) {
            body.push_str(&report_line(id, 0));
        }
        let delay = Duration::from_millis(rng.random_range(20..600));
        let pid = server.id();
        let killer = std::thread::spawn(move || {
            std::thread::sleep(delay);
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        });
        let response = client
            .post(format!("http://127.0.0.1:{port}/api/v1/reports:bulk"))
            .bearer_auth(&token)
            .header("content-type", "application/x-ndjson")
            .body(body)
            .send();
        let mut acked_this_round = 0;
        if let Ok(resp) = response {
            let mut reader = BufReader::new(resp);
            let mut line = String::new();
            // Read until the connection dies; only complete lines count as acknowledged.
            while reader.read_line(&mut line).unwrap_or(0) > 0 {
                if line.ends_with('\n')
                    && let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
                    && matches!(v["status"].as_str(), Some("accepted" | "duplicate"))
                {
                    acknowledged.push(v["id"].as_str().unwrap().to_owned());
                    acked_this_round += 1;
                }
                line.clear();
            }
        }
        killer.join().unwrap();
        let _ = server.wait();
        println!("round {round}: killed after {delay:?}, {acked_this_round} lines acknowledged");
    }
    acknowledged.sort();
    acknowledged.dedup();

    // Restart and look every acknowledged report up.
    let port = free_port();
    let mut server = start(&data, port);
    let mut missing = Vec::new();
    for id in &acknowledged {
        let r = client
            .get(format!("http://127.0.0.1:{port}/api/v1/reports/{id}"))
            .bearer_auth(&token)
            .send()
            .unwrap();
        if r.status() != 200 {
            missing.push(id.clone());
        }
    }
    let _ = Command::new("kill")
        .args(["-9", &server.id().to_string()])
        .status();
    let _ = server.wait();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged reports are missing: {:?}",
        missing.len(),
        acknowledged.len(),
        &missing[..missing.len().min(5)]
    );
    assert!(
        acknowledged.len() > 1000,
        "too few acknowledged reports ({}) for the test to mean anything",
        acknowledged.len()
    );

    let verify = Command::new(BIN)
        .args(["audit", "verify", "--data", d])
        .output()
        .unwrap();
    let mut stdout = String::new();
    verify
        .stdout
        .as_slice()
        .read_to_string(&mut stdout)
        .unwrap();
    assert!(
        verify.status.success(),
        "audit verify failed: {stdout} {}",
        String::from_utf8_lossy(&verify.stderr)
    );
    println!(
        "{kills} kills, {} acknowledged reports all present; {stdout}",
        acknowledged.len()
    );
}
