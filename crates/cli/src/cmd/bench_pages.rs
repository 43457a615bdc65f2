//! `warroom bench pages`: the server time to render each web page on the demo world.
//!
//! The demo world (same seed and scale as `warroom demo`) is generated and loaded into a
//! temporary node, its indexes are built, and each page is requested through the whole
//! application (routing, session, the node's reads and audit, rendering) in-process, one
//! request at a time, as a logged-in analyst (the admin page as the admin). The ceiling in the
//! same run is an empty handler requested the same way.

use super::demo::{Built, build};
use anyhow::{Context as _, bail};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use std::time::{Duration, Instant};
use tower::ServiceExt as _;
use warroom_node::CorrelationOptions;
use warroom_server::{RateConfig, ServeConfig};
use warroom_worldgen::Config;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Seed of the world (the demo's default).
    #[arg(long, default_value_t = Config::default().seed)]
    seed: u64,
    /// Reports in the world (the demo's default).
    #[arg(long, default_value_t = Config::default().scale)]
    scale: u64,
    /// Timed requests per page.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// The analyst to view the pages as.
    #[arg(long = "as", default_value = "th-aoc.analyst")]
    user: String,
}

struct Client {
    app: axum::Router,
    cookie: String,
}

impl Client {
    async fn send(&self, r: Request<Body>) -> anyhow::Result<(StatusCode, Option<String>, String)> {
        let response = self.app.clone().oneshot(r).await?;
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let set = response
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(|c| c.split(';').next().unwrap_or("").to_owned());
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        Ok((
            status,
            location.or(set),
            String::from_utf8_lossy(&bytes).into_owned(),
        ))
    }

    async fn get(&self, path: &str) -> anyhow::Result<(StatusCode, String)> {
        let r = Request::get(path)
            .header(header::HOST, "bench")
            .header(header::COOKIE, &self.cookie)
            .body(Body::empty())?;
        let (status, _, html) = self.send(r).await?;
        Ok((status, html))
    }

    async fn login(app: &axum::Router, username: &str, password: &str) -> anyhow::Result<Client> {
        let mut c = Client {
            app: app.clone(),
            cookie: String::new(),
        };
        let body = format!("username={username}&password={password}&next=/");
        let r = Request::post("/login")
            .header(header::HOST, "bench")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))?;
        let response = c.app.clone().oneshot(r).await?;
        let cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .context("the login set no cookie")?;
        c.cookie = cookie.to_owned();
        Ok(c)
    }
}

/// The first `/prefix<uuid>` link of a page.
fn link(html: &str, prefix: &str) -> Option<String> {
    let at = html.find(&format!("href=\"{prefix}"))? + 6;
    let rest = &html[at..];
    Some(rest[..rest.find('"')?].to_owned())
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let temp = tempfile::tempdir().context("cannot create a temporary directory")?;
    let config = Config {
        seed: args.seed,
        scale: args.scale,
    };
    eprintln!(
        "generating and loading the demo world (seed {}, scale {})…",
        args.seed, args.scale
    );
    let Built {
        node,
        logins,
        picks,
        admin_password,
        ..
    } = build(&temp.path().join("data"), &config)?;
    node.seed_warninglist()?;
    node.start_correlation_and_wait(CorrelationOptions::default())?;
    let login = logins
        .iter()
        .find(|l| l.username == args.user)
        .with_context(|| format!("no user {} in the demo world", args.user))?;
    let phone = picks
        .phones
        .get(&login.agency.0)
        .and_then(|p| p.first())
        .cloned()
        .context("the analyst's agency holds no phone number")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let state = warroom_server::state(
        node.clone(),
        &ServeConfig {
            listen: ([127, 0, 0, 1], 0).into(),
            metrics_listen: None,
            rates: RateConfig::default(),
            secure_cookies: false,
        },
    );
    let app = warroom_server::app(state);
    let empty = axum::Router::new().route("/", axum::routing::get(|| async { "" }));
    runtime.block_on(async move {
        let analyst = Client::login(&app, &login.username, &login.password).await?;
        let admin = Client::login(&app, "admin", &admin_password).await?;
        let q = warroom_web::chrome::percent_encode(&phone);
        let (_, search) = analyst.get(&format!("/search?q={q}")).await?;
        let entity = link(&search, "/entities/").context("the phone search found no entity")?;
        let (_, dashboard) = analyst.get("/").await?;
        let report = link(&dashboard, "/reports/").context("the dashboard lists no report")?;
        let pages: Vec<(&str, &Client, String)> = vec![
            ("dashboard", &analyst, "/".into()),
            (
                "search: a phone as written",
                &analyst,
                format!("/search?q={q}"),
            ),
            ("search: a word (en)", &analyst, "/search?q=bank".into()),
            (
                "search: a word (th)",
                &analyst,
                format!(
                    "/search?q={}",
                    warroom_web::chrome::percent_encode("โอนเงิน")
                ),
            ),
            ("entity", &analyst, entity),
            ("report", &analyst, report),
            ("report form", &analyst, "/reports/new".into()),
            ("admin", &admin, "/admin".into()),
        ];
        println!("| page | requests | p50 ms | p99 ms | max ms | KiB |\n|---|---|---|---|---|---|");
        for (name, client, path) in pages {
            let (status, html) = client.get(&path).await?;
            if status != StatusCode::OK {
                bail!("{name} ({path}) answered {status}");
            }
            if name.starts_with("search: a word")
                && !html.contains("class=\"results\"><li>")
                && !html.contains("<li><span class=\"tlp")
            {
                bail!("{name} found nothing: the measurement would be of an empty page");
            }
            for _ in 0..5 {
                client.get(&path).await?;
            }
            let mut times = Vec::with_capacity(args.requests);
            for _ in 0..args.requests {
                let started = Instant::now();
                let (status, _) = client.get(&path).await?;
                times.push(started.elapsed());
                if status != StatusCode::OK {
                    bail!("{name} ({path}) answered {status}");
                }
            }
            times.sort();
            println!(
                "| {name} | {} | {} | {} | {} | {} |",
                times.len(),
                ms(quantile(&times, 0.5)),
                ms(quantile(&times, 0.99)),
                ms(times.last().copied().unwrap_or_default()),
                html.len() / 1024
            );
        }
        let mut times = Vec::new();
        for _ in 0..args.requests {
            let started = Instant::now();
            let r = Request::get("/").body(Body::empty())?;
            let response = empty.clone().oneshot(r).await?;
            axum::body::to_bytes(response.into_body(), usize::MAX).await?;
            times.push(started.elapsed());
        }
        times.sort();
        println!(
            "| (ceiling: empty handler) | {} | {} | {} | {} | 0 |",
            times.len(),
            ms(quantile(&times, 0.5)),
            ms(quantile(&times, 0.99)),
            ms(times.last().copied().unwrap_or_default())
        );
        Ok::<_, anyhow::Error>(())
    })?;
    drop(temp);
    Ok(())
}
