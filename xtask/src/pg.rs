//! A throwaway PostgreSQL cluster for tests: `initdb` into `target/pg-test/<name>` (under the
//! system's temp directory when run as root), `pg_ctl start` on 127.0.0.1 and a free port
//! (the Unix socket inside the cluster directory), stopped and deleted when the [`PgCluster`]
//! is dropped.
//!
//! PostgreSQL refuses to run as root, so under uid 0 the cluster directory is given to the
//! `postgres` user and `initdb`/`pg_ctl` run through `runuser -u postgres --`. The cluster
//! trades durability for speed (`fsync=off`): it holds test data only.

use anyhow::{Context, Result, bail};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The user the cluster's superuser role is named after (`initdb -U`).
const SUPERUSER: &str = "warroom";
/// The OS user that runs the server when we are root.
const OS_USER: &str = "postgres";
/// How long the server may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running cluster; dropping it stops the server and deletes its directory.
#[derive(Debug)]
pub struct PgCluster {
    dir: PathBuf,
    pg_ctl: PathBuf,
    as_root: bool,
    port: u16,
}

impl PgCluster {
    /// `postgres://warroom@127.0.0.1:PORT/postgres`.
    pub fn url(&self) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/postgres", self.port)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let mut stop = pg_command(&self.pg_ctl, self.as_root);
        stop.arg("stop")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "-s"]);
        if let Err(e) = quiet(&mut stop) {
            eprintln!("xtask pg: stopping the test cluster failed: {e:#}");
            return;
        }
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            eprintln!("xtask pg: cannot remove {}: {e}", self.dir.display());
        }
    }
}

/// Creates and starts a cluster under `root/target/pg-test/` (`$TMPDIR/warroom-pg-test/` as root).
pub fn start(root: &Path) -> Result<PgCluster> {
    let bin = binaries()?;
    let as_root = effective_uid()? == 0;
    // Run as root, the cluster belongs to `postgres`, which may not be able to traverse the
    // checkout's path (a clone under /root): then it lives under the system's temp directory.
    let base = if as_root {
        std::env::temp_dir().join("warroom-pg-test")
    } else {
        root.join("target/pg-test")
    };
    std::fs::create_dir_all(&base).with_context(|| format!("creating {}", base.display()))?;
    remove_stale(&base);
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let dir = base.join(format!("{}-{stamp}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    if as_root {
        quiet(Command::new("chown").args(["-R", OS_USER]).arg(&dir))
            .with_context(|| format!("giving {} to the `{OS_USER}` user", dir.display()))?;
    }
    let data = dir.join("data");
    let mut initdb = pg_command(&bin.initdb, as_root);
    initdb.arg("-D").arg(&data).args([
        "-U",
        SUPERUSER,
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C",
        "-N",
    ]);
    quiet(&mut initdb).context("initdb failed")?;

    // The port is free when we look; another process may take it before the server binds, so
    // a failed start is retried on another port.
    let mut last_error = None;
    for _ in 0..5 {
        let port = free_port()?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=300 \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            dir.display()
        );
        let mut start = pg_command(&bin.pg_ctl, as_root);
        start
            .arg("start")
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("server.log"))
            .args(["-w", "-s", "-t", "60", "-o"])
            .arg(&options);
        match quiet(&mut start).and_then(|()| wait_for(port)) {
            Ok(()) => {
                return Ok(PgCluster {
                    dir,
                    pg_ctl: bin.pg_ctl,
                    as_root,
                    port,
                });
            }
            Err(e) => {
                // Not started, or not answering: make sure it is stopped, keep the log.
                let mut stop = pg_command(&bin.pg_ctl, as_root);
                stop.arg("stop")
                    .arg("-D")
                    .arg(&data)
                    .args(["-m", "immediate", "-s"]);
                let _ = quiet(&mut stop);
                last_error = Some(e);
            }
        }
    }
    let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
    Err(last_error
        .unwrap_or_else(|| anyhow::anyhow!("no attempt was made"))
        .context(format!(
            "the test PostgreSQL did not start; its log ({}):\n{log}",
            dir.join("server.log").display()
        )))
}

/// `cargo xtask pg`: starts a cluster, prints its URL, and keeps it until Ctrl-C.
pub fn serve(root: &Path) -> Result<()> {
    let cluster = start(root)?;
    let (tx, rx) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .context("installing the Ctrl-C handler")?;
    println!("WARROOM_TEST_POSTGRES={}", cluster.url());
    eprintln!(
        "xtask pg: a throwaway PostgreSQL (fsync off) is running in {}; Ctrl-C stops and \
         deletes it",
        cluster.dir.display()
    );
    let _ = rx.recv();
    eprintln!("xtask pg: stopping");
    drop(cluster);
    Ok(())
}

struct Binaries {
    initdb: PathBuf,
    pg_ctl: PathBuf,
}

/// `initdb` and `pg_ctl` from PATH, else from the newest `/usr/lib/postgresql/*/bin`.
fn binaries() -> Result<Binaries> {
    let on_path = |name: &str| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(name))
                .find(|p| p.is_file())
        })
    };
    if let (Some(initdb), Some(pg_ctl)) = (on_path("initdb"), on_path("pg_ctl")) {
        return Ok(Binaries { initdb, pg_ctl });
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file()).then_some((v, bin))
        })
        .collect();
    versions.sort();
    match versions.pop() {
        Some((_, bin)) => Ok(Binaries {
            initdb: bin.join("initdb"),
            pg_ctl: bin.join("pg_ctl"),
        }),
        None => bail!(
            "the PostgreSQL server programs (initdb, pg_ctl) are neither on PATH nor in \
             /usr/lib/postgresql/*/bin: install the Debian package `postgresql` \
             (apt-get install postgresql)"
        ),
    }
}

/// The effective uid, from /proc (no unsafe `geteuid` here), else `id -u`.
fn effective_uid() -> Result<u32> {
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(uid) = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    {
        return Ok(uid);
    }
    let out = Command::new("id")
        .arg("-u")
        .output()
        .context("running id -u")?;
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .context("reading the output of id -u")
}

/// `program`, run as the `postgres` user when we are root.
fn pg_command(program: &Path, as_root: bool) -> Command {
    if as_root {
        let mut c = Command::new("runuser");
        c.args(["-u", OS_USER, "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

/// Runs `cmd`; on failure the error carries its output.
fn quiet(cmd: &mut Command) -> Result<()> {
    let out = cmd
        .output()
        .with_context(|| format!("cannot start {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed with {}:\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("looking for a free port")?;
    Ok(listener.local_addr()?.port())
}

/// Waits until the server accepts TCP connections on `port`.
fn wait_for(port: u16) -> Result<()> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let start = Instant::now();
    while start.elapsed() < START_TIMEOUT {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bail!("the server did not accept connections on port {port} within {START_TIMEOUT:?}")
}

/// Deletes clusters left by runs that died without stopping theirs: a directory whose
/// `postmaster.pid` is gone, or names a process that no longer runs.
fn remove_stale(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for e in entries.flatten() {
        let dir = e.path();
        let pid_file = dir.join("data/postmaster.pid");
        let running = std::fs::read_to_string(&pid_file)
            .ok()
            .and_then(|s| s.lines().next().map(str::trim).map(str::to_owned))
            .is_some_and(|pid| Path::new("/proc").join(pid).exists());
        // A directory being set up right now has no data yet: leave ones younger than a minute.
        let young = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_none_or(|age| age < Duration::from_secs(60));
        if !running && !young {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}
