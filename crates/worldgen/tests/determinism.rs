//! Same seed, same bytes: two generations compared file by file, and the streaming API gives
//! exactly the files' reports.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use warroom_worldgen::{Config, generate, reports, world};

fn files(dir: &Path) -> Vec<String> {
    let mut out = vec![
        "world.json".to_owned(),
        "truth.json".to_owned(),
        "manifest.json".to_owned(),
    ];
    let mut r: Vec<String> = std::fs::read_dir(dir.join("reports"))
        .expect("reports dir")
        .map(|e| {
            format!(
                "reports/{}",
                e.expect("entry").file_name().to_string_lossy()
            )
        })
        .collect();
    r.sort();
    out.extend(r);
    out
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    let config = Config {
        seed: 42,
        scale: 1500,
    };
    let a = tempfile::tempdir().expect("tmp");
    let b = tempfile::tempdir().expect("tmp");
    let ma = generate(&config, a.path(), &|_| {}).expect("generate a");
    let mb = generate(&config, b.path(), &|_| {}).expect("generate b");
    assert_eq!(ma, mb);
    assert_eq!(ma.reports, 1500);
    let names = files(a.path());
    assert_eq!(names, files(b.path()));
    assert_eq!(names.len(), 3 + 15, "{names:?}");
    for name in &names {
        let x = std::fs::read(a.path().join(name)).expect("read a");
        let y = std::fs::read(b.path().join(name)).expect("read b");
        assert!(x == y, "{name} differs between two runs with the same seed");
    }
    // No temporary files are left behind.
    let left: Vec<_> = std::fs::read_dir(a.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left.len(), 4, "{left:?}");

    let c = tempfile::tempdir().expect("tmp");
    generate(&Config { seed: 43, ..config }, c.path(), &|_| {}).expect("generate c");
    let x = std::fs::read(a.path().join("truth.json")).expect("read");
    let y = std::fs::read(c.path().join("truth.json")).expect("read");
    assert_ne!(x, y);
}

#[test]
fn the_stream_is_the_files() {
    let config = Config {
        seed: 5,
        scale: 400,
    };
    let dir = tempfile::tempdir().expect("tmp");
    let manifest = generate(&config, dir.path(), &|_| {}).expect("generate");
    let w = world(&config);
    let mut by_agency: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (agency, r) in reports(&config) {
        let slug = w
            .agencies
            .iter()
            .find(|a| a.id == agency.0)
            .expect("agency")
            .slug
            .clone();
        by_agency
            .entry(slug)
            .or_default()
            .push(serde_json::to_string(&r).expect("json"));
    }
    let mut total = 0;
    for a in &w.agencies {
        let text = std::fs::read_to_string(dir.path().join(format!("reports/{}.ndjson", a.slug)))
            .expect("file");
        let lines: Vec<String> = text.lines().map(str::to_owned).collect();
        total += lines.len();
        assert_eq!(
            &lines,
            by_agency.get(&a.slug).unwrap_or(&Vec::new()),
            "{}",
            a.slug
        );
        let counted = manifest
            .agencies
            .iter()
            .find(|c| c.slug == a.slug)
            .expect("counts");
        assert_eq!(counted.reports as usize, lines.len());
        assert_eq!(counted.bytes as usize, text.len());
    }
    assert_eq!(total, 400);
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("world.json")).expect("world"))
            .expect("json");
    assert_eq!(written, serde_json::to_value(&w).expect("json"));
}
