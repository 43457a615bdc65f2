//! `warroom bench`: measurements recorded in BENCHMARKS.md, each beside this machine's ceiling
//! measured in the same run.
//!
//! - `bench ingest`: reports with 5 identifiers each through the same node path as
//!   `warroom import` and `reports:bulk` (parse, validate, normalise, store with audit), on
//!   SQLite or PostgreSQL, against a bare SQLite loop inserting the same number of rows.
//! - `bench correlate`: the identifier index beside SQL alone (see `bench_correlate.rs`).
//! - `bench pages`: server time to render each web page on the demo world (see `bench_pages.rs`).
//! - `bench empty-server`: an empty axum handler, the HTTP ceiling for `wrk` runs.

use super::store::StoreArgs;
use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;
use warroom_domain::{AgencyKind, CountryCode, Role};
use warroom_node::{Actor, LineOutcome, NewUser};
use warroom_wire::{EntityIn, IdentifierIn, ReportIn};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Bulk ingest of generated reports with 5 identifiers each.
    Ingest {
        /// Reports to ingest.
        #[arg(long, default_value_t = 100_000)]
        reports: usize,
        /// Reports per transaction (as `import` commits them; `reports:bulk` commits
        /// `BULK_BATCH`).
        #[arg(long, default_value_t = 50_000)]
        batch: usize,
        /// Data directory (must be new or empty); a temporary one when absent.
        #[arg(long)]
        data: Option<PathBuf>,
        /// A PostgreSQL database to ingest into instead of a SQLite data directory.
        #[arg(long, value_name = "URL")]
        database: Option<String>,
        /// Skip the bare SQLite baseline.
        #[arg(long)]
        no_baseline: bool,
        /// Submit as this existing user; a fresh agency and analyst when absent.
        #[arg(long = "as")]
        user: Option<String>,
    },
    /// The identifier index on a filled store: rebuild, hits for incoming reports and
    /// lookups, each beside the same work in SQL alone.
    Correlate(super::bench_correlate::Args),
    /// Server time to render each web page on the demo world.
    Pages(super::bench_pages::Args),
    /// Serve an empty handler: the machine's HTTP ceiling under the same load tool.
    EmptyServer {
        #[arg(long, default_value = "127.0.0.1:8090")]
        listen: SocketAddr,
    },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.what {
        What::Ingest {
            reports,
            batch,
            data,
            database,
            no_baseline,
            user,
        } => ingest(reports, batch.max(1), data, database, no_baseline, user),
        What::Correlate(a) => super::bench_correlate::run(a),
        What::Pages(a) => super::bench_pages::run(a),
        What::EmptyServer { listen } => {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            rt.block_on(warroom_server::serve_empty(listen, |a| {
                println!("empty server on http://{a}")
            }))
            .context("cannot serve")
        }
    }
}

/// The i-th generated report: a victim complaint with a phone, an e-mail, a URL, a bank
/// account and a wallet, written as people write them; about one identifier in five is shared
/// with other reports, as infrastructure is.
pub fn generated_report(i: usize) -> ReportIn {
    let shared = |n: usize| if n.is_multiple_of(5) { n % 1000 } else { n };
    let phone = shared(i * 7 + 1) % 90_000_000;
    let values = [
        (
            "phone",
            format!(
                "08{} {:03} {:04}",
                1 + phone % 9,
                (phone / 10_000) % 1000,
                phone % 10_000
            ),
        ),
        ("email", format!("mule.{}@Example.com", shared(i * 7 + 2))),
        (
            "url",
            format!(
                "hxxps://pay-{}[.]example[.]net/login?utm_source=sms",
                shared(i * 7 + 3)
            ),
        ),
        (
            "bank_account",
            format!("TH:004:{:010}", shared(i * 7 + 4) % 10_000_000_000),
        ),
        (
            "ip",
            format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255),
        ),
    ];
    ReportIn {
        id: Some(uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_OID,
            &(i as u64).to_be_bytes(),
        )),
        kind: "victim_complaint".into(),
        methods: vec!["official_impersonation".into()],
        narrative: format!("Caller claimed to be police, report {i}"),
        language: Some("en".into()),
        marking: "AMBER".into(),
        entities: values
            .into_iter()
            .map(|(kind, value)| {
                EntityIn::Identifier(IdentifierIn {
                    reference: None,
                    kind: Some(kind.into()),
                    value,
                    region: None,
                })
            })
            .collect(),
        ..Default::default()
    }
}

fn ingest(
    reports: usize,
    batch: usize,
    data: Option<PathBuf>,
    database: Option<String>,
    no_baseline: bool,
    user: Option<String>,
) -> anyhow::Result<()> {
    let temp = tempfile::tempdir().context("cannot create a temporary directory")?;
    let dir = data.unwrap_or_else(|| temp.path().join("data"));
    let store = StoreArgs {
        data: dir,
        database,
    };
    let node = store.node()?;
    let actor = match user {
        Some(u) => node.shell_actor(&u, "bench")?,
        None => fresh_analyst(&node, "bench")?,
    };
    let bar = progress(reports as u64);
    let rss_before = peak_rss_kib();
    let start = Instant::now();
    let mut accepted = 0usize;
    let mut count = |answers: Vec<Vec<LineOutcome>>| -> anyhow::Result<()> {
        for o in answers.into_iter().flatten() {
            match o {
                LineOutcome::Accepted { .. } | LineOutcome::Duplicate { .. } => accepted += 1,
                LineOutcome::Rejected(e) => anyhow::bail!("a generated report was rejected: {e:?}"),
                LineOutcome::Conflict { id } => anyhow::bail!("conflict on {id}"),
            }
        }
        Ok(())
    };
    let mut ingest = node.ingest(actor)?;
    let mut i = 0;
    while i < reports {
        let n = batch.min(reports - i);
        let items = (i..i + n).map(|k| Ok(generated_report(k))).collect();
        count(ingest.push(items)?)?;
        i += n;
        if let Some(b) = &bar {
            b.set_position(i as u64);
        }
    }
    count(ingest.finish()?)?;
    let committed = start.elapsed().as_secs_f64();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let sightings = node.store().sighting_count()?;
    let backend = node.store().backend();
    // Closing is part of the work: SQLite checkpoints the WAL the ingest left behind.
    let closing = Instant::now();
    node.close_now();
    let closed = closing.elapsed().as_secs_f64();
    let secs = committed + closed;
    println!(
        "warroom ingest ({backend}): {accepted} reports ({sightings} sightings) in {secs:.2} s ({committed:.2} s to commit, {closed:.2} s to close the store) = {:.0} reports/s, batch {batch}, peak RSS {} MiB (before {} MiB)",
        accepted as f64 / secs,
        peak_rss_kib() / 1024,
        rss_before / 1024
    );
    if !no_baseline {
        let base = temp.path().join("baseline");
        let secs_base = warroom_store_sqlite::baseline::insert_loop(&base, reports, 5, batch)?;
        println!(
            "bare SQLite loop: {reports} rows + {} child rows in {secs_base:.2} s = {:.0} reports/s; warroom reaches {:.2} of it",
            reports * 5,
            reports as f64 / secs_base,
            secs_base / secs
        );
    }
    Ok(())
}

/// A new agency (Thai police) with one analyst, acting: whose reports a benchmark submits.
pub fn fresh_analyst(node: &warroom_node::Node, prefix: &str) -> anyhow::Result<Actor> {
    let shell = Actor::system("bench");
    let agency = node.create_agency(
        &shell,
        &format!("{prefix} {}", uuid::Uuid::new_v4()),
        CountryCode::parse("TH")?,
        AgencyKind::Police,
    )?;
    let username = format!("{prefix}-{}", &uuid::Uuid::new_v4().to_string()[..8]);
    node.create_user(
        &shell,
        NewUser {
            agency: agency.id,
            username: username.clone(),
            display_name: "bench".into(),
            roles: [Role::Analyst].into(),
            password: None,
        },
    )?;
    Ok(node.shell_actor(&username, "bench")?)
}

fn progress(len: u64) -> Option<ProgressBar> {
    std::io::stderr().is_terminal().then(|| {
        let b = ProgressBar::new(len);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} reports {per_sec} eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    })
}

/// Peak resident set size of this process, from /proc (0 where there is none).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
