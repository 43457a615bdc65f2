//! `warroom admin migrate-store --from DIR --to URL`: moves a node from its embedded SQLite
//! store to an empty PostgreSQL database with nothing lost and the audit chain intact.
//!
//! Normal writes would append an audit event each and so grow a different chain; the copy
//! goes through `Store::restore` instead, which writes records and audit events verbatim.
//! Order: accounts (agencies, groups, users, tokens, sessions: each needs the ones before),
//! then reports oldest first (so listing order and cursors carry over; the copy numbers its
//! change log afresh, one rev per report in that order), then the audit chain, then the
//! warninglist and analysts' marks (which depend on nothing).
//! The source chain is verified before anything is copied, and afterwards the target must
//! hold the same counts and verify to the same head hash.
//!
//! The source is only read. Stop its server first: a change made while the copy runs is
//! detected at the end, and the migration then fails rather than leave a copy that differs.

use crate::cmd::store::redact_url;
use anyhow::{Context as _, bail};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::time::Instant;
use warroom_domain::ReportId;
use warroom_store::audit::{Verification, verify};
use warroom_store::{AuditFilter, ReportFilter, Restore, Store};
use warroom_store_postgres::PgStore;
use warroom_store_sqlite::{DB_FILE, SqliteStore};

/// Reports per restore call (one transaction): large enough that the bulk paths pay off,
/// small enough to keep a batch's versions in memory without thinking about it.
const REPORT_BATCH: usize = 1_000;
/// Audit events per page read and per restore call.
const AUDIT_PAGE: usize = 10_000;
/// Accounts of one kind per restore call.
const ACCOUNT_BATCH: usize = 1_000;
/// Reports per listing page while collecting the source's order.
const LIST_PAGE: usize = 1_000;

/// Added to every error once the target holds part of a copy, so the operator knows why a
/// second attempt will be refused as "not empty".
const PARTIAL: &str = "the target now holds a partial copy: empty it (or use a fresh schema) \
                       before migrating again";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The data directory of the embedded store to copy; it is only read.
    #[arg(long, value_name = "DIR")]
    from: PathBuf,
    /// The PostgreSQL URL of an empty database (or schema, with `options=-csearch_path=...`);
    /// its tables are created if missing.
    #[arg(long, value_name = "URL")]
    to: String,
}

/// What was copied, for the summary line.
#[derive(Debug, Default)]
struct Copied {
    agencies: usize,
    groups: usize,
    users: usize,
    tokens: usize,
    sessions: usize,
    reports: u64,
    versions: u64,
    events: u64,
    warnings: usize,
    marks: usize,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let started = Instant::now();
    // SqliteStore::open would create an empty store in a directory without one, and an empty
    // source would "migrate" into an empty target without complaint.
    if !args.from.join(DB_FILE).is_file() {
        bail!(
            "{} holds no warroom store (no {DB_FILE}): nothing to migrate",
            args.from.display()
        );
    }
    let source = SqliteStore::open(&args.from)
        .with_context(|| format!("cannot open the data directory {}", args.from.display()))?;
    let target_name = redact_url(&args.to);
    let target = PgStore::connect(&args.to)
        .with_context(|| format!("cannot open the database {target_name}"))?;
    refuse_unless_empty(&target, &target_name)?;

    let chain = verify_chain(&source, "checking the source's audit chain")?;
    if let Some(b) = &chain.first_break {
        bail!(
            "the source's audit chain is broken after {} good events: {b}; nothing was copied",
            chain.events
        );
    }

    let mut copied = copy_accounts(&source, &target).context(PARTIAL)?;
    copy_reports(&source, &target, &mut copied).context(PARTIAL)?;
    copied.events = copy_audit(&source, &target, chain.events).context(PARTIAL)?;
    copy_correlation(&source, &target, &mut copied).context(PARTIAL)?;
    check(&source, &target, &chain).context(PARTIAL)?;

    println!(
        "migrated {} to {target_name} in {:.1}s: {} agencies, {} groups, {} users, {} tokens, \
         {} sessions, {} reports ({} versions), {} sightings, {} audit events, {} warninglist \
         entries, {} marks; audit head {}",
        args.from.display(),
        started.elapsed().as_secs_f64(),
        copied.agencies,
        copied.groups,
        copied.users,
        copied.tokens,
        copied.sessions,
        copied.reports,
        copied.versions,
        target.sighting_count()?,
        copied.events,
        copied.warnings,
        copied.marks,
        hex::encode(chain.head),
    );
    Ok(())
}

/// A bar for one phase on stderr, hidden when stderr is not a terminal (logs, pipes, tests).
fn bar(len: u64, phase: &'static str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg:<16} {bar:40} {pos}/{len} {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(phase);
    bar
}

/// Copying into a store that already holds data would interleave two nodes' records and
/// fork the audit chain (restore would refuse the chain anyway, but only after the rest).
fn refuse_unless_empty(target: &dyn Store, name: &str) -> anyhow::Result<()> {
    let users = target.user_count()?;
    let reports = target.report_count()?;
    let events = target
        .audit_events(&AuditFilter {
            agency: None,
            after: 0,
            limit: 1,
        })?
        .len();
    let mut held = Vec::new();
    if users > 0 {
        held.push(format!("{users} users"));
    }
    if reports > 0 {
        held.push(format!("{reports} reports"));
    }
    if events > 0 {
        held.push("audit events".to_owned());
    }
    let warnings = target.warninglist()?.len();
    if warnings > 0 {
        held.push(format!("{warnings} warninglist entries"));
    }
    let marks = target.marks()?.len();
    if marks > 0 {
        held.push(format!("{marks} marks"));
    }
    if !held.is_empty() {
        bail!(
            "the target {name} is not empty (it holds {}): migrate-store copies into an empty \
             database only",
            held.join(", ")
        );
    }
    Ok(())
}

/// Walks a chain with a spinner (its length is known only at the end), as `audit verify` does.
fn verify_chain(store: &dyn Store, phase: &'static str) -> anyhow::Result<Verification> {
    let spinner = if std::io::stderr().is_terminal() {
        let s = ProgressBar::new_spinner();
        s.set_style(
            ProgressStyle::with_template("{msg} {spinner} {pos} events ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        s.set_message(phase);
        s
    } else {
        ProgressBar::hidden()
    };
    let v = verify(store, AUDIT_PAGE, |n| spinner.set_position(n))?;
    spinner.finish_and_clear();
    Ok(v)
}

/// Restores `items` in batches of `size`, moving `bar` along.
fn in_batches<T>(
    items: &[T],
    size: usize,
    bar: &ProgressBar,
    restore: impl Fn(&[T]) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    for chunk in items.chunks(size) {
        restore(chunk)?;
        bar.inc(chunk.len() as u64);
    }
    Ok(())
}

fn copy_accounts(source: &dyn Store, target: &dyn Store) -> anyhow::Result<Copied> {
    let agencies = source.agencies()?;
    let groups = source.groups()?;
    let users = source.users(None)?;
    let tokens = source.tokens(None)?;
    let sessions = source.sessions()?;
    let total = agencies.len() + groups.len() + users.len() + tokens.len() + sessions.len();
    let b = bar(total as u64, "accounts");
    in_batches(&agencies, ACCOUNT_BATCH, &b, |c| {
        target
            .restore(&Restore::Agencies(c))
            .context("copying agencies")
    })?;
    in_batches(&groups, ACCOUNT_BATCH, &b, |c| {
        target
            .restore(&Restore::Groups(c))
            .context("copying sharing groups")
    })?;
    in_batches(&users, ACCOUNT_BATCH, &b, |c| {
        target.restore(&Restore::Users(c)).context("copying users")
    })?;
    in_batches(&tokens, ACCOUNT_BATCH, &b, |c| {
        target
            .restore(&Restore::Tokens(c))
            .context("copying API tokens")
    })?;
    in_batches(&sessions, ACCOUNT_BATCH, &b, |c| {
        target
            .restore(&Restore::Sessions(c))
            .context("copying sessions")
    })?;
    b.finish_and_clear();
    Ok(Copied {
        agencies: agencies.len(),
        groups: groups.len(),
        users: users.len(),
        tokens: tokens.len(),
        sessions: sessions.len(),
        ..Copied::default()
    })
}

/// Every report id, oldest first: the listing (newest first, retracted ones included) read
/// to its end and reversed. Only ids are kept, 16 bytes a report.
fn report_order(source: &dyn Store) -> anyhow::Result<Vec<ReportId>> {
    let filter = ReportFilter {
        include_retracted: true,
        ..ReportFilter::default()
    };
    let b = bar(source.report_count()?, "listing reports");
    let mut ids = Vec::new();
    let mut cursor = None;
    loop {
        let page = source
            .list_reports(&filter, cursor, LIST_PAGE)
            .context("listing the source's reports")?;
        let Some(last) = page.last() else { break };
        cursor = Some(last.seq);
        ids.extend(page.iter().map(|l| l.report.id));
        b.inc(page.len() as u64);
    }
    b.finish_and_clear();
    ids.reverse();
    Ok(ids)
}

/// Reports in batches: while the target commits one batch, a second thread reads the next
/// from the source, so the two databases work side by side.
fn copy_reports(source: &dyn Store, target: &dyn Store, copied: &mut Copied) -> anyhow::Result<()> {
    let ids = report_order(source)?;
    let b = bar(ids.len() as u64, "reports");
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let reader = s.spawn(move || -> anyhow::Result<()> {
            for chunk in ids.chunks(REPORT_BATCH) {
                let mut batch = Vec::with_capacity(chunk.len());
                for id in chunk {
                    let versions = source.report_versions(*id)?;
                    if versions.is_empty() {
                        bail!(
                            "report {} vanished from the source during the migration",
                            id.0
                        );
                    }
                    batch.push(versions);
                }
                if tx.send(batch).is_err() {
                    // The writer stopped on an error of its own, which it reports.
                    break;
                }
            }
            Ok(())
        });
        let written = (|| -> anyhow::Result<()> {
            for batch in rx {
                target
                    .restore(&Restore::Reports(&batch))
                    .context("copying reports")?;
                copied.reports += batch.len() as u64;
                copied.versions += batch.iter().map(|h| h.len() as u64).sum::<u64>();
                b.inc(batch.len() as u64);
            }
            Ok(())
        })();
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the source reader thread panicked")));
        b.finish_and_clear();
        // The writer's error first: when it stops, the reader stops too, without an error.
        written.and(read.context("reading the source's reports"))
    })
}

/// The chain's first `events` events (those the source verification covered), page by page.
fn copy_audit(source: &dyn Store, target: &dyn Store, events: u64) -> anyhow::Result<u64> {
    let b = bar(events, "audit events");
    let mut after = 0u64;
    while after < events {
        let limit = usize::try_from(events - after)
            .unwrap_or(usize::MAX)
            .min(AUDIT_PAGE);
        let page = source.audit_events(&AuditFilter {
            agency: None,
            after,
            limit,
        })?;
        let Some(last) = page.last() else {
            bail!("audit events after {after} vanished from the source during the migration");
        };
        after = last.seq;
        target
            .restore(&Restore::Audit(&page))
            .context("copying audit events")?;
        b.inc(page.len() as u64);
    }
    b.finish_and_clear();
    Ok(after)
}

/// The warninglist (removed entries included) and the marks, in batches.
fn copy_correlation(
    source: &dyn Store,
    target: &dyn Store,
    copied: &mut Copied,
) -> anyhow::Result<()> {
    let warnings = source.warninglist()?;
    let marks = source.marks()?;
    let b = bar((warnings.len() + marks.len()) as u64, "warnings, marks");
    in_batches(&warnings, ACCOUNT_BATCH, &b, |c| {
        target
            .restore(&Restore::Warnings(c))
            .context("copying the warninglist")
    })?;
    in_batches(&marks, ACCOUNT_BATCH, &b, |c| {
        target
            .restore(&Restore::Marks(c))
            .context("copying analysts' marks")
    })?;
    b.finish_and_clear();
    copied.warnings = warnings.len();
    copied.marks = marks.len();
    Ok(())
}

/// The target against the source: the same counts, and a chain that verifies to the same
/// head. And the source must not have moved on since it was verified.
fn check(source: &dyn Store, target: &dyn Store, chain: &Verification) -> anyhow::Result<()> {
    let changed = "the source changed during the migration (stop its server first)";
    let later = source.audit_events(&AuditFilter {
        agency: None,
        after: chain.events,
        limit: 1,
    })?;
    if !later.is_empty() {
        bail!(
            "{changed}: it has audit events after event {}",
            chain.events
        );
    }
    let counts = [
        (
            "agencies",
            source.agencies()?.len() as u64,
            target.agencies()?.len() as u64,
        ),
        (
            "groups",
            source.groups()?.len() as u64,
            target.groups()?.len() as u64,
        ),
        ("users", source.user_count()?, target.user_count()?),
        (
            "tokens",
            source.tokens(None)?.len() as u64,
            target.tokens(None)?.len() as u64,
        ),
        (
            "sessions",
            source.sessions()?.len() as u64,
            target.sessions()?.len() as u64,
        ),
        ("reports", source.report_count()?, target.report_count()?),
        (
            "sightings",
            source.sighting_count()?,
            target.sighting_count()?,
        ),
        (
            "warninglist entries",
            source.warninglist()?.len() as u64,
            target.warninglist()?.len() as u64,
        ),
        (
            "marks",
            source.marks()?.len() as u64,
            target.marks()?.len() as u64,
        ),
    ];
    for (what, s, t) in counts {
        if s != t {
            bail!("the copy differs from the source: {t} {what} in the target, {s} in the source");
        }
    }
    let copy = verify_chain(target, "verifying the copy")?;
    if let Some(b) = copy.first_break {
        bail!("the copied audit chain does not verify: {b}");
    }
    if (copy.events, copy.head) != (chain.events, chain.head) {
        bail!(
            "the copied audit chain differs: {} events with head {}, the source has {} with \
             head {}",
            copy.events,
            hex::encode(copy.head),
            chain.events,
            hex::encode(chain.head)
        );
    }
    Ok(())
}
