//! `cargo xtask browser-test`: the web pages in headless Chromium, against a real `warroom
//! demo` process.
//!
//! The tests are `web/tests/*.test.mjs`, run by Node's own test runner and driven by
//! `playwright-core` (pinned in `web/package-lock.json`), which never downloads a browser: it
//! starts Debian's `/usr/bin/chromium` (`.ci/run` installs it, with Thai fonts for the Thai
//! pages' screenshots). Each test leaves a full-page screenshot in `target/browser-screenshots/`.
//! A missing Chromium fails the step: a browser suite that skips itself tests nothing.

use crate::run;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

pub fn run_tests(root: &Path) -> Result<()> {
    preflight();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run(Command::new(&cargo)
        .current_dir(root)
        // The whole workspace's feature set: after `cargo test --workspace` this is the
        // binary already built, where `-p warroom-cli` would compile it again.
        .args(["build", "--workspace", "--bins"]))?;
    let web = root.join("web");
    if needs_npm_ci(&web) {
        run(Command::new("npm")
            .current_dir(&web)
            .args(["ci", "--no-audit", "--no-fund"]))?;
    }
    let target = target_dir(root);
    let screenshots = target.join("browser-screenshots");
    let started = std::time::Instant::now();
    let outcome = run(Command::new("node")
        .current_dir(root)
        .env("WARROOM_BIN", target.join("debug").join("warroom"))
        .env("WARROOM_CHROMIUM", CHROMIUM)
        .env("WARROOM_SCREENSHOTS", &screenshots)
        .args(["--test", "--test-concurrency=1", "web/tests/"]));
    eprintln!(
        "xtask: browser tests took {:.0} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        screenshots.display()
    );
    outcome
}

/// Exits with one line when Chromium is missing (whatever RUST_BACKTRACE says; anyhow would
/// add a backtrace). `cargo xtask test` asks first, before it starts anything that needs
/// stopping, so that it does not find out after the whole suite.
pub fn preflight() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!(
            "xtask: {CHROMIUM} not found: the browser tests need Debian's chromium (apt-get install chromium fonts-thai-tlwg; .ci/run does)"
        );
        std::process::exit(1);
    }
}

/// `npm ci` is due when `web/node_modules` is missing or older than `package-lock.json`
/// (npm rewrites `node_modules/.package-lock.json` on every install).
fn needs_npm_ci(web: &Path) -> bool {
    let modified = |p: PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (
        modified(web.join("node_modules/.package-lock.json")),
        modified(web.join("package-lock.json")),
    ) {
        (Some(installed), Some(lock)) => installed < lock,
        _ => true,
    }
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| if t.is_absolute() { t } else { root.join(t) })
        .unwrap_or_else(|| root.join("target"))
}
