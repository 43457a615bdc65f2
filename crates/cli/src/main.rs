//! `warroom`: the one binary. Each subcommand lives in its own module under `cmd/`.

mod cmd;
mod lines;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

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
    /// Show what warroom does, with no set-up.
    Demo,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Normalize(args) => cmd::normalize::run(args),
        Command::Extract(args) => cmd::extract::run(args),
        Command::Demo => cmd::demo::run(),
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
