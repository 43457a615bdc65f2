//! Explicit limits: body sizes, NDJSON line size, and rates per token and per client on login.
//!
//! Both rates hold node-wide when several `warroom serve` processes share one database:
//! - login attempts are counted in the store (`Node::count_in_window`), one fixed minute per
//!   client address, so attempts through every process add up;
//! - the per-token request rate is checked in memory (a request must not cost a database
//!   round trip), and each process enforces its share: the configured rate divided by the
//!   number of live processes, which a heartbeat in the store counts ([`Limits::heartbeat`]).

use crate::error::ApiError;
use axum::http::StatusCode;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, RwLock};
use warroom_node::{Node, NodeError, Window};

/// Largest JSON request body, in bytes.
pub const MAX_JSON_BODY: usize = 1024 * 1024;
/// Largest line of an NDJSON bulk submission, in bytes.
pub const MAX_NDJSON_LINE: usize = 1024 * 1024;
/// Reports committed together by a bulk submission.
pub const BULK_BATCH: usize = 500;
/// Length of the heartbeat window by which processes count each other, in seconds.
pub const HEARTBEAT_WINDOW: i64 = 10;

/// Rates, configurable per node.
#[derive(Clone, Debug)]
pub struct RateConfig {
    /// Requests per second per API token, over all processes; 0 turns the limit off.
    pub per_token: u32,
    /// Login attempts per minute per client address, over all processes.
    pub logins_per_minute: u32,
}

impl Default for RateConfig {
    fn default() -> Self {
        Self {
            per_token: 2_000,
            logins_per_minute: 10,
        }
    }
}

type TokenLimiter = DefaultKeyedRateLimiter<[u8; 32]>;

#[derive(Debug)]
pub struct Limits {
    config: RateConfig,
    /// Rebuilt when the number of processes changes.
    per_token: RwLock<Option<Arc<TokenLimiter>>>,
    /// Processes sharing the per-token rate, as last counted.
    processes: AtomicU32,
    /// The heartbeat window this process last counted itself in.
    beat: std::sync::Mutex<Option<i64>>,
}

fn token_limiter(per_token: u32, processes: u32) -> Option<Arc<TokenLimiter>> {
    let n = NonZeroU32::new(per_token)?;
    let share = NonZeroU32::new(n.get() / processes.max(1)).unwrap_or(NonZeroU32::MIN);
    Some(Arc::new(RateLimiter::keyed(
        Quota::per_second(share)
            .allow_burst(share.saturating_mul(NonZeroU32::MIN.saturating_add(1))),
    )))
}

impl Limits {
    pub fn new(config: &RateConfig) -> Self {
        Self {
            per_token: RwLock::new(token_limiter(config.per_token, 1)),
            config: config.clone(),
            processes: AtomicU32::new(1),
            beat: std::sync::Mutex::new(None),
        }
    }

    /// Keyed by the token's hash, so that the limiter never holds a secret.
    pub fn check_token(&self, secret: &str) -> Result<(), ApiError> {
        let limiter = self
            .per_token
            .read()
            .map(|l| l.clone())
            .unwrap_or_else(|p| p.into_inner().clone());
        if let Some(l) = limiter
            && l.check_key(&warroom_node::secret::hash_secret(secret))
                .is_err()
        {
            return Err(too_many("too many requests for this token: slow down"));
        }
        Ok(())
    }

    /// Counts a login attempt from `client` in the store (blocking: call it off the runtime)
    /// and refuses it past the per-minute limit. Refused attempts count too, so that hammering
    /// keeps the door shut.
    pub fn check_login(&self, node: &Node, client: Option<IpAddr>) -> Result<(), ApiError> {
        let (Some(limit), Some(ip)) = (NonZeroU32::new(self.config.logins_per_minute), client)
        else {
            return Ok(());
        };
        let key = format!("login:{ip}");
        let window = Window::at(jiff::Timestamp::now(), 60);
        let attempts = node
            .count_in_window(key.as_bytes(), window, 1)
            .map_err(ApiError::from)?;
        if attempts > u64::from(limit.get()) {
            return Err(too_many(
                "too many login attempts from this address: wait a minute",
            ));
        }
        Ok(())
    }

    /// Counts this process once per heartbeat window and resizes its share of the per-token
    /// rate to the number of live processes: those counted in this window or the one before
    /// (blocking: call it off the runtime, every few seconds).
    pub fn heartbeat(&self, node: &Node) -> Result<u32, NodeError> {
        let now = Window::at(jiff::Timestamp::now(), HEARTBEAT_WINDOW);
        let mut beat = self.beat.lock().unwrap_or_else(|p| p.into_inner());
        let n = u64::from(*beat != Some(now.start));
        let current = node.count_in_window(b"serve:heartbeat", now, n)?;
        *beat = Some(now.start);
        drop(beat);
        let previous = node.count_in_window(b"serve:heartbeat", now.previous(), 0)?;
        let processes = u32::try_from(current.max(previous).max(1)).unwrap_or(u32::MAX);
        if self.processes.swap(processes, Ordering::AcqRel) != processes {
            tracing::info!(
                processes,
                "serve processes sharing the store changed: each enforces its share of the per-token rate"
            );
            let limiter = token_limiter(self.config.per_token, processes);
            match self.per_token.write() {
                Ok(mut l) => *l = limiter,
                Err(p) => *p.into_inner() = limiter,
            }
        }
        Ok(processes)
    }

    /// Forgets idle keys, so that the limiter's memory stays bounded.
    pub fn retain_recent(&self) {
        if let Ok(l) = self.per_token.read()
            && let Some(l) = l.as_ref()
        {
            l.retain_recent();
        }
    }
}

fn too_many(message: &str) -> ApiError {
    ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
}
