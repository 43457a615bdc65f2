//! A short-lived cache of who holds a token, so that most requests authenticate without a
//! database round trip and a thread hop.
//!
//! Entries live [`TTL`]; any change to accounts made through this process (revoking a token,
//! disabling a user, changing a password or a group) empties the cache at once, and so does
//! the store's change feed when another process on the same PostgreSQL database commits one
//! (`Store::subscribe`). Where there is no feed (the shell's commands beside a SQLite node) a
//! change takes effect within `TTL`. A token's own expiry is checked on every hit.
//!
//! A generation number closes the race between a request that read the token before a change
//! and a clear that comes before that request caches it: a `put` whose read began before the
//! latest clear is dropped.

use crate::Principal;
use jiff::Timestamp;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub(crate) const TTL: Duration = Duration::from_secs(2);
/// Bounded memory: past this many tokens the cache starts again.
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Default)]
pub(crate) struct AuthCache {
    entries: Mutex<HashMap<[u8; 32], Entry>>,
    generation: AtomicU64,
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

    /// Taken before reading a token from the store, and given back to [`AuthCache::put`].
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub(crate) fn put(
        &self,
        hash: [u8; 32],
        principal: Principal,
        token_expires: Option<Timestamp>,
        read_at_generation: u64,
    ) {
        if let Ok(mut entries) = self.entries.lock() {
            // Checked under the lock, which `clear` also takes after bumping the generation.
            if self.generation.load(Ordering::Acquire) != read_at_generation {
                return;
            }
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
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warroom_domain::policy::Viewer;
    use warroom_domain::{Agency, AgencyId, AgencyKind, CountryCode, Role, User, UserId};

    fn principal() -> Principal {
        let agency = Agency {
            id: AgencyId::random(),
            name: "CCIB".into(),
            country: CountryCode::parse("TH").unwrap_or_else(|_| unreachable!()),
            kind: AgencyKind::Police,
            home_node: "local".into(),
        };
        Principal {
            viewer: Viewer {
                agency: agency.id,
                groups: Default::default(),
                roles: [Role::Analyst].into(),
            },
            user: User {
                id: UserId::random(),
                agency: agency.id,
                username: "somchai".into(),
                display_name: "Somchai".into(),
                roles: [Role::Analyst].into(),
                disabled: false,
            },
            agency,
        }
    }

    #[test]
    fn a_read_from_before_a_clear_is_not_cached() {
        let cache = AuthCache::default();
        let g = cache.generation();
        cache.clear(); // a revocation lands while the request reads the old token row
        cache.put([1; 32], principal(), None, g);
        assert!(cache.get(&[1; 32]).is_none());
        let g = cache.generation();
        cache.put([1; 32], principal(), None, g);
        assert!(cache.get(&[1; 32]).is_some());
        cache.clear();
        assert!(cache.get(&[1; 32]).is_none());
    }
}
