//! The real `warroom` binary as the suites run it: commands that must succeed, and servers
//! started on a free loopback port and killed when dropped.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `bin <command...> <store> <rest>` and returns its stdout; panics with its stderr if
/// it fails.
pub fn run_ok(bin: &str, command: &[&str], store: &[String], rest: &[&str]) -> String {
    let out = Command::new(bin)
        .args(command)
        .args(store)
        .args(rest)
        .output()
        .expect("run warroom");
    assert!(
        out.status.success(),
        "warroom {command:?} {rest:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Makes, through `bin admin`, a Thai police agency "CCIB", an analyst `username` in it and an
/// API token for them; returns the token's secret.
pub fn analyst_with_token(bin: &str, store: &[String], username: &str) -> String {
    let admin = |rest: &[&str]| run_ok(bin, &["admin"], store, rest);
    admin(&[
        "agency",
        "add",
        "--name",
        "CCIB",
        "--country",
        "TH",
        "--kind",
        "police",
    ]);
    admin(&[
        "user",
        "add",
        "--agency",
        "CCIB",
        "--username",
        username,
        "--role",
        "analyst",
    ]);
    token_secret(&admin(&[
        "token", "create", "--user", username, "--name", "test",
    ]))
}

/// The `secret: ...` a `token create` printed.
pub fn token_secret(output: &str) -> String {
    output
        .lines()
        .find_map(|l| l.strip_prefix("secret: "))
        .and_then(|l| l.split_whitespace().next())
        .expect("a token secret in the output")
        .to_owned()
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A `warroom serve` process; killed (SIGKILL) when dropped.
#[derive(Debug)]
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Server {
    /// Starts `bin serve <store> --listen 127.0.0.1:<free port> <extra>` and waits until it
    /// says it listens.
    pub fn start(bin: &str, store: &[String], extra: &[&str]) -> Self {
        let port = free_port();
        let mut child = Command::new(bin)
            .arg("serve")
            .args(store)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start warroom serve");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let line = lines
                .next()
                .expect("the server exited before listening")
                .expect("readable server output");
            if line.contains("listening on") {
                break;
            }
            assert!(Instant::now() < deadline, "the server did not start");
        }
        // Keep draining its output so that it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Self { child, port }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the process with SIGKILL and reaps it.
    pub fn kill(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
