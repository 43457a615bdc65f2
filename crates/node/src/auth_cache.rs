//! A short-lived cache of who holds a token, so that most requests authenticate without a
//! database round trip and a thread hop.
//!
//! Entries live [`TTL`]; any change to accounts made through this process (revoking a token,
//! disabling a user, changing a password or a group) empties the cache at once. A change made
//! by another process on the same database (PostgreSQL deployments) takes effect within `TTL`.
//! A token's own expiry is checked on every hit.

use crate::Principal;
use jiff::Timestamp;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub(crate) const TTL: Duration = Duration::from_secs(2);
/// Bounded memory: past this many tokens the cache starts again.
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Default)]
pub(crate) struct AuthCache {
    entries: Mutex<HashMap<[u8; 32], Entry>>,
}

#[derive(Debug)]
struct Entry {
    principal: Principal,
    token_expires: Option<Timestamp>,
    cached_at: Instant,
}

impl AuthCache {
    pub(crate) fn get(&self, hash: &[u8; 32]) -> Option<Principal> {
        let entries = self.entries.lock().ok()?;
        let e = entries.get(hash)?;
        let fresh =
            e.cached_at.elapsed() < TTL && e.token_expires.is_none_or(|t| t > Timestamp::now());
        fresh.then(|| e.principal.clone())
    }

    pub(crate) fn put(
        &self,
        hash: [u8; 32],
        principal: Principal,
        token_expires: Option<Timestamp>,
    ) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(
                hash,
                Entry {
                    principal,
                    token_expires,
                    cached_at: Instant::now(),
                },
            );
        }
    }

    pub(crate) fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}
