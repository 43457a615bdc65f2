//! The world is solvable but not trivially: each syndicate's reports are connected through
//! shared non-noise identifiers, no identifier is in all of them, and the noise values run
//! across syndicates (so naive correlation would merge them). Also: every identifier written
//! validly is in the truth, and every value that does not normalise sits in a report submitted
//! with `invalid_identifiers: "keep_raw"`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Read, load, noise_keys, read, report_truths};
use std::collections::{BTreeMap, BTreeSet};
use warroom_worldgen::{Config, generate};

/// Union-find over report indices.
struct Dsu(Vec<usize>);

impl Dsu {
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut x = x;
        while self.0[x] != r {
            let next = self.0[x];
            self.0[x] = r;
            x = next;
        }
        r
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a] = b;
        }
    }
}

/// Components of the bipartite report-identifier graph, over identifiers for which `keep`
/// holds.
fn components(keys: &[BTreeSet<String>], keep: impl Fn(&str) -> bool) -> Dsu {
    let mut dsu = Dsu((0..keys.len()).collect());
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, ks) in keys.iter().enumerate() {
        for k in ks {
            if !keep(k) {
                continue;
            }
            match first.get(k.as_str()) {
                Some(j) => dsu.union(i, *j),
                None => {
                    first.insert(k, i);
                }
            }
        }
    }
    dsu
}

#[test]
fn syndicates_are_reachable_through_shared_identifiers_and_noise_would_merge_them() {
    let dir = tempfile::tempdir().expect("tmp");
    generate(&Config::default(), dir.path(), &|_| {}).expect("generate");
    let w = load(dir.path());
    let truths = report_truths(&w.truth);
    let noise = noise_keys(&w.truth);
    let hotlines: Vec<String> = w.truth["noise"]
        .as_array()
        .expect("noise")
        .iter()
        .filter(|n| n["category"] == "hotline")
        .map(|n| n["raw"].as_str().expect("raw").to_owned())
        .collect();
    // Noise values that are short codes: they never normalise and are kept raw.
    let short_codes: Vec<String> = w.truth["noise"]
        .as_array()
        .expect("noise")
        .iter()
        .filter(|n| n["canonical"].is_null())
        .map(|n| n["raw"].as_str().expect("raw").to_owned())
        .collect();

    // The truth's identifiers, and what they imply.
    let mut known: BTreeSet<String> = BTreeSet::new();
    for i in w.truth["identifiers"].as_array().expect("identifiers") {
        known.insert(format!(
            "{}:{}",
            i["kind"].as_str().expect("kind"),
            i["canonical"].as_str().expect("canonical")
        ));
        for x in i["implied"].as_array().into_iter().flatten() {
            known.insert(x.as_str().expect("implied").to_owned());
        }
    }
    for p in w.truth["people"].as_array().expect("people") {
        for d in p["documents"].as_array().expect("documents") {
            known.insert(format!("document:{}", d.as_str().expect("doc")));
        }
    }

    let mut keys: Vec<BTreeSet<String>> = Vec::new();
    let mut syndicate: Vec<Option<String>> = Vec::new();
    let mut agency: Vec<String> = Vec::new();
    let mut hotline_syndicates: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (slug, country, r) in &w.reports {
        let id = r.id.expect("client id").to_string();
        let t = truths.get(&id).expect("report truth");
        assert_eq!(t["agency"], slug.as_str());
        let mut ks = BTreeSet::new();
        let mut raw_values = Vec::new();
        for x in read(r, country) {
            match x {
                Read::Valid(k, implied) => {
                    assert!(
                        known.contains(&k) || noise.contains_key(&k),
                        "{k} in report {id} ({slug}) is neither in the truth nor noise"
                    );
                    for i in &implied {
                        assert!(
                            known.contains(i) || noise.contains_key(i),
                            "implied {i} of {k} is not in the truth"
                        );
                    }
                    ks.insert(k);
                    ks.extend(implied);
                }
                Read::Raw(v, code) => {
                    assert_eq!(
                        r.invalid_identifiers.as_deref(),
                        Some("keep_raw"),
                        "{v:?} ({code}) in {id} does not normalise, yet the report rejects such values"
                    );
                    raw_values.push(v);
                }
            }
        }
        let raws = raw_values.len() as u64;
        let hot_raw = raw_values
            .iter()
            .filter(|v| short_codes.contains(v))
            .count() as u64;
        let expected_invalid = t["invalid"].as_u64().unwrap_or(0);
        assert_eq!(
            raws - hot_raw.min(raws),
            expected_invalid,
            "report {id}: raw values {raw_values:?}"
        );
        let s = t["syndicate"].as_str().map(str::to_owned);
        if let Some(s) = &s {
            for h in &hotlines {
                if raw_values.contains(h) || r.narrative.contains(h.as_str()) {
                    hotline_syndicates
                        .entry(h.as_str())
                        .or_default()
                        .insert(s.clone());
                }
            }
        }
        keys.push(ks);
        syndicate.push(s);
        agency.push(slug.clone());
    }

    let slugs: Vec<String> = w.truth["syndicates"]
        .as_array()
        .expect("syndicates")
        .iter()
        .map(|s| s["slug"].as_str().expect("slug").to_owned())
        .collect();
    let mut dsu = components(&keys, |k| !noise.contains_key(k));
    for s in &slugs {
        let reports: Vec<usize> = (0..keys.len())
            .filter(|i| syndicate[*i].as_deref() == Some(s.as_str()))
            .collect();
        assert!(reports.len() > 50, "{s} has {} reports", reports.len());
        let agencies: BTreeSet<&str> = reports.iter().map(|i| agency[*i].as_str()).collect();
        assert!(agencies.len() >= 2, "{s} is reported by {agencies:?} only");
        let roots: BTreeSet<usize> = reports.iter().map(|i| dsu.find(*i)).collect();
        assert_eq!(
            roots.len(),
            1,
            "{s}: its reports fall into {} components without the noise",
            roots.len()
        );
        // Not trivially: no single non-noise identifier is in all of them.
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for i in &reports {
            for k in &keys[*i] {
                if !noise.contains_key(k) {
                    *counts.entry(k.as_str()).or_default() += 1;
                }
            }
        }
        let (top, n) = counts
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(k, n)| (*k, *n))
            .expect("identifiers");
        assert!(
            n * 5 < reports.len(),
            "{s}: {top} is in {n} of its {} reports",
            reports.len()
        );
    }

    // The noise values run across syndicates: with them, naive correlation merges syndicates
    // that share nothing real.
    let mut noise_syndicates: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (i, ks) in keys.iter().enumerate() {
        for k in ks {
            if noise.contains_key(k)
                && let Some(s) = &syndicate[i]
            {
                noise_syndicates
                    .entry(k.as_str())
                    .or_default()
                    .insert(s.as_str());
            }
        }
    }
    let spanning = noise_syndicates.values().filter(|s| s.len() >= 3).count();
    assert!(
        spanning >= 5,
        "noise values spanning 3+ syndicates: {noise_syndicates:?}"
    );
    // Shared infrastructure links some syndicates, never all of them.
    let families: BTreeSet<usize> = (0..keys.len())
        .filter(|i| syndicate[*i].is_some())
        .map(|i| dsu.find(i))
        .collect();
    assert!(
        families.len() >= 2,
        "without noise the syndicates form {} component(s)",
        families.len()
    );
    let mut with_noise = components(&keys, |_| true);
    let merged: BTreeSet<usize> = (0..keys.len())
        .filter(|i| syndicate[*i].is_some())
        .map(|i| with_noise.find(i))
        .collect();
    assert_eq!(
        merged.len(),
        1,
        "with the noise every syndicate is one component"
    );

    // Hotlines (short codes, kept raw) turn up in many syndicates' reports.
    for h in ["1441", "1930", "#9110"] {
        let n = hotline_syndicates.get(h).map_or(0, BTreeSet::len);
        assert!(n >= 3, "hotline {h} appears in {n} syndicates' reports");
    }
}

#[test]
fn truth_is_consistent_with_the_reports() {
    let dir = tempfile::tempdir().expect("tmp");
    let m = generate(
        &Config {
            seed: 9,
            scale: 2000,
        },
        dir.path(),
        &|_| {},
    )
    .expect("generate");
    let w = load(dir.path());
    let people: BTreeMap<String, serde_json::Value> = w.truth["people"]
        .as_array()
        .expect("people")
        .iter()
        .map(|p| (p["id"].as_str().expect("id").to_owned(), p.clone()))
        .collect();
    assert_eq!(people.len() as u64, m.people);
    let truths = report_truths(&w.truth);
    assert_eq!(truths.len() as u64, m.reports);
    let mut kinds = BTreeSet::new();
    let mut names_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut trafficking = [0usize; 2];
    let mut sightings = 0u64;
    for (_, _, r) in &w.reports {
        let t = &truths[&r.id.expect("id").to_string()];
        kinds.insert(r.kind.clone());
        assert!(
            !r.narrative.is_empty() && !r.narrative.contains('{'),
            "unfilled narrative: {}",
            r.narrative
        );
        sightings += t["sightings"].as_u64().expect("sightings");
        let refs: BTreeMap<&str, &str> = t["persons"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                (
                    p["ref"].as_str().expect("ref"),
                    p["person"].as_str().expect("person"),
                )
            })
            .collect();
        for e in &r.entities {
            if let warroom_wire::EntityIn::Person(p) = e {
                let pid = refs
                    .get(p.reference.as_deref().expect("ref"))
                    .expect("every person entity is in the truth");
                assert!(people.contains_key(*pid), "{pid}");
                names_of
                    .entry((*pid).to_owned())
                    .or_default()
                    .insert(p.names[0].full.clone());
            }
        }
        if r.kind == "travel_record" {
            let tr = &t["travel"];
            assert!(people.contains_key(tr["person"].as_str().expect("person")));
            trafficking[usize::from(tr["trafficking"].as_bool().expect("bool"))] += 1;
        }
        if let Some(occ) = &r.occurred_at {
            let occ: jiff::Timestamp = occ.parse().expect("rfc 3339");
            let rep: jiff::Timestamp = r
                .reported_at
                .as_deref()
                .expect("reported")
                .parse()
                .expect("rfc 3339");
            assert!(occ <= rep, "{occ} after {rep}");
        }
    }
    assert_eq!(sightings, m.identifier_sightings);
    for k in [
        "victim_complaint",
        "financial_trace",
        "intelligence",
        "arrest",
        "travel_record",
        "trafficking_referral",
        "advisory",
    ] {
        assert!(kinds.contains(k), "no {k} in {kinds:?}");
    }
    assert!(
        trafficking[0] > 10 && trafficking[1] > 10,
        "{trafficking:?}"
    );
    // The same person, recorded several times, under different names.
    let varied = names_of.values().filter(|n| n.len() >= 2).count();
    assert!(
        varied > 20,
        "{varied} people recorded under two or more names"
    );
}

/// The connectivity is built in, not luck: it holds for small worlds and any seed.
#[test]
fn every_seed_gives_connected_syndicates_even_when_small() {
    for seed in 1..=8 {
        let config = Config { seed, scale: 350 };
        let head = warroom_worldgen::truth_head(&config);
        let noise: BTreeSet<String> = head
            .noise
            .iter()
            .filter_map(|n| Some(format!("{}:{}", n.kind, n.canonical.as_deref()?)))
            .collect();
        let world = warroom_worldgen::world(&config);
        let mut keys = Vec::new();
        let mut syndicate = Vec::new();
        for g in warroom_worldgen::steps(&config) {
            let country = &world
                .agencies
                .iter()
                .find(|a| a.id == g.agency)
                .expect("agency")
                .country;
            let mut ks = BTreeSet::new();
            for x in read(&g.report, country) {
                if let Read::Valid(k, implied) = x {
                    ks.insert(k);
                    ks.extend(implied);
                }
            }
            keys.push(ks);
            syndicate.push(g.truth.report.syndicate);
        }
        let mut dsu = components(&keys, |k| !noise.contains(k));
        for s in &head.syndicates {
            let roots: BTreeSet<usize> = (0..keys.len())
                .filter(|i| syndicate[*i] == Some(s.slug))
                .map(|i| dsu.find(i))
                .collect();
            assert!(
                roots.len() <= 1,
                "seed {seed}: {} splits into {}",
                s.slug,
                roots.len()
            );
        }
    }
}
