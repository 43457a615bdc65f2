//! The crash test: `kill -9` the server at random moments during a bulk import, restart it on
//! the same store, and check that every report it acknowledged is there and that the audit
//! chain verifies. Real processes, real sockets, the real binary, on the backend under test
//! (`warroom_testkit`: a SQLite data directory or a PostgreSQL schema).
//!
//! `WARROOM_CRASH_KILLS` sets the number of kills (default 20).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::io::{BufRead, BufReader, Read};
use std::process::Command;
use std::time::Duration;
use warroom_testkit::process::{Server, analyst_with_token};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

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
    let location = warroom_testkit::Location::new();
    let store = location.args();
    let token = analyst_with_token(BIN, &store, "loader");

    let mut rng = StdRng::seed_from_u64(9);
    let mut acknowledged: Vec<String> = Vec::new();
    let mut next = 0usize;
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    for round in 0..kills {
        let server = Server::start(BIN, &store, &["--rate-per-token", "0"]);
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
        let pid = server.pid();
        let killer = std::thread::spawn(move || {
            std::thread::sleep(delay);
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        });
        let response = client
            .post(server.url("/api/v1/reports:bulk"))
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
        server.kill();
        println!("round {round}: killed after {delay:?}, {acked_this_round} lines acknowledged");
    }
    acknowledged.sort();
    acknowledged.dedup();

    // Restart and look every acknowledged report up.
    let server = Server::start(BIN, &store, &["--rate-per-token", "0"]);
    let mut missing = Vec::new();
    for id in &acknowledged {
        let r = client
            .get(server.url(&format!("/api/v1/reports/{id}")))
            .bearer_auth(&token)
            .send()
            .unwrap();
        if r.status() != 200 {
            missing.push(id.clone());
        }
    }
    server.kill();
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
        .args(["audit", "verify"])
        .args(&store)
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
