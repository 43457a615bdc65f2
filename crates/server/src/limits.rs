//! Explicit limits: body sizes, NDJSON line size, and rates per token and per client on login.

use crate::error::ApiError;
use axum::http::StatusCode;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

/// Largest JSON request body, in bytes.
pub const MAX_JSON_BODY: usize = 1024 * 1024;
/// Largest line of an NDJSON bulk submission, in bytes.
pub const MAX_NDJSON_LINE: usize = 1024 * 1024;
/// Reports committed together by a bulk submission.
pub const BULK_BATCH: usize = 500;

/// Rates, configurable per node.
#[derive(Clone, Debug)]
pub struct RateConfig {
    /// Requests per second per API token; 0 turns the limit off.
    pub per_token: u32,
    /// Login attempts per minute per client address.
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

#[derive(Debug)]
pub struct Limits {
    per_token: Option<DefaultKeyedRateLimiter<[u8; 32]>>,
    logins: Option<DefaultKeyedRateLimiter<IpAddr>>,
}

impl Limits {
    pub fn new(config: &RateConfig) -> Self {
        Self {
            per_token: NonZeroU32::new(config.per_token).map(|n| {
                RateLimiter::keyed(
                    Quota::per_second(n)
                        .allow_burst(n.saturating_mul(NonZeroU32::MIN.saturating_add(1))),
                )
            }),
            logins: NonZeroU32::new(config.logins_per_minute)
                .map(|n| RateLimiter::keyed(Quota::per_minute(n))),
        }
    }

    /// Keyed by the token's hash, so that the limiter never holds a secret.
    pub fn check_token(&self, secret: &str) -> Result<(), ApiError> {
        if let Some(l) = &self.per_token
            && l.check_key(&warroom_node::secret::hash_secret(secret))
                .is_err()
        {
            return Err(too_many("too many requests for this token: slow down"));
        }
        Ok(())
    }

    pub fn check_login(&self, client: Option<IpAddr>) -> Result<(), ApiError> {
        if let (Some(l), Some(ip)) = (&self.logins, client)
            && l.check_key(&ip).is_err()
        {
            return Err(too_many(
                "too many login attempts from this address: wait a minute",
            ));
        }
        Ok(())
    }

    /// Forgets idle keys, so that the limiters' memory stays bounded.
    pub fn retain_recent(&self) {
        if let Some(l) = &self.per_token {
            l.retain_recent();
        }
        if let Some(l) = &self.logins {
            l.retain_recent();
        }
    }
}

fn too_many(message: &str) -> ApiError {
    ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
}
