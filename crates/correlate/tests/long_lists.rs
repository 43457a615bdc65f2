//! Long posting lists (kept outside their shard, in leaves: see `src/chunked.rs`) answer exactly
//! as lists in the shard's arena do, and a published snapshot does not change when the writer
//! appends to, inserts into or removes from one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture::{Fx, Spec, access_of, phone};
use common::world::load;
use jiff::Timestamp;
use warroom_correlate::{Config, HitFilter, HubRule, IndexReader, IndexWriter, NewHit, index};
use warroom_domain::AgencyId;
use warroom_store::ChangedReport;
use warroom_worldgen::Config as WorldConfig;

/// Everything a reader can ask of two indexes, compared.
fn same_answers(a: &IndexReader, b: &IndexReader, w: &common::world::World, now: Timestamp) {
    let (sa, sb) = (a.stats(), b.stats());
    assert_eq!(
        (sa.reports, sa.entities, sa.sightings, sa.hit_entries),
        (sb.reports, sb.entities, sb.sightings, sb.hit_entries)
    );
    assert_eq!(sa.hit_subscriptions, sb.hit_subscriptions);
    for id in w.owner.keys() {
        assert_eq!(a.entity(*id), b.entity(*id));
        assert_eq!(a.noise(*id), b.noise(*id));
        for (agency, _) in w.agencies.iter().take(2) {
            let acc = access_of(*agency);
            assert_eq!(
                a.risk(*id, *agency, &acc, now),
                b.risk(*id, *agency, &acc, now)
            );
        }
    }
    for (agency, _) in &w.agencies {
        let acc = access_of(*agency);
        let all = HitFilter::default();
        let ha = a.hits(*agency, &acc, &all, None, usize::MAX);
        assert_eq!(ha, b.hits(*agency, &acc, &all, None, usize::MAX));
        // Pages, and each entry as the live stream reads it.
        if let Some(mid) = ha.get(ha.len() / 2) {
            assert_eq!(
                a.hits(*agency, &acc, &all, Some(mid.key), 20),
                b.hits(*agency, &acc, &all, Some(mid.key), 20)
            );
        }
        for h in ha.iter().step_by(7) {
            assert_eq!(b.hit(h.key, *agency, &acc).as_ref(), Some(h));
            let one = HitFilter {
                entity: Some(h.entity),
                ..HitFilter::default()
            };
            assert_eq!(
                a.hits(*agency, &acc, &one, None, usize::MAX),
                b.hits(*agency, &acc, &one, None, usize::MAX)
            );
        }
    }
}

fn apply_all(w: &mut IndexWriter, changes: &[ChangedReport], batch: usize) -> Vec<NewHit> {
    let mut out = Vec::new();
    for chunk in changes.chunks(batch) {
        for c in chunk {
            w.apply(c);
        }
        out.extend(w.publish());
    }
    out
}

#[test]
fn long_lists_answer_as_arena_lists_do() {
    let world = load(WorldConfig {
        seed: 2,
        scale: 2000,
    });
    let now: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
    let (mut wa, ra) = index(Config::default());
    let (mut wb, rb) = index(Config::default());
    // Lists over 8 postings go to leaves of 3: most busy identifiers span many leaves.
    wb.set_long_lists(8, 3);
    for w in [&mut wa, &mut wb] {
        w.set_agencies(&world.agencies);
    }
    let (first, rest) = world.changes.split_at(world.changes.len() / 2);
    // The first half quietly (a rebuild), the rest as live traffic in small batches.
    for w in [&mut wa, &mut wb] {
        w.set_quiet(true);
        apply_all(w, first, 1000);
        w.set_quiet(false);
    }
    assert_eq!(apply_all(&mut wa, rest, 13), apply_all(&mut wb, rest, 13));
    same_answers(&ra, &rb, &world, now);

    // Retract every ninth report and take an identifier out of every fifth (postings removed
    // from the middle of long lists), then put some back (inserted in the middle).
    let mut later: Vec<ChangedReport> = Vec::new();
    let mut rev = world.changes.iter().map(|c| c.rev).max().unwrap_or(0);
    for (i, c) in world.changes.iter().enumerate() {
        let mut c = c.clone();
        rev += 1;
        c.rev = rev;
        c.report.version += 1;
        if i % 9 == 0 {
            c.report.retracted_at = Some(c.report.reported_at);
        } else if i % 5 == 0 && c.report.entities.len() > 1 {
            c.report.entities.remove(0);
        } else {
            continue;
        }
        later.push(c);
    }
    assert_eq!(
        apply_all(&mut wa, &later, 50),
        apply_all(&mut wb, &later, 50)
    );
    same_answers(&ra, &rb, &world, now);
    let back: Vec<ChangedReport> = world
        .changes
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 5 == 0 && i % 9 != 0 && i % 2 == 0)
        .map(|(_, c)| {
            let mut c = c.clone();
            rev += 1;
            c.rev = rev;
            c.report.version += 2;
            c
        })
        .collect();
    assert_eq!(apply_all(&mut wa, &back, 17), apply_all(&mut wb, &back, 17));
    same_answers(&ra, &rb, &world, now);
}

/// One number in every report from three agencies, past the point where its list leaves the
/// arena (4,096 postings by default), beside a number of each report's own.
fn hub_fx(reports: usize) -> (Fx, [AgencyId; 3], Vec<warroom_domain::ReportId>) {
    let agencies = [AgencyId::random(), AgencyId::random(), AgencyId::random()];
    // No hub rule: the number must keep making hits.
    let mut fx = Fx::with(Config {
        hub: HubRule {
            min_reports: u64::MAX,
            ..HubRule::default()
        },
    });
    let mut ids = Vec::new();
    for i in 0..reports {
        let mut ents = vec![phone(&format!("+6682{i:07}"))];
        // Every other report names the hub, so old reports can gain it later.
        if i % 2 == 0 {
            ents.push(phone("+66813000000"));
        }
        ids.push(fx.submit(agencies[i % 3], Spec::default(), ents));
    }
    fx.publish();
    (fx, agencies, ids)
}

#[test]
fn a_published_snapshot_does_not_see_writes_to_a_long_list() {
    let (mut fx, agencies, ids) = hub_fx(9000);
    let hub = phone("+66813000000").id;
    let before = fx.r.entity(hub).unwrap();
    assert_eq!(before.postings.len(), 4500);
    let hits_before: Vec<_> = agencies.iter().map(|a| fx.hits(*a)).collect();
    let stats_before = fx.r.stats();

    // Append, insert in the middle (an old report gains the number), remove from the middle
    // (an old report retracted), and drop it from another.
    fx.submit(agencies[0], Spec::default(), vec![phone("+66813000000")]);
    fx.update(ids[1001], |r| r.entities.push(phone("+66813000000")));
    fx.update(ids[2000], |r| r.retracted_at = Some(r.reported_at));
    fx.update(ids[4002], |r| r.entities.retain(|e| e.id != hub));

    // Nothing published: readers see exactly what they saw.
    assert_eq!(fx.r.entity(hub).unwrap(), before);
    let hits_now: Vec<_> = agencies.iter().map(|a| fx.hits(*a)).collect();
    assert_eq!(hits_now, hits_before);
    assert_eq!(fx.r.stats(), stats_before);

    let new = fx.publish();
    let after = fx.r.entity(hub).unwrap();
    assert_eq!(after.postings.len(), 4500 + 1 + 1 - 2);
    let seqs: Vec<u64> = after.postings.iter().map(|p| p.seq).collect();
    assert!(seqs.is_sorted(), "postings stay in seq order");
    let held: Vec<_> = after.postings.iter().map(|p| p.report).collect();
    assert!(held.contains(&ids[1001]));
    assert!(!held.contains(&ids[2000]));
    assert!(!held.contains(&ids[4002]));
    // The new report and the old one that gained the number made entries; the entries of
    // the reports after the old one involve its agency now.
    assert!(new.iter().any(|h| h.key.seq == 9001 && h.key.entity == hub));
    assert!(new.iter().any(|h| h.key.seq == 1002 && h.key.entity == hub));
}

#[test]
fn every_viewer_sees_the_same_hits_over_a_long_list_as_over_a_short_one() {
    // The same traffic into an index with default long lists and into one whose lists go to
    // leaves of two postings from five postings on.
    let (mut a, agencies, ids) = hub_fx(600);
    let mut b = Fx::with(Config {
        hub: HubRule {
            min_reports: u64::MAX,
            ..HubRule::default()
        },
    });
    b.w.set_long_lists(5, 2);
    for c in &a.last {
        b.w.apply(c);
    }
    b.last = a.last.clone();
    (b.rev, b.seq) = (a.rev, a.seq);
    b.publish();
    let hub = phone("+66813000000").id;
    for i in (0..600).step_by(37) {
        let f = |r: &mut warroom_store::ReportRecord| {
            if r.entities.len() > 1 {
                r.entities.pop();
            } else {
                r.entities.push(phone("+66813000000"));
            }
        };
        a.update(ids[i], f);
        b.update(ids[i], f);
        if i % 3 == 0 {
            assert_eq!(a.publish(), b.publish());
        }
    }
    assert_eq!(a.publish(), b.publish());
    for v in agencies {
        assert_eq!(a.hits(v), b.hits(v));
    }
    assert_eq!(a.r.entity(hub), b.r.entity(hub));
}
