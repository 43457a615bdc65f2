//! `warroom`: the one binary. Each subcommand lives in its own module under `cmd/`.

mod cmd;
mod lines;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc instead of glibc's allocator: the identifier index copies and frees many small
/// tiles on every write (copy-on-write snapshots) and ingest allocates per identifier; glibc's
/// free-list consolidation showed up as the slow tail of the index's catch-up (see
/// BENCHMARKS.md, "Allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "warroom",
    version,
    about = "Federated intelligence sharing against scam call-centre syndicates"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Normalise identifiers, one per line, to canonical form (NDJSON out).
    Normalize(cmd::normalize::Args),
    /// Find every identifier inside free text, one text per line (NDJSON out).
    Extract(cmd::extract::Args),
    /// Generate a synthetic war room, load it and serve it, with logins to try.
    Demo(cmd::demo::Args),
    /// Write the synthetic demo world (reports by agency, ground truth) to a directory.
    Generate(cmd::generate::Args),
    /// Serve the JSON API (and later the web pages) over a data directory.
    Serve(cmd::serve::Args),
    /// Manage agencies, users, tokens and sharing groups from the shell.
    Admin(cmd::admin::Args),
    /// Submit NDJSON reports from a file, as a user, with a progress bar.
    Import(cmd::import::Args),
    /// Check the audit log's hash chain.
    Audit(cmd::audit::Args),
    /// Measure ingest and HTTP against this machine's ceiling (see BENCHMARKS.md).
    Bench(cmd::bench::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Normalize(args) => cmd::normalize::run(args),
        Command::Extract(args) => cmd::extract::run(args),
        Command::Demo(args) => cmd::demo::run(args),
        Command::Generate(args) => cmd::generate::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Admin(args) => cmd::admin::run(args),
        Command::Import(args) => cmd::import::run(args),
        Command::Audit(args) => cmd::audit::run(args),
        Command::Bench(args) => cmd::bench::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line on stderr: the error and its causes, joined.
            eprintln!("warroom: {e:#}");
            ExitCode::FAILURE
        }
    }
}
