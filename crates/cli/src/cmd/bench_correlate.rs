//! `warroom bench correlate`: the identifier index on a store that already holds reports (fill
//! one with `warroom bench ingest --data DIR`), each measure beside the same work done with
//! SQL alone through the store, in the same run:
//!
//! - rebuild: every report of the store into the index (seconds, resident memory, bytes per
//!   sighting);
//! - hits for incoming reports: reports of another agency sharing identifiers with what is
//!   held, submitted one by one; the index's catch-up after each write (apply, publish, the
//!   hits computed) against asking the store for every identifier's sightings and keeping
//!   other agencies' holdings;
//! - lookups: an identifier's postings from the index against its sightings from the store.

use super::bench::generated_report;
use super::store::StoreArgs;
use anyhow::Context as _;
use std::time::{Duration, Instant};
use warroom_domain::{CountryCode, EntityId};
use warroom_node::{Actor, CorrelationOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    store: StoreArgs,
    /// Incoming reports to submit (they stay in the store: use a copy of the data).
    #[arg(long, default_value_t = 2_000)]
    incoming: usize,
    /// Where the incoming reports' generator starts (past the reports the store holds).
    #[arg(long, default_value_t = 50_000_000)]
    first: usize,
    /// Incoming reports whose question is also put to SQL alone.
    #[arg(long, default_value_t = 50)]
    sql_samples: usize,
    /// Identifier lookups to time.
    #[arg(long, default_value_t = 20_000)]
    lookups: usize,
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1e3
}

fn summary(name: &str, mut t: Vec<Duration>) -> (f64, f64) {
    t.sort();
    let (p50, p99) = (percentile(&t, 0.5), percentile(&t, 0.99));
    println!(
        "  {name}: n={} p50 {p50:.3} ms  p99 {p99:.3} ms  max {:.3} ms",
        t.len(),
        percentile(&t, 1.0)
    );
    (p50, p99)
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let node = args.store.node()?;
    let store = node.store().clone();
    let reports = store.report_count()?;
    anyhow::ensure!(
        reports > 0,
        "the store holds no reports: fill it with `warroom bench ingest --data DIR` first"
    );
    println!(
        "warroom bench correlate on {} ({}): {reports} reports",
        args.store.describe(),
        store.backend()
    );

    // Rebuild.
    let rss_before = rss_kib();
    let start = Instant::now();
    node.start_correlation_and_wait(CorrelationOptions {
        search_dir: None,
        without_full_text: true,
    })?;
    let secs = start.elapsed().as_secs_f64();
    let status = node.index_status();
    let grown = rss_kib().saturating_sub(rss_before) * 1024;
    let per = |bytes: u64| bytes as f64 / status.sightings.max(1) as f64;
    println!(
        "rebuild: {} reports, {} entities, {} sightings in {secs:.1} s ({:.0} sightings/s); \
         index heap estimate {:.1} bytes/sighting, resident growth {:.1} bytes/sighting \
         (includes the store's page cache)",
        status.reports,
        status.entities,
        status.sightings,
        status.sightings as f64 / secs,
        per(status.index_bytes),
        per(grown),
    );

    // Hits for incoming reports.
    let actor = super::bench::fresh_analyst(&node, "bench-incoming")?;
    let mut sql = Vec::with_capacity(args.incoming);
    let mut notices = 0usize;
    let mut hits_rx = node.subscribe_hits();
    for k in 0..args.incoming {
        // Consecutive generated reports: four in five share one value with about 1,250
        // stored reports of another agency (`generated_report`), so most incoming reports
        // make hits on a busy identifier.
        let input = generated_report(args.first + k);
        let submitted = node.submit(&actor, &input)?;
        let id = match submitted {
            warroom_node::Submitted::Accepted { id, .. }
            | warroom_node::Submitted::Duplicate { id, .. } => id,
        };
        while let Ok(batch) = hits_rx.try_recv() {
            notices += batch.len();
        }
        // The same question in SQL alone: for each identifier of the report, who else holds
        // it. Every report names the hub example.com (over a million sightings, seconds to
        // read), so only the first `sql_samples` are asked.
        if k >= args.sql_samples {
            continue;
        }
        let record = store.report(id)?.context("the report just stored")?;
        let t = Instant::now();
        let mut held = 0usize;
        for e in &record.entities {
            held += store
                .sightings(e.id)?
                .iter()
                .filter(|s| s.agency != record.owner)
                .count();
        }
        sql.push(t.elapsed());
        std::hint::black_box(held);
    }
    let timings = node.index_timings();
    let n = timings.len().min(args.incoming);
    println!(
        "hits for {} incoming reports ({notices} hit notices):",
        args.incoming
    );
    let last = &timings[timings.len() - n..];
    let phase = |f: fn(&warroom_node::CatchUpTiming) -> Duration| -> Vec<Duration> {
        last.iter().map(f).collect()
    };
    let (_, index_p99) = summary("index catch-up", phase(|t| t.total));
    summary("  of which waiting for the writer", phase(|t| t.wait));
    summary("  of which reading the change", phase(|t| t.read));
    summary("  of which applying it", phase(|t| t.apply));
    summary("  of which publishing (hits)", phase(|t| t.publish));
    if !sql.is_empty() {
        let (_, sql_p99) = summary("SQL alone (sightings per identifier)", sql);
        println!(
            "  p99 ratio SQL/index: {:.1}",
            sql_p99 / index_p99.max(1e-9)
        );
    }

    // Lookups.
    let shell = Actor::system("bench");
    let ids: Vec<EntityId> = (0..args.lookups)
        .filter_map(|k| {
            let r = generated_report(k * 7 % (reports as usize).max(1));
            let value = match &r.entities[0] {
                warroom_wire::EntityIn::Identifier(i) => i.value.clone(),
                _ => return None,
            };
            let ctx = warroom_normalize::Context {
                region: Some(CountryCode::parse("TH").ok()?),
            };
            warroom_normalize::normalize(warroom_domain::IdentifierKind::Phone, &value, &ctx)
                .ok()
                .map(|n| n.identifier.entity_id())
        })
        .collect();
    let (mut from_index, mut from_sql) = (Vec::new(), Vec::new());
    for id in &ids {
        let t = Instant::now();
        // Timed without its audit commit (the same for both paths); dropping the answer
        // releases nothing.
        let view = node.entity(&shell, *id);
        from_index.push(t.elapsed());
        std::hint::black_box(view.is_ok());
        let t = Instant::now();
        let s = store.sightings(*id)?;
        from_sql.push(t.elapsed());
        std::hint::black_box(s.len());
    }
    println!("lookups of {} phone numbers:", ids.len());
    let (_, i99) = summary("index", from_index);
    let (_, s99) = summary("SQL alone", from_sql);
    println!("  p99 ratio SQL/index: {:.1}", s99 / i99.max(1e-9));
    Ok(())
}
