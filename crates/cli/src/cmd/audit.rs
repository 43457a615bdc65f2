//! `warroom audit verify`: walks the hash chain and names the first broken link.

use super::store::StoreArgs;
use anyhow::bail;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal as _;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Checks every event's link and content; exits 1 at the first break.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let What::Verify { store } = args.what;
    let store = store.open()?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} events checked ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar
    });
    let result = warroom_store::audit::verify(store.as_ref(), 10_000, |n| {
        if let Some(b) = &bar {
            b.set_position(n);
        }
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    match result.first_break {
        None => {
            println!(
                "audit chain intact: {} events, head {}",
                result.events,
                hex::encode(result.head)
            );
            Ok(())
        }
        Some(b) => bail!(
            "audit chain broken after {} good events: {b}",
            result.events
        ),
    }
}
