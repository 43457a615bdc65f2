//! `warroom demo`: a synthetic war room, generated, loaded and served, with logins to try.
//!
//! The world comes from `warroom-worldgen` (the same one `warroom generate` writes to files):
//! its agencies and sharing groups are registered as an admin would, one user per agency gets
//! a one-time password, and every agency's reports go in through the same pipelined node path
//! as `warroom import` and `POST /api/v1/reports:bulk`, as that agency's user. Then the server
//! starts and the demo prints the URL, the logins and three things to try, each picked from
//! the loaded data (a number several agencies hold, a listing filter, a RED report that only
//! its owner can open).

use super::serve::{init_logging, serve_node};
use anyhow::{Context as _, bail};
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;
use uuid::Uuid;
use warroom_domain::{AgencyId, GroupId};
use warroom_node::{Actor, Ingest, LineOutcome, NewUser, Node};
use warroom_server::{RateConfig, ServeConfig};
use warroom_store_sqlite::SqliteStore;
use warroom_wire::{EntityIn, ReportIn};
use warroom_worldgen::Config;

/// Reports handed to an agency's ingest at a time.
const BATCH: usize = 500;
/// Phone numbers per agency kept as candidates for the first thing to try.
const CANDIDATES: usize = 300;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Seed of the generated world: the same seed gives the same world.
    #[arg(long, default_value_t = Config::default().seed)]
    seed: u64,
    /// Number of reports.
    #[arg(long, default_value_t = Config::default().scale)]
    scale: u64,
    /// Address of the API.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Keep the node in this data directory (it must be new or empty); a temporary directory,
    /// removed on exit, when absent.
    #[arg(long)]
    data: Option<PathBuf>,
}

/// What the demo found in the loaded world to point the user at.
#[derive(Debug, Default)]
pub(super) struct Picks {
    /// Per agency: phone numbers as its victims wrote them.
    pub phones: BTreeMap<Uuid, Vec<String>>,
    /// The first RED report and its owner.
    pub red: Option<(Uuid, Uuid)>,
    /// The most frequent scam method.
    methods: BTreeMap<String, u64>,
}

impl Picks {
    fn note(&mut self, agency: Uuid, report: &ReportIn) {
        if report.marking == "RED" && self.red.is_none() {
            self.red = report.id.map(|id| (id, agency));
        }
        for m in &report.methods {
            *self.methods.entry(m.clone()).or_default() += 1;
        }
        let phones = self.phones.entry(agency).or_default();
        for e in &report.entities {
            if let EntityIn::Identifier(i) = e
                && i.kind.as_deref() == Some("phone")
                && phones.len() < CANDIDATES
            {
                phones.push(i.value.clone());
            }
        }
    }
}

/// A generated world loaded into a node, with what the demo prints.
pub(super) struct Built {
    pub node: super::store::OpenNode,
    pub world: warroom_worldgen::World,
    pub logins: Vec<Login>,
    pub picks: Picks,
    pub admin_password: String,
    pub accepted: u64,
}

/// Generates the world of `config` and loads it into a new node in `dir`, as an admin and
/// each agency's user would.
pub(super) fn build(dir: &std::path::Path, config: &Config) -> anyhow::Result<Built> {
    let store = SqliteStore::open(dir)
        .with_context(|| format!("cannot open the data directory {}", dir.display()))?;
    let node = super::store::OpenNode::new(Node::new(std::sync::Arc::new(store)));
    if node.store().user_count()? > 0 {
        bail!(
            "the data directory {} already holds a node: give the demo a new one",
            dir.display()
        );
    }
    let admin = node
        .bootstrap(warroom_domain::CountryCode::parse("TH")?)?
        .context("the new node did not create its admin")?;
    let shell = Actor::system("demo");
    let world = warroom_worldgen::world(config);
    for a in &world.agencies {
        let agency = a
            .to_domain()
            .with_context(|| format!("the generated agency {} is not valid", a.slug))?;
        node.adopt_agency(&shell, agency)?;
    }
    for g in &world.groups {
        let group = g.to_domain();
        node.put_group(&shell, Some(GroupId(g.id)), &g.name, group.members)?;
    }
    let mut logins = Vec::new();
    for u in &world.users {
        let (_, password) = node.create_user(
            &shell,
            NewUser {
                agency: AgencyId(u.agency),
                username: u.username.clone(),
                display_name: u.display_name.clone(),
                roles: u.role_set(),
                password: None,
            },
        )?;
        logins.push(Login {
            username: u.username.clone(),
            agency: AgencyId(u.agency),
            password: password.unwrap_or_default(),
        });
    }
    let (picks, accepted) = load(&node, config, &world)?;
    Ok(Built {
        node,
        world,
        logins,
        picks,
        admin_password: admin.password,
        accepted,
    })
}

pub fn run(args: Args) -> anyhow::Result<()> {
    init_logging();
    let started = Instant::now();
    let temp = tempfile::tempdir().context("cannot create a temporary directory")?;
    let dir = args
        .data
        .clone()
        .unwrap_or_else(|| temp.path().join("data"));
    let config = Config {
        seed: args.seed,
        scale: args.scale,
    };
    let Built {
        node,
        world,
        logins,
        picks,
        admin_password,
        accepted,
    } = build(&dir, &config)?;
    let loaded = started.elapsed();

    let listen = args.listen;
    let search_dir = Some(dir.join("search-index"));
    let intro = Intro {
        node: Node::clone(&node),
        world,
        logins,
        picks,
        admin_password,
        accepted,
        scale: args.scale,
        loaded,
        temporary: args.data.is_none(),
        dir,
        tokens: Default::default(),
    };
    let config = ServeConfig {
        listen,
        metrics_listen: None,
        rates: RateConfig::default(),
        secure_cookies: false,
    };
    serve_node(
        Node::clone(&node),
        config,
        warroom_node::CorrelationOptions {
            search_dir,
            ..Default::default()
        },
        move |api, _| intro.print(api),
    )
    .with_context(|| format!("cannot serve on {listen}"))?;
    // The store closes before its temporary directory goes.
    node.close_now();
    drop(temp);
    Ok(())
}

/// Loads every report as its agency's user; returns what to point at and how many went in.
fn load(
    node: &Node,
    config: &Config,
    world: &warroom_worldgen::World,
) -> anyhow::Result<(Picks, u64)> {
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = ProgressBar::new(config.scale);
        b.set_style(
            ProgressStyle::with_template("loading the world {bar:40} {pos}/{len} reports")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    });
    let mut ingests: BTreeMap<Uuid, Ingest> = BTreeMap::new();
    let mut pending: BTreeMap<Uuid, Vec<ReportIn>> = BTreeMap::new();
    let mut picks = Picks::default();
    let mut tally = Tally::default();
    for (agency, report) in warroom_worldgen::reports(config) {
        picks.note(agency.0, &report);
        let buffer = pending.entry(agency.0).or_default();
        buffer.push(report);
        if buffer.len() >= BATCH {
            let batch = std::mem::take(buffer);
            let ingest = ingest_for(node, world, &mut ingests, agency.0)?;
            tally.add(ingest.push(batch.into_iter().map(Ok).collect())?)?;
            if let Some(b) = &bar {
                b.set_position(tally.seen);
            }
        }
    }
    for (agency, batch) in pending {
        if batch.is_empty() {
            continue;
        }
        let ingest = ingest_for(node, world, &mut ingests, agency)?;
        tally.add(ingest.push(batch.into_iter().map(Ok).collect())?)?;
    }
    for (_, ingest) in ingests {
        tally.add(ingest.finish()?)?;
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok((picks, tally.accepted))
}

fn ingest_for<'a>(
    node: &Node,
    world: &warroom_worldgen::World,
    ingests: &'a mut BTreeMap<Uuid, Ingest>,
    agency: Uuid,
) -> anyhow::Result<&'a mut Ingest> {
    use std::collections::btree_map::Entry;
    Ok(match ingests.entry(agency) {
        Entry::Occupied(e) => e.into_mut(),
        Entry::Vacant(v) => {
            let user = world
                .users
                .iter()
                .find(|u| u.agency == agency)
                .with_context(|| format!("no user for the generated agency {agency}"))?;
            v.insert(node.ingest(node.shell_actor(&user.username, "demo")?)?)
        }
    })
}

/// Counts answers; a generated report the node refuses is a bug in the generator.
#[derive(Debug, Default)]
struct Tally {
    seen: u64,
    accepted: u64,
}

impl Tally {
    fn add(&mut self, answers: Vec<Vec<LineOutcome>>) -> anyhow::Result<()> {
        for outcome in answers.into_iter().flatten() {
            self.seen += 1;
            match outcome {
                LineOutcome::Accepted { .. } | LineOutcome::Duplicate { .. } => self.accepted += 1,
                LineOutcome::Conflict { id } => bail!("generated report {id} conflicts"),
                LineOutcome::Rejected(errors) => {
                    bail!("the node refused a generated report: {errors:?}")
                }
            }
        }
        Ok(())
    }
}

/// What the demo prints once the server listens.
struct Intro {
    node: Node,
    world: warroom_worldgen::World,
    logins: Vec<Login>,
    picks: Picks,
    admin_password: String,
    accepted: u64,
    scale: u64,
    loaded: std::time::Duration,
    temporary: bool,
    dir: PathBuf,
    /// Tokens minted for the curl lines, by agency.
    tokens: std::cell::RefCell<BTreeMap<AgencyId, String>>,
}

/// How good a shared phone is as the first thing to try: reported to the police, written
/// nationally, held by more agencies.
type PhoneScore = (bool, bool, usize);

#[derive(Debug)]
pub(super) struct Login {
    pub username: String,
    pub agency: AgencyId,
    pub password: String,
}

impl Intro {
    fn agency_name(&self, id: AgencyId) -> &str {
        self.world
            .agencies
            .iter()
            .find(|a| a.id == id.0)
            .map_or("?", |a| a.name.as_str())
    }

    fn login_of(&self, agency: AgencyId) -> Option<&Login> {
        self.logins.iter().find(|l| l.agency == agency)
    }

    /// An API token for the user of `agency` (the curl lines need one), or an explanation; one
    /// per agency, however many lines use it.
    fn token(&self, agency: AgencyId) -> String {
        let mut tokens = self.tokens.borrow_mut();
        if let Some(t) = tokens.get(&agency) {
            return t.clone();
        }
        let shell = Actor::system("demo");
        let token = self
            .login_of(agency)
            .and_then(|l| self.node.shell_actor(&l.username, "demo").ok())
            .and_then(|a| a.principal.map(|p| p.user.id))
            .and_then(|user| self.node.create_token(&shell, user, "demo", None).ok())
            .map_or_else(|| "(no token)".to_owned(), |(_, secret)| secret);
        tokens.insert(agency, token.clone());
        token
    }

    /// A phone number one agency's victims wrote that other agencies hold too: the value as
    /// written, the agency, and how many agencies hold it.
    fn shared_phone(&self) -> Option<(String, AgencyId, usize)> {
        let store = self.node.store();
        let mut best: Option<(PhoneScore, String, AgencyId, usize)> = None;
        for (agency, phones) in &self.picks.phones {
            let Some(a) = self.world.agencies.iter().find(|a| a.id == *agency) else {
                continue;
            };
            let region = warroom_domain::CountryCode::parse(&a.country).ok();
            let ctx = warroom_normalize::Context { region };
            for raw in phones {
                let Ok(n) =
                    warroom_normalize::normalize(warroom_domain::IdentifierKind::Phone, raw, &ctx)
                else {
                    continue;
                };
                let Ok(sightings) = store.sightings(n.identifier.entity_id()) else {
                    continue;
                };
                let holders: std::collections::BTreeSet<_> =
                    sightings.iter().map(|s| s.agency).collect();
                // Hub numbers (hotlines) are held by everyone; a syndicate's phone by a few.
                // Prefer a police agency's victim writing the number nationally, as people do.
                let score = (
                    a.kind == "police",
                    !raw.trim_start().starts_with('+'),
                    holders.len(),
                );
                if (2..=4).contains(&holders.len()) && best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, raw.clone(), AgencyId(*agency), holders.len()));
                }
            }
        }
        best.map(|(_, raw, agency, holders)| (raw, agency, holders))
    }

    fn print(&self, api: SocketAddr) {
        let url = format!("http://{api}");
        println!();
        println!(
            "warroom demo: {} reports from {} agencies loaded in {:.1} s (seed {}, scale {})",
            self.accepted,
            self.world.agencies.len(),
            self.loaded.as_secs_f64(),
            self.world.seed,
            self.scale,
        );
        if self.temporary {
            println!("  data: a temporary directory, removed on exit (--data DIR keeps it)");
        } else {
            println!("  data: {}", self.dir.display());
        }
        println!();
        println!(
            "warroom listening on {url}   (API under {url}/api/v1, OpenAPI at {url}/api/v1/openapi.json)"
        );
        println!();
        println!("Logins (one-time passwords, shown only now):");
        println!("  {:<28} {:<26} agency", "username", "password");
        println!(
            "  {:<28} {:<26} Node operators (admin)",
            "admin", self.admin_password
        );
        for l in &self.logins {
            println!(
                "  {:<28} {:<26} {}",
                l.username,
                l.password,
                self.agency_name(l.agency)
            );
        }
        println!();
        println!("Three things to try:");
        if let Some((raw, agency, holders)) = self.shared_phone() {
            let token = self.token(agency);
            println!(
                "1. A number victims of {} wrote as {raw:?} is held by {holders} agencies. Look it up as that agency, in the writing its victims used:",
                self.agency_name(agency)
            );
            println!(
                "   curl -s -H 'Authorization: Bearer {token}' '{url}/api/v1/entities/lookup?kind=phone&value={}'",
                query_escape(&raw)
            );
            println!(
                "   (sightings you may read come per agency; AMBER holders you may not read show in held_by)"
            );
        }
        if let Some((method, n)) = self.picks.methods.iter().max_by_key(|(_, n)| **n) {
            let agency = self
                .logins
                .first()
                .map(|l| l.agency)
                .unwrap_or(AgencyId(Uuid::nil()));
            let token = self.token(agency);
            println!(
                "2. {n} reports name the method {method}. List the newest ones {} may read:",
                self.agency_name(agency)
            );
            println!(
                "   curl -s -H 'Authorization: Bearer {token}' '{url}/api/v1/reports?method={method}&limit=5'"
            );
        }
        if let Some((report, owner)) = self.picks.red {
            let other = self
                .logins
                .iter()
                .find(|l| l.agency.0 != owner)
                .map(|l| l.agency);
            if let Some(other) = other {
                let (mine, theirs) = (self.token(AgencyId(owner)), self.token(other));
                println!(
                    "3. A RED report of {}: its owner reads it, {} gets a 404 exactly like a report that does not exist:",
                    self.agency_name(AgencyId(owner)),
                    self.agency_name(other)
                );
                println!(
                    "   curl -s -H 'Authorization: Bearer {mine}' {url}/api/v1/reports/{report}"
                );
                println!(
                    "   curl -s -H 'Authorization: Bearer {theirs}' {url}/api/v1/reports/{report}"
                );
            }
        }
        println!();
        println!("Ctrl-C stops the demo.");
    }
}

/// Percent-encodes what a query value cannot carry as is.
fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
