//! `warroom generate --seed S --scale N --out DIR`: the synthetic demo world (agencies, reports
//! by agency as NDJSON, ground truth, manifest), reproducible from the seed, with a progress
//! bar.

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::time::Instant;
use warroom_worldgen::{Config, generate};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The seed: the same seed and scale give the same files, byte for byte.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The number of reports (about five identifier sightings each).
    #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u64).range(1..))]
    scale: u64,
    /// The directory to write (created if missing; files of the same names are replaced).
    #[arg(long)]
    out: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let config = Config {
        seed: args.seed,
        scale: args.scale,
    };
    let bar = ProgressBar::new(args.scale);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {elapsed_precise} [{bar:40}] {pos}/{len} reports ({per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let started = Instant::now();
    let manifest = generate(&config, &args.out, &|n| bar.set_position(n))
        .with_context(|| format!("cannot generate the world into {}", args.out.display()))?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "generated {} reports with {} identifier sightings ({} distinct identifiers, {} people) \
         from {} agencies into {}: {:.1} MB in {:.1} s ({:.0} reports/s)",
        manifest.reports,
        manifest.identifier_sightings,
        manifest.distinct_identifiers,
        manifest.people,
        manifest.agencies.len(),
        args.out.display(),
        manifest.bytes as f64 / 1e6,
        secs,
        manifest.reports as f64 / secs.max(1e-9),
    );
    Ok(())
}
