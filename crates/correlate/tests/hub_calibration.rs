//! The default hub rule on the demo world (crates/worldgen), several seeds and scales: it
//! never flags an identifier of a single syndicate, and it flags the noise values (platforms,
//! banks' and couriers' call centres) that run across five or more syndicates' reports once
//! they are common enough to be judged (see `HubRule`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::world::{Owner, load};
use std::collections::{BTreeMap, BTreeSet};
use warroom_correlate::{Config, HubRule, Noise, index};
use warroom_worldgen::Config as WorldConfig;

#[test]
fn hubs_are_the_noise_and_never_a_syndicate() {
    let rule = HubRule::default();
    let mut flagged_noise = 0;
    let mut report = String::new();
    for scale in [350u64, 1000, 3000, 10_000, 20_000] {
        for seed in [1u64, 2, 3] {
            let w = load(WorldConfig { seed, scale });
            let (mut writer, reader) = index(Config::default());
            writer.set_agencies(&w.agencies);
            writer.set_quiet(true);
            for c in &w.changes {
                writer.apply(c);
            }
            writer.publish();
            let total = reader.stats().reports;
            let threshold = rule.threshold(total);
            // Which syndicates' reports each identifier is in.
            let mut syndicates: BTreeMap<_, BTreeSet<&str>> = BTreeMap::new();
            for (c, s) in w.changes.iter().zip(&w.syndicate) {
                for e in &c.report.entities {
                    let set = syndicates.entry(e.id).or_default();
                    if let Some(s) = s {
                        set.insert(s.as_str());
                    }
                }
            }
            let mut missed = Vec::new();
            let (mut noise_hubs, mut other_hubs) = (0, 0);
            for (id, owner) in &w.owner {
                let noise = reader.noise(*id);
                let hub = matches!(noise, Some(Noise::Hub { .. }));
                let view = reader.entity(*id).unwrap();
                let n = view.postings.len() as u64;
                match owner {
                    Owner::Syndicates(s) if s.len() == 1 => assert!(
                        !hub,
                        "scale {scale} seed {seed}: {} {} of {s:?} ({n} reports) flagged: {noise:?}",
                        view.kind, view.value
                    ),
                    Owner::Noise(label) => {
                        let spread = syndicates.get(id).map_or(0, BTreeSet::len);
                        if hub {
                            flagged_noise += 1;
                            noise_hubs += 1;
                        } else if spread >= 5 && n >= threshold {
                            missed.push(format!("{label} ({n} reports)"));
                        }
                    }
                    _ => other_hubs += usize::from(hub),
                }
            }
            report.push_str(&format!(
                "scale {scale} seed {seed}: {total} reports, threshold {threshold}: {noise_hubs} noise values flagged, {other_hubs} shared or unowned identifiers flagged, missed {missed:?}\n"
            ));
            assert!(
                missed.is_empty(),
                "scale {scale} seed {seed}: noise across 5+ syndicates not flagged: {missed:?}"
            );
        }
    }
    println!("{report}");
    assert!(
        flagged_noise > 100,
        "only {flagged_noise} noise values flagged in all"
    );
}
