//! `cargo xtask bench-http [REPORTS] [--database URL]`: identifier lookups over HTTP with
//! keep-alive, measured with `wrk` on loopback against a store of REPORTS generated reports
//! (default 1,250,000: 10M sightings), beside an empty axum handler under the same load in the
//! same run (this machine's ceiling). The store is a SQLite data directory under
//! `target/bench-http` (kept between runs), or the given PostgreSQL database, which must be
//! empty: the reports are ingested into it first. Needs `wrk` (Debian package `wrk`).

use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

const WRK_ARGS: [&str; 6] = ["-t2", "-c32", "-d20s", "--latency", "--timeout", "5s"];

/// Picks a random generated report's phone, written as `warroom bench ingest` writes it, so
/// that every request is a real lookup of a real number in national format.
const LOOKUP_LUA: &str = r#"
local reports = tonumber(os.getenv("WARROOM_BENCH_REPORTS"))
local token = os.getenv("WARROOM_BENCH_TOKEN")
-- With WARROOM_BENCH_HUBS=0, skip the shared numbers (about one lookup in five in the generated
-- world hits one of 200 numbers each held by ~1,250 reports).
local hubs = os.getenv("WARROOM_BENCH_HUBS") ~= "0"
-- WARROOM_BENCH_RISK=none|score asks for a leaner answer (the risk score is explained by default).
local risk = os.getenv("WARROOM_BENCH_RISK") or ""
local suffix = ""
if risk ~= "" then suffix = "&risk=" .. risk end
math.randomseed(os.time())
request = function()
  local i = math.random(0, reports - 1)
  local n = i * 7 + 1
  if n % 5 == 0 then
    if hubs then n = n % 1000 else n = n + 7 end
  end
  local p = n % 90000000
  local v = string.format("08%d%%20%03d%%20%04d", 1 + p % 9, math.floor(p / 10000) % 1000, p % 10000)
  return wrk.format("GET", "/api/v1/entities/lookup?kind=phone&value=" .. v .. suffix, { ["Authorization"] = "Bearer " .. token })
end
"#;

pub fn run(root: &Path, reports: usize, database: Option<&str>) -> Result<()> {
    crate::run(Command::new("cargo").current_dir(root).args([
        "build",
        "--release",
        "-p",
        "warroom-cli",
    ]))?;
    let bin = root.join("target/release/warroom");
    let work = root.join("target/bench-http");
    let data = work.join(format!("data-{reports}"));
    let store: Vec<&str> = match database {
        Some(url) => vec!["--database", url],
        None => vec!["--data", data.to_str().context("non-UTF-8 path")?],
    };
    let warroom = |args: &[&str]| -> Result<String> {
        let out = Command::new(&bin)
            .args(args)
            .output()
            .with_context(|| format!("warroom {args:?}"))?;
        if !out.status.success() {
            bail!("warroom {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    if database.is_some() || !data.exists() {
        std::fs::create_dir_all(&work)?;
        warroom(
            &[
                &["admin"][..],
                &store,
                &[
                    "agency",
                    "add",
                    "--name",
                    "Bench",
                    "--country",
                    "TH",
                    "--kind",
                    "police",
                ],
            ]
            .concat(),
        )?;
        warroom(
            &[
                &["admin"][..],
                &store,
                &[
                    "user",
                    "add",
                    "--agency",
                    "Bench",
                    "--username",
                    "bench",
                    "--role",
                    "analyst",
                ],
            ]
            .concat(),
        )?;
        eprintln!("xtask: ingesting {reports} reports");
        let out = warroom(
            &[
                &["bench", "ingest"][..],
                &store,
                &[
                    "--as",
                    "bench",
                    "--reports",
                    &reports.to_string(),
                    "--no-baseline",
                ],
            ]
            .concat(),
        )?;
        print!("{out}");
    }
    let token = warroom(
        &[
            &["admin"][..],
            &store,
            &["token", "create", "--user", "bench", "--name", "wrk"],
        ]
        .concat(),
    )?
    .lines()
    .find_map(|l| l.strip_prefix("secret: "))
    .and_then(|l| l.split_whitespace().next())
    .map(str::to_owned)
    .context("no token secret printed")?;
    let lua = work.join("lookup.lua");
    std::fs::write(&lua, LOOKUP_LUA)?;

    let (server, addr) = spawn(
        &bin,
        &[
            &["serve"][..],
            &store,
            &["--listen", "127.0.0.1:0", "--rate-per-token", "0"],
        ]
        .concat(),
    )?;
    let server = Guard(server);
    // Lookups are answered from the identifier index once it is rebuilt: wait for it.
    let started = std::time::Instant::now();
    loop {
        let out = Command::new("curl")
            .args(["-s", "-H", &format!("Authorization: Bearer {token}")])
            .arg(format!("http://{addr}/api/v1/index"))
            .output()
            .context("cannot run curl")?;
        if String::from_utf8_lossy(&out.stdout).contains("\"ready\"") {
            break;
        }
        if started.elapsed() > std::time::Duration::from_secs(1800) {
            bail!("the index was not ready after 30 minutes");
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    println!(
        "== identifier and full-text indexes rebuilt in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let wrk = |hubs: &str, risk: &str| -> Result<String> {
        let out = Command::new("wrk")
            .args(WRK_ARGS)
            .args(["-s", lua.to_str().context("path")?])
            .arg(format!("http://{addr}/"))
            .env("WARROOM_BENCH_REPORTS", reports.to_string())
            .env("WARROOM_BENCH_TOKEN", &token)
            .env("WARROOM_BENCH_HUBS", hubs)
            .env("WARROOM_BENCH_RISK", risk)
            .output()
            .context("cannot run wrk (apt-get install wrk)")?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let without_hubs = wrk("0", "")?;
    let with_hubs = wrk("1", "")?;
    let lean = wrk("0", "none")?;
    let rss = peak_rss_kib(server.0.id());
    drop(server);
    let (empty, empty_addr) = spawn(&bin, &["bench", "empty-server", "--listen", "127.0.0.1:0"])?;
    let empty = Guard(empty);
    let ceiling = Command::new("wrk")
        .args(WRK_ARGS)
        .arg(format!("http://{empty_addr}/"))
        .output()?;
    drop(empty);
    println!(
        "== lookups of numbers held by few reports, on {reports} reports (server peak RSS {} MiB)\n{without_hubs}",
        rss / 1024
    );
    println!(
        "== lookups with one in five of 200 shared numbers (~1,250 reports each)\n{with_hubs}"
    );
    println!("== lookups without the risk score (risk=none), numbers held by few reports\n{lean}");
    println!(
        "== empty axum handler, same load\n{}",
        String::from_utf8_lossy(&ceiling.stdout)
    );
    Ok(())
}

struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a warroom process and waits for the `http://ADDR` it prints.
fn spawn(bin: &Path, args: &[&str]) -> Result<(Child, String)> {
    let mut child = Command::new(bin)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().context("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let Some(line) = lines.next() else {
            bail!("warroom {args:?} exited before listening")
        };
        let line = line?;
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.trim().trim_end_matches('/').to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Ok((child, addr))
}

fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
