//! `warroom serve`: the HTTP server over the node's store (a data directory or PostgreSQL).

use super::store::StoreArgs;
use anyhow::Context as _;
use std::net::SocketAddr;
use warroom_domain::CountryCode;
use warroom_node::{CorrelationOptions, Node};
use warroom_server::{RateConfig, ServeConfig};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address of the API and web pages.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Address of the Prometheus metrics (`/metrics`); off when absent.
    #[arg(long)]
    pub metrics_listen: Option<SocketAddr>,
    /// Country of the node operators' agency created on first start.
    #[arg(long, default_value = "TH", value_parser = super::normalize::parse_region)]
    pub country: CountryCode,
    /// Requests per second allowed per API token (0: no limit).
    #[arg(long, default_value_t = RateConfig::default().per_token)]
    pub rate_per_token: u32,
    /// Login attempts per minute allowed per client address (0: no limit).
    #[arg(long, default_value_t = RateConfig::default().logins_per_minute)]
    pub logins_per_minute: u32,
    /// Mark session cookies Secure (when served behind TLS).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Where the full-text index is kept (rebuilt from the store at every start). Default:
    /// `search-index` inside --data for the embedded store, memory with --database.
    #[arg(long)]
    pub search_dir: Option<std::path::PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    init_logging();
    tracing::info!(store = %args.store.describe(), "opening the store");
    let node = args.store.node()?;
    if let Some(b) = node
        .bootstrap(args.country)
        .context("cannot create the first admin")?
    {
        // Printed on stdout once, never logged.
        println!(
            "First start: created the node admin (agency {:?}).",
            b.agency.name
        );
        println!("  username: {}", b.username);
        println!(
            "  password: {}   (shown once; change it with `warroom admin user reset-password admin`)",
            b.password
        );
    }
    let config = ServeConfig {
        listen: args.listen,
        metrics_listen: args.metrics_listen,
        rates: RateConfig {
            per_token: args.rate_per_token,
            logins_per_minute: args.logins_per_minute,
        },
        secure_cookies: args.secure_cookies,
    };
    let listen = config.listen;
    let search_dir = args.search_dir.or_else(|| {
        args.store
            .database
            .is_none()
            .then(|| args.store.data.join("search-index"))
    });
    serve_node(
        Node::clone(&node),
        config,
        CorrelationOptions {
            search_dir,
            ..Default::default()
        },
        |api, metrics| {
            println!("warroom listening on http://{api}");
            if let Some(m) = metrics {
                println!("metrics on http://{m}/metrics");
            }
        },
    )
    .with_context(|| format!("cannot serve on {listen}"))
}

/// Serves `node` until Ctrl-C; `ready` gets the bound API and metrics addresses.
pub fn serve_node(
    node: warroom_node::Node,
    config: ServeConfig,
    correlation: CorrelationOptions,
    ready: impl FnOnce(SocketAddr, Option<SocketAddr>),
) -> anyhow::Result<()> {
    let seeded = node
        .seed_warninglist()
        .context("cannot store the shipped warninglist")?;
    if seeded > 0 {
        tracing::info!(entries = seeded, "stored the shipped warninglist");
    }
    // The indexes rebuild on their own thread; `GET /api/v1/index` shows the progress, and
    // lookups are served from the store until they are ready.
    node.start_correlation(correlation)
        .context("cannot start the identifier and full-text indexes")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Blocking work is short store calls and waits for the audit group commit; a bounded
        // pool keeps threads from piling up on the store's connection locks.
        .max_blocking_threads(64)
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(warroom_server::serve(node, config, ready, async {
        let _ = tokio::signal::ctrl_c().await;
    }))?;
    Ok(())
}

/// Logs to stderr, `RUST_LOG` style filtering, `info` by default.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
