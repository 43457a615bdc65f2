//! `cargo xtask <task>`: the project's automation, in Rust rather than scattered shell.
//!
//! - `test`: prepares the test-time Python environment (external oracles such as
//!   libphonenumber's Python port) and a throwaway PostgreSQL cluster, then runs formatting,
//!   lint and the whole test suite on SQLite, then the browser tests, then the integration
//!   suites again on PostgreSQL. This is the command README.md gives and `.ci/run` calls.
//! - `browser-test`: the web pages in headless Chromium against `warroom demo` (needs Debian's
//!   `chromium`; screenshots in `target/browser-screenshots/`).
//! - `pg`: starts a throwaway PostgreSQL cluster for running the suites by hand.
//! - `venv`: only prepares the Python environment.
//! - `bench-http [REPORTS] [--database URL]`: the HTTP lookup benchmark of BENCHMARKS.md
//!   (needs `wrk`), on SQLite or PostgreSQL.
//! - `map-data [--check]`: regenerates `crates/web/assets/countries.txt` from Natural Earth
//!   (`web/node_modules`, after `npm ci` in `web/`), or checks that it is up to date.

mod bench_http;
mod browser;
mod map_data;
mod pg;

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() -> Result<()> {
    let task = std::env::args().nth(1).unwrap_or_default();
    let root = workspace_root()?;
    match task.as_str() {
        "test" => test(&root),
        "venv" => venv(&root).map(|_| ()),
        "browser-test" => browser::run_tests(&root),
        "pg" => pg::serve(&root),
        "map-data" => map_data::run(&root, std::env::args().nth(2).as_deref() == Some("--check")),
        "bench-http" => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            let mut reports = 1_250_000;
            let mut database = None;
            let mut it = args.iter();
            while let Some(a) = it.next() {
                match a.as_str() {
                    "--database" => database = Some(it.next().context("--database URL")?.clone()),
                    n => reports = n.parse().context("REPORTS is a number")?,
                }
            }
            bench_http::run(&root, reports, database.as_deref())
        }
        _ => bail!(
            "usage: cargo xtask <test|venv|pg|browser-test|bench-http [REPORTS] [--database URL]|map-data [--check]>"
        ),
    }
}

fn workspace_root() -> Result<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.parent()
        .map(Path::to_path_buf)
        .context("xtask has no parent directory")
}

fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("xtask: running {cmd:?}");
    let status = cmd
        .status()
        .with_context(|| format!("cannot start {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

/// Creates `.venv` and installs `requirements-test.txt` into it, once per change of that file.
fn venv(root: &Path) -> Result<PathBuf> {
    let venv = root.join(".venv");
    let python = venv.join("bin/python");
    let requirements = root.join("requirements-test.txt");
    let wanted = std::fs::read_to_string(&requirements).context("reading requirements-test.txt")?;
    let stamp = venv.join("requirements.stamp");
    if python.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(python);
    }
    if !python.exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements))?;
    std::fs::write(&stamp, wanted).context("writing the venv stamp")?;
    Ok(python)
}

fn test(root: &Path) -> Result<()> {
    browser::preflight();
    let python = venv(root)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run(Command::new(&cargo)
        .current_dir(root)
        .args(["fmt", "--all", "--", "--check"]))?;
    run(Command::new(&cargo).current_dir(root).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    let cluster = pg::start(root)?;
    let url = cluster.url();
    run(Command::new(&cargo)
        .current_dir(root)
        .env("WARROOM_PYTHON", &python)
        .env("WARROOM_TEST_POSTGRES", &url)
        .args(["test", "--workspace", "--all-targets"]))?;
    // Doc tests are not covered by --all-targets.
    run(Command::new(&cargo)
        .current_dir(root)
        .args(["test", "--workspace", "--doc"]))?;
    // The pages in a real browser, against the demo (SQLite), before the PostgreSQL round.
    browser::run_tests(root)?;
    // The committed map data is what the pinned world-atlas gives (npm ci ran for the browser).
    map_data::run(root, true)?;
    // The Node suites again with PostgreSQL under the node: API story, bad input, policy
    // property test, OpenAPI (crates/server/tests) and the kill -9 test (crates/cli/tests).
    // The store conformance story already ran on both above (each backend's own tests).
    run(Command::new(&cargo)
        .current_dir(root)
        .env("WARROOM_PYTHON", &python)
        .env("WARROOM_TEST_POSTGRES", &url)
        .env("WARROOM_TEST_BACKEND", "postgres")
        // The property test checked 10,000 readers on SQLite above; here it checks the
        // PostgreSQL store under the same oracle with fewer, keeping CI inside its budget.
        .env("WARROOM_POLICY_CASES", "3000")
        // `--workspace` with target filters, not `-p`: the same feature set as the round
        // above, so nothing is compiled again (`-p` cost CI four minutes of rebuilding).
        .args([
            "test",
            "--workspace",
            "--test",
            "integration",
            "--test",
            "crash",
            "--test",
            "processes",
        ]))?;
    drop(cluster);
    Ok(())
}
